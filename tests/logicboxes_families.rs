//! The LogicBoxes hosting, server and e-mail families end to end against the sandbox. Every
//! request is built from `hostprov_catalog()` alone — which products there are, which fields and
//! options each operation needs, by name — as a panel builds its forms; `/_sandbox/orders` is
//! checked after every step.

mod common;

use std::collections::BTreeMap;

use common::{call, expect_error, expect_ok, param_values, Env};
use serde_json::{json, Map, Value};

const CLIENT_IP: &str = "203.0.113.9";

/// A product as the catalog lists it: its operations by name.
struct Product {
    key: String,
    operations: BTreeMap<String, Value>,
}

impl Product {
    fn operation(&self, name: &str) -> Option<&Value> {
        self.operations.get(name)
    }

    /// Every option an operation names, required or optional.
    fn options(&self, operation: &str) -> Vec<String> {
        let Some(op) = self.operation(operation) else { return Vec::new() };
        ["options_required", "options_optional"].iter().flat_map(|k| names(&op[*k])).collect()
    }
}

fn names(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect()
}

/// The LogicBoxes products of the catalog that are sold by region: the families.
fn families() -> Vec<Product> {
    let catalog = call("catalog", &json!({}));
    expect_ok(&catalog);
    let providers = catalog["data"]["providers"].as_array().unwrap();
    let logicboxes = providers.iter().find(|p| p["provider"] == "logicboxes").unwrap();
    let products: Vec<Product> = logicboxes["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| Product {
            key: p["product"].as_str().unwrap().to_owned(),
            operations: p["operations"].as_array().unwrap().iter().map(|o| (o["operation"].as_str().unwrap().to_owned(), o.clone())).collect(),
        })
        .filter(|p| p.options("create").iter().any(|o| o == "region"))
        .collect();
    assert!(products.len() >= 10, "the catalog lists the families: {:?}", products.iter().map(|p| &p.key).collect::<Vec<_>>());
    products
}

/// What the test knows of the order it is walking.
#[derive(Default, Clone)]
struct Known {
    domain: String,
    customer_id: String,
    plan_id: Option<String>,
    new_plan_id: Option<String>,
    order_id: Option<String>,
}

/// A value for a `service` field, by its name.
fn field(name: &str, known: &Known) -> Option<Value> {
    match name {
        "domain" => Some(json!(known.domain)),
        "customer_id" => Some(json!(known.customer_id)),
        "plan_id" => known.plan_id.as_ref().map(|p| json!(p)),
        "new_plan_id" => known.new_plan_id.as_ref().map(|p| json!(p)),
        "order_id" => known.order_id.as_ref().map(|id| json!(id)),
        "months" => Some(json!(12)),
        "client_ip" => Some(json!(CLIENT_IP)),
        "auto_renew" => Some(json!(false)),
        "reason" => Some(json!("Overdue invoice")),
        _ => None,
    }
}

/// A value for a family option, by its name; the edition is left to its defaults.
fn option(name: &str) -> Option<Value> {
    match name {
        "seats" => Some(json!(3)),
        "os" => Some(json!("alma_8")),
        "addons" => Some(json!(["cpanel", "storage_1"])),
        "enable_ssl" => Some(json!(true)),
        "add_dedicated_ip" => Some(json!(true)),
        "cpanel_blocks" => Some(json!(2)),
        _ => None,
    }
}

/// The request for `operation` on `product`, with every field and option the catalog names
/// that the test has a value for; `options` overrides.
fn request(env: &Env, product: &Product, operation: &str, known: &Known, options: Value) -> Value {
    let op = product.operation(operation).unwrap_or_else(|| panic!("{} has no {operation}", product.key));
    let mut service = Map::new();
    for name in names(&op["required"]).into_iter().chain(names(&op["optional"])) {
        if let Some(value) = field(&name, known) {
            service.insert(name, value);
        }
    }
    let mut chosen = Map::new();
    for name in product.options(operation) {
        if let Some(value) = option(&name) {
            chosen.insert(name, value);
        }
    }
    for (name, value) in options.as_object().unwrap() {
        chosen.insert(name.clone(), value.clone());
    }
    for required in names(&op["required"]) {
        assert!(service.contains_key(&required), "{} {operation} needs `{required}`, which the test has no value for", product.key);
    }
    for required in names(&op["options_required"]) {
        assert!(chosen.contains_key(&required), "{} {operation} needs option `{required}`", product.key);
    }
    service.insert("options".into(), Value::Object(chosen));
    env.lb(Some(&product.key), Value::Object(service))
}

/// Active plans of the product's default edition, cheapest first by their yearly price.
fn plans(env: &Env, product: &Product) -> Vec<(String, f64)> {
    let envelope = call("plans", &env.lb(Some(&product.key), json!({})));
    expect_ok(&envelope);
    let mut plans: Vec<(String, f64)> = envelope["data"]["plans"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["status"] == "active")
        .map(|p| {
            assert_eq!(p["product"], product.key.as_str(), "{p}");
            let price = p["prices"]["add"]["12"].as_f64().unwrap_or_else(|| panic!("a yearly price: {p}"));
            (p["plan_id"].as_str().unwrap().to_owned(), price)
        })
        .collect();
    plans.sort_by(|a, b| a.1.total_cmp(&b.1));
    plans
}

/// Runs one step and returns its envelope, which must be a success.
fn ok(operation: &str, request: &Value) -> Value {
    let envelope = call(operation, request);
    assert_eq!(envelope["ok"], true, "{operation} {}: {envelope:#}", request["product"]);
    envelope
}

fn seats_of(env: &Env, order_id: &str) -> Value {
    env.order(order_id)["seats"].clone()
}

#[test]
fn every_family_goes_through_its_whole_lifecycle_driven_by_the_catalog() {
    for product in families() {
        let env = Env::new();
        let key = product.key.as_str();
        let plans = plans(&env, &product);
        let by_plan = product.operation("create").is_some_and(|op| names(&op["required"]).contains(&"plan_id".to_owned()));
        assert!(!by_plan || plans.len() >= 2, "{key} lists two plans: {plans:?}");
        let mut known = Known {
            domain: format!("{}.example", key.replace('_', "-")),
            customer_id: env.first_customer(),
            plan_id: plans.first().map(|p| p.0.clone()),
            new_plan_id: plans.last().map(|p| p.0.clone()),
            order_id: None,
        };

        // create, twice: one order
        let created = ok("create", &request(&env, &product, "create", &known, json!({})));
        let order_id = created["order_id"].as_str().unwrap().to_owned();
        assert_eq!((created["status"].as_str(), created["data"]["reconciled"].as_bool()), (Some("active"), Some(false)), "{key}");
        known.order_id = Some(order_id.clone());
        let again = ok("create", &request(&env, &product, "create", &known, json!({})));
        assert_eq!((again["order_id"].as_str(), again["data"]["reconciled"].as_bool()), (Some(order_id.as_str()), Some(true)), "{key}");
        let sandbox = env.order(&order_id);
        assert_eq!((sandbox["status"].as_str(), sandbox["product"].as_str()), (Some("active"), Some(key)), "{key}");
        assert_eq!(env.admin("orders").as_array().unwrap().iter().filter(|o| o["domain"] == known.domain.as_str()).count(), 1, "{key}: one order");
        let adds = env.received("/add.json");
        assert_eq!(adds.len(), 1, "{key}");
        assert_eq!(param_values(&adds[0], "auto-renew"), ["false"], "{key}: auto-renew is always sent");
        if product.options("create").contains(&"seats".to_owned()) {
            assert_eq!(sandbox["seats"], 3, "{key}");
            assert_eq!(param_values(&adds[0], "no-of-accounts"), ["3"], "{key}");
        }
        if product.options("create").contains(&"addons".to_owned()) {
            assert_eq!(param_values(&adds[0], "addon"), ["cpanel", "storage_1"], "{key}: add-ons repeat `addon`");
        }
        // The sandbox checks these flags but shows them nowhere: what was sent is the proof.
        for (option, param) in [("enable_ssl", "enable-ssl"), ("add_dedicated_ip", "add-dedicated-ip")] {
            if product.options("create").contains(&option.to_owned()) {
                assert_eq!(param_values(&adds[0], param), ["true"], "{key}: {option}");
            }
        }

        // details: active, with the family's own fields
        if product.operation("details").is_some() {
            let details = ok("details", &request(&env, &product, "details", &known, json!({})));
            let data = &details["data"];
            assert_eq!((details["status"].as_str(), data["domain"].as_str()), (Some("active"), Some(known.domain.as_str())), "{key}");
            assert_eq!(data["product_key"], sandbox["product_key"], "{key}");
            assert!(data["region"].is_string(), "{key}: {data:#}");
            for (option, field, expected) in [("seats", "seats", json!(3)), ("os", "os", json!("alma_8")), ("addons", "addons", json!(["cpanel", "storage_1"]))] {
                if product.options("create").contains(&option.to_owned()) {
                    assert_eq!(data[field], expected, "{key} details.{field}");
                }
            }
            let is_hosting = key.ends_with("_hosting") && key != "cloud_hosting";
            let is_server = product.options("create").contains(&"os".to_owned());
            if is_hosting || is_server {
                assert!(data["ip_address"].as_str().is_some_and(|ip| ip.parse::<std::net::IpAddr>().is_ok()), "{key}: {data:#}");
            }
            if is_hosting {
                for field in ["temporary_url", "admin_username", "disk_space", "bandwidth", "mail_space", "nameservers"] {
                    assert!(!data[field].is_null(), "{key}: details.{field} is mapped: {data:#}");
                }
            }
        } else {
            let error = expect_error(&call("details", &env.lb(Some(key), json!({"order_id": order_id}))), "unsupported_operation");
            assert!(error["message"].as_str().unwrap().contains("not confirmed"), "{key}: {error}");
        }

        // suspend, unsuspend
        ok("suspend", &request(&env, &product, "suspend", &known, json!({})));
        assert_eq!(env.order(&order_id)["status"], "suspended", "{key}");
        ok("unsuspend", &request(&env, &product, "unsuspend", &known, json!({})));
        assert_eq!(env.order(&order_id)["status"], "active", "{key}");

        // change_package: a bigger plan, or more and then fewer seats
        match product.operation("change_package") {
            Some(op) if names(&op["options_required"]).contains(&"seats".to_owned()) => {
                for seats in [5, 2] {
                    let changed = ok("change_package", &request(&env, &product, "change_package", &known, json!({"seats": seats})));
                    assert_eq!(changed["data"]["seats"], seats, "{key}");
                    assert_eq!(seats_of(&env, &order_id), seats, "{key}: seats in the sandbox");
                }
                let again = ok("change_package", &request(&env, &product, "change_package", &known, json!({"seats": 2})));
                assert_eq!(again["data"]["changed"], false, "{key}: the same total changes nothing");
                assert_eq!(env.received("-account.json").len(), 2, "{key}: one seat call per change");
            }
            Some(_) => {
                ok("change_package", &request(&env, &product, "change_package", &known, json!({})));
                assert_eq!(env.order(&order_id)["plan_id"], known.new_plan_id.as_deref().unwrap(), "{key}");
            }
            None => {
                let error = expect_error(&call("change_package", &env.lb(Some(key), json!({"order_id": order_id}))), "unsupported_operation");
                assert!(error["message"].as_str().unwrap().contains("not confirmed"), "{key}: {error}");
            }
        }

        // renew: one more term
        let expires = env.order(&order_id)["expires_at"].as_str().unwrap().to_owned();
        ok("renew", &request(&env, &product, "renew", &known, json!({})));
        let renewed = env.order(&order_id)["expires_at"].as_str().unwrap().to_owned();
        assert!(renewed > expires, "{key}: {expires} → {renewed}");

        // client_area_url: the link opens the order's panel
        if product.operation("client_area_url").is_some() {
            let link = ok("client_area_url", &request(&env, &product, "client_area_url", &known, json!({})));
            let url = link["url"].as_str().unwrap();
            let target = if key == "reseller_hosting" { "panel=whm".to_owned() } else { format!("service-name={}", sandbox["product_key"].as_str().unwrap()) };
            assert!(url.contains(&format!("orderid={order_id}")) && url.ends_with(&target), "{key}: {url}");
            let (status, body) = env.fetch(url);
            assert_eq!(status, 200, "{key}: {body}");
            assert!(body.contains(&format!("data-order-id=\"{order_id}\"")), "{key}: {body}");
        }

        // terminate
        if product.operation("terminate").is_some() {
            let terminated = ok("terminate", &request(&env, &product, "terminate", &known, json!({})));
            assert_eq!(terminated["status"], "terminated", "{key}");
            assert_eq!(env.order(&order_id)["status"], "terminated", "{key}");
        } else {
            expect_error(&call("terminate", &env.lb(Some(key), json!({"order_id": order_id}))), "unsupported_operation");
            assert_eq!(env.order(&order_id)["status"], "active", "{key}");
        }
    }
}

#[test]
fn a_lost_renew_adds_exactly_one_term_for_every_family() {
    for product in families() {
        let env = Env::new();
        let key = product.key.as_str();
        let plans = plans(&env, &product);
        let mut known = Known {
            domain: format!("lost-{}.example", key.replace('_', "-")),
            customer_id: env.first_customer(),
            plan_id: plans.first().map(|p| p.0.clone()),
            ..Known::default()
        };
        let created = ok("create", &request(&env, &product, "create", &known, json!({})));
        known.order_id = created["order_id"].as_str().map(str::to_owned);
        let order_id = known.order_id.clone().unwrap();
        let expires = time::OffsetDateTime::parse(env.order(&order_id)["expires_at"].as_str().unwrap(), &time::format_description::well_known::Rfc3339).unwrap();

        env.admin_put("faults", json!({"rate": 1.0, "kinds": ["reset_after_commit"], "methods": ["POST"], "seed": 3}));
        let renewed = call("renew", &request(&env, &product, "renew", &known, json!({})));
        env.admin_put("faults", json!({"rate": 0.0}));
        assert_eq!((renewed["ok"].as_bool(), renewed["data"]["reconciled"].as_bool()), (Some(true), Some(true)), "{key}: {renewed:#}");
        assert_eq!(env.received("/renew.json").len(), 1, "{key}: renew is never sent twice");
        let after = time::OffsetDateTime::parse(env.order(&order_id)["expires_at"].as_str().unwrap(), &time::format_description::well_known::Rfc3339).unwrap();
        assert_eq!(after - expires, time::Duration::days(12 * 30), "{key}: exactly one term of 12 months");
    }
}

#[test]
fn a_lost_seat_change_is_settled_by_the_count_and_never_sent_twice() {
    let env = Env::new();
    let product = families().into_iter().find(|p| p.key == "business_email").unwrap();
    let mut known = Known { domain: "seats.example".into(), customer_id: env.first_customer(), ..Known::default() };
    known.order_id = ok("create", &request(&env, &product, "create", &known, json!({"seats": 1})))["order_id"].as_str().map(str::to_owned);
    let order_id = known.order_id.clone().unwrap();

    env.admin_put("faults", json!({"rate": 1.0, "kinds": ["json_502"], "methods": ["POST"], "seed": 1}));
    let changed = call("change_package", &request(&env, &product, "change_package", &known, json!({"seats": 4})));
    env.admin_put("faults", json!({"rate": 0.0}));
    assert_eq!((changed["ok"].as_bool(), changed["data"]["reconciled"].as_bool()), (Some(true), Some(true)), "{changed:#}");
    assert_eq!(seats_of(&env, &order_id), 4);
    assert_eq!(param_values(&env.received("add-email-account.json")[0], "no-of-accounts"), ["3"]);

    // A change the provider never made is not reported as made; repeating it is safe.
    env.admin_put("faults", json!({"rate": 1.0, "kinds": ["reset_before_commit"], "methods": ["POST"], "seed": 1}));
    expect_error(&call("change_package", &request(&env, &product, "change_package", &known, json!({"seats": 1}))), "outcome_unknown");
    env.admin_put("faults", json!({"rate": 0.0}));
    assert_eq!(seats_of(&env, &order_id), 4);
    ok("change_package", &request(&env, &product, "change_package", &known, json!({"seats": 1})));
    assert_eq!(seats_of(&env, &order_id), 1);
    let removals = env.received("delete-email-account.json");
    assert_eq!(removals.iter().filter(|r| r["fault"].is_null()).count(), 1, "removed once");
    assert_eq!(param_values(removals.last().unwrap(), "no-of-accounts"), ["3"]);

    let mut dry = request(&env, &product, "change_package", &known, json!({"seats": 9}));
    dry["options"] = json!({"dry_run": true});
    let quoted = ok("change_package", &dry);
    assert_eq!((quoted["data"]["seats_before"].as_u64(), quoted["data"]["changed"].as_bool()), (Some(1), Some(false)));
    assert_eq!(seats_of(&env, &order_id), 1, "a dry run changes nothing");
}

#[test]
fn family_options_are_checked_before_anything_is_sent() {
    let env = Env::new();
    let products: BTreeMap<String, Product> = families().into_iter().map(|p| (p.key.clone(), p)).collect();
    let known = Known { domain: "options.example".into(), customer_id: env.first_customer(), plan_id: Some("1".into()), new_plan_id: Some("2".into()), order_id: Some("84311819".into()) };
    for (key, operation, options, named) in [
        ("single_domain_hosting", "create", json!({"enable_ssl": "maybe"}), "enable_ssl"),
        ("multi_domain_hosting", "renew", json!({"enable_ssl": 3}), "enable_ssl"),
        ("reseller_hosting", "create", json!({"add_dedicated_ip": "y"}), "add_dedicated_ip"),
        ("reseller_hosting", "change_package", json!({"cpanel_blocks": 0}), "cpanel_blocks"),
        ("reseller_hosting", "change_package", json!({"cpanel_blocks": "two"}), "cpanel_blocks"),
        ("vps", "create", json!({"os": "Alma 8"}), "os"),
        ("dedicated_server", "create", json!({"addons": ["cpanel", "directadmin"]}), "addons"),
        ("managed_server", "create", json!({"addons": "cpanel"}), "addons"),
        ("business_email", "create", json!({"seats": 0}), "seats"),
        ("enterprise_email", "change_package", json!({"seats": "many"}), "seats"),
        ("google_workspace", "create", json!({"seats": -2}), "seats"),
        ("reseller_hosting", "create", json!({"region": "tr"}), "linux/us"),
        ("vps", "details", json!({"platform": "windows"}), "linux/in"),
        ("google_workspace", "details", json!({"region": "us"}), "gbl, in, se"),
        ("single_domain_hosting", "suspend", json!({"platform": 1}), "platform"),
    ] {
        let envelope = call(operation, &request(&env, &products[key], operation, &known, options.clone()));
        let error = expect_error(&envelope, "invalid_request");
        assert!(error["message"].as_str().unwrap().contains(named), "{key} {operation} {options}: {error}");
        assert_eq!(envelope["calls"], json!([]), "{key} {operation}: nothing sent");
    }
    for key in ["vps", "dedicated_server", "managed_server"] {
        let mut without_os = request(&env, &products[key], "create", &known, json!({}));
        without_os["service"]["options"].as_object_mut().unwrap().remove("os");
        let error = expect_error(&call("create", &without_os), "invalid_request");
        assert!(error["message"].as_str().unwrap().contains("`service.options.os`"), "{key}: {error}");
    }
    assert!(env.admin("requests").as_array().unwrap().is_empty(), "the sandbox received nothing");
}

#[test]
fn platform_and_region_choose_the_edition_on_every_call() {
    let env = Env::new();
    let product = families().into_iter().find(|p| p.key == "single_domain_hosting").unwrap();
    let edition = json!({"platform": "windows", "region": "uk"});
    let plans = call("plans", &env.lb(Some("single_domain_hosting"), json!({"options": edition})));
    let listed = plans["data"]["plans"].as_array().unwrap();
    assert!(!listed.is_empty() && listed.iter().all(|p| p["product_key"] == "singledomainhostingwindowsuk" && p["platform"] == "windows" && p["region"] == "uk"), "{plans:#}");
    let mut known = Known {
        domain: "windows-uk.example".into(),
        customer_id: env.first_customer(),
        plan_id: listed[0]["plan_id"].as_str().map(str::to_owned),
        ..Known::default()
    };
    let created = ok("create", &request(&env, &product, "create", &known, edition.clone()));
    known.order_id = created["order_id"].as_str().map(str::to_owned);
    let order_id = known.order_id.clone().unwrap();
    assert_eq!((env.order(&order_id)["product"].as_str(), env.order(&order_id)["product_key"].as_str()), (Some("single_domain_hosting"), Some("singledomainhostingwindowsuk")));
    assert!(env.received("singledomainhosting/windows/uk/add.json").len() == 1);
    let details = ok("details", &request(&env, &product, "details", &known, edition.clone()));
    assert_eq!((details["data"]["platform"].as_str(), details["data"]["region"].as_str()), (Some("windows"), Some("uk")));
    // Another edition's paths do not know the order.
    expect_error(&call("details", &request(&env, &product, "details", &known, json!({}))), "not_found");
}

#[test]
fn vps_plans_only_go_up() {
    let env = Env::new();
    let product = families().into_iter().find(|p| p.key == "vps").unwrap();
    let plans = plans(&env, &product);
    let mut known = Known {
        domain: "vps.example".into(),
        customer_id: env.first_customer(),
        plan_id: Some(plans[1].0.clone()),
        new_plan_id: Some(plans[0].0.clone()),
        ..Known::default()
    };
    known.order_id = ok("create", &request(&env, &product, "create", &known, json!({})))["order_id"].as_str().map(str::to_owned);
    let error = expect_error(&call("change_package", &request(&env, &product, "change_package", &known, json!({}))), "invalid_request");
    assert!(error["message"].as_str().unwrap().contains("only be upgraded"), "{error}");
    assert!(env.received("/modify.json").is_empty(), "nothing was changed");
    known.new_plan_id = Some(plans[2].0.clone());
    ok("change_package", &request(&env, &product, "change_package", &known, json!({})));
    assert_eq!(env.order(known.order_id.as_deref().unwrap())["plan_id"], plans[2].0.as_str());
}
