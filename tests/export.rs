//! `export` through the binary: golden files for the three formats over a small KB
//! (three fixture pages), and the contract's shape checks over the whole demo KB.
//! Re-bless the golden files with `TAKEDOWNS_BLESS=1 cargo test --release --test main export`.

use crate::cli::{takedowns_ok, tempdir};
use crate::support;
use serde_json::Value;

const PAGES: &[&str] = &[
    "2019-01-31-abcnews-twitter-iran-venezuela-bangladesh",
    "2018-04-10-dialupdispatch-reddit-ira-accounts",
    "2018-07-06-keystonewire-twitter-suspensions",
];

fn export(kb: &str, format: &str) -> String {
    let out = takedowns_ok(&["export", "--kb", kb, "--format", format]);
    String::from_utf8(out.stdout).unwrap()
}

/// Lines sorted (the header row of a CSV kept first): the golden form, independent of
/// the order documents come out of the index.
fn sorted(text: &str, header: bool) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    let head = if header && !lines.is_empty() {
        Some(lines.remove(0))
    } else {
        None
    };
    lines.sort();
    head.into_iter()
        .chain(lines)
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn exports_match_their_golden_files() {
    let kb = tempdir("export-golden").join("kb");
    let k = kb.to_str().unwrap();
    let mut args = vec!["ingest", "--json", "--kb", k];
    let paths: Vec<String> = PAGES
        .iter()
        .map(|p| format!("fixtures/pages/{p}/page.html"))
        .collect();
    args.extend(paths.iter().map(String::as_str));
    takedowns_ok(&args);
    let dir = support::root().join("fixtures/export");
    let bless = std::env::var_os("TAKEDOWNS_BLESS").is_some();
    for (format, file) in [
        ("jsonl", "claims-and-facts.jsonl"),
        ("ndjson", "bulk.ndjson"),
        ("csv", "claims.csv"),
    ] {
        let text = export(k, format);
        // ndjson comes in pairs: sort the pairs, not the lines.
        let got = if format == "ndjson" {
            let lines: Vec<&str> = text.lines().collect();
            let mut pairs: Vec<String> = lines.chunks(2).map(|p| p.join("\n")).collect();
            pairs.sort();
            pairs.iter().map(|p| format!("{p}\n")).collect()
        } else {
            sorted(&text, format == "csv")
        };
        let path = dir.join(file);
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &got).unwrap();
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{} is missing: bless it", path.display()));
        assert!(
            got == want,
            "{format} export differs from {}",
            path.display()
        );
    }
}

#[test]
fn every_line_carries_the_contract_fields_and_the_formats_agree() {
    let kb = tempdir("export-demo").join("kb");
    let k = kb.to_str().unwrap();
    takedowns_ok(&["build", "--json", "--kb", k]);
    let jsonl = export(k, "jsonl");
    let records: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let claims: Vec<&Value> = records.iter().filter(|r| r["type"] == "claim").collect();
    let facts: Vec<&Value> = records.iter().filter(|r| r["type"] == "fact").collect();
    assert!(!claims.is_empty() && !facts.is_empty());
    assert_eq!(claims.len() + facts.len(), records.len());
    // Claims come first, then facts.
    let first_fact = records.iter().position(|r| r["type"] == "fact").unwrap();
    assert!(records[first_fact..].iter().all(|r| r["type"] == "fact"));
    for r in &records {
        for k in ["id", "platform", "countries", "count", "date", "url"] {
            assert!(r.get(k).is_some(), "{k} missing: {r}");
        }
    }
    for c in &claims {
        for k in [
            "targets",
            "qualifier",
            "object",
            "action",
            "spokesperson",
            "negated",
            "evidence",
            "span",
            "site",
            "title",
            "published",
            "snapshot",
        ] {
            assert!(c.get(k).is_some(), "{k} missing: {c}");
        }
    }
    // The CSV has a row per claim; the bulk file an action line per record, whose id is
    // the record's.
    let csv = export(k, "csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), claims.len());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        takedowns::export::csv_columns()
    );
    let bulk = export(k, "ndjson");
    let lines: Vec<Value> = bulk
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2 * records.len());
    for pair in lines.chunks(2) {
        let action = &pair[0]["index"];
        let index = if pair[1]["type"] == "claim" {
            "claims"
        } else {
            "facts"
        };
        assert_eq!(action["_index"], index);
        assert_eq!(action["_id"], pair[1]["id"]);
    }
    // Stable ids: a second export of the same KB is the same, byte for byte.
    assert_eq!(export(k, "jsonl"), jsonl);
}

#[test]
fn the_quickwit_mapping_names_only_exported_fields() {
    let yaml =
        std::fs::read_to_string(support::root().join("deploy/quickwit/claims.yaml")).unwrap();
    let mapped: Vec<&str> = yaml
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- name: "))
        .collect();
    assert!(mapped.len() >= 15, "{mapped:?}");
    let kb = tempdir("export-quickwit").join("kb");
    let k = kb.to_str().unwrap();
    takedowns_ok(&["build", "--json", "--kb", k]);
    let first: Value = serde_json::from_str(export(k, "jsonl").lines().next().unwrap()).unwrap();
    for name in &mapped {
        assert!(
            first.get(*name).is_some(),
            "{name} is mapped but not exported"
        );
    }
    for (k, _) in first.as_object().unwrap() {
        assert!(
            mapped.contains(&k.as_str()),
            "{k} is exported but not mapped"
        );
    }
}

/// CSV injection (OWASP): a crawled title such as `=HYPERLINK(…)` and evidence that
/// starts with "- " must reach a spreadsheet as text, never as a formula.
#[test]
fn csv_cells_never_start_as_formulas() {
    let kb = tempdir("export-formula").join("kb");
    let k = kb.to_str().unwrap();
    takedowns_ok(&[
        "ingest",
        "--json",
        "--kb",
        k,
        "fixtures/export/formula-title.html",
        "fixtures/pages/",
    ]);
    let csv = export(k, "csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let title = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "title")
        .unwrap();
    let titles: Vec<&str> = rows.iter().filter_map(|r| r.get(title)).collect();
    assert!(
        titles.iter().any(|t| t.contains("HYPERLINK")),
        "the formula page gave no claim: {titles:?}"
    );
    let dashed = rows
        .iter()
        .filter(|r| r.iter().any(|c| c.starts_with("'-")))
        .count();
    assert!(dashed > 0, "no evidence cell began with a dash");
    for row in &rows {
        for c in row {
            assert!(
                !c.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a live cell: {c:?}"
            );
        }
    }
    // Every cell is quoted, so a separator inside one never splits it.
    let first_row = csv.lines().nth(1).unwrap();
    assert!(first_row.starts_with('"'), "{first_row}");
}
