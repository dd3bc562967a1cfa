//! Stage `crawl`: fetches takedown news and platform posts, politely and safely, archives
//! every request and response as WARC, and ingests the pages as they arrive.
//!
//! - Scope: the seeds' hosts; URLs come from the seeds, robots.txt `Sitemap:` lines,
//!   sitemaps (and indexes), feeds, and in-page links, each URL once.
//! - Politeness: robots.txt obeyed (4xx = allow all; 5xx or no answer = disallow for now,
//!   retried once later), Crawl-delay honoured, and between any two requests to one host
//!   at least the delay, counted from the end of the previous one (robots.txt, redirect
//!   hops and errors included). One request in flight per host; a global cap across hosts.
//! - Limits: connect and total timeouts (a server trickling bytes is cut by the total),
//!   bodies capped while streaming and after decompression, at most 5 redirects, each hop
//!   checked by the address guard, http/https only, 429/503 retried with Retry-After.
//! - State: validators (ETag, Last-Modified), the frontier and the URLs done are saved
//!   atomically with every commit; a re-run resumes an interrupted crawl, and a new crawl
//!   of the same pages is conditional (304 = unchanged).
//!
//! The crawl is the one async stage besides `serve`: a scheduler loop owns all state and
//! spawns one fetch task per request; everything after the fetch is the same synchronous
//! ingest [`Session`](crate::ingest::Session) as `takedowns ingest`.

pub mod discover;
pub mod guard;

use crate::archive::{Page, SnapshotId};
use crate::ingest::{IngestError, IngestOptions, Session};
use futures_util::StreamExt;
use guard::{GuardError, GuardedResolver, Policy};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

/// Why a crawl could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    /// Nothing was fetched, and seeds were refused or their names did not resolve.
    #[error("nothing could be fetched: {reasons}")]
    NothingFetched {
        /// One line per reason, naming the URLs it stopped (joined).
        reasons: String,
        /// What the crawl did, for `--json` (no requests, if only the guard spoke).
        report: Box<CrawlReport>,
    },
    /// The knowledge base or archive failed.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// The HTTP client or runtime could not start.
    #[error("crawler could not start: {0}")]
    Setup(String),
    /// The crawl state file could not be written.
    #[error("{path}: {source}")]
    State {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// What to crawl and how.
#[derive(Debug, Clone)]
pub struct CrawlConfig {
    /// The knowledge base to archive into and ingest.
    pub kb: PathBuf,
    /// Seed URLs (pages, sitemaps or feeds).
    pub seeds: Vec<String>,
    /// Most HTML pages to fetch.
    pub max_pages: usize,
    /// Most link hops from a seed.
    pub max_depth: usize,
    /// Minimum gap between two requests to one host.
    pub delay: Duration,
    /// Address policy.
    pub policy: Policy,
    /// Body cap (bytes, after decompression).
    pub max_body: usize,
    /// Total time allowed for one request.
    pub timeout: Duration,
    /// Time allowed to connect.
    pub connect_timeout: Duration,
    /// Requests in flight across hosts.
    pub concurrency: usize,
    /// Longest Retry-After honoured.
    pub max_retry_after: Duration,
    /// Show a progress bar on a terminal.
    pub progress: bool,
    /// Pages between index commits; the frontier is checkpointed with each commit.
    pub commit_every: usize,
}

impl CrawlConfig {
    /// Defaults for a knowledge base and seeds.
    pub fn new(kb: PathBuf, seeds: Vec<String>) -> CrawlConfig {
        CrawlConfig {
            kb,
            seeds,
            max_pages: 1000,
            max_depth: 3,
            delay: Duration::from_millis(1000),
            policy: Policy::default(),
            max_body: 10 * 1024 * 1024,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            concurrency: 8,
            max_retry_after: Duration::from_secs(60),
            progress: true,
            commit_every: 50,
        }
    }
}

/// The User-Agent, naming the project and where to read about it.
pub const USER_AGENT: &str = "takedowns-crawler/0.1 (+https://github.com/takedowns/takedowns; research archive of platform takedown reports)";

/// What a crawl did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct CrawlReport {
    /// Requests sent (robots.txt, sitemaps, feeds, pages, redirect hops, retries).
    pub requests: usize,
    /// HTML pages fetched with a body.
    pub pages: usize,
    /// Pages new to the knowledge base.
    pub added: usize,
    /// Pages unchanged (304, or the same bytes as stored).
    pub unchanged: usize,
    /// Claims found in new pages.
    pub claims: usize,
    /// URLs robots.txt kept us from.
    pub disallowed: usize,
    /// Requests that failed, with the reason.
    pub failed: Vec<(String, String)>,
    /// URLs refused by the address guard or as invalid.
    pub refused: Vec<(String, String)>,
    /// Responses archived but not extracted (not HTML), with the content type.
    pub skipped: Vec<(String, String)>,
    /// Requests per host.
    pub per_host: BTreeMap<String, usize>,
    /// Things the user should know about the run (a crawl state that could not be read).
    pub notes: Vec<String>,
}

/// What a job fetches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
enum Kind {
    Robots,
    Page,
    Sitemap,
    Feed,
}

/// One request to make.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Job {
    url: String,
    kind: Kind,
    depth: usize,
    hops: usize,
    retries: usize,
}

/// Per-host scheduling state.
#[derive(Default)]
struct Host {
    queue: VecDeque<Job>,
    busy: bool,
    ready_at: Option<Instant>,
    delay: Duration,
    robots: Option<discover::Robots>,
    robots_tries: usize,
    robots_failed: bool,
    dns_tries: usize,
}

/// What is saved between runs.
#[derive(Debug, Default, Serialize, Deserialize)]
struct State {
    /// URL → (ETag, Last-Modified).
    validators: BTreeMap<String, (Option<String>, Option<String>)>,
    /// Jobs not done when the state was saved.
    frontier: Vec<Job>,
    /// URLs done in the crawl in progress.
    done: Vec<String>,
    /// Whether the last crawl ran to its end.
    complete: bool,
    /// Host → robots.txt as last fetched, kept for a day.
    #[serde(default)]
    robots: BTreeMap<String, CachedRobots>,
}

/// A robots.txt answer kept between runs (an empty body stands for "no robots.txt").
#[derive(Debug, Clone, Serialize, Deserialize)]
struct CachedRobots {
    /// When it was fetched, in Unix seconds.
    fetched: i64,
    body: String,
}

/// How long a robots.txt answer is trusted.
const ROBOTS_TTL_SECS: i64 = 24 * 3600;

/// Applies a robots.txt to its host: the rules, Crawl-delay, and the sitemaps it names.
fn apply_robots(host: &mut Host, body: &[u8]) -> Vec<String> {
    let r = discover::Robots::parse("takedowns-crawler", body);
    if let Some(d) = r.delay() {
        host.delay = host.delay.max(Duration::from_secs_f32(d.clamp(0.0, 120.0)));
    }
    let sitemaps = r.sitemaps();
    host.robots = Some(r);
    sitemaps
}

fn state_path(kb: &Path) -> PathBuf {
    kb.join("crawl").join("state.json")
}

/// The saved state. It is written atomically, so a crash leaves the old or the new one;
/// one that does not parse all the same (a disk fault, an edit) is moved aside, said in
/// `notes`, and the crawl starts over from the knowledge base, which still recognises
/// every stored page by its snapshot.
fn load_state(kb: &Path, notes: &mut Vec<String>) -> State {
    let path = state_path(kb);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return State::default();
    };
    match serde_json::from_str(&text) {
        Ok(s) => s,
        Err(e) => {
            let aside = path.with_extension("json.unreadable");
            let moved = std::fs::rename(&path, &aside).is_ok();
            notes.push(format!(
                "crawl state {} could not be read ({e}); {}starting from the knowledge base alone",
                path.display(),
                if moved {
                    format!("kept as {}, ", aside.display())
                } else {
                    String::new()
                }
            ));
            State::default()
        }
    }
}

/// The state as saved: borrowed, so that a checkpoint copies nothing of the frontier.
#[derive(Serialize)]
struct StateView<'a> {
    validators: &'a BTreeMap<String, (Option<String>, Option<String>)>,
    frontier: Vec<&'a Job>,
    done: &'a [String],
    complete: bool,
    robots: &'a BTreeMap<String, CachedRobots>,
}

/// Writes the state atomically (temporary file, then rename), streaming the JSON.
fn save_state(kb: &Path, state: &StateView) -> Result<(), CrawlError> {
    let path = state_path(kb);
    let io = |source| CrawlError::State {
        path: path.clone(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let tmp = path.with_extension("json.tmp");
    let file = std::fs::File::create(&tmp).map_err(io)?;
    let mut out = std::io::BufWriter::new(file);
    serde_json::to_writer(&mut out, state).map_err(|e| io(e.into()))?;
    out.into_inner()
        .map_err(|e| io(e.into_error()))?
        .sync_data()
        .map_err(io)?;
    std::fs::rename(&tmp, &path).map_err(io)?;
    // The rename itself is durable only once the directory is synced.
    if let Some(dir) = path.parent()
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The result of one request.
struct Fetched {
    job: Job,
    url: url::Url,
    status: u16,
    head: String,
    content_type: Option<String>,
    location: Option<String>,
    etag: Option<String>,
    last_modified: Option<String>,
    retry_after: Option<Duration>,
    body: Vec<u8>,
    truncated: bool,
    error: Option<String>,
    /// The guard's verdict when it (or its resolver) stopped the request.
    guard: Option<GuardError>,
    request_head: String,
}

/// A URL's place in the seen-set: a 64-bit hash of its canonical form (8 bytes a URL
/// instead of the string; a collision, about one in 10^9 at a million URLs, skips a page).
fn url_key(raw: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let canonical = crate::dedup::canonical_url(raw);
    let mut h = std::collections::hash_map::DefaultHasher::new();
    canonical.as_deref().unwrap_or(raw).hash(&mut h);
    h.finish()
}

fn host_key(u: &url::Url) -> String {
    match u.port() {
        Some(p) => format!("{}:{p}", u.host_str().unwrap_or("")),
        None => u.host_str().unwrap_or("").to_string(),
    }
}

/// Runs a crawl to its end (or `max_pages`).
pub fn crawl(cfg: &CrawlConfig) -> Result<CrawlReport, CrawlError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CrawlError::Setup(e.to_string()))?;
    rt.block_on(run(cfg))
}

fn client(cfg: &CrawlConfig) -> Result<reqwest::Client, CrawlError> {
    // rustls with the ring provider: no C toolchain needed for TLS.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(cfg.connect_timeout)
        .timeout(cfg.timeout)
        .pool_max_idle_per_host(1)
        .dns_resolver(Arc::new(GuardedResolver(Arc::new(cfg.policy.clone()))))
        .build()
        .map_err(|e| CrawlError::Setup(e.to_string()))
}

async fn fetch(
    client: reqwest::Client,
    job: Job,
    url: url::Url,
    validators: Option<(Option<String>, Option<String>)>,
    max_body: usize,
) -> Fetched {
    let mut req = client.get(url.clone());
    let mut request_head = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: {USER_AGENT}\r\n",
        url.path(),
        url.host_str().unwrap_or("")
    );
    if let Some((etag, modified)) = validators {
        if let Some(e) = etag {
            req = req.header("If-None-Match", e.clone());
            request_head.push_str(&format!("If-None-Match: {e}\r\n"));
        }
        if let Some(m) = modified {
            req = req.header("If-Modified-Since", m.clone());
            request_head.push_str(&format!("If-Modified-Since: {m}\r\n"));
        }
    }
    request_head.push_str("\r\n");
    let mut out = Fetched {
        job,
        url,
        status: 0,
        head: String::new(),
        content_type: None,
        location: None,
        etag: None,
        last_modified: None,
        retry_after: None,
        body: Vec::new(),
        truncated: false,
        error: None,
        guard: None,
        request_head,
    };
    let resp = match req.send().await {
        Ok(r) => r,
        Err(e) => {
            out.error = Some(error_chain(&e));
            out.guard = GuardError::in_chain(&e).cloned();
            return out;
        }
    };
    out.status = resp.status().as_u16();
    let h = resp.headers();
    let get = |k: &str| h.get(k).and_then(|v| v.to_str().ok()).map(str::to_string);
    out.content_type = get("content-type");
    out.location = get("location");
    out.etag = get("etag");
    out.last_modified = get("last-modified");
    out.retry_after = get("retry-after").and_then(|v| retry_after(&v, chrono::Utc::now()));
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        out.status,
        resp.status().canonical_reason().unwrap_or("")
    );
    for (k, v) in h {
        head.push_str(&format!("{}: {}\r\n", k.as_str(), v.to_str().unwrap_or("")));
    }
    head.push_str("\r\n");
    out.head = head;
    let mut stream = resp.bytes_stream();
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(b) => {
                let room = max_body.saturating_sub(out.body.len());
                if b.len() > room {
                    out.body.extend_from_slice(&b[..room]);
                    out.truncated = true;
                    break;
                }
                out.body.extend_from_slice(&b);
            }
            Err(e) => {
                // A body cut short (deadline, reset) is kept as far as it came, marked.
                out.error = Some(error_chain(&e));
                out.truncated = true;
                break;
            }
        }
    }
    out
}

/// A Retry-After value, in seconds or as an HTTP date (a date in the past means now).
fn retry_after(v: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let v = v.trim();
    if let Ok(s) = v.parse::<u64>() {
        return Some(Duration::from_secs(s));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let secs = (when.with_timezone(&chrono::Utc) - now)
        .num_seconds()
        .max(0);
    Some(Duration::from_secs(secs as u64))
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(x) = src {
        let t = x.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        src = x.source();
    }
    s
}

fn is_xml(ct: Option<&str>, body: &[u8]) -> bool {
    ct.is_some_and(|t| {
        let t = t.to_ascii_lowercase();
        t.contains("xml") || t.contains("rss") || t.contains("atom") || t.contains("json")
    }) || body.trim_ascii_start().starts_with(b"<?xml")
}

async fn run(cfg: &CrawlConfig) -> Result<CrawlReport, CrawlError> {
    let client = client(cfg)?;
    let mut report = CrawlReport::default();
    let mut state = load_state(&cfg.kb, &mut report.notes);
    let resume = !state.complete && !state.frontier.is_empty();
    let mut done: Vec<String> = if resume {
        std::mem::take(&mut state.done)
    } else {
        Vec::new()
    };
    let mut seen: HashSet<u64> = done.iter().map(|u| url_key(u)).collect();
    let mut hosts: HashMap<String, Host> = HashMap::new();
    let mut scope: HashSet<String> = HashSet::new();
    let mut session = tokio::task::block_in_place(|| {
        Session::open(
            &cfg.kb,
            &IngestOptions {
                progress: false,
                commit_every: cfg.commit_every.max(1),
                ..IngestOptions::default()
            },
        )
    })?;

    // URLs whose host name did not resolve, with the reason (also in `failed`).
    let mut unresolved: Vec<(String, String)> = Vec::new();
    // Seeds: validated, checked by the guard, and their hosts put in scope.
    let mut jobs: Vec<Job> = Vec::new();
    for s in &cfg.seeds {
        match url::Url::parse(s.trim()) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => match cfg.policy.check_url(&u) {
                Ok(()) => {
                    scope.insert(host_key(&u));
                    jobs.push(Job {
                        url: u.to_string(),
                        kind: Kind::Page,
                        depth: 0,
                        hops: 0,
                        retries: 0,
                    });
                }
                Err(e) => file_guard_error(&mut report, &mut unresolved, s.clone(), &e),
            },
            _ => report
                .refused
                .push((s.clone(), "not an http(s) URL".into())),
        }
    }
    if resume {
        for j in &state.frontier {
            if let Ok(u) = url::Url::parse(&j.url) {
                scope.insert(host_key(&u));
            }
        }
        jobs = std::mem::take(&mut state.frontier);
    }
    let queue_job =
        |hosts: &mut HashMap<String, Host>, seen: &mut HashSet<u64>, job: Job, front: bool| {
            let Ok(u) = url::Url::parse(&job.url) else {
                return;
            };
            let key = host_key(&u);
            if job.kind != Kind::Robots && !seen.insert(url_key(&job.url)) {
                return;
            }
            let host = hosts.entry(key).or_insert_with(|| Host {
                delay: cfg.delay,
                ..Host::default()
            });
            if front {
                host.queue.push_front(job);
            } else {
                host.queue.push_back(job);
            }
        };
    for j in jobs {
        queue_job(&mut hosts, &mut seen, j, false);
    }

    let mut tasks: JoinSet<Fetched> = JoinSet::new();
    let bar = crate::ingest::progress_bar(cfg.progress);
    let mut pages_started = 0usize;
    // Sitemaps named by robots.txt (fetched or cached), queued before the next round.
    let mut pending_sitemaps: Vec<String> = Vec::new();
    loop {
        // Start every job whose host is free and due.
        let now = Instant::now();
        let keys: Vec<String> = hosts.keys().cloned().collect();
        let today = chrono::Utc::now().timestamp();
        for key in keys {
            if tasks.len() >= cfg.concurrency {
                break;
            }
            let Some(host) = hosts.get_mut(&key) else {
                continue;
            };
            if host.busy || host.queue.is_empty() || host.ready_at.is_some_and(|t| t > now) {
                continue;
            }
            // robots.txt first, once per host.
            let cached = state
                .robots
                .get(&key)
                .filter(|c| today - c.fetched < ROBOTS_TTL_SECS);
            if let Some(c) = cached.filter(|_| host.robots.is_none() && !host.robots_failed) {
                pending_sitemaps.extend(apply_robots(host, c.body.as_bytes()));
            }
            if host.robots.is_none()
                && !host.robots_failed
                && host.queue.front().is_some_and(|j| j.kind != Kind::Robots)
            {
                let base = url::Url::parse(&host.queue[0].url).ok();
                if let Some(r) = base.and_then(|b| b.join("/robots.txt").ok()) {
                    host.queue.push_front(Job {
                        url: r.to_string(),
                        kind: Kind::Robots,
                        depth: 0,
                        hops: 0,
                        retries: 0,
                    });
                }
            }
            let Some(job) = host.queue.pop_front() else {
                continue;
            };
            if job.kind == Kind::Page && job.hops == 0 && pages_started >= cfg.max_pages {
                continue;
            }
            if job.kind != Kind::Robots {
                let allowed =
                    host.robots.as_ref().is_none_or(|r| r.allowed(&job.url)) && !host.robots_failed;
                if !allowed {
                    report.disallowed += 1;
                    continue;
                }
            }
            let Ok(url) = url::Url::parse(&job.url) else {
                continue;
            };
            if let Err(e) = cfg.policy.check_url(&url) {
                file_guard_error(&mut report, &mut unresolved, job.url.clone(), &e);
                continue;
            }
            if job.kind == Kind::Page && job.hops == 0 {
                pages_started += 1;
            }
            host.busy = true;
            report.requests += 1;
            *report.per_host.entry(key.clone()).or_default() += 1;
            let validators = (job.kind == Kind::Page)
                .then(|| state.validators.get(&job.url).cloned())
                .flatten();
            tasks.spawn(fetch(client.clone(), job, url, validators, cfg.max_body));
        }
        // Sitemaps are discovery beyond the seeds: not with --max-depth 0.
        for sm in pending_sitemaps.drain(..).filter(|_| cfg.max_depth > 0) {
            if url::Url::parse(&sm).is_ok_and(|u| scope.contains(&host_key(&u))) {
                queue_job(
                    &mut hosts,
                    &mut seen,
                    Job {
                        url: sm,
                        kind: Kind::Sitemap,
                        depth: 1,
                        hops: 0,
                        retries: 0,
                    },
                    false,
                );
            }
        }
        if tasks.is_empty() {
            let next = hosts
                .values()
                .filter(|h| !h.queue.is_empty())
                .filter_map(|h| h.ready_at)
                .min();
            match next {
                Some(t) if hosts.values().any(|h| !h.queue.is_empty()) => {
                    tokio::time::sleep_until(t.into()).await;
                    continue;
                }
                _ if hosts
                    .values()
                    .any(|h| !h.queue.is_empty() && h.ready_at.is_none()) =>
                {
                    continue;
                }
                _ => break,
            }
        }
        // Wait for a fetch, or until the next host is due.
        let next_due = hosts
            .values()
            .filter(|h| !h.busy && !h.queue.is_empty())
            .filter_map(|h| h.ready_at)
            .min();
        let f = match next_due {
            Some(t) => tokio::select! {
                r = tasks.join_next() => r,
                _ = tokio::time::sleep_until(t.into()) => continue,
            },
            None => tasks.join_next().await,
        };
        let Some(Ok(mut f)) = f else { continue };
        let key = host_key(&f.url);
        // The gap runs from the end of this exchange: the host is free, but not yet due.
        if let Some(host) = hosts.get_mut(&key) {
            host.busy = false;
            host.ready_at = Some(Instant::now() + host.delay.max(cfg.delay));
        }
        if let Some(b) = &bar {
            let queued: usize = hosts.values().map(|h| h.queue.len()).sum();
            b.set_message(format!(
                "{} pages fetched, {queued} queued, {} failed, {} claims found",
                report.pages,
                report.failed.len(),
                report.claims
            ));
            b.inc(1);
        }
        // Archive the exchange: the request, then the response.
        let date = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let archived_page = Page {
            snapshot: SnapshotId::of(&f.body),
            url: Some(f.url.to_string()),
            date: date.clone(),
            content_type: f.content_type.clone(),
            payload: std::mem::take(&mut f.body),
            truncated: f.truncated,
        };
        // The body now lives in the page to archive; read it from there.
        let body = archived_page.payload.as_slice();
        if let Some(e) = f.error.as_ref().filter(|_| f.status == 0) {
            match &f.guard {
                Some(GuardError::Dns {
                    permanent: false, ..
                }) if hosts.get(&key).is_some_and(|h| h.dns_tries == 0) => {
                    // A resolver can fail for a moment: asked once more after a pause.
                    if let Some(h) = hosts.get_mut(&key) {
                        h.dns_tries += 1;
                        h.ready_at =
                            Some(Instant::now() + (cfg.delay * 5).max(Duration::from_millis(500)));
                        h.queue.push_front(Job {
                            retries: f.job.retries + 1,
                            ..f.job.clone()
                        });
                    }
                }
                Some(g) => {
                    // The host's name was refused or did not resolve (again): nothing
                    // queued for it can be fetched, and each URL says why.
                    let queued: Vec<String> = hosts
                        .get_mut(&key)
                        .map(|h| h.queue.drain(..).map(|j| j.url).collect())
                        .unwrap_or_default();
                    for u in std::iter::once(f.url.to_string()).chain(queued) {
                        file_guard_error(&mut report, &mut unresolved, u, g);
                    }
                }
                None if f.job.kind == Kind::Robots => robots_failure(
                    &mut hosts,
                    &key,
                    &f.job,
                    cfg,
                    format!("robots.txt: {e}"),
                    &mut report,
                ),
                None => report.failed.push((f.url.to_string(), e.clone())),
            }
            continue;
        }
        let is_page_body = f.job.kind == Kind::Page
            && (200..300).contains(&f.status)
            && crate::archive::is_html(f.content_type.as_deref(), body)
            && !is_xml(f.content_type.as_deref(), body);
        tokio::task::block_in_place(|| -> Result<(), CrawlError> {
            session.archive_request(f.url.as_str(), &date, &f.request_head)?;
            if !is_page_body || f.error.is_some() {
                session.archive_only(&archived_page, Some(&f.head))?;
            }
            Ok(())
        })?;
        match (f.job.kind.clone(), f.status) {
            (Kind::Robots, s) if (200..300).contains(&s) => {
                let host = hosts.entry(key.clone()).or_default();
                let sitemaps = apply_robots(host, body);
                state.robots.insert(
                    key.clone(),
                    CachedRobots {
                        fetched: chrono::Utc::now().timestamp(),
                        body: String::from_utf8_lossy(body).into_owned(),
                    },
                );
                pending_sitemaps.extend(sitemaps);
            }
            (Kind::Robots, s) if (400..500).contains(&s) => {
                state.robots.insert(
                    key.clone(),
                    CachedRobots {
                        fetched: chrono::Utc::now().timestamp(),
                        body: String::new(),
                    },
                );
                if let Some(h) = hosts.get_mut(&key) {
                    h.robots = Some(discover::Robots::allow_all());
                }
            }
            (Kind::Robots, s) => robots_failure(
                &mut hosts,
                &key,
                &f.job,
                cfg,
                format!("robots.txt answered HTTP {s}"),
                &mut report,
            ),
            (_, 304) => {
                report.unchanged += 1;
                done.push(f.job.url.clone());
            }
            (_, s) if (300..400).contains(&s) => {
                let target = f.location.as_deref().and_then(|l| f.url.join(l).ok());
                match target {
                    Some(t) if f.job.hops < 5 && matches!(t.scheme(), "http" | "https") => {
                        if let Err(e) = cfg.policy.check_url(&t) {
                            file_guard_error(&mut report, &mut unresolved, t.to_string(), &e);
                        } else if scope.contains(&host_key(&t)) {
                            let job = Job {
                                url: t.to_string(),
                                hops: f.job.hops + 1,
                                ..f.job.clone()
                            };
                            // Next in line for its host; a target already seen (linked, or
                            // an earlier hop of a cycle) is fetched once, where it was seen.
                            queue_job(&mut hosts, &mut seen, job, true);
                        } else {
                            report.failed.push((
                                f.url.to_string(),
                                format!("redirects out of scope to {t}"),
                            ));
                        }
                    }
                    Some(t) if f.job.hops >= 5 => report.failed.push((
                        f.url.to_string(),
                        format!("more than 5 redirects (last to {t})"),
                    )),
                    _ => report.failed.push((
                        f.url.to_string(),
                        format!("redirect {s} without a usable Location"),
                    )),
                }
            }
            (_, 429 | 503) => {
                if f.job.retries < 2 {
                    let wait = f
                        .retry_after
                        .unwrap_or(cfg.delay)
                        .clamp(cfg.delay, cfg.max_retry_after);
                    if let Some(h) = hosts.get_mut(&key) {
                        h.ready_at = Some(Instant::now() + wait);
                        h.queue.push_front(Job {
                            retries: f.job.retries + 1,
                            ..f.job.clone()
                        });
                    }
                } else {
                    report.failed.push((
                        f.url.to_string(),
                        format!("HTTP {} after 2 retries", f.status),
                    ));
                }
            }
            (_, s) if !(200..300).contains(&s) => {
                report.failed.push((f.url.to_string(), format!("HTTP {s}")))
            }
            (kind, _) => {
                if let Some(e) = &f.error {
                    report.failed.push((f.url.to_string(), e.clone()));
                    continue;
                }
                // Feeds and sitemaps, by what was asked or by what came back.
                if kind != Kind::Page || is_xml(f.content_type.as_deref(), body) {
                    let urls = match discover::feed_urls(body).filter(|_| kind != Kind::Sitemap) {
                        Some(entries) => entries
                            .into_iter()
                            .map(|u| (u, Kind::Page))
                            .collect::<Vec<_>>(),
                        None => {
                            let (urls, index) = discover::sitemap_urls(body);
                            urls.into_iter()
                                .map(|u| (u, if index { Kind::Sitemap } else { Kind::Page }))
                                .collect()
                        }
                    };
                    for (u, k) in urls {
                        if url::Url::parse(&u).is_ok_and(|x| scope.contains(&host_key(&x))) {
                            queue_job(
                                &mut hosts,
                                &mut seen,
                                Job {
                                    url: u,
                                    kind: k,
                                    depth: f.job.depth,
                                    hops: 0,
                                    retries: 0,
                                },
                                false,
                            );
                        }
                    }
                    continue;
                }
                if !is_page_body {
                    // Archived above; a PDF or an image is not an article to extract.
                    report.skipped.push((
                        f.url.to_string(),
                        format!(
                            "not HTML ({})",
                            f.content_type.as_deref().unwrap_or("no content type")
                        ),
                    ));
                    continue;
                }
                report.pages += 1;
                done.push(f.job.url.clone());
                state
                    .validators
                    .insert(f.job.url.clone(), (f.etag.clone(), f.last_modified.clone()));
                let html = String::from_utf8_lossy(body).into_owned();
                let page = archived_page;
                let head = f.head.clone();
                let before = (
                    session.report.added,
                    session.report.unchanged,
                    session.report.claims,
                    session.report.commits,
                );
                tokio::task::block_in_place(|| session.add(vec![(page, Some(head))]))?;
                report.added += session.report.added - before.0;
                report.unchanged += session.report.unchanged - before.1;
                report.claims += session.report.claims - before.2;
                if f.job.depth < cfg.max_depth {
                    let (links, feeds) = discover::page_links(&f.url, &html);
                    for l in links {
                        if scope.contains(&host_key(&l)) {
                            queue_job(
                                &mut hosts,
                                &mut seen,
                                Job {
                                    url: l.to_string(),
                                    kind: Kind::Page,
                                    depth: f.job.depth + 1,
                                    hops: 0,
                                    retries: 0,
                                },
                                false,
                            );
                        }
                    }
                    for fd in feeds {
                        if scope.contains(&host_key(&fd)) {
                            queue_job(
                                &mut hosts,
                                &mut seen,
                                Job {
                                    url: fd.to_string(),
                                    kind: Kind::Feed,
                                    depth: f.job.depth + 1,
                                    hops: 0,
                                    retries: 0,
                                },
                                false,
                            );
                        }
                    }
                }
                if session.report.commits > before.3 {
                    // Checkpoint with the commit: what is indexed and what is left to do.
                    save_state(
                        &cfg.kb,
                        &StateView {
                            validators: &state.validators,
                            frontier: hosts.values().flat_map(|h| h.queue.iter()).collect(),
                            done: &done,
                            complete: false,
                            robots: &state.robots,
                        },
                    )?;
                }
            }
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let ingest = tokio::task::block_in_place(|| session.finish())?;
    report.skipped_extraction(&ingest);
    save_state(
        &cfg.kb,
        &StateView {
            validators: &state.validators,
            frontier: Vec::new(),
            done: &[],
            complete: true,
            robots: &state.robots,
        },
    )?;
    if report.pages == 0
        && report.unchanged == 0
        && !(report.refused.is_empty() && unresolved.is_empty())
    {
        // One line per reason, naming the URLs it stopped.
        let mut reasons: Vec<(String, Vec<String>)> = Vec::new();
        for (u, e) in report.refused.iter().chain(&unresolved) {
            let e = e.strip_prefix(&format!("{u}: ")).unwrap_or(e).to_string();
            match reasons.iter_mut().find(|(r, _)| *r == e) {
                Some((_, us)) => us.push(u.clone()),
                None => reasons.push((e, vec![u.clone()])),
            }
        }
        let text: Vec<String> = reasons
            .iter()
            .map(|(e, us)| format!("{}: {e}", us.join(", ")))
            .collect();
        return Err(CrawlError::NothingFetched {
            reasons: text.join("; "),
            report: Box::new(report),
        });
    }
    Ok(report)
}

impl CrawlReport {
    fn skipped_extraction(&mut self, ingest: &crate::ingest::IngestReport) {
        for (what, why) in &ingest.skipped {
            self.failed
                .push((what.clone(), format!("not extracted: {why}")));
        }
    }
}

/// Files what the guard said about a URL: a name that did not resolve is a failure (and
/// kept in `unresolved`, which decides whether anything could be fetched), the rest
/// refusals.
fn file_guard_error(
    report: &mut CrawlReport,
    unresolved: &mut Vec<(String, String)>,
    url: String,
    e: &GuardError,
) {
    let why = e.to_string();
    if matches!(e, GuardError::Dns { .. }) {
        unresolved.push((url.clone(), why.clone()));
        report.failed.push((url, why));
    } else {
        report.refused.push((url, why));
    }
}

/// robots.txt gave a 5xx or no answer: nothing on the host is fetched for now; it is
/// asked once more after a pause, and if it fails again the host is left alone.
fn robots_failure(
    hosts: &mut HashMap<String, Host>,
    key: &str,
    job: &Job,
    cfg: &CrawlConfig,
    why: String,
    report: &mut CrawlReport,
) {
    let Some(h) = hosts.get_mut(key) else { return };
    h.robots_tries += 1;
    if h.robots_tries < 2 {
        h.ready_at = Some(Instant::now() + (cfg.delay * 5).max(Duration::from_millis(500)));
        h.queue.push_front(Job {
            retries: job.retries + 1,
            ..job.clone()
        });
    } else {
        h.robots_failed = true;
        report.failed.push((
            job.url.clone(),
            format!("{why}; nothing on {key} fetched (tried twice)"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = chrono::DateTime::parse_from_rfc3339("2015-10-21T07:27:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(retry_after(" 120 ", now), Some(Duration::from_secs(120)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon", now), None);
        assert_eq!(retry_after("-5", now), None);
    }

    #[test]
    fn seen_set_keys_follow_canonical_urls() {
        assert_eq!(
            url_key("https://www.example.com/a/?utm_source=x#top"),
            url_key("https://example.com/a")
        );
        assert_ne!(
            url_key("http://127.0.0.1:8080/a"),
            url_key("http://127.0.0.1:8081/a")
        );
    }
}
