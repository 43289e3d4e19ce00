//! The sign-up form: `service.options` under readable names, checked here so that a request the
//! API would refuse is refused before anything is sent, and turned into the API's spelling.
//!
//! Messages name the field and the rule, never the value: a password typed into the wrong
//! field must not reach a panel's log through an error.

use serde_json::{Map, Value};

use crate::response::Error;
use crate::secret::Secret;

/// The fields a sign-up needs, by the names the catalog lists.
pub const REQUIRED: &[&str] =
    &["email", "name", "company", "address", "city", "state", "country", "zipcode", "phone_cc", "phone", "password"];
pub const OPTIONAL: &[&str] = &["language"];

/// The control panel's language when the panel names none.
const DEFAULT_LANGUAGE: &str = "en";
/// Free text the API stores (names, address lines) is kept to a length it accepts.
const MAX_TEXT_CHARS: usize = 255;
/// The longest address RFC 5321 lets through.
const MAX_EMAIL_CHARS: usize = 254;
/// E.164: a number has at most 15 digits, its country code included.
const MAX_PHONE_DIGITS: usize = 15;
const MIN_PHONE_DIGITS: usize = 4;
const MAX_ZIPCODE_CHARS: usize = 16;
/// Public clients encode the API's rule as 8 to 15 letters and digits (WWW::LogicBoxes);
/// newer brand panels ask for up to 16 characters with a symbol. Accepted is what fits both
/// readings: 8 to 16 printable ASCII characters without spaces, with a letter and a digit.
const PASSWORD_CHARS: std::ops::RangeInclusive<usize> = 8..=16;

/// A checked sign-up, in the API's terms.
#[derive(Debug)]
pub struct SignUp {
    pub email: String,
    name: String,
    company: String,
    address: String,
    city: String,
    state: String,
    country: &'static str,
    zipcode: String,
    phone_cc: String,
    phone: String,
    /// `Debug` shows it as `***`.
    password: Secret,
    language: String,
}

impl SignUp {
    pub fn from_options(options: &Map<String, Value>) -> Result<SignUp, Error> {
        let text = |key: &str| text_field(options, key);
        let phone_cc = phone_country_code(options)?;
        Ok(SignUp {
            email: email(options, "email")?,
            name: text("name")?,
            company: text("company")?,
            address: text("address")?,
            city: text("city")?,
            state: text("state")?,
            country: country(options)?,
            zipcode: zipcode(options)?,
            phone: phone(options, phone_cc.len())?,
            phone_cc,
            password: password(options)?,
            language: language(options)?,
        })
    }

    /// The parameters of `customers/signup.json`.
    pub fn params(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("username", &self.email),
            ("passwd", self.password.expose()),
            ("name", &self.name),
            ("company", &self.company),
            ("address-line-1", &self.address),
            ("city", &self.city),
            ("state", &self.state),
            ("country", self.country),
            ("zipcode", &self.zipcode),
            ("phone-cc", &self.phone_cc),
            ("phone", &self.phone),
            ("lang-pref", &self.language),
        ]
    }
}

fn invalid(key: &str, rule: &str) -> Error {
    Error::invalid(format!("The request field `service.options.{key}` must be {rule}."))
}

/// A string option; `None` when absent or null.
fn string<'o>(options: &'o Map<String, Value>, key: &str) -> Result<Option<&'o str>, Error> {
    match options.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(invalid(key, "a string")),
    }
}

fn required_string<'o>(options: &'o Map<String, Value>, key: &str) -> Result<&'o str, Error> {
    string(options, key)?.ok_or_else(|| Error::invalid(format!("The request is missing the required field `service.options.{key}`.")))
}

/// Free text: trimmed, not empty, no control characters, of a length the API stores.
fn text_field(options: &Map<String, Value>, key: &str) -> Result<String, Error> {
    let value = required_string(options, key)?.trim();
    let count = value.chars().count();
    if count == 0 || count > MAX_TEXT_CHARS || value.chars().any(char::is_control) {
        return Err(invalid(key, &format!("1 to {MAX_TEXT_CHARS} characters with no control characters")));
    }
    Ok(value.to_owned())
}

/// An e-mail address, which is also the customer's username at LogicBoxes.
pub fn email(options: &Map<String, Value>, key: &str) -> Result<String, Error> {
    let value = required_string(options, key)?;
    let plain = value.len() <= MAX_EMAIL_CHARS && !value.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"');
    let options = email_address::Options::default().with_required_tld().without_domain_literal().without_display_text();
    if !plain || email_address::EmailAddress::parse_with_options(value, options).is_err() {
        return Err(invalid(key, "an e-mail address such as jane@example.com"));
    }
    Ok(value.to_owned())
}

/// An ISO 3166-1 alpha-2 code, sent in capitals.
fn country(options: &Map<String, Value>) -> Result<&'static str, Error> {
    let value = required_string(options, "country")?;
    match celes::Country::from_alpha2(value) {
        Ok(country) if value.len() == 2 => Ok(country.alpha2),
        _ => Err(invalid("country", "a two-letter ISO 3166-1 country code such as GB or US")),
    }
}

fn zipcode(options: &Map<String, Value>) -> Result<String, Error> {
    let value = required_string(options, "zipcode")?.trim();
    let allowed = value.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
    if value.is_empty() || value.len() > MAX_ZIPCODE_CHARS || !allowed {
        return Err(invalid("zipcode", &format!("1 to {MAX_ZIPCODE_CHARS} letters, digits, spaces or hyphens")));
    }
    Ok(value.to_owned())
}

/// The calling code: 1 to 3 digits, given as a string (a leading `+` is dropped) or a number.
fn phone_country_code(options: &Map<String, Value>) -> Result<String, Error> {
    let rule = "a country calling code of 1 to 3 digits, such as 44";
    let value = match options.get("phone_cc") {
        Some(Value::Number(n)) => n.as_u64().map(|n| n.to_string()).ok_or_else(|| invalid("phone_cc", rule))?,
        _ => required_string(options, "phone_cc")?.trim().trim_start_matches('+').to_owned(),
    };
    if !(1..=3).contains(&value.len()) || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid("phone_cc", rule));
    }
    Ok(value)
}

/// The number without its country code: digits only, at most 15 with the code.
fn phone(options: &Map<String, Value>, code_digits: usize) -> Result<String, Error> {
    let value = required_string(options, "phone")?.trim();
    let max = MAX_PHONE_DIGITS - code_digits;
    if !(MIN_PHONE_DIGITS..=max).contains(&value.len()) || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid("phone", &format!("the number without its country code, {MIN_PHONE_DIGITS} to {max} digits")));
    }
    Ok(value.to_owned())
}

fn password(options: &Map<String, Value>) -> Result<Secret, Error> {
    let value = required_string(options, "password")?;
    let printable = value.bytes().all(|b| b.is_ascii_graphic());
    let letter = value.bytes().any(|b| b.is_ascii_alphabetic());
    let digit = value.bytes().any(|b| b.is_ascii_digit());
    if !PASSWORD_CHARS.contains(&value.len()) || !printable || !letter || !digit {
        let (min, max) = (PASSWORD_CHARS.start(), PASSWORD_CHARS.end());
        return Err(invalid(
            "password",
            &format!("{min} to {max} characters (letters, digits and symbols, no spaces) with at least one letter and one digit"),
        ));
    }
    Ok(Secret::new(value))
}

/// An ISO 639-1 code, sent in lower case; English when not given.
fn language(options: &Map<String, Value>) -> Result<String, Error> {
    match string(options, "language")? {
        None | Some("") => Ok(DEFAULT_LANGUAGE.to_owned()),
        Some(code) if code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic()) => Ok(code.to_ascii_lowercase()),
        Some(_) => Err(invalid("language", "a two-letter ISO 639-1 language code such as en")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn form() -> Value {
        json!({
            "email": "jane@example.com", "name": "Jane Doe", "company": "Doe Web Ltd", "address": "1 High Street",
            "city": "London", "state": "Greater London", "country": "gb", "zipcode": "EC1A 1AA",
            "phone_cc": "+44", "phone": "2071234567", "password": "Hp0123456789ab#9",
        })
    }

    fn with(key: &str, value: Value) -> Map<String, Value> {
        let mut form = form();
        form[key] = value;
        form.as_object().unwrap().clone()
    }

    #[test]
    fn a_complete_form_becomes_the_apis_parameters() {
        let signup = SignUp::from_options(form().as_object().unwrap()).unwrap();
        let params = signup.params();
        let get = |name: &str| params.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
        assert_eq!(get("username"), Some("jane@example.com"));
        assert_eq!(get("country"), Some("GB"));
        assert_eq!(get("phone-cc"), Some("44"));
        assert_eq!(get("lang-pref"), Some("en"));
        assert_eq!(get("address-line-1"), Some("1 High Street"));
        assert_eq!(params.len(), 12);
        assert!(!format!("{signup:?}").contains("Hp0123456789ab#9"), "Debug never shows the password");
    }

    #[test]
    fn every_bad_field_is_named_and_never_echoed() {
        for (key, value) in [
            ("email", json!("jane@localhost")),
            ("email", json!("jane doe@example.com")),
            ("email", json!("Jane <jane@example.com>")),
            ("name", json!("   ")),
            ("name", json!("a\nb")),
            ("company", json!(7)),
            ("country", json!("UK")),
            ("country", json!("GBR")),
            ("zipcode", json!("EC1A/1AA")),
            ("phone_cc", json!("4444")),
            ("phone_cc", json!(-1)),
            ("phone", json!("207-123-4567")),
            ("phone", json!("123")),
            ("phone", json!("1234567890123456")),
            ("password", json!("short1A")),
            ("password", json!("onlyletters")),
            ("password", json!("12345678")),
            ("password", json!("has space 123a")),
            ("password", json!("muchtoolongpassword123")),
            ("language", json!("english")),
        ] {
            let error = SignUp::from_options(&with(key, value.clone())).unwrap_err();
            assert!(error.message.contains(&format!("`service.options.{key}`")), "{key}: {}", error.message);
            if let Some(text) = value.as_str().filter(|t| t.trim().len() > 2) {
                assert!(!error.message.contains(text), "{key} echoed: {}", error.message);
            }
        }
    }

    #[test]
    fn numbers_and_defaults_are_accepted_where_panels_send_them() {
        let mut options = with("phone_cc", json!(1));
        options.insert("language".into(), json!("ES"));
        options.insert("password".into(), json!("password9"));
        let signup = SignUp::from_options(&options).unwrap();
        assert_eq!((signup.phone_cc.as_str(), signup.language.as_str()), ("1", "es"));
        let mut missing = form().as_object().unwrap().clone();
        missing.remove("city");
        assert!(SignUp::from_options(&missing).unwrap_err().message.contains("`service.options.city`"));
    }
}
