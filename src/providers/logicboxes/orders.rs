//! Orders of every product with API paths of its own (SiteLock, CodeGuard, the hosting, server
//! and e-mail families), on one code path; and any other LogicBoxes order through the generic
//! `orders/…` calls.
//!
//! What tells the products apart is their row in `products`: where the calls live, whether they
//! take `months`, how the order is read, which family options are sent. Nothing here names a
//! product.

use serde_json::{Map, Value};

use super::api::{self, Api};
use super::options::{self, Target, SEATS_PARAM};
use super::products::{Calls, OrderProduct, Pricing};
use super::{customer, details, order_panel, plan_change, search};
use crate::http::Safety;
use crate::journal::renewal::{self, Renewal};
use crate::operation::Operation;
use crate::providers::{reconciled, settle_state_with, settled_by};
use crate::response::{Error, ErrorCode, Outcome, Status};

/// Runs `operation` on an order of `product`, its edition and family options checked first, so
/// that a bad option sends nothing.
pub fn perform(api: &mut Api, product: &'static OrderProduct, operation: Operation) -> Result<Outcome, Error> {
    let spec = api.call.product.and_then(|p| p.operation(operation)).ok_or_else(super::missing_handler)?;
    let target = options::target(product, spec, &api.service().options)?;
    match operation {
        Operation::Create => create(api, &target),
        Operation::Suspend => suspension(api, Some(&target), true),
        Operation::Unsuspend => suspension(api, Some(&target), false),
        Operation::Terminate => terminate(api, &target),
        Operation::Renew => renew(api, &target),
        Operation::ChangePackage => plan_change::change_package(api, &target),
        Operation::ClientAreaUrl => order_panel::product_login_url(api, &target),
        Operation::Details => details(api, &target),
        Operation::Plans | Operation::TestConnection => Err(super::missing_handler()),
    }
}

/// `months`, for the calls of a product that take it.
pub fn months(api: &Api, target: &Target) -> Option<String> {
    target.product.months.then(|| api.service().months.unwrap_or_default().to_string())
}

pub fn invoice_option(api: &Api) -> String {
    api.service().invoice_option.clone().unwrap_or_else(|| "NoInvoice".to_owned())
}

/// Runs a change and reads the action object it answers with.
pub fn act(api: &mut Api, path: &str, mut params: Vec<(&str, String)>, months: Option<String>) -> Result<Outcome, Error> {
    if let Some(months) = months {
        params.push(("months", months));
    }
    let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let answer = api.post_answer(path, &pairs)?;
    let action = action_of(answer.body()).ok_or_else(|| api::unexpected(Safety::Change, "something other than an action"))?;
    let data = action_data(action);
    let order_id = action.get("entityid").and_then(api::text);
    Ok(Outcome { order_id, data, provider_response: answer.into_provider_response(), ..Outcome::default() })
}

/// The action object of an answer: the body itself, or, when an invoice was raised and paid
/// (`PayInvoice` on some calls), the one object the body holds under the invoice id.
fn action_of(body: &Value) -> Option<&Map<String, Value>> {
    let is_action = |o: &Map<String, Value>| o.contains_key("actionstatus") || o.contains_key("entityid");
    let obj = body.as_object()?;
    if is_action(obj) {
        return Some(obj);
    }
    match obj.values().collect::<Vec<_>>().as_slice() {
        [Value::Object(inner)] if is_action(inner) => Some(inner),
        _ => None,
    }
}

/// The summary of an action object, in the envelope's words.
fn action_data(obj: &Map<String, Value>) -> Map<String, Value> {
    let mut data = Map::new();
    for (ours, theirs) in [
        ("action_id", "eaqid"),
        ("action_status", "actionstatus"),
        ("action_description", "actionstatusdesc"),
        ("invoice_id", "invoiceid"),
        ("selling_amount", "sellingamount"),
        ("currency", "sellingcurrencysymbol"),
    ] {
        if let Some(value) = obj.get(theirs).and_then(api::text) {
            data.insert(ours.to_owned(), Value::String(value));
        }
    }
    data
}

/// Places an order at most once. The natural key of a LogicBoxes order is its domain and
/// customer: a live order there on the same plan (a panel retrying after `outcome_unknown`) is
/// answered as the created one, and a create whose answer was lost is looked up before it is
/// placed again. Whether an order exists is read from `search.json`'s counts; a search that
/// fails leaves it undetermined, and nothing is ordered.
pub fn create(api: &mut Api, target: &Target) -> Result<Outcome, Error> {
    create_once(api, target).map_err(Error::ambiguous_for_create)
}

fn create_once(api: &mut Api, target: &Target) -> Result<Outcome, Error> {
    // The order an earlier create with this key placed is the answer while it lives, whatever
    // its plan has become since.
    if let Some(order_id) = api.call.prior().known_order().map(str::to_owned) {
        if let Some(live) = live_order(api, target, &order_id).map_err(Error::lookup_failed)? {
            return Ok(reconciled(live));
        }
    }
    crate::providers::place_once(api, |api| Ok(existing_order(api, target)?.map(reconciled)), |api| place(api, target))
}

fn place(api: &mut Api, target: &Target) -> Result<Outcome, Error> {
    let service = api.service();
    let invoice = invoice_option(api);
    let mut params = vec![("domain-name", service.domain.clone().unwrap_or_default()), ("customer-id", api.id(|s| &s.customer_id))];
    if let Some(plan) = service.plan_id.as_ref().filter(|_| target.product.orders_by_plan()) {
        params.push(("plan-id", plan.0.clone()));
    }
    params.push(("invoice-option", invoice.clone()));
    params.push(("auto-renew", service.auto_renew.unwrap_or(false).to_string()));
    params.extend(target.params.iter().cloned());
    let mut outcome = act(api, &target.path("add"), params, months(api, target))?;
    // An order whose invoice is kept unpaid waits for payment before it is active.
    let paid = matches!(invoice.as_str(), "NoInvoice" | "PayInvoice");
    outcome.status = Some(if paid { Status::Active } else { Status::Pending });
    Ok(outcome.data("reconciled", false))
}

/// The newest live order of this edition for the request's domain and customer, on the same
/// plan where both plans are known (seat-priced orders have none; search records show none).
fn existing_order(api: &mut Api, target: &Target) -> Result<Option<Outcome>, Error> {
    let domain = api.service().domain.clone().unwrap_or_default();
    let customer_id = api.id(|s| &s.customer_id);
    let plan_id = api.service().plan_id.clone().filter(|_| target.product.orders_by_plan());
    let filter = search::Filter { domain: Some(&domain), customer_id: Some(&customer_id), order_id: None };
    let found = search::orders(api, target, &filter)?;
    for candidate in found.iter().rev().filter(|order| !order.is_deleted()) {
        let order = order_from(api, target, candidate)?;
        let text = |key: &str| order.data.get(key).and_then(Value::as_str);
        let same_plan = match (text("plan_id"), &plan_id) {
            (Some(theirs), Some(ours)) => theirs == ours.0,
            _ => true,
        };
        if text("customer_id") == Some(customer_id.as_str()) && same_plan && order.status != Some(Status::Terminated) {
            return Ok(Some(order));
        }
    }
    Ok(None)
}

/// The order `order_id` if it still lives and is still this domain's for this customer (its plan
/// may have changed since). An order the search no longer lists is left to the look-up by domain
/// and customer.
fn live_order(api: &mut Api, target: &Target, order_id: &str) -> Result<Option<Outcome>, Error> {
    let domain = api.service().domain.clone().unwrap_or_default();
    let customer = api.id(|s| &s.customer_id);
    // Whether the order is gone is the search's count to say, never an error message's
    // wording: a details answer's "not found" sends the question to the search, and a search's
    // own error leaves it undetermined.
    let found = match target.product.calls {
        Calls::Complete => match details::fetch(api, target, order_id) {
            Ok(found) => Some(found),
            Err(e) if e.code == ErrorCode::NotFound => searched(api, target, order_id)?,
            Err(e) => return Err(e),
        },
        Calls::ConfirmedOnly => searched(api, target, order_id)?,
    };
    Ok(found.filter(|found| {
        let field = |key: &str| found.data.get(key).and_then(Value::as_str);
        // Domain names are case-insensitive; the search matches them so too.
        field("domain").is_some_and(|theirs| theirs.eq_ignore_ascii_case(&domain)) && field("customer_id") == Some(customer.as_str()) && found.status != Some(Status::Terminated)
    }))
}

/// A search record's order in full: its `details.json` where the product has one.
fn order_from(api: &mut Api, target: &Target, found: &search::Found) -> Result<Outcome, Error> {
    match target.product.calls {
        Calls::Complete => details::fetch(api, target, &found.order_id.to_string()),
        Calls::ConfirmedOnly => Ok(details::from_search(found, target.product)),
    }
}

/// The order as the product's calls can read it: `details.json`, or its `search.json` record.
pub fn read_order(api: &mut Api, target: &Target, order_id: &str) -> Result<Outcome, Error> {
    if target.product.calls == Calls::Complete {
        return details::fetch(api, target, order_id);
    }
    searched(api, target, order_id)?.ok_or_else(|| Error::new(ErrorCode::NotFound, format!("LogicBoxes has no {} order {order_id}.", target.product.key)))
}

/// The order as its `search.json` record shows it; `None` when the search counts no such order.
fn searched(api: &mut Api, target: &Target, order_id: &str) -> Result<Option<Outcome>, Error> {
    let found = search::orders(api, target, &search::Filter { order_id: Some(order_id), ..search::Filter::default() })?;
    Ok(match found.as_slice() {
        [order] => Some(details::from_search(order, target.product)),
        _ => None,
    })
}

/// After a change whose answer was lost, the order's state says whether it happened.
pub fn settle(api: &mut Api, target: &Target, order_id: &str, result: Result<Outcome, Error>, happened: impl Fn(&Outcome) -> bool) -> Result<Outcome, Error> {
    settled_by(result, &[ErrorCode::OutcomeUnknown], || read_order(api, target, order_id), happened)
}

/// `orders/suspend.json` and `orders/unsuspend.json` serve every kind of order; the generic
/// `order` (no `target`) has no call to check a lost answer against.
pub fn suspension(api: &mut Api, target: Option<&Target>, suspend: bool) -> Result<Outcome, Error> {
    let order_id = api.id(|s| &s.order_id);
    let mut params = vec![("order-id", order_id.clone())];
    if suspend {
        let reason = api.service().reason.clone().unwrap_or_else(|| customer::default_reason(true).to_owned());
        params.push(("reason", reason));
    }
    let path = if suspend { "orders/suspend.json" } else { "orders/unsuspend.json" };
    let status = if suspend { Status::Suspended } else { Status::Active };
    let result = act(api, path, params, None).map(|outcome| about(outcome, &order_id, status));
    match target {
        Some(target) => settle_state_with(result, status, || read_order(api, target, &order_id)),
        None => result,
    }
}

pub fn terminate(api: &mut Api, target: &Target) -> Result<Outcome, Error> {
    let order_id = api.id(|s| &s.order_id);
    let result = act(api, &target.path("delete"), vec![("order-id", order_id.clone())], None)
        .map(|outcome| about(outcome, &order_id, Status::Terminated));
    settle_state_with(result, Status::Terminated, || read_order(api, target, &order_id))
}

/// An action's outcome, about the order it was asked for, in the state it leaves it.
fn about(mut outcome: Outcome, order_id: &str, status: Status) -> Outcome {
    outcome.order_id = Some(order_id.to_owned());
    outcome.status = Some(status);
    outcome
}

/// Renews, never twice: the expiry read before renewing is recorded in the journal, and tells,
/// after a lost answer (in this call or a repeat of it), whether the renewal happened. Without
/// `auto_renew` in the request the order keeps its current setting, since the API requires the
/// flag and a default would silently change it. A seat-priced order renews the seats it has.
pub fn renew(api: &mut Api, target: &Target) -> Result<Outcome, Error> {
    let order_id = api.id(|s| &s.order_id);
    let before = read_order(api, target, &order_id).map_err(|e| renewal::unsettled(api.call, e))?;
    let expiry_now = before.data.get("expires_at").and_then(Value::as_str).map(str::to_owned);
    let expiry_before = match renewal::before_sending(api.call, expiry_now.as_deref())? {
        Renewal::Happened => return Ok(reconciled(before)),
        Renewal::Send { expiry_before } => expiry_before,
    };
    let auto_renew = api.service().auto_renew.or_else(|| before.data.get("auto_renew").and_then(Value::as_bool)).unwrap_or(false);
    let mut params = vec![
        ("order-id", order_id.clone()),
        ("auto-renew", auto_renew.to_string()),
        ("invoice-option", invoice_option(api)),
    ];
    params.extend(target.params.iter().cloned());
    if let (Pricing::Seats { .. }, Some(seats)) = (target.product.pricing, before.data.get("seats").and_then(Value::as_u64)) {
        params.push((SEATS_PARAM, seats.to_string()));
    }
    let result = act(api, &target.path("renew"), params, months(api, target)).map(|mut outcome| {
        outcome.order_id = Some(order_id.clone());
        outcome.data("auto_renew", auto_renew)
    });
    settle(api, target, &order_id, result, |now| {
        let expiry = now.data.get("expires_at").and_then(Value::as_str);
        expiry.is_some_and(|after| !expiry_before.is_empty() && after > expiry_before.as_str())
    })
    .map_err(|e| renewal::unsettled(api.call, e))
}

/// Details by `order_id`, or by `domain`: the newest order of the edition for it.
pub fn details(api: &mut Api, target: &Target) -> Result<Outcome, Error> {
    let order_id = match (&api.service().order_id, api.service().domain.clone()) {
        (Some(id), _) => id.0.clone(),
        (None, Some(domain)) => newest_order_for_domain(api, target, &domain)?,
        (None, None) => return Err(Error::invalid("details needs `service.order_id` or `service.domain`.")),
    };
    read_order(api, target, &order_id)
}

/// The id of the newest order of the edition for `domain`, deleted ones included.
fn newest_order_for_domain(api: &mut Api, target: &Target, domain: &str) -> Result<String, Error> {
    let found = search::orders(api, target, &search::Filter { domain: Some(domain), ..search::Filter::default() })?;
    match found.last() {
        Some(order) => Ok(order.order_id.to_string()),
        None => Err(Error::new(ErrorCode::NotFound, format!("LogicBoxes has no {} order for that domain.", target.product.key))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_or_foreign_answer_to_a_change_is_not_success() {
        assert!(action_of(&serde_json::json!(true)).is_none());
        assert!(action_of(&serde_json::json!({"foo": 1})).is_none());
        assert!(action_of(&serde_json::json!({"1": {"entityid": "5"}, "2": {"entityid": "6"}})).is_none());
        let data = action_data(action_of(&serde_json::json!({"entityid": "5", "actionstatus": "Success", "eaqid": 9})).unwrap());
        assert_eq!(data["action_id"], "9");
        let wrapped = serde_json::json!({"78877737": {"entityid": "5", "actionstatus": "InvoicePaid", "invoiceid": "78877737"}});
        assert_eq!(action_data(action_of(&wrapped).unwrap())["invoice_id"], "78877737");
    }
}
