//! Everything the sandbox remembers, behind one lock: orders, customers, tokens, statistics,
//! the simulated clock, the log of received requests, the injected faults and the sandbox's
//! configuration.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use crate::config::SandboxConfig;
use crate::faults::{FaultKind, Faults};
use crate::logicboxes::LbState;
use crate::racknap::RnState;
use crate::websoftsolus::LicenceState;
use crate::wire::SimRequest;

pub const DEFAULT_LB_USERID: &str = "100000";
pub const DEFAULT_LB_API_KEY: &str = "sandbox-key";
/// RackNap's `Validate: Bearer <token>`.
pub const DEFAULT_RACKNAP_TOKEN: &str = "sandbox-token";
/// The licence API's `login` and `secret`, the same for its live and test environments.
pub const DEFAULT_WSS_LOGIN: &str = "reseller@example.com";
pub const DEFAULT_WSS_SECRET: &str = "sandbox-secret";
/// How many received requests `/_sandbox/requests` keeps.
const REQUEST_LOG_LEN: usize = 1000;

/// The world as the server's tasks share it.
pub type SharedWorld = Arc<Mutex<World>>;

/// The world, even after a handler panicked while holding it: one broken request must not take
/// every later one down with it.
pub fn lock(world: &SharedWorld) -> MutexGuard<'_, World> {
    world.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[derive(Debug, Default)]
pub struct Stats {
    pub routes: BTreeMap<String, u64>,
    pub connections: u64,
    pub tokens_issued: u64,
    /// Faults injected, per kind.
    pub faults: BTreeMap<FaultKind, u64>,
    /// Provider requests being answered now, and the most there ever were at once: shows how
    /// many simultaneous calls a client makes.
    pub in_flight: u64,
    pub max_in_flight: u64,
}

#[derive(Debug)]
pub struct World {
    /// Seconds added to the wall clock, so tests can expire tokens without waiting.
    pub clock_offset_s: i64,
    pub config: SandboxConfig,
    pub lb: LbState,
    pub racknap: RnState,
    pub licences: LicenceState,
    pub stats: Stats,
    pub received: VecDeque<Value>,
    pub faults: Faults,
}

impl World {
    pub fn new(config: SandboxConfig) -> Self {
        World {
            clock_offset_s: 0,
            config,
            lb: LbState::seeded(wall_clock()),
            racknap: RnState::new(),
            licences: LicenceState::default(),
            stats: Stats::default(),
            received: VecDeque::new(),
            faults: Faults::default(),
        }
    }

    /// Back to the seeded state. The clock offset, statistics and faults are reset too (faults
    /// off); the configuration is kept.
    pub fn reset(&mut self) {
        *self = World::new(self.config.clone());
    }

    /// The simulated clock: the wall clock moved on by `POST /_sandbox/clock`.
    pub fn now(&self) -> i64 {
        wall_clock() + self.clock_offset_s
    }

    /// Logs a received request with the fault it met. `route` names what answered it; a request
    /// that a fault kept from being carried out has none and is not counted under any route.
    pub fn record(&mut self, route: Option<&str>, request: &SimRequest, fault: Option<FaultKind>) {
        if let Some(route) = route {
            *self.stats.routes.entry(route.to_owned()).or_default() += 1;
        }
        if let Some(fault) = fault {
            *self.stats.faults.entry(fault).or_default() += 1;
        }
        if self.received.len() >= REQUEST_LOG_LEN {
            self.received.pop_front();
        }
        self.received.push_back(json!({
            "method": request.method,
            "path": request.path,
            "params": request.params,
            "fault": fault.map(FaultKind::name),
        }));
    }

    /// Every order ever placed, in the envelope's vocabulary.
    pub fn orders(&self) -> Value {
        let mut orders = self.lb.order_views();
        orders.extend(self.racknap.order_views());
        orders.extend(self.licences.order_views());
        Value::Array(orders)
    }

    pub fn customers(&self) -> Value {
        Value::Array(self.lb.customer_views())
    }

    pub fn fixtures(&self) -> Value {
        json!({
            "logicboxes": self.lb.fixtures(),
            "racknap": RnState::fixtures(),
            "websoftsolus": LicenceState::fixtures(),
        })
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
