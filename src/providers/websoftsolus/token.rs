//! Access tokens for the licence API, cached per account for the whole process.
//!
//! One slot per account, locked while a token is fetched: concurrent calls wait for that one
//! fetch instead of each fetching their own (single flight). A token is replaced shortly before
//! it expires, and once when the API answers 401 to it.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use once_cell::sync::Lazy;
use serde_json::Value;

use super::Api;
use crate::http::{Exchange, Method, Safety};
use crate::response::{Error, ErrorCode};

/// Accounts are keyed by endpoint, login and a keyed hash of the secret: the map never holds
/// the secret itself, and a changed secret gets a fresh token.
#[derive(Hash, PartialEq, Eq, Clone)]
struct AccountKey {
    root: String,
    login: String,
    secret_hash: u64,
}

struct Token {
    value: String,
    refresh_after: Instant,
}

type Slot = Arc<Mutex<Option<Token>>>;

static SLOTS: Lazy<Mutex<HashMap<AccountKey, Slot>>> = Lazy::new(Default::default);
static SECRET_HASHER: Lazy<RandomState> = Lazy::new(RandomState::new);

fn slot(api: &Api) -> Slot {
    let account = &api.call.request.account;
    let secret = account.secret.as_ref().map(|s| s.expose()).unwrap_or_default();
    let key = AccountKey {
        root: api.root.to_string(),
        login: account.login.clone().unwrap_or_default(),
        secret_hash: SECRET_HASHER.hash_one(secret),
    };
    let mut slots = SLOTS.lock().unwrap_or_else(|p| p.into_inner());
    slots.entry(key).or_default().clone()
}

/// A valid token for the call's account. `rejected` is a token the API just refused: it is
/// replaced unless another call has replaced it already.
pub fn get(api: &mut Api, rejected: Option<&str>) -> Result<String, Error> {
    obtain(api, |token| Instant::now() < token.refresh_after && rejected != Some(token.value.as_str()))
}

/// A token fetched now, whatever is cached: proof that the credentials work today.
pub fn fetch_fresh(api: &mut Api) -> Result<String, Error> {
    obtain(api, |_| false)
}

/// The cached token when `usable` accepts it, else a new one, fetched under the slot's lock.
fn obtain(api: &mut Api, usable: impl Fn(&Token) -> bool) -> Result<String, Error> {
    let slot = slot(api);
    let mut cached = slot.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(token) = cached.as_ref().filter(|t| usable(t)) {
        api.call.session.redactor.add(&token.value);
        return Ok(token.value.clone());
    }
    let token = fetch(api)?;
    let value = token.value.clone();
    *cached = Some(token);
    Ok(value)
}

/// `POST /access/token` with the login and secret.
fn fetch(api: &mut Api) -> Result<Token, Error> {
    let account = &api.call.request.account;
    let form = vec![
        ("login".to_owned(), account.login.clone().unwrap_or_default()),
        ("secret".to_owned(), account.secret.as_ref().map(|s| s.expose().to_owned()).unwrap_or_default()),
    ];
    let exchange = Exchange { form: Some(form), ..Exchange::new(Method::Post, api.url(&["access", "token"]), Safety::Read) };
    let reply = api.call.session.send(&exchange).map_err(|e| e.into_error(Safety::Read))?;
    if matches!(reply.status, 400 | 401 | 403) {
        return Err(Error::new(ErrorCode::AuthenticationFailed, "The licence API refused the login and secret; check account.login and account.secret.")
            .from_provider(super::message_of(&reply.body), Some(reply.status)));
    }
    if !(200..300).contains(&reply.status) {
        return Err(Error::new(
            ErrorCode::ProviderError,
            format!("The licence API's token endpoint answered HTTP {}; check account.base_url.", reply.status),
        )
        .from_provider(super::message_of(&reply.body), Some(reply.status)));
    }
    let body = super::parse_reply_for(&reply, Safety::Read)?;
    let value = body.get("access_token").and_then(Value::as_str).filter(|t| !t.is_empty()).map(str::to_owned);
    let Some(value) = value else {
        return Err(Error::new(ErrorCode::ProviderError, "The licence API answered the token request without a token."));
    };
    api.call.session.redactor.add(&value);
    let lifetime = Duration::from_secs(body.get("expires_in").and_then(Value::as_u64).unwrap_or(3600));
    // Replace it a little before it runs out, so no call starts with a token about to expire.
    let margin = (lifetime / 10).min(Duration::from_secs(60));
    Ok(Token { value, refresh_after: Instant::now() + lifetime - margin })
}
