//! The best documents for plain words over several fields, scored exactly as tantivy
//! scores the parsed query (each matching term's BM25 times its field's boost, summed),
//! with whole blocks of postings skipped when their best scores cannot beat the k-th
//! best so far.
//!
//! tantivy prunes a union or an intersection of single terms, but not an intersection
//! of per-word unions, which is what plain words over evidence, title and body parse
//! to; and its term scorer, which knows its blocks' best scores, is private. The
//! postings' blocks and BM25 weights are public, so the walk is here: the window is the
//! run of documents up to the first end of a block among the terms; if the sum of the
//! terms' block bests there cannot beat the bar, the window is skipped undecoded of
//! documents, else its documents that hold every word are scored.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::Bm25Weight;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, Searcher, SegmentReader, TERMINATED, Term};

/// One term of a word and its weight: BM25 over the whole index, times the boost of the
/// term's field.
#[derive(Clone)]
pub(super) struct Scored {
    term: Term,
    weight: Bm25Weight,
}

impl Scored {
    /// The term with the index's statistics and the field's boost.
    pub(super) fn new(searcher: &Searcher, term: Term, boost: Score) -> tantivy::Result<Self> {
        let weight = Bm25Weight::for_terms(searcher, std::slice::from_ref(&term))?;
        Ok(Self {
            term,
            weight: weight.boost_by(boost),
        })
    }
}

/// A term's postings in one segment, at one document.
struct Cursor {
    block: BlockSegmentPostings,
    at: usize,
    norms: FieldNormReader,
    weight: Bm25Weight,
}

impl Cursor {
    fn doc(&self) -> DocId {
        self.block
            .docs()
            .get(self.at)
            .copied()
            .unwrap_or(TERMINATED)
    }

    /// Moves to the first document at or after `target`.
    fn seek(&mut self, target: DocId) {
        if self.doc() >= target {
            return;
        }
        let docs = self.block.docs();
        if docs.last().is_some_and(|&last| last >= target) {
            // Within the loaded block the next documents are a step or two ahead.
            self.at += docs[self.at..].iter().take_while(|&&d| d < target).count();
        } else {
            self.at = self.block.seek(target);
        }
    }

    /// The last document of the block the cursor is in: the window's bound holds to it.
    fn block_end(&self) -> DocId {
        self.block.docs().last().copied().unwrap_or(TERMINATED)
    }

    fn block_best(&mut self) -> Score {
        self.block.block_max_score(&self.norms, &self.weight)
    }

    /// The term's score at the cursor's document.
    fn score(&self) -> Score {
        let tf = self.block.freqs().get(self.at).copied().unwrap_or(0);
        self.weight.score(self.norms.fieldnorm_id(self.doc()), tf)
    }
}

/// Each word's cursors in a segment; `None` when a word is in none of its fields there,
/// so no document of the segment holds every word.
fn cursors(
    words: &[Vec<Scored>],
    reader: &SegmentReader,
) -> tantivy::Result<Option<Vec<Vec<Cursor>>>> {
    let mut out = Vec::with_capacity(words.len());
    for word in words {
        let mut terms = Vec::with_capacity(word.len());
        for s in word {
            let field = s.term.field();
            let postings = reader
                .inverted_index(field)?
                .read_block_postings(&s.term, IndexRecordOption::WithFreqs)?;
            let Some(mut block) = postings else { continue };
            let at = block.seek(0);
            terms.push(Cursor {
                block,
                at,
                norms: reader.get_fieldnorms_reader(field)?,
                weight: s.weight.clone(),
            });
        }
        if terms.is_empty() {
            return Ok(None);
        }
        out.push(terms);
    }
    Ok(Some(out))
}

/// Calls `callback` with each document of the segment that holds every word and scores
/// above the bar, in document order; the callback returns the new bar.
pub(super) fn best(
    words: &[Vec<Scored>],
    reader: &SegmentReader,
    mut bar: Score,
    callback: &mut dyn FnMut(DocId, Score) -> Score,
) -> tantivy::Result<()> {
    let Some(mut words) = cursors(words, reader)? else {
        return Ok(());
    };
    let mut doc: DocId = 0;
    while doc < TERMINATED {
        let Some(window) = window_at(&mut words, doc) else {
            return Ok(());
        };
        doc = window.first;
        while doc <= window.end && window.bound > bar {
            match align(&mut words, doc) {
                None => return Ok(()),
                Some(next) if next != doc => doc = next,
                Some(_) => {
                    let score = score_at(&words, doc);
                    if score > bar {
                        bar = callback(doc, score);
                    }
                    doc += 1;
                }
            }
        }
        doc = doc.max(window.end.saturating_add(1));
    }
    Ok(())
}

/// A run of documents where every term's block is known.
struct Window {
    /// The first document that may hold every word.
    first: DocId,
    /// The last document before a term's block ends.
    end: DocId,
    /// No document of the window scores more.
    bound: Score,
}

/// The window that starts at `doc`, every cursor moved there; `None` when a word has no
/// document left.
fn window_at(words: &mut [Vec<Cursor>], doc: DocId) -> Option<Window> {
    let first = align(words, doc)?;
    let mut end = TERMINATED;
    let mut bound = 0.0;
    for c in words.iter_mut().flatten() {
        if c.doc() < TERMINATED {
            end = end.min(c.block_end());
            bound += c.block_best();
        }
    }
    Some(Window { first, end, bound })
}

/// Moves every cursor to `doc` or after; the first document that may hold every word
/// (the latest of the words' first documents), or `None` when a word has no document
/// left.
fn align(words: &mut [Vec<Cursor>], doc: DocId) -> Option<DocId> {
    let mut next = doc;
    for word in words.iter_mut() {
        let mut first = TERMINATED;
        for c in word.iter_mut() {
            c.seek(doc);
            first = first.min(c.doc());
        }
        if first == TERMINATED {
            return None;
        }
        next = next.max(first);
    }
    Some(next)
}

/// The score of `doc`, where every word has a cursor: its terms' scores summed word by
/// word in the query's order, as tantivy sums them.
fn score_at(words: &[Vec<Cursor>], doc: DocId) -> Score {
    words
        .iter()
        .map(|word| {
            word.iter()
                .filter(|c| c.doc() == doc)
                .fold(0.0, |sum, c| sum + c.score())
        })
        .sum()
}
