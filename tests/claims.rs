//! Claim extraction scored as `../shared/claims-dev/README.md` describes, on the claims-dev
//! pages (read in place) and on our own fixtures: precision, recall, F1, per-field
//! accuracy and trap numbers taken. Each score is held to the floor pinned in
//! `tests/baseline.json`, which only rises.

use crate::{fixtures, support};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use takedowns::claims;
use takedowns::extract::{self, Options};

/// One document's gold and predictions.
struct Doc {
    name: String,
    gold: Vec<Value>,
    pred: Vec<Value>,
    traps: Vec<i64>,
}

fn platform_id(v: &Value) -> String {
    match v.as_str().unwrap_or("") {
        "meta" => "facebook".into(),
        "x" => "twitter".into(),
        p => p.into(),
    }
}

fn codes(v: &Value) -> Vec<String> {
    let mut c: Vec<String> = v
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect();
    c.sort();
    c.dedup();
    c
}

fn key_match(g: &Value, p: &Value) -> bool {
    let (gc, pc) = (codes(&g["countries"]), codes(&p["countries"]));
    platform_id(&g["platform"]) == platform_id(&p["platform"])
        && g["count"] == p["count"]
        && g["negated"].as_bool().unwrap_or(false) == p["negated"].as_bool().unwrap_or(false)
        && ((gc.is_empty() && pc.is_empty()) || gc.iter().any(|c| pc.contains(c)))
}

fn norm_obj(v: &Value) -> String {
    v.as_str()
        .unwrap_or("")
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

const FIELDS: [&str; 6] = [
    "countries",
    "targets",
    "qualifier",
    "object",
    "date",
    "spokesperson",
];

fn field_ok(field: &str, g: &Value, p: &Value) -> bool {
    match field {
        "countries" | "targets" => codes(&g[field]) == codes(&p[field]),
        "object" => norm_obj(&g[field]) == norm_obj(&p[field]),
        _ => g[field] == p[field],
    }
}

/// Totals over documents.
#[derive(Default)]
struct Score {
    tp: usize,
    fp: usize,
    fn_: usize,
    traps: usize,
    fields: BTreeMap<&'static str, (usize, usize)>,
    misses: Vec<String>,
    /// Right and wrong predictions by their confidence.
    by_confidence: BTreeMap<String, (usize, usize)>,
}

impl Score {
    fn add(&mut self, doc: &Doc) {
        let required: Vec<&Value> = doc
            .gold
            .iter()
            .filter(|g| !g["optional"].as_bool().unwrap_or(false))
            .collect();
        let optional: Vec<&Value> = doc
            .gold
            .iter()
            .filter(|g| g["optional"].as_bool().unwrap_or(false))
            .collect();
        // Closest pairs first: candidate pairs ranked by how many other fields agree.
        let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
        for (gi, g) in required.iter().enumerate() {
            for (pi, p) in doc.pred.iter().enumerate() {
                if key_match(g, p) {
                    let agree = FIELDS.iter().filter(|f| field_ok(f, g, p)).count();
                    pairs.push((agree, gi, pi));
                }
            }
        }
        pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut g_used = vec![false; required.len()];
        let mut p_used = vec![false; doc.pred.len()];
        for (_, gi, pi) in pairs {
            if g_used[gi] || p_used[pi] {
                continue;
            }
            g_used[gi] = true;
            p_used[pi] = true;
            self.tp += 1;
            for f in FIELDS {
                let e = self.fields.entry(f).or_default();
                e.1 += 1;
                if field_ok(f, required[gi], &doc.pred[pi]) {
                    e.0 += 1;
                } else {
                    self.misses.push(format!(
                        "{} FIELD {f}: got {} want {} :: {}",
                        doc.name,
                        doc.pred[pi][f],
                        required[gi][f],
                        short(&required[gi]["evidence"])
                    ));
                }
            }
        }
        // Predictions that match an optional claim are neither right nor wrong.
        for (pi, p) in doc.pred.iter().enumerate() {
            let level = p["confidence"].as_str().unwrap_or("?").to_string();
            if p_used[pi] {
                self.by_confidence.entry(level).or_default().0 += 1;
                continue;
            }
            if optional.iter().any(|g| key_match(g, p)) {
                continue;
            }
            self.by_confidence.entry(level).or_default().1 += 1;
            self.fp += 1;
            if p["count"].as_i64().is_some_and(|c| doc.traps.contains(&c)) {
                self.traps += 1;
                self.misses.push(format!(
                    "{} TRAP {} :: {}",
                    doc.name,
                    p["count"],
                    short(&p["evidence"])
                ));
            }
            self.misses.push(format!(
                "{} FP {} {} {} {} :: {}",
                doc.name,
                p["platform"],
                p["count"],
                p["countries"],
                p["object"],
                short(&p["evidence"])
            ));
        }
        for (gi, g) in required.iter().enumerate() {
            if !g_used[gi] {
                self.fn_ += 1;
                self.misses.push(format!(
                    "{} FN {} {} {} {} :: {}",
                    doc.name,
                    g["platform"],
                    g["count"],
                    g["countries"],
                    g["object"],
                    short(&g["evidence"])
                ));
            }
        }
    }

    fn prf(&self) -> (f64, f64, f64) {
        let p = self.tp as f64 / (self.tp + self.fp).max(1) as f64;
        let r = self.tp as f64 / (self.tp + self.fn_).max(1) as f64;
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    }

    fn report(&self, label: &str) -> String {
        let (p, r, f) = self.prf();
        let mut s = format!(
            "{label}: F1 {f:.3} (precision {p:.3}, recall {r:.3}; tp {}, fp {}, fn {}), trap numbers taken: {}\n  fields:",
            self.tp, self.fp, self.fn_, self.traps
        );
        for (name, (ok, n)) in &self.fields {
            s.push_str(&format!(" {name} {:.3}", *ok as f64 / (*n).max(1) as f64));
        }
        s
    }

    fn field(&self, name: &str) -> f64 {
        self.fields
            .get(name)
            .map(|(ok, n)| *ok as f64 / (*n).max(1) as f64)
            .unwrap_or(0.0)
    }
}

fn short(v: &Value) -> String {
    v.as_str().unwrap_or("").chars().take(90).collect()
}

/// Claims of one page as `extract --json` prints them.
fn predict(bytes: &[u8]) -> Vec<Value> {
    let article = extract::extract(bytes, &Options::default()).expect("extract");
    let found = claims::find(&article);
    found
        .claims
        .iter()
        .map(|c| serde_json::to_value(c).expect("claim json"))
        .collect()
}

fn doc_from(name: String, gold: &Value, bytes: &[u8]) -> Doc {
    Doc {
        name,
        gold: gold["claims"].as_array().cloned().unwrap_or_default(),
        pred: predict(bytes),
        traps: gold["traps"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_i64)
            .collect(),
    }
}

fn score_dir(docs: &[Doc], label: &str) -> Score {
    let mut s = Score::default();
    for d in docs {
        s.add(d);
    }
    println!("{}", s.report(label));
    if let Ok(path) = std::env::var("TAKEDOWNS_CLAIMS_DUMP") {
        let text = s.misses.join("\n");
        std::fs::write(format!("{path}.{label}.txt"), text).ok();
    }
    s
}

fn claims_dev_docs(dir: &Path) -> Vec<Doc> {
    let mut pages: Vec<_> = std::fs::read_dir(dir)
        .expect("claims-dev")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    pages
        .iter()
        .map(|p| {
            let gold: Value = serde_json::from_str(
                &std::fs::read_to_string(p.with_extension("json")).expect("gold"),
            )
            .expect("json");
            doc_from(
                p.file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("?")
                    .to_string(),
                &gold,
                &std::fs::read(p).expect("page"),
            )
        })
        .collect()
}

#[test]
fn claims_dev_scores_hold_the_floor() {
    let Some(dir) = support::shared("claims-dev", "claims_dev_scores_hold_the_floor") else {
        return;
    };
    let s = score_dir(&claims_dev_docs(&dir), "claims-dev");
    let (_, _, f1) = s.prf();
    assert_eq!(s.traps, 0, "trap numbers taken on claims-dev");
    assert!(
        f1 >= support::baseline("claims_dev_f1"),
        "claims-dev F1 {f1:.3} fell below the floor"
    );
    for f in FIELDS {
        let key = format!("claims_dev_{f}");
        assert!(
            s.field(f) >= support::baseline(&key),
            "claims-dev {f} accuracy {:.3} fell below the floor",
            s.field(f)
        );
    }
}

/// Stories written after the rules were tuned, by someone who did not see the rules or
/// the other fixtures: the honest estimate of how unseen stories score. Scored, never
/// tuned against; the floor guards against regressions only.
#[test]
fn holdout_claim_scores_hold_the_floor() {
    score_holdout("holdout", "holdout_claims_f1");
}

/// The second held-out set: written after every rule so far, scored, never tuned on.
#[test]
fn second_holdout_claim_scores_hold_the_floor() {
    score_holdout("holdout2", "holdout2_claims_f1");
}

fn score_holdout(folder: &str, floor_key: &str) {
    let dir = support::root().join("fixtures").join(folder);
    let mut dirs: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/holdout")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("page.html").is_file())
        .collect();
    dirs.sort();
    let docs: Vec<Doc> = dirs
        .iter()
        .map(|d| {
            let gold = fixtures::expected(d);
            doc_from(
                d.file_name()
                    .and_then(|s| s.to_str())
                    .unwrap_or("?")
                    .to_string(),
                &gold,
                &std::fs::read(d.join("page.html")).expect("page"),
            )
        })
        .collect();
    let s = score_dir(&docs, folder);
    let (_, _, f1) = s.prf();
    assert_eq!(s.traps, 0, "trap numbers taken on {folder}");
    assert!(
        f1 >= support::baseline(floor_key),
        "{folder} claims F1 {f1:.3} fell below the floor"
    );
}

/// The real-text set (`realtext/`): annotations of published passages, whose text is
/// never in the repository. `TAKEDOWNS_REALTEXT` names the folder `realtext/prepare.py`
/// wrote (pages and `index.tsv`); without it the test says so and skips. Prints the score,
/// per-field accuracy and the misses by the constructions the annotators tagged; the
/// floor in `tests/baseline.json` only rises.
#[test]
fn realtext_claim_scores_hold_the_floor() {
    let Some(dir) = std::env::var_os("TAKEDOWNS_REALTEXT")
        .map(std::path::PathBuf::from)
        .filter(|d| d.join("index.tsv").is_file())
    else {
        eprintln!(
            "SKIPPED realtext_claim_scores_hold_the_floor: set TAKEDOWNS_REALTEXT to the pages realtext/prepare.py writes"
        );
        return;
    };
    let index = std::fs::read_to_string(dir.join("index.tsv")).expect("index.tsv");
    let files: BTreeMap<String, String> = index
        .lines()
        .filter_map(|l| {
            let mut f = l.split('\t');
            let file = f.next()?.to_string();
            Some((f.next()?.to_string(), file))
        })
        .collect();
    let mut docs = Vec::new();
    let mut tags: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for set in ["set-a", "set-b", "set-c"] {
        let path = support::root().join(format!("realtext/{set}.jsonl"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let gold: Value = serde_json::from_str(line).expect("annotation");
            let url = gold["url"].as_str().unwrap_or("");
            let Some(file) = files.get(url) else {
                eprintln!("realtext: no page for {url}");
                continue;
            };
            let doc = doc_from(
                url.to_string(),
                &gold,
                &std::fs::read(dir.join(file)).expect("page"),
            );
            let mut one = Score::default();
            one.add(&doc);
            for t in gold["constructions"].as_array().into_iter().flatten() {
                let e = tags
                    .entry(t.as_str().unwrap_or("?").to_string())
                    .or_default();
                e.0 += one.tp;
                e.1 += one.fp;
                e.2 += one.fn_;
            }
            docs.push(doc);
        }
    }
    let s = score_dir(&docs, "realtext");
    for (level, (right, wrong)) in &s.by_confidence {
        println!(
            "realtext: confidence {level}: precision {:.3} ({right} right, {wrong} wrong)",
            *right as f64 / (right + wrong).max(1) as f64
        );
    }
    println!(
        "realtext: {} passages; by construction (tp/fp/fn):",
        docs.len()
    );
    for (t, (tp, fp, fn_)) in &tags {
        println!("  {t:<40} {tp:>4} {fp:>4} {fn_:>4}");
    }
    let (_, _, f1) = s.prf();
    assert!(
        f1 >= support::baseline("realtext_claims_f1"),
        "real-text claims F1 {f1:.3} fell below the floor"
    );
}

#[test]
fn fixture_claim_scores_hold_the_floor() {
    let docs: Vec<Doc> = fixtures::fixture_dirs()
        .iter()
        .map(|d| {
            let gold = fixtures::expected(d);
            doc_from(
                d.file_name()
                    .and_then(|s| s.to_str())
                    .unwrap_or("?")
                    .to_string(),
                &gold,
                &std::fs::read(d.join("page.html")).expect("page"),
            )
        })
        .collect();
    let s = score_dir(&docs, "fixtures");
    let (_, _, f1) = s.prf();
    assert_eq!(s.traps, 0, "trap numbers taken on fixtures");
    assert!(
        f1 >= support::baseline("fixtures_claims_f1"),
        "fixture claims F1 {f1:.3} fell below the floor"
    );
    for f in FIELDS {
        let key = format!("fixtures_{f}");
        assert!(
            s.field(f) >= support::baseline(&key),
            "fixtures {f} accuracy {:.3} fell below the floor",
            s.field(f)
        );
    }
}

/// Every page we have that yields a claim, from the fixtures and the shared dev set;
/// whether the dev set was there.
fn pages_with_claims() -> (Vec<(String, Vec<u8>)>, bool) {
    let root = support::root();
    let mut files = Vec::new();
    for dir in ["fixtures/pages", "fixtures/holdout", "fixtures/holdout2"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
            files.push(e.path().join("page.html"));
        }
    }
    for dir in ["fixtures/hostile", "fixtures/serve"] {
        files.extend(
            std::fs::read_dir(root.join(dir))
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "html")),
        );
    }
    let dev = support::shared("claims-dev", "prefilter recall on the dev set");
    if let Some(dev) = &dev {
        files.extend(
            std::fs::read_dir(dev)
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "html")),
        );
    }
    let pages = files
        .into_iter()
        .filter_map(|f| {
            let bytes = std::fs::read(&f).ok()?;
            let a = extract::extract(&bytes, &Options::default()).ok()?;
            (!takedowns::claims::find(&a).claims.is_empty())
                .then(|| (f.display().to_string(), bytes))
        })
        .collect();
    (pages, dev.is_some())
}

#[test]
fn the_prefilter_loses_no_page_that_holds_a_claim() {
    let (pages, with_dev) = pages_with_claims();
    // The fixtures alone hold 79 pages with claims; the shared dev set adds ten.
    let floor = if with_dev { 85 } else { 75 };
    assert!(
        pages.len() >= floor,
        "{} pages, dev set: {with_dev}",
        pages.len()
    );
    let lost: Vec<&String> = pages
        .iter()
        .filter(|(_, b)| !takedowns::claims::lexicon::may_hold_claims_raw(b))
        .map(|(f, _)| f)
        .collect();
    eprintln!(
        "prefilter: {} of {} pages with claims pass",
        pages.len() - lost.len(),
        pages.len()
    );
    assert!(
        lost.is_empty(),
        "the pre-filter drops pages with claims: {lost:?}"
    );
    // And it does drop pages without the vocabulary.
    assert!(!takedowns::claims::lexicon::may_hold_claims_raw(
        b"<html><body><p>The council removed the old bridge.</p></body></html>"
    ));
    if let Some(bench) =
        support::shared("bench/article-extraction/html", "prefilter on general news")
    {
        let (mut pass, mut all) = (0, 0);
        for e in std::fs::read_dir(bench).unwrap().flatten() {
            let mut b = Vec::new();
            std::io::Read::read_to_end(
                &mut flate2::read::MultiGzDecoder::new(std::fs::File::open(e.path()).unwrap()),
                &mut b,
            )
            .unwrap();
            all += 1;
            pass += usize::from(takedowns::claims::lexicon::may_hold_claims_raw(&b));
        }
        eprintln!("prefilter: {pass} of {all} general news pages pass");
    }
}
