//! Money safety under injected faults: no create is ever placed twice, no create is answered
//! with a failure that might hide an order, and retries stay bounded.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use common::{call, expect_error, expect_ok, Env};
use serde_json::{json, Value};

/// Every fault kind the sandbox injects, by name.
fn kinds() -> Vec<&'static str> {
    hostprov_sandbox::FaultKind::ALL.iter().map(|kind| kind.name()).collect()
}
const PRODUCTS: [&str; 5] = ["sitelock", "codeguard", "plesk", "cpanel", "virtuozzo"];

/// The create request for service number `i`; its natural key is its domain or idempotency key.
fn create_request(env: &Env, fixtures: &Value, i: usize) -> (String, Value) {
    let product = PRODUCTS[i % PRODUCTS.len()];
    let mut request = match product {
        "sitelock" | "codeguard" => env.lb(Some(product), json!({
            "domain": format!("svc{i}.example"),
            "customer_id": fixtures["logicboxes"]["customers"][0]["customer_id"],
            "plan_id": fixtures["logicboxes"]["plans"][product][0],
            "months": 12,
        })),
        licence => {
            let version = fixtures["websoftsolus"]["products"][licence][0].clone();
            let options = match licence {
                "cpanel" => json!({"product": version, "server_ip": "192.0.2.10"}),
                _ => json!({"product": version, "os": "LINUX"}),
            };
            env.licences(Some(licence), json!({"months": 12, "options": options}))
        }
    };
    request["idempotency_key"] = json!(format!("svc-{i}"));
    request["options"] = json!({"timeout_ms": 2500});
    let key = match product {
        "sitelock" | "codeguard" => format!("svc{i}.example"),
        _ => format!("svc-{i}"),
    };
    (key, request)
}

/// Orders per natural key (domain for LogicBoxes, title for licences), from the sandbox.
fn orders_by_key(env: &Env) -> BTreeMap<String, Vec<Value>> {
    let mut by_key: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for order in env.admin("orders").as_array().unwrap() {
        let key = match order["provider"].as_str() {
            Some("logicboxes") => order["domain"].as_str(),
            Some("websoftsolus") => order["title"].as_str(),
            _ => None,
        };
        if let Some(key) = key.filter(|k| k.starts_with("svc")) {
            by_key.entry(key.to_owned()).or_default().push(order.clone());
        }
    }
    by_key
}

#[test]
fn a_thousand_creates_under_twenty_percent_faults_order_each_service_exactly_once() {
    let env = Arc::new(Env::new());
    let fixtures = Arc::new(env.admin("fixtures"));
    env.admin_put("faults", json!({"rate": 0.2, "kinds": kinds(), "latency_ms": 0, "seed": 20261122}));

    let threads: Vec<_> = (0..8)
        .map(|t| {
            let (env, fixtures) = (env.clone(), fixtures.clone());
            std::thread::spawn(move || {
                let mut answers = Vec::new();
                for i in (t..1000).step_by(8) {
                    let (key, request) = create_request(&env, &fixtures, i);
                    answers.push((i, key, call("create", &request)));
                }
                answers
            })
        })
        .collect();
    let answers: Vec<(usize, String, Value)> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    let stats = env.admin("stats");
    env.admin_put("faults", json!({"rate": 0}));

    let mut unknown = Vec::new();
    for (i, key, envelope) in &answers {
        if envelope["ok"] == true {
            assert!(envelope["order_id"].is_string(), "{envelope:#}");
        } else {
            assert_eq!(envelope["error"]["code"], "outcome_unknown", "create {i} ({key}) failed plainly: {envelope:#}");
            unknown.push(*i);
        }
    }
    for kind in kinds() {
        assert!(stats["faults"][kind].as_u64().unwrap_or(0) > 0, "{kind} was injected: {stats:#}");
    }

    let placed = orders_by_key(&env);
    for (key, orders) in &placed {
        assert_eq!(orders.len(), 1, "{key} was ordered {} times: {orders:#?}", orders.len());
    }
    for (i, key, envelope) in &answers {
        if envelope["ok"] == true {
            let order = &placed.get(key).unwrap_or_else(|| panic!("create {i} answered ok but {key} has no order"))[0];
            assert_eq!(order["order_id"], envelope["order_id"], "create {i}");
        }
    }

    // Calling create again for each outcome_unknown yields exactly that one order.
    for i in &unknown {
        let (key, request) = create_request(&env, &fixtures, *i);
        let again = call("create", &request);
        assert_eq!(again["ok"], true, "{again:#}");
        let orders = orders_by_key(&env);
        assert_eq!(orders[&key].len(), 1, "{key}");
        assert_eq!(orders[&key][0]["order_id"], again["order_id"]);
    }
    assert_eq!(orders_by_key(&env).len(), 1000, "every service exists, once");
    println!("1000 creates: {} answered outcome_unknown; faults injected: {}", unknown.len(), stats["faults"]);
}

#[test]
fn an_endpoint_that_always_answers_503_gets_at_most_three_attempts_per_call() {
    let env = Env::new();
    env.admin_put("faults", json!({"rate": 1.0, "kinds": ["http_503"]}));
    let details = call("details", &env.lb(Some("sitelock"), json!({"order_id": "84311819"})));
    expect_error(&details, "provider_error");
    assert_eq!(details["calls"].as_array().unwrap().len(), 3, "{details:#}");
    let plans = call("plans", &env.licences(Some("plesk"), json!({})));
    assert!(plans["calls"].as_array().unwrap().len() <= 3, "{plans:#}");
    let create = call("create", &env.lb(Some("sitelock"), json!({"domain": "x.example", "customer_id": "99", "plan_id": "101"})));
    expect_error(&create, "outcome_unknown");
    assert!(create["calls"].as_array().unwrap().len() <= 3, "{create:#}");
    assert!(env.received("/add.json").is_empty(), "nothing was ordered while the lookup failed");
}

/// Loses the answer to every change (POST, DELETE) from now on; reads go through.
fn lose_change_answers(env: &Env, kind: &str) {
    env.admin_put("faults", json!({"rate": 1.0, "kinds": [kind], "methods": ["POST", "DELETE"], "seed": 1}));
}

/// A new CodeGuard order's id.
fn codeguard_order(env: &Env, domain: &str) -> String {
    let created = call("create", &env.lb(Some("codeguard"), json!({"domain": domain, "customer_id": "99", "plan_id": "201", "months": 12})));
    expect_ok(&created);
    created["order_id"].as_str().unwrap().to_owned()
}

#[test]
fn a_lost_suspend_unsuspend_terminate_or_renew_is_settled_by_the_order_state() {
    let env = Env::new();
    let order_id = codeguard_order(&env, "lost.example");
    let request = |extra: Value| {
        let mut service = json!({"order_id": order_id, "months": 12});
        for (k, v) in extra.as_object().unwrap() {
            service[k] = v.clone();
        }
        env.lb(Some("codeguard"), service)
    };

    for kind in ["reset_after_commit", "malformed_200"] {
        lose_change_answers(&env, kind);
        for (operation, status) in [("suspend", "suspended"), ("unsuspend", "active")] {
            let envelope = call(operation, &request(json!({})));
            assert_eq!(envelope["ok"], true, "{kind} {operation}: {envelope:#}");
            assert_eq!(envelope["data"]["reconciled"], true);
            assert_eq!(env.order(&order_id)["status"], status);
        }
        let renews_before = env.received("codeguard/renew.json").len();
        let renewed = call("renew", &request(json!({})));
        assert_eq!(renewed["ok"], true, "{kind} renew: {renewed:#}");
        assert_eq!(renewed["data"]["reconciled"], true);
        assert_eq!(env.received("codeguard/renew.json").len(), renews_before + 1, "renew is never sent twice");
    }

    // A change the provider never carried out is not reported as done.
    lose_change_answers(&env, "reset_before_commit");
    let envelope = call("suspend", &request(json!({})));
    let error = expect_error(&envelope, "outcome_unknown");
    assert!(error["message"].as_str().unwrap().contains("check"), "{error}");
    assert_eq!(env.order(&order_id)["status"], "active");
    let renews_before = env.received("codeguard/renew.json").len();
    expect_error(&call("renew", &request(json!({}))), "outcome_unknown");
    assert_eq!(env.received("codeguard/renew.json").len(), renews_before + 1, "renew is never sent twice");

    lose_change_answers(&env, "reset_after_commit");
    let terminated = call("terminate", &request(json!({})));
    assert_eq!(terminated["ok"], true, "{terminated:#}");
    assert_eq!(terminated["status"], "terminated");
    assert_eq!(env.order(&order_id)["status"], "terminated");
}

#[test]
fn a_repeated_suspension_or_termination_answers_the_state_it_finds() {
    let env = Env::new();
    let order_id = codeguard_order(&env, "repeat.example");
    let request = env.lb(Some("codeguard"), json!({"order_id": order_id}));

    // The suspension's answer is lost, and so is the read that would have settled it.
    env.admin_put("faults", json!({"rate": 1.0, "kinds": ["reset_after_commit"], "methods": ["POST", "GET"], "seed": 3}));
    let mut answer = call("suspend", &request);
    assert_eq!((answer["ok"].as_bool(), answer["error"]["retryable"].as_bool()), (Some(false), Some(true)), "{answer:#}");
    assert_eq!(env.order(&order_id)["status"], "suspended");
    env.admin_put("faults", json!({"rate": 0}));

    // The panel repeats it, as `retryable` allows, until it is answered: the API refuses to
    // suspend a suspended order, and the order's state, read after the refusal, is the answer.
    let sent_before = env.received("/orders/suspend.json").len();
    let mut repeats = 0;
    while answer["ok"] != true && answer["error"]["retryable"] == true && repeats < 5 {
        answer = call("suspend", &request);
        repeats += 1;
    }
    assert_eq!((answer["status"].as_str(), answer["data"]["reconciled"].as_bool()), (Some("suspended"), Some(true)), "{answer:#}");
    assert_eq!((repeats, env.received("/orders/suspend.json").len()), (1, sent_before + 1), "one repeat, sent once");

    // The same for a second click on each state change: every call is sent; only the repeats
    // are answered by the state.
    for (operation, path, status, repeat) in [
        ("unsuspend", "/orders/unsuspend.json", "active", false),
        ("unsuspend", "/orders/unsuspend.json", "active", true),
        ("terminate", "/codeguard/delete.json", "terminated", false),
        ("terminate", "/codeguard/delete.json", "terminated", true),
    ] {
        let sent_before = env.received(path).len();
        let answer = call(operation, &request);
        assert_eq!(answer["ok"], true, "{operation}: {answer:#}");
        assert_eq!(answer["status"], status, "{operation}: {answer:#}");
        assert_eq!(answer["data"]["reconciled"].as_bool().unwrap_or(false), repeat, "{operation}: {answer:#}");
        assert_eq!(env.order(&order_id)["status"], status);
        assert_eq!(env.received(path).len(), sent_before + 1, "{operation} was sent");
    }

    // A refusal the state does not answer stays a refusal: a deleted order cannot be suspended.
    let refused = call("suspend", &request);
    assert_eq!(refused["ok"], false, "{refused:#}");
    assert_eq!(env.order(&order_id)["status"], "terminated");
}

#[test]
fn a_lost_licence_termination_is_settled_and_racknap_says_what_to_check() {
    let env = Env::new();
    let mut order = env.licences(Some("virtuozzo"), json!({"months": 1, "options": {"product": "VZ_CONTAINERS_10", "os": "LINUX"}}));
    order["idempotency_key"] = json!("lost-licence");
    let key = call("create", &order)["order_id"].as_str().unwrap().to_owned();
    lose_change_answers(&env, "reset_after_commit");
    let terminated = call("terminate", &env.licences(Some("virtuozzo"), json!({"order_id": key})));
    assert_eq!(terminated["ok"], true, "{terminated:#}");
    assert_eq!(terminated["data"]["reconciled"], true);

    let racknap = env.racknap(Some("service"), json!({"customer_id": "652", "plan_id": "172", "options": {"amount": 1, "billing_cycle": "Monthly"}}));
    let envelope = call("create", &racknap);
    let error = expect_error(&envelope, "outcome_unknown");
    assert!(error["message"].as_str().unwrap().contains("check"), "{error}");
    assert_eq!(env.admin("orders").as_array().unwrap().iter().filter(|o| o["provider"] == "racknap").count(), 1, "it was created once");
}
