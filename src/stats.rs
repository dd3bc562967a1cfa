//! Totals: the sum of the facts' figures per year and per platform, for a country, a
//! platform or a query. Facts, not claims, so each takedown is counted once however
//! many pages report it. Computed by tantivy's aggregations over the facts' fast fields
//! (`when`, `platform`, `count`): no fact record is read.
//!
//! What a row adds, and the output's note says: a hedged figure adds the figure
//! reported ("more than 88,000" adds 88,000); a fact without a figure counts in `facts`
//! and adds nothing; a fact without a takedown date is filed under the year it was
//! first reported; negated reports ("found no such activity") are left out.

use crate::index::Kb;
use crate::search::{self, Query, SearchError};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Value, json};
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::{AggContextParams, AggregationCollector};
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, Query as TQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{Searcher, Term};

/// A dimension to group totals by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum By {
    /// The takedown's year (else the year it was first reported).
    Year,
    /// The platform id.
    Platform,
}

impl By {
    /// The dimensions a list such as "year,platform" names, each once, in order.
    pub fn parse_list(s: &str) -> Result<Vec<By>, SearchError> {
        let mut out = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let by = match part.to_ascii_lowercase().as_str() {
                "year" => By::Year,
                "platform" => By::Platform,
                _ => {
                    return Err(SearchError::OutOfRange(format!(
                        "by is year, platform or both (year,platform), not {part:?}"
                    )));
                }
            };
            if !out.contains(&by) {
                out.push(by);
            }
        }
        Ok(out)
    }
}

/// One group's total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The year, or null when not grouped by year.
    pub year: Option<i32>,
    /// The platform, or null when not grouped by platform.
    pub platform: Option<String>,
    /// The sum of the facts' figures.
    pub sum: u64,
    /// Facts in the group, those without a figure included.
    pub facts: u64,
}

/// Totals, as `stats --json` and `/api/stats` print them.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// One row per group, by year then by largest sum.
    pub rows: Vec<Row>,
    /// What the sums count and how: hedges, missing figures and dates, negation.
    pub note: String,
}

/// The years a year range can hold, one aggregation bucket each.
const YEARS: std::ops::RangeInclusive<i32> = search::FIRST_YEAR..=search::LAST_YEAR;

/// The qualifiers whose figure is a bound or an estimate, not the exact number.
const HEDGES: &[&str] = &["more_than", "at_least", "about", "nearly", "up_to", "vague"];

/// Totals of the facts matching `q`, grouped by `by` (no grouping: one row).
pub fn stats(kb: &Kb, q: &Query, by: &[By]) -> Result<Stats, SearchError> {
    let searcher = kb.searcher()?;
    let q = Query {
        negated: Some(false),
        ..q.clone()
    };
    let query = search::fact_query(kb, &q)?;
    let aggs: Aggregations = serde_json::from_value(request(by))
        .map_err(|e| SearchError::Syntax(format!("aggregation request: {e}")))?;
    let collector = AggregationCollector::from_aggs(aggs, AggContextParams::default());
    let result = searcher
        .search(&*query, &collector)
        .map_err(search::index_error(kb))?;
    let result = serde_json::to_value(&result)
        .map_err(|e| SearchError::Syntax(format!("aggregation result: {e}")))?;
    let mut rows = Vec::new();
    collect(&result, by, None, None, &mut rows);
    rows.retain(|r| r.facts > 0);
    rows.sort_by(|a, b| {
        a.year
            .cmp(&b.year)
            .then(b.sum.cmp(&a.sum))
            .then(a.platform.cmp(&b.platform))
    });
    let note = note(kb, &searcher, &*query, &rows, by)?;
    Ok(Stats { rows, note })
}

/// The aggregation request: year ranges and platform terms nested in the order asked,
/// each group with the figures' sum and how many carry one.
fn request(by: &[By]) -> Value {
    let mut inner = json!({
        "sum": {"sum": {"field": "count"}},
        "figures": {"value_count": {"field": "count"}}
    });
    for dim in by.iter().rev() {
        let group = match dim {
            By::Year => {
                json!({"range": {"field": "when", "ranges": year_ranges(), "keyed": false}})
            }
            By::Platform => json!({"terms": {"field": "platform", "size": 10_000}}),
        };
        let mut group = group;
        if let Value::Object(m) = &mut group {
            m.insert("aggs".into(), inner);
        }
        inner = json!({ dim_name(*dim): group });
    }
    inner
}

fn dim_name(by: By) -> &'static str {
    match by {
        By::Year => "year",
        By::Platform => "platform",
    }
}

/// One range per year the index can hold, keyed by the year, in nanoseconds as the
/// `when` fast field keeps dates.
fn year_ranges() -> Vec<Value> {
    let start = |y: i32| {
        NaiveDate::from_ymd_opt(y, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map_or(0, |t| t.and_utc().timestamp())
            * 1_000_000_000
    };
    YEARS
        .map(|y| json!({"key": y.to_string(), "from": start(y), "to": start(y + 1)}))
        .collect()
}

/// Rows from the aggregation result, walking the groups in the order asked.
fn collect(
    node: &Value,
    by: &[By],
    year: Option<i32>,
    platform: Option<String>,
    rows: &mut Vec<Row>,
) {
    let Some((dim, rest)) = by.split_first() else {
        rows.push(Row {
            year,
            platform,
            sum: node["sum"]["value"]
                .as_f64()
                .map_or(0, |v| v.round() as u64),
            facts: node["doc_count"].as_u64().unwrap_or(0),
        });
        return;
    };
    for bucket in node[dim_name(*dim)]["buckets"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let key = bucket["key"].as_str().unwrap_or_default();
        match dim {
            By::Year => collect(bucket, rest, key.parse().ok(), platform.clone(), rows),
            By::Platform => collect(bucket, rest, year, Some(key.to_string()), rows),
        }
    }
}

/// The note: what is summed, and how many facts were hedged, without a figure, or dated
/// by their first report.
fn note(
    kb: &Kb,
    searcher: &Searcher,
    query: &dyn TQuery,
    rows: &[Row],
    by: &[By],
) -> Result<String, SearchError> {
    let facet = |path: &str| -> Box<dyn TQuery> {
        Box::new(TermQuery::new(
            Term::from_facet(kb.fields.facets, &Facet::from(path)),
            IndexRecordOption::Basic,
        ))
    };
    let count_with = |extra: Box<dyn TQuery>| -> Result<usize, SearchError> {
        let both = BooleanQuery::new(vec![(Occur::Must, query.box_clone()), (Occur::Must, extra)]);
        searcher
            .search(&both, &Count)
            .map_err(search::index_error(kb))
    };
    let hedges: Vec<(Occur, Box<dyn TQuery>)> = HEDGES
        .iter()
        .map(|h| (Occur::Should, facet(&format!("/qualifier/{h}"))))
        .collect();
    let hedged = count_with(Box::new(BooleanQuery::new(hedges)))?;
    let undated = count_with(facet(crate::index::UNDATED))?;
    let total = searcher
        .search(query, &Count)
        .map_err(search::index_error(kb))?;
    let mut note = format!(
        "Sums of the facts' figures: each takedown counted once, however many pages report it; negated reports left out. {total} facts match."
    );
    if hedged > 0 {
        note.push_str(&format!(
            " {hedged} carry a hedged figure (more than, at least, about, nearly, up to, or vague) and add the figure reported: \"more than 88,000\" adds 88,000, so these sums are floors or estimates, not exact totals."
        ));
    }
    let facts_in_rows: u64 = rows.iter().map(|r| r.facts).sum();
    let unfigured = total.saturating_sub(figured(kb, searcher, query)?);
    if unfigured > 0 {
        note.push_str(&format!(
            " {unfigured} have no figure (\"thousands of accounts\"): counted in facts, adding nothing."
        ));
    }
    if by.contains(&By::Year) {
        if undated > 0 {
            note.push_str(&format!(
                " {undated} have no takedown date and count in the year they were first reported."
            ));
        }
        let left = (total as u64).saturating_sub(facts_in_rows);
        if left > 0 {
            note.push_str(&format!(
                " {left} have no date at all and are in no year's row."
            ));
        }
    }
    Ok(note)
}

/// How many matching facts carry a figure.
fn figured(kb: &Kb, searcher: &Searcher, query: &dyn TQuery) -> Result<usize, SearchError> {
    let with = BooleanQuery::new(vec![
        (Occur::Must, query.box_clone()),
        (
            Occur::Must,
            Box::new(tantivy::query::ExistsQuery::new("count".into(), false)),
        ),
    ]);
    searcher
        .search(&with, &Count)
        .map_err(search::index_error(kb))
}

/// The rows as CSV: year, platform, sum, facts (empty cells for a dimension not grouped
/// by), then the note as a last comment line a spreadsheet shows and a program skips.
pub fn to_csv(s: &Stats) -> String {
    let mut out = String::from("year,platform,sum,facts\n");
    for r in &s.rows {
        // Platform ids are lowercase letters and digits: nothing to quote.
        out.push_str(&format!(
            "{},{},{},{}\n",
            r.year.map(|y| y.to_string()).unwrap_or_default(),
            r.platform.as_deref().unwrap_or_default(),
            r.sum,
            r.facts
        ));
    }
    out.push_str(&format!("# {}\n", s.note.replace(['\n', '\r'], " ")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_lists() {
        assert_eq!(
            By::parse_list("year,platform").ok(),
            Some(vec![By::Year, By::Platform])
        );
        assert_eq!(
            By::parse_list(" Platform , year,year").ok(),
            Some(vec![By::Platform, By::Year])
        );
        assert_eq!(By::parse_list("").ok(), Some(vec![]));
        assert!(By::parse_list("month").is_err());
    }

    #[test]
    fn the_request_nests_in_the_order_asked() {
        let r = request(&[By::Year, By::Platform]);
        assert!(r["year"]["range"].is_object());
        assert!(r["year"]["aggs"]["platform"]["terms"].is_object());
        assert!(r["year"]["aggs"]["platform"]["aggs"]["sum"].is_object());
        let ranges = year_ranges();
        assert_eq!(ranges.len(), YEARS.count());
        // 2019-01-01T00:00:00Z in nanoseconds.
        let y2019 = ranges
            .iter()
            .find(|r| r["key"] == "2019")
            .cloned()
            .unwrap_or_default();
        assert_eq!(y2019["from"], 1_546_300_800_000_000_000i64);
    }
}
