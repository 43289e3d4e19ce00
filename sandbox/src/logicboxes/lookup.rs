//! `<product>/details.json` and `<product>/orderid.json`: reading orders, deleted ones included.

use serde_json::json;

use super::catalog::Product;
use super::params::required;
use super::reply::{error, Reply};
use super::store::Order;
use crate::state::{World, DEFAULT_LB_USERID};
use crate::wire::{SimRequest, SimResponse};

/// The reseller chain above our reseller, as `parentkey` shows it.
const PARENT_RESELLER_ID: &str = "999999999";

pub fn details(world: &mut World, req: &SimRequest, product: &Product) -> Reply {
    let order = world.lb.order(Some(product), required(req, "order-id")?)?;
    Ok(SimResponse::json(200, &details_view(order)))
}

/// The flat details object; every value is a string, times and flags included.
fn details_view(order: &Order) -> serde_json::Value {
    let paused = order.plan().is_some_and(|plan| plan.paused);
    json!({
        "entityid": order.id.to_string(),
        "description": order.domain,
        "domainname": order.domain,
        "currentstatus": order.status.provider_name(),
        "productkey": order.product,
        "productcategory": order.category,
        "creationtime": order.created_at.to_string(),
        "endtime": order.ends_at.to_string(),
        "isImmediateReseller": "true",
        "parentkey": format!("{PARENT_RESELLER_ID}_{DEFAULT_LB_USERID}"),
        "customerid": order.customer_id,
        "isOrderSuspendedUponExpiry": "false",
        "orderSuspendedByParent": "false",
        "allowdeletion": "true",
        "planid": order.plan_id.clone().unwrap_or_default(),
        "paused": paused.to_string(),
        "recurring": order.auto_renew.to_string(),
    })
}

/// The newest order of the product for the domain, whatever its status, as a bare integer.
pub fn order_id(world: &mut World, req: &SimRequest, product: &Product) -> Reply {
    let domain = required(req, "domain-name")?;
    let newest = world
        .lb
        .orders
        .values()
        .rev()
        .find(|o| o.product == product.key && o.domain.eq_ignore_ascii_case(domain));
    match newest {
        Some(order) => Ok(SimResponse::raw_json(200, format!("{}\n", order.id))),
        None => Err(error(format!("No Entity found for domain-name: {domain}"))),
    }
}
