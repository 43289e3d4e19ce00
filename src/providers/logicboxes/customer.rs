//! The `customer` product: a reseller's customer account, signed up, looked up, suspended and
//! opened as a whole. Signing up and looking up live in the modules below.

mod form;
mod lookup;
mod signup;

pub use lookup::details;
pub use signup::create;

use super::api::Api;
use super::panel;
use crate::http::Safety;
use crate::operation::Operation;
use crate::providers::{settle_state_with, OperationSpec};
use crate::request::Field;
use crate::response::{Error, Outcome, Status};

/// Sign-up: every field of the form in `service.options`, under readable names.
pub const CREATE: OperationSpec = OperationSpec {
    options_required: form::REQUIRED,
    options_optional: form::OPTIONAL,
    ..OperationSpec::new(Operation::Create, &[], &[])
};

/// Look-up by exactly one of id, e-mail, or the control panel's redirect token.
pub const DETAILS: OperationSpec = OperationSpec {
    options_optional: &["email", "token"],
    required_one_of: &["service.customer_id", "service.options.email", "service.options.token"],
    ..OperationSpec::new(Operation::Details, &[], &[Field::CustomerId])
};

pub fn suspension(api: &mut Api, suspend: bool) -> Result<Outcome, Error> {
    let customer_id = api.id(|s| &s.customer_id);
    let reason = api.service().reason.clone().unwrap_or_else(|| default_reason(suspend).to_owned());
    let path = if suspend { "customers/suspend.json" } else { "customers/unsuspend.json" };
    let status = if suspend { Status::Suspended } else { Status::Active };
    let result = api.post(path, &[("customer-id", &customer_id), ("reason", &reason)]).and_then(|body| {
        super::api::expect_true(&body, Safety::Change)?;
        Ok(Outcome { provider_response: body.into(), ..Outcome::with_status(status) }.data("customer_id", customer_id.as_str()))
    });
    settle_state_with(result, status, || lookup::by_id(api, &customer_id))
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
