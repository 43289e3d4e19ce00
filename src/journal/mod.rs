//! The operation journal: a memory, shared by every thread and process of the machine, of the
//! creates and renews this library has started, so that none is carried out twice.
//!
//! Looking an order up by its natural key is right but not enough: lookup-then-place races
//! between two workers that receive the same create at once, and some APIs (RackNap) have no
//! lookup at all. So before a create or renew is sent, it is *claimed* under its key in one short
//! write transaction. A second caller with the same key waits, within its own deadline, for the
//! first to finish and answers its result; a repeat after `outcome_unknown`, or after a crash,
//! settles what the earlier attempt did before anything is sent again (see [`Prior`]).
//!
//! Storage sits behind [`Store`]: [`sqlite`] serves one machine. A database that several machines
//! share (PostgreSQL, MySQL) could implement the same trait for panels that run on several.
//!
//! The journal holds no secrets: accounts are named by a hash (see `key`), and answers are
//! stored redacted, without the provider's raw response.

mod claim;
mod guard;
mod key;
mod location;
pub mod renewal;
mod sqlite;

use crate::per_process::Epoch;
use std::cell::RefCell;
use std::path::PathBuf;
use std::time::Duration;

pub use claim::{Claim, Prior, Recorded};
pub use guard::guard;
pub use key::{is_guarded, sha256_hex, EntryKey, Scope};
pub use location::{use_path, ENV_VAR};

use crate::response::Error;

/// Entries untouched for this long are deleted: a panel settles an `outcome_unknown` long before.
pub const RETENTION: Duration = Duration::from_secs(90 * 86_400);

/// Where an operation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// A caller holds the claim and may be talking to the provider right now.
    Running,
    /// It finished with an answer: `order_id` and `result` say which.
    Done,
    /// It may or may not have been carried out: the next caller settles it before sending.
    Unknown,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Running => "running",
            State::Done => "done",
            State::Unknown => "unknown",
        }
    }

    pub fn from_name(name: &str) -> Option<State> {
        [State::Running, State::Done, State::Unknown].into_iter().find(|s| s.as_str() == name)
    }
}

/// What the journal remembers of one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub state: State,
    /// A random token per claim: only its holder may record the outcome.
    pub holder: String,
    /// Unix milliseconds after which a running claim is stale (its holder crashed or hung).
    pub held_until_ms: i64,
    /// How many calls claimed it so far.
    pub attempts: i64,
    pub order_id: Option<String>,
    /// A renew's expiry before the renewal was sent: a later expiry means it happened.
    pub expiry_before: Option<String>,
    /// The answer's `order_id`, `status` and `data` as JSON, already redacted.
    pub result: Option<String>,
    pub created_ms: i64,
    pub updated_ms: i64,
}

/// What a [`Store::transact`] decision does to the entry.
#[derive(Debug)]
pub enum Write {
    Keep,
    Put(Entry),
    Delete,
}

/// Why the store could not serve a request.
#[derive(Debug)]
pub struct StoreError {
    pub message: String,
    /// The store stayed locked by others for the whole wait.
    pub busy: bool,
}

/// The storage under the journal. Every method is one short transaction; none is ever held
/// while the library talks to a provider.
pub trait Store {
    /// Reads the entry under `key` and applies the write that `decide` chooses, in one
    /// transaction that no other caller (thread, process, or machine sharing the store) can
    /// interleave with; waits at most `wait` for others' transactions. A shared SQL database
    /// would do this with `INSERT … ON CONFLICT DO NOTHING` then `SELECT … FOR UPDATE`.
    fn transact(&mut self, key: &EntryKey, wait: Duration, decide: &mut dyn FnMut(Option<&Entry>) -> Write) -> Result<(), StoreError>;

    /// Forgets the finished operations of `scope` that answered `order_id` (the creates of an
    /// order now terminated, so that the same request may create the service anew).
    fn forget_order(&mut self, scope: &Scope, order_id: &str, wait: Duration) -> Result<(), StoreError>;

    /// Deletes the entries untouched since `before_ms` (Unix milliseconds).
    fn prune(&mut self, before_ms: i64, wait: Duration) -> Result<usize, StoreError>;
}

/// This thread's connection, with the process and file it was opened for.
struct Open {
    /// The process and fork the connection belongs to (a pid alone can repeat).
    epoch: Epoch,
    path: PathBuf,
    store: Box<dyn Store>,
}

thread_local! {
    /// One connection per thread: nothing to lock between threads, and SQLite coordinates the
    /// threads exactly as it coordinates processes.
    static STORE: RefCell<Option<Open>> = const { RefCell::new(None) };
}

/// Runs `work` on this thread's connection to the journal, opening it first. A connection is
/// never used across `fork()`: a child process opens its own, and the inherited
/// one is left untouched, since closing it could disturb the parent's locks.
pub(crate) fn with_store<T>(work: impl FnOnce(&mut dyn Store) -> Result<T, StoreError>) -> Result<T, Error> {
    let path = location::resolve().map_err(|reason| unavailable(None, &reason))?;
    let epoch = Epoch::now();
    STORE.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().is_some_and(|open| open.epoch != epoch) {
            std::mem::forget(slot.take());
        }
        if slot.as_ref().is_none_or(|open| open.path != path) {
            let store = sqlite::SqliteStore::open(&path).map_err(|e| unavailable(Some(&path), &e.message))?;
            *slot = Some(Open { epoch, path: path.clone(), store: Box::new(store) });
        }
        let open = slot.as_mut().expect("opened above");
        work(open.store.as_mut()).map_err(|e| failed(&open.path, e))
    })
}

/// The journal cannot be opened: creates and renews refuse to run, and the admin is told what
/// to change.
fn unavailable(path: Option<&PathBuf>, reason: &str) -> Error {
    let at = path.map(|p| format!(" at {}", p.display())).unwrap_or_default();
    Error::internal(format!(
        "hostprov cannot open its operation journal{at} ({reason}). Creates and renews need it to never run twice, so nothing was sent: set the environment variable {} to an absolute file path in a directory that this process's user can write.",
        location::ENV_VAR
    ))
}

fn failed(path: &std::path::Path, error: StoreError) -> Error {
    if error.busy {
        return Error::new(
            crate::response::ErrorCode::Timeout,
            "The operation journal stayed busy until the deadline; nothing was sent. Call again.",
        );
    }
    Error::internal(format!("The operation journal at {} could not be used ({}); nothing was sent.", path.display(), error.message))
}

