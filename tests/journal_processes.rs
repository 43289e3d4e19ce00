//! Exactly once across processes: panel workers — separate processes running the C client on the
//! shared library, as PHP-FPM workers do — that receive the same create at the same instant
//! place one order, and every one of them answers that order.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use std::sync::OnceLock;

use common::native::compile_c;
use common::{call, expect_error, test_journal, Env};
use serde_json::{json, Value};

/// The C client that runs one operation on a request read from standard input.
fn worker() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| compile_c("hostprov_call.c", &[]))
}

/// Starts `n` worker processes, hands every one of them `request`, and only then closes their
/// standard input: each reads until that end, so all of them start the call together.
fn spawn_workers(n: usize, operation: &str, request: &Value, journal: &Path) -> Vec<Child> {
    let mut children: Vec<_> = (0..n)
        .map(|_| {
            Command::new(worker())
                .arg(operation)
                .env("HOSTPROV_JOURNAL", journal)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("the worker starts")
        })
        .collect();
    let text = request.to_string();
    let mut inputs: Vec<_> = children.iter_mut().map(|c| c.stdin.take().unwrap()).collect();
    for input in &mut inputs {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(inputs);
    children
}

/// Runs `n` workers together (see [`spawn_workers`]) and collects their envelopes.
fn at_once(n: usize, operation: &str, request: &Value, journal: &Path) -> Vec<Value> {
    spawn_workers(n, operation, request, journal)
        .into_iter()
        .map(|child| {
            let output = child.wait_with_output().unwrap();
            let stdout = String::from_utf8_lossy(&output.stdout);
            serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("not an envelope ({e}): {stdout} {}", String::from_utf8_lossy(&output.stderr)))
        })
        .collect()
}

/// Every request waits this long at the sandbox, as at a real provider: long enough for workers
/// started together to race between looking the order up and placing it.
fn provider_latency(env: &Env) {
    env.admin_put("faults", json!({"rate": 0, "latency_ms": 50}));
}

/// Every answer is the one order, placed by exactly one of them; the sandbox holds one order.
#[track_caller]
fn one_order_answered_by_all(env: &Env, answers: &[Value], natural_key: (&str, &str)) {
    let ids: Vec<&Value> = answers.iter().map(|a| &a["order_id"]).collect();
    for answer in answers {
        assert_eq!(answer["ok"], true, "{answer:#}");
        assert_eq!(&answer["order_id"], ids[0], "every worker answers the same order: {ids:?}");
    }
    let placed = answers.iter().filter(|a| a["data"]["reconciled"] == false).count();
    assert_eq!(placed, 1, "exactly one worker placed it: {answers:#?}");
    let orders: Vec<Value> = env.admin("orders").as_array().unwrap().iter().filter(|o| o[natural_key.0] == natural_key.1).cloned().collect();
    assert_eq!(orders.len(), 1, "{orders:#?}");
    assert_eq!(&orders[0]["order_id"], ids[0]);
}

/// A worker that waited on another's claim answers its result without a request of its own;
/// one that placed or re-checked the order always made one. So an empty `calls` proves the
/// workers overlapped rather than ran one after another.
fn answered_from_the_journal(answer: &Value) -> bool {
    answer["calls"].as_array().is_some_and(Vec::is_empty)
}

fn sitelock(env: &Env, domain: &str) -> Value {
    let mut request = env.lb(Some("sitelock"), json!({"domain": domain, "customer_id": env.first_customer(), "plan_id": env.lb_plan("sitelock", None)}));
    request["idempotency_key"] = json!(format!("service-{domain}"));
    request
}

#[test]
fn two_processes_with_the_same_create_place_one_order_in_each_of_ten_trials() {
    let env = Env::new();
    provider_latency(&env);
    let mut waited = 0;
    for trial in 0..10 {
        let domain = format!("twice-{trial}.example");
        let answers = at_once(2, "create", &sitelock(&env, &domain), test_journal());
        one_order_answered_by_all(&env, &answers, ("domain", &domain));
        waited += answers.iter().filter(|a| answered_from_the_journal(a)).count();
    }
    assert_eq!(env.received("sitelock/add.json").len(), 10, "one order sent per trial");
    assert!(waited > 0, "in some trial one worker waited on the other's claim: the workers overlapped");
}

#[test]
fn eight_processes_with_the_same_create_place_one_order() {
    let env = Env::new();
    provider_latency(&env);
    // No idempotency_key: the natural key (domain, customer, plan) guards it as well.
    let request = env.lb(Some("codeguard"), json!({"domain": "eight.example", "customer_id": env.first_customer(), "plan_id": env.lb_plan("codeguard", None), "months": 12}));
    let answers = at_once(8, "create", &request, test_journal());
    one_order_answered_by_all(&env, &answers, ("domain", "eight.example"));
    assert!(answers.iter().any(answered_from_the_journal), "some worker waited on another's claim: {answers:#?}");
    assert_eq!(env.received("codeguard/add.json").len(), 1);
}

#[test]
fn four_processes_creating_the_same_licence_place_one() {
    let env = Env::new();
    provider_latency(&env);
    let version = env.admin("fixtures")["websoftsolus"]["products"]["cpanel"][0].clone();
    let mut request = env.licences(Some("cpanel"), json!({"months": 12, "options": {"product": version, "server_ip": "192.0.2.44"}}));
    request["idempotency_key"] = json!("four-workers-licence");
    let answers = at_once(4, "create", &request, test_journal());
    one_order_answered_by_all(&env, &answers, ("title", "four-workers-licence"));
}

#[test]
fn lost_answers_settled_by_a_panel_retrying_in_new_workers_order_once() {
    let env = Env::new();
    // Every change's answer is lost and the wait for it spends the whole deadline, so no
    // worker can look the order up in the same call: the panel retries while `retryable`.
    env.admin_put("faults", json!({"rate": 1.0, "kinds": ["timeout_after_commit"], "methods": ["POST"], "seed": 3}));
    let mut request = sitelock(&env, "retried.example");
    request["options"] = json!({"timeout_ms": 700});
    let mut answers = at_once(2, "create", &request, test_journal());
    for attempt in 0..5 {
        let pending: Vec<usize> = (0..answers.len()).filter(|i| answers[*i]["ok"] == false).collect();
        if pending.is_empty() {
            break;
        }
        for i in pending {
            let error = expect_error(&answers[i], "outcome_unknown");
            assert_eq!(error["retryable"], true, "attempt {attempt}: {error}");
            answers[i] = at_once(1, "create", &request, test_journal()).remove(0);
        }
    }
    env.admin_put("faults", json!({"rate": 0}));
    for answer in &answers {
        assert_eq!(answer["ok"], true, "{answer:#}");
    }
    assert_eq!(answers[0]["order_id"], answers[1]["order_id"]);
    assert_eq!(env.received("sitelock/add.json").len(), 1, "sent once, however often it was asked");
}

#[test]
fn without_a_usable_journal_creates_and_renews_refuse_and_reads_still_run() {
    let env = Env::new();
    let created = call("create", &sitelock(&env, "journal-less.example"));
    let order_id = created["order_id"].as_str().unwrap().to_owned();
    let not_a_directory = std::env::current_exe().unwrap().join("journal.sqlite3");
    for journal in [not_a_directory.as_path(), Path::new("relative/journal.sqlite3")] {
        let answer = at_once(1, "create", &sitelock(&env, "refused.example"), journal).remove(0);
        let error = expect_error(&answer, "internal_error");
        let message = error["message"].as_str().unwrap();
        assert!(message.contains("HOSTPROV_JOURNAL") && message.contains("nothing was sent"), "{message}");
        let renew = env.lb(Some("sitelock"), json!({"order_id": order_id}));
        expect_error(&at_once(1, "renew", &renew, journal).remove(0), "internal_error");
        let details = at_once(1, "details", &env.lb(Some("sitelock"), json!({"order_id": order_id})), journal).remove(0);
        assert_eq!(details["ok"], true, "{details:#}");
    }
    assert_eq!(env.received("sitelock/add.json").len(), 1, "only the first create was sent");
    assert!(env.received("sitelock/renew.json").is_empty());
}

#[test]
fn a_worker_killed_while_it_holds_a_create_is_settled_by_the_panels_retries_without_a_second_order() {
    let env = Env::new();
    // The order is placed, then its answer never comes: the worker is killed while it waits,
    // holding the journal's claim, as a PHP-FPM worker killed by its request timeout would.
    env.admin_put("faults", json!({"rate": 1.0, "kinds": ["timeout_after_commit"], "methods": ["POST"], "seed": 9}));
    let mut request = sitelock(&env, "killed.example");
    request["options"] = json!({"timeout_ms": 2000});
    let mut worker = spawn_workers(1, "create", &request, test_journal()).remove(0);
    let placed_by = Instant::now() + Duration::from_secs(20);
    while env.received("sitelock/add.json").is_empty() {
        assert!(Instant::now() < placed_by, "the worker never sent its order");
        std::thread::sleep(Duration::from_millis(20));
    }
    worker.kill().unwrap();
    worker.wait().unwrap();
    env.admin_put("faults", json!({"rate": 0}));

    // The panel's queue repeats the same create while the answer is `retryable`; a dead
    // holder's claim is taken over once its deadline and margin have passed, and settled.
    let until = Instant::now() + Duration::from_secs(40);
    let last = loop {
        let answer = at_once(1, "create", &request, test_journal()).remove(0);
        if answer["ok"] == true || Instant::now() > until {
            break answer;
        }
        assert_eq!(expect_error(&answer, "outcome_unknown")["retryable"], true, "{answer:#}");
        std::thread::sleep(Duration::from_secs(1));
    };
    assert_eq!((&last["ok"], &last["data"]["reconciled"]), (&json!(true), &json!(true)), "{last:#}");
    assert_eq!(env.received("sitelock/add.json").len(), 1, "the order was sent once");
    let orders: Vec<Value> = env.admin("orders").as_array().unwrap().iter().filter(|o| o["domain"] == "killed.example").cloned().collect();
    assert_eq!(orders.len(), 1, "{orders:#?}");
    assert_eq!(orders[0]["order_id"], last["order_id"]);
}

#[test]
fn worker_processes_opening_a_new_journal_together_place_one_order() {
    // Threads of one process share SQLite's locks; processes take the real file locks while one
    // of them switches a new journal to WAL and writes its schema.
    let env = Env::new();
    provider_latency(&env);
    for round in 0..3 {
        let journal = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("first-open-processes-{}-{round}.sqlite3", std::process::id()));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", journal.display()));
        }
        let domain = format!("first-open-{round}.example");
        let answers = at_once(8, "create", &sitelock(&env, &domain), &journal);
        one_order_answered_by_all(&env, &answers, ("domain", &domain));
    }
}

#[test]
fn overlapping_renews_in_separate_processes_renew_once() {
    let env = Env::new();
    let created = call("create", &env.lb(Some("codeguard"), json!({"domain": "double-renew.example", "customer_id": env.first_customer(), "plan_id": env.lb_plan("codeguard", None), "months": 12})));
    let order_id = created["order_id"].as_str().unwrap().to_owned();
    let expiry_before = env.order(&order_id)["expires_at"].clone();
    // Long enough that the workers' calls overlap: a double click, or two queue workers.
    env.admin_put("faults", json!({"rate": 0, "latency_ms": 300}));
    let answers = at_once(4, "renew", &env.lb(Some("codeguard"), json!({"order_id": order_id, "months": 12})), test_journal());
    for answer in &answers {
        assert_eq!(answer["ok"], true, "{answer:#}");
    }
    assert_eq!(env.received("codeguard/renew.json").len(), 1, "renewed once by four overlapping workers");
    let expiry_after = env.order(&order_id)["expires_at"].clone();
    assert_ne!(expiry_after, expiry_before, "the one renewal was carried out");
}
