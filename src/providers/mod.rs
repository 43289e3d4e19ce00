//! Providers: one module per reseller API behind the [`Provider`] trait, described by static
//! tables so that the dispatcher checks requests and the catalog lists them from one source.

use crate::http::{Safety, Session};
use crate::journal::{Claim, Prior};
use crate::operation::Operation;
use crate::request::{AccountField, Field, Request};
use crate::response::{Error, ErrorCode, Outcome, Status};

pub mod catalog;
pub mod logicboxes;
pub mod racknap;
pub mod websoftsolus;

/// What one operation of one product needs from `service`.
#[derive(Debug)]
pub struct OperationSpec {
    pub operation: Operation,
    pub required: &'static [Field],
    pub optional: &'static [Field],
    /// Account fields needed on top of the provider's own (e.g. `panel_url` for a link).
    pub account_required: &'static [AccountField],
    /// Provider-specific keys of `service.options`, by their readable names.
    pub options_required: &'static [&'static str],
    pub options_optional: &'static [&'static str],
    /// At least one of these request paths must be present (`service.order_id`,
    /// `idempotency_key`, `service.options.title`…).
    pub required_one_of: &'static [&'static str],
    /// Keys of the request's `options` that only this operation understands (`confirm_absent`).
    pub call_options: &'static [&'static str],
}

impl OperationSpec {
    /// An operation with only `service` fields.
    pub const fn new(operation: Operation, required: &'static [Field], optional: &'static [Field]) -> Self {
        OperationSpec {
            operation,
            required,
            optional,
            account_required: &[],
            options_required: &[],
            options_optional: &[],
            required_one_of: &[],
            call_options: &[],
        }
    }
}

/// A product a provider sells, and the operations it implements.
#[derive(Debug, Clone)]
pub struct ProductSpec {
    pub key: &'static str,
    pub operations: &'static [OperationSpec],
    /// Why the operations missing from `operations` are missing, for the message that says so.
    pub missing: MissingCalls,
}

/// Why a product lacks an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingCalls {
    /// The provider's API has no such call.
    NotInApi,
    /// The API may have the call, but no source confirms its parameters or answer, and
    /// guessing could cost a customer money.
    Unconfirmed,
}

impl ProductSpec {
    /// A product whose API lacks every operation it does not list.
    pub const fn new(key: &'static str, operations: &'static [OperationSpec]) -> Self {
        ProductSpec { key, operations, missing: MissingCalls::NotInApi }
    }

    pub fn operation(&self, op: Operation) -> Option<&OperationSpec> {
        self.operations.iter().find(|s| s.operation == op)
    }
}

/// Everything the dispatcher and the catalog know about a provider.
#[derive(Debug)]
pub struct ProviderSpec {
    pub name: &'static str,
    /// How the provider's API is called in messages ("the LogicBoxes API").
    pub api_title: &'static str,
    pub account_required: &'static [AccountField],
    pub account_optional: &'static [AccountField],
    /// Account-level operations (`plans`, `test_connection`).
    pub operations: &'static [OperationSpec],
    pub products: &'static [ProductSpec],
}

impl ProviderSpec {
    pub fn product(&self, key: &str) -> Option<&ProductSpec> {
        self.products.iter().find(|p| p.key == key)
    }

    pub fn account_operation(&self, op: Operation) -> Option<&OperationSpec> {
        self.operations.iter().find(|s| s.operation == op)
    }
}

/// One call on its way to a provider: the checked request and the HTTP session to use.
pub struct Call<'a> {
    pub operation: Operation,
    /// `None` only for account-level operations asked without a product.
    pub product: Option<&'static ProductSpec>,
    pub request: &'a Request,
    pub session: &'a mut Session,
    /// The journal's hold on this create or renew (`None` for other operations).
    pub journal: Option<&'a mut Claim>,
}

impl Call<'_> {
    /// What the journal knew of this create or renew before this call.
    pub fn prior(&self) -> &Prior {
        self.journal.as_deref().map_or(&Prior::Fresh, Claim::prior)
    }
}

/// A reseller API. Implementations translate one checked call into HTTP exchanges and the
/// provider's answers into an [`Outcome`]; the dispatcher has already checked every field the
/// spec declares as required.
pub trait Provider: Sync {
    fn spec(&self) -> &'static ProviderSpec;
    fn perform(&self, call: &mut Call<'_>) -> Result<Outcome, Error>;

    /// What makes two creates of `product` the same order when the panel sends no
    /// `idempotency_key`: the journal keys such a create by it. `None`: the panel must send one.
    fn natural_key(&self, product: &ProductSpec, request: &Request) -> Option<String> {
        let _ = (product, request);
        None
    }
}

/// An answer that is not the provider's API speaking: a proxy's error page, a cut-off body, a
/// payload of the wrong shape. After a change nobody can say whether it happened, so the answer
/// is `outcome_unknown`, never a plain failure.
pub fn unreadable_answer(who: &str, what: &str, http_status: Option<u16>, safety: Safety) -> Error {
    let error = match safety {
        Safety::Change => Error::new(
            ErrorCode::OutcomeUnknown,
            format!("{who} answered {what}; the change may have been made: check it at the provider before acting again."),
        ),
        Safety::Read => Error::new(ErrorCode::ProviderError, format!("{who} answered {what}.")),
    };
    let retryable = safety == Safety::Change || http_status.is_some_and(|s| s >= 500);
    error.from_provider(None, http_status).retryable(retryable)
}

/// A 5xx answer to a change, from an API whose own error bodies look like a gateway's (a JSON
/// object with a message): the server failed somewhere along the way, perhaps after carrying
/// the change out, so the outcome is unknown. `None` for reads and for any other status.
pub fn failed_after_change(who: &str, http_status: u16, message: Option<String>, safety: Safety) -> Option<Error> {
    if safety != Safety::Change || http_status < 500 {
        return None;
    }
    let what = format!("HTTP {http_status}, a server failure");
    let error = unreadable_answer(who, &what, Some(http_status), safety);
    Some(Error { provider_message: message, ..error })
}

/// Every provider the library drives.
pub static REGISTRY: &[&dyn Provider] = &[&logicboxes::LogicBoxes, &racknap::RackNap, &websoftsolus::WebSoftSolus];

pub fn find(name: &str) -> Option<&'static dyn Provider> {
    REGISTRY.iter().copied().find(|p| p.spec().name == name)
}

/// An answer found, not made, by this call: the order an earlier attempt placed, the change
/// an earlier attempt carried out.
pub fn reconciled(found: Outcome) -> Outcome {
    found.data("reconciled", true)
}

/// The result of a change, or, after a failure whose code is in `settled`, what `read` finds
/// when `happened` says it shows the change done.
pub fn settled_by(
    result: Result<Outcome, Error>,
    settled: &[ErrorCode],
    read: impl FnOnce() -> Result<Outcome, Error>,
    happened: impl Fn(&Outcome) -> bool,
) -> Result<Outcome, Error> {
    match result {
        Err(failed) if settled.contains(&failed.code) => match read() {
            Ok(now) if happened(&now) => Ok(reconciled(now)),
            _ => Err(failed),
        },
        result => result,
    }
}

/// A change of state (suspend, unsuspend, terminate) whose answer was lost, or which the API
/// refused: when `read` finds the state asked for (the repeat of a change whose answer was
/// lost, a second click), that state is the answer, reconciled, not a failure. Only the state
/// read decides, never the refusal's wording, which is also why a refusal classed `not_found`
/// is read too (an API may say "no such order" of one it has deleted); any other state, or a
/// failed read, keeps the failure.
pub fn settle_state_with(result: Result<Outcome, Error>, status: Status, read: impl FnOnce() -> Result<Outcome, Error>) -> Result<Outcome, Error> {
    const SETTLED: [ErrorCode; 3] = [ErrorCode::OutcomeUnknown, ErrorCode::ProviderError, ErrorCode::NotFound];
    settled_by(result, &SETTLED, read, |now| now.status == Some(status))
}

/// Places a create at most once. An order `existing` finds (one an earlier attempt placed) is
/// the answer; a look-up that fails orders nothing. When the answer to `place` is lost, the
/// order is looked for again and placed a second time only if the API's own record shows none.
pub fn place_once<A>(
    api: &mut A,
    mut existing: impl FnMut(&mut A) -> Result<Option<Outcome>, Error>,
    mut place: impl FnMut(&mut A) -> Result<Outcome, Error>,
) -> Result<Outcome, Error> {
    if let Some(found) = existing(api).map_err(Error::lookup_failed)? {
        return Ok(found);
    }
    match place(api) {
        Err(lost) if lost.code == ErrorCode::OutcomeUnknown => match existing(api) {
            Ok(Some(found)) => Ok(found),
            Ok(None) => place(api),
            Err(_) => Err(lost),
        },
        result => result,
    }
}
