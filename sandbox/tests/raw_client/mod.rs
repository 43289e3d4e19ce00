//! A minimal HTTP/1.1 client, over TCP or rustls, that reports what it saw of an exchange:
//! an answer, a reset, an orderly close with nothing said, or silence until it gave up. The
//! fault tests are about exactly these differences, which a full client library would blur.
#![allow(dead_code)]

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};
use serde_json::Value;

pub const LB_AUTH: [(&str, &str); 2] = [("auth-userid", "100000"), ("api-key", "sandbox-key")];

pub use crate::support::{parse_answer, query, Answer};

/// What the client saw.
#[derive(Debug)]
pub enum Seen {
    Answer(Answer),
    /// The connection was reset before a single byte of an answer arrived.
    Reset,
    /// The connection was closed in order before a single byte of an answer arrived.
    Closed,
    /// Nothing arrived and the connection was still open when the client stopped waiting.
    Held,
    /// Anything else, a failed TLS handshake for one.
    Failed(io::Error),
}

impl Seen {
    #[track_caller]
    pub fn answer(self) -> Answer {
        match self {
            Seen::Answer(answer) => answer,
            other => panic!("expected an answer, saw {other:?}"),
        }
    }

    /// A short name for comparing runs.
    pub fn label(&self) -> String {
        match self {
            Seen::Answer(a) => format!("{} {}", a.status, a.content_type),
            Seen::Reset => "reset".into(),
            Seen::Closed => "closed".into(),
            Seen::Held => "held".into(),
            Seen::Failed(e) => format!("failed: {e}"),
        }
    }
}

pub struct Client {
    addr: SocketAddr,
    tls: Option<(Arc<ClientConfig>, ServerName<'static>)>,
    read_timeout: Duration,
}

impl Client {
    pub fn plain(addr: SocketAddr) -> Client {
        Client { addr, tls: None, read_timeout: Duration::from_secs(10) }
    }

    /// A TLS client that checks the server's certificate against `roots` for `server_name`.
    pub fn tls(addr: SocketAddr, roots: RootCertStore, server_name: &str) -> Client {
        let config = ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("ring supports the default versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
        let name = ServerName::try_from(server_name.to_owned()).expect("a valid server name");
        Client { addr, tls: Some((Arc::new(config), name)), read_timeout: Duration::from_secs(10) }
    }

    /// How long the client waits for an answer before it reports [`Seen::Held`].
    pub fn waiting(mut self, read_timeout: Duration) -> Client {
        self.read_timeout = read_timeout;
        self
    }

    /// One request on a connection of its own (`Connection: close`); `form` goes in the body.
    pub fn send(&self, method: &str, target: &str, form: &[(&str, &str)]) -> Seen {
        let body = query(form);
        let content_type = (!form.is_empty()).then_some("application/x-www-form-urlencoded");
        self.send_body(method, target, content_type, &body)
    }

    pub fn send_body(&self, method: &str, target: &str, content_type: Option<&str>, body: &str) -> Seen {
        let mut request = format!("{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n", self.addr, body.len());
        if let Some(content_type) = content_type {
            request.push_str(&format!("Content-Type: {content_type}\r\n"));
        }
        request.push_str("\r\n");
        request.push_str(body);
        let tcp = TcpStream::connect(self.addr).expect("connect to the sandbox");
        tcp.set_read_timeout(Some(self.read_timeout)).unwrap();
        match &self.tls {
            None => exchange(tcp, &request),
            Some((config, name)) => {
                let connection = ClientConnection::new(config.clone(), name.clone()).expect("a client connection");
                exchange(StreamOwned::new(connection, tcp), &request)
            }
        }
    }

    /// A LogicBoxes call with the reseller's credentials in the query string and `form` in the body.
    pub fn logicboxes(&self, method: &str, call: &str, form: &[(&str, &str)]) -> Seen {
        self.send(method, &format!("/logicboxes/api/{call}?{}", query(&LB_AUTH)), form)
    }

    #[track_caller]
    pub fn admin(&self, path: &str) -> Value {
        let answer = self.send("GET", &format!("/_sandbox/{path}"), &[]).answer();
        assert_eq!(answer.status, 200, "{answer:?}");
        answer.json()
    }

    pub fn admin_put(&self, path: &str, body: &Value) -> Answer {
        self.send_body("PUT", &format!("/_sandbox/{path}"), Some("application/json"), &body.to_string()).answer()
    }

    #[track_caller]
    pub fn admin_post(&self, path: &str, body: &Value) -> Value {
        let answer = self.send_body("POST", &format!("/_sandbox/{path}"), Some("application/json"), &body.to_string()).answer();
        assert_eq!(answer.status, 200, "{answer:?}");
        answer.json()
    }

    /// Sets the faults, asserting they were accepted.
    #[track_caller]
    pub fn faults(&self, settings: Value) -> Value {
        let answer = self.admin_put("faults", &settings);
        assert_eq!(answer.status, 200, "{answer:?}");
        answer.json()
    }
}

/// Roots holding every certificate of a PEM text.
pub fn roots(pem: &str) -> RootCertStore {
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
        roots.add(cert.expect("a PEM certificate")).expect("a usable trust anchor");
    }
    roots
}


fn exchange(mut stream: impl Read + Write, request: &str) -> Seen {
    if let Err(e) = stream.write_all(request.as_bytes()).and_then(|()| stream.flush()) {
        return nothing_received(e);
    }
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if raw.is_empty() => return nothing_received(e),
            // A TLS peer may close after a whole `Connection: close` answer without an alert.
            Err(e) if e.kind() == ErrorKind::UnexpectedEof => break,
            Err(e) => panic!("the answer broke off after {} bytes: {e}", raw.len()),
        }
    }
    if raw.is_empty() {
        return Seen::Closed;
    }
    Seen::Answer(parse_answer(&String::from_utf8_lossy(&raw)))
}

fn nothing_received(e: io::Error) -> Seen {
    match e.kind() {
        ErrorKind::ConnectionReset | ErrorKind::BrokenPipe => Seen::Reset,
        ErrorKind::WouldBlock | ErrorKind::TimedOut => Seen::Held,
        _ => Seen::Failed(e),
    }
}

