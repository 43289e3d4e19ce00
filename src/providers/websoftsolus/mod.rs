//! The licence reseller API ("WebSoftSolus", doc 003): Plesk, cPanel and Virtuozzo licences,
//! ordered, inspected and terminated with a bearer token from `POST /access/token`.
//!
//! Where the documentation is silent, the API is only assumed to answer 401 to a bad or expired
//! token and a non-2xx status with a JSON message for other errors.

mod products;
mod reconcile;
mod token;

use serde_json::Value;
use url::Url;

use super::{settle_state_with, Call, OperationSpec, ProductSpec, Provider, ProviderSpec};
use crate::http::{self, Exchange, Method, Reply, Safety};
use crate::operation::Operation as Op;
use crate::request::{AccountField as A, Field as F, Id, Request};
use crate::response::{Error, ErrorCode, Outcome, Status};

const LIVE_URL: &str = "https://api.websoftsolus.com/";

pub struct WebSoftSolus;

const fn licence_operations(create_options: &'static [&'static str], optional: &'static [&'static str]) -> [OperationSpec; 3] {
    [
        OperationSpec {
            options_required: create_options,
            options_optional: optional,
            // The title is the licence's natural key: it makes a repeated create find the first.
            required_one_of: &["idempotency_key", "service.options.title"],
            ..OperationSpec::new(Op::Create, &[F::Months], &[F::Options])
        },
        OperationSpec::new(Op::Terminate, &[F::OrderId], &[]),
        OperationSpec::new(Op::Details, &[F::OrderId], &[]),
    ]
}

static PLESK: [OperationSpec; 3] = licence_operations(
    &["product", "os"],
    &["title", "comment", "wpb_sites", "wpb_options", "applications", "cbm_clients", "language_pack", "antivirus"],
);
static CPANEL: [OperationSpec; 3] = licence_operations(&["product", "server_ip"], &["title", "comment", "addons"]);
static VIRTUOZZO: [OperationSpec; 3] = licence_operations(&["product", "os"], &["title", "comment"]);

static SPEC: ProviderSpec = ProviderSpec {
    name: "websoftsolus",
    api_title: "The licence API",
    account_required: &[A::Login, A::Secret],
    account_optional: &[A::TestMode, A::BaseUrl, A::CaCertPem],
    operations: &[OperationSpec::new(Op::TestConnection, &[], &[]), OperationSpec::new(Op::Plans, &[], &[])],
    products: &[
        ProductSpec::new("plesk", &PLESK),
        ProductSpec::new("cpanel", &CPANEL),
        ProductSpec::new("virtuozzo", &VIRTUOZZO),
    ],
};

impl Provider for WebSoftSolus {
    fn spec(&self) -> &'static ProviderSpec {
        &SPEC
    }

    fn perform(&self, call: &mut Call<'_>) -> Result<Outcome, Error> {
        let root = api_root(&call.request.account)?;
        let product = call.product;
        let api = &mut Api { call, root };
        match (product, api.call.operation) {
            (_, Op::TestConnection) => test_connection(api),
            (_, Op::Plans) => plans(api),
            (Some(p), Op::Create) => create(api, p),
            (Some(p), Op::Terminate) => terminate(api, p),
            (Some(p), Op::Details) => details(api, p),
            _ => Err(Error::internal("The licence provider lacks a handler that its table declares.")),
        }
    }

    /// A licence is its title (the journal keys a create by `idempotency_key` when there is one).
    fn natural_key(&self, _product: &ProductSpec, request: &Request) -> Option<String> {
        title_of(request).map(|title| format!("title={title}"))
    }
}

/// `base_url` replaces the live endpoint; `test_mode` adds the API's `/test/` environment.
fn api_root(account: &crate::request::Account) -> Result<Url, Error> {
    let root = match account.base_url.as_deref() {
        Some(base) => http::endpoint("base_url", base)?,
        None => Url::parse(LIVE_URL).expect("constant URL"),
    };
    Ok(if account.test_mode { http::join(&root, "test/") } else { root })
}

/// A call in progress against one licence account.
pub struct Api<'c, 'a> {
    call: &'c mut Call<'a>,
    root: Url,
}

impl Api<'_, '_> {
    /// The root with path segments appended, each one percent-encoded.
    fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.root.clone();
        url.path_segments_mut().expect("http(s) URLs have paths").pop_if_empty().extend(segments);
        url
    }

    /// Sends with the account's token; a 401 refreshes the token once and replays once (a
    /// refused token means the request was not carried out).
    fn send(&mut self, method: Method, segments: &[&str], form: Option<Vec<(String, String)>>, safety: Safety) -> Result<Value, Error> {
        let mut token = token::get(self, None)?;
        let mut reply = self.exchange(method, segments, form.clone(), &token, safety)?;
        if reply.status == 401 {
            token = token::get(self, Some(&token))?;
            reply = self.exchange(method, segments, form, &token, safety)?;
        }
        parse_reply_for(&reply, safety)
    }

    fn exchange(&mut self, method: Method, segments: &[&str], form: Option<Vec<(String, String)>>, token: &str, safety: Safety) -> Result<Reply, Error> {
        let exchange = Exchange {
            form,
            headers: vec![("authorization", format!("Bearer {token}"))],
            ..Exchange::new(method, self.url(segments), safety)
        };
        self.call.session.send(&exchange).map_err(|e| e.into_error(safety))
    }

    fn order_id(&self) -> Result<String, Error> {
        let key = Id::text(&self.call.request.service.order_id);
        if crate::ids::is_licence_key(&key) {
            Ok(key)
        } else {
            Err(Error::invalid("The request field `service.order_id` must be a licence key number such as PLSK.04867003."))
        }
    }
}

/// What an error body says, whichever key it uses.
fn message_of(body: &str) -> Option<String> {
    let value = crate::nesting::parse(body.trim()).ok()?;
    if let Some(text) = value.as_str() {
        return Some(text.to_owned());
    }
    ["message", "error", "error_description", "detail"]
        .iter()
        .find_map(|k| value.get(*k).and_then(Value::as_str).map(str::to_owned))
}

/// 2xx with JSON (or nothing) is success; anything else is an error carrying the API's message.
pub fn parse_reply_for(reply: &Reply, safety: Safety) -> Result<Value, Error> {
    let text = reply.body.trim();
    if (200..300).contains(&reply.status) {
        if text.is_empty() {
            return Ok(Value::Null);
        }
        return reply.json().ok_or_else(|| unreadable(reply, safety));
    }
    let Some(message) = message_of(text) else {
        return Err(unreadable(reply, safety));
    };
    if let Some(unknown) = super::failed_after_change("The licence API", reply.status, Some(message.clone()), safety) {
        return Err(unknown);
    }
    let (code, summary) = match reply.status {
        401 | 403 => (ErrorCode::AuthenticationFailed, "The licence API refused the credentials; check account.login and account.secret."),
        404 => (ErrorCode::NotFound, "The licence API does not know that licence; check the key number."),
        429 => (ErrorCode::RateLimited, "The licence API asks to slow down; try again later."),
        _ => (ErrorCode::ProviderError, "The licence API refused the request; its message says why."),
    };
    Err(Error::new(code, summary).from_provider(Some(message), Some(reply.status)))
}

fn unreadable(reply: &Reply, safety: Safety) -> Error {
    let what = format!("HTTP {} with a body that is not JSON", reply.status);
    super::unreadable_answer("The licence API", &what, Some(reply.status), safety)
}

/// Checking the credentials is getting a token: always a fresh one here.
fn test_connection(api: &mut Api) -> Result<Outcome, Error> {
    token::fetch_fresh(api)?;
    Ok(Outcome::default().data("reachable", true))
}

/// Orders a licence at most once: a live licence already titled like this one (a panel
/// retrying after `outcome_unknown`) is answered as the created one, and an order whose answer
/// was lost is looked up before it is placed again.
fn create(api: &mut Api, product: &ProductSpec) -> Result<Outcome, Error> {
    let licence = products::find(product.key).ok_or_else(|| Error::internal("licence product without a table row"))?;
    let request = api.call.request;
    let options = &request.service.options;
    let Some(title) = title_of(request) else {
        return Err(Error::invalid("A licence needs a title: send `idempotency_key` (used as the title) or `service.options.title`."));
    };
    let form = products::order_form(licence, &title, request.service.months.unwrap_or_default(), options)?;
    create_once(api, product, form, &title).map_err(Error::ambiguous_for_create)
}

/// A licence's natural key: `service.options.title`, else the request's `idempotency_key`.
fn title_of(request: &Request) -> Option<String> {
    let title = request.service.options.get("title").and_then(Value::as_str).filter(|t| !t.is_empty());
    title.or(request.idempotency_key.as_deref()).map(str::to_owned)
}

fn create_once(api: &mut Api, product: &ProductSpec, form: Vec<(String, String)>, title: &str) -> Result<Outcome, Error> {
    // The licence an earlier create with this key placed is the answer while it lives.
    if let Some(key) = api.call.prior().known_order().map(str::to_owned) {
        if reconcile::is_live_key(api, product.key, &key, title).map_err(Error::lookup_failed)? {
            return Ok(reconciled(key, title));
        }
    }
    match reconcile::find_by_title(api, product.key, title).map_err(Error::lookup_failed)? {
        reconcile::Found::Live(key) => return Ok(reconciled(key, title)),
        reconcile::Found::Undetermined => return Err(reconcile::undetermined()),
        reconcile::Found::Absent => {}
    }
    match place(api, product, form.clone(), title) {
        Err(lost) if lost.code == ErrorCode::OutcomeUnknown => match reconcile::find_by_title(api, product.key, title) {
            Ok(reconcile::Found::Live(key)) => Ok(reconciled(key, title)),
            Ok(reconcile::Found::Absent) => place(api, product, form, title),
            Ok(reconcile::Found::Undetermined) | Err(_) => Err(lost),
        },
        result => result,
    }
}

fn place(api: &mut Api, product: &ProductSpec, form: Vec<(String, String)>, title: &str) -> Result<Outcome, Error> {
    let body = api.send(Method::Post, &["license", product.key, "order"], Some(form), Safety::Change)?;
    let key = key_of(&body).ok_or_else(|| {
        // Safe to repeat: the repeat finds the licence by its title before ordering.
        Error::new(ErrorCode::OutcomeUnknown, "The licence API accepted the order without a key number; look for a licence titled with the idempotency key before ordering again.")
            .retryable(true)
    })?;
    Ok(Outcome { order_id: Some(key), provider_response: body.into(), ..Outcome::with_status(Status::Active) }
        .data("title", title)
        .data("reconciled", false))
}

fn reconciled(key: String, title: &str) -> Outcome {
    Outcome { order_id: Some(key), ..Outcome::with_status(Status::Active) }.data("title", title).data("reconciled", true)
}

fn key_of(body: &Value) -> Option<String> {
    let text = |v: &Value| v.as_str().filter(|s| !s.is_empty()).map(str::to_owned);
    text(body).or_else(|| ["keyNumber", "key_number", "key", "licenseKey", "license", "id"].iter().find_map(|k| body.get(*k).and_then(text)))
}

/// Terminates; after a lost answer or a refusal, the licence's status says whether it is done
/// (see [`settle_state_with`]).
fn terminate(api: &mut Api, product: &ProductSpec) -> Result<Outcome, Error> {
    let key = api.order_id()?;
    let result = api
        .send(Method::Delete, &["license", product.key, &key], None, Safety::Change)
        .map(|body| Outcome { order_id: Some(key), provider_response: body.into(), ..Outcome::with_status(Status::Terminated) });
    settle_state_with(result, Status::Terminated, || details(api, product))
}

fn details(api: &mut Api, product: &ProductSpec) -> Result<Outcome, Error> {
    let key = api.order_id()?;
    let body = api.send(Method::Get, &["license", product.key, &key], None, Safety::Read)?;
    let field = |names: &[&str]| names.iter().find_map(|n| body.get(*n)).filter(|v| !v.is_null()).cloned().unwrap_or(Value::Null);
    let status = field(&["status", "state"]).as_str().and_then(status_of);
    let expires = field(&["expirationDate", "expiration_date", "expires", "expiry", "expires_at"]);
    let mut outcome = Outcome { order_id: Some(key.clone()), status, ..Outcome::default() }
        .data("key", field(&["keyNumber", "key_number", "key"]).as_str().map(str::to_owned).unwrap_or(key))
        .data("product", product.key)
        .data("title", field(&["title"]))
        .data("comment", field(&["comment"]))
        .data("status", status.map(|s| serde_json::to_value(s).unwrap_or_default()).unwrap_or(Value::Null))
        .data("server_ip", field(&["serverIP", "server_ip", "ip"]))
        .data("expires_at", expires.as_str().map(to_rfc3339).map(Value::from).unwrap_or(expires));
    outcome.provider_response = body.into();
    Ok(outcome)
}

fn status_of(text: &str) -> Option<Status> {
    match text.to_ascii_lowercase().as_str() {
        "active" | "ok" => Some(Status::Active),
        "suspended" => Some(Status::Suspended),
        "terminated" | "cancelled" | "canceled" | "deleted" => Some(Status::Terminated),
        "pending" | "processing" => Some(Status::Pending),
        _ => None,
    }
}

/// A bare date becomes midnight UTC; anything else is kept as the API gave it.
fn to_rfc3339(text: &str) -> String {
    let date = time::Date::parse(text, time::macros::format_description!("[year]-[month]-[day]"));
    match date {
        Ok(date) => format!("{date}T00:00:00Z"),
        Err(_) => text.to_owned(),
    }
}

/// The orderable versions of one product, or of all three.
fn plans(api: &mut Api) -> Result<Outcome, Error> {
    let keys: Vec<&'static str> = match api.call.product {
        Some(p) => vec![p.key],
        None => SPEC.products.iter().map(|p| p.key).collect(),
    };
    let mut plans = Vec::new();
    let mut responses = serde_json::Map::new();
    for key in keys {
        let body = api.send(Method::Get, &["license", key, "order"], None, Safety::Read)?;
        let items = body.as_array().cloned().unwrap_or_default();
        for item in items {
            let name = item.as_str().map(str::to_owned).or_else(|| item.get("product").or_else(|| item.get("name")).and_then(Value::as_str).map(str::to_owned));
            if let Some(name) = name {
                plans.push(serde_json::json!({"product": key, "plan_id": name, "name": name, "status": "active"}));
            }
        }
        responses.insert(key.to_owned(), body);
    }
    Ok(Outcome { provider_response: Value::Object(responses).into(), ..Outcome::default() }.data("plans", plans))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_rows_agree_with_the_validation_table() {
        for product in SPEC.products {
            let licence = products::find(product.key).unwrap();
            let mut required = vec!["product"];
            required.extend(licence.choices.iter().filter(|c| c.default.is_none()).map(|c| c.ours));
            if licence.needs_server_ip {
                required.push("server_ip");
            }
            let create = product.operation(Op::Create).unwrap();
            assert_eq!(create.options_required, required.as_slice(), "{}", product.key);
            for choice in licence.choices.iter().filter(|c| c.default.is_some()) {
                assert!(create.options_optional.contains(&choice.ours), "{}", choice.ours);
            }
            assert_eq!(create.options_optional.contains(&"addons"), !licence.addons.is_empty());
        }
    }

    #[test]
    fn test_mode_adds_the_test_environment() {
        let mut account = crate::request::Account::default();
        assert_eq!(api_root(&account).unwrap().as_str(), "https://api.websoftsolus.com/");
        account.test_mode = true;
        assert_eq!(api_root(&account).unwrap().as_str(), "https://api.websoftsolus.com/test/");
        account.base_url = Some("http://127.0.0.1:9/websoftsolus".into());
        assert_eq!(api_root(&account).unwrap().as_str(), "http://127.0.0.1:9/websoftsolus/test/");
    }

    #[test]
    fn errors_keep_the_api_message() {
        let e = parse_reply_for(&Reply { status: 404, body: r#"{"message":"No such key"}"#.into() }, Safety::Read).unwrap_err();
        assert_eq!((e.code, e.provider_message.as_deref()), (ErrorCode::NotFound, Some("No such key")));
        let e = parse_reply_for(&Reply { status: 502, body: "<html>".into() }, Safety::Change).unwrap_err();
        assert_eq!(e.code, ErrorCode::OutcomeUnknown);
        let gateway = Reply { status: 504, body: r#"{"message":"Endpoint request timed out"}"#.into() };
        let e = parse_reply_for(&gateway, Safety::Change).unwrap_err();
        assert_eq!((e.code, e.provider_message.as_deref()), (ErrorCode::OutcomeUnknown, Some("Endpoint request timed out")));
        assert_eq!(parse_reply_for(&gateway, Safety::Read).unwrap_err().code, ErrorCode::ProviderError);
    }
}
