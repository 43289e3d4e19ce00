//! `planDetail` and `cloud_linux_vps_details`: a plan's billing cycles and prices, and what a
//! Cloud VPS plan gives on the Linux or Windows platform.

use serde_json::{json, Map, Value};

use super::catalog::{self, PLATFORM_NAMES};
use super::reply::{success, validation};
use crate::form::{one_of, optional_whole_number, required, whole_number};
use crate::state::World;
use crate::wire::{Reply, SimRequest};

pub fn plan_detail(_world: &mut World, req: &SimRequest) -> Reply {
    let plan = catalog::plan(required(req, "planid").map_err(validation)?)?;
    let currency = whole_number(req, "currency", 1).map_err(validation)?;
    optional_whole_number(req, "pid").map_err(validation)?;
    Ok(success(json!({"data": {
        "planid": plan.id,
        "name": plan.name,
        "currency": currency,
        "billing_cycles": plan.prices.iter().map(|(cycle, _)| *cycle).collect::<Vec<_>>(),
        "price": price_list(plan.prices),
    }})))
}

pub fn vps_details(_world: &mut World, req: &SimRequest) -> Reply {
    let plan = catalog::plan(required(req, "planid").map_err(validation)?)?;
    if !plan.vps {
        return Err(validation(format!("Plan {} is not a Cloud VPS plan", plan.id)));
    }
    let platform = one_of(req, "platform", &PLATFORM_NAMES).map_err(validation)?;
    let platform = catalog::platform(platform).expect("every platform name has a row");
    let currency = whole_number(req, "currency_id", 1).map_err(validation)?;
    optional_whole_number(req, "partner_id").map_err(validation)?;
    Ok(success(json!({"data": {
        "planid": plan.id,
        "name": plan.name,
        "platform": platform.name,
        "cpu": platform.cpu,
        "ram_gb": platform.ram_gb,
        "disk_gb": platform.disk_gb,
        "bandwidth_tb": platform.bandwidth_tb,
        "os_templates": platform.os_templates,
        "currency": currency,
        "price": price_list(platform.prices),
    }})))
}

/// Prices keyed by billing cycle.
fn price_list(prices: &[(&str, f64)]) -> Value {
    Value::Object(prices.iter().map(|(cycle, price)| ((*cycle).to_owned(), json!(price))).collect::<Map<_, _>>())
}
