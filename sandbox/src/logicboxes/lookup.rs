//! `<prefix>details.json`, `orderid.json` and `search.json`: reading orders, deleted ones
//! included.

use serde_json::{json, Value};

use super::catalog::Product;
use super::family_details;
use super::paging::{self, listed};
use super::params::required;
use super::reply::{no_website, Reply};
use super::store::Order;
use crate::state::{World, DEFAULT_LB_USERID};
use crate::wire::{SimRequest, SimResponse};

/// The reseller chain above our reseller, as `parentkey` shows it.
const PARENT_RESELLER_ID: &str = "999999999";

pub fn details(world: &mut World, req: &SimRequest, product: &Product) -> Reply {
    let order = world.lb.order(Some(product), required(req, "order-id")?)?;
    Ok(SimResponse::json(200, &details_view(order, product)))
}

/// The flat details object; every value is a string, times and flags included, except the
/// family fields that the live API sends otherwise (an e-mail order's number of accounts).
fn details_view(order: &Order, product: &Product) -> Value {
    let paused = order.plan().is_some_and(|plan| plan.paused);
    let mut view = json!({
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
    });
    if let Some(fields) = view.as_object_mut() {
        family_details::add(fields, order, product);
    }
    view
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
        None => Err(no_website(domain)),
    }
}

/// `search.json`: the product's orders matching every filter given (`order-id`, `customer-id`
/// and `status` repeatable, `domain-name`), oldest first, one page of them. Counts are
/// strings, records sit under `"1"…"n"` with dotted keys; nothing found is
/// `{"recsonpage":"0","recsindb":"0"}` with HTTP 200.
pub fn search(world: &mut World, req: &SimRequest, product: &Product) -> Reply {
    let (order_ids, customer_ids, statuses) = (listed(req, "order-id"), listed(req, "customer-id"), listed(req, "status"));
    let domain = req.param("domain-name").filter(|d| !d.is_empty());
    let matching: Vec<&Order> = world
        .lb
        .orders
        .values()
        .filter(|o| o.product == product.key)
        .filter(|o| order_ids.is_empty() || order_ids.contains(&o.id.to_string().as_str()))
        .filter(|o| customer_ids.is_empty() || customer_ids.contains(&o.customer_id.as_str()))
        .filter(|o| statuses.is_empty() || statuses.contains(&o.status.provider_name()))
        .filter(|o| domain.is_none_or(|d| o.domain.eq_ignore_ascii_case(d)))
        .collect();
    paging::answer(req, &matching, |order| search_record(order, product))
}

fn search_record(order: &Order, product: &Product) -> Value {
    json!({
        "orders.orderid": order.id.to_string(),
        "entity.customerid": order.customer_id,
        "entity.description": order.domain,
        "entity.currentstatus": order.status.provider_name(),
        "orders.creationtime": order.created_at.to_string(),
        "orders.endtime": order.ends_at.to_string(),
        "orders.autorenew": order.auto_renew.to_string(),
        "entitytype.entitytypename": product.name(),
        "entitytype.entitytypekey": product.key,
    })
}
