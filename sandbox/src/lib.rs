//! hostprov-sandbox: stateful simulators of the LogicBoxes, RackNap and licence reseller APIs.
//!
//! It behaves as the real APIs do in the field (see the project's provider notes): LogicBoxes'
//! bare-integer and bare-`true` bodies and errors as HTTP 500, RackNap's PHP-encoded answers and
//! misspelled field names, the licence API's expiring bearer tokens and separate test
//! environment; parameters are taken from the query string and the form body alike. Tests
//! start it in-process with [`Sandbox::start`] (or [`Sandbox::start_with`] to configure it, to
//! serve HTTPS for one); panel developers run the `hostprov-sandbox` binary.
//!
//! `PUT /_sandbox/faults` makes provider requests fail as networks and servers do (connections
//! refused or reset before or after the request was carried out, answers held back, 5xx pages,
//! garbled bodies), drawn from a seeded generator so that a failing run can be replayed.

mod admin;
mod calendar;
mod config;
mod conn;
mod faults;
mod form;
mod logicboxes;
mod racknap;
mod server;
mod service;
mod state;
mod tls;
mod websoftsolus;
mod wire;

pub use config::{ErrorStyle, SandboxConfig, DEFAULT_TOKEN_TTL_S};
pub use faults::FaultKind;
pub use server::Sandbox;
pub use state::{DEFAULT_LB_API_KEY, DEFAULT_LB_USERID, DEFAULT_RACKNAP_TOKEN, DEFAULT_WSS_LOGIN, DEFAULT_WSS_SECRET};
