//! The error answers every LogicBoxes call shares: no envelope, just `{"status":"ERROR"}` with
//! HTTP 500, as the live API answers.

use serde_json::json;

use serde_json::Value;

use crate::config::ErrorStyle;
pub use crate::wire::Reply;
use crate::wire::SimResponse;

pub fn error(message: impl Into<String>) -> SimResponse {
    SimResponse::json(500, &json!({"status": "ERROR", "message": message.into()}))
}

/// The shapes the `mixed` error style rotates through: (HTTP status, status value, message key).
const MIXED_SHAPES: [(u16, &str, &str); 6] = [
    (500, "ERROR", "message"),
    (500, "Error", "message"),
    (500, "error", "error"),
    (200, "ERROR", "message"),
    (500, "Failed", "actionstatusdesc"),
    (500, "error", "message"),
];

/// Rewrites an error answer in the configured style; `turn` picks the shape when they rotate.
/// Other answers pass unchanged.
pub fn styled(answer: SimResponse, style: ErrorStyle, turn: usize) -> SimResponse {
    if style == ErrorStyle::Standard {
        return answer;
    }
    let Some(message) = error_message(&answer) else { return answer };
    let (status, status_value, key) = MIXED_SHAPES[turn % MIXED_SHAPES.len()];
    let mut body = serde_json::Map::new();
    body.insert("status".into(), status_value.into());
    body.insert(key.into(), message.into());
    SimResponse::json(status, &Value::Object(body))
}

fn error_message(answer: &SimResponse) -> Option<String> {
    let body: Value = serde_json::from_str(&answer.body).ok()?;
    (body.get("status")? == "ERROR").then(|| body.get("message")?.as_str().map(str::to_owned))?
}

/// The live API's wording for an unknown order or customer id, the id not repeated.
pub fn no_entity() -> SimResponse {
    error("No Entity found for Entityid")
}

pub fn access_denied() -> SimResponse {
    error("Access Denied. You are not authorized to perform this action.")
}

/// The live API's wording for a domain without an order of the product (`orderid.json`).
pub fn no_website(domain: &str) -> SimResponse {
    error(format!("Website doesn't exist for {domain}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_style_rotates_every_shape_and_keeps_the_message() {
        let seen: Vec<(u16, String)> = (0..MIXED_SHAPES.len())
            .map(|turn| styled(no_website("a.example"), ErrorStyle::Mixed, turn))
            .map(|answer| (answer.status, answer.body))
            .collect();
        assert_eq!(seen.iter().collect::<std::collections::HashSet<_>>().len(), MIXED_SHAPES.len());
        assert!(seen.iter().all(|(_, body)| body.contains("Website doesn't exist for a.example")));
        assert_eq!(styled(no_website("a.example"), ErrorStyle::Standard, 3).body, no_website("a.example").body);
        let success = SimResponse::raw_json(200, "true");
        assert_eq!(styled(success, ErrorStyle::Mixed, 1).body, "true");
    }
}
