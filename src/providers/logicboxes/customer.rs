//! The `customer` product: a reseller's customer account, suspended and opened as a whole.

use super::api::Api;
use super::panel;
use crate::http::Safety;
use crate::response::{Error, Outcome, Status};

pub fn suspension(api: &mut Api, suspend: bool) -> Result<Outcome, Error> {
    let customer_id = api.id(|s| &s.customer_id);
    let reason = api.service().reason.clone().unwrap_or_else(|| default_reason(suspend).to_owned());
    let path = if suspend { "customers/suspend.json" } else { "customers/unsuspend.json" };
    let body = api.post(path, &[("customer-id", &customer_id), ("reason", &reason)])?;
    super::api::expect_true(&body, Safety::Change)?;
    let status = if suspend { Status::Suspended } else { Status::Active };
    Ok(Outcome { provider_response: body, ..Outcome::with_status(status) }.data("customer_id", customer_id))
}

/// The whole customer panel through `AutoLoginServlet`.
pub fn login_url(api: &mut Api) -> Result<Outcome, Error> {
    let customer_id = api.id(|s| &s.customer_id);
    let token = panel::login_token(api, &customer_id)?;
    Ok(panel::servlet_link(api, "AutoLoginServlet", &[("userLoginId", &token), ("role", "customer")])?
        .data("customer_id", customer_id))
}

/// LogicBoxes requires a reason; panels often have none to give.
pub fn default_reason(suspend: bool) -> &'static str {
    if suspend {
        "Suspended by the billing panel"
    } else {
        "Unsuspended by the billing panel"
    }
}
