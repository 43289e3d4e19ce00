//! Injected faults: which provider requests fail, and how. `PUT /_sandbox/faults` sets a rate, the
//! kinds to choose from, a latency and a seed; every provider request then draws from a seeded
//! generator, so that a run can be replayed fault for fault. The server carries the faults out
//! (see `service`); this module only decides.
//!
//! The kinds are a contract: the library decides what to retry and what to reconcile from what
//! its client sees, so each kind says exactly whether the request was carried out.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

/// Seeds drawn when none is given stay below 2^53, so that any JSON reader (JavaScript's, PHP's
/// floats) can hand them back exactly to replay a run.
const RANDOM_SEEDS: std::ops::Range<u64> = 0..1 << 53;

use crate::config::MAX_LATENCY_MS;

/// One way for a provider request to go wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FaultKind {
    /// The connection is closed (reset) as soon as the request head arrives; nothing is done.
    Refuse,
    /// The whole request is read, nothing is done, the connection is reset without an answer.
    ResetBeforeCommit,
    /// The request is carried out, then the connection is reset without an answer.
    ResetAfterCommit,
    /// The request is carried out, then the connection is held open without an answer.
    TimeoutAfterCommit,
    /// Nothing is done; HTTP 500 with an HTML page, not the provider's own error shape.
    Http500,
    /// Nothing is done; HTTP 503 with an HTML page.
    Http503,
    /// The request is carried out, then HTTP 200 with a JSON body cut short.
    Malformed200,
    /// Nothing is done; HTTP 502 with a proxy's HTML "Bad Gateway" page.
    Html502,
    /// The request is carried out, then a proxy answers HTTP 502 with a JSON body of its own,
    /// `{"error":"Bad Gateway"}`: JSON, yet not the provider's error shape.
    Json502,
    /// The request is carried out, then a gateway gives up waiting: HTTP 504 with
    /// `{"message":"Endpoint request timed out"}`.
    Json504,
}

impl FaultKind {
    pub const ALL: [FaultKind; 10] = [
        FaultKind::Refuse,
        FaultKind::ResetBeforeCommit,
        FaultKind::ResetAfterCommit,
        FaultKind::TimeoutAfterCommit,
        FaultKind::Http500,
        FaultKind::Http503,
        FaultKind::Malformed200,
        FaultKind::Html502,
        FaultKind::Json502,
        FaultKind::Json504,
    ];

    pub fn name(self) -> &'static str {
        match self {
            FaultKind::Refuse => "refuse",
            FaultKind::ResetBeforeCommit => "reset_before_commit",
            FaultKind::ResetAfterCommit => "reset_after_commit",
            FaultKind::TimeoutAfterCommit => "timeout_after_commit",
            FaultKind::Http500 => "http_500",
            FaultKind::Http503 => "http_503",
            FaultKind::Malformed200 => "malformed_200",
            FaultKind::Html502 => "html_502",
            FaultKind::Json502 => "json_502",
            FaultKind::Json504 => "json_504",
        }
    }

    fn named(name: &str) -> Option<FaultKind> {
        FaultKind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// Whether the request is carried out (state changed) before the fault shows.
    pub fn commits(self) -> bool {
        matches!(
            self,
            FaultKind::ResetAfterCommit | FaultKind::TimeoutAfterCommit | FaultKind::Malformed200 | FaultKind::Json502 | FaultKind::Json504
        )
    }
}

/// The fault settings and the generator they draw from. A reset puts back the default: no faults.
#[derive(Debug)]
pub struct Faults {
    rate: f64,
    kinds: Vec<FaultKind>,
    latency_ms: u64,
    seed: u64,
    /// Only requests with these methods draw a fault (all when `None`): lets a test lose the
    /// answer to a change while the reads that check its outcome go through.
    methods: Option<Vec<String>>,
    rng: fastrand::Rng,
}

impl Default for Faults {
    fn default() -> Self {
        Faults::seeded(0.0, FaultKind::ALL.to_vec(), 0, fastrand::u64(RANDOM_SEEDS))
    }
}

impl Faults {
    fn seeded(rate: f64, kinds: Vec<FaultKind>, latency_ms: u64, seed: u64) -> Self {
        Faults { rate, kinds, latency_ms, seed, methods: None, rng: fastrand::Rng::with_seed(seed) }
    }

    /// Settings from a `PUT /_sandbox/faults` body. The body replaces the settings as a whole: a
    /// key left out takes its default (rate 0, every kind, no latency, a random seed), and the
    /// generator starts afresh from the seed.
    pub fn from_json(body: &Value) -> Result<Faults, String> {
        let body = body.as_object().ok_or("send a JSON object such as {\"rate\": 0.2, \"kinds\": [\"reset_after_commit\"], \"seed\": 1}")?;
        if let Some(unknown) = body.keys().find(|k| !["rate", "kinds", "latency_ms", "seed", "methods"].contains(&k.as_str())) {
            return Err(format!("unknown setting {unknown}; known: rate, kinds, latency_ms, seed, methods"));
        }
        let rate = match body.get("rate") {
            None => 0.0,
            Some(value) => value.as_f64().filter(|r| (0.0..=1.0).contains(r)).ok_or_else(|| format!("rate must be a number from 0 to 1, not {value}"))?,
        };
        let kinds = match body.get("kinds") {
            None => FaultKind::ALL.to_vec(),
            Some(value) => kinds(value)?,
        };
        let latency_ms = match body.get("latency_ms") {
            None => 0,
            Some(value) => value
                .as_u64()
                .filter(|ms| *ms <= MAX_LATENCY_MS)
                .ok_or_else(|| format!("latency_ms must be a whole number from 0 to {MAX_LATENCY_MS}, not {value}"))?,
        };
        let seed = match body.get("seed") {
            None => fastrand::u64(RANDOM_SEEDS),
            Some(value) => value.as_u64().ok_or_else(|| format!("seed must be a whole number from 0 to 2^64-1, not {value}"))?,
        };
        let methods = match body.get("methods") {
            None | Some(Value::Null) => None,
            Some(value) => Some(methods(value)?),
        };
        Ok(Faults { methods, ..Faults::seeded(rate, kinds, latency_ms, seed) })
    }

    /// The settings as `GET /_sandbox/faults` shows them, with the seed in use (drawn at random
    /// when none was given), so that any run can be replayed.
    pub fn view(&self) -> Value {
        json!({
            "rate": self.rate,
            "kinds": self.kinds.iter().map(|k| k.name()).collect::<Vec<_>>(),
            "latency_ms": self.latency_ms,
            "seed": self.seed,
            "methods": self.methods,
        })
    }

    pub fn latency_ms(&self) -> u64 {
        self.latency_ms
    }

    /// The fate of the next provider request: one draw decides whether it fails, a second which
    /// way, both from the seeded generator.
    pub fn draw(&mut self, method: &str) -> Option<FaultKind> {
        if self.methods.as_ref().is_some_and(|only| !only.iter().any(|m| m == method)) {
            return None;
        }
        if self.rng.f64() >= self.rate {
            return None;
        }
        Some(self.kinds[self.rng.usize(..self.kinds.len())])
    }
}

/// A non-empty list of known kind names, each kept once.
fn methods(value: &Value) -> Result<Vec<String>, String> {
    const KNOWN: [&str; 4] = ["GET", "POST", "PUT", "DELETE"];
    let names = value.as_array().filter(|a| !a.is_empty()).ok_or_else(|| format!("methods must be a list such as [\"POST\"], not {value}"))?;
    names
        .iter()
        .map(|m| m.as_str().filter(|m| KNOWN.contains(m)).map(str::to_owned).ok_or_else(|| format!("methods may hold only {}", KNOWN.join(", "))))
        .collect()
}

fn kinds(value: &Value) -> Result<Vec<FaultKind>, String> {
    let known = || FaultKind::ALL.map(FaultKind::name).join(", ");
    let names = value.as_array().ok_or_else(|| format!("kinds must be a list of fault kinds ({}), not {value}", known()))?;
    let mut kinds = Vec::new();
    for name in names {
        let kind = name.as_str().and_then(FaultKind::named).ok_or_else(|| format!("unknown fault kind {name}; known: {}", known()))?;
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    if kinds.is_empty() {
        return Err(format!("kinds must name at least one fault kind ({})", known()));
    }
    Ok(kinds)
}

/// Injected faults per kind, every kind listed, for `/_sandbox/stats`.
pub fn counts_view(counts: &BTreeMap<FaultKind, u64>) -> Value {
    let counts: Map<String, Value> = FaultKind::ALL.iter().map(|kind| (kind.name().to_owned(), json!(counts.get(kind).copied().unwrap_or(0)))).collect();
    Value::Object(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn faults(body: Value) -> Faults {
        Faults::from_json(&body).unwrap()
    }

    #[test]
    fn settings_default_to_no_faults_and_every_kind() {
        let view = faults(json!({"seed": 7})).view();
        assert_eq!(view["rate"], 0.0);
        assert_eq!(view["latency_ms"], 0);
        assert_eq!(view["seed"], 7);
        assert_eq!(view["kinds"].as_array().unwrap().len(), FaultKind::ALL.len());
        let mut off = faults(json!({"rate": 0, "seed": 7}));
        assert!((0..1000).all(|_| off.draw("GET").is_none()));
    }

    #[test]
    fn bad_settings_are_refused() {
        for bad in [
            json!({"rate": 1.5}),
            json!({"rate": -0.1}),
            json!({"rate": "0.2"}),
            json!({"kinds": []}),
            json!({"kinds": ["reset"]}),
            json!({"kinds": "refuse"}),
            json!({"latency_ms": -1}),
            json!({"latency_ms": MAX_LATENCY_MS + 1}),
            json!({"seed": 1.5}),
            json!({"seeds": 1}),
            json!([]),
        ] {
            assert!(Faults::from_json(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_seed_replays_the_same_faults() {
        let body = json!({"rate": 0.5, "kinds": ["refuse", "http_500", "malformed_200"], "seed": 42});
        let (mut first, mut second) = (faults(body.clone()), faults(body));
        let run = |f: &mut Faults| (0..200).map(|_| f.draw("POST")).collect::<Vec<_>>();
        let sequence = run(&mut first);
        assert_eq!(sequence, run(&mut second));
        let injected = sequence.iter().flatten().count();
        assert!((60..140).contains(&injected), "about half of 200: {injected}");
        for kind in [FaultKind::Refuse, FaultKind::Http500, FaultKind::Malformed200] {
            assert!(sequence.contains(&Some(kind)), "{kind:?} is drawn");
        }
        assert!(sequence.iter().flatten().all(|k| [FaultKind::Refuse, FaultKind::Http500, FaultKind::Malformed200].contains(k)));
    }

    #[test]
    fn rate_one_faults_every_request() {
        let mut always = faults(json!({"rate": 1, "kinds": ["http_503"], "seed": 3}));
        assert!((0..1000).all(|_| always.draw("GET") == Some(FaultKind::Http503)));
    }

    #[test]
    fn a_method_filter_spares_other_methods() {
        let mut posts = Faults::from_json(&json!({"rate": 1.0, "kinds": ["reset_after_commit"], "methods": ["POST"]})).unwrap();
        assert_eq!(posts.draw("GET"), None);
        assert_eq!(posts.draw("POST"), Some(FaultKind::ResetAfterCommit));
        assert!(Faults::from_json(&json!({"methods": ["PATCH"]})).is_err());
        assert!(Faults::from_json(&json!({"methods": []})).is_err());
    }
}
