//! A child process never uses the journal connection it inherited across `fork()` (as PHP-FPM
//! and Python's multiprocessing fork workers): it opens its own. Alone in its test binary, so
//! that no other thread holds a lock at the moment of the fork.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{call, test_journal};
use serde_json::json;

/// How many descriptors this process holds on the journal file itself.
fn descriptors_on(journal: &Path) -> usize {
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|entry| std::fs::read_link(entry.ok()?.path()).ok())
        .filter(|target| target == journal)
        .count()
}

#[test]
fn a_forked_child_opens_its_own_journal_connection() {
    let journal = test_journal();
    // A create is claimed in the journal before its endpoint is checked, so this one uses the
    // journal and then stops short of any HTTP: a child must not use the parent's client either.
    let mut request = json!({"provider": "logicboxes", "product": "sitelock", "idempotency_key": "fork-1",
        "account": {"auth_userid": "1", "api_key": "k", "base_url": "http://provider.invalid/api"},
        "service": {"domain": "fork.example", "customer_id": "1", "plan_id": "1"}});
    assert_eq!(call("create", &request)["error"]["code"], "invalid_request");
    let inherited = descriptors_on(journal);
    assert!(inherited > 0, "the parent holds the journal open");

    // SAFETY: this binary's only test thread forks; the child calls the library and leaves
    // with _exit, running no destructor of the parent's state.
    let child = unsafe { libc::fork() };
    if child == 0 {
        request["idempotency_key"] = json!("fork-2");
        let answered = call("create", &request)["error"]["code"] == "invalid_request";
        let reopened = descriptors_on(journal) > inherited;
        unsafe { libc::_exit(if answered && reopened { 0 } else { 1 }) };
    }
    let until = Instant::now() + Duration::from_secs(30);
    let mut status = 0;
    // SAFETY: waits, without blocking, for the child forked above.
    while unsafe { libc::waitpid(child, &mut status, libc::WNOHANG) } == 0 {
        if Instant::now() > until {
            unsafe { libc::kill(child, libc::SIGKILL) };
            panic!("the child hung on the journal");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "the child answered from a connection of its own ({status})");
    assert_eq!(descriptors_on(journal), inherited, "the parent's connection is untouched");
    request["idempotency_key"] = json!("fork-3");
    assert_eq!(call("create", &request)["error"]["code"], "invalid_request", "and still serves the parent");
}
