//! JSON from outside (requests, provider answers) is parsed only when it nests no deeper than
//! [`MAX_NESTING`], checked before parsing by a scan that does not recurse.
//!
//! Parsing, redacting, serialising and dropping a JSON value all recurse once per level, on
//! the caller's thread. Some hosts give their threads 128 KiB of stack (musl's default; some
//! PHP and Python builds), and an unoptimised build spends several KiB per level: without
//! this bound, a request or an answer nested a hundred levels deep kills the process.

use serde_json::Value;

/// Deepest nesting of arrays and objects accepted. The APIs' own answers nest at most five
/// levels and a request at most four; this leaves room, and stays safe on a 128 KiB stack
/// even in a debug build (a test runs a whole call on such a thread).
pub const MAX_NESTING: usize = 16;

/// Why a text did not become a JSON value.
#[derive(Debug)]
pub enum NotJson {
    TooDeep,
    Invalid(serde_json::Error),
}

/// Parses `text` as JSON when it nests at most [`MAX_NESTING`] levels.
pub fn parse(text: &str) -> Result<Value, NotJson> {
    if deeper_than(text, MAX_NESTING) {
        return Err(NotJson::TooDeep);
    }
    serde_json::from_str(text).map_err(NotJson::Invalid)
}

/// Whether arrays and objects in `text` nest deeper than `limit`; brackets inside strings do
/// not count. Invalid JSON is scanned the same way: the parser refuses it afterwards.
pub fn deeper_than(text: &str, limit: usize) -> bool {
    scan(text, limit).too_deep
}

/// What a scan of a text's brackets outside its strings found.
#[derive(Debug, PartialEq, Eq)]
pub struct Scan {
    /// Arrays and objects nest deeper than the limit (the scan stopped there).
    pub too_deep: bool,
    /// The text holds an array somewhere.
    pub has_arrays: bool,
}

/// Scans `text` once for its nesting and its arrays, without recursing.
pub fn scan(text: &str, limit: usize) -> Scan {
    let bytes = text.as_bytes();
    let (mut depth, mut has_arrays, mut at) = (0usize, false, 0usize);
    while at < bytes.len() {
        let byte = bytes[at];
        at += 1;
        match byte {
            // A string is skipped whole, escape by escape: a long value (a PEM certificate)
            // costs a few searches, not a step per byte.
            b'"' => loop {
                match memchr::memchr2(b'"', b'\\', &bytes[at..]) {
                    Some(found) if bytes[at + found] == b'\\' => at = (at + found + 2).min(bytes.len()),
                    Some(found) => {
                        at += found + 1;
                        break;
                    }
                    None => {
                        at = bytes.len();
                        break;
                    }
                }
            },
            b'[' | b'{' => {
                has_arrays |= byte == b'[';
                depth += 1;
                if depth > limit {
                    return Scan { too_deep: true, has_arrays };
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Scan { too_deep: false, has_arrays }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_levels_outside_strings_only() {
        assert!(!deeper_than(r#"{"a":[1,{"b":"[[[[[[\"[["}]}"#, 3));
        assert!(deeper_than(r#"{"a":[1,{"b":[]}]}"#, 3));
        assert!(!deeper_than(&"[".repeat(16), 16));
        assert!(deeper_than(&"[".repeat(17), 16));
        assert!(matches!(parse(&format!("{}{}", "[".repeat(17), "]".repeat(17))), Err(NotJson::TooDeep)));
        assert!(parse(&format!("{}{}", "[".repeat(16), "]".repeat(16))).is_ok());
        assert!(matches!(parse("{"), Err(NotJson::Invalid(_))));
    }

    #[test]
    fn finds_arrays_outside_strings_only() {
        assert_eq!(scan(r#"{"a":{"b":"[x]\"["}}"#, 16), Scan { too_deep: false, has_arrays: false });
        assert_eq!(scan(r#"{"a":{"b":[1]}}"#, 16), Scan { too_deep: false, has_arrays: true });
    }
}
