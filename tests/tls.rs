//! TLS verification is always on: an untrusted certificate fails with `tls_error` and is not
//! retried; the sandbox's CA in `account.ca_cert_pem` makes the same call succeed.

mod common;

use std::time::{Duration, Instant};

use common::{call, expect_error, expect_ok, Env};
use hostprov_sandbox::{Sandbox, SandboxConfig};
use serde_json::json;

#[test]
fn an_untrusted_certificate_fails_once_and_a_trusted_ca_succeeds() {
    hostprov::http::restrict_to_loopback();
    let sandbox = Sandbox::start_with("127.0.0.1:0", SandboxConfig { tls: true, ..SandboxConfig::default() }).unwrap();
    assert!(sandbox.url().starts_with("https://"));
    let mut request = json!({
        "provider": "logicboxes",
        "account": {"auth_userid": "100000", "api_key": "sandbox-key", "base_url": format!("{}/logicboxes", sandbox.url())},
    });
    let refused = call("test_connection", &request);
    let error = expect_error(&refused, "tls_error");
    assert_eq!(error["retryable"], false);
    assert_eq!(refused["calls"].as_array().unwrap().len(), 1, "a TLS failure is not retried");

    request["account"]["ca_cert_pem"] = json!(sandbox.ca_cert_pem().unwrap());
    expect_ok(&call("test_connection", &request));

    request["account"]["ca_cert_pem"] = json!("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
    expect_error(&call("test_connection", &request), "invalid_request");
}

/// Every real provider is HTTPS: the guarantees about lost answers hold on that path too, where
/// a broken or silent connection surfaces through TLS rather than a bare socket.
#[test]
fn over_tls_a_lost_answer_is_settled_or_left_to_the_panels_retries_and_a_silent_read_times_out() {
    let env = Env::over_tls();
    assert!(env.url().starts_with("https://"));
    let created = call("create", &env.lb(Some("sitelock"), json!({"domain": "tls-lost.example", "customer_id": env.first_customer(), "plan_id": env.lb_plan("sitelock", None)})));
    expect_ok(&created);
    let order_id = created["order_id"].as_str().unwrap().to_owned();
    let mut suspend = env.lb(Some("sitelock"), json!({"order_id": order_id, "reason": "Overdue invoice"}));
    suspend["options"] = json!({"timeout_ms": 1500});

    // Carried out, then the connection is reset: settled in the same call from the order's state.
    env.admin_put("faults", json!({"rate": 1.0, "kinds": ["reset_after_commit"], "methods": ["POST"], "seed": 1}));
    let settled = call("suspend", &suspend);
    assert_eq!((&settled["ok"], &settled["data"]["reconciled"]), (&json!(true), &json!(true)), "{settled:#}");
    assert_eq!(env.order(&order_id)["status"], "suspended");

    // Carried out, then silence until the deadline: nothing can be read in time, so the answer
    // is `outcome_unknown`, retryable, within the deadline.
    env.admin_put("faults", json!({"rate": 1.0, "kinds": ["timeout_after_commit"], "methods": ["POST"], "seed": 2}));
    let started = Instant::now();
    let answer = call("unsuspend", &suspend);
    assert!(started.elapsed() < Duration::from_millis(2500), "took {:?}", started.elapsed());
    assert_eq!(expect_error(&answer, "outcome_unknown")["retryable"], true, "{answer:#}");
    assert_eq!(env.order(&order_id)["status"], "active");

    // A read answered by silence is a retryable timeout, within its deadline.
    env.admin_put("faults", json!({"rate": 1.0, "kinds": ["timeout_after_commit"], "methods": ["GET"], "seed": 3}));
    let mut details = env.lb(Some("sitelock"), json!({"order_id": order_id}));
    details["options"] = json!({"timeout_ms": 800});
    let started = Instant::now();
    let read = call("details", &details);
    assert!(started.elapsed() < Duration::from_millis(1800), "took {:?}", started.elapsed());
    assert_eq!(expect_error(&read, "timeout")["retryable"], true, "{read:#}");
    env.admin_put("faults", json!({"rate": 0}));
}
