//! Crawler throughput: 50 hosts on loopback (one axum server per port), each a deep site
//! of takedown articles whose every page links to ten more, crawled with extraction and
//! indexing on; pages/s and peak memory at two crawl sizes, to show memory stays flat as
//! the frontier grows.
//!
//! `cargo bench --bench crawl` (add `-- --quick` for the small size only).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::extract::{Request, State};
use axum::http::header;
use axum::response::IntoResponse;
use std::sync::Arc;
use std::time::{Duration, Instant};
use takedowns::crawl::{CrawlConfig, crawl};

const HOSTS: usize = 50;
const FANOUT: usize = 10;

/// The fixture articles, served with a page number and links spliced in.
struct Pages(Vec<String>);

async fn page(State(pages): State<Arc<Pages>>, req: Request) -> axum::response::Response {
    let path = req.uri().path();
    if path == "/robots.txt" {
        return (
            [(header::CONTENT_TYPE, "text/plain")],
            "User-agent: *\nAllow: /\n",
        )
            .into_response();
    }
    // /p/N is page N; any other path (the articles' own menus) is a page too, numbered
    // by its hash, so that every request is a page to extract.
    let n = match path
        .strip_prefix("/p/")
        .and_then(|n| n.parse::<usize>().ok())
    {
        Some(n) => n,
        None => {
            (path.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
            }) % 1_000_000_007) as usize
        }
    };
    let base = &pages.0[n % pages.0.len()];
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let mut links = format!("<p>Archive page {n} on {host}.</p><ul>");
    for j in 1..=FANOUT {
        links.push_str(&format!(
            "<li><a href=\"/p/{}\">more {j}</a></li>",
            n * FANOUT + j
        ));
    }
    links.push_str("</ul></body>");
    let html = base.replacen("</body>", &links, 1);
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages = Vec::new();
    for e in std::fs::read_dir(root.join("fixtures/pages"))
        .unwrap()
        .flatten()
    {
        if let Ok(t) = std::fs::read_to_string(e.path().join("page.html")) {
            pages.push(t);
        }
    }
    let pages = Arc::new(Pages(pages));
    // 50 servers, one per port: 50 hosts to the crawler.
    let mut bases = Vec::new();
    let mut listeners = Vec::new();
    for _ in 0..HOSTS {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.set_nonblocking(true).unwrap();
        bases.push(format!("http://{}", l.local_addr().unwrap()));
        listeners.push(l);
    }
    let state = pages.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let mut set = tokio::task::JoinSet::new();
            for l in listeners {
                let app = axum::Router::new().fallback(page).with_state(state.clone());
                let l = tokio::net::TcpListener::from_std(l).unwrap();
                set.spawn(async move { axum::serve(l, app).await });
            }
            while set.join_next().await.is_some() {}
        });
    });

    // Each size in a process of its own, so that each peak RSS is its own.
    if let Some(size) = std::env::args()
        .skip_while(|a| a != "--pages")
        .nth(1)
        .and_then(|n| n.parse::<usize>().ok())
    {
        run(size, &bases);
        return;
    }
    let sizes: &[usize] = if quick { &[1000] } else { &[1000, 4000, 10000] };
    println!(
        "crawl: {HOSTS} hosts on 127.0.0.1, every page links to {FANOUT} more; extraction, claims and indexing on"
    );
    for &size in sizes {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--pages", &size.to_string()])
            .output()
            .unwrap();
        print!("{}", String::from_utf8_lossy(&out.stdout));
    }
}

fn run(size: usize, bases: &[String]) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    {
        let kb = root.join(format!("target/bench-crawl-{size}"));
        let _ = std::fs::remove_dir_all(&kb);
        let seeds = bases.iter().map(|b| format!("{b}/p/0")).collect();
        let mut cfg = CrawlConfig::new(kb.clone(), seeds);
        cfg.max_pages = size;
        cfg.max_depth = 100;
        cfg.delay = Duration::from_millis(0);
        cfg.progress = false;
        cfg.policy.allow_private = true;
        cfg.commit_every = std::env::var("COMMIT_EVERY")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(50);
        let t = Instant::now();
        let report = crawl(&cfg).unwrap();
        let secs = t.elapsed().as_secs_f64();
        // Every fetched page queued FANOUT new links; what was not fetched is the frontier.
        let frontier = (report.pages * FANOUT + HOSTS).saturating_sub(report.requests);
        println!(
            "  {size:>5} pages: {} fetched, {} requests, {} claims in {secs:.1} s = {:.0} pages/s; frontier left {frontier} URLs; peak RSS {} MiB",
            report.pages,
            report.requests,
            report.claims,
            report.pages as f64 / secs,
            vm_hwm_kib() / 1024
        );
        println!(
            "    {} failed, {} refused, {} not HTML, {} unchanged, {} added",
            report.failed.len(),
            report.refused.len(),
            report.skipped.len(),
            report.unchanged,
            report.added
        );
        let _ = std::fs::remove_dir_all(&kb);
    }
}
