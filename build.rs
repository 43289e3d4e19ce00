//! Generates the C header with cbindgen into OUT_DIR. `include/hostprov.h` is the checked-in
//! copy (and the WHMCS module's); a test fails when they differ, and
//! `HOSTPROV_BLESS_HEADER=1 cargo build` updates both.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-env-changed=HOSTPROV_BLESS_HEADER");
    let crate_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("hostprov.h");
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml is valid");
    cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("the C header can be generated")
        .write_to_file(&out);
    if std::env::var_os("HOSTPROV_BLESS_HEADER").is_some_and(|v| v == "1") {
        // The WHMCS module's folder ships its own copy: it is installed on its own.
        for copy in ["include/hostprov.h", "whmcs/modules/servers/hostprov/hostprov.h"] {
            std::fs::copy(&out, crate_dir.join(copy)).expect("the header's copies are writable");
        }
    }
}
