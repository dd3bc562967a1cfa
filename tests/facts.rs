//! Dedup, facts and verify on a knowledge base built from the fixtures: planted
//! syndicated copies group into one story and distinct reports stay apart; one takedown
//! reported five ways becomes one fact with its independent sources, its primary source
//! and the wrong figure as a conflict; and the verify table gets every verdict right.

use crate::cli::{json_lines, takedowns, takedowns_ok, tempdir};
use crate::{fixtures, support};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn build_kb(name: &str) -> std::path::PathBuf {
    let kb = tempdir(name).join("kb");
    takedowns_ok(&["build", "--json", "--kb", kb.to_str().unwrap()]);
    kb
}

/// The event reported five ways: the fixture pages whose slugs carry its tag.
const EVENT: &str = "irrumk";

fn event_pages() -> Vec<(String, Value)> {
    fixtures::fixture_dirs()
        .into_iter()
        .filter(|d| d.to_string_lossy().contains(EVENT))
        .map(|d| {
            (
                d.file_name().unwrap().to_string_lossy().to_string(),
                fixtures::expected(&d),
            )
        })
        .collect()
}

#[test]
fn one_takedown_reported_five_ways_is_one_fact_with_its_conflict() {
    let pages = event_pages();
    if pages.len() < 5 {
        eprintln!(
            "SKIPPED: the five-page {EVENT} event is not in fixtures/pages yet ({} pages)",
            pages.len()
        );
        return;
    }
    let kb = build_kb("facts-event");
    // The true figure: the platform post's, exact.
    let primary = pages
        .iter()
        .find(|(_, e)| e["kind"] == "platform_blog")
        .expect("platform post");
    let primary_url = primary.1["url"].as_str().unwrap().to_string();
    let wrong = pages
        .iter()
        .find(|(_, e)| e.get("note").is_some())
        .expect("the wrong-figure page");
    let wrong_url = wrong.1["url"].clone();
    let out = takedowns(&[
        "facts",
        "--json",
        "--kb",
        kb.to_str().unwrap(),
        "--limit",
        "10000",
    ]);
    let facts = json_lines(&out).remove(0);
    let f = facts["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["primary_source"].as_str() == Some(primary_url.as_str())
                && f["source_count"].as_u64().unwrap_or(0) >= 4
        })
        .unwrap_or_else(|| panic!("no fact with the platform post as primary and 4 sources"));
    assert_eq!(f["source_count"], 4, "{f:#}");
    assert_eq!(
        f["independent_sources"], 3,
        "wire story and its copy count once: {f:#}"
    );
    let conflicts = f["conflicts"].as_array().unwrap();
    assert!(
        !conflicts.is_empty() && conflicts.iter().all(|c| c["url"] == wrong_url),
        "{f:#}"
    );
}

/// Pairwise precision and recall of story grouping over every fixture page: pages of the
/// same story are the planted syndicated copies (same event tag, same kind, and the copy's
/// expected claims repeat the wire's); everything else must stay apart.
#[test]
fn story_grouping_keeps_copies_together_and_reports_apart() {
    use takedowns::dedup::{PageKey, simhash, stories, text_hash};
    let dirs = fixtures::fixture_dirs();
    let mut keys = Vec::new();
    let mut names = Vec::new();
    for d in &dirs {
        let a = fixtures::extract_fixture(d);
        keys.push(PageKey {
            snapshot: d.file_name().unwrap().to_string_lossy().to_string(),
            url: a.url.as_deref().and_then(takedowns::dedup::canonical_url),
            text_hash: text_hash(&a.body),
            simhash: simhash(&a.body),
            words: a.body.split_whitespace().count(),
            paragraphs: takedowns::dedup::paragraph_hashes(&a.body),
        });
        names.push(d.file_name().unwrap().to_string_lossy().to_string());
    }
    let ids = stories(&keys);
    // Truth: the wire story and its syndicated copy (two news pages of the event with the
    // same claim evidence) are one story; every other pair is two.
    let evidence = |d: &Path| -> Vec<String> {
        fixtures::expected(d)["claims"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["evidence"].as_str().map(str::to_string))
            .collect()
    };
    let ev: Vec<Vec<String>> = dirs.iter().map(|d| evidence(d)).collect();
    let same_truth = |i: usize, j: usize| {
        names[i].contains(EVENT)
            && names[j].contains(EVENT)
            && !ev[i].is_empty()
            && ev[i].iter().filter(|e| ev[j].contains(e)).count() * 2 >= ev[i].len()
    };
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for i in 0..dirs.len() {
        for j in i + 1..dirs.len() {
            match (ids[i] == ids[j], same_truth(i, j)) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fn_ += 1,
                _ => {}
            }
        }
    }
    let precision = if tp + fp == 0 {
        1.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let recall = if tp + fn_ == 0 {
        1.0
    } else {
        tp as f64 / (tp + fn_) as f64
    };
    println!(
        "story grouping over {} fixture pages: {tp} same-story pairs found, {fp} wrong, {fn_} missed; precision {precision:.3}, recall {recall:.3}",
        dirs.len()
    );
    assert_eq!(fp, 0, "distinct reports were merged");
    assert_eq!(fn_, 0, "a syndicated copy was not recognised");
}

#[test]
fn verify_table_gets_every_verdict_right() {
    let table = support::root().join("fixtures/verify.json");
    let Ok(text) = std::fs::read_to_string(&table) else {
        eprintln!("SKIPPED: fixtures/verify.json is absent");
        return;
    };
    let cases: Vec<Value> = serde_json::from_str(&text).expect("verify.json");
    assert!(cases.len() >= 30, "only {} statements", cases.len());
    let kb_dir = build_kb("facts-verify");
    let kb = takedowns::index::Kb::open(&kb_dir, false).unwrap();
    let mut wrong = Vec::new();
    let mut by: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for c in &cases {
        let statement = c["statement"].as_str().unwrap();
        let want = c["verdict"].as_str().unwrap();
        let got = takedowns::search::verify(&kb, statement).unwrap();
        let e = by.entry(want.to_string()).or_default();
        e.1 += 1;
        if got.verdict == want {
            e.0 += 1;
        } else {
            wrong.push(format!(
                "{statement}\n    want {want}, got {} (read as {:?})",
                got.verdict,
                got.parsed
                    .as_ref()
                    .map(|p| (&p.platform, p.count, &p.countries, &p.object))
            ));
        }
    }
    println!("verify table: {:?}", by);
    assert!(
        wrong.is_empty(),
        "{} of {} verdicts wrong:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}
