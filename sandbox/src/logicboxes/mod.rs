//! The LogicBoxes HTTP API as resellers meet it: `auth-userid` + `api-key` on every call, no
//! envelope, errors as `{"status":"ERROR","message":…}` with HTTP 500.
//!
//! Each file does one job: `catalog` (the families and their editions), `plans`, `store` and
//! `seed` (the account), `params`, `setup` and `reply` (reading requests, refusing them),
//! `action` (the answer to a change), `customers`, `lifecycle`, `lookup`, `family_details`,
//! `plan_change`, `seats` and `suspension` (the calls), `servlets` (the control panel) and
//! `views` (the admin side).

mod action;
mod catalog;
mod customers;
mod family_details;
mod lifecycle;
mod lookup;
mod paging;
mod params;
mod plan_change;
mod plans;
mod reply;
mod seats;
mod seed;
mod servlets;
mod setup;
mod store;
mod suspension;
mod views;

use serde_json::json;

pub use store::LbState;

use catalog::{PlanChanges, Pricing, Product};
use reply::{access_denied, Reply};
use crate::state::{World, DEFAULT_LB_API_KEY, DEFAULT_LB_USERID};
use crate::wire::{SimRequest, SimResponse};

/// A call's HTTP method and what answers it.
type Call = (&'static str, Box<dyn Fn(&mut World, &SimRequest) -> Reply>);
type ProductHandler = fn(&mut World, &SimRequest, &Product) -> Reply;

/// Routes a request below `/logicboxes`. Returns the route name (for statistics) and the answer.
pub fn handle(world: &mut World, req: &SimRequest, sub: &str) -> (String, SimResponse) {
    if let Some(servlet) = sub.strip_prefix("/servlet/") {
        return (format!("logicboxes servlet/{servlet}"), servlets::answer(world, req, servlet));
    }
    let Some(call) = sub.strip_prefix("/api/") else {
        return ("logicboxes unknown".into(), SimResponse::html(404, "<html><body>Not Found</body></html>"));
    };
    let route = format!("logicboxes {call}");
    let answer = api_answer(world, req, call).unwrap_or_else(|e| e);
    let turn = world.lb.next_error_turn();
    (route, reply::styled(answer, world.config.error_style, turn))
}

/// Checks the method, then the reseller's credentials, then runs the call.
fn api_answer(world: &mut World, req: &SimRequest, call: &str) -> Reply {
    let Some((method, handler)) = find_call(call) else {
        return Ok(SimResponse::json(404, &json!({"status": "ERROR", "message": format!("Unknown API call {call}")})));
    };
    if req.method != method {
        return Err(SimResponse::json(405, &json!({"status": "ERROR", "message": format!("{call} must be called with {method}")})));
    }
    if req.param("auth-userid") != Some(DEFAULT_LB_USERID) || req.param("api-key") != Some(DEFAULT_LB_API_KEY) {
        return Err(access_denied());
    }
    handler(world, req)
}

fn find_call(call: &str) -> Option<Call> {
    if let Some((product, op)) = catalog::by_path(call) {
        return product_call(product, op);
    }
    let (method, handler): (&'static str, fn(&mut World, &SimRequest) -> Reply) = match call {
        "customers/suspend.json" => ("POST", |w, r| customers::suspension(w, r, true)),
        "customers/unsuspend.json" => ("POST", |w, r| customers::suspension(w, r, false)),
        "customers/generate-login-token.json" => ("GET", customers::generate_login_token),
        "customers/signup.json" => ("POST", customers::signup),
        "customers/details.json" => ("GET", customers::details),
        "customers/details-by-id.json" => ("GET", customers::details_by_id),
        "customers/search.json" => ("GET", customers::search),
        "customers/authenticate-token-without-history.json" => ("GET", customers::authenticate_token),
        "billing/reseller-balance.json" => ("GET", customers::reseller_balance),
        "orders/suspend.json" => ("POST", suspension::suspend),
        "orders/unsuspend.json" => ("POST", suspension::unsuspend),
        "products/plan-details.json" => ("GET", plans::plan_details),
        "products/customer-price.json" => ("GET", plans::customer_price),
        _ => return None,
    };
    Some((method, Box::new(handler)))
}

/// The calls a product with its own API path answers, on the same code for every family:
/// what a family answers besides the common calls follows from its row.
fn product_call(product: &'static Product, op: &str) -> Option<Call> {
    let family = product.family;
    let plans = family.plan_changes;
    let seat_calls = match family.pricing {
        Pricing::Seats { add, delete, .. } => Some((format!("{add}.json"), format!("{delete}.json"))),
        Pricing::Plan => None,
    };
    let (method, handler): (&'static str, ProductHandler) = match op {
        "add.json" => ("POST", lifecycle::add),
        "renew.json" => ("POST", lifecycle::renew),
        "delete.json" => ("POST", lifecycle::delete),
        "details.json" => ("GET", lookup::details),
        "orderid.json" => ("GET", lookup::order_id),
        "search.json" => ("GET", lookup::search),
        "validate-modify.json" if plans == PlanChanges::Validated => ("GET", plan_change::validate_modify),
        "modify-pricing.json" if plans != PlanChanges::None => ("GET", plan_change::modify_pricing),
        "modify.json" if plans != PlanChanges::None => ("POST", plan_change::modify),
        op if seat_calls.as_ref().is_some_and(|(add, _)| add == op) => ("POST", seats::add),
        op if seat_calls.as_ref().is_some_and(|(_, delete)| delete == op) => ("POST", seats::delete),
        _ => return None,
    };
    Some((method, Box::new(move |world, req| handler(world, req, product))))
}
