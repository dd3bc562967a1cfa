//! A flat, pre-order copy of the parsed page that the extractor can walk cheaply.
//!
//! scraper's tree is walked once; every element and text node we care about becomes a
//! `Node` in a `Vec`, in document order, with its subtree as the index range
//! `[i, end)`. Bottom-up sums are then one reverse loop, and skipping a subtree is one
//! jump. Elements that never carry article text (scripts, styles, forms controls, SVG)
//! are left out here, and the head's metadata is collected on the same walk.

use super::rules;
use ego_tree::iter::Edge;
use scraper::{Html, Node as SNode};

/// Element kinds the extractor distinguishes; everything else is `Inline` or `Block`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag {
    /// A text node.
    Text,
    P,
    H(u8),
    Li,
    List,
    Dt,
    Dd,
    Blockquote,
    Pre,
    Br,
    A,
    Td,
    Table,
    Figure,
    Figcaption,
    Nav,
    Aside,
    Footer,
    Header,
    Article,
    Main,
    Body,
    Time,
    /// Another block-level element (div, section, …).
    Block,
    /// Another inline element (span, b, em, …).
    Inline,
}

impl Tag {
    fn from_name(name: &str) -> Option<Tag> {
        Some(match name {
            "p" => Tag::P,
            "h1" => Tag::H(1),
            "h2" => Tag::H(2),
            "h3" => Tag::H(3),
            "h4" => Tag::H(4),
            "h5" => Tag::H(5),
            "h6" => Tag::H(6),
            "li" => Tag::Li,
            "amp-img" => return None,
            "ul" | "ol" | "dl" | "menu" => Tag::List,
            "dt" => Tag::Dt,
            "dd" => Tag::Dd,
            "blockquote" => Tag::Blockquote,
            "pre" => Tag::Pre,
            "br" => Tag::Br,
            "a" => Tag::A,
            "td" | "th" => Tag::Td,
            "table" => Tag::Table,
            "figure" => Tag::Figure,
            "figcaption" | "caption" => Tag::Figcaption,
            "nav" => Tag::Nav,
            "aside" => Tag::Aside,
            "footer" => Tag::Footer,
            "header" => Tag::Header,
            "article" => Tag::Article,
            "main" => Tag::Main,
            "body" => Tag::Body,
            "time" => Tag::Time,
            "head" => Tag::Header,
            "div" | "section" | "center" | "address" | "details" | "summary" | "hgroup"
            | "fieldset" | "tr" | "tbody" | "thead" | "tfoot" | "html" | "form" | "dialog"
            | "hr" => Tag::Block,
            // Never article text: dropped with their subtrees.
            "script" | "style" | "noscript" | "template" | "svg" | "math" | "iframe" | "object"
            | "embed" | "canvas" | "video" | "audio" | "select" | "option" | "button" | "input"
            | "textarea" | "title" | "meta" | "link" | "img" | "picture" | "source" | "map"
            | "frameset" | "frame" | "label" => {
                return None;
            }
            _ => Tag::Inline,
        })
    }

    /// Whether this element starts a new block of text.
    pub(crate) fn is_block(self) -> bool {
        !matches!(self, Tag::Text | Tag::Inline | Tag::A | Tag::Br | Tag::Time)
    }
}

/// Node flags.
pub(crate) const HIDDEN: u8 = 1;
/// Class/id/role says boilerplate whatever its size.
pub(crate) const JUNK_STRONG: u8 = 2;
/// Class/id says boilerplate unless it holds most of the page's text.
pub(crate) const JUNK_WEAK: u8 = 4;
/// Class/id/itemprop says this is the article body.
pub(crate) const CONTENT: u8 = 8;
/// Class/id says date, byline or other article metadata.
pub(crate) const META_HINT: u8 = 16;
/// Class/id names an author or byline.
pub(crate) const AUTHOR_HINT: u8 = 32;
/// Holds an image, video or embed as a direct child.
pub(crate) const MEDIA: u8 = 64;
/// Class/id names a comment thread or a photo gallery: junk even when it holds much
/// of the page's prose (readers' comments and captions can outweigh the article).
pub(crate) const JUNK_CERTAIN: u8 = 128;

/// One element or text node.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub tag: Tag,
    pub parent: u32,
    /// One past the last descendant.
    pub end: u32,
    /// Text nodes: byte range in `Dom::text`.
    pub text: (u32, u32),
    pub flags: u8,
}

/// Everything in the head (and a few body attributes) that metadata comes from.
#[derive(Debug, Default)]
pub(crate) struct RawMeta {
    /// `<meta>` pairs: lowercased name/property/itemprop, and content.
    pub metas: Vec<(String, String)>,
    pub canonical: Option<String>,
    pub lang: Option<String>,
    pub title: Option<String>,
    pub ld_json: Vec<String>,
    /// `<time datetime>` values with the node index of the element.
    pub times: Vec<(u32, String)>,
    /// `rel=author` and `itemprop=author` texts.
    pub author_nodes: Vec<u32>,
}

/// The flattened page.
pub(crate) struct Dom {
    pub nodes: Vec<Node>,
    pub text: String,
    pub meta: RawMeta,
}

impl Dom {
    /// Flattens a parsed document.
    pub(crate) fn build(html: &Html) -> Dom {
        let mut nodes: Vec<Node> = Vec::with_capacity(2048);
        let mut text = String::with_capacity(16 * 1024);
        let mut meta = RawMeta::default();
        let mut stack: Vec<u32> = Vec::with_capacity(64);
        // Depth inside a subtree being left out (0 = not skipping).
        let mut skip = 0u32;
        let mut class_buf = String::new();
        // Class strings repeat across a page; classify each distinct one once.
        let mut class_memo: std::collections::HashMap<String, u8> =
            std::collections::HashMap::new();
        for edge in html.tree.root().traverse() {
            match edge {
                Edge::Open(node) => {
                    if skip > 0 {
                        if matches!(node.value(), SNode::Element(_)) {
                            skip += 1;
                        }
                        continue;
                    }
                    match node.value() {
                        SNode::Text(t) => {
                            let parent = stack.last().copied().unwrap_or(u32::MAX);
                            let s = text.len() as u32;
                            text.push_str(&t.text);
                            let idx = nodes.len() as u32;
                            nodes.push(Node {
                                tag: Tag::Text,
                                parent,
                                end: idx + 1,
                                text: (s, text.len() as u32),
                                flags: 0,
                            });
                        }
                        SNode::Element(el) => {
                            let name = el.name();
                            let Some(tag) = Tag::from_name(name) else {
                                if matches!(
                                    name,
                                    "img"
                                        | "picture"
                                        | "video"
                                        | "iframe"
                                        | "svg"
                                        | "amp-img"
                                        | "embed"
                                        | "object"
                                ) && let Some(&p) = stack.last()
                                {
                                    nodes[p as usize].flags |= MEDIA;
                                }
                                collect_head(name, el, node, &mut meta);
                                skip = 1;
                                continue;
                            };
                            let idx = nodes.len() as u32;
                            let mut flags = 0u8;
                            class_buf.clear();
                            for (k, v) in el.attrs() {
                                match k {
                                    "id" if rules::is_heading_slug(v) => {}
                                    "class" | "id" | "data-testid" | "data-component"
                                    | "data-module" | "data-type" | "data-role" => {
                                        class_buf.push_str(v);
                                        class_buf.push(' ');
                                    }
                                    "role" => match v {
                                        "navigation" | "banner" | "contentinfo"
                                        | "complementary" | "dialog" | "alertdialog" | "menu"
                                        | "menubar" | "toolbar" | "search" => flags |= JUNK_STRONG,
                                        "main" | "article" => flags |= CONTENT,
                                        _ => {}
                                    },
                                    "hidden" => flags |= HIDDEN,
                                    "aria-hidden" if v == "true" => flags |= HIDDEN,
                                    "style" if rules::style_hides(v) => flags |= HIDDEN,
                                    "itemprop" => match v {
                                        "articleBody" | "text" | "reviewBody" => flags |= CONTENT,
                                        "author" => meta.author_nodes.push(idx),
                                        "datePublished" | "dateCreated" => {
                                            if let Some(c) =
                                                el.attr("content").or_else(|| el.attr("datetime"))
                                            {
                                                meta.times.push((idx, c.to_string()));
                                            }
                                        }
                                        _ => {}
                                    },
                                    "rel" if tag == Tag::A && v.contains("author") => {
                                        meta.author_nodes.push(idx)
                                    }
                                    "lang" if name == "html" => meta.lang = Some(v.to_string()),
                                    "datetime" if tag == Tag::Time => {
                                        meta.times.push((idx, v.to_string()))
                                    }
                                    _ => {}
                                }
                            }
                            if name == "head" {
                                flags |= HIDDEN;
                            }
                            if !class_buf.is_empty() {
                                flags |= match class_memo.get(class_buf.as_str()) {
                                    Some(&f) => f,
                                    None => {
                                        let f = rules::classify_class(&class_buf);
                                        class_memo.insert(class_buf.clone(), f);
                                        f
                                    }
                                };
                            }
                            let parent = stack.last().copied().unwrap_or(u32::MAX);
                            nodes.push(Node {
                                tag,
                                parent,
                                end: idx + 1,
                                text: (0, 0),
                                flags,
                            });
                            stack.push(idx);
                        }
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if skip > 0 {
                        if matches!(node.value(), SNode::Element(_)) {
                            skip -= 1;
                        }
                        continue;
                    }
                    if matches!(node.value(), SNode::Element(_))
                        && let Some(idx) = stack.pop()
                    {
                        let end = nodes.len() as u32;
                        nodes[idx as usize].end = end;
                    }
                }
            }
        }
        Dom { nodes, text, meta }
    }

    /// The raw text of a text node.
    pub(crate) fn node_text(&self, i: usize) -> &str {
        let (s, e) = self.nodes[i].text;
        &self.text[s as usize..e as usize]
    }

    /// Text of a subtree, whitespace collapsed.
    pub(crate) fn subtree_text(&self, i: usize) -> String {
        let mut out = String::new();
        let end = self.nodes[i].end as usize;
        for k in i..end {
            match self.nodes[k].tag {
                Tag::Text => push_collapsed(&mut out, self.node_text(k)),
                Tag::Br => {
                    let t = out.trim_end().len();
                    out.truncate(t);
                    out.push('\n');
                }
                // Blocks are lines: a byline's name and its agency are two.
                t if t.is_block() => {
                    let t = out.trim_end().len();
                    out.truncate(t);
                    if !out.is_empty() {
                        out.push('\n');
                    }
                }
                _ => {}
            }
        }
        out.trim().to_string()
    }
}

/// Appends `s` to `out` with runs of whitespace folded to one space (no leading space at
/// the start of `out`).
pub(crate) fn push_collapsed(out: &mut String, s: &str) {
    for c in s.chars() {
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') && !out.ends_with('\n') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

fn collect_head(
    name: &str,
    el: &scraper::node::Element,
    node: ego_tree::NodeRef<'_, SNode>,
    meta: &mut RawMeta,
) {
    match name {
        "meta" => {
            let key = el
                .attr("property")
                .or_else(|| el.attr("name"))
                .or_else(|| el.attr("itemprop"))
                .or_else(|| el.attr("http-equiv"));
            if let (Some(k), Some(c)) = (key, el.attr("content")) {
                meta.metas.push((k.to_ascii_lowercase(), c.to_string()));
            }
        }
        "link" => {
            if let (Some(rel), Some(href)) = (el.attr("rel"), el.attr("href"))
                && rel
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("canonical"))
                && meta.canonical.is_none()
            {
                meta.canonical = Some(href.trim().to_string());
            }
        }
        "title" if meta.title.is_none() => {
            let t: String = node
                .children()
                .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                .collect();
            meta.title = Some(t);
        }
        "script"
            if el
                .attr("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
        {
            let t: String = node
                .children()
                .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                .collect();
            meta.ld_json.push(t);
        }
        _ => {}
    }
}
