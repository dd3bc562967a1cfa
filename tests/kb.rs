//! The knowledge base end to end through the real binary: build from the fixtures into a
//! temporary KB, query it by country, platform and date, check the facets; re-ingest
//! changes nothing; a second writer is refused; rebuilding from the archive gives the
//! same claims; kill -9 at 20 random moments of an ingest loses nothing committed and a re-run
//! completes; `check` passes a whole KB and says how to rebuild a broken one.

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

/// Copies a folder tree.
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// A text that matches most claims is counted from the unfiltered counts less those of
/// the claims it misses, once the unfiltered counts are kept for the commit: the totals
/// and facets are those of counting its matches (asked first on a copy of the same
/// knowledge base, where nothing is kept), with and without a filter.
#[test]
fn a_broad_text_counts_the_same_from_what_it_misses() {
    use takedowns::search::{self, Request};
    let k = build("kb-misses");
    let copy = tempdir("kb-misses-copy").join("kb");
    copy_tree(std::path::Path::new(&k), &copy);
    let (kept, fresh) = (
        takedowns::index::Kb::open(std::path::Path::new(&k), false).unwrap(),
        takedowns::index::Kb::open(&copy, false).unwrap(),
    );
    let ask = |kb: &takedowns::index::Kb, text: Option<&str>, platform: Option<&str>| {
        let q = Request {
            text,
            platform,
            limit: 5,
            ..Request::default()
        }
        .check(100)
        .unwrap();
        let r = search::search(kb, &q).unwrap();
        (r.total, serde_json::to_value(&r.facets).unwrap())
    };
    let mut broad = 0;
    for platform in [None, Some("meta")] {
        let (all, _) = ask(&kept, None, platform);
        for text in ["accounts", "removed", "accounts OR pages", "Iran"] {
            let (total, facets) = ask(&kept, Some(text), platform);
            let (want_total, want_facets) = ask(&fresh, Some(text), platform);
            assert_eq!(total, want_total, "{text:?} {platform:?}");
            assert_eq!(facets, want_facets, "{text:?} {platform:?}");
            broad += usize::from(total * 2 > all);
        }
    }
    assert!(
        broad >= 2,
        "no text matched most claims: the check checks nothing"
    );
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

/// `takedowns check --json --kb KB`: its exit code and report.
fn check(kb: &str) -> (i32, Value) {
    let out = takedowns(&["check", "--json", "--kb", kb]);
    let v = json_lines(&out).into_iter().next().unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), v)
}

/// A corpus of `n` distinct copies of the seed story (5 claims each).
fn copies(dir: &std::path::Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let seed = std::fs::read_to_string(
        support::root()
            .join("fixtures/pages/2019-01-31-abcnews-twitter-iran-venezuela-bangladesh/page.html"),
    )
    .unwrap();
    for k in 0..n {
        std::fs::write(
            dir.join(format!("p{k:05}.html")),
            seed.replace("</body>", &format!("<p>copy {k}</p></body>")),
        )
        .unwrap();
    }
}

/// Claims stored, of every version (the copies share the seed's URL, so they are
/// versions of one page and search shows the latest only).
fn total_claims(kb: &str) -> u64 {
    search(kb, &["--limit", "1", "--all-versions"])["total"]
        .as_u64()
        .unwrap()
}

#[test]
fn kill_9_at_20_random_moments_of_an_ingest_loses_nothing_committed() {
    let dir = tempdir("kb-kill-loop");
    let corpus = dir.join("corpus");
    copies(&corpus, 1500);
    let kb = dir.join("kb");
    let k = kb.to_str().unwrap();
    let mut rng = crate::cli::Rng::new("ingest kill loop");
    let mut killed_mid_run = 0;
    for round in 0..20 {
        let before = if kb.join("tantivy/meta.json").exists() {
            total_claims(k)
        } else {
            0
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_takedowns"))
            .args(["ingest", "--kb", k, "--commit-every", "10"])
            .arg(&corpus)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut err = child.stderr.take().unwrap();
        let log = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = std::io::Read::read_to_string(&mut err, &mut s);
            s
        });
        std::thread::sleep(std::time::Duration::from_millis(rng.range(20, 250)));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let log = log.join().unwrap();
        assert!(
            !log.contains("locked"),
            "round {round}: the lock outlived its writer: {log}"
        );
        assert!(!log.contains("panicked"), "round {round}: {log}");
        let reported = before + crate::cli::committed_claims(&log);
        if !kb.join("tantivy/meta.json").exists() {
            // Killed before the index was made: nothing was committed, no half-made
            // index is left, and check says there is no knowledge base yet.
            assert_eq!(reported, 0, "round {round}: {log}");
            assert!(
                !kb.join("tantivy").exists(),
                "round {round}: a half-made index"
            );
            let out = takedowns(&["check", "--json", "--kb", k]);
            assert_ne!(out.status.code(), Some(0), "round {round}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains("no knowledge base at"), "round {round}: {err}");
            continue;
        }
        let (code, report) = check(k);
        assert_eq!(code, 0, "round {round}: {report}");
        assert_eq!(report["ok"], true, "round {round}: {report}");
        // Facts are those of the claims of the same commit (check regroups the claims
        // and compares): a kill never leaves the facts of an older commit.
        assert_eq!(report["stale_facts"], 0, "round {round}: {report}");
        assert_eq!(
            report["facts"].as_u64().unwrap() > 0,
            report["claims"].as_u64().unwrap() > 0,
            "round {round}: {report}"
        );
        let now = total_claims(k);
        assert!(
            now >= reported,
            "round {round}: {now} claims stored, {reported} reported committed"
        );
    }
    eprintln!("ingest kill loop: {killed_mid_run} of 20 kills landed mid-run");
    assert!(
        killed_mid_run >= 10,
        "only {killed_mid_run} kills landed mid-run"
    );
    // A last run completes; the pages already stored are not added again.
    let stored_pages = check(k).1["articles"].as_u64().unwrap();
    let out = takedowns_ok(&["ingest", "--json", "--kb", k, corpus.to_str().unwrap()]);
    let report = &json_lines(&out)[0];
    assert_eq!(
        report["unchanged"].as_u64().unwrap(),
        stored_pages,
        "{report}"
    );
    assert_eq!(
        report["added"].as_u64().unwrap() + stored_pages,
        1500,
        "{report}"
    );
    assert_eq!(total_claims(k), 1500 * 5, "every page's claims once");
    assert_eq!(check(k).1["ok"], true);
}

#[test]
fn an_index_folder_a_kill_left_without_its_meta_is_made_anew() {
    // What a kill between making the folder and writing its meta.json used to leave:
    // no command opened it, and check failed on a knowledge base that held nothing.
    let dir = tempdir("kb-half-made");
    let kb = dir.join("kb");
    std::fs::create_dir_all(kb.join("tantivy")).unwrap();
    // And one a killed process left while making it (no process has this id).
    std::fs::create_dir_all(kb.join("tantivy.new-999999999")).unwrap();
    let k = kb.to_str().unwrap();
    let out = takedowns(&["check", "--json", "--kb", k]);
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no knowledge base at"));
    let corpus = dir.join("corpus");
    copies(&corpus, 3);
    let out = takedowns(&["ingest", "--kb", k, corpus.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (code, report) = check(k);
    assert_eq!(code, 0, "{report}");
    assert!(report["claims"].as_u64().unwrap() > 0, "{report}");
    let left: Vec<_> = std::fs::read_dir(&kb)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("tantivy.new"))
        .collect();
    // Removed where /proc tells which processes run (Linux, where CI runs).
    let proc = std::path::Path::new("/proc/self").exists();
    assert!(left.is_empty() || !proc, "{left:?}");
}

#[test]
fn a_kb_made_with_other_fields_is_refused_with_how_to_rebuild_it() {
    // What a knowledge base made by an older version holds: an index of other fields.
    let dir = tempdir("kb-other-schema");
    let kb = dir.join("kb");
    let mut b = tantivy::schema::Schema::builder();
    b.add_text_field("kind", tantivy::schema::STRING | tantivy::schema::STORED);
    std::fs::create_dir_all(kb.join("tantivy")).unwrap();
    tantivy::Index::create_in_dir(kb.join("tantivy"), b.build()).unwrap();
    let k = kb.to_str().unwrap();
    for args in [vec!["check", "--kb", k], vec!["search", "--kb", k, "Iran"]] {
        let out = takedowns(&args);
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("made by another version"), "{args:?}: {err}");
        assert!(err.contains(&format!("{k}/archive")), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
    }
    assert!(
        kb.join("tantivy/meta.json").exists(),
        "the index is left as it was"
    );
}

#[test]
fn check_passes_a_whole_kb_and_says_how_to_rebuild_a_broken_one() {
    let k = build("kb-check");
    let (code, r) = check(&k);
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["ok"], true);
    assert!(r["articles"].as_u64().unwrap() >= 50);
    assert_eq!(r["archive_pages"], r["articles"]);
    assert!(r["facts"].as_u64().unwrap() > 0);
    let out = takedowns(&["check", "--kb", &k]);
    assert!(String::from_utf8_lossy(&out.stdout).contains(": OK"));

    // Cut the archive file inside its last record: its complete records still count,
    // the pages past the cut are reported missing, with the way to rebuild.
    let archive = std::path::Path::new(&k).join("archive");
    let file = std::fs::read_dir(&archive)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .max()
        .unwrap();
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() - 500]).unwrap();
    let (code, r) = check(&k);
    assert_eq!(code, 1, "{r}");
    assert_eq!(r["ok"], false);
    assert_eq!(r["truncated_files"], 1);
    assert!(r["missing_pages"].as_u64().unwrap() >= 1, "{r}");
    assert!(r["archive_pages"].as_u64().unwrap() >= 1);
    let how = r["rebuild"].as_str().unwrap();
    assert!(how.contains("takedowns ingest --kb"), "{how}");
    assert!(
        r["problems"][0]
            .as_str()
            .unwrap()
            .contains("not in the archive")
    );

    // Following the advice gives a whole knowledge base from what the archive holds;
    // the cut record is said (with its offset) and the run exits 1, never silently.
    let rebuilt = format!("{k}.rebuilt");
    let out = takedowns(&[
        "ingest",
        "--json",
        "--kb",
        &rebuilt,
        archive.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot be read") && err.contains("at byte"),
        "{err}"
    );
    let (code, r2) = check(&rebuilt);
    assert_eq!(code, 0, "{r2}");
    assert_eq!(r2["articles"], r["archive_pages"]);

    // No knowledge base at all: a one-line user error.
    let out = takedowns(&["check", "--kb", "target/test-tmp/no-such-kb"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-kb"));
}

#[test]
fn the_prefilter_skips_general_news_but_no_claim_and_twice_changes_nothing() {
    let dir = tempdir("kb-prefilter");
    let news = dir.join("news");
    std::fs::create_dir_all(&news).unwrap();
    for k in 0..5 {
        std::fs::write(
            news.join(format!("n{k}.html")),
            format!(
                "<html><body><nav><a href='#'>Share on Facebook</a> <a href='#'>Follow us on Twitter</a></nav>\
                 <article><h1>Council reopens bridge {k}</h1><p>The council said on Monday that the \
                 old bridge would reopen after repairs that removed rust from its girders.</p></article>\
                 <script>var accounts = removeAll();</script></body></html>"
            ),
        )
        .unwrap();
    }
    let plain = dir.join("plain");
    let filtered = dir.join("filtered");
    let (p, f) = (plain.to_str().unwrap(), filtered.to_str().unwrap());
    let both = ["fixtures/pages", news.to_str().unwrap()];
    takedowns_ok(&[&["ingest", "--json", "--kb", p][..], &both[..]].concat());
    let out = takedowns_ok(
        &[
            &["ingest", "--json", "--prefilter", "--kb", f][..],
            &both[..],
        ]
        .concat(),
    );
    let report = &json_lines(&out)[0];
    assert!(report["filtered"].as_u64().unwrap() >= 5, "{report}");
    assert_eq!(
        claim_set(&search(p, &["--limit", "1000"])),
        claim_set(&search(f, &["--limit", "1000"])),
        "the pre-filter lost a claim"
    );
    let again = takedowns_ok(
        &[
            &["ingest", "--json", "--prefilter", "--kb", f][..],
            &both[..],
        ]
        .concat(),
    );
    let again = &json_lines(&again)[0];
    assert_eq!(again["added"], 0, "{again}");
    assert_eq!(again["filtered"], 0, "{again}");
    assert_eq!(check(f).1["ok"], true);
}

/// A WARC as CC-NEWS publishes one: a gzip member per record, `warcinfo` first,
/// `request`/`response`/`metadata` records, HTTP headers with the payload already
/// decoded and the original encoding headers renamed `X-Crawler-…`; among the responses a
/// takedown story, a general story, a truncated takedown story, an image and a 404.
fn cc_news_warc(path: &std::path::Path) {
    use std::io::Write;
    let story = std::fs::read(
        support::root()
            .join("fixtures/pages/2019-01-31-abcnews-twitter-iran-venezuela-bangladesh/page.html"),
    )
    .unwrap();
    let other = std::fs::read(
        support::root()
            .join("fixtures/pages/2018-04-10-dialupdispatch-reddit-ira-accounts/page.html"),
    )
    .unwrap();
    let general = b"<html><body><article><p>The city council approved the budget on Monday after a long debate about school funding and road repairs.</p></article></body></html>".to_vec();
    let mut out = Vec::new();
    let mut member = |head: String, block: &[u8]| {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(head.as_bytes()).unwrap();
        gz.write_all(block).unwrap();
        gz.write_all(b"\r\n\r\n").unwrap();
        out.extend(gz.finish().unwrap());
    };
    let info = b"software: StormCrawler\r\nformat: WARC File Format 1.0\r\n".to_vec();
    member(
        format!(
            "WARC/1.0\r\nWARC-Type: warcinfo\r\nWARC-Date: 2019-02-01T00:00:00Z\r\nContent-Type: application/warc-fields\r\nContent-Length: {}\r\n\r\n",
            info.len()
        ),
        &info,
    );
    let responses: Vec<(&str, &str, Vec<u8>, bool)> = vec![
        (
            "https://abcnews.go.com/Technology/story",
            "200 OK\r\nContent-Type: text/html; charset=UTF-8",
            story,
            false,
        ),
        (
            "https://city.example/budget",
            "200 OK\r\nContent-Type: text/html",
            general,
            false,
        ),
        (
            "https://dialup.example/reddit",
            "200 OK\r\nContent-Type: text/html",
            other[..other.len() * 2 / 3].to_vec(),
            true,
        ),
        (
            "https://img.example/logo.png",
            "200 OK\r\nContent-Type: image/png",
            b"\x89PNG\r\n\x1a\n....".to_vec(),
            false,
        ),
        (
            "https://gone.example/x",
            "404 Not Found\r\nContent-Type: text/html",
            b"<html><body>Not here</body></html>".to_vec(),
            false,
        ),
    ];
    for (i, (uri, status, payload, truncated)) in responses.into_iter().enumerate() {
        let req = "GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: CCBot/2.0\r\n\r\n";
        member(
            format!(
                "WARC/1.0\r\nWARC-Type: request\r\nWARC-Date: 2019-02-01T00:00:0{i}Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype=request\r\nContent-Length: {}\r\n\r\n",
                req.len()
            ),
            req.as_bytes(),
        );
        let http = format!(
            "HTTP/1.1 {status}\r\nX-Crawler-Content-Encoding: gzip\r\nX-Crawler-Content-Length: {}\r\nContent-Length: {}\r\n\r\n",
            payload.len() / 3,
            payload.len()
        );
        let mut block = http.into_bytes();
        block.extend_from_slice(&payload);
        member(
            format!(
                "WARC/1.0\r\nWARC-Type: response\r\nWARC-Date: 2019-02-01T00:00:0{i}Z\r\nWARC-Target-URI: {uri}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-00000000000{i}>\r\n{}Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
                if truncated {
                    "WARC-Truncated: length\r\n"
                } else {
                    ""
                },
                block.len()
            ),
            &block,
        );
        let meta = b"fetchTimeMs: 120\r\n".to_vec();
        member(
            format!(
                "WARC/1.0\r\nWARC-Type: metadata\r\nWARC-Date: 2019-02-01T00:00:0{i}Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/warc-fields\r\nContent-Length: {}\r\n\r\n",
                meta.len()
            ),
            &meta,
        );
    }
    std::fs::write(path, out).unwrap();
}

#[test]
fn a_cc_news_style_warc_ingests_is_searchable_and_twice_changes_nothing() {
    let dir = tempdir("kb-cc-news");
    let warc = dir.join("CC-NEWS-20190201000000-00001.warc.gz");
    cc_news_warc(&warc);
    let kb = dir.join("kb");
    let k = kb.to_str().unwrap();
    let w = warc.to_str().unwrap();
    let first = &json_lines(&takedowns_ok(&["ingest", "--json", "--kb", k, w]))[0];
    // Three HTML 200 responses; the image, the 404 and the other record types are not pages.
    assert_eq!(first["pages"], 3, "{first}");
    assert_eq!(first["added"], 3, "{first}");
    let hits = search(k, &["--country", "IR", "--platform", "twitter"]);
    assert!(
        hits["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["count"] == 2617 && h["url"] == "https://abcnews.go.com/Technology/story"),
        "{hits}"
    );
    // The truncated record's claims are kept, flagged.
    let reddit = search(k, &["--platform", "reddit", "--limit", "100"]);
    let flagged: Vec<&Value> = reddit["hits"].as_array().unwrap().iter().collect();
    assert!(!flagged.is_empty(), "{reddit}");
    assert!(flagged.iter().all(|h| h["truncated"] == true), "{reddit}");
    let before = claim_set(&search(k, &["--limit", "1000"]));
    let second = &json_lines(&takedowns_ok(&["ingest", "--json", "--kb", k, w]))[0];
    assert_eq!(second["added"], 0, "{second}");
    assert_eq!(second["unchanged"], 3, "{second}");
    assert_eq!(claim_set(&search(k, &["--limit", "1000"])), before);
    // extract reads it the same way: one Article per HTML response, with its URL.
    let lines = json_lines(&takedowns_ok(&["extract", "--json", w]));
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["url"], "https://abcnews.go.com/Technology/story");
    assert_eq!(lines[2]["truncated"], true);
}

#[test]
fn extraction_results_merge_into_the_same_kb_as_ingesting_the_shards() {
    let dir = tempdir("kb-merge");
    // Two shards, as a Spark job would get them.
    let mut shards = Vec::new();
    for (i, prefix) in ["2018", "2019"].iter().enumerate() {
        let kb = dir.join(format!("shard-kb{i}"));
        let pages: Vec<String> = std::fs::read_dir(support::root().join("fixtures/pages"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
            .map(|p| p.join("page.html").display().to_string())
            .collect();
        let mut args = vec!["ingest", "--json", "--kb", kb.to_str().unwrap()];
        args.extend(pages.iter().map(String::as_str));
        takedowns_ok(&args);
        let warc = std::fs::read_dir(kb.join("archive"))
            .unwrap()
            .flatten()
            .next()
            .unwrap()
            .path();
        let shard = dir.join(format!("shard-{i}.warc.gz"));
        std::fs::copy(warc, &shard).unwrap();
        shards.push(shard.display().to_string());
    }
    // The map step's output: extract --json per shard, one part file each.
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    for (i, s) in shards.iter().enumerate() {
        let lines = takedowns_ok(&["extract", "--json", s]).stdout;
        std::fs::write(out.join(format!("part-0000{i}.jsonl")), lines).unwrap();
    }
    let direct = dir.join("direct");
    let merged = dir.join("merged");
    let (d, m) = (direct.to_str().unwrap(), merged.to_str().unwrap());
    let mut args = vec!["ingest", "--json", "--kb", d];
    args.extend(shards.iter().map(String::as_str));
    takedowns_ok(&args);
    let report = &json_lines(&takedowns_ok(&[
        "ingest",
        "--json",
        "--kb",
        m,
        out.to_str().unwrap(),
    ]))[0];
    assert!(report["added"].as_u64().unwrap() > 20, "{report}");
    assert_eq!(report["skipped"], serde_json::json!([]), "{report}");
    assert_eq!(
        claim_set(&search(d, &["--limit", "10000"])),
        claim_set(&search(m, &["--limit", "10000"]))
    );
    assert_eq!(
        json_lines(&takedowns_ok(&[
            "facts", "--json", "--kb", d, "--limit", "10000"
        ]))[0]["total"],
        json_lines(&takedowns_ok(&[
            "facts", "--json", "--kb", m, "--limit", "10000"
        ]))[0]["total"]
    );
    assert_eq!(check(m).1["ok"], true, "the merged KB holds the raw pages");
    let again = &json_lines(&takedowns_ok(&[
        "ingest",
        "--json",
        "--kb",
        m,
        out.to_str().unwrap(),
    ]))[0];
    assert_eq!(again["added"], 0, "{again}");
}

/// `build` never deletes what it did not make: a folder of the user's is refused, and so
/// is a built KB that an ingest added to; the user's files and the ingested pages survive.
#[test]
fn build_refuses_folders_it_did_not_make_and_loses_nothing() {
    let dir = tempdir("kb-build-guard");
    // A non-empty folder that is no knowledge base.
    let mine = dir.join("mine");
    std::fs::create_dir_all(mine.join("archive")).unwrap();
    std::fs::write(mine.join("archive/notes.txt"), "my notes").unwrap();
    std::fs::write(mine.join("thesis.txt"), "chapter one").unwrap();
    let out = takedowns(&["build", "--kb", mine.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("did not make") && err.contains("--kb"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(mine.join("archive/notes.txt")).unwrap(),
        "my notes"
    );
    assert!(mine.join("thesis.txt").exists());
    // A built KB rebuilds; after an ingest into it, a rebuild is refused and the
    // ingested page is still there.
    let kb = dir.join("kb");
    let k = kb.to_str().unwrap();
    takedowns_ok(&["build", "--json", "--kb", k]);
    takedowns_ok(&["build", "--json", "--kb", k]);
    let before = search(k, &["--limit", "1"])["total"].as_u64().unwrap();
    takedowns_ok(&["ingest", "--kb", k, "fixtures/export/formula-title.html"]);
    let added = search(k, &["--limit", "1"])["total"].as_u64().unwrap();
    assert!(added > before);
    let out = takedowns(&["build", "--kb", k]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ingest") && err.contains("NEW_DIR"), "{err}");
    assert_eq!(
        search(k, &["--limit", "1"])["total"].as_u64().unwrap(),
        added
    );
    // A file of the user's beside a fresh build is refused too, and kept.
    let kb2 = dir.join("kb2");
    let k2 = kb2.to_str().unwrap();
    takedowns_ok(&["build", "--json", "--kb", k2]);
    std::fs::write(kb2.join("my-query.txt"), "--country IR").unwrap();
    assert_eq!(takedowns(&["build", "--kb", k2]).status.code(), Some(1));
    assert!(kb2.join("my-query.txt").exists());
}

/// Messages that say what to do: the range of dates, the valid fields, the term that is
/// not a number, the known platforms; a negated claim marked on the terminal; symbolic
/// links in an input folder followed, a broken one said.
#[test]
fn messages_say_what_to_do() {
    let kb = build("kb-messages");
    let err = |args: &[&str]| {
        let mut a = vec!["search", "--kb", kb.as_str()];
        a.extend_from_slice(args);
        let out = takedowns(&a);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    for far in [
        ["--since", "9999"],
        ["--since", "2263"],
        ["--until", "1000"],
    ] {
        let e = err(&far);
        assert!(e.contains("1900") && e.contains("2200"), "{far:?}: {e}");
    }
    let e = err(&["nosuchfield:iran"]);
    assert!(
        e.contains("nosuchfield") && e.contains("evidence, title"),
        "{e}"
    );
    let e = err(&["removed AND count:many"]);
    assert!(e.contains("count:many"), "{e}");
    let e = err(&["--platform", "friendster"]);
    assert!(
        e.contains("friendster") && e.contains("youtube") && e.contains("families"),
        "{e}"
    );
    // The terminal marks what a platform did not do, as the web UI does.
    let out = takedowns_ok(&["search", "--kb", kb.as_str(), "--platform", "whatsapp"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("NOT whatsapp"), "{text}");
    // Claims read across sentences are marked with their confidence.
    let out = takedowns_ok(&["search", "--kb", kb.as_str(), "--limit", "100"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("[medium confidence]"), "{text}");
    // Links in an input folder are followed; a broken one is said and the run exits 1.
    let dir = tempdir("kb-links");
    let pages = dir.join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    let seed = support::root()
        .join("fixtures/pages/2019-01-31-abcnews-twitter-iran-venezuela-bangladesh/page.html");
    std::os::unix::fs::symlink(&seed, pages.join("seed.html")).unwrap();
    std::os::unix::fs::symlink(&pages, pages.join("again")).unwrap();
    let fresh = dir.join("kb");
    let out = takedowns(&[
        "ingest",
        "--json",
        "--kb",
        fresh.to_str().unwrap(),
        pages.to_str().unwrap(),
    ]);
    let report = &json_lines(&out)[0];
    assert_eq!(report["added"], 1, "{report}");
    std::os::unix::fs::symlink(dir.join("gone.html"), pages.join("broken.html")).unwrap();
    let out = takedowns(&["extract", "--json", pages.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let lines = json_lines(&out);
    assert!(
        lines.iter().any(|l| l["error"]
            .as_str()
            .is_some_and(|e| e.contains("broken symbolic link"))),
        "{lines:?}"
    );
    assert!(lines.iter().any(|l| l.get("title").is_some()), "{lines:?}");
}
