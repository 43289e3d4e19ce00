//! RackNap `service/create`: readable option names in, the vendor's own field names out
//! (misspellings included), dates normalised, money checked.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{dates, Api};
use crate::http::Safety;
use crate::journal::Prior;
use crate::request::{Id, Request};
use crate::response::{Error, ErrorCode, Outcome, Status};

/// The 13 billing cycles RackNap accepts, exactly as it spells them.
pub const BILLING_CYCLES: [&str; 13] = [
    "Free", "Free Trial", "One Time", "Hourly", "Monthly", "Quarterly", "Semi-Annually", "Annually", "Biennially",
    "Triennially", "Quadrennial", "Quinquennial", "Decennial",
];

pub const REQUIRED_OPTIONS: &[&str] = &["amount", "billing_cycle"];
pub const OPTIONAL_OPTIONS: &[&str] = &[
    "quantity",
    "subscription_id",
    "server_id",
    "registration_date",
    "next_due_date",
    "recurring_amount",
    "first_plan_price",
    "recurring_plan_price",
    "plan_billing_cycle",
    "first_payment",
    "partner_id",
];

/// Readable option name → RackNap field, for the values passed through as they are.
const PLAIN_FIELDS: [(&str, &str); 4] =
    [("quantity", "quantity"), ("subscription_id", "slserverid"), ("server_id", "serverid"), ("partner_id", "pid")];
/// Amounts that default to `amount` when the panel has only one price.
const AMOUNT_FIELDS: [(&str, &str); 4] = [
    ("recurring_amount", "recuring_amount"),
    ("first_plan_price", "first_plan_price"),
    ("recurring_plan_price", "recuring_plan_price"),
    ("first_payment", "firstpayment"),
];

/// A scalar option as text; objects and arrays are not options.
pub fn option_text(options: &Map<String, Value>, key: &str) -> Option<String> {
    match options.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn invalid(key: &str, what: &str) -> Error {
    Error::invalid(format!("The request field `service.options.{key}` {what}."))
}

/// A non-negative decimal amount, sent as given (`528.14`).
fn money(options: &Map<String, Value>, key: &str) -> Result<Option<String>, Error> {
    let Some(text) = option_text(options, key) else {
        return match options.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(_) => Err(invalid(key, "must be an amount such as 528.14")),
        };
    };
    let valid = text.parse::<f64>().is_ok_and(|v| v.is_finite() && v >= 0.0)
        && text.chars().all(|c| c.is_ascii_digit() || c == '.');
    if valid {
        Ok(Some(text))
    } else {
        Err(invalid(key, "must be a non-negative amount such as 528.14"))
    }
}

fn cycle(options: &Map<String, Value>, key: &str) -> Result<Option<String>, Error> {
    match option_text(options, key) {
        None => Ok(None),
        Some(c) if BILLING_CYCLES.contains(&c.as_str()) => Ok(Some(c)),
        Some(_) => Err(invalid(key, &format!("must be one of: {}", BILLING_CYCLES.join(", ")))),
    }
}

fn date(options: &Map<String, Value>, key: &str) -> Result<Option<time::Date>, Error> {
    match option_text(options, key) {
        None => Ok(None),
        Some(text) => dates::parse(&text).map(Some).ok_or_else(|| invalid(key, "must be a date as yyyy-mm-dd or dd/mm/yyyy")),
    }
}

/// The form RackNap expects, built from the request.
pub fn form(customer_id: &str, plan_id: &str, options: &Map<String, Value>) -> Result<Vec<(String, String)>, Error> {
    let amount = money(options, "amount")?.ok_or_else(|| invalid("amount", "is required"))?;
    let billing_cycle = cycle(options, "billing_cycle")?.ok_or_else(|| invalid("billing_cycle", "is required"))?;
    let plan_cycle = cycle(options, "plan_billing_cycle")?.unwrap_or_else(|| billing_cycle.clone());
    let registered = date(options, "registration_date")?.unwrap_or_else(|| time::OffsetDateTime::now_utc().date());
    let next_due = match date(options, "next_due_date")? {
        Some(date) => date,
        None => dates::next_due(registered, &billing_cycle)
            .ok_or_else(|| invalid("registration_date", "is so late that the next due date would fall after year 9999"))?,
    };

    let mut form: Vec<(String, String)> = vec![
        ("customer_id".into(), customer_id.into()),
        ("planid".into(), plan_id.into()),
        ("quantity".into(), "1".into()),
        ("pid".into(), "0".into()),
        ("regdate".into(), dates::format(registered)),
        ("nextduedate".into(), dates::format(next_due)),
        ("amount".into(), amount.clone()),
        ("billingcycle".into(), billing_cycle),
        ("plan_billing_cycle".into(), plan_cycle),
    ];
    for (ours, theirs) in AMOUNT_FIELDS {
        form.push((theirs.into(), money(options, ours)?.unwrap_or_else(|| amount.clone())));
    }
    let mut set = |name: &str, value: String| match form.iter_mut().find(|(k, _)| k == name) {
        Some(slot) => slot.1 = value,
        None => form.push((name.to_owned(), value)),
    };
    for (ours, theirs) in PLAIN_FIELDS {
        if let Some(value) = option_text(options, ours) {
            set(theirs, value);
        }
    }
    // Keys we do not know are passed on verbatim, as DESIGN promises for `service.options`,
    // unless RackNap would read them as one of the fields filled and checked above.
    let filled: Vec<String> = form.iter().map(|(k, _)| k.clone()).chain(PLAIN_FIELDS.iter().map(|(_, theirs)| (*theirs).to_owned())).collect();
    let known = |k: &str| REQUIRED_OPTIONS.contains(&k) || OPTIONAL_OPTIONS.contains(&k);
    for (key, _) in options.iter().filter(|(k, _)| !known(k)) {
        if filled.contains(&php_name(key)) {
            return Err(Error::invalid(format!(
                "The request field `service.options.{}` is RackNap's own name for a field hostprov fills and checks; use the option names the catalog lists.",
                crate::request::printable(key)
            )));
        }
        let value = option_text(options, key).ok_or_else(|| invalid(key, "must be a string, a number or a boolean"))?;
        form.push((key.clone(), value));
    }
    Ok(form)
}

/// The field RackNap's PHP reads for a form key: case aside, a leading space dropped, `.` and
/// space read as `_`, and `name[…]` as `name`.
fn php_name(key: &str) -> String {
    let base = key.trim_start().split('[').next().unwrap_or_default();
    base.chars().map(|c| if c == '.' || c == ' ' { '_' } else { c.to_ascii_lowercase() }).collect()
}

/// Creates a service at most once. RackNap cannot look a service up, so only the journal knows
/// whether an earlier attempt with this key created one: a finished one is answered again, and
/// one whose answer was lost is never sent again until the panel has checked RackNap and says
/// with `options.confirm_absent` that it does not exist.
pub fn create(api: &mut Api) -> Result<Outcome, Error> {
    let request = api.call.request;
    let service = &request.service;
    let form = form(&Id::text(&service.customer_id), &Id::text(&service.plan_id), &service.options)?;
    if !request.options.confirm_absent {
        match api.call.prior() {
            Prior::Placed(recorded) => return Ok(recorded.outcome()),
            Prior::Unsettled { .. } => return Err(lost(Error::new(ErrorCode::OutcomeUnknown, "An earlier attempt of this create may have created the service."))),
            Prior::Fresh => {}
        }
    }
    let body = api.post("create", form, Safety::Change).map_err(|e| if e.code == ErrorCode::OutcomeUnknown { lost(e) } else { e })?;
    let message = body.get("message").and_then(Value::as_str).unwrap_or_default();
    let service_id = service_id_in(message).ok_or_else(|| {
        lost(Error::new(ErrorCode::OutcomeUnknown, "RackNap reported success without a service id.").from_provider(Some(message.to_owned()), None))
    })?;
    Ok(Outcome { order_id: Some(service_id), provider_response: body.into(), ..Outcome::with_status(Status::Active) }.data("reconciled", false))
}

/// A create whose outcome is unknown: not retryable, since nothing can tell a repeat that the
/// first one created the service; the panel is told what to check and how to go on.
fn lost(error: Error) -> Error {
    let message = format!(
        "{} RackNap has no lookup, so check the customer's services in RackNap: if the service is there, record its id in the panel; if not, call create again with `options.confirm_absent: true`. Until then, repeating this create answers this again and never creates a second service.",
        error.message
    );
    Error { message, ..error }.retryable(false)
}

/// Without `idempotency_key`, a RackNap create is keyed by the request itself: the customer,
/// the plan and every option. A panel that orders the same thing twice on purpose sends two
/// different keys.
pub fn natural_key(request: &Request) -> String {
    let service = &request.service;
    let options: BTreeMap<&String, &Value> = service.options.iter().collect();
    let options = serde_json::to_string(&options).unwrap_or_default();
    format!(
        "customer_id={} plan_id={} options_sha256={}",
        Id::text(&service.customer_id),
        Id::text(&service.plan_id),
        crate::journal::sha256_hex(&options)
    )
}

/// "Service ID: 1334 - Office 365 … created successfully." → "1334".
pub fn service_id_in(message: &str) -> Option<String> {
    let rest = &message[message.find("Service ID:")? + "Service ID:".len()..];
    let digits: String = rest.trim_start().chars().take_while(char::is_ascii_digit).collect();
    (!digits.is_empty()).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn options(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
        &form.iter().find(|(k, _)| k == name).unwrap_or_else(|| panic!("{name} missing")).1
    }

    #[test]
    fn readable_names_become_the_vendors_own() {
        let form = form("652", "172", &options(json!({
            "amount": 528.14, "billing_cycle": "Annually", "registration_date": "2019-07-23",
            "recurring_amount": "500.00", "subscription_id": "618e16ad6764", "quantity": 3, "custom_field": "x"
        })))
        .unwrap();
        assert_eq!(field(&form, "recuring_amount"), "500.00");
        assert_eq!(field(&form, "recuring_plan_price"), "528.14");
        assert_eq!(field(&form, "firstpayment"), "528.14");
        assert_eq!(field(&form, "regdate"), "23/07/2019");
        assert_eq!(field(&form, "nextduedate"), "23/07/2020");
        assert_eq!(field(&form, "plan_billing_cycle"), "Annually");
        assert_eq!(field(&form, "slserverid"), "618e16ad6764");
        assert_eq!(field(&form, "quantity"), "3");
        assert_eq!(field(&form, "custom_field"), "x");
        assert_eq!(form.iter().filter(|(k, _)| k == "quantity").count(), 1);
    }

    #[test]
    fn bad_cycles_dates_and_amounts_are_refused() {
        let e = form("1", "2", &options(json!({"amount": 1, "billing_cycle": "Yearly"}))).unwrap_err();
        assert!(e.message.contains("Semi-Annually") && e.message.contains("Decennial"), "{}", e.message);
        let e = form("1", "2", &options(json!({"amount": 1, "billing_cycle": "Monthly", "registration_date": "07/23/2019"}))).unwrap_err();
        assert!(e.message.contains("registration_date"));
        for amount in [json!(-1), json!("1e5"), json!("12,50"), json!([1])] {
            assert!(form("1", "2", &options(json!({"amount": amount, "billing_cycle": "Monthly"}))).is_err());
        }
    }

    #[test]
    fn vendor_spellings_cannot_replace_checked_fields() {
        for key in ["planid", "firstpayment", "recuring_amount", "PlanID", "amount[]", "recuring.amount", " customer_id", "regdate", "slserverid", "pid"] {
            let e = form("1", "2", &options(json!({"amount": 1, "billing_cycle": "Monthly", key: "0"}))).unwrap_err();
            assert!(e.message.contains("RackNap's own name"), "{key}: {}", e.message);
        }
    }

    #[test]
    fn service_id_is_read_from_the_message() {
        assert_eq!(service_id_in("Service ID: 1334 - Office 365 ( Essential Suite ) service has been created successfully.").as_deref(), Some("1334"));
        assert_eq!(service_id_in("Service has been created."), None);
    }
}
