//! The HTTP server: accepts connections on loopback, turns each request into a [`SimRequest`]
//! and routes it to a simulator.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::config::SandboxConfig;
use crate::state::World;
use crate::wire::{SimRequest, SimResponse};
use crate::{admin, logicboxes, racknap, websoftsolus};

/// Request bodies beyond this are refused.
const MAX_BODY: usize = 2 * 1024 * 1024;

type Shared = Arc<Mutex<World>>;

/// A running sandbox. Dropping it stops the server.
pub struct Sandbox {
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Starts serving on `listen` (e.g. `127.0.0.1:0` for any free port) on a thread of its own,
    /// with the default configuration.
    pub fn start(listen: &str) -> io::Result<Sandbox> {
        Sandbox::start_with(listen, SandboxConfig::default())
    }

    /// Starts serving on `listen` with `config` (a shorter token lifetime, say).
    pub fn start_with(listen: &str, config: SandboxConfig) -> io::Result<Sandbox> {
        let listener = std::net::TcpListener::bind(listen)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (shutdown, stopped) = watch::channel(false);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("hostprov-sandbox")
            .enable_all()
            .build()?;
        let thread = std::thread::Builder::new().name("hostprov-sandbox".into()).spawn(move || {
            runtime.block_on(async move {
                match TcpListener::from_std(listener) {
                    Ok(listener) => serve(listener, Arc::new(Mutex::new(World::new(config))), stopped).await,
                    Err(e) => eprintln!("hostprov-sandbox: cannot listen: {e}"),
                }
            })
        })?;
        Ok(Sandbox { addr, shutdown, thread: Some(thread) })
    }

    /// `http://127.0.0.1:PORT`, the root of every mount.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
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

async fn serve(listener: TcpListener, world: Shared, mut stopped: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                lock(&world).stats.connections += 1;
                let world = world.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| respond(world.clone(), req));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
            _ = stopped.changed() => return,
        }
    }
}

fn lock(world: &Shared) -> std::sync::MutexGuard<'_, World> {
    world.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

async fn respond(world: Shared, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let answer = match read_request(req).await {
        Ok(sim) => route(&world, &sim),
        Err(answer) => answer,
    };
    Ok(Response::builder()
        .status(answer.status)
        .header("content-type", answer.content_type)
        .body(Full::new(Bytes::from(answer.body)))
        .expect("status and header are valid"))
}

async fn read_request(req: Request<Incoming>) -> Result<SimRequest, SimResponse> {
    let (parts, body) = req.into_parts();
    let body = Limited::new(body, MAX_BODY)
        .collect()
        .await
        .map_err(|_| SimResponse::html(413, "<html><body>Request Entity Too Large</body></html>"))?
        .to_bytes()
        .to_vec();
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let mut params: Vec<(String, String)> =
        url::form_urlencoded::parse(parts.uri.query().unwrap_or_default().as_bytes()).into_owned().collect();
    let is_form = headers
        .iter()
        .any(|(k, v)| k == "content-type" && v.starts_with("application/x-www-form-urlencoded"));
    if is_form {
        params.extend(url::form_urlencoded::parse(&body).into_owned());
    }
    Ok(SimRequest { method: parts.method.as_str().to_owned(), path: parts.uri.path().to_owned(), params, headers, body })
}

fn route(world: &Shared, req: &SimRequest) -> SimResponse {
    let mut world = lock(world);
    let (route, answer) = if let Some(sub) = req.path.strip_prefix("/_sandbox/") {
        (format!("admin {sub}"), admin::handle(&mut world, req, sub))
    } else if let Some(sub) = req.path.strip_prefix("/logicboxes") {
        logicboxes::handle(&mut world, req, sub)
    } else if let Some(sub) = req.path.strip_prefix("/racknap") {
        racknap::handle(&mut world, req, sub)
    } else if let Some(sub) = req.path.strip_prefix("/websoftsolus") {
        websoftsolus::handle(&mut world, req, sub)
    } else {
        ("unknown".to_owned(), SimResponse::html(404, "<html><body>Not Found</body></html>"))
    };
    if !route.starts_with("admin ") {
        world.record(&route, req);
    }
    answer
}
