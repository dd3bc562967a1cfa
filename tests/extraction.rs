//! Body extraction measured on the shared benchmarks: the 181 real pages with hand-made
//! ground truth, and the 130 pages of Mozilla Readability's suite. Each F1 must not fall
//! below its pinned floor, and no page whose gold has prose may come back empty.

use crate::support;
use std::io::Read;
use std::path::Path;
use takedowns::extract::{self, Options};

/// One page's extracted body against its gold.
struct Scored {
    id: String,
    pred: String,
    truth: String,
}

/// Extracts every page of a shared set (`html/<id>.html.gz` + `ground-truth.json`).
fn run_set(dir: &Path) -> Vec<Scored> {
    let gt_text = std::fs::read_to_string(dir.join("ground-truth.json")).expect("ground truth");
    let gt: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&gt_text).expect("json");
    let mut out = Vec::new();
    for (id, v) in &gt {
        let truth = v["articleBody"].as_str().unwrap_or_default().to_string();
        let url = v["url"].as_str().map(str::to_string);
        let path = dir.join("html").join(format!("{id}.html.gz"));
        let mut bytes = Vec::new();
        let f = std::fs::File::open(&path).expect("page");
        flate2::read::GzDecoder::new(f)
            .read_to_end(&mut bytes)
            .expect("gunzip");
        let opts = Options {
            url,
            ..Options::default()
        };
        let pred = extract::extract(&bytes, &opts)
            .map(|a| a.body)
            .unwrap_or_default();
        out.push(Scored {
            id: id.clone(),
            pred,
            truth,
        });
    }
    out
}

/// Prints the set's score and its worst pages; with `TAKEDOWNS_EVAL_DUMP=DIR`, writes
/// `DIR/<name>/worst.txt` and every page's body as `DIR/<name>/<id>.txt`. Returns F1.
fn report(name: &str, pages: &[Scored]) -> f64 {
    let pairs: Vec<(String, String)> = pages
        .iter()
        .map(|s| (s.pred.clone(), s.truth.clone()))
        .collect();
    let (f1, p, r) = support::corpus_f1(&pairs);
    println!(
        "{name}: {} pages, F1 {f1:.4}, precision {p:.4}, recall {r:.4}, empty bodies {}",
        pages.len(),
        pages.iter().filter(|s| s.pred.trim().is_empty()).count()
    );
    let mut rows: Vec<(&str, f64, f64)> = pages
        .iter()
        .map(|s| {
            let (p, r) = support::page_pr(&s.pred, &s.truth);
            (s.id.as_str(), p.unwrap_or(0.0), r.unwrap_or(0.0))
        })
        .collect();
    rows.sort_by(|a, b| (a.1 + a.2).total_cmp(&(b.1 + b.2)));
    for (id, p, r) in rows.iter().take(8) {
        println!("  worst: {id} p={p:.3} r={r:.3}");
    }
    if let Ok(dump) = std::env::var("TAKEDOWNS_EVAL_DUMP") {
        let dir = Path::new(&dump).join(name);
        std::fs::create_dir_all(&dir).ok();
        let list: String = rows
            .iter()
            .map(|(id, p, r)| format!("{id} p={p:.3} r={r:.3}\n"))
            .collect();
        std::fs::write(dir.join("worst.txt"), list).ok();
        for s in pages {
            std::fs::write(dir.join(format!("{}.txt", s.id)), &s.pred).ok();
            std::fs::write(dir.join(format!("{}.gold.txt", s.id)), &s.truth).ok();
        }
    }
    f1
}

#[test]
fn benchmark_f1_holds_the_floor() {
    let Some(dir) = support::shared("bench/article-extraction", "benchmark_f1_holds_the_floor")
    else {
        return;
    };
    let pages = run_set(&dir);
    let f1 = report("article-extraction", &pages);
    let floor = support::baseline("article_extraction_f1");
    assert!(
        f1 >= floor,
        "benchmark F1 {f1:.4} fell below the pinned floor {floor:.4}"
    );
}

#[test]
fn readability_pages_f1_holds_the_floor() {
    let Some(dir) = support::shared(
        "bench/readability-test-pages",
        "readability_pages_f1_holds_the_floor",
    ) else {
        return;
    };
    let pages = run_set(&dir);
    let f1 = report("readability-test-pages", &pages);
    // A page with an article never comes back empty.
    let empty: Vec<&str> = pages
        .iter()
        .filter(|s| s.pred.trim().is_empty() && support::tokens(&s.truth).len() > 50)
        .map(|s| s.id.as_str())
        .collect();
    let floor = support::baseline("readability_pages_f1");
    assert!(
        f1 >= floor,
        "readability pages F1 {f1:.4} fell below the pinned floor {floor:.4}"
    );
    assert!(
        empty.is_empty(),
        "empty body on pages whose gold has more than 50 words: {empty:?}"
    );
}

/// Every layout fixture (`fixtures/layouts/<name>/page.html`) extracts to its
/// `body.golden.txt`, byte for byte (re-bless with `TAKEDOWNS_BLESS=1` after review).
#[test]
fn layout_fixtures_match_their_golden_bodies() {
    let mut dirs: Vec<_> = std::fs::read_dir(support::root().join("fixtures/layouts"))
        .expect("fixtures/layouts")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("page.html").exists())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 2, "only {} layout fixtures", dirs.len());
    let mut changed = Vec::new();
    for dir in &dirs {
        let bytes = std::fs::read(dir.join("page.html")).expect("page");
        let got = extract::extract(&bytes, &Options::default())
            .map(|a| a.body)
            .unwrap_or_default()
            + "\n";
        if !support::matches_golden(&dir.join("body.golden.txt"), &got) {
            changed.push(format!("{}:\n{got}", dir.display()));
        }
    }
    assert!(
        changed.is_empty(),
        "extracted body differs from body.golden.txt in:\n{}",
        changed.join("\n")
    );
}
