//! The gate in front of html5ever: bounds what a page can cost before it is parsed.
//!
//! html5ever has no depth limit, and its tree-building steps scan the stack of open
//! elements, so 100k unclosed `<div>` take tens of seconds, a few thousand misnested
//! `<b><i>` pairs make the adoption agency clone millions of nodes, and one tag with 100k
//! attributes is slow to build. One linear scan here models the open-element stack well
//! enough to cut those cases off: start tags past the depth limit are dropped (their text
//! stays), over-long tags are dropped, and after too many misnested formatting tags all
//! further formatting tags are dropped. Text is never removed, so extraction still sees
//! every word of a page that fits in the size limit.

use std::borrow::Cow;
use std::collections::HashMap;

/// Limits on what one page may cost; see [`Limits::default`] for the values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of input read; the rest is cut off (the page is extracted from what fits).
    pub max_bytes: usize,
    /// Open elements deeper than this are dropped before parsing.
    pub max_depth: usize,
    /// A single tag longer than this (attributes included) is dropped.
    pub max_tag_bytes: usize,
    /// Misnested formatting end tags tolerated before formatting tags are stripped.
    pub max_misnested: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 20 * 1024 * 1024,
            max_depth: 256,
            max_tag_bytes: 16 * 1024,
            max_misnested: 64,
        }
    }
}

/// What the gate had to change, so callers can report a page as degraded.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct GateReport {
    /// Input bytes beyond `max_bytes` were cut off.
    pub truncated: bool,
    /// Start tags dropped for depth.
    pub deep_tags_dropped: usize,
    /// Tags dropped for length.
    pub long_tags_dropped: usize,
    /// Formatting tags dropped after too many misnestings.
    pub formatting_tags_dropped: usize,
}

impl GateReport {
    /// Whether the page reaching the parser differs from the input.
    pub fn changed(&self) -> bool {
        self.truncated
            || self.deep_tags_dropped > 0
            || self.long_tags_dropped > 0
            || self.formatting_tags_dropped > 0
    }
}

/// Cuts `bytes` to the size limit; the caller decodes what is returned.
pub fn cap_bytes<'a>(bytes: &'a [u8], limits: &Limits, report: &mut GateReport) -> &'a [u8] {
    if bytes.len() > limits.max_bytes {
        report.truncated = true;
        &bytes[..limits.max_bytes]
    } else {
        bytes
    }
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "basefont", "bgsound", "frame", "image",
];

/// Elements whose content the tokenizer reads as raw text up to the matching end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// Elements that close an open element of the same name (a rough model of implied ends).
const SELF_CLOSING_SIBLINGS: &[&str] = &[
    "p", "li", "dt", "dd", "option", "tr", "td", "th", "rb", "rt", "rp", "optgroup",
];

/// Block starts that close an open `p` (html5ever: "a p element in button scope").
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
    "li",
    "dd",
    "dt",
];

/// Elements that bound the scope in which an open `p` is found.
const SCOPE_BOUNDARY: &[&str] = &[
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "button",
];

/// A tag name's key: its lower-case bytes packed into a u64 when they fit, else an
/// FNV hash with the top bit set (so the two kinds never collide).
fn name_key(raw: &[u8]) -> u64 {
    if raw.len() <= 8 {
        let mut k = 0u64;
        for &c in raw {
            k = (k << 8) | u64::from(c.to_ascii_lowercase());
        }
        k
    } else {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for &c in raw {
            h ^= u64::from(c.to_ascii_lowercase());
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h | (1 << 63)
    }
}

const P_KEY: u64 = b'p' as u64;

/// Pops to the nearest open `p` unless a scope boundary comes first.
fn close_p(stack: &mut Vec<u64>, open: &mut HashMap<u64, u32>) {
    let Some(pos) = stack
        .iter()
        .rposition(|&t| t == P_KEY || SCOPE_BOUNDARY.iter().any(|b| name_key(b.as_bytes()) == t))
    else {
        return;
    };
    if stack[pos] != P_KEY {
        return;
    }
    for top in stack.drain(pos..) {
        if let Some(c) = open.get_mut(&top) {
            *c = c.saturating_sub(1);
        }
    }
}

/// The formatting elements of the adoption agency algorithm.
const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// Returns the page as it may be given to html5ever.
pub fn gate<'a>(html: &'a str, limits: &Limits, report: &mut GateReport) -> Cow<'a, str> {
    let b = html.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0usize;
    // The open-element model: names on a stack, with a count per name so an end tag
    // for an element that is not open is ignored in O(1).
    let mut stack: Vec<u64> = Vec::new();
    let mut open: HashMap<u64, u32> = HashMap::new();
    let mut name_buf = [0u8; 24];
    let mut misnested = 0usize;
    let mut strip_formatting = false;
    let mut i = 0usize;
    let n = b.len();

    let drop_span = |out: &mut Option<String>, copied: &mut usize, s: usize, e: usize| {
        let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
        o.push_str(&html[*copied..s]);
        *copied = e;
    };

    while i < n {
        let Some(off) = memchr(b'<', &b[i..]) else {
            break;
        };
        let start = i + off;
        i = start + 1;
        if i >= n {
            break;
        }
        let c = b[i];
        if c == b'!' {
            if b[i..].starts_with(b"!--") {
                i = find(b, i + 3, b"-->").map_or(n, |p| p + 3);
            } else {
                i = memchr(b'>', &b[i..]).map_or(n, |p| i + p + 1);
            }
            continue;
        }
        if c == b'?' {
            i = memchr(b'>', &b[i..]).map_or(n, |p| i + p + 1);
            continue;
        }
        let is_end = c == b'/';
        let name_start = if is_end { i + 1 } else { i };
        if name_start >= n || !b[name_start].is_ascii_alphabetic() {
            continue; // a literal '<' in text
        }
        let mut j = name_start;
        while j < n && !matches!(b[j], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>') {
            j += 1;
        }
        // Tag names are lower-cased into a small buffer and keyed by their bytes; longer
        // names (custom elements) are keyed by a hash of their whole name.
        let raw_name = &b[name_start..j];
        let len = raw_name.len().min(name_buf.len());
        for (d, s) in name_buf.iter_mut().zip(raw_name) {
            *d = s.to_ascii_lowercase();
        }
        let name = std::str::from_utf8(&name_buf[..len]).unwrap_or("");
        let key = name_key(raw_name);
        let tag_end = scan_tag_end(b, j);
        i = tag_end;
        let tag_len = tag_end - start;
        if tag_len > limits.max_tag_bytes {
            report.long_tags_dropped += 1;
            drop_span(&mut out, &mut copied, start, tag_end);
            if !is_end && RAW_TEXT.contains(&name) {
                // Still skip the raw text, or its content would be read as markup.
                i = skip_raw_text(b, i, name);
            }
            continue;
        }
        let formatting = FORMATTING.contains(&name);
        if strip_formatting && formatting {
            report.formatting_tags_dropped += 1;
            drop_span(&mut out, &mut copied, start, tag_end);
            continue;
        }
        if is_end {
            let Some(count) = open.get(&key).copied() else {
                continue;
            };
            if count == 0 {
                continue;
            }
            if formatting && stack.last().is_some_and(|&top| top != key) {
                misnested += 1;
                if misnested > limits.max_misnested {
                    strip_formatting = true;
                }
            }
            while let Some(top) = stack.pop() {
                let hit = top == key;
                if let Some(c) = open.get_mut(&top) {
                    *c = c.saturating_sub(1);
                }
                if hit {
                    break;
                }
            }
            continue;
        }
        if RAW_TEXT.contains(&name) {
            i = skip_raw_text(b, i, name);
            continue;
        }
        if name == "plaintext" {
            break;
        }
        if VOID.contains(&name) {
            continue;
        }
        if SELF_CLOSING_SIBLINGS.contains(&name)
            && stack.last() == Some(&key)
            && let Some(top) = stack.pop()
            && let Some(c) = open.get_mut(&top)
        {
            *c = c.saturating_sub(1);
        }
        if CLOSES_P.contains(&name) && open.get(&P_KEY).is_some_and(|&c| c > 0) {
            close_p(&mut stack, &mut open);
        }
        if stack.len() >= limits.max_depth {
            report.deep_tags_dropped += 1;
            drop_span(&mut out, &mut copied, start, tag_end);
            continue;
        }
        *open.entry(key).or_insert(0) += 1;
        stack.push(key);
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut o) => {
            o.push_str(&html[copied..]);
            Cow::Owned(o)
        }
    }
}

/// Index just past the `>` that ends a tag whose name ends at `j`; quotes in attribute
/// values hide `>`, as in the HTML tokenizer.
fn scan_tag_end(b: &[u8], mut j: usize) -> usize {
    let n = b.len();
    let mut after_eq = false;
    while j < n {
        match b[j] {
            b'>' => return j + 1,
            b'=' => after_eq = true,
            q @ (b'"' | b'\'') if after_eq => {
                j = memchr(q, &b[j + 1..]).map_or(n, |p| j + 1 + p);
                after_eq = false;
            }
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => {}
            _ => after_eq = false,
        }
        j += 1;
    }
    n
}

/// Index of the `<` of `</name` (case-insensitive) at or after `from`, or the end.
fn skip_raw_text(b: &[u8], from: usize, name: &str) -> usize {
    let nb = name.as_bytes();
    let mut k = from;
    while let Some(p) = memchr(b'<', &b[k..]) {
        let at = k + p;
        if b.get(at + 1) == Some(&b'/')
            && b.len() >= at + 2 + nb.len()
            && b[at + 2..at + 2 + nb.len()].eq_ignore_ascii_case(nb)
        {
            return at;
        }
        k = at + 1;
    }
    b.len()
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    memchr::memchr(needle, hay)
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    memchr::memmem::find(&hay[from..], needle).map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(html: &str) -> (String, GateReport) {
        let mut r = GateReport::default();
        let out = gate(html, &Limits::default(), &mut r).into_owned();
        (out, r)
    }

    #[test]
    fn ordinary_page_passes_untouched() {
        let html = "<html><body><div class=\"a\"><p>One <b>two</b> <i>three</i></p><p>Four<br>five</div><script>if (a<b) {}</script></body></html>";
        let (out, r) = run(html);
        assert_eq!(out, html);
        assert!(!r.changed());
    }

    #[test]
    fn unclosed_divs_are_cut_at_the_depth_limit_and_text_kept() {
        let html = "<div>x".repeat(100_000);
        let (out, r) = run(&html);
        assert_eq!(r.deep_tags_dropped, 100_000 - Limits::default().max_depth);
        assert_eq!(out.matches('x').count(), 100_000);
        assert_eq!(out.matches("<div>").count(), Limits::default().max_depth);
    }

    #[test]
    fn misnested_formatting_is_stripped_after_the_threshold() {
        let html = "<p>".to_string() + &"<b><i>w</b></i>".repeat(4000);
        let (out, r) = run(&html);
        assert!(r.formatting_tags_dropped > 7000, "{r:?}");
        assert_eq!(out.matches('w').count(), 4000);
    }

    #[test]
    fn huge_tags_are_dropped() {
        let attrs: String = (0..100_000).map(|k| format!(" a{k}=\"v\"")).collect();
        let html = format!("<p{attrs}>kept text</p>");
        let (out, r) = run(&html);
        assert_eq!(r.long_tags_dropped, 1);
        assert_eq!(out, "kept text</p>");
    }

    #[test]
    fn raw_text_is_not_read_as_markup() {
        let html = format!("<script>{}</script><p>t</p>", "<div>".repeat(1000));
        let (_, r) = run(&html);
        assert!(!r.changed());
    }

    #[test]
    fn size_cap_cuts_bytes() {
        let limits = Limits {
            max_bytes: 10,
            ..Limits::default()
        };
        let mut r = GateReport::default();
        assert_eq!(cap_bytes(b"0123456789abc", &limits, &mut r).len(), 10);
        assert!(r.truncated);
    }
}
