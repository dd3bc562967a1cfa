//! The knowledge base end to end through the real binary: build from the fixtures into a
//! temporary KB, query it by country, platform and date, check the facets; re-ingest
//! changes nothing; a second writer is refused; rebuilding from the archive gives the
//! same claims; a killed ingest leaves a readable KB that a re-run completes.

use crate::cli::{json_lines, takedowns, takedowns_ok, tempdir};
use crate::support;
use serde_json::Value;
use std::collections::BTreeSet;
use std::process::{Command, Stdio};

fn build(name: &str) -> String {
    let kb = tempdir(name).join("kb");
    takedowns_ok(&["build", "--json", "--kb", kb.to_str().unwrap()]);
    kb.display().to_string()
}

/// `takedowns search --json --kb KB ARGS…`, checked to succeed; its one JSON value.
pub fn search(kb: &str, args: &[&str]) -> Value {
    let mut a = vec!["search", "--json", "--kb", kb];
    a.extend_from_slice(args);
    json_lines(&takedowns_ok(&a)).remove(0)
}

fn claim_set(v: &Value) -> BTreeSet<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            format!(
                "{} {} {} {}",
                h["platform"], h["count"], h["object"], h["evidence"]
            )
        })
        .collect()
}

#[test]
fn build_then_search_by_country_platform_and_date() {
    let kb = build("kb-search");
    let iran = search(&kb, &["--country", "IR"]);
    let hits = iran["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|h| h["countries"].as_array().unwrap().iter().any(|c| c == "IR")),
        "only Iranian claims"
    );
    assert!(
        hits.iter().any(|h| h["platform"] == "twitter"
            && h["count"] == 2617
            && h["url"].as_str().unwrap().contains("abcnews")),
        "the seed story's 2,617 Iranian accounts"
    );
    assert_eq!(iran["total"].as_u64().unwrap() as usize, hits.len());
    // Facets count over all matches: the IR count is the total.
    let ir_facet = iran["facets"]["country"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p[0] == "IR")
        .unwrap();
    assert_eq!(ir_facet[1], iran["total"]);
    // Names work as well as codes.
    assert_eq!(search(&kb, &["--country", "Iran"])["total"], iran["total"]);
    // Platform and date range narrow the set, and facets follow.
    let fb2019 = search(
        &kb,
        &[
            "--platform",
            "facebook",
            "--since",
            "2019",
            "--until",
            "2019-12-31",
        ],
    );
    let n = fb2019["total"].as_u64().unwrap();
    assert!(n > 0);
    for h in fb2019["hits"].as_array().unwrap() {
        assert_eq!(h["platform"], "facebook");
        let d = h["date"].as_str().or(h["published"].as_str()).unwrap();
        assert!(d.starts_with("2019"), "{d}");
    }
    assert_eq!(
        fb2019["facets"]["platform"][0],
        serde_json::json!(["facebook", n])
    );
    assert_eq!(fb2019["facets"]["year"], serde_json::json!([["2019", n]]));
    // Full text with highlight, and a count floor.
    let text = search(&kb, &["coordinated inauthentic", "--min-count", "500"]);
    assert!(text["total"].as_u64().unwrap() > 0);
    for h in text["hits"].as_array().unwrap() {
        assert!(h["count"].as_u64().unwrap() >= 500);
    }
    assert!(
        text["hits"][0]["highlight"]
            .as_str()
            .unwrap_or("")
            .contains("<b>")
    );
}

#[test]
fn bad_searches_are_one_line_user_errors() {
    let kb = build("kb-bad");
    for args in [
        vec!["--country", "Atlantis"],
        vec!["--since", "yesterday"],
        vec!["--limit", "0"],
        vec!["--limit", "10001"],
        vec!["foo AND ("],
        vec!["((((((((((deep))))))))))"],
        vec!["--since", "2020", "--until", "2019"],
    ] {
        let mut a = vec!["search", "--kb", kb.as_str()];
        a.extend(args.iter().copied());
        let out = takedowns(&a);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
    }
    let long = "a ".repeat(2000);
    let out = takedowns(&["search", "--kb", kb.as_str(), &long]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn reingest_changes_nothing_and_the_archive_rebuilds_the_same_kb() {
    let kb = build("kb-idem");
    let before = search(&kb, &["--limit", "10000"]);
    let fixtures = support::root().join("fixtures/pages");
    let out = takedowns(&["ingest", "--json", "--kb", &kb, fixtures.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let report = &json_lines(&out)[0];
    assert_eq!(report["added"], 0);
    assert_eq!(report["unchanged"], report["pages"]);
    assert_eq!(search(&kb, &["--limit", "10000"])["total"], before["total"]);
    // The archive is the system of record: ingesting it into an empty KB gives the same claims.
    let fresh = tempdir("kb-rebuilt").join("kb");
    let archive = std::path::Path::new(&kb).join("archive");
    takedowns_ok(&[
        "ingest",
        "--kb",
        fresh.to_str().unwrap(),
        archive.to_str().unwrap(),
    ]);
    let after = search(fresh.to_str().unwrap(), &["--limit", "10000"]);
    assert_eq!(claim_set(&after), claim_set(&before));
    assert_eq!(after["facets"], before["facets"]);
    // Facts, with their ids, are the same after the rebuild.
    let facts = |kb: &str| -> Vec<(String, Value, usize)> {
        let out = takedowns(&["facts", "--json", "--kb", kb, "--limit", "10000"]);
        let mut v: Vec<(String, Value, usize)> = json_lines(&out)[0]["facts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["id"].as_str().unwrap().to_string(),
                    f["count"].clone(),
                    f["source_count"].as_u64().unwrap() as usize,
                )
            })
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    let (a, b) = (facts(&kb), facts(fresh.to_str().unwrap()));
    assert!(!a.is_empty());
    assert_eq!(a, b, "fact ids stable across a rebuild from the archive");
}

#[test]
fn a_second_writer_is_refused_while_one_holds_the_lock() {
    let kb = build("kb-lock");
    let lockfile = std::path::Path::new(&kb).join("tantivy/.tantivy-writer.lock");
    // Hold the writer lock in this process through the library.
    let handle = takedowns::index::Kb::open(std::path::Path::new(&kb), false).unwrap();
    let _writer = handle.writer().unwrap();
    let fixtures = support::root().join("fixtures/pages");
    let out = takedowns(&["ingest", "--kb", &kb, fixtures.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("locked"), "{err}");
    let _ = lockfile;
}

#[test]
fn a_killed_ingest_leaves_a_readable_kb_that_a_rerun_completes() {
    // A corpus big enough that the ingest is still running when it is killed.
    let dir = tempdir("kb-kill");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let seed = std::fs::read_to_string(
        support::root()
            .join("fixtures/pages/2019-01-31-abcnews-twitter-iran-venezuela-bangladesh/page.html"),
    )
    .unwrap();
    for k in 0..1500 {
        // Each copy differs, so each is a new snapshot.
        std::fs::write(
            corpus.join(format!("p{k:05}.html")),
            seed.replace("</body>", &format!("<p>copy {k}</p></body>")),
        )
        .unwrap();
    }
    let kb = dir.join("kb");
    let mut child = Command::new(env!("CARGO_BIN_EXE_takedowns"))
        .args([
            "ingest",
            "--kb",
            kb.to_str().unwrap(),
            corpus.to_str().unwrap(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once its first commit is on disk (or it finished first, on a fast machine).
    let meta = kb.join("tantivy/meta.json");
    let start = std::time::Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        let committed = std::fs::read_to_string(&meta)
            .map(|m| m.contains("\"segments\":[{"))
            .unwrap_or(false);
        if committed || start.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = child.wait();
    // The KB opens and answers after the kill.
    let out = takedowns_ok(&[
        "search",
        "--json",
        "--kb",
        kb.to_str().unwrap(),
        "--limit",
        "1",
    ]);
    let partial = json_lines(&out)[0]["total"].as_u64().unwrap();
    // A re-run takes the lock again and completes the ingest.
    takedowns_ok(&[
        "ingest",
        "--json",
        "--kb",
        kb.to_str().unwrap(),
        corpus.to_str().unwrap(),
    ]);
    let out = takedowns(&[
        "search",
        "--json",
        "--kb",
        kb.to_str().unwrap(),
        "--limit",
        "1",
    ]);
    let total = json_lines(&out)[0]["total"].as_u64().unwrap();
    assert!(total >= partial);
    let per_page = 5; // the seed story's required claims
    assert_eq!(total, 1500 * per_page, "every page's claims once");
}
