//! Listing, reading, editing and terminating licences, and the orderable versions.

use serde_json::json;

use super::catalog::Product;
use super::order::title_and_comment;
use super::reply::bad_request;
use super::store::{Environment, LicenceStatus};
use crate::state::World;
use crate::wire::{Reply, SimRequest, SimResponse};

/// `GET /license/<p>`: this environment's key numbers for the product, oldest first,
/// terminated licences included.
pub fn list(world: &World, env: Environment, product: &Product) -> Reply {
    let store = world.licences.store(env);
    let keys: Vec<&str> = store.licences.iter().filter(|l| l.family == product.key).map(|l| l.key_number.as_str()).collect();
    Ok(SimResponse::json(200, &json!(keys)))
}

/// `GET /license/<p>/order`.
pub fn versions(product: &Product) -> Reply {
    Ok(SimResponse::json(200, &json!(product.versions)))
}

pub fn show(world: &mut World, env: Environment, product: &Product, key: &str) -> Reply {
    let licence = world.licences.store_mut(env).licence_mut(product, key)?;
    Ok(SimResponse::json(200, &licence.view()))
}

/// `PUT`: a new title and comment; answers the licence.
pub fn edit(world: &mut World, req: &SimRequest, env: Environment, product: &Product, key: &str) -> Reply {
    let licence = world.licences.store_mut(env).licence_mut(product, key)?;
    let (title, comment) = title_and_comment(req)?;
    licence.title = title;
    licence.comment = comment;
    Ok(SimResponse::json(200, &licence.view()))
}

/// `DELETE`: terminates, once.
pub fn terminate(world: &mut World, env: Environment, product: &Product, key: &str) -> Reply {
    let licence = world.licences.store_mut(env).licence_mut(product, key)?;
    if licence.status == LicenceStatus::Terminated {
        return Err(bad_request("License already terminated"));
    }
    licence.status = LicenceStatus::Terminated;
    Ok(SimResponse::json(200, &json!({"keyNumber": licence.key_number, "status": licence.status.provider_name()})))
}
