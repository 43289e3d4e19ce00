//! Credentials and the redactor that keeps them out of everything the library emits.
//!
//! Redaction is by value, not by parameter name: whatever form a secret takes (query string,
//! form body, JSON, an error text), every occurrence of it becomes `***`. The forms are found by
//! decoding the text ([`crate::spelling`]), not by listing spellings: a server may percent-encode
//! any byte in either hex case, or escape any character as `\uXXXX`.

use std::fmt;
use std::ops::Range;

use memchr::memmem::Finder;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::spelling;

pub const MASK: &str = "***";

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

/// The secret values known during one call.
///
/// Every non-empty secret is masked, however short: a short one masks inside ordinary words
/// too, which spoils a message but never leaks the secret. The envelope's own vocabulary (its
/// keys, error codes, statuses) never passes through here.
#[derive(Default, Clone)]
pub struct Redactor {
    /// One searcher per secret, built when the secret is registered rather than per text.
    secrets: Vec<Finder<'static>>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redactor({} values)", self.secrets.len())
    }
}

impl Redactor {
    /// Registers a secret; every spelling of it is masked from now on.
    pub fn add(&mut self, secret: &str) {
        if !secret.is_empty() && !self.secrets.iter().any(|s| s.needle() == secret.as_bytes()) {
            self.secrets.push(Finder::new(secret).into_owned());
        }
    }

    pub fn add_secret(&mut self, secret: &Secret) {
        self.add(secret.expose());
    }

    pub fn redact(&self, text: &str) -> String {
        masked(&self.secrets, text).unwrap_or_else(|| text.to_owned())
    }

    /// Masks in place: a text that holds no secret is neither copied nor rewritten.
    pub fn mask_in_place(&self, text: &mut String) {
        if let Some(masked) = masked(&self.secrets, text) {
            *text = masked;
        }
    }

    /// Redacts every string of a JSON document, keys included: a provider's answer may carry
    /// a secret anywhere.
    pub fn redact_value(&self, mut value: Value) -> Value {
        self.redact_value_in_place(&mut value);
        value
    }

    /// As [`Redactor::redact_value`], changing only what holds a secret: an answer without one
    /// (nearly every answer) is read once and neither copied nor rebuilt.
    fn redact_value_in_place(&self, value: &mut Value) {
        if self.secrets.is_empty() {
            return;
        }
        match value {
            Value::String(s) => self.mask_in_place(s),
            Value::Array(items) => items.iter_mut().for_each(|v| self.redact_value_in_place(v)),
            Value::Object(map) => {
                map.values_mut().for_each(|v| self.redact_value_in_place(v));
                if map.keys().any(|k| masked(&self.secrets, k).is_some()) {
                    *map = std::mem::take(map).into_iter().map(|(k, v)| (self.redact(&k), v)).collect();
                }
            }
            _ => {}
        }
    }

    /// Redacts the values of a map whose keys are ours (the envelope's `data`).
    pub fn redact_entries(&self, mut map: Map<String, Value>) -> Map<String, Value> {
        map.values_mut().for_each(|v| self.redact_value_in_place(v));
        map
    }

    /// Whether no string of the JSON document written as `json` holds a secret in any
    /// spelling, told from the text alone. Without an escape of any layer in the text, every
    /// string (key or value) is spelled in it exactly as it is, and has no other spelling, so
    /// one search of the whole text answers for all of them. A text with an escape, or a match
    /// anywhere (even across strings), answers `false`: the caller redacts string by string.
    pub fn surely_clean_json(&self, json: &str) -> bool {
        spelling::is_plain(json) && self.secrets.iter().all(|secret| secret.find(json.as_bytes()).is_none())
    }
}

/// The text with `secrets` masked; `None` when none of them occurs in it.
fn masked(secrets: &[Finder<'static>], text: &str) -> Option<String> {
    // No decoding makes a text longer, so a text shorter than every secret holds none in
    // any spelling: most of a provider's values (ids, statuses, flags) are skipped here.
    if secrets.iter().all(|secret| secret.needle().len() > text.len()) {
        return None;
    }
    // In the text as it is, a match of a UTF-8 secret lies on character boundaries.
    let mut found: Vec<Range<usize>> = Vec::new();
    for secret in secrets.iter().filter(|secret| secret.needle().len() <= text.len()) {
        found.extend(secret.find_iter(text.as_bytes()).map(|start| start..start + secret.needle().len()));
    }
    // The common case needs no decoding: a text without escapes has no other spelling.
    if !spelling::is_plain(text) {
        for view in spelling::decoded_views(text) {
            for secret in secrets {
                for start in secret.find_iter(&view.bytes) {
                    found.push(view.source(start..start + secret.needle().len()));
                }
            }
        }
    }
    (!found.is_empty()).then(|| mask(text, found))
}

/// Replaces each of the ranges (possibly overlapping, on character boundaries) with `***`.
fn mask(text: &str, mut ranges: Vec<Range<usize>>) -> String {
    if ranges.is_empty() {
        return text.to_owned();
    }
    ranges.sort_by_key(|r| r.start);
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut iter = ranges.into_iter().peekable();
    while let Some(mut range) = iter.next() {
        while let Some(next) = iter.next_if(|n| n.start <= range.end) {
            range.end = range.end.max(next.end);
        }
        out.push_str(&text[copied..range.start]);
        out.push_str(MASK);
        copied = range.end;
    }
    out.push_str(&text[copied..]);
    out
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
    fn masks_nested_values_and_provider_keys_but_not_our_own_keys() {
        let mut r = Redactor::default();
        r.add("tok-12345");
        let v = serde_json::json!({"message": ["see tok-12345", 5], "tok-12345": 1});
        assert_eq!(r.redact_value(v.clone()), serde_json::json!({"message": ["see ***", 5], "***": 1}));
        let data = r.redact_entries(v.as_object().unwrap().clone());
        assert_eq!(Value::Object(data), serde_json::json!({"message": ["see ***", 5], "tok-12345": 1}));
    }

    #[test]
    fn short_values_are_masked_too() {
        let mut r = Redactor::default();
        r.add("Zq9#v2");
        r.add("");
        assert_eq!(r.redact("key Zq9#v2 and Zq9%23v2 and Zq9%23v2x"), "key *** and *** and ***x");
        r.add("a");
        assert_eq!(r.redact("bad"), "b***d");
        assert!(is_secret_parameter("api-key") && is_secret_parameter("Secret") && !is_secret_parameter("reason"));
    }

    /// Every decoding combination `spelling::LAYERS` claims, written out here rather than read
    /// from it, so that a combination dropped there fails here: each spelling is encoded from
    /// the last layer decoded inward, every byte or character escaped.
    #[test]
    fn masks_every_layered_spelling_the_decoder_claims() {
        let percent = |s: &str| -> String { s.bytes().map(|b| format!("%{b:02X}")).collect() };
        let form = |s: &str| -> String { url::form_urlencoded::byte_serialize(s.as_bytes()).collect() };
        let json = |s: &str| -> String { s.encode_utf16().map(|u| format!("\\u{u:04x}")).collect() };
        let html = |s: &str| -> String { s.chars().map(|c| format!("&#x{:X};", c as u32)).collect() };
        for secret in ["k3y wïth/slash*😀+&\\\"q", "p%41ss+w rd/ü&amp;"] {
            let mut r = Redactor::default();
            r.add(secret);
            let spellings = [
                ("percent", percent(secret)),
                ("form", form(secret)),
                ("json", json(secret)),
                ("html", html(secret)),
                ("json of percent", json(&percent(secret))),
                ("json of form", json(&form(secret))),
                ("percent of json", percent(&json(secret))),
                ("percent of percent", percent(&percent(secret))),
                ("html of percent", html(&percent(secret))),
                ("form of json", form(&json(secret))),
                ("html of form", html(&form(secret))),
            ];
            for (layers, spelled) in spellings {
                assert_eq!(r.redact(&format!("<{spelled}>")), "<***>", "{secret:?} as {layers}: {spelled}");
            }
        }
    }

    #[test]
    fn masks_every_spelling_a_server_may_produce() {
        let secret = "k3y wïth/slash*😀+&\\\"q";
        let mut r = Redactor::default();
        r.add(secret);
        let percent_upper: String = secret.bytes().map(|b| format!("%{b:02X}")).collect();
        let percent_lower: String = secret.bytes().map(|b| format!("%{b:02x}")).collect();
        let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let unicode: String = secret.encode_utf16().map(|u| format!("\\u{u:04X}")).collect();
        let php = r#"k3y w\u00efth\/slash*\ud83d\ude00+&\\\"q"#;
        let html = "k3y wïth&#x2F;slash*😀+&amp;\\&quot;q";
        let twice: String = url::form_urlencoded::byte_serialize(percent_upper.as_bytes()).collect();
        for spelling in [secret.to_owned(), percent_upper, percent_lower, form, unicode, php.to_owned(), html.to_owned(), twice] {
            assert_eq!(r.redact(&format!("<{spelling}>")), "<***>", "{spelling}");
        }
    }

    #[test]
    fn any_text_is_redacted_without_panicking_and_never_shows_the_secret_raw() {
        let mut rng = fastrand::Rng::with_seed(11);
        let alphabet = ['a', 'b', '%', '2', 'F', 'f', '\\', 'u', '0', '&', '#', ';', '+', 'é', '😀', '"', '/'];
        for _ in 0..2000 {
            let len = rng.usize(1..8);
            let mut pick = |n: usize| -> String { (0..n).map(|_| rng.choice(alphabet).unwrap()).collect() };
            let (secret, text) = (pick(len), pick(40));
            let mut r = Redactor::default();
            r.add(&secret);
            let masked = r.redact(&format!("{text}{secret}{text}"));
            assert!(!masked.contains(&secret), "{secret:?} in {masked:?}");
        }
    }

    #[test]
    fn random_spellings_are_all_masked() {
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..500 {
            let secret: String = (0..rng.usize(1..12)).map(|_| rng.choice(['a', 'Z', '7', ' ', '/', '%', '+', '"', '\\', 'é', '€']).unwrap()).collect();
            let mut r = Redactor::default();
            r.add(&secret);
            let spelled: String = secret
                .chars()
                .map(|c| {
                    let bytes = c.to_string().into_bytes();
                    match rng.u8(0..4) {
                        // A form encoder spells a space `+`, and then never leaves a `+` raw; a
                        // raw `%` would start an escape.
                        0 if c == ' ' && !secret.contains('+') => "+".to_owned(),
                        _ if c == '%' => "%25".to_owned(),
                        0 | 1 => bytes.iter().map(|b| if rng.bool() { format!("%{b:02x}") } else { format!("%{b:02X}") }).collect(),
                        _ => c.to_string(),
                    }
                })
                .collect();
            let text = format!("x={spelled}&y=1");
            let masked = r.redact(&text);
            assert!(masked.contains(MASK), "{secret:?} spelled {text:?} gave {masked:?}");
            assert!(!masked.contains(&spelled), "{secret:?} spelled {text:?} gave {masked:?}");
            // A document holding the spelling, as a value or as a key, is never taken as clean.
            let document = serde_json::json!({"note": [spelled.clone()], spelled.clone(): 1});
            assert!(!r.surely_clean_json(&document.to_string()), "{secret:?} spelled {spelled:?}");
        }
    }

    #[test]
    fn a_json_text_is_surely_clean_only_without_escapes_and_without_the_secret() {
        let mut r = Redactor::default();
        r.add("sandbox-key");
        assert!(r.surely_clean_json(r#"{"entityid":"84311822","description":"bench-0.example","paused":false,"n":[1,2]}"#));
        assert!(!r.surely_clean_json(r#"{"note":"sandbox-key"}"#));
        // Each layer's escape may hide a spelling: the text is then searched string by string.
        for escaped in [r#"{"a":"b%41"}"#, r#"{"a":"b+c"}"#, r#"{"a":"\u0041"}"#, r#"{"a":"x&amp;y"}"#] {
            assert!(!r.surely_clean_json(escaped), "{escaped}");
        }
        // Secrets that serde_json escapes (a quote, a tab) or writes as they are (multi-byte).
        for secret in ["pa\"ss", "tab\tkey", "ké€y😀"] {
            let mut r = Redactor::default();
            r.add(secret);
            let document = serde_json::json!({"v": format!("x{secret}y"), format!("k{secret}"): 1});
            assert!(!r.surely_clean_json(&document.to_string()), "{secret:?}");
        }
    }
}
