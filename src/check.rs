//! `takedowns check`: is a knowledge base whole? The index opens, every article and claim
//! points at a page the archive holds (read back and hashed), every claim's page is
//! indexed, and the archive's files read to their end. What is wrong is listed with how
//! to rebuild: the archive is the system of record, the index can always be remade from
//! it.

use crate::archive::{ArchiveError, SnapshotId, WarcReader, warc_files};
use crate::index::{self, Kb, KbError};
use serde::Serialize;
use std::collections::HashSet;
use std::path::Path;

/// Largest payload read back while checking (the archive never holds more per page).
const MAX_PAYLOAD: usize = 64 << 20;
/// Problems listed in full; beyond this only counted.
const MAX_LISTED: usize = 50;

/// What `check` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckReport {
    /// The knowledge base checked.
    pub kb: String,
    /// Nothing is wrong.
    pub ok: bool,
    /// Article documents in the index.
    pub articles: usize,
    /// Claim documents in the index.
    pub claims: usize,
    /// Fact documents in the index.
    pub facts: usize,
    /// WARC files in the archive.
    pub archive_files: usize,
    /// HTML pages the archive holds (distinct snapshots).
    pub archive_pages: usize,
    /// Articles whose page the archive does not hold.
    pub missing_pages: usize,
    /// Claims whose page is not indexed as an article.
    pub orphan_claims: usize,
    /// Claims whose page the archive does not hold.
    pub claims_without_page: usize,
    /// Facts that differ from what the live claims give (missing, extra or with other
    /// sources): the facts are not those of the claims' commit.
    pub stale_facts: usize,
    /// Archive files with a malformed record, or unreadable.
    pub bad_files: usize,
    /// Archive files that end inside a record (a killed writer): their complete
    /// records still count.
    pub truncated_files: usize,
    /// The problems, one line each (the first few).
    pub problems: Vec<String>,
    /// How to rebuild, when something is wrong.
    pub rebuild: Option<String>,
}

impl CheckReport {
    fn problem(&mut self, line: String) {
        if self.problems.len() < MAX_LISTED {
            self.problems.push(line);
        }
    }
}

/// Checks the knowledge base in `dir`. Errors only when it cannot be opened at all (the
/// report then cannot be made); everything else is in the report.
pub fn check(dir: &Path) -> Result<CheckReport, KbError> {
    let kb = Kb::open(dir, false)?;
    let mut r = CheckReport {
        kb: dir.display().to_string(),
        ..CheckReport::default()
    };
    // The archive first: every HTML page it holds, by snapshot.
    let mut archived: HashSet<[u8; 32]> = HashSet::new();
    let files = warc_files(&kb.archive_dir());
    r.archive_files = files.len();
    for f in &files {
        match read_archive_file(f, &mut archived) {
            Ok(complete) => {
                if !complete {
                    r.truncated_files += 1;
                }
            }
            Err(e) => {
                r.bad_files += 1;
                r.problem(format!("archive file unreadable: {e}"));
            }
        }
    }
    r.archive_pages = archived.len();
    let searcher = kb.searcher()?;
    let mut indexed: HashSet<[u8; 32]> = HashSet::new();
    let articles = index::map_kind(&kb, &searcher, "article", |a| {
        Some((
            a["snapshot"].as_str()?.to_string(),
            a["url"].as_str().map(str::to_string),
        ))
    })?;
    r.articles = articles.len();
    for (snap, url) in articles {
        let key = key_of(&snap);
        if let Some(k) = key {
            indexed.insert(k);
        }
        if !key.is_some_and(|k| archived.contains(&k)) {
            r.missing_pages += 1;
            r.problem(format!(
                "article {snap} ({}) is indexed but its page is not in the archive",
                url.as_deref().unwrap_or("a local file")
            ));
        }
    }
    let claims = index::map_kind(&kb, &searcher, "claim", |c| {
        Some((
            c["id"].as_str()?.to_string(),
            c["snapshot"].as_str()?.to_string(),
        ))
    })?;
    r.claims = claims.len();
    for (id, snap) in claims {
        let key = key_of(&snap);
        if !key.is_some_and(|k| indexed.contains(&k)) {
            r.orphan_claims += 1;
            r.problem(format!(
                "claim {id} comes from page {snap}, which is not indexed"
            ));
        }
        if !key.is_some_and(|k| archived.contains(&k)) {
            r.claims_without_page += 1;
            r.problem(format!(
                "claim {id} comes from page {snap}, which is not in the archive"
            ));
        }
    }
    r.facts = index::count_kind(&kb, &searcher, "fact")?;
    check_facts(&kb, &searcher, &mut r)?;
    r.ok = r.stale_facts == 0
        && r.missing_pages == 0
        && r.orphan_claims == 0
        && r.claims_without_page == 0
        && r.bad_files == 0;
    if !r.ok {
        let archive = kb.archive_dir();
        r.rebuild = Some(format!(
            "rebuild the index from the archive into a new knowledge base, then use that one: \
             takedowns ingest --kb {}.rebuilt {}",
            dir.display(),
            archive.display()
        ));
    }
    Ok(r)
}

/// Regroups the live claims and compares the facts they give with the stored ones.
fn check_facts(kb: &Kb, searcher: &tantivy::Searcher, r: &mut CheckReport) -> Result<(), KbError> {
    let stored = index::facts::stored_facts(kb, searcher)?;
    let mut want: Vec<(String, Vec<String>)> =
        crate::dedup::facts(&index::facts::live_rows(kb, searcher)?)
            .iter()
            .map(index::facts::fact_signature)
            .collect();
    want.sort();
    let stored_set: HashSet<&(String, Vec<String>)> = stored.iter().collect();
    let want_set: HashSet<&(String, Vec<String>)> = want.iter().collect();
    for (id, claims) in want.iter().filter(|f| !stored_set.contains(f)) {
        r.stale_facts += 1;
        r.problem(format!(
            "fact {id} ({} claims) is what the claims give but is not stored as such",
            claims.len()
        ));
    }
    for (id, _) in stored.iter().filter(|f| !want_set.contains(f)) {
        r.stale_facts += 1;
        r.problem(format!("fact {id} is stored but the claims do not give it"));
    }
    Ok(())
}

/// Reads one WARC file to its end, adding its pages' snapshots; `Ok(false)` when the
/// file ends inside a record.
fn read_archive_file(path: &Path, into: &mut HashSet<[u8; 32]>) -> Result<bool, ArchiveError> {
    let mut reader = WarcReader::open(path, MAX_PAYLOAD)?;
    let mut whole = true;
    loop {
        match reader.next_page() {
            Ok(Some(page)) => {
                if let Some(k) = key_of(page.snapshot.as_str()) {
                    into.insert(k);
                }
            }
            Ok(None) => break,
            // The records after a bad one are still read: their pages are archived.
            Err(ArchiveError::BadRecord { .. }) => whole = false,
            Err(e) => return Err(e),
        }
    }
    Ok(whole && !reader.ended_early())
}

/// A snapshot id as 32 bytes (half the memory of the hex string).
fn key_of(hex: &str) -> Option<[u8; 32]> {
    let id = SnapshotId::parse(hex)?;
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(id.as_str().get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}
