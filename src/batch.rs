//! Many operations in one call: a nightly cron's suspensions, renewals and reads run side by side
//! instead of one provider round trip after another.
//!
//! Each item is exactly the single call it names (same checks, same journal, same envelope); a
//! bad item fails alone. Concurrency is bounded per provider endpoint, since LogicBoxes blocks
//! callers that open too many simultaneous connections, and results come back in input order.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

use serde::de::IgnoredAny;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::call_log::CallLog;
use crate::operation::Operation;
use crate::response::{envelope, Error, Subject, API_VERSION};
use crate::secret::Redactor;

/// In-flight calls per provider endpoint when the batch does not say.
pub const DEFAULT_CONCURRENCY: usize = 8;
/// The most a batch may ask for, per endpoint.
pub const MAX_CONCURRENCY: usize = 16;
/// Items in one batch.
pub const MAX_ITEMS: usize = 10_000;
/// The batch document's size; each item's request also keeps the single call's 1 MiB limit.
pub const MAX_BATCH_BYTES: usize = 16 * 1024 * 1024;
/// Threads one batch runs on, whatever the number of endpoints.
const MAX_THREADS: usize = 64;

/// One entry of `requests`, checked: what to run, or why it cannot run.
struct Item {
    /// Provider and endpoint: items for the same one share its concurrency bound.
    endpoint: String,
    job: Result<(Operation, String), String>,
}

/// Runs a batch document and answers the batch envelope; `progress(done, total)` is called on
/// the calling thread after each item finishes.
pub fn run(text: &str, progress: &mut dyn FnMut(usize, usize)) -> String {
    let (items, concurrency) = match parse(text) {
        Ok(parsed) => parsed,
        Err(error) => return batch_error(error),
    };
    let results = execute(&items, concurrency, progress);
    let mut out = format!(r#"{{"ok":true,"api_version":{API_VERSION},"operation":"batch","results":["#);
    for (n, result) in results.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push_str(result);
    }
    out.push_str("]}");
    out
}

fn execute(items: &[Item], concurrency: usize, progress: &mut dyn FnMut(usize, usize)) -> Vec<String> {
    let total = items.len();
    let mut results = vec![String::new(); total];
    if total == 0 {
        return results;
    }
    let permits = Permits::new(items.iter().map(|i| i.endpoint.as_str()), concurrency);
    let workers = total.min(concurrency * permits.endpoints()).min(MAX_THREADS);
    let next = AtomicUsize::new(0);
    let (done_tx, done_rx) = mpsc::channel::<(usize, String)>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let (next, permits) = (&next, &permits);
            scope.spawn(move || loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(index) else { return };
                let answer = {
                    let _permit = permits.acquire(&item.endpoint);
                    crate::ffi::guarded(|| run_item(item))
                };
                if done_tx.send((index, answer)).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);
        for (finished, (index, answer)) in done_rx.iter().enumerate() {
            results[index] = answer;
            progress(finished + 1, total);
        }
    });
    results
}

fn run_item(item: &Item) -> String {
    match &item.job {
        Ok((operation, request)) => crate::dispatch::run(*operation, request),
        Err(message) => envelope(&Subject::default(), Err(Error::invalid(message.clone())), CallLog::default(), &Redactor::default()),
    }
}

/// Reads the batch document: `{"requests": [{"operation", "request"}…], "options": {"concurrency"}}`.
/// Each item's request is kept as the text the batch gave it, so that it runs exactly as that
/// single call would: its size, spacing and repeated keys are the single call's to judge.
fn parse(text: &str) -> Result<(Vec<Item>, usize), Error> {
    if text.len() > MAX_BATCH_BYTES {
        return Err(Error::invalid(format!("The batch is larger than {MAX_BATCH_BYTES} bytes; split it.")));
    }
    let doc: BTreeMap<String, &RawValue> = serde_json::from_str(text).map_err(|_| match serde_json::from_str::<IgnoredAny>(text) {
        Ok(_) => Error::invalid("The batch must be a JSON object: {\"requests\": […]}."),
        Err(_) => Error::invalid("The batch is not a JSON object; send {\"requests\": […]}."),
    })?;
    if let Some(unknown) = doc.keys().find(|k| !["requests", "options"].contains(&k.as_str())) {
        return Err(Error::invalid(format!("The batch has an unknown field `{}`; use requests and options.", crate::request::printable(unknown))));
    }
    let requests: Vec<&RawValue> = doc
        .get("requests")
        .and_then(|raw| serde_json::from_str(raw.get()).ok())
        .ok_or_else(|| Error::invalid("The batch field `requests` must be a list of {\"operation\", \"request\"} objects."))?;
    if requests.len() > MAX_ITEMS {
        return Err(Error::invalid(format!("The batch has more than {MAX_ITEMS} requests; split it.")));
    }
    let options: Option<Value> = doc
        .get("options")
        .map(|raw| crate::nesting::parse(raw.get()))
        .transpose()
        .map_err(|_| Error::invalid("The batch field `options` must be a JSON object."))?;
    let concurrency = concurrency(options.as_ref())?;
    Ok((requests.iter().enumerate().map(|(n, raw)| item(n, raw)).collect(), concurrency))
}

fn concurrency(options: Option<&Value>) -> Result<usize, Error> {
    let Some(options) = options else { return Ok(DEFAULT_CONCURRENCY) };
    let options = options.as_object().ok_or_else(|| Error::invalid("The batch field `options` must be a JSON object."))?;
    if let Some(unknown) = options.keys().find(|k| k.as_str() != "concurrency") {
        return Err(Error::invalid(format!("The batch has an unknown option `{}`; the only one is concurrency.", crate::request::printable(unknown))));
    }
    match options.get("concurrency") {
        None => Ok(DEFAULT_CONCURRENCY),
        Some(value) => value
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| (1..=MAX_CONCURRENCY).contains(n))
            .ok_or_else(|| Error::invalid(format!("The batch option `concurrency` must be a whole number from 1 to {MAX_CONCURRENCY}."))),
    }
}

/// One entry, checked for shape only: the request itself is checked by the single call it runs.
fn item(index: usize, raw: &RawValue) -> Item {
    let shape = || Item { endpoint: String::new(), job: Err(format!("Batch item {index} must be {{\"operation\": \"…\", \"request\": {{…}}}}.")) };
    let Ok(entry) = serde_json::from_str::<BTreeMap<String, &RawValue>>(raw.get()) else {
        return shape();
    };
    if !entry.keys().all(|k| k == "operation" || k == "request") {
        return shape();
    }
    let name = entry.get("operation").and_then(|raw| serde_json::from_str::<String>(raw.get()).ok());
    let (Some(name), Some(request)) = (name, entry.get("request")) else {
        return shape();
    };
    let Some(operation) = Operation::from_name(&name) else {
        let known: Vec<_> = Operation::ALL.iter().map(|o| o.as_str()).collect();
        return Item {
            endpoint: String::new(),
            job: Err(format!("Batch item {index} names an unknown operation; use one of {}.", known.join(", "))),
        };
    };
    // Read within the nesting bound: a request too deep for it is refused by its single call.
    let endpoint = endpoint_of(&crate::nesting::parse(request.get()).unwrap_or(Value::Null));
    Item { endpoint, job: Ok((operation, request.get().to_owned())) }
}

/// Items for the same provider and endpoint share one concurrency bound.
fn endpoint_of(request: &Value) -> String {
    fn text(v: Option<&Value>) -> &str {
        v.and_then(Value::as_str).unwrap_or_default()
    }
    let account = |key: &str| request.get("account").and_then(|a| a.get(key));
    let test_mode = account("test_mode").and_then(Value::as_bool).unwrap_or(false);
    format!("{}|{}|{}", text(request.get("provider")), text(account("base_url")), test_mode)
}

/// The batch envelope for a batch refused before reading it (NULL, too large, not UTF-8).
pub fn refused(message: &str) -> String {
    batch_error(Error::invalid(message))
}

fn batch_error(error: Error) -> String {
    let subject = Subject { operation: Some("batch"), ..Subject::default() };
    envelope(&subject, Err(error), CallLog::default(), &Redactor::default())
}

/// A counting semaphore per endpoint.
struct Permits {
    limit: usize,
    in_flight: HashMap<String, (Mutex<usize>, Condvar)>,
}

struct Permit<'p> {
    slot: &'p (Mutex<usize>, Condvar),
}

impl Permits {
    fn new<'a>(endpoints: impl Iterator<Item = &'a str>, limit: usize) -> Permits {
        let in_flight = endpoints.map(|e| (e.to_owned(), (Mutex::new(0), Condvar::new()))).collect();
        Permits { limit, in_flight }
    }

    fn endpoints(&self) -> usize {
        self.in_flight.len()
    }

    fn acquire(&self, endpoint: &str) -> Permit<'_> {
        let slot = &self.in_flight[endpoint];
        let mut count = slot.0.lock().unwrap_or_else(|p| p.into_inner());
        while *count >= self.limit {
            count = slot.1.wait(count).unwrap_or_else(|p| p.into_inner());
        }
        *count += 1;
        Permit { slot }
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        *self.slot.0.lock().unwrap_or_else(|p| p.into_inner()) -= 1;
        self.slot.1.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(text: &str) -> Value {
        serde_json::from_str(&run(text, &mut |_, _| {})).unwrap()
    }

    #[test]
    fn a_malformed_batch_is_refused_whole() {
        for bad in [
            "not json",
            "[]",
            r#"{"requests": {}}"#,
            r#"{"requests": [], "extra": 1}"#,
            r#"{"requests": [], "options": {"concurrency": 0}}"#,
            r#"{"requests": [], "options": {"concurrency": 17}}"#,
            r#"{"requests": [], "options": {"parallel": 2}}"#,
        ] {
            let doc = answer(bad);
            assert_eq!((doc["ok"].as_bool(), doc["operation"].as_str()), (Some(false), Some("batch")), "{bad}");
            assert_eq!(doc["error"]["code"], "invalid_request", "{bad}");
        }
    }

    #[test]
    fn a_bad_item_fails_alone_and_order_is_kept() {
        let doc = answer(
            r#"{"requests": [{"operation": "catalog"}, {"operation": "nope", "request": {}}, {"operation": "details", "request": {"provider": "nobody"}}, 5]}"#,
        );
        assert_eq!(doc["ok"], true);
        let results = doc["results"].as_array().unwrap();
        assert_eq!(results.len(), 4);
        assert_eq!(results[0]["error"]["code"], "invalid_request");
        assert!(results[1]["error"]["message"].as_str().unwrap().contains("unknown operation"));
        assert_eq!(results[2]["error"]["code"], "unknown_provider");
        assert_eq!(results[3]["error"]["code"], "invalid_request");
    }

    #[test]
    fn permits_bound_each_endpoint() {
        let permits = Permits::new(["a", "b"].into_iter(), 2);
        let (a1, a2) = (permits.acquire("a"), permits.acquire("a"));
        assert_eq!(*permits.in_flight["a"].0.lock().unwrap(), 2);
        let b = permits.acquire("b");
        drop((a1, a2, b));
        assert_eq!(*permits.in_flight["a"].0.lock().unwrap(), 0);
    }
}
