//! The account as `/_sandbox/…` shows it to tests, demos and panel developers.

use serde_json::{json, Value};

use super::catalog::PRODUCTS;
use super::plans::plan_ids;
use super::store::LbState;
use crate::state::{DEFAULT_LB_API_KEY, DEFAULT_LB_USERID};

impl LbState {
    /// Every order ever placed, deleted ones included, in the envelope's vocabulary, with its
    /// expiry and the number of accounts of an e-mail order (`null` for others).
    pub fn order_views(&self) -> Vec<Value> {
        self.orders
            .values()
            .map(|o| json!({
                "provider": "logicboxes",
                "product": o.product,
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
                "status": if c.suspended { "suspended" } else { "active" },
            }))
            .collect()
    }

    /// The seeded data, so that tests and demos never hard-code ids.
    pub fn fixtures(&self) -> Value {
        // Only ids and names are shown, so the seeding time does not matter.
        let seeded = LbState::seeded(0);
        json!({
            "auth_userid": DEFAULT_LB_USERID,
            "api_key": DEFAULT_LB_API_KEY,
            "customers": seeded.customers.values().map(|c| json!({"customer_id": c.id, "name": c.name})).collect::<Vec<_>>(),
            "plans": plans_by_product(false),
            "paused_plans": plans_by_product(true),
            "orders": seeded.orders.values().map(|o| json!({
                "order_id": o.id.to_string(),
                "product": o.product,
                "domain": o.domain,
                "customer_id": o.customer_id,
            })).collect::<Vec<_>>(),
        })
    }
}

/// Plan ids per product key; products without such plans are left out.
fn plans_by_product(paused: bool) -> Value {
    let lists = PRODUCTS
        .iter()
        .map(|p| (p.key.to_owned(), plan_ids(p.key, paused)))
        .filter(|(_, ids)| !ids.is_empty())
        .map(|(key, ids)| (key, json!(ids)));
    Value::Object(lists.collect())
}

fn rfc3339(epoch_s: i64) -> Value {
    let time = time::OffsetDateTime::from_unix_timestamp(epoch_s).ok();
    time.and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok()).map_or(Value::Null, Value::String)
}
