//! Body extraction measured on the shared benchmark (181 real pages with hand-made
//! ground truth): the F1 must not fall below the pinned floor.

use crate::support;
use std::io::Read;
use takedowns::extract::{self, Options};

#[test]
fn benchmark_f1_holds_the_floor() {
    let Some(dir) = support::shared("bench/article-extraction", "benchmark_f1_holds_the_floor")
    else {
        return;
    };
    let gt_text = std::fs::read_to_string(dir.join("ground-truth.json")).expect("ground truth");
    let gt: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&gt_text).expect("json");
    let mut pairs = Vec::new();
    let mut rows = Vec::new();
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
        let (p, r) = support::page_pr(&pred, &truth);
        rows.push((id.clone(), p.unwrap_or(0.0), r.unwrap_or(0.0)));
        pairs.push((pred, truth));
    }
    let (f1, p, r) = support::corpus_f1(&pairs);
    println!(
        "article-extraction benchmark: {} pages, F1 {f1:.4}, precision {p:.4}, recall {r:.4}",
        pairs.len()
    );
    if let Ok(dump) = std::env::var("TAKEDOWNS_EVAL_DUMP") {
        rows.sort_by(|a, b| (a.1 + a.2).total_cmp(&(b.1 + b.2)));
        let mut report = String::new();
        for (id, p, r) in &rows {
            report.push_str(&format!("{id} p={p:.3} r={r:.3}\n"));
        }
        std::fs::create_dir_all(&dump).ok();
        std::fs::write(format!("{dump}/worst.txt"), report).ok();
        for (id, (pred, _)) in gt.keys().zip(&pairs) {
            std::fs::write(format!("{dump}/{id}.txt"), pred).ok();
        }
    }
    let floor = support::baseline("article_extraction_f1");
    assert!(
        f1 >= floor,
        "benchmark F1 {f1:.4} fell below the pinned floor {floor:.4}"
    );
}
