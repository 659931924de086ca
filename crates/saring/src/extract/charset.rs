//! Decoding page bytes to text: which encoding a page is in.
//!
//! The order is the browser's (WHATWG "encoding sniffing"): a byte-order mark, then the HTTP
//! `Content-Type` charset, then a `<meta charset>` or `<meta http-equiv="content-type">` in the first
//! 4 KiB (browsers look at 1 KiB; real pages put 3 KiB of scripts first), then detection with
//! `chardetng` (Firefox's detector), given the URL's top-level domain as a hint.
//!
//! One deliberate deviation: a page that declares a legacy single-byte encoding (`iso-8859-1`,
//! `windows-1252`, ...) but whose bytes are valid UTF-8 with non-ASCII characters is decoded as UTF-8.
//! Browsers would show mojibake (`Ã©`); CMSes that copy a stale header onto UTF-8 output are common, and
//! a corpus wants the text the author wrote. Valid non-ASCII UTF-8 is very unlikely by chance.

use encoding_rs::{Encoding, UTF_8};

/// Where the encoding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharsetSource {
    Bom,
    HttpHeader,
    MetaTag,
    /// Declared legacy encoding overridden because the bytes are valid UTF-8.
    Utf8Override,
    /// Nothing declared; the bytes are valid UTF-8.
    ValidUtf8,
    Detected,
}

impl CharsetSource {
    pub fn as_str(self) -> &'static str {
        match self {
            CharsetSource::Bom => "bom",
            CharsetSource::HttpHeader => "http-header",
            CharsetSource::MetaTag => "meta-tag",
            CharsetSource::Utf8Override => "utf8-override",
            CharsetSource::ValidUtf8 => "valid-utf8",
            CharsetSource::Detected => "detected",
        }
    }
}

/// A decoded page. Valid UTF-8 is borrowed, not copied.
#[derive(Debug)]
pub struct Decoded<'a> {
    pub text: std::borrow::Cow<'a, str>,
    /// WHATWG name of the encoding used (`UTF-8`, `windows-1252`, `Shift_JIS`, ...).
    pub encoding: &'static str,
    pub source: CharsetSource,
    /// Some bytes were not valid in that encoding and became U+FFFD.
    pub had_errors: bool,
}

/// Decodes `bytes`, with the charset from an HTTP header if there was one and the page URL's host for
/// the detector's hint.
pub fn decode<'a>(bytes: &'a [u8], http_charset: Option<&str>, url: Option<&str>) -> Decoded<'a> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return finish(encoding, &bytes[bom_len..], CharsetSource::Bom);
    }
    let declared = http_charset
        .and_then(|c| Encoding::for_label(c.trim().as_bytes()))
        .map(|e| (e, CharsetSource::HttpHeader))
        .or_else(|| meta_charset(bytes).map(|e| (e, CharsetSource::MetaTag)));
    // Validated once here; a valid page is then borrowed, not decoded again.
    // simdutf8: the same answer as `std::str::from_utf8`, several times faster on long pages.
    let utf8 = simdutf8::basic::from_utf8(bytes).ok();
    let utf8_ok = utf8.is_some();
    let borrowed = |text: &'a str, source| Decoded {
        text: std::borrow::Cow::Borrowed(text),
        encoding: UTF_8.name(),
        source,
        had_errors: false,
    };
    match declared {
        Some((encoding, _)) if encoding.is_single_byte() && utf8_ok && !bytes.is_ascii() => {
            borrowed(utf8.unwrap_or_default(), CharsetSource::Utf8Override)
        }
        Some((encoding, source)) if encoding.output_encoding() == UTF_8 && utf8_ok => {
            borrowed(utf8.unwrap_or_default(), source)
        }
        // UTF-16 cannot be declared from inside the page; a meta tag saying so means UTF-8.
        Some((encoding, source)) => finish(encoding.output_encoding(), bytes, source),
        None if utf8_ok => borrowed(utf8.unwrap_or_default(), CharsetSource::ValidUtf8),
        None => {
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            let tld = url.and_then(top_level_domain);
            let encoding = detector.guess(
                tld.as_deref().map(str::as_bytes),
                chardetng::Utf8Detection::Allow,
            );
            finish(encoding, bytes, CharsetSource::Detected)
        }
    }
}

fn finish<'a>(encoding: &'static Encoding, bytes: &'a [u8], source: CharsetSource) -> Decoded<'a> {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text,
        encoding: encoding.name(),
        source,
        had_errors,
    }
}

/// How far into the page a `<meta>` charset declaration is looked for.
const PRESCAN_BYTES: usize = 4096;

/// The encoding named by a `<meta charset>` or `http-equiv` content type near the top of the page.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&lower[from..], b"<meta") {
        let start = from + i;
        let end = memchr::memchr(b'>', &lower[start..]).map_or(lower.len(), |j| start + j);
        let tag = &lower[start..end];
        if let Some(j) = memchr::memmem::find(tag, b"charset") {
            let rest = &tag[j + 7..];
            let rest = rest.trim_ascii_start();
            if let Some(value) = rest.strip_prefix(b"=") {
                let value = value.trim_ascii_start();
                let value = value
                    .strip_prefix(b"\"")
                    .or(value.strip_prefix(b"'"))
                    .unwrap_or(value);
                let len = value
                    .iter()
                    .position(|b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
                    .unwrap_or(value.len());
                if let Some(encoding) = Encoding::for_label(&value[..len]) {
                    return Some(encoding);
                }
            }
        }
        from = end;
    }
    None
}

fn top_level_domain(url: &str) -> Option<String> {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = after_scheme.split(['/', ':', '?', '#']).next()?;
    let tld = host.rsplit('.').next()?;
    (!tld.is_empty() && tld.chars().all(|c| c.is_ascii_alphabetic()))
        .then(|| tld.to_ascii_lowercase())
}

/// The `charset=` parameter of an HTTP `Content-Type` value.
pub fn charset_of_content_type(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_of_evidence() {
        // A BOM beats everything.
        let d = decode(b"\xEF\xBB\xBFcaf\xC3\xA9", Some("iso-8859-1"), None);
        assert_eq!((d.text.as_ref(), d.source), ("café", CharsetSource::Bom));
        // The HTTP header beats the meta tag.
        let page = b"<meta charset=\"utf-8\"><p>caf\xE9</p>";
        let d = decode(page, Some("windows-1252"), None);
        assert_eq!(
            (d.encoding, d.source),
            ("windows-1252", CharsetSource::HttpHeader)
        );
        assert!(d.text.contains("café"));
        // The meta tag, in either spelling.
        let d = decode(
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">\x82\xa0",
            None,
            None,
        );
        assert_eq!(
            (d.encoding, d.source),
            ("Shift_JIS", CharsetSource::MetaTag)
        );
        assert!(d.text.ends_with('あ'));
    }

    #[test]
    fn stale_legacy_declaration_over_utf8_bytes() {
        let d = decode(
            "<meta charset=iso-8859-1><p>Rp 12.000 — kopi</p>".as_bytes(),
            None,
            None,
        );
        assert_eq!(d.source, CharsetSource::Utf8Override);
        assert!(d.text.contains("— kopi"));
    }

    #[test]
    fn undeclared_legacy_bytes_are_detected() {
        // windows-1251 Russian, no declaration.
        let (bytes, _, _) = encoding_rs::WINDOWS_1251
            .encode("<p>Привет, как дела? Это проверка кодировки страницы.</p>");
        let d = decode(&bytes, None, Some("http://example.ru/a"));
        assert_eq!(d.source, CharsetSource::Detected);
        assert_eq!(d.encoding, "windows-1251");
        assert!(d.text.contains("Привет"));
    }

    #[test]
    fn content_type_parameter() {
        assert_eq!(
            charset_of_content_type("text/html; charset=\"ISO-8859-1\""),
            Some("ISO-8859-1")
        );
        assert_eq!(charset_of_content_type("text/html"), None);
    }
}
