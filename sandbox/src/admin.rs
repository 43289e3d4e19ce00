//! `/_sandbox/…`: what tests, demos and panel developers use to look inside and steer.

use serde_json::{json, Value};

use crate::faults::{self, Faults};
use crate::state::World;
use crate::wire::{SimRequest, SimResponse};

pub fn handle(world: &mut World, req: &SimRequest, sub: &str) -> SimResponse {
    let ok = |v: Value| SimResponse::json(200, &v);
    match (req.method.as_str(), sub) {
        ("GET", "orders") => ok(world.orders()),
        ("GET", "fixtures") => ok(world.fixtures()),
        ("GET", "customers") => ok(world.customers()),
        ("GET", "requests") => ok(Value::Array(world.received.iter().cloned().collect())),
        ("GET", "stats") => ok(json!({
            "routes": world.stats.routes,
            "connections_accepted": world.stats.connections,
            "tokens_issued": world.stats.tokens_issued,
            "faults": faults::counts_view(&world.stats.faults),
            "max_in_flight": world.stats.max_in_flight,
        })),
        ("POST", "reset") => {
            world.reset();
            ok(json!({"reset": true}))
        }
        ("GET", "config") => ok(world.config.view()),
        ("PUT", "config") => {
            let changes = serde_json::from_slice::<Value>(&req.body).unwrap_or(Value::Null);
            match world.config.update(&changes) {
                Ok(()) => ok(world.config.view()),
                Err(problem) => SimResponse::json(400, &json!({"error": problem})),
            }
        }
        ("POST", "customer-token") => {
            // What the control panel does when it redirects a customer to the reseller's site.
            let body = serde_json::from_slice::<Value>(&req.body).unwrap_or(Value::Null);
            let customer_id = body.get("customer_id").and_then(|id| id.as_str().map(str::to_owned).or_else(|| id.as_u64().map(|n| n.to_string())));
            let now = world.now();
            match customer_id.and_then(|id| world.lb.issue_redirect_token(&id, now)) {
                Some(token) => {
                    world.stats.tokens_issued += 1;
                    ok(token)
                }
                None => SimResponse::json(404, &json!({"error": "send {\"customer_id\": …} of a LogicBoxes customer"})),
            }
        }
        ("GET", "faults") => ok(world.faults.view()),
        ("PUT", "faults") => {
            let settings = serde_json::from_slice::<Value>(&req.body).unwrap_or(Value::Null);
            match Faults::from_json(&settings) {
                Ok(faults) => {
                    world.faults = faults;
                    ok(world.faults.view())
                }
                Err(problem) => SimResponse::json(400, &json!({"error": problem})),
            }
        }
        ("POST", "clock") => {
            let advance = serde_json::from_slice::<Value>(&req.body).ok().and_then(|v| v.get("advance_s").and_then(Value::as_i64));
            match advance {
                Some(seconds) => {
                    world.clock_offset_s += seconds;
                    ok(json!({"clock_offset_s": world.clock_offset_s}))
                }
                None => SimResponse::json(400, &json!({"error": "send {\"advance_s\": N}"})),
            }
        }
        _ => SimResponse::json(404, &json!({"error": format!("no admin route {} /_sandbox/{sub}", req.method)})),
    }
}
