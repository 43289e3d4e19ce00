//! What names an operation in the journal: the reseller account and endpoint it runs against,
//! the product and operation, and its key (`idempotency_key`, or else the natural key).
//!
//! The account is named by a SHA-256 hash of the provider, the endpoint and the account's
//! identity (`auth_userid`, `login`, or a hash of `api_token` where the token is all there is):
//! the same key against another account or another sandbox never collides, and the journal
//! holds neither credentials nor endpoints. An API key is not part of the identity, so rotating
//! it keeps the journal's memory.

use ring::digest::{digest, SHA256};

use crate::operation::Operation;
use crate::providers::{ProductSpec, Provider};
use crate::request::{Account, Id, Request};
use crate::response::Error;

/// Where an operation belongs: one account, product and operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// The hash described in the module documentation.
    pub account: String,
    pub provider: String,
    pub product: String,
    pub operation: String,
}

/// One operation's place in the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryKey {
    pub scope: Scope,
    pub key: String,
}

/// The operations the journal guards: the ones that cost money when carried out twice.
pub fn is_guarded(operation: Operation) -> bool {
    matches!(operation, Operation::Create | Operation::Renew)
}

pub fn scope(provider: &str, product: &str, operation: Operation, account: &Account) -> Scope {
    Scope {
        account: account_hash(provider, account),
        provider: provider.to_owned(),
        product: product.to_owned(),
        operation: operation.as_str().to_owned(),
    }
}

/// The key of a guarded operation, `None` for the others. A renew without `idempotency_key` is
/// keyed by its order; a create by what the provider calls the same order.
pub fn entry_key(provider: &dyn Provider, operation: Operation, product: &ProductSpec, request: &Request) -> Result<Option<EntryKey>, Error> {
    if !is_guarded(operation) {
        return Ok(None);
    }
    let key = match (&request.idempotency_key, operation) {
        (Some(key), _) => format!("idempotency_key={key}"),
        (None, Operation::Renew) => format!("order_id={}", Id::text(&request.service.order_id)),
        (None, _) => provider.natural_key(product, request).ok_or_else(|| {
            Error::invalid(format!("A {} {} needs `idempotency_key`, so that a repeat never orders twice.", provider.spec().name, operation.as_str()))
        })?,
    };
    Ok(Some(EntryKey { scope: scope(provider.spec().name, product.key, operation, &request.account), key }))
}

fn account_hash(provider: &str, account: &Account) -> String {
    let endpoint = account.base_url.as_deref().map(|u| u.trim().trim_end_matches('/')).unwrap_or("default");
    let identity = match (&account.auth_userid, &account.login, &account.api_token) {
        (Some(id), _, _) => format!("auth_userid={}", id.0),
        (None, Some(login), _) => format!("login={login}"),
        (None, None, Some(token)) => format!("api_token_sha256={}", sha256_hex(token.expose())),
        (None, None, None) => String::new(),
    };
    sha256_hex(&format!("{provider}\n{endpoint}\ntest_mode={}\n{identity}", account.test_mode))
}

/// SHA-256 of `text`, as lowercase hex.
pub fn sha256_hex(text: &str) -> String {
    digest(&SHA256, text.as_bytes()).as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    #[test]
    fn another_account_or_endpoint_is_another_scope_and_no_secret_is_kept() {
        let account = |id: &str, url: &str| Account {
            auth_userid: Some(Id(id.into())),
            base_url: Some(url.into()),
            api_key: Some(Secret::new("canary-key")),
            ..Account::default()
        };
        let one = scope("logicboxes", "sitelock", Operation::Create, &account("1", "http://127.0.0.1:1/lb"));
        assert_eq!(one, scope("logicboxes", "sitelock", Operation::Create, &account("1", "http://127.0.0.1:1/lb/")));
        assert_ne!(one, scope("logicboxes", "sitelock", Operation::Create, &account("2", "http://127.0.0.1:1/lb")));
        assert_ne!(one, scope("logicboxes", "sitelock", Operation::Create, &account("1", "http://127.0.0.1:2/lb")));
        assert_eq!(one.account.len(), 64);
        assert!(!format!("{one:?}").contains("canary"));

        let token = |t: &str| Account { api_token: Some(Secret::new(t)), ..Account::default() };
        let racknap = scope("racknap", "service", Operation::Create, &token("canary-token"));
        assert_ne!(racknap, scope("racknap", "service", Operation::Create, &token("other-token")));
        assert!(!racknap.account.contains("canary"));
    }
}
