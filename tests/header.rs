//! The checked-in C header is the generated one, declares exactly the contract, and stays
//! parseable by PHP's FFI (plain declarations, owned strings as `char *`).

const CHECKED_IN: &str = include_str!("../include/hostprov.h");
const GENERATED: &str = include_str!(concat!(env!("OUT_DIR"), "/hostprov.h"));

#[test]
fn checked_in_header_matches_a_fresh_generation() {
    assert!(
        CHECKED_IN == GENERATED,
        "include/hostprov.h is stale: run `HOSTPROV_BLESS_HEADER=1 cargo build` and commit it"
    );
}

/// The WHMCS module's folder is installed on its own, so it carries its own copy.
#[test]
fn whmcs_module_copy_is_the_header() {
    const WHMCS_COPY: &str = include_str!("../whmcs/modules/servers/hostprov/hostprov.h");
    assert!(WHMCS_COPY == CHECKED_IN, "whmcs/modules/servers/hostprov/hostprov.h is stale: run `HOSTPROV_BLESS_HEADER=1 cargo build` and commit it");
}

#[test]
fn header_declares_exactly_the_contract() {
    let code: Vec<&str> = CHECKED_IN.lines().filter(|l| !l.starts_with("//") && !l.starts_with("/*") && !l.starts_with('#')).collect();
    let code = code.join(" ");
    let declarations: Vec<String> = code
        .split(';')
        .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|d| !d.is_empty())
        .map(|d| format!("{d};"))
        .collect();
    assert_eq!(
        declarations,
        [
            "char *hostprov_create(const char *request_json);",
            "char *hostprov_suspend(const char *request_json);",
            "char *hostprov_unsuspend(const char *request_json);",
            "char *hostprov_terminate(const char *request_json);",
            "char *hostprov_renew(const char *request_json);",
            "char *hostprov_change_package(const char *request_json);",
            "char *hostprov_client_area_url(const char *request_json);",
            "char *hostprov_details(const char *request_json);",
            "char *hostprov_plans(const char *request_json);",
            "char *hostprov_test_connection(const char *request_json);",
            "char *hostprov_catalog(void);",
            "char *hostprov_call(const char *operation, const char *request_json);",
            "char *hostprov_batch(const char *batch_json);",
            "char *hostprov_batch_with_progress(const char *batch_json, void (*progress)(uint32_t done, uint32_t total, void *user), void *user);",
            "void hostprov_string_free(char *s);",
            "const char *hostprov_version(void);",
            "uint32_t hostprov_abi_version(void);",
        ]
    );
}

#[test]
fn header_is_plain_c_that_php_ffi_can_parse() {
    assert!(!CHECKED_IN.contains("extern \"C\""));
    let directives: Vec<&str> = CHECKED_IN.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(directives, ["#ifndef HOSTPROV_H", "#define HOSTPROV_H", "#include <stdint.h>", "#endif  /* HOSTPROV_H */"]);
    assert!(CHECKED_IN.contains("hostprov_string_free"), "ownership rules are documented in the header");
    assert!(CHECKED_IN.contains("never with `free()`"));
}
