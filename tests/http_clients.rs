//! HTTP clients are kept per set of trusted roots, not per text: each client keeps connections
//! of its own, so a panel sending endless spellings of `ca_cert_pem` (or endless different
//! roots) must neither open a connection per spelling nor keep one per root.

mod common;

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{call, loopback, Env};
use serde_json::{json, Value};

/// This process's open (established) TCP connections to 127.0.0.1:`port`: the library's
/// kept-alive connections to a sandbox of this test, and this test's own admin client.
fn connections_to(port: u16) -> usize {
    let ours: std::collections::HashSet<String> = std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .flatten()
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .filter_map(|target| target.to_str()?.strip_prefix("socket:[")?.strip_suffix(']').map(str::to_owned))
        .collect();
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap();
    let loopback = format!("0100007F:{port:04X}");
    table
        .lines()
        .skip(1)
        .filter(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            fields[2] == loopback && fields[3] == "01" && ours.contains(fields[9])
        })
        .count()
}

fn new_ca_pem() -> String {
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.self_signed(&key).unwrap().pem()
}

fn test_connection(env: &Env, ca_cert_pem: &str) -> Value {
    let mut request = env.lb(None, json!({}));
    request["account"]["ca_cert_pem"] = json!(ca_cert_pem);
    call("test_connection", &request)
}

#[test]
fn clients_are_kept_per_root_set_and_only_a_few() {
    let env = Env::new();
    let port = env.sandbox.addr().port();
    let pem = new_ca_pem();
    let answered = |pem: &str| {
        let envelope = test_connection(&env, pem);
        assert_eq!(envelope["ok"], true, "{envelope}");
    };
    answered(&pem);
    let accepted = || env.connections_accepted();
    // This test's admin client keeps a connection to the sandbox too: counted from here on.
    let accepted_first = accepted();
    let connections_first = connections_to(port);
    assert!(connections_first >= 2, "the first call's connection is kept alive");

    // The same certificate, spelled 200 ways: trailing spaces, CRLF lines, text around it,
    // the certificate twice. One client serves them all, over one connection.
    for i in 0..200 {
        let spelled = match i % 4 {
            0 => format!("{pem}{}", " ".repeat(i)),
            1 => pem.replace('\n', "\r\n"),
            2 => format!("Our CA, issued {i}\n{pem}\n\n"),
            _ => format!("{pem}{pem}"),
        };
        answered(&spelled);
    }
    assert_eq!(accepted(), accepted_first, "a spelling of the same root opened a connection of its own");
    assert_eq!(connections_to(port), connections_first);

    // Twenty different roots: each has a client of its own, and only the most recently used
    // few are kept, with their connections.
    for _ in 0..20 {
        answered(&new_ca_pem());
    }
    assert_eq!(accepted(), accepted_first + 20);
    let kept = connections_to(port);
    assert!(kept <= connections_first + 8, "{kept} open connections after 21 roots");
}

/// Answers every request on a connection kept alive, and closes the connection once it has
/// been idle for `idle`, without a word, as providers and their load balancers do.
fn closing_when_idle(idle: Duration) -> (String, Arc<AtomicUsize>) {
    let connections = Arc::new(AtomicUsize::new(0));
    let count = connections.clone();
    let url = loopback::serve_raw(move |stream| {
        count.fetch_add(1, Ordering::SeqCst);
        stream.set_read_timeout(Some(idle)).unwrap();
        // A read that times out is the idle limit: the connection is dropped.
        while loopback::read_request(&stream).is_some() {
            let answer = r#"{"entityid":"84311819","actiontype":"Suspend","eaqid":"461000002","actionstatus":"Success","actionstatusdesc":"Suspension completed successfully","status":"Success"}"#;
            write!(&stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{answer}", answer.len()).unwrap();
        }
    });
    (url, connections)
}

#[test]
fn a_connection_the_provider_closed_while_idle_is_not_used_for_a_change() {
    let (url, connections) = closing_when_idle(Duration::from_millis(500));
    let suspend = json!({"provider": "logicboxes", "product": "sitelock",
        "account": {"auth_userid": "100000", "api_key": "idle-test-key", "base_url": format!("{url}/logicboxes")},
        "service": {"order_id": "84311819", "reason": "Overdue invoice"}});
    let suspended = |round: &str| {
        let envelope = call("suspend", &suspend);
        assert_eq!(envelope["ok"], true, "{round}: {envelope}");
        assert_eq!(envelope["calls"].as_array().unwrap().len(), 1, "{round}: sent once: {envelope}");
    };
    // Back to back, the kept-alive connection serves both.
    suspended("first");
    suspended("second, at once");
    assert_eq!(connections.load(Ordering::SeqCst), 1, "a connection kept alive is reused");
    for round in 0..2 {
        // Long enough for the provider to close the connection the call left in the pool.
        std::thread::sleep(Duration::from_millis(1000));
        suspended(&format!("after idle {round}"));
    }
    assert_eq!(connections.load(Ordering::SeqCst), 3, "each call after an idle close found it closed and opened another");
}

#[test]
fn a_provider_named_by_host_name_is_reached_over_one_kept_connection() {
    let env = Env::new();
    // `localhost` is looked up (where it also names ::1, that address refuses, since the
    // sandbox listens on 127.0.0.1 only; wire.rs tests that a refusing address gives way).
    let by_name = env.url().replace("127.0.0.1", "localhost");
    let mut request = env.lb(None, json!({}));
    request["account"]["base_url"] = json!(format!("{by_name}/logicboxes"));
    for _ in 0..3 {
        let envelope = call("test_connection", &request);
        assert_eq!(envelope["ok"], true, "{envelope}");
    }
    assert_eq!(env.connections_accepted(), 2, "one connection kept alive, and the admin's");
}
