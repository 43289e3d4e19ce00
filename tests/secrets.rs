//! Canary credentials through every operation of every provider: no canary, and no token the
//! providers issued, may appear in any envelope, message, `calls` entry or `Debug` output.

mod common;

use common::{call, Env};
use serde_json::{json, Value};

const CANARIES: [&str; 3] = ["canary-api-key-3f9a7c", "canary-bearer-token-81d2", "canary-licence-secret-5e4b"];

/// A request for `provider`/`product` carrying canaries as credentials, with plausible fields.
fn canary_request(env: &Env, provider: &str, product: Option<&str>, good_credentials: bool) -> Value {
    let account = match (provider, good_credentials) {
        ("logicboxes", good) => json!({"auth_userid": "100000", "api_key": if good { "sandbox-key" } else { CANARIES[0] },
            "base_url": format!("{}/logicboxes", env.url()), "panel_url": format!("{}/logicboxes", env.url())}),
        ("racknap", good) => json!({"api_token": if good { "sandbox-token" } else { CANARIES[1] }, "base_url": format!("{}/racknap", env.url())}),
        (_, good) => json!({"login": "reseller@example.com", "secret": if good { "sandbox-secret" } else { CANARIES[2] },
            "base_url": format!("{}/websoftsolus", env.url())}),
    };
    let mut request = json!({
        "provider": provider,
        "account": account,
        "service": {
            "order_id": "84311819", "domain": "canary.example", "customer_id": "99", "plan_id": "101", "new_plan_id": "102",
            "months": 12, "client_ip": "203.0.113.9", "service_name": "dns",
            "options": {"amount": 1, "billing_cycle": "Monthly", "product": "PLESK_12_WEB_HOST", "os": "LINUX", "server_ip": "192.0.2.1"},
        },
        "idempotency_key": "canary-service-1",
        "options": {"timeout_ms": 5000},
    });
    if let Some(product) = product {
        request["product"] = json!(product);
    }
    request
}

/// Every (provider, product, operation) the catalog lists.
fn catalogued() -> Vec<(String, Option<String>, String)> {
    let catalog: Value = serde_json::from_str(&hostprov::catalog()).unwrap();
    let mut all = Vec::new();
    for provider in catalog["data"]["providers"].as_array().unwrap() {
        let name = provider["provider"].as_str().unwrap().to_owned();
        for op in provider["operations"].as_array().unwrap() {
            all.push((name.clone(), None, op["operation"].as_str().unwrap().to_owned()));
        }
        for product in provider["products"].as_array().unwrap() {
            for op in product["operations"].as_array().unwrap() {
                let product = product["product"].as_str().unwrap().to_owned();
                all.push((name.clone(), Some(product), op["operation"].as_str().unwrap().to_owned()));
            }
        }
    }
    all
}

/// 40-hex strings are the licence API's access tokens: none may show outside `url`.
fn has_access_token(text: &str) -> bool {
    text.as_bytes().windows(40).any(|w| w.iter().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()))
}

#[test]
fn canaries_never_leave_the_library() {
    let env = Env::new();
    let operations = catalogued();
    assert!(operations.len() > 30, "{operations:?}");
    for good in [false, true] {
        for (provider, product, operation) in &operations {
            let request = canary_request(&env, provider, product.as_deref(), good);
            let mut envelope = call(operation, &request);
            envelope.as_object_mut().unwrap().remove("url");
            let text = envelope.to_string();
            for canary in CANARIES {
                assert!(!text.contains(canary), "{provider}/{product:?}/{operation} leaked {canary}: {text}");
            }
            assert!(!has_access_token(&text), "{provider}/{product:?}/{operation} leaked a token: {text}");
            assert!(!text.contains("sandbox-secret") && !text.contains("sandbox-token"), "{text}");

            let parsed = hostprov::request::parse(&request.to_string()).unwrap();
            let debug = format!("{parsed:?}");
            for canary in CANARIES {
                assert!(!debug.contains(canary), "Debug shows {canary}: {debug}");
            }
        }
    }
}

#[test]
fn a_panic_message_never_reaches_the_envelope() {
    let text = hostprov::ffi::guarded(|| panic!("failed with {}", CANARIES[0]));
    assert!(!text.contains(CANARIES[0]));
    let envelope: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(envelope["error"]["code"], "internal_error");
}
