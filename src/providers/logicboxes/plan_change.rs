//! `change_package`: a new plan for plan-priced products, a new number of seats for the e-mail
//! families. Either way the change is made once: a lost answer is settled by reading the order
//! (its plan, or its seat count), never by sending again.

use serde_json::{Map, Value};

use super::api::{self, Api};
use super::options::{Target, SEATS_PARAM};
use super::orders::{act, invoice_option, months, read_order, settle};
use super::products::{PlanChange, Pricing};
use crate::http::Safety;
use crate::response::{Error, Outcome};

pub fn change_package(api: &mut Api, target: &Target) -> Result<Outcome, Error> {
    match target.product.pricing {
        Pricing::Plan(how) => change_plan(api, target, how),
        Pricing::Seats { add, delete, .. } => change_seats(api, target, add, delete),
    }
}

/// Moves the order to `new_plan_id`; with `options.dry_run`, only quotes it.
/// Note the API's own quirk: validate-modify takes `new-planid`, the others `new-plan-id`.
fn change_plan(api: &mut Api, target: &Target, how: PlanChange) -> Result<Outcome, Error> {
    let order_id = api.id(|s| &s.order_id);
    let new_plan = api.id(|s| &s.new_plan_id);
    if how == PlanChange::Validated {
        let validated = api.get(&target.path("validate-modify"), &[("order-id", &order_id), ("new-planid", &new_plan)])?;
        api::expect_true(&validated, Safety::Read)?;
    }
    let dry_run = api.call.request.options.dry_run;
    let months = months(api, target);
    if dry_run || how == PlanChange::UpgradesOnly {
        let mut params = vec![("order-id", order_id.as_str()), ("new-plan-id", new_plan.as_str())];
        params.extend(months.as_deref().map(|months| ("months", months)));
        let quote = api.get(&target.path("modify-pricing"), &params)?;
        let data = quote_data(&quote)?;
        if how == PlanChange::UpgradesOnly && data["quote"]["new_price"].as_f64() < data["quote"]["current_price"].as_f64() {
            return Err(Error::invalid(format!(
                "{} plans can only be upgraded, and plan {new_plan} costs less than the order's plan; choose a larger plan.",
                target.product.title
            )));
        }
        if dry_run {
            let quoted = Outcome { order_id: Some(order_id), data, provider_response: quote.into(), ..Outcome::default() };
            return Ok(quoted.data("dry_run", true).data("new_plan_id", new_plan));
        }
    }

    let mut params = vec![
        ("order-id", order_id.clone()),
        ("new-plan-id", new_plan.clone()),
        ("invoice-option", invoice_option(api)),
    ];
    params.extend(target.params.iter().cloned());
    let result = act(api, &target.path("modify"), params, months).map(|mut outcome| {
        outcome.order_id = Some(order_id.clone());
        outcome.data("plan_id", new_plan.as_str()).data("dry_run", false)
    });
    settle(api, target, &order_id, result, |now| now.data.get("plan_id").and_then(Value::as_str) == Some(new_plan.as_str()))
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
    if let Some(expires) = quote.get("endtime").and_then(super::details::epoch_to_rfc3339) {
        data.insert("expires_at".into(), Value::String(expires));
    }
    Ok(Map::from_iter([("quote".to_owned(), Value::Object(data))]))
}

/// Brings the order to `service.options.seats` accounts in all, adding or removing the
/// difference from the count its details show. The count is a total, so repeating the request
/// after a lost answer changes nothing twice.
fn change_seats(api: &mut Api, target: &Target, add: &str, delete: &str) -> Result<Outcome, Error> {
    let order_id = api.id(|s| &s.order_id);
    let wanted = u64::from(target.seats().ok_or_else(|| Error::invalid("change_package needs `service.options.seats`, the new number of accounts."))?);
    let before = read_order(api, target, &order_id)?;
    let current = seats_of(&before).ok_or_else(|| api::unexpected(Safety::Read, "order details without the number of accounts"))?;
    let summary = |outcome: Outcome| outcome.data("seats", wanted).data("seats_before", current);
    if api.call.request.options.dry_run || wanted == current {
        let unchanged = Outcome { order_id: Some(order_id), ..Outcome::default() };
        return Ok(summary(unchanged).data("dry_run", api.call.request.options.dry_run).data("changed", false));
    }
    let (call, difference) = if wanted > current { (add, wanted - current) } else { (delete, current - wanted) };
    let params = vec![
        ("order-id", order_id.clone()),
        (SEATS_PARAM, difference.to_string()),
        ("invoice-option", invoice_option(api)),
    ];
    let result = act(api, &target.path(call), params, None).map(|mut outcome| {
        outcome.order_id = Some(order_id.clone());
        summary(outcome).data("changed", true).data("dry_run", false)
    });
    // A change settled by re-reading the order carries what the call meant to do too.
    settle(api, target, &order_id, result, |now| seats_of(now) == Some(wanted)).map(|outcome| summary(outcome).data("changed", true))
}

fn seats_of(order: &Outcome) -> Option<u64> {
    order.data.get("seats").and_then(Value::as_u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_quote_needs_its_amounts() {
        let quote = json!({"upgradecost": 1.5, "modifiedOrderPrice": 3, "currentOrderPrice": 1.5, "remainingmonths": 2, "endtime": "0000000000"});
        let data = quote_data(&quote).unwrap();
        assert_eq!(data["quote"]["new_price"], 3);
        assert!(data["quote"].get("expires_at").is_none());
        assert!(quote_data(&json!({"upgradecost": "1.5"})).is_err());
    }
}
