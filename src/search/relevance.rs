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
//!
//! Block-max WAND in tantivy prunes a union or an intersection of single terms only.
//! Plain words over several fields parse as an intersection of per-word unions
//! ("removed accounts" = (evidence:removed ∨ title:removed ∨ body:removed) ∧ (…accounts)),
//! which it cannot prune: at a million claims that scored 664,000 matches. Such a text is
//! walked by [`words::best`], which skips the blocks of postings that cannot beat the
//! current k-th best score.

use super::words;
use super::{SearchError, index_error};
use crate::index::Kb;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use tantivy::query::{
    BooleanQuery, BoostQuery, EnableScoring, Occur, Query as TQuery, TermQuery, Weight,
};
use tantivy::schema::Field;
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED, Term};

/// The terms of each word of a text that is an intersection of per-word unions of
/// single terms (what the query parser makes of plain words over several fields);
/// `None` for any other shape (phrases, `OR`, `-word`, ranges, words over one field),
/// which tantivy scores as it is.
fn words_over_fields(text: &dyn TQuery) -> Option<Vec<Vec<Term>>> {
    let clauses = text.downcast_ref::<BooleanQuery>()?.clauses();
    if clauses.len() < 2 || clauses.iter().any(|(occur, _)| *occur != Occur::Must) {
        return None;
    }
    let mut words = Vec::with_capacity(clauses.len());
    for (_, word) in clauses {
        let leaves: Vec<&dyn TQuery> = match word.downcast_ref::<BooleanQuery>() {
            Some(union) if union.get_minimum_number_should_match() <= 1 => {
                let leaves = union.clauses();
                if leaves.iter().any(|(occur, _)| *occur != Occur::Should) {
                    return None;
                }
                leaves.iter().map(|(_, leaf)| leaf.as_ref()).collect()
            }
            _ => vec![word.as_ref()],
        };
        let terms = leaves
            .into_iter()
            .map(single_term)
            .collect::<Option<Vec<Term>>>()?;
        words.push(terms);
    }
    // An intersection of single terms tantivy prunes itself.
    words.iter().any(|w| w.len() > 1).then_some(words)
}

/// The term of a query that is one term, boosted or not.
fn single_term(q: &dyn TQuery) -> Option<Term> {
    if !(q.is::<TermQuery>() || q.is::<BoostQuery>()) {
        return None;
    }
    let mut terms = Vec::new();
    q.query_terms(&mut |t: &Term, _| terms.push(t.clone()));
    match terms.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// How the text scores: as one tantivy weight, or word by word with each term's weight.
enum Scoring {
    Whole(Box<dyn Weight>),
    Words(Vec<Vec<words::Scored>>),
}

impl Scoring {
    fn of(
        text: &dyn TQuery,
        searcher: &Searcher,
        boost: impl Fn(Field) -> Score,
    ) -> tantivy::Result<Self> {
        let Some(words) = words_over_fields(text) else {
            let enabled = EnableScoring::enabled_from_searcher(searcher);
            return Ok(Self::Whole(text.weight(enabled)?));
        };
        let scored = words
            .into_iter()
            .map(|terms| {
                terms
                    .into_iter()
                    .map(|t| {
                        let b = boost(t.field());
                        words::Scored::new(searcher, t, b)
                    })
                    .collect()
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(Self::Words(scored))
    }

    /// Calls `callback` with the documents of the segment that may beat the bar it
    /// returns, in document order.
    fn for_each_pruning(
        &self,
        reader: &SegmentReader,
        bar: Score,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        match self {
            Self::Whole(w) => w.for_each_pruning(bar, reader, callback),
            Self::Words(scored) => words::best(scored, reader, bar, callback),
        }
    }
}

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
    let scored = Scoring::of(text, searcher, |f| super::field_boost(kb, f)).map_err(&tan)?;
    let allowed = filter
        .weight(EnableScoring::disabled_from_searcher(searcher))
        .map_err(&tan)?;
    let k = k.max(1);
    let mut best: BinaryHeap<Candidate> = BinaryHeap::with_capacity(k + 1);
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let ord = ord as u32;
        let mut keep = allowed.scorer(reader, 1.0).map_err(&tan)?;
        if keep.doc() == TERMINATED {
            // A segment of facts only (or of old versions) holds no claim to rank, however
            // many of its documents hold the words.
            continue;
        }
        let alive = reader.alive_bitset();
        let mut admits = |doc: DocId| {
            if keep.doc() < doc {
                keep.seek(doc);
            }
            keep.doc() == doc && alive.is_none_or(|a| a.is_alive(doc))
        };
        // The bar a later segment's documents must pass is the best k so far.
        let start = bar(&best, k);
        scored
            .for_each_pruning(reader, start, &mut |doc, score| {
                if keep_doc(&mut admits, doc, score, &best, k) {
                    best.push(Candidate {
                        score,
                        at: DocAddress::new(ord, doc),
                    });
                    if best.len() > k {
                        best.pop();
                    }
                }
                bar(&best, k)
            })
            .map_err(&tan)?;
    }
    let mut out = best.into_vec();
    out.sort();
    Ok(out.into_iter().map(|c| c.at).collect())
}

/// The score a document must beat to enter the best `k`: none until there are `k`.
fn bar(best: &BinaryHeap<Candidate>, k: usize) -> Score {
    if best.len() < k {
        Score::MIN
    } else {
        best.peek().map_or(Score::MIN, |c| c.score)
    }
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
    use tantivy::collector::TopDocs;
    use tantivy::query::QueryParser;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, TantivyDocument};

    const WORDS: &[&str] = &["removed", "accounts", "pages", "network", "iran", "linked"];

    /// An index of three text fields over two segments, thousands of documents with
    /// words drawn so that postings span many blocks and field lengths vary.
    fn index() -> (Index, [Field; 3]) {
        let mut b = Schema::builder();
        let fields = [
            b.add_text_field("evidence", TEXT),
            b.add_text_field("title", TEXT),
            b.add_text_field("body", TEXT),
        ];
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer_with_num_threads(1, 20_000_000).unwrap();
        let mut seed: u64 = 7;
        let mut next = move |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for segment in 0..2 {
            for _ in 0..3000 {
                let mut d = TantivyDocument::default();
                for (i, f) in fields.iter().enumerate() {
                    let len = 1 + next(4 + 8 * i as u64);
                    let text: Vec<&str> = (0..len)
                        .map(|_| WORDS.get(next(9) as usize).copied().unwrap_or("filler"))
                        .collect();
                    d.add_text(*f, text.join(" "));
                }
                w.add_document(d).unwrap();
            }
            w.commit().unwrap();
            assert_eq!(segment + 1, index.searchable_segment_ids().unwrap().len());
        }
        (index, fields)
    }

    fn parsed(index: &Index, fields: [Field; 3], text: &str) -> Box<dyn TQuery> {
        let mut parser = QueryParser::for_index(index, fields.to_vec());
        parser.set_field_boost(fields[0], 3.0);
        parser.set_field_boost(fields[1], 1.5);
        parser.set_conjunction_by_default();
        parser.parse_query(text).unwrap()
    }

    /// How the text scores, with the boosts `parsed` gives the fields.
    fn scoring_of(q: &dyn TQuery, searcher: &Searcher, fields: [Field; 3]) -> Scoring {
        let boost = move |f| [3.0, 1.5, 1.0][fields.iter().position(|x| *x == f).unwrap_or(2)];
        Scoring::of(q, searcher, boost).unwrap()
    }

    /// The k best by walking the words, ties to the earlier document.
    fn walked(scoring: &Scoring, searcher: &Searcher, k: usize) -> Vec<(Score, DocAddress)> {
        let mut best: BinaryHeap<Candidate> = BinaryHeap::new();
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            let start = bar(&best, k);
            scoring
                .for_each_pruning(reader, start, &mut |doc, score| {
                    best.push(Candidate {
                        score,
                        at: DocAddress::new(ord as u32, doc),
                    });
                    if best.len() > k {
                        best.pop();
                    }
                    bar(&best, k)
                })
                .unwrap();
        }
        let mut v = best.into_vec();
        v.sort();
        v.into_iter().map(|c| (c.score, c.at)).collect()
    }

    #[test]
    fn plain_words_over_fields_rank_as_tantivy_ranks_them() {
        let (index, fields) = index();
        let searcher = index.reader().unwrap().searcher();
        for text in [
            "removed accounts",
            "iran linked network",
            "pages removed",
            "linked iran",
        ] {
            let q = parsed(&index, fields, text);
            let scoring = scoring_of(&*q, &searcher, fields);
            assert!(
                matches!(scoring, Scoring::Words(_)),
                "{text} is walked by words"
            );
            for k in [1, 10, 100, 100_000] {
                let want = searcher
                    .search(&*q, &TopDocs::with_limit(k).order_by_score())
                    .unwrap();
                let got = walked(&scoring, &searcher, k);
                assert!(want.len() >= k.min(100), "{text}: too few matches to test");
                assert_eq!(got.len(), want.len(), "{text}, k={k}");
                for ((gs, ga), (ws, wa)) in got.iter().zip(&want) {
                    assert!(
                        (gs - ws).abs() <= 1e-5 * ws.abs(),
                        "{text}: {gs} against {ws}"
                    );
                    if (gs - ws).abs() > 1e-6 {
                        continue;
                    }
                    // Equal scores may come in either order of documents: compare the set.
                    let same = want.iter().any(|(s, a)| a == ga && (s - gs).abs() <= 1e-5);
                    assert!(same || ga == wa, "{text}, k={k}: {ga:?} not among the best");
                }
            }
        }
    }

    #[test]
    fn other_shapes_are_scored_whole() {
        let (index, fields) = index();
        let searcher = index.reader().unwrap().searcher();
        for text in [
            "removed",
            "\"removed accounts\"",
            "removed OR accounts",
            "removed -iran",
            "evidence:removed evidence:accounts",
        ] {
            let scoring = scoring_of(&*parsed(&index, fields, text), &searcher, fields);
            assert!(
                matches!(scoring, Scoring::Whole(_)),
                "{text} is scored whole"
            );
        }
    }

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
