//! `hostprov-sandbox --listen 127.0.0.1:0`: serves until killed. The first stdout line says where.

use std::io::Write;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut listen = "127.0.0.1:0".to_owned();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => match args.next() {
                Some(addr) => listen = addr,
                None => usage("--listen needs an address"),
            },
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown argument {other}")),
        }
    }
    let sandbox = match hostprov_sandbox::Sandbox::start(&listen) {
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
    eprintln!("usage: hostprov-sandbox [--listen 127.0.0.1:0]");
    std::process::exit(2);
}
