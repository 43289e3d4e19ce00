//! A hostile licence endpoint (hundreds of licences, half-megabyte titles) cannot make the
//! process keep what it sent, nor make one envelope carry every exchange. Alone in its binary:
//! it counts the bytes this process holds, with an allocator that keeps the tally.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use common::loopback::{serve, Answer};
use common::{call, expect_ok};
use serde_json::{json, Value};

struct Tally;

static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Tally {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE_BYTES.fetch_add(new_size as isize - layout.size() as isize, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Tally = Tally;

const LICENCES: usize = 60;
const TITLE_BYTES: usize = 512 * 1024;

#[test]
fn half_megabyte_titles_are_not_kept_and_calls_are_cut() {
    let server = serve(|seen| {
        let path = seen.path().trim_start_matches("/websoftsolus");
        let body = match (seen.method.as_str(), path) {
            ("POST", "/access/token") => json!({"access_token": "hostile-token-0123456789abcdef", "expires_in": 3600}).to_string(),
            ("GET", "/license/plesk") => Value::from((0..LICENCES).map(|n| format!("PLSK.{n:08}")).collect::<Vec<_>>()).to_string(),
            ("POST", "/license/plesk/order") => json!({"keyNumber": "PLSK.99999999"}).to_string(),
            (_, key) => json!({"keyNumber": key.rsplit('/').next(), "status": "ACTIVE", "title": "t".repeat(TITLE_BYTES)}).to_string(),
        };
        Answer::json(200, body)
    });
    let create = |login: &str, title: &str| {
        call("create", &json!({"provider": "websoftsolus", "product": "plesk",
            "account": {"login": login, "secret": "hostile-secret", "base_url": format!("{}/websoftsolus", server.url)},
            "service": {"months": 12, "options": {"product": "PLESK_12_WEB_HOST", "os": "LINUX"}},
            "idempotency_key": title, "options": {"timeout_ms": 60_000}}))
    };
    // Warms what every call makes once (the HTTP client, the caches themselves).
    let warm = create("warm@example.com", "warm-up");
    expect_ok(&warm);
    let calls = warm["calls"].as_array().unwrap();
    assert!(calls.len() <= 16, "{} calls in one envelope", calls.len());
    assert_eq!(warm["calls_omitted"].as_u64().unwrap() as usize + calls.len(), LICENCES + 3, "token, list, details, order");
    assert!(calls.last().unwrap()["url"].as_str().unwrap().ends_with("/license/plesk/order"), "the last exchanges are kept");
    drop(warm);

    // Another account: its first create reads every licence's title again.
    let before = LIVE_BYTES.load(Ordering::SeqCst);
    for title in ["second", "third", "fourth"] {
        expect_ok(&create("reseller@example.com", title));
    }
    let kept = LIVE_BYTES.load(Ordering::SeqCst) - before;
    assert!(kept < 1024 * 1024, "three creates left {kept} bytes behind");
}
