//! Facts kept current in the index, block by block, in the same commit as their claims.
//!
//! Every live claim document carries the facet of its fact block (`/cblock/<key>`,
//! [`dedup::block_key`]) and every fact document that of the block it was grouped in
//! (`/fblock/<key>`). A commit regroups only the blocks its new claims (and the claims
//! its new versions replace) fall in: it reads those blocks' committed claims, adds the
//! pending ones, deletes the blocks' facts and writes the new ones before the one
//! tantivy commit, so a kill at any moment leaves claims and facts of one commit.
//! Grouping is by block only, so this gives the facts a full rebuild gives.

use super::{Fields, Kb, KbError, count_kind, date_value, map_kind};
use crate::dedup::{self, ClaimRow, Fact, PageKey};
use chrono::Datelike;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use tantivy::collector::{Count, DocSetCollector};
use tantivy::query::TermQuery;
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{IndexWriter, Searcher, TantivyDocument, Term};

/// The facet of a block under a prefix (`/cblock` for claims, `/fblock` for facts).
pub fn block_facet(prefix: &str, key: &str) -> Facet {
    Facet::from(&format!("{prefix}/{key}"))
}

/// A claim record as fact building sees it; `None` for a record that is not a claim.
pub fn claim_row(c: &Value) -> Option<ClaimRow> {
    let claim: crate::claims::Claim = serde_json::from_value(c.clone()).ok()?;
    // A figure inferred from the story alone is shown in search, marked, but does not
    // make or join a fact: facts and verify stand on high and medium readings.
    if claim.confidence == crate::claims::Confidence::Low {
        return None;
    }
    let snapshot = c["snapshot"].as_str()?.to_string();
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect()
    };
    let hash = |v: &Value| v.as_str().and_then(|s| s.parse::<u64>().ok());
    let k = &c["page_key"];
    let page = hash(&k["text_hash"]).map(|text_hash| PageKey {
        snapshot: snapshot.clone(),
        url: c["canonical"].as_str().map(str::to_string),
        text_hash,
        simhash: hash(&k["simhash"]).unwrap_or(0),
        words: k["words"].as_u64().unwrap_or(0) as usize,
        paragraphs: k["paragraphs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(hash)
            .collect(),
    });
    Some(ClaimRow {
        id: c["id"].as_str()?.to_string(),
        family: crate::claims::lexicon::family(&claim.platform).to_string(),
        platform: claim.platform,
        countries: claim.countries,
        targets: claim.targets,
        object: claim.object,
        count: claim.count,
        qualifier: claim.qualifier,
        date: claim.date,
        negated: claim.negated,
        url: c["url"].as_str().map(str::to_string),
        site: c["site"].as_str().map(str::to_string),
        published: c["published"].as_str().map(str::to_string),
        evidence: claim.evidence,
        snapshot,
        primary: c["primary"].as_bool().unwrap_or(false),
        versions: strings(&c["versions"]),
        page,
    })
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

/// Whether the knowledge base keeps its facts by block: every claim filed under a block
/// or as an old version, every fact under a block. A knowledge base made before that is
/// regrouped whole at the end of each ingest instead.
pub fn kept_by_block(kb: &Kb, searcher: &Searcher) -> Result<bool, KbError> {
    let claims = count_kind(kb, searcher, "claim")?;
    let facts = count_kind(kb, searcher, "fact")?;
    Ok(claims
        == count_facet(kb, searcher, "/cblock")? + count_facet(kb, searcher, super::OLD_VERSION)?
        && facts == count_facet(kb, searcher, "/fblock")?)
}

/// The stored records of the documents carrying a facet.
fn records_with(kb: &Kb, searcher: &Searcher, facet: &Facet) -> Result<Vec<Value>, KbError> {
    let q = TermQuery::new(
        Term::from_facet(kb.fields.facets, facet),
        IndexRecordOption::Basic,
    );
    records_matching(kb, searcher, &q)
}

/// The stored records of every document a query matches, in index order.
fn records_matching(
    kb: &Kb,
    searcher: &Searcher,
    q: &dyn tantivy::query::Query,
) -> Result<Vec<Value>, KbError> {
    let mut addrs: Vec<_> = searcher
        .search(q, &DocSetCollector)
        .map_err(tan(kb))?
        .into_iter()
        .collect();
    addrs.sort();
    let mut out = Vec::with_capacity(addrs.len());
    for a in addrs {
        let doc: TantivyDocument = searcher.doc(a).map_err(tan(kb))?;
        out.push(kb.data(&doc));
    }
    Ok(out)
}

/// Claims to add in a commit, by block, and committed claims the commit replaces.
#[derive(Debug, Default)]
pub struct Pending {
    /// New live claims by block.
    pub rows: BTreeMap<String, Vec<ClaimRow>>,
    /// Blocks whose committed claims the commit marks as old versions.
    pub emptied: BTreeSet<String>,
    /// Ids of the committed claims marked as old versions.
    pub replaced: HashSet<String>,
}

impl Pending {
    /// Adds a new live claim.
    pub fn add(&mut self, row: ClaimRow) {
        self.rows
            .entry(dedup::block_key(&row))
            .or_default()
            .push(row);
    }

    /// Notes a committed claim that this commit marks as an old version.
    pub fn replace(&mut self, row: &ClaimRow) {
        self.emptied.insert(dedup::block_key(row));
        self.replaced.insert(row.id.clone());
    }
}

/// Regroups the blocks a commit touches: their committed claims (less those replaced)
/// and the pending ones; deletes the blocks' facts and adds the new ones. A super-block
/// holding reports that name no country is regrouped whole, since those may join a fact
/// of any of its blocks. Returns the facts written.
pub fn regroup(
    kb: &Kb,
    searcher: &Searcher,
    writer: &mut IndexWriter,
    pending: &Pending,
) -> Result<usize, KbError> {
    let mut supers: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for key in pending.rows.keys().chain(&pending.emptied) {
        supers
            .entry(dedup::super_key(key))
            .or_default()
            .insert(key.as_str());
    }
    let mut written = 0;
    for (sup, keys) in supers {
        let whole = keys.iter().any(|k| dedup::is_countryless(k))
            || count_facet(kb, searcher, &format!("/cblock/{sup}/none"))? > 0;
        let scopes: Vec<&str> = if whole {
            vec![sup]
        } else {
            keys.iter().copied().collect()
        };
        let mut rows: Vec<ClaimRow> = Vec::new();
        for scope in &scopes {
            for c in records_with(kb, searcher, &block_facet("/cblock", scope))? {
                if let Some(r) =
                    claim_row(&c).filter(|r| !superseded(&c) && !pending.replaced.contains(&r.id))
                {
                    rows.push(r);
                }
            }
            writer.delete_term(Term::from_facet(
                kb.fields.facets,
                &block_facet("/fblock", scope),
            ));
        }
        let in_scope = |k: &str| {
            if whole {
                dedup::super_key(k) == sup
            } else {
                keys.contains(k)
            }
        };
        for (k, new) in &pending.rows {
            if in_scope(k) {
                rows.extend(new.iter().cloned());
            }
        }
        let refs: Vec<&ClaimRow> = rows.iter().collect();
        for fact in dedup::super_block_facts(&refs) {
            writer
                .add_document(fact_document(&kb.fields, &fact))
                .map_err(tan(kb))?;
            written += 1;
        }
    }
    Ok(written)
}

/// Every live claim of the knowledge base, as fact building sees it.
pub fn live_rows(kb: &Kb, searcher: &Searcher) -> Result<Vec<ClaimRow>, KbError> {
    map_kind(kb, searcher, "claim", |c| {
        if superseded(&c) { None } else { claim_row(&c) }
    })
}

/// Regroups every live claim into facts and replaces every fact document (a knowledge
/// base made before facts were kept by block). Deterministic: the same archive gives
/// the same facts and ids.
pub fn rebuild_facts(kb: &Kb, writer: &mut IndexWriter) -> Result<usize, KbError> {
    let searcher = kb.searcher()?;
    let facts = dedup::facts(&live_rows(kb, &searcher)?);
    writer.delete_term(Term::from_field_text(kb.fields.kind, "fact"));
    for f in &facts {
        writer
            .add_document(fact_document(&kb.fields, f))
            .map_err(tan(kb))?;
    }
    Ok(facts.len())
}

/// Regroups every super-block of a knowledge base that keeps its facts by block, one
/// super-block at a time, so memory follows the largest super-block, not the claims
/// (a knowledge base indexed without going through ingest, such as the benchmark's).
pub fn regroup_all(kb: &Kb, writer: &mut IndexWriter) -> Result<usize, KbError> {
    let searcher = kb.searcher()?;
    let supers: BTreeSet<String> = map_kind(kb, &searcher, "claim", |c| {
        (!superseded(&c))
            .then(|| claim_row(&c))
            .flatten()
            .map(|r| dedup::super_key(&dedup::block_key(&r)).to_string())
    })?
    .into_iter()
    .collect();
    writer.delete_term(Term::from_field_text(kb.fields.kind, "fact"));
    let mut written = 0;
    for sup in supers {
        let rows: Vec<ClaimRow> = records_with(kb, &searcher, &block_facet("/cblock", &sup))?
            .iter()
            .filter(|c| !superseded(c))
            .filter_map(claim_row)
            .collect();
        let refs: Vec<&ClaimRow> = rows.iter().collect();
        for fact in dedup::super_block_facts(&refs) {
            writer
                .add_document(fact_document(&kb.fields, &fact))
                .map_err(tan(kb))?;
            written += 1;
        }
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
    let targets: Vec<&str> = fact.targets.iter().map(String::as_str).collect();
    let (object, qualifier) = (&fact.object, fact.qualifier.as_str());
    for facet in super::filter_facets(&targets, object, qualifier, fact.negated) {
        d.add_facet(f.facets, facet);
    }
    d.add_facet(f.facets, block_facet("/fblock", &fact.block));
    let mut v = serde_json::to_value(fact).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.insert("type".into(), json!("fact"));
        m.remove("block");
    }
    d.add_text(f.data, v.to_string());
    d
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
