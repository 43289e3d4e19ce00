//! hostprov: a provisioning module for billing panels, with a stable C ABI.
//!
//! A panel hands a JSON request to one of the operations and gets a JSON envelope back (see
//! `include/hostprov.h` and the README). This crate is also usable from Rust directly:
//!
//! ```no_run
//! let answer = hostprov::call(hostprov::Operation::TestConnection, r#"{"provider":"logicboxes",
//!     "account":{"auth_userid":"100000","api_key":"sandbox-key","base_url":"http://127.0.0.1:8080/logicboxes"}}"#);
//! assert!(answer.starts_with('{'));
//! ```
//!
//! Creates and renews are recorded in an operation journal before they are sent, so that none
//! is carried out twice by any thread or process of the machine: see [`journal`] for where it
//! lives (`HOSTPROV_JOURNAL`).

pub mod batch;
pub mod cache;
pub mod call_log;
pub mod dispatch;
pub mod ffi;
pub mod hostname;
pub mod http;
pub mod ids;
pub mod nesting;
pub mod journal;
pub mod operation;
pub mod per_process;
pub mod providers;
pub mod request;
pub mod response;
pub mod secret;
pub mod tls;
mod transport;
pub mod spelling;

pub use operation::Operation;
pub use response::ErrorCode;

/// The crate version, as `hostprov_version()` reports it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The C ABI's version; bumped only on a breaking change of the exported functions.
pub const ABI_VERSION: u32 = 1;

/// Runs `operation` on a JSON request and returns the JSON envelope. Never panics outward.
pub fn call(operation: Operation, request_json: &str) -> String {
    ffi::guarded(|| dispatch::run(operation, request_json))
}

/// Like [`call`], with the operation named as in the C ABI (`"create"`, …, `"catalog"`).
pub fn call_named(operation: &str, request_json: &str) -> String {
    ffi::guarded(|| dispatch::run_named(operation, request_json))
}

/// Runs a batch document (see `hostprov_batch` in the header) and answers the batch envelope.
pub fn batch(batch_json: &str) -> String {
    ffi::guarded(|| batch::run(batch_json, &mut |_, _| {}))
}

/// Every provider, product, operation and field this build implements, as an envelope.
pub fn catalog() -> String {
    providers::catalog::render()
}
