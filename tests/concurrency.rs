//! 32 threads making mixed operations across every provider for a bounded time: no crash, no
//! deadlock, every answer an envelope.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{call, Env};
use hostprov::ErrorCode;
use serde_json::{json, Value};

fn mixed_request(env: &Env, thread: usize, i: usize) -> (&'static str, Value) {
    let lb = |product: &str, service: Value| {
        json!({"provider": "logicboxes", "product": product, "account": env.lb_account(), "service": service})
    };
    let domain = format!("t{thread}-{i}.example");
    match i % 8 {
        0 => ("create", lb("sitelock", json!({"domain": domain, "customer_id": "99", "plan_id": "101"}))),
        1 => ("details", lb("sitelock", json!({"domain": domain}))),
        2 => ("suspend", lb("customer", json!({"customer_id": "1002"}))),
        3 => ("plans", json!({"provider": "logicboxes", "account": env.lb_account()})),
        4 => ("create", env.racknap(Some("service"), json!({"customer_id": "652", "plan_id": "172", "options": {"amount": 9.99, "billing_cycle": "Monthly"}}))),
        5 => {
            let mut request = env.licences(Some("virtuozzo"), json!({"months": 1, "options": {"product": "VZ_CONTAINERS_10", "os": "LINUX"}}));
            request["idempotency_key"] = json!(format!("svc-{thread}-{i}"));
            ("create", request)
        }
        6 => ("test_connection", env.licences(None, json!({}))),
        _ => ("create", json!("not even an object")),
    }
}

#[test]
fn thirty_two_threads_of_mixed_calls_all_get_envelopes() {
    let env = Arc::new(Env::new());
    let answered = Arc::new(AtomicUsize::new(0));
    let until = Instant::now() + Duration::from_secs(4);
    let threads: Vec<_> = (0..32)
        .map(|thread| {
            let (env, answered) = (env.clone(), answered.clone());
            std::thread::spawn(move || {
                let mut i = 0;
                while Instant::now() < until {
                    let (operation, request) = mixed_request(&env, thread, i);
                    let envelope = call(operation, &request);
                    assert!(envelope["ok"].is_boolean(), "{envelope:#}");
                    if envelope["ok"] == false {
                        let code = envelope["error"]["code"].as_str().unwrap();
                        assert!(ErrorCode::ALL.iter().any(|c| c.as_str() == code), "{envelope:#}");
                    }
                    answered.fetch_add(1, Ordering::Relaxed);
                    i += 1;
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(90);
    for t in threads {
        while !t.is_finished() {
            assert!(Instant::now() < deadline, "a thread is stuck: deadlock?");
            std::thread::sleep(Duration::from_millis(20));
        }
        t.join().expect("no thread panicked");
    }
    assert!(answered.load(Ordering::Relaxed) >= 32, "every thread answered at least once");
}
