//! The JSON envelope every entry point answers with, and the error vocabulary.
//!
//! Panels branch on `ok` and `error.code`, so both are a closed set; `message` is for the admin.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::call_log::CallLog;
use crate::operation::Operation;
use crate::request::printable;
use crate::secret::Redactor;

/// Version of the envelope's shape; bumped only when a field changes meaning.
pub const API_VERSION: u32 = 1;

/// Every error a call can answer with. The string forms are part of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidRequest,
    UnknownProvider,
    UnknownProduct,
    UnsupportedOperation,
    AuthenticationFailed,
    NotFound,
    ProviderError,
    RateLimited,
    NetworkError,
    Timeout,
    TlsError,
    OutcomeUnknown,
    InternalError,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 13] = [
        ErrorCode::InvalidRequest,
        ErrorCode::UnknownProvider,
        ErrorCode::UnknownProduct,
        ErrorCode::UnsupportedOperation,
        ErrorCode::AuthenticationFailed,
        ErrorCode::NotFound,
        ErrorCode::ProviderError,
        ErrorCode::RateLimited,
        ErrorCode::NetworkError,
        ErrorCode::Timeout,
        ErrorCode::TlsError,
        ErrorCode::OutcomeUnknown,
        ErrorCode::InternalError,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::UnknownProvider => "unknown_provider",
            ErrorCode::UnknownProduct => "unknown_product",
            ErrorCode::UnsupportedOperation => "unsupported_operation",
            ErrorCode::AuthenticationFailed => "authentication_failed",
            ErrorCode::NotFound => "not_found",
            ErrorCode::ProviderError => "provider_error",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::NetworkError => "network_error",
            ErrorCode::Timeout => "timeout",
            ErrorCode::TlsError => "tls_error",
            ErrorCode::OutcomeUnknown => "outcome_unknown",
            ErrorCode::InternalError => "internal_error",
        }
    }

    /// Whether the panel may simply call again with the same request. `outcome_unknown` is not,
    /// by default: only where a repeat is settled first (the journal and a lookup for creates
    /// and renews, the order's state for suspensions) does its producer say so.
    fn retryable_by_default(self) -> bool {
        matches!(self, ErrorCode::RateLimited | ErrorCode::NetworkError | ErrorCode::Timeout)
    }
}

/// A failed call, as the panel sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    pub retryable: bool,
    pub provider_message: Option<String>,
    pub http_status: Option<u16>,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            retryable: code.retryable_by_default(),
            provider_message: None,
            http_status: None,
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::InvalidRequest, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::InternalError, message)
    }

    /// Attaches what the provider itself said.
    pub fn from_provider(mut self, provider_message: Option<String>, http_status: Option<u16>) -> Self {
        self.provider_message = provider_message;
        self.http_status = http_status;
        self
    }

    pub fn retryable(mut self, retryable: bool) -> Self {
        self.retryable = retryable;
        self
    }

    /// For a create: a failure that says nothing about whether an earlier attempt (one whose
    /// answer was lost) placed the order becomes `outcome_unknown`, so the panel retries with the
    /// same key instead of treating the service as not ordered. Definite refusals stay as they
    /// are: bad input, bad credentials, the provider's own error message.
    pub fn ambiguous_for_create(self) -> Error {
        let transient = match self.code {
            ErrorCode::NetworkError | ErrorCode::Timeout | ErrorCode::RateLimited => true,
            ErrorCode::ProviderError => self.provider_message.is_none(),
            _ => false,
        };
        if !transient {
            return self;
        }
        let message = format!(
            "{} Whether an earlier attempt placed the order could not be checked: call create again with the same request and idempotency_key, which finds an existing order instead of placing a second.",
            self.message
        );
        Error { code: ErrorCode::OutcomeUnknown, message, retryable: true, ..self }
    }
}

impl Error {
    /// For a create: the look-up for an order an earlier attempt may have placed failed. Save
    /// refused credentials or a bad request, no failure of it can tell "no order" from "could
    /// not see", whatever the provider's message says, so nothing was ordered and the outcome of
    /// any earlier attempt is unknown.
    pub fn lookup_failed(self) -> Error {
        if matches!(self.code, ErrorCode::AuthenticationFailed | ErrorCode::InvalidRequest | ErrorCode::TlsError) {
            return self;
        }
        let message = format!(
            "hostprov could not tell whether this service was already ordered ({}), so it ordered nothing: call create again with the same request and idempotency_key.",
            self.message.trim_end_matches('.')
        );
        Error { code: ErrorCode::OutcomeUnknown, message, retryable: true, ..self }
    }
}

/// The state of an order, in the envelope's vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Active,
    Suspended,
    Terminated,
    Pending,
}

/// What a provider hands back on success; the envelope adds the rest.
#[derive(Debug, Default)]
pub struct Outcome {
    pub order_id: Option<String>,
    pub status: Option<Status>,
    /// Deliberately not redacted: a client-area link only works with its token in it.
    pub url: Option<String>,
    pub data: Map<String, Value>,
    pub provider_response: ProviderResponse,
}

impl Outcome {
    pub fn with_status(status: Status) -> Self {
        Outcome { status: Some(status), ..Outcome::default() }
    }

    pub fn data(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.data.insert(key.to_owned(), value.into());
        self
    }
}

/// The provider's answer, for the envelope's `provider_response`.
#[derive(Debug, Default)]
pub struct ProviderResponse {
    value: Value,
    /// The text `value` was read from, all of it: written as it came when no secret can hide
    /// in it, rather than serialising `value` again (an answer's largest part on most calls).
    text: Option<String>,
}

impl ProviderResponse {
    /// An answer read from the whole of `text`, which must be the JSON text of `value`.
    pub fn read_from(value: Value, text: String) -> Self {
        ProviderResponse { value, text: Some(text) }
    }
}

impl From<Value> for ProviderResponse {
    fn from(value: Value) -> Self {
        ProviderResponse { value, text: None }
    }
}

/// One HTTP exchange with a provider, for the panel's module log.
#[derive(Debug, Clone, Serialize)]
pub struct CallRecord {
    pub method: &'static str,
    pub url: String,
    pub status: Option<u16>,
    pub elapsed_ms: u64,
    pub request: Option<String>,
    pub response: Option<String>,
    pub error: Option<String>,
}

impl CallRecord {
    /// Masks the record's texts with every secret of the call, once, when the envelope is
    /// written: by then the redactor knows the secrets learnt on the way (login and access
    /// tokens), and records the bounded log dropped are never searched.
    fn mask(&mut self, redactor: &Redactor) {
        redactor.mask_in_place(&mut self.url);
        [&mut self.request, &mut self.response, &mut self.error].into_iter().flatten().for_each(|text| redactor.mask_in_place(text));
    }
}

/// Who the envelope is about: echoed so a panel can log the answer without its request.
#[derive(Debug, Default, Clone)]
pub struct Subject {
    pub operation: Option<&'static str>,
    pub provider: Option<String>,
    pub product: Option<String>,
}

impl Subject {
    pub fn operation(op: Operation) -> Self {
        Subject { operation: Some(op.as_str()), ..Subject::default() }
    }
}

/// Serialises the answer to a call. Every string that comes from the request or a provider,
/// except `url`, passes through the redactor (`provider` and `product` too: a panel may have
/// put a key there), so a secret cannot leave in `data`, `provider_response`, `calls` or a
/// message even by mistake; the envelope's own vocabulary (keys, codes, statuses) is never
/// rewritten.
pub fn envelope(
    subject: &Subject,
    result: Result<Outcome, Error>,
    calls: CallLog,
    redactor: &Redactor,
) -> String {
    write(subject, result, calls, redactor).unwrap_or_else(|_| internal_error_envelope())
}

/// Writes the envelope's fields straight to JSON, in their documented order, without building
/// a JSON document first.
fn write(subject: &Subject, result: Result<Outcome, Error>, calls: CallLog, redactor: &Redactor) -> Result<String, serde_json::Error> {
    let echo = |text: &Option<String>| text.as_deref().map(|t| printable(&redactor.redact(t)));
    let mut doc = Fields::default();
    doc.field("ok", &result.is_ok())?;
    doc.field("api_version", &API_VERSION)?;
    doc.field("operation", &subject.operation)?;
    doc.field("provider", &echo(&subject.provider))?;
    doc.field("product", &echo(&subject.product))?;
    match result {
        Ok(outcome) => {
            doc.field("order_id", &outcome.order_id.map(|id| redactor.redact(&id)))?;
            doc.field("status", &outcome.status)?;
            // Only the values: the keys are ours.
            doc.redacted_field("data", outcome.data, redactor, |data| redactor.redact_entries(data))?;
            doc.provider_response(outcome.provider_response, redactor)?;
            // Written without redaction on purpose: see `Outcome::url`.
            doc.field("url", &outcome.url)?;
        }
        Err(mut error) => {
            // Only the free text: the code is a closed vocabulary that panels branch on.
            error.message = redactor.redact(&error.message);
            error.provider_message = error.provider_message.map(|m| redactor.redact(&m));
            doc.field("error", &error)?;
        }
    }
    let (mut calls, omitted) = calls.into_parts();
    calls.iter_mut().for_each(|c| c.mask(redactor));
    doc.field("calls", &calls)?;
    // Only when the log was cut: see `CallLog`.
    if omitted > 0 {
        doc.field("calls_omitted", &omitted)?;
    }
    Ok(doc.end())
}

/// A JSON object written field by field into one buffer. Its keys are the envelope's own,
/// which need no escaping.
struct Fields {
    out: Vec<u8>,
}

impl Default for Fields {
    fn default() -> Self {
        // Most envelopes fit: growing the buffer would copy it on the way.
        let mut out = Vec::with_capacity(4096);
        out.push(b'{');
        Fields { out }
    }
}

impl Fields {
    fn key(&mut self, key: &'static str) {
        debug_assert!(key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{key}");
        if self.out.len() > 1 {
            self.out.push(b',');
        }
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), serde_json::Error> {
        self.key(key);
        serde_json::to_writer(&mut self.out, value)
    }

    /// A document with no secret in it. Nearly every document holds none, and its text shows
    /// it in one search ([`Redactor::surely_clean_json`]): it is then kept as written, rather
    /// than walked string by string. Otherwise it is written again, rewritten by `redact`.
    fn redacted_field<T: Serialize>(&mut self, key: &'static str, document: T, redactor: &Redactor, redact: impl FnOnce(T) -> T) -> Result<(), serde_json::Error> {
        self.key(key);
        let start = self.out.len();
        serde_json::to_writer(&mut self.out, &document)?;
        // serde_json writes only valid UTF-8.
        let written = std::str::from_utf8(&self.out[start..]).map_err(serde::ser::Error::custom)?;
        if !redactor.surely_clean_json(written) {
            self.out.truncate(start);
            serde_json::to_writer(&mut self.out, &redact(document))?;
        }
        Ok(())
    }

    /// The provider's answer as it came, when its text is at hand and surely clean; otherwise
    /// written from its document like any other.
    fn provider_response(&mut self, answer: ProviderResponse, redactor: &Redactor) -> Result<(), serde_json::Error> {
        const KEY: &str = "provider_response";
        match answer.text.as_deref().map(str::trim) {
            Some(text) if redactor.surely_clean_json(text) => {
                self.key(KEY);
                self.out.extend_from_slice(text.as_bytes());
                Ok(())
            }
            _ => self.redacted_field(KEY, answer.value, redactor, |value| redactor.redact_value(value)),
        }
    }

    fn end(mut self) -> String {
        self.out.push(b'}');
        // serde_json and the keys above write only valid UTF-8; should that ever fail, the
        // panel gets the internal error rather than a broken envelope.
        String::from_utf8(self.out).unwrap_or_else(|_| internal_error_envelope())
    }
}

/// A fixed answer for when nothing else can be produced (a panic, a failed serialisation).
pub fn internal_error_envelope() -> String {
    concat!(
        r#"{"ok":false,"api_version":1,"operation":null,"provider":null,"product":null,"#,
        r#""error":{"code":"internal_error","message":"hostprov hit an internal error; nothing more is known. Please report it.","#,
        r#""retryable":false,"provider_message":null,"http_status":null},"calls":[]}"#
    )
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_written_as_it_came_unless_a_secret_may_hide_in_it() {
        let mut redactor = Redactor::default();
        redactor.add("sandbox-key");
        let provider_response = |text: &str| {
            let outcome = Outcome { provider_response: ProviderResponse::read_from(serde_json::from_str(text).unwrap(), text.to_owned()), ..Outcome::default() };
            let envelope = envelope(&Subject::default(), Ok(outcome), CallLog::default(), &redactor);
            let start = envelope.find(r#""provider_response":"#).unwrap() + r#""provider_response":"#.len();
            let end = envelope.find(r#","url":"#).unwrap();
            envelope[start..end].to_owned()
        };
        // As it came, but for the whitespace around it.
        assert_eq!(provider_response(" {\"b\": 1, \"a\":[true]}\n"), r#"{"b": 1, "a":[true]}"#);
        // A secret, plain or escaped: written from the document, masked.
        assert_eq!(provider_response(r#"{"key":"sandbox-key"}"#), r#"{"key":"***"}"#);
        assert_eq!(provider_response(r#"{"key":"sandbox\u002dkey"}"#), r#"{"key":"***"}"#);
        assert_eq!(provider_response(r#"{"note":"a\"b"}"#), r#"{"note":"a\"b"}"#);
    }

    #[test]
    fn a_secret_learnt_later_is_masked_whole_in_the_log_even_when_it_holds_an_earlier_one() {
        let mut redactor = Redactor::default();
        redactor.add("abc");
        let mut calls = CallLog::default();
        let response = Some(r#"{"token":"abcdef"}"#.to_owned());
        calls.push(CallRecord { method: "GET", url: "https://x.example/?t=abcdef".into(), status: Some(200), elapsed_ms: 0, request: None, response, error: None });
        // A login token learnt after the exchange was logged, which happens to contain the key.
        redactor.add("abcdef");
        let out = envelope(&Subject::default(), Ok(Outcome::default()), calls, &redactor);
        assert!(!out.contains("def") && out.contains(r#"?t=***"#), "{out}");
    }

    #[test]
    fn data_and_the_provider_answer_are_written_as_they_are_unless_a_secret_may_hide_in_them() {
        let mut redactor = Redactor::default();
        redactor.add("sandbox-key");
        let answer = serde_json::json!({"entityid": "84311822", "sandbox-key": {"note": "sandbox%2Dkey"}, "list": ["sandbox-key", 5]});
        let outcome = Outcome { data: Map::from_iter([("sandbox-key".to_owned(), Value::from("sandbox%2dkey"))]), provider_response: answer.into(), ..Outcome::default() };
        let out: Value = serde_json::from_str(&envelope(&Subject::default(), Ok(outcome), CallLog::default(), &redactor)).unwrap();
        // `data`'s keys are ours and stay; its values and every string of the answer are masked,
        // the percent-encoded spelling too.
        assert_eq!(out["data"], serde_json::json!({"sandbox-key": "***"}));
        assert_eq!(out["provider_response"], serde_json::json!({"entityid": "84311822", "***": {"note": "***"}, "list": ["***", 5]}));

        let clean = serde_json::json!({"entityid": "84311822", "description": "bench-0.example", "n": [1.5, null, true]});
        let outcome = Outcome { data: Map::from_iter([("order_id".to_owned(), Value::from("84311822"))]), provider_response: clean.clone().into(), ..Outcome::default() };
        let text = envelope(&Subject::default(), Ok(outcome), CallLog::default(), &redactor);
        assert!(text.contains(&format!(r#""data":{{"order_id":"84311822"}},"provider_response":{clean}"#)), "{text}");
    }
}
