//! Checks on request parameters that every simulator makes. They are provider-neutral: each
//! says what is wrong in words, and each simulator wraps the words in its own error shape
//! (LogicBoxes' HTTP 500, RackNap's `E_VALIDATION`, the licence API's HTTP 400).

use crate::wire::SimRequest;

/// A parameter's value, or what is wrong with it.
pub type Checked<T> = Result<T, String>;

pub fn missing(name: &str) -> String {
    format!("{name} is required")
}

/// A parameter that must be present and non-empty.
pub fn required<'r>(req: &'r SimRequest, name: &str) -> Checked<&'r str> {
    match req.param(name) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(missing(name)),
    }
}

/// A parameter that must be sent but may be empty (a licence's `comment`).
pub fn present<'r>(req: &'r SimRequest, name: &str) -> Checked<&'r str> {
    req.param(name).ok_or_else(|| format!("{name} is required (it may be empty)"))
}

/// A required parameter with a closed vocabulary, matched exactly (case included).
pub fn one_of(req: &SimRequest, name: &str, allowed: &[&'static str]) -> Checked<&'static str> {
    let value = required(req, name)?;
    allowed.iter().copied().find(|a| *a == value).ok_or_else(|| not_one_of(name, allowed, value))
}

pub fn not_one_of(name: &str, allowed: &[&str], value: &str) -> String {
    format!("{name} must be one of {}, not {value}", allowed.join(", "))
}

/// A required whole number of at least `min`, digits only (no sign, no decimals).
pub fn whole_number(req: &SimRequest, name: &str, min: u64) -> Checked<u64> {
    let raw = required(req, name)?;
    parse_whole(raw).filter(|n| *n >= min).ok_or_else(|| format!("{name} must be a whole number of at least {min}, not {raw}"))
}

/// An optional whole number: absent or empty is `None`, anything else must be digits.
pub fn optional_whole_number(req: &SimRequest, name: &str) -> Checked<Option<u64>> {
    match req.param(name) {
        None | Some("") => Ok(None),
        Some(raw) => parse_whole(raw).map(Some).ok_or_else(|| format!("{name} must be a whole number, not {raw}")),
    }
}

fn parse_whole(raw: &str) -> Option<u64> {
    raw.bytes().all(|b| b.is_ascii_digit()).then(|| raw.parse().ok()).flatten()
}

/// A required amount of money, at least zero, written with digits and at most one decimal
/// point (`528.14`, `0`, `12.5`); no sign, exponent or decimal comma.
pub fn amount<'r>(req: &'r SimRequest, name: &str) -> Checked<&'r str> {
    let raw = required(req, name)?;
    let (units, cents) = raw.split_once('.').unwrap_or((raw, "0"));
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if digits(units) && digits(cents) {
        Ok(raw)
    } else {
        Err(format!("{name} must be an amount of at least 0 such as 528.14, not {raw}"))
    }
}

/// An array as PHP reads a form: `name[]=a&name[]=b` or `name[0]=a&name[1]=b`, in the order
/// sent. A plain `name=a` is a string to PHP, not an array, and is refused.
pub fn array<'r>(req: &'r SimRequest, name: &str) -> Checked<Vec<&'r str>> {
    if req.param(name).is_some() {
        return Err(format!("{name} must be an array, sent as {name}[]=…"));
    }
    let is_element = |key: &str| {
        key.strip_prefix(name)
            .and_then(|rest| rest.strip_prefix('['))
            .and_then(|rest| rest.strip_suffix(']'))
            .is_some_and(|index| index.bytes().all(|b| b.is_ascii_digit()))
    };
    Ok(req.params.iter().filter(|(k, _)| is_element(k)).map(|(_, v)| v.as_str()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(params: &[(&str, &str)]) -> SimRequest {
        SimRequest {
            method: "POST".into(),
            path: "/".into(),
            params: params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    #[test]
    fn amounts_are_plain_non_negative_decimals() {
        for good in ["528.14", "0", "12.5", "0.00"] {
            assert_eq!(amount(&request(&[("a", good)]), "a"), Ok(good));
        }
        for bad in ["-1", "1e5", "12,50", ".5", "5.", "1.2.3", " 1", "NaN"] {
            assert!(amount(&request(&[("a", bad)]), "a").is_err(), "{bad}");
        }
        assert_eq!(amount(&request(&[]), "a"), Err("a is required".into()));
    }

    #[test]
    fn whole_numbers_are_digits_only() {
        assert_eq!(whole_number(&request(&[("q", "3")]), "q", 1), Ok(3));
        for bad in ["0", "-1", "+1", "1.0", "x"] {
            assert!(whole_number(&request(&[("q", bad)]), "q", 1).is_err(), "{bad}");
        }
        assert_eq!(optional_whole_number(&request(&[("q", "")]), "q"), Ok(None));
        assert!(optional_whole_number(&request(&[("q", "x")]), "q").is_err());
    }

    #[test]
    fn arrays_take_both_php_spellings_and_refuse_a_plain_key() {
        let req = request(&[("addons[]", "A"), ("other", "x"), ("addons[1]", "B"), ("addons[x]", "C")]);
        assert_eq!(array(&req, "addons"), Ok(vec!["A", "B"]));
        assert_eq!(array(&request(&[]), "addons"), Ok(vec![]));
        assert!(array(&request(&[("addons", "A")]), "addons").is_err());
    }

    #[test]
    fn vocabularies_are_exact() {
        assert_eq!(one_of(&request(&[("c", "Annually")]), "c", &["Monthly", "Annually"]), Ok("Annually"));
        let e = one_of(&request(&[("c", "annually")]), "c", &["Monthly", "Annually"]).unwrap_err();
        assert_eq!(e, "c must be one of Monthly, Annually, not annually");
        assert_eq!(present(&request(&[("comment", "")]), "comment"), Ok(""));
        assert!(present(&request(&[]), "comment").is_err());
    }
}
