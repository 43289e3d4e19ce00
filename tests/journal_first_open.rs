//! A journal file that does not exist yet, opened by many callers at once (PHP-FPM workers
//! starting together): SQLite reports it locked while one of them switches it to WAL and
//! writes its schema, and no create may fail for that. Its own test binary, since it points the
//! process's journal at new files.

mod common;

use std::sync::{Arc, Barrier};
use std::time::Duration;

use common::{call, Env};
use serde_json::json;

const ROUNDS: usize = 16;
const CALLERS: usize = 24;

#[test]
fn many_first_creates_at_once_all_open_a_new_journal() {
    let env = Env::new();
    let (customer, plan) = (env.first_customer(), env.lb_plan("codeguard", None));
    for round in 0..ROUNDS {
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("first-open-{}-{round}.sqlite3", std::process::id()));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        hostprov::journal::use_path(Some(path));
        let start = Arc::new(Barrier::new(CALLERS));
        let callers: Vec<_> = (0..CALLERS)
            .map(|i| {
                let service = json!({"domain": format!("first-open-{round}-{i}.example"), "customer_id": customer, "plan_id": plan, "months": 12});
                let (request, start) = (env.lb(Some("codeguard"), service), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    // Spread over a few milliseconds, as workers starting together are.
                    std::thread::sleep(Duration::from_micros(fastrand::u64(0..3000)));
                    call("create", &request)
                })
            })
            .collect();
        for caller in callers {
            let created = caller.join().unwrap();
            assert_eq!(created["ok"], true, "round {round}: {created:#}");
        }
    }
}
