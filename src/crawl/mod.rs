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
//! The crawl is the one async stage besides `serve`: one loop owns all state and reads as
//! schedule → fetch → handle. [`schedule`] starts the jobs that are due, [`fetch`] makes
//! one request, [`handle`] archives the answer and acts on it with one function per kind
//! (robots.txt, redirect, sitemap or feed, HTML page, PDF, other); everything after the
//! fetch is the same synchronous ingest [`Session`](crate::ingest::Session) as `takedowns
//! ingest`. [`state`] is what is kept between runs, [`watch`] re-crawls on a period.

pub mod discover;
mod fetch;
pub mod guard;
mod handle;
mod schedule;
mod state;
pub mod watch;

use crate::ingest::{IngestError, IngestOptions, Session};
use fetch::Fetched;
use guard::{GuardError, Policy};
use schedule::{Budget, Frontier, Job, Kind};
use serde::Serialize;
use state::{State, StateView};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::task::JoinSet;
pub use watch::{parse_every, watch};

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
    /// Registry entries to crawl besides the seeds, each with its own limits.
    pub sources: Vec<crate::sources::Source>,
    /// Set (by SIGTERM or SIGINT, or the caller) to end the crawl after the fetches in
    /// flight: what they bring is committed and the frontier kept for the next run.
    pub stop: Arc<Stop>,
    /// Whether SIGTERM and SIGINT ask `stop` (the command line's crawl; not a library
    /// caller's, whose process keeps its own handling of signals).
    pub handle_signals: bool,
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
            sources: Vec::new(),
            stop: Arc::default(),
            handle_signals: false,
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
    /// Pages fetched with a body (HTML and PDF).
    pub pages: usize,
    /// PDFs among them.
    pub pdfs: usize,
    /// Pages new to the knowledge base.
    pub added: usize,
    /// Pages unchanged (304, or the same bytes as stored).
    pub unchanged: usize,
    /// Claims found in new pages.
    pub claims: usize,
    /// New pages archived but not indexed as articles: no claim and no takedown
    /// vocabulary (`ingest --reconsider` indexes them later).
    pub not_indexed: usize,
    /// URLs robots.txt kept us from.
    pub disallowed: usize,
    /// Requests that failed, with the reason.
    pub failed: Vec<(String, String)>,
    /// URLs refused by the address guard or as invalid.
    pub refused: Vec<(String, String)>,
    /// Responses archived but not extracted (not HTML or PDF), with the content type.
    pub skipped: Vec<(String, String)>,
    /// Requests per host.
    pub per_host: BTreeMap<String, usize>,
    /// Things the user should know about the run (a crawl state that could not be read).
    pub notes: Vec<String>,
    /// Whether a stop request ended the crawl early (the frontier is kept).
    pub stopped: bool,
}

/// A request to stop, shared with whoever may make it (a signal listener, a test).
#[derive(Debug, Default)]
pub struct Stop {
    asked: AtomicBool,
    wake: tokio::sync::Notify,
}

impl Stop {
    /// Asks the crawl to stop after the fetches in flight.
    pub fn ask(&self) {
        self.asked.store(true, Ordering::SeqCst);
        self.wake.notify_one();
    }

    /// Whether a stop was asked.
    pub fn asked(&self) -> bool {
        self.asked.load(Ordering::SeqCst)
    }

    /// Resolves once a stop is asked.
    async fn wait(&self) {
        while !self.asked() {
            self.wake.notified().await;
        }
    }
}

/// Runs a crawl to its end (or `max_pages`, or a stop request: SIGTERM or SIGINT while
/// it runs, with `handle_signals`).
pub fn crawl(cfg: &CrawlConfig) -> Result<CrawlReport, CrawlError> {
    runtime()?.block_on(async {
        if cfg.handle_signals {
            watch::stop_on_signals(&cfg.stop)?;
        }
        run(cfg).await
    })
}

fn runtime() -> Result<tokio::runtime::Runtime, CrawlError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CrawlError::Setup(e.to_string()))
}

/// Everything one crawl holds while it runs.
struct Crawler<'a> {
    cfg: &'a CrawlConfig,
    client: reqwest::Client,
    report: CrawlReport,
    state: State,
    /// URLs done in this crawl (saved with each checkpoint, for a resume).
    done: Vec<String>,
    frontier: Frontier,
    budget: Budget,
    session: Session,
    /// URLs whose host name did not resolve, with the reason (also in `failed`).
    unresolved: Vec<(String, String)>,
    /// Sitemaps named by robots.txt (fetched or cached), queued before the next round.
    pending_sitemaps: Vec<String>,
    bar: Option<indicatif::ProgressBar>,
}

async fn run(cfg: &CrawlConfig) -> Result<CrawlReport, CrawlError> {
    let mut c = Crawler::open(cfg)?;
    let mut tasks: JoinSet<Fetched> = JoinSet::new();
    loop {
        c.schedule(&mut tasks);
        if tasks.is_empty() {
            if c.frontier.queued() == 0 || c.stopping() {
                break;
            }
            if let Some(t) = c.frontier.next_due() {
                tokio::select! {
                    _ = tokio::time::sleep_until(t.into()) => {}
                    _ = cfg.stop.wait() => {}
                }
            }
            continue;
        }
        // Wait for a fetch, or until the next host is due, or a stop.
        let next_due = c.frontier.next_due();
        let joined = tokio::select! {
            r = tasks.join_next() => r,
            _ = sleep_until(next_due), if next_due.is_some() => continue,
            _ = cfg.stop.wait(), if !c.stopping() => continue,
        };
        if let Some(Ok(f)) = joined {
            c.handle(f)?;
        }
    }
    c.finish()
}

async fn sleep_until(t: Option<std::time::Instant>) {
    if let Some(t) = t {
        tokio::time::sleep_until(t.into()).await;
    }
}

impl<'a> Crawler<'a> {
    /// Opens the knowledge base, reads the saved state, and queues the seeds (or the
    /// frontier of an interrupted crawl).
    fn open(cfg: &'a CrawlConfig) -> Result<Crawler<'a>, CrawlError> {
        let client = fetch::client(cfg)?;
        let mut report = CrawlReport::default();
        let mut state = state::load_state(&cfg.kb, &mut report.notes);
        let resume = !state.complete && !state.frontier.is_empty();
        let done: Vec<String> = if resume {
            std::mem::take(&mut state.done)
        } else {
            Vec::new()
        };
        let session = tokio::task::block_in_place(|| {
            Session::open(
                &cfg.kb,
                &IngestOptions {
                    progress: false,
                    commit_every: cfg.commit_every.max(1),
                    relevant_only: true,
                    ..IngestOptions::default()
                },
            )
        })?;
        let mut c = Crawler {
            cfg,
            client,
            report,
            frontier: Frontier {
                seen: done.iter().map(|u| schedule::url_key(u)).collect(),
                ..Frontier::default()
            },
            state,
            done,
            budget: Budget::new(
                cfg.max_pages,
                cfg.sources.iter().map(|s| s.max_pages).collect(),
            ),
            session,
            unresolved: Vec::new(),
            pending_sitemaps: Vec::new(),
            bar: crate::ingest::progress_bar(cfg.progress),
        };
        let mut jobs = c.seed_jobs();
        if resume {
            jobs = std::mem::take(&mut c.state.frontier);
            for j in &jobs {
                if let Ok(u) = url::Url::parse(&j.url) {
                    c.frontier.scope.insert(schedule::host_key(&u));
                }
            }
        }
        for j in jobs {
            c.frontier.queue(j, false, cfg.delay);
        }
        Ok(c)
    }

    /// The seeds and the registry entries' start pages and feeds: validated, checked by
    /// the guard, and their hosts put in scope.
    fn seed_jobs(&mut self) -> Vec<Job> {
        let seeds = self
            .cfg
            .seeds
            .iter()
            .map(|s| (s.as_str(), Kind::Page, None));
        let entries = self.cfg.sources.iter().enumerate().flat_map(|(i, s)| {
            let feeds = s
                .feeds
                .iter()
                .map(move |f| (f.as_str(), Kind::Feed, Some(i)));
            std::iter::once((s.url.as_str(), Kind::Page, Some(i))).chain(feeds)
        });
        let mut jobs = Vec::new();
        for (s, kind, source) in seeds.chain(entries) {
            match url::Url::parse(s.trim()) {
                Ok(u) if matches!(u.scheme(), "http" | "https") => {
                    match self.cfg.policy.check_url(&u) {
                        Ok(()) => {
                            self.frontier.scope.insert(schedule::host_key(&u));
                            jobs.push(Job::new(u.to_string(), kind, 0, source));
                        }
                        Err(e) => file_guard_error(
                            &mut self.report,
                            &mut self.unresolved,
                            s.to_string(),
                            &e,
                        ),
                    }
                }
                _ => self
                    .report
                    .refused
                    .push((s.to_string(), "not an http(s) URL".into())),
            }
        }
        jobs
    }

    /// Whether a stop was asked: no new request starts.
    fn stopping(&self) -> bool {
        self.cfg.stop.asked()
    }

    fn show_progress(&self) {
        if let Some(b) = &self.bar {
            b.set_message(format!(
                "{} pages fetched, {} queued, {} failed, {} claims found",
                self.report.pages,
                self.frontier.queued(),
                self.report.failed.len(),
                self.report.claims
            ));
            b.inc(1);
        }
    }

    /// Commits what is pending and saves the state: complete, or (after a stop) with
    /// the frontier left for the next run. Nothing fetched at all is an error that says
    /// why, URL by URL.
    fn finish(mut self) -> Result<CrawlReport, CrawlError> {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
        let stopped = self.stopping() && self.frontier.queued() > 0;
        if stopped {
            // Committed first, so that the state never names a page done that the index
            // does not hold.
            tokio::task::block_in_place(|| self.session.commit())?;
            self.checkpoint()?;
        }
        let ingest = tokio::task::block_in_place(|| self.session.finish())?;
        self.report.skipped_extraction(&ingest);
        if stopped {
            self.report.stopped = true;
            self.report.notes.push(format!(
                "stopped on request: what was fetched is committed; {} queued URLs are kept for the next run",
                self.frontier.queued()
            ));
        } else {
            state::save_state(
                &self.cfg.kb,
                &StateView {
                    validators: &self.state.validators,
                    frontier: Vec::new(),
                    done: &[],
                    complete: true,
                    robots: &self.state.robots,
                },
            )?;
        }
        let report = self.report;
        if report.pages == 0
            && report.unchanged == 0
            && !(report.refused.is_empty() && self.unresolved.is_empty())
        {
            return Err(nothing_fetched(report, &self.unresolved));
        }
        Ok(report)
    }
}

/// The error for a crawl that fetched nothing: one line per reason, naming the URLs it
/// stopped.
fn nothing_fetched(report: CrawlReport, unresolved: &[(String, String)]) -> CrawlError {
    let mut reasons: Vec<(String, Vec<String>)> = Vec::new();
    for (u, e) in report.refused.iter().chain(unresolved) {
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
    CrawlError::NothingFetched {
        reasons: text.join("; "),
        report: Box::new(report),
    }
}

impl CrawlReport {
    /// The one summary line of a crawl (or of one round of `--every`).
    pub fn summary(&self) -> String {
        format!(
            "{} requests, {} pages fetched ({} PDF), {} new, {} unchanged, {} claims found, {} archived but not indexed (not about takedowns), {} disallowed by robots.txt, {} not HTML or PDF, {} failed, {} refused{}",
            self.requests,
            self.pages,
            self.pdfs,
            self.added,
            self.unchanged,
            self.claims,
            self.not_indexed,
            self.disallowed,
            self.skipped.len(),
            self.failed.len(),
            self.refused.len(),
            if self.stopped {
                "; stopped on request"
            } else {
                ""
            }
        )
    }

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

#[cfg(test)]
mod tests {
    use super::fetch::retry_after;
    use super::schedule::url_key;
    use std::time::Duration;

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
