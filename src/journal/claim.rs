//! The claim protocol: take a key before sending, wait for whoever holds it, record how the call
//! ended. Every step is one short transaction ([`Store::transact`]); the decision it applies is
//! [`decide`], a pure function of what the journal holds.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use super::{with_store, Entry, EntryKey, State, Store, Write, RETENTION};
use crate::response::{Error, ErrorCode, Outcome};
use crate::secret::Redactor;

/// A claim outlives its holder's deadline by this much before others may take it over: the
/// holder still records its outcome after its last exchange ends.
const HOLD_MARGIN: Duration = Duration::from_secs(10);
/// A waiter looks again after this, doubling up to `MAX_PAUSE`.
const FIRST_PAUSE: Duration = Duration::from_millis(5);
const MAX_PAUSE: Duration = Duration::from_millis(100);
/// Recording an outcome may wait this long for the lock even past the call's deadline: an
/// outcome that is not recorded leaves the next caller to settle it the slow way.
const FINISH_WAIT: Duration = Duration::from_secs(2);
/// How often one process deletes entries older than the retention.
const PRUNE_EVERY_MS: i64 = 3_600_000;

/// What the journal knew of a key when this call claimed it.
#[derive(Debug, Clone)]
pub enum Prior {
    /// Nothing: no earlier attempt with this key in this journal (within the retention), or
    /// only a finished renewal (a renew that comes after it is a new renewal).
    Fresh,
    /// An earlier create with this key placed this order; it may have ended since.
    Placed(Recorded),
    /// An earlier attempt may have been carried out: its answer was lost, or its process died.
    /// For a renew, the expiry recorded before that attempt was sent, if it got that far; for a
    /// create, the order an attempt before that placed, if one did.
    Unsettled { expiry_before: Option<String>, order_id: Option<String> },
}

impl Prior {
    /// The order an earlier create with this key placed, as far as the journal knows: the
    /// first place to look before looking further.
    pub fn known_order(&self) -> Option<&str> {
        match self {
            Prior::Placed(recorded) => recorded.order_id.as_deref(),
            Prior::Unsettled { order_id, .. } => order_id.as_deref(),
            Prior::Fresh => None,
        }
    }
}

/// An answer the journal kept: `order_id`, `status` and `data`.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub order_id: Option<String>,
    result: Value,
}

impl Recorded {
    fn of(entry: &Entry) -> Option<Recorded> {
        let result = serde_json::from_str(entry.result.as_deref()?).ok()?;
        Some(Recorded { order_id: entry.order_id.clone(), result })
    }

    /// The kept answer again, marked `reconciled`: nothing was sent to produce it.
    pub fn outcome(&self) -> Outcome {
        let mut data = self.result.get("data").and_then(Value::as_object).cloned().unwrap_or_default();
        data.insert("reconciled".into(), Value::Bool(true));
        Outcome {
            order_id: self.order_id.clone(),
            status: self.result.get("status").and_then(|s| serde_json::from_value(s.clone()).ok()),
            data,
            ..Outcome::default()
        }
    }
}

/// How entering the journal ended.
pub enum Entered {
    /// This call holds the key: it runs, then records its outcome with [`Claim::finish`].
    Claimed(Box<Claim>),
    /// Another call with the same key finished while this one waited: its answer.
    Answered(Outcome),
}

/// This call's hold on its key.
#[derive(Debug)]
pub struct Claim {
    key: EntryKey,
    prior: Prior,
    /// The entry this claim replaced, put back when re-checking a finished create fails.
    previous: Option<Entry>,
    /// The entry as this claim last wrote it.
    mine: Entry,
    deadline: Instant,
}

/// What [`decide`] concluded.
#[derive(Debug)]
enum Decision {
    Claimed(Prior, Entry),
    Answer(Recorded),
    Busy,
}

/// The heart of the protocol. `mine` is the running entry this call would write; `waited`
/// says whether it already saw the key held by someone else.
fn decide(existing: Option<&Entry>, is_create: bool, waited: bool, mine: &Entry, now_ms: i64) -> (Decision, Write) {
    let Some(e) = existing else {
        return (Decision::Claimed(Prior::Fresh, mine.clone()), Write::Put(mine.clone()));
    };
    let unsettled = || Prior::Unsettled { expiry_before: e.expiry_before.clone(), order_id: e.order_id.clone() };
    let take_over = |prior: Prior| {
        let entry = Entry {
            attempts: e.attempts + 1,
            order_id: e.order_id.clone(),
            expiry_before: e.expiry_before.clone(),
            result: e.result.clone(),
            created_ms: e.created_ms,
            ..mine.clone()
        };
        (Decision::Claimed(prior, entry.clone()), Write::Put(entry))
    };
    match e.state {
        State::Running if e.held_until_ms > now_ms => (Decision::Busy, Write::Keep),
        State::Done => match (Recorded::of(e), waited, is_create) {
            // The call this one waited for has answered: its answer is this one's.
            (Some(recorded), true, _) => (Decision::Answer(recorded), Write::Keep),
            (Some(recorded), false, true) => take_over(Prior::Placed(recorded)),
            // A renewal that finished; this is the next one.
            (Some(_), false, false) => (Decision::Claimed(Prior::Fresh, mine.clone()), Write::Put(mine.clone())),
            (None, _, _) => take_over(unsettled()),
        },
        // Lost answers and dead holders.
        State::Running | State::Unknown => take_over(unsettled()),
    }
}

/// Claims `key` for a call that must be over by `deadline`, waiting while another call holds it.
pub fn enter(key: EntryKey, deadline: Instant) -> Result<Entered, Error> {
    prune_now_and_then();
    let holder = format!("{}-{:x}-{:016x}", std::process::id(), now_ms(), fastrand::u64(..));
    let is_create = key.scope.operation == crate::operation::Operation::Create.as_str();
    let mut waited = false;
    let mut pause = FIRST_PAUSE;
    loop {
        let now = now_ms();
        let held_for = remaining(deadline) + HOLD_MARGIN;
        let mine = Entry {
            state: State::Running,
            holder: holder.clone(),
            held_until_ms: now + held_for.as_millis() as i64,
            attempts: 1,
            order_id: None,
            expiry_before: None,
            result: None,
            created_ms: now,
            updated_ms: now,
        };
        let mut seen = None;
        with_store(|store: &mut dyn Store| {
            store.transact(&key, lock_wait(deadline), &mut |existing| {
                let (decision, write) = decide(existing, is_create, waited, &mine, now);
                seen = Some((decision, existing.cloned()));
                write
            })
        })?;
        let Some((decision, previous)) = seen else {
            return Err(Error::internal("The operation journal answered without deciding."));
        };
        match decision {
            Decision::Claimed(prior, mine) => return Ok(Entered::Claimed(Box::new(Claim { key, prior, previous, mine, deadline }))),
            Decision::Answer(recorded) => return Ok(Entered::Answered(recorded.outcome())),
            Decision::Busy => {
                if Instant::now() + pause >= deadline {
                    return Err(still_running());
                }
                let jitter = Duration::from_millis(fastrand::u64(0..=pause.as_millis() as u64 / 2));
                std::thread::sleep(pause + jitter);
                pause = (pause * 2).min(MAX_PAUSE);
                waited = true;
            }
        }
    }
}

impl Claim {
    pub fn prior(&self) -> &Prior {
        &self.prior
    }

    /// Records a renew's expiry before the renewal is sent, so that a repeat after a lost answer
    /// can tell whether it happened. A renewal whose expiry cannot be recorded is not sent.
    pub fn record_expiry_before(&mut self, expiry: &str) -> Result<(), Error> {
        let entry = Entry { expiry_before: Some(expiry.to_owned()), updated_ms: now_ms(), ..self.mine.clone() };
        if !self.write(Some(entry.clone()), lock_wait(self.deadline))? {
            return Err(taken_over());
        }
        self.mine = entry;
        Ok(())
    }

    /// Records how the call ended, so that the next caller with this key answers from it or
    /// settles it. Failing to record is not the panel's problem: the claim then goes stale and
    /// the next caller settles it as an unknown outcome.
    pub fn finish(self, result: &Result<Outcome, Error>, redactor: &Redactor) {
        let now = now_ms();
        let unknown = Some(Entry { state: State::Unknown, updated_ms: now, ..self.mine.clone() });
        let entry = match result {
            Ok(outcome) => Some(Entry {
                state: State::Done,
                order_id: outcome.order_id.clone(),
                result: Some(kept_answer(outcome, redactor)),
                updated_ms: now,
                ..self.mine.clone()
            }),
            Err(e) if e.code == ErrorCode::OutcomeUnknown => unknown,
            // A definite failure: this call carried nothing out, so the key is as it was.
            Err(_) => match &self.prior {
                Prior::Fresh => None,
                Prior::Unsettled { .. } => unknown,
                Prior::Placed(_) => self.previous.clone().map(|p| Entry { updated_ms: now, ..p }),
            },
        };
        let _ = self.write(entry, remaining(self.deadline).max(FINISH_WAIT));
    }

    /// Puts `entry` (or deletes the key when `None`) if this claim still holds the key; false
    /// when another caller took it over as stale.
    fn write(&self, entry: Option<Entry>, wait: Duration) -> Result<bool, Error> {
        let mut held = false;
        with_store(|store: &mut dyn Store| {
            store.transact(&self.key, wait, &mut |existing| {
                held = existing.is_some_and(|e| e.holder == self.mine.holder);
                match (held, &entry) {
                    (false, _) => Write::Keep,
                    (true, Some(entry)) => Write::Put(entry.clone()),
                    (true, None) => Write::Delete,
                }
            })
        })?;
        Ok(held)
    }
}

/// What a later caller is answered with: never the provider's raw response, always redacted.
fn kept_answer(outcome: &Outcome, redactor: &Redactor) -> String {
    let data = redactor.redact_value(Value::Object(outcome.data.clone()));
    json!({"order_id": outcome.order_id, "status": outcome.status, "data": data}).to_string()
}

fn still_running() -> Error {
    Error::new(
        ErrorCode::OutcomeUnknown,
        "Another call with the same key is still running and did not finish within this call's deadline. Call again with the same request: it answers that call's result and never carries it out twice.",
    )
    .retryable(true)
}

fn taken_over() -> Error {
    Error::new(
        ErrorCode::Timeout,
        "This call outlived its deadline and another call with the same key took over; nothing was sent. Call again with the same request.",
    )
}

fn prune_now_and_then() {
    static LAST_PRUNE_MS: AtomicI64 = AtomicI64::new(0);
    let now = now_ms();
    let last = LAST_PRUNE_MS.load(Ordering::Relaxed);
    if now - last < PRUNE_EVERY_MS || LAST_PRUNE_MS.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_err() {
        return;
    }
    let before = now - RETENTION.as_millis() as i64;
    let _ = with_store(|store: &mut dyn Store| store.prune(before, Duration::from_millis(200)));
}

fn remaining(deadline: Instant) -> Duration {
    deadline.saturating_duration_since(Instant::now())
}

/// How long one transaction may wait for the lock: what is left of the call, never nothing.
fn lock_wait(deadline: Instant) -> Duration {
    remaining(deadline).max(Duration::from_millis(1))
}

pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(state: State, held_until_ms: i64) -> Entry {
        Entry {
            state,
            holder: "other".into(),
            held_until_ms,
            attempts: 1,
            order_id: Some("42".into()),
            expiry_before: Some("2030-01-01T00:00:00Z".into()),
            result: Some(r#"{"order_id":"42","status":"active","data":{"reconciled":false}}"#.into()),
            created_ms: 1,
            updated_ms: 1,
        }
    }

    fn mine() -> Entry {
        Entry { holder: "me".into(), order_id: None, expiry_before: None, result: None, ..entry(State::Running, 5_000) }
    }

    #[test]
    fn a_free_key_is_claimed_and_a_held_one_waited_for() {
        let (decision, write) = decide(None, true, false, &mine(), 1_000);
        assert!(matches!(decision, Decision::Claimed(Prior::Fresh, _)) && matches!(write, Write::Put(_)));
        let (decision, write) = decide(Some(&entry(State::Running, 2_000)), true, true, &mine(), 1_000);
        assert!(matches!(decision, Decision::Busy) && matches!(write, Write::Keep));
    }

    #[test]
    fn a_waiter_answers_the_first_result_and_a_later_create_rechecks_it() {
        let done = entry(State::Done, 0);
        let (decision, _) = decide(Some(&done), true, true, &mine(), 1_000);
        let Decision::Answer(recorded) = decision else { panic!("{decision:?}") };
        let outcome = recorded.outcome();
        assert_eq!((outcome.order_id.as_deref(), outcome.data["reconciled"].as_bool()), (Some("42"), Some(true)));
        let (decision, _) = decide(Some(&done), true, false, &mine(), 1_000);
        assert!(matches!(decision, Decision::Claimed(Prior::Placed(_), _)), "{decision:?}");
        let (decision, _) = decide(Some(&done), false, false, &mine(), 1_000);
        assert!(matches!(decision, Decision::Claimed(Prior::Fresh, _)), "a renew after a finished renewal is a new one");
    }

    #[test]
    fn lost_answers_and_dead_holders_are_settled_keeping_the_expiry() {
        for earlier in [entry(State::Unknown, 0), entry(State::Running, 999)] {
            let (decision, write) = decide(Some(&earlier), false, true, &mine(), 1_000);
            let Decision::Claimed(prior @ Prior::Unsettled { .. }, taken) = decision else { panic!("{decision:?}") };
            let Prior::Unsettled { expiry_before, .. } = &prior else { unreachable!() };
            assert_eq!(expiry_before.as_deref(), Some("2030-01-01T00:00:00Z"));
            assert_eq!(prior.known_order(), Some("42"));
            assert_eq!((taken.holder.as_str(), taken.attempts, taken.state), ("me", 2, State::Running));
            assert!(matches!(write, Write::Put(_)));
        }
    }
}
