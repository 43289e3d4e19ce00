//! `hostprov_batch`: many operations in one call, each answered as its single call would be, in
//! input order, with concurrency bounded per provider endpoint.

mod common;

use std::ffi::{c_void, CStr, CString};

use common::{call, expect_error, expect_ok, Env};
use hostprov::ffi::{hostprov_batch, hostprov_batch_with_progress, hostprov_string_free};
use serde_json::{json, Value};

fn batch(doc: &Value) -> Value {
    batch_text(&doc.to_string())
}

/// A batch document as written, byte for byte.
fn batch_text(doc: &str) -> Value {
    hostprov::http::restrict_to_loopback();
    let text = hostprov::batch(doc);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn results(answer: &Value) -> &Vec<Value> {
    assert_eq!((answer["ok"].as_bool(), answer["operation"].as_str(), answer["api_version"].as_u64()), (Some(true), Some("batch"), Some(1)), "{answer:#}");
    answer["results"].as_array().unwrap()
}

/// An envelope with its exchanges' timings zeroed, for comparing two calls' answers.
fn without_timing(mut envelope: Value) -> Value {
    for call in envelope["calls"].as_array_mut().into_iter().flatten() {
        call["elapsed_ms"] = json!(0);
    }
    envelope
}

/// `n` SiteLock orders placed one by one; their ids.
fn orders(env: &Env, n: usize) -> Vec<String> {
    let customer = env.first_customer();
    let plan = env.lb_plan("sitelock", None);
    (0..n)
        .map(|i| {
            let created = call("create", &env.lb(Some("sitelock"), json!({"domain": format!("batch{i}.example"), "customer_id": customer, "plan_id": plan})));
            expect_ok(&created);
            created["order_id"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn a_batch_of_suspends_with_one_malformed_item_suspends_the_rest_and_reports_that_item_alone() {
    let env = Env::new();
    let ids = orders(&env, 6);
    let mut requests: Vec<Value> = ids
        .iter()
        .map(|id| json!({"operation": "suspend", "request": env.lb(Some("sitelock"), json!({"order_id": id, "reason": "Overdue"}))}))
        .collect();
    requests.insert(3, json!({"operation": "suspend", "request": env.lb(Some("sitelock"), json!({"order_id": ["not", "an", "id"]}))}));
    let answer = batch(&json!({"requests": requests, "options": {"concurrency": 4}}));
    let results = results(&answer);
    assert_eq!(results.len(), 7);
    let error = expect_error(&results[3], "invalid_request");
    assert!(error["message"].as_str().unwrap().contains("service.order_id"), "{error}");
    let ok_ids: Vec<&str> = results.iter().filter(|r| r["ok"] == true).map(|r| r["order_id"].as_str().unwrap()).collect();
    assert_eq!(ok_ids, ids.iter().map(String::as_str).collect::<Vec<_>>(), "results keep the input order");
    for id in &ids {
        assert_eq!(env.order(id)["status"], "suspended");
    }
}

#[test]
fn each_result_is_what_the_single_call_answers() {
    let env = Env::new();
    // Compared answer for answer: the error shapes must not rotate between the two calls.
    env.admin_put("config", json!({"error_style": "standard"}));
    let ids = orders(&env, 2);
    let items = [
        ("details", env.lb(Some("sitelock"), json!({"order_id": ids[0]}))),
        ("details", env.lb(Some("sitelock"), json!({"order_id": "999"}))),
        ("renew", env.lb(Some("sitelock"), json!({"order_id": ids[1], "months": 0}))),
        ("catalog", json!({})),
        ("details", json!({"provider": "nobody"})),
    ];
    let answer = batch(&json!({"requests": items.iter().map(|(op, r)| json!({"operation": op, "request": r})).collect::<Vec<_>>()}));
    for ((operation, request), result) in items.iter().zip(results(&answer)) {
        if *operation == "catalog" {
            assert!(result["error"]["message"].as_str().unwrap().contains("unknown operation"), "catalog is no batch item: {result}");
            continue;
        }
        assert_eq!(without_timing(result.clone()), without_timing(call(operation, request)), "{operation}");
    }
}

#[test]
fn concurrency_is_bounded_per_endpoint_and_tokens_stay_single_flight() {
    let env = Env::new();
    env.admin_put("config", json!({"latency_ms": 40}));
    let licences = env.admin("fixtures")["websoftsolus"].clone();
    let details: Vec<Value> = (0..24)
        .map(|_| json!({"operation": "plans", "request": env.licences(Some("plesk"), json!({}))}))
        .collect();
    let answer = batch(&json!({"requests": details, "options": {"concurrency": 3}}));
    assert!(results(&answer).iter().all(|r| r["ok"] == true), "{answer:#}");
    let stats = env.admin("stats");
    let most = stats["max_in_flight"].as_u64().unwrap();
    assert!((2..=3).contains(&most), "at most 3 at once, and more than one: {most}");
    assert_eq!(stats["tokens_issued"], 1, "one token for every item: {stats:#} {licences}");
}

#[test]
fn progress_is_reported_on_the_calling_thread_after_each_item() {
    struct Seen {
        calls: Vec<(u32, u32)>,
        thread: std::thread::ThreadId,
        other_thread: bool,
    }
    unsafe extern "C" fn progress(done: u32, total: u32, user: *mut c_void) {
        let seen = &mut *(user as *mut Seen);
        seen.calls.push((done, total));
        seen.other_thread |= std::thread::current().id() != seen.thread;
    }
    let env = Env::new();
    hostprov::http::restrict_to_loopback();
    let items: Vec<Value> = (0..5).map(|_| json!({"operation": "test_connection", "request": env.lb(None, json!({}))})).collect();
    let text = CString::new(json!({"requests": items}).to_string()).unwrap();
    let mut seen = Seen { calls: Vec::new(), thread: std::thread::current().id(), other_thread: false };
    let answer = unsafe {
        let raw = hostprov_batch_with_progress(text.as_ptr(), Some(progress), (&mut seen as *mut Seen).cast());
        let answer: Value = serde_json::from_str(CStr::from_ptr(raw).to_str().unwrap()).unwrap();
        hostprov_string_free(raw);
        answer
    };
    assert_eq!(results(&answer).len(), 5);
    assert_eq!(seen.calls, (1..=5).map(|n| (n, 5)).collect::<Vec<_>>());
    assert!(!seen.other_thread, "progress runs on the caller's thread");

    let without = unsafe { hostprov_batch_with_progress(text.as_ptr(), None, std::ptr::null_mut()) };
    unsafe { hostprov_string_free(without) };
}

#[test]
fn an_item_runs_on_the_very_text_the_batch_gave_it() {
    let env = Env::new();
    // Compared answer for answer: the error shapes must not rotate between the two calls.
    env.admin_put("config", json!({"error_style": "standard"}));
    let request = env.lb(Some("sitelock"), json!({"order_id": "1"})).to_string();
    // The same key twice (answered as the single call answers it, last value kept); and spacing
    // that takes a request past the single call's size limit, which only a batch that runs the
    // text it was given keeps.
    let repeated = format!(r#"{{"provider": "logicboxes", {}"#, &request[1..]);
    let padded = format!("{{{}{}", " ".repeat(hostprov::request::MAX_REQUEST_BYTES), &request[1..]);
    let items = [repeated, padded];
    let entries: Vec<String> = items.iter().map(|text| format!(r#"{{"operation": "details", "request": {text}}}"#)).collect();
    let answer = batch_text(&format!(r#"{{"requests": [{}]}}"#, entries.join(",")));
    let results = results(&answer);
    for (text, result) in items.iter().zip(results) {
        let single: Value = serde_json::from_str(&hostprov::call_named("details", text)).unwrap();
        assert_eq!(without_timing(result.clone()), without_timing(single));
    }
    expect_error(&results[0], "not_found");
    let refused = expect_error(&results[1], "invalid_request");
    assert!(refused["message"].as_str().unwrap().contains("larger than"), "{refused}");
}

#[test]
fn a_batch_that_cannot_be_read_is_refused_whole() {
    let refused = |raw: *mut std::ffi::c_char| {
        let answer: Value = serde_json::from_str(unsafe { CStr::from_ptr(raw) }.to_str().unwrap()).unwrap();
        unsafe { hostprov_string_free(raw) };
        assert_eq!((answer["ok"].as_bool(), answer["operation"].as_str()), (Some(false), Some("batch")), "{answer}");
        expect_error(&answer, "invalid_request")["message"].as_str().unwrap().to_owned()
    };
    assert!(refused(unsafe { hostprov_batch(std::ptr::null()) }).contains("NULL"));
    let too_many = json!({"requests": vec![json!({"operation": "details", "request": {}}); hostprov::batch::MAX_ITEMS + 1]});
    let too_many = CString::new(too_many.to_string()).unwrap();
    assert!(refused(unsafe { hostprov_batch(too_many.as_ptr()) }).contains("more than"));
    let huge = CString::new(format!(r#"{{"requests": [], "pad": "{}"}}"#, "x".repeat(hostprov::batch::MAX_BATCH_BYTES))).unwrap();
    assert!(refused(unsafe { hostprov_batch(huge.as_ptr()) }).contains("larger than"));
    // Options that are no JSON value (a lone surrogate) are refused, not replaced by defaults.
    let broken = c"{\"requests\": [], \"options\": {\"concurrency\": 2, \"x\": \"\\ud800\"}}";
    assert!(refused(unsafe { hostprov_batch(broken.as_ptr()) }).contains("options"));
    let via_call = unsafe { hostprov::ffi::hostprov_call(c"batch".as_ptr(), c"{\"requests\": 1}".as_ptr()) };
    assert!(refused(via_call).contains("requests"));
    let empty = batch(&json!({"requests": []}));
    assert!(results(&empty).is_empty());
}
