//! The connections themselves: TCP with the call's deadline, TLS with the account's verifier,
//! and a record of what was written and read (see [`Progress`]).
//!
//! ureq's own TCP transport switches the socket to non-blocking and back around every
//! liveness check and sets both socket timeouts before every read and write: ten system calls
//! per request where five do. Here the socket stays blocking and each wait is one `poll` with
//! the time left; reads and writes that must not block say so per call.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::fd::AsRawFd;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::{ClientConfig, ClientConnection, StreamOwned};
use rustls_pki_types::ServerName;
use ureq::unversioned::transport::time::{Duration as WireDuration, Instant as WireInstant};
use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, LazyBuffers, NextTimeout, Transport, TransportAdapter};
use ureq::Timeout;

use super::Progress;

/// The only connector of a client: opens the TCP connection and, for https, TLS over it.
pub struct Wire {
    tls: Arc<ClientConfig>,
}

impl Wire {
    pub fn new(tls: Arc<ClientConfig>) -> Wire {
        Wire { tls }
    }
}

impl fmt::Debug for Wire {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Wire")
    }
}

impl Connector<()> for Wire {
    type Out = Watched;

    fn connect(&self, details: &ConnectionDetails, _: Option<()>) -> Result<Option<Watched>, ureq::Error> {
        let config = details.config;
        let socket = Socket::connect(details, LazyBuffers::new(config.input_buffer_size(), config.output_buffer_size()))?;
        if details.uri.scheme_str() != Some("https") {
            return Ok(Some(Watched::new(Link::Plain(socket))));
        }
        let host = details.uri.host().unwrap_or_default().trim_start_matches('[').trim_end_matches(']');
        let name = ServerName::try_from(host.to_owned()).map_err(|_| ureq::Error::Tls("the host is not a valid TLS server name"))?;
        let mut connection = ClientConnection::new(self.tls.clone(), name)?;
        let mut adapter = TransportAdapter::new(Box::new(socket) as Box<dyn Transport>, details.current_time.clone());
        adapter.set_timeout(time_left(details));
        if let Err(e) = connection.complete_io(&mut adapter) {
            if e.get_ref().is_some_and(|inner| inner.is::<rustls::Error>()) {
                Progress::update(|p| p.certificate_refused = true);
            }
            return Err(ureq::Error::Io(e));
        }
        let buffers = LazyBuffers::new(config.input_buffer_size(), config.output_buffer_size());
        Ok(Some(Watched::new(Link::Tls { buffers, stream: Box::new(StreamOwned::new(connection, adapter)) })))
    }
}

/// The part of the connection's time budget left now (the TCP connection took some of it).
fn time_left(details: &ConnectionDetails) -> NextTimeout {
    let mut timeout = details.timeout;
    if let (WireDuration::Exact(after), WireInstant::Exact(then), WireInstant::Exact(now)) =
        (timeout.after, details.now, (details.current_time)())
    {
        timeout.after = WireDuration::Exact(after.saturating_sub(now.saturating_duration_since(then)));
    }
    timeout
}

/// A connection that records, in [`Progress`], when the request is written and the answer
/// starts to arrive.
///
/// A request's head and body reach the transport as separate writes; they are held and sent
/// together when the answer is awaited: one TLS record and one system call instead of two,
/// and a provider that wakes once per request.
pub struct Watched {
    link: Link,
    unsent: Vec<u8>,
}

enum Link {
    Plain(Socket),
    Tls { buffers: LazyBuffers, stream: Box<StreamOwned<ClientConnection, TransportAdapter>> },
}

/// Writes held beyond this are sent at once (a large body need not sit in memory twice).
const MAX_UNSENT: usize = 64 * 1024;

impl Watched {
    fn new(link: Link) -> Watched {
        Watched { link, unsent: Vec::new() }
    }

    /// Sends what is held: from here on, the request may have reached the provider.
    fn send_unsent(&mut self, timeout: NextTimeout) -> Result<(), ureq::Error> {
        if self.unsent.is_empty() {
            return Ok(());
        }
        Progress::update(|p| p.request_written = true);
        match &mut self.link {
            Link::Plain(socket) => send_all(&socket.stream, &self.unsent, timeout)?,
            Link::Tls { stream, .. } => {
                stream.get_mut().set_timeout(timeout);
                stream.write_all(&self.unsent)?;
            }
        }
        self.unsent.clear();
        Ok(())
    }
}

impl fmt::Debug for Watched {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.link {
            Link::Plain(_) => "Watched::Plain",
            Link::Tls { .. } => "Watched::Tls",
        })
    }
}

impl Link {
    /// The buffers ureq reads answers from and writes requests into.
    fn buffers(&mut self) -> &mut dyn Buffers {
        match self {
            Link::Plain(socket) => &mut socket.buffers,
            Link::Tls { buffers, .. } => buffers,
        }
    }
}

impl Transport for Watched {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.link.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.unsent.extend_from_slice(&self.link.buffers().output()[..amount]);
        if self.unsent.len() > MAX_UNSENT {
            self.send_unsent(timeout)?;
        }
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.send_unsent(timeout)?;
        let arrived = match &mut self.link {
            Link::Plain(socket) => socket.await_input(timeout)?,
            Link::Tls { buffers, stream } => {
                stream.get_mut().set_timeout(timeout);
                let amount = stream.read(buffers.input_append_buf())?;
                buffers.input_appended(amount);
                amount > 0
            }
        };
        if arrived {
            Progress::update(|p| p.answer_started = true);
        }
        Ok(arrived)
    }

    fn is_open(&mut self) -> bool {
        match &mut self.link {
            Link::Plain(socket) => socket.is_open(),
            Link::Tls { stream, .. } => stream.get_mut().get_mut().is_open(),
        }
    }

    fn is_tls(&self) -> bool {
        matches!(self.link, Link::Tls { .. })
    }
}

/// A TCP connection in blocking mode whose every wait is bounded by a `poll`.
pub struct Socket {
    stream: TcpStream,
    buffers: LazyBuffers,
}

impl fmt::Debug for Socket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Socket")
    }
}

/// Each further address of a host gets at least this much of the connection budget.
const MIN_PER_ADDRESS: Duration = Duration::from_millis(10);

impl Socket {
    fn connect(details: &ConnectionDetails, buffers: LazyBuffers) -> Result<Socket, ureq::Error> {
        let budget = match details.timeout.after {
            WireDuration::Exact(after) => after,
            WireDuration::NotHappening => super::CONNECT_TIMEOUT,
        };
        let stream = connect_first(&details.addrs, Instant::now() + budget)?;
        stream.set_nodelay(true)?;
        Ok(Socket { stream, buffers })
    }

    /// One `send` or `recv` that does not block; `None` when it would have.
    fn without_blocking(result: libc::ssize_t) -> Option<io::Result<usize>> {
        if result >= 0 {
            return Some(Ok(result as usize));
        }
        let error = io::Error::last_os_error();
        match error.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted => None,
            _ => Some(Err(error)),
        }
    }
}

impl Transport for Socket {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        send_all(&self.stream, &self.buffers.output()[..amount], timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        let fd = self.stream.as_raw_fd();
        loop {
            wait(&self.stream, libc::POLLIN, timeout)?;
            let into = self.buffers.input_append_buf();
            // SAFETY: the pointer and length describe `into`, which recv may fill.
            let result = unsafe { libc::recv(fd, into.as_mut_ptr().cast(), into.len(), libc::MSG_DONTWAIT) };
            if let Some(read) = Socket::without_blocking(result) {
                let amount = read?;
                self.buffers.input_appended(amount);
                return Ok(amount > 0);
            }
        }
    }

    /// An idle connection is reusable only while the provider has neither closed it nor sent
    /// anything unasked: one peek that does not wait tells.
    fn is_open(&mut self) -> bool {
        let mut byte = 0u8;
        // SAFETY: one writable byte; MSG_PEEK leaves the socket's data where it is.
        let result = unsafe { libc::recv(self.stream.as_raw_fd(), (&mut byte as *mut u8).cast(), 1, libc::MSG_PEEK | libc::MSG_DONTWAIT) };
        result < 0 && io::Error::last_os_error().kind() == io::ErrorKind::WouldBlock
    }
}

/// Waits until the socket is ready for `events`, within `timeout`.
fn wait(stream: &TcpStream, events: libc::c_short, timeout: NextTimeout) -> Result<(), ureq::Error> {
    let deadline = match timeout.after {
        WireDuration::Exact(after) => Some(Instant::now() + after),
        WireDuration::NotHappening => None,
    };
    loop {
        let millis = match deadline {
            // Rounded up: a wait of 0 ms would spin until the deadline.
            Some(deadline) => match deadline.saturating_duration_since(Instant::now()) {
                left if left.is_zero() => return Err(ureq::Error::Timeout(timeout.reason)),
                left => left.as_micros().div_ceil(1000).min(i32::MAX as u128) as libc::c_int,
            },
            None => -1,
        };
        let mut fd = libc::pollfd { fd: stream.as_raw_fd(), events, revents: 0 };
        // SAFETY: one valid pollfd, for a descriptor this socket owns.
        match unsafe { libc::poll(&mut fd, 1, millis) } {
            0 => continue,
            n if n > 0 => return Ok(()),
            _ if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted => continue,
            _ => return Err(io::Error::last_os_error().into()),
        }
    }
}

/// Sends all of `bytes`, waiting for room within `timeout` when the socket has none.
fn send_all(stream: &TcpStream, bytes: &[u8], timeout: NextTimeout) -> Result<(), ureq::Error> {
    let fd = stream.as_raw_fd();
    let mut sent = 0;
    while sent < bytes.len() {
        let rest = &bytes[sent..];
        // SAFETY: the pointer and length describe `rest`. MSG_NOSIGNAL: a closed peer is an
        // error here, never a SIGPIPE in the host process.
        let result = unsafe { libc::send(fd, rest.as_ptr().cast(), rest.len(), libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL) };
        match Socket::without_blocking(result) {
            Some(Ok(n)) => sent += n,
            Some(Err(e)) => return Err(e.into()),
            None => wait(stream, libc::POLLOUT, timeout)?,
        }
    }
    Ok(())
}

/// Connects to the first of a host's addresses that answers, sharing the time left before
/// `deadline` evenly among those not yet tried.
fn connect_first(addresses: &[SocketAddr], deadline: Instant) -> Result<TcpStream, ureq::Error> {
    let mut last_error = None;
    for (tried, address) in addresses.iter().enumerate() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ureq::Error::Timeout(Timeout::Connect));
        }
        let share = (left / (addresses.len() - tried) as u32).max(MIN_PER_ADDRESS).min(left);
        match TcpStream::connect_timeout(address, share) {
            Ok(stream) => return Ok(stream),
            Err(e) => last_error = Some(e),
        }
    }
    Err(last_error.map_or(ureq::Error::HostNotFound, ureq::Error::Io))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_that_refuses_gives_way_to_the_next() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let refusing = {
            let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            closed.local_addr().unwrap()
        };
        let deadline = Instant::now() + Duration::from_secs(5);
        let stream = connect_first(&[refusing, listener.local_addr().unwrap()], deadline).unwrap();
        assert_eq!(stream.peer_addr().unwrap(), listener.local_addr().unwrap());
        assert!(matches!(connect_first(&[refusing], deadline), Err(ureq::Error::Io(_))));
        assert!(matches!(connect_first(&[], deadline), Err(ureq::Error::HostNotFound)));
    }
}
