//! The account as `/_sandbox/…` shows it to tests, demos and panel developers.

use serde_json::{json, Value};

use super::catalog::{catalog_name, FAMILIES, PRODUCTS};
use super::plans::plan_ids;
use super::store::LbState;
use crate::state::{DEFAULT_LB_API_KEY, DEFAULT_LB_USERID};

impl LbState {
    /// Every order ever placed, deleted ones included, in the envelope's vocabulary: hostprov's
    /// product name (the API's product key beside it), its expiry, and the number of accounts
    /// of an e-mail order (`null` for others).
    pub fn order_views(&self) -> Vec<Value> {
        self.orders
            .values()
            .map(|o| json!({
                "provider": "logicboxes",
                "product": catalog_name(&o.product),
                "product_key": o.product,
                "order_id": o.id.to_string(),
                "status": o.status.envelope_name(),
                "domain": o.domain,
                "title": null,
                "customer_id": o.customer_id,
                "plan_id": o.plan_id,
                "seats": o.extras.seats,
                "expires_at": rfc3339(o.ends_at),
            }))
            .collect()
    }

    /// Customers and their current state, for `/_sandbox/customers`.
    pub fn customer_views(&self) -> Vec<Value> {
        self.customers
            .values()
            .map(|c| json!({
                "provider": "logicboxes",
                "customer_id": c.id,
                "name": c.name,
                "email": c.profile.username,
                "status": if c.suspended { "suspended" } else { "active" },
            }))
            .collect()
    }

    /// The seeded data, so that tests and demos never hard-code ids: customers, the active
    /// (and paused) plans of each product's default edition by hostprov's product name, every
    /// edition with its path, product key and plans, and the seeded orders.
    pub fn fixtures(&self) -> Value {
        // Only ids and names are shown, so the seeding time does not matter.
        let seeded = LbState::seeded(0);
        json!({
            "auth_userid": DEFAULT_LB_USERID,
            "api_key": DEFAULT_LB_API_KEY,
            "customers": seeded.customers.values().map(|c| json!({"customer_id": c.id, "name": c.name, "email": c.profile.username})).collect::<Vec<_>>(),
            "plans": plans_by_product(false),
            "paused_plans": plans_by_product(true),
            "editions": editions(),
            "orders": seeded.orders.values().map(|o| json!({
                "order_id": o.id.to_string(),
                "product": catalog_name(&o.product),
                "product_key": o.product,
                "domain": o.domain,
                "customer_id": o.customer_id,
            })).collect::<Vec<_>>(),
        })
    }
}

/// Plan ids per product, of its default (first) edition; products without plans are left out.
fn plans_by_product(paused: bool) -> Value {
    let lists = FAMILIES
        .iter()
        .map(|family| (family.catalog_name.to_owned(), plan_ids(family.editions[0].1, paused)))
        .filter(|(_, ids)| !ids.is_empty())
        .map(|(name, ids)| (name, json!(ids)));
    Value::Object(lists.collect())
}

/// Every edition of every product: its path prefix, product key and active plans.
fn editions() -> Value {
    let by_product = FAMILIES.iter().map(|family| {
        let editions: Vec<Value> = PRODUCTS
            .iter()
            .filter(|p| std::ptr::eq(p.family, family))
            .map(|p| json!({"path": p.prefix, "product_key": p.key, "plans": plan_ids(p.key, false)}))
            .collect();
        (family.catalog_name.to_owned(), Value::Array(editions))
    });
    Value::Object(by_product.collect())
}

fn rfc3339(epoch_s: i64) -> Value {
    let time = time::OffsetDateTime::from_unix_timestamp(epoch_s).ok();
    time.and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok()).map_or(Value::Null, Value::String)
}
