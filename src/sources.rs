//! The source registry: where takedown figures are published (platforms' report hubs,
//! newsroom tags, transparency pages and feeds; news sections and feeds), as data in
//! `data/sources.tsv`, bundled into the binary and reviewed like code. `crawl --sources`
//! seeds a crawl from it (`--sources FILE` for one's own), `sources` lists it.
//!
//! Every entry is checked when the file is read, so a typo is a clear error naming the
//! line, never a crawl that quietly fetches the wrong thing.

use crate::claims::lexicon;
use serde::Serialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The bundled registry.
pub const BUNDLED: &str = include_str!("../data/sources.tsv");

/// Whether a source speaks for a platform or reports on platforms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// The platform's own reports, posts and transparency pages.
    Platform,
    /// Wires, outlets and research groups that report takedowns.
    News,
}

/// One entry of the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// Unique short name.
    pub name: String,
    /// Platform or news.
    pub kind: SourceKind,
    /// The platform id a platform source speaks for; none for news.
    pub platform: Option<String>,
    /// The start page (report hub, tag page, section).
    pub url: String,
    /// Feeds and sitemaps read first.
    pub feeds: Vec<String>,
    /// Most pages fetched from this entry in one round.
    pub max_pages: usize,
    /// Most link hops from the start page and the feeds.
    pub max_depth: usize,
    /// How the addresses were established.
    pub checked: String,
}

impl Source {
    /// The start page and the feeds, start page first.
    pub fn urls(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.url.as_str()).chain(self.feeds.iter().map(String::as_str))
    }
}

/// Why a registry could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SourcesError {
    /// The file could not be read.
    #[error("{path}: cannot read the source registry: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A line is not a valid entry.
    #[error("{origin}:{line}: {why}")]
    Entry {
        /// The file (or "bundled registry").
        origin: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        why: String,
    },
    /// The file holds no entry.
    #[error("{0}: the source registry has no entry")]
    Empty(String),
}

/// The bundled registry, or the file given.
pub fn load(path: Option<&Path>) -> Result<Vec<Source>, SourcesError> {
    match path {
        None => parse(BUNDLED, "bundled registry (data/sources.tsv)"),
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|source| SourcesError::Read {
                path: p.to_path_buf(),
                source,
            })?;
            parse(&text, &p.display().to_string())
        }
    }
}

/// Parses a registry (tab-separated, `#` comments); `origin` names it in errors.
pub fn parse(text: &str, origin: &str) -> Result<Vec<Source>, SourcesError> {
    let mut out = Vec::new();
    let mut names = HashSet::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |why: String| SourcesError::Entry {
            origin: origin.to_string(),
            line: i + 1,
            why,
        };
        let s = entry(line).map_err(err)?;
        if !names.insert(s.name.clone()) {
            return Err(err(format!("the name {:?} is used twice", s.name)));
        }
        out.push(s);
    }
    if out.is_empty() {
        return Err(SourcesError::Empty(origin.to_string()));
    }
    Ok(out)
}

/// One line: kind, platform, name, url, feeds, pages, depth, checked.
fn entry(line: &str) -> Result<Source, String> {
    let f: Vec<&str> = line.split('\t').map(str::trim).collect();
    let [kind, platform, name, url, feeds, pages, depth, checked] = f[..] else {
        return Err(format!(
            "expected 8 tab-separated fields (kind, platform, name, url, feeds, pages, depth, checked), found {}",
            f.len()
        ));
    };
    let kind = match kind {
        "platform" => SourceKind::Platform,
        "news" => SourceKind::News,
        other => return Err(format!("kind {other:?} is neither platform nor news")),
    };
    let platform = match (kind, platform) {
        (SourceKind::News, "-") => None,
        (SourceKind::News, p) => {
            return Err(format!(
                "a news source speaks for no platform (found {p:?}; write -)"
            ));
        }
        (SourceKind::Platform, p) if lexicon::is_platform_id(p) => Some(p.to_string()),
        (SourceKind::Platform, p) => {
            return Err(format!(
                "unknown platform {p:?} (known: {})",
                lexicon::platform_ids().join(", ")
            ));
        }
    };
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(format!("name {name:?} must be letters, digits and -"));
    }
    check_url(url)?;
    let feeds: Vec<String> = match feeds {
        "-" => Vec::new(),
        list => list.split('|').map(|u| u.trim().to_string()).collect(),
    };
    for u in &feeds {
        check_url(u)?;
    }
    let max_pages = pages
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=100_000).contains(n))
        .ok_or_else(|| format!("pages {pages:?} is not a number from 1 to 100000"))?;
    let max_depth = depth
        .parse::<usize>()
        .ok()
        .filter(|d| *d <= 10)
        .ok_or_else(|| format!("depth {depth:?} is not a number from 0 to 10"))?;
    if checked.is_empty() {
        return Err("say how the address was established (checked)".into());
    }
    Ok(Source {
        name: name.to_string(),
        kind,
        platform,
        url: url.to_string(),
        feeds,
        max_pages,
        max_depth,
        checked: checked.to_string(),
    })
}

/// An address fit for a registry: absolute https (or http), a dotted host name (no
/// address literal, no user or port), no fragment, no whitespace.
pub fn check_url(raw: &str) -> Result<(), String> {
    let bad = |why: &str| Err(format!("{raw:?}: {why}"));
    if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("whitespace in a URL");
    }
    let Ok(u) = url::Url::parse(raw) else {
        return bad("not a URL");
    };
    if !matches!(u.scheme(), "https" | "http") {
        return bad("not an http(s) URL");
    }
    let Some(url::Host::Domain(host)) = u.host() else {
        return bad("the host must be a name, not an address");
    };
    if !host.contains('.') || host.starts_with('.') || host.ends_with('.') {
        return bad("the host must be a full domain name");
    }
    if !u.username().is_empty() || u.password().is_some() || u.port().is_some() {
        return bad("no user, password or port in a registry URL");
    }
    if u.fragment().is_some() {
        return bad("no #fragment in a registry URL");
    }
    Ok(())
}

/// The registry as a table for a terminal: one entry a line, then its feeds, then a
/// count of entries and platforms.
pub fn table(sources: &[Source]) -> String {
    let mut out = String::new();
    for s in sources {
        let kind = match s.kind {
            SourceKind::Platform => "platform",
            SourceKind::News => "news",
        };
        out.push_str(&format!(
            "{kind:<9} {:<10} {:<30} {}  (pages {}, depth {})\n",
            s.platform.as_deref().unwrap_or("-"),
            s.name,
            s.url,
            s.max_pages,
            s.max_depth
        ));
        for f in &s.feeds {
            out.push_str(&format!("{:52}feed {f}\n", ""));
        }
    }
    out.push_str(&format!(
        "{} sources, {} platforms: {}\n",
        sources.len(),
        platforms(sources).len(),
        platforms(sources).join(", ")
    ));
    out
}

/// Platforms the registry covers (a platform source's platform), sorted.
pub fn platforms(sources: &[Source]) -> Vec<&str> {
    let mut p: Vec<&str> = sources
        .iter()
        .filter_map(|s| s.platform.as_deref())
        .collect();
    p.sort_unstable();
    p.dedup();
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = "platform\ttwitter\tx-io\thttps://transparency.x.com/en/reports/information-operations\t-\t50\t2\tknown\n";

    #[test]
    fn an_entry_reads_with_its_limits() {
        let s = parse(OK, "t").unwrap();
        assert_eq!(s[0].platform.as_deref(), Some("twitter"));
        assert_eq!((s[0].max_pages, s[0].max_depth), (50, 2));
        assert!(s[0].feeds.is_empty());
    }

    #[test]
    fn bad_entries_name_their_line_and_fault() {
        let cases = [
            (
                "platform\tmyspace\tx\thttps://a.example/\t-\t1\t1\tk",
                "unknown platform",
            ),
            (
                "news\ttwitter\tx\thttps://a.example/\t-\t1\t1\tk",
                "speaks for no platform",
            ),
            (
                "blog\t-\tx\thttps://a.example/\t-\t1\t1\tk",
                "neither platform nor news",
            ),
            (
                "news\t-\tx\tftp://a.example/\t-\t1\t1\tk",
                "not an http(s) URL",
            ),
            (
                "news\t-\tx\thttps://127.0.0.1/\t-\t1\t1\tk",
                "not an address",
            ),
            (
                "news\t-\tx\thttps://localhost/\t-\t1\t1\tk",
                "full domain name",
            ),
            ("news\t-\tx\thttps://a.example:8080/\t-\t1\t1\tk", "port"),
            (
                "news\t-\tx\thttps://a.example/\thttps://a.example/f x\t1\t1\tk",
                "whitespace",
            ),
            ("news\t-\tx\thttps://a.example/\t-\tmany\t1\tk", "pages"),
            ("news\t-\tx\thttps://a.example/\t-\t1\t1", "8 tab-separated"),
            (
                "news\t-\tx y\thttps://a.example/\t-\t1\t1\tk",
                "letters, digits",
            ),
        ];
        for (line, want) in cases {
            let e = parse(&format!("# c\n{line}\n"), "f.tsv")
                .unwrap_err()
                .to_string();
            assert!(
                e.starts_with("f.tsv:2: ") && e.contains(want),
                "{line}: {e}"
            );
        }
        let twice = format!("{OK}{OK}");
        assert!(
            parse(&twice, "f")
                .unwrap_err()
                .to_string()
                .contains("used twice")
        );
        assert!(matches!(
            parse("# only\n", "f"),
            Err(SourcesError::Empty(_))
        ));
    }
}
