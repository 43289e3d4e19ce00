//! The C ABI: pointer handling and the panic boundary, nothing else.
//!
//! Every exported body runs inside [`guarded`], so a panic becomes an `internal_error` envelope
//! instead of unwinding into (and aborting) the PHP worker or Python interpreter that loaded us.

use std::cell::Cell;
use std::ffi::{c_char, c_void, CStr};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use crate::call_log::CallLog;
use crate::{batch, dispatch};
use crate::operation::Operation;
use crate::request::MAX_REQUEST_BYTES;
use crate::response::{envelope, internal_error_envelope, Error, Subject};
use crate::secret::Redactor;

thread_local! {
    /// Set while this thread runs a hostprov call, so our panic hook knows the panic is ours.
    static INSIDE_CALL: Cell<bool> = const { Cell::new(false) };
}

static QUIET_PANICS: Once = Once::new();

/// Keeps panics inside a call off stderr (the host's stderr is not ours to write to); panics
/// elsewhere in the process still reach the hook that was installed before.
fn install_quiet_panic_hook() {
    QUIET_PANICS.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !INSIDE_CALL.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Runs `body`, turning a panic into an `internal_error` envelope.
pub fn guarded(body: impl FnOnce() -> String) -> String {
    install_quiet_panic_hook();
    let outer = INSIDE_CALL.with(|flag| flag.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(body));
    INSIDE_CALL.with(|flag| flag.set(outer));
    result.unwrap_or_else(|_| internal_error_envelope())
}

/// Why a C string argument could not be used.
fn argument_error(operation: Option<Operation>, message: &str) -> String {
    let subject = operation.map(Subject::operation).unwrap_or_default();
    envelope(&subject, Err(Error::invalid(message)), CallLog::default(), &Redactor::default())
}

/// Borrows a C string argument as UTF-8, refusing NULL and anything over the request limit
/// without reading past it.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string valid for the duration of the call.
unsafe fn str_from_ptr<'a>(ptr: *const c_char, what: &str) -> Result<&'a str, String> {
    str_within(ptr, what, MAX_REQUEST_BYTES)
}

/// As [`str_from_ptr`], with another size limit.
///
/// # Safety
/// As for [`str_from_ptr`].
unsafe fn str_within<'a>(ptr: *const c_char, what: &str, limit: usize) -> Result<&'a str, String> {
    if ptr.is_null() {
        return Err(format!("The {what} is NULL; pass a NUL-terminated UTF-8 string."));
    }
    if libc::strnlen(ptr, limit + 1) > limit {
        return Err(format!("The {what} is larger than {limit} bytes; send a smaller one."));
    }
    CStr::from_ptr(ptr)
        .to_str()
        .map_err(|_| format!("The {what} is not valid UTF-8; send UTF-8 text."))
}

/// Hands a string to the caller, who must release it with `hostprov_string_free`.
///
/// The copy is made with the C allocator at exactly its size, whatever allocator Rust code
/// linked with this crate uses, so `hostprov_string_free` can always give it back with `free`.
/// (A Rust `CString` would first shrink the envelope's roomy buffer, which costs more.)
fn string_into_raw(text: String) -> *mut c_char {
    // serde_json escapes NUL, so this only guards against a future mistake.
    let text = if memchr::memchr(0, text.as_bytes()).is_some() { internal_error_envelope() } else { text };
    let size = text.len() + 1;
    // SAFETY: `raw` is checked for NULL, then `size` bytes are written: the text and its NUL.
    unsafe {
        let raw = libc::malloc(size).cast::<u8>();
        if raw.is_null() {
            std::alloc::handle_alloc_error(std::alloc::Layout::array::<u8>(size).expect("a valid size"));
        }
        std::ptr::copy_nonoverlapping(text.as_ptr(), raw, text.len());
        *raw.add(text.len()) = 0;
        raw.cast()
    }
}

/// The body shared by every per-operation export.
unsafe fn run_operation(operation: Operation, request_json: *const c_char) -> *mut c_char {
    string_into_raw(guarded(|| match str_from_ptr(request_json, "request") {
        Ok(text) => dispatch::run(operation, text),
        Err(message) => argument_error(Some(operation), &message),
    }))
}

/// Creates (orders) the service described by the request.
/// Returns a JSON envelope owned by the caller: release it with `hostprov_string_free`, at
/// most once; never with `free()`. Never returns NULL.
///
/// # Safety
/// `request_json` is NULL or a NUL-terminated string that stays valid during the call.
#[no_mangle]
pub unsafe extern "C" fn hostprov_create(request_json: *const c_char) -> *mut c_char {
    run_operation(Operation::Create, request_json)
}

/// Suspends the service. Ownership as for `hostprov_create`.
///
/// # Safety
/// As for `hostprov_create`.
#[no_mangle]
pub unsafe extern "C" fn hostprov_suspend(request_json: *const c_char) -> *mut c_char {
    run_operation(Operation::Suspend, request_json)
}

/// Lifts a suspension. Ownership as for `hostprov_create`.
///
/// # Safety
/// As for `hostprov_create`.
#[no_mangle]
pub unsafe extern "C" fn hostprov_unsuspend(request_json: *const c_char) -> *mut c_char {
    run_operation(Operation::Unsuspend, request_json)
}

/// Terminates (deletes) the service. Ownership as for `hostprov_create`.
///
/// # Safety
/// As for `hostprov_create`.
#[no_mangle]
pub unsafe extern "C" fn hostprov_terminate(request_json: *const c_char) -> *mut c_char {
    run_operation(Operation::Terminate, request_json)
}

/// Renews the service. Ownership as for `hostprov_create`.
///
/// # Safety
/// As for `hostprov_create`.
#[no_mangle]
pub unsafe extern "C" fn hostprov_renew(request_json: *const c_char) -> *mut c_char {
    run_operation(Operation::Renew, request_json)
}

/// Moves the service to `service.new_plan_id`. Ownership as for `hostprov_create`.
///
/// # Safety
/// As for `hostprov_create`.
#[no_mangle]
pub unsafe extern "C" fn hostprov_change_package(request_json: *const c_char) -> *mut c_char {
    run_operation(Operation::ChangePackage, request_json)
}

/// A short-lived single sign-on link to the provider's control panel, in `url`.
/// Ownership as for `hostprov_create`.
///
/// # Safety
/// As for `hostprov_create`.
#[no_mangle]
pub unsafe extern "C" fn hostprov_client_area_url(request_json: *const c_char) -> *mut c_char {
    run_operation(Operation::ClientAreaUrl, request_json)
}

/// The order as the provider sees it. Ownership as for `hostprov_create`.
///
/// # Safety
/// As for `hostprov_create`.
#[no_mangle]
pub unsafe extern "C" fn hostprov_details(request_json: *const c_char) -> *mut c_char {
    run_operation(Operation::Details, request_json)
}

/// Plans and orderable products, for a panel's configuration dropdowns.
/// Ownership as for `hostprov_create`.
///
/// # Safety
/// As for `hostprov_create`.
#[no_mangle]
pub unsafe extern "C" fn hostprov_plans(request_json: *const c_char) -> *mut c_char {
    run_operation(Operation::Plans, request_json)
}

/// Checks credentials and reachability with the provider's cheapest authenticated call.
/// Ownership as for `hostprov_create`.
///
/// # Safety
/// As for `hostprov_create`.
#[no_mangle]
pub unsafe extern "C" fn hostprov_test_connection(request_json: *const c_char) -> *mut c_char {
    run_operation(Operation::TestConnection, request_json)
}

/// Every provider, product, operation and field this build implements, as an envelope.
/// Ownership as for `hostprov_create`.
#[no_mangle]
pub extern "C" fn hostprov_catalog() -> *mut c_char {
    string_into_raw(guarded(crate::catalog))
}

/// Runs the operation named by `operation` ("create", …, "test_connection", "catalog").
/// An unknown name is answered with an `unsupported_operation` envelope.
/// Ownership as for `hostprov_create`.
///
/// # Safety
/// Both arguments are NULL or NUL-terminated strings that stay valid during the call.
#[no_mangle]
pub unsafe extern "C" fn hostprov_call(operation: *const c_char, request_json: *const c_char) -> *mut c_char {
    string_into_raw(guarded(|| {
        let name = match str_from_ptr(operation, "operation name") {
            Ok(name) => name,
            Err(message) => return argument_error(None, &message),
        };
        if name == "catalog" {
            return crate::catalog();
        }
        if name == "batch" {
            return run_batch(request_json, &mut |_, _| {});
        }
        match str_from_ptr(request_json, "request") {
            Ok(text) => dispatch::run_named(name, text),
            Err(message) => argument_error(Operation::from_name(name), &message),
        }
    }))
}

/// Runs many operations in one call: `{"requests": [{"operation": "suspend", "request": {…}}, …],
/// "options": {"concurrency": 8}}` answers `{"ok": true, "api_version": 1, "operation": "batch",
/// "results": [envelope, …]}`, each result exactly what the single call would have answered, in
/// input order; a bad item fails alone. At most `concurrency` calls (default 8, at most 16) are
/// in flight per provider endpoint; at most 10000 items and 16 MiB per batch.
/// Ownership as for `hostprov_create`.
///
/// # Safety
/// `batch_json` is NULL or a NUL-terminated string that stays valid during the call.
#[no_mangle]
pub unsafe extern "C" fn hostprov_batch(batch_json: *const c_char) -> *mut c_char {
    string_into_raw(guarded(|| run_batch(batch_json, &mut |_, _| {})))
}

/// As `hostprov_batch`, calling `progress(done, total, user)` after each item finishes, always
/// on the calling thread (so a PHP or Python callback is safe). `progress` may be NULL; it must
/// return normally (no exception or longjmp through hostprov). Ownership as for
/// `hostprov_create`.
///
/// # Safety
/// As for `hostprov_batch`; `progress` is NULL or a function valid during the call, and `user`
/// is passed to it untouched.
#[no_mangle]
pub unsafe extern "C" fn hostprov_batch_with_progress(
    batch_json: *const c_char,
    progress: Option<unsafe extern "C" fn(done: u32, total: u32, user: *mut c_void)>,
    user: *mut c_void,
) -> *mut c_char {
    string_into_raw(guarded(|| {
        run_batch(batch_json, &mut |done, total| {
            if let Some(progress) = progress {
                // Counts are bounded by batch::MAX_ITEMS, far below u32::MAX.
                progress(done as u32, total as u32, user);
            }
        })
    }))
}

/// The body shared by the batch exports.
unsafe fn run_batch(batch_json: *const c_char, progress: &mut dyn FnMut(usize, usize)) -> String {
    match str_within(batch_json, "batch", batch::MAX_BATCH_BYTES) {
        Ok(text) => batch::run(text, progress),
        Err(message) => batch::refused(&message),
    }
}

/// Releases a string returned by any hostprov function. NULL is accepted and ignored.
/// Each string must be released exactly once, and never with `free()`.
///
/// # Safety
/// `s` is NULL or a pointer returned by a hostprov function and not yet released.
#[no_mangle]
pub unsafe extern "C" fn hostprov_string_free(s: *mut c_char) {
    // SAFETY: `s` is NULL or came from `string_into_raw` (the C allocator), per the contract.
    libc::free(s.cast());
}

/// The library version ("0.1.0"). Static storage: never free it.
#[no_mangle]
pub extern "C" fn hostprov_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// The C ABI version: 1. It changes only when an exported function changes incompatibly.
#[no_mangle]
pub extern "C" fn hostprov_abi_version() -> u32 {
    crate::ABI_VERSION
}
