//! Main text: which blocks of the page are the article.
//!
//! 1. One pre-order pass cuts the page into blocks (a paragraph, heading, list item, or
//!    the loose text of a div), each with its word count and link text, skipping hidden
//!    and boilerplate subtrees.
//! 2. Each block gets a value: its length if it reads like paragraph text, a penalty if
//!    it is navigation (link-dense) or short chrome. A node's score is the sum over the
//!    blocks inside it, so the best node is the one whose subtree holds the most article
//!    text and the least else: a maximum-subtree problem solved in one reverse pass.
//! 3. The blocks inside the best node are kept, minus link lists, chrome lines and the
//!    headline.
//!
//! Three linear passes over the flattened page, no re-serialising or re-parsing.

use super::dom::{CONTENT, Dom, HIDDEN, JUNK_STRONG, JUNK_WEAK, Tag, push_collapsed};
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
    fn link_density(&self) -> f32 {
        if self.chars == 0 {
            0.0
        } else {
            self.link_chars as f32 / self.chars as f32
        }
    }
}

/// The article's paragraphs, joined by blank lines.
pub(crate) fn main_text(dom: &Dom, title: Option<&str>) -> String {
    let n = dom.nodes.len();
    if n == 0 {
        return String::new();
    }
    let excluded = excluded_nodes(dom);
    let blocks = cut_blocks(dom, &excluded);
    if blocks.is_empty() {
        return String::new();
    }
    let best = best_node(dom, &blocks);
    let (lo, hi) = match best {
        Some(b) => (b, dom.nodes[b].end as usize),
        None => (0, n),
    };
    let title_norm = title.map(normalize);
    let mut out = String::new();
    for b in &blocks {
        let o = b.owner as usize;
        if o < lo || o >= hi {
            continue;
        }
        if !keep_block(b, title_norm.as_deref()) {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        if b.tag == Tag::Li {
            out.push_str("- ");
        }
        out.push_str(&b.text);
    }
    out
}

/// Marks subtrees left out of the text: hidden ones, strong boilerplate, and weak
/// boilerplate unless it holds most of the page's paragraph text.
fn excluded_nodes(dom: &Dom) -> Vec<bool> {
    let n = dom.nodes.len();
    // Paragraph characters per subtree, bottom-up.
    let mut ptext = vec![0u32; n];
    for i in (0..n).rev() {
        let node = &dom.nodes[i];
        if node.tag == Tag::Text {
            let t = dom.node_text(i).trim();
            if t.len() > 0 {
                ptext[i] = t.len() as u32;
            }
        }
        let p = node.parent;
        if p != u32::MAX {
            ptext[p as usize] += ptext[i];
        }
    }
    let total = ptext[0].max(1) as f32;
    let mut excluded = vec![false; n];
    let mut i = 0;
    while i < n {
        let node = &dom.nodes[i];
        let f = node.flags;
        let junk_tag = matches!(node.tag, Tag::Nav | Tag::Figcaption)
            || (matches!(node.tag, Tag::Aside | Tag::Footer | Tag::Header)
                && (ptext[i] as f32) < total * score::WEAK_JUNK_VETO);
        let strong = f & (HIDDEN | JUNK_STRONG) != 0 && f & CONTENT == 0;
        let weak = f & JUNK_WEAK != 0
            && f & CONTENT == 0
            && (ptext[i] as f32) < total * score::WEAK_JUNK_VETO;
        // A hidden or boilerplate-classed node that holds most of the page is a wrapper
        // whose class lies ("hidden-xs", "page-with-comments"), not boilerplate.
        let too_big = (ptext[i] as f32) > total * 0.8 && node.tag != Tag::Header;
        if (junk_tag || strong || weak) && !too_big && node.tag != Tag::Body {
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
                let (owner, in_link) = owner_of(dom, i);
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
                } else if pending_br == 1 {
                    if let Some(c) = cur.as_mut() {
                        let t = c.text.trim_end().len();
                        c.text.truncate(t);
                        c.text.push('\n');
                    }
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
    b.words = b.text.split_whitespace().count();
    blocks.push(b);
}

/// The nearest block-level ancestor of a text node, and whether a link lies between.
fn owner_of(dom: &Dom, i: usize) -> (u32, bool) {
    let mut p = dom.nodes[i].parent;
    let mut in_link = false;
    while p != u32::MAX {
        let node = &dom.nodes[p as usize];
        if node.tag == Tag::A {
            in_link = true;
        } else if node.tag.is_block() {
            return (p, in_link);
        }
        p = node.parent;
    }
    (0, in_link)
}

/// Whether a block reads like article prose.
fn is_prose(b: &Block) -> bool {
    b.words >= score::MIN_WORDS && b.link_density() <= score::MAX_LINK_DENSITY
}

/// The node whose subtree holds the most article text and the least else.
fn best_node(dom: &Dom, blocks: &[Block]) -> Option<usize> {
    let n = dom.nodes.len();
    let mut value = vec![0f32; n];
    for b in blocks {
        let v = if is_prose(b) {
            b.chars as f32
        } else if b.link_density() > score::MAX_LINK_DENSITY {
            -(b.chars as f32) * score::LINK_PENALTY
        } else if matches!(b.tag, Tag::H(_)) {
            0.0
        } else {
            -(b.chars as f32) * score::SHORT_PENALTY
        };
        value[b.owner as usize] += v;
    }
    for i in (1..n).rev() {
        let p = dom.nodes[i].parent;
        if p != u32::MAX {
            value[p as usize] += value[i];
        }
    }
    let mut best: Option<(usize, f32)> = None;
    for (i, &v) in value.iter().enumerate() {
        let node = &dom.nodes[i];
        if node.tag == Tag::Text || !node.tag.is_block() {
            continue;
        }
        let bonus = if node.flags & CONTENT != 0 { 1.0 + score::CONTENT_BONUS } else { 1.0 };
        let s = v * bonus;
        // Later (deeper) nodes win ties, so a wrapper adding nothing loses to its child.
        if s > 0.0 && best.is_none_or(|(_, bs)| s >= bs) {
            best = Some((i, s));
        }
    }
    best.map(|(i, _)| i)
}

/// Whether a block inside the chosen node belongs in the body.
fn keep_block(b: &Block, title: Option<&str>) -> bool {
    if b.tag == Tag::H(1) {
        return false;
    }
    if let Some(t) = title {
        if b.words <= 40 && normalize(&b.text) == t {
            return false;
        }
    }
    if b.link_density() > 0.5 && !(b.words >= 30 && b.link_density() < 0.8) {
        return false;
    }
    if b.words <= 12 && rules::is_chrome_line(&b.text) {
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
