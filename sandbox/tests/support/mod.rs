//! A sandbox per test and a minimal HTTP/1.1 client over `TcpStream`, so that the tests see the
//! bytes on the wire (bare bodies, status codes, content types) with no client library between.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;

use hostprov_sandbox::{Sandbox, SandboxConfig, DEFAULT_LB_API_KEY, DEFAULT_LB_USERID};
use serde_json::Value;

/// An answer as received.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

impl Answer {
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// Asserts the LogicBoxes error shape (HTTP 500, status ERROR) and returns its message.
    #[track_caller]
    pub fn error_message(&self) -> String {
        assert_eq!(self.status, 500, "{self:?}");
        let body = self.json();
        assert_eq!(body["status"], "ERROR", "{self:?}");
        body["message"].as_str().expect("an error message").to_owned()
    }

    /// Asserts a 200 answer and returns its JSON body.
    #[track_caller]
    pub fn ok(&self) -> Value {
        assert_eq!(self.status, 200, "{self:?}");
        self.json()
    }
}

pub struct Env {
    pub sandbox: Sandbox,
}

impl Env {
    pub fn new() -> Env {
        Env { sandbox: Sandbox::start("127.0.0.1:0").expect("the sandbox starts on loopback") }
    }

    pub fn with_config(config: SandboxConfig) -> Env {
        Env { sandbox: Sandbox::start_with("127.0.0.1:0", config).expect("the sandbox starts on loopback") }
    }

    /// Any method on any path, with extra headers; `form` goes in the body, form-encoded, when
    /// it is not empty.
    pub fn call(&self, method: &str, target: &str, headers: &[(&str, &str)], form: &[(&str, &str)]) -> Answer {
        let content_type = (!form.is_empty()).then_some("application/x-www-form-urlencoded");
        self.send_with(method, target, headers, content_type, &query(form))
    }

    /// A read call with the reseller's credentials in the query string.
    pub fn get(&self, call: &str, params: &[(&str, &str)]) -> Answer {
        let query = query(&with_auth(params));
        self.send("GET", &format!("/logicboxes/api/{call}?{query}"), None, "")
    }

    /// A change with the credentials in the query string and `params` as a form body.
    pub fn post(&self, call: &str, params: &[(&str, &str)]) -> Answer {
        self.post_split(call, &[], params)
    }

    /// A change with `in_query` (plus the credentials) in the query string, `in_form` in the body.
    pub fn post_split(&self, call: &str, in_query: &[(&str, &str)], in_form: &[(&str, &str)]) -> Answer {
        let target = format!("/logicboxes/api/{call}?{}", query(&with_auth(in_query)));
        self.send("POST", &target, Some("application/x-www-form-urlencoded"), &query(in_form))
    }

    /// A call with exactly these parameters, credentials included or not.
    pub fn raw(&self, method: &str, call: &str, params: &[(&str, &str)]) -> Answer {
        self.send(method, &format!("/logicboxes/api/{call}?{}", query(params)), None, "")
    }

    pub fn servlet(&self, name: &str, params: &[(&str, &str)]) -> Answer {
        self.send("GET", &format!("/logicboxes/servlet/{name}?{}", query(params)), None, "")
    }

    pub fn admin(&self, path: &str) -> Value {
        self.send("GET", &format!("/_sandbox/{path}"), None, "").ok()
    }

    pub fn admin_post(&self, path: &str, body: &str) -> Value {
        self.send("POST", &format!("/_sandbox/{path}"), Some("application/json"), body).ok()
    }

    pub fn admin_put(&self, path: &str, body: &str) -> Answer {
        self.send("PUT", &format!("/_sandbox/{path}"), Some("application/json"), body)
    }

    /// Moves the simulated clock on.
    pub fn advance_clock(&self, seconds: i64) {
        self.admin_post("clock", &format!("{{\"advance_s\":{seconds}}}"));
    }

    /// A fresh login token for the customer.
    pub fn login_token(&self, customer_id: &str) -> String {
        let token = self.get("customers/generate-login-token.json", &[("customer-id", customer_id), ("ip", "192.0.2.10")]).ok();
        token.as_str().expect("a JSON string").to_owned()
    }

    /// The admin view of one order.
    pub fn admin_order(&self, order_id: &str) -> Value {
        let orders = self.admin("orders");
        orders.as_array().unwrap().iter().find(|o| o["order_id"] == order_id).cloned().expect("the order is listed")
    }

    fn send(&self, method: &str, target: &str, content_type: Option<&str>, body: &str) -> Answer {
        self.send_with(method, target, &[], content_type, body)
    }

    fn send_with(&self, method: &str, target: &str, headers: &[(&str, &str)], content_type: Option<&str>, body: &str) -> Answer {
        let addr = self.sandbox.addr();
        let mut stream = TcpStream::connect(addr).expect("connect to the sandbox");
        let mut request = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
        if let Some(content_type) = content_type {
            request.push_str(&format!("Content-Type: {content_type}\r\n"));
        }
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        request.push_str(body);
        stream.write_all(request.as_bytes()).expect("send the request");
        let mut raw = String::new();
        stream.read_to_string(&mut raw).expect("read the answer");
        parse_answer(&raw)
    }
}

fn with_auth<'a>(params: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all = vec![("auth-userid", DEFAULT_LB_USERID), ("api-key", DEFAULT_LB_API_KEY)];
    all.extend_from_slice(params);
    all
}

pub fn query(params: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new()).extend_pairs(params).finish()
}

/// Status, content type and body of a `Connection: close` answer with a Content-Length body.
pub fn parse_answer(raw: &str) -> Answer {
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no header end in {raw:?}"));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("no status in {head:?}"));
    let content_type = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .map(|(_, value)| value.trim().to_owned())
        .unwrap_or_default();
    Answer { status, content_type, body: body.to_owned() }
}

/// `form` with `changes` applied: a pair replaces the field of that name (or is added), and a
/// pair with an empty name removes the field named by its value.
pub fn changed<'a>(form: &[(&'a str, &'a str)], changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = form.to_vec();
    for &(name, value) in changes {
        if name.is_empty() {
            form.retain(|(k, _)| *k != value);
        } else if let Some(slot) = form.iter_mut().find(|(k, _)| *k == name) {
            slot.1 = value;
        } else {
            form.push((name, value));
        }
    }
    form
}
