//! The fuzz targets' bodies (`src/fuzzing.rs`) under proptest on stable, with inputs
//! shaped like what each stage reads (markup, takedown sentences, queries, robots and
//! sitemaps, URLs, WARC records) as well as raw bytes; and every input the fuzzers found
//! once, kept under `fixtures/fuzz/<target>/`, replayed.

use crate::support;
use proptest::prelude::*;
use takedowns::fuzzing;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 200,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Markup-ish text: tags (closed, unclosed, misnested), entities and takedown words.
fn markup() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "<(div|p|b|i|article|main|script|style|table|td|li|h1|time|meta)( [a-z]{1,8}=\"[^\"]{0,12}\")?>",
            "</(div|p|b|i|article|main|script|style|table|td|li|h1)>",
            "(Twitter|Facebook|Meta|TikTok) (removed|suspended|took down) (more than |about |nearly )?[0-9,]{1,12} (accounts|Pages|groups|channels)",
            " (in|from|linked to|targeting) (Iran|Russia|China|the United States|Venezuela)",
            " on (Monday|Thursday|January 31|31 January 2019|2019-01-31)[.,] ",
            "&(amp|lt|gt|nbsp|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});",
            "[ -~]{0,30}",
            "\\PC{0,10}",
        ],
        0..120,
    )
    .prop_map(|parts| parts.concat())
}

fn sentences() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "(Twitter|X|Facebook|Instagram|YouTube|Google|Meta|OpenAI) said (on (Monday|Friday) )?(that )?it (had )?(removed|suspended|banned|taken down|disrupted) ",
            "(more than|over|about|nearly|at least|up to|some|roughly|a dozen|thousands of|hundreds of|1e309|99999999999999999999|[0-9]{1,3}(,[0-9]{3}){0,4}|[0-9]{1,20}(\\.[0-9]{1,3})? (million|billion|thousand)?) ",
            "(accounts|Pages|channels|networks|bots|groups) ",
            "(based in|from|linked to|run from|targeting|aimed at) (Iran|Russia|China|Egypt|the UAE|Saudi Arabia|Israel|Mexico) ",
            "(last week|in January|on January 31|earlier this year|in 2019|a day earlier|the same day)",
            ", (Nathaniel Gleicher|Yoel Roth|Ben Nimmo), (head of cybersecurity policy|a spokesperson), (said|told reporters)",
            "(\\.|;|:|\\?|!|\\n\\n| — |\")",
            "[ -~]{0,12}",
        ],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

fn warc_records() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        (
            "(response|resource|request|metadata|warcinfo|bogus)",
            "(HTTP/1\\.1 (200|404|500) OK\r\nContent-Type: (text/html|image/png|text/plain)\r\n\r\n)?",
            "(<html><body><p>[ -~]{0,40}</p></body></html>|[ -~]{0,40})",
            prop::option::of(0usize..200),
            any::<bool>(),
        ),
        0..6,
    )
    .prop_map(|recs| {
        let mut out = Vec::new();
        for (kind, http, body, len, truncated) in recs {
            let block = format!("{http}{body}");
            let len = len.unwrap_or(block.len());
            out.extend_from_slice(
                format!(
                    "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: https://example.com/a\r\n{}Content-Length: {len}\r\n\r\n{block}\r\n\r\n",
                    if truncated { "WARC-Truncated: length\r\n" } else { "" }
                )
                .as_bytes(),
            );
        }
        out
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn extract_never_panics(html in markup(), bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        fuzzing::extract(html.as_bytes());
        fuzzing::extract(&bytes);
    }

    #[test]
    fn claims_keep_their_spans(text in sentences()) {
        fuzzing::claims(text.as_bytes());
    }

    #[test]
    fn queries_are_checked_without_panics(
        q in "[ -~]{0,80}|\\({0,40}[a-z ]{0,10}\\){0,40}|[a-z]{1,10}:\"[^\"]{0,10}",
        rest in prop::collection::vec("[ -~]{0,12}|\\PC{0,6}", 0..5),
    ) {
        let joined = std::iter::once(q).chain(rest).collect::<Vec<_>>().join("\0");
        fuzzing::query(joined.as_bytes());
    }

    #[test]
    fn robots_sitemaps_and_feeds_never_panic(
        lines in prop::collection::vec(
            "(User-agent|Disallow|Allow|Sitemap|Crawl-delay|Host|#): ?[ -~]{0,40}|<(loc|sitemap|url|urlset|sitemapindex|rss|channel|item|link|feed|entry)>[ -~]{0,30}",
            0..40,
        ),
    ) {
        fuzzing::discover(lines.join("\n").as_bytes());
    }

    #[test]
    fn canonical_urls_are_fixed_points(
        u in "(https?|ftp|javascript|HTTP)://([a-zA-Z0-9.-]{0,20}|\\[::1\\]|[0-9.]{7,15})(:[0-9]{1,6})?(/[a-zA-Z0-9%._~!$&'()*+,;=:@-]{0,12}){0,4}(\\?[a-z_]{1,8}=[a-zA-Z0-9%]{0,8}(&[a-z_]{1,8}=[0-9]{0,3}){0,3})?(#[ -~]{0,8})?",
        raw in "\\PC{0,40}",
    ) {
        fuzzing::canonical_url(u.as_bytes());
        fuzzing::canonical_url(raw.as_bytes());
    }

    #[test]
    fn mutated_pdfs_never_panic(
        base in 0usize..4,
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..12),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = pdf_seeds()[base].clone();
        for (at, b) in edits {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        let keep = cut.index(bytes.len() + 1).max(bytes.len() / 2);
        fuzzing::pdf(&bytes[..keep.min(bytes.len())]);
    }

    #[test]
    fn warc_reading_never_panics(records in warc_records(), cut in 0usize..2000) {
        fuzzing::warc(&records);
        fuzzing::warc(&records[..cut.min(records.len())]);
    }
}

/// Small PDFs to mutate: a two-page report and three hostile shapes.
fn pdf_seeds() -> Vec<Vec<u8>> {
    let report = crate::pdfgen::story_report(
        "Report",
        "2019-01-31",
        "Twitter suspended 2,617 accounts in Iran on Thursday.\n\nFacebook removed 783 Pages.",
        &[2],
    );
    let hostile = crate::pdfgen::hostile();
    let pick = |n: &str| {
        hostile
            .iter()
            .find(|c| c.0 == n)
            .map(|c| c.1.clone())
            .unwrap()
    };
    vec![
        report,
        pick("page-tree-cycle.pdf"),
        pick("form-xobject-draws-itself.pdf"),
        pick("tounicode-wide-ranges.pdf"),
    ]
}

#[test]
fn every_kept_fuzz_finding_replays_cleanly() {
    let dir = support::root().join("fixtures/fuzz");
    type Body = fn(&[u8]);
    let targets: [(&str, Body); 7] = [
        ("extract", fuzzing::extract),
        ("claims", fuzzing::claims),
        ("query", fuzzing::query),
        ("discover", fuzzing::discover),
        ("canonical_url", fuzzing::canonical_url),
        ("warc", fuzzing::warc),
        ("pdf", fuzzing::pdf),
    ];
    let mut replayed = 0;
    for (name, body) in targets {
        let Ok(entries) = std::fs::read_dir(dir.join(name)) else {
            continue;
        };
        for e in entries.flatten() {
            if e.path().extension().is_some_and(|x| x == "md") {
                continue;
            }
            body(&std::fs::read(e.path()).unwrap());
            replayed += 1;
        }
    }
    eprintln!("replayed {replayed} kept fuzz findings");
    assert!(
        replayed >= 1,
        "fixtures/fuzz holds the findings; none were read"
    );
}
