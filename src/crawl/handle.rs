//! Handling what came back, one function per kind of answer: no answer, robots.txt, a
//! redirect, "busy" (429/503), a sitemap or feed, an HTML page, a PDF, anything else.
//! Every response is archived first, whatever it is.

use super::fetch::Fetched;
use super::guard::GuardError;
use super::schedule::{Job, Kind, host_key};
use super::state::{CachedRobots, StateView, save_state};
use super::{CrawlError, Crawler, discover, file_guard_error};
use crate::archive::{Page, SnapshotId};
use std::time::{Duration, Instant};

/// What a 2xx body to a page request is, by its type and its first bytes.
#[derive(Debug, PartialEq, Eq)]
enum Body {
    Html,
    Pdf,
    FeedOrSitemap,
    Other,
}

fn body_kind(ct: Option<&str>, body: &[u8]) -> Body {
    if crate::archive::is_pdf(ct, body) {
        Body::Pdf
    } else if is_xml(ct, body) {
        Body::FeedOrSitemap
    } else if crate::archive::is_html(ct, body) {
        Body::Html
    } else {
        Body::Other
    }
}

fn is_xml(ct: Option<&str>, body: &[u8]) -> bool {
    ct.is_some_and(|t| {
        let t = t.to_ascii_lowercase();
        t.contains("xml") || t.contains("rss") || t.contains("atom") || t.contains("json")
    }) || body.trim_ascii_start().starts_with(b"<?xml")
}

impl Crawler<'_> {
    /// Handles one finished fetch: frees its host, archives the exchange, then acts on
    /// what it was asked for and what came back.
    pub(super) fn handle(&mut self, mut f: Fetched) -> Result<(), CrawlError> {
        let key = host_key(&f.url);
        // The gap runs from the end of this exchange: the host is free, but not yet due.
        if let Some(host) = self.frontier.hosts.get_mut(&key) {
            host.busy = false;
            host.ready_at = Some(Instant::now() + host.delay.max(self.cfg.delay));
        }
        self.show_progress();
        if let Some(e) = f.error.clone().filter(|_| f.status == 0) {
            self.no_answer(&f, &key, e);
            return Ok(());
        }
        let date = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let page = Page {
            snapshot: SnapshotId::of(&f.body),
            url: Some(f.url.to_string()),
            date: date.clone(),
            content_type: f.content_type.clone(),
            payload: std::mem::take(&mut f.body),
            truncated: f.truncated,
        };
        let ok = (200..300).contains(&f.status) && f.error.is_none();
        let body = body_kind(f.content_type.as_deref(), &page.payload);
        let to_ingest = ok && f.job.kind == Kind::Page && matches!(body, Body::Html | Body::Pdf);
        tokio::task::block_in_place(|| -> Result<(), CrawlError> {
            self.session
                .archive_request(f.url.as_str(), &date, &f.request_head)?;
            if !to_ingest {
                self.session.archive_only(&page, Some(&f.head))?;
            }
            Ok(())
        })?;
        match (f.job.kind, f.status) {
            (Kind::Robots, s) => self.robots(&f, &key, s, &page.payload),
            (_, 304) => {
                self.report.unchanged += 1;
                self.done.push(f.job.url.clone());
            }
            (_, s) if (300..400).contains(&s) => self.redirect(&f, s),
            (_, 429 | 503) => self.busy(&f, &key),
            (_, s) if !(200..300).contains(&s) => self
                .report
                .failed
                .push((f.url.to_string(), format!("HTTP {s}"))),
            _ if f.error.is_some() => {
                let e = f.error.clone().unwrap_or_default();
                self.report.failed.push((f.url.to_string(), e));
            }
            (Kind::Page, _) if body != Body::FeedOrSitemap => match body {
                Body::Html => self.html_page(&f, page)?,
                Body::Pdf => self.pdf(&f, page)?,
                _ => self.other(&f),
            },
            _ => self.feed_or_sitemap(&f, &page.payload),
        }
        Ok(())
    }

    /// No HTTP answer: a name that did not resolve is asked once more after a pause; a
    /// refused or unresolvable host fails with everything queued for it; a robots.txt
    /// without answer leaves the host alone for now.
    fn no_answer(&mut self, f: &Fetched, key: &str, e: String) {
        let pause = (self.cfg.delay * 5).max(Duration::from_millis(500));
        match &f.guard {
            Some(GuardError::Dns {
                permanent: false, ..
            }) if self
                .frontier
                .hosts
                .get(key)
                .is_some_and(|h| h.dns_tries == 0) =>
            {
                if let Some(h) = self.frontier.hosts.get_mut(key) {
                    h.dns_tries += 1;
                    h.ask_again(&f.job, pause);
                }
            }
            Some(g) => {
                let queued: Vec<String> = self
                    .frontier
                    .hosts
                    .get_mut(key)
                    .map(|h| h.queue.drain(..).map(|j| j.url).collect())
                    .unwrap_or_default();
                for u in std::iter::once(f.url.to_string()).chain(queued) {
                    file_guard_error(&mut self.report, &mut self.unresolved, u, g);
                }
            }
            None if f.job.kind == Kind::Robots => {
                self.robots_failure(key, &f.job, format!("robots.txt: {e}"))
            }
            // A live host that gave no answer this time (a timeout, a reset) is asked once
            // more after a pause: loaded servers drop requests now and then, and a URL that
            // failed is never asked again, by this crawl or one resumed from its state.
            None if f.job.retries == 0 && self.frontier.hosts.contains_key(key) => {
                if let Some(h) = self.frontier.hosts.get_mut(key) {
                    h.ask_again(&f.job, pause);
                }
            }
            None => self.report.failed.push((f.url.to_string(), e)),
        }
    }

    /// robots.txt: 2xx applies it (and queues its sitemaps), 4xx allows everything, any
    /// other answer leaves the host alone for now.
    fn robots(&mut self, f: &Fetched, key: &str, status: u16, body: &[u8]) {
        let fetched = chrono::Utc::now().timestamp();
        if (200..300).contains(&status) {
            let host = self.frontier.hosts.entry(key.to_string()).or_default();
            let sitemaps = host.apply_robots(body);
            let body = String::from_utf8_lossy(body).into_owned();
            self.state
                .robots
                .insert(key.to_string(), CachedRobots { fetched, body });
            self.pending_sitemaps.extend(sitemaps);
        } else if (400..500).contains(&status) {
            let body = String::new();
            self.state
                .robots
                .insert(key.to_string(), CachedRobots { fetched, body });
            if let Some(h) = self.frontier.hosts.get_mut(key) {
                h.robots = Some(discover::Robots::allow_all());
            }
        } else {
            let why = format!("robots.txt answered HTTP {status}");
            self.robots_failure(key, &f.job, why);
        }
    }

    /// robots.txt gave a 5xx or no answer: nothing on the host is fetched for now; it is
    /// asked once more after a pause, and if it fails again the host is left alone.
    fn robots_failure(&mut self, key: &str, job: &Job, why: String) {
        let pause = (self.cfg.delay * 5).max(Duration::from_millis(500));
        let Some(h) = self.frontier.hosts.get_mut(key) else {
            return;
        };
        h.robots_tries += 1;
        if h.robots_tries < 2 {
            h.ask_again(job, pause);
        } else {
            h.robots_failed = true;
            self.report.failed.push((
                job.url.clone(),
                format!("{why}; nothing on {key} fetched (tried twice)"),
            ));
        }
    }

    /// A redirect: its target is queued next on its host (checked by the guard, in
    /// scope, at most 5 hops); a target already seen is fetched once, where it was seen.
    fn redirect(&mut self, f: &Fetched, status: u16) {
        let target = f.location.as_deref().and_then(|l| f.url.join(l).ok());
        let fail = |why: String| (f.url.to_string(), why);
        match target {
            Some(t) if f.job.hops < 5 && matches!(t.scheme(), "http" | "https") => {
                if let Err(e) = self.cfg.policy.check_url(&t) {
                    file_guard_error(&mut self.report, &mut self.unresolved, t.to_string(), &e);
                } else if self.frontier.in_scope(&t) {
                    let job = Job {
                        url: t.to_string(),
                        hops: f.job.hops + 1,
                        ..f.job.clone()
                    };
                    self.frontier.queue(job, true, self.cfg.delay);
                } else {
                    let why = format!("redirects out of scope to {t}");
                    self.report.failed.push(fail(why));
                }
            }
            Some(t) if f.job.hops >= 5 => {
                let why = format!("more than 5 redirects (last to {t})");
                self.report.failed.push(fail(why));
            }
            _ => {
                let why = format!("redirect {status} without a usable Location");
                self.report.failed.push(fail(why));
            }
        }
    }

    /// 429 or 503: asked again twice, after Retry-After (between the delay and its cap).
    fn busy(&mut self, f: &Fetched, key: &str) {
        if f.job.retries >= 2 {
            let why = format!("HTTP {} after 2 retries", f.status);
            self.report.failed.push((f.url.to_string(), why));
            return;
        }
        let wait = f
            .retry_after
            .unwrap_or(self.cfg.delay)
            .clamp(self.cfg.delay, self.cfg.max_retry_after);
        if let Some(h) = self.frontier.hosts.get_mut(key) {
            h.ask_again(&f.job, wait);
        }
    }

    /// A sitemap or a feed (by what was asked or what came back): its URLs are queued,
    /// those on hosts in scope. A registry entry's own feeds are followed wherever their
    /// items are (a wire's feed on a feeds host links to its site).
    fn feed_or_sitemap(&mut self, f: &Fetched, body: &[u8]) {
        let urls: Vec<(String, Kind)> =
            match discover::feed_urls(body).filter(|_| f.job.kind != Kind::Sitemap) {
                Some(entries) => entries.into_iter().map(|u| (u, Kind::Page)).collect(),
                None => {
                    let (urls, index) = discover::sitemap_urls(body);
                    let kind = if index { Kind::Sitemap } else { Kind::Page };
                    urls.into_iter().map(|u| (u, kind)).collect()
                }
            };
        let open = f.job.depth == 0 && f.job.source.is_some();
        for (u, k) in urls {
            let Ok(parsed) = url::Url::parse(&u) else {
                continue;
            };
            if open && self.cfg.policy.check_url(&parsed).is_ok() {
                self.frontier.scope.insert(host_key(&parsed));
            }
            if self.frontier.in_scope(&parsed) {
                let job = Job::new(u, k, f.job.depth, f.job.source);
                self.frontier.queue(job, false, self.cfg.delay);
            }
        }
    }

    /// An HTML page: ingested (archived, extracted, indexed if relevant), and its links
    /// and feeds on hosts in scope queued while the depth allows.
    fn html_page(&mut self, f: &Fetched, page: Page) -> Result<(), CrawlError> {
        let html = String::from_utf8_lossy(&page.payload).into_owned();
        self.ingest(f, page)?;
        if f.job.depth >= self.max_depth(&f.job) {
            return Ok(());
        }
        let (links, feeds) = discover::page_links(&f.url, &html);
        let links = links.into_iter().map(|l| (l, Kind::Page));
        for (u, kind) in links.chain(feeds.into_iter().map(|l| (l, Kind::Feed))) {
            if self.frontier.in_scope(&u) {
                let job = Job::new(u.to_string(), kind, f.job.depth + 1, f.job.source);
                self.frontier.queue(job, false, self.cfg.delay);
            }
        }
        Ok(())
    }

    /// A PDF report: ingested like a page (archived as fetched, its text and claims read
    /// with page numbers); it has no links to follow.
    fn pdf(&mut self, f: &Fetched, page: Page) -> Result<(), CrawlError> {
        self.report.pdfs += 1;
        self.ingest(f, page)
    }

    /// Anything else (an image, a zip): archived above, not an article to extract.
    fn other(&mut self, f: &Fetched) {
        let ct = f.content_type.as_deref().unwrap_or("no content type");
        self.report
            .skipped
            .push((f.url.to_string(), format!("not HTML or PDF ({ct})")));
    }

    /// Hands a page to the ingest session, counts what it did, and checkpoints the
    /// frontier with each commit the session makes.
    fn ingest(&mut self, f: &Fetched, page: Page) -> Result<(), CrawlError> {
        self.report.pages += 1;
        self.done.push(f.job.url.clone());
        self.state
            .validators
            .insert(f.job.url.clone(), (f.etag.clone(), f.last_modified.clone()));
        let counts = |r: &crate::ingest::IngestReport| {
            [r.added, r.unchanged, r.claims, r.not_relevant, r.commits]
        };
        let before = counts(&self.session.report);
        let head = f.head.clone();
        tokio::task::block_in_place(|| self.session.add(vec![(page, Some(head))]))?;
        let [added, unchanged, claims, not_relevant, commits] = counts(&self.session.report);
        self.report.added += added - before[0];
        self.report.unchanged += unchanged - before[1];
        self.report.claims += claims - before[2];
        self.report.not_indexed += not_relevant - before[3];
        if commits > before[4] {
            self.checkpoint()?;
        }
        Ok(())
    }

    /// Saves what is indexed and what is left to do (with each commit).
    pub(super) fn checkpoint(&self) -> Result<(), CrawlError> {
        let hosts = self.frontier.hosts.values();
        save_state(
            &self.cfg.kb,
            &StateView {
                validators: &self.state.validators,
                frontier: hosts.flat_map(|h| h.queue.iter()).collect(),
                done: &self.done,
                complete: false,
                robots: &self.state.robots,
            },
        )
    }

    /// The link depth a job may reach: its registry entry's, else `--max-depth`.
    fn max_depth(&self, job: &Job) -> usize {
        job.source
            .and_then(|s| self.cfg.sources.get(s))
            .map_or(self.cfg.max_depth, |s| s.max_depth.min(self.cfg.max_depth))
    }
}
