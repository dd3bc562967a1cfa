//! Main text: which blocks of the page are the article.
//!
//! 1. One pre-order pass cuts the page into blocks (a paragraph, heading, list item, or
//!    the loose text of a div), each with its word count and link text, skipping the
//!    subtrees that are boilerplate whatever their size: hidden text, `<nav>`, captions,
//!    figure boxes, comment threads, galleries, boilerplate classes on inline elements.
//! 2. Boilerplate classes on boxes ("ad", "sidebar", "modal", "pagination") and
//!    `<aside>`/`<header>`/`<footer>` are weighed against the prose under them: a box
//!    holding most of the page's paragraph text is the article's wrapper and stays; the
//!    blocks of the others are dropped. A class word never throws the article away.
//! 3. Each block gets a value: its length if it reads like paragraph text, a penalty if
//!    it is navigation (link-dense), short chrome or legal fine print. A node's score is
//!    the sum over the blocks inside it, so the best node is the one whose subtree holds
//!    the most article text and the least else: a maximum-subtree problem solved in one
//!    reverse pass. Paragraphs that continue it past an inline ad, a figure or a pull
//!    quote, within the article's frame, join it.
//! 4. The blocks inside the best node are kept, minus link lists, chrome lines and the
//!    headline.
//!
//! Linear passes over the flattened page, no re-serialising or re-parsing.

use super::dom::{
    CONTENT, Dom, HIDDEN, JUNK_CERTAIN, JUNK_STRONG, JUNK_WEAK, MEDIA, Tag, push_collapsed,
};
use super::rules::{self, score};

/// One block of text in document order.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    /// The block-level element the text belongs to.
    pub owner: u32,
    pub tag: Tag,
    pub text: String,
    pub words: usize,
    pub link_chars: usize,
    pub chars: usize,
}

impl Block {
    pub(crate) fn link_density(&self) -> f32 {
        if self.chars == 0 {
            0.0
        } else {
            self.link_chars as f32 / self.chars as f32
        }
    }
}

/// The page cut into blocks, and where the article is among them.
pub(crate) struct Layout {
    /// Every block of visible, non-boilerplate text, in document order.
    pub blocks: Vec<Block>,
    /// The node index range holding the article, if one was found.
    pub span: Option<(usize, usize)>,
}

impl Layout {
    /// Whether a block lies in the article's span.
    pub(crate) fn in_article(&self, b: &Block) -> bool {
        self.span
            .is_some_and(|(lo, hi)| (lo..hi).contains(&(b.owner as usize)))
    }
}

/// Cuts the page into blocks and finds the article among them.
///
/// Boilerplate classes are judged against the page's prose: a first cut with only the
/// unambiguous exclusions (hidden text, `<nav>`, captions, comment threads) measures how
/// much paragraph text lies under each node, and a node whose class says "ad" or
/// "sidebar" but which holds most of that text is the article's wrapper, not junk.
pub(crate) fn layout(dom: &Dom) -> Layout {
    if dom.nodes.is_empty() {
        return Layout {
            blocks: Vec::new(),
            span: None,
        };
    }
    let (blocks, _) = article_blocks(dom);
    let span = best_span(dom, &blocks);
    Layout { blocks, span }
}

/// The page's blocks outside boilerplate, and which nodes were left out.
///
/// One cut with the certain exclusions gives the blocks and the prose under each node;
/// the boilerplate classes judged against that prose then drop the blocks they hold
/// (inline boilerplate is certain, so no block is cut again).
fn article_blocks(dom: &Dom) -> (Vec<Block>, Vec<bool>) {
    let plain = plain_chars(dom);
    let certain = excluded_nodes(dom, &plain, None);
    let first = cut_blocks(dom, &certain);
    let prose = prose_chars(dom, &first);
    let excluded = excluded_nodes(dom, &plain, Some(&prose));
    let blocks = first
        .into_iter()
        .filter(|b| !excluded[b.owner as usize])
        .collect();
    (blocks, excluded)
}

/// The layout for a page where the full rules leave nothing, so that a page with an
/// article never comes back empty: with only the certain exclusions, or (`bare`) with
/// none at all, hidden text included (a story a script would reveal).
pub(crate) fn lenient_layout(dom: &Dom, bare: bool) -> Layout {
    if dom.nodes.is_empty() {
        return Layout {
            blocks: Vec::new(),
            span: None,
        };
    }
    let excluded = if bare {
        vec![false; dom.nodes.len()]
    } else {
        excluded_nodes(dom, &plain_chars(dom), None)
    };
    let blocks = cut_blocks(dom, &excluded);
    let span = best_span(dom, &blocks);
    Layout { blocks, span }
}

/// The article's paragraphs, joined by blank lines.
pub(crate) fn main_text(layout: &Layout, title: Option<&str>) -> String {
    let title_norm = title.map(normalize);
    let mut out = String::new();
    let mut prose_seen = false;
    for b in &layout.blocks {
        if layout.span.is_some() && !layout.in_article(b) {
            continue;
        }
        // Comments follow the story; their heading ends it.
        if prose_seen
            && b.words <= 6
            && b.link_density() < 0.5
            && rules::is_comments_heading(&b.text)
        {
            break;
        }
        if !keep_block(b, title_norm.as_deref()) {
            continue;
        }
        prose_seen |= is_prose(b);
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        if b.tag == Tag::Li {
            out.push_str("- ");
        }
        if b.text.contains('\n') {
            // Lines of a <br>-separated block are judged one by one.
            let lines: Vec<&str> = b
                .text
                .lines()
                .filter(|l| {
                    let words = l.split_whitespace().count();
                    let chrome = words <= 20 && rules::is_chrome_line(l);
                    let headline =
                        words <= 40 && title_norm.as_deref() == Some(normalize(l).as_str());
                    let byline = words <= 30 && super::meta::is_byline(l);
                    !(chrome || headline || byline || rules::is_title_line(l))
                })
                .collect();
            out.push_str(&lines.join("\n"));
        } else {
            out.push_str(&b.text);
        }
    }
    out
}

/// Text characters outside links per subtree: a wrapper around the article holds most
/// of them, a menu or a related-links box few.
fn plain_chars(dom: &Dom) -> Vec<u32> {
    let n = dom.nodes.len();
    let mut in_link = vec![false; n];
    let mut plain = vec![0u32; n];
    for i in 0..n {
        let node = &dom.nodes[i];
        let p = node.parent;
        let parent_link = p != u32::MAX && in_link[p as usize];
        in_link[i] = parent_link || node.tag == Tag::A;
        if node.tag == Tag::Text && !in_link[i] {
            plain[i] = dom.node_text(i).trim().len() as u32;
        }
    }
    roll_up(dom, &mut plain);
    plain
}

/// Characters of prose blocks per subtree.
fn prose_chars(dom: &Dom, blocks: &[Block]) -> Vec<u32> {
    let mut prose = vec![0u32; dom.nodes.len()];
    for b in blocks.iter().filter(|b| is_prose(b)) {
        prose[b.owner as usize] += b.chars as u32;
    }
    roll_up(dom, &mut prose);
    prose
}

/// Adds every node's value to its parent's, bottom-up.
fn roll_up(dom: &Dom, v: &mut [u32]) {
    for i in (1..v.len()).rev() {
        let p = dom.nodes[i].parent;
        if p != u32::MAX {
            v[p as usize] += v[i];
        }
    }
}

/// Marks subtrees left out of the text. Without `prose`, only the certain ones: hidden
/// text, navigation and caption elements, figure boxes, comment threads. With it, also
/// boilerplate classes and page-chrome elements, unless the node holds enough of the
/// page's prose that it must be a wrapper around the article.
fn excluded_nodes(dom: &Dom, plain: &[u32], prose: Option<&[u32]>) -> Vec<bool> {
    let n = dom.nodes.len();
    let total = plain[0].max(1) as f32;
    let total_prose = prose.map_or(1.0, |p| p[0].max(1) as f32);
    let mut excluded = vec![false; n];
    let mut i = 0;
    while i < n {
        let node = &dom.nodes[i];
        let f = node.flags;
        let not_content = f & CONTENT == 0;
        let page_share = plain[i] as f32 / total;
        let hidden = f & HIDDEN != 0 && page_share < score::CERTAIN_JUNK_VETO;
        let certain_class =
            f & JUNK_CERTAIN != 0 && not_content && page_share < score::CERTAIN_JUNK_VETO;
        // A cell or box holding an image and a line or two of text is a figure with its
        // caption, whatever its markup (old table layouts, CMS "media" boxes).
        let figure_box = f & MEDIA != 0
            && matches!(node.tag, Tag::Td | Tag::Block | Tag::Table | Tag::Figure)
            && plain[i] < score::FIGURE_MAX_CHARS
            && not_content;
        // Boilerplate classes on inline elements (a share link, an ad label in a
        // paragraph) are decided at once: the blocks of this first cut are the final
        // ones, and an inline element never wraps the article.
        let inline_junk = matches!(node.tag, Tag::Inline | Tag::A)
            && f & (JUNK_STRONG | JUNK_WEAK) != 0
            && not_content;
        let certain = matches!(node.tag, Tag::Nav | Tag::Figcaption)
            || hidden
            || certain_class
            || figure_box
            || inline_junk;
        let judged = prose.is_some_and(|p| {
            let share = p[i] as f32 / total_prose;
            let chrome_tag = matches!(node.tag, Tag::Aside | Tag::Footer | Tag::Header);
            // Text share as well: a page of scripts without spaces has little "prose".
            let strong = f & JUNK_STRONG != 0
                && not_content
                && share < score::STRONG_JUNK_VETO
                && page_share < score::CERTAIN_JUNK_VETO;
            let weak = (f & JUNK_WEAK != 0 && not_content || chrome_tag)
                && share.max(page_share) < score::WEAK_JUNK_VETO;
            strong || weak
        });
        if (certain || judged) && node.tag != Tag::Body {
            let end = node.end as usize;
            excluded[i..end].fill(true);
            i = end;
        } else {
            i += 1;
        }
    }
    excluded
}

/// Cuts the page into blocks of text.
fn cut_blocks(dom: &Dom, excluded: &[bool]) -> Vec<Block> {
    let n = dom.nodes.len();
    let mut blocks: Vec<Block> = Vec::new();
    let mut cur: Option<Block> = None;
    // Set when a block element starts or ends between two text nodes.
    let mut boundary = true;
    let mut pending_br = 0u8;
    // Whether a node lies inside a link: a link may wrap whole blocks (teaser cards).
    let mut in_link = vec![false; n];
    for k in 0..n {
        let p = dom.nodes[k].parent;
        in_link[k] = dom.nodes[k].tag == Tag::A || (p != u32::MAX && in_link[p as usize]);
    }
    let mut i = 0;
    while i < n {
        if excluded[i] {
            i = dom.nodes[i].end as usize;
            boundary = true;
            continue;
        }
        let node = &dom.nodes[i];
        match node.tag {
            Tag::Text => {
                let raw = dom.node_text(i);
                if raw.trim().is_empty() {
                    if let Some(c) = cur.as_mut() {
                        push_collapsed(&mut c.text, " ");
                    }
                    i += 1;
                    continue;
                }
                let owner = owner_of(dom, i);
                let in_link = in_link[i];
                let same = cur.as_ref().is_some_and(|c| c.owner == owner);
                if boundary || !same || pending_br >= 2 {
                    if let Some(c) = cur.take() {
                        push_block(&mut blocks, c);
                    }
                    cur = Some(Block {
                        owner,
                        tag: dom.nodes[owner as usize].tag,
                        text: String::new(),
                        words: 0,
                        link_chars: 0,
                        chars: 0,
                    });
                } else if pending_br == 1
                    && let Some(c) = cur.as_mut()
                {
                    let t = c.text.trim_end().len();
                    c.text.truncate(t);
                    c.text.push('\n');
                }
                pending_br = 0;
                boundary = false;
                if let Some(c) = cur.as_mut() {
                    let before = c.text.len();
                    push_collapsed(&mut c.text, raw);
                    let added = c.text.len() - before;
                    if in_link {
                        c.link_chars += added;
                    }
                }
                i += 1;
            }
            Tag::Br => {
                pending_br = pending_br.saturating_add(1);
                i += 1;
            }
            t if t.is_block() => {
                boundary = true;
                pending_br = 0;
                i += 1;
            }
            _ => i += 1,
        }
        // Leaving a block element also ends the text run: detected through `owner`
        // changing, since text after a nested block belongs to the outer owner.
    }
    if let Some(c) = cur.take() {
        push_block(&mut blocks, c);
    }
    blocks
}

fn push_block(blocks: &mut Vec<Block>, mut b: Block) {
    let trimmed = b.text.trim();
    if trimmed.is_empty() {
        return;
    }
    if trimmed.len() != b.text.len() {
        b.text = trimmed.to_string();
    }
    b.chars = b.text.len();
    b.link_chars = b.link_chars.min(b.chars);
    b.words = word_count(&b.text);
    blocks.push(b);
}

/// Words of a text: spaced words, plus one per two ideographs or kana (Chinese and
/// Japanese are written without spaces, and a sentence of them is prose too).
pub(crate) fn word_count(text: &str) -> usize {
    let spaced = text.split_whitespace().count();
    let ideographs = text
        .chars()
        .filter(|&c| matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF))
        .count();
    spaced + ideographs / 2
}

/// The nearest block-level ancestor of a text node.
fn owner_of(dom: &Dom, i: usize) -> u32 {
    let mut p = dom.nodes[i].parent;
    while p != u32::MAX {
        let node = &dom.nodes[p as usize];
        if node.tag.is_block() {
            return p;
        }
        p = node.parent;
    }
    0
}

/// Whether a block reads like article prose.
fn is_prose(b: &Block) -> bool {
    let ld = b.link_density();
    b.words >= score::MIN_WORDS
        && (ld <= score::MAX_LINK_DENSITY
            || (b.words >= score::LONG_WORDS && ld <= score::LONG_MAX_LINK_DENSITY))
}

/// A block's value to the node that holds it: its length if prose, a penalty if
/// navigation or short chrome.
fn block_value(b: &Block) -> f32 {
    if b.words >= score::MIN_WORDS && rules::is_legal_text(&b.text) {
        // Terms and conditions read like prose but are the page's fine print.
        -(b.chars as f32) * score::SHORT_PENALTY
    } else if is_prose(b) {
        b.chars as f32
    } else if b.link_density() > score::MAX_LINK_DENSITY && b.words < score::LONG_WORDS {
        -(b.chars as f32) * score::LINK_PENALTY
    } else if matches!(b.tag, Tag::H(_)) {
        0.0
    } else {
        -(b.chars as f32) * score::SHORT_PENALTY
    }
}

/// The nodes whose blocks form the article: a top candidate and the siblings that
/// carry text of their own.
///
/// The candidate score credits each block to its owner and nearest ancestors with a
/// decay by distance (readability's rule): a container whose own children are the
/// paragraphs beats a page wrapper that adds teaser cards, each a paragraph deep
/// inside its own little box. Whole-subtree sums then decide which siblings join.
fn best_span(dom: &Dom, blocks: &[Block]) -> Option<(usize, usize)> {
    let n = dom.nodes.len();
    let mut sum = vec![0f32; n];
    let mut cand = vec![0f32; n];
    // Value of the blocks a node holds itself or through one level (its paragraphs).
    let mut direct = vec![0f32; n];
    for b in blocks {
        let v = block_value(b);
        sum[b.owner as usize] += v;
        direct[b.owner as usize] += v;
        let op = dom.nodes[b.owner as usize].parent;
        if op != u32::MAX {
            direct[op as usize] += v;
        }
        let mut p = b.owner;
        for div in score::DECAY {
            if p == u32::MAX {
                break;
            }
            cand[p as usize] += v / div;
            p = dom.nodes[p as usize].parent;
        }
    }
    for i in (1..n).rev() {
        let p = dom.nodes[i].parent;
        if p != u32::MAX {
            sum[p as usize] += sum[i];
        }
    }
    let weight = |i: usize| {
        if dom.nodes[i].flags & CONTENT != 0 {
            1.0 + score::CONTENT_BONUS
        } else {
            1.0
        }
    };
    let mut top: Option<(usize, f32)> = None;
    for (i, node) in dom.nodes.iter().enumerate() {
        if !node.tag.is_block() || node.tag == Tag::Body || i == 0 {
            continue;
        }
        let s = cand[i] * weight(i);
        if s > 0.0 && top.is_none_or(|(_, ts)| s > ts) {
            top = Some((i, s));
        }
    }
    let (mut t, mut last) = top?;
    // Climb while an ancestor scores better (the article is split over its children).
    let threshold = last / 3.0;
    let mut p = dom.nodes[t].parent;
    while p != u32::MAX && dom.nodes[p as usize].tag != Tag::Body && p != 0 {
        let ps = cand[p as usize] * weight(p as usize);
        if ps < threshold {
            break;
        }
        if ps > last {
            t = p as usize;
            break;
        }
        last = ps;
        p = dom.nodes[p as usize].parent;
    }
    t = paragraph_container(dom, blocks, t);
    // Merge other strong paragraph containers when the net value of the common
    // ancestor grows: an article split by pull quotes, players or ad slots.
    let top_direct = direct[t].max(cand[t]);
    let mut strong: Vec<(usize, f32)> = (0..n)
        .filter(|&i| dom.nodes[i].tag.is_block() && dom.nodes[i].tag != Tag::Body && i != 0)
        .map(|i| (i, direct[i]))
        .filter(|&(_, s)| s >= (top_direct * score::MERGE_SHARE).max(score::MERGE_MIN))
        .collect();
    strong.sort_by(|a, b| b.1.total_cmp(&a.1));
    let contains = |a: usize, b: usize| a <= b && b < dom.nodes[a].end as usize;
    // The article is the document span from the first to the last of its containers.
    let mut lo = t;
    let mut hi = dom.nodes[t].end as usize;
    let mut root = t;
    for (s_node, _) in strong {
        if (lo..hi).contains(&s_node) || contains(s_node, root) {
            continue;
        }
        let mut a = dom.nodes[t].parent;
        let mut levels = 1;
        while a != u32::MAX && !contains(a as usize, s_node) {
            a = dom.nodes[a as usize].parent;
            levels += 1;
        }
        if a == u32::MAX || levels > score::MERGE_LEVELS {
            continue;
        }
        let a = a as usize;
        if dom.nodes[a].tag == Tag::Body || a == 0 {
            continue;
        }
        // Parts of one article are separated by a pull quote or a player, not by pages
        // of other text.
        let (gap_lo, gap_hi) = if s_node >= hi {
            (hi, s_node)
        } else {
            (dom.nodes[s_node].end as usize, lo)
        };
        let gap: usize = blocks
            .iter()
            .filter(|b| (gap_lo..gap_hi).contains(&(b.owner as usize)))
            .map(|b| b.chars)
            .sum();
        if gap as f32 > direct[s_node] * score::MERGE_GAP {
            continue;
        }
        // The span grows only when what it adds is worth more than the junk it takes.
        let (new_lo, new_hi) = (lo.min(s_node), hi.max(dom.nodes[s_node].end as usize));
        if span_value(dom, &sum, a, new_lo, new_hi) > span_value(dom, &sum, a, lo, hi) {
            lo = new_lo;
            hi = new_hi;
            if contains(a, root) {
                root = a;
            }
        }
    }
    // Siblings of the top candidate with text of their own join too.
    let parent = dom.nodes[t].parent;
    if parent != u32::MAX {
        let sibling_floor = (sum[t] * score::SIBLING_SHARE).max(score::SIBLING_MIN);
        let mut c = parent as usize + 1;
        let pend = dom.nodes[parent as usize].end as usize;
        while c < pend {
            if c != t && direct[c] >= sibling_floor && sum[c] > 0.0 && dom.nodes[c].tag != Tag::Text
            {
                lo = lo.min(c);
                hi = hi.max(dom.nodes[c].end as usize);
            }
            c = dom.nodes[c].end as usize;
        }
    }
    Some(continuations(dom, blocks, t, lo, hi))
}

/// The top candidate, or the container of it when it is a lone paragraph (in a wrapper
/// or two of its own) and the container holds more sentences of the story: short
/// sentences (a wire brief, a status note) value less than a long one, yet one paragraph
/// is never the article by itself when the others beside it tell the same story.
fn paragraph_container(dom: &Dom, blocks: &[Block], t: usize) -> usize {
    let mut cur = t;
    for _ in 0..score::PARAGRAPH_WRAPPERS {
        let parent = dom.nodes[cur].parent;
        if parent == u32::MAX || dom.nodes[parent as usize].tag == Tag::Body || parent == 0 {
            break;
        }
        let (p, cur_end) = (parent as usize, dom.nodes[cur].end as usize);
        let p_end = dom.nodes[p].end as usize;
        let (mut own, mut beside, mut story) = (0usize, 0usize, 0usize);
        for b in blocks {
            let o = b.owner as usize;
            if (cur..cur_end).contains(&o) {
                own += 1;
            } else if (p..p_end).contains(&o) {
                beside += 1;
                story += usize::from(is_prose(b) || is_short_sentence(b));
            }
        }
        if own != 1 {
            break;
        }
        if story > 0 {
            return p;
        }
        if beside > 0 {
            break;
        }
        cur = p;
    }
    t
}

/// Whether a block too short to count as paragraph text is still a sentence of a story:
/// a few words from a capital to a full stop, not a link, label or chrome line.
fn is_short_sentence(b: &Block) -> bool {
    let text = b.text.trim_end_matches(['"', '\'', '”', '’', ')']);
    let starts = b
        .text
        .trim_start_matches(['"', '\'', '“', '‘', '('])
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    matches!(
        b.tag,
        Tag::P | Tag::Block | Tag::Li | Tag::Blockquote | Tag::Dd
    ) && b.words >= score::SENTENCE_MIN_WORDS
        && b.words < score::MIN_WORDS
        && b.link_density() <= score::MAX_LINK_DENSITY
        && starts
        && text.ends_with(['.', '!', '?'])
        && !b.text.contains('\n')
        && !rules::is_chrome_line(&b.text)
        && !rules::is_legal_text(&b.text)
}

/// The span grown by the paragraphs that continue the article: after an inline ad, a
/// pull quote, a figure or a newsletter box the story goes on in a new container, often
/// several levels away from the first (and a lead may sit in a box of its own before
/// it). Prose next to the span within the article's frame, separated from it by little
/// else, is more of the story.
fn continuations(dom: &Dom, blocks: &[Block], t: usize, lo: usize, hi: usize) -> (usize, usize) {
    let frame = article_frame(dom, t);
    let frame_end = dom.nodes[frame].end as usize;
    let in_frame = |o: usize| (frame..frame_end).contains(&o);
    let continues = |b: &Block| is_prose(b) && !rules::is_legal_text(&b.text);
    // Blocks are in document order; the span's blocks are a run of them (loose text
    // of an outer element after a nested one carries the outer, smaller, index).
    let inside = |b: &Block| (lo..hi).contains(&(b.owner as usize));
    let (Some(first), Some(last)) = (
        blocks.iter().position(inside),
        blocks.iter().rposition(inside),
    ) else {
        return (lo, hi);
    };
    // A lone sentence next to the span is a standfirst before it or a support box,
    // author note or site line after it, not part of the story: the prose found on
    // either side counts only once it is as long as a section.
    let joins = |b: &Block, side_ok: bool| continues(b) && side_ok;
    let new_hi = reach(
        blocks[last + 1..].iter(),
        hi,
        &in_frame,
        |b| {
            let o = b.owner as usize;
            joins(b, o >= lo).then(|| dom.nodes[o].end as usize)
        },
        usize::max,
    );
    let new_lo = reach(
        blocks[..first].iter().rev(),
        lo,
        &in_frame,
        |b| {
            let o = b.owner as usize;
            joins(b, o > frame).then_some(o)
        },
        usize::min,
    );
    (new_lo, new_hi)
}

/// How far prose continues the span on one side: `side` walks the blocks away from the
/// span until the article's frame ends or more than a continuation gap of other text
/// separates them; `edge` gives a joining block's outer bound, `widen` keeps the wider
/// bound. The bound moves only once the prose found is as long as a section.
fn reach<'b>(
    side: impl Iterator<Item = &'b Block>,
    start: usize,
    in_frame: &impl Fn(usize) -> bool,
    edge: impl Fn(&Block) -> Option<usize>,
    widen: fn(usize, usize) -> usize,
) -> usize {
    let (mut bound, mut found_bound) = (start, start);
    let (mut found, mut gap) = (0usize, 0usize);
    for b in side {
        if !in_frame(b.owner as usize) {
            break;
        }
        match edge(b) {
            Some(e) => {
                if gap as f32 > score::CONTINUATION_GAP {
                    break;
                }
                found_bound = widen(found_bound, e);
                found += b.chars;
                if found as f32 >= score::CONTINUATION_LEAD {
                    bound = found_bound;
                }
                gap = 0;
            }
            None => gap += b.chars,
        }
    }
    bound
}

/// The element that frames the article around the top candidate: the nearest
/// `<article>`, `<main>` or body-classed ancestor within a few levels, else the
/// candidate's grandparent.
fn article_frame(dom: &Dom, t: usize) -> usize {
    let mut p = t as u32;
    let mut fallback = t;
    for level in 0..score::MERGE_LEVELS {
        let node = &dom.nodes[p as usize];
        if node.tag == Tag::Body || node.parent == u32::MAX {
            // Paragraphs straight under <body> (hand-written pages): the body frames them.
            if level <= 1 {
                fallback = p as usize;
            }
            break;
        }
        if level <= 2 {
            fallback = p as usize;
        }
        if matches!(node.tag, Tag::Article | Tag::Main) || node.flags & CONTENT != 0 {
            return p as usize;
        }
        p = node.parent;
    }
    fallback
}

/// Net value of the children of `a` (and their subtrees) that overlap `[lo, hi)`.
fn span_value(dom: &Dom, sum: &[f32], a: usize, lo: usize, hi: usize) -> f32 {
    let mut v = 0.0;
    let mut c = a + 1;
    let end = dom.nodes[a].end as usize;
    while c < end {
        let ce = dom.nodes[c].end as usize;
        if ce > lo && c < hi {
            if c >= lo && ce <= hi {
                v += sum[c];
            } else {
                // Partly inside: count its children that are.
                v += span_value(dom, sum, c, lo, hi);
            }
        }
        c = ce;
    }
    v
}

/// Whether a block inside the chosen node belongs in the body.
fn keep_block(b: &Block, title: Option<&str>) -> bool {
    if b.tag == Tag::H(1) {
        return false;
    }
    if let Some(t) = title
        && b.words <= 40
        && normalize(&b.text) == t
    {
        return false;
    }
    if b.link_density() > 0.5 && !(b.words >= 30 && b.link_density() < 0.8) {
        return false;
    }
    if b.words <= 20 && rules::is_chrome_line(&b.text) {
        return false;
    }
    if !b.text.chars().any(char::is_alphanumeric) {
        return false;
    }
    let heading_like = matches!(b.tag, Tag::H(_) | Tag::Li | Tag::Dt | Tag::Td);
    if !heading_like && rules::is_title_line(&b.text) {
        return false;
    }
    true
}

fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A report of the scorer's decisions on a page, for debugging rules (not stable).
pub(crate) fn explain(dom: &Dom) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let (blocks, excluded) = article_blocks(dom);
    let span = best_span(dom, &blocks);
    let chain = |i: usize| -> String {
        let mut parts = Vec::new();
        let mut p = i as u32;
        while p != u32::MAX && parts.len() < 8 {
            let n = &dom.nodes[p as usize];
            parts.push(format!("{:?}[{}]f{:b}", n.tag, p, n.flags));
            p = n.parent;
        }
        parts.join(" < ")
    };
    let mut i = 0;
    while i < dom.nodes.len() {
        if excluded[i] {
            let t = dom.subtree_text(i);
            if !t.is_empty() {
                let _ = writeln!(
                    s,
                    "EXCLUDED {} :: {}",
                    chain(i),
                    t.chars().take(100).collect::<String>()
                );
            }
            i = dom.nodes[i].end as usize;
        } else {
            i += 1;
        }
    }
    if let Some((lo, hi)) = span {
        let _ = writeln!(s, "BEST [{lo}, {hi}) from {}", chain(lo));
    }
    for b in &blocks {
        let inside = span.is_some_and(|(lo, hi)| (lo..hi).contains(&(b.owner as usize)));
        let _ = writeln!(
            s,
            "{} {:?}[{}] w={} ld={:.2} :: {}",
            if inside { "+" } else { " " },
            b.tag,
            b.owner,
            b.words,
            b.link_density(),
            b.text.chars().take(90).collect::<String>()
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::super::{Options, extract};

    fn body(html: &str) -> String {
        match extract(html.as_bytes(), &Options::default()) {
            Ok(a) => a.body,
            Err(e) => panic!("{e}"),
        }
    }

    /// A brief in our own words, one short sentence a paragraph, every paragraph in
    /// `wrap` (e.g. `<p>{}</p>`, or the paragraph in boxes of its own).
    fn brief(sentences: &[&str], wrap: &str) -> String {
        let paras: String = sentences.iter().map(|s| wrap.replace("{}", s)).collect();
        format!(
            "<html><head><title>Platforms act | Lantern Post</title></head><body>\
             <nav><a href=\"/\">Lantern Post</a> <a href=\"/world\">World</a></nav>\
             <article><h1>Platforms act</h1>{paras}</article>\
             <footer>Lantern Post, harbour edition</footer></body></html>"
        )
    }

    #[test]
    fn short_sentence_paragraphs_are_all_of_the_story() {
        // The first sentence has six words, under a paragraph's eight; the second alone
        // was taken for the article.
        let two = [
            "Lanternbook removed 52 accounts on Tuesday.",
            "The network originated in Ruritania, the company said.",
        ];
        // Ten sentences of six to eight words: the one of eight alone was the article.
        let ten = [
            "Chirper canceled 61 accounts tied to Ruritania.",
            "Pingram pulled 64 channels run from Borduria.",
            "Chirper suspended 38 profiles posing as reporters.",
            "The accounts shared identical links within minutes.",
            "Most of them appeared last spring.",
            "A spokesperson said the review continues.",
            "Vidstream closed 17 channels linked to the group.",
            "The videos drew few views, the company said.",
            "Clipclop removed 29 accounts posting in French.",
            "Researchers had flagged the network in October.",
        ];
        for sentences in [&two[..], &ten[..]] {
            for wrap in [
                "<p>{}</p>",
                "<div class=\"para\"><div><p>{}</p></div></div>",
            ] {
                assert_eq!(
                    body(&brief(sentences, wrap)),
                    sentences.join("\n\n"),
                    "{wrap}"
                );
            }
        }
    }
}
