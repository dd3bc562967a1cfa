//! Article metadata: title, publication date, authors, canonical URL, site, language.
//!
//! Each field has an ordered list of sources, most explicit first (Open Graph and
//! article meta tags, then JSON-LD, then visible markup, then the URL). A source that is
//! present but unusable (a date that does not parse, an "author" that is a URL) falls
//! through to the next rather than ending the search.

use super::body::Layout;
use super::dates;
use super::dom::{AUTHOR_HINT, Dom, JUNK_STRONG, META_HINT, Tag};
use chrono::NaiveDate;
use serde_json::Value;

/// Metadata found on a page.
#[derive(Debug, Default, Clone)]
pub(crate) struct Meta {
    pub title: Option<String>,
    pub published: Option<NaiveDate>,
    pub authors: Vec<String>,
    pub url: Option<String>,
    /// The address the page gives itself (canonical, else og:url), whatever `url` is.
    pub claimed_url: Option<String>,
    pub site_name: Option<String>,
    pub language: Option<String>,
}

/// Meta keys that carry the publication date, in order of trust.
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "article.published",
    "publish-date",
    "publish_date",
    "publishdate",
    "published_time",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "dcterms.date",
    "date",
    "og:published_time",
    "article:modified_time",
];

const AUTHOR_KEYS: &[&str] = &[
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "byl",
];

/// Reads metadata from the flattened page; `given_url` is the caller's `--url`.
pub(crate) fn read(dom: &Dom, layout: &Layout, given_url: Option<&str>) -> Meta {
    let raw = &dom.meta;
    let get = |key: &str| -> Option<&str> {
        raw.metas
            .iter()
            .find(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    };
    let ld: Vec<Value> = raw.ld_json.iter().flat_map(|s| ld_objects(s)).collect();
    let ld_article = ld.iter().find(|o| is_article_type(o)).or(ld.first());

    let site_name = get("og:site_name").map(str::to_string).or_else(|| {
        ld_article
            .and_then(|o| o.get("publisher"))
            .and_then(|p| p.get("name"))
            .and_then(Value::as_str)
            .map(str::to_string)
    });

    let canonical = raw.canonical.as_deref().or_else(|| get("og:url"));
    let claimed_url = resolve_url(None, canonical);
    let url = resolve_url(given_url, canonical);

    let h1 = dom
        .nodes
        .iter()
        .position(|n| n.tag == Tag::H(1))
        .map(|i| {
            dom.subtree_text(i)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|t| !t.is_empty());
    let declared = get("og:title")
        .or_else(|| get("twitter:title"))
        .map(|t| clean_title(t, site_name.as_deref()))
        .or_else(|| {
            ld_article
                .and_then(|o| o.get("headline"))
                .and_then(Value::as_str)
                .map(|t| clean_title(t, site_name.as_deref()))
        });
    let html_title = raw
        .title
        .as_deref()
        .map(|t| clean_title(t, site_name.as_deref()));
    // The visible headline wins when it is about the same thing as the declared title
    // (social titles are often shortened or reworded); a site-wide h1 (a logo) does not.
    let h1 = h1.filter(|h| {
        h.split_whitespace().count() <= 40
            && [declared.as_deref(), html_title.as_deref()]
                .into_iter()
                .flatten()
                .any(|t| word_overlap(h, t) >= 0.5)
    });
    // No h1: a block before the story that says what the declared title says.
    let h1 = h1.or_else(|| {
        let declared = declared.as_deref().or(html_title.as_deref())?;
        layout
            .blocks
            .iter()
            .take_while(|b| !(layout.in_article(b) && b.words >= 15 && !b.text.contains('\n')))
            .filter(|b| b.link_density() < 0.5)
            .flat_map(|b| b.text.lines())
            .filter(|l| (3..=30).contains(&l.split_whitespace().count()))
            .map(|l| (word_overlap(l, declared), l))
            .filter(|(o, _)| *o >= 0.6)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, l)| l.trim().to_string())
    });
    let title = h1.or(declared).or(html_title).filter(|t| !t.is_empty());

    let published = DATE_KEYS
        .iter()
        .filter_map(|k| get(k))
        .find_map(dates::parse_machine_date)
        .or_else(|| {
            ld.iter()
                .filter_map(|o| o.get("datePublished").or_else(|| o.get("dateCreated")))
                .filter_map(Value::as_str)
                .find_map(dates::parse_machine_date)
        })
        .or_else(|| {
            raw.times
                .iter()
                .find_map(|(_, t)| dates::parse_machine_date(t))
        })
        .or_else(|| byline_date(dom))
        .or_else(|| url.as_deref().and_then(dates::date_from_url));

    let mut authors = ld_article.map(ld_authors).unwrap_or_default();
    if authors.is_empty() {
        authors = AUTHOR_KEYS
            .iter()
            .filter_map(|k| get(k))
            .map(split_names)
            .find(|v| !v.is_empty())
            .unwrap_or_default();
    }
    if authors.is_empty() {
        for &i in &raw.author_nodes {
            for name in byline_names(&dom.subtree_text(i as usize), true) {
                if !authors.contains(&name) {
                    authors.push(name);
                }
            }
        }
    }
    if authors.is_empty() {
        authors = byline_authors(dom, layout);
    }

    let language = raw
        .lang
        .as_deref()
        .or_else(|| get("content-language"))
        .or_else(|| get("og:locale"))
        .or_else(|| get("dc.language"))
        .or_else(|| {
            ld_article
                .and_then(|o| o.get("inLanguage"))
                .and_then(Value::as_str)
        })
        .and_then(language_code);

    Meta {
        title,
        published,
        authors,
        url,
        claimed_url,
        site_name,
        language,
    }
}

/// The objects of one JSON-LD script, with `@graph` and arrays flattened.
fn ld_objects(s: &str) -> Vec<Value> {
    let s = s.trim().trim_start_matches("<!--").trim_end_matches("-->");
    let s = s
        .trim()
        .trim_start_matches("//<![CDATA[")
        .trim_end_matches("//]]>");
    let Ok(v) = serde_json::from_str::<Value>(s.trim()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut todo = vec![v];
    while let Some(v) = todo.pop() {
        match v {
            Value::Array(a) => todo.extend(a.into_iter().rev()),
            Value::Object(mut o) => {
                if let Some(g) = o.remove("@graph") {
                    todo.push(g);
                }
                out.push(Value::Object(o));
            }
            _ => {}
        }
    }
    out
}

fn is_article_type(o: &Value) -> bool {
    let is = |t: &str| {
        t.ends_with("Article")
            || matches!(
                t,
                "BlogPosting" | "ReportageNewsArticle" | "NewsArticle" | "Report"
            )
    };
    match o.get("@type") {
        Some(Value::String(t)) => is(t),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).any(is),
        _ => false,
    }
}

fn ld_authors(o: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |v: &Value| {
        let name = match v {
            Value::String(s) => Some(s.as_str()),
            Value::Object(_) => v.get("name").and_then(Value::as_str),
            _ => None,
        };
        if let Some(n) = name {
            for n in split_names(n) {
                if !out.contains(&n) {
                    out.push(n);
                }
            }
        }
    };
    match o.get("author").or_else(|| o.get("creator")) {
        Some(Value::Array(a)) => a.iter().for_each(&mut push),
        Some(v) => push(v),
        None => {}
    }
    out
}

/// Names from a byline: "By Jane Doe and John Roe", "Jane Doe, John Roe".
fn split_names(s: &str) -> Vec<String> {
    byline_names(s, true)
}

/// Names in a byline. Without `bare`, the text must open with "By", "Posted by" or the
/// like; with it, the whole text may be names. Reading stops at the first word that
/// cannot be part of a name list ("on", "in", a weekday, a date, a digit), and
/// comma-separated job titles ("Global Threat Intelligence Lead") are skipped.
pub(crate) fn byline_names(s: &str, bare: bool) -> Vec<String> {
    // A byline's first line holds the names; the next ones hold titles and dates.
    let first = s
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let s = first.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.starts_with("http") || s.contains('@') || s.len() > 300 {
        return Vec::new();
    }
    let lower = s.to_lowercase();
    let start = [
        "posted by ",
        "written by ",
        "submitted by ",
        "words by ",
        "story by ",
        "reporting by ",
        "by ",
    ]
    .iter()
    .filter_map(|p| lower.find(p).filter(|&i| i <= 12).map(|i| i + p.len()))
    .min();
    let rest = match start {
        Some(i) => &s[i..],
        None if bare => s.as_str(),
        None => return Vec::new(),
    };
    let mut names = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let flush = |current: &mut Vec<&str>, names: &mut Vec<String>| {
        if !current.is_empty() {
            let name = current.join(" ");
            if looks_like_name(&name) && !names.contains(&name) {
                names.push(name);
            }
            current.clear();
        }
    };
    let words: Vec<&str> = rest.split(' ').collect();
    for (k, raw_word) in words.iter().copied().enumerate() {
        let next_is_number = words
            .get(k + 1)
            .is_some_and(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()));
        let ends_segment = raw_word.ends_with([',', ';']);
        let word = raw_word
            .trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '\'' && c != '-');
        let word = word
            .trim_end_matches(['.', ','].as_slice())
            .trim_end_matches(',');
        let wl = word.to_lowercase();
        if raw_word == "|" || raw_word == "-" || raw_word == "—" || raw_word == "–" {
            break;
        }
        if wl == "and" || raw_word == "&" {
            flush(&mut current, &mut names);
            continue;
        }
        let stop = word.is_empty() && !raw_word.is_empty() && raw_word != ","
            || word.chars().any(|c| c.is_ascii_digit())
            || (is_month_word(&wl) && next_is_number)
            || is_weekday(&wl)
            || matches!(
                wl.as_str(),
                "on" | "in"
                    | "at"
                    | "for"
                    | "from"
                    | "updated"
                    | "published"
                    | "posted"
                    | "with"
                    | "via"
            );
        if stop {
            break;
        }
        current.push(word);
        if ends_segment {
            flush(&mut current, &mut names);
        }
    }
    flush(&mut current, &mut names);
    names
}

/// Whether a line is a byline ("By Jane Doe", "Posted by Jane Doe on …").
pub(crate) fn is_byline(line: &str) -> bool {
    let l = line.trim_start().to_lowercase();
    ["by ", "posted by ", "written by ", "submitted by "]
        .iter()
        .any(|p| l.starts_with(p))
        && !byline_names(line, false).is_empty()
}

fn is_weekday(w: &str) -> bool {
    dates::weekday_of(w, true).is_some()
}

fn is_month_word(w: &str) -> bool {
    dates::is_month_word(w)
}

const NAME_PARTICLES: &[&str] = &[
    "de", "da", "van", "von", "der", "den", "al", "bin", "la", "le", "di", "du", "dos", "del",
    "el", "ibn", "ter",
];

fn looks_like_name(p: &str) -> bool {
    let words: Vec<&str> = p.split_whitespace().collect();
    (2..=5).contains(&words.len())
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase) || NAME_PARTICLES.contains(w))
        && !words
            .iter()
            .any(|w| super::rules::TITLE_WORDS.contains(&w.to_lowercase().as_str()))
        && !p.chars().any(|c| c.is_ascii_digit())
        && !matches!(
            p.to_ascii_lowercase().as_str(),
            "associated press" | "the associated press"
        )
}

/// A date in the visible byline or dateline near the top of the page.
fn byline_date(dom: &Dom) -> Option<NaiveDate> {
    let mut i = 0;
    let n = dom.nodes.len();
    while i < n {
        let node = &dom.nodes[i];
        if node.flags & META_HINT != 0 && node.tag != Tag::Text {
            let t = dom.subtree_text(i);
            if t.len() < 300
                && let Some(d) =
                    dates::parse_text_date(&t).or_else(|| dates::parse_numeric_date(&t))
            {
                return Some(d);
            }
        }
        i += 1;
    }
    // No marked byline: the first short text near the top that is a date.
    dom.nodes
        .iter()
        .enumerate()
        .filter(|(_, nd)| nd.tag == Tag::Text)
        .take(400)
        .find_map(|(k, _)| {
            let t = dom.node_text(k).trim();
            (t.len() < 80).then(|| dates::parse_text_date(t)).flatten()
        })
}

/// Authors from elements named for authors, else from a visible "By …" line near the
/// top of the page.
fn byline_authors(dom: &Dom, layout: &Layout) -> Vec<String> {
    for (i, node) in dom.nodes.iter().enumerate() {
        if node.flags & AUTHOR_HINT != 0 && node.tag != Tag::Text && !in_comments(dom, i) {
            let names = byline_names(&dom.subtree_text(i), true);
            if !names.is_empty() {
                return names;
            }
        }
    }
    // A "By …" line among the first blocks of the page (lines split at <br>).
    for b in layout.blocks.iter().take(300) {
        for line in b.text.lines() {
            if line.len() < 200 {
                let names = byline_names(line, false);
                if !names.is_empty() {
                    return names;
                }
            }
        }
    }
    // The same in small elements the body left out (an article's <footer>, a header).
    let limit = dom.nodes.len().min(4000);
    for i in 0..limit {
        let node = &dom.nodes[i];
        if node.tag.is_block() && (node.end as usize) - i < 24 && !in_comments(dom, i) {
            let t = dom.subtree_text(i);
            if t.len() < 200 {
                let names = byline_names(&t, false);
                if !names.is_empty() {
                    return names;
                }
            }
        }
    }
    Vec::new()
}

/// Whether a node sits in a comment section (commenters are not authors).
fn in_comments(dom: &Dom, i: usize) -> bool {
    let mut p = i as u32;
    while p != u32::MAX {
        if dom.nodes[p as usize].flags & JUNK_STRONG != 0 {
            return true;
        }
        p = dom.nodes[p as usize].parent;
    }
    false
}

/// Share of the shorter text's words that the other text also has.
fn word_overlap(a: &str, b: &str) -> f32 {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (wa, wb) = (words(a), words(b));
    let (short, long) = if wa.len() <= wb.len() {
        (&wa, &wb)
    } else {
        (&wb, &wa)
    };
    if short.is_empty() {
        return 0.0;
    }
    short.iter().filter(|w| long.contains(w)).count() as f32 / short.len() as f32
}

/// Drops a " | Site Name" style suffix (or prefix) from a title.
fn clean_title(t: &str, site: Option<&str>) -> String {
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    const SEPS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " • ", " · "];
    for sep in SEPS {
        if let Some(pos) = t.rfind(sep) {
            let (head, tail) = (&t[..pos], &t[pos + sep.len()..]);
            let tail_is_site = site.is_some_and(|s| {
                tail.eq_ignore_ascii_case(s) || s.to_lowercase().contains(&tail.to_lowercase())
            }) || tail.split_whitespace().count() <= 3;
            if tail_is_site && head.split_whitespace().count() >= 3 {
                return head.trim().to_string();
            }
        }
        if let Some(pos) = t.find(sep) {
            let (head, tail) = (&t[..pos], &t[pos + sep.len()..]);
            let strong_sep = matches!(*sep, " | " | " :: " | " • ");
            let head_is_site = site.is_some_and(|s| head.eq_ignore_ascii_case(s))
                || (strong_sep
                    && head.split_whitespace().count() <= 4
                    && tail.split_whitespace().count() >= 5);
            if head_is_site {
                return tail.trim().to_string();
            }
        }
    }
    t
}

fn resolve_url(given: Option<&str>, canonical: Option<&str>) -> Option<String> {
    if let Some(g) = given {
        return Some(g.to_string());
    }
    let c = canonical?.trim();
    let parsed = url::Url::parse(c).ok()?;
    matches!(parsed.scheme(), "http" | "https").then(|| parsed.to_string())
}

/// "en-US" → "en"; anything that is not a language code → None.
fn language_code(s: &str) -> Option<String> {
    let primary = s.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    ((2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_lowercase()))
        .then_some(primary)
}

/// The site id: the URL's host without "www.".
pub(crate) fn site_of(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    let host = u.host_str()?;
    Some(
        host.strip_prefix("www.")
            .unwrap_or(host)
            .to_ascii_lowercase(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        let cases = [
            (
                "Twitter removes accounts | ABC News",
                Some("ABC News"),
                "Twitter removes accounts",
            ),
            (
                "Twitter removes fake accounts - The Verge",
                None,
                "Twitter removes fake accounts",
            ),
            (
                "ABC News | Twitter removes fake accounts",
                Some("ABC News"),
                "Twitter removes fake accounts",
            ),
            (
                "Spain - Italy: a match report",
                None,
                "Spain - Italy: a match report",
            ),
        ];
        for (t, site, want) in cases {
            assert_eq!(clean_title(t, site), want);
        }
    }

    #[test]
    fn bylines() {
        let cases: &[(&str, &[&str])] = &[
            ("by Jan Kowalczyk in Threats", &["Jan Kowalczyk"]),
            (
                "Posted by Marla Quist on Wednesday, April 11, 2018",
                &["Marla Quist"],
            ),
            (
                "By Carl Brandvold\nSentinel Staff Writer",
                &["Carl Brandvold"],
            ),
            (
                "By Ben Nimmo, Global Threat Intelligence Lead, and Nathaniel Gleicher, Head of Security Policy",
                &["Ben Nimmo", "Nathaniel Gleicher"],
            ),
            (
                "By Twitter Safety Thursday, December 2, 2021",
                &["Twitter Safety"],
            ),
            ("By Jane Doe January 31, 2019", &["Jane Doe"]),
            ("Elena Marsh, NAPS Technology Writer", &["Elena Marsh"]),
        ];
        for (line, want) in cases {
            assert_eq!(byline_names(line, true), want.to_vec(), "{line}");
        }
        assert!(byline_names("The accounts were removed by Facebook on Tuesday", false).is_empty());
    }

    #[test]
    fn names() {
        assert_eq!(
            split_names("By Jane Doe and John Roe"),
            vec!["Jane Doe", "John Roe"]
        );
        assert_eq!(split_names("Jane Doe | Reuters"), vec!["Jane Doe"]);
        assert!(split_names("https://www.facebook.com/abcnews").is_empty());
    }

    #[test]
    fn languages() {
        assert_eq!(language_code("en-US").as_deref(), Some("en"));
        assert_eq!(language_code("en_GB").as_deref(), Some("en"));
        assert_eq!(language_code("english"), None);
    }
}
