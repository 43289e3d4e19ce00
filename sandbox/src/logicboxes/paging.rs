//! One page of a `search.json` answer, as every search call writes it: `no-of-records` (10 to
//! 500) and a 1-based `page-no` required, counts as strings, records under `"1"…"n"`, and
//! `{"recsonpage":"0","recsindb":"0"}` with HTTP 200 when nothing matches.

use serde_json::{Map, Value};

use super::params::bounded;
use super::reply::Reply;
use crate::wire::{SimRequest, SimResponse};

/// The requested page of `matching`, each record written by `record`.
pub fn answer<T>(req: &SimRequest, matching: &[T], record: impl Fn(&T) -> Value) -> Reply {
    let page_size = bounded(req, "no-of-records", 10, 500)?;
    let page_no = bounded(req, "page-no", 1, u64::MAX)?;
    let skip = usize::try_from((page_no - 1).saturating_mul(page_size)).unwrap_or(usize::MAX);
    let page: Vec<&T> = matching.iter().skip(skip).take(page_size as usize).collect();
    let mut body = Map::new();
    body.insert("recsonpage".into(), page.len().to_string().into());
    body.insert("recsindb".into(), matching.len().to_string().into());
    for (n, item) in page.into_iter().enumerate() {
        body.insert((n + 1).to_string(), record(item));
    }
    Ok(SimResponse::json(200, &Value::Object(body)))
}

/// The values of a parameter the search takes repeated (`status=Active&status=Suspended`).
pub fn listed<'r>(req: &'r SimRequest, name: &str) -> Vec<&'r str> {
    req.params.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
}
