//! The best hits by relevance, with the filters kept out of the scoring.
//!
//! tantivy skips whole blocks of a full-text query's postings that cannot reach the
//! current k-th best score (block-max WAND), but only when the text is the whole query:
//! joined with the filters (kind, versions, facets) in one boolean query, every match is
//! scored, which on common words at a million claims took 30–40 ms where the text alone
//! takes under one. So the text is searched alone and each candidate that would enter the
//! top is checked against the filters, whose documents are walked forward in step (the
//! candidates come in document order). The filters do not score in the whole query
//! either, so the order is the one it gives.

use super::{SearchError, index_error};
use crate::index::Kb;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use tantivy::query::{EnableScoring, Query as TQuery};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher};

/// A candidate: its score and address; the worst candidate is the greatest, so that a
/// max-heap of them keeps the best k with the one to drop on top.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    score: Score,
    at: DocAddress,
}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        // Lower score is worse; among equal scores the later document is worse.
        other
            .score
            .total_cmp(&self.score)
            .then_with(|| self.at.cmp(&other.at))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Candidate {}

/// The `k` best documents for `text` among those `filter` matches, best first (ties in
/// document order), deleted documents left out.
pub(super) fn top(
    kb: &Kb,
    searcher: &Searcher,
    text: &dyn TQuery,
    filter: &dyn TQuery,
    k: usize,
) -> Result<Vec<DocAddress>, SearchError> {
    let tan = index_error(kb);
    let scored = text
        .weight(EnableScoring::enabled_from_searcher(searcher))
        .map_err(&tan)?;
    let allowed = filter
        .weight(EnableScoring::disabled_from_searcher(searcher))
        .map_err(&tan)?;
    let k = k.max(1);
    let mut best: BinaryHeap<Candidate> = BinaryHeap::with_capacity(k + 1);
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let ord = ord as u32;
        let mut keep = allowed.scorer(reader, 1.0).map_err(&tan)?;
        let alive = reader.alive_bitset();
        let mut admits = |doc: DocId| {
            if keep.doc() < doc {
                keep.seek(doc);
            }
            keep.doc() == doc && alive.is_none_or(|a| a.is_alive(doc))
        };
        // The bar a later segment's documents must pass is the best k so far.
        let bar = |best: &BinaryHeap<Candidate>| {
            if best.len() < k {
                Score::MIN
            } else {
                best.peek().map_or(Score::MIN, |c| c.score)
            }
        };
        let start = bar(&best);
        scored
            .for_each_pruning(start, reader, &mut |doc, score| {
                if keep_doc(&mut admits, doc, score, &best, k) {
                    best.push(Candidate {
                        score,
                        at: DocAddress::new(ord, doc),
                    });
                    if best.len() > k {
                        best.pop();
                    }
                }
                bar(&best)
            })
            .map_err(&tan)?;
    }
    let mut out = best.into_vec();
    out.sort();
    Ok(out.into_iter().map(|c| c.at).collect())
}

/// Whether a scored document enters the top: it must beat the current k-th (a tie loses
/// to the earlier document) and pass the filters, checked last as the dearer test.
fn keep_doc(
    admits: &mut impl FnMut(DocId) -> bool,
    doc: DocId,
    score: Score,
    best: &BinaryHeap<Candidate>,
    k: usize,
) -> bool {
    let beats = best.len() < k || best.peek().is_some_and(|worst| score > worst.score);
    beats && admits(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_sort_best_first_and_ties_in_document_order() {
        let c = |score, seg, doc| Candidate {
            score,
            at: DocAddress::new(seg, doc),
        };
        let mut v = vec![c(1.0, 0, 5), c(3.0, 1, 2), c(3.0, 0, 9), c(2.0, 0, 1)];
        v.sort();
        let got: Vec<(Score, u32, u32)> = v
            .iter()
            .map(|c| (c.score, c.at.segment_ord, c.at.doc_id))
            .collect();
        assert_eq!(got, [(3.0, 0, 9), (3.0, 1, 2), (2.0, 0, 1), (1.0, 0, 5)]);
        // The heap's top is the one to drop: the worst.
        let heap: BinaryHeap<Candidate> = v.into_iter().collect();
        assert_eq!(heap.peek().map(|c| c.score), Some(1.0));
    }
}
