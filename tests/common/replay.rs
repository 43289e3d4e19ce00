//! A small HTTP/1.1 server on loopback that answers each path with a fixed, recorded body, and
//! remembers what it was asked. It stands in for a real provider where the test is about how the
//! library reads that provider's exact bytes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::loopback;

/// A request as the server received it: method, path, and the query and form parameters.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub params: Vec<(String, String)>,
}

#[derive(Default)]
struct Script {
    /// Answers per path: served in turn, the last one repeated.
    answers: HashMap<String, Vec<(u16, String)>>,
    seen: Vec<Seen>,
}

pub struct Replay {
    pub url: String,
    script: Arc<Mutex<Script>>,
}

impl Replay {
    pub fn start() -> Replay {
        let script = Arc::new(Mutex::new(Script::default()));
        let shared = script.clone();
        let server = loopback::serve(move |request| answer(request, &shared));
        Replay { url: server.url, script }
    }

    /// Answers `path` (e.g. `/api/sitelock/add.json`) with `status` and `body`, after any answers
    /// already queued for it.
    pub fn answer(&self, path: &str, status: u16, body: impl Into<String>) -> &Replay {
        self.script.lock().unwrap().answers.entry(path.to_owned()).or_default().push((status, body.into()));
        self
    }

    /// Forgets every answer and every request seen.
    pub fn clear(&self) {
        *self.script.lock().unwrap() = Script::default();
    }

    /// The requests received on a path ending in `suffix`.
    pub fn seen(&self, suffix: &str) -> Vec<Seen> {
        self.script.lock().unwrap().seen.iter().filter(|s| s.path.ends_with(suffix)).cloned().collect()
    }
}

impl Seen {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// The next recorded answer for the request's path (404 for a path with none), remembering
/// the request with its query and form parameters.
fn answer(request: &loopback::Seen, script: &Mutex<Script>) -> loopback::Answer {
    let (path, query) = request.target.split_once('?').unwrap_or((&request.target, ""));
    let mut params: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    params.extend(url::form_urlencoded::parse(request.body.as_bytes()).into_owned());
    let mut script = script.lock().unwrap();
    script.seen.push(Seen { method: request.method.clone(), path: path.to_owned(), params });
    let (status, body) = match script.answers.get_mut(path) {
        Some(queue) if queue.len() > 1 => queue.remove(0),
        Some(queue) if !queue.is_empty() => queue[0].clone(),
        _ => (404, "<html><body>Not Found</body></html>".to_owned()),
    };
    loopback::Answer::json(status, body)
}
