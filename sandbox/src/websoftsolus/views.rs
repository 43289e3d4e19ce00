//! The licences as `/_sandbox/…` shows them to tests, demos and panel developers.

use serde_json::{json, Map, Value};

use super::catalog::PRODUCTS;
use super::store::LicenceState;
use crate::state::{DEFAULT_WSS_LOGIN, DEFAULT_WSS_SECRET};

impl LicenceState {
    /// Every licence ever ordered, live ones first, terminated ones included, in the envelope's
    /// vocabulary plus the environment it lives in.
    pub fn order_views(&self) -> Vec<Value> {
        self.all()
            .map(|(env, l)| json!({
                "provider": "websoftsolus",
                "product": l.family,
                "order_id": l.key_number,
                "status": l.status.envelope_name(),
                "domain": null,
                "title": l.title,
                "customer_id": null,
                "plan_id": l.version,
                "environment": env.name(),
            }))
            .collect()
    }

    /// The credentials and the orderable versions per product.
    pub fn fixtures() -> Value {
        let products: Map<String, Value> = PRODUCTS.iter().map(|p| (p.key.to_owned(), json!(p.versions))).collect();
        json!({"login": DEFAULT_WSS_LOGIN, "secret": DEFAULT_WSS_SECRET, "products": products})
    }
}
