//! The licence reseller API ("WebSoftSolus", doc 003): Plesk, cPanel and Virtuozzo licences
//! behind a bearer token from `POST /access/token`. The same API under `/test/` is the test
//! environment, with licences and tokens of its own and the same credentials.
//!
//! Each file does one job: `catalog` (products and what ordering them takes), `store` (the two
//! environments), `reply` (error shapes), `tokens`, `order` and `licences` (the calls), and
//! `views` (the admin side).

mod catalog;
mod licences;
mod order;
mod reply;
mod store;
mod tokens;
mod views;

pub use store::LicenceState;

use catalog::Product;
use store::Environment;
use crate::state::World;
use crate::wire::{Reply, SimRequest, SimResponse};

/// A path the API serves, with what it names.
enum Route<'p> {
    Token,
    /// `/license/<p>`: the product's key numbers.
    Licences(&'static Product),
    /// `/license/<p>/order`: orderable versions (GET), a new licence (POST).
    Order(&'static Product),
    /// `/license/<p>/<keyNumber>`.
    Licence(&'static Product, &'p str),
}

impl<'p> Route<'p> {
    /// The route below the environment's root, e.g. `license/plesk/order`.
    fn parse(path: &'p str) -> Result<Route<'p>, SimResponse> {
        if path == "access/token" {
            return Ok(Route::Token);
        }
        let mut segments = path.strip_prefix("license/").ok_or_else(reply::unknown_path)?.split('/');
        let key = segments.next().unwrap_or_default();
        let product = catalog::product(key).ok_or_else(|| reply::unknown_product(key))?;
        match (segments.next(), segments.next()) {
            (None, _) => Ok(Route::Licences(product)),
            (Some("order"), None) => Ok(Route::Order(product)),
            (Some(key_number), None) if !key_number.is_empty() => Ok(Route::Licence(product, key_number)),
            _ => Err(reply::unknown_path()),
        }
    }

    /// The methods the path answers.
    fn methods(&self) -> &'static [&'static str] {
        match self {
            Route::Token => &["POST"],
            Route::Licences(_) => &["GET"],
            Route::Order(_) => &["GET", "POST"],
            Route::Licence(..) => &["GET", "PUT", "DELETE"],
        }
    }

    /// The name statistics count it under: the path as the documentation writes it, and the
    /// method too where the path answers several.
    fn name(&self, env: Environment, method: &str) -> String {
        let path = match self {
            Route::Token => "access/token".to_owned(),
            Route::Licences(p) => format!("license/{}", p.key),
            Route::Order(p) => format!("license/{}/order", p.key),
            Route::Licence(p, _) => format!("license/{}/{{keyNumber}}", p.key),
        };
        let method = if self.methods().len() > 1 { format!("{method} ") } else { String::new() };
        format!("websoftsolus {method}{}{path}", env.path_prefix())
    }
}

/// Routes a request below `/websoftsolus`. Returns the route name (for statistics) and the answer.
pub fn handle(world: &mut World, req: &SimRequest, sub: &str) -> (String, SimResponse) {
    let (env, path) = match sub.strip_prefix("/test/") {
        Some(path) => (Environment::Test, path),
        None => (Environment::Live, sub.strip_prefix('/').unwrap_or(sub)),
    };
    match Route::parse(path) {
        Ok(route) => (route.name(env, &req.method), answer(world, req, env, &route).unwrap_or_else(|e| e)),
        Err(refusal) => ("websoftsolus unknown".into(), refusal),
    }
}

/// Checks the method, then (for all but the token call) the token, then runs the call.
fn answer(world: &mut World, req: &SimRequest, env: Environment, route: &Route) -> Reply {
    if !route.methods().contains(&req.method.as_str()) {
        return Err(reply::wrong_method(&req.method, route.methods()));
    }
    if !matches!(route, Route::Token) {
        tokens::check(world, req, env)?;
    }
    match (route, req.method.as_str()) {
        (Route::Token, _) => tokens::issue(world, req, env),
        (Route::Licences(product), _) => licences::list(world, env, product),
        (Route::Order(product), "GET") => licences::versions(product),
        (Route::Order(product), _) => order::place(world, req, env, product),
        (Route::Licence(product, key), "GET") => licences::show(world, env, product, key),
        (Route::Licence(product, key), "PUT") => licences::edit(world, req, env, product, key),
        (Route::Licence(product, key), _) => licences::terminate(world, env, product, key),
    }
}
