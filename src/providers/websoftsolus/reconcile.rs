//! Finding a licence by its title, the natural key of a licence order (the title defaults to
//! the request's `idempotency_key`).
//!
//! The API cannot search by title: it lists key numbers, and each licence's details carry its
//! title. Titles are remembered for the whole process, so a lookup fetches details only for
//! licences it has not seen, newest first, and at most `MAX_NEW_DETAILS` of them.
//!
//! What is remembered is bounded: a hash of each title (a hostile endpoint's half-megabyte
//! titles cost eight bytes each), for at most `MAX_TITLES` licences. A forgotten title only
//! costs one more details read.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Mutex;

use serde_json::Value;

use super::Api;
use crate::cache::BoundedCache;
use crate::http::{Method, Safety};
use crate::ids::is_licence_key;
use crate::per_process::PerProcess;
use crate::response::{Error, ErrorCode};

/// Beyond this many unseen licences in one lookup, the answer is "cannot tell".
const MAX_NEW_DETAILS: usize = 200;
/// Licences whose title hash is remembered, and what their keys may weigh together.
const MAX_TITLES: usize = 8192;
const MAX_TITLE_BYTES: usize = 2 * 1024 * 1024;

/// (endpoint, login, product, key number) → hash of the licence's title. A hash that differs
/// proves another title; an equal one is checked against the licence itself.
type TitleKey = (String, String, String, String);
static TITLES: PerProcess<Mutex<BoundedCache<TitleKey, u64>>> =
    PerProcess::new(|| Mutex::new(BoundedCache::new(MAX_TITLES, MAX_TITLE_BYTES)));

fn title_hash(title: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    title.hash(&mut hasher);
    hasher.finish()
}

/// What a lookup found.
pub enum Found {
    /// A live licence with this title: its key number.
    Live(String),
    /// Every licence was checked and none is a live one with this title.
    Absent,
    /// Too many licences to check within one call.
    Undetermined,
}

pub fn find_by_title(api: &mut Api, product: &str, title: &str) -> Result<Found, Error> {
    let (root, login) = (api.root.to_string(), api.call.request.account.login.clone().unwrap_or_default());
    let listed = api.send(Method::Get, &["license", product], None, Safety::Read)?;
    // A key that is not shaped like one is not ours, and must not become a path.
    let keys: Vec<String> = listed
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).filter(|k| is_licence_key(k)).map(str::to_owned).collect())
        .unwrap_or_default();

    let titles = TITLES.get();
    let cache_key = |key: &str| (root.clone(), login.clone(), product.to_owned(), key.to_owned());
    let known = |key: &str| titles.lock().unwrap_or_else(|p| p.into_inner()).get(&cache_key(key)).copied();
    let wanted = title_hash(title);
    let mut fetched = 0;
    for key in keys.iter().rev() {
        let details = match known(key) {
            Some(known_title) if known_title != wanted => continue,
            // Status changes, so a remembered match is read afresh.
            Some(_) => licence(api, product, key)?,
            None if fetched >= MAX_NEW_DETAILS => return Ok(Found::Undetermined),
            None => {
                fetched += 1;
                let details = licence(api, product, key)?;
                let t = details.as_ref().and_then(|d| d.get("title")).and_then(Value::as_str).unwrap_or_default();
                let bytes = root.len() + login.len() + product.len() + key.len() + 8;
                titles.lock().unwrap_or_else(|p| p.into_inner()).insert(cache_key(key), title_hash(t), bytes);
                details
            }
        };
        let Some(details) = details else { continue };
        if details.get("title").and_then(Value::as_str) == Some(title) && is_live(&details) {
            return Ok(Found::Live(key.clone()));
        }
    }
    Ok(Found::Absent)
}

/// Whether the licence `key` exists, still has this title, and is not terminated.
pub fn is_live_key(api: &mut Api, product: &str, key: &str, title: &str) -> Result<bool, Error> {
    Ok(licence(api, product, key)?.is_some_and(|details| details.get("title").and_then(Value::as_str) == Some(title) && is_live(&details)))
}

/// The answer when a lookup could not see every licence: ordering now could order a second.
pub fn undetermined() -> Error {
    Error::new(
        ErrorCode::OutcomeUnknown,
        format!("The licence account holds more licences than one call can check (at most {MAX_NEW_DETAILS} not seen before), so whether this licence was already ordered is not known yet. Call create again with the same request: each call checks further, and none orders a second licence."),
    )
    .retryable(true)
}

/// A licence's properties; `None` when it vanished between listing and reading.
fn licence(api: &mut Api, product: &str, key: &str) -> Result<Option<Value>, Error> {
    match api.send(Method::Get, &["license", product, key], None, Safety::Read) {
        Ok(details) => Ok(Some(details)),
        Err(e) if e.code == ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// A terminated licence with our title is not ours to return.
fn is_live(details: &Value) -> bool {
    let status = details.get("status").and_then(Value::as_str).map(str::to_ascii_lowercase);
    status.is_some_and(|s| !matches!(s.as_str(), "terminated" | "cancelled" | "canceled" | "deleted"))
}
