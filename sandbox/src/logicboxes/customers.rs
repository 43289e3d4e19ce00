//! Customer calls: sign-up (in `signup`), details by username or id, search, suspend /
//! unsuspend (bare `true`), login tokens, the tokens of the control panel's redirects to the
//! reseller's site, and the reseller balance used as a connection test.

mod signup;

use serde_json::{json, Map, Value};

pub use signup::signup;

use super::paging::{self, listed};
use super::params::required;
use super::reply::{access_denied, error, no_entity, Reply};
use super::store::{Customer, LbState, LoginToken};
use crate::state::{random_hex, World, DEFAULT_LB_USERID};
use crate::wire::{SimRequest, SimResponse};

/// Customer login tokens live this long, as the API documents. The redirect tokens of the
/// control panel are given the same life.
pub const LOGIN_TOKEN_TTL_S: i64 = 120;

pub fn suspension(world: &mut World, req: &SimRequest, suspend: bool) -> Reply {
    let id = required(req, "customer-id")?;
    required(req, "reason")?;
    let customer = world.lb.customers.get_mut(id).ok_or_else(no_entity)?;
    if customer.suspended == suspend {
        let state = if suspend { "already suspended" } else { "not suspended" };
        return Err(error(format!("Customer {id} is {state}.")));
    }
    customer.suspended = suspend;
    Ok(SimResponse::raw_json(200, "true"))
}

/// A token that opens the customer's panels through the servlets, as a JSON string literal.
pub fn generate_login_token(world: &mut World, req: &SimRequest) -> Reply {
    let id = required(req, "customer-id")?;
    let ip = required(req, "ip")?;
    if ip.parse::<std::net::IpAddr>().is_err() {
        return Err(error("Invalid ip"));
    }
    if !world.lb.customers.contains_key(id) {
        return Err(no_entity());
    }
    let token = new_token();
    let expires_at = world.now() + LOGIN_TOKEN_TTL_S;
    world.lb.login_tokens.insert(token.clone(), LoginToken { customer_id: id.to_owned(), expires_at });
    world.stats.tokens_issued += 1;
    Ok(SimResponse::json(200, &Value::String(token)))
}

pub fn reseller_balance(_world: &mut World, req: &SimRequest) -> Reply {
    if required(req, "reseller-id")? != DEFAULT_LB_USERID {
        return Err(access_denied());
    }
    Ok(SimResponse::json(200, &json!({
        "sellingcurrencybalance": "1000.000",
        "sellingcurrencysymbol": "USD",
        "lockedbalance": "0.000",
        "accountingbalance": "1000.000",
    })))
}

/// Tokens look like the live API's: `89c4109f-ab08-4065-bf7f-8c41c2b1f34a`.
fn new_token() -> String {
    format!("{}-{}-{}-{}-{}", random_hex(8), random_hex(4), random_hex(4), random_hex(4), random_hex(12))
}

/// `customers/details.json`: by username, which is the customer's e-mail address.
pub fn details(world: &mut World, req: &SimRequest) -> Reply {
    let username = required(req, "username")?;
    let customer = world.lb.customers.values().find(|c| c.profile.username.eq_ignore_ascii_case(username)).ok_or_else(no_entity)?;
    Ok(SimResponse::json(200, &details_view(customer)))
}

pub fn details_by_id(world: &mut World, req: &SimRequest) -> Reply {
    let customer = world.lb.customers.get(required(req, "customer-id")?).ok_or_else(no_entity)?;
    Ok(SimResponse::json(200, &details_view(customer)))
}

/// The details object as the live API writes it: every value a string, flags included, save
/// the odd real boolean.
fn details_view(customer: &Customer) -> Value {
    let p = &customer.profile;
    json!({
        "customerid": customer.id,
        "username": p.username,
        "useremail": p.username,
        "name": customer.name,
        "company": p.company,
        "address1": p.address,
        "city": p.city,
        "state": p.state,
        "other_state": p.state,
        "stateid": "0",
        "country": p.country,
        "zip": p.zipcode,
        "telnocc": p.phone_cc,
        "telno": p.phone,
        "langpref": p.language,
        "customerstatus": status_name(customer),
        "creationdt": customer.created_at.to_string(),
        "resellerid": DEFAULT_LB_USERID,
        "parentid": DEFAULT_LB_USERID,
        "pin": "8901",
        "totalreceipts": "0.0",
        "salescontactid": "0",
        "salespersonshash": {},
        "ispasswdexpired": "false",
        "twofactorauth_enabled": "false",
        "isDominicanTaxConfiguredByParent": false,
    })
}

fn status_name(customer: &Customer) -> &'static str {
    if customer.suspended {
        "Suspended"
    } else {
        "Active"
    }
}

/// A customer's field that a search filter matches part of.
type TextField = fn(&Customer) -> &str;

/// `customers/search.json`: customers matching every filter given — `username`, `name`,
/// `company`, `city` and `state` as case-insensitive parts of the value (the live search
/// matches loosely), `country` exactly, `customer-id` and `status` repeatable — by id, one page
/// of them.
pub fn search(world: &mut World, req: &SimRequest) -> Reply {
    let (customer_ids, statuses) = (listed(req, "customer-id"), listed(req, "status"));
    let part = |name: &str| req.param(name).filter(|v| !v.is_empty()).map(str::to_lowercase);
    let text_filters: Vec<(String, TextField)> = [
        ("username", (|c: &Customer| c.profile.username.as_str()) as TextField),
        ("name", |c| c.name.as_str()),
        ("company", |c| c.profile.company.as_str()),
        ("city", |c| c.profile.city.as_str()),
        ("state", |c| c.profile.state.as_str()),
    ]
    .into_iter()
    .filter_map(|(name, field)| Some((part(name)?, field)))
    .collect();
    let country = req.param("country").filter(|v| !v.is_empty());
    let mut matching: Vec<&Customer> = world
        .lb
        .customers
        .values()
        .filter(|c| customer_ids.is_empty() || customer_ids.contains(&c.id.as_str()))
        .filter(|c| statuses.is_empty() || statuses.contains(&status_name(c)))
        .filter(|c| country.is_none_or(|country| c.profile.country == country))
        .filter(|c| text_filters.iter().all(|(wanted, field)| field(c).to_lowercase().contains(wanted.as_str())))
        .collect();
    matching.sort_by_key(|c| c.id.parse::<u64>().unwrap_or(u64::MAX));
    paging::answer(req, &matching, |customer| search_record(customer))
}

/// A search record: some of the details' fields, under dotted `customer.` names.
fn search_record(customer: &Customer) -> Value {
    const LISTED: [&str; 10] =
        ["customerid", "username", "name", "company", "city", "country", "telnocc", "telno", "customerstatus", "resellerid"];
    let details = details_view(customer);
    let mut record: Map<String, Value> =
        LISTED.iter().filter_map(|key| Some((format!("customer.{key}"), details.get(*key)?.clone()))).collect();
    record.insert("customer.totalreceipts".into(), "0.000".into());
    record.insert("customer.websitecount".into(), "0".into());
    Value::Object(record)
}

/// `customers/authenticate-token-without-history.json`: the customer a live redirect token
/// stands for; an unknown, forged or expired token is refused with the API's error body.
pub fn authenticate_token(world: &mut World, req: &SimRequest) -> Reply {
    let token = required(req, "token")?;
    let now = world.now();
    let lb = &world.lb;
    let customer = lb
        .redirect_tokens
        .get(token)
        .filter(|t| t.expires_at > now)
        .and_then(|t| lb.customers.get(&t.customer_id))
        .ok_or_else(|| error("Invalid token or the token has expired"))?;
    Ok(SimResponse::json(200, &details_view(customer)))
}

impl LbState {
    /// A token such as the control panel hands a customer it redirects to the reseller's own
    /// site (`POST /_sandbox/customer-token`); `None` for an unknown customer.
    pub fn issue_redirect_token(&mut self, customer_id: &str, now: i64) -> Option<Value> {
        self.customers.get(customer_id)?;
        let token = new_token();
        let expires_at = now + LOGIN_TOKEN_TTL_S;
        self.redirect_tokens.insert(token.clone(), LoginToken { customer_id: customer_id.to_owned(), expires_at });
        Some(json!({"token": token, "customer_id": customer_id, "expires_in_s": LOGIN_TOKEN_TTL_S}))
    }
}
