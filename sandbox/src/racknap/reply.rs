//! The shapes of RackNap's answers. Success is `{"status":"Success",…}`; errors are
//! `{"status":"Error",…}` whose keys vary from call to call (the vendor documents only "an error
//! code key with value along with an error message"), so clients must read them tolerantly.
//! Everything is PHP-encoded, slashes escaped as `\/`.

use serde_json::{json, Map, Value};

use crate::wire::SimResponse;

/// Where a service's page lives in the reseller's RackNap; it gives every service answer a
/// slash to escape.
const SERVICE_PAGE: &str = "https://racknap.example/service/";

/// `{"status":"Success"}` followed by `fields`, in their order.
pub fn success(fields: Value) -> SimResponse {
    let mut body = Map::new();
    body.insert("status".into(), "Success".into());
    if let Value::Object(fields) = fields {
        body.extend(fields);
    }
    SimResponse::php_json(200, &Value::Object(body))
}

/// A success about one service: its message and the link to its page.
pub fn service_success(service_id: u64, message: String) -> SimResponse {
    success(json!({"message": message, "link": format!("{SERVICE_PAGE}{service_id}")}))
}

/// A parameter is missing or malformed. HTTP 200, as PHP applications answer.
pub fn validation(message: impl Into<String>) -> SimResponse {
    SimResponse::php_json(200, &json!({"status": "Error", "error_code": "E_VALIDATION", "message": message.into()}))
}

/// A refusal without an error code: an unknown service or plan, or a change the service's
/// state does not allow.
pub fn error(message: impl Into<String>) -> SimResponse {
    SimResponse::php_json(200, &json!({"status": "Error", "message": message.into()}))
}

pub fn service_not_found() -> SimResponse {
    error("Service not found")
}

pub fn invalid_plan() -> SimResponse {
    error("Invalid plan id")
}

/// The `Validate` header is missing, not a bearer token, or not the account's token.
pub fn unauthorized() -> SimResponse {
    SimResponse::php_json(401, &json!({"status": "Error", "error_code": 401, "message": "Invalid or missing token"}))
}

pub fn wrong_method(call: &str) -> SimResponse {
    SimResponse::php_json(405, &json!({"status": "Error", "error_code": 405, "message": format!("{call} must be called with POST")}))
}

pub fn unknown_call(call: &str) -> SimResponse {
    SimResponse::php_json(404, &json!({"status": "Error", "error_code": 404, "message": format!("Unknown API call {call}")}))
}
