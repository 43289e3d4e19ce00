//! `hostprov-sandbox --listen 127.0.0.1:0 [--token-ttl SECONDS] [--error-style standard|mixed]
//! [--latency-ms MS] [--tls-cert-out FILE]`: serves
//! until killed. The first stdout line says where. With `--tls-cert-out` it serves HTTPS and
//! writes the certificate clients must trust to FILE before saying where.

use std::io::Write;
use std::path::PathBuf;

use hostprov_sandbox::{Sandbox, SandboxConfig};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut listen = "127.0.0.1:0".to_owned();
    let mut config = SandboxConfig::default();
    let mut cert_out: Option<PathBuf> = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => match args.next() {
                Some(addr) => listen = addr,
                None => usage("--listen needs an address"),
            },
            "--token-ttl" => match args.next().and_then(|s| s.parse::<u64>().ok()).filter(|s| *s >= 1) {
                Some(seconds) => config.token_ttl_s = seconds,
                None => usage("--token-ttl needs a whole number of seconds of at least 1"),
            },
            "--error-style" => match args.next().map(|style| config.update(&serde_json::json!({"error_style": style}))) {
                Some(Ok(())) => {}
                _ => usage("--error-style needs standard or mixed"),
            },
            "--latency-ms" => match args.next().and_then(|ms| ms.parse::<u64>().ok()).map(|ms| config.update(&serde_json::json!({"latency_ms": ms}))) {
                Some(Ok(())) => {}
                _ => usage("--latency-ms needs a whole number of milliseconds (at most 60000)"),
            },
            "--tls-cert-out" => match args.next() {
                Some(file) => cert_out = Some(PathBuf::from(file)),
                None => usage("--tls-cert-out needs a file to write the CA certificate to"),
            },
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown argument {other}")),
        }
    }
    config.tls = cert_out.is_some();
    let sandbox = match Sandbox::start_with(&listen, config) {
        Ok(sandbox) => sandbox,
        Err(e) => {
            eprintln!("hostprov-sandbox: cannot listen on {listen}: {e}");
            std::process::exit(1);
        }
    };
    if let (Some(file), Some(pem)) = (&cert_out, sandbox.ca_cert_pem()) {
        if let Err(e) = std::fs::write(file, pem) {
            eprintln!("hostprov-sandbox: cannot write the CA certificate to {}: {e}", file.display());
            std::process::exit(1);
        }
    }
    println!("hostprov-sandbox listening on {}", sandbox.url());
    let _ = std::io::stdout().flush();
    sandbox.wait();
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("hostprov-sandbox: {problem}");
    }
    eprintln!(
        "usage: hostprov-sandbox [--listen 127.0.0.1:0] [--token-ttl SECONDS] [--error-style standard|mixed] [--latency-ms MS] [--tls-cert-out FILE]"
    );
    std::process::exit(2);
}
