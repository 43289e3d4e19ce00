//! Everything the sandbox remembers, behind one lock: orders, customers, tokens, statistics,
//! the simulated clock and the log of received requests.

use std::collections::{BTreeMap, VecDeque};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use crate::logicboxes::LbState;
use crate::wire::SimRequest;

pub const DEFAULT_LB_USERID: &str = "100000";
pub const DEFAULT_LB_API_KEY: &str = "sandbox-key";
/// How many received requests `/_sandbox/requests` keeps.
const REQUEST_LOG_LEN: usize = 1000;

#[derive(Debug, Default)]
pub struct Stats {
    pub routes: BTreeMap<String, u64>,
    pub connections: u64,
    pub tokens_issued: u64,
}

#[derive(Debug)]
pub struct World {
    /// Seconds added to the wall clock, so tests can expire tokens without waiting.
    pub clock_offset_s: i64,
    pub lb: LbState,
    pub stats: Stats,
    pub received: VecDeque<Value>,
}

impl World {
    pub fn new() -> Self {
        World { clock_offset_s: 0, lb: LbState::seeded(wall_clock()), stats: Stats::default(), received: VecDeque::new() }
    }

    /// Back to the seeded state. The clock offset and statistics are reset too.
    pub fn reset(&mut self) {
        *self = World::new();
    }

    /// The simulated clock: the wall clock moved on by `POST /_sandbox/clock`.
    pub fn now(&self) -> i64 {
        wall_clock() + self.clock_offset_s
    }

    pub fn record(&mut self, route: &str, request: &SimRequest) {
        *self.stats.routes.entry(route.to_owned()).or_default() += 1;
        if self.received.len() >= REQUEST_LOG_LEN {
            self.received.pop_front();
        }
        self.received.push_back(json!({
            "method": request.method,
            "path": request.path,
            "params": request.params,
        }));
    }

    /// Every order ever placed, in the envelope's vocabulary.
    pub fn orders(&self) -> Value {
        Value::Array(self.lb.order_views())
    }

    pub fn customers(&self) -> Value {
        Value::Array(self.lb.customer_views())
    }

    pub fn fixtures(&self) -> Value {
        json!({ "logicboxes": self.lb.fixtures() })
    }
}

/// Epoch seconds now, by the real clock.
fn wall_clock() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// A random token of the given number of hex digits.
pub fn random_hex(len: usize) -> String {
    const HEX: &[u8] = b"0123456789abcdef";
    (0..len).map(|_| HEX[fastrand::usize(..HEX.len())] as char).collect()
}
