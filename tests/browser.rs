//! The web UI in a real browser: headless Chromium driven over WebDriver (chromedriver)
//! against the real binary on 127.0.0.1. A person searches, narrows by a country facet,
//! opens a fact, a country page and the verify box; the hostile page's strings show as
//! text and its scripts never run. Screenshots go to `target/browser/` for a person to
//! look at. The analyst's questions too: target, platform family and sort filled in the
//! form, the page's CSV downloaded by the browser, the totals chart, a country's two
//! sides. Skips, loudly, where Chromium or chromedriver is not installed (`.ci/run`
//! installs both).

use crate::serve::{Server, demo_kb};
use crate::support;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn shots() -> PathBuf {
    let d = support::root().join("target/browser");
    std::fs::create_dir_all(&d).unwrap();
    d
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    std::fs::write(shots().join(name), png).unwrap();
}

async fn css(c: &Client, sel: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(sel))
        .await
        .unwrap_or_else(|e| panic!("{sel}: {e}"))
}

/// Clicks a link or button that navigates, and waits until the new page is there.
async fn follow(c: &Client, el: fantoccini::elements::Element) {
    let before = c.current_url().await.unwrap();
    el.click().await.unwrap();
    let t = Instant::now();
    while c.current_url().await.unwrap() == before {
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "no navigation from {before}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("footer"))
        .await
        .unwrap();
}

async fn texts(c: &Client, sel: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in c.find_all(Locator::Css(sel)).await.unwrap() {
        out.push(e.text().await.unwrap());
    }
    out
}

#[test]
fn a_person_searches_narrows_by_country_opens_a_fact_and_verifies() {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        eprintln!(
            "\n*** SKIPPED browser test: {CHROMIUM} or {CHROMEDRIVER} is missing \
             (apt-get install -y chromium chromium-driver; .ci/run does) ***\n"
        );
        return;
    }
    let kb = demo_kb("browser");
    let server = Server::start(&kb, &[]);
    let port = free_port();
    let profile = crate::cli::tempdir("browser-profile");
    let saved = downloads();
    let _driver = Driver(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let t = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "chromedriver never listened"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let caps = json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                // Without the background-networking flags Chromium keeps trying hosts this
                // offline machine cannot reach.
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-quic", "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                         format!("--user-data-dir={}", profile.display())],
                "prefs": {
                    "download.default_directory": saved.display().to_string(),
                    "download.prompt_for_download": false
                }
            }
        });
        let caps = caps.as_object().unwrap().clone();
        let c = ClientBuilder::new(
            hyper_util::client::legacy::connect::HttpConnector::new(),
        )
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session");
        let result = visit(&c, &server.base, &saved).await;
        let _ = c.close().await;
        result
    });
}

/// N of "showing A–B of N claims".
fn total_of(shown: &str) -> usize {
    let n = shown.split(" of ").nth(1).unwrap_or(shown);
    n.split_whitespace()
        .next()
        .unwrap_or("")
        .replace(',', "")
        .parse()
        .unwrap_or_else(|_| panic!("no total in {shown:?}"))
}

/// Where the browser saves downloads.
fn downloads() -> PathBuf {
    let d = shots().join("downloads");
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Waits for a downloaded file to be complete, and reads it.
async fn downloaded(dir: &Path, name: &str) -> String {
    let path = dir.join(name);
    let t = Instant::now();
    loop {
        // Chromium writes `name.crdownload` and renames it when done.
        if let Ok(text) = std::fs::read_to_string(&path) {
            return text;
        }
        assert!(
            t.elapsed() < Duration::from_secs(15),
            "no download {}",
            path.display()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The analyst's questions: who targeted Ukraine on Meta's platforms, largest first; the
/// totals per year for a country, charted; the page's claims downloaded as CSV.
async fn questions(c: &Client, base: &str, saved: &Path) {
    c.goto(&format!("{base}/")).await.unwrap();
    css(c, "form.search input[name=target]")
        .await
        .send_keys("Ukraine")
        .await
        .unwrap();
    css(c, "form.search input[name=platform]")
        .await
        .send_keys("meta")
        .await
        .unwrap();
    css(c, "form.search select[name=sort]")
        .await
        .select_by_value("count")
        .await
        .unwrap();
    follow(c, css(c, "form.search button").await).await;
    let url = c.current_url().await.unwrap();
    for want in ["target=Ukraine", "platform=meta", "sort=count"] {
        assert!(url.as_str().contains(want), "{url}");
    }
    let shown = css(c, "p.total").await.text().await.unwrap();
    assert!(shown.starts_with("showing 1–"), "{shown}");
    let total = total_of(&shown);
    assert!(total > 0, "{shown}");
    for t in texts(c, "li.hit .targets").await {
        assert!(t.contains("UA"), "a hit targeting {t:?}");
    }
    assert_eq!(
        texts(c, "li.hit .targets").await.len(),
        texts(c, "li.hit").await.len()
    );
    let figures: Vec<u64> = texts(c, "li.hit strong.figure")
        .await
        .iter()
        .filter_map(|f| f.rsplit(' ').next()?.replace(',', "").parse().ok())
        .collect();
    assert!(
        figures.windows(2).all(|w| w[0] >= w[1]),
        "largest first: {figures:?}"
    );
    let platforms = texts(c, "li.hit span.platform").await;
    assert!(
        platforms.iter().all(
            |p| ["facebook", "instagram", "whatsapp", "messenger", "meta"]
                .contains(&p.to_lowercase().as_str())
        ),
        "{platforms:?}"
    );
    shot(c, "search-target-ukraine-meta.png").await;

    // The page's CSV, downloaded by the browser: a header and the hits shown.
    let hits = texts(c, "li.hit").await.len();
    css(c, "p.downloads a.download-csv")
        .await
        .click()
        .await
        .unwrap();
    let csv = downloaded(saved, "takedowns-claims.csv").await;
    let rows: Vec<&str> = csv.lines().collect();
    assert!(rows[0].starts_with("\"id\",\"platform\""), "{}", rows[0]);
    assert_eq!(rows.len(), 1 + hits, "{csv}");
    assert!(rows[1..].iter().all(|r| r.contains("UA")), "{csv}");

    // Totals for Russia, per year and platform, with their chart.
    c.goto(&format!("{base}/stats?country=RU&by=year,platform"))
        .await
        .unwrap();
    let bars = c
        .find_all(Locator::Css("figure.chart svg g.bar"))
        .await
        .unwrap();
    assert!(bars.len() >= 2, "a bar per year");
    let rows = c
        .find_all(Locator::Css("table.totals tbody tr"))
        .await
        .unwrap();
    assert!(rows.len() >= 2);
    let note = css(c, "p.note").await.text().await.unwrap();
    assert!(note.contains("each takedown counted once"), "{note}");
    shot(c, "totals-russia.png").await;
    // Country page: origin and target side by side.
    c.goto(&format!("{base}/country/RU")).await.unwrap();
    css(c, "section.origin table.facts").await;
    css(c, "section.target h2").await;
    shot(c, "country-russia.png").await;
}

async fn visit(c: &Client, base: &str, saved: &Path) {
    questions(c, base, saved).await;
    // Search from the box.
    c.goto(&format!("{base}/")).await.unwrap();
    css(c, "form.search input[name=q]")
        .await
        .send_keys("accounts")
        .await
        .unwrap();
    follow(c, css(c, "form.search button").await).await;
    let total = css(c, "p.total").await.text().await.unwrap();
    let all = total_of(&total);
    assert!(all > 20, "{total}");
    assert!(
        c.current_url()
            .await
            .unwrap()
            .as_str()
            .contains("q=accounts")
    );

    // Narrow by the Iran facet.
    follow(
        c,
        css(c, "section.facet[data-facet=country] a[href*='country=IR']").await,
    )
    .await;
    let url = c.current_url().await.unwrap();
    assert!(url.as_str().contains("country=IR"), "{url}");
    assert!(
        url.as_str().contains("q=accounts"),
        "the facet keeps the words"
    );
    let total = css(c, "p.total").await.text().await.unwrap();
    let iran = total_of(&total);
    assert!(iran > 0 && iran < all, "{iran} of {all}");
    let origins = texts(c, "li.hit .countries").await;
    assert!(!origins.is_empty());
    for o in &origins {
        assert!(o.contains("IR"), "a hit from {o:?} under the Iran facet");
    }
    let chip = texts(c, "p.filters .chip").await.join(" ");
    assert!(chip.contains("country: IR"), "{chip}");
    let marked = texts(c, "li.hit blockquote.evidence mark").await;
    assert!(!marked.is_empty(), "figures are highlighted");
    assert!(
        marked[0]
            .chars()
            .any(|ch| ch.is_ascii_digit() || ch.is_alphabetic())
    );
    shot(c, "search-iran.png").await;

    // Open the fact behind the first hit.
    let first_figure = css(c, "li.hit strong.figure").await.text().await.unwrap();
    follow(c, css(c, "li.hit a.fact").await).await;
    let h1 = css(c, "h1").await.text().await.unwrap();
    assert!(h1.contains(&first_figure), "{h1:?} shows {first_figure:?}");
    let sources = c
        .find_all(Locator::Css("section.sources li.source-item"))
        .await
        .unwrap();
    assert!(!sources.is_empty(), "the fact lists its sources");
    let counted = css(c, "dd.sources-count").await.text().await.unwrap();
    assert!(counted.contains("independent"), "{counted}");
    assert!(
        css(c, "section.conflicts h2")
            .await
            .text()
            .await
            .unwrap()
            .contains("Conflicting")
    );
    shot(c, "fact.png").await;

    // The seed's fact: five sources, one conflicting figure beside them.
    c.goto(&format!(
        "{base}/?country=IR&platform=twitter&min_count=2617"
    ))
    .await
    .unwrap();
    let hits = c.find_all(Locator::Css("li.hit")).await.unwrap();
    let mut opened = false;
    for h in hits {
        if h.find(Locator::Css("strong.figure"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            == "2,617"
        {
            follow(c, h.find(Locator::Css("a.fact")).await.unwrap()).await;
            opened = true;
            break;
        }
    }
    assert!(opened, "the seed's 2,617 is listed");
    assert!(css(c, "h1").await.text().await.unwrap().contains("2,617"));
    shot(c, "fact-seed.png").await;

    // A country page: its chart and table.
    c.goto(&format!("{base}/country/IR")).await.unwrap();
    assert!(css(c, "h1").await.text().await.unwrap().contains("Iran"));
    let bars = c
        .find_all(Locator::Css("figure.chart svg g.bar"))
        .await
        .unwrap();
    assert!(bars.len() >= 2, "bars per year");
    let rows = c
        .find_all(Locator::Css("table.facts tbody tr"))
        .await
        .unwrap();
    assert!(!rows.is_empty());
    shot(c, "country-iran.png").await;

    // The verify box.
    c.goto(&format!("{base}/verify")).await.unwrap();
    css(c, "form.verify input[name=statement]")
        .await
        .send_keys("Twitter suspended 2,617 accounts in Iran in January 2019")
        .await
        .unwrap();
    follow(c, css(c, "form.verify button").await).await;
    let verdict = css(c, "p.verdict strong").await.text().await.unwrap();
    assert_eq!(verdict, "supported");
    shot(c, "verify.png").await;

    // Hostile strings show as text; nothing runs, no dialog opens.
    c.goto(&format!("{base}/?q=investigation+state-backed"))
        .await
        .unwrap();
    let shown = texts(c, "li.hit").await.join("\n");
    assert!(shown.contains("<script>alert(1)</script>"), "{shown}");
    assert!(c.get_alert_text().await.is_err(), "no alert is open");
    let scripts = c.find_all(Locator::Css("script")).await.unwrap();
    assert!(scripts.is_empty(), "the UI page holds no script element");
    shot(c, "hostile-escaped.png").await;

    // Its archived page, in a sandboxed frame: the page's own scripts did not run.
    follow(c, css(c, "li.hit a.archived").await).await;
    let frame = css(c, "iframe.snapshot").await;
    assert_eq!(frame.attr("sandbox").await.unwrap().as_deref(), Some(""));
    tokio::time::sleep(Duration::from_millis(300)).await;
    c.enter_frame(0).await.unwrap();
    let ran = c.find_all(Locator::Css("[data-ran]")).await.unwrap();
    assert!(ran.is_empty(), "the archived page's script ran");
    let heading = css(c, "h1").await.text().await.unwrap();
    assert!(heading.contains("<script>alert(1)</script>"), "{heading}");
    c.enter_parent_frame().await.unwrap();
    assert!(c.get_alert_text().await.is_err(), "no alert is open");
    shot(c, "snapshot-inert.png").await;
}
