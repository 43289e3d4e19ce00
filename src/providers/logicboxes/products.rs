//! Every LogicBoxes product with API paths of its own — SiteLock, CodeGuard, and the hosting,
//! server and e-mail families — as one row each (`LOGICBOXES-FAMILIES.md`, docs 000 and 004).
//!
//! A row says everything that tells one product from another: where its calls live for each
//! platform and region, how it is priced (a plan, or seats), which calls need `months`, the
//! family options each operation takes, which details fields it has and how its control panel
//! opens. One code path (`orders`, `plan_change`, `details`) serves every row; adding a product
//! is adding a row. Values no primary source confirms are marked *unconfirmed*: correct them here.

use super::options::{NO_OPTIONS, OptionNames};
use crate::operation::Operation as Op;
use crate::providers::{OperationSpec, ProductSpec};
use crate::request::{AccountField as A, Field as F};

/// One platform-and-region edition of a product: where its calls live and its product key.
#[derive(Debug)]
pub struct Variant {
    /// `linux` or `windows`; `None` where the product has no platform choice.
    pub platform: Option<&'static str>,
    /// `us`, `uk`, `in`, `hk`, `tr`, `se`, `gbl`; `None` where the product has no region choice.
    pub region: Option<&'static str>,
    /// The path prefix of every product call, with its trailing slash.
    pub prefix: &'static str,
    /// The API's product key: `productkey` in details, `service-name` for the control panel.
    pub product_key: &'static str,
}

/// How a product is priced, and so what `change_package` changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pricing {
    /// One plan per order (`plan-id`), changed with `modify.json`.
    Plan(PlanChange),
    /// A number of accounts (`no-of-accounts`), changed up and down with the seat calls.
    Seats {
        /// `<prefix><add>.json` adds accounts, `<prefix><delete>.json` removes them.
        add: &'static str,
        delete: &'static str,
        /// Whether `plan-id` may also be given at create (Google Workspace).
        optional_plan: bool,
    },
}

/// How a change of plan is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanChange {
    /// `validate-modify.json` (which spells `new-planid`) before `modify.json`.
    Validated,
    /// `modify.json` directly; the API refuses a plan it does not sell.
    Direct,
    /// Upgrades only: the price quote (`modify-pricing.json`) is read first and a cheaper plan
    /// is refused before anything is changed.
    UpgradesOnly,
}

/// Which calls of a product are known well enough to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Calls {
    /// Every call of the family, `details.json` included.
    Complete,
    /// Only add, renew and search are confirmed: the order is read from `search.json`, and the
    /// operations that would need other calls are not offered.
    ConfirmedOnly,
}

/// What `client_area_url` opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    /// `ManageServiceServletForAPI` with `service-name` = the order's product key.
    ProductKey,
    /// `ManageServiceServletForAPI` with `panel=whm`.
    Whm,
}

/// How a details value is given back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Text,
    /// A whole number, from a number or a string of digits.
    Count,
    /// A space quota in MB; the API's `-1` is `"unlimited"`.
    Quota,
    /// A list of strings, from an array or a comma-separated string.
    List,
}

/// A family field of `details.json`: our readable name, the API's spellings (the first present
/// wins), and its shape.
#[derive(Debug)]
pub struct DetailField {
    pub ours: &'static str,
    pub theirs: &'static [&'static str],
    pub shape: Shape,
}

const fn field(ours: &'static str, theirs: &'static [&'static str], shape: Shape) -> DetailField {
    DetailField { ours, theirs, shape }
}

/// One product with API paths of its own.
#[derive(Debug)]
pub struct OrderProduct {
    /// The catalog's name for the product (stable: panels store it).
    pub key: &'static str,
    /// How messages name it.
    pub title: &'static str,
    /// Every edition; the first is the default, and gives the default platform and region.
    pub variants: &'static [Variant],
    pub pricing: Pricing,
    /// Whether add, renew and modify take `months` (CodeGuard and the families) or ignore it
    /// (SiteLock).
    pub months: bool,
    pub calls: Calls,
    pub panel: Panel,
    pub details: &'static [DetailField],
    /// What the dispatcher checks and the catalog lists: built from the pricing, `months`, the
    /// calls and the family options each operation takes.
    pub operations: &'static [OperationSpec],
}

impl OrderProduct {
    pub fn spec(&'static self) -> ProductSpec {
        let mut spec = ProductSpec::new(self.key, self.operations);
        if self.calls == Calls::ConfirmedOnly {
            spec.missing = crate::providers::MissingCalls::Unconfirmed;
        }
        spec
    }

    /// The default edition: the first.
    pub fn default_variant(&self) -> &'static Variant {
        &self.variants[0]
    }

    /// Whether create sends `plan-id` (always for plan-priced products; when given, for
    /// seat-priced ones that take it).
    pub fn orders_by_plan(&self) -> bool {
        matches!(self.pricing, Pricing::Plan(_) | Pricing::Seats { optional_plan: true, .. })
    }

    /// The edition an order's product key names.
    pub fn variant_of_key(&self, product_key: &str) -> Option<&'static Variant> {
        self.variants.iter().find(|v| v.product_key == product_key)
    }
}

pub fn find(key: &str) -> Option<&'static OrderProduct> {
    ORDER_PRODUCTS.iter().find(|p| p.key == key)
}

/// The row and edition of a product key.
pub fn find_by_product_key(key: &str) -> Option<(&'static OrderProduct, &'static Variant)> {
    ORDER_PRODUCTS.iter().find_map(|p| Some((p, p.variant_of_key(key)?)))
}

// ---------------------------------------------------------------------------------------------
// Operations, built from a row's pricing, `months` and options.

const fn op(operation: Op, required: &'static [F], optional: &'static [F]) -> OperationSpec {
    OperationSpec::new(operation, required, optional)
}

const fn with_options(spec: OperationSpec, required: &'static [&'static str], optional: &'static [&'static str]) -> OperationSpec {
    OperationSpec { options_required: required, options_optional: optional, ..spec }
}

/// Every operation of a product whose calls are all known.
const fn all_operations(months: bool, pricing: Pricing, names: &'static OptionNames) -> [OperationSpec; 8] {
    let create_required: &[F] = match (pricing, months) {
        (Pricing::Plan(_), true) => &[F::Domain, F::CustomerId, F::PlanId, F::Months],
        (Pricing::Plan(_), false) => &[F::Domain, F::CustomerId, F::PlanId],
        (Pricing::Seats { .. }, _) => &[F::Domain, F::CustomerId, F::Months],
    };
    let create_optional: &[F] = match pricing {
        Pricing::Seats { optional_plan: true, .. } => &[F::PlanId, F::InvoiceOption, F::AutoRenew],
        _ => &[F::InvoiceOption, F::AutoRenew],
    };
    let renew: &[F] = if months { &[F::OrderId, F::Months] } else { &[F::OrderId] };
    let change = match pricing {
        Pricing::Plan(_) => {
            let required: &[F] = if months { &[F::OrderId, F::NewPlanId, F::Months] } else { &[F::OrderId, F::NewPlanId] };
            with_options(op(Op::ChangePackage, required, &[F::InvoiceOption]), &[], names.change)
        }
        // The new total of seats; the calls that add or remove them take no term.
        Pricing::Seats { .. } => with_options(op(Op::ChangePackage, &[F::OrderId], &[F::InvoiceOption]), &["seats"], names.change),
    };
    let link = OperationSpec { account_required: &[A::PanelUrl], ..op(Op::ClientAreaUrl, &[F::OrderId, F::ClientIp], &[F::CustomerId]) };
    let details = OperationSpec { required_one_of: &["service.order_id", "service.domain"], ..op(Op::Details, &[], &[F::OrderId, F::Domain]) };
    [
        with_options(op(Op::Create, create_required, create_optional), names.create_required, names.create),
        with_options(op(Op::Suspend, &[F::OrderId], &[F::Reason]), &[], names.reach),
        with_options(op(Op::Unsuspend, &[F::OrderId], &[]), &[], names.reach),
        with_options(op(Op::Terminate, &[F::OrderId], &[]), &[], names.reach),
        with_options(op(Op::Renew, renew, &[F::AutoRenew, F::InvoiceOption]), &[], names.renew),
        change,
        with_options(link, &[], names.reach),
        with_options(details, &[], names.reach),
    ]
}

/// The operations of a plan-priced product of which only add, renew and search are confirmed,
/// besides the generic suspension.
const fn confirmed_operations(names: &'static OptionNames) -> [OperationSpec; 4] {
    [
        with_options(op(Op::Create, &[F::Domain, F::CustomerId, F::PlanId, F::Months], &[F::InvoiceOption, F::AutoRenew]), names.create_required, names.create),
        with_options(op(Op::Suspend, &[F::OrderId], &[F::Reason]), &[], names.reach),
        with_options(op(Op::Unsuspend, &[F::OrderId], &[]), &[], names.reach),
        with_options(op(Op::Renew, &[F::OrderId, F::Months], &[F::AutoRenew, F::InvoiceOption]), &[], names.renew),
    ]
}

// ---------------------------------------------------------------------------------------------
// Editions. Product keys marked *unconfirmed* follow the family's pattern without a source.

const fn linux(region: &'static str, prefix: &'static str, product_key: &'static str) -> Variant {
    Variant { platform: Some("linux"), region: Some(region), prefix, product_key }
}

const fn windows(region: &'static str, prefix: &'static str, product_key: &'static str) -> Variant {
    Variant { platform: Some("windows"), region: Some(region), prefix, product_key }
}

const fn region(region: &'static str, prefix: &'static str, product_key: &'static str) -> Variant {
    Variant { platform: None, region: Some(region), prefix, product_key }
}

const fn only(prefix: &'static str, product_key: &'static str) -> Variant {
    Variant { platform: None, region: None, prefix, product_key }
}

/// KB 1716–1718. (Windows US California, `singledomainhosting/windows/us/ca/`, is not offered.)
const SINGLE_DOMAIN_HOSTING: [Variant; 10] = [
    linux("us", "singledomainhosting/linux/us/", "singledomainhostinglinuxus"),
    linux("uk", "singledomainhosting/linux/uk/", "singledomainhostinglinuxuk"),
    linux("in", "singledomainhosting/linux/in/", "singledomainhostinglinuxin"),
    linux("hk", "singledomainhosting/linux/hk/", "singledomainhostinglinuxhk"),
    linux("tr", "singledomainhosting/linux/tr/", "singledomainhostinglinuxtr"), // key unconfirmed
    windows("us", "singledomainhosting/windows/us/", "singledomainhostingwindowsus"),
    windows("uk", "singledomainhosting/windows/uk/", "singledomainhostingwindowsuk"),
    windows("in", "singledomainhosting/windows/in/", "singledomainhostingwindowsin"),
    windows("hk", "singledomainhosting/windows/hk/", "singledomainhostingwindowshk"),
    windows("tr", "singledomainhosting/windows/tr/", "singledomainhostingwindowstr"), // key unconfirmed
];

/// KB 1258, 1264.
const MULTI_DOMAIN_HOSTING: [Variant; 10] = [
    linux("us", "multidomainhosting/linux/us/", "multidomainhosting"),
    linux("uk", "multidomainhosting/linux/uk/", "multidomainhostinglinuxuk"),
    linux("in", "multidomainhosting/linux/in/", "multidomainhostinglinuxin"),
    linux("hk", "multidomainhosting/linux/hk/", "multidomainhostinglinuxhk"),
    linux("tr", "multidomainhosting/linux/tr/", "multidomainhostinglinuxtr"), // key unconfirmed
    windows("us", "multidomainhosting/windows/us/", "multidomainwindowshosting"),
    windows("uk", "multidomainhosting/windows/uk/", "multidomainwindowshostinguk"),
    windows("in", "multidomainhosting/windows/in/", "multidomainwindowshostingin"),
    windows("hk", "multidomainhosting/windows/hk/", "multidomainwindowshostinghk"),
    windows("tr", "multidomainhosting/windows/tr/", "multidomainwindowshostingtr"), // key unconfirmed
];

/// KB 1511, 1512, 1322.
const RESELLER_HOSTING: [Variant; 8] = [
    linux("us", "resellerhosting/linux/us/", "resellerhosting"),
    linux("uk", "resellerhosting/linux/uk/", "resellerhostinglinuxuk"),
    linux("in", "resellerhosting/linux/in/", "resellerhostinglinuxin"),
    linux("hk", "resellerhosting/linux/hk/", "resellerhostinglinuxhk"),
    windows("us", "resellerhosting/windows/us/", "resellerwindowshosting"),
    windows("uk", "resellerhosting/windows/uk/", "resellerwindowshostinguk"),
    windows("in", "resellerhosting/windows/in/", "resellerwindowshostingin"),
    windows("hk", "resellerhosting/windows/hk/", "resellerwindowshostinghk"),
];

/// KB 2456, 2457, 2977, 2461. Both keys unconfirmed.
const VPS: [Variant; 2] = [
    linux("us", "virtualserver/linux/us/", "virtualserverlinuxus"),
    linux("in", "virtualserver/linux/in/", "virtualserverlinuxin"),
];

/// KB 2053, 2054, 2059, 2060, 2063. Keys other than US Linux unconfirmed.
const DEDICATED_SERVER: [Variant; 4] = [
    linux("us", "dedicatedserver/linux/us/", "dedicatedserverlinuxus"),
    linux("in", "dedicatedserver/linux/in/", "dedicatedserverlinuxin"),
    linux("hk", "dedicatedserver/linux/hk/", "dedicatedserverlinuxhk"),
    windows("in", "dedicatedserver/windows/in/", "dedicatedserverwindowsin"),
];

/// KB 2223, 2224, 2230.
const MANAGED_SERVER: [Variant; 1] = [linux("us", "managedserver/linux/us/", "managedserverlinuxus")];

/// KB 2156–2163.
const BUSINESS_EMAIL: [Variant; 1] = [region("us", "eelite/us/", "eeliteus")];

/// KB 1773–1780.
const ENTERPRISE_EMAIL: [Variant; 2] =
    [region("us", "enterpriseemail/us/", "enterpriseemailus"), region("in", "enterpriseemail/in/", "enterpriseemailin")];

/// KB 2711–2719. `gbl` first: it is the default, and the only confirmed key.
const GOOGLE_WORKSPACE: [Variant; 3] = [
    region("gbl", "gapps/gbl/", "gappsgbl"),
    region("in", "gapps/in/", "gappsin"), // key unconfirmed
    region("se", "gapps/se/", "gappsse"), // key unconfirmed
];

/// KB 2644, 2648, 2652. Both keys unconfirmed.
const CLOUD_HOSTING: [Variant; 2] = [
    linux("us", "cloudsites/linux/us/", "cloudsiteslinuxus"),
    linux("in", "cloudsites/linux/in/", "cloudsiteslinuxin"),
];

// ---------------------------------------------------------------------------------------------
// Family options per operation, and details fields.

const HOSTING_OPTIONS: OptionNames = OptionNames {
    create: &["platform", "region", "enable_ssl"],
    renew: &["platform", "region", "enable_ssl"],
    ..OptionNames::reach(&["platform", "region"])
};

const RESELLER_OPTIONS: OptionNames = OptionNames {
    create: &["platform", "region", "add_dedicated_ip"],
    change: &["platform", "region", "cpanel_blocks"],
    ..OptionNames::reach(&["platform", "region"])
};

const SERVER_OPTIONS: OptionNames = OptionNames {
    create_required: &["os"],
    create: &["platform", "region", "addons"],
    ..OptionNames::reach(&["platform", "region"])
};

const EMAIL_OPTIONS: OptionNames = OptionNames { create_required: &["seats"], ..OptionNames::reach(&["region"]) };

const CLOUD_OPTIONS: OptionNames = OptionNames::reach(&["platform", "region"]);

/// Single, multi-domain and reseller hosting: single domain hosting spells disk space
/// `webspace` and name servers `nameserver`, multi-domain hosting `space` and `ns_detail`.
const HOSTING_DETAILS: [DetailField; 7] = [
    field("ip_address", &["ipaddress", "ipAddress"], Shape::Text),
    field("temporary_url", &["tempurl"], Shape::Text),
    field("admin_username", &["siteadminusername"], Shape::Text),
    field("disk_space", &["webspace", "space"], Shape::Quota),
    field("bandwidth", &["bandwidth"], Shape::Quota),
    field("mail_space", &["mailspace"], Shape::Quota),
    field("nameservers", &["nameserver", "ns_detail", "nameservers"], Shape::List),
];

/// VPS spells the address `ipAddress`, dedicated servers `ipaddress`; managed servers add a
/// licence key.
const SERVER_DETAILS: [DetailField; 4] = [
    field("ip_address", &["ipaddress", "ipAddress"], Shape::Text),
    field("os", &["os_name", "os"], Shape::Text),
    field("addons", &["addons"], Shape::List),
    field("licence_key", &["license_key"], Shape::Text),
];

const EMAIL_DETAILS: [DetailField; 1] = [field("seats", &["emailaccounts"], Shape::Count)];

const fn seats(add: &'static str, delete: &'static str, optional_plan: bool) -> Pricing {
    Pricing::Seats { add, delete, optional_plan }
}

const PLAN: Pricing = Pricing::Plan(PlanChange::Direct);
const EMAIL: Pricing = seats("add-email-account", "delete-email-account", false);
const GOOGLE_SEATS: Pricing = seats("add-account", "delete-account", true);

// ---------------------------------------------------------------------------------------------
// The table.

/// A row of [`ORDER_PRODUCTS`], its operations built from its pricing, `months`, calls and
/// options, so that nothing is said twice.
macro_rules! order_product {
    (
        key: $key:literal, title: $title:literal,
        variants: $variants:expr, pricing: $pricing:expr, months: $months:literal, calls: $calls:expr,
        panel: $panel:expr, details: $details:expr, options: $options:expr $(,)?
    ) => {
        OrderProduct {
            key: $key,
            title: $title,
            variants: $variants,
            pricing: $pricing,
            months: $months,
            calls: $calls,
            panel: $panel,
            details: $details,
            operations: match $calls {
                Calls::Complete => &all_operations($months, $pricing, &$options),
                Calls::ConfirmedOnly => &confirmed_operations(&$options),
            },
        }
    };
}

pub static ORDER_PRODUCTS: [OrderProduct; 12] = [
    order_product! {
        key: "sitelock", title: "SiteLock",
        variants: &[only("sitelock/", "sitelock")], pricing: Pricing::Plan(PlanChange::Validated), months: false, calls: Calls::Complete,
        panel: Panel::ProductKey, details: &[], options: NO_OPTIONS,
    },
    order_product! {
        key: "codeguard", title: "CodeGuard",
        variants: &[only("codeguard/", "codeguard")], pricing: Pricing::Plan(PlanChange::Validated), months: true, calls: Calls::Complete,
        panel: Panel::ProductKey, details: &[], options: NO_OPTIONS,
    },
    order_product! {
        key: "single_domain_hosting", title: "Single Domain Hosting",
        variants: &SINGLE_DOMAIN_HOSTING, pricing: PLAN, months: true, calls: Calls::Complete,
        panel: Panel::ProductKey, details: &HOSTING_DETAILS, options: HOSTING_OPTIONS,
    },
    order_product! {
        key: "multi_domain_hosting", title: "Multi Domain Hosting",
        variants: &MULTI_DOMAIN_HOSTING, pricing: PLAN, months: true, calls: Calls::Complete,
        panel: Panel::ProductKey, details: &HOSTING_DETAILS, options: HOSTING_OPTIONS,
    },
    order_product! {
        key: "reseller_hosting", title: "Reseller Hosting",
        variants: &RESELLER_HOSTING, pricing: PLAN, months: true, calls: Calls::Complete,
        panel: Panel::Whm, details: &HOSTING_DETAILS, options: RESELLER_OPTIONS,
    },
    order_product! {
        key: "vps", title: "VPS",
        variants: &VPS, pricing: Pricing::Plan(PlanChange::UpgradesOnly), months: true, calls: Calls::Complete,
        panel: Panel::ProductKey, details: &SERVER_DETAILS, options: SERVER_OPTIONS,
    },
    order_product! {
        key: "dedicated_server", title: "Dedicated Server",
        variants: &DEDICATED_SERVER, pricing: PLAN, months: true, calls: Calls::Complete,
        panel: Panel::ProductKey, details: &SERVER_DETAILS, options: SERVER_OPTIONS,
    },
    order_product! {
        key: "managed_server", title: "Managed Server",
        variants: &MANAGED_SERVER, pricing: PLAN, months: true, calls: Calls::Complete,
        panel: Panel::ProductKey, details: &SERVER_DETAILS, options: SERVER_OPTIONS,
    },
    order_product! {
        key: "business_email", title: "Business Email",
        variants: &BUSINESS_EMAIL, pricing: EMAIL, months: true, calls: Calls::Complete,
        panel: Panel::ProductKey, details: &EMAIL_DETAILS, options: EMAIL_OPTIONS,
    },
    order_product! {
        key: "enterprise_email", title: "Enterprise Email",
        variants: &ENTERPRISE_EMAIL, pricing: EMAIL, months: true, calls: Calls::Complete,
        panel: Panel::ProductKey, details: &EMAIL_DETAILS, options: EMAIL_OPTIONS,
    },
    order_product! {
        key: "google_workspace", title: "Google Workspace",
        variants: &GOOGLE_WORKSPACE, pricing: GOOGLE_SEATS, months: true, calls: Calls::Complete,
        panel: Panel::ProductKey, details: &EMAIL_DETAILS, options: EMAIL_OPTIONS,
    },
    order_product! {
        key: "cloud_hosting", title: "Cloud Hosting",
        variants: &CLOUD_HOSTING, pricing: PLAN, months: true, calls: Calls::ConfirmedOnly,
        panel: Panel::ProductKey, details: &[], options: CLOUD_OPTIONS,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_prefix_and_product_key_is_unique_and_well_formed() {
        let mut prefixes = HashSet::new();
        let mut keys = HashSet::new();
        for product in &ORDER_PRODUCTS {
            for v in product.variants {
                assert!(v.prefix.ends_with('/') && !v.prefix.starts_with('/'), "{}", v.prefix);
                assert!(v.product_key.bytes().all(|b| b.is_ascii_lowercase()), "{}", v.product_key);
                assert!(prefixes.insert(v.prefix), "{} twice", v.prefix);
                assert!(keys.insert(v.product_key), "{} twice", v.product_key);
                let pair = (v.platform, v.region);
                assert_eq!(product.variants.iter().filter(|w| (w.platform, w.region) == pair).count(), 1, "{pair:?}");
            }
        }
    }

    #[test]
    fn defaults_are_linux_in_the_us_except_google_workspace() {
        for product in &ORDER_PRODUCTS {
            let default = product.default_variant();
            let expected = match product.key {
                "sitelock" | "codeguard" => (None, None),
                "business_email" | "enterprise_email" => (None, Some("us")),
                "google_workspace" => (None, Some("gbl")),
                _ => (Some("linux"), Some("us")),
            };
            assert_eq!((default.platform, default.region), expected, "{}", product.key);
        }
    }

    #[test]
    fn rows_and_their_operations_agree() {
        for product in &ORDER_PRODUCTS {
            let spec = product.spec();
            let create = spec.operation(Op::Create).expect("every product can be ordered");
            assert_eq!(create.required.contains(&F::Months), product.months, "{}", product.key);
            let seats = matches!(product.pricing, Pricing::Seats { .. });
            assert_eq!(create.options_required.contains(&"seats"), seats, "{}", product.key);
            assert_eq!(create.required.contains(&F::PlanId), !seats, "{}", product.key);
            let offered = spec.operations.len();
            assert_eq!(offered == 8, product.calls == Calls::Complete, "{}", product.key);
        }
    }
}
