//! Stage `index`: the knowledge base on disk, `<kb>/tantivy/` beside `<kb>/archive/`.
//!
//! One tantivy index holds two kinds of document: one per article (its snapshot, text
//! and metadata) and one per claim (facets `/country/IR`, `/target/US`,
//! `/platform/twitter`, `/year/2019`, `/site/…`; fast fields for count and date; full
//! text over evidence, title and body). One index rather than two, so a commit is atomic
//! for a page and its claims together. Each document also stores its record as JSON, so
//! a hit is returned exactly as the contract shapes it. Facts are kept current by
//! [`facts`], block by block, in the same commit as the claims they come from.

pub mod facts;

use crate::archive::SnapshotId;
use crate::claims::{self, Claim, Spokesperson};
use crate::dedup;
use crate::extract::Article;
use chrono::{Datelike, NaiveDate};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tantivy::collector::Count;
use tantivy::directory::MmapDirectory;
use tantivy::query::TermQuery;
use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TEXT,
    Value as _,
};
use tantivy::{DateTime, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Why the knowledge base could not be opened, read or written.
#[derive(Debug, thiserror::Error)]
pub enum KbError {
    /// Another process is writing to it.
    #[error("knowledge base {0} is locked: another ingest, crawl or build is writing to it")]
    Locked(PathBuf),
    /// It does not exist (and was not to be created).
    #[error("no knowledge base at {0} (build one with `takedowns build` or `takedowns ingest`)")]
    Missing(PathBuf),
    /// A filesystem error.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// It was made with other fields than this version of takedowns reads.
    #[error(
        "knowledge base {0} was made by another version of takedowns (its index has other \
         fields): rebuild it from its archive into a new one with \
         `takedowns ingest --kb NEW {0}/archive`"
    )]
    OtherSchema(PathBuf),
    /// The search library failed.
    #[error("index error in {path}: {source}")]
    Index {
        /// The knowledge base.
        path: PathBuf,
        /// The cause.
        source: tantivy::TantivyError,
    },
}

/// The fields of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// "article" or "claim".
    pub kind: Field,
    /// Claim id, or the snapshot id for an article.
    pub id: Field,
    /// Snapshot the document comes from.
    pub snapshot: Field,
    /// Page URL.
    pub url: Field,
    /// Page title (full text).
    pub title: Field,
    /// Main text (full text, not stored).
    pub body: Field,
    /// Evidence sentence (full text).
    pub evidence: Field,
    /// Platform id.
    pub platform: Field,
    /// Claim count.
    pub count: Field,
    /// Claim date, else the page's publication date.
    pub when: Field,
    /// A fact's founding report's day: reading a fact passes over the facts of its block
    /// too far from it in time to conflict, without reading their records.
    pub founded: Field,
    /// Facets.
    pub facets: Field,
    /// The whole record as JSON.
    pub data: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let f = Fields {
        kind: b.add_text_field("kind", STRING | STORED),
        id: b.add_text_field("id", STRING | STORED),
        snapshot: b.add_text_field("snapshot", STRING | STORED),
        url: b.add_text_field("url", STRING | STORED),
        title: b.add_text_field("title", TEXT),
        body: b.add_text_field("body", TEXT),
        evidence: b.add_text_field("evidence", TEXT | STORED),
        platform: b.add_text_field("platform", STRING | FAST),
        count: b.add_u64_field("count", INDEXED | FAST),
        when: b.add_date_field("when", INDEXED | FAST),
        founded: b.add_date_field("founded", FAST),
        facets: b.add_facet_field("facets", FacetOptions::default()),
        data: b.add_text_field("data", STORED),
    };
    (b.build(), f)
}

/// What changes with every commit and merge: the commit's opstamp, its segments and
/// their deletes.
fn commit_key(meta: &tantivy::IndexMeta) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    meta.opstamp.hash(&mut h);
    for s in &meta.segments {
        s.id().uuid_string().hash(&mut h);
        s.delete_opstamp().hash(&mut h);
    }
    h.finish()
}

/// An open knowledge base.
pub struct Kb {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    /// The commit (segments and their deletes) the reader was last loaded on.
    loaded: std::sync::Mutex<Option<u64>>,
    /// The schema's fields.
    pub fields: Fields,
}

/// How the folder of an index being made begins (then the maker's process id): what a
/// process killed while making one leaves, which `build` may clear.
pub const INDEX_IN_MAKING: &str = "tantivy.new-";

/// Removes the indexes that processes killed while making them left half-made
/// (`tantivy.new-PID` of a process no longer running; only where `/proc` says so).
fn remove_abandoned(dir: &Path) {
    let proc = Path::new("/proc");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    if !proc.join("self").exists() {
        return;
    }
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(INDEX_IN_MAKING)) else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !proc.join(pid).exists() {
            // Best effort: a folder left now is removed by the next creation.
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Makes an empty index where none is, whole or not at all: it is made beside its place
/// and renamed into it, so that a process killed while making it never leaves a
/// `tantivy` folder without its `meta.json` (which no command would open).
fn create_index(dir: &Path, schema: &Schema) -> Result<(), KbError> {
    let tdir = dir.join("tantivy");
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| KbError::Io { path, source }
    };
    let fresh = dir.join(format!("{INDEX_IN_MAKING}{}", std::process::id()));
    remove_abandoned(dir);
    if fresh.exists() {
        std::fs::remove_dir_all(&fresh).map_err(io(&fresh))?;
    }
    std::fs::create_dir_all(&fresh).map_err(io(&fresh))?;
    Index::create_in_dir(&fresh, schema.clone()).map_err(|source| KbError::Index {
        path: dir.to_path_buf(),
        source,
    })?;
    if tdir.exists() && !tdir.join("meta.json").exists() {
        // Left by a process killed before this one made indexes whole: nothing in it
        // was ever committed.
        std::fs::remove_dir_all(&tdir).map_err(io(&tdir))?;
    }
    if let Err(e) = std::fs::rename(&fresh, &tdir) {
        // Another process made the index first: theirs stands.
        let _ = std::fs::remove_dir_all(&fresh);
        if !tdir.join("meta.json").exists() {
            return Err(io(&tdir)(e));
        }
    }
    Ok(())
}

impl Kb {
    /// Opens the knowledge base in `dir`, creating it if `create` and absent.
    pub fn open(dir: &Path, create: bool) -> Result<Kb, KbError> {
        let tdir = dir.join("tantivy");
        let exists = tdir.join("meta.json").exists();
        if !exists && !create {
            return Err(KbError::Missing(dir.to_path_buf()));
        }
        let ierr = |source| KbError::Index {
            path: dir.to_path_buf(),
            source,
        };
        let (schema, fields) = schema();
        if !exists {
            create_index(dir, &schema)?;
        }
        let mdir = MmapDirectory::open(&tdir).map_err(|e| ierr(e.into()))?;
        let index = Index::open_or_create(mdir, schema).map_err(|e| match e {
            tantivy::TantivyError::SchemaError(_) => KbError::OtherSchema(dir.to_path_buf()),
            e => ierr(e),
        })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(ierr)?;
        Ok(Kb {
            dir: dir.to_path_buf(),
            index,
            reader,
            loaded: std::sync::Mutex::new(None),
            fields,
        })
    }

    /// The knowledge base directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The raw archive directory.
    pub fn archive_dir(&self) -> PathBuf {
        self.dir.join("archive")
    }

    /// The tantivy index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// A searcher over the last commit, so another process's commits show up. The reader
    /// is reloaded only when the commit changed: a reload opens every segment anew and
    /// starts with an empty document cache, which at a million claims cost more than many
    /// of the searches it served.
    pub fn searcher(&self) -> Result<tantivy::Searcher, KbError> {
        self.commit()?;
        Ok(self.reader.searcher())
    }

    /// Loads the last commit if the reader is not on it yet, and returns a number that
    /// changes with every commit and merge.
    pub fn commit(&self) -> Result<u64, KbError> {
        let ierr = |source| KbError::Index {
            path: self.dir.clone(),
            source,
        };
        let commit = commit_key(&self.index.load_metas().map_err(ierr)?);
        // A poisoned lock only means a reload panicked: reload again.
        let mut loaded = self.loaded.lock().unwrap_or_else(|p| p.into_inner());
        if *loaded != Some(commit) {
            *loaded = None;
            self.reader.reload().map_err(ierr)?;
            *loaded = Some(commit);
        }
        Ok(commit)
    }

    /// Takes the writer lock: one writer at a time, a second gets [`KbError::Locked`].
    pub fn writer(&self) -> Result<IndexWriter, KbError> {
        self.writer_threads(None)
    }

    /// The writer lock with one indexing thread, for ingest: its commits come every few
    /// hundred pages while the other cores extract, so a second thread would only split
    /// each commit into two segments (each with its own term dictionary to build, and
    /// twice the merging) instead of indexing faster.
    pub fn ingest_writer(&self) -> Result<IndexWriter, KbError> {
        self.writer_threads(Some(1))
    }

    /// The writer lock with `threads` indexing threads (tantivy's choice when `None`).
    fn writer_threads(&self, threads: Option<usize>) -> Result<IndexWriter, KbError> {
        let budget = 128 * 1024 * 1024;
        let w = match threads {
            Some(n) => self.index.writer_with_num_threads(n, budget),
            None => self.index.writer(budget),
        };
        match w {
            Ok(w) => Ok(w),
            Err(tantivy::TantivyError::LockFailure(_, _)) => Err(KbError::Locked(self.dir.clone())),
            Err(source) => Err(KbError::Index {
                path: self.dir.clone(),
                source,
            }),
        }
    }

    /// Whether an article with this snapshot is indexed.
    pub fn has_snapshot(
        &self,
        searcher: &tantivy::Searcher,
        id: &SnapshotId,
    ) -> Result<bool, KbError> {
        let q = TermQuery::new(
            Term::from_field_text(self.fields.id, id.as_str()),
            IndexRecordOption::Basic,
        );
        let n = searcher
            .search(&q, &Count)
            .map_err(|source| KbError::Index {
                path: self.dir.clone(),
                source,
            })?;
        Ok(n > 0)
    }

    /// Stored JSON of a document.
    pub fn data(&self, doc: &TantivyDocument) -> Value {
        doc.get_first(self.fields.data)
            .and_then(|v| v.as_str())
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or(Value::Null)
    }
}

/// A claim's id: stable for the same snapshot and the same claim.
pub fn claim_id(snapshot: &SnapshotId, c: &Claim) -> String {
    let mut h = Sha256::new();
    h.update(snapshot.as_str());
    h.update(c.span[0].to_le_bytes());
    h.update(c.span[1].to_le_bytes());
    h.update(c.platform.as_bytes());
    h.update(c.count.unwrap_or(u64::MAX).to_le_bytes());
    h.update(c.object.as_bytes());
    h.update([u8::from(c.negated)]);
    h.finalize()
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn date_value(d: NaiveDate) -> DateTime {
    let secs = d
        .and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp());
    DateTime::from_timestamp_secs(secs)
}

/// What is known about an archived page besides its extraction.
#[derive(Debug, Clone)]
pub struct Source {
    /// Its snapshot.
    pub snapshot: SnapshotId,
    /// The WARC record was marked truncated.
    pub truncated: bool,
    /// The platform whose own post the page is, if it is one: decided by the URL it was
    /// fetched from, never by what the page says of itself.
    pub house: Option<&'static str>,
    /// The URL the page was fetched from (crawl, WARC record, `--url`), if known.
    pub fetched_url: Option<String>,
    /// Where the raw page is in the archive.
    pub archived: Option<crate::archive::Location>,
    /// Older snapshots of the same URL, which this page replaces.
    pub versions: Vec<String>,
    /// The snapshot of a later version of the same URL that replaces this page, if any.
    pub superseded_by: Option<String>,
}

/// The marker of a page the pre-filter skipped: its snapshot is known (so it is not
/// taken again), nothing else is indexed.
pub fn filtered_document(f: &Fields, snapshot: &SnapshotId, url: Option<&str>) -> TantivyDocument {
    marker_document(f, snapshot, url, "prefilter")
}

/// The marker of a page archived but not indexed as an article, and why ("prefilter":
/// no takedown vocabulary in its bytes; "not_relevant": extracted, no claim and no
/// takedown vocabulary in its text). `ingest --reconsider` indexes such pages.
pub fn marker_document(
    f: &Fields,
    snapshot: &SnapshotId,
    url: Option<&str>,
    reason: &str,
) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    d.add_text(f.kind, "filtered");
    d.add_text(f.id, snapshot.as_str());
    d.add_text(f.snapshot, snapshot.as_str());
    d.add_text(
        f.data,
        json!({"type": "filtered", "snapshot": snapshot.as_str(), "url": url, "reason": reason})
            .to_string(),
    );
    d
}

/// Documents for one page: its article and each claim. A page that a later version of
/// its URL replaced (`src.superseded_by`) keeps its claims, marked, out of the facts.
pub fn documents(
    f: &Fields,
    src: &Source,
    article: &Article,
    claims: &[Claim],
    spokespeople: &[Spokesperson],
) -> Vec<TantivyDocument> {
    documents_and_rows(f, src, article, claims, spokespeople).0
}

/// [`documents`] with the fact rows of the page's live claims (none for a replaced
/// version), taken from the records as built, not read back from the documents.
pub fn documents_and_rows(
    f: &Fields,
    src: &Source,
    article: &Article,
    claims: &[Claim],
    spokespeople: &[Spokesperson],
) -> (Vec<TantivyDocument>, Vec<dedup::ClaimRow>) {
    let mut rows = Vec::new();
    let mut docs = Vec::with_capacity(claims.len() + 1);
    let published = article.published.map(|d| d.to_string());
    let site = article.site.clone();
    let mut a = TantivyDocument::default();
    a.add_text(f.kind, "article");
    a.add_text(f.id, src.snapshot.as_str());
    a.add_text(f.snapshot, src.snapshot.as_str());
    if let Some(u) = &article.url {
        a.add_text(f.url, u);
    }
    let canonical = page_url(article, src);
    if let Some(c) = canonical
        .as_deref()
        .filter(|c| Some(*c) != article.url.as_deref())
    {
        // Indexed too, so that the versions of a URL are found however it was written.
        a.add_text(f.url, c);
    }
    if let Some(t) = &article.title {
        a.add_text(f.title, t);
    }
    a.add_text(f.body, &article.body);
    if let Some(d) = article.published {
        a.add_date(f.when, date_value(d));
    }
    // What story grouping needs of the page, computed once: the article and each claim
    // carry it.
    let paragraphs: Vec<String> = dedup::paragraph_hashes(&article.body)
        .iter()
        .map(|h| h.to_string())
        .collect();
    let simhash = dedup::simhash(&article.body).to_string();
    let text_hash = dedup::text_hash(&article.body).to_string();
    let words = article.body.split_whitespace().count();
    let record = json!({
        "type": "article", "id": src.snapshot.as_str(), "snapshot": src.snapshot.as_str(),
        "url": article.url, "title": article.title, "published": published,
        "authors": article.authors, "site": site, "language": article.language,
        "body": article.body, "claims": claims.len(), "spokespeople": spokespeople,
        "truncated": src.truncated,
        "archive": src.archived,
        "canonical": canonical,
        "fetched_url": src.fetched_url,
        "claimed_url": article.claimed_url,
        "simhash": simhash,
        "text_hash": text_hash,
        "words": words,
        "paragraphs": paragraphs,
        "versions": src.versions,
    });
    a.add_text(f.data, record.to_string());
    docs.push(a);
    // What story grouping needs of the page, carried by each claim so that a fact's
    // sources are grouped into stories without reading their articles.
    let page_key = json!({
        "text_hash": text_hash,
        "simhash": simhash,
        "words": words,
        "paragraphs": paragraphs,
    });
    for c in claims {
        let id = claim_id(&src.snapshot, c);
        let mut record = serde_json::to_value(c).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut record {
            m.insert("type".into(), json!("claim"));
            m.insert("id".into(), json!(id));
            m.insert("url".into(), json!(article.url));
            m.insert("canonical".into(), json!(canonical));
            m.insert("site".into(), json!(site));
            m.insert("title".into(), json!(article.title));
            m.insert("published".into(), json!(published));
            m.insert("snapshot".into(), json!(src.snapshot.as_str()));
            m.insert("truncated".into(), json!(src.truncated));
            m.insert("fetched_url".into(), json!(src.fetched_url));
            m.insert("claimed_url".into(), json!(article.claimed_url));
            m.insert(
                "primary".into(),
                json!(src.house.is_some_and(
                    |h| claims::lexicon::family(h) == claims::lexicon::family(&c.platform)
                )),
            );
            m.insert("versions".into(), json!(src.versions));
            m.insert("page_key".into(), page_key.clone());
            if let Some(by) = &src.superseded_by {
                m.insert("superseded_by".into(), json!(by));
            }
        }
        let row = if src.superseded_by.is_none() {
            facts::claim_row(&record)
        } else {
            None
        };
        docs.push(build_claim_document(
            f,
            &record,
            article.title.as_deref(),
            &article.body,
            row.as_ref(),
        ));
        rows.extend(row);
    }
    (docs, rows)
}

/// The URL that makes pages versions of one another: the page's canonical URL, else the
/// one it was fetched from.
pub fn page_url(article: &Article, src: &Source) -> Option<String> {
    article
        .url
        .as_deref()
        .and_then(dedup::canonical_url)
        .or_else(|| src.fetched_url.as_deref().and_then(dedup::canonical_url))
}

/// The index document of a claim record. A live claim is filed for fact grouping
/// ([`facts::filing`]), so a commit finds the claims its new ones may meet without
/// reading stored records; a claim of a replaced version is filed under `/version/old`
/// instead, and search leaves it out unless all versions are asked for.
pub fn claim_document(
    f: &Fields,
    record: &Value,
    title: Option<&str>,
    body: &str,
) -> TantivyDocument {
    let row = if facts::superseded(record) {
        None
    } else {
        facts::claim_row(record)
    };
    build_claim_document(f, record, title, body, row.as_ref())
}

/// [`claim_document`] with the claim's fact row already read from its record (none
/// for an old version or a claim left out of facts).
fn build_claim_document(
    f: &Fields,
    record: &Value,
    title: Option<&str>,
    body: &str,
    row: Option<&dedup::ClaimRow>,
) -> TantivyDocument {
    let text = |k: &str| record[k].as_str();
    let mut d = TantivyDocument::default();
    d.add_text(f.kind, "claim");
    d.add_text(f.id, text("id").unwrap_or_default());
    d.add_text(f.snapshot, text("snapshot").unwrap_or_default());
    if let Some(u) = text("url") {
        d.add_text(f.url, u);
    }
    if let Some(c) = text("canonical").filter(|c| Some(*c) != text("url")) {
        // So that the live claims of a URL are found however it was written.
        d.add_text(f.url, c);
    }
    if let Some(t) = title {
        d.add_text(f.title, t);
    }
    d.add_text(f.body, body);
    d.add_text(f.evidence, text("evidence").unwrap_or_default());
    let platform = text("platform").unwrap_or_default();
    d.add_text(f.platform, platform);
    if let Some(n) = record["count"].as_u64() {
        d.add_u64(f.count, n);
    }
    let day = |k: &str| text(k).and_then(|s| dedup::published_day(Some(s)));
    if let Some(w) = day("date").or_else(|| day("published")) {
        d.add_date(f.when, date_value(w));
        d.add_facet(f.facets, Facet::from(&format!("/year/{}", w.year())));
    }
    let codes = |k: &str| -> Vec<&str> {
        record[k]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect()
    };
    for code in codes("countries") {
        d.add_facet(f.facets, Facet::from(&format!("/country/{code}")));
    }
    for facet in filter_facets(
        &codes("targets"),
        text("object").unwrap_or_default(),
        text("qualifier").unwrap_or_default(),
        record["negated"].as_bool() == Some(true),
    ) {
        d.add_facet(f.facets, facet);
    }
    d.add_facet(f.facets, Facet::from(&format!("/platform/{platform}")));
    if let Some(s) = text("site") {
        d.add_facet(
            f.facets,
            Facet::from(&format!("/site/{}", s.replace('/', "_"))),
        );
    }
    if facts::superseded(record) {
        d.add_facet(f.facets, Facet::from(OLD_VERSION));
    } else if let Some(row) = row {
        d.add_facet(f.facets, facts::filed_facet(row));
    } else {
        d.add_facet(f.facets, Facet::from(facts::NO_FACT));
    }
    d.add_text(f.data, record.to_string());
    d
}

/// The facets claims and facts are filtered by beyond country, platform, year and site:
/// targets (`/target/UA`), each object kind the object names (`/object/pages`), the
/// qualifier (`/qualifier/more_than`) and, for a negated report only, `/negated`.
pub fn filter_facets(targets: &[&str], object: &str, qualifier: &str, negated: bool) -> Vec<Facet> {
    let mut out: Vec<Facet> = targets
        .iter()
        .map(|code| Facet::from(&format!("/target/{code}")))
        .collect();
    out.extend(
        claims::lexicon::object_kinds(object)
            .into_iter()
            .map(|o| Facet::from(&format!("/object/{}", o.replace('/', "_")))),
    );
    if !qualifier.is_empty() {
        out.push(Facet::from(&format!("/qualifier/{qualifier}")));
    }
    if negated {
        out.push(Facet::from(NEGATED));
    }
    out
}

/// The facet of negated reports ("found no similar activity"); its absence is "not negated",
/// so knowledge bases indexed before it existed still filter right on `negated=false`.
pub const NEGATED: &str = "/negated";

/// The facet of a fact without a takedown date, filed under its first report's date.
pub const UNDATED: &str = "/undated";

/// The facet of claims that a later version of their page replaced.
pub const OLD_VERSION: &str = "/version/old";

/// How many documents of a kind the searcher's commit holds (no document is read).
pub(crate) fn count_kind(
    kb: &Kb,
    searcher: &tantivy::Searcher,
    kind: &str,
) -> Result<usize, KbError> {
    let q = TermQuery::new(
        Term::from_field_text(kb.fields.kind, kind),
        IndexRecordOption::Basic,
    );
    searcher
        .search(&q, &Count)
        .map_err(|source| KbError::Index {
            path: kb.dir.clone(),
            source,
        })
}

/// Maps every stored document of a kind, one at a time: an article's stored text is
/// dropped as soon as its keys are taken, so memory follows the keys, not the corpus.
pub(crate) fn map_kind<T>(
    kb: &Kb,
    searcher: &tantivy::Searcher,
    kind: &str,
    mut f: impl FnMut(Value) -> Option<T>,
) -> Result<Vec<T>, KbError> {
    let tan = |source| KbError::Index {
        path: kb.dir.clone(),
        source,
    };
    if count_kind(kb, searcher, kind)? == 0 {
        return Ok(Vec::new());
    }
    let q = TermQuery::new(
        Term::from_field_text(kb.fields.kind, kind),
        IndexRecordOption::Basic,
    );
    let top = searcher
        .search(&q, &tantivy::collector::DocSetCollector)
        .map_err(tan)?;
    let mut out = Vec::with_capacity(top.len());
    let mut addrs: Vec<_> = top.into_iter().collect();
    addrs.sort();
    for a in addrs {
        let doc: TantivyDocument = searcher.doc(a).map_err(tan)?;
        out.extend(f(kb.data(&doc)));
    }
    Ok(out)
}
