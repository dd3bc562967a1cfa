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

/// `facts --json` of a filter, every fact (the bar's reference computation).
fn all_facts(kb: &str, args: &[&str]) -> Vec<Value> {
    let mut a = vec!["facts", "--json", "--kb", kb, "--limit", "10000"];
    a.extend_from_slice(args);
    let v = crate::cli::json_lines(&takedowns_ok(&a)).remove(0);
    assert!(v["total"].as_u64().unwrap() < 10_000, "every fact listed");
    v["facts"].as_array().unwrap().clone()
}

/// The year a fact counts in: its takedown date's, else its first report's.
fn year_of(f: &Value) -> Option<i64> {
    let d = f["date"].as_str().or(f["first_reported"].as_str())?;
    d.get(..4)?.parse().ok()
}

#[test]
fn stats_sums_each_fact_once_per_year_as_facts_json_does() {
    let kb = demo_kb();
    for country in ["IR", "RU"] {
        let facts = all_facts(kb, &["--country", country]);
        let out = takedowns_ok(&[
            "stats",
            "--json",
            "--kb",
            kb,
            "--country",
            country,
            "--by",
            "year",
        ]);
        let stats = crate::cli::json_lines(&out).remove(0);
        let rows = stats["rows"].as_array().unwrap();
        assert!(rows.len() >= 2, "{stats}");
        assert!(
            stats["note"].as_str().unwrap().contains("adds 88,000"),
            "{stats}"
        );
        for row in rows {
            let year = row["year"].as_i64().unwrap();
            assert!(row["platform"].is_null());
            let mine: Vec<&Value> = facts
                .iter()
                .filter(|f| f["negated"] == false && year_of(f) == Some(year))
                .collect();
            let sum: u64 = mine.iter().filter_map(|f| f["count"].as_u64()).sum();
            assert_eq!(row["sum"].as_u64(), Some(sum), "{country} {year}");
            assert_eq!(
                row["facts"].as_u64(),
                Some(mine.len() as u64),
                "{country} {year}"
            );
        }
        // Every dated, not negated fact is in a row.
        let in_rows: u64 = rows.iter().map(|r| r["facts"].as_u64().unwrap()).sum();
        let dated = facts
            .iter()
            .filter(|f| f["negated"] == false && year_of(f).is_some())
            .count() as u64;
        assert_eq!(in_rows, dated, "{country}");
    }
    // By year and platform: each cell is that platform's facts of the year.
    let facts = all_facts(kb, &["--country", "RU"]);
    let out = takedowns_ok(&[
        "stats",
        "--json",
        "--kb",
        kb,
        "--country",
        "RU",
        "--by",
        "year,platform",
    ]);
    let stats = crate::cli::json_lines(&out).remove(0);
    for row in stats["rows"].as_array().unwrap() {
        let (year, platform) = (row["year"].as_i64(), row["platform"].as_str().unwrap());
        let sum: u64 = facts
            .iter()
            .filter(|f| f["negated"] == false && year_of(f) == year && f["platform"] == platform)
            .filter_map(|f| f["count"].as_u64())
            .sum();
        assert_eq!(row["sum"].as_u64(), Some(sum), "{row}");
    }
    let table = takedowns_ok(&[
        "stats",
        "--kb",
        kb,
        "--country",
        "RU",
        "--by",
        "year,platform",
    ]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.starts_with("year  platform"), "{text}");
    assert!(text.contains("\nnote: "), "{text}");
    let bad = takedowns(&["stats", "--kb", kb, "--by", "month"]);
    assert_eq!(bad.status.code(), Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_pages_sorts_totals_and_downloads_exactly_what_is_shown() {
    use crate::serve::{get, open_app};
    let kb = demo_kb();
    let app = open_app(std::path::Path::new(kb));
    let page = get(&app, "/api/search?country=RU&sort=count&offset=2&limit=5").await;
    assert_eq!(page.status, 200);
    let page = page.json();
    assert_eq!(
        (page["offset"].as_u64(), page["limit"].as_u64()),
        (Some(2), Some(5))
    );
    let ua = get(&app, "/api/search?target=Ukraine&platform=meta")
        .await
        .json();
    assert!(ua["total"].as_u64().unwrap() > 0);
    let facts = get(&app, "/api/facts?country=RU&sort=count&limit=3")
        .await
        .json();
    assert_eq!(facts["limit"], 3);
    let counts: Vec<u64> = facts["facts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["count"].as_u64())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");

    // The page's CSV and JSONL hold exactly its hits, in its order.
    let csv = get(
        &app,
        "/download/search?country=RU&sort=count&offset=2&limit=5&format=csv",
    )
    .await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-disposition").contains("attachment"));
    let text = csv.text();
    let mut rows = text.lines();
    assert!(rows.next().unwrap().starts_with("\"id\",\"platform\""));
    let ids: Vec<String> = page["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| format!("\"{}\"", h["id"].as_str().unwrap()))
        .collect();
    let csv_ids: Vec<String> = rows
        .map(|r| r.split(',').next().unwrap().to_string())
        .collect();
    assert_eq!(csv_ids, ids);
    let jsonl = get(
        &app,
        "/download/search?country=RU&sort=count&offset=2&limit=5&format=jsonl",
    )
    .await
    .text();
    let lines: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["id"], page["hits"][0]["id"]);
    assert_eq!(lines[0]["type"], "claim");

    let fact_id = facts["facts"][0]["id"].as_str().unwrap().to_string();
    let fcsv = get(&app, &format!("/download/fact/{fact_id}?format=csv"))
        .await
        .text();
    let sources = facts["facts"][0]["sources"].as_array().unwrap().len();
    let conflicts = facts["facts"][0]["conflicts"].as_array().unwrap().len();
    assert_eq!(fcsv.lines().count(), 1 + sources + conflicts, "{fcsv}");
    let fjson = get(&app, &format!("/download/fact/{fact_id}?format=jsonl"))
        .await
        .text();
    assert_eq!(
        serde_json::from_str::<Value>(fjson.trim()).unwrap()["id"],
        fact_id.as_str()
    );

    let stats = get(&app, "/api/stats?country=IR&by=year,platform")
        .await
        .json();
    assert!(
        stats["rows"][0]["sum"].is_u64() && stats["note"].is_string(),
        "{stats}"
    );
    let scsv = get(
        &app,
        "/download/stats?country=IR&by=year,platform&format=csv",
    )
    .await
    .text();
    assert_eq!(scsv.lines().next(), Some("year,platform,sum,facts"));
    assert_eq!(
        scsv.lines().count(),
        stats["rows"].as_array().unwrap().len() + 2
    );
    let page = get(&app, "/stats?country=IR&by=year").await.text();
    assert!(
        page.contains("<svg") && page.contains("data-year=\"2019\""),
        "the totals chart"
    );
    let country = get(&app, "/country/RU").await.text();
    assert!(
        country.contains("Operations from Russia")
            && country.contains("Operations targeting Russia")
    );

    for bad in [
        "/download/search?format=xls",
        "/api/search?sort=size",
        "/api/search?negated=maybe",
        "/api/stats?by=month",
        "/download/stats?format=jsonl",
        "/api/search?object=spaceships",
    ] {
        let a = get(&app, bad).await;
        assert_eq!(a.status, 400, "{bad}: {}", a.text());
        assert!(a.json()["error"].is_string(), "{bad}");
    }
}

/// Every page of a date-ordered list of claims or facts, newest or oldest first, is the
/// same slice of the whole ordered list: listing by date only reads the years that hold
/// the page, and that must never change which records a page shows.
/// The ids of a list answer's records, in order.
fn ids_of<'a>(answer: &'a Value, list: &str) -> Vec<&'a str> {
    answer[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect()
}

#[test]
fn every_page_by_date_is_the_slice_of_the_whole_list() {
    let kb = demo_kb();
    let run = |command: &str, args: &[&str]| -> Value {
        let mut a = vec![command, "--json", "--kb", kb];
        a.extend_from_slice(args);
        crate::cli::json_lines(&takedowns_ok(&a)).remove(0)
    };
    for (command, list, filters, asc) in [
        ("search", "hits", vec![], false),
        ("search", "hits", vec![], true),
        ("search", "hits", vec!["--platform", "meta"], false),
        ("search", "hits", vec!["accounts", "--sort", "date"], false),
        ("search", "hits", vec!["--since", "2019-06-01"], true),
        ("facts", "facts", vec![], false),
        ("facts", "facts", vec!["--country", "RU"], false),
        ("facts", "facts", vec![], true),
    ] {
        let mut all_args = filters.clone();
        if asc {
            all_args.push("--asc");
        }
        let mut whole_args = all_args.clone();
        whole_args.extend(["--limit", "10000"]);
        let whole = run(command, &whole_args);
        let ids = ids_of(&whole, list);
        assert_eq!(ids.len() as u64, whole["total"].as_u64().unwrap());
        assert!(
            ids.len() > 20,
            "{command} {filters:?}: only {} listed",
            ids.len()
        );
        for (offset, limit) in [(0, 3), (0, 20), (7, 5), (20, 20), (ids.len() - 4, 10)] {
            let (o, l) = (offset.to_string(), limit.to_string());
            let mut args = all_args.clone();
            args.extend(["--offset", o.as_str(), "--limit", l.as_str()]);
            let page = run(command, &args);
            let got = ids_of(&page, list);
            let end = (offset + limit).min(ids.len());
            assert_eq!(
                got,
                ids[offset..end],
                "{command} {filters:?} asc {asc} offset {offset} limit {limit}"
            );
        }
    }
}

/// Hits by relevance are the whole query's best, in its order: the text is searched
/// alone (so tantivy can skip what cannot reach the top) and the filters are checked on
/// the candidates, which must change nothing but the time.
#[test]
fn relevance_pages_equal_the_whole_querys_ranking() {
    use tantivy::collector::TopDocs;
    let kb = takedowns::index::Kb::open(std::path::Path::new(demo_kb()), false).unwrap();
    let searcher = kb.searcher().unwrap();
    for (text, country, platform, offset, limit) in [
        ("accounts", None, None, 0, 20),
        ("removed accounts", None, None, 5, 10),
        ("coordinated inauthentic behavior", None, None, 0, 50),
        ("Iran OR Russia", None, None, 3, 30),
        ("accounts", Some("RU"), None, 0, 20),
        ("\"fake accounts\"", None, Some("meta"), 0, 20),
        ("network", Some("IR"), Some("twitter"), 2, 5),
    ] {
        let q = takedowns::search::Request {
            text: Some(text),
            country,
            platform,
            offset,
            limit,
            ..takedowns::search::Request::default()
        }
        .check(10_000)
        .unwrap();
        let whole = takedowns::search::build_query(&kb, &q).unwrap();
        let reference = searcher
            .search(
                &*whole,
                &TopDocs::with_limit(limit)
                    .and_offset(offset)
                    .order_by_score(),
            )
            .unwrap();
        let want: Vec<String> = reference
            .iter()
            .map(|(_, a)| {
                let doc: tantivy::TantivyDocument = searcher.doc(*a).unwrap();
                kb.data(&doc)["id"].as_str().unwrap().to_string()
            })
            .collect();
        let hits = takedowns::search::search(&kb, &q).unwrap();
        let got: Vec<String> = hits
            .hits
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect();
        assert!(!want.is_empty(), "{text}: nothing to compare");
        assert_eq!(got, want, "{text} {country:?} {platform:?} offset {offset}");
    }
}
