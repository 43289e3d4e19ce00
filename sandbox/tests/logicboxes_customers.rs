//! LogicBoxes customers on the wire: sign-up (bare integer id, required parameters, unique
//! usernames), details by username and by id, search with string counts and dotted records,
//! and the control panel's redirect tokens.

mod support;

use support::{changed, Env};

const SIGNUP: [(&str, &str); 12] = [
    ("username", "new.customer@example.com"),
    ("passwd", "Secret9pass"),
    ("name", "New Customer"),
    ("company", "New Co"),
    ("address-line-1", "1 High Street"),
    ("city", "London"),
    ("state", "Greater London"),
    ("country", "GB"),
    ("zipcode", "EC1A 1AA"),
    ("phone-cc", "44"),
    ("phone", "2071234567"),
    ("lang-pref", "en"),
];

fn sign_up(env: &Env, form: &[(&str, &str)]) -> support::Answer {
    env.post("customers/signup.json", form)
}

#[test]
fn signup_answers_a_bare_integer_and_the_customer_is_listed_with_its_email() {
    let env = Env::new();
    let answer = sign_up(&env, &SIGNUP);
    assert_eq!(answer.status, 200, "{answer:?}");
    let id: u64 = answer.body.trim().parse().unwrap_or_else(|_| panic!("a bare integer: {answer:?}"));
    let id_text = id.to_string();
    assert!(answer.body.ends_with('\n'));
    let listed = env.admin("customers");
    let customer = listed.as_array().unwrap().iter().find(|c| c["customer_id"] == id_text.as_str()).cloned().expect("listed");
    assert_eq!((customer["email"].as_str(), customer["name"].as_str(), customer["status"].as_str()), (Some("new.customer@example.com"), Some("New Customer"), Some("active")));

    let second = sign_up(&env, &changed(&SIGNUP, &[("username", "second@example.com")]));
    assert_eq!(second.body.trim().parse::<u64>().unwrap(), id + 1, "ids count up");
}

#[test]
fn signup_refuses_missing_parameters_a_bad_username_and_a_taken_one() {
    let env = Env::new();
    for (name, _) in SIGNUP {
        let answer = sign_up(&env, &changed(&SIGNUP, &[("", name)]));
        assert!(answer.error_message().contains(name), "{name}: {answer:?}");
    }
    let answer = sign_up(&env, &changed(&SIGNUP, &[("username", "not-an-email")]));
    assert!(answer.error_message().contains("username"), "{answer:?}");
    let answer = sign_up(&env, &changed(&SIGNUP, &[("country", "gb")]));
    assert!(answer.error_message().contains("country"), "{answer:?}");

    assert_eq!(sign_up(&env, &SIGNUP).status, 200);
    let taken = sign_up(&env, &changed(&SIGNUP, &[("username", "NEW.customer@example.com"), ("name", "Someone Else")]));
    assert!(taken.error_message().contains("already registered"), "{taken:?}");
    let emails = env.admin("customers");
    assert_eq!(emails.as_array().unwrap().iter().filter(|c| c["email"].as_str().unwrap().eq_ignore_ascii_case("new.customer@example.com")).count(), 1);
}

#[test]
fn details_by_username_and_by_id_are_string_typed_with_a_real_boolean() {
    let env = Env::new();
    let id = sign_up(&env, &SIGNUP).body.trim().to_owned();
    let by_name = env.get("customers/details.json", &[("username", "new.customer@example.com")]).ok();
    let by_id = env.get("customers/details-by-id.json", &[("customer-id", &id)]).ok();
    assert_eq!(by_name, by_id);
    assert_eq!((by_id["customerid"].as_str(), by_id["username"].as_str(), by_id["customerstatus"].as_str()), (Some(id.as_str()), Some("new.customer@example.com"), Some("Active")));
    assert!(by_id["creationdt"].as_str().unwrap().parse::<i64>().is_ok());
    assert_eq!((by_id["telnocc"].as_str(), by_id["zip"].as_str(), by_id["ispasswdexpired"].as_str()), (Some("44"), Some("EC1A 1AA"), Some("false")));
    assert_eq!(by_id["isDominicanTaxConfiguredByParent"], false);
    assert!(!by_id.to_string().contains("Secret9pass"), "the password is never shown");

    for answer in [
        env.get("customers/details-by-id.json", &[("customer-id", "424242")]),
        env.get("customers/details.json", &[("username", "nobody@example.com")]),
    ] {
        assert_eq!(answer.error_message(), "No Entity found for Entityid");
    }
}

#[test]
fn search_filters_and_pages_with_string_counts() {
    let env = Env::new();
    sign_up(&env, &SIGNUP);
    let search = |filters: &[(&str, &str)]| {
        let mut params = vec![("no-of-records", "10"), ("page-no", "1")];
        params.extend_from_slice(filters);
        env.get("customers/search.json", &params).ok()
    };
    let found = search(&[("username", "new.customer@example.com")]);
    assert_eq!((found["recsonpage"].as_str(), found["recsindb"].as_str()), (Some("1"), Some("1")));
    assert_eq!(found["1"]["customer.username"], "new.customer@example.com");
    assert_eq!(found["1"]["customer.customerstatus"], "Active");
    assert!(found["1"]["customer.customerid"].is_string());

    assert_eq!(search(&[("username", "example")])["recsindb"], "4", "the username filter matches loosely");
    assert_eq!(search(&[("username", "nobody@example.net")]), serde_json::json!({"recsonpage": "0", "recsindb": "0"}));
    assert_eq!(search(&[("name", "acme")])["1"]["customer.name"], "Acme Web");
    assert_eq!(search(&[("customer-id", "99"), ("customer-id", "1002")])["recsindb"], "2");
    assert_eq!(search(&[("status", "Suspended")])["recsindb"], "0");
    assert_eq!(search(&[("country", "GB")])["recsindb"], "1");

    let page_two = env.get("customers/search.json", &[("no-of-records", "10"), ("page-no", "2")]).ok();
    assert_eq!((page_two["recsonpage"].as_str(), page_two["recsindb"].as_str()), (Some("0"), Some("4")));
    let refused = env.get("customers/search.json", &[("no-of-records", "5"), ("page-no", "1")]);
    assert!(refused.error_message().contains("no-of-records"));
}

#[test]
fn a_redirect_token_authenticates_its_customer_until_it_expires() {
    let env = Env::new();
    let token = env.admin_post("customer-token", r#"{"customer_id": "1001"}"#);
    assert_eq!((token["customer_id"].as_str(), token["expires_in_s"].as_i64()), (Some("1001"), Some(120)));
    let token = token["token"].as_str().unwrap().to_owned();
    let customer = env.get("customers/authenticate-token-without-history.json", &[("token", &token)]).ok();
    assert_eq!(customer["customerid"], "1001");
    assert_eq!(customer["username"], "billing@example-hosting.example");

    let again = env.get("customers/authenticate-token-without-history.json", &[("token", &token)]);
    assert_eq!(again.status, 200, "checking a token leaves it usable: {again:?}");
    let login = env.login_token("1001");
    for forged in [login.as_str(), "forged-token", &token.to_uppercase()] {
        let refused = env.get("customers/authenticate-token-without-history.json", &[("token", forged)]);
        assert!(refused.error_message().contains("Invalid token"), "{forged}: {refused:?}");
    }
    env.advance_clock(121);
    let expired = env.get("customers/authenticate-token-without-history.json", &[("token", &token)]);
    assert!(expired.error_message().contains("expired"), "{expired:?}");

    let unknown = env.admin_put("customer-token", "{}");
    assert_eq!(unknown.status, 404, "only POST");
    let answer = env.call("POST", "/_sandbox/customer-token", &[], &[]);
    assert_eq!(answer.status, 404, "a customer id is needed: {answer:?}");
}
