//! The calling thread's HTTP machinery: a single-threaded async runtime and keep-alive
//! connection pools, driven right on the caller's thread.
//!
//! reqwest's blocking client hands every request to a runtime thread of its own and waits for
//! the answer: several wake-ups and context switches per call. Driving the async client on the
//! calling thread removes that hop. A PHP-FPM worker is one thread, so it keeps one pool for
//! its whole life; a thread that ends takes its pool with it. A forked child abandons the copy
//! of its parent's (whose event queue and sockets it would otherwise share) and makes its own.

use std::cell::RefCell;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use rustls::ClientConfig;
use tokio::runtime::Runtime;

use crate::cache::BoundedCache;
use crate::per_process::Epoch;

/// Connections to a provider that does not answer the handshake are given up after this.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Pools one thread keeps, one per TLS setting (accounts with their own roots have their own).
const MAX_POOLS_PER_THREAD: usize = 8;

static USER_AGENT: &str = concat!("hostprov/", env!("CARGO_PKG_VERSION"));

thread_local! {
    static LOCAL: RefCell<Option<Local>> = const { RefCell::new(None) };
}

struct Local {
    epoch: Epoch,
    runtime: Runtime,
    /// Keyed by the settings' address; the entry keeps the settings alive so it cannot be reused.
    clients: BoundedCache<usize, (Arc<ClientConfig>, reqwest::Client)>,
}

/// Stack an exchange may need below the caller's frame (a TLS handshake, hyper's connection
/// task, and in an unoptimised build much more than in a release one).
const STACK_NEEDED: usize = 256 * 1024;
/// The stack of the thread that serves callers with less room than that.
const ROOMY_STACK: usize = 2 * 1024 * 1024;

/// Runs the future `request` makes with a client for `tls` to completion: on this thread, or,
/// for a caller on a small stack (musl's 128 KiB threads, some PHP and Python builds), on a
/// thread of its own with room to spare, whose connections end with the call.
pub fn run<F>(tls: &Arc<ClientConfig>, request: impl FnOnce(reqwest::Client) -> F + Send) -> Result<F::Output, String>
where
    F: Future,
    F::Output: Send,
{
    if stack_room().is_some_and(|room| room < STACK_NEEDED) {
        return std::thread::scope(|scope| {
            let roomy = std::thread::Builder::new().stack_size(ROOMY_STACK).spawn_scoped(scope, || {
                let result = run_here(tls, request);
                // This thread ends now: its runtime must not wait on its way out for a blocking
                // task the deadline already gave up on (a host name lookup that hangs).
                if let Some(local) = LOCAL.with(|cell| cell.borrow_mut().take()) {
                    local.runtime.shutdown_background();
                }
                result
            });
            match roomy.map(|thread| thread.join()) {
                Ok(Ok(result)) => result,
                Ok(Err(panic)) => std::panic::resume_unwind(panic),
                Err(_) => Err("no thread could be started for a caller on a small stack".to_owned()),
            }
        });
    }
    run_here(tls, request)
}

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

fn run_here<F: Future>(tls: &Arc<ClientConfig>, request: impl FnOnce(reqwest::Client) -> F) -> Result<F::Output, String> {
    LOCAL.with(|cell| {
        let mut slot = cell.borrow_mut();
        let now = Epoch::now();
        if slot.as_ref().is_some_and(|local| local.epoch != now) {
            // The parent's runtime and sockets: neither used nor dropped in this process.
            std::mem::forget(slot.take());
        }
        if slot.is_none() {
            *slot = Some(Local::new(now)?);
        }
        let local = slot.as_mut().expect("made above");
        let client = local.client(tls)?;
        // On the heap: an HTTP exchange's future is large, and callers may run on small stacks.
        Ok(local.runtime.block_on(Box::pin(request(client))))
    })
}

impl Local {
    fn new(epoch: Epoch) -> Result<Local, String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(|_| "the HTTP runtime could not be started".to_owned())?;
        Ok(Local { epoch, runtime, clients: BoundedCache::new(MAX_POOLS_PER_THREAD, usize::MAX) })
    }

    fn client(&mut self, tls: &Arc<ClientConfig>) -> Result<reqwest::Client, String> {
        let key = Arc::as_ptr(tls) as usize;
        if let Some((_, client)) = self.clients.get(&key) {
            return Ok(client.clone());
        }
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(CONNECT_TIMEOUT)
            .pool_idle_timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(8)
            // Redirects could carry credentials to another host; a panel sets base_url instead.
            .redirect(reqwest::redirect::Policy::none())
            // Proxies come from account.base_url, never from the environment of a PHP worker.
            .no_proxy()
            .tcp_nodelay(true)
            .tls_backend_preconfigured(ClientConfig::clone(tls))
            .build()
            .map_err(|_| "the HTTP client could not be built".to_owned())?;
        // Dropped outside the runtime's context is fine: the pool's connections just close.
        drop(self.clients.insert(key, (tls.clone(), client.clone()), 1));
        Ok(client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_keeps_one_runtime_and_one_client_per_setting() {
        let tls = crate::tls::config_for(None).unwrap();
        let first = run(&tls, |client| async move { format!("{client:?}") }).unwrap();
        let second = run(&tls, |client| async move { format!("{client:?}") }).unwrap();
        assert_eq!(first, second);
        LOCAL.with(|cell| assert_eq!(cell.borrow().as_ref().unwrap().clients.len(), 1));
        std::thread::spawn(move || run(&tls, |_| async {}).unwrap()).join().unwrap();
    }

    #[test]
    fn a_caller_on_a_small_stack_is_served_on_a_roomy_thread() {
        let room = std::thread::Builder::new()
            .stack_size(128 * 1024)
            .spawn(|| {
                let tls = crate::tls::config_for(None).unwrap();
                (stack_room().unwrap(), run(&tls, |_| async { stack_room().unwrap() }).unwrap())
            })
            .unwrap()
            .join()
            .unwrap();
        assert!(room.0 < STACK_NEEDED && room.1 > STACK_NEEDED, "{room:?}");
        assert!(stack_room().unwrap() > STACK_NEEDED, "the test harness's threads have room");
    }
}
