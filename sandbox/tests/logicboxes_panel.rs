//! `ManageServiceServletForAPI`: an order's control panel opens only for a live login token of
//! the customer who owns the order.

mod support;

use support::{Answer, Env};

const OWNER: &str = "1001";
const STRANGER: &str = "1002";

fn seeded_order(env: &Env, product: &str) -> String {
    let orders = env.admin("fixtures")["logicboxes"]["orders"].clone();
    let order = orders.as_array().unwrap().iter().find(|o| o["product_key"] == product).cloned().expect("a seeded order");
    order["order_id"].as_str().unwrap().to_owned()
}

fn open(env: &Env, token: &str, order_id: &str, target: &[(&str, &str)]) -> Answer {
    let mut params = vec![("auth-token", token), ("orderid", order_id)];
    params.extend_from_slice(target);
    env.servlet("ManageServiceServletForAPI", &params)
}

#[track_caller]
fn assert_opens(answer: &Answer, order_id: &str) {
    assert_eq!(answer.status, 200, "{answer:?}");
    assert!(answer.content_type.starts_with("text/html"), "{answer:?}");
    assert!(answer.body.contains(&format!("data-order-id=\"{order_id}\"")), "{answer:?}");
}

#[track_caller]
fn assert_refused(answer: &Answer, why: &str) {
    assert_eq!(answer.status, 403, "{answer:?}");
    assert!(answer.body.contains(why), "expected {why:?}: {answer:?}");
}

#[test]
fn a_live_token_opens_the_customers_own_orders() {
    let env = Env::new();
    let token = env.login_token(OWNER);
    let dns = seeded_order(&env, "dns");
    let hosting = seeded_order(&env, "singledomainhostinglinuxus");
    assert_opens(&open(&env, &token, &dns, &[("service-name", "dns")]), &dns);
    assert_opens(&open(&env, &token, &hosting, &[("panel", "whm")]), &hosting);
    assert_opens(&open(&env, &token, &hosting, &[("service-name", "singledomainhostinglinuxus")]), &hosting);

    let added = env.post("sitelock/add.json", &[("domain-name", "panel.example"), ("customer-id", OWNER), ("plan-id", "101"), ("invoice-option", "NoInvoice")]);
    let sitelock = added.ok()["entityid"].as_str().unwrap().to_owned();
    assert_opens(&open(&env, &token, &sitelock, &[("service-name", "sitelock")]), &sitelock);
}

#[test]
fn expired_unknown_and_foreign_tokens_are_refused() {
    let env = Env::new();
    let dns = seeded_order(&env, "dns");
    let target = [("service-name", "dns")];

    let stranger = env.login_token(STRANGER);
    assert_refused(&open(&env, &stranger, &dns, &target), "another customer");
    assert_refused(&open(&env, "not-a-token", &dns, &target), "unknown token");

    let token = env.login_token(OWNER);
    assert_refused(&open(&env, &token, "99999999", &target), "unknown order");
    env.advance_clock(121);
    assert_refused(&open(&env, &token, &dns, &target), "token expired");
}

#[test]
fn exactly_one_known_service_name_or_whm_is_accepted() {
    let env = Env::new();
    let token = env.login_token(OWNER);
    let dns = seeded_order(&env, "dns");
    assert_refused(&open(&env, &token, &dns, &[]), "service-name or panel is required");
    assert_refused(&open(&env, &token, &dns, &[("service-name", "dns"), ("panel", "whm")]), "not both");
    assert_refused(&open(&env, &token, &dns, &[("panel", "cpanel")]), "panel must be whm");
    assert_refused(&open(&env, &token, &dns, &[("service-name", "sitelock")]), "unknown service-name");
    assert_opens(&open(&env, &token, &dns, &[("service-name", "mailfwd")]), &dns);
}

#[test]
fn deleted_orders_do_not_open() {
    let env = Env::new();
    let token = env.login_token(OWNER);
    let added = env.post("sitelock/add.json", &[("domain-name", "gone.example"), ("customer-id", OWNER), ("plan-id", "101"), ("invoice-option", "NoInvoice")]);
    let id = added.ok()["entityid"].as_str().unwrap().to_owned();
    env.post("sitelock/delete.json", &[("order-id", &id)]).ok();
    assert_refused(&open(&env, &token, &id, &[("service-name", "sitelock")]), "deleted");
}
