//! Bytes to text: which charset a page is really in.
//!
//! Order: byte-order mark, then the HTTP `Content-Type` label, then `<meta charset>` or
//! `http-equiv` in the first 1024 bytes, then detection (chardetng, with the host's TLD as
//! a hint). Labels lie: a page that declares a single-byte charset but whose bytes are
//! valid UTF-8 with multi-byte sequences is UTF-8 (latin-1 text almost never forms valid
//! UTF-8 by chance), and a page declared UTF-8 whose bytes are not is detected instead.

use encoding_rs::{Encoding, UTF_8};
use regex::bytes::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// Where the chosen charset came from, for reports and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharsetSource {
    /// A byte-order mark.
    Bom,
    /// The HTTP Content-Type header.
    Http,
    /// A `<meta>` declaration in the page.
    Meta,
    /// The label was wrong or missing and the bytes decided.
    Detected,
}

/// Decodes `bytes` to text; `content_type` is the HTTP header if there was one, `host`
/// the page's host (its TLD guides detection).
pub fn decode<'a>(
    bytes: &'a [u8],
    content_type: Option<&str>,
    host: Option<&str>,
) -> (Cow<'a, str>, &'static Encoding, CharsetSource) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text, enc, CharsetSource::Bom);
    }
    let declared = content_type
        .and_then(label_from_content_type)
        .map(|e| (e, CharsetSource::Http))
        .or_else(|| meta_label(bytes).map(|e| (e, CharsetSource::Meta)));
    let as_utf8 = std::str::from_utf8(bytes).ok();
    let utf8_ok = as_utf8.is_some();
    let utf8 = |_: &[u8]| Cow::Borrowed(as_utf8.unwrap_or_default());
    match declared {
        Some((enc, src)) if enc == UTF_8 && utf8_ok => (utf8(bytes), UTF_8, src),
        Some((enc, src)) if enc != UTF_8 && !enc.is_single_byte() => {
            // A multi-byte legacy label (Shift_JIS, GBK, EUC-KR…) is trusted when it decodes
            // cleanly; otherwise the bytes decide.
            let (text, had_errors) = enc.decode_without_bom_handling(bytes);
            if had_errors && utf8_ok {
                (utf8(bytes), UTF_8, CharsetSource::Detected)
            } else if had_errors {
                detect(bytes, host)
            } else {
                (text, enc, src)
            }
        }
        Some((enc, src)) if enc != UTF_8 => {
            if utf8_ok && !bytes.is_ascii() {
                (utf8(bytes), UTF_8, CharsetSource::Detected)
            } else {
                let (text, _) = enc.decode_without_bom_handling(bytes);
                (text, enc, src)
            }
        }
        _ if utf8_ok => (utf8(bytes), UTF_8, CharsetSource::Detected),
        _ => detect(bytes, host),
    }
}

fn detect<'a>(
    bytes: &'a [u8],
    host: Option<&str>,
) -> (Cow<'a, str>, &'static Encoding, CharsetSource) {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    // chardetng panics on a TLD that is not lower-case ASCII letters and digits.
    let tld = host
        .and_then(|h| h.rsplit('.').next())
        .filter(|t| {
            !t.is_empty()
                && t.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        .map(|t| t.as_bytes());
    let enc = det.guess(tld, chardetng::Utf8Detection::Allow);
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text, enc, CharsetSource::Detected)
}

fn label_from_content_type(ct: &str) -> Option<&'static Encoding> {
    let lower = ct.to_ascii_lowercase();
    let pos = lower.find("charset=")?;
    let rest = lower[pos + 8..].trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| c == ';' || c == '"' || c == '\'' || c.is_whitespace())
        .unwrap_or(rest.len());
    Encoding::for_label(&rest.as_bytes()[..end]).map(html_replacement)
}

static META_CHARSET: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"(?i-u)<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)"#).ok());

fn meta_label(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    let re = META_CHARSET.as_ref()?;
    let caps = re.captures(head)?;
    Encoding::for_label(caps.get(1)?.as_bytes()).map(html_replacement)
}

/// The HTML spec's rule: a page cannot declare itself UTF-16 in its own bytes, and
/// `x-user-defined` means windows-1252.
fn html_replacement(enc: &'static Encoding) -> &'static Encoding {
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        UTF_8
    } else if enc == encoding_rs::X_USER_DEFINED {
        encoding_rs::WINDOWS_1252
    } else {
        enc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let curly = "<meta charset=\"iso-8859-1\"><p>“quoted” — dash</p>";
        let cases: Vec<(Vec<u8>, Option<&str>, &str, CharsetSource)> = vec![
            // Mislabelled latin-1 that is really UTF-8.
            (
                curly.as_bytes().to_vec(),
                None,
                "“quoted” — dash",
                CharsetSource::Detected,
            ),
            // Real windows-1252 bytes with a correct label.
            (
                b"<meta charset=windows-1252><p>\x93quoted\x94 \x97 dash</p>".to_vec(),
                None,
                "“quoted” — dash",
                CharsetSource::Meta,
            ),
            // HTTP header wins over nothing.
            (
                b"<p>caf\xe9</p>".to_vec(),
                Some("text/html; charset=ISO-8859-1"),
                "café",
                CharsetSource::Http,
            ),
            // BOM wins over a wrong label.
            (
                b"\xef\xbb\xbf<meta charset=latin1><p>\xc3\xa9</p>".to_vec(),
                None,
                "<p>é</p>",
                CharsetSource::Bom,
            ),
        ];
        for (bytes, ct, want, src) in cases {
            let (text, _, got_src) = decode(&bytes, ct, None);
            assert!(text.contains(want), "{text:?} lacks {want:?}");
            assert_eq!(got_src, src, "{text:?}");
        }
    }

    #[test]
    fn unlabelled_windows_1251_is_detected() {
        let text =
            "Социальная сеть удалила тысячи фальшивых аккаунтов, связанных с Ираном и Россией. ";
        let long = text.repeat(3);
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&long);
        let (got, enc, src) = decode(&bytes, None, Some("example.ru"));
        assert_eq!(enc, encoding_rs::WINDOWS_1251);
        assert_eq!(src, CharsetSource::Detected);
        assert!(got.contains("фальшивых"));
    }
}
