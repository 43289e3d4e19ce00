//! The library as panels load it: the cdylib cargo built, and the C examples compiled against
//! its header.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The cdylib cargo built alongside this test binary (`target/<profile>/deps`).
pub fn library() -> PathBuf {
    let deps = std::env::current_exe().unwrap().parent().unwrap().to_path_buf();
    let lib = deps.join("libhostprov.so");
    assert!(lib.exists(), "the cdylib {} was not built", lib.display());
    lib
}

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn run(what: &str, command: &mut Command) -> Output {
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
pub fn compile_c(source: &str, extra_flags: &[&str]) -> PathBuf {
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
            // DT_RPATH, searched before LD_LIBRARY_PATH: cargo's LD_LIBRARY_PATH also lists
            // target/<profile>, where an older `cargo build` may have left another library.
            .arg(format!("-Wl,--disable-new-dtags,-rpath,{}", lib_dir.display())),
    );
    binary
}
