//! Claims grouped into facts: one reported figure of one network, merged across pages.
//!
//! Every pair of reports is one of four things ([`relate`]): the same takedown, a part
//! of another (a country's network inside a multi-country total), a conflict (the same
//! network, a figure no interval reconciles) or a different takedown.
//!
//! - Reports are *blocked* before anything is compared: a block is one platform family,
//!   negation, month of the takedown (the claim's date, else its page's) and exact set
//!   of origin countries ([`block_key`]). Only claims of one block are compared, so the
//!   cost grows with the claims, not their pairs. A commit does not even regroup whole
//!   blocks: only its [`scope()`], the claims its own may be grouped with ([`may_group`]),
//!   which the index finds by block, qualifier, count and day. A fact's conflicts are
//!   not stored but found when it is read ([`conflicts_among`] the facts of its block
//!   that [`may_conflict`] with it), so a new figure rewrites no fact it conflicts with.
//! - Within a block, two reports are the same takedown when their objects share a noun,
//!   their dates are within a week and their count intervals overlap ("more than 4,000"
//!   and "4,258" agree; a round "7,700" and "7,704" agree). Another country set is
//!   another network: Russia's figure inside a four-country total is a part of it,
//!   never one of its sources.
//! - A conflict is a figure of the same network (same block and objects, within a week,
//!   another page) that no interval reconciles and that is near enough to be a misreport
//!   of it (within [`MAX_CONFLICT_RATIO`]): a network ten times smaller announced the
//!   same day is another network, not a wrong figure.
//! - A report that names no country (an extraction gap as often as not) joins the fact
//!   of its super-block (family, negation, month) whose figure it nearly names ("more
//!   than 2,600" for 2,632 over four countries), else a countryless fact; so a
//!   countryless report's scope spans its super-block, narrowed by figure and day.
//! - Only live claims are grouped: claims of an older version of a URL are left out by
//!   the caller, and the source carries the older snapshots as `versions`.
//! - The price of blocking by month: a takedown whose undated reports straddle a month
//!   end splits in two (undated reports are blocked by the day before they came out,
//!   which keeps the common case, reports on the day after a month's last day, whole).

use super::{PageKey, stories};
use crate::claims::Qualifier;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};

/// A count interval: [lo, hi], hi `None` = open.
pub type Interval = (u64, Option<u64>);

/// Most a round figure may be from the figure it rounds, in percent of it.
const ROUNDING_PERCENT: u64 = 5;

/// How far a figure may be from what it rounds: one ending in two or more zeros
/// ("7,700", "2,000") is read as rounded to its last non-zero digit, by at most 5%.
pub fn rounding(n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let mut unit = 1u64;
    while unit < 1_000_000_000_000_000_000 && n.is_multiple_of(unit * 10) {
        unit *= 10;
    }
    if unit < 100 {
        return 0;
    }
    (unit / 2).min(n.saturating_mul(ROUNDING_PERCENT) / 100)
}

/// A count as an interval of what the report allows: [lo, hi], hi `None` = open.
pub fn interval(count: Option<u64>, q: Qualifier) -> Option<Interval> {
    let n = count?;
    let pct = |p: u64| n.saturating_mul(p) / 100;
    Some(match q {
        Qualifier::Exact => {
            let t = rounding(n);
            (n - t, Some(n.saturating_add(t)))
        }
        Qualifier::MoreThan => (n.saturating_add(1), None),
        Qualifier::AtLeast => (n, None),
        Qualifier::About => (pct(90), Some(pct(110).max(n))),
        Qualifier::Nearly => (pct(90), Some(n)),
        Qualifier::UpTo => (0, Some(n)),
        Qualifier::Vague => return None,
    })
}

/// Whether two intervals overlap.
pub fn overlaps(a: Interval, b: Interval) -> bool {
    let a_hi = a.1.unwrap_or(u64::MAX);
    let b_hi = b.1.unwrap_or(u64::MAX);
    a.0 <= b_hi && b.0 <= a_hi
}

/// Whether `outer` holds all of `inner`.
pub fn contains(outer: Interval, inner: Interval) -> bool {
    outer.0 <= inner.0
        && match (outer.1, inner.1) {
            (None, _) => true,
            (Some(o), Some(i)) => i <= o,
            (Some(_), None) => false,
        }
}

/// Widest ratio of its upper to its lower bound an interval may have and still pin a
/// figure down ("about 800" is [720, 880]: 1.22; "up to 500" or "more than 88,000"
/// do not).
pub const PRECISE_RATIO: f64 = 1.25;

/// Whether an interval pins a figure down, rather than bounding it from one side.
pub fn is_precise(iv: Interval) -> bool {
    match iv.1 {
        Some(hi) => hi == iv.0 || (iv.0 > 0 && hi as f64 <= iv.0 as f64 * PRECISE_RATIO),
        None => false,
    }
}

fn intersect(a: Interval, b: Interval) -> Interval {
    let hi = match (a.1, b.1) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    (a.0.max(b.0), hi)
}

/// A claim as fact-building sees it.
#[derive(Debug, Clone)]
pub struct ClaimRow {
    /// Claim id.
    pub id: String,
    /// Platform id.
    pub platform: String,
    /// Platform family (facebook/instagram/whatsapp/meta → meta).
    pub family: String,
    /// Origin countries.
    pub countries: Vec<String>,
    /// Targets.
    pub targets: Vec<String>,
    /// Object, lower case.
    pub object: String,
    /// Count.
    pub count: Option<u64>,
    /// Qualifier.
    pub qualifier: Qualifier,
    /// Claim date.
    pub date: Option<NaiveDate>,
    /// Negated.
    pub negated: bool,
    /// Page URL.
    pub url: Option<String>,
    /// Site.
    pub site: Option<String>,
    /// Page publication date.
    pub published: Option<String>,
    /// Evidence sentence.
    pub evidence: String,
    /// Snapshot.
    pub snapshot: String,
    /// Whether the page is the platform's own post.
    pub primary: bool,
    /// Older snapshots of the same URL, which this version replaced.
    pub versions: Vec<String>,
    /// What story grouping needs of the page, when known (else the page is its own story).
    pub page: Option<PageKey>,
}

impl ClaimRow {
    /// When the takedown happened as far as this report tells: its own date, else the
    /// day its page was published.
    pub fn when(&self) -> Option<NaiveDate> {
        self.date
            .or_else(|| published_day(self.published.as_deref()))
    }

    fn interval(&self) -> Option<Interval> {
        interval(self.count, self.qualifier)
    }

    fn country_set(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.countries.iter().map(String::as_str).collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// The day of a `published` value (`YYYY-MM-DD` or RFC 3339).
pub fn published_day(p: Option<&str>) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(p?.get(..10)?, "%Y-%m-%d").ok()
}

/// The block a claim is grouped in: family, negation, month and origin countries, as
/// path segments (`meta/said/2019-03/IR+MK+RU+XK`), usable as a facet.
pub fn block_key(r: &ClaimRow) -> String {
    let family = if r.family.is_empty() { "_" } else { &r.family };
    let neg = if r.negated { "denied" } else { "said" };
    let month =
        block_month(r).map_or_else(|| "undated".to_string(), |(y, m)| format!("{y:04}-{m:02}"));
    let countries = r.country_set();
    let countries = if countries.is_empty() {
        "none".to_string()
    } else {
        countries.join("+")
    };
    format!("{family}/{neg}/{month}/{countries}").replace(char::is_whitespace, "_")
}

/// The month a claim is blocked in: its takedown date's, or for an undated report the
/// month of the day before its page was published. Reports come out on the day of the
/// announcement or the day after, so the day's shift keeps most undated reports of a
/// takedown announced on a month's last day in its block.
fn block_month(r: &ClaimRow) -> Option<(i32, u32)> {
    let day = match r.date {
        Some(d) => d,
        None => published_day(r.published.as_deref())?.pred_opt()?,
    };
    Some((day.year(), day.month()))
}

/// What one report is to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// The same takedown: one fact.
    Same,
    /// One is a network inside the other's total (fewer countries, a figure no larger).
    Part,
    /// The same network with a figure no interval reconciles: shown beside the fact.
    Conflict,
    /// Another takedown.
    Different,
}

/// Days within which two reports can be about the same takedown.
pub const SAME_TAKEDOWN_DAYS: i64 = 7;

/// Largest ratio between two figures of one network for one to be a misreport of the
/// other (a transposed 4,528 for 4,258; a 2,362 for 2,632).
pub const MAX_CONFLICT_RATIO: f64 = 2.5;

fn within_window(a: &ClaimRow, b: &ClaimRow) -> bool {
    match (a.when(), b.when()) {
        (Some(x), Some(y)) => (x - y).num_days().abs() <= SAME_TAKEDOWN_DAYS,
        (None, None) => true,
        _ => false,
    }
}

/// What fact building needs to know of a claim to bound whose facts it can change: its
/// block, qualifier, count and day. The index files every live claim with these, so a
/// commit finds the claims its new ones may meet without reading any stored record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    /// Its block ([`block_key`]).
    pub block: String,
    /// How its figure is hedged.
    pub qualifier: Qualifier,
    /// Its figure.
    pub count: Option<u64>,
    /// Its day ([`ClaimRow::when`]).
    pub when: Option<NaiveDate>,
}

impl Reach {
    /// The reach of a claim.
    pub fn of(r: &ClaimRow) -> Reach {
        Reach {
            block: block_key(r),
            qualifier: r.qualifier,
            count: r.count,
            when: r.when(),
        }
    }
}

/// Whether two days are within a takedown's window of each other (two unknown days are).
fn days_within(a: Option<NaiveDate>, b: Option<NaiveDate>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => (x - y).num_days().abs() <= SAME_TAKEDOWN_DAYS,
        (None, None) => true,
        _ => false,
    }
}

/// Whether one claim may join another's group or found the group it joins, as far as
/// the index tells (objects unchecked): a superset of [`Relation::Same`] and of a
/// countryless report's joining a fact of its super-block. Groups form within the sets
/// this relation connects, so a commit regroups only the sets its claims fall in.
pub fn may_group(a: &Reach, b: &Reach) -> bool {
    if super_key(&a.block) != super_key(&b.block) || !days_within(a.when, b.when) {
        return false;
    }
    let (x, y) = (
        interval(a.count, a.qualifier),
        interval(b.count, b.qualifier),
    );
    let same_block = a.block == b.block;
    match (x, y) {
        (None, None) => same_block,
        // A countryless report joins a group only when its figure meets the group's
        // range, which lies inside the founder's interval.
        (Some(x), Some(y)) => {
            overlaps(x, y) && (same_block || is_countryless(&a.block) != is_countryless(&b.block))
        }
        _ => false,
    }
}

/// Whether one claim may be listed as the other's conflict, as far as the index tells
/// (objects and pages unchecked): a superset of [`Relation::Conflict`].
pub fn may_conflict(a: &Reach, b: &Reach) -> bool {
    a.block == b.block
        && days_within(a.when, b.when)
        && match (
            interval(a.count, a.qualifier),
            interval(b.count, b.qualifier),
        ) {
            (Some(x), Some(y)) => near(x, y, MAX_CONFLICT_RATIO),
            _ => false,
        }
}

/// Whether one claim may change the facts another is in, directly: [`may_group`] or
/// [`may_conflict`].
pub fn may_meet(a: &Reach, b: &Reach) -> bool {
    may_group(a, b) || may_conflict(a, b)
}

/// Whether two figures are within `ratio` of each other (an open interval counts by
/// its lower bound).
fn near(a: Interval, b: Interval, ratio: f64) -> bool {
    let mid = |i: Interval| i.1.map_or(i.0 as f64, |h| (i.0 as f64 + h as f64) / 2.0);
    let (x, y) = (mid(a).max(1.0), mid(b).max(1.0));
    x.max(y) / x.min(y) <= ratio
}

/// Whether `small` can be a network inside `big`'s total: strictly fewer countries, all
/// of them in `big`, and a figure that is not larger.
fn part_of(small: &ClaimRow, big: &ClaimRow) -> bool {
    let (s, b) = (small.country_set(), big.country_set());
    if s.is_empty() || s.len() >= b.len() || !s.iter().all(|c| b.contains(c)) {
        return false;
    }
    match (small.interval(), big.interval()) {
        (Some(x), Some(y)) => x.0 <= y.1.unwrap_or(u64::MAX),
        _ => true,
    }
}

/// What report `b` is to report `a` (symmetric).
pub fn relate(a: &ClaimRow, b: &ClaimRow) -> Relation {
    let same_month = block_month(a) == block_month(b);
    if a.family != b.family
        || a.negated != b.negated
        || !objects_compatible(&a.object, &b.object)
        || !within_window(a, b)
        || !same_month
    {
        return Relation::Different;
    }
    // Most pairs name their countries alike, in the same order: compared as written
    // first, as sets only when that differs.
    if a.countries != b.countries && a.country_set() != b.country_set() {
        return if part_of(a, b) || part_of(b, a) {
            Relation::Part
        } else {
            Relation::Different
        };
    }
    match (a.interval(), b.interval()) {
        (None, None) => Relation::Same,
        (Some(x), Some(y)) if overlaps(x, y) => Relation::Same,
        (Some(x), Some(y))
            if a.snapshot != b.snapshot
                && object_nouns(&a.object) == object_nouns(&b.object)
                && near(x, y, MAX_CONFLICT_RATIO) =>
        {
            Relation::Conflict
        }
        _ => Relation::Different,
    }
}

/// The nouns of an object ("pages, groups and accounts" → accounts, groups, pages).
fn object_nouns(o: &str) -> Vec<String> {
    let mut v: Vec<String> = o
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "and" && *w != "or")
        .map(str::to_string)
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Two reports name the same things when their objects share a noun: "2,632 Pages,
/// Groups and accounts" and "more than 2,600 accounts and Pages" are one takedown.
pub fn objects_compatible(a: &str, b: &str) -> bool {
    // Word by word, without building the noun lists: grouping asks this of every pair
    // of a block.
    nouns_of(a).any(|x| nouns_of(b).any(|y| same_word(x, y)))
}

/// Whether two words are the same, case aside.
fn same_word(x: &str, y: &str) -> bool {
    x.chars()
        .flat_map(char::to_lowercase)
        .eq(y.chars().flat_map(char::to_lowercase))
}

/// The nouns of an object as written ("and" and "or" left out).
fn nouns_of(o: &str) -> impl Iterator<Item = &str> {
    o.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !same_word(w, "and") && !same_word(w, "or"))
}

/// One source of a fact.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FactSource {
    /// Page URL.
    pub url: Option<String>,
    /// Site.
    pub site: Option<String>,
    /// Publication date.
    pub published: Option<String>,
    /// Evidence sentence.
    pub evidence: String,
    /// Snapshot id (the latest version of the page).
    pub snapshot: String,
    /// Story id (copies of one story share it).
    pub story: String,
    /// The claim this source is.
    pub claim: String,
    /// Older snapshots of the same URL, replaced by this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
}

/// A report that disagrees with the fact's figure.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Conflict {
    /// Its count.
    pub count: Option<u64>,
    /// Its qualifier.
    pub qualifier: Qualifier,
    /// Its page.
    pub url: Option<String>,
    /// Its sentence.
    pub evidence: String,
    /// Its snapshot.
    pub snapshot: String,
}

/// One reported figure merged across every page that reports it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Fact {
    /// Stable id.
    pub id: String,
    /// Platform id (the most specific the sources agree on).
    pub platform: String,
    /// Origin countries.
    pub countries: Vec<String>,
    /// Targets (union over sources).
    pub targets: Vec<String>,
    /// Object.
    pub object: String,
    /// The most precise count.
    pub count: Option<u64>,
    /// Its qualifier.
    pub qualifier: Qualifier,
    /// The interval the reports agree on; null bound = open.
    pub range: Option<Interval>,
    /// Date of the takedown (earliest the sources give).
    #[serde(serialize_with = "ser_date")]
    pub date: Option<NaiveDate>,
    /// The earliest publication date of its reports: what a fact without a takedown
    /// date is dated by when matched.
    #[serde(serialize_with = "ser_date")]
    pub first_reported: Option<NaiveDate>,
    /// Negated ("found no activity on WhatsApp").
    pub negated: bool,
    /// Every page reporting it.
    pub sources: Vec<FactSource>,
    /// Pages reporting it.
    pub source_count: usize,
    /// Distinct stories among them.
    pub independent_sources: usize,
    /// The platform's own post, if archived.
    pub primary_source: Option<String>,
    /// Same network, figure that cannot be reconciled.
    pub conflicts: Vec<Conflict>,
    /// What its conflicts are found from (the index keeps this, not the conflicts).
    pub grouping: Grouping,
}

/// What decides which facts a fact conflicts with, and what each of its sources
/// reported: the index stores this with each fact and finds the fact's conflicts when
/// it is read, so a new figure never rewrites the facts it conflicts with.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Grouping {
    /// The block it was grouped in ([`block_key`]).
    pub block: String,
    /// The claim that founded it.
    pub founder: String,
    /// Its founder's day ([`ClaimRow::when`]).
    pub when: Option<NaiveDate>,
    /// Its founder's snapshot.
    pub snapshot: String,
    /// Each source's figure, in the order of the sources.
    pub figures: Vec<(Option<u64>, Qualifier)>,
}

/// A fact as far as conflicts go, borrowed from a [`Fact`] or a [`StoredFigure`].
#[derive(Debug, Clone, Copy)]
pub struct Figure<'a> {
    /// Its founder's object.
    pub object: &'a str,
    /// Its founder's count.
    pub count: Option<u64>,
    /// Its founder's qualifier.
    pub qualifier: Qualifier,
    /// The interval its reports agree on.
    pub range: Option<Interval>,
    /// Its sources.
    pub sources: &'a [FactSource],
    /// Its founder and its sources' figures.
    pub grouping: &'a Grouping,
}

/// The part of a stored fact record that its conflicts are found from.
#[derive(Debug, Clone, Deserialize)]
pub struct StoredFigure {
    /// Its founder's object.
    pub object: String,
    /// Its founder's count.
    pub count: Option<u64>,
    /// Its founder's qualifier.
    pub qualifier: Qualifier,
    /// The interval its reports agree on.
    pub range: Option<Interval>,
    /// Its sources.
    pub sources: Vec<FactSource>,
    /// Its founder and its sources' figures.
    pub grouping: Grouping,
}

impl StoredFigure {
    /// Borrowed, as conflicts are computed from it.
    pub fn figure(&self) -> Figure<'_> {
        Figure {
            object: &self.object,
            count: self.count,
            qualifier: self.qualifier,
            range: self.range,
            sources: &self.sources,
            grouping: &self.grouping,
        }
    }
}

impl Fact {
    /// Borrowed, as conflicts are computed from it.
    pub fn figure(&self) -> Figure<'_> {
        Figure {
            object: &self.object,
            count: self.count,
            qualifier: self.qualifier,
            range: self.range,
            sources: &self.sources,
            grouping: &self.grouping,
        }
    }
}

impl Figure<'_> {
    /// The order groups are founded in ([`founding_order`]), by their founders.
    fn founding_key(&self) -> FoundingKey<'_> {
        let founder = self
            .sources
            .iter()
            .find(|s| s.claim == self.grouping.founder);
        founding_key(
            self.qualifier,
            self.count,
            founder.and_then(|s| s.url.as_deref()),
            founder.map_or("", |s| s.evidence.as_str()),
            self.object,
            &self.grouping.founder,
        )
    }

    /// Whether the founders of two groups of one block are the same network with
    /// figures no interval reconciles ([`relate`] of two founders of one block), and
    /// the groups' agreed ranges do not meet either.
    fn conflicts_with(&self, other: &Figure) -> bool {
        let (Some(x), Some(y)) = (
            interval(self.count, self.qualifier),
            interval(other.count, other.qualifier),
        ) else {
            return false;
        };
        objects_compatible(self.object, other.object)
            && days_within(self.grouping.when, other.grouping.when)
            && !overlaps(x, y)
            && self.grouping.snapshot != other.grouping.snapshot
            && object_nouns(self.object) == object_nouns(other.object)
            && near(x, y, MAX_CONFLICT_RATIO)
            && !matches!((self.range, other.range), (Some(a), Some(b)) if overlaps(a, b))
    }
}

/// The conflicts of a fact among the other facts of its block: the sources of each
/// group whose founder conflicts with its own, groups in founding order and sources in
/// their order, less those on a page of its own (two figures on one page are two
/// networks, never a misreport of each other). A fact without a figure has none.
pub fn conflicts_among(me: &Figure, others: &[Figure]) -> Vec<Conflict> {
    if me.range.is_none() {
        return Vec::new();
    }
    let mut rivals: Vec<&Figure> = others.iter().filter(|o| me.conflicts_with(o)).collect();
    rivals.sort_by(|a, b| a.founding_key().cmp(&b.founding_key()));
    let snapshots: HashSet<&str> = me.sources.iter().map(|s| s.snapshot.as_str()).collect();
    let mut out = Vec::new();
    for other in rivals {
        for (s, fig) in other.sources.iter().zip(&other.grouping.figures) {
            if !snapshots.contains(s.snapshot.as_str()) {
                out.push(Conflict {
                    count: fig.0,
                    qualifier: fig.1,
                    url: s.url.clone(),
                    evidence: s.evidence.clone(),
                    snapshot: s.snapshot.clone(),
                });
            }
        }
    }
    out
}

fn ser_date<S: serde::Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&d.format("%Y-%m-%d").to_string()),
        None => s.serialize_none(),
    }
}

/// The part of a block key before its countries: family, negation and month. The
/// blocks of one super-block are regrouped together when it holds reports that name no
/// country, since those may join a fact of any of them.
pub fn super_key(block: &str) -> &str {
    block.rsplit_once('/').map_or(block, |(s, _)| s)
}

/// Whether a block key is that of reports naming no country.
pub fn is_countryless(block: &str) -> bool {
    block.ends_with("/none")
}

/// Groups claims into facts, super-block by super-block; deterministic in the claims'
/// ids.
pub fn facts(rows: &[ClaimRow]) -> Vec<Fact> {
    let mut supers: BTreeMap<String, Vec<&ClaimRow>> = BTreeMap::new();
    for r in rows {
        supers
            .entry(super_key(&block_key(r)).to_string())
            .or_default()
            .push(r);
    }
    let mut out: Vec<Fact> = supers
        .into_values()
        .flat_map(|rows| super_block_facts(&rows))
        .collect();
    out.sort_by(|a, b| (b.date, &a.id).cmp(&(a.date, &b.id)));
    out
}

/// A group under construction: its members (founder first) and the agreed interval.
struct Group {
    members: Vec<usize>,
    range: Option<Interval>,
}

/// The order reports found and join groups in: exact, unrounded figures first, so they
/// found the facts that hedged reports join. Ties go by what a report says and where
/// (page, sentence, object) before its id, since a new version of a page gives its
/// claims new ids and must not change which of them founds a fact.
fn founding_order(rows: &[&ClaimRow], idx: &mut [usize]) {
    idx.sort_by_key(|&i| {
        let r = rows[i];
        founding_key(
            r.qualifier,
            r.count,
            r.url.as_deref(),
            &r.evidence,
            &r.object,
            &r.id,
        )
    });
}

/// What [`founding_order`] sorts by: hedged, rounded, figureless last; then page,
/// sentence, object and claim id.
type FoundingKey<'a> = (bool, bool, bool, Option<&'a str>, &'a str, &'a str, &'a str);

/// A report's [`FoundingKey`].
fn founding_key<'a>(
    qualifier: Qualifier,
    count: Option<u64>,
    url: Option<&'a str>,
    evidence: &'a str,
    object: &'a str,
    id: &'a str,
) -> FoundingKey<'a> {
    (
        qualifier != Qualifier::Exact,
        count.map_or(1, rounding) > 0,
        count.is_none(),
        url,
        evidence,
        object,
        id,
    )
}

/// Groups the reports `idx` of one block.
fn group_block(rows: &[&ClaimRow], idx: &[usize]) -> Vec<Group> {
    let mut order = idx.to_vec();
    founding_order(rows, &mut order);
    let mut groups: Vec<Group> = Vec::new();
    for i in order {
        let r = rows[i];
        let iv = r.interval();
        let joined = groups.iter().position(|g| {
            relate(rows[g.members[0]], r) == Relation::Same
                && match (g.range, iv) {
                    (Some(a), Some(b)) => overlaps(a, b),
                    (None, None) => true,
                    _ => false,
                }
        });
        match joined {
            Some(g) => {
                groups[g].members.push(i);
                if let (Some(a), Some(b)) = (groups[g].range, iv) {
                    groups[g].range = Some(intersect(a, b));
                }
            }
            None => groups.push(Group {
                members: vec![i],
                range: iv,
            }),
        }
    }
    groups
}

/// Largest ratio between a countryless report's figure and a fact's for the report to
/// join it: it must name nearly the same figure ("more than 2,600" for 2,632), not
/// merely a compatible bound ("more than 100").
const COUNTRYLESS_RATIO: f64 = PRECISE_RATIO;

/// The group of the super-block a report naming no country joins, if one fits: same
/// object, within a week, a figure that agrees and is near; the largest such group, then
/// the first block.
fn home_for(
    rows: &[&ClaimRow],
    blocks: &BTreeMap<String, Vec<Group>>,
    i: usize,
) -> Option<(String, usize)> {
    let r = rows[i];
    let iv = r.interval()?;
    let mut best: Option<(usize, String, usize)> = None;
    for (key, groups) in blocks {
        for (g, group) in groups.iter().enumerate() {
            let founder = rows[group.members[0]];
            let fits = group
                .range
                .is_some_and(|range| overlaps(range, iv) && near(range, iv, COUNTRYLESS_RATIO))
                && objects_compatible(&founder.object, &r.object)
                && within_window(founder, r);
            if fits && best.as_ref().is_none_or(|b| group.members.len() > b.0) {
                best = Some((group.members.len(), key.clone(), g));
            }
        }
    }
    best.map(|(_, k, g)| (k, g))
}

/// The facts of one super-block (every row has its super key): each block is grouped
/// on its own, then each report naming no country joins the fact it fits, if any; the
/// rest are grouped among themselves.
pub fn super_block_facts(rows: &[&ClaimRow]) -> Vec<Fact> {
    let mut by_block: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        by_block.entry(block_key(r)).or_default().push(i);
    }
    let mut countryless = Vec::new();
    let mut blocks: BTreeMap<String, Vec<Group>> = BTreeMap::new();
    for (key, idx) in by_block {
        if is_countryless(&key) {
            countryless.push((key, idx));
        } else {
            let groups = group_block(rows, &idx);
            blocks.insert(key, groups);
        }
    }
    for (key, mut idx) in countryless {
        founding_order(rows, &mut idx);
        let mut left = Vec::new();
        for i in idx {
            match home_for(rows, &blocks, i) {
                Some((k, g)) => {
                    if let Some(group) = blocks.get_mut(&k).and_then(|gs| gs.get_mut(g)) {
                        group.members.push(i);
                        if let (Some(a), Some(b)) = (group.range, rows[i].interval()) {
                            group.range = Some(intersect(a, b));
                        }
                    }
                }
                None => left.push(i),
            }
        }
        if !left.is_empty() {
            let groups = group_block(rows, &left);
            blocks.insert(key, groups);
        }
    }
    let mut out = Vec::new();
    for (key, groups) in &blocks {
        let mut facts: Vec<Fact> = (0..groups.len())
            .map(|g| fact_of(key, rows, groups, g))
            .collect();
        let conflicts: Vec<Vec<Conflict>> = {
            let figures: Vec<Figure> = facts.iter().map(Fact::figure).collect();
            (0..figures.len())
                .map(|i| {
                    let others: Vec<Figure> = (0..figures.len())
                        .filter(|&j| j != i)
                        .map(|j| figures[j])
                        .collect();
                    conflicts_among(&figures[i], &others)
                })
                .collect()
        };
        for (f, c) in facts.iter_mut().zip(conflicts) {
            f.conflicts = c;
        }
        out.extend(facts);
    }
    out
}

/// Story ids of a fact's pages: copies among them are one story (the smallest snapshot
/// of the copies); a page without its keys is a story of its own.
fn stories_of(members: &[&ClaimRow]) -> Vec<String> {
    let keys: Vec<PageKey> = members
        .iter()
        .map(|r| match &r.page {
            Some(p) => PageKey {
                snapshot: r.snapshot.clone(),
                ..p.clone()
            },
            None => PageKey {
                snapshot: r.snapshot.clone(),
                url: None,
                // A hash no other page has: its snapshot's.
                text_hash: super::text_hash(&r.snapshot),
                simhash: 0,
                words: 0,
                paragraphs: Vec::new(),
            },
        })
        .collect();
    stories(&keys)
}

fn fact_of(key: &str, rows: &[&ClaimRow], groups: &[Group], g: usize) -> Fact {
    let group = &groups[g];
    let members: Vec<&ClaimRow> = group.members.iter().map(|&m| rows[m]).collect();
    let rep = members[0];
    let story_ids = stories_of(&members);
    let mut reported: Vec<(FactSource, (Option<u64>, Qualifier))> = members
        .iter()
        .zip(&story_ids)
        .map(|(r, story)| {
            let source = FactSource {
                url: r.url.clone(),
                site: r.site.clone(),
                published: r.published.clone(),
                evidence: r.evidence.clone(),
                snapshot: r.snapshot.clone(),
                story: story.clone(),
                claim: r.id.clone(),
                versions: r.versions.clone(),
            };
            (source, (r.count, r.qualifier))
        })
        .collect();
    reported.sort_by(|(a, _), (b, _)| {
        (&a.published, &a.url, &a.claim).cmp(&(&b.published, &b.url, &b.claim))
    });
    let (sources, figures): (Vec<FactSource>, Vec<_>) = reported.into_iter().unzip();
    let mut independent: Vec<&str> = story_ids.iter().map(String::as_str).collect();
    independent.sort_unstable();
    independent.dedup();
    // The founder is the most precise report (exact and unrounded first).
    let best = rep;
    let sorted = |f: &dyn Fn(&ClaimRow) -> Vec<String>| {
        let mut v: Vec<String> = members.iter().flat_map(|r| f(r)).collect();
        v.sort();
        v.dedup();
        v
    };
    let countries = sorted(&|r| r.countries.clone());
    let targets = sorted(&|r| r.targets.clone());
    // The most specific platform: "instagram" over "meta" when any source says so.
    let platform = members
        .iter()
        .map(|r| r.platform.clone())
        .min_by_key(|p| (p == "meta", p.clone()))
        .unwrap_or_else(|| rep.platform.clone());
    let min_id = members.iter().map(|r| r.id.as_str()).min().unwrap_or("");
    let id: String = Sha256::digest(format!("fact:{min_id}").as_bytes())
        .iter()
        .take(10)
        .map(|b| format!("{b:02x}"))
        .collect();
    Fact {
        id,
        platform,
        countries,
        targets,
        object: best.object.clone(),
        count: best.count,
        qualifier: best.qualifier,
        range: group.range,
        date: members.iter().filter_map(|r| r.date).min(),
        first_reported: members
            .iter()
            .filter_map(|r| published_day(r.published.as_deref()))
            .min(),
        negated: rep.negated,
        source_count: members.len(),
        independent_sources: independent.len(),
        primary_source: members
            .iter()
            .find(|r| r.primary)
            .and_then(|r| r.url.clone()),
        grouping: Grouping {
            block: key.to_string(),
            founder: rep.id.clone(),
            when: rep.when(),
            snapshot: rep.snapshot.clone(),
            figures,
        },
        sources,
        conflicts: Vec::new(),
    }
}

mod scope;
pub use scope::*;

#[cfg(test)]
mod tests;
