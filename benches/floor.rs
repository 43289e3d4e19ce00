//! The benchmarks' raw floor: the very HTTPS requests the panel modules send, from the smallest
//! client that keeps its connection alive (reqwest's async client driven on the calling thread,
//! rustls, nothing else). What hostprov adds on top of a round trip is measured against this.
//!
//! `cargo bench --bench floor -- PLAN.json` (scripts/bench.sh builds it and benches/bench.py runs
//! it). The plan names the CA to trust, a number of warm-up requests and the requests themselves;
//! the answer, on stdout, is each request's latency in µs and the process's CPU time (user +
//! system, all threads) over the measured ones. Not a test: nothing here asserts a time.

use std::time::Instant;

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

async fn send(client: &reqwest::Client, exchange: &Exchange) {
    let method = reqwest::Method::from_bytes(exchange.method.as_bytes()).expect("an HTTP method");
    let mut request = client.request(method, &exchange.url);
    for (name, value) in &exchange.headers {
        request = request.header(name, value);
    }
    if let Some(body) = &exchange.body {
        request = request.header("Content-Type", "application/x-www-form-urlencoded").body(body.clone());
    }
    let response = request.send().await.expect("the sandbox answers");
    let status = response.status();
    let body = response.bytes().await.expect("the whole body");
    assert!(status.is_success(), "{} {} answered {status}: {}", exchange.method, exchange.url, String::from_utf8_lossy(&body));
}

fn main() {
    let path = std::env::args().skip(1).find(|a| !a.starts_with("--")).expect("usage: floor PLAN.json");
    let plan: Plan = serde_json::from_str(&std::fs::read_to_string(&path).expect("the plan file")).expect("a plan");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let ca = reqwest::Certificate::from_pem(&std::fs::read(&plan.ca_file).expect("the CA file")).expect("a PEM certificate");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let client = reqwest::Client::builder().tls_backend_rustls().tls_certs_only([ca]).no_proxy().build().expect("a client");

    let (warmup, measured) = plan.requests.split_at(plan.warmup.min(plan.requests.len()));
    let timed = |exchanges: &[Exchange]| -> Vec<u64> {
        exchanges
            .iter()
            .map(|exchange| {
                let started = Instant::now();
                runtime.block_on(send(&client, exchange));
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
