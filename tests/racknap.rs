//! RackNap services end to end against the sandbox.

mod common;

use common::{call, expect_error, expect_ok, param_values, Env};
use serde_json::{json, Value};

fn create_request(env: &Env, options: Value) -> Value {
    let fixtures = env.admin("fixtures")["racknap"].clone();
    env.racknap(Some("service"), json!({
        "customer_id": fixtures["customers"][0],
        "plan_id": fixtures["plans"][0],
        "options": options,
    }))
}

fn service(env: &Env, id: &str) -> Value {
    env.order(id)
}

#[test]
fn a_service_goes_through_create_suspend_unsuspend_terminate() {
    let env = Env::new();
    let created = call("create", &create_request(&env, json!({"amount": 528.14, "billing_cycle": "Annually"})));
    expect_ok(&created);
    let id = created["order_id"].as_str().unwrap().to_owned();
    assert!(id.chars().all(|c| c.is_ascii_digit()), "{id}");
    assert_eq!(created["status"], "active");
    assert_eq!(service(&env, &id)["provider"], "racknap");
    assert_eq!(service(&env, &id)["status"], "active");

    for (op, status) in [("suspend", "suspended"), ("unsuspend", "active"), ("terminate", "terminated")] {
        let envelope = call(op, &env.racknap(Some("service"), json!({"order_id": id})));
        expect_ok(&envelope);
        assert_eq!(envelope["status"], status);
        assert_eq!(envelope["order_id"], id.as_str());
        assert_eq!(service(&env, &id)["status"], status, "after {op}");
    }
    expect_error(&call("suspend", &env.racknap(Some("service"), json!({"order_id": id}))), "provider_error");
}

#[test]
fn the_vendors_own_field_names_and_date_format_are_sent() {
    let env = Env::new();
    let request = create_request(&env, json!({
        "amount": "528.14", "recurring_amount": 500, "billing_cycle": "Monthly",
        "registration_date": "2024-01-31", "subscription_id": "618e16ad6764", "quantity": 2,
    }));
    expect_ok(&call("create", &request));
    let sent = &env.received("service/create")[0];
    assert_eq!(param_values(sent, "recuring_amount"), ["500"]);
    assert_eq!(param_values(sent, "recuring_plan_price"), ["528.14"]);
    assert!(param_values(sent, "recurring_amount").is_empty());
    assert_eq!(param_values(sent, "regdate"), ["31/01/2024"]);
    assert_eq!(param_values(sent, "nextduedate"), ["29/02/2024"]);
    assert_eq!(param_values(sent, "billingcycle"), ["Monthly"]);
    assert_eq!(param_values(sent, "slserverid"), ["618e16ad6764"]);
    assert_eq!(param_values(sent, "quantity"), ["2"]);

    expect_ok(&call("create", &create_request(&env, json!({"amount": 1, "billing_cycle": "Quarterly", "registration_date": "15/03/2024"}))));
    let sent = &env.received("service/create")[1];
    assert_eq!(param_values(sent, "regdate"), ["15/03/2024"]);
    assert_eq!(param_values(sent, "nextduedate"), ["15/06/2024"]);
}

#[test]
fn bad_cycles_dates_and_missing_amounts_are_refused_locally() {
    let env = Env::new();
    let cycle = call("create", &create_request(&env, json!({"amount": 1, "billing_cycle": "Yearly"})));
    let error = expect_error(&cycle, "invalid_request");
    let message = error["message"].as_str().unwrap();
    for listed in ["Free Trial", "Semi-Annually", "Quinquennial", "Decennial"] {
        assert!(message.contains(listed), "{message}");
    }
    expect_error(&call("create", &create_request(&env, json!({"amount": 1, "billing_cycle": "Monthly", "registration_date": "2024-13-01"}))), "invalid_request");
    let missing = call("create", &create_request(&env, json!({"billing_cycle": "Monthly"})));
    assert!(expect_error(&missing, "invalid_request")["message"].as_str().unwrap().contains("service.options.amount"));
    assert!(env.received("service/create").is_empty(), "nothing reached RackNap");
}

#[test]
fn the_token_goes_in_the_validate_header_and_a_wrong_one_is_refused() {
    let env = Env::new();
    let mut request = create_request(&env, json!({"amount": 1, "billing_cycle": "Monthly"}));
    request["account"]["api_token"] = json!("canary-racknap-token-77");
    let envelope = call("create", &request);
    expect_error(&envelope, "authentication_failed");
    assert!(!envelope.to_string().contains("canary-racknap-token-77"));
    assert!(env.admin("orders").as_array().unwrap().iter().all(|o| o["provider"] != "racknap"));
    let mut elsewhere = env.racknap(None, json!({}));
    elsewhere["account"]["base_url"] = json!(format!("{}/websoftsolus", env.url()));
    let error = expect_error(&call("test_connection", &elsewhere), "not_found");
    assert_eq!(error["http_status"], 404, "another site's 404 is not a reachable RackNap");
    let mut wrong = env.racknap(None, json!({}));
    wrong["account"]["api_token"] = json!("wrong-token-123");
    expect_error(&call("test_connection", &wrong), "authentication_failed");
    expect_ok(&call("test_connection", &env.racknap(None, json!({}))));
}

#[test]
fn unknown_services_unsupported_operations_and_plans() {
    let env = Env::new();
    expect_error(&call("suspend", &env.racknap(Some("service"), json!({"order_id": "999999"}))), "not_found");
    let stranger = env.racknap(Some("service"), json!({"customer_id": "999", "plan_id": "172", "options": {"amount": 1, "billing_cycle": "Monthly"}}));
    expect_error(&call("create", &stranger), "not_found");
    for op in ["renew", "change_package", "client_area_url"] {
        let error = expect_error(&call(op, &env.racknap(Some("service"), json!({"order_id": "1"}))), "unsupported_operation");
        let message = error["message"].as_str().unwrap();
        assert!(message.contains("RackNap API has no") && !message.contains("package it"), "{message}");
    }
    let fixtures = env.admin("fixtures")["racknap"].clone();
    let plans = call("plans", &env.racknap(None, json!({"plan_id": fixtures["plans"][0]})));
    expect_ok(&plans);
    assert_eq!(plans["data"]["plans"][0]["plan_id"], fixtures["plans"][0]);
    assert!(plans["data"]["plans"][0]["name"].is_string(), "{plans:#}");
    let vps = call("plans", &env.racknap(None, json!({"plan_id": fixtures["vps_plans"][0], "options": {"platform": "Windows"}})));
    expect_ok(&vps);
    assert_eq!(vps["data"]["details"]["platform"], "Windows");
    expect_error(&call("plans", &env.racknap(None, json!({"plan_id": "1", "options": {"platform": "BeOS"}}))), "invalid_request");
}

#[test]
fn vendor_spelled_options_cannot_replace_checked_fields() {
    let env = Env::new();
    for (key, value) in [("planid", json!("999")), ("firstpayment", json!("-5")), ("recuring_amount", json!("abc")), ("PlanID", json!("9")), ("amount[]", json!("1"))] {
        let request = create_request(&env, json!({"amount": 10, "billing_cycle": "Monthly", key: value}));
        let error = expect_error(&call("create", &request), "invalid_request");
        assert!(error["message"].as_str().unwrap().contains("RackNap's own name"), "{key}: {error}");
    }
    // Keys RackNap does not read as one of ours still pass through.
    expect_ok(&call("create", &create_request(&env, json!({"amount": 10, "billing_cycle": "Monthly", "promo_note": "x"}))));
    assert_eq!(env.received("service/create").len(), 1, "only the last create reached RackNap");
}

#[test]
fn dates_at_the_end_of_the_calendar_are_refused_not_crashed_on() {
    let env = Env::new();
    for (date, cycle) in [("9999-12-01", "Monthly"), ("31/12/9999", "Hourly"), ("9995-06-01", "Decennial"), ("-9999-01-01", "Monthly"), ("0000-01-01", "Monthly")] {
        let request = create_request(&env, json!({"amount": 10, "billing_cycle": cycle, "registration_date": date}));
        let error = expect_error(&call("create", &request), "invalid_request");
        assert!(error["message"].as_str().unwrap().contains("registration_date"), "{date}: {error}");
    }
    assert!(env.received("service/create").is_empty(), "nothing reached RackNap");
    expect_ok(&call("create", &create_request(&env, json!({"amount": 10, "billing_cycle": "Monthly", "registration_date": "9999-11-30"}))));
    assert_eq!(param_values(&env.received("service/create")[0], "nextduedate"), ["30/12/9999"]);
}

#[test]
fn a_token_with_a_line_break_is_refused_before_anything_is_sent() {
    let env = Env::new();
    for token in ["sandbox-token\r\nX-Injected: 1", "sandbox-token\n", "sandbox\u{0}token"] {
        let mut request = env.racknap(Some("service"), json!({"order_id": "1"}));
        request["account"]["api_token"] = json!(token);
        let error = expect_error(&call("suspend", &request), "invalid_request");
        assert!(error["message"].as_str().unwrap().contains("account.api_token"), "{error}");
    }
    assert!(env.admin("requests").as_array().unwrap().is_empty(), "nothing reached RackNap");
}
