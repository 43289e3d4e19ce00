//! Talking to the LogicBoxes HTTP API: endpoints, authentication, and reading its answers.
//!
//! Every call carries `auth-userid` and `api-key`; reads are GET with a query string, changes are
//! POST with a form body so the key stays out of URLs. The API has no envelope: the body *is*
//! the payload (a bare `true`, a bare integer, a JSON string, an object) and errors arrive as
//! `{"status":"ERROR","message":…}`, usually with HTTP 500, so the body is read whatever the
//! status.

use serde_json::Value;
use url::Url;

use crate::http::{self, Exchange, Method, Reply, Safety};
use crate::providers::Call;
use crate::request::{Account, Id, Service};
use crate::response::{Error, ErrorCode, ProviderResponse};

const LIVE_URL: &str = "https://httpapi.com";
const TEST_URL: &str = "https://test.httpapi.com";

/// A call in progress against one reseller account.
pub struct Api<'c, 'a> {
    pub call: &'c mut Call<'a>,
    api_base: Url,
}

impl<'c, 'a> Api<'c, 'a> {
    pub fn new(call: &'c mut Call<'a>) -> Result<Self, Error> {
        let root = api_root(&call.request.account)?;
        Ok(Api { api_base: http::join(&root, "api"), call })
    }

    pub fn service(&self) -> &Service {
        &self.call.request.service
    }

    pub fn account(&self) -> &Account {
        &self.call.request.account
    }

    /// A `service` id field the dispatcher has already checked to be present.
    pub fn id(&self, field: fn(&Service) -> &Option<Id>) -> String {
        Id::text(field(self.service()))
    }

    pub fn reseller_id(&self) -> String {
        Id::text(&self.account().auth_userid)
    }

    fn auth(&self) -> Vec<(String, String)> {
        let key = self.account().api_key.as_ref().map(|k| k.expose().to_owned()).unwrap_or_default();
        vec![("auth-userid".into(), self.reseller_id()), ("api-key".into(), key)]
    }

    /// One API call; `params` are encoded as pairs, never concatenated into the URL.
    fn request(&mut self, safety: Safety, path: &str, params: &[(&str, &str)]) -> Result<Answer, Error> {
        let mut pairs = self.auth();
        pairs.extend(params.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        let url = http::join(&self.api_base, path);
        let exchange = match safety {
            Safety::Read => Exchange { query: pairs, ..Exchange::new(Method::Get, url, safety) },
            Safety::Change => Exchange { form: Some(pairs), ..Exchange::new(Method::Post, url, safety) },
        };
        let reply = self.call.session.send(&exchange).map_err(|e| e.into_error(safety))?;
        let body = parse_reply(&reply, safety)?;
        Ok(Answer { body, text: reply.body })
    }

    pub fn get(&mut self, path: &str, params: &[(&str, &str)]) -> Result<Value, Error> {
        self.request(Safety::Read, path, params).map(|answer| answer.body)
    }

    pub fn post(&mut self, path: &str, params: &[(&str, &str)]) -> Result<Value, Error> {
        self.request(Safety::Change, path, params).map(|answer| answer.body)
    }

    /// As [`Api::get`], keeping the answer's text for the envelope.
    pub fn get_answer(&mut self, path: &str, params: &[(&str, &str)]) -> Result<Answer, Error> {
        self.request(Safety::Read, path, params)
    }

    /// As [`Api::post`], keeping the answer's text for the envelope.
    pub fn post_answer(&mut self, path: &str, params: &[(&str, &str)]) -> Result<Answer, Error> {
        self.request(Safety::Change, path, params)
    }
}

/// A successful answer: its payload, and the text it was read from.
pub struct Answer {
    body: Value,
    text: String,
}

impl Answer {
    /// The payload; read-only, since `provider_response` is written from the text.
    pub fn body(&self) -> &Value {
        &self.body
    }

    /// The envelope's `provider_response`: the payload, written from its own text.
    pub fn into_provider_response(self) -> ProviderResponse {
        ProviderResponse::read_from(self.body, self.text)
    }
}

/// `base_url` overrides both official endpoints; `test_mode` picks the test one.
pub fn api_root(account: &Account) -> Result<Url, Error> {
    match account.base_url.as_deref() {
        Some(base) => http::endpoint("base_url", base),
        None if account.test_mode => Ok(Url::parse(TEST_URL).expect("constant URL")),
        None => Ok(Url::parse(LIVE_URL).expect("constant URL")),
    }
}

/// Calls that answer a bare `true` on success.
pub fn expect_true(body: &Value, safety: Safety) -> Result<(), Error> {
    let ok = body.as_bool() == Some(true)
        || body.as_str() == Some("true")
        || body.get("status").and_then(Value::as_str).is_some_and(|s| s.eq_ignore_ascii_case("success"));
    if ok {
        return Ok(());
    }
    Err(unexpected(safety, "neither `true` nor an error"))
}

/// An answer of the wrong shape: for a change, nobody can say whether it happened.
pub fn unexpected(safety: Safety, what: &str) -> Error {
    crate::providers::unreadable_answer("LogicBoxes", what, None, safety)
}

/// Reads a LogicBoxes answer of any status into its payload or an error.
///
/// The API's own errors carry a `status` of `ERROR`, `Error`, `error` or `Failed` (a failed
/// action), with the text in `message`, `error` or `actionstatusdesc`, usually with HTTP 500.
/// Anything else that is not a 2xx JSON body came from somewhere else: a proxy's 502 or 504,
/// with an HTML page or a JSON body of its own (`{"error":"Bad Gateway"}`,
/// `{"message":"Endpoint request timed out"}`). After a change such an answer does not mean the
/// change failed, so its outcome is unknown.
pub fn parse_reply(reply: &Reply, safety: Safety) -> Result<Value, Error> {
    let body = reply.json();
    if let Some(message) = body.as_ref().and_then(api_error) {
        return Err(classify(&message, reply.status));
    }
    match body {
        Some(body) if (200..300).contains(&reply.status) => Ok(body),
        _ => Err(unreadable(reply, safety)),
    }
}

/// The text of the API's own error body; `None` for anything else, however error-like.
fn api_error(body: &Value) -> Option<String> {
    let obj = body.as_object()?;
    let status = obj.get("status")?.as_str()?;
    if !(status.eq_ignore_ascii_case("error") || status.eq_ignore_ascii_case("failed")) {
        return None;
    }
    let message = ["message", "error", "actionstatusdesc"].iter().find_map(|key| obj.get(*key).and_then(Value::as_str));
    Some(message.unwrap_or(status).to_owned())
}

/// LogicBoxes sends ids, counts and amounts as strings or numbers, depending on the call.
pub fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A flag. LogicBoxes sends the strings `"true"`/`"false"`, in answers whose values are "nearly
/// all" strings: a JSON boolean is read as the same flag, not as none (a renew keeps the order's
/// auto-renewal from it, and none would switch it off). Any other string reads `false`.
pub fn flag(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(flag) => Some(*flag),
        Value::String(s) if !s.is_empty() => Some(s.eq_ignore_ascii_case("true")),
        _ => None,
    }
}

/// The error code of an API error body. It only names the kind of failure for the panel: no
/// decision that could order, renew or charge twice is ever taken from a message's wording.
fn classify(message: &str, http_status: u16) -> Error {
    let lower = message.to_ascii_lowercase();
    let matches = |patterns: &[&str]| patterns.iter().any(|p| lower.contains(p));
    let (code, summary) = if matches(&["access denied", "not authorized", "authentication", "api-key", "auth-userid"]) {
        (
            ErrorCode::AuthenticationFailed,
            "LogicBoxes refused the reseller credentials or the calling IP; check auth_userid, api_key and the API IP whitelist.",
        )
    } else if matches(&["no entity found", "not found", "does not exist", "invalid order", "invalid customer"]) {
        (ErrorCode::NotFound, "LogicBoxes does not know that order, customer or domain; check the id.")
    } else {
        (ErrorCode::ProviderError, "LogicBoxes refused the request; its message says why.")
    };
    Error::new(code, summary).from_provider(Some(message.to_owned()), Some(http_status))
}

fn unreadable(reply: &Reply, safety: Safety) -> Error {
    let what = format!("HTTP {} with a body that is not its API's JSON", reply.status);
    crate::providers::unreadable_answer("LogicBoxes", &what, Some(reply.status), safety)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, body: &str) -> Reply {
        Reply { status, body: body.into() }
    }

    #[test]
    fn flags_are_read_from_strings_and_booleans() {
        use serde_json::json;
        for (value, expected) in [(json!("true"), Some(true)), (json!("True"), Some(true)), (json!("false"), Some(false)), (json!(true), Some(true)), (json!(false), Some(false)), (json!(""), None), (json!(null), None), (json!(1), None)] {
            assert_eq!(flag(&value), expected, "{value}");
        }
    }

    #[test]
    fn reads_every_error_spelling() {
        for (status, body) in [
            (500, r#"{"status":"ERROR","message":"boom"}"#),
            (500, r#"{"status":"Error","message":"boom"}"#),
            (500, r#"{"status":"error","error":"boom"}"#),
            (200, r#"{"status":"ERROR","message":"boom"}"#),
            (200, r#"{"status":"Failed","actionstatusdesc":"boom","entityid":"5"}"#),
        ] {
            for safety in [Safety::Read, Safety::Change] {
                let e = parse_reply(&reply(status, body), safety).unwrap_err();
                assert_eq!(e.provider_message.as_deref(), Some("boom"), "{body}");
                assert_eq!(e.code, ErrorCode::ProviderError);
            }
        }
        let e = parse_reply(&reply(200, r#"{"status":"ERROR","message":"No Entity found for Entityid: 5"}"#), Safety::Read)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::NotFound);
    }

    #[test]
    fn bare_values_are_payloads() {
        assert_eq!(parse_reply(&reply(200, "true\n"), Safety::Change).unwrap(), Value::Bool(true));
        assert_eq!(parse_reply(&reply(200, "84372632\n"), Safety::Read).unwrap(), Value::from(84372632));
        assert_eq!(parse_reply(&reply(200, "\"tok\""), Safety::Read).unwrap(), Value::from("tok"));
    }

    #[test]
    fn picks_live_test_or_overridden_endpoint() {
        let mut account = Account::default();
        assert_eq!(api_root(&account).unwrap().as_str(), "https://httpapi.com/");
        account.test_mode = true;
        assert_eq!(api_root(&account).unwrap().as_str(), "https://test.httpapi.com/");
        account.base_url = Some("http://127.0.0.1:9/logicboxes".into());
        assert_eq!(api_root(&account).unwrap().as_str(), "http://127.0.0.1:9/logicboxes");
        account.base_url = Some("http://reseller.example.com/api".into());
        assert_eq!(api_root(&account).unwrap_err().code, ErrorCode::InvalidRequest);
    }

    #[test]
    fn a_proxys_json_after_a_change_is_not_the_apis_refusal() {
        for (status, body) in [(502, r#"{"error":"Bad Gateway"}"#), (504, r#"{"message":"Endpoint request timed out"}"#), (503, "{}")] {
            let e = parse_reply(&reply(status, body), Safety::Change).unwrap_err();
            assert_eq!(e.code, ErrorCode::OutcomeUnknown, "{body}");
            assert_eq!(e.provider_message, None);
            let e = parse_reply(&reply(status, body), Safety::Read).unwrap_err();
            assert_eq!((e.code, e.retryable), (ErrorCode::ProviderError, true), "{body}");
        }
    }

    #[test]
    fn garbage_after_a_change_is_ambiguous() {
        let e = parse_reply(&reply(200, "<html>oops"), Safety::Change).unwrap_err();
        assert_eq!(e.code, ErrorCode::OutcomeUnknown);
        let e = parse_reply(&reply(502, "<html>bad gateway"), Safety::Read).unwrap_err();
        assert_eq!(e.code, ErrorCode::ProviderError);
    }
}
