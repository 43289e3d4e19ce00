//! Finding a reseller's customer: by id (`customers/details-by-id.json`), by username — the
//! e-mail address — through `customers/search.json`, or by the token the control panel hands a
//! customer it redirects to the reseller's own site (`authenticate-token-without-history.json`).
//!
//! Whether a customer exists is read from the search's counts and ids, never from an error's
//! wording; a search that cannot be read in full is an error, not "absent".

use serde_json::{Map, Value};

use super::super::api::{self, Api};
use super::super::details::{epoch_to_rfc3339, status_of, status_value};
use super::super::search;
use super::form;
use crate::http::Safety;
use crate::response::{Error, ErrorCode, Outcome};

/// A customer as a search record shows it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub customer_id: u64,
    pub username: Option<String>,
    pub provider_status: Option<String>,
    pub record: Value,
}

/// Every customer whose username is `email` (compared without regard to case: the search
/// itself may match more loosely), lowest id first.
pub fn by_username(api: &mut Api, email: &str) -> Result<Vec<Listed>, Error> {
    let mut found = search::every_record(api, "customers/search.json", &[("username", email)], listed)?;
    found.retain(|customer| customer.username.as_deref().is_some_and(|u| u.eq_ignore_ascii_case(email)));
    found.sort_by_key(|customer| customer.customer_id);
    Ok(found)
}

fn listed(record: &Value) -> Option<Listed> {
    let text = |key: &str| record.get(key).and_then(api::text);
    Some(Listed {
        customer_id: record.get("customer.customerid").and_then(search::number)?,
        username: text("customer.username"),
        provider_status: text("customer.customerstatus"),
        record: record.clone(),
    })
}

/// What `details` was asked to look a customer up by: exactly one of these.
enum Key {
    Id(String),
    Email(String),
    Token(String),
}

fn key(api: &Api) -> Result<Key, Error> {
    let request = &api.call.request;
    let options = &request.service.options;
    let mut keys = Vec::new();
    if let Some(id) = &request.service.customer_id {
        keys.push(Key::Id(id.0.clone()));
    }
    if request.has("service.options.email") {
        keys.push(Key::Email(form::email(options, "email")?));
    }
    if request.has("service.options.token") {
        keys.push(Key::Token(token(options)?));
    }
    match keys.len() {
        1 => Ok(keys.remove(0)),
        _ => Err(Error::invalid(
            "details of a customer needs exactly one of `service.customer_id`, `service.options.email` or `service.options.token`.",
        )),
    }
}

/// A token as the control panel hands it over: one printable word.
fn token(options: &Map<String, Value>) -> Result<String, Error> {
    match options.get("token") {
        Some(Value::String(t)) if t.len() <= 256 && t.bytes().all(|b| b.is_ascii_graphic()) => Ok(t.clone()),
        _ => Err(Error::invalid("The request field `service.options.token` must be the token from the control panel's redirect.")),
    }
}

/// `customer` details by `customer_id`, e-mail or redirect token.
pub fn details(api: &mut Api) -> Result<Outcome, Error> {
    match key(api)? {
        Key::Id(id) => by_id(api, &id),
        Key::Email(email) => match by_username(api, &email)?.first() {
            Some(customer) => by_id(api, &customer.customer_id.to_string()),
            None => Err(Error::new(ErrorCode::NotFound, "LogicBoxes has no customer with that e-mail address.")),
        },
        Key::Token(token) => by_token(api, &token),
    }
}

/// The customer with that id, as `details` shows it.
pub fn by_id(api: &mut Api, customer_id: &str) -> Result<Outcome, Error> {
    let body = api.get("customers/details-by-id.json", &[("customer-id", customer_id)])?;
    customer_outcome(body).ok_or_else(|| api::unexpected(Safety::Read, "customer details without a customer id"))
}

/// The customer a redirect token stands for. Any refusal of the token by the API, and an answer
/// that names no customer, mean the token is not (or no longer) good: the panel must not trust
/// the visitor.
fn by_token(api: &mut Api, token: &str) -> Result<Outcome, Error> {
    let body = api.get("customers/authenticate-token-without-history.json", &[("token", token)]).map_err(token_refused)?;
    customer_outcome(body).ok_or_else(|| token_not_accepted(None, None))
}

/// Only the API's own error body is about the token; refused reseller credentials keep their
/// own message, and an answer from elsewhere (a proxy, a broken connection) stays what it is.
fn token_refused(error: Error) -> Error {
    let Some(message) = error.provider_message.as_deref() else { return error };
    let about_token = message.to_ascii_lowercase().contains("token");
    if error.code == ErrorCode::AuthenticationFailed && !about_token {
        return error;
    }
    token_not_accepted(error.provider_message, error.http_status)
}

fn token_not_accepted(provider_message: Option<String>, http_status: Option<u16>) -> Error {
    Error::new(
        ErrorCode::AuthenticationFailed,
        "LogicBoxes did not accept the customer's token: it is invalid or has expired, so the visitor is not known to be that customer.",
    )
    .from_provider(provider_message, http_status)
}

/// The details of a customer in the envelope's words; `None` when the body names no customer.
/// LogicBoxes writes everything as strings, flags included, with the odd real boolean.
pub fn customer_outcome(body: Value) -> Option<Outcome> {
    let text = |key: &str| body.get(key).and_then(api::text);
    let customer_id = text("customerid")?;
    let status = text("customerstatus").as_deref().and_then(status_of);
    let mut data = Map::new();
    let mut put = |key: &str, value: Option<String>| {
        data.insert(key.to_owned(), value.map(Value::String).unwrap_or(Value::Null));
    };
    put("customer_id", Some(customer_id));
    put("email", text("username").or_else(|| text("useremail")));
    put("name", text("name"));
    put("company", text("company"));
    put("country", text("country"));
    data.insert("status".into(), status.map_or(Value::Null, status_value));
    data.insert("created_at".into(), body.get("creationdt").and_then(epoch_to_rfc3339).map_or(Value::Null, Value::String));
    Some(Outcome { status, data, provider_response: body.into(), ..Outcome::default() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_string_typed_details() {
        let outcome = customer_outcome(json!({
            "customerid": "30930235", "username": "email@email.com", "name": "Customer Name", "company": "C",
            "country": "US", "customerstatus": "Suspended", "creationdt": "1745369822", "isDominicanTaxConfiguredByParent": false,
        }))
        .unwrap();
        assert_eq!(outcome.data["customer_id"], "30930235");
        assert_eq!(outcome.data["status"], "suspended");
        assert_eq!(outcome.data["created_at"], "2025-04-23T00:57:02Z");
        assert_eq!(customer_outcome(json!(false)).map(|o| o.data), None);
        assert_eq!(customer_outcome(json!({"status": "x"})).map(|o| o.data), None);
    }

    #[test]
    fn a_refused_token_is_authentication_failed_but_refused_credentials_stay_so() {
        let api_error = |code, message: &str| Error::new(code, "x").from_provider(Some(message.into()), Some(500));
        let token = token_refused(api_error(ErrorCode::ProviderError, "Invalid Token"));
        assert_eq!((token.code, token.retryable), (ErrorCode::AuthenticationFailed, false));
        assert!(token.message.contains("token"));
        let token = token_refused(api_error(ErrorCode::AuthenticationFailed, "Authentication token expired"));
        assert!(token.message.contains("customer's token"));
        let reseller = token_refused(api_error(ErrorCode::AuthenticationFailed, "Access Denied. You are not authorized"));
        assert_eq!(reseller.message, "x", "refused credentials keep their own error");
        let network = token_refused(Error::new(ErrorCode::NetworkError, "down"));
        assert_eq!(network.code, ErrorCode::NetworkError);
        let proxy = token_refused(Error::new(ErrorCode::ProviderError, "a 502 page").from_provider(None, Some(502)));
        assert_eq!(proxy.code, ErrorCode::ProviderError, "a proxy's page says nothing about the token");
    }
}
