//! RackNap's Product/Service API v2 (ZNet) as a reseller's own installation answers it: every
//! call a POST to `/api/v2/service/<call>` with `Validate: Bearer <token>`, a flat form, and
//! PHP-encoded JSON back.
//!
//! Each file does one job: `catalog` (customers, plans, billing cycles), `store` (the services),
//! `reply` (the answers' shapes), `create`, `lifecycle` (suspend, unsuspend, terminate) and
//! `plans` (the calls), and `views` (the admin side).

mod catalog;
mod create;
mod lifecycle;
mod plans;
mod reply;
mod store;
mod views;

pub use store::RnState;

use crate::state::{World, DEFAULT_RACKNAP_TOKEN};
use crate::wire::{Reply, SimRequest, SimResponse};

type Handler = fn(&mut World, &SimRequest) -> Reply;

/// Routes a request below `/racknap`. Returns the route name (for statistics) and the answer.
pub fn handle(world: &mut World, req: &SimRequest, sub: &str) -> (String, SimResponse) {
    let Some(call) = sub.strip_prefix("/api/v2/service/") else {
        return ("racknap unknown".into(), reply::unknown_call(sub));
    };
    let Some(handler) = find_call(call) else {
        return ("racknap unknown".into(), reply::unknown_call(call));
    };
    (format!("racknap {call}"), answer(world, req, call, handler).unwrap_or_else(|e| e))
}

/// Checks the method, then the token, then runs the call.
fn answer(world: &mut World, req: &SimRequest, call: &str, handler: Handler) -> Reply {
    if req.method != "POST" {
        return Err(reply::wrong_method(call));
    }
    if req.bearer("Validate") != Some(DEFAULT_RACKNAP_TOKEN) {
        return Err(reply::unauthorized());
    }
    handler(world, req)
}

fn find_call(call: &str) -> Option<Handler> {
    Some(match call {
        "create" => create::create,
        "suspend" => lifecycle::suspend,
        "unsuspend" => lifecycle::unsuspend,
        "terminate" => lifecycle::terminate,
        "planDetail" => plans::plan_detail,
        "cloud_linux_vps_details" => plans::vps_details,
        _ => return None,
    })
}
