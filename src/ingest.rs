//! Ingest: pages from HTML files, folders, `.html.gz` and WARC files into the knowledge
//! base, each archived raw, extracted, its claims found and indexed.
//!
//! Idempotent by snapshot: a payload already indexed is skipped, so ingesting the same
//! content twice changes nothing, and a changed page at the same URL is a new version
//! kept beside the old. Pages are read in batches, extracted in parallel across cores,
//! then archived and indexed in order; the archive is synced before each commit, so a
//! commit never refers to bytes that are not on disk. A killed ingest leaves the last
//! commit readable, and running it again completes it.

use crate::archive::{ArchiveError, ArchiveWriter, Page, SnapshotId, WarcReader};
use crate::claims;
use crate::dedup::ClaimRow;
use crate::extract::{self, Limits, Options};
use crate::index::{self, Kb, KbError, Source};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use tantivy::TantivyDocument;

/// Why an ingest could not run (a bad page is not one: it is counted and skipped).
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The knowledge base failed.
    #[error(transparent)]
    Kb(#[from] KbError),
    /// The archive could not be written.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// An input path does not exist or cannot be read.
    #[error("{0}: no such file or folder")]
    Missing(PathBuf),
}

/// What an ingest did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct IngestReport {
    /// Pages read.
    pub pages: usize,
    /// Pages new to the knowledge base.
    pub added: usize,
    /// Pages already indexed (same snapshot).
    pub unchanged: usize,
    /// Claims found in the new pages.
    pub claims: usize,
    /// New pages the pre-filter found without takedown vocabulary: archived and marked,
    /// not extracted.
    pub filtered: usize,
    /// Inputs or pages skipped, with the reason.
    pub skipped: Vec<(String, String)>,
    /// WARC files with records longer than the page cap, which were read cut.
    pub cut: Vec<(String, String)>,
    /// Commits made.
    pub commits: usize,
    /// Facts in the knowledge base after the ingest.
    pub facts: usize,
    /// New pages archived and marked but not indexed as articles (`relevant_only`): no
    /// claim, and no platform name with a takedown verb in their text.
    pub not_relevant: usize,
    /// Marked pages indexed as articles by `ingest --reconsider`.
    pub reconsidered: usize,
}

/// How to ingest.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Per-page cost limits.
    pub limits: Limits,
    /// Pages per commit.
    pub commit_every: usize,
    /// Show a progress bar on stderr (only when it is a terminal).
    pub progress: bool,
    /// Skip extraction of pages with no platform name or no takedown verb in their
    /// bytes (for bulk news: they cannot hold a claim).
    pub prefilter: bool,
    /// Say each commit on stderr when it is not a terminal (logs, and the crash tests:
    /// what a commit reported must survive a kill -9).
    pub log_commits: bool,
    /// The URLs page files were fetched from (`ingest --url`), by path as given. Only a
    /// fetched URL can make a page a platform's own post.
    pub urls: HashMap<PathBuf, String>,
    /// Index as articles only pages that hold a claim or name a platform with a
    /// takedown verb; the others are archived and marked (the crawler's setting: a
    /// crawl fetches sports pages too).
    pub relevant_only: bool,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            limits: Limits::default(),
            commit_every: 500,
            progress: true,
            prefilter: false,
            log_commits: true,
            urls: HashMap::new(),
            relevant_only: false,
        }
    }
}

/// One unit of input: a page file, a WARC file, or extraction results (`.jsonl` lines
/// of `extract --json` over WARC files, as the Spark job writes them).
enum Input {
    Html(PathBuf),
    Warc(PathBuf),
    Results(PathBuf),
}

fn is_results(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"))
}

fn collect_inputs(
    paths: &[PathBuf],
    out: &mut Vec<Input>,
    report: &mut IngestReport,
) -> Result<(), IngestError> {
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|_| IngestError::Missing(p.clone()))?;
        if meta.is_dir() {
            let walked = crate::inputs::walk(p);
            for (what, why) in walked.problems {
                report.skipped.push((what.display().to_string(), why));
            }
            for e in walked.files {
                if crate::archive::is_warc(&e) {
                    out.push(Input::Warc(e));
                } else if is_results(&e) {
                    out.push(Input::Results(e));
                } else if extract::is_page_file(&e) {
                    out.push(Input::Html(e));
                }
            }
        } else if crate::archive::is_warc(p) {
            out.push(Input::Warc(p.clone()));
        } else if is_results(p) {
            out.push(Input::Results(p.clone()));
        } else if extract::is_page_file(p) {
            out.push(Input::Html(p.clone()));
        } else {
            report.skipped.push((
                p.display().to_string(),
                "not an .html, .htm, .html.gz, .warc, .warc.gz or .jsonl file".into(),
            ));
        }
    }
    Ok(())
}

/// The platform whose own site a page was fetched from (the crawl's URL, the WARC
/// record's target, or the URL given with a file). What the page says of itself (its
/// canonical link, og:url, site name) does not count: any host can claim to be a
/// newsroom.
fn fetched_from_platform(url: Option<&str>) -> Option<&'static str> {
    let host = url::Url::parse(url?).ok()?.host_str()?.to_ascii_lowercase();
    claims::lexicon::platform_of_host(host.strip_prefix("www.").unwrap_or(&host))
}

/// A page ready to be indexed.
struct Ready {
    page: Page,
    http: Option<String>,
    article: extract::Article,
    found: claims::Found,
}

/// An open ingest: the writer lock, the archive file and the running report. The crawler
/// feeds it page by page; `ingest` feeds it files. Dropping it without [`Session::finish`]
/// loses only what was not yet committed.
pub struct Session {
    kb: Kb,
    writer: tantivy::IndexWriter,
    archive: Option<ArchiveWriter>,
    seen: HashSet<SnapshotId>,
    since_commit: usize,
    opts: IngestOptions,
    /// Pages archived since the last commit, indexed at the commit with their facts.
    pending: Vec<Stored>,
    /// The knowledge base keeps its facts current at every commit; one made
    /// before that has them regrouped whole at the end of the ingest.
    current: bool,
    /// What has been done so far.
    pub report: IngestReport,
}

impl Session {
    /// Opens (or creates) the knowledge base and takes its writer lock.
    pub fn open(kb_dir: &Path, opts: &IngestOptions) -> Result<Session, IngestError> {
        let kb = Kb::open(kb_dir, true)?;
        let writer = kb.ingest_writer()?;
        let current = index::facts::kept_current(&kb, &kb.searcher()?)?;
        Ok(Session {
            kb,
            writer,
            archive: None,
            seen: HashSet::new(),
            since_commit: 0,
            opts: opts.clone(),
            pending: Vec::new(),
            current,
            report: IngestReport::default(),
        })
    }

    fn tan(&self) -> impl Fn(tantivy::TantivyError) -> KbError + '_ {
        move |source| KbError::Index {
            path: self.kb.dir().to_path_buf(),
            source,
        }
    }

    fn archive(&mut self) -> Result<&mut ArchiveWriter, IngestError> {
        match &mut self.archive {
            Some(a) => Ok(a),
            slot => Ok(slot.insert(ArchiveWriter::create(&self.kb.archive_dir())?)),
        }
    }

    /// Archives the request that fetched `url` at `date` (the head as sent).
    pub fn archive_request(
        &mut self,
        url: &str,
        date: &str,
        head: &str,
    ) -> Result<(), IngestError> {
        self.archive()?.append_request(url, date, head)?;
        Ok(())
    }

    /// Archives a response that is not a page to index (a robots.txt, a sitemap, a 304).
    pub fn archive_only(&mut self, page: &Page, http: Option<&str>) -> Result<(), IngestError> {
        self.archive()?.append(page, http)?;
        Ok(())
    }

    /// Archives, extracts (in parallel across cores) and indexes a batch of pages; each
    /// may carry the HTTP response head it came with. Commits every
    /// `opts.commit_every` pages.
    pub fn add(&mut self, pages: Vec<(Page, Option<String>)>) -> Result<(), IngestError> {
        let fresh = self.admit(pages)?;
        let done = extract_all(fresh, self.opts.limits);
        self.take(done)
    }

    /// Counts a batch of pages and keeps the ones to extract: a page seen before is
    /// unchanged, and one the pre-filter rules out is archived and marked here.
    fn admit(
        &mut self,
        pages: Vec<(Page, Option<String>)>,
    ) -> Result<Vec<(Page, Option<String>)>, IngestError> {
        let searcher = self.kb.searcher()?;
        let mut fresh = Vec::with_capacity(pages.len());
        for (p, http) in pages {
            self.report.pages += 1;
            if !self.seen.insert(p.snapshot.clone())
                || self.kb.has_snapshot(&searcher, &p.snapshot)?
            {
                self.report.unchanged += 1;
            } else if self.opts.prefilter && !claims::lexicon::may_hold_claims_raw(&p.payload) {
                // Archived and marked by its snapshot, so ingesting it again changes
                // nothing; to extract such pages after all, rebuild from the archive.
                self.archive()?.append(&p, http.as_deref())?;
                let doc = index::filtered_document(&self.kb.fields, &p.snapshot, p.url.as_deref());
                self.writer.add_document(doc).map_err(self.tan())?;
                self.report.filtered += 1;
                self.since_commit += 1;
            } else {
                fresh.push((p, http));
            }
        }
        Ok(fresh)
    }

    /// Archives and queues extracted pages in order, and commits every
    /// `opts.commit_every` pages.
    fn take(&mut self, done: Vec<Extracted>) -> Result<(), IngestError> {
        for r in done {
            match r {
                Ok(ready) => self.store(ready)?,
                Err(failed) => {
                    let (page, reason) = *failed;
                    // What could not be extracted is still archived: the archive is the
                    // system of record, and a better extractor may read it later.
                    self.archive()?.append(&page, None)?;
                    let name = page
                        .url
                        .clone()
                        .unwrap_or_else(|| page.snapshot.to_string());
                    self.report.skipped.push((name, reason));
                }
            }
        }
        if self.since_commit >= self.opts.commit_every {
            self.commit()?;
        }
        Ok(())
    }

    /// Archives a new page; its article and claims are indexed at the next commit, or,
    /// for a page that is not about takedowns when only relevant pages are wanted, a
    /// marker that `ingest --reconsider` can turn into its article later.
    fn store(&mut self, ready: Ready) -> Result<(), IngestError> {
        let at = self.archive()?.append(&ready.page, ready.http.as_deref())?;
        if self.opts.relevant_only && !is_relevant(&ready) {
            let doc = index::marker_document(
                &self.kb.fields,
                &ready.page.snapshot,
                ready.page.url.as_deref(),
                "not_relevant",
            );
            self.writer.add_document(doc).map_err(self.tan())?;
            self.report.not_relevant += 1;
            self.since_commit += 1;
            return Ok(());
        }
        self.index_later(ready, Some(at));
        Ok(())
    }

    /// Queues an archived page's article and claims for the next commit.
    fn index_later(&mut self, ready: Ready, at: Option<crate::archive::Location>) {
        let src = Source {
            snapshot: ready.page.snapshot.clone(),
            truncated: ready.page.truncated,
            house: fetched_from_platform(ready.page.url.as_deref()),
            fetched_url: ready.page.url.clone().filter(|u| u.starts_with("http")),
            archived: at,
            versions: Vec::new(),
            superseded_by: None,
        };
        self.report.added += 1;
        self.report.claims += ready.found.claims.len();
        self.since_commit += 1;
        self.pending.push(Stored {
            src,
            article: ready.article,
            found: ready.found,
        });
    }

    /// Indexes the pending pages, marks the older versions of their URLs, and regroups
    /// the fact blocks their claims touch: all before the one commit that makes them
    /// visible together.
    fn write_pending(&mut self) -> Result<(), IngestError> {
        let mut pages = std::mem::take(&mut self.pending);
        let searcher = self.kb.searcher()?;
        let mut touched = index::facts::Pending::default();
        // The last page of a URL speaks; earlier ones, pending or committed, are versions.
        let mut latest: HashMap<String, usize> = HashMap::new();
        for (i, p) in pages.iter().enumerate() {
            if let Some(u) = index::page_url(&p.article, &p.src) {
                latest.insert(u, i);
            }
        }
        for i in 0..pages.len() {
            let Some(&last) =
                index::page_url(&pages[i].article, &pages[i].src).and_then(|u| latest.get(&u))
            else {
                continue;
            };
            if last != i {
                let (old, new) = (
                    pages[i].src.snapshot.to_string(),
                    pages[last].src.snapshot.to_string(),
                );
                pages[i].src.superseded_by = Some(new);
                pages[last].src.versions.push(old);
            }
        }
        let mut latest: Vec<(String, usize)> = latest.into_iter().collect();
        latest.sort();
        for (url, last) in latest {
            let now = pages[last].src.snapshot.to_string();
            let live = index::facts::live_claims_at(&self.kb, &searcher, &url)?;
            let (mut old, mut speaking) = (Vec::new(), Vec::new());
            for c in &live {
                if let Some(snap) = c["snapshot"].as_str().filter(|s| *s != now) {
                    speaking.push(snap.to_string());
                    old.extend(
                        c["versions"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(|v| v.as_str().map(str::to_string)),
                    );
                }
            }
            speaking.sort();
            speaking.dedup();
            for snap in &speaking {
                self.replace_claims(&searcher, snap, &now, &mut touched)?;
            }
            old.extend(speaking);
            let versions = &mut pages[last].src.versions;
            versions.extend(old);
            versions.sort();
            versions.dedup();
        }
        // Each page's documents and fact rows are its own: built across cores, added in
        // page order.
        let fields = &self.kb.fields;
        let built: Vec<(Vec<TantivyDocument>, Vec<ClaimRow>)> = pages
            .par_iter()
            .map(|p| {
                index::documents_and_rows(
                    fields,
                    &p.src,
                    &p.article,
                    &p.found.claims,
                    &p.found.spokespeople,
                )
            })
            .collect();
        for (docs, rows) in built {
            for row in rows {
                touched.add(row);
            }
            for d in docs {
                self.writer.add_document(d).map_err(self.tan())?;
            }
        }
        if self.current {
            index::facts::regroup(&self.kb, &searcher, &mut self.writer, &touched)?;
        }
        Ok(())
    }

    /// Marks the committed live claims of an older version (`snap`) as replaced by
    /// `now`: each is written again with `superseded_by`, its page's text still indexed.
    fn replace_claims(
        &mut self,
        searcher: &tantivy::Searcher,
        snap: &str,
        now: &str,
        touched: &mut index::facts::Pending,
    ) -> Result<(), IngestError> {
        let claims = index::facts::claims_of_snapshot(&self.kb, searcher, snap)?;
        if claims.iter().all(index::facts::superseded) {
            return Ok(());
        }
        let old = index::facts::articles_of_snapshot(&self.kb, searcher, snap)?
            .into_iter()
            .next()
            .unwrap_or_default();
        for mut c in claims {
            if index::facts::superseded(&c) {
                continue;
            }
            if let Some(row) = index::facts::claim_row(&c) {
                touched.replace(&row);
            }
            let Some(id) = c["id"].as_str().map(str::to_string) else {
                continue;
            };
            c["superseded_by"] = serde_json::json!(now);
            self.writer
                .delete_term(tantivy::Term::from_field_text(self.kb.fields.id, &id));
            let doc = index::claim_document(
                &self.kb.fields,
                &c,
                old["title"].as_str(),
                old["body"].as_str().unwrap_or_default(),
            );
            self.writer.add_document(doc).map_err(self.tan())?;
        }
        Ok(())
    }

    /// Adds pages whose extraction was done elsewhere (a Spark job's output): archived
    /// raw like any page, indexed from the given article and claims.
    pub fn add_extracted(
        &mut self,
        pages: Vec<(Page, extract::Article, claims::Found)>,
    ) -> Result<(), IngestError> {
        let searcher = self.kb.searcher()?;
        for (page, article, found) in pages {
            self.report.pages += 1;
            if !self.seen.insert(page.snapshot.clone())
                || self.kb.has_snapshot(&searcher, &page.snapshot)?
            {
                self.report.unchanged += 1;
                continue;
            }
            let at = self.archive()?.append(&page, None)?;
            self.index_later(
                Ready {
                    page,
                    http: None,
                    article,
                    found,
                },
                Some(at),
            );
        }
        if self.since_commit >= self.opts.commit_every {
            self.commit()?;
        }
        Ok(())
    }

    /// Syncs the archive and commits the index (a no-op when nothing is pending).
    pub fn commit(&mut self) -> Result<(), IngestError> {
        if self.since_commit == 0 {
            return Ok(());
        }
        if let Some(a) = self.archive.as_mut() {
            a.sync()?;
        }
        self.write_pending()?;
        self.writer.commit().map_err(self.tan())?;
        self.report.commits += 1;
        self.since_commit = 0;
        if self.opts.log_commits && !std::io::stderr().is_terminal() {
            eprintln!(
                "takedowns: commit {}: {} pages and {} claims added by this run are stored",
                self.report.commits, self.report.added, self.report.claims
            );
        }
        Ok(())
    }

    /// Commits and closes the session; a knowledge base that does not keep its facts
    /// by block has them regrouped whole here.
    pub fn finish(mut self) -> Result<IngestReport, IngestError> {
        self.commit()?;
        if let Some(a) = self.archive.as_mut() {
            a.sync()?;
        }
        if !self.current && (self.report.added > 0 || !kb_has_facts(&self.kb)?) {
            index::facts::rebuild_facts(&self.kb, &mut self.writer)?;
            self.writer.commit().map_err(self.tan())?;
            self.report.commits += 1;
        }
        self.report.facts = index::count_kind(&self.kb, &self.kb.searcher()?, "fact")?;
        let tan = |source| KbError::Index {
            path: self.kb.dir().to_path_buf(),
            source,
        };
        self.writer.wait_merging_threads().map_err(tan)?;
        Ok(self.report)
    }
}

/// A page extracted with its claims, or the page and why it could not be.
type Extracted = Result<Ready, Box<(Page, String)>>;

/// Extracts pages across cores, in their order.
fn extract_all(fresh: Vec<(Page, Option<String>)>, limits: Limits) -> Vec<Extracted> {
    fresh
        .into_par_iter()
        .map(|(page, http)| read_page(page, http, limits))
        .collect()
}

/// Extracts a page (HTML or PDF) and finds its claims.
fn read_page(
    page: Page,
    http: Option<String>,
    limits: Limits,
) -> Result<Ready, Box<(Page, String)>> {
    let o = Options {
        url: page.url.clone().filter(|u| u.starts_with("http")),
        content_type: page.content_type.clone(),
        limits,
    };
    match extract::extract(&page.payload, &o) {
        Ok(article) => {
            let found = claims::find(&article);
            Ok(Ready {
                page,
                http,
                article,
                found,
            })
        }
        Err(e) => Err(Box::new((page, e.to_string()))),
    }
}

/// Whether a page belongs in the index as an article: it holds a claim, or names a
/// platform (or is the platform's own post) and uses a takedown verb.
fn is_relevant(ready: &Ready) -> bool {
    let house = fetched_from_platform(ready.page.url.as_deref()).is_some();
    !ready.found.claims.is_empty() || claims::lexicon::may_hold_claims(&ready.article.body, house)
}

/// A page archived and extracted, waiting for the commit that indexes it.
struct Stored {
    src: Source,
    article: extract::Article,
    found: claims::Found,
}

/// Ingests `paths` into the knowledge base at `kb_dir` (created if absent).
pub fn ingest(
    kb_dir: &Path,
    paths: &[PathBuf],
    opts: &IngestOptions,
) -> Result<IngestReport, IngestError> {
    let mut skipped = IngestReport::default();
    let mut inputs = Vec::new();
    collect_inputs(paths, &mut inputs, &mut skipped)?;
    let mut session = Session::open(kb_dir, opts)?;
    session.report.skipped = skipped.skipped;
    let bar = progress_bar(opts.progress);
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut batch: Vec<(Page, Option<String>)> = Vec::new();
    // The batch extracted last, not yet archived: it is archived, indexed and perhaps
    // committed while the next batch is extracted, so the cores the commit leaves idle
    // extract. Batches are still taken in order.
    let mut extracted: Option<Vec<Extracted>> = None;
    let limits = opts.limits;
    // A batch is a commit's worth of pages (64 to 512), so that a commit overlaps the
    // extraction of the next commit's pages rather than of an eighth of them; big pages
    // end a batch sooner (64 MiB of payload).
    let batch_pages = opts.commit_every.clamp(64, 512);
    let full = |batch: &[(Page, Option<String>)]| {
        batch.len() >= batch_pages
            || batch.iter().map(|(p, _)| p.payload.len()).sum::<usize>() >= 64 << 20
    };
    let flush = |session: &mut Session,
                 batch: &mut Vec<(Page, Option<String>)>,
                 extracted: &mut Option<Vec<Extracted>>|
     -> Result<(), IngestError> {
        let n = batch.len() as u64;
        let fresh = session.admit(std::mem::take(batch))?;
        let before = extracted.take();
        let (done, taken) = rayon::join(
            || extract_all(fresh, limits),
            || before.map_or(Ok(()), |d| session.take(d)),
        );
        taken?;
        *extracted = Some(done);
        if let Some(b) = &bar {
            b.inc(n);
        }
        Ok(())
    };
    let drain = |session: &mut Session,
                 extracted: &mut Option<Vec<Extracted>>|
     -> Result<(), IngestError> {
        extracted.take().map_or(Ok(()), |d| session.take(d))
    };
    for input in inputs {
        match input {
            Input::Html(path) => match extract::read_page(&path, &opts.limits) {
                Ok(payload) => {
                    let snapshot = SnapshotId::of(&payload);
                    batch.push((
                        Page {
                            snapshot,
                            url: opts.urls.get(&path).cloned(),
                            date: now.clone(),
                            content_type: None,
                            payload,
                            truncated: false,
                        },
                        None,
                    ));
                }
                Err(e) => session
                    .report
                    .skipped
                    .push((path.display().to_string(), e.to_string())),
            },
            Input::Results(path) => {
                flush(&mut session, &mut batch, &mut extracted)?;
                drain(&mut session, &mut extracted)?;
                merge_results(&mut session, &path, opts)?;
            }
            Input::Warc(path) => {
                let mut r = match WarcReader::open(&path, opts.limits.max_bytes) {
                    Ok(r) => r,
                    Err(e) => {
                        session
                            .report
                            .skipped
                            .push((path.display().to_string(), e.to_string()));
                        continue;
                    }
                };
                loop {
                    match r.next_page() {
                        Ok(Some(p)) => {
                            batch.push((p, None));
                            if full(&batch) {
                                flush(&mut session, &mut batch, &mut extracted)?;
                            }
                        }
                        Ok(None) => break,
                        // Said, and the reader goes on with the next record where it can.
                        Err(e) => session
                            .report
                            .skipped
                            .push((path.display().to_string(), e.to_string())),
                    }
                }
                if r.records_cut() > 0 {
                    session.report.cut.push((
                        path.display().to_string(),
                        format!(
                            "{} record(s) longer than the page cap of {} bytes: their pages were cut there and marked truncated",
                            r.records_cut(),
                            opts.limits.max_bytes
                        ),
                    ));
                }
            }
        }
        if full(&batch) {
            flush(&mut session, &mut batch, &mut extracted)?;
        }
    }
    flush(&mut session, &mut batch, &mut extracted)?;
    drain(&mut session, &mut extracted)?;
    let report = session.finish()?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(report)
}

/// Indexes as articles the pages the knowledge base holds only as markers (skipped by
/// `--prefilter`, or found not about takedowns by a crawl), read back from its archive:
/// the archive is the system of record, so nothing is fetched or archived again.
pub fn reconsider(kb_dir: &Path, opts: &IngestOptions) -> Result<IngestReport, IngestError> {
    let opts = IngestOptions {
        prefilter: false,
        relevant_only: false,
        ..opts.clone()
    };
    let mut session = Session::open(kb_dir, &opts)?;
    let searcher = session.kb.searcher()?;
    let mut marked: HashSet<String> = index::map_kind(&session.kb, &searcher, "filtered", |v| {
        v["snapshot"].as_str().map(str::to_string)
    })?
    .into_iter()
    .collect();
    let archive = session.kb.archive_dir();
    for file in crate::archive::warc_files(&archive) {
        if marked.is_empty() {
            break;
        }
        let name = file.display().to_string();
        let mut reader = match WarcReader::open(&file, opts.limits.max_bytes) {
            Ok(r) => r,
            Err(e) => {
                session.report.skipped.push((name, e.to_string()));
                continue;
            }
        };
        let mut batch = Vec::new();
        loop {
            match reader.next_page() {
                Ok(Some(p)) if marked.remove(p.snapshot.as_str()) => batch.push(p),
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) => session.report.skipped.push((name.clone(), e.to_string())),
            }
            if batch.len() >= 64 {
                session.reconsider(std::mem::take(&mut batch))?;
            }
        }
        session.reconsider(batch)?;
    }
    for snap in marked {
        session.report.skipped.push((
            snap,
            format!("marked, but not found in the archive {}", archive.display()),
        ));
    }
    session.finish()
}

impl Session {
    /// Indexes marked pages as articles: each marker is deleted before the article is
    /// added, in the same commit. The page is already archived.
    fn reconsider(&mut self, pages: Vec<Page>) -> Result<(), IngestError> {
        let limits = self.opts.limits;
        let done: Vec<_> = pages
            .into_par_iter()
            .map(|page| read_page(page, None, limits))
            .collect();
        for r in done {
            self.report.pages += 1;
            match r {
                Ok(ready) => {
                    let id = ready.page.snapshot.as_str().to_string();
                    self.writer
                        .delete_term(tantivy::Term::from_field_text(self.kb.fields.id, &id));
                    self.report.reconsidered += 1;
                    self.index_later(ready, None);
                }
                Err(failed) => {
                    let (page, reason) = *failed;
                    self.report
                        .skipped
                        .push((page.snapshot.to_string(), reason));
                }
            }
        }
        if self.since_commit >= self.opts.commit_every {
            self.commit()?;
        }
        Ok(())
    }
}

/// The article and claims of one `extract --json` line.
fn from_line(v: &serde_json::Value) -> Option<(extract::Article, claims::Found)> {
    let text = |k: &str| v[k].as_str().map(str::to_string);
    let article = extract::Article {
        url: text("url"),
        title: text("title"),
        published: v["published"]
            .as_str()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok()),
        authors: serde_json::from_value(v["authors"].clone()).unwrap_or_default(),
        claimed_url: None,
        site: text("site"),
        site_name: None,
        language: text("language"),
        body: text("body")?,
        gate: Default::default(),
        pages: Vec::new(),
    };
    let found = claims::Found {
        claims: serde_json::from_value(v["claims"].clone()).ok()?,
        spokespeople: serde_json::from_value(v["spokespeople"].clone()).unwrap_or_default(),
    };
    Some((article, found))
}

/// Merges extraction results into the session: for each WARC shard the lines name, the
/// shard is read again for the raw pages (the archive keeps them), and each page whose
/// snapshot has a line is indexed from that line, not extracted again. Lines are held one
/// results file at a time (a Spark part is one shard's worth).
fn merge_results(
    session: &mut Session,
    path: &Path,
    opts: &IngestOptions,
) -> Result<(), IngestError> {
    use std::collections::{BTreeMap, HashMap};
    use std::io::BufRead;
    let name = path.display().to_string();
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            session.report.skipped.push((name, e.to_string()));
            return Ok(());
        }
    };
    let mut by_shard: BTreeMap<String, HashMap<String, serde_json::Value>> = BTreeMap::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let parsed = line
            .map_err(|e| e.to_string())
            .and_then(|l| serde_json::from_str::<serde_json::Value>(&l).map_err(|e| e.to_string()));
        match parsed {
            Ok(v) => {
                if let (Some(shard), Some(snap)) = (v["file"].as_str(), v["snapshot"].as_str()) {
                    by_shard
                        .entry(shard.to_string())
                        .or_default()
                        .insert(snap.to_string(), v.clone());
                }
            }
            Err(e) => session
                .report
                .skipped
                .push((format!("{name}:{}", i + 1), e)),
        }
    }
    for (shard, mut lines) in by_shard {
        let mut reader = match WarcReader::open(Path::new(&shard), opts.limits.max_bytes) {
            Ok(r) => r,
            Err(e) => {
                session.report.skipped.push((
                    format!("{name}: shard {shard}"),
                    format!("the raw pages are needed and cannot be read: {e}"),
                ));
                continue;
            }
        };
        // Batches, so that the knowledge base is asked once per 64 pages, not per page.
        let mut batch = Vec::with_capacity(64);
        loop {
            if batch.len() >= 64 {
                session.add_extracted(std::mem::take(&mut batch))?;
            }
            match reader.next_page() {
                Ok(Some(page)) => {
                    let Some(line) = lines.remove(page.snapshot.as_str()) else {
                        continue;
                    };
                    match from_line(&line) {
                        Some((article, found)) => batch.push((page, article, found)),
                        None => session.report.skipped.push((
                            format!("{name}: {}", page.snapshot),
                            "not an Article line".into(),
                        )),
                    }
                }
                Ok(None) => break,
                Err(e) => session.report.skipped.push((shard.clone(), e.to_string())),
            }
        }
        session.add_extracted(batch)?;
        for snap in lines.keys() {
            session.report.skipped.push((
                format!("{name}: {snap}"),
                format!("no record with this snapshot in {shard}"),
            ));
        }
    }
    Ok(())
}

/// A spinner on stderr when it is a terminal (and wanted), else none.
pub fn progress_bar(wanted: bool) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !wanted || !std::io::stderr().is_terminal() {
        return None;
    }
    let b = indicatif::ProgressBar::new_spinner();
    b.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} pages ingested ({per_sec})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    b.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(b)
}

fn kb_has_facts(kb: &Kb) -> Result<bool, KbError> {
    let searcher = kb.searcher()?;
    let q = tantivy::query::TermQuery::new(
        tantivy::Term::from_field_text(kb.fields.kind, "fact"),
        tantivy::schema::IndexRecordOption::Basic,
    );
    let n = searcher
        .search(&q, &tantivy::collector::Count)
        .map_err(|source| KbError::Index {
            path: kb.dir().to_path_buf(),
            source,
        })?;
    Ok(n > 0)
}
