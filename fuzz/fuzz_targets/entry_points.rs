//! The exported C functions on arbitrary bytes: NULL or not, any operation name, any request.
//! Every call must return a JSON envelope and release cleanly.
#![no_main]

use std::ffi::{c_char, CStr, CString};

use hostprov::ffi::*;
use libfuzzer_sys::fuzz_target;

/// Turns bytes into a C string argument: NULL for an empty slice, else up to the first NUL.
fn c_arg(bytes: &[u8]) -> Option<CString> {
    (!bytes.is_empty()).then(|| CString::new(bytes.split(|b| *b == 0).next().unwrap_or_default()).unwrap())
}

fn check(ptr: *mut c_char) {
    assert!(!ptr.is_null());
    let text = unsafe { CStr::from_ptr(ptr) }.to_str().expect("envelopes are UTF-8").to_owned();
    unsafe { hostprov_string_free(ptr) };
    let envelope: serde_json::Value = serde_json::from_str(&text).expect("envelopes are JSON");
    assert!(envelope["ok"].is_boolean());
}

fuzz_target!(|data: &[u8]| {
    hostprov::http::restrict_to_loopback();
    let Some((&selector, rest)) = data.split_first() else { return };
    let split = rest.iter().position(|b| *b == 0xff).unwrap_or(rest.len());
    let (name, request) = (c_arg(&rest[..split]), c_arg(rest.get(split + 1..).unwrap_or_default()));
    let ptr = |s: &Option<CString>| s.as_ref().map_or(std::ptr::null(), |c| c.as_ptr());
    unsafe {
        match selector % 4 {
            0 => check(hostprov_call(ptr(&name), ptr(&request))),
            1 => check(hostprov_create(ptr(&request))),
            2 => check(hostprov_suspend(ptr(&request))),
            _ => check(hostprov_details(ptr(&request))),
        }
    }
});
