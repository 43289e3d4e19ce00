//! LogicBoxes `customer` and `test_connection`, end to end against the sandbox.

mod common;

use common::{call, expect_error, expect_ok, param_values, Env};
use serde_json::json;

#[test]
fn test_connection_succeeds_with_good_credentials() {
    let env = Env::new();
    let envelope = call("test_connection", &env.lb(None, json!({})));
    expect_ok(&envelope);
    assert_eq!(envelope["data"]["reachable"], true);
    assert_eq!(envelope["provider"], "logicboxes");
    let calls = envelope["calls"].as_array().unwrap();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0]["method"], "GET");
    assert_eq!(calls[0]["status"], 200);
    assert!(calls[0]["url"].as_str().unwrap().contains("api-key=***"), "{calls:?}");
}

#[test]
fn wrong_credentials_fail_authentication_without_leaking_the_key() {
    let env = Env::new();
    let mut request = env.lb(Some("customer"), json!({"customer_id": env.first_customer()}));
    request["account"]["api_key"] = json!("canary-key-7f3a&x=1");
    for op in ["test_connection", "suspend"] {
        let envelope = call(op, &request);
        let error = expect_error(&envelope, "authentication_failed");
        assert!(error["provider_message"].as_str().unwrap().contains("Access Denied"));
        let text = envelope.to_string();
        assert!(!text.contains("canary-key"), "{text}");
        assert!(!text.contains("canary%2Dkey") && !text.contains("canary-key-7f3a%26"), "{text}");
    }
    assert_eq!(env.customer_status(&env.first_customer()), "active", "a refused call changes nothing");
}

#[test]
fn suspend_and_unsuspend_move_the_customer_at_the_provider() {
    let env = Env::new();
    let customer = env.first_customer();
    let request = env.lb(Some("customer"), json!({"customer_id": customer, "reason": "Overdue invoice"}));

    let envelope = call("suspend", &request);
    expect_ok(&envelope);
    assert_eq!(envelope["status"], "suspended");
    assert_eq!(envelope["data"]["customer_id"], customer.as_str());
    assert_eq!(envelope["calls"][0]["method"], "POST");
    assert_eq!(env.customer_status(&customer), "suspended");

    // A second suspension is refused by the API; the customer's state, read after the refusal,
    // is the answer.
    let again = call("suspend", &request);
    expect_ok(&again);
    assert_eq!((again["status"].as_str(), again["data"]["reconciled"].as_bool()), (Some("suspended"), Some(true)), "{again:#}");
    assert_eq!(again["data"]["customer_id"], customer.as_str());
    assert_eq!(env.received("customers/suspend.json").len(), 2);

    let envelope = call("unsuspend", &request);
    expect_ok(&envelope);
    assert_eq!(envelope["status"], "active");
    assert_eq!(env.customer_status(&customer), "active");

    // A suspension whose answer is lost is settled by the same read.
    env.admin_put("faults", json!({"rate": 1.0, "kinds": ["reset_after_commit"], "methods": ["POST"], "seed": 5}));
    let lost = call("suspend", &request);
    env.admin_put("faults", json!({"rate": 0}));
    expect_ok(&lost);
    assert_eq!((lost["status"].as_str(), lost["data"]["reconciled"].as_bool()), (Some("suspended"), Some(true)), "{lost:#}");
    assert_eq!(env.customer_status(&customer), "suspended");
    assert_eq!(env.received("customers/suspend.json").len(), 3, "the lost suspension was sent once, not again");
}

#[test]
fn unsuspending_an_active_customer_answers_its_state() {
    let env = Env::new();
    let customer = env.first_customer();
    let envelope = call("unsuspend", &env.lb(Some("customer"), json!({"customer_id": customer})));
    expect_ok(&envelope);
    assert_eq!((envelope["status"].as_str(), envelope["data"]["reconciled"].as_bool()), (Some("active"), Some(true)), "{envelope:#}");
    assert_eq!(env.received("customers/unsuspend.json").len(), 1, "the API was asked, and refused");
}

#[test]
fn customer_id_may_be_a_number_and_reason_has_a_default() {
    let env = Env::new();
    let customer: u64 = env.first_customer().parse().unwrap();
    let envelope = call("suspend", &env.lb(Some("customer"), json!({"customer_id": customer})));
    expect_ok(&envelope);
    let sent = env.received("customers/suspend.json");
    assert_eq!(param_values(&sent[0], "reason"), ["Suspended by the billing panel"]);
}

#[test]
fn unknown_customer_is_not_found_and_missing_fields_are_named() {
    let env = Env::new();
    let envelope = call("suspend", &env.lb(Some("customer"), json!({"customer_id": "424242"})));
    expect_error(&envelope, "not_found");

    let envelope = call("suspend", &env.lb(Some("customer"), json!({})));
    let error = expect_error(&envelope, "invalid_request");
    assert!(error["message"].as_str().unwrap().contains("`service.customer_id`"), "{error}");
    assert!(envelope["calls"].as_array().unwrap().is_empty(), "nothing is sent for a bad request");

    let mut request = env.lb(Some("customer"), json!({"customer_id": "99"}));
    request["account"].as_object_mut().unwrap().remove("api_key");
    let error = expect_error(&call("suspend", &request), "invalid_request");
    assert!(error["message"].as_str().unwrap().contains("`account.api_key`"), "{error}");

    let error = expect_error(&call("suspend", &env.lb(Some("customer"), json!({"customer_id": true}))), "invalid_request");
    assert!(error["message"].as_str().unwrap().contains("`service.customer_id`"), "{error}");
    assert!(env.received("customers/suspend.json").len() == 1, "only the first call reached the provider");
}

#[test]
fn hostile_characters_reach_the_provider_as_one_value() {
    let env = Env::new();
    let hostile = "a&b=c#d%e f\nreason=x&api-key=stolen";
    let envelope = call("suspend", &env.lb(Some("customer"), json!({"customer_id": env.first_customer(), "reason": hostile})));
    expect_ok(&envelope);
    let sent = env.received("customers/suspend.json");
    assert_eq!(sent.len(), 1);
    assert_eq!(param_values(&sent[0], "reason"), [hostile]);
    assert_eq!(param_values(&sent[0], "api-key"), ["sandbox-key"]);
    assert_eq!(sent[0]["params"].as_array().unwrap().len(), 4, "auth-userid, api-key, customer-id, reason: {sent:?}");

    let customers = env.admin("fixtures")["logicboxes"]["customers"].clone();
    let (first, second) = (customers[0]["customer_id"].as_str().unwrap(), customers[1]["customer_id"].as_str().unwrap());
    let smuggled = format!("{first}&customer-id={second}");
    let envelope = call("unsuspend", &env.lb(Some("customer"), json!({"customer_id": smuggled})));
    expect_error(&envelope, "not_found");
    assert_eq!(env.customer_status(second), "active");
    assert_eq!(param_values(&env.received("customers/unsuspend.json")[0], "customer-id"), [smuggled]);
}

#[test]
fn client_area_url_opens_the_panel_once_and_only_while_the_token_lives() {
    let env = Env::new();
    let customer = env.first_customer();
    let request = env.lb(Some("customer"), json!({"customer_id": customer, "client_ip": "203.0.113.9"}));
    let envelope = call("client_area_url", &request);
    expect_ok(&envelope);
    assert_eq!(envelope["data"]["expires_in_s"], 120);
    let url = envelope["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{}/logicboxes/servlet/AutoLoginServlet?userLoginId=", env.url())), "{url}");
    assert!(url.ends_with("&role=customer"), "{url}");

    let token = url.split("userLoginId=").nth(1).unwrap().split('&').next().unwrap();
    let mut elsewhere = envelope.clone();
    elsewhere.as_object_mut().unwrap().remove("url");
    assert!(!elsewhere.to_string().contains(token), "the login token is only in `url`: {elsewhere:#}");

    let sent = env.received("generate-login-token.json");
    assert_eq!(param_values(&sent[0], "ip"), ["203.0.113.9"]);

    let (status, body) = env.fetch(url);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(&format!("data-customer-id=\"{customer}\"")));
    assert_eq!(env.fetch(&url.replace(token, "forged-token")).0, 403);

    env.admin_post("clock", json!({"advance_s": 121}));
    assert_eq!(env.fetch(url).0, 403, "an expired token is refused");
}

#[test]
fn client_area_url_needs_a_panel_url_and_a_valid_ip() {
    let env = Env::new();
    let mut request = env.lb(Some("customer"), json!({"customer_id": "99", "client_ip": "203.0.113.9"}));
    request["account"].as_object_mut().unwrap().remove("panel_url");
    let error = expect_error(&call("client_area_url", &request), "invalid_request");
    assert!(error["message"].as_str().unwrap().contains("`account.panel_url`"), "{error}");

    let request = env.lb(Some("customer"), json!({"customer_id": "99", "client_ip": "not-an-ip"}));
    let error = expect_error(&call("client_area_url", &request), "invalid_request");
    assert!(error["message"].as_str().unwrap().contains("`service.client_ip`"), "{error}");
}

#[test]
fn plain_http_is_refused_for_anything_but_this_machine() {
    let env = Env::new();
    let mut request = env.lb(None, json!({}));
    request["account"]["base_url"] = json!("http://api.reseller.example/logicboxes");
    let error = expect_error(&call("test_connection", &request), "invalid_request");
    assert!(error["message"].as_str().unwrap().contains("https://"), "{error}");
    assert!(call("test_connection", &request)["calls"].as_array().unwrap().is_empty());
}

#[test]
fn an_unreachable_endpoint_is_a_network_error_in_our_words() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let request = json!({
        "provider": "logicboxes",
        "account": {"auth_userid": "100000", "api_key": "canary-unreachable-91", "base_url": format!("http://127.0.0.1:{port}/logicboxes")},
        "options": {"timeout_ms": 5000},
    });
    let envelope = call("test_connection", &request);
    let error = expect_error(&envelope, "network_error");
    assert_eq!(error["retryable"], true);
    assert!(!envelope.to_string().contains("canary-unreachable-91"), "{envelope:#}");
    let attempts = envelope["calls"].as_array().unwrap();
    assert!((1..=3).contains(&attempts.len()), "connection refusals are retried at most 3 times: {attempts:?}");
}

#[test]
fn unknown_request_keys_are_refused_before_any_call() {
    let env = Env::new();
    let mut request = env.lb(None, json!({}));
    request["dry_run"] = json!(true);
    let error = expect_error(&call("test_connection", &request), "invalid_request");
    assert!(error["message"].as_str().unwrap().contains("`dry_run`"));
    assert!(env.received(".json").is_empty());
}

#[test]
fn a_short_secret_is_masked_everywhere_but_never_in_the_envelopes_vocabulary() {
    let env = Env::new();
    for key in ["a", "k", "status", "url"] {
        let mut request = env.lb(None, json!({}));
        request["account"]["api_key"] = json!(key);
        let envelope = call("test_connection", &request);
        let error = expect_error(&envelope, "authentication_failed");
        let error_keys: Vec<&String> = error.as_object().unwrap().keys().collect();
        assert_eq!(error_keys, ["code", "message", "retryable", "provider_message", "http_status"], "{error}");
        assert_eq!(envelope["operation"], "test_connection");
        assert!(envelope["calls"][0]["status"].is_number(), "{envelope:#}");
        // Free text is masked even inside words: it may read oddly, but never shows the key.
        let logged = envelope["calls"][0]["url"].as_str().unwrap();
        for text in [logged, error["message"].as_str().unwrap()] {
            assert!(!text.contains(key), "{key} in {text}");
        }
    }
}
