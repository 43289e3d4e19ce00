//! Credentials and the redactor that keeps them out of everything the library emits.
//!
//! Redaction is by value, not by parameter name: whatever form a secret takes (query string,
//! form body, JSON, an error text), every occurrence of it becomes `***`.

use std::fmt;

use serde::Deserialize;
use serde_json::Value;

pub const MASK: &str = "***";

/// Secrets at least this long are masked wherever they appear. Shorter ones cannot be told
/// apart from ordinary text (a key `"a"` would mangle every word); they are masked by
/// parameter name instead (see [`is_secret_parameter`]), which is where they travel.
pub const MIN_MASKED_LEN: usize = 8;

/// Parameters whose values are secret whatever they look like, in URLs and form bodies.
pub fn is_secret_parameter(name: &str) -> bool {
    const NAMES: [&str; 8] = ["api-key", "api_key", "secret", "password", "passwd", "token", "auth-token", "userloginid"];
    NAMES.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// A credential from the request. `Debug` never shows it; it is not `Serialize`.
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The raw value, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

/// The secret values known during one call, and the forms in which they may show up.
#[derive(Default, Clone)]
pub struct Redactor {
    /// Longest first, so a secret that contains another is masked whole.
    needles: Vec<String>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redactor({} values)", self.needles.len())
    }
}

impl Redactor {
    /// Registers a secret in its raw, URL-encoded and JSON-escaped spellings.
    pub fn add(&mut self, secret: &str) {
        if secret.len() < MIN_MASKED_LEN {
            return;
        }
        let url_encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let json_escaped = serde_json::to_string(secret).unwrap_or_default();
        let json_inner = json_escaped.trim_start_matches('"').trim_end_matches('"').to_owned();
        for needle in [secret.to_owned(), url_encoded, json_inner] {
            if !needle.is_empty() && !self.needles.contains(&needle) {
                self.needles.push(needle);
            }
        }
        self.needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
    }

    pub fn add_secret(&mut self, secret: &Secret) {
        self.add(secret.expose());
    }

    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for needle in &self.needles {
            if out.contains(needle.as_str()) {
                out = out.replace(needle.as_str(), MASK);
            }
        }
        out
    }

    /// Redacts every string value of a JSON document. Keys are left alone: they are the
    /// envelope's and the providers' vocabulary, never where a secret travels.
    pub fn redact_value(&self, value: Value) -> Value {
        if self.needles.is_empty() {
            return value;
        }
        match value {
            Value::String(s) => Value::String(self.redact(&s)),
            Value::Array(items) => Value::Array(items.into_iter().map(|v| self.redact_value(v)).collect()),
            Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, self.redact_value(v))).collect()),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret::new("hunter2-canary");
        assert_eq!(format!("{s:?}"), "***");
        assert_eq!(format!("{:?}", Some(s)), "Some(***)");
    }

    #[test]
    fn masks_raw_encoded_and_json_forms() {
        let mut r = Redactor::default();
        r.add("a b&c\"d-long");
        assert_eq!(r.redact("x=a b&c\"d-long"), "x=***");
        assert_eq!(r.redact("x=a+b%26c%22d-long"), "x=***");
        assert_eq!(r.redact(r#"{"k":"a b&c\"d-long"}"#), r#"{"k":"***"}"#);
    }

    #[test]
    fn masks_nested_values_but_never_keys() {
        let mut r = Redactor::default();
        r.add("tok-12345");
        let v = serde_json::json!({"message": ["see tok-12345", 5], "tok-12345": 1});
        assert_eq!(r.redact_value(v), serde_json::json!({"message": ["see ***", 5], "tok-12345": 1}));
    }

    #[test]
    fn short_values_are_left_to_parameter_masking() {
        let mut r = Redactor::default();
        r.add("a");
        assert_eq!(r.redact("authentication_failed"), "authentication_failed");
        assert!(is_secret_parameter("api-key") && is_secret_parameter("Secret") && !is_secret_parameter("reason"));
    }
}
