//! `POST /access/token` and the check every other call makes. Tokens are 40 hex digits, live
//! for the configured lifetime on the simulated clock, and belong to the environment that
//! issued them.

use serde_json::json;

use super::reply::{invalid_client, invalid_token};
use super::store::Environment;
use crate::state::{random_hex, World, DEFAULT_WSS_LOGIN, DEFAULT_WSS_SECRET};
use crate::wire::{Reply, SimRequest, SimResponse};

pub fn issue(world: &mut World, req: &SimRequest, env: Environment) -> Reply {
    if req.param("login") != Some(DEFAULT_WSS_LOGIN) || req.param("secret") != Some(DEFAULT_WSS_SECRET) {
        return Err(invalid_client());
    }
    let now = world.now();
    let ttl = world.config.token_ttl_s;
    let expires_at = now.saturating_add(i64::try_from(ttl).unwrap_or(i64::MAX));
    let token = random_hex(40);
    let tokens = &mut world.licences.store_mut(env).tokens;
    tokens.retain(|_, expiry| *expiry > now);
    tokens.insert(token.clone(), expires_at);
    world.stats.tokens_issued += 1;
    Ok(SimResponse::json(200, &json!({"access_token": token, "expires_in": ttl, "token_type": "Bearer"})))
}

/// Refuses the call unless it carries `Authorization: Bearer <token>` with a token of this
/// environment that has not expired.
pub fn check(world: &World, req: &SimRequest, env: Environment) -> Result<(), SimResponse> {
    let now = world.now();
    let live = req.bearer("Authorization").and_then(|t| world.licences.store(env).tokens.get(t)).is_some_and(|expiry| *expiry > now);
    if live {
        Ok(())
    } else {
        Err(invalid_token())
    }
}
