//! Each provider's reader of HTTP answers, on any status and any body: an error or a payload,
//! never a panic.
#![no_main]

use hostprov::http::{Reply, Safety};
use hostprov::providers::{logicboxes, racknap, websoftsolus};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let status = 100 + u16::from_le_bytes([data[0], data[1]]) % 500;
    let safety = if data[2] & 1 == 0 { Safety::Read } else { Safety::Change };
    let reply = Reply { status, body: String::from_utf8_lossy(&data[3..]).into_owned() };
    let _ = logicboxes::parse_reply(&reply, safety);
    let _ = racknap::parse_reply(&reply, safety);
    let _ = websoftsolus::parse_reply_for(&reply, safety);
});
