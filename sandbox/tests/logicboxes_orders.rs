//! LogicBoxes orders over real HTTP: SiteLock and CodeGuard through their own paths, any order
//! through `orders/…`, with the live API's quirks that clients have to cope with.

mod support;

use serde_json::Value;
use support::{Answer, Env};

const CUSTOMER: &str = "1001";
const MONTH_S: i64 = 30 * 86_400;
const INVOICE_FIELDS: [&str; 5] = ["invoiceid", "sellingcurrencysymbol", "sellingamount", "unutilisedsellingamount", "customerid"];

/// Places an order and returns its id; `extra` adds to (or overrides) the usual parameters.
fn add(env: &Env, product: &str, domain: &str, plan: &str, extra: &[(&str, &str)]) -> String {
    let answer = add_answer(env, product, domain, plan, extra);
    answer.ok()["entityid"].as_str().expect("entityid is a string").to_owned()
}

fn add_answer(env: &Env, product: &str, domain: &str, plan: &str, extra: &[(&str, &str)]) -> Answer {
    let mut params = vec![("domain-name", domain), ("customer-id", CUSTOMER), ("plan-id", plan), ("invoice-option", "NoInvoice")];
    for (key, value) in extra {
        params.retain(|(k, _)| k != key);
        params.push((key, value));
    }
    env.post(&format!("{product}/add.json"), &params)
}

fn details(env: &Env, product: &str, order_id: &str) -> Value {
    env.get(&format!("{product}/details.json"), &[("order-id", order_id)]).ok()
}

fn epoch(details: &Value, key: &str) -> i64 {
    details[key].as_str().expect("times are strings").parse().expect("epoch seconds")
}

#[test]
fn plan_details_are_keyed_by_product_then_plan() {
    let env = Env::new();
    let plans = env.get("products/plan-details.json", &[]).ok();
    assert_eq!(plans["sitelock"]["101"]["plan_name"], "Find");
    assert_eq!(plans["sitelock"]["104"]["plan_status"], "Paused");
    assert_eq!(plans["codeguard"]["203"]["plan_name"], "Business");
    assert_eq!(plans["codeguard"]["201"]["plan_status"], "Active");
    assert!(plans["sitelock"]["103"]["plan_features"].as_array().is_some_and(|f| !f.is_empty()));
}

#[test]
fn fixtures_list_plans_paused_plans_and_seeded_orders() {
    let env = Env::new();
    let lb = env.admin("fixtures")["logicboxes"].clone();
    assert_eq!(lb["plans"]["sitelock"], serde_json::json!(["101", "102", "103"]));
    assert_eq!(lb["plans"]["codeguard"], serde_json::json!(["201", "202", "203"]));
    assert_eq!(lb["paused_plans"]["sitelock"], serde_json::json!(["104"]));
    assert_eq!(lb["customers"].as_array().unwrap().len(), 3);
    let orders = lb["orders"].as_array().unwrap();
    let products: Vec<(&str, &str)> = orders.iter().map(|o| (o["product"].as_str().unwrap(), o["product_key"].as_str().unwrap())).collect();
    assert_eq!(products, [("dns", "dns"), ("single_domain_hosting", "singledomainhostinglinuxus")]);
    assert_eq!(orders[0]["order_id"], "84311819");
    assert_eq!(orders[1]["domain"], "seeded-hosting.example");
    assert!(orders.iter().all(|o| o["customer_id"] == CUSTOMER));
    assert_eq!(env.admin("orders").as_array().unwrap().len(), 2, "the seeded orders are listed");
}

#[test]
fn add_answers_an_action_without_invoice_fields_for_no_invoice() {
    let env = Env::new();
    let action = add_answer(&env, "sitelock", "shop.example", "101", &[("auto-renew", "true")]).ok();
    assert_eq!(action["description"], "shop.example");
    assert_eq!(action["actionstatus"], "Success");
    assert_eq!(action["status"], "Success");
    assert!(action["eaqid"].as_str().unwrap().parse::<u64>().is_ok(), "{action}");
    for field in ["actiontype", "actiontypedesc", "actionstatusdesc"] {
        assert!(action[field].is_string(), "{field} in {action}");
    }
    for field in INVOICE_FIELDS {
        assert!(action.get(field).is_none(), "{field} with NoInvoice: {action}");
    }
}

#[test]
fn invoice_fields_appear_with_every_other_invoice_option() {
    let env = Env::new();
    let paid = add_answer(&env, "sitelock", "paid.example", "101", &[("invoice-option", "PayInvoice")]).ok();
    assert_eq!(paid["actionstatus"], "InvoicePaid");
    assert_eq!(paid["status"], "Success");
    assert_eq!(paid["sellingamount"], "-23.880", "12 months of Find at 1.99");
    assert_eq!(paid["sellingcurrencysymbol"], "USD");
    assert_eq!(paid["customerid"], CUSTOMER);
    for option in ["KeepInvoice", "OnlyAdd"] {
        let action = add_answer(&env, "sitelock", "later.example", "102", &[("invoice-option", option)]).ok();
        assert_eq!(action["actionstatus"], "Success");
        for field in INVOICE_FIELDS {
            assert!(action[field].is_string(), "{field} with {option}: {action}");
        }
        let order_id = action["entityid"].as_str().unwrap();
        assert_eq!(details(&env, "sitelock", order_id)["currentstatus"], "InActive", "unpaid with {option}");
        assert_eq!(env.admin_order(order_id)["status"], "pending");
    }
}

#[test]
fn details_are_flat_strings_and_orderid_is_a_bare_integer() {
    let env = Env::new();
    let order_id = add(&env, "sitelock", "strings.example", "102", &[("auto-renew", "true"), ("months", "3")]);
    let details = details(&env, "sitelock", &order_id);
    let object = details.as_object().unwrap();
    assert!(object.values().all(Value::is_string), "every value is a string: {details}");
    assert_eq!(details["entityid"], order_id.as_str());
    assert_eq!(details["domainname"], "strings.example");
    assert_eq!(details["currentstatus"], "Active");
    assert_eq!(details["productkey"], "sitelock");
    assert_eq!(details["planid"], "102");
    assert_eq!(details["recurring"], "true");
    assert_eq!(details["paused"], "false");
    assert_eq!(details["parentkey"], "999999999_100000");
    assert_eq!(epoch(&details, "endtime") - epoch(&details, "creationtime"), 12 * MONTH_S, "SiteLock ignores months");

    let answer = env.get("sitelock/orderid.json", &[("domain-name", "strings.example")]);
    assert_eq!(answer.status, 200);
    assert_eq!(answer.content_type, "application/json");
    assert_eq!(answer.body, format!("{order_id}\n"));
    assert_eq!(answer.json(), Value::from(order_id.parse::<u64>().unwrap()));

    let unknown = env.get("sitelock/orderid.json", &[("domain-name", "nobody.example")]);
    assert_eq!(unknown.status, 500);
    assert_eq!(unknown.error_message(), "Website doesn't exist for nobody.example");
}

#[test]
fn search_counts_are_strings_and_records_have_dotted_keys() {
    let env = Env::new();
    let search = |params: &[(&str, &str)]| {
        let answer = env.get("sitelock/search.json", &[&[("no-of-records", "10"), ("page-no", "1")], params].concat());
        assert_eq!(answer.status, 200, "{answer:?}");
        answer.json()
    };
    assert_eq!(search(&[("domain-name", "none.example")]), serde_json::json!({"recsonpage": "0", "recsindb": "0"}));

    let first = add(&env, "sitelock", "found.example", "101", &[]);
    let second = add(&env, "sitelock", "found.example", "102", &[]);
    add(&env, "codeguard", "found.example", "201", &[("months", "1")]);
    env.post("sitelock/delete.json", &[("order-id", &first)]).ok();
    let both = search(&[("domain-name", "FOUND.example")]);
    assert_eq!((both["recsonpage"].as_str(), both["recsindb"].as_str()), (Some("2"), Some("2")));
    assert_eq!(both["1"]["orders.orderid"], first.as_str());
    assert_eq!(both["1"]["entity.currentstatus"], "Deleted");
    assert_eq!(both["2"]["orders.orderid"], second.as_str());
    assert_eq!(both["2"]["entity.customerid"], CUSTOMER);
    assert_eq!(both["2"]["entity.description"], "found.example");
    assert_eq!(both["2"]["entitytype.entitytypekey"], "sitelock");

    let live = search(&[("domain-name", "found.example"), ("status", "Active"), ("status", "Suspended")]);
    assert_eq!((live["recsindb"].as_str(), live["1"]["orders.orderid"].as_str()), (Some("1"), Some(second.as_str())));
    let by_ids = search(&[("order-id", &first), ("order-id", &second)]);
    assert_eq!(by_ids["recsindb"], "2");
    assert_eq!(search(&[("domain-name", "found.example"), ("customer-id", "1002")])["recsindb"], "0");

    let paged = env.get("sitelock/search.json", &[("no-of-records", "10"), ("page-no", "2"), ("domain-name", "found.example")]).json();
    assert_eq!((paged["recsonpage"].as_str(), paged["recsindb"].as_str()), (Some("0"), Some("2")));
    for bad in [[("no-of-records", "5"), ("page-no", "1")], [("no-of-records", "10"), ("page-no", "0")]] {
        assert!(env.get("sitelock/search.json", &bad).error_message().contains("must be a whole number"));
    }
    assert_eq!(env.get("sitelock/search.json", &[("page-no", "1")]).error_message(), "no-of-records is required");
}

#[test]
fn the_mixed_error_style_rotates_every_shape() {
    let env = Env::new();
    env.admin_put("config", r#"{"error_style": "mixed"}"#);
    let mut shapes = std::collections::BTreeSet::new();
    for _ in 0..12 {
        let answer = env.get("sitelock/orderid.json", &[("domain-name", "nobody.example")]);
        let body = answer.json();
        let object = body.as_object().expect("an object");
        let status = object["status"].as_str().expect("a status").to_owned();
        assert!(["error", "failed"].contains(&status.to_ascii_lowercase().as_str()), "{body}");
        let text = ["message", "error", "actionstatusdesc"].iter().find_map(|k| object.get(*k)).and_then(Value::as_str);
        assert_eq!(text, Some("Website doesn't exist for nobody.example"), "{body}");
        shapes.insert(format!("{} {}", answer.status, object.keys().cloned().collect::<Vec<_>>().join(",") + &status));
    }
    assert_eq!(shapes.len(), 6, "every one of the six shapes: {shapes:?}");
    assert!(env.get("sitelock/search.json", &[("no-of-records", "10"), ("page-no", "1")]).status == 200, "successes are left alone");
}

#[test]
fn duplicate_orders_are_placed_and_orderid_names_the_newest() {
    let env = Env::new();
    let first = add(&env, "sitelock", "twice.example", "101", &[]);
    let second = add(&env, "sitelock", "twice.example", "101", &[]);
    assert_ne!(first, second);
    let newest = env.get("sitelock/orderid.json", &[("domain-name", "twice.example")]);
    assert_eq!(newest.body.trim(), second);
    let codeguard = env.get("codeguard/orderid.json", &[("domain-name", "twice.example")]);
    codeguard.error_message();
}

#[test]
fn codeguard_refuses_calls_without_months() {
    let env = Env::new();
    let answer = add_answer(&env, "codeguard", "backup.example", "201", &[]);
    assert_eq!(answer.error_message(), "months is required");
    let order_id = add(&env, "codeguard", "backup.example", "201", &[("months", "3")]);
    let details = details(&env, "codeguard", &order_id);
    assert_eq!(epoch(&details, "endtime") - epoch(&details, "creationtime"), 3 * MONTH_S);
    assert_eq!(details["productkey"], "codeguard");

    let id = order_id.as_str();
    let renew = [("order-id", id), ("auto-renew", "false"), ("invoice-option", "NoInvoice")];
    assert_eq!(env.post("codeguard/renew.json", &renew).error_message(), "months is required");
    let pricing = env.get("codeguard/modify-pricing.json", &[("order-id", id), ("new-plan-id", "202")]);
    assert_eq!(pricing.error_message(), "months is required");
    let modify = env.post("codeguard/modify.json", &[("order-id", id), ("new-plan-id", "202"), ("invoice-option", "NoInvoice")]);
    assert_eq!(modify.error_message(), "months is required");
    let zero = add_answer(&env, "codeguard", "backup.example", "201", &[("months", "0")]);
    zero.error_message();

    let renewed = env.post("codeguard/renew.json", &[renew.as_slice(), &[("months", "6")]].concat()).ok();
    assert_eq!(renewed["entityid"], id);
    let after = self::details(&env, "codeguard", id);
    assert_eq!(epoch(&after, "endtime") - epoch(&details, "endtime"), 6 * MONTH_S);
}

#[test]
fn errors_are_http_500_with_an_error_body() {
    let env = Env::new();
    let unknown = env.get("sitelock/details.json", &[("order-id", "99999999")]);
    assert_eq!(unknown.error_message(), "No Entity found for Entityid");

    let codeguard = add(&env, "codeguard", "other.example", "201", &[("months", "1")]);
    let foreign = env.get("sitelock/details.json", &[("order-id", &codeguard)]);
    assert_eq!(foreign.error_message(), "No Entity found for Entityid");
    let seeded_dns = env.get("sitelock/details.json", &[("order-id", "84311819")]);
    assert!(seeded_dns.error_message().starts_with("No Entity found"));

    assert_eq!(env.get("sitelock/details.json", &[]).error_message(), "order-id is required");
    let bad_bool = add_answer(&env, "sitelock", "x.example", "101", &[("auto-renew", "yes")]);
    assert!(bad_bool.error_message().contains("auto-renew"));
    let bad_invoice = add_answer(&env, "sitelock", "x.example", "101", &[("invoice-option", "Later")]);
    assert!(bad_invoice.error_message().contains("invoice-option"));
    add_answer(&env, "sitelock", "x.example", "104", &[]).error_message();
    add_answer(&env, "sitelock", "x.example", "201", &[]).error_message();
    let no_customer = add_answer(&env, "sitelock", "x.example", "101", &[("customer-id", "424242")]);
    assert_eq!(no_customer.error_message(), "No Entity found for Entityid");

    let wrong_method = env.raw("GET", "sitelock/add.json", &[]);
    assert_eq!(wrong_method.status, 405);
    assert_eq!(wrong_method.json()["status"], "ERROR");
    let denied = env.raw("GET", "sitelock/details.json", &[("auth-userid", "100000"), ("api-key", "wrong"), ("order-id", "1")]);
    assert!(denied.error_message().contains("Access Denied"));

    let orders = env.admin("orders");
    assert_eq!(orders.as_array().unwrap().len(), 3, "refused adds place nothing: {orders}");
}

#[test]
fn validate_modify_takes_new_planid_and_the_others_new_plan_id() {
    let env = Env::new();
    let order_id = add(&env, "sitelock", "plans.example", "101", &[]);
    let id = order_id.as_str();

    let wrong_name = env.get("sitelock/validate-modify.json", &[("order-id", id), ("new-plan-id", "102")]);
    assert_eq!(wrong_name.error_message(), "new-planid is required");
    let valid = env.get("sitelock/validate-modify.json", &[("order-id", id), ("new-planid", "102")]);
    assert_eq!((valid.status, valid.body.as_str()), (200, "true"));
    for refused in ["101", "104", "999"] {
        let answer = env.get("sitelock/validate-modify.json", &[("order-id", id), ("new-planid", refused)]);
        answer.error_message();
    }

    let pricing_wrong_name = env.get("sitelock/modify-pricing.json", &[("order-id", id), ("new-planid", "102")]);
    assert_eq!(pricing_wrong_name.error_message(), "new-plan-id is required");
    let quote = env.get("sitelock/modify-pricing.json", &[("order-id", id), ("new-plan-id", "102")]).ok();
    assert_eq!(quote["remainingmonths"], 12);
    assert_eq!(quote["currentOrderPrice"].as_f64(), Some(23.88));
    assert_eq!(quote["modifiedOrderPrice"].as_f64(), Some(59.88));
    assert_eq!(quote["upgradecost"].as_f64(), Some(36.0));
    assert!(quote["endtime"].is_string());
    assert_eq!(details(&env, "sitelock", id)["planid"], "101", "pricing changes nothing");

    let modify_wrong_name = env.post("sitelock/modify.json", &[("order-id", id), ("new-planid", "102"), ("invoice-option", "NoInvoice")]);
    assert_eq!(modify_wrong_name.error_message(), "new-plan-id is required");
    let modified = env.post("sitelock/modify.json", &[("order-id", id), ("new-plan-id", "103"), ("invoice-option", "PayInvoice")]).ok();
    assert_eq!(modified["actionstatus"], "InvoicePaid");
    assert_eq!(modified["sellingamount"], "-96.000", "12 months of Defend over Find");
    assert_eq!(details(&env, "sitelock", id)["planid"], "103");
    assert_eq!(env.admin_order(id)["plan_id"], "103");
    for refused in ["103", "104", "999"] {
        let answer = env.post("sitelock/modify.json", &[("order-id", id), ("new-plan-id", refused), ("invoice-option", "NoInvoice")]);
        answer.error_message();
    }
}

#[test]
fn an_order_goes_active_suspended_active_deleted() {
    let env = Env::new();
    let order_id = add(&env, "sitelock", "life.example", "101", &[]);
    let id = order_id.as_str();
    let status = |env: &Env| details(env, "sitelock", id)["currentstatus"].as_str().unwrap().to_owned();

    assert_eq!(env.post("orders/suspend.json", &[("order-id", id)]).error_message(), "reason is required");
    let suspended = env.post("orders/suspend.json", &[("order-id", id), ("reason", "Overdue")]).ok();
    assert_eq!(suspended["entityid"], id);
    assert!(INVOICE_FIELDS.iter().all(|f| suspended.get(f).is_none()), "{suspended}");
    assert_eq!(status(&env), "Suspended");
    assert_eq!(env.admin_order(id)["status"], "suspended");
    env.post("orders/suspend.json", &[("order-id", id), ("reason", "Again")]).error_message();

    env.post("orders/unsuspend.json", &[("order-id", id)]).ok();
    assert_eq!(status(&env), "Active");
    env.post("orders/unsuspend.json", &[("order-id", id)]).error_message();

    let before = details(&env, "sitelock", id);
    let renewed = env.post("sitelock/renew.json", &[("order-id", id), ("auto-renew", "true"), ("invoice-option", "NoInvoice")]).ok();
    assert!(INVOICE_FIELDS.iter().all(|f| renewed.get(f).is_none()), "{renewed}");
    let after = details(&env, "sitelock", id);
    assert_eq!(epoch(&after, "endtime") - epoch(&before, "endtime"), 12 * MONTH_S);
    assert_eq!((before["recurring"].as_str(), after["recurring"].as_str()), (Some("false"), Some("true")));
    let no_flag = env.post("sitelock/renew.json", &[("order-id", id), ("invoice-option", "NoInvoice")]);
    assert_eq!(no_flag.error_message(), "auto-renew is required");

    let deleted = env.post("sitelock/delete.json", &[("order-id", id)]).ok();
    assert_eq!(deleted["description"], "life.example");
    assert!(INVOICE_FIELDS.iter().all(|f| deleted.get(f).is_none()), "{deleted}");
    assert_eq!(status(&env), "Deleted", "a deleted order still has details");
    assert_eq!(env.admin_order(id)["status"], "terminated");

    env.post("sitelock/delete.json", &[("order-id", id)]).error_message();
    env.post("sitelock/renew.json", &[("order-id", id), ("auto-renew", "true"), ("invoice-option", "NoInvoice")]).error_message();
    env.post("sitelock/modify.json", &[("order-id", id), ("new-plan-id", "102"), ("invoice-option", "NoInvoice")]).error_message();
    env.get("sitelock/validate-modify.json", &[("order-id", id), ("new-planid", "102")]).error_message();
    env.post("orders/suspend.json", &[("order-id", id), ("reason", "Gone")]).error_message();
    env.post("orders/unsuspend.json", &[("order-id", id)]).error_message();
    let orderid = env.get("sitelock/orderid.json", &[("domain-name", "life.example")]);
    assert_eq!(orderid.body.trim(), id, "orderid finds deleted orders too");
}

#[test]
fn generic_orders_suspend_and_unsuspend() {
    let env = Env::new();
    for order in env.admin("fixtures")["logicboxes"]["orders"].as_array().unwrap() {
        let id = order["order_id"].as_str().unwrap();
        env.post("orders/suspend.json", &[("order-id", id), ("reason", "Abuse")]).ok();
        assert_eq!(env.admin_order(id)["status"], "suspended");
        env.post("orders/unsuspend.json", &[("order-id", id)]).ok();
        assert_eq!(env.admin_order(id)["status"], "active");
    }
    let unknown = env.post("orders/suspend.json", &[("order-id", "123"), ("reason", "Abuse")]);
    assert_eq!(unknown.error_message(), "No Entity found for Entityid");
}

#[test]
fn query_and_form_parameters_are_merged() {
    let env = Env::new();
    let in_query = [("domain-name", "merged.example"), ("customer-id", CUSTOMER), ("months", "2")];
    let in_form = [("plan-id", "202"), ("invoice-option", "NoInvoice")];
    let action = env.post_split("codeguard/add.json", &in_query, &in_form).ok();
    let id = action["entityid"].as_str().unwrap();
    let details = details(&env, "codeguard", id);
    assert_eq!((details["domainname"].as_str(), details["planid"].as_str()), (Some("merged.example"), Some("202")));

    env.post_split("orders/suspend.json", &[("order-id", id)], &[("reason", "Split")]).ok();
    assert_eq!(env.admin_order(id)["status"], "suspended");
}
