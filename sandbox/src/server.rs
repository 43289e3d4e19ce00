//! The server: a runtime on a thread of its own, accepting connections on loopback (over TLS
//! when asked) and handing each to hyper with the request service.

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

use crate::config::SandboxConfig;
use crate::conn::{ResetSwitch, Stream};
use crate::service;
use crate::state::{lock, SharedWorld, World};
use crate::tls::Tls;

/// A client that connects and never completes the TLS handshake is let go after this.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// A running sandbox. Dropping it stops the server.
pub struct Sandbox {
    addr: SocketAddr,
    ca_cert_pem: Option<String>,
    shutdown: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Starts serving on `listen` (e.g. `127.0.0.1:0` for any free port) on a thread of its own,
    /// with the default configuration.
    pub fn start(listen: &str) -> io::Result<Sandbox> {
        Sandbox::start_with(listen, SandboxConfig::default())
    }

    /// Starts serving on `listen` with `config` (a shorter token lifetime, say). With
    /// `config.tls` it serves HTTPS: a certificate authority and a server certificate for
    /// `127.0.0.1`, `::1` and `localhost` are made for this sandbox alone, and clients trust
    /// [`ca_cert_pem`](Sandbox::ca_cert_pem).
    pub fn start_with(listen: &str, config: SandboxConfig) -> io::Result<Sandbox> {
        let tls = if config.tls { Some(Tls::generate()?) } else { None };
        let listener = std::net::TcpListener::bind(listen)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (acceptor, ca_cert_pem) = match tls {
            Some(tls) => (Some(tls.acceptor), Some(tls.ca_cert_pem)),
            None => (None, None),
        };
        let (shutdown, stopped) = watch::channel(false);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("hostprov-sandbox")
            .enable_all()
            .build()?;
        let thread = std::thread::Builder::new().name("hostprov-sandbox".into()).spawn(move || {
            runtime.block_on(async move {
                match TcpListener::from_std(listener) {
                    Ok(listener) => serve(listener, acceptor, Arc::new(Mutex::new(World::new(config))), stopped).await,
                    Err(e) => eprintln!("hostprov-sandbox: cannot listen: {e}"),
                }
            })
        })?;
        Ok(Sandbox { addr, ca_cert_pem, shutdown, thread: Some(thread) })
    }

    /// `http://127.0.0.1:PORT` (`https://…` over TLS), the root of every mount.
    pub fn url(&self) -> String {
        let scheme = if self.ca_cert_pem.is_some() { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The PEM certificate of the authority that signed the server's certificate, for clients
    /// to trust; `None` when the sandbox serves plain HTTP.
    pub fn ca_cert_pem(&self) -> Option<String> {
        self.ca_cert_pem.clone()
    }

    /// Blocks until the server stops (it stops only when dropped from another thread).
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(listener: TcpListener, acceptor: Option<TlsAcceptor>, world: SharedWorld, mut stopped: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((tcp, _)) = accepted else { continue };
                // Without it every new connection's first answer waits for the client's delayed
                // ACK (about 40 ms on Linux), which would show up in every benchmark.
                let _ = tcp.set_nodelay(true);
                lock(&world).stats.connections += 1;
                tokio::spawn(connection(tcp, acceptor.clone(), world.clone()));
            }
            _ = stopped.changed() => return,
        }
    }
}

/// One connection, on a task of its own: the TLS handshake if any, then HTTP/1.1 requests until
/// either side closes it or a fault drops it.
async fn connection(tcp: TcpStream, acceptor: Option<TlsAcceptor>, world: SharedWorld) {
    let reset = ResetSwitch::default();
    let stream = match acceptor {
        None => Stream::plain(tcp, reset.clone()),
        Some(acceptor) => match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
            Ok(Ok(tls)) => Stream::tls(tls, reset.clone()),
            _ => return,
        },
    };
    let service = service_fn(move |req| service::respond(world.clone(), reset.clone(), req));
    let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
}
