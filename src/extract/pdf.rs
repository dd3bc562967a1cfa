//! PDF reports read like pages: the text of each page in reading order, lines joined
//! into paragraphs, the title, date and author from the document's metadata or its first
//! page, and where each page starts in the body (claims carry their page number).
//!
//! The parser is lopdf (measured against pdf-extract and pdf on our own PDFs: the best
//! text and the only one that never panicked or ran away on the hostile set, see
//! BENCHMARKS.md). Its cost is bounded in three ways: decompression is capped by lopdf
//! itself (per document and per page content), we read at most [`MAX_PAGES`] pages and
//! [`MAX_TEXT`] bytes of text, and the whole read runs on a thread with a deadline
//! ([`DEADLINE`]); a thread past it is abandoned (it cannot be killed) and the document
//! is reported as too slow to read. The input itself is capped by `Limits::max_bytes`.

use super::{Article, ExtractError, Options, dates, meta};
use chrono::NaiveDate;
use lopdf::content::Content;
use lopdf::{Document, Encoding, LoadOptions, Object, ObjectId};
use std::collections::BTreeMap;
use std::time::Duration;

/// Most bytes all of a document's streams may inflate to while it is loaded.
const MAX_DECOMPRESSED: usize = 64 << 20;
/// Most bytes one page's content (and one font's map) may inflate to.
const MAX_PAGE_CONTENT: usize = 4 << 20;
/// Pages read; the rest of a longer document is left out (and said).
pub const MAX_PAGES: usize = 2_000;
/// Bytes of text kept; claims are read from the first 4 MB anyway.
const MAX_TEXT: usize = 8 << 20;
/// Longest a document may take to read.
pub const DEADLINE: Duration = Duration::from_secs(10);
/// Stack of the reading thread: lopdf's parser recurses (nesting is capped at 100).
const STACK: usize = 64 << 20;

/// Whether bytes are a PDF document (its header first, after any white space).
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes.trim_ascii_start().starts_with(b"%PDF-")
}

/// Reads a PDF's article, on a thread of its own with a deadline.
pub fn extract(bytes: &[u8], opts: &Options) -> Result<Article, ExtractError> {
    let cut = &bytes[..bytes.len().min(opts.limits.max_bytes)];
    if cut.len() < bytes.len() {
        return Err(ExtractError::Pdf(format!(
            "the document is larger than the cap of {} bytes (a cut PDF cannot be read)",
            opts.limits.max_bytes
        )));
    }
    let data = cut.to_vec();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("pdf".into())
        .stack_size(STACK)
        .spawn(move || {
            let _ = tx.send(read(&data));
        })
        .map_err(|e| ExtractError::Pdf(format!("cannot start a reader: {e}")))?;
    let doc = match rx.recv_timeout(DEADLINE) {
        Ok(r) => r.map_err(ExtractError::Pdf)?,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            return Err(ExtractError::Pdf(format!(
                "reading took longer than {} s (abandoned)",
                DEADLINE.as_secs()
            )));
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            return Err(ExtractError::Pdf("the reader failed".into()));
        }
    };
    Ok(article(doc, opts))
}

/// What is read from a document: page texts (paragraphs) and metadata.
struct Read {
    pages: Vec<Vec<String>>,
    title: Option<String>,
    author: Option<String>,
    created: Option<NaiveDate>,
}

/// Loads the document and reads its pages, within the caps.
fn read(data: &[u8]) -> Result<Read, String> {
    let options = LoadOptions::with_max_decompressed_size(MAX_DECOMPRESSED);
    let doc = Document::load_mem_with_options(data, options).map_err(|e| e.to_string())?;
    if doc.is_encrypted() || doc.trailer.has(b"Encrypt") {
        return Err(
            "the document is encrypted; its text cannot be read without the password".into(),
        );
    }
    let mut pages = Vec::new();
    let mut text = 0;
    for (_, id) in doc.get_pages().into_iter().take(MAX_PAGES) {
        let paragraphs = paragraphs(page_lines(&doc, id));
        text += paragraphs.iter().map(String::len).sum::<usize>();
        pages.push(paragraphs);
        if text > MAX_TEXT {
            break;
        }
    }
    let info = info(&doc);
    Ok(Read {
        pages,
        title: info.get("Title").cloned(),
        author: info.get("Author").cloned(),
        created: info.get("CreationDate").and_then(|d| pdf_date(d)),
    })
}

/// The Info dictionary's text entries.
fn info(doc: &Document) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let dict = doc.trailer.get(b"Info").ok().and_then(|o| match o {
        Object::Reference(id) => doc.get_dictionary(*id).ok(),
        Object::Dictionary(d) => Some(d),
        _ => None,
    });
    for (k, v) in dict.into_iter().flat_map(|d| d.iter()) {
        if let Ok(s) = lopdf::decode_text_string(v) {
            let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
            if !s.is_empty() {
                out.insert(String::from_utf8_lossy(k).into_owned(), s);
            }
        }
    }
    out
}

/// A PDF date string ("D:20190131120000Z").
fn pdf_date(s: &str) -> Option<NaiveDate> {
    let d = s.strip_prefix("D:").unwrap_or(s);
    let y = d.get(0..4)?.parse().ok()?;
    let m = d.get(4..6).and_then(|m| m.parse().ok()).unwrap_or(1);
    let day = d.get(6..8).and_then(|x| x.parse().ok()).unwrap_or(1);
    NaiveDate::from_ymd_opt(y, m, day)
}

/// One line of text at a vertical position.
struct Line {
    y: f32,
    text: String,
}

/// The text lines of a page in content order: text shown at the same height joins one
/// line, a move up or down starts the next. A page whose content or fonts cannot be read
/// (or inflate past the cap) gives what was read before the fault.
fn page_lines(doc: &Document, page: ObjectId) -> Vec<Line> {
    let encodings: BTreeMap<Vec<u8>, Encoding> = doc
        .get_page_fonts(page)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(name, font)| {
            let e = font
                .get_font_encoding_with_limit(doc, MAX_PAGE_CONTENT)
                .ok()?;
            Some((name, e))
        })
        .collect();
    let Ok(content) = doc.get_page_content_with_limit(page, MAX_PAGE_CONTENT) else {
        return Vec::new();
    };
    let Ok(content) = Content::decode(&content) else {
        return Vec::new();
    };
    let mut w = Walker::default();
    for op in &content.operations {
        let num = |i: usize| op.operands.get(i).and_then(|o| o.as_float().ok());
        match op.operator.as_str() {
            "BT" => w.y = 0.0,
            "Tf" => {
                w.font = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .map(<[u8]>::to_vec)
            }
            "TL" => w.leading = num(0).unwrap_or(w.leading),
            "Td" => w.move_to(w.y + num(1).unwrap_or(0.0)),
            "TD" => {
                let ty = num(1).unwrap_or(0.0);
                w.leading = -ty;
                w.move_to(w.y + ty);
            }
            "Tm" => w.move_to(num(5).unwrap_or(w.y)),
            "T*" => w.move_to(w.y - w.leading),
            "Tj" | "TJ" => w.show(&encodings, &op.operands),
            "'" => {
                w.move_to(w.y - w.leading);
                w.show(&encodings, &op.operands);
            }
            "\"" => {
                w.move_to(w.y - w.leading);
                w.show(&encodings, op.operands.get(2..).unwrap_or_default());
            }
            _ => {}
        }
    }
    w.finish()
}

/// The text state a page's content walk keeps.
#[derive(Default)]
struct Walker {
    y: f32,
    leading: f32,
    font: Option<Vec<u8>>,
    lines: Vec<Line>,
    current: Option<Line>,
}

impl Walker {
    /// A text position: the same height continues the line, another starts a new one.
    /// (A move along the line is not a space: producers position kerned glyph runs
    /// inside words that way, and put real spaces between words.)
    fn move_to(&mut self, y: f32) {
        self.y = if y.is_finite() { y } else { 0.0 };
        if self
            .current
            .as_ref()
            .is_some_and(|line| (line.y - self.y).abs() >= 0.5)
        {
            self.end_line();
        }
    }

    fn end_line(&mut self) {
        if let Some(line) = self.current.take()
            && !line.text.trim().is_empty()
        {
            self.lines.push(line);
        }
    }

    /// Shows strings in the current font; a wide negative kern is a space.
    fn show(&mut self, encodings: &BTreeMap<Vec<u8>, Encoding>, operands: &[Object]) {
        for o in operands {
            match o {
                Object::String(bytes, _) => self.push_string(encodings, bytes),
                Object::Array(items) => {
                    for item in items {
                        match item {
                            Object::String(bytes, _) => self.push_string(encodings, bytes),
                            _ if item.as_float().is_ok_and(|k| k < -100.0) => self.space(),
                            _ => {}
                        }
                    }
                    // A TJ array is a run of words; the next run is another.
                    self.space();
                }
                _ => {}
            }
        }
    }

    fn push_string(&mut self, encodings: &BTreeMap<Vec<u8>, Encoding>, bytes: &[u8]) {
        let encoding = self.font.as_ref().and_then(|f| encodings.get(f));
        let y = self.y;
        let line = self.current.get_or_insert_with(|| Line {
            y,
            text: String::new(),
        });
        match encoding {
            Some(e) => {
                let _ = e.write_to_string(bytes, &mut line.text);
            }
            None => line.text.push_str(&String::from_utf8_lossy(bytes)),
        }
    }

    fn space(&mut self) {
        if let Some(line) = &mut self.current
            && !line.text.ends_with(' ')
        {
            line.text.push(' ');
        }
    }

    fn finish(mut self) -> Vec<Line> {
        self.end_line();
        self.lines
    }
}

/// Lines joined into paragraphs: a gap between lines well over the page's usual line
/// spacing, or a move against the usual direction (a new column), ends a paragraph; a
/// word hyphenated at a line end is joined again.
fn paragraphs(lines: Vec<Line>) -> Vec<String> {
    let mut gaps: Vec<f32> = lines
        .windows(2)
        .map(|w| w[1].y - w[0].y)
        .filter(|g| g.abs() > 0.5)
        .collect();
    gaps.sort_by(|a, b| a.abs().total_cmp(&b.abs()));
    let usual = gaps.get(gaps.len() / 2).copied().unwrap_or(0.0);
    let mut out: Vec<String> = Vec::new();
    let mut para = String::new();
    let mut last_y: Option<f32> = None;
    for line in lines {
        let text = line.text.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(prev) = last_y {
            let gap = line.y - prev;
            let against = usual != 0.0 && gap.signum() != usual.signum();
            if (against || gap.abs() > 1.45 * usual.abs()) && !para.is_empty() {
                out.push(std::mem::take(&mut para));
            }
        }
        last_y = Some(line.y);
        join_line(&mut para, &text);
    }
    if !para.is_empty() {
        out.push(para);
    }
    out
}

/// Appends a line to a paragraph: "disin-" + "formation" is one word, else a space.
fn join_line(para: &mut String, line: &str) {
    if para.is_empty() {
        para.push_str(line);
        return;
    }
    let hyphenated = para.ends_with('-')
        && para[..para.len() - 1].ends_with(|c: char| c.is_alphabetic())
        && line.starts_with(|c: char| c.is_lowercase());
    if hyphenated {
        para.pop();
    } else {
        para.push(' ');
    }
    para.push_str(line);
}

/// The article: paragraphs in page order (where each page starts noted), the title from
/// the metadata or the first page, the date from the first page or the metadata.
fn article(doc: Read, opts: &Options) -> Article {
    let mut body = String::new();
    let mut starts = Vec::with_capacity(doc.pages.len());
    for page in &doc.pages {
        if !body.is_empty() && !page.is_empty() {
            body.push_str("\n\n");
        }
        starts.push(body.len());
        body.push_str(&page.join("\n\n"));
    }
    let first: &[String] = doc.pages.first().map_or(&[], Vec::as_slice);
    let title = doc
        .title
        .filter(|t| !t.to_ascii_lowercase().starts_with("microsoft word"))
        .or_else(|| first.first().filter(|p| p.len() < 200).cloned());
    // The first page says when the report is from; CreationDate is when the file was
    // made, which for a printed copy is the day it was printed.
    let stated = first
        .iter()
        .take(12)
        .filter(|p| p.len() < 200)
        .find_map(|p| dates::parse_text_date(p));
    let url = opts.url.clone();
    Article {
        site: url.as_deref().and_then(meta::site_of),
        url,
        title,
        published: stated.or(doc.created),
        authors: doc.author.into_iter().collect(),
        claimed_url: None,
        site_name: None,
        language: None,
        body,
        gate: Default::default(),
        pages: starts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(y: f32, text: &str) -> Line {
        Line {
            y,
            text: text.into(),
        }
    }

    #[test]
    fn lines_join_into_paragraphs_at_wide_gaps() {
        let lines = vec![
            line(760.0, "Twitter said it had removed"),
            line(746.0, "2,617 accounts in Iran, a disin-"),
            line(732.0, "formation network."),
            line(704.0, "A second paragraph."),
            line(690.0, "It goes on."),
        ];
        assert_eq!(
            paragraphs(lines),
            vec![
                "Twitter said it had removed 2,617 accounts in Iran, a disinformation network.",
                "A second paragraph. It goes on."
            ]
        );
    }

    #[test]
    fn pdf_dates_and_headers() {
        assert_eq!(
            pdf_date("D:20190131120000Z"),
            NaiveDate::from_ymd_opt(2019, 1, 31)
        );
        assert_eq!(pdf_date("D:2019"), NaiveDate::from_ymd_opt(2019, 1, 1));
        assert_eq!(pdf_date("yesterday"), None);
        assert!(is_pdf(b"%PDF-1.7\n"));
        assert!(is_pdf(b"\r\n %PDF-1.4"));
        assert!(!is_pdf(b"<html><p>%PDF-1.4 is a format</p>"));
    }

    #[test]
    fn claims_carry_the_page_of_their_evidence() {
        let a = Article {
            pages: vec![0, 20, 40],
            ..Article::from_text("x".repeat(60), None)
        };
        assert_eq!(a.page_of(0), Some(1));
        assert_eq!(a.page_of(19), Some(1));
        assert_eq!(a.page_of(20), Some(2));
        assert_eq!(a.page_of(59), Some(3));
        assert_eq!(Article::from_text("x".into(), None).page_of(0), None);
    }
}
