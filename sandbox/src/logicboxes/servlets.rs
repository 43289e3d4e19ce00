//! The branded control panel's entry points. They open only for live login tokens this sandbox
//! issued, on the simulated clock, and answer HTML: 200 when the panel opens, 403 saying why not.

use super::store::{Order, OrderStatus};
use crate::state::World;
use crate::wire::{SimRequest, SimResponse};

/// `service-name` values the servlet documents besides the order's own product key.
const SERVICE_NAMES: [&str; 7] = ["dns", "mailfwd", "premiumdns", "free_email", "webhosting", "mailhosting", "websitebuilder"];

/// A page, or why access is refused.
type Page = Result<SimResponse, &'static str>;

pub fn answer(world: &World, req: &SimRequest, servlet: &str) -> SimResponse {
    if !matches!(req.method.as_str(), "GET" | "POST") {
        return SimResponse::html(405, "<html><body>Method Not Allowed</body></html>");
    }
    let page = match servlet {
        "AutoLoginServlet" => auto_login(world, req),
        "ManageServiceServletForAPI" => manage_service(world, req),
        _ => return SimResponse::html(404, "<html><body>Not Found</body></html>"),
    };
    page.unwrap_or_else(refused)
}

fn refused(why: &str) -> SimResponse {
    SimResponse::html(403, format!("<html><body><h1>Access denied</h1><p>{why}</p></body></html>"))
}

/// The customer a live token was issued for.
fn token_customer<'w>(world: &'w World, token: Option<&str>) -> Result<&'w str, &'static str> {
    let token = token.ok_or("no token")?;
    match world.lb.login_tokens.get(token) {
        Some(t) if t.expires_at > world.now() => Ok(&t.customer_id),
        Some(_) => Err("token expired"),
        None => Err("unknown token"),
    }
}

/// The customer's whole panel.
fn auto_login(world: &World, req: &SimRequest) -> Page {
    if req.param("role") != Some("customer") {
        return Err("role must be customer");
    }
    let customer_id = token_customer(world, req.param("userLoginId"))?;
    let name = world.lb.customers.get(customer_id).map(|c| c.name.as_str()).unwrap_or_default();
    Ok(SimResponse::html(200, format!(
        "<html><body><h1>Control panel</h1><p data-customer-id=\"{customer_id}\">Welcome, {name}</p></body></html>"
    )))
}

/// One order's panel, for the customer who owns it.
fn manage_service(world: &World, req: &SimRequest) -> Page {
    let customer_id = token_customer(world, req.param("auth-token"))?;
    let order_id = req.param("orderid").ok_or("no orderid")?;
    let order = world.lb.order(None, order_id).map_err(|_| "unknown order")?;
    if order.customer_id != customer_id {
        return Err("the order belongs to another customer");
    }
    if order.status == OrderStatus::Deleted {
        return Err("the order is deleted");
    }
    let target = panel_target(req, order)?;
    let id = order.id;
    Ok(SimResponse::html(200, format!(
        "<html><body><h1>Manage order</h1><p data-order-id=\"{id}\" data-panel=\"{target}\">Order {id}</p></body></html>"
    )))
}

/// Exactly one of `service-name` (a documented service or the order's product key) or
/// `panel=whm`. Only these known values are echoed into the page.
fn panel_target<'r>(req: &'r SimRequest, order: &Order) -> Result<&'r str, &'static str> {
    match (req.param("service-name"), req.param("panel")) {
        (Some(name), None) if SERVICE_NAMES.contains(&name) || name == order.product => Ok(name),
        (Some(_), None) => Err("unknown service-name for this order"),
        (None, Some("whm")) => Ok("whm"),
        (None, Some(_)) => Err("panel must be whm"),
        (Some(_), Some(_)) => Err("send service-name or panel, not both"),
        (None, None) => Err("service-name or panel is required"),
    }
}
