//! Shared by the integration tests: a sandbox per test, and helpers to call the library and
//! look inside the sandbox.
#![allow(dead_code)]

pub mod loopback;
pub mod replay;
pub mod native;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use hostprov_sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};

/// This test process's own operation journal (also handed to the client processes it starts),
/// so that test runs never share one. A file left by an earlier process with the same pid is
/// removed first.
pub fn test_journal() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("journal-{}.sqlite3", std::process::id()));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        hostprov::journal::use_path(Some(path.clone()));
        path
    })
}

pub struct Env {
    pub sandbox: Sandbox,
    http: reqwest::blocking::Client,
}

impl Env {
    /// A fresh sandbox on a free loopback port: tests never share state.
    pub fn new() -> Env {
        Env::start(SandboxConfig::default())
    }

    /// As [`Env::new`], over HTTPS as every real provider is: its LogicBoxes account trusts the
    /// sandbox's own CA (`ca_cert_pem`).
    pub fn over_tls() -> Env {
        Env::start(SandboxConfig { tls: true, ..SandboxConfig::default() })
    }

    fn start(config: SandboxConfig) -> Env {
        hostprov::http::restrict_to_loopback();
        test_journal();
        let _ = rustls::crypto::ring::default_provider().install_default();
        let sandbox = Sandbox::start_with("127.0.0.1:0", config).expect("the sandbox starts on loopback");
        let mut http = reqwest::blocking::Client::builder().tls_backend_rustls().no_proxy().redirect(reqwest::redirect::Policy::none());
        if let Some(ca) = sandbox.ca_cert_pem() {
            http = http.add_root_certificate(reqwest::Certificate::from_pem(ca.as_bytes()).expect("the sandbox's CA"));
        }
        Env { sandbox, http: http.build().expect("test HTTP client") }
    }

    pub fn url(&self) -> String {
        self.sandbox.url()
    }

    /// TCP connections the sandbox has accepted so far (the admin client's included).
    pub fn connections_accepted(&self) -> u64 {
        self.admin("stats")["connections_accepted"].as_u64().unwrap()
    }

    pub fn lb_account(&self) -> Value {
        let mut account = json!({
            "auth_userid": "100000",
            "api_key": "sandbox-key",
            "base_url": format!("{}/logicboxes", self.url()),
            "panel_url": format!("{}/logicboxes", self.url()),
        });
        if let Some(ca) = self.sandbox.ca_cert_pem() {
            account["ca_cert_pem"] = json!(ca);
        }
        account
    }

    /// A LogicBoxes request for `product` with the given service fields.
    pub fn lb(&self, product: Option<&str>, service: Value) -> Value {
        let mut request = json!({"provider": "logicboxes", "account": self.lb_account(), "service": service});
        if let Some(product) = product {
            request["product"] = json!(product);
        }
        request
    }

    pub fn admin(&self, path: &str) -> Value {
        self.http.get(format!("{}/_sandbox/{path}", self.url())).send().unwrap().text().map(|t| serde_json::from_str(&t).unwrap()).unwrap()
    }

    pub fn admin_post(&self, path: &str, body: Value) -> Value {
        self.http.post(format!("{}/_sandbox/{path}", self.url())).body(body.to_string()).send().unwrap().text().map(|t| serde_json::from_str(&t).unwrap()).unwrap()
    }

    /// GETs any URL (a client-area link) and returns status and body.
    pub fn fetch(&self, url: &str) -> (u16, String) {
        let response = self.http.get(url).send().unwrap();
        (response.status().as_u16(), response.text().unwrap())
    }

    pub fn customer_status(&self, customer_id: &str) -> String {
        let customers = self.admin("customers");
        let customer = customers.as_array().unwrap().iter().find(|c| c["customer_id"] == customer_id).unwrap();
        customer["status"].as_str().unwrap().to_owned()
    }

    pub fn first_customer(&self) -> String {
        self.admin("fixtures")["logicboxes"]["customers"][0]["customer_id"].as_str().unwrap().to_owned()
    }

    /// Every request the sandbox received on a route ending in `suffix`.
    pub fn received(&self, suffix: &str) -> Vec<Value> {
        self.admin("requests").as_array().unwrap().iter().filter(|r| r["path"].as_str().unwrap().ends_with(suffix)).cloned().collect()
    }
}

/// Calls the library by operation name and parses the envelope. Tests never reach beyond
/// loopback, whatever a request says.
pub fn call(operation: &str, request: &Value) -> Value {
    hostprov::http::restrict_to_loopback();
    test_journal();
    let text = hostprov::call_named(operation, &request.to_string());
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not an envelope ({e}): {text}"))
}

/// Asserts a failed envelope with `code` and returns it.
#[track_caller]
pub fn expect_error(envelope: &Value, code: &str) -> Value {
    assert_eq!(envelope["ok"], false, "expected {code}, got {envelope:#}");
    assert_eq!(envelope["error"]["code"], code, "{envelope:#}");
    envelope["error"].clone()
}

#[track_caller]
pub fn expect_ok(envelope: &Value) {
    assert_eq!(envelope["ok"], true, "{envelope:#}");
    assert_eq!(envelope["api_version"], 1);
}

/// One parameter's values as the sandbox received them.
pub fn param_values(received: &Value, name: &str) -> Vec<String> {
    received["params"].as_array().unwrap().iter().filter(|p| p[0] == name).map(|p| p[1].as_str().unwrap().to_owned()).collect()
}

impl Env {
    /// The sandbox's record of one order.
    pub fn order(&self, order_id: &str) -> Value {
        let orders = self.admin("orders");
        orders.as_array().unwrap().iter().find(|o| o["order_id"] == order_id).cloned().unwrap_or(Value::Null)
    }

    pub fn lb_fixture(&self, key: &str) -> Value {
        self.admin("fixtures")["logicboxes"][key].clone()
    }

    /// An active plan of `product` other than `except`.
    pub fn lb_plan(&self, product: &str, except: Option<&str>) -> String {
        let plans = self.lb_fixture("plans")[product].clone();
        plans.as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_owned()).find(|p| Some(p.as_str()) != except).unwrap()
    }
}

impl Env {
    pub fn racknap(&self, product: Option<&str>, service: Value) -> Value {
        let mut request = json!({
            "provider": "racknap",
            "account": {"api_token": "sandbox-token", "base_url": format!("{}/racknap", self.url())},
            "service": service,
        });
        if let Some(product) = product {
            request["product"] = json!(product);
        }
        request
    }

    pub fn licences(&self, product: Option<&str>, service: Value) -> Value {
        let mut request = json!({
            "provider": "websoftsolus",
            "account": {"login": "reseller@example.com", "secret": "sandbox-secret", "base_url": format!("{}/websoftsolus", self.url())},
            "service": service,
        });
        if let Some(product) = product {
            request["product"] = json!(product);
        }
        request
    }

    /// How many times a route was called, per `/_sandbox/stats`.
    pub fn route_count(&self, route: &str) -> u64 {
        self.admin("stats")["routes"][route].as_u64().unwrap_or(0)
    }
}

impl Env {
    pub fn admin_put(&self, path: &str, body: Value) -> Value {
        let response = self.http.put(format!("{}/_sandbox/{path}", self.url())).body(body.to_string()).send().unwrap();
        serde_json::from_str(&response.text().unwrap()).unwrap()
    }
}
