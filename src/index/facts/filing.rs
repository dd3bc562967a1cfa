//! The claims the index files for fact grouping, listed from its term dictionary and
//! fast fields alone: a live claim carries the facet `/cfig/<block>/<qualifier>` beside
//! its count and day, so the claims of a block or a super-block, each with its
//! [`Reach`], are listed without reading one stored record.

use super::super::{Kb, KbError};
use crate::claims::Qualifier;
use crate::dedup::Reach;
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Searcher, TERMINATED};

/// The facet root live claims are filed under.
pub const ROOT: &str = "/cfig";

/// The facet root facts are filed under, by block and their founder's qualifier, so
/// that a fact read finds the facts it may conflict with.
pub const FACT_ROOT: &str = "/ffig";

/// Path segments of a filed claim's facet: the root, the four of its block (family,
/// negation, month, countries) and its qualifier.
const DEPTH: usize = 6;

/// Path segments of a super-block's facet: the root, family, negation and month.
const SUPER_DEPTH: usize = 4;

const QUALIFIERS: [Qualifier; 7] = [
    Qualifier::Exact,
    Qualifier::MoreThan,
    Qualifier::AtLeast,
    Qualifier::About,
    Qualifier::Nearly,
    Qualifier::UpTo,
    Qualifier::Vague,
];

/// The facet a live claim of this block and qualifier is filed under.
pub fn facet(block: &str, qualifier: Qualifier) -> Facet {
    Facet::from(&format!("{ROOT}/{block}/{}", qualifier.as_str()))
}

/// The facet a fact of this block and founder's qualifier is filed under.
pub fn fact_facet(block: &str, qualifier: Qualifier) -> Facet {
    Facet::from(&format!("{FACT_ROOT}/{block}/{}", qualifier.as_str()))
}

/// A live claim as filed: where it is and its reach.
#[derive(Debug, Clone)]
pub struct Filed {
    /// Its document.
    pub addr: DocAddress,
    /// Its block, qualifier, count and day.
    pub reach: Reach,
}

/// Filed claims by block or super-block, each listed once per commit: the claims of one
/// commit fall in the same blocks again and again.
pub struct Filing<'a> {
    kb: &'a Kb,
    searcher: &'a Searcher,
    listed: HashMap<String, Rc<Vec<Filed>>>,
}

impl<'a> Filing<'a> {
    /// Filing of the searcher's commit.
    pub fn new(kb: &'a Kb, searcher: &'a Searcher) -> Filing<'a> {
        Filing {
            kb,
            searcher,
            listed: HashMap::new(),
        }
    }

    /// The live claims filed under a block or super-block key.
    pub fn under(&mut self, key: &str) -> Result<Rc<Vec<Filed>>, KbError> {
        if let Some(l) = self.listed.get(key) {
            return Ok(Rc::clone(l));
        }
        let l = Rc::new(list(self.kb, self.searcher, ROOT, key)?);
        self.listed.insert(key.to_string(), Rc::clone(&l));
        Ok(l)
    }
}

fn tan(kb: &Kb) -> impl Fn(tantivy::TantivyError) -> KbError + '_ {
    move |source| KbError::Index {
        path: kb.dir().to_path_buf(),
        source,
    }
}

/// Every encoded facet term strictly below `key` in the filing, with its postings, in
/// each segment: calls `each(segment, segment ordinal, term segments, postings)`.
fn terms_below(
    kb: &Kb,
    searcher: &Searcher,
    root: &str,
    key: &str,
    mut each: impl FnMut(
        &tantivy::SegmentReader,
        u32,
        &[&str],
        Option<tantivy::postings::SegmentPostings>,
    ),
    with_postings: bool,
) -> Result<(), KbError> {
    let tan = tan(kb);
    let io = |e: std::io::Error| tan(e.into());
    let path = if key.is_empty() {
        root.to_string()
    } else {
        format!("{root}/{key}")
    };
    let prefix = Facet::from(&path).encoded_str().to_string();
    let (lo, hi) = (format!("{prefix}\u{0}"), format!("{prefix}\u{1}"));
    for (ord, seg) in searcher.segment_readers().iter().enumerate() {
        let inv = seg.inverted_index(kb.fields.facets).map_err(&tan)?;
        let mut stream = inv
            .terms()
            .range()
            .ge(&lo)
            .lt(&hi)
            .into_stream()
            .map_err(io)?;
        while stream.advance() {
            let Ok(term) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            let parts: Vec<&str> = term.split('\u{0}').collect();
            let postings = if with_postings {
                Some(
                    inv.read_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)
                        .map_err(io)?,
                )
            } else {
                None
            };
            each(seg, ord as u32, &parts, postings);
        }
    }
    Ok(())
}

/// The documents filed under a block or super-block key below `root` ([`ROOT`] for
/// live claims, [`FACT_ROOT`] for facts), read from the index's terms and fast fields.
pub fn list(kb: &Kb, searcher: &Searcher, root: &str, key: &str) -> Result<Vec<Filed>, KbError> {
    let schema = searcher.schema();
    let (count_name, when_name) = (
        schema.get_field_name(kb.fields.count),
        schema.get_field_name(kb.fields.when),
    );
    type Columns = (
        Option<tantivy::columnar::Column<u64>>,
        Option<tantivy::columnar::Column<tantivy::DateTime>>,
    );
    let mut out = Vec::new();
    let mut failed = None;
    // A segment's terms come together: its columns are opened once for all of them.
    let mut opened: Option<(u32, Columns)> = None;
    terms_below(
        kb,
        searcher,
        root,
        key,
        |seg, ord, parts, postings| {
            let (Some(mut postings), true) = (postings, parts.len() == DEPTH) else {
                return;
            };
            let Some(qualifier) = QUALIFIERS.into_iter().find(|q| q.as_str() == parts[5]) else {
                return;
            };
            if opened.as_ref().is_none_or(|(o, _)| *o != ord) {
                let fast = seg.fast_fields();
                let columns = fast
                    .column_opt::<u64>(count_name)
                    .and_then(|c| Ok((c, fast.column_opt::<tantivy::DateTime>(when_name)?)));
                match columns {
                    Ok(c) => opened = Some((ord, c)),
                    Err(e) => {
                        failed = Some(e);
                        return;
                    }
                }
            }
            let Some((_, (counts, days))) = &opened else {
                return;
            };
            let block = parts[1..5].join("/");
            let alive = seg.alive_bitset();
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    out.push(Filed {
                        addr: DocAddress::new(ord, doc),
                        reach: Reach {
                            block: block.clone(),
                            qualifier,
                            count: counts.as_ref().and_then(|c| c.first(doc)),
                            when: days.as_ref().and_then(|c| c.first(doc)).and_then(day_of),
                        },
                    });
                }
                doc = postings.advance();
            }
        },
        true,
    )?;
    match failed {
        Some(source) => Err(tan(kb)(source)),
        None => Ok(out),
    }
}

/// The day a `when` value stands for (the index stores days as their midnight, UTC).
fn day_of(t: tantivy::DateTime) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp(t.into_timestamp_secs(), 0).map(|d| d.date_naive())
}

/// Every super-block key the filing holds (family/negation/month), sorted.
pub fn supers(kb: &Kb, searcher: &Searcher) -> Result<BTreeSet<String>, KbError> {
    let mut out = BTreeSet::new();
    terms_below(
        kb,
        searcher,
        ROOT,
        "",
        |_, _, parts, _| {
            if parts.len() == SUPER_DEPTH {
                out.insert(parts[1..].join("/"));
            }
        },
        false,
    )?;
    Ok(out)
}
