//! `orders/suspend.json` and `orders/unsuspend.json`, which serve every kind of order (SiteLock,
//! CodeGuard, DNS, hosting…), unlike the product paths.

use super::action::{action_reply, ActionKind};
use super::params::required;
use super::reply::Reply;
use super::store::OrderStatus;
use crate::state::World;
use crate::wire::SimRequest;

pub fn suspend(world: &mut World, req: &SimRequest) -> Reply {
    let order_id = required(req, "order-id")?;
    required(req, "reason")?;
    switch(world, order_id, ActionKind::Suspend, OrderStatus::Active, OrderStatus::Suspended)
}

pub fn unsuspend(world: &mut World, req: &SimRequest) -> Reply {
    let order_id = required(req, "order-id")?;
    switch(world, order_id, ActionKind::Unsuspend, OrderStatus::Suspended, OrderStatus::Active)
}

/// Moves an order from `from` to `to`, refusing it in any other status.
fn switch(world: &mut World, order_id: &str, kind: ActionKind, from: OrderStatus, to: OrderStatus) -> Reply {
    let order = world.lb.order_mut(None, order_id)?;
    order.ensure_status(from, kind.verb())?;
    order.status = to;
    let order = order.clone();
    Ok(action_reply(&mut world.lb, &order, kind, None))
}
