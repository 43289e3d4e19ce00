//! Orders: SiteLock and CodeGuard through their own API paths (`<product>/add.json`, …), and
//! any other LogicBoxes order through the generic `orders/…` calls and the control panel.
//!
//! Products differ only by their table row in `mod.rs`: CodeGuard's calls need `months`,
//! SiteLock's do not, and that is read from the row, not special-cased here.

use serde_json::{Map, Value};

use super::api::{self, Api};
use super::{customer, panel};
use crate::http::Safety;
use crate::journal::renewal::{self, Renewal};
use crate::operation::Operation;
use crate::providers::ProductSpec;
use crate::request::Field;
use crate::response::{Error, ErrorCode, Outcome, Status};

/// Values of `service_name` the control-panel servlet documents, besides product keys.
const SERVICE_NAMES: [&str; 7] = ["dns", "mailfwd", "premiumdns", "free_email", "webhosting", "mailhosting", "websitebuilder"];
/// Product keys of hosting, server and email orders contain one of these words.
const PRODUCT_KEY_FAMILIES: [&str; 5] = ["hosting", "server", "email", "sitelock", "codeguard"];

/// The product's own calls take `months` when its spec requires it for create.
fn months(api: &Api, product: &ProductSpec) -> Option<String> {
    let needs = product.operation(Operation::Create).is_some_and(|op| op.required.contains(&Field::Months));
    needs.then(|| api.service().months.unwrap_or_default().to_string())
}

fn invoice_option(api: &Api) -> String {
    api.service().invoice_option.clone().unwrap_or_else(|| "NoInvoice".to_owned())
}

fn path(product: &ProductSpec, call: &str) -> String {
    format!("{}/{call}.json", product.key)
}

/// Runs a change and reads the action object it answers with.
fn act(api: &mut Api, path: &str, mut params: Vec<(&str, String)>, months: Option<String>) -> Result<Outcome, Error> {
    if let Some(months) = months {
        params.push(("months", months));
    }
    let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let body = api.post(path, &pairs)?;
    let data = action_data(&body)?;
    let order_id = body.get("entityid").and_then(id_text);
    Ok(Outcome { order_id, data, provider_response: body, ..Outcome::default() })
}

/// The summary of an action object; anything else after a change leaves the outcome unknown.
fn action_data(body: &Value) -> Result<Map<String, Value>, Error> {
    let obj = body.as_object().filter(|o| o.contains_key("actionstatus") || o.contains_key("entityid"));
    let Some(obj) = obj else {
        return Err(api::unexpected(Safety::Change, "something other than an action"));
    };
    let mut data = Map::new();
    for (ours, theirs) in [
        ("action_id", "eaqid"),
        ("action_status", "actionstatus"),
        ("action_description", "actionstatusdesc"),
        ("invoice_id", "invoiceid"),
        ("selling_amount", "sellingamount"),
        ("currency", "sellingcurrencysymbol"),
    ] {
        if let Some(value) = obj.get(theirs).and_then(id_text) {
            data.insert(ours.to_owned(), Value::String(value));
        }
    }
    Ok(data)
}

/// LogicBoxes sends ids and amounts as strings or numbers, depending on the call.
fn id_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Places an order at most once. The natural key of a LogicBoxes order is its domain: an order
/// already there for the same customer and plan (a panel retrying after `outcome_unknown`) is
/// answered as the created one, and a create whose answer was lost is looked up before it is
/// placed again.
pub fn create(api: &mut Api, product: &ProductSpec) -> Result<Outcome, Error> {
    create_once(api, product).map_err(Error::ambiguous_for_create)
}

fn create_once(api: &mut Api, product: &ProductSpec) -> Result<Outcome, Error> {
    // The order an earlier create with this key placed is the answer while it lives, whatever
    // its plan has become since.
    if let Some(order_id) = api.call.prior().known_order().map(str::to_owned) {
        if let Some(live) = live_order(api, product, &order_id)? {
            return Ok(reconciled(live));
        }
    }
    if let Some(existing) = existing_order(api, product)? {
        return Ok(reconciled(existing));
    }
    match place(api, product) {
        Err(lost) if lost.code == ErrorCode::OutcomeUnknown => match existing_order(api, product) {
            Ok(Some(existing)) => Ok(reconciled(existing)),
            Ok(None) => place(api, product),
            Err(_) => Err(lost),
        },
        result => result,
    }
}

fn place(api: &mut Api, product: &ProductSpec) -> Result<Outcome, Error> {
    let service = api.service();
    let invoice = invoice_option(api);
    let params = vec![
        ("domain-name", service.domain.clone().unwrap_or_default()),
        ("customer-id", api.id(|s| &s.customer_id)),
        ("plan-id", api.id(|s| &s.plan_id)),
        ("invoice-option", invoice.clone()),
        ("auto-renew", service.auto_renew.unwrap_or(false).to_string()),
    ];
    let mut outcome = act(api, &path(product, "add"), params, months(api, product))?;
    // An order whose invoice is kept unpaid waits for payment before it is active.
    let paid = matches!(invoice.as_str(), "NoInvoice" | "PayInvoice");
    outcome.status = Some(if paid { Status::Active } else { Status::Pending });
    Ok(outcome.data("reconciled", false))
}

/// The live order of this product for the request's domain, customer and plan, if any.
fn existing_order(api: &mut Api, product: &ProductSpec) -> Result<Option<Outcome>, Error> {
    let domain = api.service().domain.clone().unwrap_or_default();
    let order_id = match order_id_for_domain(api, product, &domain) {
        Ok(id) => id,
        Err(e) if e.code == ErrorCode::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let found = fetch_details(api, product, &order_id)?;
    let same = |key: &str, ours: String| found.data.get(key).and_then(Value::as_str) == Some(ours.as_str());
    let ours = same("customer_id", api.id(|s| &s.customer_id))
        && same("plan_id", api.id(|s| &s.plan_id))
        && found.status != Some(Status::Terminated);
    Ok(ours.then_some(found))
}

/// The order `order_id` if it still lives and is still this domain's for this customer (its plan
/// may have changed since).
fn live_order(api: &mut Api, product: &ProductSpec, order_id: &str) -> Result<Option<Outcome>, Error> {
    let domain = api.service().domain.clone().unwrap_or_default();
    let customer = api.id(|s| &s.customer_id);
    match fetch_details(api, product, order_id) {
        Ok(found) => {
            let field = |key: &str| found.data.get(key).and_then(Value::as_str).map(str::to_owned);
            let ours = field("domain").as_deref() == Some(domain.as_str()) && field("customer_id") == Some(customer);
            Ok((ours && found.status != Some(Status::Terminated)).then_some(found))
        }
        Err(e) if e.code == ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

fn reconciled(found: Outcome) -> Outcome {
    found.data("reconciled", true)
}

/// After a change whose answer was lost, the order's state says whether it happened.
fn settle(api: &mut Api, product: &ProductSpec, order_id: &str, result: Result<Outcome, Error>, happened: impl Fn(&Outcome) -> bool) -> Result<Outcome, Error> {
    match result {
        Err(lost) if lost.code == ErrorCode::OutcomeUnknown && has_own_calls(product) => match fetch_details(api, product, order_id) {
            Ok(now) if happened(&now) => Ok(reconciled(now)),
            _ => Err(lost),
        },
        result => result,
    }
}

/// Products with their own `details.json`; the generic `order` has none to check against.
fn has_own_calls(product: &ProductSpec) -> bool {
    product.operation(Operation::Details).is_some()
}

/// `orders/suspend.json` and `orders/unsuspend.json` serve every kind of order.
pub fn suspension(api: &mut Api, product: &ProductSpec, suspend: bool) -> Result<Outcome, Error> {
    let order_id = api.id(|s| &s.order_id);
    let mut params = vec![("order-id", order_id.clone())];
    if suspend {
        let reason = api.service().reason.clone().unwrap_or_else(|| customer::default_reason(true).to_owned());
        params.push(("reason", reason));
    }
    let path = if suspend { "orders/suspend.json" } else { "orders/unsuspend.json" };
    let target = if suspend { Status::Suspended } else { Status::Active };
    let result = act(api, path, params, None).map(|mut outcome| {
        outcome.order_id = Some(order_id.clone());
        outcome.status = Some(target);
        outcome
    });
    settle(api, product, &order_id, result, |now| now.status == Some(target))
}

pub fn terminate(api: &mut Api, product: &ProductSpec) -> Result<Outcome, Error> {
    let order_id = api.id(|s| &s.order_id);
    let result = act(api, &path(product, "delete"), vec![("order-id", order_id.clone())], None).map(|mut outcome| {
        outcome.order_id = Some(order_id.clone());
        outcome.status = Some(Status::Terminated);
        outcome
    });
    settle(api, product, &order_id, result, |now| now.status == Some(Status::Terminated))
}

/// Renews, never twice: the expiry read before renewing is recorded in the journal, and tells,
/// after a lost answer (in this call or a repeat of it), whether the renewal happened. Without
/// `auto_renew` in the request the order keeps its current setting, since the API requires the
/// flag and a default would silently change it.
pub fn renew(api: &mut Api, product: &ProductSpec) -> Result<Outcome, Error> {
    let order_id = api.id(|s| &s.order_id);
    let before = fetch_details(api, product, &order_id).map_err(|e| renewal::unsettled(api.call, e))?;
    let expiry_now = before.data.get("expires_at").and_then(Value::as_str).map(str::to_owned);
    let expiry_before = match renewal::before_sending(api.call, expiry_now.as_deref())? {
        Renewal::Happened => return Ok(reconciled(before)),
        Renewal::Send { expiry_before } => expiry_before,
    };
    let auto_renew = api.service().auto_renew.or_else(|| before.data.get("auto_renew").and_then(Value::as_bool)).unwrap_or(false);
    let params = vec![
        ("order-id", order_id.clone()),
        ("auto-renew", auto_renew.to_string()),
        ("invoice-option", invoice_option(api)),
    ];
    let result = act(api, &path(product, "renew"), params, months(api, product)).map(|mut outcome| {
        outcome.order_id = Some(order_id.clone());
        outcome.data("auto_renew", auto_renew)
    });
    settle(api, product, &order_id, result, |now| {
        let expiry = now.data.get("expires_at").and_then(Value::as_str);
        expiry.is_some_and(|after| !expiry_before.is_empty() && after > expiry_before.as_str())
    })
    .map_err(|e| renewal::unsettled(api.call, e))
}

/// Validates the new plan, then either quotes it (`options.dry_run`) or applies it.
/// Note the API's own quirk: validate-modify takes `new-planid`, the others `new-plan-id`.
pub fn change_package(api: &mut Api, product: &ProductSpec) -> Result<Outcome, Error> {
    let order_id = api.id(|s| &s.order_id);
    let new_plan = api.id(|s| &s.new_plan_id);
    let validated = api.get(&path(product, "validate-modify"), &[("order-id", &order_id), ("new-planid", &new_plan)])?;
    api::expect_true(&validated, Safety::Read)?;

    if api.call.request.options.dry_run {
        let mut params = vec![("order-id", order_id.as_str()), ("new-plan-id", new_plan.as_str())];
        let months = months(api, product);
        if let Some(months) = &months {
            params.push(("months", months));
        }
        let quote = api.get(&path(product, "modify-pricing"), &params)?;
        return Ok(Outcome {
            order_id: Some(order_id),
            data: quote_data(&quote)?,
            provider_response: quote,
            ..Outcome::default()
        }
        .data("dry_run", true)
        .data("new_plan_id", new_plan));
    }

    let params = vec![
        ("order-id", order_id.clone()),
        ("new-plan-id", new_plan.clone()),
        ("invoice-option", invoice_option(api)),
    ];
    let mut outcome = act(api, &path(product, "modify"), params, months(api, product))?;
    outcome.order_id = Some(order_id);
    Ok(outcome.data("plan_id", new_plan).data("dry_run", false))
}

fn quote_data(quote: &Value) -> Result<Map<String, Value>, Error> {
    let number = |key: &str| quote.get(key).filter(|v| v.is_number()).cloned();
    let mut data = Map::new();
    for (ours, theirs) in [
        ("current_price", "currentOrderPrice"),
        ("new_price", "modifiedOrderPrice"),
        ("upgrade_cost", "upgradecost"),
        ("remaining_months", "remainingmonths"),
    ] {
        let value = number(theirs).ok_or_else(|| api::unexpected(Safety::Read, "a price quote without its amounts"))?;
        data.insert(ours.to_owned(), value);
    }
    if let Some(expires) = quote.get("endtime").and_then(epoch_to_rfc3339) {
        data.insert("expires_at".into(), Value::String(expires));
    }
    Ok(Map::from_iter([("quote".to_owned(), Value::Object(data))]))
}

/// Details by `order_id`, or by `domain` through `orderid.json` (a bare integer answer).
pub fn details(api: &mut Api, product: &ProductSpec) -> Result<Outcome, Error> {
    let order_id = match (&api.service().order_id, api.service().domain.clone()) {
        (Some(id), _) => id.0.clone(),
        (None, Some(domain)) => order_id_for_domain(api, product, &domain)?,
        (None, None) => return Err(Error::invalid("details needs `service.order_id` or `service.domain`.")),
    };
    fetch_details(api, product, &order_id)
}

/// The id of the newest order of `product` for `domain`.
pub fn order_id_for_domain(api: &mut Api, product: &ProductSpec, domain: &str) -> Result<String, Error> {
    let body = api.get(&path(product, "orderid"), &[("domain-name", domain)])?;
    id_text(&body)
        .filter(|id| id.chars().all(|c| c.is_ascii_digit()))
        .ok_or_else(|| api::unexpected(Safety::Read, "an order id that is not a number"))
}

pub fn fetch_details(api: &mut Api, product: &ProductSpec, order_id: &str) -> Result<Outcome, Error> {
    let body = api.get(&path(product, "details"), &[("order-id", order_id)])?;
    let text = |key: &str| body.get(key).and_then(id_text);
    let provider_status = text("currentstatus");
    let status = provider_status.as_deref().and_then(status_of);
    let mut data = Map::new();
    let mut put = |key: &str, value: Option<Value>| {
        data.insert(key.to_owned(), value.unwrap_or(Value::Null));
    };
    put("order_id", text("entityid").map(Value::String));
    put("domain", text("domainname").or_else(|| text("description")).map(Value::String));
    put("status", status.map(|s| serde_json::to_value(s).unwrap_or_default()));
    put("provider_status", provider_status.map(Value::String));
    put("product_key", text("productkey").map(Value::String));
    put("plan_id", text("planid").map(Value::String));
    put("customer_id", text("customerid").map(Value::String));
    put("auto_renew", ["recurring", "autorenew", "isautorenew"].iter().find_map(|k| text(k)).map(|v| Value::Bool(v == "true")));
    put("created_at", body.get("creationtime").and_then(epoch_to_rfc3339).map(Value::String));
    put("expires_at", body.get("endtime").and_then(epoch_to_rfc3339).map(Value::String));
    Ok(Outcome { order_id: text("entityid"), status, data, provider_response: body, ..Outcome::default() })
}

fn status_of(current: &str) -> Option<Status> {
    match current.to_ascii_lowercase().as_str() {
        "active" => Some(Status::Active),
        "suspended" => Some(Status::Suspended),
        "inactive" | "pending" => Some(Status::Pending),
        "deleted" => Some(Status::Terminated),
        _ => None,
    }
}

/// LogicBoxes times are epoch seconds, as a string or a number.
fn epoch_to_rfc3339(value: &Value) -> Option<String> {
    let seconds: i64 = id_text(value)?.parse().ok()?;
    let time = time::OffsetDateTime::from_unix_timestamp(seconds).ok()?;
    time.format(&time::format_description::well_known::Rfc3339).ok()
}

/// The order's own control panel (`ManageServiceServletForAPI`, service-name = product key).
/// The customer comes from the request, or from the order's details.
pub fn product_login_url(api: &mut Api, product: &ProductSpec) -> Result<Outcome, Error> {
    let order_id = api.id(|s| &s.order_id);
    let customer_id = match &api.service().customer_id {
        Some(id) => id.0.clone(),
        None => {
            let order = fetch_details(api, product, &order_id)?;
            if order.status == Some(Status::Terminated) {
                return Err(Error::new(ErrorCode::ProviderError, "The order is terminated: it has no control panel to open."));
            }
            order
                .data
                .get("customer_id")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| api::unexpected(Safety::Read, "order details without a customer id"))?
        }
    };
    manage_service_link(api, &order_id, &customer_id, ("service-name", product.key))
}

/// Any other order's panel: `service_name` from the documented list or a product key, or
/// `panel: "whm"`.
pub fn order_login_url(api: &mut Api) -> Result<Outcome, Error> {
    let target = match (api.service().service_name.clone(), api.service().panel.clone()) {
        (Some(name), None) if is_service_name(&name) => ("service-name", name),
        (None, Some(panel)) if panel == "whm" => ("panel", panel),
        (Some(_), Some(_)) => return Err(Error::invalid("Send either `service.service_name` or `service.panel`, not both.")),
        (None, Some(_)) => return Err(Error::invalid("The request field `service.panel` must be \"whm\".")),
        (None, None) => {
            return Err(Error::invalid("client_area_url for an order needs `service.service_name` or `service.panel`."))
        }
        (Some(_), None) => {
            return Err(Error::invalid(format!(
                "The request field `service.service_name` must be one of {} or a hosting, server or email product key.",
                SERVICE_NAMES.join(", ")
            )))
        }
    };
    let order_id = api.id(|s| &s.order_id);
    let customer_id = api.id(|s| &s.customer_id);
    manage_service_link(api, &order_id, &customer_id, (target.0, &target.1))
}

fn is_service_name(name: &str) -> bool {
    SERVICE_NAMES.contains(&name)
        || (name.len() <= 64
            && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && PRODUCT_KEY_FAMILIES.iter().any(|family| name.contains(family)))
}

fn manage_service_link(api: &mut Api, order_id: &str, customer_id: &str, target: (&str, &str)) -> Result<Outcome, Error> {
    let token = panel::login_token(api, customer_id)?;
    let mut outcome = panel::servlet_link(api, "ManageServiceServletForAPI", &[("auth-token", &token), ("orderid", order_id), target])?;
    outcome.order_id = Some(order_id.to_owned());
    Ok(outcome.data("customer_id", customer_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_names_are_the_documented_ones_or_product_keys() {
        for ok in ["dns", "free_email", "websitebuilder", "singledomainhostinglinuxus", "dedicatedserverlinuxus", "sitelock", "enterpriseemailus"] {
            assert!(is_service_name(ok), "{ok}");
        }
        for bad in ["", "DNS", "whm", "dns&panel=whm", "webhosting\n", "randomkey", "hosting/../x"] {
            assert!(!is_service_name(bad), "{bad}");
        }
    }

    #[test]
    fn epoch_strings_become_rfc3339() {
        assert_eq!(epoch_to_rfc3339(&Value::from("1572096892")).as_deref(), Some("2019-10-26T13:34:52Z"));
        assert_eq!(epoch_to_rfc3339(&Value::from(0)).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(epoch_to_rfc3339(&Value::from("soon")), None);
    }

    #[test]
    fn a_failed_or_foreign_answer_to_a_change_is_not_success() {
        assert!(action_data(&serde_json::json!(true)).is_err());
        assert!(action_data(&serde_json::json!({"foo": 1})).is_err());
        let data = action_data(&serde_json::json!({"entityid": "5", "actionstatus": "Success", "eaqid": 9})).unwrap();
        assert_eq!(data["action_id"], "9");
    }
}
