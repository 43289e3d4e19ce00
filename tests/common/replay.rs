//! A small HTTP/1.1 server on loopback that answers each path with a fixed, recorded body, and
//! remembers what it was asked. It stands in for a real provider where the test is about how the
//! library reads that provider's exact bytes.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

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
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let script = Arc::new(Mutex::new(Script::default()));
        let shared = script.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let script = shared.clone();
                std::thread::spawn(move || serve(stream, &script));
            }
        });
        Replay { url, script }
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

fn serve(stream: TcpStream, script: &Mutex<Script>) {
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    if reader.read_line(&mut head).is_err() {
        return;
    }
    let mut parts = head.split_whitespace();
    let (method, target) = (parts.next().unwrap_or_default().to_owned(), parts.next().unwrap_or_default().to_owned());
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let mut params: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    params.extend(url::form_urlencoded::parse(&body).into_owned());
    let (status, answer) = {
        let mut script = script.lock().unwrap();
        script.seen.push(Seen { method, path: path.to_owned(), params });
        match script.answers.get_mut(path) {
            Some(queue) if queue.len() > 1 => queue.remove(0),
            Some(queue) if !queue.is_empty() => queue[0].clone(),
            _ => (404, "<html><body>Not Found</body></html>".to_owned()),
        }
    };
    let response = format!(
        "HTTP/1.1 {status} Recorded\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
        answer.len()
    );
    let _ = reader.get_mut().write_all(response.as_bytes());
}
