//! The two environments, live and test, each with its own tokens and licences. Licences are
//! never removed: a terminated one stays, with status TERMINATED, and is listed in the order
//! it was placed (oldest first).

use std::collections::HashMap;

use serde_json::{json, Value};

use super::catalog::Product;
use super::reply::licence_not_found;
use crate::wire::SimResponse;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Live,
    Test,
}

impl Environment {
    pub fn name(self) -> &'static str {
        match self {
            Environment::Live => "live",
            Environment::Test => "test",
        }
    }

    /// What the environment adds to the API's paths.
    pub fn path_prefix(self) -> &'static str {
        match self {
            Environment::Live => "",
            Environment::Test => "test/",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LicenceStatus {
    Active,
    Terminated,
}

impl LicenceStatus {
    pub fn provider_name(self) -> &'static str {
        match self {
            LicenceStatus::Active => "ACTIVE",
            LicenceStatus::Terminated => "TERMINATED",
        }
    }

    /// The status in the library's envelope vocabulary, for the admin view.
    pub fn envelope_name(self) -> &'static str {
        match self {
            LicenceStatus::Active => "active",
            LicenceStatus::Terminated => "terminated",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Licence {
    pub key_number: String,
    /// The product family's key (`plesk`); a key number is unknown under another family.
    pub family: &'static str,
    /// The orderable version it was ordered as (`PLESK_12_WEB_HOST`).
    pub version: &'static str,
    pub title: String,
    pub comment: String,
    pub status: LicenceStatus,
    pub server_ip: Option<String>,
    pub os: Option<&'static str>,
    pub addons: Vec<&'static str>,
    pub period_months: u32,
    /// `yyyy-mm-dd`, the order's day plus the period.
    pub expiration_date: String,
}

impl Licence {
    /// The licence's properties, as `GET /license/<p>/<key>` answers them.
    pub fn view(&self) -> Value {
        json!({
            "keyNumber": self.key_number,
            "product": self.version,
            "title": self.title,
            "comment": self.comment,
            "status": self.status.provider_name(),
            "serverIP": self.server_ip,
            "os": self.os,
            "addons": self.addons,
            "period": self.period_months,
            "expirationDate": self.expiration_date,
        })
    }
}

/// One environment's account.
#[derive(Debug, Default)]
pub struct Store {
    /// Access token → expiry, in epoch seconds of the simulated clock.
    pub tokens: HashMap<String, i64>,
    pub licences: Vec<Licence>,
}

impl Store {
    /// The licence `key` of `product`; a key of another product is as unknown as a missing one.
    pub fn licence_mut(&mut self, product: &Product, key: &str) -> Result<&mut Licence, SimResponse> {
        self.licences.iter_mut().find(|l| l.family == product.key && l.key_number == key).ok_or_else(licence_not_found)
    }
}

#[derive(Debug, Default)]
pub struct LicenceState {
    pub live: Store,
    pub test: Store,
}

impl LicenceState {
    pub fn store(&self, env: Environment) -> &Store {
        match env {
            Environment::Live => &self.live,
            Environment::Test => &self.test,
        }
    }

    pub fn store_mut(&mut self, env: Environment) -> &mut Store {
        match env {
            Environment::Live => &mut self.live,
            Environment::Test => &mut self.test,
        }
    }

    /// Both environments' licences, with the environment each belongs to.
    pub fn all(&self) -> impl Iterator<Item = (Environment, &Licence)> {
        let live = self.live.licences.iter().map(|l| (Environment::Live, l));
        live.chain(self.test.licences.iter().map(|l| (Environment::Test, l)))
    }

    /// A key number no licence of either environment has: the prefix, a dot and eight digits.
    pub fn new_key_number(&self, product: &Product) -> String {
        loop {
            let key = format!("{}.{:08}", product.key_prefix, fastrand::u32(..100_000_000));
            if !self.all().any(|(_, l)| l.key_number == key) {
                return key;
            }
        }
    }
}
