//! The family fields of `details.json`, each family in its own spelling (KB 1716–1718, 1258,
//! 2461, 2063, 2230, 2156): hosting shows its address, temporary URL and quotas, servers their
//! address, OS and add-ons, e-mail its number of accounts (a JSON number, the rest strings).

use serde_json::{json, Map, Value};

use super::catalog::{DetailsStyle, Product};
use super::store::Order;

/// A quota that grows with the plan: MB, as a string.
fn quota(order: &Order, per_rank_mb: u32) -> String {
    let rank = order.plan().map_or(1, |plan| plan.rank);
    (per_rank_mb * rank).to_string()
}

/// A documentation address (TEST-NET-2) of the order's own.
fn ip_address(order: &Order) -> String {
    format!("198.51.100.{}", order.id % 254 + 1)
}

/// The control panel's user name: the domain's first label, letters and digits, and the id.
fn admin_username(order: &Order) -> String {
    let label: String = order.domain.chars().take_while(|c| *c != '.').filter(char::is_ascii_alphanumeric).take(8).collect();
    format!("{label}{}", order.id % 1000)
}

pub fn add(view: &mut Map<String, Value>, order: &Order, product: &Product) {
    let mut put = |key: &str, value: Value| {
        view.insert(key.to_owned(), value);
    };
    let ip = ip_address(order);
    match product.family.details {
        DetailsStyle::Plain => {}
        DetailsStyle::Hosting | DetailsStyle::MultiDomainHosting => {
            let multi = product.family.details == DetailsStyle::MultiDomainHosting;
            let nameservers = [format!("ns1.{}", order.domain), format!("ns2.{}", order.domain)];
            put("ipaddress", json!(ip));
            put("tempurl", json!(format!("http://{ip}/~{}/", admin_username(order))));
            put("siteadminusername", json!(admin_username(order)));
            put(if multi { "space" } else { "webspace" }, json!(quota(order, 10_240)));
            put("bandwidth", json!(quota(order, 102_400)));
            put("mailspace", json!("-1"));
            if multi {
                put("ns_detail", json!(nameservers));
            } else {
                put("nameserver", json!(nameservers.join(",")));
            }
        }
        DetailsStyle::Server { ip_key, licence } => {
            put(ip_key, json!(ip));
            put("os_name", json!(order.extras.os.clone().unwrap_or_default()));
            put("addons", json!(order.extras.addons));
            if licence {
                put("license_key", json!(format!("MS-{:08X}", order.id)));
            }
        }
        DetailsStyle::Email => put("emailaccounts", json!(order.extras.seats.unwrap_or(0))),
    }
}
