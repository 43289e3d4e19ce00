//! Customer calls: suspend / unsuspend (bare `true`), login tokens, and the reseller balance
//! used as a connection test.

use serde_json::{json, Value};

use super::params::required;
use super::reply::{access_denied, error, no_entity, Reply};
use super::store::LoginToken;
use crate::state::{random_hex, World, DEFAULT_LB_USERID};
use crate::wire::{SimRequest, SimResponse};

/// Customer login tokens live this long, as the API documents.
pub const LOGIN_TOKEN_TTL_S: i64 = 120;

pub fn suspension(world: &mut World, req: &SimRequest, suspend: bool) -> Reply {
    let id = required(req, "customer-id")?;
    required(req, "reason")?;
    let customer = world.lb.customers.get_mut(id).ok_or_else(|| no_entity())?;
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
    let token = format!("{}-{}-{}-{}", random_hex(8), random_hex(4), random_hex(4), random_hex(12));
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
