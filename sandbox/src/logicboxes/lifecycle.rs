//! `<prefix>add.json`, `renew.json` and `delete.json`: placing, extending and ending orders.
//! Duplicates are allowed, as at the live API: preventing a second order for a domain is the
//! client's job.

use super::action::{action_reply, ActionKind, Billing};
use super::catalog::{Pricing, Product};
use super::params::{boolean, required, required_boolean, term_months, InvoiceOption};
use super::plans::{default_plan, orderable_plan, Plan};
use super::reply::{no_entity, Reply};
use super::setup::{self, accounts};
use super::store::{Order, OrderStatus, MONTH_S};
use crate::state::World;
use crate::wire::{SimRequest, SimResponse};

pub fn add(world: &mut World, req: &SimRequest, product: &Product) -> Reply {
    let domain = required(req, "domain-name")?;
    let customer_id = required(req, "customer-id")?;
    let plan = plan_at_add(req, product)?;
    let invoice = InvoiceOption::from_request(req)?;
    let auto_renew = boolean(req, "auto-renew")?.unwrap_or(false);
    let months = term_months(req, product)?;
    let extras = setup::at_add(req, product)?;
    if !world.lb.customers.contains_key(customer_id) {
        return Err(no_entity());
    }
    let now = world.now();
    let status = if invoice.leaves_order_unpaid() { OrderStatus::InActive } else { OrderStatus::Active };
    let order = world
        .lb
        .place(|id| Order {
            id,
            product: product.key.to_owned(),
            category: product.family.category.to_owned(),
            domain: domain.to_owned(),
            customer_id: customer_id.to_owned(),
            plan_id: plan.map(|p| p.id.clone()),
            status,
            created_at: now,
            ends_at: now + term_seconds(months),
            auto_renew,
            months,
            extras,
        })
        .clone();
    let billing = Billing::term(invoice, order.monthly_cents(), months);
    Ok(action_reply(&mut world.lb, &order, ActionKind::Add, Some(billing)))
}

/// The plan an order is placed on: `plan-id`, required where the family is priced by plan;
/// optional for a seat-priced family with plans (its first plan otherwise); none for one
/// without plans, which ignores `plan-id`.
fn plan_at_add(req: &SimRequest, product: &Product) -> Result<Option<&'static Plan>, SimResponse> {
    match product.family.pricing {
        Pricing::Plan => orderable_plan(product, required(req, "plan-id")?).map(Some),
        Pricing::Seats { .. } => match (req.param("plan-id").filter(|id| !id.is_empty()), default_plan(product)) {
            (Some(id), Some(_)) => orderable_plan(product, id).map(Some),
            (_, default) => Ok(default),
        },
    }
}

/// Extends the order by a term at its current price and sets its auto-renewal. A seat-priced
/// order may say how many accounts it renews; it keeps the accounts it has.
pub fn renew(world: &mut World, req: &SimRequest, product: &Product) -> Reply {
    let order_id = required(req, "order-id")?;
    let auto_renew = required_boolean(req, "auto-renew")?;
    let invoice = InvoiceOption::from_request(req)?;
    let months = term_months(req, product)?;
    setup::check_ssl_at_renew(req, product)?;
    let renewed_seats = match product.family.pricing {
        Pricing::Seats { .. } if req.param("no-of-accounts").is_some() => Some(accounts(req)?),
        _ => None,
    };
    let order = world.lb.order_mut(Some(product), order_id)?;
    order.ensure_not_deleted(ActionKind::Renew.verb())?;
    order.ends_at += term_seconds(months);
    order.months += months;
    order.auto_renew = auto_renew;
    let order = order.clone();
    let mut billing = Billing::term(invoice, order.monthly_cents(), months);
    if let (Some(renewed), Some(held)) = (renewed_seats, order.extras.seats) {
        billing.cents = billing.cents / i64::from(held.max(1)) * i64::from(renewed);
    }
    Ok(action_reply(&mut world.lb, &order, ActionKind::Renew, Some(billing)))
}

pub fn delete(world: &mut World, req: &SimRequest, product: &Product) -> Reply {
    let order = world.lb.order_mut(Some(product), required(req, "order-id")?)?;
    order.ensure_not_deleted(ActionKind::Delete.verb())?;
    order.status = OrderStatus::Deleted;
    let order = order.clone();
    Ok(action_reply(&mut world.lb, &order, ActionKind::Delete, None))
}

pub fn term_seconds(months: u32) -> i64 {
    i64::from(months) * MONTH_S
}
