//! Exactly once within a process and across repeats: threads racing on one create, panels that
//! repeat a call while its answer says `retryable`, RackNap's create that has no lookup, a renew
//! whose answer and check were both lost, and licence lookups that cannot see every licence.

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Barrier};

use common::{call, expect_error, test_journal, Env};
use serde_json::{json, Value};

/// A panel's module queue: calls again while the answer says `retryable`, at most `max` times
/// in all. Returns every answer.
fn retry_while_retryable(operation: &str, request: &Value, max: usize) -> Vec<Value> {
    let mut answers = vec![call(operation, request)];
    while answers.len() < max && answers.last().unwrap()["error"]["retryable"] == true {
        answers.push(call(operation, request));
    }
    answers
}

fn orders_where(env: &Env, field: &str, value: &str) -> Vec<Value> {
    env.admin("orders").as_array().unwrap().iter().filter(|o| o[field] == value).cloned().collect()
}

fn racknap_services(env: &Env) -> usize {
    env.admin("orders").as_array().unwrap().iter().filter(|o| o["provider"] == "racknap").count()
}

fn racknap_create(env: &Env, key: &str) -> Value {
    let fixtures = env.admin("fixtures")["racknap"].clone();
    let mut request = env.racknap(Some("service"), json!({
        "customer_id": fixtures["customers"][0], "plan_id": fixtures["plans"][0],
        "options": {"amount": 12.5, "billing_cycle": "Monthly"},
    }));
    request["idempotency_key"] = json!(key);
    request
}

fn lose_change_answers(env: &Env, kind: &str) {
    env.admin_put("faults", json!({"rate": 1.0, "kinds": [kind], "methods": ["POST", "DELETE"], "seed": 7}));
}

#[test]
fn sixteen_threads_with_the_same_create_place_one_order() {
    let env = Arc::new(Env::new());
    let request = Arc::new(env.lb(Some("sitelock"), json!({"domain": "threads.example", "customer_id": env.first_customer(), "plan_id": env.lb_plan("sitelock", None)})));
    // Provider latency leaves room for the threads to race between lookup and placing.
    env.admin_put("faults", json!({"rate": 0, "latency_ms": 50}));
    let barrier = Arc::new(Barrier::new(16));
    let threads: Vec<_> = (0..16)
        .map(|_| {
            let (request, barrier) = (request.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                call("create", &request)
            })
        })
        .collect();
    let answers: Vec<Value> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    for answer in &answers {
        assert_eq!(answer["ok"], true, "{answer:#}");
        assert_eq!(answer["order_id"], answers[0]["order_id"]);
    }
    assert_eq!(answers.iter().filter(|a| a["data"]["reconciled"] == false).count(), 1);
    assert_eq!(orders_where(&env, "domain", "threads.example").len(), 1);
}

#[test]
fn a_lost_renew_repeated_while_retryable_adds_exactly_one_term() {
    let env = Env::new();
    let created = call("create", &env.lb(Some("codeguard"), json!({"domain": "renewal.example", "customer_id": env.first_customer(), "plan_id": env.lb_plan("codeguard", None), "months": 12})));
    let order_id = created["order_id"].as_str().unwrap().to_owned();
    let expiry = || call("details", &env.lb(Some("codeguard"), json!({"order_id": order_id})))["data"]["expires_at"].as_str().unwrap().to_owned();
    let before = expiry();

    // The renewal is carried out but its answer never comes, and waiting for it spends the
    // whole deadline, so the check that follows cannot be made either.
    env.admin_put("faults", json!({"rate": 1.0, "kinds": ["timeout_after_commit"], "methods": ["POST"], "seed": 5}));
    let mut renew = env.lb(Some("codeguard"), json!({"order_id": order_id, "months": 12}));
    renew["options"] = json!({"timeout_ms": 800});
    let answers = retry_while_retryable("renew", &renew, 5);
    env.admin_put("faults", json!({"rate": 0}));

    let first = expect_error(&answers[0], "outcome_unknown");
    assert_eq!(first["retryable"], true, "{first}");
    let last = answers.last().unwrap();
    assert_eq!(last["ok"], true, "{answers:#?}");
    assert_eq!(last["data"]["reconciled"], true);
    assert_eq!(env.received("codeguard/renew.json").len(), 1, "renewed once in {} calls", answers.len());
    let (before, after) = (time(&before), time(&expiry()));
    assert_eq!((after - before).whole_days(), 12 * 30, "exactly one term: {before} → {after}");

    // A later renewal is a new one.
    let again = call("renew", &env.lb(Some("codeguard"), json!({"order_id": order_id, "months": 12})));
    assert_eq!((again["ok"].clone(), again["data"]["reconciled"].clone()), (json!(true), Value::Null), "{again:#}");
    assert_eq!(env.received("codeguard/renew.json").len(), 2);
}

fn time(text: &str) -> time::OffsetDateTime {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).unwrap()
}

#[test]
fn a_lost_racknap_create_repeated_three_times_places_one_service_and_is_never_retryable() {
    let env = Env::new();
    let request = racknap_create(&env, "racknap-lost-1");
    lose_change_answers(&env, "reset_after_commit");
    for attempt in 0..4 {
        let answer = call("create", &request);
        let error = expect_error(&answer, "outcome_unknown");
        assert_eq!(error["retryable"], false, "attempt {attempt}: {error}");
        let message = error["message"].as_str().unwrap();
        assert!(message.contains("check the customer's services in RackNap") && message.contains("options.confirm_absent"), "{message}");
    }
    assert_eq!(racknap_services(&env), 1, "one service, however often the create was repeated");
    assert_eq!(env.received("service/create").len(), 1, "sent once");

    // A create that certainly never reached RackNap is sent again only once the panel says so.
    lose_change_answers(&env, "reset_before_commit");
    let request = racknap_create(&env, "racknap-lost-2");
    expect_error(&call("create", &request), "outcome_unknown");
    env.admin_put("faults", json!({"rate": 0}));
    expect_error(&call("create", &request), "outcome_unknown");
    assert_eq!(racknap_services(&env), 1);
    let mut confirmed = request.clone();
    confirmed["options"] = json!({"confirm_absent": true});
    let created = call("create", &confirmed);
    assert_eq!(created["ok"], true, "{created:#}");
    assert_eq!(racknap_services(&env), 2);
    let repeated = call("create", &request);
    assert_eq!((&repeated["order_id"], &repeated["data"]["reconciled"]), (&created["order_id"], &json!(true)), "{repeated:#}");
    assert_eq!(racknap_services(&env), 2);

    // The option means something only where there is nothing to look up.
    let mut elsewhere = env.lb(Some("sitelock"), json!({"domain": "confirm.example", "customer_id": "1", "plan_id": "1"}));
    elsewhere["options"] = json!({"confirm_absent": true});
    let error = expect_error(&call("create", &elsewhere), "invalid_request");
    assert!(error["message"].as_str().unwrap().contains("options.confirm_absent"), "{error}");
    let catalog: Value = serde_json::from_str(&hostprov::catalog()).unwrap();
    let racknap = catalog["data"]["providers"].as_array().unwrap().iter().find(|p| p["provider"] == "racknap").unwrap().clone();
    assert_eq!(racknap["products"][0]["operations"][0]["call_options"], json!(["confirm_absent"]));
}

#[test]
fn the_same_racknap_request_is_created_once_and_anew_after_its_service_is_terminated() {
    let env = Env::new();
    let mut request = racknap_create(&env, "unused");
    request.as_object_mut().unwrap().remove("idempotency_key");
    let first = call("create", &request);
    assert_eq!((first["ok"].clone(), first["data"]["reconciled"].clone()), (json!(true), json!(false)), "{first:#}");
    let second = call("create", &request);
    assert_eq!((&second["order_id"], &second["data"]["reconciled"]), (&first["order_id"], &json!(true)));
    let mut other = request.clone();
    other["service"]["options"]["amount"] = json!(13);
    assert_ne!(call("create", &other)["order_id"], first["order_id"], "another request is another service");

    let terminated = call("terminate", &env.racknap(Some("service"), json!({"order_id": first["order_id"]})));
    assert_eq!(terminated["ok"], true, "{terminated:#}");
    let anew = call("create", &request);
    assert_eq!(anew["data"]["reconciled"], false, "{anew:#}");
    assert_ne!(anew["order_id"], first["order_id"]);
    assert_eq!(racknap_services(&env), 3);
}

/// Licences placed straight through the licence API, so this process has never seen them.
fn place_licences_behind_the_library(env: &Env, titles: impl IntoIterator<Item = String>) {
    let http = reqwest::blocking::Client::builder().no_proxy().build().unwrap();
    let base = format!("{}/websoftsolus", env.url());
    let post = |path: &str, bearer: Option<&str>, form: &[(&str, &str)]| {
        let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
        let mut builder = http.post(format!("{base}/{path}")).header("content-type", "application/x-www-form-urlencoded").body(body);
        if let Some(bearer) = bearer {
            builder = builder.header("authorization", format!("Bearer {bearer}"));
        }
        let response = builder.send().unwrap();
        assert!(response.status().is_success(), "{path}: {}", response.status());
        serde_json::from_str::<Value>(&response.text().unwrap()).unwrap()
    };
    let token = post("access/token", None, &[("login", "reseller@example.com"), ("secret", "sandbox-secret")]);
    let token = token["access_token"].as_str().unwrap();
    for title in titles {
        let form = [("product", "VZ_CONTAINERS_10"), ("title", &title), ("comment", ""), ("period", "12"), ("os", "LINUX")];
        post("license/virtuozzo/order", Some(token), &form);
    }
}

#[test]
fn a_licence_create_behind_more_than_two_hundred_unseen_licences_never_orders_a_second() {
    let env = Env::new();
    place_licences_behind_the_library(&env, std::iter::once("behind-the-crowd".to_owned()).chain((0..250).map(|i| format!("crowd-{i}"))));
    let mut request = env.licences(Some("virtuozzo"), json!({"months": 12, "options": {"product": "VZ_CONTAINERS_10", "os": "LINUX"}}));
    request["idempotency_key"] = json!("behind-the-crowd");
    let ordered = env.route_count("websoftsolus POST license/virtuozzo/order");

    let answers = retry_while_retryable("create", &request, 5);
    let first = expect_error(&answers[0], "outcome_unknown");
    assert_eq!(first["retryable"], true, "{first}");
    let last = answers.last().unwrap();
    assert_eq!((last["ok"].clone(), last["data"]["reconciled"].clone()), (json!(true), json!(true)), "{answers:#?}");
    let titled = orders_where(&env, "title", "behind-the-crowd");
    assert_eq!(titled.len(), 1, "never a second licence: {titled:#?}");
    assert_eq!(titled[0]["order_id"], last["order_id"]);
    assert_eq!(env.route_count("websoftsolus POST license/virtuozzo/order"), ordered, "nothing was ordered through the library");
}

#[test]
fn panel_retry_loops_under_after_commit_faults_order_each_service_once() {
    let env = Arc::new(Env::new());
    let fixtures = env.admin("fixtures");
    env.admin_put("faults", json!({"rate": 0.5, "kinds": ["reset_after_commit", "timeout_after_commit", "malformed_200"], "methods": ["POST"], "seed": 11}));
    let products = ["sitelock", "codeguard", "plesk", "virtuozzo", "service"];
    let requests: Vec<(String, Value)> = (0..20)
        .map(|i| {
            let key = format!("loop-{i}");
            let mut request = match products[i % products.len()] {
                "service" => racknap_create(&env, &key),
                lb @ ("sitelock" | "codeguard") => env.lb(Some(lb), json!({
                    "domain": format!("{key}.example"), "customer_id": fixtures["logicboxes"]["customers"][0]["customer_id"],
                    "plan_id": fixtures["logicboxes"]["plans"][lb][0], "months": 12,
                })),
                licence => env.licences(Some(licence), json!({"months": 1, "options": {"product": fixtures["websoftsolus"]["products"][licence][0], "os": "LINUX"}})),
            };
            request["idempotency_key"] = json!(key);
            request["options"]["timeout_ms"] = json!(1200);
            (key, request)
        })
        .collect();
    let threads: Vec<_> = requests
        .chunks(5)
        .map(|chunk| {
            let chunk = chunk.to_vec();
            std::thread::spawn(move || chunk.into_iter().map(|(key, request)| (key, request.clone(), retry_while_retryable("create", &request, 6))).collect::<Vec<_>>())
        })
        .collect();
    let results: Vec<(String, Value, Vec<Value>)> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    let stats = env.admin("stats");
    env.admin_put("faults", json!({"rate": 0}));
    assert!(stats["faults"].as_object().is_some_and(|f| !f.is_empty()), "faults were injected: {stats:#}");

    let mut by_key: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for order in env.admin("orders").as_array().unwrap() {
        let key = match order["provider"].as_str().unwrap() {
            "logicboxes" => order["domain"].as_str().unwrap().trim_end_matches(".example").to_owned(),
            "websoftsolus" => order["title"].as_str().unwrap().to_owned(),
            _ => continue,
        };
        by_key.entry(key).or_default().push(order.clone());
    }
    for (key, request, answers) in &results {
        let last = answers.last().unwrap();
        if request["provider"] == "racknap" {
            // No lookup: a lost create stops the loop and asks the panel to check.
            assert!(last["ok"] == true || last["error"]["retryable"] == false, "{key}: {last:#}");
            continue;
        }
        assert_eq!(last["ok"], true, "{key} settled within the loop: {answers:#?}");
        let orders = &by_key[key];
        assert_eq!(orders.len(), 1, "{key} ordered {} times", orders.len());
        assert_eq!(orders[0]["order_id"], last["order_id"], "{key}");
    }
    assert!(racknap_services(&env) <= 4, "at most one service per RackNap create");
}

#[test]
fn the_journal_keeps_no_secret() {
    let env = Env::new();
    call("create", &env.lb(Some("sitelock"), json!({"domain": "secretless.example", "customer_id": env.first_customer(), "plan_id": env.lb_plan("sitelock", None)})));
    call("create", &racknap_create(&env, "secretless"));
    let mut licence = env.licences(Some("virtuozzo"), json!({"months": 1, "options": {"product": "VZ_CONTAINERS_10", "os": "LINUX"}}));
    licence["idempotency_key"] = json!("secretless");
    call("create", &licence);
    let mut bytes = Vec::new();
    for suffix in ["", "-wal"] {
        bytes.extend(std::fs::read(format!("{}{suffix}", test_journal().display())).unwrap_or_default());
    }
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("secretless"), "the journal was written");
    for secret in ["sandbox-key", "sandbox-token", "sandbox-secret", "reseller@example.com"] {
        assert!(!text.contains(secret), "{secret} is in the journal");
    }
}

#[test]
fn a_repeated_create_rechecks_the_recorded_order_and_a_terminated_one_is_created_anew() {
    let env = Env::new();
    let plans = env.lb_fixture("plans")["sitelock"].clone();
    let mut request = env.lb(Some("sitelock"), json!({"domain": "recorded.example", "customer_id": env.first_customer(), "plan_id": plans[0]}));
    request["idempotency_key"] = json!("recorded-1");
    let first = call("create", &request);
    let order_id = first["order_id"].as_str().unwrap().to_owned();

    // Its plan changed since: the journal still knows it as this key's order.
    let changed = call("change_package", &env.lb(Some("sitelock"), json!({"order_id": order_id, "new_plan_id": plans[1]})));
    assert_eq!(changed["ok"], true, "{changed:#}");
    let again = call("create", &request);
    assert_eq!((again["order_id"].as_str(), again["data"]["reconciled"].as_bool()), (Some(order_id.as_str()), Some(true)), "{again:#}");
    let urls: Vec<&str> = again["calls"].as_array().unwrap().iter().map(|c| c["url"].as_str().unwrap()).collect();
    assert!(urls.len() == 1 && urls[0].contains("/sitelock/details.json"), "one read of the recorded order: {urls:?}");

    assert_eq!(call("terminate", &env.lb(Some("sitelock"), json!({"order_id": order_id})))["ok"], true);
    let anew = call("create", &request);
    assert_eq!(anew["data"]["reconciled"], false, "{anew:#}");
    assert_ne!(anew["order_id"].as_str(), Some(order_id.as_str()));
    assert_eq!(orders_where(&env, "domain", "recorded.example").len(), 2);
}
