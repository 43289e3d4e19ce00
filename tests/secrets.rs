//! Canary credentials through every operation of every provider: no canary, and no token the
//! providers issued, may appear in any envelope, message, `calls` entry or `Debug` output.

mod common;

use common::{call, Env};
use serde_json::{json, Value};

const CANARIES: [&str; 3] = ["canary-api-key-3f9a7c", "canary-bearer-token-81d2", "canary-licence-secret-5e4b"];
/// The sandbox's own credentials, in the same order: sent in the good round, searched for after.
const SANDBOX_SECRETS: [&str; 3] = ["sandbox-key", "sandbox-token", "sandbox-secret"];

/// A request for `provider`/`product` carrying canaries as credentials, with plausible fields.
fn canary_request(env: &Env, provider: &str, product: Option<&str>, good_credentials: bool) -> Value {
    let account = match (provider, good_credentials) {
        ("logicboxes", good) => json!({"auth_userid": "100000", "api_key": if good { SANDBOX_SECRETS[0] } else { CANARIES[0] },
            "base_url": format!("{}/logicboxes", env.url()), "panel_url": format!("{}/logicboxes", env.url())}),
        ("racknap", good) => json!({"api_token": if good { SANDBOX_SECRETS[1] } else { CANARIES[1] }, "base_url": format!("{}/racknap", env.url())}),
        (_, good) => json!({"login": "reseller@example.com", "secret": if good { SANDBOX_SECRETS[2] } else { CANARIES[2] },
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
            // With good credentials the request carries the sandbox's own, not the canaries.
            let secrets: &[&str] = if good { &SANDBOX_SECRETS } else { &CANARIES };
            for secret in secrets {
                assert!(!text.contains(secret), "{provider}/{product:?}/{operation} leaked {secret}: {text}");
            }
            assert!(!has_access_token(&text), "{provider}/{product:?}/{operation} leaked a token: {text}");

            let parsed = hostprov::request::parse(&request.to_string()).unwrap();
            let debug = format!("{parsed:?}");
            for secret in secrets {
                assert!(!debug.contains(secret), "Debug shows {secret}: {debug}");
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

/// Every way a server may spell `secret` back: raw, percent-encoded byte by byte in either hex
/// case or only where needed, form-encoded, and JSON-escaped as PHP and others write it.
fn spellings(secret: &str) -> Vec<String> {
    let percent_all = |upper: bool| -> String {
        secret.bytes().map(|b| if upper { format!("%{b:02X}") } else { format!("%{b:02x}") }).collect()
    };
    let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let unicode_all = |upper: bool| -> String {
        secret.encode_utf16().map(|u| if upper { format!("\\u{u:04X}") } else { format!("\\u{u:04x}") }).collect()
    };
    // PHP's json_encode default: slashes escaped, non-ASCII as \uXXXX.
    let php: String = secret
        .chars()
        .map(|c| match c {
            '/' => "\\/".to_owned(),
            '"' | '\\' => format!("\\{c}"),
            c if c.is_ascii() => c.to_string(),
            c => c.encode_utf16(&mut [0; 2]).iter().map(|u| format!("\\u{u:04x}")).collect(),
        })
        .collect();
    let form_lower_hex = form.split('%').enumerate().map(|(i, part)| if i == 0 { part.to_owned() } else { format!("%{}{}", part[..2].to_lowercase(), &part[2..]) }).collect();
    // PHP's JSON, form-encoded again (a JSON body sent back as a form or query value).
    let form_of_php: String = url::form_urlencoded::byte_serialize(php.as_bytes()).collect();
    // HTML entities where a page escapes them, and a value percent-encoded twice.
    let html = secret.replace('&', "&amp;").replace('/', "&#x2F;").replace('"', "&quot;");
    let percent_twice: String = url::form_urlencoded::byte_serialize(percent_all(true).as_bytes()).collect();
    let mut all = vec![secret.to_owned(), percent_all(true), percent_all(false), form.clone(), form_lower_hex, unicode_all(true), unicode_all(false), php, form_of_php, html, percent_twice];
    // Mixed: every other byte encoded, hex in alternating case.
    let mixed: String = secret
        .bytes()
        .enumerate()
        .map(|(i, b)| match i % 3 {
            0 => format!("%{b:02x}"),
            1 => format!("%{b:02X}"),
            _ if b.is_ascii_alphanumeric() => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    all.push(mixed);
    all.sort();
    all.dedup();
    all
}

/// Every string of a JSON document, keys included.
fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => map.iter().for_each(|(k, v)| {
            out.push(k.clone());
            strings(v, out)
        }),
        _ => {}
    }
}

#[track_caller]
fn assert_no_spelling(envelope: &Value, secret: &str) {
    let mut texts = Vec::new();
    strings(envelope, &mut texts);
    texts.push(envelope.to_string());
    for spelling in spellings(secret) {
        for text in &texts {
            assert!(!text.contains(&spelling), "`{spelling}` (a spelling of the secret) leaked in {envelope:#}");
        }
    }
}

/// A provider that echoes every spelling of the credential in its error message, the way
/// careless servers do: as JSON (where a raw `"` cannot stand) or as plain text.
fn echoing_server(secret: &'static str, as_json: bool) -> common::loopback::Server {
    common::loopback::serve(move |_| {
        let json_safe = |s: String| if as_json && s == secret { serde_json::to_string(secret).unwrap().trim_matches('"').to_owned() } else { s };
        let echoed: Vec<String> = spellings(secret).into_iter().map(json_safe).collect();
        let echoed = echoed.join(" | ");
        let body = if as_json {
            format!(r#"{{"status":"ERROR","message":"Invalid credential: {echoed}","error":"{echoed}"}}"#)
        } else {
            format!("Invalid credential: {echoed}")
        };
        common::loopback::Answer::json(401, body)
    })
}

fn echo_request(provider: &str, url: &str, secret: &str) -> (&'static str, Value) {
    match provider {
        "logicboxes" => ("details", json!({"provider": "logicboxes", "product": "sitelock",
            "account": {"auth_userid": "100000", "api_key": secret, "base_url": format!("{url}/logicboxes")},
            "service": {"order_id": "84311819"}, "options": {"timeout_ms": 5000}})),
        "racknap" => ("suspend", json!({"provider": "racknap", "product": "service",
            "account": {"api_token": secret, "base_url": format!("{url}/racknap")},
            "service": {"order_id": "1334"}, "options": {"timeout_ms": 5000}})),
        _ => ("details", json!({"provider": "websoftsolus", "product": "plesk",
            "account": {"login": "reseller@example.com", "secret": secret, "base_url": format!("{url}/websoftsolus")},
            "service": {"order_id": "PLSK.04867003"}, "options": {"timeout_ms": 5000}})),
    }
}

#[test]
fn an_echoed_credential_is_masked_in_every_spelling() {
    const SECRET: &str = "k3y wïth/slash*star+plus&amp=eq\"quote-long";
    for as_json in [true, false] {
        let server = echoing_server(SECRET, as_json);
        for provider in ["logicboxes", "racknap", "websoftsolus"] {
            let (operation, request) = echo_request(provider, &server.url, SECRET);
            let envelope = call(operation, &request);
            assert_eq!(envelope["ok"], false, "{envelope:#}");
            assert!(envelope["calls"][0]["response"].as_str().is_some_and(|r| r.contains("Invalid credential")), "{envelope:#}");
            if as_json {
                assert!(envelope["error"]["provider_message"].as_str().is_some_and(|m| m.contains("Invalid credential")), "{envelope:#}");
            }
            assert_no_spelling(&envelope, SECRET);
        }
    }
}

#[test]
fn short_credentials_are_masked_too() {
    for secret in ["Zq9#v2", "Zq9#v2x"] {
        let secret: &'static str = Box::leak(secret.to_owned().into_boxed_str());
        let server = echoing_server(secret, true);
        let (operation, request) = echo_request("racknap", &server.url, secret);
        let envelope = call(operation, &request);
        assert_eq!(envelope["ok"], false, "{envelope:#}");
        let response = envelope["calls"][0]["response"].as_str().unwrap();
        assert!(response.contains("Invalid credential") && response.contains("***"), "{envelope:#}");
        assert_no_spelling(&envelope, secret);
    }
}

/// A licence token endpoint that answers the way PHP's `json_encode` does by default.
#[test]
fn a_bearer_token_with_escaped_slashes_is_masked() {
    const TOKEN: &str = "eyJ0eXAiOiJKV1QifQ/LCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0/c2lnbmF0dXJl+x=";
    let server = common::loopback::serve(|seen| {
        if seen.path().ends_with("/access/token") {
            let escaped = TOKEN.replace('/', "\\/");
            return common::loopback::Answer::json(200, format!(r#"{{"access_token":"{escaped}","token_type":"Bearer","expires_in":3600}}"#));
        }
        let echoed = seen.header("authorization").unwrap_or_default().replace('/', "\\/");
        common::loopback::Answer::json(200, format!(r#"{{"keyNumber":"PLSK.04867003","status":"ACTIVE","seen":"{echoed}"}}"#))
    });
    let (operation, request) = echo_request("websoftsolus", &server.url, "canary-licence-secret-5e4b");
    let envelope = call(operation, &request);
    common::expect_ok(&envelope);
    assert!(envelope["calls"].as_array().unwrap().len() >= 2, "{envelope:#}");
    assert_no_spelling(&envelope, TOKEN);
}

#[test]
fn provider_and_product_never_echo_a_secret() {
    let env = Env::new();
    let long_secret = format!("canary-{}", "x7".repeat(40));
    for secret in ["Zq9#v2", long_secret.as_str()] {
        let mut account = env.lb_account();
        account["api_key"] = json!(secret);
        // Parsed: unknown provider, then unknown product.
        for (provider, product) in [(secret, "sitelock"), ("logicboxes", secret)] {
            let envelope = call("details", &json!({"provider": provider, "product": product, "account": account,
                "service": {"order_id": "1"}}));
            assert_eq!(envelope["ok"], false);
            assert_no_spelling(&envelope, secret);
        }
        // Not parsed: the subject is read from the raw text.
        let envelope = call("details", &json!({"provider": secret, "product": secret, "account": account, "bogus": 1}));
        common::expect_error(&envelope, "invalid_request");
        assert_no_spelling(&envelope, secret);
    }
}
