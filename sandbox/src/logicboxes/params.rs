//! Reading and checking request parameters. Values arrive as strings from the query string and
//! the form body merged; the live API refuses anything outside its documented vocabulary.

use super::catalog::{Product, Term};
use super::reply::error;
use crate::form;
use crate::wire::{SimRequest, SimResponse};

/// The longest term the sandbox sells, ten years.
const MAX_MONTHS: u64 = 120;

/// A parameter that must be present and non-empty; the message names it as sent.
pub fn required<'r>(req: &'r SimRequest, name: &str) -> Result<&'r str, SimResponse> {
    form::required(req, name).map_err(error)
}

/// Booleans are the strings `true` and `false`, nothing else.
pub fn boolean(req: &SimRequest, name: &str) -> Result<Option<bool>, SimResponse> {
    match req.param(name) {
        None | Some("") => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(other) => Err(error(format!("{name} must be true or false, not {other}"))),
    }
}

pub fn required_boolean(req: &SimRequest, name: &str) -> Result<bool, SimResponse> {
    boolean(req, name)?.ok_or_else(|| error(form::missing(name)))
}

/// How the customer's invoice for a change is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvoiceOption {
    NoInvoice,
    PayInvoice,
    KeepInvoice,
    OnlyAdd,
}

impl InvoiceOption {
    pub fn from_request(req: &SimRequest) -> Result<Self, SimResponse> {
        match required(req, "invoice-option")? {
            "NoInvoice" => Ok(InvoiceOption::NoInvoice),
            "PayInvoice" => Ok(InvoiceOption::PayInvoice),
            "KeepInvoice" => Ok(InvoiceOption::KeepInvoice),
            "OnlyAdd" => Ok(InvoiceOption::OnlyAdd),
            other => Err(error(format!(
                "invoice-option must be one of NoInvoice, PayInvoice, KeepInvoice, OnlyAdd, not {other}"
            ))),
        }
    }

    /// An order placed this way waits, InActive, until its invoice is paid.
    pub fn leaves_order_unpaid(self) -> bool {
        matches!(self, InvoiceOption::KeepInvoice | InvoiceOption::OnlyAdd)
    }
}

/// A required whole number within the API's bounds.
pub fn bounded(req: &SimRequest, name: &str, min: u64, max: u64) -> Result<u64, SimResponse> {
    let raw = required(req, name)?;
    raw.parse::<u64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| error(format!("{name} must be a whole number from {min} to {max}, not {raw}")))
}

/// The term a call buys: `months` where the product requires it, the fixed term otherwise
/// (SiteLock ignores whatever `months` says).
pub fn term_months(req: &SimRequest, product: &Product) -> Result<u32, SimResponse> {
    if let Term::Fixed(months) = product.family.term {
        return Ok(months);
    }
    Ok(bounded(req, "months", 1, MAX_MONTHS)? as u32)
}
