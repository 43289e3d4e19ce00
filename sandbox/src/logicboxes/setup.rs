//! The family parameters of add, renew and modify — `enable-ssl`, `add-dedicated-ip`, `os`,
//! repeated `addon`, `cpanel-blocks`, `no-of-accounts` — read from a request and checked as the
//! live API documents them. A family ignores the parameters it does not take.

use super::catalog::{Pricing, Product};
use super::params::{boolean, bounded, required};
use super::reply::error;
use crate::wire::{SimRequest, SimResponse};

/// Operating systems the sandbox's servers install (`os`).
pub const OPERATING_SYSTEMS: [&str; 10] =
    ["alma_8", "alma_9", "rocky_8", "rocky_9", "ubuntu_20", "ubuntu_22", "ubuntu_24", "debian_12", "windows_2019", "windows_2022"];

/// Server add-ons (`addon`, repeated).
pub const ADDONS: [&str; 11] = [
    "cpanel",
    "plesk_10_domain",
    "plesk_30_domain",
    "plesk_unlimited_domain",
    "ipaddress",
    "whmcs",
    "storage_1",
    "storage_2",
    "storage_3",
    "storage_4",
    "storage_5",
];

/// The most accounts one e-mail order holds.
pub const MAX_ACCOUNTS: u32 = 5000;

/// What an order was set up with, beyond its plan.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// E-mail accounts of a seat-priced order.
    pub seats: Option<u32>,
    pub os: Option<String>,
    pub addons: Vec<String>,
}

/// The family parameters of `add.json`. `enable-ssl` and `add-dedicated-ip` are checked as the
/// API checks them; no answer of the sandbox shows them, so they are not kept.
pub fn at_add(req: &SimRequest, product: &Product) -> Result<Extras, SimResponse> {
    let setup = product.family.setup;
    let mut extras = Extras::default();
    if setup.ssl {
        boolean(req, "enable-ssl")?;
    }
    if setup.dedicated_ip {
        boolean(req, "add-dedicated-ip")?;
    }
    if setup.server {
        extras.os = Some(os(req)?);
        extras.addons = addons(req)?;
    }
    if matches!(product.family.pricing, Pricing::Seats { .. }) {
        extras.seats = Some(accounts(req)?);
    }
    Ok(extras)
}

/// `enable-ssl` on renew, checked where the family takes it.
pub fn check_ssl_at_renew(req: &SimRequest, product: &Product) -> Result<(), SimResponse> {
    if product.family.setup.ssl {
        boolean(req, "enable-ssl")?;
    }
    Ok(())
}

/// `cpanel-blocks` on modify, checked where the family takes it.
pub fn check_cpanel_blocks(req: &SimRequest, product: &Product) -> Result<(), SimResponse> {
    if product.family.setup.cpanel_blocks && req.param("cpanel-blocks").is_some() {
        bounded(req, "cpanel-blocks", 1, 100)?;
    }
    Ok(())
}

/// `no-of-accounts`: required, from 1 to [`MAX_ACCOUNTS`].
pub fn accounts(req: &SimRequest) -> Result<u32, SimResponse> {
    Ok(bounded(req, "no-of-accounts", 1, u64::from(MAX_ACCOUNTS))? as u32)
}

fn os(req: &SimRequest) -> Result<String, SimResponse> {
    let os = required(req, "os")?;
    if !OPERATING_SYSTEMS.contains(&os) {
        return Err(error(format!("Invalid os {os}; choose one of {}", OPERATING_SYSTEMS.join(", "))));
    }
    Ok(os.to_owned())
}

fn addons(req: &SimRequest) -> Result<Vec<String>, SimResponse> {
    let mut addons: Vec<String> = Vec::new();
    for (_, addon) in req.params.iter().filter(|(k, _)| k == "addon") {
        if !ADDONS.contains(&addon.as_str()) {
            return Err(error(format!("Invalid addon {addon}")));
        }
        if addons.contains(addon) {
            return Err(error(format!("addon {addon} is given twice")));
        }
        addons.push(addon.clone());
    }
    Ok(addons)
}
