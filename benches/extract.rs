//! Extraction throughput on the 181 pages of `../shared/bench/article-extraction/`, one
//! core, pages preloaded, next to the bare `scraper::Html::parse_document` time on the
//! same pages (the floor for any scraper-based extractor).
//!
//! `cargo bench --bench extract` (add `-- --rounds N` for more rounds, `-- --quick` for one). Prints a table and,
//! last, one JSON line.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use takedowns::extract::{self, Options};

struct Page {
    bytes: Vec<u8>,
    text: String,
    url: Option<String>,
}

fn load() -> Option<Vec<Page>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/article-extraction");
    let gt_text = std::fs::read_to_string(dir.join("ground-truth.json")).ok()?;
    let gt: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&gt_text).ok()?;
    let mut pages = Vec::new();
    for (id, v) in &gt {
        let f = std::fs::File::open(dir.join("html").join(format!("{id}.html.gz"))).ok()?;
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(f)
            .read_to_end(&mut bytes)
            .ok()?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        pages.push(Page {
            bytes,
            text,
            url: v["url"].as_str().map(str::to_string),
        });
    }
    Some(pages)
}

/// Runs `f` over every page `rounds` times; returns the best round and per-page times
/// of that round.
fn time_rounds(
    pages: &[Page],
    rounds: usize,
    mut f: impl FnMut(&Page) -> usize,
) -> (Duration, Vec<Duration>, usize) {
    let mut best = Duration::MAX;
    let mut best_pages = Vec::new();
    let mut sink = 0usize;
    for _ in 0..rounds {
        let mut per = Vec::with_capacity(pages.len());
        let start = Instant::now();
        for p in pages {
            let t = Instant::now();
            sink = sink.wrapping_add(f(p));
            per.push(t.elapsed());
        }
        let total = start.elapsed();
        if total < best {
            best = total;
            best_pages = per;
        }
    }
    (best, best_pages, sink)
}

fn pct(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let k = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[k].as_secs_f64() * 1000.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rounds = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(if args.iter().any(|a| a == "--quick") {
            1
        } else {
            5
        });
    let Some(pages) = load() else {
        eprintln!("SKIPPED: ../shared/bench/article-extraction is absent");
        return;
    };
    let n = pages.len();
    // Warm-up: page in code and allocator state.
    for p in &pages {
        let _ = extract::extract(&p.bytes, &Options::default());
    }
    let (parse, parse_per, s1) = time_rounds(&pages, rounds, |p| {
        let html = scraper::Html::parse_document(&p.text);
        html.tree.nodes().count()
    });
    let (ext, ext_per, s2) = time_rounds(&pages, rounds, |p| {
        let opts = Options {
            url: p.url.clone(),
            ..Options::default()
        };
        extract::extract(&p.bytes, &opts)
            .map(|a| a.body.len())
            .unwrap_or(0)
    });
    // Claims on top of extraction: the articles are extracted once, then only the claim
    // scan is timed, so its share of the whole is measured directly.
    let articles: Vec<extract::Article> = pages
        .iter()
        .filter_map(|p| {
            extract::extract(
                &p.bytes,
                &Options {
                    url: p.url.clone(),
                    ..Options::default()
                },
            )
            .ok()
        })
        .collect();
    let mut best_claims = Duration::MAX;
    let mut claim_count = 0usize;
    for _ in 0..rounds {
        let t = Instant::now();
        let mut c = 0usize;
        for a in &articles {
            c += takedowns::claims::find(a).claims.len();
        }
        best_claims = best_claims.min(t.elapsed());
        claim_count = c;
    }
    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    let mut pp = parse_per.clone();
    pp.sort();
    let mut ep = ext_per.clone();
    ep.sort();
    println!("{n} pages, best of {rounds} rounds, one core");
    println!(
        "{:<34} {:>9} {:>10} {:>9} {:>9}",
        "", "pages/s", "total ms", "p50 ms", "p99 ms"
    );
    println!(
        "{:<34} {:>9.0} {:>10.1} {:>9.2} {:>9.2}",
        "scraper::Html::parse_document",
        rate(parse),
        parse.as_secs_f64() * 1000.0,
        pct(&pp, 0.5),
        pct(&pp, 0.99)
    );
    println!(
        "{:<34} {:>9.0} {:>10.1} {:>9.2} {:>9.2}",
        "takedowns extract (decode→body)",
        rate(ext),
        ext.as_secs_f64() * 1000.0,
        pct(&ep, 0.5),
        pct(&ep, 0.99)
    );
    let ratio = ext.as_secs_f64() / parse.as_secs_f64();
    let claims_share = best_claims.as_secs_f64() / ext.as_secs_f64();
    println!(
        "{:<34} {:>9.0} {:>10.1}   (+{:.1}% of extract time; {claim_count} claims on these pages)",
        "claims::find on extracted articles",
        rate(best_claims),
        best_claims.as_secs_f64() * 1000.0,
        claims_share * 100.0
    );
    println!("extract / parse time: {ratio:.2}x   (checksum {})", s1 ^ s2);
    // The bulk pre-filter: extraction and claims for every page, against the pre-filter
    // on every page and extraction and claims only for the pages it passes.
    let full = |p: &Page| {
        let opts = Options {
            url: p.url.clone(),
            ..Options::default()
        };
        extract::extract(&p.bytes, &opts)
            .map(|a| takedowns::claims::find(&a).claims.len() + 1)
            .unwrap_or(0)
    };
    let (all, _, _) = time_rounds(&pages, rounds, full);
    let (filtered, _, _) = time_rounds(&pages, rounds, |p| {
        if takedowns::claims::lexicon::may_hold_claims_raw(&p.bytes) {
            full(p)
        } else {
            0
        }
    });
    let (only, _, _) = time_rounds(&pages, rounds, |p| {
        usize::from(takedowns::claims::lexicon::may_hold_claims_raw(&p.bytes))
    });
    println!(
        "pre-filter alone: {:.1} ms for {n} pages",
        only.as_secs_f64() * 1000.0
    );
    let passed = pages
        .iter()
        .filter(|p| takedowns::claims::lexicon::may_hold_claims_raw(&p.bytes))
        .count();
    println!(
        "pre-filter: {passed} of {n} pages pass; extract+claims {:.1} ms for all, {:.1} ms with the pre-filter ({:.2}x faster)",
        all.as_secs_f64() * 1000.0,
        filtered.as_secs_f64() * 1000.0,
        all.as_secs_f64() / filtered.as_secs_f64()
    );
    println!(
        "{}",
        serde_json::json!({
            "pages": n, "rounds": rounds,
            "parse_pages_per_sec": (rate(parse) * 10.0).round() / 10.0,
            "extract_pages_per_sec": (rate(ext) * 10.0).round() / 10.0,
            "extract_over_parse": (ratio * 1000.0).round() / 1000.0,
            "extract_p50_ms": pct(&ep, 0.5), "extract_p99_ms": pct(&ep, 0.99),
            "claims_share_of_extract": (claims_share * 1000.0).round() / 1000.0,
        })
    );
}
