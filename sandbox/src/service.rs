//! One request, from hyper to a simulator and back. Injected faults are carried out here, in one
//! place for every provider: the fault drawn for a request decides whether it reaches its
//! simulator at all, and whether the answer is then sent, replaced, held back, or dropped with
//! the connection. `/_sandbox/…` is never faulted nor delayed.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::http::request::Parts;
use hyper::{Request, Response};
use serde_json::Value;

use crate::conn::ResetSwitch;
use crate::faults::FaultKind;
use crate::state::{lock, SharedWorld, World};
use crate::wire::{SimRequest, SimResponse};
use crate::{admin, logicboxes, racknap, websoftsolus};

/// Request bodies beyond this are refused.
const MAX_BODY: usize = 2 * 1024 * 1024;

/// How long `timeout_after_commit` holds a connection without answering. hyper notices a client
/// that hangs up meanwhile, and the wait ends with the connection.
const HOLD: Duration = Duration::from_secs(120);

const NOT_FOUND_PAGE: &str = "<html><body>Not Found</body></html>";
/// The fault pages are a web server's or a proxy's, never the provider's own error shape
/// (LogicBoxes answers its errors as JSON with HTTP 500): a client must not take them for a
/// provider's refusal.
const INTERNAL_ERROR_PAGE: &str = "<html><body><h1>500 Internal Server Error</h1></body></html>";
const UNAVAILABLE_PAGE: &str = "<html><body><h1>503 Service Unavailable</h1></body></html>";
const BAD_GATEWAY_PAGE: &str = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
/// What a garbled answer becomes when half of the real one would still be valid JSON.
const CUT_OFF_BODY: &str = r#"{"status":"Succ"#;

/// A simulator mounted below a path prefix; it returns the route name and the answer.
type Simulator = fn(&mut World, &SimRequest, &str) -> (String, SimResponse);

const MOUNTS: [(&str, Simulator); 3] =
    [("/logicboxes", logicboxes::handle), ("/racknap", racknap::handle), ("/websoftsolus", websoftsolus::handle)];

/// The service's failure: no answer, and the connection is reset. hyper closes a connection
/// whose service fails without writing anything.
#[derive(Debug)]
pub struct HungUp;

impl fmt::Display for HungUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the connection was dropped without an answer, as an injected fault asked")
    }
}

impl std::error::Error for HungUp {}

pub async fn respond(world: SharedWorld, reset: ResetSwitch, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, HungUp> {
    if simulator(req.uri().path()).is_some() {
        return provider(world, reset, req).await;
    }
    let (parts, body) = req.into_parts();
    let answer = match read_body(body).await {
        Ok(body) => sandbox_answer(&mut lock(&world), &sim_request(&parts, body)),
        Err(answer) => answer,
    };
    Ok(http_response(answer))
}

/// A request to a simulator, with the fault it draws.
async fn provider(world: SharedWorld, reset: ResetSwitch, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, HungUp> {
    let _in_flight = InFlight::enter(&world);
    let (fault, latency) = {
        let mut world = lock(&world);
        let latency = world.config.latency_ms + world.faults.latency_ms();
        (world.faults.draw(req.method().as_str()), Duration::from_millis(latency))
    };
    let (parts, body) = req.into_parts();
    if fault == Some(FaultKind::Refuse) {
        // The head is all that was read: the log shows the query string's parameters only.
        lock(&world).record(None, &sim_request(&parts, Vec::new()), fault);
        return Err(hang_up(&reset));
    }
    let sim = match read_body(body).await {
        Ok(body) => sim_request(&parts, body),
        Err(answer) => return Ok(http_response(answer)),
    };
    // On a task of its own, so that a client hanging up during the latency does not stop the
    // request halfway: once received, it is carried out (or not) as the fault says.
    let carried_out = tokio::spawn(async move {
        // A zero sleep still costs a timer round trip (about a millisecond): skip it.
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        carry_out(&mut lock(&world), &sim, fault)
    });
    let answer = carried_out.await.map_err(|_| hang_up(&reset))?;
    let Some(kind) = fault else {
        return answer.map(http_response).ok_or_else(|| hang_up(&reset));
    };
    match kind {
        FaultKind::Refuse | FaultKind::ResetBeforeCommit | FaultKind::ResetAfterCommit => Err(hang_up(&reset)),
        FaultKind::TimeoutAfterCommit => {
            tokio::time::sleep(HOLD).await;
            Err(hang_up(&reset))
        }
        FaultKind::Http500 => Ok(http_response(SimResponse::html(500, INTERNAL_ERROR_PAGE))),
        FaultKind::Http503 => Ok(http_response(SimResponse::html(503, UNAVAILABLE_PAGE))),
        FaultKind::Html502 => Ok(http_response(SimResponse::html(502, BAD_GATEWAY_PAGE))),
        FaultKind::Malformed200 => Ok(http_response(garbled(answer.map(|a| a.body).unwrap_or_default()))),
        FaultKind::Json502 => Ok(http_response(SimResponse::raw_json(502, r#"{"error":"Bad Gateway"}"#))),
        FaultKind::Json504 => Ok(http_response(SimResponse::raw_json(504, r#"{"message":"Endpoint request timed out"}"#))),
    }
}

/// Counts a provider request while it is being answered, however its answer ends.
struct InFlight(SharedWorld);

impl InFlight {
    fn enter(world: &SharedWorld) -> InFlight {
        let mut w = lock(world);
        w.stats.in_flight += 1;
        w.stats.max_in_flight = w.stats.max_in_flight.max(w.stats.in_flight);
        InFlight(world.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut w = lock(&self.0);
        // A reset while the request ran started the count afresh.
        w.stats.in_flight = w.stats.in_flight.saturating_sub(1);
    }
}

/// Routes the request to its simulator unless the fault keeps it from being carried out, and
/// logs it either way. `None` when it was not carried out.
fn carry_out(world: &mut World, sim: &SimRequest, fault: Option<FaultKind>) -> Option<SimResponse> {
    let routed = simulator(&sim.path).filter(|_| fault.is_none_or(FaultKind::commits));
    let Some((simulate, sub)) = routed else {
        world.record(None, sim, fault);
        return None;
    };
    let (route, answer) = simulate(world, sim, sub);
    world.record(Some(&route), sim, fault);
    Some(answer)
}

/// `/_sandbox/…`, or nothing at all.
fn sandbox_answer(world: &mut World, sim: &SimRequest) -> SimResponse {
    if let Some(sub) = sim.path.strip_prefix("/_sandbox/") {
        return admin::handle(world, sim, sub);
    }
    world.record(Some("unknown"), sim, None);
    SimResponse::html(404, NOT_FOUND_PAGE)
}

fn simulator(path: &str) -> Option<(Simulator, &str)> {
    MOUNTS.iter().find_map(|(prefix, simulate)| path.strip_prefix(prefix).map(|sub| (*simulate, sub)))
}

fn hang_up(reset: &ResetSwitch) -> HungUp {
    reset.arm();
    HungUp
}

/// An answer cut in half. A client must see broken JSON, never a shorter valid document (half
/// of a bare order id such as `123456` is `123`), so a half that still parses is replaced by a
/// status object cut off in the middle.
fn garbled(body: String) -> SimResponse {
    let mut cut = body.len() / 2;
    while !body.is_char_boundary(cut) {
        cut -= 1;
    }
    let half = &body[..cut];
    let still_valid = half.trim().is_empty() || serde_json::from_str::<Value>(half).is_ok();
    SimResponse::raw_json(200, if still_valid { CUT_OFF_BODY } else { half })
}

async fn read_body(body: Incoming) -> Result<Vec<u8>, SimResponse> {
    let collected = Limited::new(body, MAX_BODY)
        .collect()
        .await
        .map_err(|_| SimResponse::html(413, "<html><body>Request Entity Too Large</body></html>"))?;
    Ok(collected.to_bytes().to_vec())
}

/// The request as the simulators see it: parameters from the query string and, for a form, the
/// body, in order.
fn sim_request(parts: &Parts, body: Vec<u8>) -> SimRequest {
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let mut params: Vec<(String, String)> =
        url::form_urlencoded::parse(parts.uri.query().unwrap_or_default().as_bytes()).into_owned().collect();
    let is_form = headers
        .iter()
        .any(|(k, v)| k == "content-type" && v.starts_with("application/x-www-form-urlencoded"));
    if is_form {
        params.extend(url::form_urlencoded::parse(&body).into_owned());
    }
    SimRequest { method: parts.method.as_str().to_owned(), path: parts.uri.path().to_owned(), params, headers, body }
}

fn http_response(answer: SimResponse) -> Response<Full<Bytes>> {
    Response::builder()
        .status(answer.status)
        .header("content-type", answer.content_type)
        .body(Full::new(Bytes::from(answer.body)))
        .expect("status and header are valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbled_answers_never_parse() {
        for body in [r#"{"status":"Success","entityid":"71234","description":"shop.example"}"#, "123456", "true", "", "[]", r#""abcdef""#, "{\"name\":\"Caf\u{e9}\"}"] {
            let garbled = garbled(body.to_owned());
            assert_eq!((garbled.status, garbled.content_type), (200, "application/json"));
            assert!(serde_json::from_str::<Value>(&garbled.body).is_err(), "{body:?} became {:?}", garbled.body);
        }
        assert_eq!(garbled("123456".into()).body, CUT_OFF_BODY);
        assert_eq!(garbled(r#"{"status":"Success"}"#.into()).body, r#"{"status":"#);
    }
}
