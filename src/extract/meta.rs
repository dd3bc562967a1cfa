//! Article metadata: title, publication date, authors, canonical URL, site, language.
//!
//! Each field has an ordered list of sources, most explicit first (Open Graph and
//! article meta tags, then JSON-LD, then visible markup, then the URL). A source that is
//! present but unusable (a date that does not parse, an "author" that is a URL) falls
//! through to the next rather than ending the search.

use super::dates;
use super::dom::{Dom, META_HINT, Tag};
use chrono::NaiveDate;
use serde_json::Value;

/// Metadata found on a page.
#[derive(Debug, Default, Clone)]
pub(crate) struct Meta {
    pub title: Option<String>,
    pub published: Option<NaiveDate>,
    pub authors: Vec<String>,
    pub url: Option<String>,
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
pub(crate) fn read(dom: &Dom, given_url: Option<&str>) -> Meta {
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
    let url = resolve_url(given_url, canonical);

    let h1 = dom
        .nodes
        .iter()
        .position(|n| n.tag == Tag::H(1))
        .map(|i| dom.subtree_text(i))
        .filter(|t| !t.is_empty());
    let title = get("og:title")
        .or_else(|| get("twitter:title"))
        .map(|t| clean_title(t, site_name.as_deref()))
        .or_else(|| {
            ld_article
                .and_then(|o| o.get("headline"))
                .and_then(Value::as_str)
                .map(|t| clean_title(t, site_name.as_deref()))
        })
        .or(h1)
        .or_else(|| raw.title.as_deref().map(|t| clean_title(t, site_name.as_deref())))
        .filter(|t| !t.is_empty());

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
        .or_else(|| raw.times.iter().find_map(|(_, t)| dates::parse_machine_date(t)))
        .or_else(|| byline_date(dom))
        .or_else(|| url.as_deref().and_then(dates::date_from_url));

    let mut authors = ld_article.map(ld_authors).unwrap_or_default();
    if authors.is_empty() {
        for k in AUTHOR_KEYS {
            if let Some(v) = get(k) {
                authors = split_names(v);
                if !authors.is_empty() {
                    break;
                }
            }
        }
    }
    if authors.is_empty() {
        for &i in &raw.author_nodes {
            for name in split_names(&dom.subtree_text(i as usize)) {
                if !authors.contains(&name) {
                    authors.push(name);
                }
            }
        }
    }
    if authors.is_empty() {
        authors = byline_authors(dom);
    }

    let language = raw
        .lang
        .as_deref()
        .or_else(|| get("content-language"))
        .or_else(|| get("og:locale"))
        .or_else(|| get("dc.language"))
        .or_else(|| ld_article.and_then(|o| o.get("inLanguage")).and_then(Value::as_str))
        .and_then(language_code);

    Meta { title, published, authors, url, site_name, language }
}

/// The objects of one JSON-LD script, with `@graph` and arrays flattened.
fn ld_objects(s: &str) -> Vec<Value> {
    let s = s.trim().trim_start_matches("<!--").trim_end_matches("-->");
    let s = s.trim().trim_start_matches("//<![CDATA[").trim_end_matches("//]]>");
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
            || matches!(t, "BlogPosting" | "ReportageNewsArticle" | "NewsArticle" | "Report")
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
    let s = s.trim();
    if s.starts_with("http") || s.contains('@') || s.len() > 200 {
        return Vec::new();
    }
    let s = strip_prefix_ci(s, "by ").unwrap_or(s);
    // "Jane Doe | Reuters", "Jane Doe, ABC News" keep the person only.
    let s = s.split(['|', '\n']).next().unwrap_or(s);
    s.split(" and ")
        .flat_map(|p| p.split([',', '&', ';']))
        .map(|p| p.trim().trim_matches(|c: char| !c.is_alphanumeric()).trim())
        .filter(|p| looks_like_name(p))
        .map(str::to_string)
        .collect()
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &s[prefix.len()..])
}

fn looks_like_name(p: &str) -> bool {
    let words: Vec<&str> = p.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase))
        && !p.chars().any(|c| c.is_ascii_digit())
        && !matches!(
            p.to_ascii_lowercase().as_str(),
            "staff" | "admin" | "editor" | "reuters" | "associated press" | "the associated press"
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
            if t.len() < 300 {
                if let Some(d) = dates::parse_text_date(&t) {
                    return Some(d);
                }
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

/// Authors from a visible "By …" byline.
fn byline_authors(dom: &Dom) -> Vec<String> {
    for (i, node) in dom.nodes.iter().enumerate() {
        if node.flags & META_HINT != 0 && node.tag != Tag::Text {
            let t = dom.subtree_text(i);
            if t.len() < 200 && t.to_ascii_lowercase().starts_with("by ") {
                let names = split_names(&t);
                if !names.is_empty() {
                    return names;
                }
            }
        }
    }
    Vec::new()
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
            if site.is_some_and(|s| head.eq_ignore_ascii_case(s)) {
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
    Some(host.strip_prefix("www.").unwrap_or(host).to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        let cases = [
            ("Twitter removes accounts | ABC News", Some("ABC News"), "Twitter removes accounts"),
            ("Twitter removes fake accounts - The Verge", None, "Twitter removes fake accounts"),
            ("ABC News | Twitter removes fake accounts", Some("ABC News"), "Twitter removes fake accounts"),
            ("Spain - Italy: a match report", None, "Spain - Italy: a match report"),
        ];
        for (t, site, want) in cases {
            assert_eq!(clean_title(t, site), want);
        }
    }

    #[test]
    fn names() {
        assert_eq!(split_names("By Jane Doe and John Roe"), vec!["Jane Doe", "John Roe"]);
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
