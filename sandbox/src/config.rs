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
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig { token_ttl_s: DEFAULT_TOKEN_TTL_S, tls: false }
    }
}

impl SandboxConfig {
    /// The run-time settings, as `GET /_sandbox/config` shows them.
    pub fn view(&self) -> Value {
        json!({"token_ttl_s": self.token_ttl_s})
    }

    /// Applies the settings a JSON object names; the others keep their values. Nothing changes
    /// unless every named setting is valid.
    pub fn update(&mut self, changes: &Value) -> Result<(), String> {
        let changes = changes.as_object().ok_or("send a JSON object such as {\"token_ttl_s\": 60}")?;
        let mut updated = self.clone();
        for (key, value) in changes {
            match key.as_str() {
                "token_ttl_s" => updated.token_ttl_s = token_ttl(value)?,
                other => return Err(format!("unknown setting {other}; known: token_ttl_s")),
            }
        }
        *self = updated;
        Ok(())
    }
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
        for bad in [json!({"token_ttl_s": 0}), json!({"token_ttl_s": "60"}), json!({"token_ttl_s": -5}), json!({"ttl": 1}), json!([1])] {
            assert!(config.update(&bad).is_err(), "{bad}");
        }
        assert_eq!(config.token_ttl_s, 60);
    }
}
