//! `create`: a new service for a customer. Every documented field is checked as RackNap checks
//! it, and duplicates are allowed: preventing a second service is the client's job.
//!
//! The vendor's misspellings are the field names: `recuring_amount` and `recuring_plan_price`.
//! The correct spellings are unknown fields to RackNap and are ignored like any other, so a
//! client sending them is told the misspelled field is missing. `slserverid` is a string
//! (`618e16ad6764`), whatever the documentation's "Integer" says.

use super::catalog::{self, BILLING_CYCLES};
use super::reply::{service_success, validation};
use crate::calendar;
use crate::form::{amount, one_of, optional_whole_number, required, whole_number};
use crate::state::World;
use crate::wire::{Reply, SimRequest, SimResponse};

/// Amounts the form must carry, after `amount`, in the documentation's order.
const OTHER_AMOUNTS: [&str; 4] = ["recuring_amount", "first_plan_price", "recuring_plan_price", "firstpayment"];

pub fn create(world: &mut World, req: &SimRequest) -> Reply {
    let customer_id = required(req, "customer_id").map_err(validation)?;
    if !catalog::is_customer(customer_id) {
        return Err(validation(format!("Invalid customer_id {customer_id}: no such customer")));
    }
    whole_number(req, "quantity", 1).map_err(validation)?;
    optional_whole_number(req, "serverid").map_err(validation)?;
    let plan = catalog::plan(required(req, "planid").map_err(validation)?)?;
    date(req, "regdate")?;
    date(req, "nextduedate")?;
    amount(req, "amount").map_err(validation)?;
    for name in OTHER_AMOUNTS {
        amount(req, name).map_err(validation)?;
    }
    for name in ["billingcycle", "plan_billing_cycle"] {
        one_of(req, name, &BILLING_CYCLES).map_err(validation)?;
    }
    optional_whole_number(req, "pid").map_err(validation)?;

    let service = world.racknap.create(customer_id, plan.id);
    let message = format!("Service ID: {} - {} service has been created successfully.", service.id, plan.name);
    Ok(service_success(service.id, message))
}

/// A required date, strictly `dd/mm/yyyy`.
fn date(req: &SimRequest, name: &str) -> Result<time::Date, SimResponse> {
    let raw = required(req, name).map_err(validation)?;
    calendar::parse_dmy(raw).ok_or_else(|| validation(format!("Invalid date format for {name}, expected dd/mm/yyyy")))
}
