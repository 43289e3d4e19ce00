//! The licence API's error answers: a non-2xx status with a JSON `message`, 401 for a bad or
//! expired token, as clients of the API meet them (the documentation is silent on errors).

use serde_json::json;

use crate::wire::SimResponse;

fn message(status: u16, text: impl Into<String>) -> SimResponse {
    SimResponse::json(status, &json!({"message": text.into()}))
}

/// A parameter is missing or outside its documented values.
pub fn bad_request(text: impl Into<String>) -> SimResponse {
    message(400, text)
}

pub fn licence_not_found() -> SimResponse {
    message(404, "License not found")
}

/// A call without a live token of this environment.
pub fn invalid_token() -> SimResponse {
    message(401, "Invalid or expired token")
}

/// `access/token` with a login or secret that is missing or wrong.
pub fn invalid_client() -> SimResponse {
    SimResponse::json(401, &json!({"error": "invalid_client", "message": "Invalid login or secret"}))
}

pub fn wrong_method(method: &str, allowed: &[&str]) -> SimResponse {
    message(405, format!("Method {method} is not allowed here; use {}", allowed.join(" or ")))
}

pub fn unknown_path() -> SimResponse {
    message(404, "Not found")
}

pub fn unknown_product(key: &str) -> SimResponse {
    message(404, format!("Unknown product {key}; products are plesk, cpanel and virtuozzo"))
}
