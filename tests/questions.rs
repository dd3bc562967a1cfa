//! The questions analysts ask, through the real binary on the demo knowledge base:
//! target, platform families, object, qualifier and negation filters; sorting by count
//! and date both ways; paging with `total`, `offset` and `limit` in every answer.

use crate::cli::{takedowns, takedowns_ok, tempdir};
use crate::kb::search;
use serde_json::Value;
use std::sync::OnceLock;

/// The demo knowledge base, built once for this module's tests.
fn demo_kb() -> &'static str {
    static KB: OnceLock<String> = OnceLock::new();
    KB.get_or_init(|| {
        let kb = tempdir("questions").join("kb");
        takedowns_ok(&["build", "--json", "--kb", kb.to_str().unwrap()]);
        kb.display().to_string()
    })
}

fn hits(v: &Value) -> &Vec<Value> {
    v["hits"].as_array().unwrap()
}

fn strings(v: &Value, k: &str) -> Vec<String> {
    v[k].as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn search_sorts_by_count_and_date_both_ways_and_says_which_of_how_many() {
    let kb = demo_kb();
    let by_count = search(kb, &["--country", "RU", "--sort", "count"]);
    let counts: Vec<Option<u64>> = hits(&by_count)
        .iter()
        .map(|h| h["count"].as_u64())
        .collect();
    assert!(counts.len() > 3, "{counts:?}");
    // Largest first, reports without a figure last.
    let mut sorted = counts.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(counts, sorted);
    assert_eq!(by_count["offset"], 0);
    assert_eq!(by_count["limit"], 100);
    let total = by_count["total"].as_u64().unwrap();
    let asc = search(kb, &["--country", "RU", "--sort", "count", "--asc"]);
    let firsts: Vec<u64> = hits(&asc)
        .iter()
        .filter_map(|h| h["count"].as_u64())
        .collect();
    assert!(firsts.windows(2).all(|w| w[0] <= w[1]), "{firsts:?}");
    assert!(
        hits(&asc)[0]["count"].is_u64(),
        "a figure before the claims without one"
    );

    let by_date = search(kb, &["--country", "RU", "--sort", "date"]);
    let day = |h: &Value| {
        h["date"]
            .as_str()
            .or(h["published"].as_str())
            .unwrap_or("")
            .to_string()
    };
    let days: Vec<String> = hits(&by_date).iter().map(day).collect();
    assert!(days.windows(2).all(|w| w[0] >= w[1]), "{days:?}");

    // Paging: the second page starts where the first ended.
    let page2 = search(
        kb,
        &[
            "--country",
            "RU",
            "--sort",
            "count",
            "--offset",
            "3",
            "--limit",
            "3",
        ],
    );
    assert_eq!(page2["offset"], 3);
    assert_eq!(page2["limit"], 3);
    assert_eq!(page2["total"].as_u64(), Some(total));
    let ids = |v: &Value| -> Vec<Value> { hits(v).iter().map(|h| h["id"].clone()).collect() };
    assert_eq!(ids(&page2), ids(&by_count)[3..6].to_vec());
    let text = takedowns_ok(&[
        "search",
        "--kb",
        kb,
        "--country",
        "RU",
        "--sort",
        "count",
        "--offset",
        "3",
        "--limit",
        "3",
    ]);
    let first = String::from_utf8_lossy(&text.stdout)
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    assert_eq!(first, format!("showing 4–6 of {total} claims"));
    let facts = takedowns_ok(&["facts", "--kb", kb, "--country", "RU", "--limit", "2"]);
    assert!(
        String::from_utf8_lossy(&facts.stdout).starts_with("showing 1–2 of "),
        "{}",
        String::from_utf8_lossy(&facts.stdout)
    );
}

#[test]
fn target_family_object_qualifier_and_negation_filters() {
    let kb = demo_kb();
    let ua = search(kb, &["--target", "UA"]);
    assert!(!hits(&ua).is_empty());
    for h in hits(&ua) {
        assert!(strings(h, "targets").contains(&"UA".to_string()), "{h}");
    }
    assert_eq!(search(kb, &["--target", "Ukraine"])["total"], ua["total"]);

    let meta = search(kb, &["--platform", "meta", "--limit", "10000"]);
    let platforms: Vec<&str> = hits(&meta)
        .iter()
        .filter_map(|h| h["platform"].as_str())
        .collect();
    for p in ["facebook", "instagram"] {
        assert!(platforms.contains(&p), "{p} in meta: {platforms:?}");
    }
    assert!(
        platforms
            .iter()
            .all(|p| ["facebook", "instagram", "whatsapp", "messenger", "meta"].contains(p))
    );
    let fb = search(kb, &["--platform", "facebook"])["total"]
        .as_u64()
        .unwrap();
    assert!(meta["total"].as_u64().unwrap() > fb);

    let pages = search(kb, &["--object", "Pages", "--limit", "10000"]);
    assert!(!hits(&pages).is_empty());
    for h in hits(&pages) {
        assert!(h["object"].as_str().unwrap().contains("page"), "{h}");
    }
    let more = search(kb, &["--qualifier", "more than", "--limit", "10000"]);
    assert!(!hits(&more).is_empty());
    assert!(hits(&more).iter().all(|h| h["qualifier"] == "more_than"));
    let negated = search(kb, &["--negated", "true", "--limit", "10000"]);
    assert!(!hits(&negated).is_empty());
    assert!(hits(&negated).iter().all(|h| h["negated"] == true));
    let not_negated = search(kb, &["--negated", "false", "--limit", "10000"]);
    assert!(hits(&not_negated).iter().all(|h| h["negated"] == false));
    let all = search(kb, &["--limit", "1"])["total"].as_u64().unwrap();
    assert_eq!(
        negated["total"].as_u64().unwrap() + not_negated["total"].as_u64().unwrap(),
        all
    );
    // Site: every hit of the site's facet value is from that site.
    let site = search(kb, &["--limit", "1"])["facets"]["site"][0][0]
        .as_str()
        .unwrap()
        .to_string();
    let on_site = search(kb, &["--site", &site, "--limit", "10000"]);
    assert!(hits(&on_site).iter().all(|h| h["site"] == site.as_str()));

    for bad in [
        vec!["--object", "spaceships"],
        vec!["--qualifier", "roughly-ish"],
        vec!["--sort", "size"],
        vec!["--target", "Atlantis"],
        vec!["--offset", "10001"],
        vec!["removed", "--asc"],
    ] {
        let mut a = vec!["search", "--kb", kb];
        a.extend(bad.iter().copied());
        let out = takedowns(&a);
        assert_eq!(out.status.code(), Some(1), "{bad:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{bad:?}: {err}");
    }
}
