//! The crawler against a site this test serves on 127.0.0.1 (`fixtures/site/`, articles
//! from `fixtures/pages/`): robots.txt obeyed and fetched once, sitemap-only and
//! feed-only articles found, per-host gaps, every response archived, claims searchable,
//! a re-crawl conditional and changing nothing; hostile URLs (slow, huge, compressed bomb,
//! redirect loop, 429) bounded; nothing fetched without `--allow-private`; a redirect to
//! 127.0.0.2 refused with the guard on; special-purpose and embedded-loopback address
//! seeds refused and a `.invalid` seed failed as DNS, each with no request made. No
//! traffic leaves 127.0.0.1.

use crate::cli::{json_lines, takedowns, takedowns_ok, tempdir};
use crate::support;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use takedowns::crawl::{CrawlConfig, crawl};

/// One request the site saw.
#[derive(Debug, Clone)]
struct Hit {
    path: String,
    at: Instant,
    conditional: bool,
    agent: String,
}

struct Site {
    base: String,
    log: Mutex<Vec<Hit>>,
    busy: AtomicUsize,
    /// Requests of `/stall-once` so far: the first gets no answer in time.
    stalled: AtomicUsize,
    /// robots.txt answers 503: the whole host must be left alone.
    robots_broken: bool,
}

const SITE_ETAG_SALT: &str = "v1";

fn page_file(name: &str) -> Option<PathBuf> {
    let p = support::root()
        .join("fixtures/pages")
        .join(name)
        .join("page.html");
    p.is_file().then_some(p)
}

fn site_file(rel: &str, base: &str) -> Option<String> {
    let p = support::root().join("fixtures/site").join(rel);
    std::fs::read_to_string(p)
        .ok()
        .map(|t| t.replace("{{BASE}}", base))
}

fn etag_of(bytes: &[u8]) -> String {
    let id = takedowns::archive::SnapshotId::of(bytes);
    format!("\"{SITE_ETAG_SALT}-{}\"", &id.as_str()[..16])
}

fn with_type(ct: &'static str, body: impl Into<Body>) -> Response {
    ([(header::CONTENT_TYPE, ct)], body.into()).into_response()
}

async fn handle(State(site): State<Arc<Site>>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let pq = req
        .uri()
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_else(|| path.clone());
    let headers: &HeaderMap = req.headers();
    let inm = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let conditional = inm.is_some() || headers.contains_key(header::IF_MODIFIED_SINCE);
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    site.log.lock().unwrap().push(Hit {
        path: pq,
        at: Instant::now(),
        conditional,
        agent,
    });
    let base = site.base.clone();
    let text = |rel: &str, ct: &'static str| match site_file(rel, &base) {
        Some(t) => with_type(ct, t),
        None => StatusCode::NOT_FOUND.into_response(),
    };
    match path.as_str() {
        "/" => text("index.html", "text/html; charset=utf-8"),
        "/robots.txt" if site.robots_broken => {
            (StatusCode::SERVICE_UNAVAILABLE, "down for maintenance").into_response()
        }
        "/robots.txt" => text("robots.txt", "text/plain"),
        "/sitemap-index.xml" => text("sitemap-index.xml", "application/xml"),
        "/sitemap-news.xml" => text("sitemap-news.xml", "application/xml"),
        "/feed.xml" => text("feed.xml", "application/rss+xml"),
        p if p.starts_with("/private/") => text(&p[1..], "text/html"),
        "/old" => redirect(
            StatusCode::MOVED_PERMANENTLY,
            "/news/2020-09-30-cvgazette-twitter-iran-debate.html",
        ),
        p if p.starts_with("/loop/") => {
            let n: usize = p[6..].parse().unwrap_or(0);
            redirect(StatusCode::FOUND, &format!("/loop/{}", n + 1))
        }
        "/away" => redirect(
            StatusCode::FOUND,
            &format!("http://127.0.0.2:{}/", port_of(&base)),
        ),
        "/busy" => {
            if site.busy.fetch_add(1, Ordering::SeqCst) == 0 {
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    [(header::RETRY_AFTER, "1")],
                    "slow down",
                )
                    .into_response()
            } else {
                article(
                    "2019-05-16-harboursideobserver-facebook-archimedes-israel",
                    inm,
                )
            }
        }
        "/stall-once" => {
            // A loaded server: the first answer comes long after any client gave up.
            if site.stalled.fetch_add(1, Ordering::SeqCst) == 0 {
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
            article(
                "2019-05-16-harboursideobserver-facebook-archimedes-israel",
                inm,
            )
        }
        "/slow" => {
            // One byte every 200 ms for a minute: only a total deadline ends it.
            let stream = futures_util::stream::unfold(0usize, |i| async move {
                if i >= 300 {
                    return None;
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
                Some((
                    Ok::<_, std::io::Error>(axum::body::Bytes::from_static(b"<")),
                    i + 1,
                ))
            });
            with_type("text/html", Body::from_stream(stream))
        }
        "/huge" => {
            // 3 MiB of HTML against a 1 MiB cap.
            let mut body = b"<html><body><p>".to_vec();
            body.resize(3 << 20, b'a');
            with_type("text/html", body)
        }
        "/report.pdf" => with_type(
            "application/pdf",
            crate::pdfgen::fixture_report("2020-08-05-googletagblog-bulletin-q2-2020").0,
        ),
        "/chart.png" => with_type("image/png", &b"\x89PNG\r\n\x1a\n a chart"[..]),
        "/bomb" => {
            // 64 MiB of zeros compressed to about 64 KiB.
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            let zeros = vec![b'0'; 1 << 20];
            for _ in 0..64 {
                let _ = gz.write_all(&zeros);
            }
            let packed = gz.finish().unwrap_or_default();
            (
                [
                    (header::CONTENT_TYPE, "text/html"),
                    (header::CONTENT_ENCODING, "gzip"),
                ],
                packed,
            )
                .into_response()
        }
        p if p.starts_with("/news/") && p.ends_with(".html") => article(&p[6..p.len() - 5], inm),
        _ => (StatusCode::NOT_FOUND, "no such page").into_response(),
    }
}

fn port_of(base: &str) -> u16 {
    base.rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or(0)
}

fn redirect(code: StatusCode, to: &str) -> Response {
    (code, [(header::LOCATION, to.to_string())]).into_response()
}

fn article(name: &str, inm: Option<String>) -> Response {
    let Some(bytes) = page_file(name).and_then(|p| std::fs::read(p).ok()) else {
        return (StatusCode::NOT_FOUND, "no such article").into_response();
    };
    let etag = etag_of(&bytes);
    if inm.as_deref() == Some(etag.as_str()) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_string()),
            (header::ETAG, etag),
            (
                header::LAST_MODIFIED,
                "Fri, 11 Oct 2024 09:30:00 GMT".to_string(),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// Starts the site on 127.0.0.1 on a free port, in a thread of its own.
fn serve() -> Arc<Site> {
    serve_with(false)
}

fn serve_with(robots_broken: bool) -> Arc<Site> {
    let mut made = None;
    support::serve_loopback(|addr| {
        let site = Arc::new(Site {
            base: format!("http://{addr}"),
            log: Mutex::new(Vec::new()),
            busy: AtomicUsize::new(0),
            stalled: AtomicUsize::new(0),
            robots_broken,
        });
        made = Some(site.clone());
        axum::Router::new().fallback(handle).with_state(site)
    });
    made.unwrap()
}

fn hits(site: &Site) -> Vec<Hit> {
    site.log.lock().unwrap().clone()
}

fn paths(hits: &[Hit]) -> Vec<String> {
    hits.iter()
        .map(|h| h.path.split('?').next().unwrap_or("").to_string())
        .collect()
}

fn config(kb: &Path, site: &Site, delay_ms: u64) -> CrawlConfig {
    let mut cfg = CrawlConfig::new(kb.to_path_buf(), vec![format!("{}/", site.base)]);
    cfg.delay = Duration::from_millis(delay_ms);
    // The home page's links, and no further: the articles' own menus lead nowhere here.
    cfg.max_depth = 1;
    cfg.max_body = 1 << 20;
    cfg.timeout = Duration::from_secs(2);
    cfg.max_retry_after = Duration::from_secs(2);
    cfg.progress = false;
    // The guard stays on: only 127.0.0.1 itself is let through, so 127.0.0.2 is refused.
    cfg.policy.allow = vec![IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1))];
    cfg
}

/// The WARC records (type, target URI, whether truncated, block length) in a KB.
fn warc_records(kb: &Path) -> Vec<(String, String, bool, usize)> {
    let mut files = Vec::new();
    let mut stack = vec![kb.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.to_string_lossy().ends_with(".warc.gz") {
                files.push(p);
            }
        }
    }
    let mut out = Vec::new();
    for f in files {
        let mut text = Vec::new();
        flate2::read::MultiGzDecoder::new(std::fs::File::open(&f).unwrap())
            .read_to_end(&mut text)
            .unwrap();
        let mut rest = &text[..];
        while let Some(end) = find(rest, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&rest[..end]).to_string();
            let get = |k: &str| {
                head.lines()
                    .find_map(|l| l.strip_prefix(k))
                    .map(|v| v.trim().to_string())
                    .unwrap_or_default()
            };
            let len: usize = get("Content-Length:").parse().unwrap();
            out.push((
                get("WARC-Type:"),
                get("WARC-Target-URI:"),
                head.contains("WARC-Truncated:"),
                len,
            ));
            rest = &rest[(end + 4 + len + 4).min(rest.len())..];
        }
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn search(kb: &Path, args: &[&str]) -> serde_json::Value {
    crate::kb::search(kb.to_str().unwrap(), args)
}

fn hit_urls(v: &serde_json::Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["url"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn polite_complete_archived_and_conditional() {
    let site = serve();
    let kb = tempdir("crawl-site").join("kb");
    let delay = 150u64;
    let report = crawl(&config(&kb, &site, delay)).expect("crawl");
    let first = hits(&site);
    let seen = paths(&first);
    let count = |p: &str| seen.iter().filter(|s| *s == p).count();

    // robots.txt first, once; nothing under /private/ ever asked for.
    assert_eq!(seen[0], "/robots.txt", "{seen:?}");
    assert_eq!(count("/robots.txt"), 1, "{seen:?}");
    assert!(!seen.iter().any(|p| p.starts_with("/private/")), "{seen:?}");
    assert!(
        report.disallowed >= 1,
        "the staff link is disallowed: {report:?}"
    );
    // Every request names the project and a contact URL.
    assert!(
        first
            .iter()
            .all(|h| h.agent.contains("takedowns") && h.agent.contains("https://"))
    );

    // Discovery: the sitemap-only article through robots.txt → index → news sitemap,
    // the feed-only article through the <link rel=alternate> feed, the moved page
    // through its redirect; the tracking-parameter duplicate asked for once.
    for p in [
        "/sitemap-index.xml",
        "/sitemap-news.xml",
        "/feed.xml",
        "/news/2018-07-06-keystonewire-twitter-suspensions.html",
        "/news/2024-12-04-eurodeskreport-tiktok-romania.html",
        "/news/2024-10-11-danubedispatch-meta-moldova.html",
        "/news/2020-09-30-cvgazette-twitter-iran-debate.html",
        "/news/2023-11-30-lakeshoretimes-meta-china-4789.html",
    ] {
        assert_eq!(count(p), 1, "{p} asked once: {seen:?}");
    }
    // The 429 is retried after its Retry-After and then fetched.
    assert_eq!(count("/busy"), 2, "{seen:?}");
    let busy: Vec<&Hit> = first.iter().filter(|h| h.path == "/busy").collect();
    assert!(busy[1].at.duration_since(busy[0].at) >= Duration::from_secs(1));
    // A redirect loop stops after 5 hops; the redirect to 127.0.0.2 is refused.
    assert_eq!(
        seen.iter().filter(|p| p.starts_with("/loop/")).count(),
        6,
        "{seen:?}"
    );
    assert!(
        report
            .failed
            .iter()
            .any(|(u, e)| u.contains("/loop/") && e.contains("more than 5 redirects")),
        "{report:?}"
    );
    assert!(
        report
            .refused
            .iter()
            .any(|(u, _)| u.starts_with("http://127.0.0.2:")),
        "{report:?}"
    );
    // The trickling page is cut by the total deadline; a 404 is a failure, not a page.
    assert!(
        report.failed.iter().any(|(u, _)| u.ends_with("/slow")),
        "{report:?}"
    );
    assert!(
        report
            .failed
            .iter()
            .any(|(u, e)| u.ends_with("/missing") && e.contains("404")),
        "{report:?}"
    );
    assert!(
        !report
            .failed
            .iter()
            .any(|(u, _)| u.contains("elsewhere.example"))
    );
    // A PDF report is read like a page; an image is archived, not extracted.
    assert_eq!(report.pdfs, 1, "{report:?}");
    assert!(
        report
            .skipped
            .iter()
            .any(|(u, e)| u.ends_with("/chart.png") && e.contains("image/png")),
        "{report:?}"
    );

    // Per-host gap: no request starts sooner than --delay-ms after the previous one.
    for w in first.windows(2) {
        let gap = w[1].at.duration_since(w[0].at);
        assert!(
            gap >= Duration::from_millis(delay),
            "{} then {} after {gap:?}",
            w[0].path,
            w[1].path
        );
    }

    // Every response is in the WARC, with its request; the huge page and the bomb are
    // cut at the cap and marked truncated.
    let records = warc_records(&kb);
    let responses: Vec<&(String, String, bool, usize)> =
        records.iter().filter(|r| r.0 == "response").collect();
    let requests = records.iter().filter(|r| r.0 == "request").count();
    assert_eq!(requests, first.len(), "a request record per request");
    for h in &first {
        let uri = format!("{}{}", site.base, h.path);
        assert!(
            responses.iter().any(|r| r.1 == uri),
            "no response record for {uri}"
        );
    }
    for p in ["/huge", "/bomb"] {
        let r = responses
            .iter()
            .find(|r| r.1.ends_with(p))
            .unwrap_or_else(|| panic!("{p} archived"));
        assert!(r.2, "{p} marked truncated");
        assert!(r.3 <= (1 << 20) + 4096, "{p} block {} bytes", r.3);
    }

    // Claims are searchable, from the sitemap-only and the feed-only article too.
    let md = search(&kb, &["--country", "MD"]);
    assert!(
        hit_urls(&md).iter().any(|u| u.contains("danubedispatch")),
        "{md}"
    );
    let ro = search(&kb, &["--platform", "tiktok", "--country", "RO"]);
    assert!(
        hit_urls(&ro).iter().any(|u| u.contains("eurodeskreport")),
        "{ro}"
    );
    let yt = search(&kb, &["--platform", "youtube", "--country", "CN"]);
    assert!(
        yt["hits"].as_array().unwrap().iter().any(|h| h["url"]
            .as_str()
            .unwrap_or("")
            .ends_with("/report.pdf")
            && h["page"].as_u64().is_some()),
        "the PDF's claims, with their page: {yt}"
    );
    let tw = search(&kb, &["--platform", "twitter", "--until", "2018-12-31"]);
    assert!(
        hit_urls(&tw).iter().any(|u| u.contains("keystonewire")),
        "{tw}"
    );
    let before = search(&kb, &["--limit", "1000"]);

    // A second crawl: robots.txt from the cache, every article asked conditionally,
    // answered 304, and the knowledge base unchanged.
    let n = first.len();
    let again = crawl(&config(&kb, &site, delay)).expect("second crawl");
    let second: Vec<Hit> = hits(&site)[n..].to_vec();
    let seen2 = paths(&second);
    assert!(
        !seen2.iter().any(|p| p == "/robots.txt"),
        "robots.txt cached: {seen2:?}"
    );
    let articles: Vec<&Hit> = second
        .iter()
        .filter(|h| h.path.starts_with("/news/"))
        .collect();
    assert!(articles.len() >= 5, "{seen2:?}");
    assert!(articles.iter().all(|h| h.conditional), "{articles:?}");
    assert_eq!(again.added, 0, "{again:?}");
    assert!(again.unchanged >= 5, "{again:?}");
    let after = search(&kb, &["--limit", "1000"]);
    assert_eq!(before["total"], after["total"]);
    assert_eq!(hit_urls(&before), hit_urls(&after));
}

#[test]
fn nothing_fetched_without_allow_private() {
    let site = serve();
    let kb = tempdir("crawl-guard").join("kb");
    let seed = format!("{}/", site.base);
    let localhost = seed.replace("127.0.0.1", "localhost");
    let out = takedowns(&[
        "crawl",
        "--kb",
        kb.to_str().unwrap(),
        "--seeds",
        &seed,
        &localhost,
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("refused") && err.contains("--allow-private"),
        "{err}"
    );
    assert!(
        err.contains("127.0.0.1 is a loopback"),
        "the IP literal: {err}"
    );
    assert!(
        err.contains("localhost resolves only to"),
        "the name: {err}"
    );
    assert!(hits(&site).is_empty(), "no request reached the site");
}

/// `takedowns crawl --json` of one seed with the guard on: the exit code, the report
/// printed on stdout and stderr.
fn crawl_one(name: &str, seed: &str) -> (Option<i32>, serde_json::Value, String) {
    let kb = tempdir(name).join("kb");
    let out = takedowns(&[
        "crawl",
        "--json",
        "--kb",
        kb.to_str().unwrap(),
        "--seeds",
        seed,
        "--delay-ms",
        "50",
        "--timeout-secs",
        "2",
    ]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = json_lines(&out)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{seed}: no --json report on stdout; stderr: {err}"));
    (out.status.code(), report, err)
}

// These addresses are outside 127/8 and must never be contacted: the guard refuses them
// before any connection, and the report must say no request was made.
#[test]
fn special_purpose_and_embedded_loopback_addresses_are_refused_before_any_request() {
    for seed in [
        "http://198.18.0.1/",
        "http://[64:ff9b::7f00:1]/",
        "http://[2002:7f00:1::1]/",
    ] {
        let (code, report, err) = crawl_one("crawl-special", seed);
        assert_eq!(report["requests"], 0, "{seed}: {report}");
        assert_eq!(code, Some(1), "{seed}: nothing fetched: {err}");
        let refused = report["refused"].as_array().unwrap();
        assert!(
            refused
                .iter()
                .any(|r| r[0] == seed && r[1].as_str().unwrap().contains("use --allow-private")),
            "{seed}: {report}"
        );
        assert!(err.contains("refused"), "{seed}: {err}");
    }
}

// `.invalid` never resolves (RFC 6761): the guard fails it as a DNS failure without asking
// any resolver, so this test sends nothing anywhere.
#[test]
fn a_name_that_does_not_resolve_is_a_dns_failure_and_nothing_fetched() {
    let seed = "http://no-such-host.invalid/";
    let (code, report, err) = crawl_one("crawl-dns", seed);
    assert_eq!(report["disallowed"], 0, "not a robots.txt matter: {report}");
    let failed = report["failed"].as_array().unwrap();
    assert!(
        failed.iter().any(|r| r[0] == seed
            && r[1].as_str().unwrap().contains("DNS")
            && !r[1].as_str().unwrap().contains("robots")),
        "the seed failed on DNS: {report}"
    );
    assert_eq!(report["requests"], 0, "{report}");
    assert_eq!(code, Some(1), "nothing fetched: {err}");
    assert!(err.contains("DNS"), "{err}");
}

#[test]
fn cli_crawl_with_allow_private_reports_and_indexes() {
    let site = serve();
    let kb = tempdir("crawl-cli").join("kb");
    let seeds = tempdir("crawl-cli-seeds").join("seeds.txt");
    std::fs::write(
        &seeds,
        format!(
            "# one URL per line\n{0}/news/2024-10-11-danubedispatch-meta-moldova.html\n\n{0}/missing\n",
            site.base
        ),
    )
    .unwrap();
    let out = takedowns_ok(&[
        "crawl",
        "--json",
        "--kb",
        kb.to_str().unwrap(),
        "--seeds",
        seeds.to_str().unwrap(),
        "--max-depth",
        "0",
        "--delay-ms",
        "50",
        "--allow-private",
    ]);
    let v = json_lines(&out).remove(0);
    assert_eq!(v["pages"], 1, "{v}");
    assert!(v["claims"].as_u64().unwrap() >= 3, "{v}");
    let seen = paths(&hits(&site));
    // --max-depth 0: the seeds (and robots.txt, and the sitemaps robots.txt names), no links.
    assert!(!seen.iter().any(|p| p == "/"), "{seen:?}");
    let md = search(&kb, &["--country", "MD"]);
    assert!(!md["hits"].as_array().unwrap().is_empty());
}

#[test]
fn killed_crawl_resumes_without_refetching_what_is_stored() {
    let site = serve();
    let kb = tempdir("crawl-kill").join("kb");
    let seed = format!("{}/", site.base);
    let args = [
        "crawl",
        "--kb",
        kb.to_str().unwrap(),
        "--seeds",
        &seed,
        "--max-depth",
        "1",
        "--delay-ms",
        "250",
        "--commit-every",
        "2",
        "--timeout-secs",
        "2",
        "--allow-private",
    ];
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_takedowns"))
        .args(args)
        .current_dir(support::root())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill -9 once a checkpoint holds a few stored pages and a frontier.
    let state_file = kb.join("crawl/state.json");
    let started = Instant::now();
    let done: Vec<String> = loop {
        let state: Option<serde_json::Value> = std::fs::read_to_string(&state_file)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok());
        if let Some(s) = state {
            let done: Vec<String> = s["done"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u.as_str().unwrap().to_string())
                .collect();
            if done.len() >= 4 && !s["frontier"].as_array().unwrap().is_empty() {
                child.kill().unwrap();
                break done;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no checkpoint within a minute"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = child.wait();
    let n = hits(&site).len();

    takedowns_ok(&args);
    let second = paths(&hits(&site)[n..]);
    for u in &done {
        let path = u
            .strip_prefix(&site.base)
            .unwrap_or(u)
            .split('?')
            .next()
            .unwrap()
            .to_string();
        assert!(
            !second.contains(&path),
            "{path} was stored, yet fetched again: {second:?}"
        );
    }
    // The resumed crawl finishes the site: every article is in the knowledge base.
    let all = search(&kb, &["--limit", "1000"]);
    let urls = hit_urls(&all);
    for name in [
        "abcnews",
        "lakeshoretimes",
        "cvgazette",
        "/busy",
        "danubedispatch",
        "eurodeskreport",
        "keystonewire",
    ] {
        assert!(
            urls.iter().any(|u| u.contains(name)),
            "{name} missing after resume"
        );
    }
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state_file).unwrap()).unwrap();
    assert_eq!(state["complete"], true);
}

#[test]
fn robots_txt_5xx_leaves_the_host_alone() {
    let site = serve_with(true);
    let kb = tempdir("crawl-robots-5xx").join("kb");
    let report = crawl(&config(&kb, &site, 50)).expect("crawl");
    let seen = paths(&hits(&site));
    // Asked twice (once more after a pause), and nothing else on the host.
    assert_eq!(seen, vec!["/robots.txt", "/robots.txt"], "{seen:?}");
    assert_eq!(report.pages, 0);
    assert!(report.disallowed >= 1, "{report:?}");
    assert!(
        report
            .failed
            .iter()
            .any(|(u, e)| u.ends_with("/robots.txt") && e.contains("HTTP 503")),
        "{report:?}"
    );
}

#[test]
fn kill_9_at_20_random_moments_of_a_crawl_loses_nothing_and_refetches_nothing_stored() {
    let site = serve();
    let kb = tempdir("crawl-kill-loop").join("kb");
    let k = kb.to_str().unwrap().to_string();
    let seed = format!("{}/", site.base);
    let args = [
        "crawl",
        "--kb",
        &k,
        "--seeds",
        &seed,
        "--max-depth",
        "1",
        "--delay-ms",
        "100",
        "--commit-every",
        "1",
        "--timeout-secs",
        "2",
        "--allow-private",
    ];
    let state_file = kb.join("crawl/state.json");
    let mut rng = crate::cli::Rng::new("crawl kill loop");
    let mut mid_first_crawl = 0;
    for round in 0..20 {
        let state: Option<serde_json::Value> = std::fs::read_to_string(&state_file)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok());
        let stored: Vec<String> = state
            .as_ref()
            .map(|s| {
                s["done"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|u| {
                        let u = u.as_str().unwrap();
                        u.strip_prefix(&site.base).unwrap_or(u).to_string()
                    })
                    .collect()
            })
            .unwrap_or_default();
        let complete = state.as_ref().is_some_and(|s| s["complete"] == true);
        let before = if kb.join("tantivy/meta.json").exists() {
            search(&kb, &["--limit", "1"])["total"].as_u64().unwrap()
        } else {
            0
        };
        let n = hits(&site).len();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_takedowns"))
            .args(args)
            .current_dir(support::root())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut err = child.stderr.take().unwrap();
        let log = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = err.read_to_string(&mut s);
            s
        });
        // The first five runs are too short to finish a crawl (a page per 100 ms delay),
        // so that kills land in the first crawl whatever the machine's load; the later
        // ones let it complete, so that kills land in re-crawls too.
        let most = if round < 5 { 150 } else { 500 };
        std::thread::sleep(Duration::from_millis(rng.range(30, most)));
        if child.try_wait().unwrap().is_none() && !complete {
            mid_first_crawl += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        let log = log.join().unwrap();
        assert!(!log.contains("locked"), "round {round}: {log}");
        assert!(!log.contains("panicked"), "round {round}: {log}");
        // A stored page is never fetched unconditionally again: a resumed crawl skips
        // it, a re-crawl of a complete one asks If-None-Match.
        for h in &hits(&site)[n..] {
            let path = h.path.split('?').next().unwrap_or("");
            assert!(
                h.conditional || !stored.iter().any(|s| s == path),
                "round {round}: {path} was stored, yet fetched again"
            );
        }
        if kb.join("tantivy/meta.json").exists() {
            let now = search(&kb, &["--limit", "1"])["total"].as_u64().unwrap();
            let reported = before + crate::cli::committed_claims(&log);
            assert!(now >= reported, "round {round}: {now} < {reported}");
            let check = takedowns(&["check", "--json", "--kb", &k]);
            assert_eq!(check.status.code(), Some(0), "round {round}");
        }
    }
    eprintln!("crawl kill loop: {mid_first_crawl} of 20 kills landed in the first crawl");
    assert!(mid_first_crawl >= 5, "{mid_first_crawl}");
    // A last run completes the site.
    takedowns_ok(&args);
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state_file).unwrap()).unwrap();
    assert_eq!(state["complete"], true);
    let urls = hit_urls(&search(&kb, &["--limit", "1000"]));
    for name in ["abcnews", "lakeshoretimes", "cvgazette", "keystonewire"] {
        assert!(urls.iter().any(|u| u.contains(name)), "{name} missing");
    }
}

/// A page that gave no answer once (a timeout under load) is asked again after a pause,
/// not failed for good: a crawl, resumed or not, never asks a failed page again.
#[test]
fn a_page_that_gave_no_answer_once_is_asked_again_and_read() {
    let site = serve();
    let kb = tempdir("crawl-stall-once").join("kb");
    let mut cfg = config(&kb, &site, 20);
    cfg.seeds = vec![format!("{}/stall-once", site.base)];
    cfg.timeout = Duration::from_secs(1);
    let report = crawl(&cfg).expect("crawl");
    let asked = paths(&hits(&site))
        .iter()
        .filter(|p| *p == "/stall-once")
        .count();
    assert_eq!(asked, 2, "{report:?}");
    assert!(
        !report
            .failed
            .iter()
            .any(|(u, _)| u.ends_with("/stall-once")),
        "{report:?}"
    );
    let urls = hit_urls(&search(&kb, &["--limit", "1000"]));
    assert!(urls.iter().any(|u| u.ends_with("/stall-once")), "{urls:?}");
}

#[test]
fn an_unreadable_crawl_state_is_set_aside_and_nothing_is_stored_twice() {
    let site = serve();
    let kb = tempdir("crawl-bad-state").join("kb");
    let first = crawl(&config(&kb, &site, 20)).expect("crawl");
    assert!(first.notes.is_empty(), "{:?}", first.notes);
    let claims = search(&kb, &["--limit", "1"])["total"].as_u64().unwrap();
    let state_file = kb.join("crawl/state.json");
    let text = std::fs::read(&state_file).unwrap();
    std::fs::write(&state_file, &text[..text.len() / 2]).unwrap();
    let second = crawl(&config(&kb, &site, 20)).expect("crawl");
    assert_eq!(second.notes.len(), 1, "{:?}", second.notes);
    assert!(second.notes[0].contains("could not be read"));
    assert!(kb.join("crawl/state.json.unreadable").exists());
    assert_eq!(second.added, 0, "every page was recognised by its snapshot");
    assert_eq!(
        search(&kb, &["--limit", "1"])["total"].as_u64().unwrap(),
        claims
    );
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state_file).unwrap()).unwrap();
    assert_eq!(state["complete"], true);
}

/// The Python with warcio that `.ci/run` prepares (`target/pyvenv`), if there is one.
fn warcio_python() -> Option<PathBuf> {
    let py = support::root().join("target/pyvenv/bin/python");
    let ok = std::process::Command::new(&py)
        .args(["-c", "import warcio"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!(
            "\n*** SKIPPED warcio check: {} with warcio is missing \
             (python3 -m venv target/pyvenv && target/pyvenv/bin/pip install warcio; .ci/run does) ***\n",
            py.display()
        );
    }
    ok.then_some(py)
}

#[test]
fn warcio_reads_every_record_the_knowledge_base_writes() {
    let Some(py) = warcio_python() else {
        return;
    };
    // A crawl (request and response records, truncated bodies, non-HTML) and an ingest of
    // files (resource records) into one knowledge base.
    let site = serve();
    let kb = tempdir("crawl-warcio").join("kb");
    crawl(&config(&kb, &site, 20)).expect("crawl");
    takedowns_ok(&[
        "ingest",
        "--json",
        "--kb",
        kb.to_str().unwrap(),
        "fixtures/serve/hostile.html",
        "fixtures/hostile/windows-1251-unlabelled.html",
    ]);
    let mut files: Vec<PathBuf> = std::fs::read_dir(kb.join("archive"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    assert!(files.len() >= 2, "{files:?}");
    let out = std::process::Command::new(py)
        .arg(support::root().join("scale/warcio_check.py"))
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "warcio failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen: Vec<(String, String, bool, usize)> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v[1].as_str().unwrap().to_string(),
                v[2].as_str().unwrap().to_string(),
                v[3].as_bool().unwrap(),
                v[4].as_u64().unwrap() as usize,
            )
        })
        .collect();
    let mut ours = warc_records(&kb);
    let mut theirs = seen.clone();
    ours.sort();
    theirs.sort();
    assert_eq!(theirs, ours, "warcio and our own reading disagree");
    for kind in ["request", "response", "resource"] {
        assert!(seen.iter().any(|r| r.0 == kind), "no {kind} record");
    }
    assert!(seen.iter().any(|r| r.2), "a truncated record is among them");
}

/// A page served from any host that gives a platform's newsroom as its canonical URL is
/// not that platform's post: only the URL it was fetched from decides, and the canonical
/// is kept as what the page claims.
#[test]
fn a_page_claiming_a_newsroom_address_is_not_the_platforms_post() {
    const NEWSROOM: &str = "2019-12-20-fbnewsroom-cib-georgia-vietnam-us";
    const CLAIMED: &str = "https://about.fb.com/news/2019/12/taking-down-cib-georgia-vietnam-us/";
    let site = serve();
    let kb = tempdir("crawl-spoof").join("kb");
    let k = kb.to_str().unwrap();
    let seed = format!("{}/news/{NEWSROOM}.html", site.base);
    takedowns_ok(&[
        "crawl",
        "--json",
        "--kb",
        k,
        "--seeds",
        &seed,
        "--max-depth",
        "0",
        "--delay-ms",
        "50",
        "--allow-private",
    ]);
    let hits = search(&kb, &["--limit", "1000"]);
    let hits = hits["hits"].as_array().unwrap();
    assert!(hits.len() >= 3, "{hits:?}");
    for h in hits {
        assert_eq!(h["primary"], false, "{h}");
        assert_eq!(h["fetched_url"].as_str(), Some(seed.as_str()), "{h}");
        assert_eq!(h["claimed_url"].as_str(), Some(CLAIMED), "{h}");
    }
    let facts = json_lines(&takedowns_ok(&[
        "facts", "--json", "--kb", k, "--limit", "1000",
    ]))
    .remove(0);
    for f in facts["facts"].as_array().unwrap() {
        assert!(f["primary_source"].is_null(), "{f}");
    }
    // The same file, given as fetched from the platform's host, is its post.
    let kb2 = tempdir("crawl-spoof-url").join("kb");
    let k2 = kb2.to_str().unwrap();
    let file = page_file(NEWSROOM).unwrap();
    takedowns_ok(&[
        "ingest",
        "--kb",
        k2,
        "--url",
        CLAIMED,
        file.to_str().unwrap(),
    ]);
    let facts = json_lines(&takedowns_ok(&[
        "facts", "--json", "--kb", k2, "--limit", "1000",
    ]))
    .remove(0);
    assert!(
        facts["facts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["primary_source"].as_str() == Some(CLAIMED)),
        "{facts}"
    );
    // Without --url, a file is nobody's post.
    let kb3 = tempdir("crawl-spoof-file").join("kb");
    let k3 = kb3.to_str().unwrap();
    takedowns_ok(&["ingest", "--kb", k3, file.to_str().unwrap()]);
    let facts = json_lines(&takedowns_ok(&[
        "facts", "--json", "--kb", k3, "--limit", "1000",
    ]))
    .remove(0);
    for f in facts["facts"].as_array().unwrap() {
        assert!(f["primary_source"].is_null(), "{f}");
    }
}
