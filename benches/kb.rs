//! Knowledge-base benchmarks: ingest throughput on a synthetic HTML corpus, and query
//! latency (p50/p99) for typical queries at 100k and 1M claims, with peak memory.
//!
//! `cargo bench --bench kb` (add `-- --quick` for 2k pages / 100k claims only; `-- --reuse`
//! queries the knowledge bases a finished earlier run left in `target/bench-kb`). Parts
//! alone, for profiling: `--ingest-only` (with `--quick`, 2k pages), `--direct-only`
//! (the 1M-claim knowledge base built directly, with its memory), `--add-only` (1,000
//! pages added to what `--direct-only` left). The
//! 100k and 1M claim indexes are grouped into facts from scratch, then 1,000 generated
//! pages are ingested into each, facts of each commit included.
//! The corpus is generated deterministically: realistic takedown sentences over many
//! platforms, countries, counts and dates, around filler paragraphs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{Rng, grouped};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use takedowns::archive::SnapshotId;
use takedowns::claims::{Claim, Qualifier};
use takedowns::extract::Article;
use takedowns::index::{self, Kb, Source};
use takedowns::ingest::{self, IngestOptions};
use takedowns::search::{self, Query};
use takedowns::stats::{self, By};

const PLATFORMS: &[(&str, &str)] = &[
    ("Twitter", "twitter"),
    ("Facebook", "facebook"),
    ("Meta", "meta"),
    ("YouTube", "youtube"),
    ("TikTok", "tiktok"),
    ("OpenAI", "openai"),
    ("Microsoft", "microsoft"),
    ("Reddit", "reddit"),
    ("Telegram", "telegram"),
    ("Google", "google"),
    ("LinkedIn", "linkedin"),
    ("Instagram", "instagram"),
];
const COUNTRIES: &[(&str, &str)] = &[
    ("Iran", "IR"),
    ("Russia", "RU"),
    ("China", "CN"),
    ("Venezuela", "VE"),
    ("Egypt", "EG"),
    ("Saudi Arabia", "SA"),
    ("the United Arab Emirates", "AE"),
    ("Israel", "IL"),
    ("Nigeria", "NG"),
    ("Ghana", "GH"),
    ("the Philippines", "PH"),
    ("Vietnam", "VN"),
    ("Serbia", "RS"),
    ("Turkey", "TR"),
    ("Honduras", "HN"),
    ("Indonesia", "ID"),
    ("Thailand", "TH"),
    ("Cuba", "CU"),
    ("Bolivia", "BO"),
    ("Mexico", "MX"),
    ("Pakistan", "PK"),
    ("India", "IN"),
    ("Bangladesh", "BD"),
    ("Myanmar", "MM"),
    ("Georgia", "GE"),
    ("Armenia", "AM"),
    ("Azerbaijan", "AZ"),
    ("Belarus", "BY"),
    ("Moldova", "MD"),
    ("Romania", "RO"),
    ("Uganda", "UG"),
    ("Tanzania", "TZ"),
    ("Ecuador", "EC"),
    ("Spain", "ES"),
];
const TARGETS: &[&str] = &[
    "the United States",
    "Britain",
    "France",
    "Germany",
    "Ukraine",
    "Taiwan",
    "Japan",
    "Canada",
    "Australia",
    "India",
];
const OBJECTS: &[&str] = &[
    "accounts", "Pages", "Groups", "channels", "domains", "profiles",
];
/// The full-text questions timed: common words, a phrase, a country, a pair.
const TEXTS: &[&str] = &[
    "coordinated inauthentic",
    "\"Pages\"",
    "removed accounts",
    "Iran",
    "Russia linked",
];
const WEEKDAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
const FILLER: &[&str] = &[
    "The company said the people behind the activity used fake accounts to pose as local news outlets and to amplify posts about domestic politics.",
    "Researchers who reviewed the network said much of its content was recycled from state media and drew little genuine engagement.",
    "The takedown was the latest in a series of disclosures that platforms have published since 2018 under pressure from lawmakers.",
    "Officials in the country named in the report did not respond to a request for comment on Thursday.",
    "Independent analysts said the operation relied on a mix of automated posting and a small number of human operators.",
];

fn page(rng: &mut Rng, k: usize) -> String {
    let year = 2018 + rng.below(8);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let mut paras = Vec::new();
    let (pname, _) = *rng.pick(PLATFORMS);
    let (cname, _) = *rng.pick(COUNTRIES);
    let target = *rng.pick(TARGETS);
    let n = 10 + rng.below(9000);
    paras.push(format!(
        "{pname} said on {} that it had removed {} {} linked to {cname} that targeted people in {target}.",
        rng.pick(WEEKDAYS),
        grouped(n),
        rng.pick(OBJECTS)
    ));
    paras.push(rng.pick(FILLER).to_string());
    paras.push(format!(
        "The network, which originated in {cname}, was made up of {} Facebook accounts, {} Pages and {} Instagram accounts.",
        grouped(5 + rng.below(900)),
        grouped(2 + rng.below(300)),
        grouped(1 + rng.below(200))
    ));
    paras.push(rng.pick(FILLER).to_string());
    let (p2, _) = *rng.pick(PLATFORMS);
    let (c2, _) = *rng.pick(COUNTRIES);
    paras.push(format!(
        "{p2} also suspended more than {} accounts tied to {c2}, the company said.",
        grouped(100 + rng.below(50_000))
    ));
    paras.push(rng.pick(FILLER).to_string());
    let body: String = paras.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{pname} removes accounts tied to {cname} | Synthetic News</title>\
<link rel=\"canonical\" href=\"https://synthetic.example/{year}/{month:02}/{day:02}/story-{k}\">\
<meta property=\"article:published_time\" content=\"{year}-{month:02}-{day:02}T12:00:00Z\"></head>\
<body><nav><a href=\"/\">Home</a> <a href=\"/tech\">Tech</a></nav><article><h1>{pname} removes accounts tied to {cname}</h1>{body}</article>\
<footer>© Synthetic News</footer></body></html>"
    )
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.to_string())
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|k| k.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// CPU seconds (user and system, all threads) the process has used so far.
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces): utime and stime are the
    // 12th and 13th, in clock ticks (100 a second on Linux).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|v| v.parse().ok())
        .collect();
    f.iter().sum::<f64>() / 100.0
}

/// The one-minute load average, as `/proc/loadavg` says it.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_default()
}

/// A `/proc/self/status` field given in kB, in MiB.
fn status_mib(status: &str, name: &str) -> f64 {
    status
        .lines()
        .find(|l| l.starts_with(name))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|k| k.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The process's resident memory now, anonymous and file-backed (mmapped index pages),
/// in MiB: what the peak is made of.
fn rss_now() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    format!(
        "anon {:.0} MiB, file {:.0} MiB",
        status_mib(&status, "RssAnon:"),
        status_mib(&status, "RssFile:")
    )
}

/// Resident anonymous and file-backed memory, in MiB, sampled every 50 ms by
/// [`sample_rss`]: the largest sum seen, with its parts, since the last [`take_peak`].
static PEAK: std::sync::Mutex<(f64, f64, f64)> = std::sync::Mutex::new((0.0, 0.0, 0.0));

/// Samples the process's resident memory in the background, so that a peak can be
/// told apart into anonymous memory and mmapped index pages.
fn sample_rss() {
    std::thread::spawn(|| {
        loop {
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let (anon, file) = (
                status_mib(&status, "RssAnon:"),
                status_mib(&status, "RssFile:"),
            );
            if let Ok(mut p) = PEAK.lock()
                && anon + file > p.0
            {
                *p = (anon + file, anon, file);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    });
}

/// The largest resident memory sampled since the last call, with its parts.
fn take_peak() -> String {
    let mut p = PEAK.lock().unwrap();
    let out = format!(
        "sampled peak {:.0} MiB (anon {:.0}, file {:.0})",
        p.0, p.1, p.2
    );
    *p = (0.0, 0.0, 0.0);
    out
}

fn tmp(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-kb")
        .join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn bench_ingest(pages: usize) {
    let dir = tmp("ingest");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for k in 0..pages {
        std::fs::write(corpus.join(format!("p{k:06}.html")), page(&mut rng, k)).unwrap();
    }
    let kb = dir.join("kb");
    let cpu = cpu_secs();
    let t = Instant::now();
    let opts = IngestOptions {
        progress: false,
        ..IngestOptions::default()
    };
    let report = ingest::ingest(&kb, &[corpus], &opts).unwrap();
    let secs = t.elapsed().as_secs_f64();
    let cpu = cpu_secs() - cpu;
    println!(
        "ingest: {} pages, {} claims, {} facts in {:.1} s = {:.0} pages/s on {} threads (load average {}); CPU {:.2} s = {:.3} ms a page; peak RSS so far {:.0} MiB",
        report.added,
        report.claims,
        report.facts,
        secs,
        report.added as f64 / secs,
        rayon::current_num_threads(),
        load_average(),
        cpu,
        cpu * 1000.0 / report.added.max(1) as f64,
        peak_rss_mib()
    );
}

/// An index of `claims` synthetic claims, built directly (no extraction), 5 per article.
fn build_direct(dir: &Path, claims: usize) {
    let kb = Kb::open(dir, true).unwrap();
    let mut w = kb.writer().unwrap();
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let per = 5;
    for a in 0..claims.div_ceil(per) {
        let year = 2018 + rng.below(8) as i32;
        let date = chrono::NaiveDate::from_ymd_opt(
            year,
            1 + rng.below(12) as u32,
            1 + rng.below(28) as u32,
        )
        .unwrap();
        let body: String = (0..4)
            .map(|_| *rng.pick(FILLER))
            .collect::<Vec<_>>()
            .join("\n\n");
        let article = Article {
            url: Some(format!("https://synthetic.example/{a}")),
            title: Some(format!("Takedown report {a}")),
            published: Some(date),
            authors: vec![],
            claimed_url: None,
            site: Some(format!("site{}.example", rng.below(200))),
            site_name: None,
            language: Some("en".into()),
            body,
            gate: Default::default(),
            pages: Vec::new(),
        };
        let mut cs = Vec::with_capacity(per);
        for k in 0..per {
            let (pname, pid) = *rng.pick(PLATFORMS);
            let (cname, code) = *rng.pick(COUNTRIES);
            let n = 1 + rng.below(50_000) as u64;
            let evidence = format!(
                "{pname} said it had removed {} {} linked to {cname} in a coordinated inauthentic behavior takedown.",
                grouped(n as usize),
                rng.pick(OBJECTS)
            );
            cs.push(Claim {
                platform: pid.into(),
                countries: vec![code.into()],
                targets: vec![],
                count: Some(n),
                qualifier: Qualifier::Exact,
                object: "accounts".into(),
                action: "remove".into(),
                date: Some(date),
                spokesperson: None,
                negated: false,
                evidence,
                span: [k * 100, k * 100 + 90],
                confidence: Default::default(),
                page: None,
            });
        }
        let snap = SnapshotId::of(format!("synthetic-{a}").as_bytes());
        for d in index::documents(
            &kb.fields,
            &Source {
                snapshot: snap,
                truncated: false,
                house: None,
                fetched_url: None,
                archived: None,
                versions: Vec::new(),
                superseded_by: None,
            },
            &article,
            &cs,
            &[],
        ) {
            w.add_document(d).unwrap();
        }
    }
    w.commit().unwrap();
    println!("  claims indexed: {}", take_peak());
    let t = Instant::now();
    let facts = index::facts::regroup_all(&kb, &mut w).unwrap();
    println!("  facts grouped: {}", take_peak());
    w.commit().unwrap();
    println!(
        "  facts of {claims} claims grouped from scratch: {facts} facts in {:.1} s; peak RSS so far {:.0} MiB (now {}); commit {}",
        t.elapsed().as_secs_f64(),
        peak_rss_mib(),
        rss_now(),
        take_peak()
    );
    // The build is done and nothing reads it here: the knowledge base (its reader) is
    // closed before the merges are waited for, as a program that builds and exits does,
    // so the index pages grouping read are let go and the merges map only what they
    // merge. The query benchmark opens the knowledge base again.
    drop(kb);
    w.wait_merging_threads().unwrap();
    println!("  merges: {}", take_peak());
}

/// Adds `pages` generated pages (5 claims each) to the knowledge base built for the
/// query benchmark, through the whole ingest (facts of each commit included).
fn bench_add(dir: &Path, pages: usize) {
    let corpus = dir.join("added");
    std::fs::create_dir_all(&corpus).unwrap();
    let mut rng = Rng(0x5eed_0000_0000_0001);
    for k in 0..pages {
        std::fs::write(
            corpus.join(format!("a{k:06}.html")),
            page(&mut rng, 10_000_000 + k),
        )
        .unwrap();
    }
    let opts = IngestOptions {
        progress: false,
        ..IngestOptions::default()
    };
    let t = Instant::now();
    let report = ingest::ingest(dir, &[corpus], &opts).unwrap();
    println!(
        "  added {} pages ({} claims) with their facts in {:.2} s; facts now {}; peak RSS so far {:.0} MiB",
        report.added,
        report.claims,
        t.elapsed().as_secs_f64(),
        report.facts,
        peak_rss_mib()
    );
}

/// Makes a random query of one kind.
type QueryMaker = Box<dyn Fn(&mut Rng) -> Query>;

fn percentile(v: &mut [Duration], q: f64) -> f64 {
    v.sort();
    let k = ((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1;
    v[k].as_secs_f64() * 1000.0
}

/// The marker a finished query knowledge base carries, so `--reuse` may query it again.
const COMPLETE: &str = "BENCH-COMPLETE";

fn bench_queries(claims: usize, reuse: bool) {
    let kept = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-kb")
        .join(format!("q{claims}"));
    let dir = if reuse && kept.join(COMPLETE).exists() {
        println!("index of {claims} claims reused from {}", kept.display());
        kept
    } else {
        let dir = tmp(&format!("q{claims}"));
        let t = Instant::now();
        build_direct(&dir, claims);
        println!(
            "index of {claims} claims built directly in {:.1} s; peak RSS so far {:.0} MiB",
            t.elapsed().as_secs_f64(),
            peak_rss_mib()
        );
        bench_add(&dir, 1_000);
        std::fs::write(dir.join(COMPLETE), "built by cargo bench --bench kb\n").unwrap();
        dir
    };
    let kb = Kb::open(&dir, false).unwrap();
    let kinds: Vec<(&str, QueryMaker)> = vec![
        (
            "country facet",
            Box::new(|r: &mut Rng| {
                search::Request {
                    country: Some(r.pick(COUNTRIES).1),
                    limit: 20,
                    ..search::Request::default()
                }
                .check(100)
                .unwrap()
            }),
        ),
        (
            "full text",
            Box::new(|r: &mut Rng| {
                let w = *r.pick(TEXTS);
                search::Request {
                    text: Some(w),
                    limit: 20,
                    ..search::Request::default()
                }
                .check(100)
                .unwrap()
            }),
        ),
        (
            "date range",
            Box::new(|r: &mut Rng| {
                let y = 2018 + r.below(8);
                let (since, until) = (format!("{y}-03"), format!("{y}-08"));
                search::Request {
                    since: Some(&since),
                    until: Some(&until),
                    limit: 20,
                    ..search::Request::default()
                }
                .check(100)
                .unwrap()
            }),
        ),
        (
            "text + country + platform + date",
            Box::new(|r: &mut Rng| {
                let (_, code) = *r.pick(COUNTRIES);
                let (_, pid) = *r.pick(PLATFORMS);
                search::Request {
                    text: Some("removed"),
                    country: Some(code),
                    platform: Some(pid),
                    since: Some("2019"),
                    until: Some("2023"),
                    min_count: Some(100),
                    limit: 20,
                    ..search::Request::default()
                }
                .check(100)
                .unwrap()
            }),
        ),
    ];
    first_asks(&kb, claims);
    for (name, make) in &kinds {
        time_kind(claims, name, |r| {
            std::hint::black_box(search::search(&kb, &make(r)).unwrap().total);
        });
    }
    let by = [By::Year, By::Platform];
    time_kind(claims, "stats of a country by year,platform", |r| {
        let q = search::Request {
            country: Some(r.pick(COUNTRIES).1),
            limit: 1,
            ..search::Request::default()
        }
        .check(100)
        .unwrap();
        std::hint::black_box(stats::stats(&kb, &q, &by).unwrap().rows.len());
    });
    time_kind(claims, "facts of a family, by count", |r| {
        let family = *r.pick(&["meta", "google", "microsoft", "twitter"]);
        let q = search::Request {
            platform: Some(family),
            sort: Some("count"),
            limit: 20,
            ..search::Request::default()
        }
        .check(100)
        .unwrap();
        std::hint::black_box(search::facts(&kb, &q).unwrap().total);
    });
}

/// Times the first ask of each full-text question in this commit: its total and facet
/// counts are not kept yet (the repeated asks `time_kind` times read them from the
/// per-commit cache). The list without a text is asked first, as a front page does: a
/// text matching most claims is then counted from its counts less the claims it misses.
fn first_asks(kb: &Kb, claims: usize) {
    let ask = |text: Option<&str>| {
        let q = search::Request {
            text,
            limit: 20,
            ..search::Request::default()
        }
        .check(100)
        .unwrap();
        let t = Instant::now();
        let total = std::hint::black_box(search::search(kb, &q).unwrap().total);
        println!(
            "  {claims:>8} claims  first ask of {:<26} {:>7.2} ms  ({total} matches)",
            text.map_or("the list without a text".to_string(), |t| format!("{t:?}")),
            t.elapsed().as_secs_f64() * 1e3
        );
    };
    ask(None);
    for text in TEXTS {
        ask(Some(text));
    }
}

/// Times 200 random queries of one kind after 5 warm-up ones; prints p50 and p99. The
/// random choices repeat (34 countries, 5 texts, 8 years), as the questions people ask
/// do: a repeated search's facet counts come from the per-commit cache.
fn time_kind(claims: usize, name: &str, mut run: impl FnMut(&mut Rng)) {
    let mut rng = Rng(42);
    for _ in 0..5 {
        run(&mut rng);
    }
    let mut times = Vec::with_capacity(200);
    for _ in 0..200 {
        let t = Instant::now();
        run(&mut rng);
        times.push(t.elapsed());
    }
    println!(
        "  {claims:>8} claims  {name:<38} p50 {:>6.2} ms  p99 {:>6.2} ms",
        percentile(&mut times, 0.5),
        percentile(&mut times, 0.99)
    );
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    sample_rss();
    // 1,000 pages added to the 1M-claim knowledge base a `--direct-only` run left.
    if std::env::args().any(|a| a == "--add-only") {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-kb/q1000000");
        bench_add(&dir, 1_000);
        println!("  add: {}", take_peak());
        return;
    }
    // The 1M-claim knowledge base built directly, alone, for its memory.
    if std::env::args().any(|a| a == "--direct-only") {
        let dir = tmp("q1000000");
        build_direct(&dir, 1_000_000);
        println!("peak RSS of the whole run: {:.0} MiB", peak_rss_mib());
        return;
    }
    // Queries only, on the knowledge bases an earlier full run left in target/bench-kb.
    let reuse = std::env::args().any(|a| a == "--reuse");
    if !reuse {
        bench_ingest(if quick { 2_000 } else { 20_000 });
    }
    // The ingest alone, for profiling it.
    if std::env::args().any(|a| a == "--ingest-only") {
        return;
    }
    bench_queries(100_000, reuse);
    if !quick {
        bench_queries(1_000_000, reuse);
    }
    println!(
        "peak RSS of the whole run: {:.0} MiB (now {})",
        peak_rss_mib(),
        rss_now()
    );
}
