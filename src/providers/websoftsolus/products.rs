//! What each licence product needs to be ordered, as table rows (doc 003), checked locally
//! before anything is sent.

use serde_json::{Map, Value};

use crate::response::Error;

/// An option with a closed set of values: its readable name, the API's name, the values.
pub struct Choice {
    pub ours: &'static str,
    pub theirs: &'static str,
    pub allowed: &'static [&'static str],
    /// `None` when the option is required.
    pub default: Option<&'static str>,
}

pub struct LicenceProduct {
    pub key: &'static str,
    pub choices: &'static [Choice],
    /// cPanel licences are bound to a server IP.
    pub needs_server_ip: bool,
    pub addons: &'static [&'static str],
}

const OS: Choice = Choice { ours: "os", theirs: "os", allowed: &["LINUX", "WINDOWS"], default: None };

pub static PRODUCTS: [LicenceProduct; 3] = [
    LicenceProduct {
        key: "plesk",
        choices: &[
            OS,
            Choice { ours: "wpb_sites", theirs: "WPBSites", allowed: &["0", "10", "30", "100", "1000"], default: Some("0") },
            Choice { ours: "wpb_options", theirs: "WPBOptions", allowed: &["0", "MLS_SUPPORT"], default: Some("0") },
            Choice { ours: "applications", theirs: "applications", allowed: &["0", "POWER_PACK"], default: Some("0") },
            Choice { ours: "cbm_clients", theirs: "CBMClients", allowed: &["0", "UNLIMITED"], default: Some("0") },
            Choice {
                ours: "language_pack",
                theirs: "languagePack",
                allowed: &["0", "1", "2", "3", "4", "5", "UNLIMITED"],
                default: Some("0"),
            },
            Choice {
                ours: "antivirus",
                theirs: "antivirus",
                allowed: &["0", "PREMIUM_ANTIVIRUS", "PREMIUM_ANTIVIRUS_FOR_WIN"],
                default: Some("0"),
            },
        ],
        needs_server_ip: false,
        addons: &[],
    },
    LicenceProduct {
        key: "cpanel",
        choices: &[],
        needs_server_ip: true,
        addons: &["FANTASTICO", "INSTALLATRON", "SOFTACULOUS", "WHMXTRA", "WHMSONIC", "CLOUDLINUX", "KERNELCARE"],
    },
    LicenceProduct { key: "virtuozzo", choices: &[OS], needs_server_ip: false, addons: &[] },
];

/// Renewal periods the API accepts, in months.
pub const PERIODS: [u32; 6] = [1, 3, 6, 12, 24, 36];

pub fn find(key: &str) -> Option<&'static LicenceProduct> {
    PRODUCTS.iter().find(|p| p.key == key)
}

fn invalid(key: &str, what: String) -> Error {
    Error::invalid(format!("The request field `service.options.{key}` {what}."))
}

fn text(options: &Map<String, Value>, key: &str) -> Result<Option<String>, Error> {
    match options.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(invalid(key, "must be a string".into())),
    }
}

/// The order form for `product`, every value checked against doc 003.
pub fn order_form(
    product: &LicenceProduct,
    title: &str,
    months: u32,
    options: &Map<String, Value>,
) -> Result<Vec<(String, String)>, Error> {
    if !PERIODS.contains(&months) {
        return Err(Error::invalid(format!(
            "The request field `service.months` must be one of {} for a licence.",
            PERIODS.map(|p| p.to_string()).join(", ")
        )));
    }
    let name = text(options, "product")?.filter(|p| !p.trim().is_empty()).ok_or_else(|| {
        invalid("product", "is required: the licence product name, as listed by `plans`".into())
    })?;
    let mut form = vec![
        ("product".to_owned(), name),
        ("title".to_owned(), title.to_owned()),
        ("comment".to_owned(), text(options, "comment")?.unwrap_or_default()),
        ("period".to_owned(), months.to_string()),
    ];
    for choice in product.choices {
        let value = match (text(options, choice.ours)?, choice.default) {
            (Some(v), _) => v,
            (None, Some(default)) => default.to_owned(),
            (None, None) => return Err(invalid(choice.ours, format!("is required: one of {}", choice.allowed.join(", ")))),
        };
        if !choice.allowed.contains(&value.as_str()) {
            return Err(invalid(choice.ours, format!("must be one of {}", choice.allowed.join(", "))));
        }
        form.push((choice.theirs.to_owned(), value));
    }
    if product.needs_server_ip {
        let ip = text(options, "server_ip")?.ok_or_else(|| invalid("server_ip", "is required for a cPanel licence".into()))?;
        if ip.parse::<std::net::IpAddr>().is_err() {
            return Err(invalid("server_ip", "must be an IPv4 or IPv6 address".into()));
        }
        form.push(("serverIP".to_owned(), ip));
    }
    if let Some(addons) = options.get("addons").filter(|v| !v.is_null()) {
        let list = addons.as_array().filter(|_| !product.addons.is_empty()).ok_or_else(|| {
            invalid("addons", format!("must be a list of {}", if product.addons.is_empty() { "nothing for this product".into() } else { product.addons.join(", ") }))
        })?;
        for addon in list {
            match addon.as_str() {
                Some(a) if product.addons.contains(&a) => form.push(("addons[]".to_owned(), a.to_owned())),
                _ => return Err(invalid("addons", format!("may hold only {}", product.addons.join(", ")))),
            }
        }
    }
    Ok(form)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn opts(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn plesk_needs_an_os_and_fills_its_defaults() {
        let plesk = find("plesk").unwrap();
        let e = order_form(plesk, "t", 12, &opts(json!({"product": "PLESK_12_WEB_HOST"}))).unwrap_err();
        assert!(e.message.contains("`service.options.os`"), "{}", e.message);
        let form = order_form(plesk, "t", 12, &opts(json!({"product": "PLESK_12_WEB_HOST", "os": "LINUX", "language_pack": "UNLIMITED"}))).unwrap();
        assert!(form.contains(&("WPBSites".into(), "0".into())));
        assert!(form.contains(&("languagePack".into(), "UNLIMITED".into())));
        assert!(order_form(plesk, "t", 12, &opts(json!({"product": "P", "os": "MACOS"}))).is_err());
        assert!(order_form(plesk, "t", 2, &opts(json!({"product": "P", "os": "LINUX"}))).is_err());
    }

    #[test]
    fn cpanel_needs_a_server_ip_and_known_addons() {
        let cpanel = find("cpanel").unwrap();
        assert!(order_form(cpanel, "t", 1, &opts(json!({"product": "CPANEL"}))).is_err());
        assert!(order_form(cpanel, "t", 1, &opts(json!({"product": "CPANEL", "server_ip": "300.1.1.1"}))).is_err());
        let form = order_form(cpanel, "t", 1, &opts(json!({"product": "CPANEL", "server_ip": "192.0.2.10", "addons": ["SOFTACULOUS", "KERNELCARE"]}))).unwrap();
        assert_eq!(form.iter().filter(|(k, _)| k == "addons[]").count(), 2);
        assert!(order_form(cpanel, "t", 1, &opts(json!({"product": "CPANEL", "server_ip": "192.0.2.10", "addons": ["ROOTKIT"]}))).is_err());
        assert!(order_form(find("virtuozzo").unwrap(), "t", 1, &opts(json!({"product": "VZ", "os": "LINUX", "addons": ["SOFTACULOUS"]}))).is_err());
    }
}
