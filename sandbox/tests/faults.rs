//! Injected faults over real sockets: what the client sees of each kind, whether the request was
//! carried out anyway, the seeded replay of a run, and the admin routes left alone.

mod raw_client;
mod support;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use hostprov_sandbox::Sandbox;
use raw_client::{query, Client, Seen, LB_AUTH};
use serde_json::{json, Value};

const CUSTOMER: &str = "1001";
/// Every fault kind the sandbox injects, by name.
fn all_kinds() -> Vec<&'static str> {
    hostprov_sandbox::FaultKind::ALL.iter().map(|kind| kind.name()).collect()
}

struct Env {
    sandbox: Sandbox,
    client: Client,
}

impl Env {
    fn new() -> Env {
        let sandbox = Sandbox::start("127.0.0.1:0").expect("the sandbox starts on loopback");
        let client = Client::plain(sandbox.addr());
        Env { sandbox, client }
    }

    /// Every provider request from now on meets `kind`.
    fn always(&self, kind: &str) {
        self.client.faults(json!({"rate": 1, "kinds": [kind], "seed": 1}));
    }

    fn suspend_customer(&self) -> Seen {
        self.client.logicboxes("POST", "customers/suspend.json", &[("customer-id", CUSTOMER), ("reason", "Overdue")])
    }

    fn add_sitelock(&self, domain: &str) -> Seen {
        let form = [("domain-name", domain), ("customer-id", CUSTOMER), ("plan-id", "101"), ("invoice-option", "NoInvoice")];
        self.client.logicboxes("POST", "sitelock/add.json", &form)
    }

    /// A read call, the reseller's balance.
    fn balance(&self) -> Seen {
        let params = [LB_AUTH[0], LB_AUTH[1], ("reseller-id", "100000")];
        self.client.send("GET", &format!("/logicboxes/api/billing/reseller-balance.json?{}", query(&params)), &[])
    }

    fn customer_status(&self) -> String {
        let customers = self.client.admin("customers");
        let customer = customers.as_array().unwrap().iter().find(|c| c["customer_id"] == CUSTOMER).cloned().expect("the customer is listed");
        customer["status"].as_str().unwrap().to_owned()
    }

    fn has_order(&self, domain: &str) -> bool {
        self.client.admin("orders").as_array().unwrap().iter().any(|o| o["domain"] == domain)
    }

    fn fault_counts(&self) -> Value {
        self.client.admin("stats")["faults"].clone()
    }

    /// The newest entry of the request log.
    fn last_logged(&self) -> Value {
        self.client.admin("requests").as_array().unwrap().last().cloned().expect("a request was logged")
    }

    /// Asserts that exactly one fault, of `kind`, was injected and logged against the last request.
    #[track_caller]
    fn assert_one_fault(&self, kind: &str) {
        let counts = self.fault_counts();
        for other in all_kinds() {
            assert_eq!(counts[other], u64::from(other == kind), "{kind}: {counts}");
        }
        assert_eq!(self.last_logged()["fault"], kind);
    }
}

#[track_caller]
fn assert_html(seen: Seen, status: u16, title: &str) {
    let answer = seen.answer();
    assert_eq!(answer.status, status, "{answer:?}");
    assert!(answer.content_type.starts_with("text/html"), "{answer:?}");
    assert!(answer.body.contains(title), "{answer:?}");
    assert!(serde_json::from_str::<Value>(&answer.body).is_err(), "not a provider's JSON error: {answer:?}");
}

#[test]
fn refuse_resets_the_connection_at_once_and_changes_nothing() {
    let env = Env::new();
    env.always("refuse");
    assert!(matches!(env.suspend_customer(), Seen::Reset));
    assert!(matches!(env.add_sitelock("refused.example"), Seen::Reset));
    assert_eq!(env.customer_status(), "active");
    assert!(!env.has_order("refused.example"));

    let logged = env.last_logged();
    assert_eq!(logged["fault"], "refuse");
    assert_eq!(logged["path"], "/logicboxes/api/sitelock/add.json");
    let params: Vec<&str> = logged["params"].as_array().unwrap().iter().map(|p| p[0].as_str().unwrap()).collect();
    assert_eq!(params, ["auth-userid", "api-key"], "only the head was read, not the form body");
    assert_eq!(env.fault_counts()["refuse"], 2);
    assert_eq!(env.client.admin("stats")["routes"], json!({}), "no route carried anything out");
}

#[test]
fn reset_before_commit_reads_the_request_and_changes_nothing() {
    let env = Env::new();
    env.always("reset_before_commit");
    assert!(matches!(env.suspend_customer(), Seen::Reset));
    env.assert_one_fault("reset_before_commit");
    assert_eq!(env.customer_status(), "active");
    assert_eq!(env.last_logged()["params"].as_array().unwrap().len(), 4, "the form body was read");

    assert!(matches!(env.add_sitelock("before.example"), Seen::Reset));
    assert!(!env.has_order("before.example"));
}

#[test]
fn reset_after_commit_carries_the_request_out_then_resets() {
    let env = Env::new();
    env.always("reset_after_commit");
    assert!(matches!(env.suspend_customer(), Seen::Reset));
    env.assert_one_fault("reset_after_commit");
    assert_eq!(env.customer_status(), "suspended");

    assert!(matches!(env.add_sitelock("after.example"), Seen::Reset));
    assert!(env.has_order("after.example"), "the order was placed though its answer was lost");
    assert_eq!(env.client.admin("stats")["routes"]["logicboxes sitelock/add.json"], 1);
}

#[test]
fn timeout_after_commit_carries_the_request_out_and_holds_the_connection() {
    let env = Env::new();
    env.always("timeout_after_commit");
    let waiting = Client::plain(env.sandbox.addr()).waiting(Duration::from_millis(1500));
    let form = [("domain-name", "held.example"), ("customer-id", CUSTOMER), ("plan-id", "101"), ("invoice-option", "NoInvoice")];
    let addr = env.sandbox.addr();
    let held = std::thread::spawn(move || {
        let started = Instant::now();
        let seen = Client::plain(addr).waiting(Duration::from_millis(1500)).logicboxes("POST", "sitelock/add.json", &form);
        (seen, started.elapsed())
    });
    std::thread::sleep(Duration::from_millis(300));
    // Meanwhile other connections and the admin routes are answered at once.
    let started = Instant::now();
    assert!(env.has_order("held.example"), "the order was placed before the connection was held");
    assert!(started.elapsed() < Duration::from_secs(1));

    let (seen, waited) = held.join().unwrap();
    assert!(matches!(seen, Seen::Held), "{seen:?}");
    assert!(waited >= Duration::from_millis(1500), "{waited:?}");
    assert!(matches!(waiting.logicboxes("POST", "customers/suspend.json", &[("customer-id", CUSTOMER), ("reason", "Overdue")]), Seen::Held));
    assert_eq!(env.customer_status(), "suspended");
    assert_eq!(env.fault_counts()["timeout_after_commit"], 2);
}

#[test]
fn server_error_pages_answer_html_and_change_nothing() {
    for (kind, status, title) in [("http_500", 500, "500 Internal Server Error"), ("http_503", 503, "503 Service Unavailable"), ("html_502", 502, "502 Bad Gateway")] {
        let env = Env::new();
        env.always(kind);
        assert_html(env.suspend_customer(), status, title);
        env.assert_one_fault(kind);
        assert_eq!(env.customer_status(), "active", "{kind}");
        assert_html(env.add_sitelock("page.example"), status, title);
        assert!(!env.has_order("page.example"), "{kind}");
    }
}

#[test]
fn every_provider_mount_is_faulted() {
    let env = Env::new();
    env.always("http_503");
    for target in ["/logicboxes/servlet/ManageServlet", "/racknap/api/v2/service/create", "/websoftsolus/access/token", "/websoftsolus/test/access/token"] {
        assert_html(env.client.send("POST", target, &[("a", "b")]), 503, "503 Service Unavailable");
    }
    assert_eq!(env.fault_counts()["http_503"], 4);
    let answer = env.client.send("GET", "/elsewhere", &[]).answer();
    assert_eq!(answer.status, 404, "paths outside the mounts are not faulted: {answer:?}");
}

#[test]
fn malformed_200_carries_the_request_out_and_garbles_the_answer() {
    let env = Env::new();
    env.always("malformed_200");
    for seen in [env.suspend_customer(), env.add_sitelock("garbled.example")] {
        let answer = seen.answer();
        assert_eq!((answer.status, answer.content_type.as_str()), (200, "application/json"), "{answer:?}");
        assert!(serde_json::from_str::<Value>(&answer.body).is_err(), "{answer:?}");
    }
    assert_eq!(env.customer_status(), "suspended");
    assert!(env.has_order("garbled.example"));
    assert_eq!(env.fault_counts()["malformed_200"], 2);
    assert_eq!(env.last_logged()["fault"], "malformed_200");
}

#[test]
fn gateway_json_answers_come_after_the_request_was_carried_out() {
    for (kind, status, body) in [("json_502", 502, json!({"error": "Bad Gateway"})), ("json_504", 504, json!({"message": "Endpoint request timed out"}))] {
        let env = Env::new();
        env.always(kind);
        for seen in [env.suspend_customer(), env.add_sitelock("gateway.example")] {
            let answer = seen.answer();
            assert_eq!((answer.status, answer.content_type.as_str()), (status, "application/json"), "{answer:?}");
            assert_eq!(answer.json(), body);
        }
        assert_eq!(env.customer_status(), "suspended", "{kind}");
        assert!(env.has_order("gateway.example"), "{kind}");
        assert_eq!(env.fault_counts()[kind], 2);
    }
}

#[test]
fn the_same_seed_replays_the_same_faults() {
    let env = Env::new();
    let kinds = ["refuse", "reset_before_commit", "reset_after_commit", "http_500", "http_503", "malformed_200", "html_502"];
    let run = |seed: u64| {
        env.client.admin_post("reset", &json!({}));
        env.client.faults(json!({"rate": 0.5, "kinds": kinds, "seed": seed}));
        let seen: Vec<String> = (0..40).map(|_| env.balance().label()).collect();
        let logged: Vec<Value> = env.client.admin("requests").as_array().unwrap().iter().map(|r| r["fault"].clone()).collect();
        (seen, logged)
    };
    let (seen, logged) = run(7);
    assert_eq!(run(7), (seen.clone(), logged.clone()), "a seed replays the run");
    assert_ne!(run(8).1, logged, "another seed, another run");

    for (seen, fault) in seen.iter().zip(&logged) {
        let expected = match fault.as_str() {
            None | Some("malformed_200") => "200 application/json",
            Some("refuse" | "reset_before_commit" | "reset_after_commit") => "reset",
            Some("http_500") => "500 text/html",
            Some("http_503") => "503 text/html",
            Some("html_502") => "502 text/html",
            Some(other) => panic!("{other} was not asked for"),
        };
        assert!(seen.starts_with(expected), "{fault} was seen as {seen}");
    }
    let faulted = logged.iter().filter(|f| !f.is_null()).count();
    assert!((8..=32).contains(&faulted), "about half of 40: {faulted}");
    let distinct: std::collections::BTreeSet<String> = logged.iter().filter_map(|f| f.as_str().map(str::to_owned)).collect();
    assert!(distinct.len() >= 3, "{distinct:?}");
    assert!(seen.iter().any(|s| s == "200 application/json"));
}

#[test]
fn rate_zero_means_no_faults() {
    let env = Env::new();
    let view = env.client.faults(json!({"rate": 0, "seed": 3}));
    assert_eq!(view, json!({"rate": 0.0, "kinds": all_kinds(), "latency_ms": 0, "seed": 3, "methods": null}));
    for _ in 0..30 {
        let answer = env.balance().answer();
        assert_eq!(answer.status, 200, "{answer:?}");
    }
    assert_eq!(env.fault_counts(), json!(all_kinds().iter().map(|k| (k.to_string(), json!(0))).collect::<serde_json::Map<_, _>>()));
    assert!(env.client.admin("requests").as_array().unwrap().iter().all(|r| r["fault"].is_null()));
}

#[test]
fn admin_routes_are_never_faulted_nor_delayed() {
    let env = Env::new();
    env.client.faults(json!({"rate": 1, "latency_ms": 1500, "seed": 5}));
    let started = Instant::now();
    for path in ["orders", "customers", "fixtures", "stats", "requests", "faults", "config"] {
        env.client.admin(path);
    }
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    assert_eq!(env.fault_counts(), json!(all_kinds().iter().map(|k| (k.to_string(), json!(0))).collect::<serde_json::Map<_, _>>()));
    assert!(env.client.admin("requests").as_array().unwrap().is_empty(), "admin calls are not logged");
}

#[test]
fn latency_delays_provider_answers() {
    let env = Env::new();
    env.client.faults(json!({"latency_ms": 400}));
    let started = Instant::now();
    let answer = env.balance().answer();
    assert_eq!(answer.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(400), "{:?}", started.elapsed());
}

#[test]
fn a_reset_turns_faults_off() {
    let env = Env::new();
    env.always("http_503");
    assert_html(env.suspend_customer(), 503, "503 Service Unavailable");
    env.client.admin_post("reset", &json!({}));
    let view = env.client.admin("faults");
    assert_eq!(view["rate"], 0.0);
    assert_eq!(env.suspend_customer().answer().body, "true");
    assert_eq!(env.fault_counts()["http_503"], 0, "statistics start again");
}

#[test]
fn fault_settings_are_checked_whole_and_a_put_replaces_them() {
    let env = Env::new();
    let set = env.client.faults(json!({"rate": 0.25, "kinds": ["http_500", "refuse", "http_500"], "latency_ms": 10, "seed": 9}));
    assert_eq!(set, json!({"rate": 0.25, "kinds": ["http_500", "refuse"], "latency_ms": 10, "seed": 9, "methods": null}));
    assert_eq!(env.client.admin("faults"), set);
    for bad in [
        json!({"rate": 2}),
        json!({"rate": "0.5"}),
        json!({"kinds": ["teapot"]}),
        json!({"kinds": []}),
        json!({"latency_ms": -1}),
        json!({"seed": "x"}),
        json!({"rate": 0.5, "colour": "red"}),
        json!("rate"),
    ] {
        let answer = env.client.admin_put("faults", &bad);
        assert_eq!(answer.status, 400, "{bad}: {answer:?}");
        assert!(answer.json()["error"].is_string(), "{answer:?}");
        assert_eq!(env.client.admin("faults"), set, "{bad} changed nothing");
    }
    let replaced = env.client.faults(json!({"latency_ms": 5}));
    assert_eq!((replaced["rate"].as_f64(), replaced["kinds"].as_array().map(Vec::len)), (Some(0.0), Some(all_kinds().len())));
    let seed = replaced["seed"].as_u64().expect("a seed is drawn and shown");
    assert!(seed < 1 << 53, "{seed}");
}

#[test]
fn faults_fall_on_requests_not_connections() {
    let env = Env::new();
    let mut kept = TcpStream::connect(env.sandbox.addr()).unwrap();
    kept.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let params = [LB_AUTH[0], LB_AUTH[1], ("reseller-id", "100000")];
    let request = format!("GET /logicboxes/api/billing/reseller-balance.json?{} HTTP/1.1\r\nHost: sandbox\r\n\r\n", query(&params));

    kept.write_all(request.as_bytes()).unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        kept.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let length: usize = head.lines().find_map(|l| l.strip_prefix("content-length: ")).expect("a length").parse().unwrap();
    kept.read_exact(&mut vec![0; length]).unwrap();

    // The next request on the same kept-alive connection meets the fault set meanwhile.
    env.always("reset_before_commit");
    kept.write_all(request.as_bytes()).unwrap();
    let mut rest = Vec::new();
    let error = kept.read_to_end(&mut rest).expect_err("the connection is reset");
    assert_eq!(error.kind(), ErrorKind::ConnectionReset, "{error}");
    assert!(rest.is_empty());
    assert_eq!(env.fault_counts()["reset_before_commit"], 1);
}

#[test]
fn the_configured_latency_delays_provider_requests_without_faulting_them() {
    let env = Env::new();
    let set = env.client.admin_put("config", &json!({"latency_ms": 300}));
    assert_eq!(set.json()["latency_ms"], 300);
    assert_eq!(env.client.admin("faults")["latency_ms"], 0, "faults keep their own latency");
    let started = Instant::now();
    assert_eq!(env.balance().answer().status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300), "{:?}", started.elapsed());
    assert_eq!(env.fault_counts(), json!(all_kinds().iter().map(|k| (k.to_string(), json!(0))).collect::<serde_json::Map<_, _>>()));
}
