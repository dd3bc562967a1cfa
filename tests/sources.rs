//! The source registry and the crawl that reads it: the bundled registry's size and
//! every address's form (nothing is fetched); a mirror of one registry entry served on
//! 127.0.0.1 whose feed links to an HTML post, a PDF report and a sports page: the post
//! and the report read and indexed, the sports page archived but not indexed until
//! `ingest --reconsider`; `crawl --every` keeping watch in a real process, conditional
//! on its second round, ended cleanly by a real SIGTERM. No traffic leaves 127.0.0.1.

use crate::cli::{json_lines, takedowns_ok, tempdir};
use crate::support;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::io::Read;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use takedowns::archive::SnapshotId;
use takedowns::crawl::{CrawlConfig, crawl};
use takedowns::sources::{self, Source, SourceKind};

#[test]
fn the_bundled_registry_lists_30_entries_over_10_platforms_all_well_formed() {
    let out = takedowns_ok(&["sources", "--json"]);
    let lines = json_lines(&out);
    assert!(lines.len() >= 30, "{} entries", lines.len());
    let mut platforms: Vec<&str> = lines
        .iter()
        .filter_map(|l| l["platform"].as_str())
        .collect();
    platforms.sort_unstable();
    platforms.dedup();
    assert!(platforms.len() >= 10, "{platforms:?}");
    assert!(
        lines.iter().any(|l| l["kind"] == "news"),
        "news sources too"
    );
    let list = sources::load(None).unwrap();
    assert_eq!(list.len(), lines.len());
    for s in &list {
        for u in s.urls() {
            let parsed = url::Url::parse(u).unwrap();
            assert!(matches!(parsed.scheme(), "https" | "http"), "{u}");
            assert!(
                matches!(parsed.host(), Some(url::Host::Domain(d)) if d.contains('.')),
                "{}: {u}",
                s.name
            );
            assert!(sources::check_url(u).is_ok(), "{u}");
        }
        assert!(!s.checked.is_empty(), "{}: how it was established", s.name);
        assert_eq!(
            s.kind == SourceKind::Platform,
            s.platform.is_some(),
            "{}",
            s.name
        );
    }
    let text = String::from_utf8_lossy(&takedowns_ok(&["sources"]).stderr).into_owned()
        + &String::from_utf8_lossy(&takedowns_ok(&["sources"]).stdout);
    assert!(text.contains(&format!("{} sources", list.len())), "{text}");
}

#[test]
fn a_registry_file_with_a_bad_entry_is_refused_naming_its_line() {
    let dir = tempdir("sources-bad");
    let file = dir.join("mine.tsv");
    std::fs::write(
        &file,
        "# mine\nplatform\ttwitter\tx\thttps://x.example/\t-\t10\t1\tknown\nnews\t-\ty\tjavascript:alert(1)\t-\t10\t1\tknown\n",
    )
    .unwrap();
    let out = crate::cli::takedowns(&["sources", "--file", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("mine.tsv:3") && err.contains("http(s)"),
        "{err}"
    );
}

/// A small site on 127.0.0.1: fixed answers by path, with ETags (304 on a match), and a
/// log of (path, conditional).
struct Mirror {
    base: String,
    pages: HashMap<String, (&'static str, Vec<u8>)>,
    log: Mutex<Vec<(String, bool)>>,
}

async fn answer(State(m): State<Arc<Mirror>>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let inm = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    m.log.lock().unwrap().push((path.clone(), inm.is_some()));
    let Some((ct, body)) = m.pages.get(&path) else {
        return (StatusCode::NOT_FOUND, "no such page").into_response();
    };
    let etag = format!("\"{}\"", &SnapshotId::of(body).as_str()[..16]);
    if inm.as_deref() == Some(etag.as_str()) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (
        [(header::CONTENT_TYPE, ct.to_string()), (header::ETAG, etag)],
        body.clone(),
    )
        .into_response()
}

/// Serves `pages` (built from the base URL) on a free port of 127.0.0.1.
fn serve(pages: impl FnOnce(&str) -> HashMap<String, (&'static str, Vec<u8>)>) -> Arc<Mirror> {
    let mut made = None;
    support::serve_loopback(|addr| {
        let base = format!("http://{addr}");
        let mirror = Arc::new(Mirror {
            pages: pages(&base),
            base,
            log: Mutex::new(Vec::new()),
        });
        made = Some(mirror.clone());
        axum::Router::new().fallback(answer).with_state(mirror)
    });
    made.unwrap()
}

const ENTRY: &str = "meta-cib-tag";
const POST: &str = "/news/2019/03/cib-iran-russia-macedonia-kosovo/";
const REPORT: &str = "/reports/adversarial-threat-report-q4-2022.pdf";
const SPORTS: &str = "/sports/derby-ends-level/";

fn sports_page() -> Vec<u8> {
    b"<!DOCTYPE html><html lang=\"en\"><head><title>Derby ends level</title></head><body><article><h1>Derby ends level after late equaliser</h1><p>The home side led for most of the second half before a header in stoppage time levelled the derby at two goals each.</p><p>The manager said the squad would rest on Sunday before the cup tie next week, and praised the young goalkeeper for three saves in the first half.</p></article></body></html>".to_vec()
}

/// The registry entry `ENTRY`, its paths kept, its host moved to the mirror; the mirror
/// serves its start page, its feed (linking to a post, a PDF report and a sports page),
/// and those three.
fn mirror_entry() -> (Arc<Mirror>, Source) {
    let bundled = sources::load(None).unwrap();
    let entry = bundled.into_iter().find(|s| s.name == ENTRY).unwrap();
    let path_of = |u: &str| url::Url::parse(u).unwrap().path().to_string();
    let (start, feed) = (path_of(&entry.url), path_of(&entry.feeds[0]));
    let root = support::root();
    let post =
        std::fs::read(root.join("fixtures/pages/2019-03-26-fbabout-cib-irrumk/page.html")).unwrap();
    let (report, _) = crate::pdfgen::fixture_report("2023-02-23-metapressroom-serbia-cuba-bolivia");
    let (start2, feed2) = (start.clone(), feed.clone());
    let mirror = serve(move |base| {
        let item =
            |p: &str, t: &str| format!("<item><title>{t}</title><link>{base}{p}</link></item>");
        let rss = format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>CIB</title><link>{base}{start2}</link>{}{}{}</channel></rss>",
            item(POST, "CIB from Iran, Russia, Macedonia and Kosovo"),
            item(REPORT, "Adversarial threat report"),
            item(SPORTS, "Derby ends level"),
        );
        let hub = format!(
            "<!DOCTYPE html><html><head><title>Newsroom</title><link rel=\"alternate\" type=\"application/rss+xml\" href=\"{feed2}\"></head><body><main><h1>Newsroom</h1><p>Posts from the newsroom.</p></main></body></html>"
        );
        HashMap::from([
            (
                "/robots.txt".to_string(),
                ("text/plain", b"User-agent: *\nAllow: /\n".to_vec()),
            ),
            (
                start2.clone(),
                ("text/html; charset=utf-8", hub.into_bytes()),
            ),
            (feed2.clone(), ("application/rss+xml", rss.into_bytes())),
            (POST.to_string(), ("text/html; charset=utf-8", post)),
            (REPORT.to_string(), ("application/pdf", report)),
            (
                SPORTS.to_string(),
                ("text/html; charset=utf-8", sports_page()),
            ),
        ])
    });
    let local = |p: &str| format!("{}{p}", mirror.base);
    let source = Source {
        url: local(&start),
        feeds: vec![local(&feed)],
        ..entry
    };
    (mirror, source)
}

fn config(kb: &std::path::Path, source: Source) -> CrawlConfig {
    let mut cfg = CrawlConfig::new(kb.to_path_buf(), Vec::new());
    cfg.sources = vec![source];
    cfg.delay = Duration::from_millis(20);
    cfg.progress = false;
    cfg.policy.allow = vec![IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1))];
    cfg
}

#[test]
fn a_mirrored_registry_entry_reads_its_post_and_pdf_and_keeps_the_sports_page_out() {
    let (mirror, source) = mirror_entry();
    let kb = tempdir("sources-mirror").join("kb");
    let report = crawl(&config(&kb, source)).expect("crawl");
    let log: Vec<String> = mirror
        .log
        .lock()
        .unwrap()
        .iter()
        .map(|h| h.0.clone())
        .collect();
    for p in [POST, REPORT, SPORTS] {
        assert_eq!(log.iter().filter(|l| *l == p).count(), 1, "{p}: {log:?}");
    }
    assert_eq!(report.pdfs, 1, "{report:?}");
    assert!(report.not_indexed >= 1, "{report:?}");

    // The post and the report are articles with claims; the report's carry pages.
    let kbs = kb.to_str().unwrap();
    let v = crate::kb::search(kbs, &["--platform", "facebook", "--limit", "500"]);
    let hits = v["hits"].as_array().unwrap();
    let from = |p: &str| {
        hits.iter()
            .filter(|h| h["url"].as_str().unwrap_or("").ends_with(p))
            .count()
    };
    assert!(from(POST) >= 1, "{v}");
    assert!(from(REPORT) >= 1, "{v}");
    assert!(
        hits.iter()
            .filter(|h| h["url"].as_str().unwrap_or("").ends_with(REPORT))
            .all(|h| h["page"].as_u64().is_some_and(|p| p >= 1)),
        "{v}"
    );

    // The sports page: archived as fetched, not an article, until reconsidered.
    let sports = SnapshotId::of(&sports_page());
    let open = || takedowns::index::Kb::open(&kb, false).unwrap();
    let article = |kb: &takedowns::index::Kb| {
        takedowns::search::by_id(kb, "article", sports.as_str()).unwrap()
    };
    assert!(
        article(&open()).is_none(),
        "the sports page is not an article"
    );
    assert!(archive_holds(&kb, &sports), "the sports page is archived");
    let out = takedowns_ok(&["ingest", "--json", "--kb", kbs, "--reconsider"]);
    let r = &json_lines(&out)[0];
    assert!(r["reconsidered"].as_u64().unwrap() >= 1, "{r}");
    assert!(article(&open()).is_some(), "indexed from the archive");
    let check = takedowns_ok(&["check", "--json", "--kb", kbs]);
    assert_eq!(json_lines(&check)[0]["ok"], true);
}

/// Whether the archive of a knowledge base holds a page with this snapshot.
fn archive_holds(kb: &std::path::Path, snap: &SnapshotId) -> bool {
    let dir = kb.join("archive");
    takedowns::archive::warc_files(&dir).iter().any(|f| {
        let mut r = takedowns::archive::WarcReader::open(f, 1 << 24).unwrap();
        std::iter::from_fn(|| r.next_page().ok().flatten()).any(|p| &p.snapshot == snap)
    })
}

/// Lines of a child's stderr as they come, on a thread.
fn stderr_lines(child: &mut std::process::Child) -> Arc<Mutex<Vec<String>>> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let mut err = child.stderr.take().unwrap();
    let sink = lines.clone();
    std::thread::spawn(move || {
        let mut buf = String::new();
        let mut chunk = [0u8; 4096];
        while let Ok(n) = err.read(&mut chunk) {
            if n == 0 {
                break;
            }
            buf.push_str(&String::from_utf8_lossy(&chunk[..n]));
            while let Some(i) = buf.find('\n') {
                let line: String = buf.drain(..=i).collect();
                sink.lock().unwrap().push(line.trim_end().to_string());
            }
        }
    });
    lines
}

fn wait_for(what: &str, secs: u64, mut ok: impl FnMut() -> bool) {
    let t = Instant::now();
    while !ok() {
        assert!(
            t.elapsed() < Duration::from_secs(secs),
            "waited {secs} s for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn sigterm(child: &std::process::Child) {
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

fn wait_exit(child: &mut std::process::Child, secs: u64) -> std::process::ExitStatus {
    let t = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        if t.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            panic!("still running {secs} s after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `crawl --every`: a summary line per round, the second round conditional (every page
/// asked with If-None-Match, all unchanged), and a SIGTERM between rounds ends it at
/// once, exit 0, with the knowledge base whole.
#[test]
fn crawl_every_keeps_watch_conditionally_and_a_sigterm_ends_it_cleanly() {
    let (mirror, _) = mirror_entry();
    let kb = tempdir("sources-every").join("kb");
    let seed = format!("{}{POST}", mirror.base);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_takedowns"))
        .args([
            "crawl",
            "--kb",
            kb.to_str().unwrap(),
            "--seeds",
            &seed,
            &format!("{}{REPORT}", mirror.base),
        ])
        .args([
            "--allow-private",
            "--delay-ms",
            "20",
            "--every",
            "2s",
            "--max-depth",
            "0",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let lines = stderr_lines(&mut child);
    let rounds = |n: usize| {
        let l = lines.lock().unwrap();
        l.iter().filter(|x| x.contains(": round ")).count() >= n
    };
    wait_for("two rounds", 60, || rounds(2));
    sigterm(&child);
    let status = wait_exit(&mut child, 10);
    assert!(status.success(), "{status:?}: {:?}", lines.lock().unwrap());
    let all = lines.lock().unwrap().clone();
    let summaries: Vec<&String> = all.iter().filter(|x| x.contains(": round ")).collect();
    assert!(summaries[0].contains("2 new"), "{summaries:?}");
    assert!(
        summaries[1].contains("0 new") && summaries[1].contains("2 unchanged"),
        "{summaries:?}"
    );
    let log = mirror.log.lock().unwrap().clone();
    let asked: Vec<&(String, bool)> = log
        .iter()
        .filter(|h| h.0 == POST || h.0 == REPORT)
        .collect();
    assert!(asked.len() >= 4, "{log:?}");
    assert!(
        asked[2..].iter().all(|h| h.1),
        "the second round is conditional: {log:?}"
    );
    let check = takedowns_ok(&["check", "--json", "--kb", kb.to_str().unwrap()]);
    assert_eq!(json_lines(&check)[0]["ok"], true);
}

/// A SIGTERM in the middle of a round: the fetches in flight finish, what they brought
/// is committed, the frontier is kept, and the process exits 0 saying so; the next run
/// resumes from the frontier.
#[test]
fn a_sigterm_mid_round_commits_and_keeps_the_frontier() {
    // 40 pages linked from the start page, one at a time 100 ms apart: a few seconds.
    let post = std::fs::read(
        support::root().join("fixtures/pages/2019-03-26-fbabout-cib-irrumk/page.html"),
    )
    .unwrap();
    let mirror = serve(move |_| {
        let mut pages = HashMap::new();
        let links: String = (0..40)
            .map(|i| format!("<li><a href=\"/post/{i}/\">post {i}</a></li>"))
            .collect();
        pages.insert(
            "/".to_string(),
            (
                "text/html",
                format!("<html><body><ul>{links}</ul></body></html>").into_bytes(),
            ),
        );
        for i in 0..40 {
            let mut page = post.clone();
            page.extend(format!("<!-- {i} -->").into_bytes());
            pages.insert(format!("/post/{i}/"), ("text/html; charset=utf-8", page));
        }
        pages
    });
    let kb = tempdir("sources-sigterm").join("kb");
    let args = |kb: &std::path::Path| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_takedowns"));
        c.args([
            "crawl",
            "--kb",
            kb.to_str().unwrap(),
            "--seeds",
            &format!("{}/", mirror.base),
        ])
        .args([
            "--allow-private",
            "--delay-ms",
            "100",
            "--max-depth",
            "1",
            "--commit-every",
            "5",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
        c
    };
    let mut child = args(&kb).spawn().unwrap();
    let lines = stderr_lines(&mut child);
    let fetched = || {
        let l = mirror.log.lock().unwrap();
        l.iter().filter(|h| h.0.starts_with("/post/")).count()
    };
    wait_for("ten posts fetched", 60, || fetched() >= 10);
    sigterm(&child);
    let status = wait_exit(&mut child, 10);
    assert!(status.success(), "{status:?}: {:?}", lines.lock().unwrap());
    let all = lines.lock().unwrap().join("\n");
    assert!(all.contains("stopped on request"), "{all}");
    let before = fetched();
    assert!(before < 40, "stopped early: {before}");
    let check = takedowns_ok(&["check", "--json", "--kb", kb.to_str().unwrap()]);
    let c = &json_lines(&check)[0];
    assert_eq!(c["ok"], true, "{c}");
    assert!(
        c["articles"].as_u64().unwrap() as usize >= before - 1,
        "{c}: committed what was fetched"
    );
    // The next run resumes: it fetches only what was left.
    let out = args(&kb).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(fetched(), 40, "every post fetched once in all");
}
