//! `verify`: a statement checked against the facts, with a verdict that means what it
//! says.
//!
//! The statement is read by the claim extractor; its figure becomes an interval by its
//! own hedge ("more than 4,000" is (4000, ∞); a round "7,700" is 7,650–7,750) and is
//! compared with each fact's interval of the same platform family, object and countries:
//!
//! - *supported*: the intervals agree and the reports pin the figure down (the fact's
//!   interval is narrow, or wholly inside the statement's: "more than 4,000" and 4,258);
//! - *unverified*: they agree only because the reports bound the figure from one side
//!   ("more than 88,000" does not make 176,000 true, nor 5 billion);
//! - *contradicted*: a fact of the same network and period gives a figure no interval
//!   reconciles, or the figure matches a takedown of another date (named);
//! - *not_found*: nothing in the knowledge base speaks to it.
//!
//! A total and its parts never contradict each other: a statement about one country of
//! a multi-country takedown is not contradicted by the total, nor a statement about a
//! total by one country's figure. A fact without a takedown date is matched by the date
//! of its first report, and the verdict says so.

use crate::claims::{Claim, lexicon, text};
use crate::dedup::{self, Interval};
use crate::index::Kb;
use crate::search::{self, Query, SearchError, check_text, parse_date};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// How one field of the statement compares with the evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldMatch {
    /// The evidence says the same.
    Matched,
    /// The evidence says otherwise.
    Mismatched,
    /// The statement does not say.
    NotStated,
}

/// An evidence sentence behind a verdict, with where it was read.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// The sentence.
    pub sentence: String,
    /// The page's URL.
    pub url: Option<String>,
    /// The page's site.
    pub site: Option<String>,
    /// The page's publication date.
    pub published: Option<String>,
    /// The archived page (`/api/snapshot/{snapshot}`).
    pub snapshot: String,
    /// The fact it supports.
    pub fact: String,
}

/// A statement checked against the knowledge base.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// The statement as given.
    pub statement: String,
    /// What the claim extractor read in it.
    pub parsed: Option<Claim>,
    /// `supported`, `unverified`, `contradicted` or `not_found`.
    pub verdict: &'static str,
    /// Count, platform, countries, date and object: matched, mismatched or not stated,
    /// against the first fact below.
    pub fields: BTreeMap<&'static str, FieldMatch>,
    /// The facts behind the verdict, the deciding one first.
    pub facts: Vec<Value>,
    /// The sentences of the deciding facts' sources.
    pub evidence: Vec<Evidence>,
    /// What a reader should know of how the verdict was reached.
    pub notes: Vec<String>,
}

/// The period a statement names: a day, "in January 2019", or "in 2019".
fn statement_period(statement: &str) -> Option<(NaiveDate, NaiveDate)> {
    if let Some(d) = crate::extract::dates::parse_text_date(statement) {
        return Some((d, d));
    }
    let toks = text::tokens(statement);
    for (i, t) in toks.iter().enumerate() {
        let w = t.lower();
        if let Some(m) = crate::extract::dates::month_number(w)
            .filter(|_| w.len() >= 3 && w.chars().all(char::is_alphabetic))
            && let Some(y) = toks
                .get(i + 1)
                .and_then(|n| n.text.parse::<i32>().ok())
                .filter(|y| (1990..=2100).contains(y))
        {
            let start = NaiveDate::from_ymd_opt(y, m, 1)?;
            let end = parse_date(&format!("{y}-{m:02}"), true).ok()?;
            return Some((start, end));
        }
    }
    toks.iter()
        .filter_map(|t| t.text.parse::<i32>().ok())
        .find(|y| (1990..=2100).contains(y))
        .and_then(|y| {
            Some((
                NaiveDate::from_ymd_opt(y, 1, 1)?,
                NaiveDate::from_ymd_opt(y, 12, 31)?,
            ))
        })
}

/// What a fact's figure is to the statement's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountMatch {
    /// The reports pin the figure down and it agrees.
    Supported,
    /// It agrees only with a bound the reports give from one side.
    Unverified,
    /// No interval reconciles them.
    Mismatched,
    /// Neither speaks to the other: a total and one of its parts, or no figure.
    Unrelated,
}

/// Compares the statement's interval with a fact's; `part` says the statement's
/// countries are strictly fewer than the fact's (it may be a part of that total) and
/// `total` that they are strictly more (the fact may be one of its parts).
pub fn compare_counts(mine: Interval, fact: Interval, part: bool, total: bool) -> CountMatch {
    if dedup::overlaps(mine, fact) {
        if dedup::contains(mine, fact) || dedup::is_precise(fact) {
            CountMatch::Supported
        } else {
            CountMatch::Unverified
        }
    } else if (part && mine.1.is_some_and(|hi| hi < fact.0))
        || (total && fact.1.is_some_and(|hi| hi < mine.0))
    {
        CountMatch::Unrelated
    } else {
        CountMatch::Mismatched
    }
}

/// A candidate fact judged against the statement.
struct Judged {
    fact: Value,
    count: CountMatch,
    platform: FieldMatch,
    countries: FieldMatch,
    date: FieldMatch,
    /// The date the fact was matched by, and whether it is its first report's.
    day: Option<(NaiveDate, bool)>,
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

fn range_of(f: &Value) -> Option<Interval> {
    let r = f["range"].as_array()?;
    Some((r.first()?.as_u64()?, r.get(1).and_then(Value::as_u64)))
}

fn day_of(v: &Value) -> Option<NaiveDate> {
    dedup::published_day(v.as_str())
}

/// Whether a report's platform is the statement's: the same, or one names the company
/// the other belongs to ("Meta" for Instagram, "Google" for YouTube; "Facebook" was the
/// company's name until 2021, and reports still say "Facebook removed … Instagram
/// accounts"). Two platforms of one company (Instagram and WhatsApp) are not the same.
fn platform_match(mine: &str, theirs: &str) -> FieldMatch {
    let company = |p: &str| lexicon::family(p) == p || p == "facebook";
    if mine.is_empty() {
        FieldMatch::NotStated
    } else if mine == theirs || company(mine) || company(theirs) {
        FieldMatch::Matched
    } else {
        FieldMatch::Mismatched
    }
}

fn judge(claim: &Claim, period: Option<(NaiveDate, NaiveDate)>, fact: Value) -> Judged {
    let theirs = strings(&fact["countries"]);
    let mine: Vec<&str> = claim.countries.iter().map(String::as_str).collect();
    let inside = mine.iter().all(|c| theirs.contains(c));
    let countries = if mine.is_empty() {
        FieldMatch::NotStated
    } else if inside {
        FieldMatch::Matched
    } else {
        FieldMatch::Mismatched
    };
    let platform = platform_match(&claim.platform, fact["platform"].as_str().unwrap_or(""));
    let part = !mine.is_empty() && inside && mine.len() < theirs.len();
    let total = theirs.iter().all(|c| mine.contains(c)) && theirs.len() < mine.len();
    let count = match (
        dedup::interval(claim.count, claim.qualifier),
        range_of(&fact),
    ) {
        // A report about other countries than the statement names (one country of a
        // several-country statement, or another country) is another network: its figure
        // neither bears the statement out nor contradicts it.
        (Some(_), Some(_))
            if countries == FieldMatch::Mismatched || platform == FieldMatch::Mismatched =>
        {
            CountMatch::Unrelated
        }
        (Some(m), Some(f)) => compare_counts(m, f, part, total),
        // A statement without a figure ("took down accounts") is borne out by the takedown.
        (None, _) => CountMatch::Supported,
        (Some(_), None) => CountMatch::Unrelated,
    };
    let day = match day_of(&fact["date"]) {
        Some(d) => Some((d, false)),
        None => day_of(&fact["first_reported"]).map(|d| (d, true)),
    };
    let slack = chrono::Duration::days(dedup::SAME_TAKEDOWN_DAYS);
    let date = match (period, day) {
        (None, _) | (_, None) => FieldMatch::NotStated,
        (Some((a, b)), Some((d, _))) if d >= a - slack && d <= b + slack => FieldMatch::Matched,
        _ => FieldMatch::Mismatched,
    };
    Judged {
        fact,
        count,
        platform,
        countries,
        date,
        day,
    }
}

/// The facts that could speak to the statement: same platform family, negation and
/// object, and a country in common when it names countries.
fn candidates(kb: &Kb, claim: &Claim) -> Result<Vec<Value>, SearchError> {
    let family = lexicon::family(&claim.platform);
    // The family and negation narrow in the index, so the records read are this
    // family's only (at a million claims, a country's facts of every platform were
    // thousands of records per statement); the filter below still decides.
    let q = Query {
        country: claim.countries.first().cloned(),
        platform: (!lexicon::family_members(family).is_empty()).then(|| family.to_string()),
        // Only "not negated" narrows: it holds in knowledge bases indexed before the
        // negation facet existed, "negated" would find nothing there.
        negated: (!claim.negated).then_some(false),
        limit: 10_000,
        ..Query::default()
    };
    Ok(search::facts_as_stored(kb, &q)?
        .facts
        .into_iter()
        .filter(|f| {
            let theirs = strings(&f["countries"]);
            lexicon::family(f["platform"].as_str().unwrap_or("")) == family
                && f["negated"].as_bool() == Some(claim.negated)
                && dedup::objects_compatible(f["object"].as_str().unwrap_or(""), &claim.object)
                && (claim.countries.is_empty()
                    || claim.countries.iter().any(|c| theirs.contains(&c.as_str())))
        })
        .collect())
}

/// Checks a statement ("Twitter suspended 2,617 accounts in Iran in January 2019").
pub fn verify(kb: &Kb, statement: &str) -> Result<Verdict, SearchError> {
    check_text(statement)?;
    let article = crate::extract::Article::from_text(statement.trim().to_string(), None);
    let found = crate::claims::find(&article);
    let Some(claim) = found
        .claims
        .iter()
        .find(|c| c.count.is_some())
        .or(found.claims.first())
        .cloned()
    else {
        return Ok(Verdict {
            statement: statement.to_string(),
            parsed: None,
            verdict: "not_found",
            fields: BTreeMap::new(),
            facts: Vec::new(),
            evidence: Vec::new(),
            notes: vec!["no takedown figure could be read in the statement".into()],
        });
    };
    let period = statement_period(statement);
    let judged: Vec<Judged> = candidates(kb, &claim)?
        .into_iter()
        .map(|f| judge(&claim, period, f))
        .collect();
    let mut verdict = decide(statement, claim, period, judged);
    // Only the facts behind the verdict are shown, so only theirs are looked up.
    let searcher = kb.searcher()?;
    verdict.facts = crate::index::facts::shown_all(kb, &searcher, verdict.facts)?;
    Ok(verdict)
}

/// The verdict from the judged candidates, the deciding facts first.
fn decide(
    statement: &str,
    claim: Claim,
    period: Option<(NaiveDate, NaiveDate)>,
    judged: Vec<Judged>,
) -> Verdict {
    let (in_time, out_of_time): (Vec<Judged>, Vec<Judged>) = judged
        .into_iter()
        .partition(|j| j.date != FieldMatch::Mismatched);
    let pick = |set: &[Judged], c: CountMatch| -> Vec<usize> {
        (0..set.len()).filter(|&i| set[i].count == c).collect()
    };
    let mut notes = Vec::new();
    let mut supported = pick(&in_time, CountMatch::Supported);
    let unverified = pick(&in_time, CountMatch::Unverified);
    let mismatched = pick(&in_time, CountMatch::Mismatched);
    let elsewhen = pick(&out_of_time, CountMatch::Supported);
    // A report with no date at all bears out the figure, not the date the statement
    // gives: when a dated report puts the same figure at another time, that speaks.
    if period.is_some()
        && !elsewhen.is_empty()
        && supported
            .iter()
            .all(|&i| in_time[i].date == FieldMatch::NotStated)
    {
        supported.clear();
    }
    let (verdict, chosen): (&'static str, Vec<&Judged>) = if !supported.is_empty() {
        (
            "supported",
            supported.iter().map(|&i| &in_time[i]).collect(),
        )
    } else if !unverified.is_empty() {
        let j = &in_time[unverified[0]];
        notes.push(format!(
            "the reports only bound this figure from one side ({}), so they neither bear it out nor rule it out",
            bound_text(range_of(&j.fact))
        ));
        (
            "unverified",
            unverified.iter().map(|&i| &in_time[i]).collect(),
        )
    } else if !elsewhen.is_empty() || !mismatched.is_empty() {
        let mut chosen: Vec<&Judged> = elsewhen.iter().map(|&i| &out_of_time[i]).collect();
        for j in &chosen {
            if let Some((d, _)) = j.day {
                notes.push(format!(
                    "the figure matches the takedown of {d} ({}), not {}",
                    describe(&j.fact),
                    period_text(period)
                ));
            }
        }
        chosen.extend(mismatched.iter().map(|&i| &in_time[i]));
        ("contradicted", chosen)
    } else {
        ("not_found", Vec::new())
    };
    // A figure borne out only by reports that give no date at all leaves the
    // statement's date unchecked, which a fact-checker must be told.
    if verdict == "supported" && period.is_some() && chosen.iter().all(|j| j.day.is_none()) {
        notes.push(format!(
            "no report of this takedown gives a date, so the statement's date ({}) was not checked",
            period_text(period)
        ));
    }
    for j in &chosen {
        if let Some((d, true)) = j.day {
            notes.push(format!(
                "fact {} has no takedown date; it was matched by the date of its first report, {d}",
                j.fact["id"].as_str().unwrap_or("")
            ));
        }
    }
    let fields = chosen
        .first()
        .map(|j| fields_of(&claim, j))
        .unwrap_or_default();
    let evidence = chosen.iter().flat_map(|j| evidence_of(&j.fact)).collect();
    Verdict {
        statement: statement.to_string(),
        parsed: Some(claim),
        verdict,
        fields,
        facts: chosen.into_iter().map(|j| j.fact.clone()).collect(),
        evidence,
        notes,
    }
}

fn fields_of(claim: &Claim, j: &Judged) -> BTreeMap<&'static str, FieldMatch> {
    let count = match (claim.count, j.count) {
        (None, _) => FieldMatch::NotStated,
        (_, CountMatch::Supported) => FieldMatch::Matched,
        _ => FieldMatch::Mismatched,
    };
    let stated = |s: &str| {
        if s.is_empty() {
            FieldMatch::NotStated
        } else {
            FieldMatch::Matched
        }
    };
    BTreeMap::from([
        ("count", count),
        // Candidates share the statement's platform family and object.
        ("platform", j.platform),
        ("object", stated(&claim.object)),
        ("countries", j.countries),
        ("date", j.date),
    ])
}

fn evidence_of(fact: &Value) -> Vec<Evidence> {
    let id = fact["id"].as_str().unwrap_or_default();
    let s = |v: &Value| v.as_str().map(str::to_string);
    fact["sources"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|src| Evidence {
            sentence: src["evidence"].as_str().unwrap_or_default().to_string(),
            url: s(&src["url"]),
            site: s(&src["site"]),
            published: s(&src["published"]),
            snapshot: src["snapshot"].as_str().unwrap_or_default().to_string(),
            fact: id.to_string(),
        })
        .collect()
}

fn describe(f: &Value) -> String {
    let count = f["count"]
        .as_u64()
        .map_or_else(|| "a figure".to_string(), |n| n.to_string());
    format!(
        "{} {} {} of {}",
        f["platform"].as_str().unwrap_or(""),
        count,
        f["object"].as_str().unwrap_or(""),
        strings(&f["countries"]).join(", ")
    )
}

fn bound_text(r: Option<Interval>) -> String {
    match r {
        Some((lo, None)) => format!("at least {lo}"),
        Some((lo, Some(hi))) => format!("{lo} to {hi}"),
        None => "no figure".into(),
    }
}

fn period_text(p: Option<(NaiveDate, NaiveDate)>) -> String {
    match p {
        Some((a, b)) if a == b => a.to_string(),
        Some((a, b)) => format!("{a} to {b}"),
        None => "the date stated".into(),
    }
}

/// A verdict as schema.org ClaimReview JSON-LD, as fact-checkers publish it: the facts'
/// sources are the review's `citation`; `itemReviewed.appearance` is where the claim was
/// made, so it holds only what the user says (`appeared_at`). Ratings: supported 5 and
/// contradicted 1 on a 1–5 scale; unverified and not found have no number, only their
/// name, since neither is a degree of truth.
pub fn claim_review(v: &Verdict, appeared_at: Option<&str>) -> Value {
    let rating = match v.verdict {
        "supported" => {
            json!({"@type": "Rating", "ratingValue": 5, "bestRating": 5, "worstRating": 1, "alternateName": "Supported"})
        }
        "contradicted" => {
            json!({"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1, "alternateName": "Contradicted"})
        }
        "unverified" => json!({"@type": "Rating", "alternateName": "Unverified"}),
        _ => json!({"@type": "Rating", "alternateName": "Not found"}),
    };
    let mut rating = rating;
    if !v.notes.is_empty() {
        rating["ratingExplanation"] = json!(v.notes.join("; "));
    }
    let citations: Vec<Value> = v
        .evidence
        .iter()
        .filter_map(|e| {
            let url = e.url.as_deref()?;
            let mut c = json!({"@type": "CreativeWork", "url": url, "text": e.sentence});
            if let Some(p) = &e.published {
                c["datePublished"] = json!(p);
            }
            if let Some(s) = &e.site {
                c["publisher"] = json!({"@type": "Organization", "name": s});
            }
            Some(c)
        })
        .collect();
    let mut item = json!({"@type": "Claim"});
    if let Some(u) = appeared_at {
        item["appearance"] = json!([{"@type": "CreativeWork", "url": u}]);
    }
    json!({
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": v.statement,
        "datePublished": chrono::Utc::now().format("%Y-%m-%d").to_string(),
        "author": {"@type": "Organization", "name": "takedowns"},
        "reviewRating": rating,
        "itemReviewed": item,
        "citation": citations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::Qualifier;

    fn iv(n: u64, q: Qualifier) -> Interval {
        dedup::interval(Some(n), q).unwrap_or((0, None))
    }

    #[test]
    fn figures_are_supported_only_within_the_precision_the_reports_give() {
        use CountMatch::*;
        use Qualifier::*;
        let cases = [
            // (statement, fact, part, total, want, why)
            (
                iv(5_000_000_000, Exact),
                iv(12, MoreThan),
                false,
                false,
                Unverified,
                "5 billion against more than 12",
            ),
            (
                iv(176_000, Exact),
                iv(88_000, MoreThan),
                false,
                false,
                Unverified,
                "176,000 against more than 88,000",
            ),
            (
                iv(4_000, MoreThan),
                iv(4_258, Exact),
                false,
                false,
                Supported,
                "more than 4,000 holds 4,258",
            ),
            (
                iv(130, About),
                iv(130, Exact),
                false,
                false,
                Supported,
                "about 130 holds 130",
            ),
            (
                iv(7_700, Exact),
                iv(7_704, Exact),
                false,
                false,
                Supported,
                "a rounded 7,700 is 7,704",
            ),
            (
                iv(7_704, Exact),
                iv(7_700, Exact),
                false,
                false,
                Supported,
                "7,704 is a rounded 7,700",
            ),
            (
                iv(88_000, MoreThan),
                iv(88_000, MoreThan),
                false,
                false,
                Supported,
                "the same bound",
            ),
            (
                iv(2_617, Exact),
                iv(130, Exact),
                false,
                false,
                Mismatched,
                "2,617 against 130",
            ),
            (
                iv(953, Exact),
                iv(2_632, Exact),
                true,
                false,
                Unrelated,
                "a part below a total",
            ),
            (
                iv(2_000, MoreThan),
                iv(1_907, Exact),
                false,
                true,
                Unrelated,
                "a total above a part",
            ),
            (
                iv(424, Exact),
                iv(212, Exact),
                true,
                false,
                Mismatched,
                "a part above its total",
            ),
            (
                iv(800, About),
                iv(783, Exact),
                false,
                false,
                Supported,
                "about 800 holds 783",
            ),
            (
                iv(24_000, Nearly),
                iv(23_750, Exact),
                false,
                false,
                Supported,
                "nearly 24,000 holds 23,750",
            ),
        ];
        for (mine, fact, part, total, want, why) in cases {
            assert_eq!(compare_counts(mine, fact, part, total), want, "{why}");
        }
    }

    fn judged(fact: Value, count: CountMatch, date: FieldMatch, day: &str) -> Judged {
        Judged {
            fact,
            count,
            platform: FieldMatch::Matched,
            countries: FieldMatch::Matched,
            date,
            day: NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .ok()
                .map(|d| (d, false)),
        }
    }

    /// The first claim read in a statement.
    fn claim_of(statement: &str) -> Claim {
        let a = crate::extract::Article::from_text(statement.to_string(), None);
        crate::claims::find(&a).claims.remove(0)
    }

    fn claim() -> Claim {
        claim_of("Twitter suspended 2,617 accounts in Iran in 2020.")
    }

    #[test]
    fn a_figure_of_another_date_contradicts_and_names_the_takedown() {
        let period = statement_period("in 2020");
        let right = json!({"id": "a", "platform": "twitter", "count": 2617, "object": "accounts", "countries": ["IR"], "sources": []});
        let other = json!({"id": "b", "platform": "twitter", "count": 130, "object": "accounts", "countries": ["IR"], "sources": []});
        let v = decide(
            "Twitter suspended 2,617 accounts in Iran in 2020.",
            claim(),
            period,
            vec![
                judged(
                    other,
                    CountMatch::Mismatched,
                    FieldMatch::Matched,
                    "2020-04-02",
                ),
                judged(
                    right,
                    CountMatch::Supported,
                    FieldMatch::Mismatched,
                    "2019-01-31",
                ),
            ],
        );
        assert_eq!(v.verdict, "contradicted");
        assert_eq!(v.facts[0]["id"], "a", "the matching takedown first");
        assert!(
            v.notes.iter().any(|n| n.contains("2019-01-31")),
            "{:?}",
            v.notes
        );
        assert_eq!(v.fields["date"], FieldMatch::Mismatched);
        assert_eq!(v.fields["count"], FieldMatch::Matched);
    }

    #[test]
    fn claim_review_cites_sources_and_appears_only_where_told() {
        let v = Verdict {
            statement: "s".into(),
            parsed: None,
            verdict: "unverified",
            fields: BTreeMap::new(),
            facts: Vec::new(),
            evidence: vec![Evidence {
                sentence: "more than 88,000".into(),
                url: Some("https://news.example/a".into()),
                site: Some("news.example".into()),
                published: Some("2019-12-20".into()),
                snapshot: "x".into(),
                fact: "f".into(),
            }],
            notes: Vec::new(),
        };
        let r = claim_review(&v, None);
        assert!(r["itemReviewed"].get("appearance").is_none(), "{r}");
        assert_eq!(r["citation"][0]["url"], "https://news.example/a");
        assert_eq!(r["reviewRating"]["alternateName"], "Unverified");
        assert!(r["reviewRating"].get("ratingValue").is_none());
        let r = claim_review(&v, Some("https://social.example/post/1"));
        assert_eq!(
            r["itemReviewed"]["appearance"][0]["url"],
            "https://social.example/post/1"
        );
    }

    #[test]
    fn an_undated_report_does_not_outweigh_a_dated_one_at_another_time() {
        let statement = "Facebook removed 35 accounts linked to Brazil in July 2018";
        let claim = claim_of(statement);
        let period = statement_period(statement);
        assert!(period.is_some());
        let fact = |id: &str, date: Option<&str>| {
            serde_json::json!({"id": id, "count": 35, "range": [35, 35], "countries": ["BR"],
                "platform": "facebook", "object": "accounts", "negated": false,
                "date": date, "first_reported": date, "sources": []})
        };
        let judged = |facts: Vec<Value>| -> Vec<Judged> {
            facts
                .into_iter()
                .map(|f| judge(&claim, period, f))
                .collect()
        };
        let both = judged(vec![
            fact("undated", None),
            fact("dated", Some("2020-07-08")),
        ]);
        let v = decide(statement, claim.clone(), period, both);
        assert_eq!(v.verdict, "contradicted", "{:?}", v.notes);
        assert_eq!(v.facts[0]["id"], "dated");
        assert!(
            v.notes.iter().any(|n| n.contains("2020-07-08")),
            "{:?}",
            v.notes
        );
        // Alone, the undated report still bears the figure out, the date not stated.
        let alone = decide(
            statement,
            claim.clone(),
            period,
            judged(vec![fact("undated", None)]),
        );
        assert_eq!(alone.verdict, "supported");
        assert_eq!(alone.fields["date"], FieldMatch::NotStated);
        // It says that the statement's date was not checked.
        assert!(
            alone
                .notes
                .iter()
                .any(|n| n.contains("2018-07-01 to 2018-07-31") && n.contains("not checked")),
            "{:?}",
            alone.notes
        );
        // And a dated report of the stated time wins over both.
        let right = judged(vec![
            fact("undated", None),
            fact("dated", Some("2020-07-08")),
            fact("then", Some("2018-07-20")),
        ]);
        let v = decide(statement, claim, period, right);
        assert_eq!(v.verdict, "supported");
        assert!(v.facts.iter().any(|f| f["id"] == "then"));
    }

    #[test]
    fn a_figure_of_one_country_does_not_bear_out_a_statement_about_more() {
        let statement = "Twitter removed 4,774 accounts linked to Iran and Cuba in October 2020";
        let claim = claim_of(statement);
        assert_eq!(claim.countries, ["IR", "CU"]);
        let period = statement_period(statement);
        let fact = |countries: Vec<&str>| {
            serde_json::json!({"id": "f", "count": 5000, "qualifier": "nearly", "range": [4500, 5000],
                "countries": countries, "platform": "twitter", "object": "accounts",
                "negated": false, "date": "2020-10-08", "sources": []})
        };
        let iran_only = vec![judge(&claim, period, fact(vec!["IR"]))];
        assert_eq!(
            decide(statement, claim.clone(), period, iran_only).verdict,
            "not_found"
        );
        let both = vec![judge(&claim, period, fact(vec!["IR", "CU"]))];
        assert_eq!(decide(statement, claim, period, both).verdict, "supported");
    }

    #[test]
    fn another_platform_of_the_same_company_bears_nothing_out_but_the_company_does() {
        let statement = "Facebook removed 38 pages linked to Brazil in July 2020";
        let claim = claim_of(statement);
        let period = statement_period(statement);
        let fact = |platform: &str| {
            serde_json::json!({"id": platform, "count": 38, "range": [38, 38], "countries": ["BR"],
                "platform": platform, "object": "pages", "negated": false,
                "date": "2020-07-08", "sources": []})
        };
        let verdict = |p: &str| {
            decide(
                statement,
                claim.clone(),
                period,
                vec![judge(&claim, period, fact(p))],
            )
        };
        assert_eq!(
            verdict("instagram").verdict,
            "supported",
            "Facebook, the company"
        );
        let statement = "Instagram removed 38 pages linked to Brazil in July 2020";
        let insta = claim_of(statement);
        let j = judge(&insta, period, fact("whatsapp"));
        assert_eq!(j.platform, FieldMatch::Mismatched);
        assert_eq!(
            decide(statement, insta, period, vec![j]).verdict,
            "not_found"
        );
        let v = verdict("meta");
        assert_eq!(v.verdict, "supported");
        assert_eq!(v.fields["platform"], FieldMatch::Matched);
        assert_eq!(verdict("facebook").verdict, "supported");
    }
}
