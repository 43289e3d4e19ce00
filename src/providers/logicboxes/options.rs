//! `service.options` of the products with API paths of their own: the platform and region that
//! pick a product's edition, and the family options (SSL, dedicated IP, cPanel blocks, OS,
//! add-ons, seats), each checked locally against its documented values before anything is sent.

use serde_json::{Map, Value};

use super::products::{OrderProduct, Variant};
use crate::providers::OperationSpec;
use crate::response::Error;

/// The family options each operation of a product takes, by their readable names.
#[derive(Debug)]
pub struct OptionNames {
    pub create_required: &'static [&'static str],
    pub create: &'static [&'static str],
    pub renew: &'static [&'static str],
    pub change: &'static [&'static str],
    /// Every other operation: only what says where the order lives.
    pub reach: &'static [&'static str],
}

impl OptionNames {
    /// The same optional names for every operation, none required.
    pub const fn reach(names: &'static [&'static str]) -> Self {
        OptionNames { create_required: &[], create: names, renew: names, change: names, reach: names }
    }
}

pub const NO_OPTIONS: OptionNames = OptionNames::reach(&[]);

/// The options that choose the edition rather than being sent.
const PLATFORM: &str = "platform";
const REGION: &str = "region";

/// Add-ons of VPS and dedicated and managed servers (KB 2457), sent as repeated `addon`.
pub const ADDONS: [&str; 11] = [
    "cpanel",
    "plesk_10_domain",
    "plesk_30_domain",
    "plesk_unlimited_domain",
    "ipaddress",
    "whmcs",
    "storage_1",
    "storage_2",
    "storage_3",
    "storage_4",
    "storage_5",
];

/// No family sells more of anything than this; a larger count is a typing mistake.
const MAX_COUNT: u64 = 100_000;

#[derive(Debug, Clone, Copy)]
enum Kind {
    /// `true` or `false` (panels' form values "1"/"0", "yes"/"no", "on"/"off" too).
    Flag,
    /// A whole number from 1.
    Count,
    /// A lower-case word such as `alma_8`.
    Token,
    /// A list of names from a closed set.
    Names(&'static [&'static str]),
}

/// A family option: our name, the API's parameter, and what it accepts.
struct Rule {
    name: &'static str,
    param: &'static str,
    kind: Kind,
}

const RULES: [Rule; 6] = [
    Rule { name: "seats", param: SEATS_PARAM, kind: Kind::Count },
    Rule { name: "enable_ssl", param: "enable-ssl", kind: Kind::Flag },
    Rule { name: "add_dedicated_ip", param: "add-dedicated-ip", kind: Kind::Flag },
    Rule { name: "cpanel_blocks", param: "cpanel-blocks", kind: Kind::Count },
    Rule { name: "os", param: "os", kind: Kind::Token },
    Rule { name: "addons", param: "addon", kind: Kind::Names(&ADDONS) },
];

/// The API's name for a number of e-mail accounts.
pub const SEATS_PARAM: &str = "no-of-accounts";

/// One call's product edition and family options, checked.
#[derive(Debug)]
pub struct Target {
    pub product: &'static OrderProduct,
    pub variant: &'static Variant,
    /// The family options the operation sends, in the API's spelling.
    pub params: Vec<(&'static str, String)>,
}

impl Target {
    /// `<prefix><call>.json`.
    pub fn path(&self, call: &str) -> String {
        format!("{}{call}.json", self.variant.prefix)
    }

    /// The number of seats asked for (`service.options.seats`), checked.
    pub fn seats(&self) -> Option<u32> {
        self.params.iter().find(|(k, _)| *k == SEATS_PARAM).and_then(|(_, v)| v.parse().ok())
    }
}

/// The edition and option values for `spec`'s operation on `product`; only the options the
/// operation takes are read, and each one is checked.
pub fn target(product: &'static OrderProduct, spec: &OperationSpec, options: &Map<String, Value>) -> Result<Target, Error> {
    let takes = |name: &str| spec.options_required.contains(&name) || spec.options_optional.contains(&name);
    let chosen = |name: &str| if takes(name) { choice(options, name) } else { Ok(None) };
    let variant = variant(product, chosen(PLATFORM)?, chosen(REGION)?)?;
    let mut params = Vec::new();
    for name in spec.options_required.iter().chain(spec.options_optional).filter(|n| ![PLATFORM, REGION].contains(n)) {
        let Some(value) = options.get(*name).filter(|v| !v.is_null()) else { continue };
        let rule = RULES.iter().find(|r| r.name == *name).ok_or_else(|| Error::internal(format!("The option `{name}` has no rule.")))?;
        for value in checked(rule, value)? {
            params.push((rule.param, value));
        }
    }
    Ok(Target { product, variant, params })
}

/// The edition `service.options.platform` and `region` choose (account-level operations, such
/// as `plans`, read them whatever their table says).
pub fn edition(product: &'static OrderProduct, options: &Map<String, Value>) -> Result<&'static Variant, Error> {
    variant(product, choice(options, PLATFORM)?, choice(options, REGION)?)
}

/// The edition for a platform and region, each defaulting to the first edition's.
fn variant(product: &'static OrderProduct, platform: Option<String>, region: Option<String>) -> Result<&'static Variant, Error> {
    let default = product.default_variant();
    for (name, asked, offered) in [(PLATFORM, &platform, default.platform), (REGION, &region, default.region)] {
        if asked.is_some() && offered.is_none() {
            return Err(Error::invalid(format!("{} has no {name} choice; remove `service.options.{name}`.", product.key)));
        }
    }
    let wanted = (platform.as_deref().or(default.platform), region.as_deref().or(default.region));
    product.variants.iter().find(|v| (v.platform, v.region) == wanted).ok_or_else(|| {
        let sold: Vec<String> = product.variants.iter().map(edition_name).collect();
        let fields = if default.platform.is_some() { "`service.options.platform` and `service.options.region`" } else { "`service.options.region`" };
        Error::invalid(format!("{} is not sold there; {fields} must be one of {}.", product.key, sold.join(", ")))
    })
}

/// `linux/us`, or `us` for a product without platforms.
fn edition_name(variant: &Variant) -> String {
    [variant.platform, variant.region].into_iter().flatten().collect::<Vec<_>>().join("/")
}

/// A platform or region: a string, compared without regard to case.
fn choice(options: &Map<String, Value>, name: &str) -> Result<Option<String>, Error> {
    match options.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.trim().to_ascii_lowercase())),
        Some(_) => Err(invalid(name, "must be a string")),
    }
}

fn invalid(name: &str, what: &str) -> Error {
    Error::invalid(format!("The request field `service.options.{name}` {what}."))
}

/// The API's values for one option: one, or one per list entry.
fn checked(rule: &Rule, value: &Value) -> Result<Vec<String>, Error> {
    let name = rule.name;
    let one = |v: Option<String>, what: &str| v.map(|v| vec![v]).ok_or_else(|| invalid(name, what));
    match rule.kind {
        Kind::Flag => one(flag(value).map(|b| b.to_string()), "must be true or false"),
        Kind::Count => one(count(value).map(|n| n.to_string()), &format!("must be a whole number from 1 to {MAX_COUNT}")),
        Kind::Token => one(
            value.as_str().filter(|s| is_token(s)).map(str::to_owned),
            "must be a lower-case name of letters, digits and underscores, such as alma_8",
        ),
        Kind::Names(allowed) => {
            let must = format!("must be a list of distinct names from {}", allowed.join(", "));
            let list = value.as_array().ok_or_else(|| invalid(name, &must))?;
            let mut names: Vec<String> = Vec::new();
            for entry in list {
                match entry.as_str() {
                    Some(n) if allowed.contains(&n) && !names.iter().any(|seen| seen == n) => names.push(n.to_owned()),
                    _ => return Err(invalid(name, &must)),
                }
            }
            Ok(names)
        }
    }
}

fn flag(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Some(true),
            "false" | "0" | "no" | "off" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn count(value: &Value) -> Option<u64> {
    let n = match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) if !s.trim().is_empty() && s.trim().bytes().all(|b| b.is_ascii_digit()) => s.trim().parse().ok(),
        _ => None,
    }?;
    (1..=MAX_COUNT).contains(&n).then_some(n)
}

fn is_token(s: &str) -> bool {
    let mut bytes = s.bytes();
    s.len() <= 64
        && bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'.' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::Operation;
    use crate::providers::logicboxes::products::find;
    use crate::response::ErrorCode;
    use serde_json::json;

    fn resolve(product: &str, operation: Operation, options: Value) -> Result<Target, Error> {
        let product = find(product).unwrap();
        let spec = product.operations.iter().find(|s| s.operation == operation).unwrap();
        target(product, spec, options.as_object().unwrap())
    }

    fn message(result: Result<Target, Error>) -> String {
        let e = result.unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidRequest);
        e.message
    }

    #[test]
    fn platform_and_region_pick_the_edition_with_defaults() {
        let t = resolve("single_domain_hosting", Operation::Create, json!({})).unwrap();
        assert_eq!((t.variant.prefix, t.variant.product_key), ("singledomainhosting/linux/us/", "singledomainhostinglinuxus"));
        let t = resolve("single_domain_hosting", Operation::Renew, json!({"platform": "Windows", "region": "uk"})).unwrap();
        assert_eq!(t.path("renew"), "singledomainhosting/windows/uk/renew.json");
        let t = resolve("multi_domain_hosting", Operation::Details, json!({"region": "in"})).unwrap();
        assert_eq!(t.variant.product_key, "multidomainhostinglinuxin");
        let t = resolve("google_workspace", Operation::Create, json!({"seats": 3})).unwrap();
        assert_eq!(t.variant.product_key, "gappsgbl");
        let t = resolve("sitelock", Operation::Create, json!({"platform": "windows"})).unwrap();
        assert_eq!(t.path("add"), "sitelock/add.json", "options a product does not take are left alone");
    }

    #[test]
    fn combinations_not_sold_name_the_sold_ones() {
        let m = message(resolve("reseller_hosting", Operation::Create, json!({"region": "tr"})));
        assert!(m.contains("linux/us") && m.contains("windows/hk") && !m.contains("linux/tr"), "{m}");
        let m = message(resolve("dedicated_server", Operation::Create, json!({"platform": "windows", "os": "alma_8"})));
        assert!(m.contains("windows/in"), "{m}");
        let email = find("business_email").unwrap();
        let m = edition(email, json!({"platform": "linux"}).as_object().unwrap()).unwrap_err().message;
        assert!(m.contains("no platform choice"), "{m}");
        assert!(resolve("business_email", Operation::Create, json!({"platform": "linux", "seats": 1})).is_ok(), "an option the operation does not take is left alone");
        let m = message(resolve("enterprise_email", Operation::Details, json!({"region": "uk"})));
        assert!(m.contains("`service.options.region` must be one of us, in"), "{m}");
        assert!(message(resolve("vps", Operation::Details, json!({"region": 7}))).contains("must be a string"));
    }

    #[test]
    fn family_options_are_checked_and_spelled_as_the_api_wants() {
        let t = resolve("single_domain_hosting", Operation::Create, json!({"enable_ssl": "yes"})).unwrap();
        assert_eq!(t.params, [("enable-ssl", "true".to_owned())]);
        assert!(message(resolve("single_domain_hosting", Operation::Create, json!({"enable_ssl": "maybe"}))).contains("enable_ssl"));
        let t = resolve("reseller_hosting", Operation::ChangePackage, json!({"cpanel_blocks": "2"})).unwrap();
        assert_eq!(t.params, [("cpanel-blocks", "2".to_owned())]);
        for bad in [json!(0), json!(-1), json!("2.5"), json!(1.5), json!(1_000_000)] {
            assert!(message(resolve("reseller_hosting", Operation::ChangePackage, json!({"cpanel_blocks": bad}))).contains("whole number"));
        }
        let t = resolve("vps", Operation::Create, json!({"os": "alma_8", "addons": ["cpanel", "storage_2"]})).unwrap();
        assert_eq!(t.params, [("os", "alma_8".to_owned()), ("addon", "cpanel".to_owned()), ("addon", "storage_2".to_owned())]);
        for bad in [json!("Alma 8"), json!("alma&os=x"), json!(""), json!(8)] {
            assert!(message(resolve("vps", Operation::Create, json!({"os": bad}))).contains("`service.options.os`"));
        }
        for bad in [json!("cpanel"), json!(["cpanel", "cpanel"]), json!(["directadmin"]), json!([1])] {
            assert!(message(resolve("dedicated_server", Operation::Create, json!({"os": "alma_8", "addons": bad}))).contains("addons"));
        }
        let t = resolve("business_email", Operation::ChangePackage, json!({"seats": "12"})).unwrap();
        assert_eq!(t.seats(), Some(12));
    }

    #[test]
    fn every_option_a_row_names_has_a_rule() {
        for product in &super::super::products::ORDER_PRODUCTS {
            for spec in product.operations {
                for name in spec.options_required.iter().chain(spec.options_optional) {
                    assert!([PLATFORM, REGION].contains(name) || RULES.iter().any(|r| r.name == *name), "{}: {name}", product.key);
                }
            }
        }
    }
}
