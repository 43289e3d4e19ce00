//! The LogicBoxes HTTP API as resellers meet it: `auth-userid` + `api-key` on every call, no
//! envelope, errors as `{"status":"ERROR","message":…}` with HTTP 500.

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Value};

use crate::state::{random_hex, World, DEFAULT_LB_API_KEY, DEFAULT_LB_USERID};
use crate::wire::{SimRequest, SimResponse};

/// Customer login tokens live this long, as the API documents.
pub const LOGIN_TOKEN_TTL_S: i64 = 120;

#[derive(Debug, Clone)]
pub struct Customer {
    pub id: String,
    pub name: String,
    pub suspended: bool,
}

#[derive(Debug, Clone)]
struct LoginToken {
    customer_id: String,
    expires_at: i64,
}

#[derive(Debug)]
pub struct LbState {
    customers: BTreeMap<String, Customer>,
    login_tokens: HashMap<String, LoginToken>,
}

impl LbState {
    pub fn seeded() -> Self {
        let customers = [("99", "Jane Doe"), ("1001", "Example Hosting Ltd"), ("1002", "Acme Web")]
            .into_iter()
            .map(|(id, name)| (id.to_owned(), Customer { id: id.to_owned(), name: name.to_owned(), suspended: false }))
            .collect();
        LbState { customers, login_tokens: HashMap::new() }
    }

    pub fn order_views(&self) -> Vec<Value> {
        Vec::new()
    }

    /// Customers and their current state, for `/_sandbox/customers`.
    pub fn customer_views(&self) -> Vec<Value> {
        self.customers.values().map(|c| json!({
            "provider": "logicboxes",
            "customer_id": c.id,
            "name": c.name,
            "status": if c.suspended { "suspended" } else { "active" },
        })).collect()
    }

    /// The seeded data, so that tests and demos never hard-code ids.
    pub fn fixtures(&self) -> Value {
        let seeded = LbState::seeded();
        json!({
            "auth_userid": DEFAULT_LB_USERID,
            "api_key": DEFAULT_LB_API_KEY,
            "customers": seeded.customers.values().map(|c| json!({"customer_id": c.id, "name": c.name})).collect::<Vec<_>>(),
        })
    }
}

fn error(message: impl Into<String>) -> SimResponse {
    SimResponse::json(500, &json!({"status": "ERROR", "message": message.into()}))
}

fn no_entity(id: &str) -> SimResponse {
    error(format!("No Entity found for Entityid: {id}"))
}

fn required<'r>(req: &'r SimRequest, name: &str) -> Result<&'r str, SimResponse> {
    match req.param(name) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(error(format!("{name} is required"))),
    }
}

/// Routes a request below `/logicboxes`. Returns the route name (for statistics) and the answer.
pub fn handle(world: &mut World, req: &SimRequest, sub: &str) -> (String, SimResponse) {
    if let Some(servlet) = sub.strip_prefix("/servlet/") {
        return (format!("logicboxes servlet/{servlet}"), servlet_answer(world, req, servlet));
    }
    let Some(call) = sub.strip_prefix("/api/") else {
        return ("logicboxes unknown".into(), SimResponse::html(404, "<html><body>Not Found</body></html>"));
    };
    let route = format!("logicboxes {call}");
    (route, api_answer(world, req, call).unwrap_or_else(|e| e))
}

fn api_answer(world: &mut World, req: &SimRequest, call: &str) -> Result<SimResponse, SimResponse> {
    let (method, handler): (&str, fn(&mut World, &SimRequest) -> Result<SimResponse, SimResponse>) = match call {
        "customers/suspend.json" => ("POST", |w, r| customer_suspension(w, r, true)),
        "customers/unsuspend.json" => ("POST", |w, r| customer_suspension(w, r, false)),
        "customers/generate-login-token.json" => ("GET", generate_login_token),
        "billing/reseller-balance.json" => ("GET", reseller_balance),
        _ => return Ok(SimResponse::json(404, &json!({"status": "ERROR", "message": format!("Unknown API call {call}")}))),
    };
    if req.method != method {
        return Err(SimResponse::json(405, &json!({"status": "ERROR", "message": format!("{call} must be called with {method}")})));
    }
    if req.param("auth-userid") != Some(DEFAULT_LB_USERID) || req.param("api-key") != Some(DEFAULT_LB_API_KEY) {
        return Err(error("Access Denied. You are not authorized to perform this action."));
    }
    handler(world, req)
}

fn customer_suspension(world: &mut World, req: &SimRequest, suspend: bool) -> Result<SimResponse, SimResponse> {
    let id = required(req, "customer-id")?;
    required(req, "reason")?;
    let customer = world.lb.customers.get_mut(id).ok_or_else(|| no_entity(id))?;
    if customer.suspended == suspend {
        let state = if suspend { "already suspended" } else { "not suspended" };
        return Err(error(format!("Customer {id} is {state}.")));
    }
    customer.suspended = suspend;
    Ok(SimResponse::raw_json(200, "true"))
}

fn generate_login_token(world: &mut World, req: &SimRequest) -> Result<SimResponse, SimResponse> {
    let id = required(req, "customer-id")?;
    let ip = required(req, "ip")?;
    if ip.parse::<std::net::IpAddr>().is_err() {
        return Err(error("Invalid ip"));
    }
    if !world.lb.customers.contains_key(id) {
        return Err(no_entity(id));
    }
    let token = format!("{}-{}-{}-{}", random_hex(8), random_hex(4), random_hex(4), random_hex(12));
    let expires_at = world.now() + LOGIN_TOKEN_TTL_S;
    world.lb.login_tokens.insert(token.clone(), LoginToken { customer_id: id.to_owned(), expires_at });
    world.stats.tokens_issued += 1;
    Ok(SimResponse::json(200, &Value::String(token)))
}

fn reseller_balance(_world: &mut World, req: &SimRequest) -> Result<SimResponse, SimResponse> {
    if required(req, "reseller-id")? != DEFAULT_LB_USERID {
        return Err(error("Access Denied. You are not authorized to perform this action."));
    }
    Ok(SimResponse::json(200, &json!({
        "sellingcurrencybalance": "1000.000",
        "sellingcurrencysymbol": "USD",
        "lockedbalance": "0.000",
        "accountingbalance": "1000.000",
    })))
}

/// The branded control panel's entry points: they accept only live tokens this sandbox issued.
fn servlet_answer(world: &mut World, req: &SimRequest, servlet: &str) -> SimResponse {
    let refused = |why: &str| SimResponse::html(403, format!("<html><body><h1>Access denied</h1><p>{why}</p></body></html>"));
    match servlet {
        "AutoLoginServlet" => {
            if req.param("role") != Some("customer") {
                return refused("role must be customer");
            }
            let Some(token) = req.param("userLoginId") else { return refused("no token") };
            let now = world.now();
            match world.lb.login_tokens.get(token) {
                Some(t) if t.expires_at > now => {
                    let name = world.lb.customers.get(&t.customer_id).map(|c| c.name.clone()).unwrap_or_default();
                    SimResponse::html(200, format!(
                        "<html><body><h1>Control panel</h1><p data-customer-id=\"{}\">Welcome, {}</p></body></html>",
                        t.customer_id, name
                    ))
                }
                Some(_) => refused("token expired"),
                None => refused("unknown token"),
            }
        }
        _ => SimResponse::html(404, "<html><body>Not Found</body></html>"),
    }
}
