//! Scheduling: the jobs to do, one queue per host, and the rule for starting one. A host
//! is asked for its robots.txt before anything else, at most one request to it is in
//! flight, the next starts no earlier than the delay after the last ended, and at most
//! `concurrency` hosts are fetched from at once.

use super::discover;
use super::fetch::{Fetched, fetch};
use super::state::ROBOTS_TTL_SECS;
use super::{Crawler, file_guard_error};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet, VecDeque};
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

/// What a job fetches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) enum Kind {
    Robots,
    Page,
    Sitemap,
    Feed,
}

/// One request to make.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Job {
    pub(super) url: String,
    pub(super) kind: Kind,
    pub(super) depth: usize,
    pub(super) hops: usize,
    pub(super) retries: usize,
    /// The registry entry the job comes from, whose limits it obeys.
    #[serde(default)]
    pub(super) source: Option<usize>,
}

impl Job {
    /// A first request (no hops, no retries).
    pub(super) fn new(url: String, kind: Kind, depth: usize, source: Option<usize>) -> Job {
        Job {
            url,
            kind,
            depth,
            hops: 0,
            retries: 0,
            source,
        }
    }

    /// The same request once more, after a failure.
    pub(super) fn retry(&self) -> Job {
        Job {
            retries: self.retries + 1,
            ..self.clone()
        }
    }
}

/// Per-host scheduling state.
#[derive(Default)]
pub(super) struct Host {
    pub(super) queue: VecDeque<Job>,
    pub(super) busy: bool,
    pub(super) ready_at: Option<Instant>,
    pub(super) delay: Duration,
    pub(super) robots: Option<discover::Robots>,
    pub(super) robots_tries: usize,
    pub(super) robots_failed: bool,
    pub(super) dns_tries: usize,
}

impl Host {
    /// Applies a robots.txt: the rules, Crawl-delay, and the sitemaps it names.
    pub(super) fn apply_robots(&mut self, body: &[u8]) -> Vec<String> {
        let r = discover::Robots::parse("takedowns-crawler", body);
        if let Some(d) = r.delay() {
            self.delay = self.delay.max(Duration::from_secs_f32(d.clamp(0.0, 120.0)));
        }
        let sitemaps = r.sitemaps();
        self.robots = Some(r);
        sitemaps
    }

    /// Waits `pause` and then asks `job` once more, before anything else on the host.
    pub(super) fn ask_again(&mut self, job: &Job, pause: Duration) {
        self.ready_at = Some(Instant::now() + pause);
        self.queue.push_front(job.retry());
    }
}

/// The hosts' queues, the URLs seen (each fetched once), and the hosts in scope.
#[derive(Default)]
pub(super) struct Frontier {
    pub(super) hosts: HashMap<String, Host>,
    pub(super) seen: HashSet<u64>,
    pub(super) scope: HashSet<String>,
}

impl Frontier {
    /// Queues a job on its host (at the front for a redirect hop), unless its URL was
    /// seen already; robots.txt jobs are never deduplicated (a retry is the same URL).
    pub(super) fn queue(&mut self, job: Job, front: bool, delay: Duration) {
        let Ok(u) = url::Url::parse(&job.url) else {
            return;
        };
        if job.kind != Kind::Robots && !self.seen.insert(url_key(&job.url)) {
            return;
        }
        let host = self.hosts.entry(host_key(&u)).or_insert_with(|| Host {
            delay,
            ..Host::default()
        });
        if front {
            host.queue.push_front(job);
        } else {
            host.queue.push_back(job);
        }
    }

    /// Whether a URL's host is in scope.
    pub(super) fn in_scope(&self, u: &url::Url) -> bool {
        self.scope.contains(&host_key(u))
    }

    /// Jobs left in every queue.
    pub(super) fn queued(&self) -> usize {
        self.hosts.values().map(|h| h.queue.len()).sum()
    }

    /// When the next idle host with work becomes due, if any is waiting.
    pub(super) fn next_due(&self) -> Option<Instant> {
        self.hosts
            .values()
            .filter(|h| !h.busy && !h.queue.is_empty())
            .filter_map(|h| h.ready_at)
            .min()
    }
}

/// A URL's place in the seen-set: a 64-bit hash of its canonical form (8 bytes a URL
/// instead of the string; a collision, about one in 10^9 at a million URLs, skips a page).
pub(super) fn url_key(raw: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let canonical = crate::dedup::canonical_url(raw);
    let mut h = std::collections::hash_map::DefaultHasher::new();
    canonical.as_deref().unwrap_or(raw).hash(&mut h);
    h.finish()
}

/// The host and port a URL is scheduled under.
pub(super) fn host_key(u: &url::Url) -> String {
    match u.port() {
        Some(p) => format!("{}:{p}", u.host_str().unwrap_or("")),
        None => u.host_str().unwrap_or("").to_string(),
    }
}

impl Crawler<'_> {
    /// Starts every job whose host is free and due, up to the concurrency cap.
    pub(super) fn schedule(&mut self, tasks: &mut JoinSet<Fetched>) {
        let now = Instant::now();
        let keys: Vec<String> = self.frontier.hosts.keys().cloned().collect();
        for key in keys {
            if tasks.len() >= self.cfg.concurrency || self.stopping() {
                break;
            }
            if let Some(job) = self.next_job(&key, now) {
                self.start(tasks, &key, job);
            }
        }
        // Sitemaps are discovery beyond the seeds: not with --max-depth 0.
        for sm in std::mem::take(&mut self.pending_sitemaps) {
            if self.cfg.max_depth > 0
                && url::Url::parse(&sm).is_ok_and(|u| self.frontier.in_scope(&u))
            {
                self.frontier
                    .queue(Job::new(sm, Kind::Sitemap, 1, None), false, self.cfg.delay);
            }
        }
    }

    /// The next job of a host that may start now: robots.txt first (from the cache when
    /// fresh), then the queue, skipping what robots.txt rules out.
    fn next_job(&mut self, key: &str, now: Instant) -> Option<Job> {
        let today = chrono::Utc::now().timestamp();
        let host = self.frontier.hosts.get_mut(key)?;
        if host.busy || host.queue.is_empty() || host.ready_at.is_some_and(|t| t > now) {
            return None;
        }
        let cached = self
            .state
            .robots
            .get(key)
            .filter(|c| today - c.fetched < ROBOTS_TTL_SECS);
        if let Some(c) = cached.filter(|_| host.robots.is_none() && !host.robots_failed) {
            self.pending_sitemaps
                .extend(host.apply_robots(c.body.as_bytes()));
        }
        if host.robots.is_none()
            && !host.robots_failed
            && host.queue.front().is_some_and(|j| j.kind != Kind::Robots)
        {
            let base = url::Url::parse(&host.queue[0].url).ok();
            if let Some(r) = base.and_then(|b| b.join("/robots.txt").ok()) {
                host.queue
                    .push_front(Job::new(r.to_string(), Kind::Robots, 0, None));
            }
        }
        let job = host.queue.pop_front()?;
        if job.kind == Kind::Robots {
            return Some(job);
        }
        let allowed =
            host.robots.as_ref().is_none_or(|r| r.allowed(&job.url)) && !host.robots_failed;
        if !allowed {
            self.report.disallowed += 1;
            return None;
        }
        Some(job)
    }

    /// Sends a job's request, unless the guard refuses its URL or no page is left in its
    /// budget.
    fn start(&mut self, tasks: &mut JoinSet<Fetched>, key: &str, job: Job) {
        let Ok(url) = url::Url::parse(&job.url) else {
            return;
        };
        if let Err(e) = self.cfg.policy.check_url(&url) {
            file_guard_error(&mut self.report, &mut self.unresolved, job.url.clone(), &e);
            return;
        }
        if job.kind == Kind::Page && job.hops == 0 && !self.budget.take(&job) {
            return;
        }
        if let Some(host) = self.frontier.hosts.get_mut(key) {
            host.busy = true;
        }
        self.report.requests += 1;
        *self.report.per_host.entry(key.to_string()).or_default() += 1;
        let validators = (job.kind == Kind::Page)
            .then(|| self.state.validators.get(&job.url).cloned())
            .flatten();
        tasks.spawn(fetch(
            self.client.clone(),
            job,
            url,
            validators,
            self.cfg.max_body,
        ));
    }
}

/// How many pages may still start: in all (`--max-pages`) and per registry entry.
pub(super) struct Budget {
    left: usize,
    per_source: Vec<usize>,
}

impl Budget {
    /// A budget of `max_pages` in all and each entry's own.
    pub(super) fn new(max_pages: usize, per_source: Vec<usize>) -> Budget {
        Budget {
            left: max_pages,
            per_source,
        }
    }

    /// Takes one page for a job, if its limits allow.
    fn take(&mut self, job: &Job) -> bool {
        let entry = job.source.and_then(|s| self.per_source.get_mut(s));
        if self.left == 0 || entry.as_ref().is_some_and(|n| **n == 0) {
            return false;
        }
        self.left -= 1;
        if let Some(n) = entry {
            *n -= 1;
        }
        true
    }
}
