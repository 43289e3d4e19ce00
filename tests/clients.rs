//! Runs the C, PHP and Python clients against a sandbox, through the freshly built library:
//! what panel developers will copy must keep working. A missing tool fails the test (the
//! README's test command installs them); nothing is skipped.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::Env;

/// The cdylib cargo built alongside this test binary (`target/<profile>/deps`).
fn library() -> PathBuf {
    let deps = std::env::current_exe().unwrap().parent().unwrap().to_path_buf();
    let lib = deps.join("libhostprov.so");
    assert!(lib.exists(), "the cdylib {} was not built", lib.display());
    lib
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run(what: &str, command: &mut Command) -> Output {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run {command:?} ({e}); run the README's test command, which installs it"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("--- {what} stdout ---\n{stdout}\n--- {what} stderr ---\n{stderr}");
    assert!(output.status.success(), "{what} failed ({}):\n{stdout}\n{stderr}", output.status);
    output
}

/// Compiles a C file of examples/c against include/hostprov.h with warnings as errors.
fn compile_c(source: &str, extra_flags: &[&str]) -> PathBuf {
    let lib = library();
    let lib_dir = lib.parent().unwrap();
    let out_dir = lib_dir.join("c-examples");
    std::fs::create_dir_all(&out_dir).unwrap();
    let stem = Path::new(source).file_stem().unwrap().to_str().unwrap();
    let suffix = if extra_flags.is_empty() { String::new() } else { "-instrumented".into() };
    let binary = out_dir.join(format!("{stem}{suffix}"));
    run(
        &format!("cc {source}"),
        Command::new("cc")
            .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-g"])
            .args(extra_flags)
            .arg("-I")
            .arg(repo().join("include"))
            .arg(repo().join("examples/c").join(source))
            .arg("-o")
            .arg(&binary)
            .arg(format!("-L{}", lib_dir.display()))
            .arg("-lhostprov")
            .arg(format!("-Wl,-rpath,{}", lib_dir.display())),
    );
    binary
}

#[test]
fn c_client_and_c_tests_compile_with_werror_and_run_clean_under_valgrind() {
    let env = Env::new();
    let customer = env.first_customer();
    let client = compile_c("hostprov_client.c", &[]);
    let output = run("C client", Command::new(&client).arg(env.url()).arg(&customer));
    assert!(String::from_utf8_lossy(&output.stdout).contains("unsuspend -> {\"ok\":true"));

    let customers: Vec<String> = env.lb_fixture("customers").as_array().unwrap().iter().map(|c| c["customer_id"].as_str().unwrap().to_owned()).collect();
    let batch = compile_c("hostprov_batch.c", &[]);
    let output = run("C batch", Command::new(&batch).arg(env.url()).args(&customers));
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
            .arg(env.lb_plan("sitelock", None)),
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
        Command::new("php").arg(repo().join(runner)).env("HOSTPROV_LIB", library()).env("HOSTPROV_SANDBOX_URL", env.url()),
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

#[test]
fn python_ctypes_client_tests_pass() {
    let env = Env::new();
    run(
        "Python tests",
        Command::new("python3")
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
            .arg(repo().join("examples/python/tests"))
            .env("HOSTPROV_LIB", library())
            .env("HOSTPROV_SANDBOX_URL", env.url()),
    );
}
