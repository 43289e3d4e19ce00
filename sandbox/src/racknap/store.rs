//! The services the reseller has created. Services are never removed: a terminated one stays,
//! with status Terminated.

use std::collections::BTreeMap;

use super::reply::service_not_found;
use crate::wire::SimResponse;

/// Service ids count up from here, as in RackNap's documented example.
pub const FIRST_SERVICE_ID: u64 = 1334;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceStatus {
    Active,
    Suspended,
    Terminated,
}

impl ServiceStatus {
    /// As RackNap names it in messages.
    pub fn provider_name(self) -> &'static str {
        match self {
            ServiceStatus::Active => "Active",
            ServiceStatus::Suspended => "Suspended",
            ServiceStatus::Terminated => "Terminated",
        }
    }

    /// The status in the library's envelope vocabulary, for the admin view.
    pub fn envelope_name(self) -> &'static str {
        match self {
            ServiceStatus::Active => "active",
            ServiceStatus::Suspended => "suspended",
            ServiceStatus::Terminated => "terminated",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Service {
    pub id: u64,
    pub customer_id: String,
    pub plan_id: u64,
    pub status: ServiceStatus,
}

#[derive(Debug)]
pub struct RnState {
    /// Keyed by id; ids only grow.
    pub services: BTreeMap<u64, Service>,
    next_id: u64,
}

impl RnState {
    pub fn new() -> Self {
        RnState { services: BTreeMap::new(), next_id: FIRST_SERVICE_ID }
    }

    /// Stores a new Active service under the next free id.
    pub fn create(&mut self, customer_id: &str, plan_id: u64) -> &Service {
        let id = self.next_id;
        self.next_id += 1;
        let service = Service { id, customer_id: customer_id.to_owned(), plan_id, status: ServiceStatus::Active };
        self.services.entry(id).or_insert(service)
    }

    /// The service a `serviceid` names; anything else is RackNap's "Service not found".
    pub fn service_mut(&mut self, raw_id: &str) -> Result<&mut Service, SimResponse> {
        let id = raw_id.parse::<u64>().map_err(|_| service_not_found())?;
        self.services.get_mut(&id).ok_or_else(service_not_found)
    }
}
