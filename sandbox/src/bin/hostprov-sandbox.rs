//! `hostprov-sandbox --listen 127.0.0.1:0 [--token-ttl SECONDS]`: serves until killed. The first
//! stdout line says where.

use std::io::Write;

use hostprov_sandbox::{Sandbox, SandboxConfig};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut listen = "127.0.0.1:0".to_owned();
    let mut config = SandboxConfig::default();
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
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown argument {other}")),
        }
    }
    let sandbox = match Sandbox::start_with(&listen, config) {
        Ok(sandbox) => sandbox,
        Err(e) => {
            eprintln!("hostprov-sandbox: cannot listen on {listen}: {e}");
            std::process::exit(1);
        }
    };
    println!("hostprov-sandbox listening on {}", sandbox.url());
    let _ = std::io::stdout().flush();
    sandbox.wait();
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("hostprov-sandbox: {problem}");
    }
    eprintln!("usage: hostprov-sandbox [--listen 127.0.0.1:0] [--token-ttl SECONDS]");
    std::process::exit(2);
}
