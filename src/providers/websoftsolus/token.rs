//! Access tokens for the licence API, cached per account for the whole process.
//!
//! One slot per account. While a token is fetched the slot is marked, not locked: concurrent
//! calls wait for that one fetch instead of each fetching their own (single flight), each only
//! as long as its own deadline allows, and no lock is held across the network call. A token is
//! replaced shortly before it expires, and once when the API answers 401 to it. A forked child
//! starts with no slots (see [`crate::per_process`]).

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::Api;
use crate::cache::BoundedCache;
use crate::http::{Exchange, Method, Safety};
use crate::per_process::PerProcess;
use crate::response::{Error, ErrorCode};

/// Accounts whose tokens are kept; the least recently used is forgotten beyond this.
const MAX_ACCOUNTS: usize = 64;
/// What the kept slots may weigh together: their keys and tokens.
const MAX_BYTES: usize = 1024 * 1024;
/// Longer tokens are refused: no bearer token is legitimately this large.
const MAX_TOKEN_LEN: usize = 8 * 1024;

/// Accounts are keyed by endpoint, login and a keyed hash of the secret: the map never holds
/// the secret itself, and a changed secret gets a fresh token.
#[derive(Hash, PartialEq, Eq, Clone)]
struct AccountKey {
    root: String,
    login: String,
    secret_hash: u64,
}

#[derive(Clone)]
struct Token {
    value: String,
    refresh_after: Instant,
}

#[derive(Default)]
struct SlotState {
    token: Option<Token>,
    /// A call is fetching a token for this account right now.
    fetching: bool,
}

#[derive(Default)]
struct Slot {
    state: Mutex<SlotState>,
    /// Signalled when a fetch ends, well or badly.
    fetched: Condvar,
}

impl Slot {
    fn lock(&self) -> MutexGuard<'_, SlotState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

struct Tokens {
    slots: Mutex<BoundedCache<AccountKey, Arc<Slot>>>,
    secret_hasher: RandomState,
}

static TOKENS: PerProcess<Tokens> = PerProcess::new(|| Tokens {
    slots: Mutex::new(BoundedCache::new(MAX_ACCOUNTS, MAX_BYTES)),
    secret_hasher: RandomState::new(),
});

fn slot(api: &Api) -> Arc<Slot> {
    let tokens = TOKENS.get();
    let account = &api.call.request.account;
    let secret = account.secret.as_ref().map(|s| s.expose()).unwrap_or_default();
    let key = AccountKey {
        root: api.root.to_string(),
        login: account.login.clone().unwrap_or_default(),
        secret_hash: tokens.secret_hasher.hash_one(secret),
    };
    let mut slots = tokens.slots.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(slot) = slots.get(&key) {
        return slot.clone();
    }
    let slot = Arc::new(Slot::default());
    let bytes = key.root.len() + key.login.len() + MAX_TOKEN_LEN;
    let evicted = slots.insert(key, slot.clone(), bytes);
    drop(slots);
    drop(evicted);
    slot
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

/// Marks the slot while its token is fetched; unmarks it and wakes the waiters however the
/// fetch ends, a panic included.
struct InFlight<'a>(&'a Slot);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.lock().fetching = false;
        self.0.fetched.notify_all();
    }
}

/// The cached token when `usable` accepts it, else a new one: fetched by this call, or by
/// another call already fetching it, if that ends within this call's deadline.
fn obtain(api: &mut Api, usable: impl Fn(&Token) -> bool) -> Result<String, Error> {
    let slot = slot(api);
    let mut state = slot.lock();
    loop {
        if let Some(token) = state.token.as_ref().filter(|t| usable(t)) {
            api.call.session.redactor.add(&token.value);
            return Ok(token.value.clone());
        }
        if !state.fetching {
            break;
        }
        let remaining = api.call.session.remaining();
        if remaining.is_zero() {
            return Err(api.call.session.deadline_passed().into_error(Safety::Read));
        }
        state = slot.fetched.wait_timeout(state, remaining).unwrap_or_else(|p| p.into_inner()).0;
    }
    state.fetching = true;
    drop(state);
    let in_flight = InFlight(&slot);
    let token = fetch(api)?;
    slot.lock().token = Some(token.clone());
    drop(in_flight);
    Ok(token.value)
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
    // The token travels in a header: it must be short and printable.
    if value.len() > MAX_TOKEN_LEN || value.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(Error::new(ErrorCode::ProviderError, "The licence API answered the token request with a token that cannot be used."));
    }
    let lifetime = Duration::from_secs(body.get("expires_in").and_then(Value::as_u64).unwrap_or(3600));
    // Replace it a little before it runs out, so no call starts with a token about to expire.
    let margin = (lifetime / 10).min(Duration::from_secs(60));
    Ok(Token { value, refresh_after: Instant::now() + lifetime - margin })
}
