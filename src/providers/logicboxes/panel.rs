//! Links into the reseller's branded control panel: a customer login token (valid 120 s, per
//! the API documentation) carried by a servlet URL.

use url::Url;

use super::api::Api;
use crate::http;
use crate::response::{Error, ErrorCode, Outcome};

/// How long a customer login token lives.
pub const LOGIN_TOKEN_TTL_S: u64 = 120;

/// Fetches a login token for `customer_id`, bound to the customer's browser IP, and makes sure
/// it never shows anywhere but in the link.
pub fn login_token(api: &mut Api, customer_id: &str) -> Result<String, Error> {
    let ip = api.service().client_ip.clone().unwrap_or_default();
    let body = api.get("customers/generate-login-token.json", &[("customer-id", customer_id), ("ip", &ip)])?;
    let token = body
        .as_str()
        .map(str::trim)
        .filter(|t| !t.is_empty() && !t.chars().any(|c| c.is_whitespace() || c.is_control()))
        .ok_or_else(|| Error::new(ErrorCode::ProviderError, "LogicBoxes answered without a login token."))?
        .to_owned();
    api.call.session.redactor.add(&token);
    Ok(token)
}

/// `<panel_url>/servlet/<servlet>?<params>`, parameters encoded.
pub fn servlet_link(api: &Api, servlet: &str, params: &[(&str, &str)]) -> Result<Outcome, Error> {
    let panel = http::endpoint("panel_url", api.account().panel_url.as_deref().unwrap_or_default())?;
    let mut url: Url = http::join(&panel, &format!("servlet/{servlet}"));
    url.query_pairs_mut().extend_pairs(params.iter());
    Ok(Outcome { url: Some(url.into()), ..Outcome::default() }.data("expires_in_s", LOGIN_TOKEN_TTL_S))
}
