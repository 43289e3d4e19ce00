//! LogicBoxes `customer` create (sign-up, once per e-mail) and details (by id, by e-mail, by the
//! control panel's redirect token), end to end against the sandbox.

mod common;

use common::replay::Replay;
use common::{call, expect_error, expect_ok, param_values, Env};
use serde_json::{json, Value};

const PASSWORD: &str = "Canary9pass#x";

fn form(email: &str) -> Value {
    json!({
        "email": email, "name": "Jane Doe", "company": "Doe Web Ltd", "address": "1 High Street",
        "city": "London", "state": "Greater London", "country": "GB", "zipcode": "EC1A 1AA",
        "phone_cc": "44", "phone": "2071234567", "password": PASSWORD,
    })
}

fn create(env: &Env, options: Value) -> Value {
    call("create", &env.lb(Some("customer"), json!({"options": options})))
}

fn details(env: &Env, service: Value) -> Value {
    call("details", &env.lb(Some("customer"), service))
}

/// The sandbox's customers with this e-mail address.
fn customers_with(env: &Env, email: &str) -> Vec<Value> {
    env.admin("customers").as_array().unwrap().iter().filter(|c| c["email"] == email).cloned().collect()
}

/// The password in every spelling it could leak in: raw, form- and percent-encoded, JSON-escaped.
#[track_caller]
fn assert_password_hidden(text: &str) {
    let form_encoded: String = url::form_urlencoded::byte_serialize(PASSWORD.as_bytes()).collect();
    for spelling in [PASSWORD, &form_encoded, &PASSWORD.replace('#', "%23"), "Canary9pass"] {
        assert!(!text.contains(spelling), "the password leaked as {spelling:?}: {text}");
    }
}

#[test]
fn create_signs_up_once_and_a_repeat_is_reconciled_even_with_other_fields() {
    let env = Env::new();
    let first = create(&env, form("new.client@example.com"));
    expect_ok(&first);
    assert_eq!(first["order_id"], Value::Null);
    assert_eq!(first["status"], "active");
    let customer_id = first["data"]["customer_id"].as_str().unwrap().to_owned();
    assert_eq!((first["data"]["email"].as_str(), first["data"]["reconciled"].as_bool()), (Some("new.client@example.com"), Some(false)));
    let sent = env.received("customers/signup.json");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["method"], "POST");
    for (name, value) in [("username", "new.client@example.com"), ("passwd", PASSWORD), ("address-line-1", "1 High Street"), ("phone-cc", "44"), ("lang-pref", "en")] {
        assert_eq!(param_values(&sent[0], name), [value], "{name}");
    }
    let searched = env.received("customers/search.json");
    assert_eq!(param_values(&searched[0], "username"), ["new.client@example.com"], "looked up before signing up");

    let mut other = form("New.Client@example.com");
    other["name"] = json!("Somebody Else");
    other["password"] = json!("Another9pass");
    let again = create(&env, other);
    expect_ok(&again);
    assert_eq!(again["data"]["customer_id"], customer_id.as_str());
    assert_eq!(again["data"]["reconciled"], true);
    assert_eq!(again["data"]["email"], "new.client@example.com");
    assert_eq!(env.received("customers/signup.json").len(), 1, "never a second sign-up");
    assert_eq!(customers_with(&env, "new.client@example.com").len(), 1);
    assert_eq!(customers_with(&env, "new.client@example.com")[0]["customer_id"], customer_id.as_str());
}

#[test]
fn details_by_id_by_email_and_by_a_redirect_token_answer_the_same_customer() {
    let env = Env::new();
    let created = create(&env, form("jane.doe@example.org"));
    expect_ok(&created);
    let customer_id = created["data"]["customer_id"].as_str().unwrap().to_owned();

    let token = env.admin_post("customer-token", json!({"customer_id": customer_id}))["token"].as_str().unwrap().to_owned();
    for (how, service) in [
        ("id", json!({"customer_id": customer_id})),
        ("e-mail", json!({"options": {"email": "JANE.DOE@example.org"}})),
        ("token", json!({"options": {"token": token}})),
    ] {
        let answer = details(&env, service);
        expect_ok(&answer);
        let data = &answer["data"];
        assert_eq!(data["customer_id"], customer_id.as_str(), "{how}");
        assert_eq!((data["email"].as_str(), data["name"].as_str(), data["company"].as_str()), (Some("jane.doe@example.org"), Some("Jane Doe"), Some("Doe Web Ltd")), "{how}");
        assert_eq!((data["country"].as_str(), data["status"].as_str(), answer["status"].as_str()), (Some("GB"), Some("active"), Some("active")), "{how}");
        assert!(data["created_at"].as_str().is_some_and(|t| t.ends_with('Z') && t.contains('T')), "{how}: {data}");
        assert_eq!(answer["provider_response"]["customerid"], customer_id.as_str(), "{how}");
    }
    let by_token = env.received("authenticate-token-without-history.json");
    assert_eq!(param_values(&by_token[0], "token"), [token.as_str()]);

    // The same answers the customer's new state.
    call("suspend", &env.lb(Some("customer"), json!({"customer_id": customer_id})));
    let suspended = details(&env, json!({"customer_id": customer_id}));
    assert_eq!((suspended["status"].as_str(), suspended["data"]["status"].as_str()), (Some("suspended"), Some("suspended")));
}

#[test]
fn a_forged_or_expired_token_is_refused_and_never_shown() {
    let env = Env::new();
    let customer = env.first_customer();
    let forged = "forged-0c1d2e3f-token";
    let answer = details(&env, json!({"options": {"token": forged}}));
    let error = expect_error(&answer, "authentication_failed");
    assert!(error["message"].as_str().unwrap().contains("token"), "{error}");
    assert_eq!(error["retryable"], false);
    assert!(!answer.to_string().contains(forged), "the token is masked: {answer:#}");
    assert!(answer["calls"][0]["url"].as_str().unwrap().contains("token=***"), "{answer:#}");

    let token = env.admin_post("customer-token", json!({"customer_id": customer}))["token"].as_str().unwrap().to_owned();
    expect_ok(&details(&env, json!({"options": {"token": token}})));
    env.admin_post("clock", json!({"advance_s": 121}));
    let expired = details(&env, json!({"options": {"token": token}}));
    expect_error(&expired, "authentication_failed");
    assert!(!expired.to_string().contains(&token), "{expired:#}");
}

#[test]
fn an_unknown_email_or_id_is_not_found_from_the_count_and_the_entity_error() {
    let env = Env::new();
    let answer = details(&env, json!({"options": {"email": "nobody@example.net"}}));
    expect_error(&answer, "not_found");
    assert!(env.received("details-by-id.json").is_empty(), "decided from the search's count");
    let searched = env.received("customers/search.json");
    assert_eq!((param_values(&searched[0], "no-of-records").len(), param_values(&searched[0], "page-no"), param_values(&searched[0], "username")), (1, vec!["1".to_owned()], vec!["nobody@example.net".to_owned()]));

    let error = expect_error(&details(&env, json!({"customer_id": "424242"})), "not_found");
    assert!(error["provider_message"].as_str().unwrap().contains("No Entity found for Entityid"), "{error}");
}

#[test]
fn a_seeded_customer_is_found_by_email_and_answered_reconciled() {
    let env = Env::new();
    let seeded = env.lb_fixture("customers")[0].clone();
    let email = seeded["email"].as_str().unwrap();
    let found = details(&env, json!({"options": {"email": email}}));
    expect_ok(&found);
    assert_eq!(found["data"]["customer_id"], seeded["customer_id"]);
    let answer = create(&env, form(email));
    expect_ok(&answer);
    assert_eq!((answer["data"]["customer_id"].clone(), answer["data"]["reconciled"].clone()), (seeded["customer_id"].clone(), json!(true)));
    assert!(env.received("customers/signup.json").is_empty());
}

#[test]
fn bad_fields_are_refused_naming_the_field_with_nothing_sent() {
    let env = Env::new();
    for (key, value) in [
        ("email", json!("not-an-email")),
        ("country", json!("XX")),
        ("phone", json!("+44 20 7123")),
        ("zipcode", json!("EC1A/1AA")),
        ("password", json!("short1")),
        ("password", json!("nodigitshere")),
        ("language", json!("english")),
        ("name", json!("")),
    ] {
        let mut options = form("valid@example.com");
        options[key] = value;
        let answer = create(&env, options);
        let error = expect_error(&answer, "invalid_request");
        assert!(error["message"].as_str().unwrap().contains(&format!("`service.options.{key}`")), "{key}: {error}");
        assert!(answer["calls"].as_array().unwrap().is_empty(), "{key}: nothing is sent");
    }
    let mut options = form("valid@example.com");
    options.as_object_mut().unwrap().remove("company");
    let error = expect_error(&create(&env, options), "invalid_request");
    assert!(error["message"].as_str().unwrap().contains("`service.options.company`"), "{error}");

    for service in [
        json!({}),
        json!({"customer_id": "99", "options": {"email": "a@example.com"}}),
        json!({"options": {"email": "a@example.com", "token": "abc-def"}}),
        json!({"options": {"email": "not an email"}}),
        json!({"options": {"token": "two words"}}),
    ] {
        let answer = details(&env, service.clone());
        expect_error(&answer, "invalid_request");
        assert!(answer["calls"].as_array().unwrap().is_empty(), "{service}");
    }
    assert!(env.received(".json").is_empty(), "no request reached the provider");
}

#[test]
fn the_password_never_appears_in_the_envelope_calls_or_messages() {
    let env = Env::new();
    let created = create(&env, form("secret.keeper@example.com"));
    expect_ok(&created);
    assert_password_hidden(&created.to_string());
    let logged = created["calls"].as_array().unwrap().iter().find(|c| c["url"].as_str().unwrap().contains("signup.json")).unwrap().clone();
    assert!(logged["request"].as_str().unwrap().contains("passwd=***"), "{logged}");

    // A refusal whose message quotes what it was sent, as a server may.
    let server = Replay::start();
    server.answer("/api/customers/search.json", 200, r#"{"recsonpage":"0","recsindb":"0"}"#);
    server.answer("/api/customers/signup.json", 500, json!({"status": "ERROR", "message": format!("passwd {PASSWORD} is not allowed")}).to_string());
    let mut request = env.lb(Some("customer"), json!({"options": form("other.keeper@example.com")}));
    request["account"]["base_url"] = json!(server.url);
    let answer = call("create", &request);
    let error = expect_error(&answer, "provider_error");
    assert!(error["provider_message"].as_str().unwrap().contains("passwd *** is not allowed"), "{error}");
    assert_password_hidden(&answer.to_string());
    assert_eq!(server.seen("signup.json")[0].param("passwd"), Some(PASSWORD), "sent as it is");
}

#[test]
fn a_lost_signup_answer_leads_to_exactly_one_customer() {
    let env = Env::new();
    env.admin_put("faults", json!({"rate": 1.0, "kinds": ["reset_after_commit"], "methods": ["POST"]}));
    let answer = create(&env, form("lost.answer@example.com"));
    expect_ok(&answer);
    assert_eq!(answer["data"]["reconciled"], true, "{answer:#}");
    assert_password_hidden(&answer.to_string());
    env.admin_put("faults", json!({"rate": 0.0}));
    let again = create(&env, form("lost.answer@example.com"));
    expect_ok(&again);
    assert_eq!(again["data"]["customer_id"], answer["data"]["customer_id"]);
    assert_eq!(customers_with(&env, "lost.answer@example.com").len(), 1);
    assert_eq!(env.received("customers/signup.json").len(), 1, "signed up once");
}

#[test]
fn a_failed_lookup_signs_nobody_up_and_is_outcome_unknown() {
    let env = Env::new();
    env.admin_put("faults", json!({"rate": 1.0, "kinds": ["html_502"], "methods": ["GET"]}));
    let answer = create(&env, form("unseen@example.com"));
    let error = expect_error(&answer, "outcome_unknown");
    assert_eq!(error["retryable"], true);
    assert!(env.received("customers/signup.json").is_empty(), "nothing is signed up: {answer:#}");
    assert!(customers_with(&env, "unseen@example.com").is_empty());
}

#[test]
fn the_catalog_lists_both_operations_with_their_fields() {
    let catalog: Value = serde_json::from_str(&hostprov::call_named("catalog", "{}")).unwrap();
    let logicboxes = catalog["data"]["providers"].as_array().unwrap().iter().find(|p| p["provider"] == "logicboxes").unwrap().clone();
    let customer = logicboxes["products"].as_array().unwrap().iter().find(|p| p["product"] == "customer").unwrap().clone();
    let operation = |name: &str| customer["operations"].as_array().unwrap().iter().find(|o| o["operation"] == name).cloned().unwrap();
    let create = operation("create");
    let required: Vec<&str> = create["options_required"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(required, ["email", "name", "company", "address", "city", "state", "country", "zipcode", "phone_cc", "phone", "password"]);
    assert_eq!(create["options_optional"], json!(["language"]));
    let details = operation("details");
    assert_eq!(details["required_one_of"], json!(["service.customer_id", "service.options.email", "service.options.token"]));
    assert_eq!((details["optional"].clone(), details["options_optional"].clone()), (json!(["customer_id"]), json!(["email", "token"])));
}

#[test]
fn two_sign_ups_with_other_emails_and_no_key_are_two_customers() {
    let env = Env::new();
    let first = create(&env, form("first-of-two@example.com"));
    let second = create(&env, form("second-of-two@example.com"));
    expect_ok(&first);
    expect_ok(&second);
    assert_eq!((first["data"]["reconciled"].as_bool(), second["data"]["reconciled"].as_bool()), (Some(false), Some(false)));
    assert_ne!(first["data"]["customer_id"], second["data"]["customer_id"]);
    assert_eq!(customers_with(&env, "second-of-two@example.com").len(), 1);
    let again = create(&env, form("First-Of-Two@example.com"));
    assert_eq!((again["data"]["customer_id"].clone(), again["data"]["reconciled"].clone()), (first["data"]["customer_id"].clone(), json!(true)));
}

#[test]
fn an_email_the_search_matches_loosely_is_not_another_customer() {
    // customers/search.json matches usernames loosely, as the live API does: a search for
    // "ane@…" lists "jane@…". Only the exact username is the customer.
    let env = Env::new();
    let seeded = env.lb_fixture("customers")[0].clone();
    let email = seeded["email"].as_str().unwrap();
    let near = &email[1..];
    expect_error(&details(&env, json!({"options": {"email": near}})), "not_found");
    let made = create(&env, form(near));
    expect_ok(&made);
    assert_eq!(made["data"]["reconciled"], false, "{made:#}");
    assert_ne!(made["data"]["customer_id"], seeded["customer_id"], "a near match is not the customer");
    assert_eq!(env.received("customers/signup.json").len(), 1);
}
