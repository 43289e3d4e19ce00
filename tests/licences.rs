//! Plesk, cPanel and Virtuozzo licences end to end against the sandbox, and the token cache.

mod common;

use common::{call, expect_error, expect_ok, Env};
use serde_json::{json, Value};

/// A valid create request for `product`, titled by its idempotency key.
fn order(env: &Env, product: &str, key: &str) -> Value {
    let versions = env.admin("fixtures")["websoftsolus"]["products"][product][0].clone();
    let options = match product {
        "cpanel" => json!({"product": versions, "server_ip": "192.0.2.10", "addons": ["SOFTACULOUS"]}),
        _ => json!({"product": versions, "os": "LINUX"}),
    };
    let mut request = env.licences(Some(product), json!({"months": 12, "options": options}));
    request["idempotency_key"] = json!(key);
    request
}

#[test]
fn each_licence_goes_through_create_details_terminate() {
    let env = Env::new();
    for product in ["plesk", "cpanel", "virtuozzo"] {
        let key = format!("panel-service-{product}");
        let created = call("create", &order(&env, product, &key));
        expect_ok(&created);
        let licence = created["order_id"].as_str().unwrap().to_owned();
        assert_eq!(created["data"]["title"], key.as_str());
        let record = env.order(&licence);
        assert_eq!((record["provider"].as_str(), record["status"].as_str(), record["title"].as_str()), (Some("websoftsolus"), Some("active"), Some(key.as_str())));

        let details = call("details", &env.licences(Some(product), json!({"order_id": licence})));
        expect_ok(&details);
        let data = &details["data"];
        assert_eq!(data["key"], licence.as_str());
        assert_eq!(data["product"], product);
        assert_eq!(data["title"], key.as_str());
        assert_eq!(data["status"], "active");
        assert!(data["expires_at"].as_str().unwrap().ends_with("T00:00:00Z"), "{data}");
        if product == "cpanel" {
            assert_eq!(data["server_ip"], "192.0.2.10");
        }

        let terminated = call("terminate", &env.licences(Some(product), json!({"order_id": licence})));
        expect_ok(&terminated);
        assert_eq!(terminated["status"], "terminated");
        assert_eq!(env.order(&licence)["status"], "terminated");
        // The API refuses a second termination; the licence's status answers it.
        let again = call("terminate", &env.licences(Some(product), json!({"order_id": licence})));
        assert_eq!((again["status"].as_str(), again["data"]["reconciled"].as_bool()), (Some("terminated"), Some(true)), "{again:#}");
    }
}

#[test]
fn orders_are_validated_locally_per_product() {
    let env = Env::new();
    let cases = [
        ("plesk", json!({"product": "PLESK_12_WEB_HOST"}), 12, "service.options.os"),
        ("plesk", json!({"product": "PLESK_12_WEB_HOST", "os": "LINUX", "antivirus": "NORTON"}), 12, "service.options.antivirus"),
        ("virtuozzo", json!({"product": "VZ_CONTAINERS_10", "os": "SOLARIS"}), 12, "service.options.os"),
        ("cpanel", json!({"product": "CPANEL_PRO"}), 12, "service.options.server_ip"),
        ("cpanel", json!({"product": "CPANEL_PRO", "server_ip": "999.1.1.1"}), 12, "service.options.server_ip"),
        ("cpanel", json!({"product": "CPANEL_PRO", "server_ip": "192.0.2.1", "addons": ["BACKDOOR"]}), 12, "service.options.addons"),
        ("cpanel", json!({"product": "CPANEL_PRO", "server_ip": "192.0.2.1"}), 5, "service.months"),
    ];
    for (product, options, months, field) in cases {
        let mut request = env.licences(Some(product), json!({"months": months, "options": options}));
        request["idempotency_key"] = json!("k-1");
        let error = expect_error(&call("create", &request), "invalid_request");
        assert!(error["message"].as_str().unwrap().contains(field), "{product} {field}: {error}");
    }
    let untitled = env.licences(Some("plesk"), json!({"months": 1, "options": {"product": "PLESK_12_WEB_HOST", "os": "LINUX"}}));
    let envelope = call("create", &untitled);
    let message = expect_error(&envelope, "invalid_request")["message"].as_str().unwrap().to_owned();
    assert!(message.contains("`idempotency_key` or `service.options.title`"), "{message}");
    assert_eq!((envelope["provider"].as_str(), envelope["product"].as_str()), (Some("websoftsolus"), Some("plesk")));
    let catalog: Value = serde_json::from_str(&hostprov::catalog()).unwrap();
    let licences = catalog["data"]["providers"].as_array().unwrap().iter().find(|p| p["provider"] == "websoftsolus").unwrap().clone();
    assert_eq!(licences["products"][0]["operations"][0]["required_one_of"], json!(["idempotency_key", "service.options.title"]));
    let empty_id = call("details", &env.licences(Some("cpanel"), json!({"order_id": ""})));
    expect_error(&empty_id, "invalid_request");
    assert_eq!(empty_id["provider"], "websoftsolus", "a request refused by validation still says what it was about");
    assert_eq!(env.route_count("websoftsolus POST license/plesk/order"), 0, "nothing was ordered");
}

#[test]
fn a_second_create_with_the_same_key_finds_the_first_licence() {
    let env = Env::new();
    let first = call("create", &order(&env, "plesk", "svc-42"));
    let second = call("create", &order(&env, "plesk", "svc-42"));
    expect_ok(&second);
    assert_eq!(first["order_id"], second["order_id"]);
    assert_eq!(first["data"]["reconciled"], false);
    assert_eq!(second["data"]["reconciled"], true);
    let titled: Vec<Value> = env.admin("orders").as_array().unwrap().iter().filter(|o| o["title"] == "svc-42").cloned().collect();
    assert_eq!(titled.len(), 1, "{titled:?}");
}

#[test]
fn unknown_licences_wrong_secrets_and_unsupported_operations() {
    let env = Env::new();
    expect_error(&call("details", &env.licences(Some("plesk"), json!({"order_id": "PLSK.00000000"}))), "not_found");
    expect_error(&call("details", &env.licences(Some("plesk"), json!({"order_id": "PLSK/../x"}))), "invalid_request");
    let mut wrong = env.licences(None, json!({}));
    wrong["account"]["secret"] = json!("canary-licence-secret-5");
    let envelope = call("test_connection", &wrong);
    expect_error(&envelope, "authentication_failed");
    assert!(!envelope.to_string().contains("canary-licence-secret-5"), "{envelope:#}");
    assert!(envelope["calls"][0]["request"].as_str().unwrap().contains("secret=***"));
    expect_ok(&call("test_connection", &env.licences(None, json!({}))));
    let mut elsewhere = env.licences(None, json!({}));
    elsewhere["account"]["base_url"] = json!(format!("{}/racknap", env.url()));
    let error = expect_error(&call("test_connection", &elsewhere), "provider_error");
    assert!(error["message"].as_str().unwrap().contains("account.base_url"), "{error}");
    for op in ["suspend", "unsuspend", "renew", "change_package", "client_area_url"] {
        let error = expect_error(&call(op, &env.licences(Some("cpanel"), json!({"order_id": "CPNL.1"}))), "unsupported_operation");
        assert!(error["message"].as_str().unwrap().contains("licence API has no"), "{error}");
    }
}

#[test]
fn plans_list_the_orderable_versions() {
    let env = Env::new();
    let plans = call("plans", &env.licences(Some("cpanel"), json!({})));
    expect_ok(&plans);
    let names: Vec<&str> = plans["data"]["plans"].as_array().unwrap().iter().map(|p| p["plan_id"].as_str().unwrap()).collect();
    let expected = env.admin("fixtures")["websoftsolus"]["products"]["cpanel"].clone();
    assert_eq!(json!(names), expected);
    let all = call("plans", &env.licences(None, json!({})));
    let products: std::collections::BTreeSet<&str> = all["data"]["plans"].as_array().unwrap().iter().map(|p| p["product"].as_str().unwrap()).collect();
    assert_eq!(products.into_iter().collect::<Vec<_>>(), ["cpanel", "plesk", "virtuozzo"]);
}

#[test]
fn test_mode_uses_the_test_environment() {
    let env = Env::new();
    let mut request = order(&env, "virtuozzo", "test-env-1");
    request["account"]["test_mode"] = json!(true);
    let created = call("create", &request);
    expect_ok(&created);
    assert!(created["calls"].as_array().unwrap().iter().all(|c| c["url"].as_str().unwrap().contains("/websoftsolus/test/")));
    assert_eq!(env.order(created["order_id"].as_str().unwrap())["environment"], "test");
}

#[test]
fn sixteen_threads_share_one_token_and_an_expired_one_costs_one_refresh() {
    let env = Env::new();
    // A fresh account name so the process-wide cache starts empty for this test.
    let base = env.licences(Some("plesk"), json!({}));
    let before = env.route_count("websoftsolus access/token");
    let threads: Vec<_> = (0..16)
        .map(|_| {
            let request = base.clone();
            std::thread::spawn(move || {
                for _ in 0..500 {
                    let envelope = call("plans", &request);
                    assert_eq!(envelope["ok"], true, "{envelope:#}");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let fetched = env.route_count("websoftsolus access/token") - before;
    assert!((1..=2).contains(&fetched), "8,000 calls fetched {fetched} tokens");

    env.admin_post("clock", json!({"advance_s": 7200}));
    let after_expiry = call("plans", &base);
    expect_ok(&after_expiry);
    assert_eq!(env.route_count("websoftsolus access/token") - before - fetched, 1, "exactly one refresh");
    let statuses: Vec<u64> = after_expiry["calls"].as_array().unwrap().iter().map(|c| c["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, [401, 200, 200], "refused, refreshed, replayed");
}

#[test]
fn a_key_that_would_change_the_path_is_refused_before_anything_is_sent() {
    let env = Env::new();
    for key in [".", "..", ".hidden", "-1", "PLSK.1/..", "PLSK%2F1"] {
        for op in ["terminate", "details"] {
            let error = expect_error(&call(op, &env.licences(Some("plesk"), json!({"order_id": key}))), "invalid_request");
            assert!(error["message"].as_str().unwrap().contains("PLSK.04867003"), "{error}");
        }
    }
    assert!(env.admin("requests").as_array().unwrap().is_empty(), "not even a token was asked for");
}
