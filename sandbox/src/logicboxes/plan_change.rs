//! Changes of plan: `validate-modify.json` (SiteLock and CodeGuard), `modify-pricing.json` and
//! `modify.json`.
//!
//! Note the live API's quirk, kept here: validate-modify takes `new-planid`, the other two take
//! `new-plan-id`, and neither accepts the other's spelling. CodeGuard and the families also
//! insist on `months` for pricing and modify; the sandbox keeps the order's end time on a
//! change of plan, so the price covers the months that remain and `months` is only checked.
//! VPS orders are never moved to a cheaper plan.

use serde_json::json;

use super::action::{action_reply, ActionKind, Billing};
use super::catalog::{PlanChanges, Product};
use super::params::{required, term_months, InvoiceOption};
use super::plans::{orderable_plan, Plan};
use super::setup;
use super::reply::{error, Reply};
use super::store::{LbState, Order, MONTH_S};
use crate::state::World;
use crate::wire::{SimRequest, SimResponse};

pub fn validate_modify(world: &mut World, req: &SimRequest, product: &Product) -> Reply {
    change_target(&mut world.lb, req, product, "new-planid")?;
    Ok(SimResponse::raw_json(200, "true"))
}

/// Quotes the change for the months left on the order; changes nothing.
pub fn modify_pricing(world: &mut World, req: &SimRequest, product: &Product) -> Reply {
    term_months(req, product)?;
    let now = world.now();
    let (order, plan) = change_target(&mut world.lb, req, product, "new-plan-id")?;
    let quote = Quote::new(order, plan, now);
    Ok(SimResponse::json(200, &json!({
        "upgradecost": dollars(quote.upgrade_cents()),
        "modifiedOrderPrice": dollars(quote.modified_cents),
        "currentOrderPrice": dollars(quote.current_cents),
        "remainingmonths": quote.remaining_months,
        "endtime": order.ends_at.to_string(),
    })))
}

/// Moves the order to the new plan, invoicing the difference for the months left.
pub fn modify(world: &mut World, req: &SimRequest, product: &Product) -> Reply {
    let invoice = InvoiceOption::from_request(req)?;
    term_months(req, product)?;
    setup::check_cpanel_blocks(req, product)?;
    let now = world.now();
    let (order, plan) = change_target(&mut world.lb, req, product, "new-plan-id")?;
    let cents = Quote::new(order, plan, now).upgrade_cents();
    let current_monthly = order.plan().map_or(0, |p| p.monthly_cents);
    if product.family.plan_changes == PlanChanges::UpgradesOnly && plan.monthly_cents < current_monthly {
        return Err(error(format!("Downgrade of {} orders is not allowed", product.name())));
    }
    order.plan_id = Some(plan.id.to_owned());
    let order = order.clone();
    Ok(action_reply(&mut world.lb, &order, ActionKind::Modify, Some(Billing { option: invoice, cents })))
}

/// The order and the plan it would move to, refused as the live API refuses a change of plan:
/// a deleted order, or a plan that is unknown, paused or the order's own.
fn change_target<'s>(
    lb: &'s mut LbState,
    req: &SimRequest,
    product: &Product,
    plan_param: &str,
) -> Result<(&'s mut Order, &'static Plan), SimResponse> {
    let order_id = required(req, "order-id")?;
    let plan_id = required(req, plan_param)?;
    let order = lb.order_mut(Some(product), order_id)?;
    order.ensure_not_deleted(ActionKind::Modify.verb())?;
    let plan = orderable_plan(product, plan_id)?;
    if order.plan_id.as_deref() == Some(plan.id.as_str()) {
        return Err(error(format!("Order {} is already on plan {}", order.id, plan.id)));
    }
    Ok((order, plan))
}

/// The prices of the months left on an order, on its plan and on another.
struct Quote {
    remaining_months: i64,
    current_cents: i64,
    modified_cents: i64,
}

impl Quote {
    fn new(order: &Order, plan: &Plan, now: i64) -> Self {
        let left_s = (order.ends_at - now).max(0);
        let remaining_months = (left_s + MONTH_S - 1) / MONTH_S;
        let current_monthly = order.plan().map_or(0, |p| p.monthly_cents);
        Quote {
            remaining_months,
            current_cents: remaining_months * current_monthly,
            modified_cents: remaining_months * plan.monthly_cents,
        }
    }

    /// Negative for a downgrade.
    fn upgrade_cents(&self) -> i64 {
        self.modified_cents - self.current_cents
    }
}

/// Cents as a JSON number of dollars, two decimals.
fn dollars(cents: i64) -> f64 {
    cents as f64 / 100.0
}
