//! The journal around one call, as the dispatcher uses it: a create or renew is claimed before
//! it runs and its outcome recorded after; a terminated order is forgotten, so that the same
//! request may create the service anew.

use std::time::Duration;

use super::claim::{self, Claim, Entered};
use super::{key, with_store, Store};
use crate::http::Session;
use crate::operation::Operation;
use crate::providers::{ProductSpec, Provider};
use crate::request::{Id, Request};
use crate::response::{Error, Outcome};

/// Forgetting a terminated order is a courtesy: it never delays the answer for long.
const FORGET_WAIT: Duration = Duration::from_millis(500);

/// Runs `run` under the journal. Creates and renews run only with a claim on their key (and not
/// at all when the journal cannot be opened); the other operations run as they are.
pub fn guard(
    provider: &dyn Provider,
    operation: Operation,
    product: Option<&ProductSpec>,
    request: &Request,
    session: &mut Session,
    run: impl FnOnce(&mut Session, Option<&mut Claim>) -> Result<Outcome, Error>,
) -> Result<Outcome, Error> {
    let Some(product) = product else { return run(session, None) };
    let Some(key) = key::entry_key(provider, operation, product, request)? else {
        let result = run(session, None);
        if operation == Operation::Terminate && result.is_ok() {
            forget_terminated(provider, product, request);
        }
        return result;
    };
    let mut claim = match claim::enter(key, session.deadline())? {
        Entered::Answered(outcome) => return Ok(outcome),
        Entered::Claimed(claim) => claim,
    };
    let result = run(session, Some(&mut claim));
    claim.finish(&result, &session.redactor);
    result
}

fn forget_terminated(provider: &dyn Provider, product: &ProductSpec, request: &Request) {
    let order_id = Id::text(&request.service.order_id);
    let scope = key::scope(provider.spec().name, product.key, Operation::Create, &request.account);
    let _ = with_store(|store: &mut dyn Store| store.forget_order(&scope, &order_id, FORGET_WAIT));
}
