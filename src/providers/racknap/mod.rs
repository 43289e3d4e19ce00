//! ZNet RackNap Product/Service API v2: services created, suspended, unsuspended and terminated
//! on the reseller's own RackNap domain, authenticated by `Validate: Bearer <token>`.
//!
//! Answers are `{"status":"Success","message":…}` (PHP-encoded); the error shape is not
//! documented, so anything that is not a Success is an error and its message is kept.

mod create;
mod dates;

use serde_json::Value;
use url::Url;

use super::{Call, OperationSpec, ProductSpec, Provider, ProviderSpec};
use crate::http::{self, Exchange, Method, Reply, Safety};
use crate::operation::Operation as Op;
use crate::request::{AccountField as A, Field as F, Id, Request};
use crate::response::{Error, ErrorCode, Outcome, Status};

pub struct RackNap;

static SPEC: ProviderSpec = ProviderSpec {
    name: "racknap",
    api_title: "The RackNap API",
    account_required: &[A::BaseUrl, A::ApiToken],
    account_optional: &[A::CaCertPem],
    operations: &[
        OperationSpec::new(Op::TestConnection, &[], &[F::PlanId]),
        OperationSpec {
            options_optional: &["platform", "currency_id", "partner_id"],
            ..OperationSpec::new(Op::Plans, &[F::PlanId], &[])
        },
    ],
    products: &[ProductSpec::new(
        "service",
        &[
            OperationSpec {
                options_required: create::REQUIRED_OPTIONS,
                options_optional: create::OPTIONAL_OPTIONS,
                call_options: &["confirm_absent"],
                ..OperationSpec::new(Op::Create, &[F::CustomerId, F::PlanId], &[F::Options])
            },
            OperationSpec::new(Op::Suspend, &[F::OrderId], &[]),
            OperationSpec::new(Op::Unsuspend, &[F::OrderId], &[]),
            OperationSpec::new(Op::Terminate, &[F::OrderId], &[]),
        ],
    )],
};

impl Provider for RackNap {
    fn spec(&self) -> &'static ProviderSpec {
        &SPEC
    }

    fn perform(&self, call: &mut Call<'_>) -> Result<Outcome, Error> {
        let base = http::endpoint("base_url", call.request.account.base_url.as_deref().unwrap_or_default())?;
        let api = &mut Api { call, base };
        match api.call.operation {
            Op::Create => create::create(api),
            Op::Suspend => change_state(api, "suspend", Status::Suspended),
            Op::Unsuspend => change_state(api, "unsuspend", Status::Active),
            Op::Terminate => change_state(api, "terminate", Status::Terminated),
            Op::Plans => plans(api),
            Op::TestConnection => test_connection(api),
            _ => Err(Error::internal("The RackNap provider lacks a handler that its table declares.")),
        }
    }

    fn natural_key(&self, _product: &ProductSpec, request: &Request) -> Option<String> {
        Some(create::natural_key(request))
    }
}

/// A call in progress against one RackNap installation.
pub struct Api<'c, 'a> {
    call: &'c mut Call<'a>,
    base: Url,
}

impl Api<'_, '_> {
    /// POSTs a form to `/api/v2/service/<call>` and reads the answer.
    fn post(&mut self, call: &str, form: Vec<(String, String)>, safety: Safety) -> Result<Value, Error> {
        let token = self.call.request.account.api_token.as_ref().map(|t| t.expose()).unwrap_or_default();
        let token = crate::ids::header_value("account.api_token", token)?;
        let exchange = Exchange {
            form: Some(form),
            headers: vec![("validate", format!("Bearer {token}")), ("cache-control", "no-cache".into())],
            ..Exchange::new(Method::Post, http::join(&self.base, &format!("api/v2/service/{call}")), safety)
        };
        let reply = self.call.session.send(&exchange).map_err(|e| e.into_error(safety))?;
        parse_reply(&reply, safety)
    }
}

fn change_state(api: &mut Api, call: &str, status: Status) -> Result<Outcome, Error> {
    let service_id = Id::text(&api.call.request.service.order_id);
    let body = api.post(call, vec![("serviceid".into(), service_id.clone())], Safety::Change)?;
    Ok(Outcome { order_id: Some(service_id), provider_response: body.into(), ..Outcome::with_status(status) })
}

/// `planDetail`, or `cloud_linux_vps_details` when a platform (Linux or Windows) is asked for.
fn plans(api: &mut Api) -> Result<Outcome, Error> {
    let service = &api.call.request.service;
    let plan_id = Id::text(&service.plan_id);
    let option = |key: &str, default: &str| create::option_text(&service.options, key).unwrap_or_else(|| default.to_owned());
    let (call, form) = match service.options.get("platform").and_then(Value::as_str) {
        Some(platform) if ["Linux", "Windows"].contains(&platform) => (
            "cloud_linux_vps_details",
            vec![
                ("planid".to_owned(), plan_id.clone()),
                ("platform".to_owned(), platform.to_owned()),
                ("currency_id".to_owned(), option("currency_id", "1")),
                ("partner_id".to_owned(), option("partner_id", "0")),
            ],
        ),
        Some(_) => return Err(Error::invalid("The request field `service.options.platform` must be Linux or Windows.")),
        None => (
            "planDetail",
            vec![
                ("planid".to_owned(), plan_id.clone()),
                ("currency".to_owned(), option("currency_id", "1")),
                ("pid".to_owned(), option("partner_id", "0")),
            ],
        ),
    };
    let body = api.post(call, form, Safety::Read)?;
    let details = body.get("data").cloned().unwrap_or(Value::Null);
    let name = details.get("name").or_else(|| details.get("plan_name")).cloned().unwrap_or(Value::Null);
    let plan = serde_json::json!({"product": "service", "plan_id": plan_id, "name": name, "status": "active"});
    Ok(Outcome { provider_response: body.into(), ..Outcome::default() }.data("plans", vec![plan]).data("details", details))
}

/// RackNap has no read without input: a plan lookup proves the token and the endpoint, and an
/// unknown plan is still an authenticated answer.
fn test_connection(api: &mut Api) -> Result<Outcome, Error> {
    let plan_id = api.call.request.service.plan_id.as_ref().map(|id| id.0.clone()).unwrap_or_else(|| "0".into());
    let form = vec![("planid".into(), plan_id), ("currency".into(), "1".into()), ("pid".into(), "0".into())];
    match api.post("planDetail", form, Safety::Read) {
        Ok(_) => {}
        // RackNap's own refusal of the plan (HTTP 200, status Error) still proves the token and
        // the endpoint; a 404 or another site's JSON does not.
        Err(e) if e.provider_message.is_some()
            && e.code != ErrorCode::AuthenticationFailed
            && e.http_status.is_some_and(|s| (200..300).contains(&s)) => {}
        Err(e) => return Err(e),
    }
    Ok(Outcome::default().data("reachable", true))
}

/// Reads a RackNap answer: `status` Success (any case) is success; anything else is an error.
pub fn parse_reply(reply: &Reply, safety: Safety) -> Result<Value, Error> {
    let body = reply.json();
    let success = body
        .as_ref()
        .and_then(|b| b.get("status"))
        .and_then(Value::as_str)
        .is_some_and(|s| s.eq_ignore_ascii_case("success"));
    if success && (200..300).contains(&reply.status) {
        return Ok(body.unwrap_or_default());
    }
    let Some(body) = body.filter(|b| b.is_object()) else {
        let what = format!("HTTP {} with a body that is not its API's JSON", reply.status);
        return Err(super::unreadable_answer("RackNap", &what, Some(reply.status), safety));
    };
    let message = ["message", "error", "msg", "error_message", "errors"]
        .iter()
        .find_map(|k| body.get(*k).map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string())))
        .unwrap_or_else(|| "RackNap did not say why.".to_owned());
    if let Some(unknown) = super::failed_after_change("RackNap", reply.status, Some(message.clone()), safety) {
        return Err(unknown);
    }
    let lower = message.to_ascii_lowercase();
    let (code, summary) = if matches!(reply.status, 401 | 403) || ["token", "unauthori", "authenticat"].iter().any(|p| lower.contains(p)) {
        (ErrorCode::AuthenticationFailed, "RackNap refused the API token; check account.api_token and account.base_url.")
    } else if ["not found", "does not exist", "invalid service", "no service", "invalid plan", "invalid customer", "no such customer"]
        .iter()
        .any(|p| lower.contains(p))
    {
        (ErrorCode::NotFound, "RackNap does not know that service, customer or plan; check the id.")
    } else {
        (ErrorCode::ProviderError, "RackNap refused the request; its message says why.")
    };
    Err(Error::new(code, summary).from_provider(Some(message), Some(reply.status)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, body: &str) -> Reply {
        Reply { status, body: body.into() }
    }

    #[test]
    fn success_is_only_a_success_status() {
        assert!(parse_reply(&reply(200, r#"{"status":"Success","message":"ok \/ fine"}"#), Safety::Change).is_ok());
        assert!(parse_reply(&reply(200, r#"{"status":"success"}"#), Safety::Change).is_ok());
        for body in [r#"{"status":"Error","message":"x"}"#, r#"{"error_code":12,"message":"x"}"#, r#"{"message":"x"}"#] {
            let e = parse_reply(&reply(200, body), Safety::Change).unwrap_err();
            assert_eq!(e.provider_message.as_deref(), Some("x"), "{body}");
        }
    }

    #[test]
    fn errors_are_classified_and_garbage_is_ambiguous_for_changes() {
        let e = parse_reply(&reply(401, r#"{"status":"Error","message":"Invalid token"}"#), Safety::Read).unwrap_err();
        assert_eq!(e.code, ErrorCode::AuthenticationFailed);
        let e = parse_reply(&reply(404, r#"{"status":"Error","message":"Service not found"}"#), Safety::Change).unwrap_err();
        assert_eq!(e.code, ErrorCode::NotFound);
        let e = parse_reply(&reply(200, "<html>"), Safety::Change).unwrap_err();
        assert_eq!(e.code, ErrorCode::OutcomeUnknown);
        let e = parse_reply(&reply(502, r#"{"error":"Bad Gateway"}"#), Safety::Change).unwrap_err();
        assert_eq!((e.code, e.provider_message.as_deref()), (ErrorCode::OutcomeUnknown, Some("Bad Gateway")));
        assert_eq!(parse_reply(&reply(502, r#"{"error":"Bad Gateway"}"#), Safety::Read).unwrap_err().code, ErrorCode::ProviderError);
    }
}
