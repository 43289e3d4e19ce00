//! Domains as providers take them: a hostname of letters, digits and hyphens, in ASCII.
//!
//! A domain goes into query strings, form bodies and search filters; anything but a hostname
//! there (`&`, `=`, `#`, spaces, slashes, control characters, empty labels) could add a
//! parameter or match another order. Internationalised names are accepted and sent in their
//! ASCII (punycode) form, as registries and providers store them.

/// A domain's ASCII form, lower-cased, or `None` when it is not a hostname.
pub fn ascii_hostname(text: &str) -> Option<String> {
    if text.is_empty() || text.len() > 253 * 4 || text.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    let ascii = idna::domain_to_ascii_strict(text).ok()?;
    let labels: Vec<&str> = ascii.split('.').collect();
    let label_ok = |label: &&str| {
        (1..=63).contains(&label.len())
            && label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    (ascii.len() <= 253 && labels.len() >= 2 && labels.iter().all(label_ok)).then_some(ascii)
}

#[cfg(test)]
mod tests {
    use super::ascii_hostname;

    #[test]
    fn hostnames_pass_lower_cased_and_in_ascii() {
        assert_eq!(ascii_hostname("Example.COM").as_deref(), Some("example.com"));
        assert_eq!(ascii_hostname("shop-1.example.co.uk").as_deref(), Some("shop-1.example.co.uk"));
        assert_eq!(ascii_hostname("bücher.example").as_deref(), Some("xn--bcher-kva.example"));
        assert_eq!(ascii_hostname("xn--bcher-kva.example").as_deref(), Some("xn--bcher-kva.example"));
    }

    #[test]
    fn anything_that_could_inject_or_mislead_is_refused() {
        for bad in [
            "",
            "x.example&order-id=1",
            "x.example=1",
            "x.example#frag",
            "x .example",
            "x.example\n",
            "x\r\n.example",
            "a..example",
            "../example.com",
            "x.example/..",
            "example.com.",
            ".example.com",
            "-x.example",
            "x-.example",
            "localhost",
            "x_y.example",
            "x.example:80",
            "user@x.example",
            &format!("{}.example", "a".repeat(64)),
            &format!("{}example", "a.".repeat(127)),
        ] {
            assert_eq!(ascii_hostname(bad), None, "{bad:?}");
        }
    }
}
