//! The request document and its validation.
//!
//! Parsing is strict (unknown keys and wrong types are refused, naming the field) and never
//! echoes a value back: a panel that puts an api key in the wrong field must not see it in the
//! error, nor in its log.

use std::fmt;
use std::net::IpAddr;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::nesting::{self, NotJson, MAX_NESTING};
use crate::response::Error;
use crate::secret::Secret;

/// Requests larger than this are refused before parsing.
pub const MAX_REQUEST_BYTES: usize = 1024 * 1024;
/// Default whole-call deadline, retries included.
pub const DEFAULT_TIMEOUT_MS: u64 = 30_000;
/// Upper bound on `options.timeout_ms`: a PHP worker should not block longer than this.
pub const MAX_TIMEOUT_MS: u64 = 300_000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub provider: String,
    #[serde(default)]
    pub product: Option<String>,
    #[serde(default)]
    pub account: Account,
    #[serde(default)]
    pub service: Service,
    #[serde(default)]
    pub options: CallOptions,
    #[serde(default)]
    pub idempotency_key: Option<String>,
}

/// The reseller's credentials and endpoint. Each provider uses its own subset.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub auth_userid: Option<Id>,
    pub api_key: Option<Secret>,
    pub api_token: Option<Secret>,
    pub login: Option<String>,
    pub secret: Option<Secret>,
    #[serde(default)]
    pub test_mode: bool,
    pub base_url: Option<String>,
    pub panel_url: Option<String>,
    pub ca_cert_pem: Option<String>,
}

/// The service being provisioned. `options` is passed to the provider verbatim.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub order_id: Option<Id>,
    pub domain: Option<String>,
    pub customer_id: Option<Id>,
    pub plan_id: Option<Id>,
    pub new_plan_id: Option<Id>,
    pub months: Option<u32>,
    pub invoice_option: Option<String>,
    pub auto_renew: Option<bool>,
    pub reason: Option<String>,
    pub client_ip: Option<String>,
    pub service_name: Option<String>,
    pub panel: Option<String>,
    #[serde(default)]
    pub options: Map<String, Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallOptions {
    pub timeout_ms: Option<u64>,
    #[serde(default)]
    pub dry_run: bool,
    /// The panel has checked that no earlier attempt of this create exists at the provider, so
    /// a create the journal cannot settle by itself (RackNap's, which has no lookup) may be sent.
    #[serde(default)]
    pub confirm_absent: bool,
}

impl CallOptions {
    pub fn timeout_ms(&self) -> u64 {
        self.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS)
    }
}

/// An identifier that panels send as a string or a number; always a string inside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Id(pub String);

impl Id {
    /// The id of an optional field, or "" when absent (the dispatcher has checked the fields an
    /// operation requires before a provider reads them).
    pub fn text(id: &Option<Id>) -> String {
        id.as_ref().map(|id| id.0.clone()).unwrap_or_default()
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl Visitor<'_> for IdVisitor {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a whole number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
                Ok(Id(v.to_owned()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Id, E> {
                Ok(Id(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Id, E> {
                Ok(Id(v.to_string()))
            }
        }
        deserializer.deserialize_any(IdVisitor)
    }
}

/// The `service` fields a product's operation can require; the catalog lists them by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    OrderId,
    Domain,
    CustomerId,
    PlanId,
    NewPlanId,
    Months,
    InvoiceOption,
    AutoRenew,
    Reason,
    ClientIp,
    ServiceName,
    Panel,
    Options,
}

const FIELDS: [Field; 13] = [
    Field::OrderId,
    Field::Domain,
    Field::CustomerId,
    Field::PlanId,
    Field::NewPlanId,
    Field::Months,
    Field::InvoiceOption,
    Field::AutoRenew,
    Field::Reason,
    Field::ClientIp,
    Field::ServiceName,
    Field::Panel,
    Field::Options,
];

impl Field {
    pub fn name(self) -> &'static str {
        match self {
            Field::OrderId => "order_id",
            Field::Domain => "domain",
            Field::CustomerId => "customer_id",
            Field::PlanId => "plan_id",
            Field::NewPlanId => "new_plan_id",
            Field::Months => "months",
            Field::InvoiceOption => "invoice_option",
            Field::AutoRenew => "auto_renew",
            Field::Reason => "reason",
            Field::ClientIp => "client_ip",
            Field::ServiceName => "service_name",
            Field::Panel => "panel",
            Field::Options => "options",
        }
    }

    pub fn is_present(self, s: &Service) -> bool {
        match self {
            Field::OrderId => s.order_id.is_some(),
            Field::Domain => s.domain.is_some(),
            Field::CustomerId => s.customer_id.is_some(),
            Field::PlanId => s.plan_id.is_some(),
            Field::NewPlanId => s.new_plan_id.is_some(),
            Field::Months => s.months.is_some(),
            Field::InvoiceOption => s.invoice_option.is_some(),
            Field::AutoRenew => s.auto_renew.is_some(),
            Field::Reason => s.reason.is_some(),
            Field::ClientIp => s.client_ip.is_some(),
            Field::ServiceName => s.service_name.is_some(),
            Field::Panel => s.panel.is_some(),
            Field::Options => !s.options.is_empty(),
        }
    }
}

/// The `account` fields a provider can require.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountField {
    AuthUserid,
    ApiKey,
    ApiToken,
    Login,
    Secret,
    TestMode,
    BaseUrl,
    PanelUrl,
    CaCertPem,
}

impl AccountField {
    pub fn name(self) -> &'static str {
        match self {
            AccountField::AuthUserid => "auth_userid",
            AccountField::ApiKey => "api_key",
            AccountField::ApiToken => "api_token",
            AccountField::Login => "login",
            AccountField::Secret => "secret",
            AccountField::TestMode => "test_mode",
            AccountField::BaseUrl => "base_url",
            AccountField::PanelUrl => "panel_url",
            AccountField::CaCertPem => "ca_cert_pem",
        }
    }

    pub fn is_present(self, a: &Account) -> bool {
        let non_empty = |s: &Option<String>| s.as_deref().is_some_and(|v| !v.is_empty());
        let secret = |s: &Option<Secret>| s.as_ref().is_some_and(|v| !v.is_empty());
        match self {
            AccountField::AuthUserid => a.auth_userid.as_ref().is_some_and(|v| !v.0.is_empty()),
            AccountField::ApiKey => secret(&a.api_key),
            AccountField::ApiToken => secret(&a.api_token),
            AccountField::Login => non_empty(&a.login),
            AccountField::Secret => secret(&a.secret),
            AccountField::TestMode => true,
            AccountField::BaseUrl => non_empty(&a.base_url),
            AccountField::PanelUrl => non_empty(&a.panel_url),
            AccountField::CaCertPem => non_empty(&a.ca_cert_pem),
        }
    }
}

/// Parses and checks a request. Checks here are the ones that hold for every provider.
pub fn parse(text: &str) -> Result<Request, Error> {
    if text.len() > MAX_REQUEST_BYTES {
        return Err(too_large());
    }
    // A request without arrays cannot have an object filled from one (see `require_objects`):
    // it is read straight into its fields. Whatever that refuses is read again the long way,
    // which finds the same answer or says precisely what is wrong.
    let scan = nesting::scan(text, MAX_NESTING);
    if scan.too_deep {
        return Err(describe_syntax_error(NotJson::TooDeep));
    }
    if !scan.has_arrays {
        if let Ok(request) = serde_json::from_str::<Request>(text) {
            return checked(request);
        }
    }
    // Depth is checked above, once.
    let value: Value = serde_json::from_str(text).map_err(|e| describe_syntax_error(NotJson::Invalid(e)))?;
    require_objects(&value)?;
    // Tracking the path costs as much as the rest of the parse: only a refused request needs it.
    let request: Request = match Request::deserialize(&value) {
        Ok(request) => request,
        Err(_) => return Err(serde_path_to_error::deserialize::<_, Request>(value).err().map(describe_data_error).unwrap_or_else(|| Error::invalid("The request is invalid."))),
    };
    checked(request)
}

/// The checks a request's values must pass once it has been read.
fn checked(mut request: Request) -> Result<Request, Error> {
    request.validate()?;
    request.service.domain = request.service.domain.as_deref().map(checked_domain).transpose()?;
    Ok(request)
}

/// serde would fill a struct from an array, position by position; a request must say what
/// each value is.
fn require_objects(value: &Value) -> Result<(), Error> {
    if !value.is_object() {
        return Err(Error::invalid("The request must be a JSON object."));
    }
    for key in ["account", "service", "options"] {
        if value.get(key).is_some_and(|v| !v.is_object()) {
            return Err(Error::invalid(format!("The request field `{key}` must be a JSON object.")));
        }
    }
    Ok(())
}

/// What a request that failed validation says about itself: its `provider` and `product`, so
/// its error envelope still says what it was about, and its credentials, so that envelope
/// masks them like any other.
#[derive(Debug, Default)]
pub struct Peek {
    pub provider: Option<String>,
    pub product: Option<String>,
    pub secrets: Vec<String>,
}

pub fn peek(text: &str) -> Peek {
    let Ok(value) = nesting::parse(text) else { return Peek::default() };
    let field = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    let mut secrets = Vec::new();
    match value.get("account") {
        Some(Value::Object(account)) => {
            let credentials = ["api_key", "api_token", "secret"].iter().filter_map(|k| account.get(*k));
            credentials.for_each(|v| scalars(v, &mut secrets));
        }
        // Without names, any value of the account may be a credential.
        Some(other) => scalars(other, &mut secrets),
        None => {}
    }
    Peek { provider: field("provider"), product: field("product"), secrets }
}

/// Every string and number inside `value`, as text.
pub(crate) fn scalars(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Number(n) => out.push(n.to_string()),
        Value::Array(items) => items.iter().for_each(|v| scalars(v, out)),
        Value::Object(map) => map.values().for_each(|v| scalars(v, out)),
        _ => {}
    }
}

/// A name from the request, fit to echo in a message: short, without control characters.
pub fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(64).collect()
}

pub fn too_large() -> Error {
    Error::invalid(format!("The request is larger than {MAX_REQUEST_BYTES} bytes; send a smaller JSON object."))
}

impl Request {
    /// Whether a field named by its path (`idempotency_key`, `service.domain`,
    /// `service.options.title`) is present and not empty.
    pub fn has(&self, path: &str) -> bool {
        if path == "idempotency_key" {
            return self.idempotency_key.as_deref().is_some_and(|k| !k.is_empty());
        }
        if let Some(key) = path.strip_prefix("service.options.") {
            return self.service.options.get(key).is_some_and(|v| !v.is_null() && v.as_str() != Some(""));
        }
        let name = path.strip_prefix("service.").unwrap_or(path);
        FIELDS.iter().any(|f| f.name() == name && f.is_present(&self.service))
    }

    fn validate(&self) -> Result<(), Error> {
        let o = &self.options;
        if let Some(ms) = o.timeout_ms {
            if ms == 0 || ms > MAX_TIMEOUT_MS {
                return Err(Error::invalid(format!(
                    "The request field `options.timeout_ms` must be between 1 and {MAX_TIMEOUT_MS}."
                )));
            }
        }
        if let Some(key) = &self.idempotency_key {
            if key.is_empty() || key.len() > 255 || key.chars().any(char::is_control) {
                return Err(Error::invalid(
                    "The request field `idempotency_key` must be 1 to 255 characters with no control characters.",
                ));
            }
        }
        let s = &self.service;
        if let Some(ip) = &s.client_ip {
            if ip.parse::<IpAddr>().is_err() {
                return Err(Error::invalid("The request field `service.client_ip` must be an IPv4 or IPv6 address."));
            }
        }
        if let Some(months) = s.months {
            if !(1..=120).contains(&months) {
                return Err(Error::invalid("The request field `service.months` must be between 1 and 120."));
            }
        }
        if let Some(option) = &s.invoice_option {
            if !INVOICE_OPTIONS.contains(&option.as_str()) {
                return Err(Error::invalid(format!(
                    "The request field `service.invoice_option` must be one of {}.",
                    INVOICE_OPTIONS.join(", ")
                )));
            }
        }
        for (name, id) in [
            ("order_id", &s.order_id),
            ("customer_id", &s.customer_id),
            ("plan_id", &s.plan_id),
            ("new_plan_id", &s.new_plan_id),
        ] {
            if id.as_ref().is_some_and(|id| id.0.is_empty() || id.0.len() > 64 || id.0.chars().any(char::is_control)) {
                return Err(Error::invalid(format!(
                    "The request field `service.{name}` must be 1 to 64 characters with no control characters."
                )));
            }
        }
        Ok(())
    }
}

/// A domain is sent in its ASCII form, and only if it is a hostname.
fn checked_domain(domain: &str) -> Result<String, Error> {
    crate::hostname::ascii_hostname(domain).ok_or_else(|| {
        Error::invalid(
            "The request field `service.domain` must be a domain name: labels of letters, digits and hyphens separated by dots (internationalised names are accepted).",
        )
    })
}

/// How LogicBoxes-style invoices are handled; also the vocabulary panels already know.
pub const INVOICE_OPTIONS: [&str; 4] = ["NoInvoice", "PayInvoice", "KeepInvoice", "OnlyAdd"];

fn describe_syntax_error(error: NotJson) -> Error {
    let inner = match error {
        NotJson::TooDeep => {
            return Error::invalid(format!(
                "The request is not valid JSON (it is nested too deeply: more than {MAX_NESTING} levels); send one JSON object."
            ))
        }
        NotJson::Invalid(inner) => inner,
    };
    let text = inner.to_string();
    let detail = if text.contains("trailing characters") {
        "it has trailing text after the JSON value".to_owned()
    } else {
        format!("error at line {} column {}", inner.line(), inner.column())
    };
    Error::invalid(format!("The request is not valid JSON ({detail}); send one JSON object."))
}

/// Turns a serde error into a message that names the field but never the value.
fn describe_data_error(err: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = err.path().to_string();
    let text = err.into_inner().to_string();
    let field = |name: &str| if path == "." { name.to_owned() } else { format!("{path}.{name}") };
    if let Some(name) = backticked(&text, "missing field `") {
        return Error::invalid(format!("The request is missing the required field `{}`.", field(name)));
    }
    if let Some(name) = backticked(&text, "unknown field `") {
        // The path already ends with the unknown key.
        let full = if path == "." { name.to_owned() } else { path.clone() };
        return Error::invalid(format!("The request has an unknown field `{full}`; remove it or check its spelling."));
    }
    match text.split_once(", expected ") {
        Some((_, expected)) => Error::invalid(format!(
            "The request field `{path}` has the wrong type or value: expected {}.",
            friendly_type(expected)
        )),
        None => Error::invalid(format!("The request field `{path}` is invalid.")),
    }
}

fn backticked<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = text.strip_prefix(prefix)?;
    rest.split('`').next()
}

fn friendly_type(expected: &str) -> String {
    match expected {
        "u32" | "u64" => "a whole number".into(),
        "a boolean" | "a string" => expected.into(),
        e if e.starts_with("struct ") || e == "a map" => "a JSON object".into(),
        e => e.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::ErrorCode;

    fn err(text: &str) -> String {
        let e = parse(text).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidRequest);
        e.message
    }

    #[test]
    fn names_missing_unknown_and_mistyped_fields() {
        assert!(err("{}").contains("`provider`"));
        assert!(err(r#"{"provider":"x","bogus":1}"#).contains("`bogus`"));
        assert!(err(r#"{"provider":"x","service":{"nope":1}}"#).contains("`service.nope`"));
        assert!(err(r#"{"provider":"x","service":{"months":"12"}}"#).contains("`service.months`"));
        assert!(err(r#"[1,2]"#).contains("JSON object"), "{}", err(r#"[1,2]"#));
        assert!(err(r#"{"provider":"x"} trailing"#).contains("trailing"));
        assert!(err(r#"{"provider":"x","account":["100000","key"]}"#).contains("`account` must be a JSON object"));
    }

    #[test]
    fn never_echoes_a_value() {
        let msg = err(r#"{"provider":"x","account":{"api_key":1234567890123}}"#);
        assert!(msg.contains("`account.api_key`"), "{msg}");
        assert!(!msg.contains("1234567890123"), "{msg}");
        let msg = err(r#"{"provider":"x","service":{"auto_renew":"canary-secret"}}"#);
        assert!(!msg.contains("canary-secret"), "{msg}");
    }

    #[test]
    fn ids_accept_strings_and_numbers() {
        let r = parse(r#"{"provider":"x","service":{"order_id":42,"customer_id":"7"}}"#).unwrap();
        assert_eq!(r.service.order_id, Some(Id("42".into())));
        assert_eq!(r.service.customer_id, Some(Id("7".into())));
    }

    #[test]
    fn refuses_deep_nesting_and_bad_values() {
        let deep = format!(r#"{{"provider":"x","service":{{"options":{{"a":{}1{}}}}}}}"#, "[".repeat(10_000), "]".repeat(10_000));
        assert!(err(&deep).contains("nested too deeply: more than 16 levels"));
        assert!(err(r#"{"provider":"x","service":{"client_ip":"1.2.3"}}"#).contains("client_ip"));
        assert!(err(r#"{"provider":"x","service":{"invoice_option":"Free"}}"#).contains("NoInvoice"));
        assert!(err(r#"{"provider":"x","options":{"timeout_ms":0}}"#).contains("timeout_ms"));
        assert!(err(r#"{"provider":"x","service":{"domain":"x.example&order-id=1"}}"#).contains("`service.domain`"));
    }

    #[test]
    fn domains_are_sent_in_ascii() {
        let r = parse(r#"{"provider":"x","service":{"domain":"Bücher.Example"}}"#).unwrap();
        assert_eq!(r.service.domain.as_deref(), Some("xn--bcher-kva.example"));
    }
}
