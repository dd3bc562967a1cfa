//! Stage `extract`: from a page's raw bytes to an [`Article`] (main text and metadata).
//!
//! bytes → size cap → charset ([`decode`]) → nesting gate ([`guard`]) → html5ever (once)
//! → flat node list ([`dom`]) → metadata ([`meta`]) and main text ([`body`]).
//! The page is parsed once and walked a fixed number of times; the gate in front of the
//! parser is what makes the cost of one page bounded whatever it contains.

mod body;
pub mod dates;
pub mod decode;
mod dom;
pub mod guard;
mod meta;
pub mod pdf;
mod rules;

use chrono::NaiveDate;
use serde::Serialize;
use std::io::Read;
use std::path::{Path, PathBuf};

pub use guard::{GateReport, Limits};

/// A page's main text and metadata.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Article {
    /// `--url`, else the page's canonical or og:url, else none.
    pub url: Option<String>,
    /// The headline.
    pub title: Option<String>,
    /// Publication date (the calendar date the page states).
    #[serde(serialize_with = "ser_date")]
    pub published: Option<NaiveDate>,
    /// Byline names.
    pub authors: Vec<String>,
    /// The address the page gives itself (its canonical link or og:url), whoever served
    /// it: a claim of the page, never proof of where it came from.
    #[serde(skip)]
    pub claimed_url: Option<String>,
    /// Host of `url` without `www.`.
    pub site: Option<String>,
    /// Site name as the page gives it (og:site_name, JSON-LD publisher).
    #[serde(skip)]
    pub site_name: Option<String>,
    /// Primary language subtag, lowercase.
    pub language: Option<String>,
    /// Main text: paragraphs separated by a blank line.
    pub body: String,
    /// What the size and nesting gate changed, if anything.
    #[serde(skip)]
    pub gate: GateReport,
    /// For a PDF, the byte offset in `body` where each page's text starts (page 1
    /// first); empty for a web page.
    #[serde(skip)]
    pub pages: Vec<usize>,
}

impl Article {
    /// The 1-based page of a byte offset in `body`, for a PDF.
    pub fn page_of(&self, offset: usize) -> Option<u32> {
        let n = self.pages.partition_point(|&start| start <= offset);
        (n > 0).then(|| u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// An English article that is only this text (a statement to verify, a test), with
    /// the date that relative dates in it resolve against.
    pub fn from_text(body: String, published: Option<NaiveDate>) -> Article {
        Article {
            url: None,
            title: None,
            published,
            authors: Vec::new(),
            claimed_url: None,
            site: None,
            site_name: None,
            language: Some("en".into()),
            body,
            gate: GateReport::default(),
            pages: Vec::new(),
        }
    }
}

fn ser_date<S: serde::Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&d.format("%Y-%m-%d").to_string()),
        None => s.serialize_none(),
    }
}

/// How to extract one page.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The page's URL, when the caller knows it better than the page does.
    pub url: Option<String>,
    /// The HTTP Content-Type header the page came with.
    pub content_type: Option<String>,
    /// Cost limits.
    pub limits: Limits,
}

/// Why a page could not be extracted.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A `.gz` file that is not valid gzip or ends early.
    #[error("{path}: not a valid gzip file: {source}")]
    Gzip {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The bytes are not an HTML page (empty, or a binary format).
    #[error("not an HTML page: {0}")]
    NotHtml(String),
    /// A PDF that cannot be read (broken, encrypted, too large or too slow).
    #[error("PDF: {0}")]
    Pdf(String),
}

/// Extracts the article from a page's bytes: an HTML page, or a PDF report.
pub fn extract(bytes: &[u8], opts: &Options) -> Result<Article, ExtractError> {
    if pdf::is_pdf(bytes) {
        return pdf::extract(bytes, opts);
    }
    sniff(bytes)?;
    let mut report = GateReport::default();
    let bytes = guard::cap_bytes(bytes, &opts.limits, &mut report);
    let host = opts.url.as_deref().and_then(meta::site_of);
    let (text, _, _) = decode::decode(bytes, opts.content_type.as_deref(), host.as_deref());
    let gated = guard::gate(&text, &opts.limits, &mut report);
    let html = scraper::Html::parse_document(&gated);
    let dom = dom::Dom::build(&html);
    drop(html);
    let layout = body::layout(&dom);
    let m = meta::read(&dom, &layout, opts.url.as_deref());
    let mut body = body::main_text(&layout, m.title.as_deref());
    // The rules left nothing: take the prose they threw away, headline included (a page
    // whose only text is its headline has it as its body), hidden text last.
    for bare in [false, true] {
        if body.is_empty() {
            body = body::main_text(&body::lenient_layout(&dom, bare), None);
        }
    }
    let site = m.url.as_deref().and_then(meta::site_of);
    Ok(Article {
        url: m.url,
        title: m.title,
        published: m.published,
        authors: m.authors,
        claimed_url: m.claimed_url,
        site,
        site_name: m.site_name,
        language: m.language,
        body,
        gate: report,
        pages: Vec::new(),
    })
}

/// Refuses input that is plainly not HTML, before any parsing.
fn sniff(bytes: &[u8]) -> Result<(), ExtractError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ExtractError::NotHtml("the file is empty".into()));
    }
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG", "PNG image"),
        (b"GIF8", "GIF image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"%PDF", "PDF document"),
        (b"PK\x03\x04", "ZIP archive"),
        (b"\x1f\x8b", "gzip data (name the file .html.gz)"),
        (b"RIFF", "RIFF media"),
        (b"\x00\x00\x01\x00", "icon"),
    ];
    for (magic, what) in MAGIC {
        if bytes.starts_with(magic) {
            return Err(ExtractError::NotHtml(format!("the bytes are a {what}")));
        }
    }
    let head = &bytes[..bytes.len().min(1024)];
    let has_bom = bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff");
    let nul = head.iter().filter(|&&b| b == 0).count();
    if !has_bom && nul * 4 > head.len() {
        return Err(ExtractError::NotHtml(
            "the bytes are binary (mostly NUL)".into(),
        ));
    }
    Ok(())
}

/// Reads an `.html`, `.htm` or `.html.gz` file, at most `limits.max_bytes` of it
/// (decompressed), so a gzip bomb costs no more than a large page.
pub fn read_page(path: &Path, limits: &Limits) -> Result<Vec<u8>, ExtractError> {
    let file = std::fs::File::open(path).map_err(|source| ExtractError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let cap = limits.max_bytes as u64 + 1;
    let mut buf = Vec::new();
    let is_gz = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.to_ascii_lowercase().ends_with(".gz"));
    if is_gz {
        let dec = flate2::read::MultiGzDecoder::new(file);
        dec.take(cap)
            .read_to_end(&mut buf)
            .map_err(|source| ExtractError::Gzip {
                path: path.to_path_buf(),
                source,
            })?;
    } else {
        file.take(cap)
            .read_to_end(&mut buf)
            .map_err(|source| ExtractError::Read {
                path: path.to_path_buf(),
                source,
            })?;
    }
    Ok(buf)
}

/// Whether a path names a page file `extract` reads (HTML, gzipped HTML, PDF).
pub fn is_page_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    name.ends_with(".html")
        || name.ends_with(".htm")
        || name.ends_with(".html.gz")
        || name.ends_with(".htm.gz")
        || name.ends_with(".pdf")
}

/// Describes the body scorer's decisions on a page (a debugging aid; the format is not stable).
#[doc(hidden)]
pub fn explain(bytes: &[u8], opts: &Options) -> String {
    let mut report = GateReport::default();
    let bytes = guard::cap_bytes(bytes, &opts.limits, &mut report);
    let (text, _, _) = decode::decode(bytes, opts.content_type.as_deref(), None);
    let gated = guard::gate(&text, &opts.limits, &mut report);
    let html = scraper::Html::parse_document(&gated);
    body::explain(&dom::Dom::build(&html))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(html: &str) -> Article {
        match extract(html.as_bytes(), &Options::default()) {
            Ok(a) => a,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn paragraphs_and_no_chrome() {
        let a = ex(r#"<html lang="en-US"><head><title>Big story | Site</title>
            <link rel="canonical" href="https://www.example.com/2019/01/31/big-story">
            </head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
            <article><h1>Big story</h1><p>First paragraph of the story has enough words to count.</p>
            <figure><img src="x.jpg"><figcaption>A caption that must go away entirely.</figcaption></figure>
            <div class="related"><a href="/x">Related headline with many words in it here</a></div>
            <p>Second paragraph of the story, also long enough to be prose.</p></article>
            <footer>Copyright 2019 Example</footer></body></html>"#);
        assert_eq!(
            a.body,
            "First paragraph of the story has enough words to count.\n\nSecond paragraph of the story, also long enough to be prose."
        );
        assert_eq!(a.title.as_deref(), Some("Big story"));
        assert_eq!(a.site.as_deref(), Some("example.com"));
        assert_eq!(a.language.as_deref(), Some("en"));
        assert_eq!(a.published, NaiveDate::from_ymd_opt(2019, 1, 31));
    }

    #[test]
    fn a_story_hidden_for_a_script_to_show_is_still_found() {
        let a = ex(
            r#"<html><body><div>Advertisement</div><div>Share this article</div>
            <div>Read more</div><div>Sign up for our newsletter</div><div>Comments</div>
            <div>Subscribe to our daily briefing</div><div>Jan 31, 2019, 3:50 PM ET</div>
            <div style="display:none"><p>The platform removed 48 accounts that posed as local
            reporters and shared the same articles within minutes of each other.</p></div>
            </body></html>"#,
        );
        assert!(
            a.body.starts_with("The platform removed 48 accounts"),
            "{:?}",
            a.body
        );
    }

    #[test]
    fn refuses_non_html() {
        for bytes in [
            &b""[..],
            b"  \n",
            b"\x89PNG\r\n\x1a\n....",
            b"\x00\x00\x00\x00\x00\x00",
        ] {
            assert!(matches!(
                extract(bytes, &Options::default()),
                Err(ExtractError::NotHtml(_))
            ));
        }
    }
}
