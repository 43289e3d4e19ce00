//! An order's own control panel: `ManageServiceServletForAPI` with a customer login token, the
//! order id, and `service-name` (a documented service or the order's product key) or
//! `panel=whm` (doc 000).

use serde_json::Value;

use super::api::{self, Api};
use super::options::Target;
use super::orders::read_order;
use super::panel;
use super::products::{self, Panel};
use crate::http::Safety;
use crate::response::{Error, ErrorCode, Outcome, Status};

/// Values of `service_name` the control-panel servlet documents, besides product keys.
const SERVICE_NAMES: [&str; 7] = ["dns", "mailfwd", "premiumdns", "free_email", "webhosting", "mailhosting", "websitebuilder"];
/// Product keys this build has no row for still name their family with one of these words.
const PRODUCT_KEY_FAMILIES: [&str; 5] = ["hosting", "server", "email", "sitelock", "codeguard"];

/// The panel of an order of a product with its own row: the edition's product key as
/// `service-name`, or WHM. The customer comes from the request, or from the order.
pub fn product_login_url(api: &mut Api, target: &Target) -> Result<Outcome, Error> {
    let order_id = api.id(|s| &s.order_id);
    let customer_id = match &api.service().customer_id {
        Some(id) => id.0.clone(),
        None => {
            let order = read_order(api, target, &order_id)?;
            if order.status == Some(Status::Terminated) {
                return Err(Error::new(ErrorCode::ProviderError, "The order is terminated: it has no control panel to open."));
            }
            order
                .data
                .get("customer_id")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| api::unexpected(Safety::Read, "order details without a customer id"))?
        }
    };
    let panel_target = match target.product.panel {
        Panel::ProductKey => ("service-name", target.variant.product_key),
        Panel::Whm => ("panel", "whm"),
    };
    manage_service_link(api, &order_id, &customer_id, panel_target)
}

/// Any other order's panel: `service_name` from the documented list or a product key, or
/// `panel: "whm"`.
pub fn order_login_url(api: &mut Api) -> Result<Outcome, Error> {
    let target = match (api.service().service_name.clone(), api.service().panel.clone()) {
        (Some(name), None) if is_service_name(&name) => ("service-name", name),
        (None, Some(panel)) if panel == "whm" => ("panel", panel),
        (Some(_), Some(_)) => return Err(Error::invalid("Send either `service.service_name` or `service.panel`, not both.")),
        (None, Some(_)) => return Err(Error::invalid("The request field `service.panel` must be \"whm\".")),
        (None, None) => {
            return Err(Error::invalid("client_area_url for an order needs `service.service_name` or `service.panel`."))
        }
        (Some(_), None) => {
            return Err(Error::invalid(format!(
                "The request field `service.service_name` must be one of {} or a hosting, server or email product key.",
                SERVICE_NAMES.join(", ")
            )))
        }
    };
    let order_id = api.id(|s| &s.order_id);
    let customer_id = api.id(|s| &s.customer_id);
    manage_service_link(api, &order_id, &customer_id, (target.0, &target.1))
}

fn is_service_name(name: &str) -> bool {
    SERVICE_NAMES.contains(&name)
        || products::find_by_product_key(name).is_some()
        || (name.len() <= 64
            && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && PRODUCT_KEY_FAMILIES.iter().any(|family| name.contains(family)))
}

fn manage_service_link(api: &mut Api, order_id: &str, customer_id: &str, target: (&str, &str)) -> Result<Outcome, Error> {
    let token = panel::login_token(api, customer_id)?;
    let mut outcome = panel::servlet_link(api, "ManageServiceServletForAPI", &[("auth-token", &token), ("orderid", order_id), target])?;
    outcome.order_id = Some(order_id.to_owned());
    Ok(outcome.data("customer_id", customer_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_names_are_the_documented_ones_or_product_keys() {
        for ok in ["dns", "free_email", "websitebuilder", "singledomainhostinglinuxus", "dedicatedserverlinuxus", "sitelock", "enterpriseemailus", "eeliteus", "gappsgbl"] {
            assert!(is_service_name(ok), "{ok}");
        }
        for bad in ["", "DNS", "whm", "dns&panel=whm", "webhosting\n", "randomkey", "hosting/../x"] {
            assert!(!is_service_name(bad), "{bad}");
        }
    }
}
