//! Signing a customer up at most once per e-mail address.
//!
//! A LogicBoxes customer's username is their e-mail address, so the address is the natural key:
//! before signing up, the customer is looked up by username (`customers/search.json`, read from
//! its counts); one that exists is answered with `data.reconciled: true`. A look-up that fails
//! leaves it undetermined and nothing is signed up. A sign-up whose answer was lost is looked up
//! again before anything else is sent.

use serde_json::Value;

use super::super::api::{self, Api};
use super::super::details::status_of;
use super::form::SignUp;
use super::lookup::{self, Listed};
use crate::http::Safety;
use crate::response::{Error, Outcome, Status};

pub fn create(api: &mut Api) -> Result<Outcome, Error> {
    let form = SignUp::from_options(&api.service().options)?;
    create_once(api, &form).map_err(Error::ambiguous_for_create)
}

/// The search is the API's own record: no customer there means a lost sign-up did not happen,
/// and the API refuses a second customer with one username anyway.
fn create_once(api: &mut Api, form: &SignUp) -> Result<Outcome, Error> {
    crate::providers::place_once(api, |api| Ok(existing(api, &form.email)?.map(reconciled)), |api| sign_up(api, form))
}

fn existing(api: &mut Api, email: &str) -> Result<Option<Listed>, Error> {
    Ok(lookup::by_username(api, email)?.into_iter().next())
}

/// `customers/signup.json` answers the new customer's id as a bare integer.
fn sign_up(api: &mut Api, form: &SignUp) -> Result<Outcome, Error> {
    let body = api.post("customers/signup.json", &form.params())?;
    let customer_id = customer_id(&body).ok_or_else(|| api::unexpected(Safety::Change, "a sign-up answer without the new customer's id"))?;
    Ok(Outcome { provider_response: body.into(), ..Outcome::with_status(Status::Active) }
        .data("customer_id", customer_id)
        .data("email", form.email.clone())
        .data("reconciled", false))
}

fn customer_id(body: &Value) -> Option<String> {
    let id = api::text(body)?;
    (id.bytes().all(|b| b.is_ascii_digit()) && id != "0").then_some(id)
}

fn reconciled(found: Listed) -> Outcome {
    let status = found.provider_status.as_deref().and_then(status_of);
    Outcome { status, provider_response: found.record.into(), ..Outcome::default() }
        .data("customer_id", found.customer_id.to_string())
        .data("email", found.username)
        .data("reconciled", true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_a_positive_integer_is_a_new_customer_id() {
        assert_eq!(customer_id(&json!(30930235)).as_deref(), Some("30930235"));
        assert_eq!(customer_id(&json!("30930235")).as_deref(), Some("30930235"));
        for other in [json!(true), json!(0), json!("abc"), json!({"customerid": "1"}), json!(-5)] {
            assert_eq!(customer_id(&other), None, "{other}");
        }
    }
}
