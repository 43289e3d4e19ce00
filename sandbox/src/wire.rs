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

    /// The token of a `Bearer <token>` header (the scheme in any case), as RackNap's
    /// `Validate` and the licence API's `Authorization` carry it.
    pub fn bearer(&self, header: &str) -> Option<&str> {
        let value = self.header(header)?.trim();
        let (scheme, token) = value.split_once(' ')?;
        scheme.eq_ignore_ascii_case("Bearer").then(|| token.trim()).filter(|t| !t.is_empty())
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

    /// JSON as PHP's `json_encode` writes it by default: slashes escaped as `\/` and anything
    /// beyond ASCII as `\uXXXX`, so that clients meet the escapes RackNap sends.
    pub fn php_json(status: u16, value: &Value) -> Self {
        SimResponse::raw_json(status, php_escape(&value.to_string()))
    }

    pub fn html(status: u16, body: impl Into<String>) -> Self {
        SimResponse { status, content_type: "text/html; charset=utf-8", body: body.into() }
    }
}

/// A call's answer; the error side is a finished response too, so handlers can use `?`.
pub type Reply = Result<SimResponse, SimResponse>;

/// Rewrites compact JSON with PHP's default escapes. A `/` or a non-ASCII character can only
/// occur inside a JSON string, so escaping them everywhere keeps the document's meaning.
fn php_escape(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 8);
    for c in json.chars() {
        match c {
            '/' => out.push_str("\\/"),
            c if c.is_ascii() => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::php_escape;

    #[test]
    fn slashes_and_non_ascii_are_escaped_as_php_does() {
        let json = serde_json::json!({"link": "https://racknap.example/service/1", "name": "Caf\u{e9} \u{1f600}"}).to_string();
        let escaped = php_escape(&json);
        assert_eq!(escaped, r#"{"link":"https:\/\/racknap.example\/service\/1","name":"Caf\u00e9 \ud83d\ude00"}"#);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&escaped).unwrap(), serde_json::from_str::<serde_json::Value>(&json).unwrap());
    }
}
