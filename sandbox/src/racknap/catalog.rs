//! What the reseller's RackNap knows before any call: its customers, its plans (two Office 365
//! plans and a Cloud VPS plan on two platforms) and the billing cycles it accepts.

use super::reply::invalid_plan;
use crate::wire::SimResponse;

pub const CUSTOMERS: [&str; 2] = ["652", "653"];

/// The 13 billing cycles, exactly as RackNap spells them; `billingcycle` and
/// `plan_billing_cycle` take nothing else, case included.
pub const BILLING_CYCLES: [&str; 13] = [
    "Free", "Free Trial", "One Time", "Hourly", "Monthly", "Quarterly", "Semi-Annually", "Annually", "Biennially",
    "Triennially", "Quadrennial", "Quinquennial", "Decennial",
];

/// A plan with its prices per billing cycle, in the currency asked for (one price list serves
/// every currency here).
#[derive(Debug)]
pub struct Plan {
    pub id: u64,
    pub name: &'static str,
    pub prices: &'static [(&'static str, f64)],
    /// Cloud VPS plans also answer `cloud_linux_vps_details`.
    pub vps: bool,
}

pub const PLANS: [Plan; 3] = [
    Plan { id: 172, name: "Office 365 ( Essential Suite )", prices: &[("Monthly", 44.01), ("Annually", 528.14)], vps: false },
    Plan { id: 173, name: "Office 365 Business Premium", prices: &[("Monthly", 22.0), ("Annually", 264.0)], vps: false },
    Plan { id: 24, name: "Cloud VPS", prices: &[("Hourly", 0.03), ("Monthly", 20.0), ("Annually", 220.0)], vps: true },
];

/// What a Cloud VPS plan gives on one platform; Windows costs more for its licence.
#[derive(Debug)]
pub struct Platform {
    pub name: &'static str,
    pub cpu: u32,
    pub ram_gb: u32,
    pub disk_gb: u32,
    pub bandwidth_tb: u32,
    pub os_templates: &'static [&'static str],
    pub prices: &'static [(&'static str, f64)],
}

pub const PLATFORMS: [Platform; 2] = [
    Platform {
        name: "Linux",
        cpu: 2,
        ram_gb: 4,
        disk_gb: 80,
        bandwidth_tb: 2,
        os_templates: &["AlmaLinux 9", "Ubuntu 22.04", "Debian 12"],
        prices: &[("Hourly", 0.03), ("Monthly", 20.0), ("Annually", 220.0)],
    },
    Platform {
        name: "Windows",
        cpu: 2,
        ram_gb: 4,
        disk_gb: 80,
        bandwidth_tb: 2,
        os_templates: &["Windows Server 2019", "Windows Server 2022"],
        prices: &[("Hourly", 0.05), ("Monthly", 35.0), ("Annually", 385.0)],
    },
];

pub const PLATFORM_NAMES: [&str; 2] = [PLATFORMS[0].name, PLATFORMS[1].name];

pub fn is_customer(id: &str) -> bool {
    CUSTOMERS.contains(&id)
}

/// The plan a `planid` names; anything else, digits or not, is RackNap's "Invalid plan id".
pub fn plan(raw_id: &str) -> Result<&'static Plan, SimResponse> {
    PLANS.iter().find(|p| p.id.to_string() == raw_id).ok_or_else(invalid_plan)
}

pub fn platform(name: &str) -> Option<&'static Platform> {
    PLATFORMS.iter().find(|p| p.name == name)
}

/// The ids of the Office 365 plans (`vps` false) or of the Cloud VPS plans, for the fixtures.
pub fn plan_ids(vps: bool) -> Vec<String> {
    PLANS.iter().filter(|p| p.vps == vps).map(|p| p.id.to_string()).collect()
}
