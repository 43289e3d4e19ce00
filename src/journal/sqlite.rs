//! The journal in an SQLite file: every thread and process of one machine that opens the same
//! file shares it. WAL lets readers and the one writer proceed together; each claim is one
//! `BEGIN IMMEDIATE` transaction (the write lock taken up front, so two claimers never both
//! read "free"); `busy_timeout` makes a caller wait for the lock instead of failing, bounded by
//! its own deadline. `synchronous=FULL`: a claim is on disk before the request it guards is sent.

use std::path::Path;
use std::time::Duration;

use rusqlite::{params, Connection, ErrorCode, OpenFlags, OptionalExtension, Row, TransactionBehavior};

use super::{Entry, EntryKey, Scope, State, Store, StoreError, Write};

/// Bumped when the table changes shape; a file written by a newer library is refused.
const SCHEMA_VERSION: i64 = 1;
/// How long opening waits for another process that is setting the file up.
const OPEN_WAIT: Duration = Duration::from_secs(10);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS operations (
    account TEXT NOT NULL,
    provider TEXT NOT NULL,
    product TEXT NOT NULL,
    operation TEXT NOT NULL,
    key TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('running', 'done', 'unknown')),
    holder TEXT NOT NULL,
    held_until_ms INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    order_id TEXT,
    expiry_before TEXT,
    result TEXT,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    PRIMARY KEY (account, provider, product, operation, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS operations_by_order ON operations (account, provider, product, operation, order_id);
CREATE INDEX IF NOT EXISTS operations_by_age ON operations (updated_ms);
";

const COLUMNS: &str = "state, holder, held_until_ms, attempts, order_id, expiry_before, result, created_ms, updated_ms";
const WHERE_KEY: &str = "account = ?1 AND provider = ?2 AND product = ?3 AND operation = ?4 AND key = ?5";

pub struct SqliteStore {
    conn: Connection,
}

impl SqliteStore {
    /// Opens (and on first use sets up) the journal. Connections opening a new file at the same
    /// moment (PHP-FPM workers starting together) can find it locked while another switches it
    /// to WAL or writes its schema, without SQLite's busy handler being asked: such an attempt is
    /// repeated, with a short random pause, until `OPEN_WAIT` has passed.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let started = std::time::Instant::now();
        loop {
            match Self::open_once(path) {
                Err(e) if e.busy && started.elapsed() < OPEN_WAIT => {
                    std::thread::sleep(Duration::from_millis(5 + fastrand::u64(0..20)));
                }
                result => return result,
            }
        }
    }

    fn open_once(path: &Path) -> Result<SqliteStore, StoreError> {
        // NO_MUTEX: a connection is used by one thread only (see `with_store`).
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(error)?;
        conn.busy_timeout(OPEN_WAIT).map_err(error)?;
        // WAL cannot be used on some file systems; SQLite then keeps its rollback journal, which
        // is as safe, only with less concurrency.
        let _mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0)).map_err(error)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(error)?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0)).map_err(error)?;
        if version > SCHEMA_VERSION {
            return Err(StoreError { message: "the file was written by a newer hostprov".into(), busy: false });
        }
        if version < SCHEMA_VERSION {
            conn.execute_batch(SCHEMA).map_err(error)?;
            conn.pragma_update(None, "user_version", SCHEMA_VERSION).map_err(error)?;
        }
        Ok(SqliteStore { conn })
    }
}

impl Store for SqliteStore {
    fn transact(&mut self, key: &EntryKey, wait: Duration, decide: &mut dyn FnMut(Option<&Entry>) -> Write) -> Result<(), StoreError> {
        self.conn.busy_timeout(wait).map_err(error)?;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(error)?;
        let s = &key.scope;
        let names = [&s.account, &s.provider, &s.product, &s.operation, &key.key];
        let existing = tx
            .query_row(&format!("SELECT {COLUMNS} FROM operations WHERE {WHERE_KEY}"), names, entry)
            .optional()
            .map_err(error)?;
        match decide(existing.as_ref()) {
            Write::Keep => {}
            Write::Delete => {
                tx.execute(&format!("DELETE FROM operations WHERE {WHERE_KEY}"), names).map_err(error)?;
            }
            Write::Put(e) => {
                tx.execute(
                    &format!("INSERT OR REPLACE INTO operations (account, provider, product, operation, key, {COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"),
                    params![
                        s.account, s.provider, s.product, s.operation, key.key, e.state.as_str(), e.holder, e.held_until_ms,
                        e.attempts, e.order_id, e.expiry_before, e.result, e.created_ms, e.updated_ms
                    ],
                )
                .map_err(error)?;
            }
        }
        tx.commit().map_err(error)
    }

    fn forget_order(&mut self, scope: &Scope, order_id: &str, wait: Duration) -> Result<(), StoreError> {
        self.conn.busy_timeout(wait).map_err(error)?;
        self.conn
            .execute(
                "DELETE FROM operations WHERE account = ?1 AND provider = ?2 AND product = ?3 AND operation = ?4 AND order_id = ?5 AND state = 'done'",
                params![scope.account, scope.provider, scope.product, scope.operation, order_id],
            )
            .map(drop)
            .map_err(error)
    }

    fn prune(&mut self, before_ms: i64, wait: Duration) -> Result<usize, StoreError> {
        self.conn.busy_timeout(wait).map_err(error)?;
        self.conn.execute("DELETE FROM operations WHERE updated_ms < ?1", [before_ms]).map_err(error)
    }
}

fn entry(row: &Row) -> rusqlite::Result<Entry> {
    let state: String = row.get(0)?;
    Ok(Entry {
        // The CHECK constraint admits only these three names.
        state: State::from_name(&state).unwrap_or(State::Unknown),
        holder: row.get(1)?,
        held_until_ms: row.get(2)?,
        attempts: row.get(3)?,
        order_id: row.get(4)?,
        expiry_before: row.get(5)?,
        result: row.get(6)?,
        created_ms: row.get(7)?,
        updated_ms: row.get(8)?,
    })
}

fn error(e: rusqlite::Error) -> StoreError {
    let busy = matches!(e.sqlite_error_code(), Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked));
    StoreError { message: e.to_string(), busy }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(key: &str) -> EntryKey {
        let scope = Scope { account: "a".into(), provider: "racknap".into(), product: "service".into(), operation: "create".into() };
        EntryKey { scope, key: key.into() }
    }

    fn done(order_id: &str, updated_ms: i64) -> Entry {
        Entry {
            state: State::Done,
            holder: "h".into(),
            held_until_ms: 0,
            attempts: 1,
            order_id: Some(order_id.into()),
            expiry_before: None,
            result: Some("{}".into()),
            created_ms: updated_ms,
            updated_ms,
        }
    }

    fn read(store: &mut SqliteStore, name: &str) -> Option<Entry> {
        let mut seen = None;
        store.transact(&key(name), Duration::from_secs(1), &mut |e| {
            seen = e.cloned();
            Write::Keep
        })
        .unwrap();
        seen
    }

    #[test]
    fn entries_are_written_read_forgotten_and_pruned() {
        let dir = std::env::temp_dir().join(format!("hostprov-sqlite-test-{}-{}", std::process::id(), fastrand::u64(..)));
        std::fs::create_dir_all(&dir).unwrap();
        let mut store = SqliteStore::open(&dir.join("journal.sqlite3")).unwrap();
        let wait = Duration::from_secs(1);
        for (name, entry) in [("old", done("1", 1_000)), ("new", done("2", 9_000)), ("terminated", done("3", 9_000))] {
            store.transact(&key(name), wait, &mut |_| Write::Put(entry.clone())).unwrap();
        }
        assert_eq!(read(&mut store, "new"), Some(done("2", 9_000)));

        store.forget_order(&key("").scope, "3", wait).unwrap();
        assert_eq!(read(&mut store, "terminated"), None);
        assert_eq!(store.prune(5_000, wait).unwrap(), 1);
        assert_eq!(read(&mut store, "old"), None);
        assert!(read(&mut store, "new").is_some());
        store.transact(&key("new"), wait, &mut |_| Write::Delete).unwrap();
        assert_eq!(read(&mut store, "new"), None);
        drop(store);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
