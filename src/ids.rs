//! Values that become part of a URL path or an HTTP header, checked against the shape the
//! provider gives them: an id must not change the path (`.`, `..`, `/`), and a header value
//! must not end its header and start another (CR, LF). Refused before anything is sent.

use crate::response::Error;

/// A licence key number as the licence API writes it (`PLSK.04867003`, `CP.1234567`,
/// `VZ-7788`): up to 64 letters, digits, dots, dashes and underscores, starting with a letter
/// or a digit, so never `.` or `..`.
pub fn is_licence_key(text: &str) -> bool {
    let bytes = text.as_bytes();
    (1..=64).contains(&bytes.len())
        && bytes[0].is_ascii_alphanumeric()
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(b))
}

/// Checks a request value that is sent in an HTTP header (`field` names it in the message).
pub fn header_value<'a>(field: &str, value: &'a str) -> Result<&'a str, Error> {
    if value.chars().any(char::is_control) {
        return Err(Error::invalid(format!(
            "The request field `{field}` contains control characters (a line break?); send it as one line."
        )));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licence_keys_are_plain_names() {
        for key in ["PLSK.04867003", "CP.1234567", "VZ-7788", "42", "key_1"] {
            assert!(is_licence_key(key), "{key}");
        }
        for key in [".", "..", ".hidden", "-x", "a/b", "a%2Fb", "a b", "", "é", &"k".repeat(65)] {
            assert!(!is_licence_key(key), "{key}");
        }
    }

    #[test]
    fn header_values_are_one_line() {
        assert!(header_value("account.api_token", "abc DEF-123").is_ok());
        for bad in ["abc\r\nX-Injected: 1", "abc\n", "a\u{0}b", "a\u{85}b"] {
            let e = header_value("account.api_token", bad).unwrap_err();
            assert!(e.message.contains("`account.api_token`") && !e.message.contains("abc"), "{}", e.message);
        }
    }
}
