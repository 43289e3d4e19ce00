//! LogicBoxes SiteLock, CodeGuard and any other order, end to end against the sandbox.

mod common;

use common::{call, expect_error, expect_ok, param_values, Env};
use serde_json::{json, Value};

/// Places an order of `product` and returns its id.
fn create(env: &Env, product: &str, extra: Value) -> (String, Value) {
    let mut service = json!({
        "domain": format!("{product}-{}.example", fastrand::u32(..)),
        "customer_id": env.first_customer(),
        "plan_id": env.lb_plan(product, None),
        "months": 12,
    });
    for (k, v) in extra.as_object().unwrap() {
        service[k] = v.clone();
    }
    let envelope = call("create", &env.lb(Some(product), service));
    expect_ok(&envelope);
    (envelope["order_id"].as_str().unwrap().to_owned(), envelope)
}

fn order_request(env: &Env, product: &str, order_id: &str, extra: Value) -> Value {
    let mut request = env.lb(Some(product), json!({"order_id": order_id, "months": 12, "client_ip": "203.0.113.9"}));
    for (k, v) in extra.as_object().unwrap() {
        request["service"][k] = v.clone();
    }
    request
}

#[test]
fn sitelock_and_codeguard_go_through_their_whole_lifecycle() {
    for product in ["sitelock", "codeguard"] {
        let env = Env::new();
        let (order_id, created) = create(&env, product, json!({}));
        assert_eq!(created["status"], "active");
        let domain = env.order(&order_id)["domain"].as_str().unwrap().to_owned();
        assert_eq!(env.order(&order_id)["status"], "active", "{product}");
        assert_eq!(env.order(&order_id)["product"], product);

        // details, by id and by domain, normalised
        let by_id = call("details", &order_request(&env, product, &order_id, json!({})));
        expect_ok(&by_id);
        let by_domain = call("details", &env.lb(Some(product), json!({"domain": domain})));
        expect_ok(&by_domain);
        assert_eq!(by_id["data"], by_domain["data"]);
        let data = &by_id["data"];
        assert_eq!(data["order_id"], order_id.as_str());
        assert_eq!(data["domain"], domain.as_str());
        assert_eq!(data["status"], "active");
        assert_eq!(data["customer_id"], env.first_customer().as_str());
        assert_eq!(data["auto_renew"], false);
        for stamp in ["created_at", "expires_at"] {
            let text = data[stamp].as_str().unwrap();
            assert!(time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).is_ok(), "{text}");
        }

        // suspend / unsuspend
        let suspended = call("suspend", &order_request(&env, product, &order_id, json!({"reason": "Overdue"})));
        expect_ok(&suspended);
        assert_eq!(suspended["status"], "suspended");
        assert_eq!(env.order(&order_id)["status"], "suspended");
        expect_ok(&call("unsuspend", &order_request(&env, product, &order_id, json!({}))));
        assert_eq!(env.order(&order_id)["status"], "active");

        // change_package: a dry run quotes and changes nothing; the real one moves the plan
        let old_plan = env.order(&order_id)["plan_id"].as_str().unwrap().to_owned();
        let new_plan = env.lb_plan(product, Some(&old_plan));
        let change = order_request(&env, product, &order_id, json!({"new_plan_id": new_plan}));
        let mut dry = change.clone();
        dry["options"] = json!({"dry_run": true});
        let quote = call("change_package", &dry);
        expect_ok(&quote);
        for key in ["current_price", "new_price", "upgrade_cost", "remaining_months"] {
            assert!(quote["data"]["quote"][key].is_number(), "{key}: {quote:#}");
        }
        assert_eq!(quote["data"]["dry_run"], true);
        assert_eq!(env.order(&order_id)["plan_id"], old_plan.as_str(), "a dry run changes nothing");
        assert!(env.received("/modify.json").is_empty());
        let changed = call("change_package", &change);
        expect_ok(&changed);
        assert_eq!(env.order(&order_id)["plan_id"], new_plan.as_str());
        let validate = &env.received("/validate-modify.json")[0];
        assert_eq!(param_values(validate, "new-planid"), [new_plan.as_str()]);
        assert_eq!(param_values(&env.received("/modify.json")[0], "new-plan-id"), [new_plan.as_str()]);

        // renew
        let before = call("details", &order_request(&env, product, &order_id, json!({})))["data"]["expires_at"].clone();
        expect_ok(&call("renew", &order_request(&env, product, &order_id, json!({}))));
        let after = call("details", &order_request(&env, product, &order_id, json!({})))["data"]["expires_at"].clone();
        assert!(after.as_str().unwrap() > before.as_str().unwrap(), "renew extends the order: {before} → {after}");

        // client_area_url: a link the sandbox's servlet accepts
        let link = call("client_area_url", &order_request(&env, product, &order_id, json!({})));
        expect_ok(&link);
        let url = link["url"].as_str().unwrap();
        assert!(url.contains("/servlet/ManageServiceServletForAPI?auth-token="), "{url}");
        assert!(url.ends_with(&format!("&orderid={order_id}&service-name={product}")), "{url}");
        assert_eq!(link["data"]["expires_in_s"], 120);
        let (status, body) = env.fetch(url);
        assert_eq!(status, 200, "{body}");
        assert!(body.contains(&format!("data-order-id=\"{order_id}\"")));

        // terminate
        let terminated = call("terminate", &order_request(&env, product, &order_id, json!({})));
        expect_ok(&terminated);
        assert_eq!(terminated["status"], "terminated");
        assert_eq!(env.order(&order_id)["status"], "terminated");
        let details = call("details", &order_request(&env, product, &order_id, json!({})));
        assert_eq!(details["status"], "terminated");
    }
}

#[test]
fn months_are_sent_to_codeguard_and_required_by_it() {
    let env = Env::new();
    create(&env, "codeguard", json!({"months": 24}));
    assert_eq!(param_values(&env.received("codeguard/add.json")[0], "months"), ["24"]);
    create(&env, "sitelock", json!({}));
    assert!(param_values(&env.received("sitelock/add.json")[0], "months").is_empty());

    let mut request = env.lb(Some("codeguard"), json!({"domain": "x.example", "customer_id": env.first_customer(), "plan_id": env.lb_plan("codeguard", None)}));
    let error = expect_error(&call("create", &request), "invalid_request");
    assert!(error["message"].as_str().unwrap().contains("`service.months`"), "{error}");
    request["service"]["months"] = json!(12);
    expect_ok(&call("create", &request));
}

#[test]
fn invoice_fields_follow_the_invoice_option() {
    let env = Env::new();
    let (_, no_invoice) = create(&env, "sitelock", json!({}));
    assert!(no_invoice["data"].get("invoice_id").is_none(), "{no_invoice:#}");
    assert_eq!(param_values(&env.received("sitelock/add.json")[0], "invoice-option"), ["NoInvoice"]);
    let (_, paid) = create(&env, "sitelock", json!({"invoice_option": "PayInvoice"}));
    assert!(paid["data"]["invoice_id"].is_string(), "{paid:#}");
    assert!(paid["data"]["selling_amount"].as_str().unwrap().starts_with('-'));
    let (order_id, kept) = create(&env, "codeguard", json!({"invoice_option": "KeepInvoice"}));
    assert_eq!(kept["status"], "pending");
    assert_eq!(env.order(&order_id)["status"], "pending");
}

#[test]
fn a_deleted_order_refuses_changes() {
    let env = Env::new();
    for product in ["sitelock", "codeguard"] {
        let (order_id, _) = create(&env, product, json!({}));
        expect_ok(&call("terminate", &order_request(&env, product, &order_id, json!({}))));
        let new_plan = env.lb_plan(product, Some(env.order(&order_id)["plan_id"].as_str().unwrap()));
        for (op, extra) in [("renew", json!({})), ("suspend", json!({})), ("change_package", json!({"new_plan_id": new_plan}))] {
            let envelope = call(op, &order_request(&env, product, &order_id, extra));
            let error = expect_error(&envelope, "provider_error");
            assert!(error["provider_message"].is_string(), "{op}: {error}");
        }
        // A second termination is refused too, and the order's state answers it.
        let again = call("terminate", &order_request(&env, product, &order_id, json!({})));
        assert_eq!((again["status"].as_str(), again["data"]["reconciled"].as_bool()), (Some("terminated"), Some(true)), "{again:#}");
        assert_eq!(env.order(&order_id)["status"], "terminated");
    }
}

#[test]
fn unknown_orders_and_bad_plans_are_refused() {
    let env = Env::new();
    for op in ["details", "suspend", "terminate", "renew"] {
        let mut request = order_request(&env, "sitelock", "999", json!({}));
        request["service"]["auto_renew"] = json!(true);
        expect_error(&call(op, &request), "not_found");
    }
    expect_error(&call("details", &env.lb(Some("codeguard"), json!({"domain": "never-ordered.example"}))), "not_found");
    let error = expect_error(&call("details", &env.lb(Some("codeguard"), json!({}))), "invalid_request");
    assert!(error["message"].as_str().unwrap().contains("service.order_id"));

    let (order_id, _) = create(&env, "sitelock", json!({}));
    let current = env.order(&order_id)["plan_id"].as_str().unwrap().to_owned();
    let paused = env.lb_fixture("paused_plans")["sitelock"][0].as_str().unwrap().to_owned();
    for plan in [current.as_str(), "424242", paused.as_str()] {
        let envelope = call("change_package", &order_request(&env, "sitelock", &order_id, json!({"new_plan_id": plan})));
        expect_error(&envelope, "provider_error");
        assert!(env.received("/modify.json").is_empty(), "nothing is modified after a failed validation");
    }
    assert_eq!(env.order(&order_id)["plan_id"], current.as_str());
}

#[test]
fn wrong_credentials_create_nothing() {
    let env = Env::new();
    let mut request = env.lb(Some("sitelock"), json!({"domain": "x.example", "customer_id": env.first_customer(), "plan_id": env.lb_plan("sitelock", None)}));
    request["account"]["api_key"] = json!("canary-order-key");
    let envelope = call("create", &request);
    expect_error(&envelope, "authentication_failed");
    assert!(!envelope.to_string().contains("canary-order-key"));
    assert_eq!(env.admin("orders").as_array().unwrap().len(), env.lb_fixture("orders").as_array().unwrap().len());
}

#[test]
fn a_domain_that_is_no_hostname_is_refused_with_nothing_sent() {
    let env = Env::new();
    let customer = env.first_customer();
    let plan = env.lb_plan("sitelock", None);
    for domain in ["x.example&order-id=1", "evil.example&customer-id=1002", "a.example#frag", "a.example\nplan-id=1", "a..example", "../a.example", "a b.example", "a.example/x", ""] {
        for op in ["create", "details"] {
            let envelope = call(op, &env.lb(Some("sitelock"), json!({"domain": domain, "customer_id": customer, "plan_id": plan})));
            let error = expect_error(&envelope, "invalid_request");
            assert!(error["message"].as_str().unwrap().contains("`service.domain`"), "{domain:?}: {error}");
            assert_eq!(envelope["calls"], json!([]), "{domain:?}");
        }
    }
    assert!(env.received("sitelock/search.json").is_empty() && env.received("sitelock/add.json").is_empty());
}

#[test]
fn an_internationalised_domain_is_ordered_in_its_ascii_form() {
    let env = Env::new();
    let (order_id, _) = create(&env, "sitelock", json!({"domain": "Bücher-Shop.Example"}));
    assert_eq!(env.order(&order_id)["domain"], "xn--bcher-shop-9db.example");
    let sent = &env.received("sitelock/add.json")[0];
    assert_eq!(param_values(sent, "domain-name"), ["xn--bcher-shop-9db.example"]);
    assert_eq!(param_values(sent, "customer-id"), [env.first_customer()]);
    let by_domain = call("details", &env.lb(Some("sitelock"), json!({"domain": "bücher-shop.example"})));
    assert_eq!(by_domain["order_id"], order_id.as_str());
}

#[test]
fn hostile_reasons_reach_the_provider_as_one_value() {
    let env = Env::new();
    let (order_id, _) = create(&env, "sitelock", json!({}));
    let reason = "Overdue&order-id=1#frag\nreason=x %41";
    expect_ok(&call("suspend", &order_request(&env, "sitelock", &order_id, json!({"reason": reason}))));
    let sent = &env.received("orders/suspend.json")[0];
    assert_eq!(param_values(sent, "reason"), [reason]);
    assert_eq!(param_values(sent, "order-id"), [order_id]);
}

#[test]
fn renew_keeps_auto_renew_unless_told_otherwise() {
    let env = Env::new();
    let (order_id, _) = create(&env, "sitelock", json!({"auto_renew": true}));
    expect_ok(&call("renew", &order_request(&env, "sitelock", &order_id, json!({}))));
    assert_eq!(param_values(&env.received("sitelock/renew.json")[0], "auto-renew"), ["true"]);
    expect_ok(&call("renew", &order_request(&env, "sitelock", &order_id, json!({"auto_renew": false}))));
    assert_eq!(param_values(&env.received("sitelock/renew.json")[1], "auto-renew"), ["false"]);
    let details = call("details", &order_request(&env, "sitelock", &order_id, json!({})));
    assert_eq!(details["data"]["auto_renew"], false);
}

#[test]
fn any_other_order_is_suspended_and_opened_in_its_panel() {
    let env = Env::new();
    let seeded = env.lb_fixture("orders");
    let dns = seeded.as_array().unwrap().iter().find(|o| o["product"] == "dns").unwrap().clone();
    let hosting = seeded.as_array().unwrap().iter().find(|o| o["product"] != "dns").unwrap().clone();
    let order = |o: &Value, extra: Value| {
        let mut request = env.lb(Some("order"), json!({"order_id": o["order_id"], "customer_id": o["customer_id"], "client_ip": "198.51.100.7"}));
        for (k, v) in extra.as_object().unwrap() {
            request["service"][k] = v.clone();
        }
        request
    };
    let id = dns["order_id"].as_str().unwrap();
    expect_ok(&call("suspend", &order(&dns, json!({}))));
    assert_eq!(env.order(id)["status"], "suspended");
    expect_ok(&call("unsuspend", &order(&dns, json!({}))));
    assert_eq!(env.order(id)["status"], "active");

    for (o, extra, tail) in [
        (&dns, json!({"service_name": "dns"}), "service-name=dns"),
        (&hosting, json!({"panel": "whm"}), "panel=whm"),
        (&hosting, json!({"service_name": hosting["product_key"]}), "service-name="),
    ] {
        let envelope = call("client_area_url", &order(o, extra));
        expect_ok(&envelope);
        let url = envelope["url"].as_str().unwrap();
        assert!(url.contains(tail), "{url}");
        assert_eq!(env.fetch(url).0, 200, "{url}");
    }
    for extra in [json!({"service_name": "ftp"}), json!({"panel": "cpanel"}), json!({}), json!({"service_name": "dns", "panel": "whm"})] {
        expect_error(&call("client_area_url", &order(&dns, extra)), "invalid_request");
    }
    // An order is not opened for someone else's customer.
    let mut foreign = order(&dns, json!({"service_name": "dns"}));
    foreign["service"]["customer_id"] = json!("1002");
    let envelope = call("client_area_url", &foreign);
    expect_ok(&envelope);
    assert_eq!(env.fetch(envelope["url"].as_str().unwrap()).0, 403);
    expect_error(&call("create", &order(&dns, json!({}))), "unsupported_operation");
}

#[test]
fn plans_are_listed_for_dropdowns() {
    let env = Env::new();
    let all = call("plans", &env.lb(None, json!({})));
    expect_ok(&all);
    let plans = all["data"]["plans"].as_array().unwrap();
    let products: std::collections::BTreeSet<&str> = plans.iter().map(|p| p["product"].as_str().unwrap()).collect();
    assert!(products.contains("sitelock") && products.contains("codeguard"), "{products:?}");
    for plan in plans {
        assert!(plan["plan_id"].is_string() && plan["name"].is_string(), "{plan}");
        assert!(["active", "paused"].contains(&plan["status"].as_str().unwrap()), "{plan}");
    }
    let sitelock = call("plans", &env.lb(Some("sitelock"), json!({})));
    let ids: Vec<&str> = sitelock["data"]["plans"].as_array().unwrap().iter().map(|p| p["plan_id"].as_str().unwrap()).collect();
    for active in env.lb_fixture("plans")["sitelock"].as_array().unwrap() {
        assert!(ids.contains(&active.as_str().unwrap()));
    }
    assert!(sitelock["data"]["plans"].as_array().unwrap().iter().all(|p| p["product"] == "sitelock"));
}

#[test]
fn a_new_domain_through_mixed_errors_and_a_502_after_add_is_ordered_once() {
    let env = Env::new();
    env.admin_put("config", json!({"error_style": "mixed"}));
    env.admin_put("faults", json!({"rate": 1, "kinds": ["json_502"], "methods": ["POST"], "seed": 8}));
    let service = json!({"domain": "brand-new.example", "customer_id": env.first_customer(), "plan_id": env.lb_plan("sitelock", None)});
    let first = call("create", &env.lb(Some("sitelock"), service.clone()));
    expect_ok(&first);
    assert_eq!(first["data"]["reconciled"], true, "the 502 came after the order was placed: {first:#}");
    assert_eq!(env.received("sitelock/add.json").len(), 1);
    env.admin_put("faults", json!({"rate": 0}));
    let again = call("create", &env.lb(Some("sitelock"), service));
    expect_ok(&again);
    assert_eq!((again["order_id"].clone(), again["data"]["reconciled"].clone()), (first["order_id"].clone(), json!(true)));
    let orders = env.admin("orders");
    let for_domain = orders.as_array().unwrap().iter().filter(|o| o["domain"] == "brand-new.example").count();
    assert_eq!(for_domain, 1, "{orders:#}");
    // Under the mixed style a refusal in any spelling is still read as the API's refusal.
    for _ in 0..6 {
        let refused = call("details", &env.lb(Some("sitelock"), json!({"order_id": "999"})));
        assert_eq!(refused["error"]["provider_message"], "No Entity found for Entityid", "{refused:#}");
    }
}
