//! Account-level calls: checking the credentials, and listing plans for a panel's dropdowns.

use serde_json::{json, Value};

use super::api::{self, Api};
use super::{options, products};
use crate::http::Safety;
use crate::response::{Error, Outcome};

/// The cheapest authenticated read: the reseller's balance.
pub fn test_connection(api: &mut Api) -> Result<Outcome, Error> {
    let reseller = api.reseller_id();
    let body = api.get("billing/reseller-balance.json", &[("reseller-id", &reseller)])?;
    Ok(Outcome { provider_response: body.into(), ..Outcome::default() }.data("reachable", true))
}

/// `products/plan-details.json` (`{product key: {plan id: {plan_name, plan_status, …}}}`) as a
/// flat list: each plan's `product` in hostprov's name where a row has its key, its
/// `product_key`, for an edition its `platform` and `region`, and its tenures and prices where
/// `products/customer-price.json` gives them (`{product key: {"plans": {plan id: {"add":
/// {months: price}, "renew": {…}}}}}`). For a product with a row, only its edition's plans
/// (`service.options.platform` and `region`); for another product with plans of its own, only
/// those.
pub fn plans(api: &mut Api) -> Result<Outcome, Error> {
    let wanted = match api.call.product {
        Some(product) => match products::find(product.key) {
            Some(row) => Some(options::edition(row, &api.service().options)?.product_key),
            None => Some(product.key),
        },
        None => None,
    };
    let body = api.get("products/plan-details.json", &[])?;
    let by_product = body.as_object().ok_or_else(|| api::unexpected(Safety::Read, "plan details that are not an object"))?;
    let prices = api.get("products/customer-price.json", &[])?;
    let wanted = wanted.filter(|key| by_product.contains_key(*key) || products::find_by_product_key(key).is_some());
    let mut plans: Vec<Value> = Vec::new();
    for (product, product_plans) in by_product.iter().filter(|(key, _)| wanted.is_none_or(|w| w == key.as_str())) {
        let Some(product_plans) = product_plans.as_object() else { continue };
        let row = products::find_by_product_key(product);
        for (plan_id, plan) in product_plans {
            let mut entry = json!({
                "product": row.map_or(product.as_str(), |(row, _)| row.key),
                "product_key": product,
                "plan_id": plan_id,
                "name": plan.get("plan_name").and_then(Value::as_str),
                "status": plan.get("plan_status").and_then(Value::as_str).map(str::to_ascii_lowercase),
            });
            if let Some((_, variant)) = row {
                for (name, value) in [("platform", variant.platform), ("region", variant.region)] {
                    if let Some(value) = value {
                        entry[name] = json!(value);
                    }
                }
            }
            if let Some(price) = prices.get(product).and_then(|p| p.get("plans")).and_then(|p| p.get(plan_id)) {
                add_prices(&mut entry, price);
            }
            plans.push(entry);
        }
    }
    plans.sort_by_key(|p| {
        let id = p["plan_id"].as_str().unwrap_or_default();
        (p["product_key"].as_str().unwrap_or_default().to_owned(), id.len(), id.to_owned())
    });
    Ok(Outcome { provider_response: body.into(), ..Outcome::default() }.data("plans", plans))
}

/// `prices` (`add` and `renew`, by months as the API keys them) and the `tenures` (months) a
/// plan is sold for.
fn add_prices(entry: &mut Value, price: &Value) {
    let mut prices = serde_json::Map::new();
    let mut tenures: Vec<u64> = Vec::new();
    for action in ["add", "renew"] {
        let Some(by_months) = price.get(action).and_then(Value::as_object) else { continue };
        if action == "add" {
            tenures = by_months.keys().filter_map(|m| m.parse().ok()).collect();
            tenures.sort_unstable();
        }
        prices.insert(action.to_owned(), Value::Object(by_months.clone()));
    }
    if !prices.is_empty() {
        entry["prices"] = Value::Object(prices);
        entry["tenures"] = json!(tenures);
    }
}
