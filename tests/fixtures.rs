//! Every fixture page (`fixtures/pages/<slug>/`) against its `expected.json`: metadata
//! exactly, and the body holding what the story says and none of the page's chrome.

use crate::support;
use serde_json::Value;
use std::path::{Path, PathBuf};
use takedowns::extract::{self, Article, Options};

/// The fixture folders, sorted.
pub fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(support::root().join("fixtures/pages"))
        .expect("fixtures/pages")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("page.html").is_file() && p.join("expected.json").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// A fixture's expected.json.
pub fn expected(dir: &Path) -> Value {
    let text = std::fs::read_to_string(dir.join("expected.json")).expect("expected.json");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

/// Extracts a fixture page as `extract` would.
pub fn extract_fixture(dir: &Path) -> Article {
    let bytes = std::fs::read(dir.join("page.html")).expect("page.html");
    extract::extract(&bytes, &Options::default())
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_fixture_page_extracts_as_expected() {
    let dirs = fixture_dirs();
    assert!(dirs.len() >= 15, "only {} fixture pages", dirs.len());
    let mut failures = Vec::new();
    for dir in &dirs {
        let slug = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        let want = expected(dir);
        let got = extract_fixture(dir);
        let mut fail = |what: String| failures.push(format!("{slug}: {what}"));
        let s = |v: &Value| v.as_str().map(str::to_string);
        if s(&want["title"]) != got.title {
            fail(format!("title {:?}, want {:?}", got.title, want["title"]));
        }
        let published = got.published.map(|d| d.to_string());
        if s(&want["published"]) != published {
            fail(format!(
                "published {published:?}, want {:?}",
                want["published"]
            ));
        }
        if s(&want["url"]) != got.url {
            fail(format!("url {:?}, want {:?}", got.url, want["url"]));
        }
        if s(&want["site"]) != got.site {
            fail(format!("site {:?}, want {:?}", got.site, want["site"]));
        }
        if s(&want["language"]) != got.language {
            fail(format!(
                "language {:?}, want {:?}",
                got.language, want["language"]
            ));
        }
        let authors: Vec<String> = want["authors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        if authors != got.authors {
            fail(format!("authors {:?}, want {authors:?}", got.authors));
        }
        let body = collapse(&got.body);
        for snippet in want["body_contains"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !body.contains(&collapse(snippet)) {
                fail(format!("body lacks {snippet:?}"));
            }
        }
        for snippet in want["body_not_contains"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if body.contains(&collapse(snippet)) {
                fail(format!("body has chrome {snippet:?}"));
            }
        }
        // Every claim's evidence sentence must survive extraction, or no claim can cite it.
        for claim in want["claims"].as_array().into_iter().flatten() {
            if let Some(ev) = claim["evidence"].as_str()
                && !body.contains(&collapse(ev))
            {
                fail(format!(
                    "body lacks evidence {:?}",
                    ev.chars().take(60).collect::<String>()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} problem(s) in {} pages:\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n")
    );
}

#[test]
fn claims_dev_pages_extract_their_metadata_and_every_evidence_sentence() {
    let Some(dir) = support::shared("claims-dev", "claims_dev_pages_extract…") else {
        return;
    };
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("claims-dev")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    assert!(pages.len() >= 10, "claims-dev has {} pages", pages.len());
    let mut failures = Vec::new();
    for page in &pages {
        let name = page
            .file_stem()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        let want: Value = serde_json::from_str(
            &std::fs::read_to_string(page.with_extension("json")).expect("gold"),
        )
        .expect("gold json");
        let bytes = std::fs::read(page).expect("page");
        let got = extract::extract(&bytes, &Options::default()).expect("extract");
        let mut fail = |what: String| failures.push(format!("{name}: {what}"));
        if want["title"].as_str() != got.title.as_deref() {
            fail(format!("title {:?}, want {:?}", got.title, want["title"]));
        }
        let published = got.published.map(|d| d.to_string());
        if want["published"].as_str() != published.as_deref() {
            fail(format!(
                "published {published:?}, want {:?}",
                want["published"]
            ));
        }
        if want["url"].as_str() != got.url.as_deref() {
            fail(format!("url {:?}, want {:?}", got.url, want["url"]));
        }
        let body = collapse(&got.body);
        for claim in want["claims"].as_array().into_iter().flatten() {
            if let Some(ev) = claim["evidence"].as_str()
                && !body.contains(&collapse(ev))
            {
                fail(format!(
                    "body lacks evidence {:?}",
                    ev.chars().take(70).collect::<String>()
                ));
            }
        }
        // Trap numbers in related-link boxes and captions must not reach the body.
        if name.starts_with("2019-01-31-abc") {
            for chrome in [
                "Facebook blocks 115 accounts",
                "Senate Intelligence Committee hearing",
                "Comments are closed",
            ] {
                if body.contains(chrome) {
                    fail(format!("body has chrome {chrome:?}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} problem(s) in {} claims-dev pages:\n{}",
        failures.len(),
        pages.len(),
        failures.join("\n")
    );
}

/// The extracted body of every fixture, to the byte, against `body.golden.txt` (review the
/// diff, then re-bless with `TAKEDOWNS_BLESS=1 cargo test --release --test main golden`).
#[test]
fn fixture_bodies_match_their_golden_files() {
    let mut changed = Vec::new();
    for dir in fixture_dirs() {
        let got = extract_fixture(&dir).body + "\n";
        if !support::matches_golden(&dir.join("body.golden.txt"), &got) {
            changed.push(
                dir.file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("?")
                    .to_string(),
            );
        }
    }
    assert!(
        changed.is_empty(),
        "extracted body differs from body.golden.txt in: {}\n(review with `cargo run --release -- extract --json PAGE`, re-bless with TAKEDOWNS_BLESS=1)",
        changed.join(", ")
    );
}
