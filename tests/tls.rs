//! TLS verification is always on: an untrusted certificate fails with `tls_error` and is not
//! retried; the sandbox's CA in `account.ca_cert_pem` makes the same call succeed.

mod common;

use common::{call, expect_error, expect_ok};
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
