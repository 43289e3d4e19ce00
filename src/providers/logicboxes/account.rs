//! Account-level calls: checking the credentials, and listing plans for a panel's dropdowns.

use serde_json::{json, Value};

use super::api::{self, Api};
use crate::http::Safety;
use crate::response::{Error, Outcome};

/// The cheapest authenticated read: the reseller's balance.
pub fn test_connection(api: &mut Api) -> Result<Outcome, Error> {
    let reseller = api.reseller_id();
    let body = api.get("billing/reseller-balance.json", &[("reseller-id", &reseller)])?;
    Ok(Outcome { provider_response: body, ..Outcome::default() }.data("reachable", true))
}

/// `products/plan-details.json` (`{product: {plan_id: {plan_name, plan_status, …}}}`) as a
/// flat list, limited to the request's product when it has plans of its own.
pub fn plans(api: &mut Api) -> Result<Outcome, Error> {
    let body = api.get("products/plan-details.json", &[])?;
    let by_product = body.as_object().ok_or_else(|| api::unexpected(Safety::Read, "plan details that are not an object"))?;
    let wanted = api.call.product.map(|p| p.key).filter(|key| by_product.contains_key(*key));
    let mut plans: Vec<Value> = Vec::new();
    for (product, product_plans) in by_product.iter().filter(|(key, _)| wanted.is_none_or(|w| w == key.as_str())) {
        let Some(product_plans) = product_plans.as_object() else { continue };
        for (plan_id, plan) in product_plans {
            plans.push(json!({
                "product": product,
                "plan_id": plan_id,
                "name": plan.get("plan_name").and_then(Value::as_str),
                "status": plan.get("plan_status").and_then(Value::as_str).map(str::to_ascii_lowercase),
            }));
        }
    }
    plans.sort_by_key(|p| {
        let id = p["plan_id"].as_str().unwrap_or_default();
        (p["product"].as_str().unwrap_or_default().to_owned(), id.len(), id.to_owned())
    });
    Ok(Outcome { provider_response: body, ..Outcome::default() }.data("plans", plans))
}
