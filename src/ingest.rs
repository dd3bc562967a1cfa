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
use crate::extract::{self, Limits, Options};
use crate::index::{self, Kb, KbError, Source};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

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
    /// Inputs or pages skipped, with the reason.
    pub skipped: Vec<(String, String)>,
    /// Commits made.
    pub commits: usize,
    /// Facts in the knowledge base after the ingest.
    pub facts: usize,
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
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            limits: Limits::default(),
            commit_every: 500,
            progress: true,
        }
    }
}

/// One unit of input: a page file or a WARC file.
enum Input {
    Html(PathBuf),
    Warc(PathBuf),
}

fn collect_inputs(
    paths: &[PathBuf],
    out: &mut Vec<Input>,
    report: &mut IngestReport,
) -> Result<(), IngestError> {
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|_| IngestError::Missing(p.clone()))?;
        if meta.is_dir() {
            let mut entries: Vec<PathBuf> = Vec::new();
            walk(p, &mut entries);
            entries.sort();
            for e in entries {
                if crate::archive::is_warc(&e) {
                    out.push(Input::Warc(e));
                } else if extract::is_page_file(&e) {
                    out.push(Input::Html(e));
                }
            }
        } else if crate::archive::is_warc(p) {
            out.push(Input::Warc(p.clone()));
        } else if extract::is_page_file(p) {
            out.push(Input::Html(p.clone()));
        } else {
            report.skipped.push((
                p.display().to_string(),
                "not an .html, .htm, .html.gz, .warc or .warc.gz file".into(),
            ));
        }
    }
    Ok(())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() => walk(&p, out),
            Ok(t) if t.is_file() => out.push(p),
            _ => {}
        }
    }
}

/// A page ready to be indexed.
struct Ready {
    page: Page,
    article: extract::Article,
    found: claims::Found,
}

/// Ingests `paths` into the knowledge base at `kb_dir` (created if absent).
pub fn ingest(
    kb_dir: &Path,
    paths: &[PathBuf],
    opts: &IngestOptions,
) -> Result<IngestReport, IngestError> {
    let mut report = IngestReport::default();
    let mut inputs = Vec::new();
    collect_inputs(paths, &mut inputs, &mut report)?;
    let kb = Kb::open(kb_dir, true)?;
    let mut writer = kb.writer()?;
    let mut archive: Option<ArchiveWriter> = None;
    let bar = progress_bar(opts.progress);
    let mut seen: HashSet<SnapshotId> = HashSet::new();
    let mut batch: Vec<Page> = Vec::new();
    let mut since_commit = 0usize;
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let tan = |source| KbError::Index {
        path: kb_dir.to_path_buf(),
        source,
    };

    let mut flush = |batch: &mut Vec<Page>,
                     report: &mut IngestReport,
                     writer: &mut tantivy::IndexWriter,
                     archive: &mut Option<ArchiveWriter>,
                     since_commit: &mut usize,
                     force: bool|
     -> Result<(), IngestError> {
        if !batch.is_empty() {
            let searcher = kb.searcher()?;
            let pages: Vec<Page> = std::mem::take(batch);
            let mut fresh = Vec::with_capacity(pages.len());
            for p in pages {
                report.pages += 1;
                if !seen.insert(p.snapshot.clone()) || kb.has_snapshot(&searcher, &p.snapshot)? {
                    report.unchanged += 1;
                } else {
                    fresh.push(p);
                }
            }
            let done: Vec<Result<Ready, Box<(Page, String)>>> = fresh
                .into_par_iter()
                .map(|page| {
                    let o = Options {
                        url: page.url.clone().filter(|u| u.starts_with("http")),
                        content_type: page.content_type.clone(),
                        limits: opts.limits,
                    };
                    match extract::extract(&page.payload, &o) {
                        Ok(article) => {
                            let found = claims::find(&article);
                            Ok(Ready {
                                page,
                                article,
                                found,
                            })
                        }
                        Err(e) => Err(Box::new((page, e.to_string()))),
                    }
                })
                .collect();
            for r in done {
                match r {
                    Ok(ready) => {
                        let a = match archive {
                            Some(a) => a,
                            None => archive.insert(ArchiveWriter::create(&kb.archive_dir())?),
                        };
                        a.append(&ready.page, None)?;
                        let house = claims::house_platform(&ready.article);
                        let src = Source {
                            snapshot: ready.page.snapshot.clone(),
                            truncated: ready.page.truncated,
                            house,
                        };
                        for d in index::documents(
                            &kb.fields,
                            &src,
                            &ready.article,
                            &ready.found.claims,
                            &ready.found.spokespeople,
                        ) {
                            writer.add_document(d).map_err(tan)?;
                        }
                        report.added += 1;
                        report.claims += ready.found.claims.len();
                        *since_commit += 1;
                    }
                    Err(failed) => {
                        let (page, reason) = *failed;
                        let name = page
                            .url
                            .clone()
                            .unwrap_or_else(|| page.snapshot.to_string());
                        report.skipped.push((name, reason));
                    }
                }
                if let Some(b) = &bar {
                    b.inc(1);
                }
            }
        }
        if (force && *since_commit > 0) || *since_commit >= opts.commit_every {
            if let Some(a) = archive {
                a.sync()?;
            }
            writer.commit().map_err(tan)?;
            report.commits += 1;
            *since_commit = 0;
        }
        Ok(())
    };

    for input in inputs {
        match input {
            Input::Html(path) => match extract::read_page(&path, &opts.limits) {
                Ok(payload) => {
                    let snapshot = SnapshotId::of(&payload);
                    batch.push(Page {
                        snapshot,
                        url: None,
                        date: now.clone(),
                        content_type: None,
                        payload,
                        truncated: false,
                    });
                }
                Err(e) => report
                    .skipped
                    .push((path.display().to_string(), e.to_string())),
            },
            Input::Warc(path) => {
                let mut r = match WarcReader::open(&path, opts.limits.max_bytes) {
                    Ok(r) => r,
                    Err(e) => {
                        report
                            .skipped
                            .push((path.display().to_string(), e.to_string()));
                        continue;
                    }
                };
                loop {
                    match r.next_page() {
                        Ok(Some(p)) => {
                            batch.push(p);
                            if batch.len() >= 64 {
                                flush(
                                    &mut batch,
                                    &mut report,
                                    &mut writer,
                                    &mut archive,
                                    &mut since_commit,
                                    false,
                                )?;
                            }
                        }
                        Ok(None) => break,
                        Err(e) => {
                            report
                                .skipped
                                .push((path.display().to_string(), e.to_string()));
                            break;
                        }
                    }
                }
            }
        }
        if batch.len() >= 64 {
            flush(
                &mut batch,
                &mut report,
                &mut writer,
                &mut archive,
                &mut since_commit,
                false,
            )?;
        }
    }
    flush(
        &mut batch,
        &mut report,
        &mut writer,
        &mut archive,
        &mut since_commit,
        true,
    )?;
    // Facts span the whole knowledge base: regroup once the pages are committed.
    if report.added > 0 || !kb_has_facts(&kb)? {
        report.facts = index::rebuild_facts(&kb, &mut writer)?;
        writer.commit().map_err(tan)?;
        report.commits += 1;
    }
    writer.wait_merging_threads().map_err(tan)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(report)
}

fn progress_bar(wanted: bool) -> Option<indicatif::ProgressBar> {
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
