//! The LogicBoxes hosting, server and e-mail families over real HTTP: every family under its
//! own path prefixes with its documented parameters, plans, details fields and seat calls.

mod support;

use serde_json::{json, Value};
use support::{Answer, Env};

const CUSTOMER: &str = "1001";

/// An active plan of an edition, by its product key, from `/_sandbox/fixtures`.
fn plan(env: &Env, product_key: &str, n: usize) -> String {
    let editions = env.admin("fixtures")["logicboxes"]["editions"].clone();
    let edition = editions.as_object().unwrap().values().flat_map(|e| e.as_array().unwrap().clone()).find(|e| e["product_key"] == product_key);
    let edition = edition.unwrap_or_else(|| panic!("{product_key} is an edition"));
    edition["plans"][n].as_str().unwrap_or_else(|| panic!("{product_key} has a plan {n}")).to_owned()
}

fn add(env: &Env, prefix: &str, domain: &str, extra: &[(&str, &str)]) -> Answer {
    let mut params = vec![("domain-name", domain), ("customer-id", CUSTOMER), ("months", "12"), ("invoice-option", "NoInvoice"), ("auto-renew", "false")];
    params.extend_from_slice(extra);
    env.post(&format!("{prefix}add.json"), &params)
}

fn order_id(answer: &Answer) -> String {
    answer.ok()["entityid"].as_str().expect("entityid").to_owned()
}

fn details(env: &Env, prefix: &str, order_id: &str) -> Value {
    env.get(&format!("{prefix}details.json"), &[("order-id", order_id)]).ok()
}

#[test]
fn every_family_edition_has_plans_and_prices_except_the_seat_priced_email() {
    let env = Env::new();
    let plans = env.get("products/plan-details.json", &[]).ok();
    let prices = env.get("products/customer-price.json", &[]).ok();
    let fixtures = env.admin("fixtures")["logicboxes"].clone();
    for key in [
        "singledomainhostinglinuxus",
        "singledomainhostingwindowstr",
        "multidomainhosting",
        "multidomainwindowshostinguk",
        "resellerhosting",
        "resellerwindowshostinghk",
        "virtualserverlinuxin",
        "dedicatedserverwindowsin",
        "managedserverlinuxus",
        "gappsgbl",
        "gappsse",
        "cloudsiteslinuxus",
    ] {
        let listed = plans[key].as_object().unwrap_or_else(|| panic!("{key} in plan-details"));
        assert!(listed.values().all(|p| p["plan_name"].is_string() && p["plan_status"].is_string()), "{key}");
        let first = plan(&env, key, 0);
        assert!(listed.contains_key(&first), "{key}: the fixtures' plans are the listed ones");
        let price = &prices[key]["plans"][&first];
        assert!(price["add"]["12"].as_f64().is_some_and(|p| p > 0.0) && price["renew"]["1"].is_number(), "{key}: {price}");
    }
    assert_eq!(prices["sitelock"]["plans"]["101"]["add"].as_object().unwrap().keys().collect::<Vec<_>>(), ["12"], "SiteLock sells one term");
    for email in ["eeliteus", "enterpriseemailus", "enterpriseemailin"] {
        assert!(plans.get(email).is_none(), "{email} is priced by accounts, without plans");
    }
    assert!(fixtures["plans"].get("business_email").is_none());
    assert_eq!(fixtures["plans"]["single_domain_hosting"].as_array().unwrap().len(), 3, "plans of each product's default edition");
    assert_eq!(fixtures["editions"]["single_domain_hosting"].as_array().unwrap().len(), 10);
}

#[test]
fn hosting_details_carry_the_families_own_spellings() {
    let env = Env::new();
    let single = order_id(&add(&env, "singledomainhosting/linux/uk/", "single.example", &[("plan-id", &plan(&env, "singledomainhostinglinuxuk", 1)), ("enable-ssl", "true")]));
    let view = details(&env, "singledomainhosting/linux/uk/", &single);
    assert_eq!((view["productkey"].as_str(), view["productcategory"].as_str()), (Some("singledomainhostinglinuxuk"), Some("hosting")));
    for field in ["ipaddress", "tempurl", "siteadminusername", "webspace", "bandwidth", "mailspace", "nameserver"] {
        assert!(view[field].is_string(), "{field}: {view:#}");
    }
    assert_eq!(view["mailspace"], "-1");

    let multi = order_id(&add(&env, "multidomainhosting/windows/us/", "multi.example", &[("plan-id", &plan(&env, "multidomainwindowshosting", 0))]));
    let view = details(&env, "multidomainhosting/windows/us/", &multi);
    assert!(view["space"].is_string() && view["ns_detail"].is_array() && view.get("webspace").is_none(), "{view:#}");

    // An order lives under its own edition's paths only.
    let elsewhere = env.get("singledomainhosting/linux/us/details.json", &[("order-id", &single)]);
    assert_eq!(elsewhere.error_message(), "No Entity found for Entityid");
    let found = env.get("singledomainhosting/linux/uk/search.json", &[("no-of-records", "10"), ("page-no", "1"), ("domain-name", "single.example")]).ok();
    assert_eq!((found["recsindb"].as_str(), found["1"]["entitytype.entitytypekey"].as_str()), (Some("1"), Some("singledomainhostinglinuxuk")));
    let none = env.get("singledomainhosting/linux/us/search.json", &[("no-of-records", "10"), ("page-no", "1"), ("domain-name", "single.example")]).ok();
    assert_eq!(none, json!({"recsonpage": "0", "recsindb": "0"}));
    let id = env.get("singledomainhosting/linux/uk/orderid.json", &[("domain-name", "single.example")]);
    assert_eq!(id.body.trim(), single);
}

#[test]
fn servers_need_a_known_os_and_take_repeated_addons() {
    let env = Env::new();
    let vps_plan = plan(&env, "virtualserverlinuxus", 0);
    assert!(add(&env, "virtualserver/linux/us/", "vps.example", &[("plan-id", &vps_plan)]).error_message().contains("os"));
    assert!(add(&env, "virtualserver/linux/us/", "vps.example", &[("plan-id", &vps_plan), ("os", "beos_5")]).error_message().contains("Invalid os"));
    assert!(add(&env, "virtualserver/linux/us/", "vps.example", &[("plan-id", &vps_plan), ("os", "alma_8"), ("addon", "directadmin")]).error_message().contains("addon"));
    let vps = order_id(&add(&env, "virtualserver/linux/us/", "vps.example", &[("plan-id", &vps_plan), ("os", "alma_8"), ("addon", "cpanel"), ("addon", "storage_2")]));
    let view = details(&env, "virtualserver/linux/us/", &vps);
    assert_eq!((view["os_name"].as_str(), view["addons"].clone()), (Some("alma_8"), json!(["cpanel", "storage_2"])));
    assert!(view["ipAddress"].is_string() && view.get("ipaddress").is_none(), "VPS spells it ipAddress: {view:#}");

    let managed = order_id(&add(&env, "managedserver/linux/us/", "managed.example", &[("plan-id", &plan(&env, "managedserverlinuxus", 0)), ("os", "ubuntu_22")]));
    let view = details(&env, "managedserver/linux/us/", &managed);
    assert!(view["ipaddress"].is_string() && view["license_key"].is_string(), "{view:#}");

    // VPS plans only go up; families have no validate-modify.
    let bigger = plan(&env, "virtualserverlinuxus", 2);
    env.post("virtualserver/linux/us/modify.json", &[("order-id", &vps), ("new-plan-id", &bigger), ("months", "12"), ("invoice-option", "NoInvoice")]).ok();
    let smaller = env.post("virtualserver/linux/us/modify.json", &[("order-id", &vps), ("new-plan-id", &vps_plan), ("months", "12"), ("invoice-option", "NoInvoice")]);
    assert!(smaller.error_message().contains("Downgrade"));
    assert_eq!(env.admin_order(&vps)["plan_id"], bigger.as_str());
    assert_eq!(env.get("virtualserver/linux/us/validate-modify.json", &[("order-id", &vps), ("new-planid", &bigger)]).status, 404);
}

#[test]
fn reseller_hosting_takes_a_dedicated_ip_and_cpanel_blocks() {
    let env = Env::new();
    let prefix = "resellerhosting/linux/us/";
    let reseller = order_id(&add(&env, prefix, "reseller.example", &[("plan-id", &plan(&env, "resellerhosting", 0)), ("add-dedicated-ip", "true")]));
    assert!(add(&env, prefix, "r2.example", &[("plan-id", &plan(&env, "resellerhosting", 0)), ("add-dedicated-ip", "sure")]).error_message().contains("add-dedicated-ip"));
    let modify = |blocks: &str| {
        env.post(&format!("{prefix}modify.json"), &[("order-id", &reseller), ("new-plan-id", &plan(&env, "resellerhosting", 1)), ("months", "12"), ("invoice-option", "NoInvoice"), ("cpanel-blocks", blocks)])
    };
    assert!(modify("0").error_message().contains("cpanel-blocks"));
    modify("3").ok();
    let token = env.login_token(CUSTOMER);
    let page = env.servlet("ManageServiceServletForAPI", &[("auth-token", &token), ("orderid", &reseller), ("panel", "whm")]);
    assert_eq!(page.status, 200, "{page:?}");
}

#[test]
fn email_seats_go_up_with_an_invoice_wrapper_and_down_to_one() {
    let env = Env::new();
    let prefix = "eelite/us/";
    assert!(add(&env, prefix, "mail.example", &[]).error_message().contains("no-of-accounts"));
    let mail = order_id(&add(&env, prefix, "mail.example", &[("no-of-accounts", "2")]));
    assert_eq!(details(&env, prefix, &mail)["emailaccounts"], 2, "a JSON number, as the live API sends it");
    assert_eq!(env.admin_order(&mail)["seats"], 2);

    let added = env.post(&format!("{prefix}add-email-account.json"), &[("order-id", &mail), ("no-of-accounts", "3"), ("invoice-option", "PayInvoice")]).ok();
    let (invoice, action) = added.as_object().unwrap().iter().next().unwrap();
    assert_eq!((action["invoiceid"].as_str(), action["actiontype"].as_str(), action["actionstatus"].as_str()), (Some(invoice.as_str()), Some("AddEmailAccount"), Some("InvoicePaid")));
    assert_eq!(env.admin_order(&mail)["seats"], 5);

    let removed = env.post(&format!("{prefix}delete-email-account.json"), &[("order-id", &mail), ("no-of-accounts", "4")]).ok();
    assert!(removed.get("entityid").is_none() && removed["actiontype"] == "DeleteEmailAccount", "{removed}");
    assert_eq!(env.admin_order(&mail)["seats"], 1);
    let last = env.post(&format!("{prefix}delete-email-account.json"), &[("order-id", &mail), ("no-of-accounts", "1")]);
    assert!(last.error_message().contains("at least one"));
    assert_eq!(env.post(&format!("{prefix}add-account.json"), &[("order-id", &mail), ("no-of-accounts", "1")]).status, 404, "Business Email's seat calls are add-email-account and delete-email-account");
    assert_eq!(env.post(&format!("{prefix}modify.json"), &[("order-id", &mail)]).status, 404, "no change of plan");

    let renewed = env.post(&format!("{prefix}renew.json"), &[("order-id", &mail), ("months", "12"), ("no-of-accounts", "1"), ("auto-renew", "false"), ("invoice-option", "KeepInvoice")]).ok();
    assert_eq!(renewed["sellingamount"], "-12.000", "one account for twelve months at 1.00");
}

#[test]
fn google_workspace_takes_an_optional_plan_and_its_own_seat_calls() {
    let env = Env::new();
    let prefix = "gapps/gbl/";
    let workspace = order_id(&add(&env, prefix, "gw.example", &[("no-of-accounts", "4")]));
    assert_eq!(env.admin_order(&workspace)["plan_id"], plan(&env, "gappsgbl", 0).as_str(), "the first plan when none is given");
    let standard = order_id(&add(&env, prefix, "gw2.example", &[("no-of-accounts", "1"), ("plan-id", &plan(&env, "gappsgbl", 1))]));
    assert_eq!(env.admin_order(&standard)["plan_id"], plan(&env, "gappsgbl", 1).as_str());
    env.post(&format!("{prefix}add-account.json"), &[("order-id", &workspace), ("no-of-accounts", "2"), ("invoice-option", "NoInvoice")]).ok();
    env.post(&format!("{prefix}delete-account.json"), &[("order-id", &workspace), ("no-of-accounts", "5")]).ok();
    assert_eq!(details(&env, prefix, &workspace)["emailaccounts"], 1);
    assert_eq!(env.post(&format!("{prefix}add-email-account.json"), &[("order-id", &workspace), ("no-of-accounts", "1")]).status, 404);
}

#[test]
fn family_orders_open_their_panel_by_product_key() {
    let env = Env::new();
    let mail = order_id(&add(&env, "enterpriseemail/in/", "panel.example", &[("no-of-accounts", "1")]));
    let token = env.login_token(CUSTOMER);
    let open = |name: &str| env.servlet("ManageServiceServletForAPI", &[("auth-token", &token), ("orderid", &mail), ("service-name", name)]).status;
    assert_eq!(open("enterpriseemailin"), 200);
    assert_eq!(open("enterpriseemailus"), 403, "another edition's key");
}

#[test]
fn family_refusals_take_every_mixed_error_shape() {
    let env = Env::new();
    env.admin_put("config", r#"{"error_style": "mixed"}"#);
    let shapes: std::collections::HashSet<String> = (0..6)
        .map(|_| {
            let answer = add(&env, "dedicatedserver/linux/hk/", "mixed.example", &[("plan-id", "1")]);
            let body = answer.json();
            let keys: Vec<&String> = body.as_object().expect("an object").keys().collect();
            format!("{} {keys:?} {}", answer.status, body["status"])
        })
        .collect();
    assert_eq!(shapes.len(), 6, "six refusals in a row take the six shapes: {shapes:?}");
}
