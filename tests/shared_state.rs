//! What calls share (the HTTP clients, the licence token cache and its single fetch) under the
//! two things panels do to it: fork (PHP's pcntl, Python workers) and callers with different
//! deadlines waiting on one another.

mod common;

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use common::loopback::{serve, Answer, Server};
use common::{call, expect_error, expect_ok, Env};
use serde_json::{json, Value};

/// How long the parent waits for a child before it calls it stuck. Far longer than the
/// child's own deadline, so only a child that hangs reaches it.
const CHILD_LIMIT: Duration = Duration::from_secs(60);

/// The tests of this file run one at a time: a fork while another test's thread holds a lock
/// would leave the child blocked on it, failing for a reason that is not the library's.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs `body` in a forked child of this (multi-threaded) process and tells whether it
/// returned true. The child never returns into the test harness, and a child still running
/// after `CHILD_LIMIT` is killed and counted as a failure.
fn in_child(body: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| Err("the child panicked".into()));
        let code = match outcome {
            Ok(()) => 0,
            Err(why) => {
                // Straight to the descriptor: a lock on stderr may have been held at the fork.
                let line = format!("child: {why}\n");
                unsafe { libc::write(2, line.as_ptr().cast(), line.len()) };
                1
            }
        };
        unsafe { libc::_exit(code) };
    }
    let started = Instant::now();
    loop {
        let mut status = 0;
        let done = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        if done == pid {
            return match libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0 {
                true => Ok(()),
                false => Err(format!("the child failed (wait status {status})")),
            };
        }
        if started.elapsed() > CHILD_LIMIT {
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::waitpid(pid, &mut status, 0);
            }
            return Err(format!("the child was still blocked after {CHILD_LIMIT:?}"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn ok_or_describe(envelope: &Value) -> Result<(), String> {
    match envelope["ok"].as_bool() {
        Some(true) => Ok(()),
        _ => Err(envelope.to_string()),
    }
}

#[test]
fn a_child_forked_after_a_call_makes_its_own_calls() {
    let _one_at_a_time = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let env = Env::new();
    let customer = env.first_customer();
    let mut request = env.lb(Some("customer"), json!({"customer_id": customer, "reason": "fork test"}));
    request["options"] = json!({"timeout_ms": 10_000});
    expect_ok(&call("suspend", &request));
    let accepted = || env.connections_accepted();
    let before = accepted();
    let unsuspend = request.clone();
    in_child(move || ok_or_describe(&call("unsuspend", &unsuspend))).unwrap();
    assert_eq!(env.customer_status(&customer), "active", "the child's unsuspend reached the provider");
    // The child neither used nor closed the parent's kept-alive connection: it opened its own,
    // and the parent goes on with the one it had.
    let after_child = accepted();
    assert_eq!(after_child, before + 1, "the child opened a connection of its own");
    expect_ok(&call("suspend", &request));
    assert_eq!(accepted(), after_child, "the parent's connection outlived the child");
}

/// A licence API whose first token request is held open until the test lets it go; every
/// later token request is answered at once.
struct HeldToken {
    server: Server,
    tokens_asked: Arc<AtomicUsize>,
    released: Arc<AtomicBool>,
}

impl HeldToken {
    fn start() -> HeldToken {
        let tokens_asked = Arc::new(AtomicUsize::new(0));
        let released = Arc::new(AtomicBool::new(false));
        let (asked, free) = (tokens_asked.clone(), released.clone());
        let server = serve(move |seen| {
            if seen.path().ends_with("/access/token") {
                let n = asked.fetch_add(1, Ordering::SeqCst);
                while n == 0 && !free.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(10));
                }
                return Answer::json(200, format!(r#"{{"access_token":"held-token-{n}-0123456789abcdef","expires_in":3600}}"#));
            }
            Answer::json(200, r#"{"keyNumber":"PLSK.04867003","status":"ACTIVE","title":"t"}"#)
        });
        HeldToken { server, tokens_asked, released }
    }

    fn request(&self, timeout_ms: u64) -> Value {
        json!({"provider": "websoftsolus", "product": "plesk",
            "account": {"login": "reseller@example.com", "secret": "held-secret", "base_url": format!("{}/websoftsolus", self.server.url)},
            "service": {"order_id": "PLSK.04867003"}, "options": {"timeout_ms": timeout_ms}})
    }

    /// Starts a call whose token fetch the server holds, and returns once the server has it.
    fn start_held_call(&self) -> mpsc::Receiver<Value> {
        let (done, result) = mpsc::channel();
        let request = self.request(30_000);
        std::thread::spawn(move || done.send(call("details", &request)).unwrap());
        while self.tokens_asked.load(Ordering::SeqCst) == 0 {
            std::thread::sleep(Duration::from_millis(5));
        }
        result
    }

    fn release(&self) {
        self.released.store(true, Ordering::SeqCst);
    }
}

#[test]
fn a_child_forked_while_a_token_is_fetched_fetches_its_own() {
    let _one_at_a_time = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let api = HeldToken::start();
    let held = api.start_held_call();
    let request = api.request(10_000);
    let child = in_child(move || ok_or_describe(&call("details", &request)));
    api.release();
    child.unwrap();
    expect_ok(&held.recv().unwrap());
    assert_eq!(api.tokens_asked.load(Ordering::SeqCst), 2, "the child fetched a token of its own; the parent's fetch was not repeated");
}

#[test]
fn a_caller_waiting_for_a_shared_token_fetch_keeps_its_own_deadline() {
    let _one_at_a_time = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let api = HeldToken::start();
    let held = api.start_held_call();
    // Same account, so it waits for the fetch in flight rather than starting its own; but
    // only as long as its own deadline allows.
    let envelope = call("details", &api.request(1000));
    expect_error(&envelope, "timeout");
    assert!(held.try_recv().is_err(), "the second caller answered only after the first: {envelope:#}");
    assert_eq!(api.tokens_asked.load(Ordering::SeqCst), 1, "the waiter did not fetch a token of its own");
    api.release();
    expect_ok(&held.recv().unwrap());
}
