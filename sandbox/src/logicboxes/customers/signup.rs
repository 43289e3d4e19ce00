//! `customers/signup.json`: a new customer, answered with its id as a bare integer. Every
//! parameter the API lists as required must be there, the username must be an e-mail address,
//! and no two customers share a username.

use super::super::params::required;
use super::super::reply::{error, Reply};
use super::super::store::{Customer, Profile};
use crate::state::World;
use crate::wire::{SimRequest, SimResponse};

/// New customer ids count up from here, so that they look like live ones.
const FIRST_CUSTOMER_ID: u64 = 30_930_235;

pub fn signup(world: &mut World, req: &SimRequest) -> Reply {
    let username = required(req, "username")?;
    let password = required(req, "passwd")?;
    let name = required(req, "name")?;
    let profile = Profile {
        username: username.to_owned(),
        company: required(req, "company")?.to_owned(),
        address: required(req, "address-line-1")?.to_owned(),
        city: required(req, "city")?.to_owned(),
        state: required(req, "state")?.to_owned(),
        country: required(req, "country")?.to_owned(),
        zipcode: required(req, "zipcode")?.to_owned(),
        phone_cc: required(req, "phone-cc")?.to_owned(),
        phone: required(req, "phone")?.to_owned(),
        language: required(req, "lang-pref")?.to_owned(),
    };
    check(&profile, password)?;
    if world.lb.customers.values().any(|c| c.profile.username.eq_ignore_ascii_case(username)) {
        // The live text is not documented; clients must not depend on it.
        return Err(error(format!("{username} is already registered as a customer")));
    }
    let id = next_id(world).to_string();
    let customer = Customer { id: id.clone(), name: name.to_owned(), suspended: false, profile, created_at: world.now() };
    world.lb.customers.insert(id.clone(), customer);
    Ok(SimResponse::raw_json(200, format!("{id}\n")))
}

/// The formats the API insists on.
fn check(profile: &Profile, password: &str) -> Result<(), SimResponse> {
    let digits = |v: &str, range: std::ops::RangeInclusive<usize>| range.contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit());
    if !email_address::EmailAddress::is_valid(&profile.username) {
        return Err(error("username must be a valid email address"));
    }
    if !(8..=16).contains(&password.len()) {
        return Err(error("passwd must be 8 to 16 characters long"));
    }
    if profile.country.len() != 2 || !profile.country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(error("country must be an ISO 3166-1 alpha-2 code"));
    }
    if !digits(&profile.phone_cc, 1..=3) || !digits(&profile.phone, 4..=14) {
        return Err(error("phone-cc and phone must be digits"));
    }
    if profile.language.len() != 2 {
        return Err(error("lang-pref must be an ISO 639-1 code"));
    }
    Ok(())
}

/// One more than the highest id in use, and never below the live-looking first one.
fn next_id(world: &World) -> u64 {
    let highest = world.lb.customers.keys().filter_map(|id| id.parse::<u64>().ok()).max().unwrap_or(0);
    highest.max(FIRST_CUSTOMER_ID - 1) + 1
}
