//! The request and response shapes every simulated endpoint works with.

use serde_json::Value;

/// An incoming request with its parameters from query and form body merged, in order.
#[derive(Debug, Clone)]
pub struct SimRequest {
    pub method: String,
    pub path: String,
    pub params: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl SimRequest {
    /// The first value of a parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct SimResponse {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

impl SimResponse {
    pub fn json(status: u16, value: &Value) -> Self {
        SimResponse { status, content_type: "application/json", body: value.to_string() }
    }

    /// A body written as-is (bare integers, bare `true`, PHP-escaped JSON).
    pub fn raw_json(status: u16, body: impl Into<String>) -> Self {
        SimResponse { status, content_type: "application/json", body: body.into() }
    }

    pub fn html(status: u16, body: impl Into<String>) -> Self {
        SimResponse { status, content_type: "text/html; charset=utf-8", body: body.into() }
    }
}
