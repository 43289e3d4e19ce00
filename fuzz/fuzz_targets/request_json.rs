//! Request text through validation and dispatch, for every operation. Only loopback can be
//! reached, whatever endpoint an input names.
#![no_main]

use hostprov::Operation;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    hostprov::http::restrict_to_loopback();
    let Some((&selector, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let operation = Operation::ALL[selector as usize % Operation::ALL.len()];
    let envelope: serde_json::Value = serde_json::from_str(&hostprov::call(operation, text)).expect("envelopes are JSON");
    assert_eq!(envelope["operation"], operation.as_str());
    assert!(envelope["ok"].is_boolean());
});
