//! PDF reports read like pages: reports written from the claims-dev stories give the gold
//! figures with their page numbers, through `extract --json`, `ingest` and `search`; a
//! Chromium print of a story reads too (where Chromium is installed); every hostile PDF
//! (`tests/pdfgen.rs`) gets one JSON line, bounded in time and memory, never a panic.

use crate::cli::{json_lines, takedowns, takedowns_ok, tempdir};
use crate::pdfgen;
use crate::support;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A claims-dev story: its file stem, gold record, and the story text as extracted from
/// its HTML (what a report of the same story would say).
struct Story {
    name: String,
    gold: Value,
    body: String,
}

fn stories(dir: &Path) -> Vec<Story> {
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    files.sort();
    for html in files {
        let gold: Value =
            serde_json::from_str(&std::fs::read_to_string(html.with_extension("json")).unwrap())
                .unwrap();
        let bytes = std::fs::read(&html).unwrap();
        let article = takedowns::extract::extract(&bytes, &Default::default()).unwrap();
        let name = html.file_stem().unwrap().to_string_lossy().into_owned();
        out.push(Story {
            name,
            gold,
            body: article.body,
        });
    }
    out
}

/// (platform, count) of every claim with a figure.
fn figures(claims: &Value) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = claims
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| Some((c["platform"].as_str()?.to_string(), c["count"].as_u64()?)))
        .collect();
    v.sort();
    v
}

/// The page a paragraph lands on in `story_report` with a break before paragraph 3 of
/// the body (paragraph 0 of the report is the date line).
const BREAK: usize = 3;

#[test]
fn reports_written_from_claims_dev_stories_give_the_gold_figures_with_pages() {
    let Some(dir) = support::shared(
        "claims-dev",
        "reports_written_from_claims_dev_stories_give_the_gold_figures_with_pages",
    ) else {
        return;
    };
    let tmp = tempdir("pdf-claims-dev");
    let mut pdfs = Vec::new();
    let (mut gold_n, mut html_n, mut pdf_n) = (0, 0, 0);
    for s in stories(&dir) {
        let title = s.gold["title"].as_str().unwrap_or("Report");
        let published = s.gold["published"].as_str().unwrap();
        let bytes = pdfgen::story_report(title, published, &s.body, &[BREAK + 1]);
        let path = tmp.join(format!("{}.pdf", s.name));
        std::fs::write(&path, bytes).unwrap();
        let out = takedowns_ok(&["extract", "--json", path.to_str().unwrap()]);
        let line = &json_lines(&out)[0];
        assert_eq!(line["title"], s.gold["title"], "{}", s.name);
        assert_eq!(line["published"], s.gold["published"], "{}", s.name);
        // Every gold figure the HTML story yields, the PDF of it yields too.
        let html_claims = takedowns::claims::find(&takedowns::extract::Article::from_text(
            s.body.clone(),
            chrono::NaiveDate::parse_from_str(published, "%Y-%m-%d").ok(),
        ));
        let from_html = figures(&serde_json::to_value(&html_claims.claims).unwrap());
        let from_pdf = figures(&line["claims"]);
        let gold = figures(&s.gold["claims"]);
        for g in &gold {
            if from_html.contains(g) {
                assert!(
                    from_pdf.contains(g),
                    "{}: {g:?} lost in the PDF: {from_pdf:?}",
                    s.name
                );
            }
        }
        gold_n += gold.len();
        html_n += gold.iter().filter(|g| from_html.contains(g)).count();
        pdf_n += gold.iter().filter(|g| from_pdf.contains(g)).count();
        // Each claim's page is where its evidence is: before the break on page 1.
        let paragraphs: Vec<&str> = s.body.split("\n\n").collect();
        for c in line["claims"].as_array().unwrap() {
            let ev = c["evidence"].as_str().unwrap();
            let page = c["page"].as_u64().unwrap_or(0);
            let at = paragraphs.iter().position(|p| {
                p.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .contains(ev)
            });
            if let Some(i) = at {
                let want = if i < BREAK { 1 } else { 2 };
                assert!(
                    page >= want,
                    "{}: {ev:?} on page {page}, paragraph {i}",
                    s.name
                );
            }
            assert!(page >= 1, "{}: a claim without its page: {c}", s.name);
        }
        pdfs.push(path);
    }
    eprintln!("claims-dev as PDF: {pdf_n} of {gold_n} gold figures ({html_n} from the HTML text)");
    assert_eq!(pdf_n, html_n, "the PDF loses no figure the text gives");

    // Ingested, then found by search with the page.
    let kb = tmp.join("kb");
    let mut args = vec!["ingest", "--kb", kb.to_str().unwrap()];
    args.extend(pdfs.iter().map(|p| p.to_str().unwrap()));
    takedowns_ok(&args);
    let out = takedowns_ok(&[
        "search",
        "--json",
        "--kb",
        kb.to_str().unwrap(),
        "--platform",
        "twitter",
        "--country",
        "IR",
    ]);
    let v = &json_lines(&out)[0];
    let hits = v["hits"].as_array().unwrap();
    let found = hits
        .iter()
        .find(|h| h["count"] == 2617)
        .unwrap_or_else(|| panic!("2,617 in Iran found: {v}"));
    assert!(found["page"].as_u64().is_some_and(|p| p >= 1), "{found}");
    assert!(found["snapshot"].is_string(), "{found}");
}

/// Chromium prints a claims-dev story (menus and all) to PDF; every figure the HTML
/// gives is read from the print. (The platform a figure is given to may differ: the
/// page's site name, which the print does not carry, names the speaker of "we".)
#[test]
fn a_chromium_printed_story_reads_like_its_page() {
    let Some(dir) = support::shared("claims-dev", "a_chromium_printed_story_reads_like_its_page")
    else {
        return;
    };
    let Some(chromium) = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
    else {
        eprintln!("SKIPPED a_chromium_printed_story_reads_like_its_page: no chromium installed");
        return;
    };
    let tmp = tempdir("pdf-chromium");
    let (mut html_n, mut pdf_n) = (0, 0);
    for name in [
        "2019-01-31-abc-twitter-iran-venezuela",
        "2023-08-29-metanewsroom-spamouflage-china",
    ] {
        let html = dir.join(format!("{name}.html"));
        let pdf = tmp.join(format!("{name}.pdf"));
        let status = std::process::Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
            ])
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", html.display()))
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success() && pdf.exists(), "chromium printed {name}");
        let from_pdf = figures(
            &json_lines(&takedowns_ok(&["extract", "--json", pdf.to_str().unwrap()]))[0]["claims"],
        );
        let from_html = figures(
            &json_lines(&takedowns_ok(&[
                "extract",
                "--json",
                html.to_str().unwrap(),
            ]))[0]["claims"],
        );
        let counts: Vec<u64> = from_pdf.iter().map(|f| f.1).collect();
        html_n += from_html.len();
        pdf_n += from_html.iter().filter(|f| counts.contains(&f.1)).count();
    }
    eprintln!("chromium prints: {pdf_n} of the {html_n} figures the HTML gives");
    assert_eq!(pdf_n, html_n);
}

#[test]
fn every_hostile_pdf_gets_one_json_line_bounded_never_a_panic() {
    let dir = tempdir("pdf-hostile");
    let cases = pdfgen::hostile();
    assert!(cases.len() >= 20, "{} hostile PDFs", cases.len());
    for (name, bytes) in cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        // 1 GiB of address space (the reading thread's stack and allocator arenas are
        // reserved, not used); peak RSS is measured by `cargo bench --bench pdf`.
        let (code, stdout, stderr) = crate::hostile::extract_within(&path, 1 << 20);
        assert!(code == 0 || code == 1, "{name}: exit {code}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), 1, "{name}: {stdout}");
        let v: Value = serde_json::from_str(lines[0]).unwrap();
        assert!(
            v["body"].is_string() != v["error"].is_string(),
            "{name}: {v}"
        );
        let _ = std::fs::remove_file(&path);
    }
}

#[test]
fn encrypted_broken_and_bomb_pdfs_say_why_in_one_line() {
    let dir = tempdir("pdf-why");
    let cases = pdfgen::hostile();
    let get = |n: &str| cases.iter().find(|c| c.0 == n).unwrap().1.clone();
    for (name, want) in [
        ("encrypted-rc4.pdf", "encrypted"),
        ("header-only.pdf", "PDF: "),
        ("flate-bomb-1gib.pdf", ""),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, get(name)).unwrap();
        let out = takedowns(&["extract", "--json", path.to_str().unwrap()]);
        let v = &json_lines(&out)[0];
        match v["error"].as_str() {
            Some(e) => assert!(e.contains(want), "{name}: {e}"),
            // A bomb may also read as a page with no text: its content is never inflated
            // past the cap.
            None => assert!(want.is_empty(), "{name}: {v}"),
        }
    }
}

/// The small hostile PDFs kept in `fixtures/hostile/` are the generator's bytes (so the
/// extraction test over that folder runs them too, and they stay reviewable text).
#[test]
fn committed_hostile_pdfs_match_the_generator() {
    let dir = support::root().join("fixtures/hostile");
    let cases = pdfgen::hostile();
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "pdf") {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let generated = cases.iter().find(|c| c.0 == name).map(|c| &c.1);
            assert_eq!(generated, Some(&std::fs::read(&p).unwrap()), "{name}");
            n += 1;
        }
    }
    assert!(n >= 5, "{n} committed hostile PDFs");
}
