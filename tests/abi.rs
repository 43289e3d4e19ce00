//! The C ABI itself: hostile arguments, ownership, the panic boundary, versions, the catalog.

mod common;

use std::ffi::{c_char, CStr, CString};

use hostprov::ffi::*;
use serde_json::Value;

/// Takes ownership of a returned string, frees it the documented way, and parses it.
fn take(ptr: *mut c_char) -> Value {
    assert!(!ptr.is_null(), "hostprov never returns NULL");
    let text = unsafe { CStr::from_ptr(ptr) }.to_str().expect("UTF-8").to_owned();
    unsafe { hostprov_string_free(ptr) };
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn create(bytes: &[u8]) -> Value {
    let c = CString::new(bytes).unwrap();
    take(unsafe { hostprov_create(c.as_ptr()) })
}

#[test]
fn null_arguments_are_answered_not_dereferenced() {
    for envelope in [
        take(unsafe { hostprov_create(std::ptr::null()) }),
        take(unsafe { hostprov_test_connection(std::ptr::null()) }),
        take(unsafe { hostprov_call(std::ptr::null(), std::ptr::null()) }),
        take(unsafe { hostprov_call(c"suspend".as_ptr(), std::ptr::null()) }),
    ] {
        let error = common::expect_error(&envelope, "invalid_request");
        assert!(error["message"].as_str().unwrap().contains("NULL"), "{error}");
    }
    unsafe { hostprov_string_free(std::ptr::null_mut()) };
}

#[test]
fn invalid_utf8_non_json_and_trailing_text_are_invalid_requests() {
    common::expect_error(&create(b"\xff\xfe{\"provider\":1}"), "invalid_request");
    common::expect_error(&create(b"not json at all"), "invalid_request");
    common::expect_error(&create(b""), "invalid_request");
    common::expect_error(&create(b"{\"provider\":\"logicboxes\"}{}"), "invalid_request");
    common::expect_error(&create(b"\"just a string\""), "invalid_request");
}

#[test]
fn oversized_and_deeply_nested_requests_are_refused() {
    let big = format!("{{\"provider\":\"logicboxes\",\"service\":{{\"reason\":\"{}\"}}}}", "x".repeat(1024 * 1024));
    let error = common::expect_error(&create(big.as_bytes()), "invalid_request");
    assert!(error["message"].as_str().unwrap().contains("larger than"), "{error}");

    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    common::expect_error(&create(deep.as_bytes()), "invalid_request");
    let deep_inside = format!(
        "{{\"provider\":\"logicboxes\",\"service\":{{\"options\":{{\"x\":{}0{}}}}}}}",
        "{\"a\":".repeat(10_000),
        "}".repeat(10_000)
    );
    common::expect_error(&create(deep_inside.as_bytes()), "invalid_request");
}

#[test]
fn unknown_provider_product_and_operation_have_their_own_codes() {
    let e = create(br#"{"provider":"enom"}"#);
    common::expect_error(&e, "unknown_provider");
    assert_eq!(e["provider"], "enom");
    common::expect_error(&create(br#"{"provider":"logicboxes","product":"shared_hosting"}"#), "unknown_product");
    let e = take(unsafe { hostprov_call(c"reboot".as_ptr(), c"{}".as_ptr()) });
    common::expect_error(&e, "unsupported_operation");
    let request = cr#"{"provider":"logicboxes","product":"customer","account":{"auth_userid":"1","api_key":"k"}}"#;
    let e = take(unsafe { hostprov_call(c"renew".as_ptr(), request.as_ptr()) });
    let error = common::expect_error(&e, "unsupported_operation");
    assert!(error["message"].as_str().unwrap().contains("LogicBoxes API has no renew"), "{error}");
}

#[test]
fn every_operation_export_answers_with_its_own_name() {
    type Export = unsafe extern "C" fn(*const c_char) -> *mut c_char;
    let exports: [(&str, Export); 10] = [
        ("create", hostprov_create),
        ("suspend", hostprov_suspend),
        ("unsuspend", hostprov_unsuspend),
        ("terminate", hostprov_terminate),
        ("renew", hostprov_renew),
        ("change_package", hostprov_change_package),
        ("client_area_url", hostprov_client_area_url),
        ("details", hostprov_details),
        ("plans", hostprov_plans),
        ("test_connection", hostprov_test_connection),
    ];
    for (name, export) in exports {
        let envelope = take(unsafe { export(c"{\"provider\":\"nope\"}".as_ptr()) });
        assert_eq!(envelope["operation"], name);
        common::expect_error(&envelope, "unknown_provider");
        let by_name = CString::new(name).unwrap();
        let envelope = take(unsafe { hostprov_call(by_name.as_ptr(), c"{\"provider\":\"nope\"}".as_ptr()) });
        assert_eq!(envelope["operation"], name);
    }
}

#[test]
fn a_panic_inside_a_call_becomes_an_internal_error_envelope() {
    let text = hostprov::ffi::guarded(|| panic!("boom with a secret canary-panic-1"));
    let envelope: Value = serde_json::from_str(&text).unwrap();
    let error = common::expect_error(&envelope, "internal_error");
    assert!(!text.contains("canary-panic-1"));
    assert_eq!(error["retryable"], false);
    // The library keeps working afterwards.
    common::expect_error(&create(b"{}"), "invalid_request");
}

#[test]
fn versions_match_the_crate() {
    let version = unsafe { CStr::from_ptr(hostprov_version()) }.to_str().unwrap();
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
    assert_eq!(hostprov_abi_version(), 1);
}

#[test]
fn catalog_lists_what_is_implemented() {
    let catalog = take(hostprov_catalog());
    common::expect_ok(&catalog);
    let via_call = take(unsafe { hostprov_call(c"catalog".as_ptr(), std::ptr::null()) });
    assert_eq!(catalog, via_call);
    let providers = catalog["data"]["providers"].as_array().unwrap();
    let lb = providers.iter().find(|p| p["provider"] == "logicboxes").unwrap();
    assert_eq!(lb["account"]["required"], serde_json::json!(["auth_userid", "api_key"]));
    let ops: Vec<&str> = lb["operations"].as_array().unwrap().iter().map(|o| o["operation"].as_str().unwrap()).collect();
    assert!(ops.contains(&"test_connection"));
    let customer = lb["products"].as_array().unwrap().iter().find(|p| p["product"] == "customer").unwrap();
    let url_op = customer["operations"].as_array().unwrap().iter().find(|o| o["operation"] == "client_area_url").unwrap();
    assert_eq!(url_op["required"], serde_json::json!(["customer_id", "client_ip"]));
    assert_eq!(url_op["account_required"], serde_json::json!(["panel_url"]));
    // Every catalogued operation is actually routed: none answers "unsupported".
    for product in lb["products"].as_array().unwrap() {
        for op in product["operations"].as_array().unwrap() {
            let request = serde_json::json!({"provider": "logicboxes", "product": product["product"], "account": {}});
            let envelope = common::call(op["operation"].as_str().unwrap(), &request);
            common::expect_error(&envelope, "invalid_request");
        }
    }
}

#[test]
fn concurrent_calls_from_many_threads_all_get_envelopes() {
    let threads: Vec<_> = (0..16)
        .map(|i| {
            std::thread::spawn(move || {
                for j in 0..200 {
                    let envelope = create(format!("{{\"provider\":\"p{i}-{j}\"}}").as_bytes());
                    common::expect_error(&envelope, "unknown_provider");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}
