//! Runs the C, PHP and Python clients against a sandbox, through the freshly built library:
//! what panel developers will copy must keep working. A missing tool fails the test (the
//! README's test command installs them); nothing is skipped.

mod common;

use std::process::Command;

use common::native::{compile_c, library, repo, run};
use common::{test_journal, Env};

#[test]
fn c_client_and_c_tests_compile_with_werror_and_run_clean_under_valgrind() {
    let env = Env::new();
    let customer = env.first_customer();
    let client = compile_c("hostprov_client.c", &[]);
    let output = run("C client", Command::new(&client).arg(env.url()).arg(&customer).env("HOSTPROV_JOURNAL", test_journal()));
    assert!(String::from_utf8_lossy(&output.stdout).contains("unsuspend -> {\"ok\":true"));

    let customers: Vec<String> = env.lb_fixture("customers").as_array().unwrap().iter().map(|c| c["customer_id"].as_str().unwrap().to_owned()).collect();
    let batch = compile_c("hostprov_batch.c", &[]);
    let output = run("C batch", Command::new(&batch).arg(env.url()).args(&customers).env("HOSTPROV_JOURNAL", test_journal()));
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(printed.contains("unsuspend -> {\"ok\":true,\"api_version\":1,\"operation\":\"batch\""), "{printed}");
    assert_eq!(printed.matches("\"status\":\"suspended\"").count(), customers.len(), "{printed}");
    assert!(String::from_utf8_lossy(&output.stderr).contains(&format!("] {0}/{0}", customers.len())), "the progress bar is drawn");
    for customer in &customers {
        assert_eq!(env.customer_status(customer), "active");
    }

    let tests = compile_c("test_hostprov.c", &[]);
    let output = run(
        "C tests under valgrind",
        Command::new("valgrind")
            .args(["--error-exitcode=99", "--leak-check=full", "--errors-for-leak-kinds=definite,indirect"])
            .args(["--show-leak-kinds=definite,indirect", "--track-origins=yes", "--quiet"])
            .arg(&tests)
            .arg(env.url())
            .arg(&customer)
            .arg(env.lb_plan("sitelock", None))
            .env("HOSTPROV_JOURNAL", test_journal()),
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains(" passed, 0 failed"));
}

#[test]
fn c_tests_run_clean_under_address_and_undefined_behaviour_sanitizers() {
    let env = Env::new();
    let tests = compile_c("test_hostprov.c", &["-fsanitize=address,undefined", "-fno-omit-frame-pointer", "-fno-sanitize-recover=all"]);
    let output = run(
        "C tests under ASan and UBSan",
        Command::new(&tests)
            .arg(env.url())
            .arg(env.first_customer())
            .arg(env.lb_plan("sitelock", None))
            .env("HOSTPROV_JOURNAL", test_journal())
            .env("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0:exitcode=99")
            .env("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1"),
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains(" passed, 0 failed"));
    assert!(!String::from_utf8_lossy(&output.stderr).contains("runtime error"), "UBSan reported a problem");
}

/// Runs a PHP test suite's runner against a fresh sandbox; it must report no failure.
fn php_suite_passes(what: &str, runner: &str) {
    let env = Env::new();
    let output = run(
        what,
        Command::new("php")
            .arg(repo().join(runner))
            .env("HOSTPROV_LIB", library())
            .env("HOSTPROV_SANDBOX_URL", env.url())
            .env("HOSTPROV_JOURNAL", test_journal()),
    );
    assert!(String::from_utf8_lossy(&output.stdout).lines().any(|l| l.ends_with(" passed, 0 failed")));
}

#[test]
fn php_ffi_client_tests_pass() {
    php_suite_passes("PHP tests", "php-ext-example/tests/run.php");
}

/// The WHMCS server module, loaded as WHMCS loads it (whmcs/tests/whmcs.php).
#[test]
fn whmcs_module_tests_pass() {
    php_suite_passes("WHMCS module tests", "whmcs/tests/run.php");
}

/// The README's demo: every product's lifecycle through PHP FFI, each step checked.
#[test]
fn php_demo_walks_every_product() {
    let env = Env::new();
    let output = run(
        "PHP demo",
        Command::new("php")
            .arg(repo().join("php-ext-example/demo.php"))
            .arg(env.url())
            .env("HOSTPROV_LIB", library())
            .env("HOSTPROV_JOURNAL", test_journal()),
    );
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(printed.lines().any(|l| l.starts_with("done: ") && l.ends_with(" steps, all as expected")), "{printed}");
}

#[test]
fn python_ctypes_client_tests_pass() {
    let env = Env::new();
    run(
        "Python tests",
        Command::new("python3")
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
            .arg(repo().join("examples/python/tests"))
            .env("HOSTPROV_LIB", library())
            .env("HOSTPROV_SANDBOX_URL", env.url())
            .env("HOSTPROV_JOURNAL", test_journal()),
    );
}
