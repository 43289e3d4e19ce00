//! From request text to envelope: parse, route to the provider, check what its tables require,
//! run, and wrap the outcome. All business rules that hold for every provider live here.

use std::time::Duration;

use crate::call_log::CallLog;
use crate::http::Session;
use crate::journal;
use crate::operation::Operation;
use crate::providers::{self, Call, MissingCalls, OperationSpec, ProductSpec, ProviderSpec};
use crate::request::{self, printable, Request};
use crate::response::{envelope, Error, ErrorCode, Outcome, Subject};
use crate::secret::{is_secret_parameter, Redactor};

/// Runs one operation on a request's JSON text; always returns an envelope.
pub fn run(operation: Operation, text: &str) -> String {
    let mut subject = Subject::operation(operation);
    let request = match request::parse(text) {
        Ok(request) => request,
        Err(error) => {
            let peek = request::peek(text);
            (subject.provider, subject.product) = (peek.provider, peek.product);
            return envelope(&subject, Err(error), CallLog::default(), &redactor_of(&peek.secrets));
        }
    };
    subject.provider = Some(request.provider.clone());
    subject.product = request.product.clone();

    let mut redactor = redactor_for(&request);
    let mut calls = CallLog::default();
    let result = execute(operation, &request, &mut redactor, &mut calls);
    envelope(&subject, result, calls, &redactor)
}

fn redactor_of(secrets: &[String]) -> Redactor {
    let mut redactor = Redactor::default();
    secrets.iter().for_each(|s| redactor.add(s));
    redactor
}

/// Every secret the request carries, registered before anything can be logged.
fn redactor_for(request: &Request) -> Redactor {
    let mut redactor = Redactor::default();
    let account = &request.account;
    for secret in [&account.api_key, &account.api_token, &account.secret].into_iter().flatten() {
        redactor.add_secret(secret);
    }
    // Secrets a panel passes among a product's fields: a sign-up's password, a customer's token.
    for (_, value) in request.service.options.iter().filter(|(key, _)| is_secret_parameter(key)) {
        let mut texts = Vec::new();
        crate::request::scalars(value, &mut texts);
        texts.iter().for_each(|text| redactor.add(text));
    }
    redactor
}

fn execute(
    operation: Operation,
    request: &Request,
    redactor: &mut Redactor,
    calls: &mut CallLog,
) -> Result<Outcome, Error> {
    let provider = providers::find(&request.provider).ok_or_else(|| unknown_provider(&request.provider))?;
    let spec = provider.spec();
    let product = match request.product.as_deref() {
        Some(key) => Some(spec.product(key).ok_or_else(|| unknown_product(spec, key))?),
        None if operation.is_account_level() => None,
        None => {
            return Err(Error::invalid(format!(
                "The request is missing the required field `product` (one of {}).",
                product_keys(spec)
            )))
        }
    };
    let op_spec = product
        .and_then(|p| p.operation(operation))
        .or_else(|| operation.is_account_level().then(|| spec.account_operation(operation)).flatten())
        .ok_or_else(|| unsupported(spec, product, operation))?;
    check_required(spec, op_spec, request)?;
    check_call_options(op_spec, request)?;

    let timeout = Duration::from_millis(request.options.timeout_ms());
    let mut session = Session::new(timeout, request.account.ca_cert_pem.as_deref())?;
    // The session holds the call's secrets while it runs and hands them back grown by those
    // learnt on the way (login tokens, access tokens), which must be masked too.
    session.redactor = std::mem::take(redactor);
    let result = journal::guard(provider, operation, product, request, &mut session, |session, journal| {
        provider.perform(&mut Call { operation, product, request, session, journal })
    });
    *calls = std::mem::take(&mut session.calls);
    *redactor = std::mem::take(&mut session.redactor);
    result.map_err(|e| keep_retry_promise(operation, e))
}

/// `retryable` promises that sending the same request again is safe. After `outcome_unknown`,
/// setting a state (suspend, unsuspend, terminate) twice is harmless, while a plan change
/// carried out twice may be billed twice. Creates and renews were settled through the journal
/// and their provider, which already said whether a repeat is safe.
fn keep_retry_promise(operation: Operation, error: Error) -> Error {
    if error.code != ErrorCode::OutcomeUnknown || journal::is_guarded(operation) {
        return error;
    }
    let safe = operation != Operation::ChangePackage;
    error.retryable(safe)
}

/// Call options that only some operations understand are refused elsewhere, not ignored: a
/// panel that confirms an absence must not believe it was heard when it was not.
fn check_call_options(op: &OperationSpec, request: &Request) -> Result<(), Error> {
    if request.options.confirm_absent && !op.call_options.contains(&"confirm_absent") {
        return Err(Error::invalid(format!(
            "The request field `options.confirm_absent` does not apply to {}; only a create without any lookup (RackNap) takes it.",
            op.operation.as_str()
        )));
    }
    Ok(())
}

fn check_required(spec: &ProviderSpec, op: &OperationSpec, request: &Request) -> Result<(), Error> {
    for field in spec.account_required.iter().chain(op.account_required) {
        if !field.is_present(&request.account) {
            return Err(Error::invalid(format!(
                "The request is missing the required field `account.{}` for {} {}.",
                field.name(),
                spec.name,
                op.operation.as_str()
            )));
        }
    }
    if !op.required_one_of.is_empty() && !op.required_one_of.iter().any(|path| request.has(path)) {
        let names: Vec<String> = op.required_one_of.iter().map(|p| format!("`{p}`")).collect();
        return Err(Error::invalid(format!("{} needs {}.", op.operation.as_str(), names.join(" or "))));
    }
    let missing_service = op.required.iter().find(|f| !f.is_present(&request.service)).map(|f| f.name().to_owned());
    let options = &request.service.options;
    let missing_option = op.options_required.iter().find(|k| options.get(**k).is_none_or(|v| v.is_null()));
    if let Some(name) = missing_service.or_else(|| missing_option.map(|k| format!("options.{k}"))) {
        return Err(Error::invalid(format!(
            "The request is missing the required field `service.{name}` for {}.",
            op.operation.as_str()
        )));
    }
    Ok(())
}

fn unknown_provider(name: &str) -> Error {
    let known: Vec<_> = providers::REGISTRY.iter().map(|p| p.spec().name).collect();
    Error::new(
        ErrorCode::UnknownProvider,
        format!("Unknown provider{}; use one of {}.", quoted(name), known.join(", ")),
    )
}

fn unknown_product(spec: &ProviderSpec, key: &str) -> Error {
    Error::new(
        ErrorCode::UnknownProduct,
        format!("Unknown product{} for {}; use one of {}.", quoted(key), spec.name, product_keys(spec)),
    )
}

fn unsupported(spec: &ProviderSpec, product: Option<&ProductSpec>, op: Operation) -> Error {
    let what = product.map(|p| format!(" for {}", p.key)).unwrap_or_default();
    let message = match product.map(|p| p.missing) {
        Some(MissingCalls::Unconfirmed) => format!(
            "{}'s {} call{what} is not confirmed by its documentation, so hostprov does not guess it and cannot {}.",
            spec.api_title,
            op.as_str(),
            op.phrase()
        ),
        _ => format!("{} has no {} call{what}, so hostprov cannot {}.", spec.api_title, op.as_str(), op.phrase()),
    };
    Error::new(ErrorCode::UnsupportedOperation, message)
}

/// A name from the request, quoted for a message: whole or not at all. A name cut short
/// would slip past the redactor, which masks whole secrets.
fn quoted(name: &str) -> String {
    if printable(name) == name {
        format!(" `{name}`")
    } else {
        String::new()
    }
}

fn product_keys(spec: &ProviderSpec) -> String {
    spec.products.iter().map(|p| p.key).collect::<Vec<_>>().join(", ")
}

/// Runs an operation named by the caller; unknown names are answered, not ignored.
pub fn run_named(name: &str, text: &str) -> String {
    if name == "catalog" {
        return providers::catalog::render();
    }
    if name == "batch" {
        return crate::batch::run(text, &mut |_, _| {});
    }
    match Operation::from_name(name) {
        Some(op) => run(op, text),
        None => {
            let known: Vec<_> = Operation::ALL.iter().map(|o| o.as_str()).collect();
            let error = Error::new(
                ErrorCode::UnsupportedOperation,
                format!("Unknown operation{}; use one of {}, catalog.", quoted(name), known.join(", ")),
            );
            envelope(&Subject::default(), Err(error), CallLog::default(), &redactor_of(&request::peek(text).secrets))
        }
    }
}
