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

    /// Lists the live claims under each of `keys` (block or super-block keys) with one
    /// stream per segment that walks the term dictionary along the keys' paths alone
    /// ([`Prefixes`]), instead of one range per key and segment: a commit's claims fall
    /// in thousands of blocks, and setting up a range and the fast-field columns for
    /// each key in each segment was 8% of a 20,000-page ingest's CPU (streaming the
    /// whole filing of every segment cost more still). [`Filing::under`] then answers
    /// these keys as [`list`] would (the same claims, in the same order); other keys are
    /// listed when asked for.
    pub fn prefetch<'k>(&mut self, keys: impl IntoIterator<Item = &'k str>) -> Result<(), KbError> {
        // Each key by its encoded path below the root, for keys of a block (four
        // segments) or a super-block (three) only: those are the parts of a filed
        // term that the pass below compares.
        let mut wanted: HashMap<String, (String, Vec<Filed>)> = HashMap::new();
        let root = format!("{}\u{0}", Facet::from(ROOT).encoded_str());
        for key in keys {
            if self.listed.contains_key(key) {
                continue;
            }
            let encoded = Facet::from(&format!("{ROOT}/{key}"))
                .encoded_str()
                .to_string();
            let Some(below) = encoded.strip_prefix(&root) else {
                continue;
            };
            let depth = below.split('\u{0}').count();
            if depth == DEPTH - 2 || depth == SUPER_DEPTH - 1 {
                wanted.insert(below.to_string(), (key.to_string(), Vec::new()));
            }
        }
        if wanted.is_empty() {
            return Ok(());
        }
        let (kb, searcher) = (self.kb, self.searcher);
        let tan = tan(kb);
        let io = |e: std::io::Error| tan(e.into());
        // What is below each key: its encoded path under the root, then a zero byte.
        let prefixes = Prefixes::new(
            wanted
                .keys()
                .map(|below| format!("{root}{below}\u{0}").into_bytes())
                .collect(),
        );
        let mut columns = SegmentColumns::new(kb.fields.when);
        for (ord, seg) in searcher.segment_readers().iter().enumerate() {
            let ord = ord as u32;
            let inv = seg.inverted_index(kb.fields.facets).map_err(&tan)?;
            let mut stream = inv.terms().search(&prefixes).into_stream().map_err(io)?;
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                let parts: Vec<&str> = term.split('\u{0}').collect();
                if parts.len() != DEPTH {
                    continue;
                }
                let Some(qualifier) = QUALIFIERS.into_iter().find(|q| q.as_str() == parts[5])
                else {
                    continue;
                };
                // The encoded block and super-block of this term, as slices of it: the
                // term is the root's segment, then the block's four, then the qualifier,
                // joined by zero bytes.
                let start = parts[0].len() + 1;
                let block_end = start + parts[1..5].iter().map(|p| p.len()).sum::<usize>() + 3;
                let super_end = block_end - parts[4].len() - 1;
                let (Some(in_block), Some(in_super)) =
                    (term.get(start..block_end), term.get(start..super_end))
                else {
                    continue;
                };
                let (in_block, in_super) = (
                    wanted.contains_key(in_block).then_some(in_block),
                    wanted.contains_key(in_super).then_some(in_super),
                );
                if in_block.is_none() && in_super.is_none() {
                    continue;
                }
                let (counts, days) = columns.of(kb, seg, ord).map_err(&tan)?;
                let mut postings = inv
                    .read_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)
                    .map_err(io)?;
                let mut found = Vec::new();
                let at = FilingTerm {
                    seg,
                    ord,
                    block: parts[1..5].join("/"),
                    qualifier,
                };
                at.push_live(&mut postings, (counts.as_ref(), days.as_ref()), &mut found);
                if let Some((_, l)) = in_block.and_then(|k| wanted.get_mut(k)) {
                    l.extend(found.iter().cloned());
                }
                if let Some((_, l)) = in_super.and_then(|k| wanted.get_mut(k)) {
                    l.extend(found);
                }
            }
        }
        for (key, l) in wanted.into_values() {
            self.listed.insert(key, Rc::new(l));
        }
        Ok(())
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

/// An automaton over the term dictionary that matches every term starting with one of
/// a set of prefixes, so that one stream per segment lists what many ranges would,
/// skipping the rest of the dictionary.
struct Prefixes {
    /// Sorted, without repeats.
    sorted: Vec<Vec<u8>>,
}

/// Where a term's bytes so far stand against the prefixes.
#[derive(Clone, Copy)]
enum PrefixState {
    /// No prefix starts so.
    Dead,
    /// A whole prefix was read: every continuation matches.
    Matched,
    /// The prefixes `lo..hi` start with the `depth` bytes read.
    Within { lo: usize, hi: usize, depth: usize },
}

impl Prefixes {
    fn new(mut sorted: Vec<Vec<u8>>) -> Prefixes {
        sorted.sort();
        sorted.dedup();
        Prefixes { sorted }
    }
}

impl tantivy_fst::Automaton for &Prefixes {
    type State = PrefixState;

    fn start(&self) -> PrefixState {
        if self.sorted.iter().any(Vec::is_empty) {
            PrefixState::Matched
        } else {
            PrefixState::Within {
                lo: 0,
                hi: self.sorted.len(),
                depth: 0,
            }
        }
    }

    fn is_match(&self, state: &PrefixState) -> bool {
        matches!(state, PrefixState::Matched)
    }

    fn can_match(&self, state: &PrefixState) -> bool {
        !matches!(state, PrefixState::Dead)
    }

    fn will_always_match(&self, state: &PrefixState) -> bool {
        matches!(state, PrefixState::Matched)
    }

    fn accept(&self, state: &PrefixState, byte: u8) -> PrefixState {
        let PrefixState::Within { lo, hi, depth } = *state else {
            return *state;
        };
        // Within lo..hi every prefix is longer than `depth` (a shorter one would have
        // matched) and they are sorted by their byte at `depth`.
        let range = &self.sorted[lo..hi];
        let first = range.partition_point(|p| p[depth] < byte);
        let end = range.partition_point(|p| p[depth] <= byte);
        if first == end {
            return PrefixState::Dead;
        }
        // A prefix that ends here sorts before those it starts.
        if self.sorted[lo + first].len() == depth + 1 {
            return PrefixState::Matched;
        }
        PrefixState::Within {
            lo: lo + first,
            hi: lo + end,
            depth: depth + 1,
        }
    }
}

/// The count and day columns of one segment at a time, opened once for all its terms.
struct SegmentColumns {
    /// The field a document's day is read from.
    day: tantivy::schema::Field,
    opened: Option<(u32, Columns)>,
}

/// A segment's count and day columns.
type Columns = (
    Option<tantivy::columnar::Column<u64>>,
    Option<tantivy::columnar::Column<tantivy::DateTime>>,
);

impl SegmentColumns {
    /// Columns whose days are read from `day`: a claim's `when`, a fact's `founded`.
    fn new(day: tantivy::schema::Field) -> SegmentColumns {
        SegmentColumns { day, opened: None }
    }

    /// The columns of the segment `ord`, opened if it is not the last one asked for.
    fn of(
        &mut self,
        kb: &Kb,
        seg: &tantivy::SegmentReader,
        ord: u32,
    ) -> Result<&Columns, tantivy::TantivyError> {
        if self.opened.as_ref().is_none_or(|(o, _)| *o != ord) {
            let schema = seg.schema();
            let (count_name, when_name) = (
                schema.get_field_name(kb.fields.count),
                schema.get_field_name(self.day),
            );
            let fast = seg.fast_fields();
            let columns = (
                fast.column_opt::<u64>(count_name)?,
                fast.column_opt::<tantivy::DateTime>(when_name)?,
            );
            self.opened = Some((ord, columns));
        }
        match &self.opened {
            Some((_, c)) => Ok(c),
            None => Err(tantivy::TantivyError::InternalError(
                "columns not opened".into(),
            )),
        }
    }
}

fn tan(kb: &Kb) -> impl Fn(tantivy::TantivyError) -> KbError + '_ {
    move |source| KbError::Index {
        path: kb.dir().to_path_buf(),
        source,
    }
}

/// Every encoded facet term strictly below `key` in the filing, with its postings, in
/// each segment: calls `each(segment, segment ordinal, encoded term, its segments,
/// postings)`.
fn terms_below(
    kb: &Kb,
    searcher: &Searcher,
    root: &str,
    key: &str,
    mut each: impl FnMut(
        &tantivy::SegmentReader,
        u32,
        &str,
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
            each(seg, ord as u32, term, &parts, postings);
        }
    }
    Ok(())
}

/// One filing term of a segment: the block and qualifier its documents are filed under.
struct FilingTerm<'a> {
    seg: &'a tantivy::SegmentReader,
    ord: u32,
    block: String,
    qualifier: Qualifier,
}

impl FilingTerm<'_> {
    /// Pushes the term's live documents with the count and day their columns hold.
    fn push_live(
        &self,
        postings: &mut tantivy::postings::SegmentPostings,
        (counts, days): (
            Option<&tantivy::columnar::Column<u64>>,
            Option<&tantivy::columnar::Column<tantivy::DateTime>>,
        ),
        out: &mut Vec<Filed>,
    ) {
        let alive = self.seg.alive_bitset();
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                out.push(Filed {
                    addr: DocAddress::new(self.ord, doc),
                    reach: Reach {
                        block: self.block.clone(),
                        qualifier: self.qualifier,
                        count: counts.and_then(|c| c.first(doc)),
                        when: days.and_then(|c| c.first(doc)).and_then(day_of),
                    },
                });
            }
            doc = postings.advance();
        }
    }
}

/// The documents filed under a block or super-block key below `root` ([`ROOT`] for
/// live claims, [`FACT_ROOT`] for facts), read from the index's terms and fast fields.
/// A claim's day is its `when`; a fact's is its founder's, as conflicts are judged.
pub fn list(kb: &Kb, searcher: &Searcher, root: &str, key: &str) -> Result<Vec<Filed>, KbError> {
    let mut columns = SegmentColumns::new(if root == FACT_ROOT {
        kb.fields.founded
    } else {
        kb.fields.when
    });
    let mut out = Vec::new();
    let mut failed = None;
    terms_below(
        kb,
        searcher,
        root,
        key,
        |seg, ord, _, parts, postings| {
            let (Some(mut postings), true) = (postings, parts.len() == DEPTH) else {
                return;
            };
            let Some(qualifier) = QUALIFIERS.into_iter().find(|q| q.as_str() == parts[5]) else {
                return;
            };
            // A segment's terms come together: its columns are opened once for all.
            let (counts, days) = match columns.of(kb, seg, ord) {
                Ok(c) => c,
                Err(e) => {
                    failed = Some(e);
                    return;
                }
            };
            let at = FilingTerm {
                seg,
                ord,
                block: parts[1..5].join("/"),
                qualifier,
            };
            at.push_live(&mut postings, (counts.as_ref(), days.as_ref()), &mut out);
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
        |_, _, _, parts, _| {
            if parts.len() == SUPER_DEPTH {
                out.insert(parts[1..].join("/"));
            }
        },
        false,
    )?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy_fst::{IntoStreamer, Map, Streamer};

    /// The automaton matches exactly the terms that start with one of the prefixes,
    /// prefixes of one another and the empty set included.
    #[test]
    fn prefixes_match_what_starts_with_them() {
        let terms = [
            "a",
            "ab",
            "ab\u{0}x",
            "ab\u{0}y",
            "abc\u{0}x",
            "b\u{0}",
            "b\u{0}q",
            "ba",
            "c",
        ];
        let map = Map::from_iter(terms.iter().map(|t| (t, 0u64))).unwrap();
        for prefixes in [
            vec![],
            vec!["ab\u{0}"],
            vec!["ab\u{0}", "a"],
            vec!["b\u{0}", "abc\u{0}", "zz"],
            vec!["", "q"],
        ] {
            let automaton = Prefixes::new(prefixes.iter().map(|p| p.as_bytes().to_vec()).collect());
            let mut stream = map.search(&automaton).into_stream();
            let mut got = Vec::new();
            while let Some((k, _)) = stream.next() {
                got.push(String::from_utf8(k.to_vec()).unwrap());
            }
            let want: Vec<String> = terms
                .iter()
                .filter(|t| prefixes.iter().any(|p| t.starts_with(p)))
                .map(|t| t.to_string())
                .collect();
            assert_eq!(got, want, "prefixes {prefixes:?}");
        }
    }
}
