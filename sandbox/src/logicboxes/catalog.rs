//! What the reseller sells through API paths of their own: SiteLock, CodeGuard, and the
//! hosting, server and e-mail families (`LOGICBOXES-FAMILIES.md`), each sold in editions (a
//! platform and a region) with a path prefix and a product key of their own.
//!
//! Every family runs on the same code; everything that tells them apart is a row of
//! [`FAMILIES`]. Plans are in `plans`.

use std::sync::LazyLock;

use super::plans::PlanTemplate;

/// How long a call buys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    /// `months` is required (CodeGuard, every family).
    Months,
    /// `months` is ignored and the term is always this long (SiteLock).
    Fixed(u32),
}

/// How an order is priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pricing {
    /// By plan: `plan-id` is required at add.
    Plan,
    /// By accounts (`no-of-accounts`), changed with the seat calls `<add>.json` and
    /// `<delete>.json`. `per_seat_cents` is the monthly price of an account where the family
    /// has no plans; where it has plans, `plan-id` is optional at add (the first plan is taken).
    Seats { add: &'static str, delete: &'static str, per_seat_cents: i64 },
}

/// Changes of plan a family takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanChanges {
    /// `validate-modify.json`, `modify-pricing.json` and `modify.json` (SiteLock, CodeGuard).
    Validated,
    /// `modify-pricing.json` and `modify.json`.
    Any,
    /// As `Any`, but a plan cheaper than the order's is refused (VPS).
    UpgradesOnly,
    /// No change of plan: seats change instead.
    None,
}

/// The family parameters `add.json` (and some `renew.json`, `modify.json`) take.
#[derive(Debug, Clone, Copy, Default)]
pub struct Setup {
    /// `enable-ssl` at add and renew.
    pub ssl: bool,
    /// `add-dedicated-ip` at add.
    pub dedicated_ip: bool,
    /// `os` (required) and repeated `addon` at add.
    pub server: bool,
    /// `cpanel-blocks` at modify.
    pub cpanel_blocks: bool,
}

/// The family fields `details.json` shows, in the family's own spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailsStyle {
    /// Only the common fields.
    Plain,
    /// Single domain and reseller hosting: `webspace`, `nameserver`.
    Hosting,
    /// Multi-domain hosting: `space`, `ns_detail`.
    MultiDomainHosting,
    /// Servers: the address under `ip_key`, `os_name`, `addons`; managed servers a licence key.
    Server { ip_key: &'static str, licence: bool },
    /// E-mail: `emailaccounts`, a number.
    Email,
}

/// A family of products with API paths of their own.
#[derive(Debug)]
pub struct Family {
    /// hostprov's name for the family (`/_sandbox/orders` and `/_sandbox/fixtures` use it).
    pub catalog_name: &'static str,
    /// How the family is named in action descriptions and search records.
    pub name: &'static str,
    /// `productcategory` in order details.
    pub category: &'static str,
    /// (path prefix, product key) of every edition.
    pub editions: &'static [(&'static str, &'static str)],
    pub term: Term,
    pub pricing: Pricing,
    pub plan_changes: PlanChanges,
    pub setup: Setup,
    pub details: DetailsStyle,
    /// Plan ids count from here: `plan_base + 10 × edition + n`.
    pub plan_base: u32,
    /// The plans every edition sells.
    pub plans: &'static [PlanTemplate],
}

/// One edition of a family: what is served under `prefix`.
#[derive(Debug)]
pub struct Product {
    pub family: &'static Family,
    pub key: &'static str,
    pub prefix: &'static str,
    /// Its position among the family's editions, which numbers its plans.
    pub edition: u32,
}

impl Product {
    pub fn name(&self) -> &'static str {
        self.family.name
    }
}

const fn template(name: &'static str, paused: bool, monthly_cents: i64, features: &'static [&'static str]) -> PlanTemplate {
    PlanTemplate { name, paused, monthly_cents, features }
}

const HOSTING_PLANS: [PlanTemplate; 3] = [
    template("Starter", false, 299, &["1 website", "10 GB disk", "Free SSL"]),
    template("Business", false, 599, &["1 website", "50 GB disk", "Free SSL", "Daily backups"]),
    template("Pro", false, 999, &["1 website", "Unlimited disk", "Free SSL", "Daily backups", "Staging"]),
];

const MULTI_HOSTING_PLANS: [PlanTemplate; 3] = [
    template("Business", false, 699, &["5 websites", "Unlimited disk"]),
    template("Pro", false, 1199, &["Unlimited websites", "Unlimited disk"]),
    template("Legacy", true, 499, &["3 websites"]),
];

const RESELLER_PLANS: [PlanTemplate; 2] = [
    template("R1", false, 1999, &["20 cPanel accounts", "WHM"]),
    template("R2", false, 3999, &["50 cPanel accounts", "WHM", "WHMCS licence"]),
];

const SERVER_PLANS: [PlanTemplate; 3] = [
    template("Small", false, 1999, &["2 vCPU", "4 GB RAM", "80 GB SSD"]),
    template("Medium", false, 3999, &["4 vCPU", "8 GB RAM", "160 GB SSD"]),
    template("Large", false, 7999, &["8 vCPU", "16 GB RAM", "320 GB SSD"]),
];

const WORKSPACE_PLANS: [PlanTemplate; 2] = [
    template("Business Starter", false, 600, &["30 GB per user"]),
    template("Business Standard", false, 1200, &["2 TB per user"]),
];

const HOSTING_SETUP: Setup = Setup { ssl: true, dedicated_ip: false, server: false, cpanel_blocks: false };
const RESELLER_SETUP: Setup = Setup { ssl: false, dedicated_ip: true, server: false, cpanel_blocks: true };
const SERVER_SETUP: Setup = Setup { ssl: false, dedicated_ip: false, server: true, cpanel_blocks: false };
const NO_SETUP: Setup = Setup { ssl: false, dedicated_ip: false, server: false, cpanel_blocks: false };

const EMAIL_SEATS: Pricing = Pricing::Seats { add: "add-email-account", delete: "delete-email-account", per_seat_cents: 100 };

pub static FAMILIES: [Family; 12] = [
    Family {
        catalog_name: "sitelock",
        name: "SiteLock",
        category: "sitelock",
        editions: &[("sitelock/", "sitelock")],
        term: Term::Fixed(12),
        pricing: Pricing::Plan,
        plan_changes: PlanChanges::Validated,
        setup: NO_SETUP,
        details: DetailsStyle::Plain,
        plan_base: 100,
        plans: &[
            template("Find", false, 199, &["Daily malware scan", "Trust seal"]),
            template("Fix", false, 499, &["Daily malware scan", "Automatic malware removal", "Trust seal"]),
            template("Defend", false, 999, &["Continuous malware scan", "Automatic malware removal", "Web application firewall", "Trust seal"]),
            template("Legacy", true, 99, &["Weekly malware scan"]),
        ],
    },
    Family {
        catalog_name: "codeguard",
        name: "CodeGuard",
        category: "codeguard",
        editions: &[("codeguard/", "codeguard")],
        term: Term::Months,
        pricing: Pricing::Plan,
        plan_changes: PlanChanges::Validated,
        setup: NO_SETUP,
        details: DetailsStyle::Plain,
        plan_base: 200,
        plans: &[
            template("Personal", false, 299, &["1 website", "Daily backups"]),
            template("Professional", false, 599, &["5 websites", "Daily backups", "One-click restore"]),
            template("Business", false, 1199, &["10 websites", "Daily backups", "One-click restore", "Malware monitoring"]),
        ],
    },
    Family {
        catalog_name: "single_domain_hosting",
        name: "Single Domain Hosting",
        category: "hosting",
        editions: &[
            ("singledomainhosting/linux/us/", "singledomainhostinglinuxus"),
            ("singledomainhosting/linux/uk/", "singledomainhostinglinuxuk"),
            ("singledomainhosting/linux/in/", "singledomainhostinglinuxin"),
            ("singledomainhosting/linux/hk/", "singledomainhostinglinuxhk"),
            ("singledomainhosting/linux/tr/", "singledomainhostinglinuxtr"),
            ("singledomainhosting/windows/us/", "singledomainhostingwindowsus"),
            ("singledomainhosting/windows/uk/", "singledomainhostingwindowsuk"),
            ("singledomainhosting/windows/in/", "singledomainhostingwindowsin"),
            ("singledomainhosting/windows/hk/", "singledomainhostingwindowshk"),
            ("singledomainhosting/windows/tr/", "singledomainhostingwindowstr"),
        ],
        term: Term::Months,
        pricing: Pricing::Plan,
        plan_changes: PlanChanges::Any,
        setup: HOSTING_SETUP,
        details: DetailsStyle::Hosting,
        plan_base: 1000,
        plans: &HOSTING_PLANS,
    },
    Family {
        catalog_name: "multi_domain_hosting",
        name: "Multi Domain Hosting",
        category: "hosting",
        editions: &[
            ("multidomainhosting/linux/us/", "multidomainhosting"),
            ("multidomainhosting/linux/uk/", "multidomainhostinglinuxuk"),
            ("multidomainhosting/linux/in/", "multidomainhostinglinuxin"),
            ("multidomainhosting/linux/hk/", "multidomainhostinglinuxhk"),
            ("multidomainhosting/linux/tr/", "multidomainhostinglinuxtr"),
            ("multidomainhosting/windows/us/", "multidomainwindowshosting"),
            ("multidomainhosting/windows/uk/", "multidomainwindowshostinguk"),
            ("multidomainhosting/windows/in/", "multidomainwindowshostingin"),
            ("multidomainhosting/windows/hk/", "multidomainwindowshostinghk"),
            ("multidomainhosting/windows/tr/", "multidomainwindowshostingtr"),
        ],
        term: Term::Months,
        pricing: Pricing::Plan,
        plan_changes: PlanChanges::Any,
        setup: HOSTING_SETUP,
        details: DetailsStyle::MultiDomainHosting,
        plan_base: 2000,
        plans: &MULTI_HOSTING_PLANS,
    },
    Family {
        catalog_name: "reseller_hosting",
        name: "Reseller Hosting",
        category: "hosting",
        editions: &[
            ("resellerhosting/linux/us/", "resellerhosting"),
            ("resellerhosting/linux/uk/", "resellerhostinglinuxuk"),
            ("resellerhosting/linux/in/", "resellerhostinglinuxin"),
            ("resellerhosting/linux/hk/", "resellerhostinglinuxhk"),
            ("resellerhosting/windows/us/", "resellerwindowshosting"),
            ("resellerhosting/windows/uk/", "resellerwindowshostinguk"),
            ("resellerhosting/windows/in/", "resellerwindowshostingin"),
            ("resellerhosting/windows/hk/", "resellerwindowshostinghk"),
        ],
        term: Term::Months,
        pricing: Pricing::Plan,
        plan_changes: PlanChanges::Any,
        setup: RESELLER_SETUP,
        details: DetailsStyle::Hosting,
        plan_base: 3000,
        plans: &RESELLER_PLANS,
    },
    Family {
        catalog_name: "vps",
        name: "VPS",
        category: "hosting",
        editions: &[("virtualserver/linux/us/", "virtualserverlinuxus"), ("virtualserver/linux/in/", "virtualserverlinuxin")],
        term: Term::Months,
        pricing: Pricing::Plan,
        plan_changes: PlanChanges::UpgradesOnly,
        setup: SERVER_SETUP,
        details: DetailsStyle::Server { ip_key: "ipAddress", licence: false },
        plan_base: 4000,
        plans: &SERVER_PLANS,
    },
    Family {
        catalog_name: "dedicated_server",
        name: "Dedicated Server",
        category: "hosting",
        editions: &[
            ("dedicatedserver/linux/us/", "dedicatedserverlinuxus"),
            ("dedicatedserver/linux/in/", "dedicatedserverlinuxin"),
            ("dedicatedserver/linux/hk/", "dedicatedserverlinuxhk"),
            ("dedicatedserver/windows/in/", "dedicatedserverwindowsin"),
        ],
        term: Term::Months,
        pricing: Pricing::Plan,
        plan_changes: PlanChanges::Any,
        setup: SERVER_SETUP,
        details: DetailsStyle::Server { ip_key: "ipaddress", licence: false },
        plan_base: 5000,
        plans: &SERVER_PLANS,
    },
    Family {
        catalog_name: "managed_server",
        name: "Managed Server",
        category: "hosting",
        editions: &[("managedserver/linux/us/", "managedserverlinuxus")],
        term: Term::Months,
        pricing: Pricing::Plan,
        plan_changes: PlanChanges::Any,
        setup: SERVER_SETUP,
        details: DetailsStyle::Server { ip_key: "ipaddress", licence: true },
        plan_base: 6000,
        plans: &SERVER_PLANS,
    },
    Family {
        catalog_name: "business_email",
        name: "Business Email",
        category: "hosting",
        editions: &[("eelite/us/", "eeliteus")],
        term: Term::Months,
        pricing: EMAIL_SEATS,
        plan_changes: PlanChanges::None,
        setup: NO_SETUP,
        details: DetailsStyle::Email,
        plan_base: 7000,
        plans: &[],
    },
    Family {
        catalog_name: "enterprise_email",
        name: "Enterprise Email",
        category: "hosting",
        editions: &[("enterpriseemail/us/", "enterpriseemailus"), ("enterpriseemail/in/", "enterpriseemailin")],
        term: Term::Months,
        pricing: Pricing::Seats { add: "add-email-account", delete: "delete-email-account", per_seat_cents: 250 },
        plan_changes: PlanChanges::None,
        setup: NO_SETUP,
        details: DetailsStyle::Email,
        plan_base: 8000,
        plans: &[],
    },
    Family {
        catalog_name: "google_workspace",
        name: "Google Workspace",
        category: "gapps",
        editions: &[("gapps/gbl/", "gappsgbl"), ("gapps/in/", "gappsin"), ("gapps/se/", "gappsse")],
        term: Term::Months,
        pricing: Pricing::Seats { add: "add-account", delete: "delete-account", per_seat_cents: 600 },
        plan_changes: PlanChanges::None,
        setup: NO_SETUP,
        details: DetailsStyle::Email,
        plan_base: 9000,
        plans: &WORKSPACE_PLANS,
    },
    Family {
        catalog_name: "cloud_hosting",
        name: "Cloud Hosting",
        category: "hosting",
        editions: &[("cloudsites/linux/us/", "cloudsiteslinuxus"), ("cloudsites/linux/in/", "cloudsiteslinuxin")],
        term: Term::Months,
        pricing: Pricing::Plan,
        plan_changes: PlanChanges::Any,
        setup: NO_SETUP,
        details: DetailsStyle::Plain,
        plan_base: 10_000,
        plans: &HOSTING_PLANS,
    },
];

/// Every edition of every family.
pub static PRODUCTS: LazyLock<Vec<Product>> = LazyLock::new(|| {
    FAMILIES
        .iter()
        .flat_map(|family| {
            family.editions.iter().zip(0..).map(move |(&(prefix, key), edition)| Product { family, key, prefix, edition })
        })
        .collect()
});

pub fn product(key: &str) -> Option<&'static Product> {
    PRODUCTS.iter().find(|p| p.key == key)
}

/// hostprov's name for the product an order's key belongs to; the key itself for products
/// without paths of their own (`dns`).
pub fn catalog_name(product_key: &str) -> &str {
    product(product_key).map_or(product_key, |p| p.family.catalog_name)
}

/// The product a call's path is under, and the call (`add.json`, …) that follows its prefix.
pub fn by_path(call: &str) -> Option<(&'static Product, &str)> {
    PRODUCTS.iter().find_map(|p| call.strip_prefix(p.prefix).map(|op| (p, op)))
}
