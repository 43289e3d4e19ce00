//! The e-mail families' accounts: `<prefix>add-email-account.json` and
//! `delete-email-account.json` (Google Workspace: `add-account.json`, `delete-account.json`),
//! with `order-id` and `no-of-accounts`. As at the live API, an addition paid at once
//! (PayInvoice) answers its action object wrapped in an object keyed by the invoice id, and a
//! removal answers an action without the order's id.

use serde_json::{json, Value};

use super::action::{action, ActionKind, Billing};
use super::params::{required, InvoiceOption};
use super::catalog::Product;
use super::reply::{error, Reply};
use super::setup::{accounts, MAX_ACCOUNTS};
use super::store::MONTH_S;
use crate::state::World;
use crate::wire::{SimRequest, SimResponse};

/// Adds accounts, invoiced for the months the order has left.
pub fn add(world: &mut World, req: &SimRequest, product: &Product) -> Reply {
    let order_id = required(req, "order-id")?;
    let added = accounts(req)?;
    let invoice = InvoiceOption::from_request(req)?;
    let now = world.now();
    let order = world.lb.order_mut(Some(product), order_id)?;
    order.ensure_not_deleted(ActionKind::AddAccounts.verb())?;
    let held = order.extras.seats.unwrap_or(0);
    if held + added > MAX_ACCOUNTS {
        return Err(error(format!("An order holds at most {MAX_ACCOUNTS} email accounts; it has {held}")));
    }
    let per_account = order.monthly_cents() / i64::from(held.max(1));
    order.extras.seats = Some(held + added);
    let order = order.clone();
    let months_left = ((order.ends_at - now).max(0) + MONTH_S - 1) / MONTH_S;
    let billing = Billing { option: invoice, cents: per_account * i64::from(added) * months_left };
    let answer = action(&mut world.lb, &order, ActionKind::AddAccounts, Some(billing));
    let body = match (invoice, answer.get("invoiceid").and_then(Value::as_str)) {
        (InvoiceOption::PayInvoice, Some(invoice_id)) => Value::Object(serde_json::Map::from_iter([(invoice_id.to_owned(), answer.clone())])),
        _ => answer,
    };
    Ok(SimResponse::json(200, &body))
}

/// Removes accounts; an order keeps at least one.
pub fn delete(world: &mut World, req: &SimRequest, product: &Product) -> Reply {
    let order_id = required(req, "order-id")?;
    let removed = accounts(req)?;
    if req.param("invoice-option").is_some() {
        InvoiceOption::from_request(req)?;
    }
    let order = world.lb.order_mut(Some(product), order_id)?;
    order.ensure_not_deleted(ActionKind::DeleteAccounts.verb())?;
    let held = order.extras.seats.unwrap_or(0);
    if removed >= held {
        return Err(error(format!("Cannot delete {removed} of the order's {held} email accounts: at least one must remain")));
    }
    order.extras.seats = Some(held - removed);
    let order = order.clone();
    let mut answer = action(&mut world.lb, &order, ActionKind::DeleteAccounts, None);
    if let Some(fields) = answer.as_object_mut() {
        for key in ["entityid", "description", "actiontypedesc"] {
            fields.remove(key);
        }
        fields.insert("actionstatus".into(), json!("ExecutionStarted"));
        fields.insert("actionstatusdesc".into(), json!("Your email account deletion request will be processed shortly."));
    }
    Ok(SimResponse::json(200, &answer))
}
