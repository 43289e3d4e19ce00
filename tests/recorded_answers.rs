//! Conformance: bodies recorded from the real LogicBoxes API by other clients (see
//! `tests/data/recorded/README.md` for their sources), served byte for byte from a small local
//! server, and what the library makes of each. The sandbox is ours; these are not.

mod common;

use common::replay::Replay;
use common::{call, expect_error, expect_ok};
use serde_json::{json, Value};

const CUSTOMER: &str = "17824872";

fn recorded(name: &str) -> String {
    let path = format!("{}/tests/data/recorded/logicboxes/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The recorded error bodies, each as the API serves it (HTTP 500).
fn recorded_errors() -> Vec<(String, Value)> {
    let mut bodies: Vec<Value> = serde_json::from_str::<Vec<Value>>(&recorded("errors.json")).unwrap();
    bodies.push(serde_json::from_str(&recorded("error-capital-e.json")).unwrap());
    bodies.into_iter().map(|b| (b.to_string(), b)).collect()
}

/// The live API's answer for an order it does not know ("No Entity found…"), as recorded.
fn recorded_no_entity() -> String {
    recorded_errors().into_iter().find(|(_, body)| body["message"].as_str().is_some_and(|m| m.starts_with("No Entity"))).unwrap().0
}

fn request(server: &Replay, product: &str, service: Value) -> Value {
    json!({
        "provider": "logicboxes",
        "product": product,
        "account": {"auth_userid": "100000", "api_key": "recorded-api-key", "base_url": server.url, "panel_url": server.url},
        "service": service,
    })
}

const EMPTY_SEARCH: &str = r#"{"recsonpage":"0","recsindb":"0"}"#;

#[test]
fn a_bare_true_answers_customer_suspension() {
    let server = Replay::start();
    server.answer("/api/customers/suspend.json", 200, recorded("customers-suspend.json"));
    server.answer("/api/customers/unsuspend.json", 200, recorded("customers-unsuspend.json"));
    for (operation, status) in [("suspend", "suspended"), ("unsuspend", "active")] {
        let answer = call(operation, &request(&server, "customer", json!({"customer_id": CUSTOMER})));
        expect_ok(&answer);
        assert_eq!(answer["status"], status);
        assert_eq!(answer["provider_response"], true);
    }
}

#[test]
fn a_json_string_token_opens_the_customer_panel() {
    let server = Replay::start();
    server.answer("/api/customers/generate-login-token.json", 200, recorded("customers-generate-login-token.json"));
    let answer = call("client_area_url", &request(&server, "customer", json!({"customer_id": CUSTOMER, "client_ip": "203.0.113.9"})));
    expect_ok(&answer);
    let url = answer["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{}/servlet/AutoLoginServlet?", server.url)), "{url}");
    assert!(url.contains("userLoginId=292d9263-8bce-45e6-bd91-39bafb117a4d"), "the token without its quotes: {url}");
    assert!(!answer["calls"].to_string().contains("292d9263"), "the token appears only in the url");
}

#[test]
fn validate_modify_true_and_real_number_quotes_make_a_dry_run() {
    for (product, months) in [("sitelock", None), ("codeguard", Some(12))] {
        let server = Replay::start();
        server.answer(&format!("/api/{product}/validate-modify.json"), 200, recorded(&format!("{product}-validate-modify.json")));
        server.answer(&format!("/api/{product}/modify-pricing.json"), 200, recorded(&format!("{product}-modify-pricing.json")));
        let mut service = json!({"order_id": "79244641", "new_plan_id": "180"});
        if let Some(months) = months {
            service["months"] = json!(months);
        }
        let mut req = request(&server, product, service);
        req["options"] = json!({"dry_run": true});
        let answer = call("change_package", &req);
        expect_ok(&answer);
        let quote = &answer["data"]["quote"];
        assert_eq!((quote["upgrade_cost"].as_f64(), quote["new_price"].as_f64(), quote["remaining_months"].as_u64()), (Some(0.0), Some(0.0), Some(0)));
        assert_eq!(quote.get("expires_at"), None, "an endtime of zeros is no date: {quote}");
        assert!(server.seen("/modify.json").is_empty(), "a dry run changes nothing");
        assert_eq!(server.seen("validate-modify.json")[0].param("new-planid"), Some("180"));
    }
}

#[test]
fn string_typed_details_with_epoch_times_are_read() {
    let server = Replay::start();
    server.answer("/api/sitelock/details.json", 200, recorded("businessemail-details.json"));
    let answer = call("details", &request(&server, "sitelock", json!({"order_id": "79244641"})));
    expect_ok(&answer);
    assert_eq!((answer["order_id"].as_str(), answer["status"].as_str()), (Some("79244641"), Some("active")));
    let data = &answer["data"];
    assert_eq!(data["customer_id"], CUSTOMER);
    assert_eq!(data["product_key"], "eeliteus");
    assert_eq!(data["domain"], "name.onlyfordemo.com");
    assert_eq!(data["auto_renew"], false);
    assert_eq!(data["created_at"], "2017-11-08T12:00:54Z");
    assert_eq!(data["expires_at"], "2017-12-08T12:00:54Z");

    server.clear();
    server.answer("/api/sitelock/details.json", 200, recorded("domains-details-by-name.json"));
    let answer = call("details", &request(&server, "sitelock", json!({"order_id": "1"})));
    expect_ok(&answer);
    let raw: Value = serde_json::from_str(&recorded("domains-details-by-name.json")).unwrap();
    assert_eq!(answer["order_id"], raw["entityid"]);
    let expires = time::OffsetDateTime::from_unix_timestamp(raw["endtime"].as_str().unwrap().parse().unwrap()).unwrap();
    let expires = expires.format(&time::format_description::well_known::Rfc3339).unwrap();
    assert_eq!(answer["data"]["expires_at"], expires.as_str());

    // The same answer with its flag as a JSON boolean: the same flag, not none.
    let mut flagged = raw.clone();
    flagged["recurring"] = json!(true);
    server.clear();
    server.answer("/api/sitelock/details.json", 200, flagged.to_string());
    let answer = call("details", &request(&server, "sitelock", json!({"order_id": "1"})));
    assert_eq!(answer["data"]["auto_renew"], true, "{answer:#}");
}

#[test]
fn an_action_object_with_invoice_paid_is_a_placed_order() {
    let server = Replay::start();
    server.answer("/api/sitelock/search.json", 200, EMPTY_SEARCH);
    server.answer("/api/sitelock/add.json", 200, recorded("businessemail-add.json"));
    let service = json!({"domain": "test-domain.co.uk.onlyfordemo.com", "customer_id": CUSTOMER, "plan_id": "178", "invoice_option": "PayInvoice"});
    let answer = call("create", &request(&server, "sitelock", service));
    expect_ok(&answer);
    assert_eq!(answer["order_id"], "79767882");
    assert_eq!(answer["data"]["reconciled"], false);
    assert_eq!(answer["data"]["action_status"], "InvoicePaid");
    assert_eq!((answer["data"]["invoice_id"].as_str(), answer["data"]["selling_amount"].as_str()), (Some("77433277"), Some("1.25")));
    assert_eq!(server.seen("add.json").len(), 1);
}

#[test]
fn a_known_order_whose_details_say_not_found_is_looked_up_in_the_search_before_anything_is_ordered() {
    let server = Replay::start();
    server.answer("/api/sitelock/search.json", 200, EMPTY_SEARCH);
    server.answer("/api/sitelock/add.json", 200, recorded("businessemail-add.json"));
    let domain = "test-domain.co.uk.onlyfordemo.com";
    let mut create = request(&server, "sitelock", json!({"domain": domain, "customer_id": CUSTOMER, "plan_id": "178", "invoice_option": "PayInvoice"}));
    create["idempotency_key"] = json!("known-order-details-not-found");
    let first = call("create", &create);
    expect_ok(&first);
    let order_id = first["order_id"].as_str().unwrap().to_owned();

    // Asked again with the same key, the details path answers the live API's "No Entity found"
    // (HTTP 500) for the order the journal knows, while the search still lists it, live (its
    // domain in capitals: domain names are case-insensitive).
    server.clear();
    server.answer("/api/sitelock/add.json", 200, recorded("businessemail-add.json"));
    let not_found = recorded_no_entity();
    server.answer("/api/sitelock/details.json", 500, not_found);
    let record = json!({"recsonpage": "1", "recsindb": "1", "1": {
        "orders.orderid": order_id, "entity.customerid": CUSTOMER, "entity.description": domain.to_uppercase(),
        "entity.currentstatus": "Active", "entitytype.entitytypekey": "sitelock", "orders.autorenew": "false",
    }});
    server.answer("/api/sitelock/search.json", 200, record.to_string());
    let again = call("create", &create);
    expect_ok(&again);
    assert_eq!((again["order_id"].as_str(), again["data"]["reconciled"].as_bool()), (Some(order_id.as_str()), Some(true)), "{again:#}");
    assert!(server.seen("add.json").is_empty(), "ordered once");
    let searches = server.seen("search.json");
    assert_eq!(searches.last().and_then(|search| search.param("order-id")), Some(order_id.as_str()), "{searches:?}");
}

#[test]
fn a_known_order_whose_search_answers_an_error_is_left_undetermined_and_nothing_is_ordered() {
    // Cloud hosting is read through its search records only: there, an error worded "not
    // found" is no count, and must not let the create order again.
    let server = Replay::start();
    let search = "/api/cloudsites/linux/us/search.json";
    server.answer(search, 200, EMPTY_SEARCH);
    server.answer("/api/cloudsites/linux/us/add.json", 200, recorded("businessemail-add.json"));
    let domain = "test-domain.co.uk.onlyfordemo.com";
    let mut create = request(&server, "cloud_hosting", json!({"domain": domain, "customer_id": CUSTOMER, "plan_id": "178", "months": 1, "invoice_option": "PayInvoice"}));
    create["idempotency_key"] = json!("known-order-search-error");
    let first = call("create", &create);
    expect_ok(&first);

    server.clear();
    server.answer("/api/cloudsites/linux/us/add.json", 200, recorded("businessemail-add.json"));
    let not_found = recorded_no_entity();
    server.answer(search, 500, not_found);
    server.answer(search, 200, EMPTY_SEARCH);
    let again = call("create", &create);
    let error = expect_error(&again, "outcome_unknown");
    assert_eq!(error["retryable"], true, "{again:#}");
    assert!(server.seen("add.json").is_empty(), "nothing ordered: {again:#}");
}

#[test]
fn an_action_wrapped_in_its_invoice_id_and_one_without_entityid_are_actions() {
    let server = Replay::start();
    server.answer("/api/sitelock/details.json", 200, recorded("businessemail-details.json"));
    server.answer("/api/sitelock/renew.json", 200, recorded("businessemail-add-email-account-payinvoice.json"));
    let answer = call("renew", &request(&server, "sitelock", json!({"order_id": "80030154", "invoice_option": "PayInvoice"})));
    expect_ok(&answer);
    assert_eq!(answer["data"]["invoice_id"], "78877737");
    assert_eq!(answer["data"]["action_status"], "InvoicePaid");
    assert_eq!(server.seen("renew.json").len(), 1);

    server.answer("/api/sitelock/delete.json", 200, recorded("businessemail-delete-email-account.json"));
    let answer = call("terminate", &request(&server, "sitelock", json!({"order_id": "80030154"})));
    expect_ok(&answer);
    assert_eq!((answer["status"].as_str(), answer["data"]["action_status"].as_str()), (Some("terminated"), Some("ExecutionStarted")));
}

/// The recorded Business Email details with another number of accounts.
fn business_email_details(seats: u64) -> String {
    let mut details: Value = serde_json::from_str(&recorded("businessemail-details.json")).unwrap();
    details["emailaccounts"] = json!(seats);
    details.to_string()
}

#[test]
fn business_email_orders_are_read_through_their_own_paths() {
    let server = Replay::start();
    server.answer("/api/eelite/us/details.json", 200, recorded("businessemail-details.json"));
    let answer = call("details", &request(&server, "business_email", json!({"order_id": "79244641"})));
    expect_ok(&answer);
    let data = &answer["data"];
    assert_eq!((answer["order_id"].as_str(), answer["status"].as_str()), (Some("79244641"), Some("active")));
    assert_eq!((data["seats"].as_u64(), data["product_key"].as_str(), data["region"].as_str()), (Some(1), Some("eeliteus"), Some("us")));
    assert_eq!((data["customer_id"].as_str(), data["plan_id"].as_str()), (Some(CUSTOMER), None), "priced by seats, without a plan");
    assert_eq!(data["expires_at"], "2017-12-08T12:00:54Z");

    server.answer("/api/eelite/us/search.json", 200, EMPTY_SEARCH);
    server.answer("/api/eelite/us/add.json", 200, recorded("businessemail-add.json"));
    let service = json!({"domain": "test-domain.co.uk.onlyfordemo.com", "customer_id": CUSTOMER, "months": 1, "invoice_option": "PayInvoice", "options": {"seats": 1}});
    let answer = call("create", &request(&server, "business_email", service));
    expect_ok(&answer);
    assert_eq!((answer["order_id"].as_str(), answer["data"]["action_status"].as_str()), (Some("79767882"), Some("InvoicePaid")));
    let added = &server.seen("eelite/us/add.json")[0];
    assert_eq!((added.param("no-of-accounts"), added.param("months"), added.param("plan-id")), (Some("1"), Some("1"), None));
}

#[test]
fn business_email_seats_go_up_through_a_wrapped_answer_and_down_through_one_without_an_order_id() {
    let server = Replay::start();
    server.answer("/api/eelite/us/details.json", 200, recorded("businessemail-details.json"));
    server.answer("/api/eelite/us/add-email-account.json", 200, recorded("businessemail-add-email-account-payinvoice.json"));
    let up = json!({"order_id": "80030154", "invoice_option": "PayInvoice", "options": {"seats": 2}});
    let answer = call("change_package", &request(&server, "business_email", up));
    expect_ok(&answer);
    assert_eq!((answer["data"]["seats"].as_u64(), answer["data"]["seats_before"].as_u64()), (Some(2), Some(1)));
    assert_eq!((answer["data"]["invoice_id"].as_str(), answer["data"]["action_status"].as_str()), (Some("78877737"), Some("InvoicePaid")));
    let sent = &server.seen("add-email-account.json")[0];
    assert_eq!((sent.param("no-of-accounts"), sent.param("order-id")), (Some("1"), Some("80030154")));

    server.clear();
    server.answer("/api/eelite/us/details.json", 200, business_email_details(3));
    server.answer("/api/eelite/us/delete-email-account.json", 200, recorded("businessemail-delete-email-account.json"));
    let answer = call("change_package", &request(&server, "business_email", json!({"order_id": "80030154", "options": {"seats": 1}})));
    expect_ok(&answer);
    assert_eq!((answer["order_id"].as_str(), answer["data"]["action_status"].as_str()), (Some("80030154"), Some("ExecutionStarted")));
    assert_eq!(server.seen("delete-email-account.json")[0].param("no-of-accounts"), Some("2"));
    assert!(server.seen("add-email-account.json").is_empty());
}

#[test]
fn a_lost_seat_change_behind_a_proxy_is_settled_by_the_recorded_count() {
    let server = Replay::start();
    server.answer("/api/eelite/us/details.json", 200, recorded("businessemail-details.json"));
    server.answer("/api/eelite/us/details.json", 200, business_email_details(4));
    server.answer("/api/eelite/us/add-email-account.json", 504, r#"{"message":"Endpoint request timed out"}"#);
    let answer = call("change_package", &request(&server, "business_email", json!({"order_id": "79244641", "options": {"seats": 4}})));
    expect_ok(&answer);
    assert_eq!((answer["data"]["reconciled"].as_bool(), answer["data"]["seats"].as_u64()), (Some(true), Some(4)));
    assert_eq!(server.seen("add-email-account.json").len(), 1, "sent once");
}

#[test]
fn recorded_customer_prices_give_plans_their_tenures() {
    let server = Replay::start();
    // plan-details.json in the shape doc 004 shows; its prices as recorded.
    server.answer("/api/products/plan-details.json", 200, r#"{"sitelock":{"178":{"plan_name":"Find","plan_status":"Active"},"179":{"plan_name":"Fix","plan_status":"Paused"}}}"#);
    server.answer("/api/products/customer-price.json", 200, recorded("products-customer-price-sitelock.json"));
    let answer = call("plans", &request(&server, "sitelock", json!({})));
    expect_ok(&answer);
    let plans = answer["data"]["plans"].as_array().unwrap();
    assert_eq!(plans.len(), 2);
    assert_eq!((plans[0]["plan_id"].as_str(), plans[0]["product_key"].as_str(), plans[1]["status"].as_str()), (Some("178"), Some("sitelock"), Some("paused")));
    assert_eq!(plans[0]["tenures"], json!([1]));
    assert_eq!((plans[0]["prices"]["add"]["1"].as_f64(), plans[0]["prices"]["renew"]["1"].as_f64()), (Some(0.0), Some(0.0)));
}

/// The one recorded price body with several tenures: its keys are strings ("6", "12", "24"),
/// which sort as text otherwise. Reseller and customer prices share this shape.
#[test]
fn recorded_prices_with_several_tenures_list_them_in_months_order() {
    let server = Replay::start();
    server.answer("/api/products/plan-details.json", 200, r#"{"codeguard":{"229":{"plan_name":"Pro","plan_status":"Active"}}}"#);
    server.answer("/api/products/customer-price.json", 200, recorded("products-reseller-price-codeguard.json"));
    let answer = call("plans", &request(&server, "codeguard", json!({})));
    expect_ok(&answer);
    let plans = answer["data"]["plans"].as_array().unwrap();
    assert_eq!((plans.len(), plans[0]["plan_id"].as_str()), (1, Some("229")));
    assert_eq!(plans[0]["tenures"], json!([6, 12, 24]));
    assert_eq!(plans[0]["prices"]["add"]["12"].as_f64(), Some(0.0));
}

#[test]
fn every_recorded_error_is_an_error_with_the_providers_own_text() {
    let server = Replay::start();
    for (text, body) in recorded_errors() {
        server.clear();
        server.answer("/api/customers/suspend.json", 500, text.clone());
        let answer = call("suspend", &request(&server, "customer", json!({"customer_id": CUSTOMER})));
        let code = answer["error"]["code"].as_str().unwrap_or_default();
        assert!(["provider_error", "authentication_failed", "not_found"].contains(&code), "{text}: {answer:#}");
        let error = expect_error(&answer, code);
        assert_ne!(error["code"], "outcome_unknown", "the API's own refusal of a change is definite: {text}");
        assert_eq!(error["provider_message"], body["message"], "{text}");
        assert_eq!(error["http_status"], 500);
    }
}

#[test]
fn an_error_from_a_search_never_becomes_a_new_order_or_customer_nor_a_plain_failure() {
    let server = Replay::start();
    let cases = [
        ("sitelock/search.json", "sitelock/add.json", "businessemail-add.json", request(&server, "sitelock", json!({"domain": "example.com", "customer_id": CUSTOMER, "plan_id": "178"}))),
        ("customers/search.json", "customers/signup.json", "customers-signup.json", signup_request(&server, "new@email.com")),
    ];
    for (search, place, placed, create) in &cases {
        for (text, _) in recorded_errors() {
            server.clear();
            server.answer(&format!("/api/{search}"), 500, text.clone());
            server.answer(&format!("/api/{place}"), 200, recorded(placed));
            let answer = call("create", create);
            let code = answer["error"]["code"].as_str().unwrap_or_default();
            assert!(["outcome_unknown", "authentication_failed"].contains(&code), "{text}: {answer:#}");
            assert!(server.seen(place).is_empty(), "{text}: nothing is ordered or signed up");
        }
    }
}

#[test]
fn a_change_refused_with_a_capital_e_error_is_the_apis_refusal() {
    let server = Replay::start();
    server.answer("/api/sitelock/search.json", 200, EMPTY_SEARCH);
    server.answer("/api/sitelock/add.json", 500, recorded("error-capital-e.json"));
    let answer = call("create", &request(&server, "sitelock", json!({"domain": "example.com", "customer_id": CUSTOMER, "plan_id": "178"})));
    let error = expect_error(&answer, "provider_error");
    assert_eq!(error["provider_message"], "There is already an action pending on this Order.");
    assert_eq!(server.seen("add.json").len(), 1, "and it is not sent again");
}

#[test]
fn a_new_domain_against_real_answers_orders_once_through_a_502_and_is_reconciled() {
    let server = Replay::start();
    let found = json!({
        "recsonpage": "1", "recsindb": "1",
        "1": {"orders.orderid": "79767882", "entity.customerid": CUSTOMER, "entity.description": "example.com", "entity.currentstatus": "Active"},
    });
    // Before the order, orderid.json would answer the not-found text; search.json answers counts.
    server.answer("/api/sitelock/orderid.json", 500, r#"{"status":"ERROR","message":"Website doesn't exist for example.com"}"#);
    server.answer("/api/sitelock/search.json", 200, EMPTY_SEARCH).answer("/api/sitelock/search.json", 200, found.to_string());
    server.answer("/api/sitelock/add.json", 502, r#"{"error":"Bad Gateway"}"#);
    let mut details: Value = serde_json::from_str(&recorded("businessemail-details.json")).unwrap();
    details["entityid"] = json!("79767882");
    details["planid"] = json!("178");
    server.answer("/api/sitelock/details.json", 200, details.to_string());

    let service = json!({"domain": "example.com", "customer_id": CUSTOMER, "plan_id": "178"});
    let first = call("create", &request(&server, "sitelock", service.clone()));
    expect_ok(&first);
    assert_eq!((first["order_id"].as_str(), first["data"]["reconciled"].as_bool()), (Some("79767882"), Some(true)));
    let again = call("create", &request(&server, "sitelock", service));
    expect_ok(&again);
    assert_eq!((again["order_id"].as_str(), again["data"]["reconciled"].as_bool()), (Some("79767882"), Some(true)));
    assert_eq!(server.seen("add.json").len(), 1, "exactly one order was placed");
    assert!(server.seen("orderid.json").is_empty());
    let searched = &server.seen("search.json")[0];
    assert_eq!((searched.param("domain-name"), searched.param("customer-id")), (Some("example.com"), Some(CUSTOMER)));
}

const SIGNUP_FORM: &str = r#"{"email": "email@email.com", "name": "Customer Name", "company": "Customer Company",
    "address": "Customer Address", "city": "City", "state": "State", "country": "US", "zipcode": "12345",
    "phone_cc": "1", "phone": "1234567890", "password": "Recorded9pass"}"#;

fn signup_request(server: &Replay, email: &str) -> Value {
    let mut options: Value = serde_json::from_str(SIGNUP_FORM).unwrap();
    options["email"] = json!(email);
    request(server, "customer", json!({"options": options}))
}

#[test]
fn a_bare_integer_answers_a_signup_and_the_recorded_search_reconciles_it() {
    let server = Replay::start();
    server.answer("/api/customers/search.json", 200, EMPTY_SEARCH);
    server.answer("/api/customers/signup.json", 200, recorded("customers-signup.json"));
    let answer = call("create", &signup_request(&server, "new@email.com"));
    expect_ok(&answer);
    assert_eq!((answer["data"]["customer_id"].as_str(), answer["data"]["reconciled"].as_bool()), (Some("30930235"), Some(false)));
    assert_eq!(answer["provider_response"], 30930235);
    let sent = &server.seen("signup.json")[0];
    assert_eq!((sent.method.as_str(), sent.param("username"), sent.param("lang-pref")), ("POST", Some("new@email.com"), Some("en")));
    assert!(!answer.to_string().contains("Recorded9pass"), "{answer:#}");

    // The recorded search holds "email@email.com" as a dotted record with string counts.
    server.clear();
    server.answer("/api/customers/search.json", 200, recorded("customers-search.json"));
    let answer = call("create", &signup_request(&server, "EMAIL@email.com"));
    expect_ok(&answer);
    assert_eq!((answer["data"]["customer_id"].as_str(), answer["data"]["reconciled"].as_bool()), (Some("24148486"), Some(true)));
    assert_eq!(answer["data"]["email"], "email@email.com");
    assert!(server.seen("signup.json").is_empty(), "the existing customer is answered, never signed up again");
}

#[test]
fn recorded_customer_details_are_read_by_id_and_by_email() {
    let server = Replay::start();
    server.answer("/api/customers/details-by-id.json", 200, recorded("customers-details.json"));
    server.answer("/api/customers/search.json", 200, recorded("customers-search.json"));
    for service in [json!({"customer_id": "30930235"}), json!({"options": {"email": "email@email.com"}})] {
        let answer = call("details", &request(&server, "customer", service.clone()));
        expect_ok(&answer);
        let data = &answer["data"];
        assert_eq!((data["customer_id"].as_str(), data["email"].as_str(), data["name"].as_str()), (Some("30930235"), Some("email@email.com"), Some("Customer Name")), "{service}");
        assert_eq!((data["company"].as_str(), data["country"].as_str(), data["status"].as_str()), (Some("Customer Company"), Some("US"), Some("active")));
        assert_eq!(data["created_at"], "2025-04-23T00:57:02Z");
        // The string "false" and the real false both survive as the API wrote them.
        assert_eq!((answer["provider_response"]["ispasswdexpired"].clone(), answer["provider_response"]["isDominicanTaxConfiguredByParent"].clone()), (json!("false"), json!(false)));
    }
    let by_email = server.seen("details-by-id.json");
    assert_eq!((by_email[0].param("customer-id"), by_email[1].param("customer-id")), (Some("30930235"), Some("24148486")), "the id the search found");
    assert_eq!(server.seen("customers/search.json")[0].param("username"), Some("email@email.com"));
}

#[test]
fn a_recorded_token_opens_the_panel_and_authenticates_its_customer() {
    let server = Replay::start();
    let token: String = serde_json::from_str(&recorded("customers-generate-token.json")).unwrap();
    server.answer("/api/customers/generate-login-token.json", 200, recorded("customers-generate-token.json"));
    let link = call("client_area_url", &request(&server, "customer", json!({"customer_id": "30930235", "client_ip": "203.0.113.9"})));
    expect_ok(&link);
    assert!(link["url"].as_str().unwrap().contains(&format!("userLoginId={token}")), "{link:#}");

    server.answer("/api/customers/authenticate-token-without-history.json", 200, recorded("customers-authenticate-token.json"));
    let answer = call("details", &request(&server, "customer", json!({"options": {"token": token}})));
    expect_ok(&answer);
    let data = &answer["data"];
    assert_eq!((data["customer_id"].as_str(), data["name"].as_str(), data["email"].as_str()), (Some("30930235"), Some("Updated Name"), Some("email@email.com")));
    assert_eq!((data["status"].as_str(), data["created_at"].as_str()), (Some("active"), Some("2025-04-23T00:57:02Z")));
    assert_eq!(server.seen("authenticate-token-without-history.json")[0].param("token"), Some(token.as_str()));
    assert!(!answer.to_string().contains(&token), "the customer's token is masked: {answer:#}");

    for (text, _) in recorded_errors() {
        server.clear();
        server.answer("/api/customers/authenticate-token-without-history.json", 500, text.clone());
        let refused = call("details", &request(&server, "customer", json!({"options": {"token": token}})));
        let code = refused["error"]["code"].as_str().unwrap_or_default();
        assert_eq!(code, "authentication_failed", "an error body never authenticates anybody: {text}");
    }
}

/// Bodies of calls the library does not make, read as the API's payloads: a bare integer with
/// its newline, JSON string tokens, prices keyed by plan.
#[test]
fn every_other_recorded_body_is_read_as_its_payload() {
    use hostprov::http::{Reply, Safety};
    use hostprov::providers::logicboxes::parse_reply;
    let read = |name: &str| parse_reply(&Reply { status: 200, body: recorded(name) }, Safety::Read).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    assert_eq!(read("domains-orderid.json"), json!(84372632));
    assert!(read("customers-generate-login-token.json").as_str().is_some_and(|t| !t.contains('"') && t.len() > 8));
    assert!(read("products-customer-price-sitelock.json")["sitelock"]["plans"]["178"]["add"]["1"].is_number());
    assert!(read("products-reseller-price-codeguard.json").is_object());
    assert_eq!(read("domains-details-by-name.json")["currentstatus"], "Active");
}

/// Recorded bodies of calls the library never makes, so no operation can receive them: they are
/// read as payloads only (above).
const PAYLOAD_ONLY: [&str; 1] = [
    // orderid.json: the library finds orders through search.json's counts instead.
    "domains-orderid.json",
];

#[test]
fn every_recorded_file_is_served_to_the_operation_that_receives_it() {
    let source = std::fs::read_to_string(file!()).unwrap();
    let dir = format!("{}/tests/data/recorded/logicboxes", env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if PAYLOAD_ONLY.contains(&name.as_str()) {
            assert!(source.contains(&format!("read(\"{name}\")")), "{name} is not read as a payload by any test");
            continue;
        }
        // Served from the replay server, by name or by the product-templated name.
        let template = name.replace("sitelock", "{product}").replace("codeguard", "{product}");
        let served = [format!("recorded(\"{name}\")"), format!("recorded(&format!(\"{template}\"))")];
        assert!(served.iter().any(|call| source.contains(call.as_str())), "{name} is not served to an operation by any test");
    }
}

#[test]
fn a_termination_refused_with_the_recorded_not_found_text_is_answered_by_the_orders_state() {
    // The API may call an order it has deleted unknown: the order's details decide, not the
    // refusal's class or wording.
    let server = Replay::start();
    server.answer("/api/sitelock/delete.json", 500, recorded_no_entity());
    let mut deleted: Value = serde_json::from_str(&recorded("businessemail-details.json")).unwrap();
    deleted["currentstatus"] = json!("Deleted");
    server.answer("/api/sitelock/details.json", 200, deleted.to_string());
    let answer = call("terminate", &request(&server, "sitelock", json!({"order_id": "79244641"})));
    expect_ok(&answer);
    assert_eq!((answer["status"].as_str(), answer["data"]["reconciled"].as_bool()), (Some("terminated"), Some(true)), "{answer:#}");

    // An order the details do not know either stays unknown, with the API's own text.
    server.clear();
    server.answer("/api/sitelock/delete.json", 500, recorded_no_entity());
    server.answer("/api/sitelock/details.json", 500, recorded_no_entity());
    let answer = call("terminate", &request(&server, "sitelock", json!({"order_id": "79244641"})));
    let error = expect_error(&answer, "not_found");
    assert!(error["provider_message"].as_str().unwrap().starts_with("No Entity"), "{error}");
    assert_eq!(server.seen("delete.json").len(), 1, "and it is not sent again");
}
