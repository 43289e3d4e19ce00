//! The spellings a server may give a value: percent and form encoding, JSON and HTML escapes.
//!
//! Instead of listing every way a secret could be written (each byte may or may not be
//! percent-encoded, in either hex case: far too many to list), a text is *decoded* into a few
//! views, and each byte of a view remembers the range of the original text it came from. A
//! secret found in any view is masked over that range of the original. The views are a fixed,
//! small set, so the cost is a few linear passes per text.

use std::ops::Range;

/// A decoding of a text: its bytes, and for each byte the range of the original it stands for.
pub struct View {
    pub bytes: Vec<u8>,
    spans: Vec<(u32, u32)>,
}

impl View {
    /// The text as it is. Every byte of a multi-byte character stands for the whole
    /// character, so that a range found in any view falls on character boundaries.
    #[cfg(test)]
    pub fn raw(text: &str) -> View {
        let mut view = View { bytes: Vec::with_capacity(text.len()), spans: Vec::with_capacity(text.len()) };
        for (start, c) in text.char_indices() {
            let end = start + c.len_utf8();
            view.bytes.extend_from_slice(&text.as_bytes()[start..end]);
            view.spans.extend(std::iter::repeat_n((start as u32, end as u32), end - start));
        }
        view
    }

    /// The range of the original text behind `bytes[range]` of this view.
    pub fn source(&self, range: Range<usize>) -> Range<usize> {
        self.spans[range.start].0 as usize..self.spans[range.end - 1].1 as usize
    }

    /// Applies `decoder` to this view, keeping the map back to the original.
    fn decode(&self, decoder: Decoder) -> View {
        decode(&self.bytes, |i| self.spans[i], decoder)
    }
}

/// The range of the character of `text` that byte `i` belongs to: the original text needs no
/// span table of its own.
fn char_span(text: &[u8], i: usize) -> (u32, u32) {
    let continues = |b: u8| b & 0xC0 == 0x80;
    let mut start = i;
    while start > 0 && continues(text[start]) {
        start -= 1;
    }
    let mut end = i + 1;
    while end < text.len() && continues(text[end]) {
        end += 1;
    }
    (start as u32, end as u32)
}

/// Decodes `bytes` with `decoder`; `span` gives the range of the original behind each byte.
fn decode(bytes: &[u8], span: impl Fn(usize) -> (u32, u32), decoder: Decoder) -> View {
    let mut out = View { bytes: Vec::with_capacity(bytes.len()), spans: Vec::with_capacity(bytes.len()) };
    let mut i = 0;
    while i < bytes.len() {
        // Most bytes start no escape: copied as they are, up to the next byte that may.
        let next = decoder.next_trigger(&bytes[i..]).map_or(bytes.len(), |at| i + at);
        out.bytes.extend_from_slice(&bytes[i..next]);
        out.spans.extend((i..next).map(&span));
        i = next;
        if i == bytes.len() {
            break;
        }
        let (decoded, used) = decoder.step(&bytes[i..]);
        let span = (span(i).0, span(i + used - 1).1);
        out.bytes.extend_from_slice(decoded.as_slice());
        out.spans.extend(std::iter::repeat_n(span, decoded.len));
        i += used;
    }
    out
}

/// One layer of encoding a server may have applied.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Decoder {
    /// `%XX` in either hex case; `+` stays a plus (URL paths, RFC 3986).
    Percent,
    /// `%XX`, and `+` for a space (HTML forms, query strings).
    Form,
    /// JSON string escapes: `\"`, `\\`, `\/`, `\n`…, `\uXXXX` in either case, surrogate pairs.
    Json,
    /// HTML character references: `&amp;`, `&quot;`, `&#47;`, `&#x2F;`…
    Html,
}

/// The layers tried, alone and in the combinations servers produce (a percent-encoded value
/// inside a JSON string, a JSON fragment in a query string, a value encoded twice).
pub const LAYERS: [&[Decoder]; 11] = [
    &[Decoder::Percent],
    &[Decoder::Form],
    &[Decoder::Json],
    &[Decoder::Html],
    &[Decoder::Json, Decoder::Percent],
    &[Decoder::Json, Decoder::Form],
    &[Decoder::Percent, Decoder::Json],
    &[Decoder::Percent, Decoder::Percent],
    &[Decoder::Html, Decoder::Percent],
    &[Decoder::Form, Decoder::Json],
    &[Decoder::Html, Decoder::Form],
];

impl Decoder {
    /// Whether a text without this byte reads the same decoded: the layer can be skipped.
    fn trigger(self) -> &'static [u8] {
        match self {
            Decoder::Percent => b"%",
            Decoder::Form => b"%+",
            Decoder::Json => b"\\",
            Decoder::Html => b"&",
        }
    }

    /// Whether decoding `text` with this layer changes it: some trigger byte starts a whole
    /// escape. A query string's `&` that starts no character reference leaves the HTML view
    /// equal to the text, so it is not built.
    pub fn applies_to(self, text: &[u8]) -> bool {
        let mut at = 0;
        while let Some(found) = self.next_trigger(&text[at..]) {
            let start = at + found;
            let (decoded, used) = self.step(&text[start..]);
            if used > 1 || decoded.as_slice() != &text[start..start + 1] {
                return true;
            }
            at = start + 1;
        }
        false
    }

    /// Where the first byte that may start an escape of this layer is.
    fn next_trigger(self, text: &[u8]) -> Option<usize> {
        match self.trigger() {
            [one] => memchr::memchr(*one, text),
            [one, two] => memchr::memchr2(*one, *two, text),
            _ => unreachable!("a trigger is one or two bytes"),
        }
    }

    /// Decodes the escape at the start of `input`: the bytes it stands for and how many input
    /// bytes it used. Anything that is not a complete escape stands for itself.
    fn step(self, input: &[u8]) -> (Bytes, usize) {
        let decoded = match self {
            Decoder::Percent | Decoder::Form => percent(self, input),
            Decoder::Json => json(input),
            Decoder::Html => html(input),
        };
        decoded.unwrap_or_else(|| (Bytes::byte(input[0]), 1))
    }
}

fn hex(digits: &[u8]) -> Option<u32> {
    let text = std::str::from_utf8(digits).ok()?;
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(text, 16).ok()
}

fn percent(decoder: Decoder, input: &[u8]) -> Option<(Bytes, usize)> {
    match input[0] {
        b'+' if decoder == Decoder::Form => Some((Bytes::byte(b' '), 1)),
        b'%' => Some((Bytes::byte(hex(input.get(1..3)?)? as u8), 3)),
        _ => None,
    }
}

/// What one escape stands for: a byte or a character, so never more than four bytes.
#[derive(Clone, Copy)]
struct Bytes {
    buf: [u8; 4],
    len: usize,
}

impl Bytes {
    fn byte(b: u8) -> Bytes {
        Bytes { buf: [b, 0, 0, 0], len: 1 }
    }

    fn char(c: char) -> Bytes {
        let mut buf = [0; 4];
        let len = c.encode_utf8(&mut buf).len();
        Bytes { buf, len }
    }

    fn as_slice(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

fn json(input: &[u8]) -> Option<(Bytes, usize)> {
    if input[0] != b'\\' {
        return None;
    }
    let simple = match *input.get(1)? {
        b'"' => b'"',
        b'\\' => b'\\',
        b'/' => b'/',
        b'b' => 0x08,
        b'f' => 0x0c,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'u' => return json_unicode(input),
        _ => return None,
    };
    Some((Bytes::byte(simple), 2))
}

/// `\uXXXX`, or a surrogate pair `\uD83D\uDE00`; a lone surrogate is not decoded.
fn json_unicode(input: &[u8]) -> Option<(Bytes, usize)> {
    let unit = |at: usize| -> Option<u32> {
        (input.get(at..at + 2)? == b"\\u").then_some(())?;
        hex(input.get(at + 2..at + 6)?)
    };
    let first = unit(0)?;
    if let Some(c) = char::from_u32(first) {
        return Some((Bytes::char(c), 6));
    }
    let second = unit(6).filter(|_| (0xD800..0xDC00).contains(&first))?;
    if !(0xDC00..0xE000).contains(&second) {
        return None;
    }
    let c = char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))?;
    Some((Bytes::char(c), 12))
}

fn html(input: &[u8]) -> Option<(Bytes, usize)> {
    if input[0] != b'&' {
        return None;
    }
    let end = input.iter().take(12).position(|b| *b == b';')?;
    let name = std::str::from_utf8(&input[1..end]).ok()?;
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "sol" => '/',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(digits) => hex(digits.as_bytes())?,
                None if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) => number.parse().ok()?,
                None => return None,
            };
            char::from_u32(code)?
        }
    };
    Some((Bytes::char(c), end + 1))
}

/// Whether `text` has no escape any layer decodes: then its raw bytes are its only spelling.
pub fn is_plain(text: &str) -> bool {
    memchr::memchr3(b'%', b'\\', b'&', text.as_bytes()).is_none() && memchr::memchr(b'+', text.as_bytes()).is_none()
}

/// Every view of `text` worth searching besides the text itself: each layer combination that
/// changes it, in the order of [`LAYERS`], each distinct text once. The text itself is searched
/// as it is, with no view built for it.
pub fn decoded_views(text: &str) -> Vec<View> {
    let raw = text.as_bytes();
    // The single layers, decoded once each and only where they change the text at all; every
    // combination starts with one of them (asserted in the tests).
    let singles: Vec<(Decoder, View)> = LAYERS
        .iter()
        .filter(|layers| layers.len() == 1 && layers[0].applies_to(raw))
        .map(|layers| (layers[0], decode(raw, |i| char_span(raw, i), layers[0])))
        .collect();
    let mut combined: Vec<View> = Vec::new();
    for layers in LAYERS.iter().filter(|layers| layers.len() > 1) {
        let Some((_, first)) = singles.iter().find(|(decoder, _)| *decoder == layers[0]) else {
            continue;
        };
        let mut view: Option<View> = None;
        for layer in &layers[1..] {
            let current = view.as_ref().unwrap_or(first);
            if layer.applies_to(&current.bytes) {
                view = Some(current.decode(*layer));
            }
        }
        // Without it, the later layers changed nothing: the first layer's view again.
        combined.extend(view);
    }
    // The single layers come first in `LAYERS`: where two views read the same, the one kept
    // (and so the ranges masked) is the one `LAYERS` lists first.
    let mut views: Vec<View> = Vec::new();
    for view in singles.into_iter().map(|(_, view)| view).chain(combined) {
        if view.bytes != raw && !views.iter().any(|v| v.bytes == view.bytes) {
            views.push(view);
        }
    }
    views
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(text: &str, layers: &[Decoder]) -> String {
        let mut view = View::raw(text);
        for layer in layers {
            view = view.decode(*layer);
        }
        String::from_utf8_lossy(&view.bytes).into_owned()
    }

    #[test]
    fn every_combination_starts_with_a_layer_that_is_searched_alone() {
        for layers in LAYERS {
            assert!(LAYERS.contains(&&layers[..1]), "{layers:?}");
        }
    }

    #[test]
    fn the_views_are_those_of_every_combination_that_changes_the_text() {
        let check = |text: &str| {
            // Every combination applied in full, in the order `LAYERS` lists them, each distinct
            // text kept once, the first time it comes.
            let mut expected: Vec<View> = Vec::new();
            for layers in LAYERS {
                let view = layers.iter().fold(View::raw(text), |view, layer| view.decode(*layer));
                if view.bytes != text.as_bytes() && !expected.iter().any(|v| v.bytes == view.bytes) {
                    expected.push(view);
                }
            }
            // The ranges masked come from the spans: those must match, not only the bytes.
            let both = |views: &[View]| views.iter().map(|v| (v.bytes.clone(), v.spans.clone())).collect::<Vec<_>>();
            assert_eq!(both(&decoded_views(text)), both(&expected), "{text:?}");
        };
        // Two combinations ([Percent, Json] and [Json, Percent]) read the same here, from
        // different ranges of the text.
        check("u4%5C\\\"%25ampu%26");
        let mut rng = fastrand::Rng::with_seed(11);
        let pieces = ["a", "u", "4", "%41", "%2541", "%5C", "%25", "+", "\\u0041", "\\\"", "&amp;", "&#x25;", "%5Cu0041", "&", "%", "\\", "é", "&amp;%41", "amp", "%26", ";"];
        for _ in 0..2000 {
            check(&(0..rng.usize(0..10)).map(|_| *rng.choice(&pieces).unwrap()).collect::<String>());
        }
    }

    #[test]
    fn plain_texts_have_no_escape_of_any_layer() {
        assert!(is_plain("plain text, ünïcödé/=?#"));
        for text in ["a%b", "a+b", "a\\u0041", "a&amp;"] {
            assert!(!is_plain(text), "{text}");
        }
    }

    #[test]
    fn each_layer_decodes_its_escapes_and_leaves_the_rest() {
        assert_eq!(decoded("a%2fb%2Fc+d%zz%4", &[Decoder::Percent]), "a/b/c+d%zz%4");
        assert_eq!(decoded("a+b%2B", &[Decoder::Form]), "a b+");
        assert_eq!(decoded(r#"\"\\\/\u00E9\u00e9\ud83d\ude00\q\u12"#, &[Decoder::Json]), "\"\\/éé😀\\q\\u12");
        assert_eq!(decoded("&amp;&#47;&#x2f;&#X2F;&sol;&bogus;&", &[Decoder::Html]), "&////&bogus;&");
        assert_eq!(decoded(r"%5Cu0041%252F", &[Decoder::Percent, Decoder::Json]), "A%2F");
    }

    #[test]
    fn every_decoded_byte_maps_back_to_its_escape() {
        let text = "é x%C3%A9\\u00e9";
        let view = View::raw(text).decode(Decoder::Json).decode(Decoder::Percent);
        assert_eq!(String::from_utf8_lossy(&view.bytes), "é xéé");
        let found = view.bytes.len() - 2..view.bytes.len();
        assert_eq!(&text[view.source(found)], "\\u00e9");
        assert_eq!(&text[view.source(4..6)], "%C3%A9");
        assert_eq!(&text[view.source(0..2)], "é");
    }

    #[test]
    fn a_text_without_escapes_has_no_decoded_view() {
        assert!(decoded_views("plain text, no escapes").is_empty());
        assert!(decoded_views("50% off").is_empty());
        assert!(!decoded_views("a%20b").is_empty());
    }

    #[test]
    fn decoding_the_text_itself_maps_back_like_decoding_its_raw_view() {
        for text in ["é%C3%A9 x\\u00e9&amp;😀+", "%", "a&#x2F;b", "é"] {
            for decoder in [Decoder::Percent, Decoder::Form, Decoder::Json, Decoder::Html] {
                let direct = decode(text.as_bytes(), |i| char_span(text.as_bytes(), i), decoder);
                let through_raw = View::raw(text).decode(decoder);
                assert_eq!((direct.bytes, direct.spans), (through_raw.bytes, through_raw.spans), "{text} {decoder:?}");
            }
        }
    }
}
