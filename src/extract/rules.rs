//! The extractor's rules as data: which class names mean boilerplate or article body,
//! which short lines are site chrome, and the thresholds of the body scorer.
//!
//! Class and id values are matched as tokens split on non-letters, so `share-bar`,
//! `shareBar` and `share_bar` all carry the token `share`, while `shareholder` does not.

use super::dom::{AUTHOR_HINT, CONTENT, JUNK_CERTAIN, JUNK_STRONG, JUNK_WEAK, META_HINT};
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Class/id tokens that mark boilerplate whatever the element's size.
const JUNK_STRONG_TOKENS: &[&str] = &[
    "comment",
    "comments",
    "commentlist",
    "disqus",
    "respond",
    "replies",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "newsletter",
    "newsletters",
    "subscribe",
    "subscription",
    "signup",
    "outbrain",
    "taboola",
    "gallery",
    "slideshow",
    "carousel",
    "lightbox",
    "zergnet",
    "revcontent",
    "share",
    "sharing",
    "sharebar",
    "shares",
    "social",
    "socials",
    "sociallinks",
    "breadcrumb",
    "breadcrumbs",
    "advert",
    "advertisement",
    "advertising",
    "ad",
    "ads",
    "adslot",
    "adunit",
    "dfp",
    "gpt",
    "sponsor",
    "sponsored",
    "promo",
    "promotion",
    "caption",
    "captions",
    "figcaption",
    "credit",
    "credits",
    "copyright",
    "related",
    "recommended",
    "recommendations",
    "trending",
    "popular",
    "mostread",
    "mostpopular",
    "modal",
    "popup",
    "overlay",
    "skip",
    "skiplink",
    "print",
    "toolbar",
    "tooltip",
    "pagination",
    "pager",
    "nav",
    "navbar",
    "navigation",
    "menu",
    "footer",
    "masthead",
    "banner",
    "tags",
    "tag",
    "taglist",
    "keywords",
    "topics",
    "authorbio",
    "bio",
    "avatar",
    "rating",
    "vote",
    "login",
    "signin",
    "register",
    "donate",
    "donation",
    "widget",
    "widgets",
    "sidebar",
    "rail",
    "aside",
    "sharetools",
    "inline-more",
    "moreon",
    "readmore",
    "readnext",
    "upnext",
    "newsletterbox",
    "jump",
    "visually",
    "sr",
    "screenreader",
];

/// Class/id tokens that mark the article body.
const CONTENT_TOKENS: &[&str] = &[
    "articlebody",
    "articletext",
    "articlecontent",
    "storybody",
    "storytext",
    "storycontent",
    "entrycontent",
    "entrybody",
    "postbody",
    "postcontent",
    "posttext",
    "bodytext",
    "maintext",
    "contentbody",
    "richtext",
    "textblock",
    "paragraph",
    "paywallcontent",
    "articlepage",
    "article",
    "story",
    "entry",
    "post",
    "content",
    "body",
    "text",
    "main",
];

/// Class/id tokens for dates, bylines and datelines (used by metadata, not removed).
const META_TOKENS: &[&str] = &[
    "byline",
    "bylines",
    "author",
    "authors",
    "date",
    "dateline",
    "time",
    "timestamp",
    "published",
    "pubdate",
    "posted",
    "updated",
    "meta",
    "info",
    "contributor",
];

/// Parts of author-ish class names that are not the name itself.
const AUTHOR_NOISE: &[&str] = &[
    "bio", "photo", "avatar", "image", "img", "title", "role", "desc", "social", "follow",
    "comment", "more", "linklist", "box", "card",
];

/// Words of job titles and desks, never part of a byline name.
pub(crate) const TITLE_WORDS: &[&str] = &[
    "writer",
    "reporter",
    "correspondent",
    "editor",
    "editors",
    "staff",
    "contributor",
    "columnist",
    "lead",
    "head",
    "director",
    "president",
    "vice",
    "chief",
    "officer",
    "manager",
    "senior",
    "analyst",
    "intelligence",
    "policy",
    "security",
    "technology",
    "news",
    "desk",
    "team",
    "department",
    "correspondents",
    "bureau",
    "press",
    "wire",
    "agency",
    "photographer",
    "producer",
    "founder",
    "ceo",
    "coo",
    "cto",
    "vp",
    "investigator",
    "investigations",
    "researcher",
    "engineer",
    "specialist",
    "lead,",
    "associate",
    "assistant",
    "deputy",
    "executive",
    "global",
    "general",
    "counsel",
    "contributing",
    "special",
    "political",
    "tech",
    "media",
    "sports",
    "business",
    "updated",
    "published",
    "posted",
    "share",
    "follow",
    "email",
    "comments",
    "comment",
];

/// Token → flags, built once from the lists above.
static TOKENS: LazyLock<HashMap<&'static str, u8>> = LazyLock::new(|| {
    let mut m: HashMap<&'static str, u8> = HashMap::new();
    for t in JUNK_STRONG_TOKENS {
        *m.entry(t).or_default() |= junk_flag(t);
    }
    for t in META_TOKENS {
        *m.entry(t).or_default() |= META_HINT;
    }
    m
});

static CONTENT_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| CONTENT_TOKENS.iter().copied().collect());

/// Flags for an element from its class, id and data attribute values.
///
/// Each whitespace-separated word is read once: its parts (split at non-letters and at
/// camelCase humps: "share-bar", "shareBar") are looked up as boilerplate and metadata
/// tokens, and the whole word with its non-letters dropped ("articlebody"), or its BEM
/// block ("story-body" of "story-body__inner"), as a content token.
pub(crate) fn classify_class(s: &str) -> u8 {
    let mut flags = 0u8;
    let mut joined = String::with_capacity(32);
    let mut part = String::with_capacity(16);
    for word in s.split_ascii_whitespace() {
        joined.clear();
        part.clear();
        let mut bem_len = None;
        let mut prev_lower = false;
        let bytes = word.as_bytes();
        for (k, &c) in bytes.iter().enumerate() {
            if c == b'_' && bytes.get(k + 1) == Some(&b'_') && bem_len.is_none() {
                bem_len = Some(joined.len());
            }
            if c.is_ascii_alphabetic() {
                if c.is_ascii_uppercase() && prev_lower {
                    flags |= part_flags(&part);
                    part.clear();
                }
                prev_lower = c.is_ascii_lowercase();
                let l = c.to_ascii_lowercase() as char;
                joined.push(l);
                part.push(l);
            } else {
                prev_lower = false;
                flags |= part_flags(&part);
                part.clear();
            }
        }
        if part.len() != joined.len() {
            flags |= part_flags(&part);
        }
        flags |= TOKENS.get(joined.as_str()).copied().unwrap_or(0);
        let bem_block = bem_len.map(|n| &joined[..n]).filter(|b| b.len() >= 8);
        if CONTENT_SET.contains(joined.as_str())
            || bem_block.is_some_and(|b| CONTENT_SET.contains(b))
        {
            flags |= CONTENT;
        }
        if (joined.contains("author") || joined.contains("byline"))
            && !AUTHOR_NOISE.iter().any(|t| joined.contains(t))
        {
            flags |= AUTHOR_HINT;
        }
    }
    flags
}

fn part_flags(part: &str) -> u8 {
    if part.is_empty() {
        0
    } else {
        TOKENS.get(part).copied().unwrap_or(0)
    }
}

/// Tokens that may name a wrapper around the whole page ("has-sidebar", "nav-open"):
/// weak, so a node holding most of the page's text survives them.
fn junk_flag(token: &str) -> u8 {
    match token {
        "sidebar" | "rail" | "aside" | "nav" | "navbar" | "navigation" | "menu" | "widget"
        | "widgets" | "banner" | "masthead" | "popular" | "jump" | "print" | "overlay"
        | "modal" | "sr" | "visually" | "tag" | "tags" | "topics" | "skip" | "related"
        | "promo" | "rating" | "footer" => JUNK_WEAK,
        // Comment threads can outweigh the article in prose; the prose share must not
        // save them.
        "comment" | "comments" | "commentlist" | "disqus" | "respond" | "replies" | "gallery"
        | "slideshow" | "carousel" | "lightbox" => JUNK_STRONG | JUNK_CERTAIN,
        _ => JUNK_STRONG,
    }
}

/// Whether an id is a heading turned into an anchor ("sharing-with-a-single-developer"):
/// a phrase of the text, not a name of the layout, so its words say nothing of the kind
/// of box it names.
pub(crate) fn is_heading_slug(id: &str) -> bool {
    let parts = id.split('-').filter(|p| !p.is_empty()).count();
    parts >= 4
        && id
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

/// Whether an inline style hides the element.
pub(crate) fn style_hides(style: &str) -> bool {
    let s = style.to_ascii_lowercase();
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    s.contains("display:none") || s.contains("visibility:hidden")
}

/// Whole lines that are site chrome when they stand alone as a block (case-insensitive,
/// matched against the whole line after trailing punctuation is trimmed).
const CHROME_LINES: &[&str] = &[
    r"advertisements?",
    r"ad",
    r"sponsored( content)?",
    r"story continues below.*",
    r"continue reading.*",
    r"read more.*",
    r"read next.*",
    r"more",
    r"more on this.*",
    r"related( (articles?|stories|content|coverage|links|topics|reading|videos?))?",
    r"see also.*",
    r"also read.*",
    r"recommended( for you)?",
    r"share( this( article| story| post| page)?)?( on .*)?",
    r"share (on|via) .*",
    r"tweet",
    r"email",
    r"print",
    r"copy link",
    r"comments?",
    r"\d+ comments?",
    r"sign up.*",
    r"get .{1,60} in your inbox.*",
    r"subscribe.*",
    r"follow us.*",
    r"click here.*",
    r"(photo|image|video)( credit)?: .*",
    r"getty images",
    r"(©|\(c\)|copyright) .*",
    r"all rights reserved.*",
    r"loading.*",
    r"skip to .*",
    r"back to top",
    r"top stories",
    r"most (read|popular|viewed)",
    r"trending( now| news)?",
    r"you may also like.*",
    r"listen to (this )?article.*",
    r"scroll to continue.*",
    r"we use cookies.*",
    r"this (article|story) (was|is) (originally|first) published.*",
    r"(updated|published|posted)( on)? \w{3,9}\.? \d.*",
    r"by [\w.' -]{3,60}",
];

static CHROME_LINE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(&format!("(?i)^(?:{})$", CHROME_LINES.join("|"))).ok());

/// Whether a short line is only a job title or desk ("Sentinel Staff Writer",
/// "Technology reporter").
pub(crate) fn is_title_line(text: &str) -> bool {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    (1..=5).contains(&words.len())
        && words.iter().any(|w| {
            TITLE_WORDS.contains(&w.as_str())
                && !matches!(
                    w.as_str(),
                    "news"
                        | "global"
                        | "general"
                        | "special"
                        | "political"
                        | "security"
                        | "policy"
                        | "intelligence"
                        | "business"
                        | "media"
                        | "sports"
                        | "tech"
                        | "technology"
                )
        })
        && words.iter().all(|w| {
            TITLE_WORDS.contains(&w.as_str())
                || text.split_whitespace().any(|o| {
                    o.to_lowercase() == *w && o.chars().next().is_some_and(char::is_uppercase)
                })
        })
        && !text.trim_end().ends_with(['.', '?', '!'])
}

/// Whether a block of text is one of the chrome lines.
pub(crate) fn is_chrome_line(text: &str) -> bool {
    let t = text
        .trim()
        .trim_end_matches(['.', '!', '»', '›', '>', '→', ':'])
        .trim();
    if t.len() > 120 {
        return false;
    }
    // A line that is only a date and time is a byline or dateline.
    let date_line = t.split_whitespace().count() <= 8
        && !t.ends_with('.')
        && super::dates::parse_text_date(t).is_some();
    date_line || CHROME_LINE.as_ref().is_some_and(|re| re.is_match(t))
}

static COMMENTS_HEADING: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)^(reader |user |readers' )?(comments|discussion|responses|replies)( \(\d+\)| \d+)?$|^\d+ (comments|responses|replies)$|^(leave|post|add) a (comment|reply)$|^join the (discussion|conversation)$|^what (do )?you think\??$").ok()
});

/// Whether a short block is the heading of a comment section.
pub(crate) fn is_comments_heading(text: &str) -> bool {
    let t = text.trim().trim_end_matches([':', '.']).trim();
    COMMENTS_HEADING.as_ref().is_some_and(|re| re.is_match(t))
}

/// Words of terms and conditions, privacy notices and disclaimers.
const LEGAL_WORDS: &[&str] = &[
    "agree",
    "agreement",
    "warranty",
    "warranties",
    "liable",
    "liability",
    "indemnify",
    "hereby",
    "herein",
    "thereof",
    "pursuant",
    "shall",
    "terms",
    "conditions",
    "licence",
    "license",
    "licensed",
    "trademark",
    "trademarks",
    "jurisdiction",
    "disclaimer",
    "disclaims",
    "consent",
    "cookies",
    "privacy",
    "personal",
    "data",
    "third",
    "parties",
    "reproduced",
    "prior",
    "written",
    "permission",
];

/// Whether a block reads as legal fine print: at least `LEGAL_MIN` distinct legal words
/// and one legal word in every `LEGAL_DENSITY` words. A court story uses a few of them;
/// terms of use are made of them.
pub(crate) fn is_legal_text(text: &str) -> bool {
    let mut seen: Vec<&str> = Vec::new();
    let mut hits = 0usize;
    let mut words = 0usize;
    for w in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        words += 1;
        if let Some(&t) = LEGAL_WORDS.iter().find(|&&t| t.eq_ignore_ascii_case(w)) {
            hits += 1;
            if !seen.contains(&t) {
                seen.push(t);
            }
        }
    }
    seen.len() >= score::LEGAL_MIN && hits * score::LEGAL_DENSITY >= words
}

/// Scorer thresholds.
pub(crate) mod score {
    /// Words a block needs to count as paragraph text.
    pub const MIN_WORDS: usize = 8;
    /// Words of the shortest sentence that counts as one of a story's (a brief's
    /// "Police closed the road." has four).
    pub const SENTENCE_MIN_WORDS: usize = 4;
    /// Wrappers of its own a lone paragraph may sit in before its container is looked at.
    pub const PARAGRAPH_WRAPPERS: usize = 3;
    /// Above this share of link text, a block is navigation.
    pub const MAX_LINK_DENSITY: f32 = 0.35;
    /// A block this long is prose up to a higher link density (bullet lists of news with
    /// links in every item)…
    pub const LONG_WORDS: usize = 25;
    /// … namely this one.
    pub const LONG_MAX_LINK_DENSITY: f32 = 0.7;
    /// Weight of navigation-like text against the node that holds it.
    pub const LINK_PENALTY: f32 = 1.0;
    /// Weight of short, non-paragraph text against the node that holds it.
    pub const SHORT_PENALTY: f32 = 0.3;
    /// Divisors of a block's value for its owner, parent, grandparent, … (readability's).
    pub const DECAY: [f32; 6] = [1.0, 1.0, 2.0, 6.0, 9.0, 12.0];
    /// Another paragraph container scoring this share of the top candidate is part of a
    /// split article…
    pub const MERGE_SHARE: f32 = 0.2;
    /// … and at least this many characters of its own paragraphs (one teaser card has
    /// fewer)…
    pub const MERGE_MIN: f32 = 200.0;
    /// … and the text between it and the region is at most this share of its own…
    pub const MERGE_GAP: f32 = 0.5;
    /// … when it lies within this many levels of the region found so far.
    pub const MERGE_LEVELS: usize = 6;
    /// Characters of non-prose text (an ad label, a pull quote, a newsletter box) that may
    /// lie between the article and more of its paragraphs.
    pub const CONTINUATION_GAP: f32 = 300.0;
    /// Characters of prose next to the article that make a section of it rather than a
    /// standfirst or a box after it.
    pub const CONTINUATION_LEAD: f32 = 300.0;
    /// A sibling of the top candidate joins when its text is this share of the top's.
    pub const SIBLING_SHARE: f32 = 0.2;
    /// … and at least this many characters of net prose.
    pub const SIBLING_MIN: f32 = 60.0;
    /// A box holding an image and less text than this is a figure.
    pub const FIGURE_MAX_CHARS: u32 = 300;
    /// Distinct legal words that make a block fine print…
    pub const LEGAL_MIN: usize = 4;
    /// … with one legal word in at most this many words.
    pub const LEGAL_DENSITY: usize = 12;
    /// Bonus factor for a node whose class says it is the article body.
    pub const CONTENT_BONUS: f32 = 0.25;
    /// Share of the page's prose above which a weak boilerplate class (or an `<aside>`,
    /// `<header>`, `<footer>`) is a wrapper around the article, not chrome.
    pub const WEAK_JUNK_VETO: f32 = 0.5;
    /// Share of the page's prose above which a strong boilerplate class ("ad",
    /// "pagination", "outbrain") is a wrapper around the article.
    pub const STRONG_JUNK_VETO: f32 = 0.6;
    /// Share of the page's text above which hidden text or a comment-thread class is a
    /// wrapper around the whole page.
    pub const CERTAIN_JUNK_VETO: f32 = 0.8;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_tokens() {
        let cases: &[(&str, u8)] = &[
            ("share-bar", JUNK_STRONG),
            ("shareBar", JUNK_STRONG),
            ("shareholder-report", 0),
            ("article-body", CONTENT),
            ("story-body__inner", CONTENT),
            ("comments", JUNK_STRONG),
            ("has-sidebar", JUNK_WEAK),
            ("byline", META_HINT),
            ("css-1x2y3z", 0),
            // Words on token boundaries only: "ad" is not "add", "load" or "head".
            ("section-and-ad", JUNK_STRONG),
            ("ad-sidebar--spacer", JUNK_STRONG),
            ("add-to-cart loading headline", 0),
            ("subheader", 0),
            ("pagination_page", JUNK_STRONG),
            ("type-gallery", JUNK_STRONG | JUNK_CERTAIN),
        ];
        for (class, want) in cases {
            let got = classify_class(class)
                & (JUNK_STRONG | JUNK_WEAK | JUNK_CERTAIN | CONTENT | META_HINT);
            assert_eq!(got & want, *want, "{class}: {got:#b}");
            if *want == 0 {
                assert_eq!(got, 0, "{class}");
            }
        }
    }

    #[test]
    fn heading_slugs() {
        assert!(is_heading_slug("sharing-with-a-single-developer"));
        assert!(!is_heading_slug("ad-sidebar--spacer"));
        assert!(!is_heading_slug("share-tools"));
        assert!(!is_heading_slug("Comments-Section-Wrapper-Main"));
    }

    #[test]
    fn legal_text() {
        assert!(is_legal_text(
            "By using this site you agree to these terms and conditions. The publisher shall not be liable for any loss, and disclaims all warranties."
        ));
        assert!(!is_legal_text(
            "The court said the company shall pay a fine after regulators found it had broken the terms of its licence."
        ));
    }

    #[test]
    fn chrome_lines() {
        for line in [
            "Advertisement",
            "Read more",
            "Share this article",
            "MORE:",
            "© 2019 ABC News",
            "Jan 31, 2019, 3:50 PM ET",
        ] {
            assert!(is_chrome_line(line), "{line}");
        }
        for line in [
            "Twitter removed 2,617 accounts.",
            "Why it matters",
            "More than 1,000 accounts were removed.",
        ] {
            assert!(!is_chrome_line(line), "{line}");
        }
    }
}
