//! RackNap's Product/Service API v2 over real HTTP: the `Validate` bearer header, strict dates
//! and billing cycles, the vendor's misspelled field names, PHP-escaped answers and the life of
//! a service as `/_sandbox/orders` shows it.

mod support;

use serde_json::{json, Value};
use support::{changed, Answer, Env};

const TOKEN_HEADER: (&str, &str) = ("Validate", "Bearer sandbox-token");

/// The documentation's own example of a create.
const CREATE: [(&str, &str); 15] = [
    ("customer_id", "652"),
    ("quantity", "1"),
    ("slserverid", "618e16ad6764"),
    ("serverid", "0"),
    ("planid", "172"),
    ("regdate", "23/07/2019"),
    ("amount", "528.14"),
    ("recuring_amount", "528.14"),
    ("nextduedate", "23/07/2020"),
    ("billingcycle", "Annually"),
    ("first_plan_price", "528.14"),
    ("recuring_plan_price", "528.14"),
    ("plan_billing_cycle", "Annually"),
    ("firstpayment", "528.14"),
    ("pid", "0"),
];

fn call(env: &Env, name: &str, params: &[(&str, &str)]) -> Answer {
    env.call("POST", &format!("/racknap/api/v2/service/{name}"), &[TOKEN_HEADER, ("cache-control", "no-cache")], params)
}

/// The example create with `changes` applied: a pair replaces the field of that name (or is
/// added), and a pair with an empty name removes the field named by its value.
fn create(env: &Env, changes: &[(&str, &str)]) -> Answer {
    call(env, "create", &changed(&CREATE, changes))
}

/// Creates the example service and returns its id.
fn create_service(env: &Env) -> String {
    let message = success(&create(env, &[]))["message"].as_str().unwrap().to_owned();
    let id = message.strip_prefix("Service ID: ").and_then(|rest| rest.split(' ').next()).unwrap();
    id.to_owned()
}

#[track_caller]
fn success(answer: &Answer) -> Value {
    let body = answer.ok();
    assert_eq!(body["status"], "Success", "{answer:?}");
    body
}

/// An error answer (HTTP 200, status Error); returns the whole body.
#[track_caller]
fn error(answer: &Answer) -> Value {
    let body = answer.ok();
    assert_eq!(body["status"], "Error", "{answer:?}");
    assert!(body["message"].is_string(), "{answer:?}");
    body
}

/// A validation error; returns its message.
#[track_caller]
fn invalid(answer: &Answer) -> String {
    let body = error(answer);
    assert_eq!(body["error_code"], "E_VALIDATION", "{answer:?}");
    body["message"].as_str().unwrap().to_owned()
}

#[track_caller]
fn assert_status(env: &Env, service_id: &str, status: &str) {
    assert_eq!(env.admin_order(service_id)["status"], status);
}

#[test]
fn calls_without_the_validate_token_are_refused_with_401() {
    let env = Env::new();
    let target = "/racknap/api/v2/service/create";
    let refusals = [
        env.call("POST", target, &[], &CREATE),
        env.call("POST", target, &[("Validate", "Bearer wrong-token")], &CREATE),
        env.call("POST", target, &[("Validate", "sandbox-token")], &CREATE),
        env.call("POST", target, &[("Authorization", "Bearer sandbox-token")], &CREATE),
    ];
    for answer in &refusals {
        assert_eq!(answer.status, 401, "{answer:?}");
        assert_eq!(answer.json(), json!({"status": "Error", "error_code": 401, "message": "Invalid or missing token"}));
    }
    assert!(env.admin("orders").as_array().unwrap().iter().all(|o| o["provider"] != "racknap"), "nothing was created");
    let lower_case = env.call("POST", target, &[("validate", "bearer sandbox-token")], &CREATE);
    success(&lower_case);
}

#[test]
fn only_post_is_answered_and_unknown_calls_are_404() {
    let env = Env::new();
    let get = env.call("GET", "/racknap/api/v2/service/planDetail?planid=172&currency=1", &[TOKEN_HEADER], &[]);
    assert_eq!(get.status, 405, "{get:?}");
    assert_eq!(get.json()["status"], "Error");
    let unknown = call(&env, "renew", &[("serviceid", "1334")]);
    assert_eq!(unknown.status, 404, "{unknown:?}");
    assert_eq!(unknown.json()["status"], "Error");
}

#[test]
fn create_answers_php_escaped_json_with_the_service_id_in_its_message() {
    let env = Env::new();
    let answer = create(&env, &[]);
    assert_eq!(answer.content_type, "application/json");
    assert!(answer.body.contains(r#""link":"https:\/\/racknap.example\/service\/1334""#), "slashes escaped: {}", answer.body);
    let body = success(&answer);
    assert_eq!(body["message"], "Service ID: 1334 - Office 365 ( Essential Suite ) service has been created successfully.");
    assert_eq!(body["link"], "https://racknap.example/service/1334");

    // Duplicates are allowed; ids count up; the other plans are sold too.
    let again = success(&create(&env, &[]));
    assert!(again["message"].as_str().unwrap().starts_with("Service ID: 1335 - "), "{again}");
    let premium = success(&create(&env, &[("planid", "173"), ("customer_id", "653"), ("quantity", "25")]));
    assert_eq!(premium["message"], "Service ID: 1336 - Office 365 Business Premium service has been created successfully.");
    let vps = success(&create(&env, &[("planid", "24"), ("billingcycle", "Hourly"), ("plan_billing_cycle", "Monthly")]));
    assert!(vps["message"].as_str().unwrap().contains("Cloud VPS"), "{vps}");
}

#[test]
fn dates_must_be_real_days_written_dd_mm_yyyy() {
    let env = Env::new();
    for bad in ["2019-07-23", "07/23/2019", "31/02/2020", "1/7/2019", "23/07/19", "23.07.2019", "today"] {
        assert_eq!(invalid(&create(&env, &[("regdate", bad)])), "Invalid date format for regdate, expected dd/mm/yyyy", "{bad}");
        assert_eq!(invalid(&create(&env, &[("nextduedate", bad)])), "Invalid date format for nextduedate, expected dd/mm/yyyy", "{bad}");
    }
    let answer = create(&env, &[("regdate", "2019-07-23")]);
    assert!(answer.body.contains(r"dd\/mm\/yyyy"), "errors are PHP-encoded too: {}", answer.body);
    assert_eq!(invalid(&create(&env, &[("", "regdate")])), "regdate is required");
    success(&create(&env, &[("regdate", "29/02/2024"), ("nextduedate", "28/02/2025")]));
}

#[test]
fn billing_cycles_are_exactly_the_thirteen_documented_values() {
    let env = Env::new();
    let cycles = [
        "Free", "Free Trial", "One Time", "Hourly", "Monthly", "Quarterly", "Semi-Annually", "Annually", "Biennially",
        "Triennially", "Quadrennial", "Quinquennial", "Decennial",
    ];
    for cycle in cycles {
        success(&create(&env, &[("billingcycle", cycle), ("plan_billing_cycle", cycle)]));
    }
    for bad in ["annually", "Yearly", "Semi-annually", "Semi Annually", "Quadrennially", "ANNUALLY", " Annually"] {
        let message = invalid(&create(&env, &[("billingcycle", bad)]));
        assert!(message.starts_with("billingcycle must be one of Free, Free Trial,") && message.contains("Decennial"), "{bad}: {message}");
        let message = invalid(&create(&env, &[("plan_billing_cycle", bad)]));
        assert!(message.starts_with("plan_billing_cycle must be one of"), "{bad}: {message}");
    }
}

#[test]
fn the_vendors_misspelled_field_names_are_the_only_ones_accepted() {
    let env = Env::new();
    let corrected = create(&env, &[("", "recuring_amount"), ("recurring_amount", "528.14")]);
    assert_eq!(invalid(&corrected), "recuring_amount is required");
    let corrected = create(&env, &[("", "recuring_plan_price"), ("recurring_plan_price", "528.14")]);
    assert_eq!(invalid(&corrected), "recuring_plan_price is required");
    // The correct spellings beside the vendor's are unknown fields, ignored like any other.
    success(&create(&env, &[("recurring_amount", "1.00"), ("recurring_plan_price", "1.00"), ("custom_field", "x")]));
}

#[test]
fn other_fields_are_checked_as_documented() {
    let env = Env::new();
    assert_eq!(invalid(&create(&env, &[("customer_id", "999")])), "Invalid customer_id 999: no such customer");
    assert_eq!(invalid(&create(&env, &[("", "customer_id")])), "customer_id is required");
    for bad in ["0", "-1", "1.5", "many"] {
        assert!(invalid(&create(&env, &[("quantity", bad)])).starts_with("quantity must be a whole number of at least 1"), "{bad}");
    }
    let unknown_plan = error(&create(&env, &[("planid", "999")]));
    assert_eq!(unknown_plan["message"], "Invalid plan id");
    for field in ["amount", "recuring_amount", "first_plan_price", "recuring_plan_price", "firstpayment"] {
        for bad in ["-1", "1e5", "12,50", "free"] {
            assert!(invalid(&create(&env, &[(field, bad)])).starts_with(&format!("{field} must be an amount")), "{field}={bad}");
        }
        assert_eq!(invalid(&create(&env, &[("", field)])), format!("{field} is required"));
    }
    assert!(invalid(&create(&env, &[("pid", "main")])).starts_with("pid must be a whole number"));
    // slserverid is a string, whatever the documentation's "Integer" says; the optional fields may be left out.
    success(&create(&env, &[("slserverid", "618e16ad6764"), ("amount", "0"), ("firstpayment", "0.00")]));
    success(&create(&env, &[("", "slserverid"), ("", "serverid"), ("", "pid")]));
}

#[test]
fn services_move_between_states_and_the_admin_view_follows() {
    let env = Env::new();
    let id = create_service(&env);
    let order = env.admin_order(&id);
    assert_eq!(order, json!({
        "provider": "racknap", "product": "service", "order_id": id, "status": "active",
        "domain": null, "title": null, "customer_id": "652", "plan_id": "172",
    }));
    let serviceid = [("serviceid", id.as_str())];

    let unsuspend_active = error(&call(&env, "unsuspend", &serviceid));
    assert_eq!(unsuspend_active["message"], format!("Service {id} is already Active."));

    let suspended = call(&env, "suspend", &serviceid);
    assert!(suspended.body.contains(r"https:\/\/"), "{}", suspended.body);
    assert_eq!(success(&suspended)["message"], "Service has been suspended successfully.");
    assert_status(&env, &id, "suspended");
    assert_eq!(error(&call(&env, "suspend", &serviceid))["message"], format!("Service {id} is already Suspended."));

    assert_eq!(success(&call(&env, "unsuspend", &serviceid))["message"], "Service has been unuspended successfully.", "the vendor's spelling");
    assert_status(&env, &id, "active");

    call(&env, "suspend", &serviceid);
    assert_eq!(success(&call(&env, "terminate", &serviceid))["message"], "Service has been terminated successfully.");
    assert_status(&env, &id, "terminated");
    for change in ["suspend", "unsuspend"] {
        let refused = error(&call(&env, change, &serviceid));
        assert_eq!(refused["message"], format!("Service {id} is Terminated and cannot be {change}ed."));
    }
    assert_eq!(error(&call(&env, "terminate", &serviceid))["message"], format!("Service {id} is already Terminated."));
    assert_status(&env, &id, "terminated");
}

#[test]
fn unknown_services_are_not_found() {
    let env = Env::new();
    for change in ["suspend", "unsuspend", "terminate"] {
        for id in ["1334", "abc"] {
            assert_eq!(error(&call(&env, change, &[("serviceid", id)])), json!({"status": "Error", "message": "Service not found"}));
        }
        assert_eq!(invalid(&call(&env, change, &[])), "serviceid is required");
    }
}

#[test]
fn plan_details_and_cloud_vps_details() {
    let env = Env::new();
    let plan = success(&call(&env, "planDetail", &[("planid", "172"), ("currency", "1"), ("pid", "0")]));
    let data = &plan["data"];
    assert_eq!(data["planid"], 172);
    assert_eq!(data["name"], "Office 365 ( Essential Suite )");
    assert_eq!(data["currency"], 1);
    assert_eq!(data["billing_cycles"], json!(["Monthly", "Annually"]));
    assert_eq!(data["price"]["Annually"], 528.14);
    assert_eq!(success(&call(&env, "planDetail", &[("planid", "24"), ("currency", "2")]))["data"]["name"], "Cloud VPS");

    assert_eq!(error(&call(&env, "planDetail", &[("planid", "999"), ("currency", "1")])), json!({"status": "Error", "message": "Invalid plan id"}));
    assert_eq!(invalid(&call(&env, "planDetail", &[("planid", "172")])), "currency is required");

    for platform in ["Linux", "Windows"] {
        let vps = success(&call(&env, "cloud_linux_vps_details", &[("planid", "24"), ("platform", platform), ("currency_id", "1"), ("partner_id", "0")]));
        let data = &vps["data"];
        assert_eq!((data["planid"].clone(), data["name"].clone(), data["platform"].clone()), (json!(24), json!("Cloud VPS"), json!(platform)));
        for spec in ["cpu", "ram_gb", "disk_gb"] {
            assert!(data[spec].as_u64().is_some_and(|n| n > 0), "{spec} in {vps}");
        }
    }
    let linux = [("planid", "24"), ("platform", "Linux"), ("currency_id", "1")];
    assert_eq!(success(&call(&env, "cloud_linux_vps_details", &linux))["data"]["ram_gb"], 4);
    let lower = call(&env, "cloud_linux_vps_details", &[("planid", "24"), ("platform", "linux"), ("currency_id", "1")]);
    assert_eq!(invalid(&lower), "platform must be one of Linux, Windows, not linux");
    let office = call(&env, "cloud_linux_vps_details", &[("planid", "172"), ("platform", "Linux"), ("currency_id", "1")]);
    assert_eq!(invalid(&office), "Plan 172 is not a Cloud VPS plan");
    assert_eq!(invalid(&call(&env, "cloud_linux_vps_details", &[("planid", "24"), ("platform", "Linux")])), "currency_id is required");
}

#[test]
fn fixtures_stats_and_reset() {
    let env = Env::new();
    let fixtures = env.admin("fixtures")["racknap"].clone();
    assert_eq!(fixtures, json!({"api_token": "sandbox-token", "customers": ["652", "653"], "plans": ["172", "173"], "vps_plans": ["24"]}));
    let first = create_service(&env);
    create_service(&env);
    call(&env, "suspend", &[("serviceid", first.as_str())]);
    env.call("POST", "/racknap/api/v2/service/create", &[], &CREATE);
    let routes = env.admin("stats")["routes"].clone();
    assert_eq!(routes["racknap create"], 3, "refused calls are counted too: {routes}");
    assert_eq!(routes["racknap suspend"], 1, "{routes}");

    env.admin_post("reset", "");
    assert!(env.admin("orders").as_array().unwrap().iter().all(|o| o["provider"] != "racknap"));
    assert_eq!(create_service(&env), "1334", "ids start over");
}
