//! `POST /license/<p>/order`: a new licence, every documented parameter checked. Duplicate
//! titles are allowed, as at the live API: ordering a licence only once is the client's job.

use serde_json::json;

use super::catalog::{Product, PERIODS};
use super::reply::bad_request;
use super::store::{Environment, Licence, LicenceStatus};
use crate::calendar;
use crate::form::{array, not_one_of, one_of, present, required};
use crate::state::World;
use crate::wire::{Reply, SimRequest, SimResponse};

/// What the form asks for, checked.
struct Order {
    version: &'static str,
    title: String,
    comment: String,
    period_months: u32,
    os: Option<&'static str>,
    server_ip: Option<String>,
    addons: Vec<&'static str>,
}

pub fn place(world: &mut World, req: &SimRequest, env: Environment, product: &Product) -> Reply {
    let order = read(req, product)?;
    let expiration = calendar::add_months(calendar::utc_day(world.now()), order.period_months);
    let key_number = world.licences.new_key_number(product);
    let licence = Licence {
        key_number,
        family: product.key,
        version: order.version,
        title: order.title,
        comment: order.comment,
        status: LicenceStatus::Active,
        server_ip: order.server_ip,
        os: order.os,
        addons: order.addons,
        period_months: order.period_months,
        expiration_date: calendar::iso(expiration),
    };
    let answer = json!({
        "keyNumber": licence.key_number,
        "product": licence.version,
        "title": licence.title,
        "status": licence.status.provider_name(),
    });
    world.licences.store_mut(env).licences.push(licence);
    Ok(SimResponse::json(200, &answer))
}

fn read(req: &SimRequest, product: &Product) -> Result<Order, SimResponse> {
    let version = one_of(req, "product", product.versions).map_err(bad_request)?;
    let (title, comment) = title_and_comment(req)?;
    let period = one_of(req, "period", &PERIODS).map_err(bad_request)?;
    let mut os = None;
    for choice in product.choices {
        let value = one_of(req, choice.name, choice.allowed).map_err(bad_request)?;
        if choice.name == "os" {
            os = Some(value);
        }
    }
    let server_ip = product.needs_server_ip.then(|| server_ip(req)).transpose()?;
    let addons = if product.addons.is_empty() { Vec::new() } else { addons(req, product)? };
    Ok(Order {
        version,
        title,
        comment,
        period_months: period.parse().expect("periods are numbers"),
        os,
        server_ip,
        addons,
    })
}

/// `title` (required, not blank) and `comment` (required, may be empty), as an order and an
/// edit both take them.
pub fn title_and_comment(req: &SimRequest) -> Result<(String, String), SimResponse> {
    let title = required(req, "title").map_err(bad_request)?;
    if title.trim().is_empty() {
        return Err(bad_request("title must not be blank"));
    }
    let comment = present(req, "comment").map_err(bad_request)?;
    Ok((title.to_owned(), comment.to_owned()))
}

fn server_ip(req: &SimRequest) -> Result<String, SimResponse> {
    let raw = required(req, "serverIP").map_err(bad_request)?;
    match raw.parse::<std::net::IpAddr>() {
        Ok(ip) => Ok(ip.to_string()),
        Err(_) => Err(bad_request(format!("serverIP must be a valid IPv4 or IPv6 address, not {raw}"))),
    }
}

/// `addons[]` (or `addons[0]`, `addons[1]`…), each a known add-on, each kept once.
fn addons(req: &SimRequest, product: &Product) -> Result<Vec<&'static str>, SimResponse> {
    let mut chosen: Vec<&'static str> = Vec::new();
    for raw in array(req, "addons").map_err(bad_request)? {
        let addon = product.addons.iter().copied().find(|a| *a == raw).ok_or_else(|| bad_request(not_one_of("addons", product.addons, raw)))?;
        if !chosen.contains(&addon) {
            chosen.push(addon);
        }
    }
    Ok(chosen)
}
