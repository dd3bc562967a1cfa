//! `verify` on real reporting: the real-text pages (`realtext/`, text fetched outside the
//! repository, `TAKEDOWNS_REALTEXT`) ingested into one knowledge base, then checked
//! against statements made from their own annotations: each annotated figure as
//! reported (should be supported), inflated (should never be supported) and moved two
//! years back (should be contradicted when a dated report has the figure). Prints the
//! tallies; the floors below only rise.

use crate::cli::{takedowns_ok, tempdir};
use crate::support;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use takedowns::claims::lexicon::{country_name, family};
use takedowns::index::Kb;

/// Share of true statements supported, at least.
const TRUE_SUPPORTED: f64 = 0.90;
/// Inflated figures supported, at most (one coincides with another real report's figure).
const INFLATED_SUPPORTED: usize = 1;
/// Share of wrong years contradicted among statements whose figure a dated report has.
const WRONG_YEAR_CONTRADICTED: f64 = 0.85;
/// Share of facts with a figure that are right on figure, platform family and countries.
const FACTS_RIGHT: f64 = 0.80;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The name news text uses first for each platform id (`platforms.tsv`).
fn platform_names() -> BTreeMap<String, String> {
    let path = support::root().join("src/claims/data/platforms.tsv");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Some((
                f.first()?.to_string(),
                f.get(2)?.split('|').next()?.to_string(),
            ))
        })
        .collect()
}

/// One annotated figure: platform, countries, count, object, year and month.
type Figure = (String, Vec<String>, u64, String, i32, usize);

/// Every annotated claim of the pages present, with its page's annotation.
fn annotated(pages: &BTreeSet<String>) -> Vec<(Value, Value)> {
    let mut out = Vec::new();
    for set in ["set-a", "set-b", "set-c"] {
        let path = support::root().join(format!("realtext/{set}.jsonl"));
        let text = std::fs::read_to_string(path).unwrap();
        for gold in text
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|g| pages.contains(g["url"].as_str().unwrap_or("")))
        {
            for c in gold["claims"].as_array().into_iter().flatten() {
                out.push((gold.clone(), c.clone()));
            }
        }
    }
    out
}

/// The country codes of a claim or fact, as given.
fn codes(v: &Value) -> Vec<String> {
    v["countries"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// The exact, non-negated, dated figures with countries, one per (platform, countries,
/// count), from the annotations of the pages present.
fn figures(pages: &BTreeSet<String>, platforms: &BTreeMap<String, String>) -> Vec<Figure> {
    let mut out: BTreeMap<(String, Vec<String>, u64), Figure> = BTreeMap::new();
    for (gold, c) in annotated(pages) {
        let platform = c["platform"].as_str().unwrap_or("").to_string();
        let countries = codes(&c);
        let day = c["date"].as_str().or(gold["date"].as_str()).unwrap_or("");
        let (Some(count), Some(y), Some(m)) = (
            c["count"].as_u64(),
            day.get(..4).and_then(|y| y.parse().ok()),
            day.get(5..7).and_then(|m| m.parse::<usize>().ok()),
        ) else {
            continue;
        };
        if c["optional"] == true
            || c["negated"] == true
            || c["qualifier"] != "exact"
            || countries.is_empty()
            || !platforms.contains_key(&platform)
            || !(1..=12).contains(&m)
        {
            continue;
        }
        let object = c["object"].as_str().unwrap_or("accounts").to_string();
        out.entry((platform.clone(), countries.clone(), count))
            .or_insert((platform, countries, count, object, y, m));
    }
    out.into_values().collect()
}

/// Every annotated claim with a figure, by page: platform family, countries (sorted)
/// and count.
fn gold_by_url(pages: &BTreeSet<String>) -> BTreeMap<String, Vec<(String, Vec<String>, u64)>> {
    let mut out: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for (gold, c) in annotated(pages) {
        let Some(count) = c["count"].as_u64() else {
            continue;
        };
        let family = family(c["platform"].as_str().unwrap_or("")).to_string();
        let mut countries = codes(&c);
        countries.sort();
        out.entry(gold["url"].as_str().unwrap_or("").to_string())
            .or_default()
            .push((family, countries, count));
    }
    out
}

/// How many of the knowledge base's facts with a figure some annotation of one of their
/// source pages bears out on figure, platform family and countries, and of how many;
/// prints the ones none does.
fn facts_right(kb: &Kb, pages: &BTreeSet<String>) -> (usize, usize) {
    let gold = gold_by_url(pages);
    let q = takedowns::search::Request {
        limit: 10_000,
        ..takedowns::search::Request::default()
    }
    .check(10_000)
    .unwrap();
    let facts = takedowns::search::facts(kb, &q).unwrap().facts;
    let (mut right, mut all) = (0, 0);
    for f in &facts {
        let Some(count) = f["count"].as_u64() else {
            continue;
        };
        all += 1;
        let fam = family(f["platform"].as_str().unwrap_or(""));
        let mut countries = codes(f);
        countries.sort();
        let borne_out = f["sources"].as_array().into_iter().flatten().any(|s| {
            gold.get(s["url"].as_str().unwrap_or(""))
                .is_some_and(|claims| {
                    claims
                        .iter()
                        .any(|(g, c, n)| *n == count && g == fam && *c == countries)
                })
        });
        if borne_out {
            right += 1;
        } else {
            eprintln!(
                "fact not borne out: {} {count} {countries:?} ({})",
                f["platform"].as_str().unwrap_or(""),
                f["sources"][0]["url"].as_str().unwrap_or("")
            );
        }
    }
    (right, all)
}

fn statement(f: &Figure, platforms: &BTreeMap<String, String>, count: u64, year: i32) -> String {
    let (platform, countries, _, object, _, month) = f;
    let who: Vec<&str> = countries
        .iter()
        .map(|c| country_name(c).unwrap_or(c.as_str()))
        .collect();
    format!(
        "{} removed {} {object} linked to {} in {} {year}",
        platforms[platform],
        thousands(count),
        who.join(" and "),
        MONTHS[month - 1]
    )
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[test]
fn verify_on_real_reporting_supports_true_figures_and_never_inflated_ones() {
    let Some(dir) = std::env::var_os("TAKEDOWNS_REALTEXT")
        .map(std::path::PathBuf::from)
        .filter(|d| d.join("index.tsv").is_file())
    else {
        eprintln!(
            "SKIPPED verify_on_real_reporting_supports_true_figures_and_never_inflated_ones: set TAKEDOWNS_REALTEXT to the pages realtext/prepare.py writes"
        );
        return;
    };
    let index = std::fs::read_to_string(dir.join("index.tsv")).unwrap();
    let mut urls = BTreeSet::new();
    let mut files = Vec::new();
    for line in index.lines() {
        let mut f = line.split('\t');
        if let (Some(file), Some(url)) = (f.next(), f.next()) {
            urls.insert(url.to_string());
            files.push(dir.join(file).display().to_string());
        }
    }
    let kb = tempdir("realverify").join("kb");
    let mut args = vec!["ingest", "--json", "--kb", kb.to_str().unwrap()];
    args.extend(files.iter().map(String::as_str));
    takedowns_ok(&args);
    let kb = Kb::open(&kb, false).unwrap();
    let platforms = platform_names();
    let figures = figures(&urls, &platforms);
    assert!(figures.len() > 50, "{} figures", figures.len());

    let mut tally: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut dated_wrong_years = (0, 0);
    for f in &figures {
        let (count, year) = (f.2, f.4);
        let inflated = count * 5 / 2 + 3;
        for (kind, n, y) in [
            ("true", count, year),
            ("inflated", inflated, year),
            ("wrong year", count, year - 2),
        ] {
            let s = statement(f, &platforms, n, y);
            let v = takedowns::verify::verify(&kb, &s).unwrap();
            *tally.entry((kind, v.verdict)).or_default() += 1;
            if kind != "true" && v.verdict == "supported" {
                eprintln!("{kind} supported: {s}");
            }
            // A wrong year can only be told when some report dates the figure.
            let dated = v
                .facts
                .iter()
                .any(|f| f["date"].is_string() || f["first_reported"].is_string());
            if kind == "wrong year" && (dated || v.verdict == "contradicted") {
                dated_wrong_years.0 += 1;
                dated_wrong_years.1 += usize::from(v.verdict == "contradicted");
            }
        }
    }
    let n = figures.len();
    let of = |kind: &str, verdict: &str| tally.get(&(kind, verdict)).copied().unwrap_or(0);
    eprintln!("verify on real reporting, {n} figures: {tally:?}");
    let supported = of("true", "supported") as f64 / n as f64;
    let contradicted = dated_wrong_years.1 as f64 / dated_wrong_years.0.max(1) as f64;
    eprintln!(
        "true supported {}/{n} ({supported:.3}); inflated supported {}; wrong years contradicted {}/{} with a dated report ({contradicted:.3}), {}/{n} in all",
        of("true", "supported"),
        of("inflated", "supported"),
        dated_wrong_years.1,
        dated_wrong_years.0,
        of("wrong year", "contradicted"),
    );
    let (right, all) = facts_right(&kb, &urls);
    let share = right as f64 / all.max(1) as f64;
    eprintln!("facts right on figure, platform family and countries: {right}/{all} ({share:.3})");
    assert!(share >= FACTS_RIGHT, "facts right {share:.3}");
    assert!(
        supported >= TRUE_SUPPORTED,
        "true statements supported {supported:.3}"
    );
    assert!(
        of("inflated", "supported") <= INFLATED_SUPPORTED,
        "inflated figures supported"
    );
    assert!(
        contradicted >= WRONG_YEAR_CONTRADICTED,
        "wrong years contradicted {contradicted:.3}"
    );
}
