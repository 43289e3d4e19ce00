//! HTTP clients are kept per set of trusted roots, not per text: each client has a runtime
//! thread and its own connections, so a panel sending endless spellings of `ca_cert_pem` (or
//! endless different roots) must not grow the process.

mod common;

use common::loopback::{serve, Answer, Server};
use common::{call, expect_error};
use serde_json::{json, Value};

/// Runtime threads of reqwest's clients in this process: one per live client.
fn client_threads() -> usize {
    let tasks = std::fs::read_dir("/proc/self/task").unwrap();
    tasks.flatten().filter_map(|t| std::fs::read_to_string(t.path().join("comm")).ok()).filter(|name| name.starts_with("reqwest")).count()
}

fn new_ca_pem() -> String {
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.self_signed(&key).unwrap().pem()
}

/// A provider that refuses every key at once (so nothing is retried).
fn refusing_provider() -> Server {
    serve(|_| Answer::json(500, r#"{"status":"ERROR","message":"Access Denied: You are not authorized"}"#))
}

fn request(provider: &Server, ca_cert_pem: &str) -> Value {
    json!({"provider": "logicboxes", "account": {"auth_userid": "100000", "api_key": "clients-test-key",
        "base_url": format!("{}/logicboxes", provider.url), "ca_cert_pem": ca_cert_pem}})
}

#[test]
fn clients_are_kept_per_root_set_and_only_a_few() {
    let provider = refusing_provider();
    let refused = |pem: &str| expect_error(&call("test_connection", &request(&provider, pem)), "authentication_failed");
    let pem = new_ca_pem();
    refused(&pem);
    let with_one_client = client_threads();

    // The same certificate, spelled 200 ways: trailing spaces, CRLF lines, text around it,
    // the certificate twice.
    for i in 0..200 {
        let spelled = match i % 4 {
            0 => format!("{pem}{}", " ".repeat(i)),
            1 => pem.replace('\n', "\r\n"),
            2 => format!("Our CA, issued {i}\n{pem}\n\n"),
            _ => format!("{pem}{pem}"),
        };
        refused(&spelled);
    }
    assert_eq!(client_threads(), with_one_client, "each spelling of one root built a client of its own");

    // Twenty different roots: only the most recently used few keep a client.
    for _ in 0..20 {
        refused(&new_ca_pem());
    }
    let kept = client_threads();
    assert!(kept <= with_one_client + 8, "{kept} client threads for 21 roots");
}
