//! `<product>/add.json`, `renew.json` and `delete.json`: placing, extending and ending orders.
//! Duplicates are allowed, as at the live API: preventing a second order for a domain is the
//! client's job.

use super::action::{action_reply, ActionKind, Billing};
use super::catalog::{orderable_plan, Product};
use super::params::{boolean, required, required_boolean, term_months, InvoiceOption};
use super::reply::{no_entity, Reply};
use super::store::{Order, OrderStatus, MONTH_S};
use crate::state::World;
use crate::wire::SimRequest;

pub fn add(world: &mut World, req: &SimRequest, product: &Product) -> Reply {
    let domain = required(req, "domain-name")?;
    let customer_id = required(req, "customer-id")?;
    let plan = orderable_plan(product, required(req, "plan-id")?)?;
    let invoice = InvoiceOption::from_request(req)?;
    let auto_renew = boolean(req, "auto-renew")?.unwrap_or(false);
    let months = term_months(req, product)?;
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
            category: product.category.to_owned(),
            domain: domain.to_owned(),
            customer_id: customer_id.to_owned(),
            plan_id: Some(plan.id.to_owned()),
            status,
            created_at: now,
            ends_at: now + term_seconds(months),
            auto_renew,
            months,
        })
        .clone();
    let billing = Billing::term(invoice, plan.monthly_cents, months);
    Ok(action_reply(&mut world.lb, &order, ActionKind::Add, Some(billing)))
}

/// Extends the order by a term at its current plan's price and sets its auto-renewal.
pub fn renew(world: &mut World, req: &SimRequest, product: &Product) -> Reply {
    let order_id = required(req, "order-id")?;
    let auto_renew = required_boolean(req, "auto-renew")?;
    let invoice = InvoiceOption::from_request(req)?;
    let months = term_months(req, product)?;
    let order = world.lb.order_mut(Some(product), order_id)?;
    order.ensure_not_deleted(ActionKind::Renew.verb())?;
    order.ends_at += term_seconds(months);
    order.months += months;
    order.auto_renew = auto_renew;
    let order = order.clone();
    let monthly_cents = order.plan().map_or(0, |plan| plan.monthly_cents);
    let billing = Billing::term(invoice, monthly_cents, months);
    Ok(action_reply(&mut world.lb, &order, ActionKind::Renew, Some(billing)))
}

pub fn delete(world: &mut World, req: &SimRequest, product: &Product) -> Reply {
    let order = world.lb.order_mut(Some(product), required(req, "order-id")?)?;
    order.ensure_not_deleted(ActionKind::Delete.verb())?;
    order.status = OrderStatus::Deleted;
    let order = order.clone();
    Ok(action_reply(&mut world.lb, &order, ActionKind::Delete, None))
}

fn term_seconds(months: u32) -> i64 {
    i64::from(months) * MONTH_S
}
