//! The benchmarks' raw floor: the very HTTPS requests the panel modules send, from the smallest
//! client that keeps its connection alive (ureq's blocking client with its own rustls
//! connector, the CA as its only root; nothing else). What hostprov adds on top of a round trip is measured against this.
//!
//! `cargo bench --bench floor -- PLAN.json` (scripts/bench.sh builds it and benches/bench.py runs
//! it). The plan names the CA to trust, a number of warm-up requests and the requests themselves;
//! the answer, on stdout, is each request's latency in µs and the process's CPU time (user +
//! system, all threads) over the measured ones. Not a test: nothing here asserts a time.

use std::time::Instant;

use rustls_pki_types::pem::PemObject;
use serde::Deserialize;

#[derive(Deserialize)]
struct Plan {
    ca_file: String,
    warmup: usize,
    requests: Vec<Exchange>,
}

#[derive(Deserialize)]
struct Exchange {
    method: String,
    url: String,
    #[serde(default)]
    headers: Vec<(String, String)>,
    body: Option<String>,
}

fn cpu_micros() -> u64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given; RUSAGE_SELF is always valid.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr());
        usage.assume_init()
    };
    let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    micros(usage.ru_utime) + micros(usage.ru_stime)
}

fn send(agent: &ureq::Agent, exchange: &Exchange) {
    let mut request = ureq::http::Request::builder().method(exchange.method.as_str()).uri(&exchange.url);
    for (name, value) in &exchange.headers {
        request = request.header(name, value);
    }
    let mut response = match &exchange.body {
        Some(body) => agent.run(request.header("Content-Type", "application/x-www-form-urlencoded").body(body.as_bytes()).expect("a request")),
        None => agent.run(request.body(()).expect("a request")),
    }
    .expect("the sandbox answers");
    let status = response.status();
    let body = response.body_mut().read_to_vec().expect("the whole body");
    assert!(status.is_success(), "{} {} answered {status}: {}", exchange.method, exchange.url, String::from_utf8_lossy(&body));
}

fn main() {
    let path = std::env::args().skip(1).find(|a| !a.starts_with("--")).expect("usage: floor PLAN.json");
    let plan: Plan = serde_json::from_str(&std::fs::read_to_string(&path).expect("the plan file")).expect("a plan");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let pem = std::fs::read(&plan.ca_file).expect("the CA file");
    let roots: Vec<_> = rustls_pki_types::CertificateDer::pem_slice_iter(&pem)
        .map(|der| ureq::tls::Certificate::from_der(der.expect("a PEM certificate").as_ref()).to_owned())
        .collect();
    let tls = ureq::tls::TlsConfig::builder().root_certs(ureq::tls::RootCerts::new_with_certs(&roots)).build();
    let agent: ureq::Agent = ureq::Agent::config_builder().tls_config(tls).http_status_as_error(false).proxy(None).build().into();

    let (warmup, measured) = plan.requests.split_at(plan.warmup.min(plan.requests.len()));
    let timed = |exchanges: &[Exchange]| -> Vec<u64> {
        exchanges
            .iter()
            .map(|exchange| {
                let started = Instant::now();
                send(&agent, exchange);
                started.elapsed().as_micros() as u64
            })
            .collect()
    };
    let first = timed(warmup);
    let cpu = cpu_micros();
    let wall = Instant::now();
    let latencies = timed(measured);
    let report = serde_json::json!({
        "first_us": first,
        "latency_us": latencies,
        "cpu_us": cpu_micros() - cpu,
        "wall_us": wall.elapsed().as_micros() as u64,
    });
    println!("{report}");
}
