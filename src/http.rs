//! The one place that talks HTTP: the call's deadline, the retry policy, and the `calls` log,
//! over the calling thread's keep-alive connections ([`crate::transport`]).
//!
//! No HTTP library's error text is ever shown (it may carry the full URL, api key included):
//! how far an exchange got decides what its failure means, described here in our own words.

use std::cell::RefCell;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::ClientConfig;
use url::Url;

use crate::cache::BoundedCache;
use crate::call_log::CallLog;
use crate::response::{CallRecord, Error, ErrorCode};
use crate::secret::{is_secret_parameter, Redactor, MASK};
use crate::transport::{Outgoing, Stopped};

/// At most this many attempts of one exchange, whatever the policy.
pub const MAX_ATTEMPTS: u32 = 3;
/// Bodies beyond this are not read: no provider answer is legitimately this large.
const MAX_BODY_BYTES: u64 = 8 * 1024 * 1024;
/// The `calls` log keeps at most this much of each body.
const MAX_LOGGED_BODY: usize = 64 * 1024;
const BACKOFF_BASE: Duration = Duration::from_millis(100);

/// When set, only loopback hosts may be contacted (see [`restrict_to_loopback`]).
static LOOPBACK_ONLY: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Makes every later call in this process refuse hosts other than loopback, before any DNS
/// lookup or connection. For test suites and fuzzers, whose inputs may name a real provider.
pub fn restrict_to_loopback() {
    LOOPBACK_ONLY.store(true, std::sync::atomic::Ordering::SeqCst);
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// Whether repeating an exchange can do harm. Only reads are repeated after they may have
/// reached the provider; a change is repeated only when it certainly was never sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Safety {
    Read,
    Change,
}

/// One HTTP request to a provider, before it is sent.
#[derive(Debug)]
pub struct Exchange {
    pub method: Method,
    pub url: Url,
    pub query: Vec<(String, String)>,
    pub form: Option<Vec<(String, String)>>,
    pub headers: Vec<(&'static str, String)>,
    pub safety: Safety,
}

impl Exchange {
    pub fn new(method: Method, url: Url, safety: Safety) -> Self {
        Exchange { method, url, query: Vec::new(), form: None, headers: Vec::new(), safety }
    }
}

/// A provider's answer: any status, body read in full.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    /// The body as JSON; `None` when it is not JSON or nests deeper than any API's answer
    /// (see [`crate::nesting`]).
    pub fn json(&self) -> Option<serde_json::Value> {
        crate::nesting::parse(self.body.trim()).ok()
    }
}

/// Why an exchange produced no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Nothing reached the provider (refused, DNS, connect timeout).
    NotSent,
    /// The provider's certificate was refused; retrying cannot help.
    Tls,
    /// The deadline passed; the request may have been received.
    Timeout,
    /// The request was sent and the answer lost (reset, truncated body).
    AnswerLost,
}

#[derive(Debug)]
pub struct TransportError {
    pub failure: Failure,
    pub message: String,
}

impl TransportError {
    /// The envelope error for this failure. A change that may have reached the provider is
    /// `outcome_unknown`: telling the panel "failed" could make it order again.
    pub fn into_error(self, safety: Safety) -> Error {
        let code = match (self.failure, safety) {
            (Failure::NotSent, _) => ErrorCode::NetworkError,
            (Failure::Tls, _) => ErrorCode::TlsError,
            (Failure::Timeout | Failure::AnswerLost, Safety::Change) => ErrorCode::OutcomeUnknown,
            (Failure::Timeout, Safety::Read) => ErrorCode::Timeout,
            (Failure::AnswerLost, Safety::Read) => ErrorCode::NetworkError,
        };
        let message = if code == ErrorCode::OutcomeUnknown {
            format!("{} The provider may have carried out the change: check the order at the provider before acting again.", self.message)
        } else {
            self.message
        };
        Error::new(code, message).retryable(code != ErrorCode::TlsError)
    }
}

/// Everything one call does over HTTP: its deadline, whom it trusts, its secrets and its log.
pub struct Session {
    deadline: Instant,
    timeout: Duration,
    tls: Arc<ClientConfig>,
    pub redactor: Redactor,
    pub calls: CallLog,
}

impl Session {
    pub fn new(timeout: Duration, extra_root_pem: Option<&str>) -> Result<Session, Error> {
        Ok(Session {
            deadline: Instant::now() + timeout,
            timeout,
            tls: crate::tls::config_for(extra_root_pem)?,
            redactor: Redactor::default(),
            calls: CallLog::default(),
        })
    }

    /// When the call must be over, retries and waits for other calls included.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    pub fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// Sends an exchange, repeating it only where `Safety` allows, within the deadline.
    pub fn send(&mut self, exchange: &Exchange) -> Result<Reply, TransportError> {
        let mut attempt = 1;
        loop {
            let result = self.attempt(exchange);
            let repeatable = match &result {
                Ok(reply) => exchange.safety == Safety::Read && matches!(reply.status, 502..=504),
                Err(e) => match e.failure {
                    Failure::NotSent => true,
                    Failure::AnswerLost => exchange.safety == Safety::Read,
                    Failure::Tls | Failure::Timeout => false,
                },
            };
            if !repeatable || attempt >= MAX_ATTEMPTS {
                return result;
            }
            let backoff = BACKOFF_BASE * 2u32.pow(attempt - 1);
            let jitter = Duration::from_millis(fastrand::u64(0..=backoff.as_millis() as u64));
            let pause = backoff + jitter;
            if pause >= self.remaining() {
                return result;
            }
            std::thread::sleep(pause);
            attempt += 1;
        }
    }

    fn attempt(&mut self, exchange: &Exchange) -> Result<Reply, TransportError> {
        let remaining = self.remaining();
        let url = with_query(&exchange.url, &exchange.query, false);
        let form_body = exchange.form.as_ref().map(|pairs| encode_pairs(pairs, false));
        let mut record = CallRecord {
            method: exchange.method.as_str(),
            url: with_query(&exchange.url, &exchange.query, true),
            status: None,
            elapsed_ms: 0,
            request: exchange.form.as_ref().map(|pairs| encode_pairs(pairs, true)),
            response: None,
            error: None,
        };
        let refusal = if LOOPBACK_ONLY.load(std::sync::atomic::Ordering::SeqCst) && !is_loopback(&exchange.url) {
            Some(TransportError { failure: Failure::NotSent, message: "This process may only reach loopback hosts.".into() })
        } else if remaining.is_zero() {
            Some(self.deadline_passed())
        } else {
            None
        };
        if let Some(error) = refusal {
            record.error = Some(error.message.clone());
            self.calls.push(record);
            return Err(error);
        }

        let started = Instant::now();
        let outgoing = Outgoing {
            method: exchange.method.as_str(),
            url: &url,
            headers: &exchange.headers,
            form: form_body.as_deref(),
            timeout: remaining,
            max_body: MAX_BODY_BYTES,
        };
        let result = match crate::transport::exchange(&self.tls, &outgoing) {
            Ok(incoming) => Ok(Reply { status: incoming.status, body: text_of(incoming.body) }),
            Err(stopped) => Err(self.describe(stopped)),
        };
        record.elapsed_ms = started.elapsed().as_millis() as u64;
        match &result {
            Ok(reply) => {
                record.status = Some(reply.status);
                record.response = Some(truncate(&reply.body, MAX_LOGGED_BODY).to_owned());
            }
            Err(e) => record.error = Some(e.message.clone()),
        }
        self.calls.push(record);
        result
    }

    /// The failure of an exchange (or a wait) that the call's deadline cut short.
    pub fn deadline_passed(&self) -> TransportError {
        TransportError {
            failure: Failure::Timeout,
            message: format!("The provider did not answer within the deadline of {} ms.", self.timeout.as_millis()),
        }
    }

    /// An exchange that stopped, in the envelope's words.
    fn describe(&self, stopped: Stopped) -> TransportError {
        let (failure, message) = match stopped {
            Stopped::TooLarge => (Failure::AnswerLost, format!("The provider's answer was larger than {MAX_BODY_BYTES} bytes and was not read.")),
            Stopped::Tls => (Failure::Tls, "The provider's TLS certificate was not trusted; check the endpoint or add its CA in account.ca_cert_pem.".into()),
            Stopped::NotSent => (Failure::NotSent, "Could not connect to the provider; check the endpoint and the network.".into()),
            Stopped::Timeout => return self.deadline_passed(),
            Stopped::Broke { answering: false } => (Failure::AnswerLost, "The connection to the provider broke before its answer arrived.".into()),
            Stopped::Broke { answering: true } => (Failure::AnswerLost, "The connection to the provider broke while its answer was being read.".into()),
        };
        TransportError { failure, message }
    }
}

/// A body as text; bytes that are not UTF-8 are replaced, not refused.
fn text_of(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Form-encodes pairs; `masked` writes `***` for every secret parameter, for the log.
fn encode_pairs(pairs: &[(String, String)], masked: bool) -> String {
    // Room for the usual case (few bytes need escaping), so the text is not regrown per pair.
    let room = pairs.iter().map(|(name, value)| name.len() + value.len() + 2).sum::<usize>() * 5 / 4;
    let mut out = url::form_urlencoded::Serializer::new(String::with_capacity(room));
    for (name, value) in pairs {
        out.append_pair(name, if masked && is_secret_parameter(name) { MASK } else { value });
    }
    out.finish()
}

/// The URL with its query, as text: the transport parses it once, and the log needs no more.
fn with_query(base: &Url, pairs: &[(String, String)], masked: bool) -> String {
    if pairs.is_empty() {
        return base.as_str().to_owned();
    }
    let query = encode_pairs(pairs, masked);
    let mut url = String::with_capacity(base.as_str().len() + 1 + query.len());
    url.push_str(base.as_str());
    url.push('?');
    url.push_str(&query);
    url
}

fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// URLs made on this thread, by the text they were made from: a panel's calls check the same
/// few endpoints and join the same API paths to them, and each parse or `set_path` costs more
/// than the rest of building a request.
type Remembered = std::thread::LocalKey<RefCell<BoundedCache<String, Url>>>;

/// The URL `make` builds for `key`, made once per thread; a failure is not remembered.
fn remembered<E>(urls: &'static Remembered, key: &str, make: impl FnOnce() -> Result<Url, E>) -> Result<Url, E> {
    if let Some(url) = urls.with(|urls| urls.borrow_mut().get(key).cloned()) {
        return Ok(url);
    }
    let url = make()?;
    urls.with(|urls| drop(urls.borrow_mut().insert(key.to_owned(), url.clone(), 1)));
    Ok(url)
}

/// Checks an endpoint the account gave. Plain HTTP is allowed only to this machine: anywhere
/// else it would send the reseller's credentials in clear text.
pub fn endpoint(field: &str, text: &str) -> Result<Url, Error> {
    thread_local! {
        static CHECKED: RefCell<BoundedCache<String, Url>> = RefCell::new(BoundedCache::new(8, usize::MAX));
    }
    remembered(&CHECKED, text, || checked_endpoint(field, text))
}

fn checked_endpoint(field: &str, text: &str) -> Result<Url, Error> {
    let url = Url::parse(text.trim())
        .map_err(|_| Error::invalid(format!("The request field `account.{field}` is not a valid URL.")))?;
    let loopback = is_loopback(&url);
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        _ => {
            return Err(Error::invalid(format!(
                "The request field `account.{field}` must be an https:// URL (plain http is allowed only to this machine)."
            )))
        }
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid(format!(
            "The request field `account.{field}` must not carry a query, a fragment or credentials."
        )));
    }
    Ok(url)
}

/// Appends path segments to a base URL, keeping the base's own path.
pub fn join(base: &Url, path: &str) -> Url {
    thread_local! {
        static JOINED: RefCell<BoundedCache<String, Url>> = RefCell::new(BoundedCache::new(64, usize::MAX));
    }
    // A NUL cannot occur in a parsed URL, so it separates the two parts of the key.
    let key = format!("{}\0{path}", base.as_str());
    let Ok(url) = remembered(&JOINED, &key, || {
        let mut url = base.clone();
        url.set_path(&format!("{}/{}", base.path().trim_end_matches('/'), path.trim_start_matches('/')));
        Ok::<_, std::convert::Infallible>(url)
    });
    url
}
