//! The calling thread's HTTP machinery: blocking HTTP/1.1 exchanges over keep-alive
//! connections, made on the caller's own thread.
//!
//! A panel calls one operation at a time per thread (a PHP-FPM worker is one thread), so a
//! blocking client with one connection pool per thread has nothing to wait for but the
//! provider: no runtime, no hand-over to another thread, no wake-ups. ureq speaks HTTP; this
//! module adds two things it cannot know: the account's certificate verifier (see
//! [`crate::tls`]) and how far an exchange got on the wire, which decides whether a failed
//! change may be sent again. A forked child abandons the copy of its parent's pools (whose
//! sockets it would otherwise share) and makes its own.

mod addresses;
mod wire;

use std::cell::{Cell, RefCell};
use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use rustls::ClientConfig;
use ureq::Agent;

use self::addresses::Addresses;
use self::wire::Wire;

use crate::cache::BoundedCache;
use crate::per_process::Epoch;

/// Connections to a provider that does not answer the handshake are given up after this.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Pools one thread keeps, one per TLS setting (accounts with their own roots have their own).
const MAX_POOLS_PER_THREAD: usize = 8;
/// An idle connection older than this is closed rather than reused.
const MAX_IDLE: Duration = Duration::from_secs(60);

static USER_AGENT: &str = concat!("hostprov/", env!("CARGO_PKG_VERSION"));

thread_local! {
    static LOCAL: RefCell<Option<Local>> = const { RefCell::new(None) };
    /// How far the exchange under way on this thread got (see [`Progress`]).
    static PROGRESS: Cell<Progress> = const { Cell::new(Progress::NONE) };
}

/// How far an exchange got, as the connection itself saw it: whether any byte of the request
/// was handed to the network decides whether a change may have reached the provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Progress {
    pub certificate_refused: bool,
    pub request_written: bool,
    pub answer_started: bool,
}

impl Progress {
    const NONE: Progress = Progress { certificate_refused: false, request_written: false, answer_started: false };

    pub(crate) fn update(change: impl FnOnce(&mut Progress)) {
        PROGRESS.with(|cell| {
            let mut progress = cell.get();
            change(&mut progress);
            cell.set(progress);
        });
    }
}

/// One request, ready to send.
pub struct Outgoing<'a> {
    pub method: &'static str,
    pub url: &'a str,
    pub headers: &'a [(&'static str, String)],
    /// A form-encoded body.
    pub form: Option<&'a str>,
    /// The whole exchange (connection, request, answer) must end within this.
    pub timeout: Duration,
    /// Answers larger than this are not read.
    pub max_body: u64,
}

/// A provider's answer: any status, the body in full.
pub struct Incoming {
    pub status: u16,
    pub body: Vec<u8>,
}

/// Why an exchange produced no answer, told by how far it got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stopped {
    /// No byte of the request left this machine (refused, DNS, a connection or handshake that
    /// failed or timed out, a request that could not be built).
    NotSent,
    /// The provider's certificate was refused.
    Tls,
    /// The deadline passed after the request was written.
    Timeout,
    /// The connection broke after the request was written; `answering` once part of the
    /// answer had arrived.
    Broke { answering: bool },
    /// The answer was larger than the limit.
    TooLarge,
}

/// Sends one request with a client for `tls`: on this thread, or, for a caller on a small
/// stack (musl's 128 KiB threads, some PHP and Python builds), on a thread of its own with room
/// to spare, whose connection ends with the exchange (such a caller opens one per exchange).
pub fn exchange(tls: &Arc<ClientConfig>, outgoing: &Outgoing<'_>) -> Result<Incoming, Stopped> {
    with_room(|| exchange_here(tls, outgoing)).unwrap_or(Err(Stopped::NotSent))
}

/// Runs `work` here, or on a thread with room when this one's stack is short; `None` when no
/// such thread could be started.
fn with_room<R: Send>(work: impl FnOnce() -> R + Send) -> Option<R> {
    if stack_room().is_none_or(|room| room >= STACK_NEEDED) {
        return Some(work());
    }
    std::thread::scope(|scope| {
        let roomy = std::thread::Builder::new().stack_size(ROOMY_STACK).spawn_scoped(scope, work).ok()?;
        Some(roomy.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    })
}

/// Stack an exchange may need below the caller's frame (a TLS handshake and its certificate
/// checks; in an unoptimised build much more than in a release one).
const STACK_NEEDED: usize = 256 * 1024;
/// The stack of the thread that serves callers with less room than that.
const ROOMY_STACK: usize = 2 * 1024 * 1024;

/// Bytes of stack left below this frame, where the platform tells.
fn stack_room() -> Option<usize> {
    thread_local! {
        /// The lowest address of this thread's stack: asking costs a read of /proc/self/maps on
        /// a process's main thread, so it is asked once per thread.
        static STACK_LOW: Option<usize> = stack_low();
    }
    let marker = 0u8;
    let here = std::hint::black_box(std::ptr::addr_of!(marker)) as usize;
    STACK_LOW.with(|low| low.map(|low| here.saturating_sub(low)))
}

fn stack_low() -> Option<usize> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: the attribute object is initialised by pthread_getattr_np before it is read,
        // and destroyed once.
        unsafe {
            let mut attr: libc::pthread_attr_t = std::mem::zeroed();
            if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
                return None;
            }
            let (mut low, mut size) = (std::ptr::null_mut(), 0usize);
            let got = libc::pthread_attr_getstack(&attr, &mut low, &mut size);
            libc::pthread_attr_destroy(&mut attr);
            (got == 0).then_some(low as usize)
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

fn exchange_here(tls: &Arc<ClientConfig>, outgoing: &Outgoing<'_>) -> Result<Incoming, Stopped> {
    let agent = agent_for(tls);
    PROGRESS.with(|cell| cell.set(Progress::NONE));
    let result = send(&agent, outgoing);
    let progress = PROGRESS.with(Cell::get);
    result.map_err(|error| stopped(&error, progress))
}

/// This thread's client for `tls`, made on first use.
fn agent_for(tls: &Arc<ClientConfig>) -> Agent {
    LOCAL.with(|cell| {
        let mut slot = cell.borrow_mut();
        let now = Epoch::now();
        if slot.as_ref().is_some_and(|local| local.epoch != now) {
            // The parent's sockets: neither used nor closed (a close would reach the provider
            // on the parent's connection) in this process.
            std::mem::forget(slot.take());
        }
        let local = slot.get_or_insert_with(|| Local { epoch: now, agents: BoundedCache::new(MAX_POOLS_PER_THREAD, usize::MAX) });
        let key = Arc::as_ptr(tls) as usize;
        if let Some((_, agent)) = local.agents.get(&key) {
            return agent.clone();
        }
        let agent = new_agent(tls.clone());
        drop(local.agents.insert(key, (tls.clone(), agent.clone()), 1));
        agent
    })
}

struct Local {
    epoch: Epoch,
    /// Keyed by the settings' address; the entry keeps the settings alive so it cannot be reused.
    agents: BoundedCache<usize, (Arc<ClientConfig>, Agent)>,
}

fn new_agent(tls: Arc<ClientConfig>) -> Agent {
    let config = Agent::config_builder()
        // Every status is an answer: the provider modules read their own error bodies.
        .http_status_as_error(false)
        // Redirects could carry credentials to another host; a panel sets base_url instead.
        .max_redirects(0)
        .max_redirects_will_error(false)
        // Proxies come from account.base_url, never from the environment of a PHP worker.
        .proxy(None)
        .user_agent(USER_AGENT)
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .max_idle_age(MAX_IDLE)
        // Room for the largest answer head ureq accepts (64 KiB) and any request head we send;
        // a connection keeps these for its life, so not ureq's 128 KiB each.
        .input_buffer_size(64 * 1024)
        .output_buffer_size(32 * 1024)
        .build();
    Agent::with_parts(config, Wire::new(tls), Addresses::default())
}

fn send(agent: &Agent, outgoing: &Outgoing<'_>) -> Result<Incoming, ureq::Error> {
    let mut request = ureq::http::Request::builder().method(outgoing.method).uri(outgoing.url);
    for (name, value) in outgoing.headers {
        request = request.header(*name, value);
    }
    /// Runs a request within the exchange's time budget (a GET carries no body at all).
    fn within<B: ureq::AsSendBody>(agent: &Agent, request: ureq::http::Request<B>, timeout: Duration) -> Result<ureq::http::Response<ureq::Body>, ureq::Error> {
        agent.run(agent.configure_request(request).timeout_global(Some(timeout)).build())
    }
    let mut response = match outgoing.form {
        Some(form) => within(agent, request.header("content-type", "application/x-www-form-urlencoded").body(form.as_bytes())?, outgoing.timeout)?,
        None => within(agent, request.body(())?, outgoing.timeout)?,
    };
    let status = response.status().as_u16();
    // Sized from Content-Length (within the limit) so the body is read without regrowing.
    let expected = response.body().content_length().unwrap_or(0).min(outgoing.max_body) as usize;
    let mut body = Vec::with_capacity(expected);
    response.body_mut().with_config().limit(outgoing.max_body).reader().read_to_end(&mut body)?;
    Ok(Incoming { status, body })
}

/// What a failed exchange means for the provider: decided by how far it got, not by which
/// layer happened to notice.
fn stopped(error: &ureq::Error, progress: Progress) -> Stopped {
    match error {
        ureq::Error::BodyExceedsLimit(_) => Stopped::TooLarge,
        _ if progress.certificate_refused => Stopped::Tls,
        _ if !progress.request_written => Stopped::NotSent,
        ureq::Error::Timeout(_) => Stopped::Timeout,
        ureq::Error::Io(io) if matches!(io.kind(), std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock) => Stopped::Timeout,
        _ => Stopped::Broke { answering: progress.answer_started },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_keeps_one_client_per_setting() {
        // Two exchanges with one setting reach the server over one kept-alive connection.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let server = std::thread::spawn(move || {
            use std::io::{BufRead, BufReader, Write};
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            for _ in 0..2 {
                let mut line = String::new();
                while reader.read_line(&mut line).unwrap() > 0 && !line.ends_with("\r\n\r\n") {}
                (&stream).write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").unwrap();
            }
            listener.set_nonblocking(true).unwrap();
            listener.accept().is_err()
        });
        let tls = crate::tls::config_for(None).unwrap();
        let outgoing = Outgoing { method: "GET", url: &url, headers: &[], form: None, timeout: Duration::from_secs(5), max_body: 16 };
        for _ in 0..2 {
            assert_eq!(exchange(&tls, &outgoing).map(|answer| answer.body), Ok(b"ok".to_vec()));
        }
        assert!(server.join().unwrap(), "the second exchange opened no connection of its own");
        LOCAL.with(|cell| assert_eq!(cell.borrow().as_ref().unwrap().agents.len(), 1));
    }

    #[test]
    fn a_caller_on_a_small_stack_is_served_on_a_roomy_thread() {
        let room = std::thread::Builder::new()
            .stack_size(128 * 1024)
            .spawn(|| (stack_room().unwrap(), with_room(|| stack_room().unwrap()).unwrap()))
            .unwrap()
            .join()
            .unwrap();
        assert!(room.0 < STACK_NEEDED && room.1 > STACK_NEEDED, "{room:?}");
        assert!(stack_room().unwrap() > STACK_NEEDED, "the test harness's threads have room");
    }

    #[test]
    fn nothing_listening_is_not_sent() {
        let tls = crate::tls::config_for(None).unwrap();
        // A port that was just free: nothing listens there.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let url = format!("http://127.0.0.1:{port}/");
        let outgoing = Outgoing { method: "POST", url: &url, headers: &[], form: Some("a=1"), timeout: Duration::from_secs(2), max_body: 1 };
        assert_eq!(exchange(&tls, &outgoing).err(), Some(Stopped::NotSent));
    }
}
