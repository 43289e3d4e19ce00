//! On a thread with a 128 KiB stack (musl's default, and some PHP and Python builds), nested
//! requests and nested provider answers are refused or handled, never a crash. Runs in the
//! unoptimised test build, which needs far more stack per level than a release build.

mod common;

use common::loopback::{serve, Answer};
use common::{call, expect_error, expect_ok, Env};
use hostprov::nesting::MAX_NESTING;
use serde_json::{json, Value};

const SMALL_STACK: usize = 128 * 1024;

fn on_small_stack<T: Send + 'static>(body: impl FnOnce() -> T + Send + 'static) -> T {
    let thread = std::thread::Builder::new().stack_size(SMALL_STACK).spawn(body).unwrap();
    thread.join().expect("the call survived a 128 KiB stack")
}

/// `levels` arrays around a number.
fn nested(levels: usize) -> Value {
    (0..levels).fold(json!(1), |inner, _| json!([inner]))
}

#[test]
fn the_parser_refuses_deep_requests_on_a_small_stack() {
    for levels in [80, 100, 124] {
        let text = json!({"provider": "racknap", "service": {"options": {"deep": nested(levels)}}}).to_string();
        let error = on_small_stack(move || hostprov::request::parse(&text).unwrap_err());
        assert!(error.message.contains("nested too deeply"), "{}", error.message);
    }
    // Three levels (request, service, options) plus the deepest option accepted.
    let text = json!({"provider": "racknap", "service": {"options": {"deep": nested(MAX_NESTING - 3)}}}).to_string();
    assert!(on_small_stack(move || hostprov::request::parse(&text).is_ok()));
}

#[test]
fn a_whole_call_with_the_deepest_accepted_request_runs_on_a_small_stack() {
    let env = Env::new();
    let plans = env.admin("fixtures")["websoftsolus"]["products"]["plesk"][0].clone();
    let mut request = env.licences(Some("plesk"), json!({"months": 12, "options": {
        "product": plans, "os": "LINUX", "panel_notes": nested(MAX_NESTING - 3)}}));
    request["idempotency_key"] = json!("small-stack-1");
    let envelope = on_small_stack(move || call("create", &request));
    expect_ok(&envelope);
    for levels in [80, 127] {
        // Written here: serialising it takes more stack than the thread has.
        let text = env.licences(Some("plesk"), json!({"months": 12, "options": {"deep": nested(levels)}})).to_string();
        let envelope = on_small_stack(move || hostprov::call(hostprov::Operation::Create, &text));
        let envelope: Value = serde_json::from_str(&envelope).unwrap();
        assert!(expect_error(&envelope, "invalid_request")["message"].as_str().unwrap().contains("nested too deeply"));
    }
}

#[test]
fn deep_provider_answers_are_refused_on_a_small_stack() {
    let answer = |levels: usize| json!({"status": "Success", "message": "Service ID: 7 - created", "data": nested(levels)}).to_string();
    // One level for the answer's object, the rest inside `data`.
    let (deepest, too_deep) = (answer(MAX_NESTING - 1), answer(126));
    let server = serve(move |seen| Answer::json(200, if seen.body.contains("serviceid=1") { deepest.clone() } else { too_deep.clone() }));
    let request = |order_id: &str| {
        json!({"provider": "racknap", "product": "service", "account": {"api_token": "small-stack-token",
            "base_url": format!("{}/racknap", server.url)}, "service": {"order_id": order_id}})
    };
    let (accepted, refused) = (request("1"), request("2"));
    let envelope = on_small_stack(move || call("suspend", &accepted));
    expect_ok(&envelope);
    assert_eq!(envelope["provider_response"]["data"], nested(MAX_NESTING - 1));
    // A change answered with something that is not the API's JSON: it may have happened.
    let envelope = on_small_stack(move || call("suspend", &refused));
    expect_error(&envelope, "outcome_unknown");
}

#[test]
fn a_batch_with_a_deep_item_or_deep_options_is_answered_on_a_small_stack() {
    // Written here: serialising the nesting takes more stack than the thread has.
    let deep = nested(127).to_string();
    let in_item = format!(r#"{{"requests": [{{"operation": "details", "request": {{"provider": "racknap", "service": {{"options": {{"deep": {deep}}}}}}}}}]}}"#);
    let answer: Value = serde_json::from_str(&on_small_stack(move || hostprov::batch(&in_item))).unwrap();
    let item = &answer["results"][0];
    assert!(expect_error(item, "invalid_request")["message"].as_str().unwrap().contains("nested too deeply"), "{item}");
    let in_options = format!(r#"{{"requests": [], "options": {{"concurrency": 2, "deep": {deep}}}}}"#);
    let answer: Value = serde_json::from_str(&on_small_stack(move || hostprov::batch(&in_options))).unwrap();
    assert!(expect_error(&answer, "invalid_request")["message"].as_str().unwrap().contains("options"), "{answer}");
}
