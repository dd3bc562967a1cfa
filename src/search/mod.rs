//! Search over claims: full text, filters, and facet counts over every match.
//!
//! A [`Query`] is checked when it is built (country by ISO code or English name, dates
//! as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, limits in range, query text short and shallow
//! enough) so nothing malformed reaches tantivy. Hits are ranked by relevance when there
//! is query text, by date (newest first) when there is not.

mod facets;
mod relevance;
mod words;

use crate::claims::{lexicon, text};
use crate::index::{Kb, KbError};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::ops::Bound;
use std::sync::{LazyLock, Mutex};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, Occur, Query as TQuery, QueryParser, QueryParserError,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DateTime, Order, TantivyDocument, Term};

/// A bad query: the user's input, said plainly.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query text does not parse.
    #[error("query syntax: {0}")]
    Syntax(String),
    /// The query text is longer than allowed.
    #[error("query is {0} characters long; at most {MAX_QUERY_CHARS} are accepted")]
    TooLong(usize),
    /// The query nests deeper than allowed.
    #[error("query nests {0} levels deep; at most {MAX_QUERY_DEPTH} are accepted")]
    TooDeep(usize),
    /// Not a country this knows.
    #[error("unknown country {0:?} (use an ISO code such as IR or a name such as Iran)")]
    UnknownCountry(String),
    /// Not a date.
    #[error("bad date {0:?} (use YYYY, YYYY-MM or YYYY-MM-DD)")]
    BadDate(String),
    /// A date the index cannot hold.
    #[error("date {0:?} is outside the years {FIRST_YEAR}–{LAST_YEAR} that the index holds")]
    DateOutOfRange(String),
    /// A limit or offset out of range.
    #[error("{0}")]
    OutOfRange(String),
    /// Not a platform this knows.
    #[error("unknown platform {0:?}; known platforms: {known}; families: {families}", known = lexicon::platform_ids().join(", "), families = lexicon::family_ids().join(", "))]
    UnknownPlatform(String),
    /// The query names a field that cannot be searched.
    #[error("unknown field {0:?} in the query; the fields are {fields}", fields = QUERY_FIELDS.join(", "))]
    UnknownField(String),
    /// A query term on a number field whose value is not a number.
    #[error(
        "{0:?} in the query: {1} takes a whole number such as 1000, or a range such as [500 TO 5000]"
    )]
    BadNumber(String, String),
    /// The knowledge base failed.
    #[error(transparent)]
    Kb(#[from] KbError),
}

/// Longest query text accepted.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Deepest parenthesis nesting accepted.
pub const MAX_QUERY_DEPTH: usize = 8;

/// A checked search request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Query {
    /// Full-text query (tantivy syntax), if any.
    pub text: Option<String>,
    /// Origin country, ISO code.
    pub country: Option<String>,
    /// Target country, ISO code.
    pub target: Option<String>,
    /// Platform id, or a family id that takes in every platform of the company.
    pub platform: Option<String>,
    /// Site (host name, as the facet shows it).
    pub site: Option<String>,
    /// First day included.
    pub since: Option<NaiveDate>,
    /// Last day included.
    pub until: Option<NaiveDate>,
    /// Smallest count.
    pub min_count: Option<u64>,
    /// Object kind ("accounts", "pages"): reports whose object names it.
    pub object: Option<String>,
    /// Qualifier of the figure ("exact", "more_than", …).
    pub qualifier: Option<String>,
    /// Only negated reports (true), or only the others (false).
    pub negated: Option<bool>,
    /// Order of the hits.
    pub sort: Sort,
    /// Smallest or oldest first instead of largest or newest.
    pub asc: bool,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Claims of every version of a page, not only of its latest.
    pub all_versions: bool,
}

/// The order of hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// By relevance to the query text; by date when there is none.
    #[default]
    Relevance,
    /// Newest first (the claim's date, else its page's).
    Date,
    /// Largest figure first; reports without a figure last.
    Count,
}

impl Sort {
    /// The sort a name gives ("relevance", "date", "count").
    pub fn parse(s: &str) -> Result<Sort, SearchError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "relevance" => Ok(Sort::Relevance),
            "date" => Ok(Sort::Date),
            "count" => Ok(Sort::Count),
            _ => Err(SearchError::OutOfRange(format!(
                "sort is relevance, date or count, not {s:?}"
            ))),
        }
    }
}

/// A search as the user gave it, each filter as text, before anything is checked.
#[derive(Debug, Clone, Copy, Default)]
pub struct Request<'a> {
    /// Query text.
    pub text: Option<&'a str>,
    /// Origin country: code or name.
    pub country: Option<&'a str>,
    /// Target country: code or name.
    pub target: Option<&'a str>,
    /// Platform or family: id or name.
    pub platform: Option<&'a str>,
    /// Site.
    pub site: Option<&'a str>,
    /// From this date.
    pub since: Option<&'a str>,
    /// Up to this date.
    pub until: Option<&'a str>,
    /// Smallest count.
    pub min_count: Option<u64>,
    /// Object kind.
    pub object: Option<&'a str>,
    /// Qualifier.
    pub qualifier: Option<&'a str>,
    /// Negated or not.
    pub negated: Option<bool>,
    /// Sort name.
    pub sort: Option<&'a str>,
    /// Reverse the sort.
    pub asc: bool,
    /// Hits to skip.
    pub offset: usize,
    /// Hits to return.
    pub limit: usize,
    /// Every version of a page.
    pub all_versions: bool,
}

/// The qualifiers a figure may carry, as the index files them.
pub const QUALIFIERS: &[&str] = &[
    "exact",
    "more_than",
    "at_least",
    "about",
    "nearly",
    "up_to",
    "vague",
];

/// Hits that may be skipped: deep pages cost a sort over everything before them.
pub const MAX_OFFSET: usize = 10_000;

/// The ISO code for a country given as a code or an English name ("IR", "Iran").
pub fn country_code(s: &str) -> Result<String, SearchError> {
    let t = s.trim();
    if t.len() == 2 && t.chars().all(|c| c.is_ascii_alphabetic()) {
        let up = t.to_ascii_uppercase();
        if lexicon::is_country_code(&up) {
            return Ok(up);
        }
    }
    let toks = text::tokens(t);
    match lexicon::country_at(&toks, 0) {
        Some(h) if h.len == toks.len() => Ok(h.code.to_string()),
        _ => Err(SearchError::UnknownCountry(s.to_string())),
    }
}

/// A date or the first (`end` false) or last day of a month or year.
pub fn parse_date(s: &str, end: bool) -> Result<NaiveDate, SearchError> {
    let d = parse_any_date(s, end)?;
    if (FIRST_YEAR..=LAST_YEAR).contains(&d.year()) {
        Ok(d)
    } else {
        Err(SearchError::DateOutOfRange(s.trim().to_string()))
    }
}

/// The first year a date filter may name.
pub const FIRST_YEAR: i32 = 1900;
/// The last year a date filter may name: the index keeps dates as nanosecond timestamps,
/// which end in 2262, so a later bound would wrap around and match every claim.
pub const LAST_YEAR: i32 = 2200;

fn parse_any_date(s: &str, end: bool) -> Result<NaiveDate, SearchError> {
    let bad = || SearchError::BadDate(s.to_string());
    let parts: Vec<&str> = s.trim().split('-').collect();
    let num = |p: &str| p.parse::<u32>().map_err(|_| bad());
    match parts.as_slice() {
        [y] if y.len() == 4 => {
            let y = num(y)? as i32;
            NaiveDate::from_ymd_opt(y, if end { 12 } else { 1 }, if end { 31 } else { 1 })
                .ok_or_else(bad)
        }
        [y, m] if y.len() == 4 => {
            let (y, m) = (num(y)? as i32, num(m)?);
            let first = NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(bad)?;
            if end {
                let next = if m == 12 {
                    NaiveDate::from_ymd_opt(y + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(y, m + 1, 1)
                };
                next.and_then(|n| n.pred_opt()).ok_or_else(bad)
            } else {
                Ok(first)
            }
        }
        [y, m, d] if y.len() == 4 => {
            NaiveDate::from_ymd_opt(num(y)? as i32, num(m)?, num(d)?).ok_or_else(bad)
        }
        _ => Err(bad()),
    }
}

/// A platform id from a name or alias ("X" → twitter).
pub fn platform_id(s: &str) -> Option<String> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("x") {
        return Some("twitter".into());
    }
    let lower = t.to_lowercase();
    if lexicon::is_platform_id(&lower) {
        return Some(lower);
    }
    lexicon::platform_of_name(t).map(str::to_string)
}

/// A platform id, or a family id ("meta", "automattic") whose platforms a filter takes in.
fn platform_or_family(s: &str) -> Option<String> {
    let lower = s.trim().to_lowercase();
    if !lexicon::family_members(&lower).is_empty() {
        return Some(lower);
    }
    platform_id(s)
}

/// The platforms a platform filter takes in: a family's every platform ("meta" →
/// facebook, instagram, …), else the one platform.
pub fn platforms_of(p: &str) -> Vec<String> {
    let members = lexicon::family_members(p);
    if members.is_empty() {
        vec![p.to_string()]
    } else {
        members.into_iter().map(str::to_string).collect()
    }
}

/// The fields a query may name (`evidence:removed`, `count:[500 TO 5000]`).
pub const QUERY_FIELDS: &[&str] = &["evidence", "title", "body", "platform", "count", "url"];

/// The fields that hold numbers.
const NUMBER_FIELDS: &[&str] = &["count"];

/// Each `field:value` term of a query, outside quoted phrases, as (field, value).
fn field_terms(q: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut quoted = false;
    let mut start = None;
    let b = q.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'"' => quoted = !quoted,
            _ if quoted => {}
            b':' => {
                if let Some(s) = start.filter(|&s| s < i) {
                    let rest = &q[i + 1..];
                    let end = rest
                        .find(|c: char| c.is_whitespace() || c == ')')
                        .unwrap_or(rest.len());
                    out.push((&q[s..i], &rest[..end]));
                }
                start = None;
            }
            _ if c.is_ascii_alphanumeric() || c == b'_' => {
                if start.is_none() {
                    start = Some(i);
                }
            }
            _ => start = None,
        }
    }
    out
}

/// Whether a number field's value is one the parser takes: digits, a bracketed range or
/// a comparison (`>500`).
fn is_number_value(v: &str) -> bool {
    let v = v.trim_start_matches(['>', '<', '=']);
    v.starts_with(['[', '{']) || (!v.is_empty() && v.bytes().all(|c| c.is_ascii_digit()))
}

/// Refuses fields a user cannot search and numbers that are not numbers, naming the term,
/// before the parser gives a message without it.
fn check_fields(q: &str) -> Result<(), SearchError> {
    for (field, value) in field_terms(q) {
        let lower = field.to_ascii_lowercase();
        if !QUERY_FIELDS.contains(&lower.as_str()) {
            return Err(SearchError::UnknownField(field.to_string()));
        }
        if NUMBER_FIELDS.contains(&lower.as_str()) && !is_number_value(value) {
            return Err(SearchError::BadNumber(format!("{field}:{value}"), lower));
        }
    }
    Ok(())
}

/// Refuses query text that is too long or nests too deep, before any parser sees it.
pub fn check_text(q: &str) -> Result<(), SearchError> {
    let n = q.chars().count();
    if n > MAX_QUERY_CHARS {
        return Err(SearchError::TooLong(n));
    }
    let (mut depth, mut max) = (0usize, 0usize);
    for c in q.chars() {
        match c {
            '(' => {
                depth += 1;
                max = max.max(depth);
            }
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if max > MAX_QUERY_DEPTH {
        return Err(SearchError::TooDeep(max));
    }
    check_fields(q)
}

/// Facet counts: value and count, most first.
pub type FacetCounts = Vec<(String, u64)>;

/// Search results, as `search --json` and `/api/search` print them.
#[derive(Debug, Clone, Serialize)]
pub struct Hits {
    /// Claims matching.
    pub total: usize,
    /// Matches skipped before the first hit.
    pub offset: usize,
    /// Most hits asked for.
    pub limit: usize,
    /// The hits: Claim + article fields + id, and the evidence highlighted.
    pub hits: Vec<Value>,
    /// Facet counts over all matches.
    pub facets: Facets,
}

/// Facet counts by dimension.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    /// Origin countries.
    pub country: FacetCounts,
    /// Platforms.
    pub platform: FacetCounts,
    /// Years.
    pub year: FacetCounts,
    /// Sites.
    pub site: FacetCounts,
}

impl Facets {
    /// These counts less those of a subset of the documents they count, in the same
    /// order (largest first, then by name), values left with none dropped.
    fn less(&self, part: &Facets) -> Facets {
        fn minus(all: &FacetCounts, part: &FacetCounts) -> FacetCounts {
            let part: HashMap<&str, u64> = part.iter().map(|(k, n)| (k.as_str(), *n)).collect();
            let mut out: FacetCounts = all
                .iter()
                .map(|(k, n)| {
                    (
                        k.clone(),
                        n.saturating_sub(part.get(k.as_str()).copied().unwrap_or(0)),
                    )
                })
                .filter(|(_, n)| *n > 0)
                .collect();
            out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            out
        }
        Facets {
            country: minus(&self.country, &part.country),
            platform: minus(&self.platform, &part.platform),
            year: minus(&self.year, &part.year),
            site: minus(&self.site, &part.site),
        }
    }
}

fn date_value(d: NaiveDate) -> DateTime {
    let secs = d
        .and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp());
    DateTime::from_timestamp_secs(secs)
}

/// The tantivy query for a checked [`Query`] over documents of one kind ("claim" or
/// "fact"): full text over the kind's text fields, and the filters as facet, date and
/// count clauses.
fn query_for(kb: &Kb, q: &Query, kind: &str) -> Result<Box<dyn TQuery>, SearchError> {
    // The filters do not score: a hit ranks by its text alone, whichever platform of a
    // family or facet it matched by.
    let mut parts: Vec<(Occur, Box<dyn TQuery>)> = filter_parts(kb, q, kind)
        .into_iter()
        .map(|(occur, part)| -> (Occur, Box<dyn TQuery>) {
            (occur, Box::new(ConstScoreQuery::new(part, 0.0)))
        })
        .collect();
    if let Some(text) = text_query(kb, q, kind)? {
        parts.push((Occur::Must, text));
    }
    Ok(Box::new(BooleanQuery::new(parts)))
}

/// The full-text part of a query, if it has one: the only part that scores.
fn text_query(kb: &Kb, q: &Query, kind: &str) -> Result<Option<Box<dyn TQuery>>, SearchError> {
    let Some(text) = q.text.as_deref().filter(|t| !t.trim().is_empty()) else {
        return Ok(None);
    };
    check_text(text)?;
    let f = &kb.fields;
    let fields = if kind == "claim" {
        vec![f.evidence, f.title, f.body]
    } else {
        vec![f.evidence]
    };
    let mut parser = QueryParser::for_index(kb.index(), fields.clone());
    for field in fields {
        parser.set_field_boost(field, field_boost(kb, field));
    }
    parser.set_conjunction_by_default();
    let parsed = parser.parse_query(text).map_err(|e| match e {
        QueryParserError::FieldDoesNotExist(f) => SearchError::UnknownField(f),
        other => SearchError::Syntax(other.to_string()),
    })?;
    Ok(Some(parsed))
}

/// How much a word found in a field counts: the claim's own sentence most, the page's
/// title more than its body.
fn field_boost(kb: &Kb, field: tantivy::schema::Field) -> tantivy::Score {
    let f = &kb.fields;
    if field == f.evidence {
        3.0
    } else if field == f.title {
        1.5
    } else {
        1.0
    }
}

/// Every clause of a query but its full text: the kind, the latest versions, the
/// facets, dates and counts asked for.
fn filter_parts(kb: &Kb, q: &Query, kind: &str) -> Vec<(Occur, Box<dyn TQuery>)> {
    let f = &kb.fields;
    let mut parts: Vec<(Occur, Box<dyn TQuery>)> = vec![(
        Occur::Must,
        Box::new(TermQuery::new(
            Term::from_field_text(f.kind, kind),
            IndexRecordOption::Basic,
        )),
    )];
    let facet = |path: String| -> Box<dyn TQuery> {
        Box::new(TermQuery::new(
            Term::from_facet(f.facets, &Facet::from(&path)),
            IndexRecordOption::Basic,
        ))
    };
    if kind == "claim" && !q.all_versions {
        // Versions of one URL are one source: the latest speaks.
        parts.push((Occur::MustNot, facet(crate::index::OLD_VERSION.to_string())));
    }
    let mut must = |path: String| parts.push((Occur::Must, facet(path)));
    if let Some(c) = &q.country {
        must(format!("/country/{c}"));
    }
    if let Some(c) = &q.target {
        must(format!("/target/{c}"));
    }
    if let Some(s) = &q.site {
        must(format!("/site/{}", s.replace('/', "_")));
    }
    if let Some(o) = &q.object {
        must(format!("/object/{o}"));
    }
    if let Some(x) = &q.qualifier {
        must(format!("/qualifier/{x}"));
    }
    if let Some(p) = &q.platform {
        let any: Vec<(Occur, Box<dyn TQuery>)> = platforms_of(p)
            .into_iter()
            .map(|p| (Occur::Should, facet(format!("/platform/{p}"))))
            .collect();
        parts.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    match q.negated {
        Some(true) => parts.push((Occur::Must, facet(crate::index::NEGATED.to_string()))),
        Some(false) => parts.push((Occur::MustNot, facet(crate::index::NEGATED.to_string()))),
        None => {}
    }
    if q.since.is_some() || q.until.is_some() {
        let bound = |d: Option<NaiveDate>| {
            d.map_or(Bound::Unbounded, |d| {
                Bound::Included(Term::from_field_date(f.when, date_value(d)))
            })
        };
        parts.push((
            Occur::Must,
            Box::new(RangeQuery::new(bound(q.since), bound(q.until))),
        ));
    }
    if let Some(n) = q.min_count {
        parts.push((
            Occur::Must,
            Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_u64(f.count, n)),
                Bound::Unbounded,
            )),
        ));
    }
    parts
}

/// The tantivy query for a checked [`Query`] over facts.
pub fn fact_query(kb: &Kb, q: &Query) -> Result<Box<dyn TQuery>, SearchError> {
    query_for(kb, q, "fact")
}

/// The tantivy query for a checked [`Query`] over claims.
pub fn build_query(kb: &Kb, q: &Query) -> Result<Box<dyn TQuery>, SearchError> {
    query_for(kb, q, "claim")
}

/// Counts the totals of the lists without a text, of claims and of facts, on the
/// knowledge base's current commit, so that no request pays for that pass over every
/// document: a front page asks it first, and a text that matches most claims is counted
/// from it ([`totals_by_misses`]). `serve` runs it at each commit it sees.
pub fn warm(kb: &Kb) -> Result<(), SearchError> {
    let q = Request {
        limit: 1,
        ..Request::default()
    }
    .check(1)?;
    let searcher = kb.searcher()?;
    for kind in ["claim", "fact"] {
        let query = query_for(kb, &q, kind)?;
        totals_cached(kb, &searcher, &*query, &q, kind)?;
    }
    Ok(())
}

/// Runs a search.
pub fn search(kb: &Kb, q: &Query) -> Result<Hits, SearchError> {
    let searcher = kb.searcher()?;
    let query = build_query(kb, q)?;
    let (total, facets) = totals_cached(kb, &searcher, &*query, q, "claim")?;
    let addrs = match date_window(q, total, &facets.year) {
        Some(narrow) => top(
            kb,
            &searcher,
            &*build_query(kb, &narrow)?,
            &narrow,
            "claim",
            total,
        )?,
        None => top(kb, &searcher, &*query, q, "claim", total)?,
    };
    let snippets = if q.text.is_some() {
        SnippetGenerator::create(&searcher, &*query, kb.fields.evidence).ok()
    } else {
        None
    };
    let tan = index_error(kb);
    let mut hits = Vec::with_capacity(addrs.len());
    for a in addrs {
        let doc: TantivyDocument = searcher.doc(a).map_err(&tan)?;
        let mut v = kb.data(&doc);
        if let (Some(g), Value::Object(m)) = (&snippets, &mut v) {
            let snip = g.snippet_from_doc(&doc);
            if !snip.highlighted().is_empty() {
                m.insert("highlight".into(), Value::String(snip.to_html()));
            }
        }
        hits.push(v);
    }
    Ok(Hits {
        total,
        offset: q.offset,
        limit: q.limit,
        hits,
        facets,
    })
}

/// Searches whose totals are kept, over every knowledge base and commit in the process:
/// each entry holds a few hundred facet values, so the cache stays within a few MiB.
const TOTALS_KEPT: usize = 512;

/// The totals of recent searches, by knowledge base, commit and filters. A commit changes
/// what matches, so the commit is part of the key and entries of older commits age out.
struct TotalsCache {
    entries: HashMap<TotalsKey, (usize, Facets)>,
    /// Keys from least to most recently used.
    order: VecDeque<TotalsKey>,
}

/// What makes two searches count the same: the knowledge base, its commit, the kind of
/// record counted, and the query without its paging and order.
type TotalsKey = (std::path::PathBuf, u64, &'static str, Query);

static TOTALS: LazyLock<Mutex<TotalsCache>> = LazyLock::new(|| {
    Mutex::new(TotalsCache {
        entries: HashMap::new(),
        order: VecDeque::new(),
    })
});

/// A number that changes with every commit the searcher sees: its segments and their
/// deletes.
fn commit_of(searcher: &tantivy::Searcher) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for (segment, deletes) in searcher.generation().segments() {
        segment.uuid_string().hash(&mut h);
        deletes.hash(&mut h);
    }
    h.finish()
}

/// [`totals`], from the cache when the same filters were counted on this commit. The
/// facet counts of a broad search pass over most of the knowledge base; the questions
/// people ask repeat (the front page, a country, a year), so each is counted once per
/// commit, and a text that matches most of what its filters match is counted from the
/// filters' kept counts ([`totals_by_misses`]).
fn totals_cached(
    kb: &Kb,
    searcher: &tantivy::Searcher,
    query: &dyn TQuery,
    q: &Query,
    kind: &'static str,
) -> Result<(usize, Facets), SearchError> {
    let key = totals_key(kb, searcher, q, kind);
    if let Some(hit) = kept_totals(&key) {
        return Ok(hit);
    }
    let dims = if kind == "fact" { &DIMS[2..3] } else { DIMS };
    let counted = match totals_by_misses(kb, searcher, query, q, kind, dims)? {
        Some(counted) => counted,
        None => totals(kb, searcher, query, dims)?,
    };
    keep_totals(key, &counted);
    Ok(counted)
}

/// The cache key of a query's totals on the searcher's commit.
fn totals_key(kb: &Kb, searcher: &tantivy::Searcher, q: &Query, kind: &'static str) -> TotalsKey {
    (
        kb.dir().to_path_buf(),
        commit_of(searcher),
        kind,
        Query {
            sort: Sort::default(),
            asc: false,
            limit: 0,
            offset: 0,
            ..q.clone()
        },
    )
}

/// The totals kept for this key, marked as just used.
fn kept_totals(key: &TotalsKey) -> Option<(usize, Facets)> {
    // A poisoned lock only means another search panicked while holding it: the cache is
    // then skipped, never trusted half-written.
    let mut cache = TOTALS.lock().ok()?;
    let hit = cache.entries.get(key).cloned()?;
    if let Some(at) = cache.order.iter().position(|k| k == key) {
        cache.order.remove(at);
    }
    cache.order.push_back(key.clone());
    Some(hit)
}

/// Keeps totals, dropping the least recently used beyond [`TOTALS_KEPT`].
fn keep_totals(key: TotalsKey, counted: &(usize, Facets)) {
    if let Ok(mut cache) = TOTALS.lock() {
        while cache.order.len() >= TOTALS_KEPT {
            if let Some(old) = cache.order.pop_front() {
                cache.entries.remove(&old);
            }
        }
        if cache.entries.insert(key.clone(), counted.clone()).is_none() {
            cache.order.push_back(key);
        }
    }
}

/// The totals of a text that matches most of what its filters match ("coordinated
/// inauthentic" in a knowledge base of takedowns): the filters' counts, kept for this
/// commit, less the counts of the documents the text misses. Counting facets costs a
/// column read per value of every document counted; this reads the few misses' values
/// instead of nearly every document's. `None` when the filters' counts are not kept, the
/// text's words are too rare to match half of them, or the text matches under half.
fn totals_by_misses(
    kb: &Kb,
    searcher: &tantivy::Searcher,
    query: &dyn TQuery,
    q: &Query,
    kind: &'static str,
    dims: &'static [&'static str],
) -> Result<Option<(usize, Facets)>, SearchError> {
    let Some(text) = text_query(kb, q, kind)? else {
        return Ok(None);
    };
    let filters = Query {
        text: None,
        ..q.clone()
    };
    let Some((all, all_facets)) = kept_totals(&totals_key(kb, searcher, &filters, kind)) else {
        return Ok(None);
    };
    if words_reach(searcher, &*text) * 2 <= all as u64 {
        return Ok(None);
    }
    let tan = index_error(kb);
    let total = searcher.search(query, &Count).map_err(&tan)?;
    if total * 2 <= all {
        return Ok(None);
    }
    let mut parts = filter_parts(kb, q, kind);
    parts.push((Occur::MustNot, text));
    let (missed, missed_facets) = totals(kb, searcher, &BooleanQuery::new(parts), dims)?;
    // Every document the filters match either holds the text or not; if the counts say
    // otherwise, count the matches themselves.
    if total + missed != all {
        return Ok(None);
    }
    Ok(Some((total, all_facets.less(&missed_facets))))
}

/// How many documents hold any word of a query, at most (the sum of its terms' document
/// frequencies): a text whose words are all rare cannot match most documents.
fn words_reach(searcher: &tantivy::Searcher, query: &dyn TQuery) -> u64 {
    let mut reach = 0u64;
    query.query_terms(&mut |term, _| {
        reach = reach.saturating_add(searcher.doc_freq(term).unwrap_or(u64::MAX));
    });
    reach
}

/// The dimensions a search counts its matches by.
const DIMS: &[&str] = &["/country", "/platform", "/year", "/site"];

/// How many documents match and their counts in each of `dims` (some of [`DIMS`], in
/// its order), over every match.
fn totals(
    kb: &Kb,
    searcher: &tantivy::Searcher,
    query: &dyn TQuery,
    dims: &'static [&'static str],
) -> Result<(usize, Facets), SearchError> {
    let (total, counted) = searcher
        .search(query, &(Count, facets::DimCounts::new("facets", dims)))
        .map_err(index_error(kb))?;
    let mut by_dim: HashMap<&str, FacetCounts> = dims
        .iter()
        .copied()
        .zip(counted.into_iter().map(|mut v: FacetCounts| {
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            v
        }))
        .collect();
    let mut take = |d: &str| by_dim.remove(d).unwrap_or_default();
    let facets = Facets {
        country: take("/country"),
        platform: take("/platform"),
        year: take("/year"),
        site: take("/site"),
    };
    Ok((total, facets))
}

/// The query narrowed to the latest years (the earliest when ascending) that hold the
/// page asked for, when hits are listed by date. Ordering by date reads the date of every
/// match; the per-year counts of the matches are already known, so when the newest years
/// hold `offset + limit` matches, every older match ranks below the page and need not be
/// read. The page is the same: all matches of the years kept are still ordered whole.
fn date_window(q: &Query, total: usize, years: &FacetCounts) -> Option<Query> {
    let by_date = q.sort == Sort::Date || (q.sort == Sort::Relevance && q.text.is_none());
    if !by_date {
        return None;
    }
    let mut counted: Vec<(i32, u64)> = years
        .iter()
        .filter_map(|(y, n)| Some((y.parse().ok()?, *n)))
        .collect();
    let dated: u64 = counted.iter().map(|(_, n)| n).sum();
    // Undated matches sort first when ascending: only narrow when there are none.
    if q.asc && dated != total as u64 {
        return None;
    }
    counted.sort_unstable_by_key(|&(y, _)| if q.asc { y } else { -y });
    let need = (q.offset + q.limit.max(1)) as u64;
    let mut held = 0;
    let (last, _) = *counted.iter().find(|&&(_, n)| {
        held += n;
        held >= need
    })?;
    if counted.last().is_some_and(|&(y, _)| y == last) {
        return None;
    }
    let mut narrow = q.clone();
    if q.asc {
        let end = NaiveDate::from_ymd_opt(last, 12, 31)?;
        narrow.until = Some(q.until.map_or(end, |u| u.min(end)));
    } else {
        let start = NaiveDate::from_ymd_opt(last, 1, 1)?;
        narrow.since = Some(q.since.map_or(start, |s| s.max(start)));
    }
    Some(narrow)
}

/// Matches of a filtered query few enough to score them all: the whole query, led by
/// its rarest clause, then beats walking every match of the text (about 50 ns a match
/// scored, against 15–35 ms for a common word's matches at a million claims).
const SCORED_IN_FULL: usize = 50_000;

/// Whether a query narrows beyond the kind and the latest versions.
fn filtered(q: &Query) -> bool {
    q.country.is_some()
        || q.target.is_some()
        || q.platform.is_some()
        || q.site.is_some()
        || q.since.is_some()
        || q.until.is_some()
        || q.min_count.is_some()
        || q.object.is_some()
        || q.qualifier.is_some()
        || q.negated.is_some()
}

/// The addresses of the hits to show, in the query's order, `q.offset` skipped;
/// `total` is how many the query matches.
fn top(
    kb: &Kb,
    searcher: &tantivy::Searcher,
    query: &dyn TQuery,
    q: &Query,
    kind: &str,
    total: usize,
) -> Result<Vec<tantivy::DocAddress>, SearchError> {
    let tan = index_error(kb);
    let take = TopDocs::with_limit(q.limit.max(1)).and_offset(q.offset);
    let order = if q.asc { Order::Asc } else { Order::Desc };
    let addrs = match q.sort {
        Sort::Relevance if q.text.is_some() => {
            let by_text = if filtered(q) && total <= SCORED_IN_FULL {
                None
            } else {
                text_query(kb, q, kind)?
            };
            match by_text {
                Some(text) => {
                    let filter = BooleanQuery::new(filter_parts(kb, q, kind));
                    let k = q.offset + q.limit.max(1);
                    let best = relevance::top(kb, searcher, &*text, &filter, k)?;
                    best.into_iter().skip(q.offset).collect()
                }
                None => {
                    let top = searcher
                        .search(query, &take.order_by_score())
                        .map_err(&tan)?;
                    top.into_iter().map(|(_, a)| a).collect()
                }
            }
        }
        Sort::Relevance | Sort::Date => {
            let by = take.order_by_fast_field::<DateTime>("when", order);
            let top = searcher.search(query, &by).map_err(&tan)?;
            top.into_iter().map(|(_, a)| a).collect()
        }
        Sort::Count => {
            let by = take.order_by_u64_field("count", order);
            let top = searcher.search(query, &by).map_err(&tan)?;
            top.into_iter().map(|(_, a)| a).collect()
        }
    };
    Ok(addrs)
}

impl Request<'_> {
    /// Checks every filter and builds the [`Query`]: the one place user input is
    /// validated. `max_limit` is the API's or the command line's ceiling.
    pub fn check(&self, max_limit: usize) -> Result<Query, SearchError> {
        let limit = self.limit;
        if limit == 0 || limit > max_limit {
            return Err(SearchError::OutOfRange(format!(
                "limit must be 1–{max_limit}, not {limit}"
            )));
        }
        if self.offset > MAX_OFFSET {
            return Err(SearchError::OutOfRange(format!(
                "offset must be 0–{MAX_OFFSET}, not {}",
                self.offset
            )));
        }
        let given = |v: Option<&'_ str>| -> Option<String> {
            v.map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
        };
        let text = given(self.text);
        if let Some(t) = &text {
            check_text(t)?;
        }
        let country = given(self.country).map(|c| country_code(&c)).transpose()?;
        let target = given(self.target).map(|c| country_code(&c)).transpose()?;
        let platform = given(self.platform)
            .map(|p| platform_or_family(&p).ok_or(SearchError::UnknownPlatform(p)))
            .transpose()?;
        let since = given(self.since)
            .map(|s| parse_date(&s, false))
            .transpose()?;
        let until = given(self.until)
            .map(|s| parse_date(&s, true))
            .transpose()?;
        if let (Some(a), Some(b)) = (since, until)
            && a > b
        {
            return Err(SearchError::OutOfRange(format!(
                "--since {a} is after --until {b}"
            )));
        }
        let object = given(self.object).map(|o| object_kind(&o)).transpose()?;
        let qualifier = given(self.qualifier)
            .map(|q| qualifier_name(&q))
            .transpose()?;
        let sort = self.sort.map(Sort::parse).transpose()?.unwrap_or_default();
        if self.asc && sort == Sort::Relevance && text.is_some() {
            return Err(SearchError::OutOfRange(
                "asc reverses a sort by date or count, not by relevance".into(),
            ));
        }
        Ok(Query {
            text,
            country,
            target,
            platform,
            site: given(self.site),
            since,
            until,
            min_count: self.min_count,
            object,
            qualifier,
            negated: self.negated,
            sort,
            asc: self.asc,
            limit,
            offset: self.offset,
            all_versions: self.all_versions,
        })
    }
}

/// The object kind a name gives ("Accounts", "page" → "accounts", "pages").
pub fn object_kind(s: &str) -> Result<String, SearchError> {
    match lexicon::object_kinds(s).as_slice() {
        [one] => Ok(one.to_string()),
        _ => Err(SearchError::OutOfRange(format!(
            "unknown object {s:?}; objects: {}",
            lexicon::object_ids().join(", ")
        ))),
    }
}

/// The qualifier a name gives ("more than", "more_than").
pub fn qualifier_name(s: &str) -> Result<String, SearchError> {
    let norm = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    QUALIFIERS
        .iter()
        .find(|q| **q == norm)
        .map(|q| q.to_string())
        .ok_or_else(|| {
            SearchError::OutOfRange(format!(
                "unknown qualifier {s:?}; qualifiers: {}",
                QUALIFIERS.join(", ")
            ))
        })
}

/// What a knowledge base holds.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Articles indexed.
    pub articles: usize,
    /// Claims indexed.
    pub claims: usize,
    /// Claims by origin country, most first.
    pub countries: FacetCounts,
    /// Claims by platform, most first.
    pub platforms: FacetCounts,
    /// Claims by year.
    pub years: FacetCounts,
    /// Earliest claim date (or page date).
    pub first: Option<String>,
    /// Latest claim date (or page date).
    pub last: Option<String>,
}

/// Summarises a knowledge base.
pub fn summary(kb: &Kb) -> Result<Summary, SearchError> {
    let searcher = kb.searcher()?;
    let f = &kb.fields;
    let tan = index_error(kb);
    let kind = |k: &str| TermQuery::new(Term::from_field_text(f.kind, k), IndexRecordOption::Basic);
    let articles = searcher.search(&kind("article"), &Count).map_err(&tan)?;
    let all = Query {
        limit: 1,
        ..Query::default()
    };
    let hits = search(kb, &all)?;
    let span = |order: Order| -> Result<Option<String>, SearchError> {
        let top = searcher
            .search(
                &kind("claim"),
                &TopDocs::with_limit(1).order_by_fast_field::<DateTime>("when", order),
            )
            .map_err(&tan)?;
        Ok(top.first().and_then(|(d, _)| *d).and_then(|d| {
            chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0)
                .map(|t| t.date_naive().to_string())
        }))
    };
    let mut years = hits.facets.year.clone();
    years.sort();
    Ok(Summary {
        articles,
        claims: hits.total,
        countries: hits.facets.country,
        platforms: hits.facets.platform,
        years,
        first: span(Order::Asc)?,
        last: span(Order::Desc)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// After `warm`, the totals of the lists without a text are kept for the commit, and
    /// they are what counting gives.
    #[test]
    fn warm_keeps_the_totals_of_the_lists_without_a_text() {
        let dir = std::env::temp_dir().join(format!("takedowns-warm-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let pages = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pages");
        let opts = crate::ingest::IngestOptions {
            progress: false,
            ..crate::ingest::IngestOptions::default()
        };
        crate::ingest::ingest(&dir, &[pages], &opts).unwrap();
        let kb = Kb::open(&dir, false).unwrap();
        let searcher = kb.searcher().unwrap();
        let q = Request {
            limit: 1,
            ..Request::default()
        }
        .check(1)
        .unwrap();
        for kind in ["claim", "fact"] {
            assert!(kept_totals(&totals_key(&kb, &searcher, &q, kind)).is_none());
        }
        warm(&kb).unwrap();
        for (kind, dims) in [("claim", DIMS), ("fact", &DIMS[2..3])] {
            let kept = kept_totals(&totals_key(&kb, &searcher, &q, kind));
            let query = query_for(&kb, &q, kind).unwrap();
            let counted = totals(&kb, &searcher, &*query, dims).unwrap();
            assert!(counted.0 > 10, "{kind}: {}", counted.0);
            assert_eq!(
                kept.map(|k| serde_json::to_value(k).unwrap()),
                Some(serde_json::to_value(counted).unwrap()),
                "{kind}"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn countries_and_dates() {
        assert_eq!(country_code("IR").ok().as_deref(), Some("IR"));
        assert_eq!(country_code("ir").ok().as_deref(), Some("IR"));
        assert_eq!(country_code("Iran").ok().as_deref(), Some("IR"));
        assert_eq!(
            country_code("United Arab Emirates").ok().as_deref(),
            Some("AE")
        );
        assert!(country_code("Atlantis").is_err());
        assert!(country_code("ZZ").is_err());
        assert_eq!(
            parse_date("2019", false).ok(),
            NaiveDate::from_ymd_opt(2019, 1, 1)
        );
        assert_eq!(
            parse_date("2019", true).ok(),
            NaiveDate::from_ymd_opt(2019, 12, 31)
        );
        assert_eq!(
            parse_date("2020-02", true).ok(),
            NaiveDate::from_ymd_opt(2020, 2, 29)
        );
        assert!(parse_date("2019-13-01", false).is_err());
        assert!(parse_date("yesterday", false).is_err());
        // Timestamps in the index end in 2262: later or much earlier years would wrap.
        for far in ["9999", "2263", "1000", "2201-01", "1899-12-31"] {
            assert!(
                matches!(parse_date(far, false), Err(SearchError::DateOutOfRange(_))),
                "{far}"
            );
        }
        assert!(parse_date("1900", false).is_ok());
        assert!(parse_date("2200-12-31", true).is_ok());
        assert_eq!(platform_id("X").as_deref(), Some("twitter"));
        assert_eq!(platform_id("Facebook").as_deref(), Some("facebook"));
        assert!(check_text(&"(".repeat(20)).is_err());
        assert!(matches!(
            check_text("nosuch:thing removed"),
            Err(SearchError::UnknownField(f)) if f == "nosuch"
        ));
        assert!(matches!(
            check_text("removed AND count:lots"),
            Err(SearchError::BadNumber(t, _)) if t == "count:lots"
        ));
        for fine in [
            "count:[500 TO 5000]",
            "count:>1000",
            "evidence:removed AND count:2617",
            "\"said: removed\"",
        ] {
            assert!(check_text(fine).is_ok(), "{fine}");
        }
        let req = Request {
            platform: Some("myspace2"),
            limit: 10,
            ..Request::default()
        };
        let e = req
            .check(100)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("twitter") && e.contains("families: "), "{e}");
        assert!(check_text(&"a".repeat(2000)).is_err());
    }
}

/// Facts matching a query, as `facts --json` and `/api/facts` print them.
#[derive(Debug, Clone, Serialize)]
pub struct FactList {
    /// Facts matching.
    pub total: usize,
    /// Matches skipped before the first fact.
    pub offset: usize,
    /// Most facts asked for.
    pub limit: usize,
    /// The facts, newest first.
    pub facts: Vec<Value>,
}

/// The error of a failed tantivy call on this knowledge base.
pub(crate) fn index_error(kb: &Kb) -> impl Fn(tantivy::TantivyError) -> SearchError + '_ {
    move |source| {
        SearchError::Kb(KbError::Index {
            path: kb.dir().to_path_buf(),
            source,
        })
    }
}

/// The stored records of documents, in the order given.
fn records_of(
    kb: &Kb,
    searcher: &tantivy::Searcher,
    addrs: impl Iterator<Item = tantivy::DocAddress>,
) -> Result<Vec<Value>, SearchError> {
    addrs
        .map(|a| {
            searcher
                .doc::<TantivyDocument>(a)
                .map(|doc| kb.data(&doc))
                .map_err(index_error(kb))
        })
        .collect()
}

/// Facts matching a query, in its order, as shown (conflicts found).
pub fn facts(kb: &Kb, q: &Query) -> Result<FactList, SearchError> {
    fact_list(kb, q, true)
}

/// Facts matching a query, in its order, as stored: without their conflicts, which
/// cost a lookup each (verify reads thousands of candidates and shows a few).
pub fn facts_as_stored(kb: &Kb, q: &Query) -> Result<FactList, SearchError> {
    fact_list(kb, q, false)
}

fn fact_list(kb: &Kb, q: &Query, shown: bool) -> Result<FactList, SearchError> {
    let searcher = kb.searcher()?;
    let query = query_for(kb, q, "fact")?;
    let (total, counted) = totals_cached(kb, &searcher, &*query, q, "fact")?;
    let addrs = match date_window(q, total, &counted.year) {
        Some(narrow) => top(
            kb,
            &searcher,
            &*query_for(kb, &narrow, "fact")?,
            &narrow,
            "fact",
            total,
        )?,
        None => top(kb, &searcher, &*query, q, "fact", total)?,
    };
    let mut facts = records_of(kb, &searcher, addrs.into_iter())?;
    if shown {
        facts = crate::index::facts::shown_all(kb, &searcher, facts)?;
    }
    Ok(FactList {
        total,
        offset: q.offset,
        limit: q.limit,
        facts,
    })
}

/// The newest facts matching a query (at most `q.limit`, none skipped) and how many of
/// all the matches fall in each year, counted in the index without reading a record: a
/// page over thousands of facts holds only the ones it lists.
pub fn facts_by_year(kb: &Kb, q: &Query) -> Result<(FactList, FacetCounts), SearchError> {
    let searcher = kb.searcher()?;
    let query = query_for(kb, q, "fact")?;
    let tan = index_error(kb);
    let (total, years, top) = searcher
        .search(
            &query,
            &(
                Count,
                facets::DimCounts::new("facets", &["/year"]),
                TopDocs::with_limit(q.limit.max(1))
                    .order_by_fast_field::<DateTime>("when", Order::Desc),
            ),
        )
        .map_err(&tan)?;
    let out = records_of(kb, &searcher, top.into_iter().map(|(_, a)| a))?;
    let out = crate::index::facts::shown_all(kb, &searcher, out)?;
    let years = years.into_iter().next().unwrap_or_default();
    let list = FactList {
        total,
        offset: 0,
        limit: q.limit,
        facts: out,
    };
    Ok((list, years))
}

/// The stored record of the document of `kind` ("article", "claim" or "fact") with this
/// id, if there is one.
pub fn by_id(kb: &Kb, kind: &str, id: &str) -> Result<Option<Value>, SearchError> {
    let searcher = kb.searcher()?;
    let found = first_of(kb, &searcher, kb.fields.id, kind, id, |_| true)?;
    match found {
        Some(fact) if kind == "fact" => Ok(Some(crate::index::facts::shown(kb, &searcher, fact)?)),
        other => Ok(other),
    }
}

/// The fact a claim was grouped into: found through the claim's page, then the source
/// that is this claim.
pub fn fact_of_claim(kb: &Kb, claim_id: &str) -> Result<Option<Value>, SearchError> {
    // One commit for both lookups.
    let searcher = kb.searcher()?;
    let Some(claim) = first_of(kb, &searcher, kb.fields.id, "claim", claim_id, |_| true)? else {
        return Ok(None);
    };
    let Some(snapshot) = claim["snapshot"].as_str() else {
        return Ok(None);
    };
    let fact = first_of(
        kb,
        &searcher,
        kb.fields.snapshot,
        "fact",
        snapshot,
        |fact| {
            fact["sources"]
                .as_array()
                .is_some_and(|s| s.iter().any(|s| s["claim"].as_str() == Some(claim_id)))
        },
    )?;
    Ok(match fact {
        Some(f) => Some(crate::index::facts::shown(kb, &searcher, f)?),
        None => None,
    })
}

/// The first document of `kind` whose `field` holds `value` and whose record passes
/// `keep`.
fn first_of(
    kb: &Kb,
    searcher: &tantivy::Searcher,
    field: tantivy::schema::Field,
    kind: &str,
    value: &str,
    keep: impl Fn(&Value) -> bool,
) -> Result<Option<Value>, SearchError> {
    let f = &kb.fields;
    let term = |field, v: &str| -> Box<dyn TQuery> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, v),
            IndexRecordOption::Basic,
        ))
    };
    let q = BooleanQuery::new(vec![
        (Occur::Must, term(f.kind, kind)),
        (Occur::Must, term(field, value)),
    ]);
    let tan = index_error(kb);
    let top = searcher
        .search(&q, &TopDocs::with_limit(1000).order_by_score())
        .map_err(&tan)?;
    for (_, a) in top {
        let doc: TantivyDocument = searcher.doc(a).map_err(&tan)?;
        let v = kb.data(&doc);
        if keep(&v) {
            return Ok(Some(v));
        }
    }
    Ok(None)
}

pub use crate::verify::{Verdict, claim_review, verify};
