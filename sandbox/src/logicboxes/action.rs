//! The action object every change answers with (add, renew, modify, delete, suspend,
//! unsuspend), invoice fields included only when an invoice is raised.

use serde_json::{json, Value};

use super::catalog;
use super::params::InvoiceOption;
use super::store::{LbState, Order};
use crate::wire::SimResponse;

#[derive(Debug, Clone, Copy)]
pub enum ActionKind {
    Add,
    Renew,
    Modify,
    Delete,
    Suspend,
    Unsuspend,
    /// E-mail accounts added to or removed from an order.
    AddAccounts,
    DeleteAccounts,
}

impl ActionKind {
    /// The verb used in refusals ("Cannot renew order …").
    pub fn verb(self) -> &'static str {
        match self {
            ActionKind::Add => "add",
            ActionKind::Renew => "renew",
            ActionKind::Modify => "modify",
            ActionKind::Delete => "delete",
            ActionKind::Suspend => "suspend",
            ActionKind::Unsuspend => "unsuspend",
            ActionKind::AddAccounts => "add accounts to",
            ActionKind::DeleteAccounts => "delete accounts of",
        }
    }

    fn type_name(self) -> &'static str {
        match self {
            ActionKind::Add => "Add",
            ActionKind::Renew => "Renew",
            ActionKind::Modify => "Modify",
            ActionKind::Delete => "Delete",
            ActionKind::Suspend => "Suspend",
            ActionKind::Unsuspend => "Unsuspend",
            ActionKind::AddAccounts => "AddEmailAccount",
            ActionKind::DeleteAccounts => "DeleteEmailAccount",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            ActionKind::Add => "Addition",
            ActionKind::Renew => "Renewal",
            ActionKind::Modify => "Change of plan",
            ActionKind::Delete => "Deletion",
            ActionKind::Suspend => "Suspension",
            ActionKind::Unsuspend => "Unsuspension",
            ActionKind::AddAccounts => "Addition of email accounts",
            ActionKind::DeleteAccounts => "Deletion of email accounts",
        }
    }
}

/// What a paid change costs the customer and how its invoice is handled.
#[derive(Debug, Clone, Copy)]
pub struct Billing {
    pub option: InvoiceOption,
    pub cents: i64,
}

impl Billing {
    /// `months` at a plan's monthly price.
    pub fn term(option: InvoiceOption, monthly_cents: i64, months: u32) -> Self {
        Billing { option, cents: monthly_cents * i64::from(months) }
    }
}

/// The action object for `kind` on `order`; `billing` is `None` for changes nobody pays for.
pub fn action_reply(lb: &mut LbState, order: &Order, kind: ActionKind, billing: Option<Billing>) -> SimResponse {
    SimResponse::json(200, &action(lb, order, kind, billing))
}

/// The action object itself.
pub fn action(lb: &mut LbState, order: &Order, kind: ActionKind, billing: Option<Billing>) -> Value {
    let product = catalog::product(&order.product).map_or(order.product.as_str(), |p| p.name());
    let paid = billing.is_some_and(|b| b.option == InvoiceOption::PayInvoice);
    let (status, status_desc) = if paid {
        ("InvoicePaid", format!("Invoice paid; {} completed", kind.noun().to_lowercase()))
    } else {
        ("Success", format!("{} completed successfully", kind.noun()))
    };
    let mut action = json!({
        "description": order.domain,
        "entityid": order.id.to_string(),
        "actiontype": kind.type_name(),
        "actiontypedesc": format!("{} of {product} order for {}", kind.noun(), order.domain),
        "eaqid": lb.next_action_id().to_string(),
        "actionstatus": status,
        "actionstatusdesc": status_desc,
        "status": "Success",
    });
    if let Some(billing) = billing.filter(|b| b.option != InvoiceOption::NoInvoice) {
        add_invoice(&mut action, lb.next_invoice_id(), order, billing.cents);
    }
    action
}

fn add_invoice(action: &mut Value, invoice_id: u64, order: &Order, cents: i64) {
    let fields = [
        ("invoiceid", invoice_id.to_string()),
        ("sellingcurrencysymbol", "USD".to_owned()),
        ("sellingamount", selling_amount(cents)),
        ("unutilisedsellingamount", "0.000".to_owned()),
        ("customerid", order.customer_id.clone()),
    ];
    for (key, value) in fields {
        action[key] = Value::String(value);
    }
}

/// A debit as the API writes it: negative, three decimals ("-14.990"). Refunds are not
/// simulated, so nothing below zero is charged.
fn selling_amount(cents: i64) -> String {
    let cents = cents.max(0);
    format!("-{}.{:02}0", cents / 100, cents % 100)
}

#[cfg(test)]
mod tests {
    use super::selling_amount;

    #[test]
    fn amounts_are_negative_with_three_decimals() {
        assert_eq!(selling_amount(1499), "-14.990");
        assert_eq!(selling_amount(2388), "-23.880");
        assert_eq!(selling_amount(5), "-0.050");
        assert_eq!(selling_amount(-300), "-0.000");
    }
}
