//! Facet counts over the matches of a search, for a few dimensions (`/country`,
//! `/platform`, `/year`, `/site`).
//!
//! tantivy's `FacetCollector` maps every facet value of a segment on every search: a
//! vector the size of the segment's facet dictionary, walked from its start. Each claim
//! and fact carries its fact block's facet (`/cblock/…`, `/fblock/…`), so on a million
//! claims that is two million values, tens of megabytes and milliseconds per search
//! however few documents match. Here each dimension's values are a contiguous run of
//! the sorted dictionary: one range lookup per dimension and segment, counts kept for
//! those values only.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Dictionary;
use tantivy::fastfield::FacetReader;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Counts per value of each asked dimension, over every document collected.
pub(super) struct DimCounts {
    field: &'static str,
    dims: &'static [&'static str],
}

impl DimCounts {
    /// Counts for the children of each of `dims` ("/country", …) in facet field `field`.
    pub(super) fn new(field: &'static str, dims: &'static [&'static str]) -> DimCounts {
        DimCounts { field, dims }
    }
}

/// Per dimension, the values found and how many documents carry each.
pub(super) type Counted = Vec<Vec<(String, u64)>>;

/// One dimension within one segment: its first ordinal, its values, their counts.
struct Run {
    first: u64,
    names: Vec<String>,
    counts: Vec<u64>,
}

/// The counting of one segment.
pub(super) struct SegmentDimCounts {
    reader: FacetReader,
    runs: Vec<Run>,
}

/// The run of values under `dim` ("/country" → every "/country/…") in a facet
/// dictionary, as tantivy encodes facets: segments joined by NUL.
fn run_of(dict: &Dictionary, dim: &str) -> tantivy::Result<Run> {
    let mut prefix: Vec<u8> = dim.trim_start_matches('/').replace('/', "\0").into_bytes();
    prefix.push(0);
    let mut end = prefix.clone();
    if let Some(last) = end.last_mut() {
        *last = 1;
    }
    let mut stream = dict.range().ge(&prefix).lt(&end).into_stream()?;
    let mut run = Run {
        first: 0,
        names: Vec::new(),
        counts: Vec::new(),
    };
    while stream.advance() {
        if run.names.is_empty() {
            run.first = stream.term_ord();
        }
        let child = &stream.key()[prefix.len()..];
        // The dimensions counted here are one level deep; a deeper value counts under
        // its first level, which the next key with the same first level repeats.
        let name = child.split(|b| *b == 0).next().unwrap_or_default();
        run.names.push(String::from_utf8_lossy(name).into_owned());
        run.counts.push(0);
    }
    Ok(run)
}

impl Collector for DimCounts {
    type Fruit = Counted;
    type Child = SegmentDimCounts;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentDimCounts> {
        let reader = segment.facet_reader(self.field)?;
        let runs = self
            .dims
            .iter()
            .map(|d| run_of(reader.facet_dict(), d))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(SegmentDimCounts { reader, runs })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Counted>) -> tantivy::Result<Counted> {
        let mut merged: Vec<std::collections::BTreeMap<String, u64>> =
            vec![Default::default(); self.dims.len()];
        for seg in segments {
            for (dim, values) in merged.iter_mut().zip(seg) {
                for (name, n) in values {
                    *dim.entry(name).or_default() += n;
                }
            }
        }
        Ok(merged
            .into_iter()
            .map(|m| m.into_iter().collect())
            .collect())
    }
}

impl SegmentCollector for SegmentDimCounts {
    type Fruit = Counted;

    fn collect(&mut self, doc: DocId, _: Score) {
        for ord in self.reader.facet_ords(doc) {
            for run in &mut self.runs {
                if let Some(n) = ord
                    .checked_sub(run.first)
                    .and_then(|i| run.counts.get_mut(i as usize))
                {
                    *n += 1;
                    break;
                }
            }
        }
    }

    fn harvest(self) -> Counted {
        self.runs
            .into_iter()
            .map(|run| {
                let mut out: Vec<(String, u64)> = Vec::new();
                for (name, n) in run.names.into_iter().zip(run.counts) {
                    if n == 0 {
                        continue;
                    }
                    match out.last_mut() {
                        Some((last, m)) if *last == name => *m += n,
                        _ => out.push((name, n)),
                    }
                }
                out
            })
            .collect()
    }
}
