//! What the reseller sells: the products with API paths of their own (SiteLock, CodeGuard) and
//! their plans. Both products run on the same code; everything that tells them apart is a row of
//! [`PRODUCTS`].

use serde_json::{Map, Value};

use super::reply::{error, Reply};
use crate::state::World;
use crate::wire::{SimRequest, SimResponse};

/// A product served under `/api/<key>/…`.
#[derive(Debug)]
pub struct Product {
    pub key: &'static str,
    /// How the product is named in action descriptions.
    pub name: &'static str,
    /// `productcategory` in order details.
    pub category: &'static str,
    /// CodeGuard's add, renew, modify and modify-pricing refuse a call without `months`;
    /// SiteLock's ignore it and always run for [`FIXED_TERM_MONTHS`].
    pub needs_months: bool,
}

/// The term of a product that takes no `months`.
pub const FIXED_TERM_MONTHS: u32 = 12;

pub const PRODUCTS: [Product; 2] = [
    Product { key: "sitelock", name: "SiteLock", category: "sitelock", needs_months: false },
    Product { key: "codeguard", name: "CodeGuard", category: "codeguard", needs_months: true },
];

/// A plan as `plan-details.json` shows it, with its price per month in cents.
#[derive(Debug)]
pub struct Plan {
    pub product: &'static str,
    pub id: &'static str,
    pub name: &'static str,
    /// Paused plans are listed but take no new orders and no changes of plan.
    pub paused: bool,
    pub monthly_cents: i64,
    pub features: &'static [&'static str],
}

pub const PLANS: [Plan; 7] = [
    plan("sitelock", "101", "Find", false, 199, &["Daily malware scan", "Trust seal"]),
    plan("sitelock", "102", "Fix", false, 499, &["Daily malware scan", "Automatic malware removal", "Trust seal"]),
    plan("sitelock", "103", "Defend", false, 999, &["Continuous malware scan", "Automatic malware removal", "Web application firewall", "Trust seal"]),
    plan("sitelock", "104", "Legacy", true, 99, &["Weekly malware scan"]),
    plan("codeguard", "201", "Personal", false, 299, &["1 website", "Daily backups"]),
    plan("codeguard", "202", "Professional", false, 599, &["5 websites", "Daily backups", "One-click restore"]),
    plan("codeguard", "203", "Business", false, 1199, &["10 websites", "Daily backups", "One-click restore", "Malware monitoring"]),
];

const fn plan(
    product: &'static str,
    id: &'static str,
    name: &'static str,
    paused: bool,
    monthly_cents: i64,
    features: &'static [&'static str],
) -> Plan {
    Plan { product, id, name, paused, monthly_cents, features }
}

pub fn product(key: &str) -> Option<&'static Product> {
    PRODUCTS.iter().find(|p| p.key == key)
}

pub fn plan_of(product: &str, id: &str) -> Option<&'static Plan> {
    PLANS.iter().find(|p| p.product == product && p.id == id)
}

/// A plan that can take an order or a change of plan: this product's, and not paused.
pub fn orderable_plan(product: &Product, id: &str) -> Result<&'static Plan, SimResponse> {
    match plan_of(product.key, id) {
        Some(plan) if plan.paused => Err(error(format!("Plan {id} is Paused and takes no new orders"))),
        Some(plan) => Ok(plan),
        None => Err(error(format!("Invalid plan-id {id} for {}", product.name))),
    }
}

/// The ids of a product's plans that are (or are not) paused.
pub fn plan_ids(product: &str, paused: bool) -> Vec<&'static str> {
    PLANS.iter().filter(|p| p.product == product && p.paused == paused).map(|p| p.id).collect()
}

impl Plan {
    fn status(&self) -> &'static str {
        if self.paused {
            "Paused"
        } else {
            "Active"
        }
    }

    fn view(&self) -> Value {
        serde_json::json!({"plan_name": self.name, "plan_status": self.status(), "plan_features": self.features})
    }
}

/// `products/plan-details.json`: plans keyed by product key, then by plan id.
pub fn plan_details(_world: &mut World, _req: &SimRequest) -> Reply {
    let by_product: Map<String, Value> = PRODUCTS
        .iter()
        .map(|product| {
            let plans = PLANS.iter().filter(|p| p.product == product.key).map(|p| (p.id.to_owned(), p.view()));
            (product.key.to_owned(), Value::Object(plans.collect()))
        })
        .collect();
    Ok(SimResponse::json(200, &Value::Object(by_product)))
}
