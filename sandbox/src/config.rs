//! What a sandbox can be started with, and partly changed at run time through
//! `PUT /_sandbox/config`. A reset keeps it: it describes the sandbox, not the accounts it
//! simulates.

use serde_json::{json, Value};

/// The licence API's documented token lifetime.
pub const DEFAULT_TOKEN_TTL_S: u64 = 3600;

/// Settings of a sandbox, for [`Sandbox::start_with`](crate::Sandbox::start_with).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxConfig {
    /// Lifetime of the licence API's access tokens, in seconds of the simulated clock. Shorten
    /// it to see a client refresh its token; a change applies to tokens issued afterwards.
    pub token_ttl_s: u64,
    /// Serve HTTPS with a certificate made at start, signed by a CA made for this sandbox alone
    /// (see [`Sandbox::ca_cert_pem`](crate::Sandbox::ca_cert_pem)). Chosen at start only: the
    /// run-time settings neither show nor change it.
    pub tls: bool,
    /// How LogicBoxes spells its errors; see [`ErrorStyle`].
    pub error_style: ErrorStyle,
    /// A provider's round trip, simulated on every provider request (never on `/_sandbox/`),
    /// independent of injected faults: for benchmarks at an internet-like latency.
    pub latency_ms: u64,
}

/// The error shapes LogicBoxes clients meet. `Standard` is the documented one; `Mixed` rotates
/// through every shape seen in the field, so that no client (and no test) can depend on one
/// spelling of the status, the message key or the HTTP status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ErrorStyle {
    /// `{"status":"ERROR","message":…}` with HTTP 500.
    #[default]
    Standard,
    /// `ERROR`, `Error` and `error` statuses, `message` or `error` keys, a failed action's
    /// `{"status":"Failed","actionstatusdesc":…}`, with HTTP 500 or 200, in turn.
    Mixed,
}

impl ErrorStyle {
    const NAMES: [(&'static str, ErrorStyle); 2] = [("standard", ErrorStyle::Standard), ("mixed", ErrorStyle::Mixed)];

    /// `HOSTPROV_SANDBOX_ERROR_STYLE` (`standard` or `mixed`) sets the default, so that a whole
    /// test suite can be run again under another style without changing a test.
    pub fn from_env() -> ErrorStyle {
        let name = std::env::var("HOSTPROV_SANDBOX_ERROR_STYLE").unwrap_or_default();
        Self::named(&Value::String(name)).unwrap_or_default()
    }

    pub fn name(self) -> &'static str {
        Self::NAMES.iter().find(|(_, style)| *style == self).map(|(name, _)| *name).unwrap_or_default()
    }

    fn named(value: &Value) -> Result<ErrorStyle, String> {
        let name = value.as_str().unwrap_or_default();
        Self::NAMES.iter().find(|(n, _)| *n == name).map(|(_, style)| *style).ok_or_else(|| format!("error_style must be \"standard\" or \"mixed\", not {value}"))
    }
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig { token_ttl_s: DEFAULT_TOKEN_TTL_S, tls: false, error_style: ErrorStyle::from_env(), latency_ms: 0 }
    }
}

impl SandboxConfig {
    /// The run-time settings, as `GET /_sandbox/config` shows them.
    pub fn view(&self) -> Value {
        json!({"token_ttl_s": self.token_ttl_s, "error_style": self.error_style.name(), "latency_ms": self.latency_ms})
    }

    /// Applies the settings a JSON object names; the others keep their values. Nothing changes
    /// unless every named setting is valid.
    pub fn update(&mut self, changes: &Value) -> Result<(), String> {
        let changes = changes.as_object().ok_or("send a JSON object such as {\"token_ttl_s\": 60}")?;
        let mut updated = self.clone();
        for (key, value) in changes {
            match key.as_str() {
                "token_ttl_s" => updated.token_ttl_s = token_ttl(value)?,
                "error_style" => updated.error_style = ErrorStyle::named(value)?,
                "latency_ms" => updated.latency_ms = latency(value)?,
                other => return Err(format!("unknown setting {other}; known: token_ttl_s, error_style, latency_ms")),
            }
        }
        *self = updated;
        Ok(())
    }
}

/// The longest simulated latency, so that a typo cannot stall a run for hours.
pub const MAX_LATENCY_MS: u64 = 60_000;

fn latency(value: &Value) -> Result<u64, String> {
    value.as_u64().filter(|ms| *ms <= MAX_LATENCY_MS).ok_or_else(|| format!("latency_ms must be a whole number from 0 to {MAX_LATENCY_MS}, not {value}"))
}

/// A whole number of seconds of at least one.
fn token_ttl(value: &Value) -> Result<u64, String> {
    value.as_u64().filter(|s| *s >= 1).ok_or_else(|| format!("token_ttl_s must be a whole number of seconds of at least 1, not {value}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_apply_whole_or_not_at_all() {
        let mut config = SandboxConfig::default();
        config.update(&json!({"token_ttl_s": 60})).unwrap();
        assert_eq!(config.token_ttl_s, 60);
        config.update(&json!({"error_style": "mixed", "latency_ms": 20})).unwrap();
        assert_eq!(config.latency_ms, 20);
        assert_eq!(config.view()["error_style"], "mixed");
        for bad in [json!({"latency_ms": MAX_LATENCY_MS + 1}), json!({"latency_ms": -1}), json!({"error_style": "Mixed"}), json!({"token_ttl_s": 60, "error_style": 1}), json!({"token_ttl_s": 0}), json!({"token_ttl_s": "60"}), json!({"token_ttl_s": -5}), json!({"ttl": 1}), json!([1])] {
            assert!(config.update(&bad).is_err(), "{bad}");
        }
        assert_eq!(config.token_ttl_s, 60);
    }
}
