//! LogicBoxes HTTP API (ResellerClub and its other brands).
//!
//! Every call carries `auth-userid` and `api-key`; reads are GET with a query string, changes are
//! POST with a form body so the key stays out of URLs. The API has no envelope: the body *is*
//! the payload (a bare `true`, a JSON string, an object) and errors arrive as
//! `{"status":"ERROR","message":…}`, usually with HTTP 500, so the body is read whatever the
//! status.

use serde_json::Value;
use url::Url;

use super::{Call, OperationSpec, ProductSpec, Provider, ProviderSpec};
use crate::http::{self, Exchange, Method, Reply, Safety};
use crate::operation::Operation;
use crate::request::{AccountField as A, Field as F};
use crate::response::{Error, ErrorCode, Outcome, Status};

const LIVE_URL: &str = "https://httpapi.com";
const TEST_URL: &str = "https://test.httpapi.com";
/// How long a customer login token lives, per the API documentation.
const LOGIN_TOKEN_TTL_S: u64 = 120;

pub struct LogicBoxes;

const fn op(
    operation: Operation,
    required: &'static [F],
    optional: &'static [F],
    account_required: &'static [A],
) -> OperationSpec {
    OperationSpec { operation, required, optional, account_required }
}

static SPEC: ProviderSpec = ProviderSpec {
    name: "logicboxes",
    api_title: "The LogicBoxes API",
    account_required: &[A::AuthUserid, A::ApiKey],
    account_optional: &[A::TestMode, A::BaseUrl, A::PanelUrl, A::CaCertPem],
    operations: &[op(Operation::TestConnection, &[], &[], &[])],
    products: &[ProductSpec {
        key: "customer",
        operations: &[
            op(Operation::Suspend, &[F::CustomerId], &[F::Reason], &[]),
            op(Operation::Unsuspend, &[F::CustomerId], &[F::Reason], &[]),
            op(Operation::ClientAreaUrl, &[F::CustomerId, F::ClientIp], &[], &[A::PanelUrl]),
        ],
    }],
};

impl Provider for LogicBoxes {
    fn spec(&self) -> &'static ProviderSpec {
        &SPEC
    }

    fn perform(&self, call: &mut Call<'_>) -> Result<Outcome, Error> {
        let mut api = Api::new(call)?;
        let product = api.call.product.map(|p| p.key);
        match (product, api.call.operation) {
            (_, Operation::TestConnection) => test_connection(&mut api),
            (Some("customer"), Operation::Suspend) => customer_suspension(&mut api, true),
            (Some("customer"), Operation::Unsuspend) => customer_suspension(&mut api, false),
            (Some("customer"), Operation::ClientAreaUrl) => customer_login_url(&mut api),
            _ => Err(Error::internal("The LogicBoxes provider lacks a handler that its table declares.")),
        }
    }
}

/// A call in progress against one reseller account.
struct Api<'c, 'a> {
    call: &'c mut Call<'a>,
    api_base: Url,
}

impl<'c, 'a> Api<'c, 'a> {
    fn new(call: &'c mut Call<'a>) -> Result<Self, Error> {
        let root = api_root(&call.request.account)?;
        Ok(Api { api_base: http::join(&root, "api"), call })
    }

    fn auth(&self) -> Vec<(String, String)> {
        let account = &self.call.request.account;
        vec![
            ("auth-userid".into(), account.auth_userid.as_ref().map(|i| i.0.clone()).unwrap_or_default()),
            ("api-key".into(), account.api_key.as_ref().map(|k| k.expose().to_owned()).unwrap_or_default()),
        ]
    }

    /// One API call; `params` are encoded as pairs, never concatenated into the URL.
    fn request(&mut self, safety: Safety, path: &str, params: &[(&str, &str)]) -> Result<Value, Error> {
        let mut pairs = self.auth();
        pairs.extend(params.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        let url = http::join(&self.api_base, path);
        let mut exchange = match safety {
            Safety::Read => Exchange::new(Method::Get, url, safety),
            Safety::Change => Exchange::new(Method::Post, url, safety),
        };
        match safety {
            Safety::Read => exchange.query = pairs,
            Safety::Change => exchange.form = Some(pairs),
        }
        let reply = self.call.session.send(&exchange).map_err(|e| e.into_error(safety))?;
        parse_reply(&reply, safety)
    }

    fn get(&mut self, path: &str, params: &[(&str, &str)]) -> Result<Value, Error> {
        self.request(Safety::Read, path, params)
    }

    fn post(&mut self, path: &str, params: &[(&str, &str)]) -> Result<Value, Error> {
        self.request(Safety::Change, path, params)
    }

    fn service_id(&self, field: fn(&crate::request::Service) -> Option<&crate::request::Id>) -> &str {
        field(&self.call.request.service).map(|id| id.as_str()).unwrap_or_default()
    }
}

fn test_connection(api: &mut Api) -> Result<Outcome, Error> {
    let reseller = api.auth()[0].1.clone();
    let body = api.get("billing/reseller-balance.json", &[("reseller-id", &reseller)])?;
    Ok(Outcome { provider_response: body, ..Outcome::default() }.data("reachable", true))
}

fn customer_suspension(api: &mut Api, suspend: bool) -> Result<Outcome, Error> {
    let customer_id = api.service_id(|s| s.customer_id.as_ref()).to_owned();
    let default_reason = if suspend { "Suspended by the billing panel" } else { "Unsuspended by the billing panel" };
    let reason = api.call.request.service.reason.clone().unwrap_or_else(|| default_reason.to_owned());
    let path = if suspend { "customers/suspend.json" } else { "customers/unsuspend.json" };
    let body = api.post(path, &[("customer-id", &customer_id), ("reason", &reason)])?;
    expect_true(&body)?;
    let status = if suspend { Status::Suspended } else { Status::Active };
    Ok(Outcome { provider_response: body, ..Outcome::with_status(status) }.data("customer_id", customer_id))
}

fn customer_login_url(api: &mut Api) -> Result<Outcome, Error> {
    let customer_id = api.service_id(|s| s.customer_id.as_ref()).to_owned();
    let ip = api.call.request.service.client_ip.clone().unwrap_or_default();
    let panel = http::endpoint("panel_url", api.call.request.account.panel_url.as_deref().unwrap_or_default())?;
    let body = api.get("customers/generate-login-token.json", &[("customer-id", &customer_id), ("ip", &ip)])?;
    let token = login_token(&body)?;
    api.call.session.redactor.add(&token);
    let mut url = http::join(&panel, "servlet/AutoLoginServlet");
    url.query_pairs_mut().append_pair("userLoginId", &token).append_pair("role", "customer");
    Ok(Outcome {
        url: Some(url.into()),
        provider_response: body,
        ..Outcome::default()
    }
    .data("customer_id", customer_id)
    .data("expires_in_s", LOGIN_TOKEN_TTL_S))
}

/// `base_url` overrides both official endpoints; `test_mode` picks the test one.
fn api_root(account: &crate::request::Account) -> Result<Url, Error> {
    match account.base_url.as_deref() {
        Some(base) => http::endpoint("base_url", base),
        None if account.test_mode => Ok(Url::parse(TEST_URL).expect("constant URL")),
        None => Ok(Url::parse(LIVE_URL).expect("constant URL")),
    }
}

/// A login token arrives as a JSON string literal.
fn login_token(body: &Value) -> Result<String, Error> {
    match body.as_str().map(str::trim) {
        Some(token) if !token.is_empty() && !token.chars().any(|c| c.is_whitespace() || c.is_control()) => {
            Ok(token.to_owned())
        }
        _ => Err(Error::new(ErrorCode::ProviderError, "LogicBoxes answered without a login token.")),
    }
}

/// Calls that answer a bare `true` on success.
fn expect_true(body: &Value) -> Result<(), Error> {
    let ok = body.as_bool() == Some(true)
        || body.as_str() == Some("true")
        || body.get("status").and_then(Value::as_str).is_some_and(|s| s.eq_ignore_ascii_case("success"));
    if ok {
        Ok(())
    } else {
        Err(Error::new(ErrorCode::OutcomeUnknown, "LogicBoxes answered neither success nor an error; check the account at LogicBoxes before acting again."))
    }
}

/// Reads a LogicBoxes answer of any status into its payload or an error.
///
/// Errors come in several spellings: `status` of `ERROR`/`Error`/`error`/`Failed`, with the text
/// in `message`, `error` or `actionstatusdesc`; or an `error` key alone. An unreadable answer to
/// a change leaves its outcome unknown.
pub fn parse_reply(reply: &Reply, safety: Safety) -> Result<Value, Error> {
    let text = reply.body.trim();
    let parsed: Option<Value> = serde_json::from_str(text).ok();
    let Some(body) = parsed else {
        return Err(unreadable(reply, safety));
    };
    if let Some(message) = error_message(&body) {
        return Err(classify(&message, reply.status));
    }
    if !(200..300).contains(&reply.status) {
        return Err(unreadable(reply, safety));
    }
    Ok(body)
}

fn error_message(body: &Value) -> Option<String> {
    let obj = body.as_object()?;
    let status = obj.get("status").and_then(Value::as_str).unwrap_or_default();
    let failed = status.eq_ignore_ascii_case("error") || status.eq_ignore_ascii_case("failed");
    let text = |key: &str| obj.get(key).and_then(Value::as_str).map(str::to_owned);
    if failed {
        return Some(text("message").or_else(|| text("error")).or_else(|| text("actionstatusdesc")).unwrap_or_else(|| status.to_owned()));
    }
    if status.is_empty() {
        return text("error");
    }
    None
}

fn classify(message: &str, http_status: u16) -> Error {
    let lower = message.to_ascii_lowercase();
    let (code, summary) = if ["access denied", "not authorized", "authentication", "api-key", "auth-userid"]
        .iter()
        .any(|p| lower.contains(p))
    {
        (ErrorCode::AuthenticationFailed, "LogicBoxes refused the reseller credentials or the calling IP; check auth_userid, api_key and the API IP whitelist.")
    } else if ["no entity found", "not found", "does not exist", "invalid order", "invalid customer"]
        .iter()
        .any(|p| lower.contains(p))
    {
        (ErrorCode::NotFound, "LogicBoxes does not know that order or customer; check its id.")
    } else {
        (ErrorCode::ProviderError, "LogicBoxes refused the request; its message says why.")
    };
    Error::new(code, summary).from_provider(Some(message.to_owned()), Some(http_status))
}

fn unreadable(reply: &Reply, safety: Safety) -> Error {
    let (code, tail) = match safety {
        Safety::Change => (
            ErrorCode::OutcomeUnknown,
            " The change may have been made: check the order at LogicBoxes before acting again.",
        ),
        Safety::Read => (ErrorCode::ProviderError, ""),
    };
    Error::new(code, format!("LogicBoxes answered HTTP {} with a body that is not its API's JSON.{tail}", reply.status))
        .from_provider(None, Some(reply.status))
        .retryable(code == ErrorCode::OutcomeUnknown || reply.status >= 500)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, body: &str) -> Reply {
        Reply { status, body: body.into() }
    }

    #[test]
    fn reads_every_error_spelling() {
        for body in [
            r#"{"status":"ERROR","message":"boom"}"#,
            r#"{"status":"Error","message":"boom"}"#,
            r#"{"status":"error","error":"boom"}"#,
            r#"{"error":"boom"}"#,
            r#"{"status":"Failed","actionstatusdesc":"boom"}"#,
        ] {
            let e = parse_reply(&reply(500, body), Safety::Read).unwrap_err();
            assert_eq!(e.provider_message.as_deref(), Some("boom"), "{body}");
            assert_eq!(e.code, ErrorCode::ProviderError);
        }
        let e = parse_reply(&reply(200, r#"{"status":"ERROR","message":"No Entity found for Entityid: 5"}"#), Safety::Read).unwrap_err();
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
        let mut account = crate::request::Account::default();
        assert_eq!(api_root(&account).unwrap().as_str(), "https://httpapi.com/");
        account.test_mode = true;
        assert_eq!(api_root(&account).unwrap().as_str(), "https://test.httpapi.com/");
        account.base_url = Some("http://127.0.0.1:9/logicboxes".into());
        assert_eq!(api_root(&account).unwrap().as_str(), "http://127.0.0.1:9/logicboxes");
        account.base_url = Some("http://reseller.example.com/api".into());
        assert_eq!(api_root(&account).unwrap_err().code, ErrorCode::InvalidRequest);
    }

    #[test]
    fn garbage_after_a_change_is_ambiguous() {
        let e = parse_reply(&reply(200, "<html>oops"), Safety::Change).unwrap_err();
        assert_eq!(e.code, ErrorCode::OutcomeUnknown);
        let e = parse_reply(&reply(502, "<html>bad gateway"), Safety::Read).unwrap_err();
        assert_eq!(e.code, ErrorCode::ProviderError);
    }
}
