//! The error answers every LogicBoxes call shares: no envelope, just `{"status":"ERROR"}` with
//! HTTP 500, as the live API answers.

use serde_json::json;

pub use crate::wire::Reply;
use crate::wire::SimResponse;

pub fn error(message: impl Into<String>) -> SimResponse {
    SimResponse::json(500, &json!({"status": "ERROR", "message": message.into()}))
}

/// The live API's wording for an unknown id, which clients map to "not found".
pub fn no_entity(id: &str) -> SimResponse {
    error(format!("No Entity found for Entityid: {id}"))
}

pub fn access_denied() -> SimResponse {
    error("Access Denied. You are not authorized to perform this action.")
}
