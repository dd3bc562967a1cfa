//! The bodies of the fuzz targets (`fuzz/`, cargo-fuzz on nightly) and of their proptest
//! twins on stable (`tests/fuzzing.rs`), kept here so both run the same code. Each takes
//! arbitrary bytes and must return: a panic is a finding. Beyond "no panic", each checks
//! an invariant a user relies on (evidence spans point at the evidence, a canonical URL
//! is its own canonical form, a snapshot id is the hash of the bytes read back).

use crate::archive::{SnapshotId, WarcReader};
use crate::crawl::discover;
use crate::extract::{self, Article, Limits, Options};
use crate::{claims, dedup, search};
use std::io::{BufReader, Cursor};
use std::path::Path;

/// Small limits so one input costs milliseconds, not seconds.
fn limits() -> Limits {
    Limits {
        max_bytes: 256 << 10,
        ..Limits::default()
    }
}

/// Checks what every claim promises about its evidence.
fn check_claims(article: &Article) {
    let found = claims::find(article);
    for c in &found.claims {
        let at = article.body.get(c.span[0]..c.span[1]);
        assert_eq!(at, Some(c.evidence.as_str()), "span points at the evidence");
        if c.count.is_some() {
            // The figure may be written in a way the highlighter does not find; it must
            // not panic either way.
            let _ = claims::numbers::figure_span(&c.evidence, c.count);
        }
    }
}

/// Extraction of an arbitrary page, then its claims.
pub fn extract(data: &[u8]) {
    let o = Options {
        limits: limits(),
        ..Options::default()
    };
    if let Ok(a) = extract::extract(data, &o) {
        check_claims(&a);
    }
}

/// PDF reading of arbitrary bytes (given a PDF header when they lack one), then the
/// claims: every claim of a PDF carries a page within the document's.
pub fn pdf(data: &[u8]) {
    let mut bytes = data.to_vec();
    if !extract::pdf::is_pdf(&bytes) {
        bytes.splice(0..0, b"%PDF-1.7\n".iter().copied());
    }
    let o = Options {
        limits: limits(),
        ..Options::default()
    };
    if let Ok(a) = extract::extract(&bytes, &o) {
        let found = claims::find(&a);
        for c in &found.claims {
            let page = c.page.map_or(0, |p| p as usize);
            assert!(
                page >= 1 && page <= a.pages.len(),
                "page {page} of {}",
                a.pages.len()
            );
        }
        check_claims(&a);
    }
}

/// Claim parsing (counts, qualifiers, dates, places, people) of arbitrary text.
pub fn claims(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let article = Article::from_text(
        text.into_owned(),
        chrono::NaiveDate::from_ymd_opt(2019, 1, 31),
    );
    check_claims(&article);
}

/// The query pre-check and the query builder, fields split at NUL bytes.
pub fn query(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut f = text.split('\0');
    let mut next = || f.next().filter(|s| !s.is_empty());
    let (q, country, platform, since, until) = (next(), next(), next(), next(), next());
    let _ = search::check_text(&text);
    let req = search::Request {
        text: q,
        country,
        target: country,
        platform,
        since,
        until,
        object: platform,
        qualifier: since,
        sort: until,
        limit: 20,
        ..search::Request::default()
    };
    let _ = req.check(100);
    if let Some(c) = country {
        let _ = search::country_code(c);
    }
    if let Some(d) = since {
        let _ = search::parse_date(d, false);
        let _ = search::parse_date(d, true);
    }
}

/// robots.txt, sitemaps, feeds and in-page links.
pub fn discover(data: &[u8]) {
    let robots = discover::Robots::parse("takedowns", data);
    let _ = robots.allowed("https://example.com/news/story.html");
    let _ = robots.delay();
    let _ = robots.sitemaps();
    let _ = discover::sitemap_urls(data);
    let _ = discover::feed_urls(data);
    if let Ok(base) = url::Url::parse("https://example.com/news/") {
        let _ = discover::page_links(&base, &String::from_utf8_lossy(data));
    }
}

/// URL canonicalisation: a canonical URL is its own canonical form.
pub fn canonical_url(data: &[u8]) {
    let raw = String::from_utf8_lossy(data);
    if let Some(c) = dedup::canonical_url(&raw) {
        assert_eq!(
            dedup::canonical_url(&c).as_deref(),
            Some(c.as_str()),
            "canonical form of {raw:?}"
        );
    }
}

/// WARC reading, plain and gzip: every page read back is named by its own hash.
pub fn warc(data: &[u8]) {
    let plain = Box::new(BufReader::new(Cursor::new(data.to_vec())));
    let gz = Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(
        Cursor::new(data.to_vec()),
    )));
    for input in [plain as Box<dyn std::io::BufRead>, gz] {
        let r = WarcReader::from_reader(Path::new("fuzz.warc"), input, 256 << 10);
        read_all(r);
    }
    // A .warc.gz file is read member by member, resynchronising after a bad member.
    let path = std::env::temp_dir().join(format!(
        "takedowns-fuzz-{}-{:?}.warc.gz",
        std::process::id(),
        std::thread::current().id()
    ));
    if std::fs::write(&path, data).is_ok() {
        if let Ok(r) = WarcReader::open(&path, 256 << 10) {
            read_all(r);
        }
        let _ = std::fs::remove_file(&path);
    }
}

/// Reads every page, going on after bad records as a caller does; the reader must end.
fn read_all(mut r: WarcReader) {
    loop {
        match r.next_page() {
            Ok(Some(page)) => assert_eq!(page.snapshot, SnapshotId::of(&page.payload)),
            Ok(None) => break,
            Err(_) => {}
        }
    }
}
