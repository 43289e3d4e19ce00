//! A renewal is never sent twice: the order's expiry is recorded in the journal before the
//! renewal is sent, and a repeat after a lost answer compares the provider's expiry with it.
//! Expiries are RFC 3339 texts in UTC, so later is greater.

use crate::providers::Call;
use crate::response::{Error, ErrorCode};

use super::Prior;

/// What to do with a renewal, given the order's expiry as the provider reports it now.
#[derive(Debug, PartialEq, Eq)]
pub enum Renewal {
    /// Send it; a later expiry than `expiry_before` will mean that it happened.
    Send { expiry_before: String },
    /// An earlier attempt with this key renewed the order already.
    Happened,
}

/// Decides, and records the expiry before a renewal that is to be sent.
pub fn before_sending(call: &mut Call<'_>, expiry_now: Option<&str>) -> Result<Renewal, Error> {
    let expiry_now = expiry_now.unwrap_or_default();
    if let Prior::Unsettled { expiry_before: Some(recorded), .. } = call.prior() {
        return match (recorded.as_str(), expiry_now) {
            (before, now) if !before.is_empty() && now > before => Ok(Renewal::Happened),
            (before, now) if !before.is_empty() && now == before => Ok(Renewal::Send { expiry_before: before.to_owned() }),
            _ => Err(Error::new(
                ErrorCode::OutcomeUnknown,
                "An earlier renewal with this key may have been carried out, and the order's expiry cannot be compared with the one recorded before it: check the order's expiry at the provider before renewing again.",
            )),
        };
    }
    if let Some(claim) = call.journal.as_deref_mut() {
        claim.record_expiry_before(expiry_now)?;
    }
    Ok(Renewal::Send { expiry_before: expiry_now.to_owned() })
}

/// A renewal whose answer was lost, or an earlier one that could not be checked now: either
/// way safe to repeat, because the repeat settles from the recorded expiry before sending.
pub fn unsettled(call: &Call<'_>, error: Error) -> Error {
    let earlier = matches!(call.prior(), Prior::Unsettled { .. });
    let transient = matches!(error.code, ErrorCode::NetworkError | ErrorCode::Timeout | ErrorCode::RateLimited);
    if call.journal.is_none() || !(error.code == ErrorCode::OutcomeUnknown || earlier && transient) {
        return error;
    }
    let message = format!(
        "{} Calling renew again with the same request is safe: it compares the order's expiry with the one recorded before the renewal and never renews twice.",
        error.message
    );
    Error { code: ErrorCode::OutcomeUnknown, message, retryable: true, ..error }
}
