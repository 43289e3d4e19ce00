//! hostprov-sandbox: stateful simulators of the LogicBoxes, RackNap and licence reseller APIs.
//!
//! It behaves as the real APIs do in the field (see the project's provider notes): bare-integer
//! and bare-`true` bodies, errors as HTTP 500 with an `ERROR` body, parameters taken from the
//! query string and the form body alike. Tests start it in-process with [`Sandbox::start`];
//! panel developers run the `hostprov-sandbox` binary.

mod admin;
mod logicboxes;
mod server;
mod state;
mod wire;

pub use server::Sandbox;
pub use state::{DEFAULT_LB_API_KEY, DEFAULT_LB_USERID};
