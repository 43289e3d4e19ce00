//! The sandbox over HTTPS: a client trusting the sandbox's own CA gets through for every
//! loopback name, one without it fails the handshake, and routes and faults work as over HTTP.

mod raw_client;
mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use hostprov_sandbox::{Sandbox, SandboxConfig};
use raw_client::{roots, Client, Seen};
use rustls::{CertificateError, RootCertStore};
use serde_json::json;

fn tls_sandbox(listen: &str) -> std::io::Result<Sandbox> {
    Sandbox::start_with(listen, SandboxConfig { tls: true, ..SandboxConfig::default() })
}

/// The handshake failed because the server's certificate has no known issuer.
#[track_caller]
fn assert_unknown_issuer(seen: Seen) {
    let Seen::Failed(error) = seen else { panic!("expected a failed handshake, saw {seen:?}") };
    let cause = error.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>());
    assert!(matches!(cause, Some(rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer))), "{error:?}");
}

#[test]
fn a_client_trusting_the_ca_gets_through_by_address_and_by_name() {
    let sandbox = tls_sandbox("127.0.0.1:0").unwrap();
    let url = sandbox.url();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let pem = sandbox.ca_cert_pem().expect("a TLS sandbox has a CA");
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
    for name in ["127.0.0.1", "localhost"] {
        let client = Client::tls(sandbox.addr(), roots(&pem), name);
        let stats = client.admin("stats");
        assert!(stats["connections_accepted"].as_u64().unwrap() >= 1, "{name}: {stats}");
    }
}

#[test]
fn the_certificate_covers_ipv6_loopback() {
    let Ok(sandbox) = tls_sandbox("[::1]:0") else {
        eprintln!("no IPv6 loopback here; skipped");
        return;
    };
    assert!(sandbox.url().starts_with("https://[::1]:"), "{}", sandbox.url());
    let client = Client::tls(sandbox.addr(), roots(&sandbox.ca_cert_pem().unwrap()), "::1");
    assert_eq!(client.admin("faults")["rate"], 0.0);
}

#[test]
fn a_client_without_the_ca_fails_the_handshake() {
    let sandbox = tls_sandbox("127.0.0.1:0").unwrap();
    assert_unknown_issuer(Client::tls(sandbox.addr(), RootCertStore::empty(), "127.0.0.1").send("GET", "/_sandbox/stats", &[]));
    // Each sandbox makes its own CA: another one's is no good either.
    let other = tls_sandbox("127.0.0.1:0").unwrap();
    let wrong = Client::tls(sandbox.addr(), roots(&other.ca_cert_pem().unwrap()), "127.0.0.1");
    assert_unknown_issuer(wrong.send("GET", "/_sandbox/stats", &[]));
}

#[test]
fn a_plain_sandbox_has_no_ca() {
    let sandbox = Sandbox::start("127.0.0.1:0").unwrap();
    assert!(sandbox.url().starts_with("http://"), "{}", sandbox.url());
    assert_eq!(sandbox.ca_cert_pem(), None);
}

#[test]
fn routes_and_faults_work_the_same_over_tls() {
    let sandbox = tls_sandbox("127.0.0.1:0").unwrap();
    let client = Client::tls(sandbox.addr(), roots(&sandbox.ca_cert_pem().unwrap()), "localhost");
    let add = |domain: &str| {
        let form = [("domain-name", domain), ("customer-id", "1001"), ("plan-id", "101"), ("invoice-option", "NoInvoice")];
        client.logicboxes("POST", "sitelock/add.json", &form)
    };
    let has_order = |domain: &str| client.admin("orders").as_array().unwrap().iter().any(|o| o["domain"] == domain);

    let placed = add("plain.example").answer();
    assert_eq!(placed.status, 200, "{placed:?}");
    assert_eq!(placed.json()["status"], "Success");

    client.faults(json!({"rate": 1, "kinds": ["reset_after_commit"], "seed": 1}));
    assert!(matches!(add("lost.example"), Seen::Reset));
    assert!(has_order("lost.example"), "carried out, though the answer was lost");

    client.faults(json!({"rate": 1, "kinds": ["html_502"], "seed": 1}));
    let page = add("proxy.example").answer();
    assert_eq!(page.status, 502, "{page:?}");
    assert!(page.body.contains("502 Bad Gateway"), "{page:?}");
    assert!(!has_order("proxy.example"));
    assert_eq!(client.admin("stats")["faults"]["reset_after_commit"], 1);
}

#[test]
fn the_binary_writes_the_ca_and_serves_https() {
    let ca_file = std::env::temp_dir().join(format!("hostprov-sandbox-ca-{}.pem", std::process::id()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_hostprov-sandbox"))
        .args(["--listen", "127.0.0.1:0", "--tls-cert-out"])
        .arg(&ca_file)
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first_line).unwrap();
    let outcome = std::panic::catch_unwind(|| {
        let url = first_line.trim().strip_prefix("hostprov-sandbox listening on ").unwrap_or_else(|| panic!("{first_line:?}"));
        let addr = url.strip_prefix("https://").unwrap_or_else(|| panic!("{url}")).parse().unwrap();
        let pem = std::fs::read_to_string(&ca_file).expect("the CA certificate was written before the line");
        let client = Client::tls(addr, roots(&pem), "127.0.0.1");
        assert_eq!(client.admin("stats")["tokens_issued"], 0);
    });
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_file(&ca_file);
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}
