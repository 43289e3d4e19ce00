//! The services as `/_sandbox/…` shows them to tests, demos and panel developers.

use serde_json::{json, Value};

use super::catalog::{plan_ids, CUSTOMERS};
use super::store::RnState;
use crate::state::DEFAULT_RACKNAP_TOKEN;

impl RnState {
    /// Every service ever created, terminated ones included, in the envelope's vocabulary.
    pub fn order_views(&self) -> Vec<Value> {
        self.services
            .values()
            .map(|s| json!({
                "provider": "racknap",
                "product": "service",
                "order_id": s.id.to_string(),
                "status": s.status.envelope_name(),
                "domain": null,
                "title": null,
                "customer_id": s.customer_id,
                "plan_id": s.plan_id.to_string(),
            }))
            .collect()
    }

    /// The seeded data, so that tests and demos never hard-code ids.
    pub fn fixtures() -> Value {
        json!({
            "api_token": DEFAULT_RACKNAP_TOKEN,
            "customers": CUSTOMERS,
            "plans": plan_ids(false),
            "vps_plans": plan_ids(true),
        })
    }
}
