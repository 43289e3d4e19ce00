//! The licence products and what ordering each takes (doc 003), as table rows: every product
//! runs on the same code, and everything that tells them apart is here.

/// A parameter with a closed set of values, all required.
#[derive(Debug)]
pub struct Choice {
    pub name: &'static str,
    pub allowed: &'static [&'static str],
}

#[derive(Debug)]
pub struct Product {
    /// The path segment: `/license/<key>/…`.
    pub key: &'static str,
    /// Key numbers are this, a dot and eight digits: `PLSK.04867003`.
    pub key_prefix: &'static str,
    /// What `GET /license/<key>/order` lists and `product` must name.
    pub versions: &'static [&'static str],
    pub choices: &'static [Choice],
    /// cPanel licences are bound to a server's address, `serverIP`.
    pub needs_server_ip: bool,
    /// What `addons[]` may hold; products without add-ons ignore the parameter.
    pub addons: &'static [&'static str],
}

/// Renewal periods in months, as the API spells them.
pub const PERIODS: [&str; 6] = ["1", "3", "6", "12", "24", "36"];

const OS: Choice = Choice { name: "os", allowed: &["LINUX", "WINDOWS"] };

pub const PRODUCTS: [Product; 3] = [
    Product {
        key: "plesk",
        key_prefix: "PLSK",
        versions: &["PLESK_12_WEB_ADMIN", "PLESK_12_WEB_PRO", "PLESK_12_WEB_HOST"],
        choices: &[
            OS,
            Choice { name: "WPBSites", allowed: &["0", "10", "30", "100", "1000"] },
            Choice { name: "WPBOptions", allowed: &["0", "MLS_SUPPORT"] },
            Choice { name: "applications", allowed: &["0", "POWER_PACK"] },
            Choice { name: "CBMClients", allowed: &["0", "UNLIMITED"] },
            Choice { name: "languagePack", allowed: &["0", "1", "2", "3", "4", "5", "UNLIMITED"] },
            Choice { name: "antivirus", allowed: &["0", "PREMIUM_ANTIVIRUS", "PREMIUM_ANTIVIRUS_FOR_WIN"] },
        ],
        needs_server_ip: false,
        addons: &[],
    },
    Product {
        key: "cpanel",
        key_prefix: "CPNL",
        versions: &["CPANEL_SOLO", "CPANEL_ADMIN", "CPANEL_PRO", "CPANEL_PREMIER"],
        choices: &[],
        needs_server_ip: true,
        addons: &["FANTASTICO", "INSTALLATRON", "SOFTACULOUS", "WHMXTRA", "WHMSONIC", "CLOUDLINUX", "KERNELCARE"],
    },
    Product {
        key: "virtuozzo",
        key_prefix: "VZ",
        versions: &["VZ_CONTAINERS_10", "VZ_CONTAINERS_UNLIMITED"],
        choices: &[OS],
        needs_server_ip: false,
        addons: &[],
    },
];

pub fn product(key: &str) -> Option<&'static Product> {
    PRODUCTS.iter().find(|p| p.key == key)
}
