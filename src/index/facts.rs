//! Facts kept current in the index, in the same commit as their claims.
//!
//! Every live claim document is filed for fact grouping under
//! `/cfig/<block>/<qualifier>` ([`filing`]), with its count and day as fast fields, and
//! every fact document carries `/fclaim/<id>` for each claim it holds and is filed
//! under `/ffig/<block>/<qualifier>` with its count. A commit regroups only its scope
//! ([`dedup::scope`]): the committed claims its new claims (and the ones its new
//! versions replace) may be grouped with, found through the filing (terms and fast
//! fields pick the candidates; only their records are read). It deletes the facts of
//! what it changes and writes the new ones before the one tantivy commit, so a kill at
//! any moment leaves claims and facts of one commit. Outside the scope no group can
//! change, so this gives the facts a whole regrouping gives, at a cost that follows the
//! commit and the sets it falls in, not the size of the knowledge base. A fact's
//! conflicts are found when it is read ([`shown`]), among the facts filed in its block.

pub mod filing;

use super::{Fields, Kb, KbError, count_kind, date_value, map_kind};
use crate::claims::{Confidence, Qualifier};
use crate::dedup::{self, ClaimRow, Fact, PageKey, Reach};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use tantivy::collector::{Count, DocSetCollector};
use tantivy::query::TermQuery;
use tantivy::schema::{Facet, IndexRecordOption, Value as _};
use tantivy::{DocAddress, IndexWriter, Searcher, TantivyDocument, Term};

/// The facet of live claims that facts leave out (read from the story alone).
pub const NO_FACT: &str = "/nofact";

/// The facet root under which a fact names each of its claims.
const FACT_CLAIM: &str = "/fclaim";

/// The facet a live claim is filed under for fact grouping.
pub fn filed_facet(row: &ClaimRow) -> Facet {
    filing::facet(&dedup::block_key(row), row.qualifier)
}

/// The facet by which a fact names one of its claims.
fn fact_claim_facet(claim: &str) -> Facet {
    Facet::from(&format!("{FACT_CLAIM}/{claim}"))
}

/// A claim record as stored: what fact building reads of it, parsed straight into its
/// fields (no intermediate JSON tree), since a commit may read thousands.
#[derive(Deserialize)]
struct StoredClaim {
    id: String,
    platform: String,
    countries: Vec<String>,
    targets: Vec<String>,
    count: Option<u64>,
    qualifier: Qualifier,
    object: String,
    date: Option<NaiveDate>,
    negated: bool,
    evidence: String,
    #[serde(default)]
    confidence: Confidence,
    snapshot: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    canonical: Option<String>,
    #[serde(default)]
    site: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    primary: Option<bool>,
    #[serde(default)]
    versions: Option<Vec<String>>,
    #[serde(default)]
    page_key: Option<StoredPageKey>,
}

/// What story grouping needs of a claim's page, as stored (hashes as decimal strings).
#[derive(Deserialize)]
struct StoredPageKey {
    #[serde(default)]
    text_hash: Option<String>,
    #[serde(default)]
    simhash: Option<String>,
    #[serde(default)]
    words: Option<u64>,
    #[serde(default)]
    paragraphs: Vec<String>,
}

impl StoredClaim {
    /// The row of a claim that makes or joins facts; `None` for one that does not.
    fn into_row(self) -> Option<ClaimRow> {
        // A figure inferred from the story alone is shown in search, marked, but does not
        // make or join a fact: facts and verify stand on high and medium readings.
        if self.confidence == Confidence::Low {
            return None;
        }
        let hash = |s: &Option<String>| s.as_deref().and_then(|s| s.parse::<u64>().ok());
        let page = self.page_key.and_then(|k| {
            Some(PageKey {
                snapshot: self.snapshot.clone(),
                url: self.canonical.clone(),
                text_hash: hash(&k.text_hash)?,
                simhash: hash(&k.simhash).unwrap_or(0),
                words: k.words.unwrap_or(0) as usize,
                paragraphs: k.paragraphs.iter().filter_map(|p| p.parse().ok()).collect(),
            })
        });
        Some(ClaimRow {
            id: self.id,
            family: crate::claims::lexicon::family(&self.platform).to_string(),
            platform: self.platform,
            countries: self.countries,
            targets: self.targets,
            object: self.object,
            count: self.count,
            qualifier: self.qualifier,
            date: self.date,
            negated: self.negated,
            url: self.url,
            site: self.site,
            published: self.published,
            evidence: self.evidence,
            snapshot: self.snapshot,
            primary: self.primary.unwrap_or(false),
            versions: self.versions.unwrap_or_default(),
            page,
        })
    }
}

/// A claim record as fact building sees it; `None` for a record that is not a claim
/// that makes facts.
pub fn claim_row(c: &Value) -> Option<ClaimRow> {
    StoredClaim::deserialize(c).ok()?.into_row()
}

/// Whether a claim record is of a version that a later one replaced.
pub fn superseded(c: &Value) -> bool {
    c.get("superseded_by").is_some_and(|v| !v.is_null())
}

fn tan(kb: &Kb) -> impl Fn(tantivy::TantivyError) -> KbError + '_ {
    move |source| KbError::Index {
        path: kb.dir.clone(),
        source,
    }
}

/// How many documents carry a facet (no document is read).
fn count_facet(kb: &Kb, searcher: &Searcher, facet: &str) -> Result<usize, KbError> {
    let q = TermQuery::new(
        Term::from_facet(kb.fields.facets, &Facet::from(facet)),
        IndexRecordOption::Basic,
    );
    searcher.search(&q, &Count).map_err(tan(kb))
}

/// Whether the knowledge base keeps its facts current at every commit: every claim
/// filed for grouping, left out of facts, or an old version, and every fact naming its
/// claims and filed for finding its conflicts. A knowledge base made before that is
/// regrouped whole at the end of each ingest instead.
pub fn kept_current(kb: &Kb, searcher: &Searcher) -> Result<bool, KbError> {
    let claims = count_kind(kb, searcher, "claim")?;
    let facts = count_kind(kb, searcher, "fact")?;
    Ok(claims
        == count_facet(kb, searcher, filing::ROOT)?
            + count_facet(kb, searcher, NO_FACT)?
            + count_facet(kb, searcher, super::OLD_VERSION)?
        && facts == count_facet(kb, searcher, FACT_CLAIM)?
        && facts == count_facet(kb, searcher, filing::FACT_ROOT)?)
}

/// The stored records of every document a query matches, in index order.
fn records_matching(
    kb: &Kb,
    searcher: &Searcher,
    q: &dyn tantivy::query::Query,
) -> Result<Vec<Value>, KbError> {
    let mut out = Vec::new();
    for a in addresses(kb, searcher, q)? {
        let doc: TantivyDocument = searcher.doc(a).map_err(tan(kb))?;
        out.push(kb.data(&doc));
    }
    Ok(out)
}

/// The documents a query matches, in index order.
fn addresses(
    kb: &Kb,
    searcher: &Searcher,
    q: &dyn tantivy::query::Query,
) -> Result<Vec<DocAddress>, KbError> {
    let mut addrs: Vec<_> = searcher
        .search(q, &DocSetCollector)
        .map_err(tan(kb))?
        .into_iter()
        .collect();
    addrs.sort();
    Ok(addrs)
}

/// The rows of filed claims, read from their stored records in index order.
fn rows_at(
    kb: &Kb,
    searcher: &Searcher,
    addrs: &mut [DocAddress],
) -> Result<Vec<ClaimRow>, KbError> {
    addrs.sort();
    let mut out = Vec::with_capacity(addrs.len());
    for &a in addrs.iter() {
        out.extend(row_at(kb, searcher, a)?);
    }
    Ok(out)
}

/// The row of a filed claim, read from its stored record.
fn row_at(kb: &Kb, searcher: &Searcher, addr: DocAddress) -> Result<Option<ClaimRow>, KbError> {
    use tantivy::schema::Value as _;
    let doc: TantivyDocument = searcher.doc(addr).map_err(tan(kb))?;
    Ok(doc
        .get_first(kb.fields.data)
        .and_then(|v| v.as_str())
        .and_then(|s| serde_json::from_str::<StoredClaim>(s).ok())
        .and_then(StoredClaim::into_row))
}

/// Claims to add in a commit, and committed claims the commit replaces.
#[derive(Debug, Default)]
pub struct Pending {
    /// New live claims.
    rows: Vec<ClaimRow>,
    /// Committed claims the commit marks as old versions.
    replaced: Vec<ClaimRow>,
}

impl Pending {
    /// Adds a new live claim.
    pub fn add(&mut self, row: ClaimRow) {
        self.rows.push(row);
    }

    /// Notes a committed claim that this commit marks as an old version.
    pub fn replace(&mut self, row: &ClaimRow) {
        self.replaced.push(row.clone());
    }
}

/// The keys under which the claims a claim may meet are filed: its own block and its
/// super-block's countryless one, or for a countryless claim its whole super-block.
fn meeting_keys(r: &Reach) -> Vec<String> {
    let sup = dedup::super_key(&r.block);
    if dedup::is_countryless(&r.block) {
        vec![sup.to_string()]
    } else {
        vec![r.block.clone(), format!("{sup}/none")]
    }
}

/// Regroups what a commit's claims reach ([`dedup::scope`]): reads the committed claims
/// in its scope (found through the filing, each record read once), deletes the facts
/// holding a changed, touched or replaced claim and adds the new ones. Returns the
/// facts written.
pub fn regroup(
    kb: &Kb,
    searcher: &Searcher,
    writer: &mut IndexWriter,
    pending: &Pending,
) -> Result<usize, KbError> {
    let mut filing = filing::Filing::new(kb, searcher);
    // A replaced claim is still live in this commit's view: it starts the walk (the
    // facts it was in change) but is not regrouped.
    let mut replaced: HashSet<DocAddress> = HashSet::new();
    for r in &pending.replaced {
        let q = TermQuery::new(
            Term::from_field_text(kb.fields.id, &r.id),
            IndexRecordOption::Basic,
        );
        replaced.extend(addresses(kb, searcher, &q)?);
    }
    let mut read: HashMap<DocAddress, Option<ClaimRow>> = HashMap::new();
    let seeds: Vec<&ClaimRow> = pending.rows.iter().chain(&pending.replaced).collect();
    // The keys the seeds meet, listed in one pass over the filing; claims the walk
    // reaches fall in the same blocks, or their keys are listed when first asked for.
    let keys: HashSet<String> = seeds
        .iter()
        .flat_map(|r| meeting_keys(&Reach::of(r)))
        .collect();
    filing.prefetch(keys.iter().map(String::as_str))?;
    let scope = dedup::scope(&seeds, |_, reach| {
        let mut out = Vec::new();
        for key in meeting_keys(reach) {
            for f in filing.under(&key)?.iter() {
                if replaced.contains(&f.addr) || !dedup::may_group(reach, &f.reach) {
                    continue;
                }
                let row = match read.get(&f.addr) {
                    Some(row) => row.clone(),
                    None => {
                        let row = row_at(kb, searcher, f.addr)?;
                        read.insert(f.addr, row.clone());
                        row
                    }
                };
                out.extend(row.map(|r| (r, f.reach.clone())));
            }
        }
        Ok::<_, KbError>(out)
    })?;
    let mut rewrite: HashSet<&str> = pending.rows.iter().map(|r| r.id.as_str()).collect();
    rewrite.extend(scope.iter().map(|r| r.id.as_str()));
    for id in rewrite
        .iter()
        .copied()
        .chain(pending.replaced.iter().map(|r| r.id.as_str()))
    {
        writer.delete_term(Term::from_facet(kb.fields.facets, &fact_claim_facet(id)));
    }
    let mut rows: Vec<ClaimRow> = scope.clone();
    rows.extend(pending.rows.iter().cloned());
    let facts: Vec<Fact> = dedup::facts(&rows)
        .into_iter()
        .filter(|f| f.sources.iter().any(|s| rewrite.contains(s.claim.as_str())))
        .collect();
    add_facts(kb, writer, &facts)
}

/// Adds fact documents; returns how many.
fn add_facts(kb: &Kb, writer: &mut IndexWriter, facts: &[Fact]) -> Result<usize, KbError> {
    for f in facts {
        writer
            .add_document(fact_document(&kb.fields, f))
            .map_err(tan(kb))?;
    }
    Ok(facts.len())
}

/// Every live claim of the knowledge base, as fact building sees it.
pub fn live_rows(kb: &Kb, searcher: &Searcher) -> Result<Vec<ClaimRow>, KbError> {
    map_kind(kb, searcher, "claim", |c| {
        if superseded(&c) { None } else { claim_row(&c) }
    })
}

/// Regroups every live claim into facts and replaces every fact document (a knowledge
/// base made before facts were kept current). Deterministic: the same archive gives
/// the same facts and ids.
pub fn rebuild_facts(kb: &Kb, writer: &mut IndexWriter) -> Result<usize, KbError> {
    let searcher = kb.searcher()?;
    let facts = dedup::facts(&live_rows(kb, &searcher)?);
    writer.delete_term(Term::from_field_text(kb.fields.kind, "fact"));
    add_facts(kb, writer, &facts)
}

/// Regroups every super-block of a knowledge base that keeps its facts current, one
/// super-block at a time, so memory follows the largest super-block, not the claims
/// (a knowledge base indexed without going through ingest, such as the benchmark's).
pub fn regroup_all(kb: &Kb, writer: &mut IndexWriter) -> Result<usize, KbError> {
    let searcher = kb.searcher()?;
    writer.delete_term(Term::from_field_text(kb.fields.kind, "fact"));
    let mut written = 0;
    for sup in filing::supers(kb, &searcher)? {
        let mut addrs: Vec<DocAddress> = filing::list(kb, &searcher, filing::ROOT, &sup)?
            .into_iter()
            .map(|f| f.addr)
            .collect();
        let rows = rows_at(kb, &searcher, &mut addrs)?;
        written += add_facts(kb, writer, &dedup::facts(&rows))?;
    }
    Ok(written)
}

/// Each stored fact's id and the claims it holds, sorted: what `check` compares with
/// the facts the claims give.
pub fn stored_facts(kb: &Kb, searcher: &Searcher) -> Result<Vec<(String, Vec<String>)>, KbError> {
    let mut v = map_kind(kb, searcher, "fact", |f| Some(fact_signature_of_record(&f)))?;
    v.sort();
    Ok(v)
}

fn fact_signature_of_record(f: &Value) -> (String, Vec<String>) {
    let mut claims: Vec<String> = f["sources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["claim"].as_str().map(str::to_string))
        .collect();
    claims.sort();
    (f["id"].as_str().unwrap_or_default().to_string(), claims)
}

/// A fact's id and its claims, sorted.
pub fn fact_signature(f: &Fact) -> (String, Vec<String>) {
    let mut claims: Vec<String> = f.sources.iter().map(|s| s.claim.clone()).collect();
    claims.sort();
    (f.id.clone(), claims)
}

/// The index document of a fact, filed under its block.
pub fn fact_document(f: &Fields, fact: &Fact) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    d.add_text(f.kind, "fact");
    d.add_text(f.id, &fact.id);
    d.add_text(f.platform, &fact.platform);
    for s in &fact.sources {
        d.add_text(f.evidence, &s.evidence);
        // Indexed so that a claim's fact is found from the claim's page.
        d.add_text(f.snapshot, &s.snapshot);
    }
    if let Some(n) = fact.count {
        d.add_u64(f.count, n);
    }
    // A fact without a takedown day is filed under its earliest report's date.
    if fact.date.is_none() {
        d.add_facet(f.facets, Facet::from(super::UNDATED));
    }
    if let Some(w) = fact.grouping.when {
        d.add_date(f.founded, date_value(w));
    }
    if let Some(w) = fact.date.or(fact.first_reported) {
        d.add_date(f.when, date_value(w));
        d.add_facet(f.facets, Facet::from(&format!("/year/{}", w.year())));
    }
    for code in &fact.countries {
        d.add_facet(f.facets, Facet::from(&format!("/country/{code}")));
    }
    d.add_facet(
        f.facets,
        Facet::from(&format!("/platform/{}", fact.platform)),
    );
    let mut sites: Vec<&str> = fact
        .sources
        .iter()
        .filter_map(|s| s.site.as_deref())
        .collect();
    sites.sort_unstable();
    sites.dedup();
    for s in sites {
        d.add_facet(
            f.facets,
            Facet::from(&format!("/site/{}", s.replace('/', "_"))),
        );
    }
    for s in &fact.sources {
        // So that the commit that regroups a claim finds the fact it was in.
        d.add_facet(f.facets, fact_claim_facet(&s.claim));
    }
    let targets: Vec<&str> = fact.targets.iter().map(String::as_str).collect();
    let (object, qualifier) = (&fact.object, fact.qualifier.as_str());
    for facet in super::filter_facets(&targets, object, qualifier, fact.negated) {
        d.add_facet(f.facets, facet);
    }
    // So that reading a fact finds the facts it may conflict with.
    d.add_facet(
        f.facets,
        filing::fact_facet(&fact.grouping.block, fact.qualifier),
    );
    d.add_text(f.data, fact_record(fact));
    d
}

/// A fact's stored record: the fact as `"type": "fact"`, less its conflicts, which are
/// found when it is read ([`shown`]), so a new conflicting figure rewrites no stored
/// fact. Written straight to text, not through a `serde_json::Value` (which was 2.6% of
/// a 20,000-page ingest's CPU); it reads back as the same value.
fn fact_record(fact: &Fact) -> String {
    /// [`Fact`] less its conflicts, borrowed.
    #[derive(serde::Serialize)]
    struct Stored<'a> {
        #[serde(rename = "type")]
        kind: &'static str,
        id: &'a str,
        platform: &'a str,
        countries: &'a [String],
        targets: &'a [String],
        object: &'a str,
        count: Option<u64>,
        qualifier: Qualifier,
        range: Option<dedup::Interval>,
        date: Option<String>,
        first_reported: Option<String>,
        negated: bool,
        sources: &'a [dedup::FactSource],
        source_count: usize,
        independent_sources: usize,
        primary_source: Option<&'a str>,
        grouping: &'a dedup::Grouping,
    }
    let day = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    let stored = Stored {
        kind: "fact",
        id: &fact.id,
        platform: &fact.platform,
        countries: &fact.countries,
        targets: &fact.targets,
        object: &fact.object,
        count: fact.count,
        qualifier: fact.qualifier,
        range: fact.range,
        date: day(fact.date),
        first_reported: day(fact.first_reported),
        negated: fact.negated,
        sources: &fact.sources,
        source_count: fact.source_count,
        independent_sources: fact.independent_sources,
        primary_source: fact.primary_source.as_deref(),
        grouping: &fact.grouping,
    };
    serde_json::to_string(&stored).unwrap_or_else(|_| "null".to_string())
}

/// The committed live claim records at a URL (its canonical form or as written): the
/// claims of the version a new one replaces.
pub fn live_claims_at(kb: &Kb, searcher: &Searcher, url: &str) -> Result<Vec<Value>, KbError> {
    records_where(kb, searcher, "claim", kb.fields.url, url)
        .map(|v| v.into_iter().filter(|c| !superseded(c)).collect())
}

/// The committed claim records of a snapshot.
pub fn claims_of_snapshot(
    kb: &Kb,
    searcher: &Searcher,
    snapshot: &str,
) -> Result<Vec<Value>, KbError> {
    records_where(kb, searcher, "claim", kb.fields.snapshot, snapshot)
}

/// The committed article record of a snapshot (none or one).
pub fn articles_of_snapshot(
    kb: &Kb,
    searcher: &Searcher,
    snapshot: &str,
) -> Result<Vec<Value>, KbError> {
    records_where(kb, searcher, "article", kb.fields.id, snapshot)
}

fn records_where(
    kb: &Kb,
    searcher: &Searcher,
    kind: &str,
    field: tantivy::schema::Field,
    value: &str,
) -> Result<Vec<Value>, KbError> {
    use tantivy::query::{BooleanQuery, Occur, Query};
    let term = |field, v: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, v),
            IndexRecordOption::Basic,
        ))
    };
    let q = BooleanQuery::new(vec![
        (Occur::Must, term(kb.fields.kind, kind)),
        (Occur::Must, term(field, value)),
    ]);
    records_matching(kb, searcher, &q)
}

/// A stored fact record as it is shown: its conflicts found among the facts of its
/// block (an indexed lookup: the candidates are picked by block, qualifier and count
/// in the index, and only theirs are read), the grouping it was stored with left out.
/// A record stored with its conflicts (a knowledge base from before) is shown as stored.
pub fn shown(kb: &Kb, searcher: &Searcher, mut record: Value) -> Result<Value, KbError> {
    if record.get("grouping").is_none() {
        return Ok(record);
    }
    let conflicts = match dedup::StoredFigure::deserialize(&record) {
        Ok(me) => conflicts_of(kb, searcher, &me)?,
        // A record this code cannot read shows no conflicts rather than failing a page.
        Err(_) => Vec::new(),
    };
    if let Value::Object(m) = &mut record {
        m.remove("grouping");
        m.insert(
            "conflicts".into(),
            serde_json::to_value(conflicts).unwrap_or_else(|_| json!([])),
        );
    }
    Ok(record)
}

/// The conflicts of a stored fact, found among the facts filed in its block.
fn conflicts_of(
    kb: &Kb,
    searcher: &Searcher,
    me: &dedup::StoredFigure,
) -> Result<Vec<dedup::Conflict>, KbError> {
    if me.range.is_none() {
        return Ok(Vec::new());
    }
    let mine = Reach {
        block: me.grouping.block.clone(),
        qualifier: me.qualifier,
        count: me.count,
        when: me.grouping.when,
    };
    let mut others = Vec::new();
    for f in filing::list(kb, searcher, filing::FACT_ROOT, &me.grouping.block)? {
        // A fact is filed with its founder's day, the day conflicts are judged by: half
        // the facts of a month's block are too far off to be read at all.
        if !dedup::may_conflict(&mine, &f.reach) {
            continue;
        }
        let doc: TantivyDocument = searcher.doc(f.addr).map_err(tan(kb))?;
        // Read straight from the stored text: only the figure's fields are built.
        let text = doc.get_first(kb.fields.data).and_then(|v| v.as_str());
        if let Some(Ok(other)) = text.map(serde_json::from_str::<dedup::StoredFigure>)
            && other.grouping.founder != me.grouping.founder
        {
            others.push(other);
        }
    }
    let others: Vec<dedup::Figure> = others.iter().map(dedup::StoredFigure::figure).collect();
    Ok(dedup::conflicts_among(&me.figure(), &others))
}

/// Stored fact records as they are shown ([`shown`]).
pub fn shown_all(kb: &Kb, searcher: &Searcher, records: Vec<Value>) -> Result<Vec<Value>, KbError> {
    records
        .into_iter()
        .map(|r| shown(kb, searcher, r))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fact of `count` accounts in one block, founded on `founded`, dated `date`.
    fn fact_of(id: &str, count: u64, founded: (i32, u32, u32), date: (i32, u32, u32)) -> Fact {
        let day = |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d);
        Fact {
            id: id.into(),
            platform: "facebook".into(),
            countries: vec!["IR".into()],
            targets: Vec::new(),
            object: "accounts".into(),
            count: Some(count),
            qualifier: Qualifier::Exact,
            range: Some((count, Some(count))),
            date: day(date),
            first_reported: day(date),
            negated: false,
            sources: vec![dedup::FactSource {
                url: Some(format!("https://example.com/{id}")),
                site: Some("example.com".into()),
                published: None,
                evidence: format!("It removed {count} accounts."),
                snapshot: format!("snap-{id}"),
                story: format!("snap-{id}"),
                claim: format!("claim-{id}"),
                versions: Vec::new(),
            }],
            source_count: 1,
            independent_sources: 1,
            primary_source: None,
            conflicts: Vec::new(),
            grouping: dedup::Grouping {
                block: "meta/said/2020-03/IR".into(),
                founder: format!("claim-{id}"),
                when: day(founded),
                snapshot: format!("snap-{id}"),
                figures: vec![(Some(count), Qualifier::Exact)],
            },
        }
    }

    /// Conflicts are judged by the founders' days, and the filing that picks the facts
    /// to read gives those days, not the facts' takedown dates: two facts founded three
    /// days apart conflict though their takedown dates are weeks apart, and two founded
    /// weeks apart do not though their dates are one.
    #[test]
    fn a_fact_is_read_with_the_conflicts_its_founders_day_allows() {
        let dir = std::env::temp_dir().join(format!("takedowns-founded-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let kb = Kb::open(&dir, true).unwrap();
        let mut writer = kb.writer().unwrap();
        let facts = [
            fact_of("a", 130, (2020, 3, 20), (2020, 3, 1)),
            fact_of("b", 160, (2020, 3, 23), (2020, 3, 28)),
            fact_of("c", 150, (2020, 3, 2), (2020, 3, 23)),
        ];
        add_facts(&kb, &mut writer, &facts).unwrap();
        writer.commit().unwrap();
        let searcher = kb.searcher().unwrap();
        let rivals = |id: &str| -> Vec<String> {
            let f = facts.iter().find(|f| f.id == id).unwrap();
            let me: dedup::StoredFigure = serde_json::from_str(&fact_record(f)).unwrap();
            let mut urls: Vec<String> = conflicts_of(&kb, &searcher, &me)
                .unwrap()
                .into_iter()
                .filter_map(|c| c.url)
                .collect();
            urls.sort();
            urls
        };
        assert_eq!(rivals("a"), ["https://example.com/b"]);
        assert_eq!(rivals("b"), ["https://example.com/a"]);
        assert!(rivals("c").is_empty(), "{:?}", rivals("c"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The record written straight to text reads back as the fact's own serialisation,
    /// less its conflicts, with its type: a field added to [`Fact`] and not to the
    /// stored record fails here.
    #[test]
    fn fact_record_is_the_fact_less_its_conflicts() {
        let source = |claim: &str, site: Option<&str>| dedup::FactSource {
            url: Some(format!("https://example.com/{claim}")),
            site: site.map(str::to_string),
            published: Some("2020-03-03".into()),
            evidence: "It removed about 130 accounts.".into(),
            snapshot: format!("snap-{claim}"),
            story: format!("snap-{claim}"),
            claim: claim.into(),
            versions: if site.is_some() {
                vec!["old".into()]
            } else {
                Vec::new()
            },
        };
        for (date, range, primary) in [
            (
                NaiveDate::from_ymd_opt(2020, 3, 2),
                Some((120, Some(140))),
                None,
            ),
            (
                None,
                Some((131, None)),
                Some("https://about.fb.com/x".to_string()),
            ),
            (None, None, None),
        ] {
            let fact = Fact {
                id: "f1".into(),
                platform: "facebook".into(),
                countries: vec!["IR".into()],
                targets: vec!["US".into(), "GB".into()],
                object: "accounts".into(),
                count: Some(130),
                qualifier: Qualifier::About,
                range,
                date,
                first_reported: NaiveDate::from_ymd_opt(2020, 3, 3),
                negated: false,
                sources: vec![source("c1", Some("example.com")), source("c2", None)],
                source_count: 2,
                independent_sources: 1,
                primary_source: primary,
                conflicts: Vec::new(),
                grouping: dedup::Grouping {
                    block: "meta/said/2020-03/IR".into(),
                    founder: "c1".into(),
                    when: NaiveDate::from_ymd_opt(2020, 3, 2),
                    snapshot: "snap-c1".into(),
                    figures: vec![(Some(130), Qualifier::About), (None, Qualifier::Vague)],
                },
            };
            let mut want = serde_json::to_value(&fact).unwrap();
            if let Value::Object(m) = &mut want {
                m.insert("type".into(), json!("fact"));
                m.remove("conflicts");
            }
            let got: Value = serde_json::from_str(&fact_record(&fact)).unwrap();
            assert_eq!(got, want);
        }
    }
}
