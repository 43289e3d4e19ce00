//! Deadlines hold against providers that never answer or answer a byte at a time, and bounded
//! retries hold against one that always fails. The servers here misbehave on purpose.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{call, expect_error, loopback};
use serde_json::{json, Value};

/// Serves each connection with `behave` on its own thread until the test process ends.
fn misbehaving_server(behave: fn(TcpStream, &AtomicUsize)) -> (String, Arc<AtomicUsize>) {
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    (loopback::serve_raw(move |stream| behave(stream, &counter)), requests)
}

fn read_request_head(stream: &mut TcpStream) {
    let mut buf = [0u8; 4096];
    let mut seen = Vec::new();
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
}

fn request(url: &str, timeout_ms: u64) -> Value {
    json!({
        "provider": "logicboxes",
        "product": "sitelock",
        "account": {"auth_userid": "100000", "api_key": "canary-deadline-key", "base_url": format!("{url}/logicboxes")},
        "service": {"order_id": "84311819", "domain": "slow.example", "customer_id": "99", "plan_id": "101"},
        "options": {"timeout_ms": timeout_ms},
    })
}

/// Runs `operation` and checks it answered within the deadline plus one second.
fn within_deadline(operation: &str, url: &str, timeout_ms: u64) -> Value {
    let started = Instant::now();
    let envelope = call(operation, &request(url, timeout_ms));
    let took = started.elapsed();
    assert!(took < Duration::from_millis(timeout_ms + 1000), "{operation} took {took:?} for a {timeout_ms} ms deadline");
    assert!(!envelope.to_string().contains("canary-deadline-key"));
    envelope
}

/// Accepts connections and holds them open without a word.
struct SilentServer {
    url: String,
    held: Arc<Mutex<Vec<TcpStream>>>,
}

impl SilentServer {
    fn start() -> SilentServer {
        let held = Arc::new(Mutex::new(Vec::new()));
        let keep = held.clone();
        let url = loopback::serve_raw(move |stream| {
            stream.set_nonblocking(true).unwrap();
            keep.lock().unwrap().push(stream);
        });
        SilentServer { url, held }
    }

    /// Connections the client has not closed: a request the deadline cut short must not leave
    /// its connection open, nor in a pool where a later request could read the late answer.
    fn still_open(&self) -> usize {
        let closed = |mut stream: &TcpStream| {
            let mut buf = [0u8; 4096];
            // The request the server never answered is read first; then the end, if it came.
            loop {
                match stream.read(&mut buf) {
                    Ok(0) => return true,
                    Ok(_) => continue,
                    Err(_) => return false,
                }
            }
        };
        self.held.lock().unwrap().iter().filter(|stream| !closed(stream)).count()
    }
}

#[test]
fn a_server_that_never_answers_costs_no_more_than_the_deadline() {
    let server = SilentServer::start();
    let url = server.url.clone();
    let read = within_deadline("details", &url, 800);
    expect_error(&read, "timeout");
    let change = within_deadline("suspend", &url, 800);
    let error = expect_error(&change, "outcome_unknown");
    assert!(error["message"].as_str().unwrap().contains("check the order"), "{error}");
    // A create first looks for an order an earlier attempt may have placed; when that read
    // times out nothing new was ordered, but whether one exists is unknown.
    let create = within_deadline("create", &url, 800);
    let error = expect_error(&create, "outcome_unknown");
    assert!(error["message"].as_str().unwrap().contains("same request and idempotency_key"), "{error}");
    assert!(create["calls"].as_array().unwrap().iter().all(|c| c["method"] == "GET"), "{create:#}");
    std::thread::sleep(Duration::from_millis(200));
    assert!(server.held.lock().unwrap().len() >= 3, "each call connected");
    assert_eq!(server.still_open(), 0, "calls cut off by their deadline left connections open");
}

#[test]
fn a_tls_handshake_that_never_completes_costs_no_more_than_the_deadline_and_sent_nothing() {
    let server = SilentServer::start();
    let url = server.url.replace("http://", "https://");
    // The request never left: a change is safe to send again, not of unknown outcome.
    let change = within_deadline("suspend", &url, 800);
    let error = expect_error(&change, "network_error");
    assert_eq!(error["retryable"], true, "{error}");
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(server.still_open(), 0, "a handshake cut off by the deadline left its connection open");
}

#[test]
fn a_server_that_answers_one_byte_a_second_is_cut_off_at_the_deadline() {
    let (url, _) = misbehaving_server(|mut stream, _| {
        read_request_head(&mut stream);
        let answer = b"HTTP/1.1 200 OK\r\nContent-Length: 64\r\nContent-Type: application/json\r\n\r\n{\"entityid\":\"84311819\",\"currentstatus\":\"Active\",\"x\":\"yyyyyyyy\"}";
        for byte in answer {
            if stream.write_all(&[*byte]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(1000));
        }
    });
    expect_error(&within_deadline("details", &url, 1500), "timeout");
    expect_error(&within_deadline("terminate", &url, 1500), "outcome_unknown");
}

#[test]
fn retries_against_an_always_503_endpoint_stop_at_three_attempts() {
    let (url, requests) = misbehaving_server(|mut stream, counter| {
        loop {
            read_request_head(&mut stream);
            counter.fetch_add(1, Ordering::SeqCst);
            let body = "<html>Service Unavailable</html>";
            let reply = format!("HTTP/1.1 503 Service Unavailable\r\nContent-Length: {}\r\n\r\n{body}", body.len());
            if stream.write_all(reply.as_bytes()).is_err() {
                return;
            }
        }
    });
    let read = call("details", &request(&url, 10_000));
    expect_error(&read, "provider_error");
    assert_eq!(read["calls"].as_array().unwrap().len(), 3, "a read is tried at most 3 times");
    assert_eq!(requests.swap(0, Ordering::SeqCst), 3);

    let change = call("suspend", &request(&url, 10_000));
    expect_error(&change, "outcome_unknown");
    let posts = change["calls"].as_array().unwrap().iter().filter(|c| c["method"] == "POST").count();
    assert_eq!(posts, 1, "a change that reached the server is never repeated: {change:#}");
    let reads = change["calls"].as_array().unwrap().len() - posts;
    assert!(reads <= 3, "the state check is a read, tried at most 3 times");
}

#[test]
fn a_refused_connection_is_retried_at_most_three_times_within_the_deadline() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let envelope = within_deadline("suspend", &format!("http://127.0.0.1:{port}"), 5000);
    let error = expect_error(&envelope, "network_error");
    assert_eq!(error["retryable"], true);
    let attempts = envelope["calls"].as_array().unwrap().len();
    assert_eq!(attempts, 3, "never sent, so safe to retry, at most 3 times: {envelope:#}");
}
