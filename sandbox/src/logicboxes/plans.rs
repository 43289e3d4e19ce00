//! Plans: every edition of a family sells its family's plans, numbered from the family's
//! `plan_base`; `products/plan-details.json` lists them and `products/customer-price.json`
//! prices them per tenure.

use std::sync::LazyLock;

use serde_json::{json, Map, Value};

use super::catalog::{Product, Term, PRODUCTS};
use super::reply::{error, Reply};
use crate::state::World;
use crate::wire::{SimRequest, SimResponse};

/// A plan as a family defines it for each of its editions.
#[derive(Debug)]
pub struct PlanTemplate {
    pub name: &'static str,
    /// Paused plans are listed but take no new orders and no changes of plan.
    pub paused: bool,
    /// The price per month (per account, for seat-priced families).
    pub monthly_cents: i64,
    pub features: &'static [&'static str],
}

/// A plan of one edition, as `plan-details.json` shows it.
#[derive(Debug)]
pub struct Plan {
    /// The edition's product key.
    pub product: &'static str,
    pub id: String,
    pub name: &'static str,
    pub paused: bool,
    pub monthly_cents: i64,
    pub features: &'static [&'static str],
    /// 1 for the family's first plan, 2 for the next…: what sizes a hosting order's quotas.
    pub rank: u32,
}

/// Tenures (months) sold where the API takes `months`.
const TENURES: [u32; 6] = [1, 3, 6, 12, 24, 36];

/// Every plan of every edition.
pub static PLANS: LazyLock<Vec<Plan>> = LazyLock::new(|| {
    PRODUCTS
        .iter()
        .flat_map(|product| {
            let family = product.family;
            family.plans.iter().zip(1..).map(move |(t, n)| Plan {
                product: product.key,
                id: (family.plan_base + 10 * product.edition + n).to_string(),
                name: t.name,
                paused: t.paused,
                monthly_cents: t.monthly_cents,
                features: t.features,
                rank: n,
            })
        })
        .collect()
});

pub fn plan_of(product: &str, id: &str) -> Option<&'static Plan> {
    PLANS.iter().find(|p| p.product == product && p.id == id)
}

/// A plan that can take an order or a change of plan: this product's, and not paused.
pub fn orderable_plan(product: &Product, id: &str) -> Result<&'static Plan, SimResponse> {
    match plan_of(product.key, id) {
        Some(plan) if plan.paused => Err(error(format!("Plan {id} is Paused and takes no new orders"))),
        Some(plan) => Ok(plan),
        None => Err(error(format!("Invalid plan-id {id} for {}", product.name()))),
    }
}

/// The first orderable plan of a product, for seat-priced orders placed without `plan-id`.
pub fn default_plan(product: &Product) -> Option<&'static Plan> {
    PLANS.iter().find(|p| p.product == product.key && !p.paused)
}

/// The ids of a product's plans that are (or are not) paused.
pub fn plan_ids(product: &str, paused: bool) -> Vec<&'static str> {
    PLANS.iter().filter(|p| p.product == product && p.paused == paused).map(|p| p.id.as_str()).collect()
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
        json!({"plan_name": self.name, "plan_status": self.status(), "plan_features": self.features})
    }
}

/// Plans grouped by product key, in the products' order.
fn by_product(view: impl Fn(&Product, &Plan) -> Value) -> Value {
    let mut products = Map::new();
    for product in PRODUCTS.iter() {
        let plans: Map<String, Value> = PLANS.iter().filter(|p| p.product == product.key).map(|p| (p.id.clone(), view(product, p))).collect();
        if !plans.is_empty() {
            products.insert(product.key.to_owned(), Value::Object(plans));
        }
    }
    Value::Object(products)
}

/// `products/plan-details.json`: plans keyed by product key, then by plan id.
pub fn plan_details(_world: &mut World, _req: &SimRequest) -> Reply {
    Ok(SimResponse::json(200, &by_product(|_, plan| plan.view())))
}

/// `products/customer-price.json`: `{product key: {"plans": {plan id: {"add": {months: price},
/// "renew": {…}}}}}`, prices in dollars as JSON numbers, months as string keys.
pub fn customer_price(_world: &mut World, _req: &SimRequest) -> Reply {
    let prices = by_product(|product, plan| {
        let tenures: Vec<u32> = match product.family.term {
            Term::Months => TENURES.to_vec(),
            Term::Fixed(months) => vec![months],
        };
        let price: Map<String, Value> =
            tenures.iter().map(|m| (m.to_string(), json!((plan.monthly_cents * i64::from(*m)) as f64 / 100.0))).collect();
        json!({"add": price, "renew": price})
    });
    let wrapped = prices.as_object().map(|o| o.iter().map(|(k, v)| (k.clone(), json!({"plans": v}))).collect::<Map<_, _>>()).unwrap_or_default();
    Ok(SimResponse::json(200, &Value::Object(wrapped)))
}
