//! An order as the envelope shows it: the fields every product shares, in readable names, and
//! the family's own (IP address, temporary URL, disk and bandwidth, seats, add-ons, OS…) as its
//! row maps them. Read from `<prefix>details.json`, or from a `search.json` record where the
//! details call is not confirmed.

use serde_json::{Map, Value};

use super::api::{self, Api};
use super::options::Target;
use super::products::{DetailField, OrderProduct, Shape};
use super::search::Found;
use crate::http::Safety;
use crate::response::{Error, Outcome, Status};

pub fn fetch(api: &mut Api, target: &Target, order_id: &str) -> Result<Outcome, Error> {
    let answer = api.get_answer(&target.path("details"), &[("order-id", order_id)])?;
    let body = answer.body();
    if !body.is_object() {
        return Err(api::unexpected(Safety::Read, "order details that are not an object"));
    }
    let text = |key: &str| body.get(key).and_then(api::text);
    let shared = Shared {
        order_id: text("entityid"),
        domain: text("domainname").or_else(|| text("description")),
        provider_status: text("currentstatus"),
        product_key: text("productkey"),
        plan_id: text("planid"),
        customer_id: text("customerid"),
        auto_renew: ["recurring", "autorenew", "isautorenew"].iter().find_map(|k| body.get(*k).and_then(api::flag)),
        created_at: body.get("creationtime").and_then(epoch_to_rfc3339),
        expires_at: body.get("endtime").and_then(epoch_to_rfc3339),
    };
    let mut outcome = shared.outcome(target.product);
    for field in target.product.details {
        outcome.data.insert(field.ours.to_owned(), family_value(body, field));
    }
    Ok(Outcome { provider_response: answer.into_provider_response(), ..outcome })
}

/// The order as its search record shows it (no plan).
pub fn from_search(found: &Found, product: &OrderProduct) -> Outcome {
    let shared = Shared {
        order_id: Some(found.order_id.to_string()),
        domain: found.domain.clone(),
        provider_status: found.provider_status.clone(),
        product_key: found.product_key.clone(),
        plan_id: None,
        customer_id: found.customer_id.clone(),
        auto_renew: found.auto_renew,
        created_at: found.created.as_ref().and_then(epoch_to_rfc3339),
        expires_at: found.expires.as_ref().and_then(epoch_to_rfc3339),
    };
    shared.outcome(product)
}

/// The fields every product's order shows, whichever answer they were read from: one builder,
/// so an order read from its details and one read from a search record show the same keys.
struct Shared {
    order_id: Option<String>,
    domain: Option<String>,
    provider_status: Option<String>,
    product_key: Option<String>,
    plan_id: Option<String>,
    customer_id: Option<String>,
    auto_renew: Option<bool>,
    created_at: Option<String>,
    expires_at: Option<String>,
}

impl Shared {
    fn outcome(self, product: &OrderProduct) -> Outcome {
        let status = self.provider_status.as_deref().and_then(status_of);
        let text = |v: Option<String>| v.map_or(Value::Null, Value::String);
        let mut data = Map::new();
        data.insert("order_id".into(), text(self.order_id.clone()));
        data.insert("domain".into(), text(self.domain));
        data.insert("status".into(), status.map_or(Value::Null, status_value));
        data.insert("provider_status".into(), text(self.provider_status));
        data.insert("product_key".into(), text(self.product_key.clone()));
        data.insert("plan_id".into(), text(self.plan_id));
        data.insert("customer_id".into(), text(self.customer_id));
        data.insert("auto_renew".into(), self.auto_renew.map_or(Value::Null, Value::Bool));
        data.insert("created_at".into(), text(self.created_at));
        data.insert("expires_at".into(), text(self.expires_at));
        add_edition(&mut data, product, self.product_key.as_deref());
        Outcome { order_id: self.order_id, status, data, ..Outcome::default() }
    }
}

/// `platform` and `region` of the order's edition, for products sold in several.
fn add_edition(data: &mut Map<String, Value>, product: &OrderProduct, product_key: Option<&str>) {
    let default = product.default_variant();
    let variant = product_key.and_then(|key| product.variant_of_key(key));
    let value = |v: Option<&'static str>| v.map_or(Value::Null, |v| Value::String(v.to_owned()));
    if default.platform.is_some() {
        data.insert("platform".into(), value(variant.and_then(|v| v.platform)));
    }
    if default.region.is_some() {
        data.insert("region".into(), value(variant.and_then(|v| v.region)));
    }
}

pub(super) fn status_value(status: Status) -> Value {
    serde_json::to_value(status).unwrap_or_default()
}

fn family_value(body: &Value, field: &DetailField) -> Value {
    let Some(raw) = field.theirs.iter().find_map(|key| body.get(*key).filter(|v| !v.is_null())) else { return Value::Null };
    match field.shape {
        Shape::Text => api::text(raw).map_or(Value::Null, Value::String),
        Shape::Count => api::text(raw).and_then(|t| t.trim().parse::<u64>().ok()).map_or(Value::Null, Value::from),
        Shape::Quota => match api::text(raw) {
            Some(t) if t.trim() == "-1" => Value::String("unlimited".into()),
            other => other.map_or(Value::Null, Value::String),
        },
        Shape::List => Value::Array(list(raw).into_iter().map(Value::String).collect()),
    }
}

/// Strings of an array (of strings, numbers or objects with a name), or of a comma- or
/// space-separated string.
fn list(raw: &Value) -> Vec<String> {
    match raw {
        Value::Array(items) => items
            .iter()
            .filter_map(|item| api::text(item).or_else(|| ["name", "addon_name", "value"].iter().find_map(|k| item.get(*k).and_then(api::text))))
            .collect(),
        Value::Object(map) => map.values().filter_map(api::text).collect(),
        other => api::text(other)
            .map(|t| t.split([',', ' ']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect())
            .unwrap_or_default(),
    }
}

pub fn status_of(current: &str) -> Option<Status> {
    match current.to_ascii_lowercase().as_str() {
        "active" => Some(Status::Active),
        "suspended" => Some(Status::Suspended),
        "inactive" | "pending" => Some(Status::Pending),
        "deleted" => Some(Status::Terminated),
        _ => None,
    }
}

/// LogicBoxes times are epoch seconds, as a string or a number; zero (`"0000000000"` in a
/// quote) means no date.
pub fn epoch_to_rfc3339(value: &Value) -> Option<String> {
    let seconds: i64 = api::text(value)?.parse().ok().filter(|s| *s != 0)?;
    let time = time::OffsetDateTime::from_unix_timestamp(seconds).ok()?;
    time.format(&time::format_description::well_known::Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::logicboxes::products::find;
    use serde_json::json;

    #[test]
    fn epoch_strings_become_rfc3339() {
        assert_eq!(epoch_to_rfc3339(&Value::from("1572096892")).as_deref(), Some("2019-10-26T13:34:52Z"));
        assert_eq!(epoch_to_rfc3339(&Value::from("0000000000")), None);
        assert_eq!(epoch_to_rfc3339(&Value::from(1)).as_deref(), Some("1970-01-01T00:00:01Z"));
        assert_eq!(epoch_to_rfc3339(&Value::from("soon")), None);
    }

    #[test]
    fn family_fields_take_any_of_the_apis_spellings() {
        let fields = find("vps").unwrap().details;
        let ip = fields.iter().find(|f| f.ours == "ip_address").unwrap();
        assert_eq!(family_value(&json!({"ipAddress": "192.0.2.7"}), ip), "192.0.2.7");
        assert_eq!(family_value(&json!({"ipaddress": "192.0.2.8"}), ip), "192.0.2.8");
        let addons = fields.iter().find(|f| f.ours == "addons").unwrap();
        assert_eq!(family_value(&json!({"addons": ["cpanel", {"name": "whmcs"}]}), addons), json!(["cpanel", "whmcs"]));
        assert_eq!(family_value(&json!({"addons": "cpanel, storage_1"}), addons), json!(["cpanel", "storage_1"]));
        assert_eq!(family_value(&json!({}), addons), Value::Null);
        let hosting = find("single_domain_hosting").unwrap().details;
        let mail = hosting.iter().find(|f| f.ours == "mail_space").unwrap();
        assert_eq!(family_value(&json!({"mailspace": "-1"}), mail), "unlimited");
        let seats = find("business_email").unwrap().details.iter().find(|f| f.ours == "seats").unwrap();
        assert_eq!(family_value(&json!({"emailaccounts": 1}), seats), 1);
        assert_eq!(family_value(&json!({"emailaccounts": "7"}), seats), 7);
    }
}
