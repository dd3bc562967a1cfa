//! Where URLs come from besides the seeds: robots.txt `Sitemap:` lines, sitemaps and
//! sitemap indexes, RSS/Atom/JSON feeds, and links and feed links in pages.

use scraper::{Html, Selector};
use std::sync::LazyLock;

/// Most URLs taken from one sitemap (the protocol's own limit).
pub const MAX_SITEMAP_URLS: usize = 50_000;

/// A parsed robots.txt.
pub struct Robots {
    robot: Option<texting_robots::Robot>,
    allow_all: bool,
}

impl Robots {
    /// From a fetched robots.txt body.
    pub fn parse(agent: &str, body: &[u8]) -> Robots {
        // texting_robots returns anyhow errors; a robots.txt it cannot read allows all, as
        // an absent one does.
        match texting_robots::Robot::new(agent, body) {
            Ok(r) => Robots {
                robot: Some(r),
                allow_all: false,
            },
            Err(_) => Robots::allow_all(),
        }
    }

    /// No robots.txt (a 4xx): everything is allowed.
    pub fn allow_all() -> Robots {
        Robots {
            robot: None,
            allow_all: true,
        }
    }

    /// Whether a URL may be fetched.
    pub fn allowed(&self, url: &str) -> bool {
        self.allow_all || self.robot.as_ref().is_some_and(|r| r.allowed(url))
    }

    /// The Crawl-delay, in seconds.
    pub fn delay(&self) -> Option<f32> {
        self.robot.as_ref().and_then(|r| r.delay)
    }

    /// The `Sitemap:` URLs.
    pub fn sitemaps(&self) -> Vec<String> {
        self.robot
            .as_ref()
            .map(|r| r.sitemaps.clone())
            .unwrap_or_default()
    }
}

static LOC: LazyLock<Option<regex::Regex>> =
    LazyLock::new(|| regex::Regex::new(r"(?is)<loc>\s*(.*?)\s*</loc>").ok());

/// The URLs of a sitemap, and whether it is a sitemap index (its URLs are sitemaps).
/// A text sitemap (one URL per line) is read too.
pub fn sitemap_urls(body: &[u8]) -> (Vec<String>, bool) {
    let text = String::from_utf8_lossy(&body[..body.len().min(50 * 1024 * 1024)]);
    let index = text.contains("<sitemapindex");
    let mut out = Vec::new();
    if text.contains("<loc") {
        if let Some(re) = LOC.as_ref() {
            for c in re.captures_iter(&text).take(MAX_SITEMAP_URLS) {
                let u = c[1]
                    .replace("&amp;", "&")
                    .replace("<![CDATA[", "")
                    .replace("]]>", "");
                out.push(u.trim().to_string());
            }
        }
    } else {
        out.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| l.starts_with("http://") || l.starts_with("https://"))
                .take(MAX_SITEMAP_URLS)
                .map(str::to_string),
        );
    }
    (out, index)
}

/// The entry links of an RSS, Atom or JSON feed; `None` when the bytes are not a feed.
pub fn feed_urls(body: &[u8]) -> Option<Vec<String>> {
    let feed = feed_rs::parser::parse(body).ok()?;
    Some(
        feed.entries
            .iter()
            .filter_map(|e| e.links.first().map(|l| l.href.clone()))
            .take(MAX_SITEMAP_URLS)
            .collect(),
    )
}

static LINKS: LazyLock<Option<Selector>> = LazyLock::new(|| Selector::parse("a[href]").ok());
static FEEDS: LazyLock<Option<Selector>> =
    LazyLock::new(|| Selector::parse(r#"link[rel~="alternate"][href]"#).ok());

/// Links of a page (absolute, http/https, without fragments), and its feed links.
pub fn page_links(base: &url::Url, html: &str) -> (Vec<url::Url>, Vec<url::Url>) {
    let doc = Html::parse_document(html);
    let resolve = |href: &str| -> Option<url::Url> {
        let mut u = base.join(href.trim()).ok()?;
        if !matches!(u.scheme(), "http" | "https") {
            return None;
        }
        u.set_fragment(None);
        Some(u)
    };
    let links = LINKS
        .as_ref()
        .map(|s| {
            doc.select(s)
                .filter_map(|e| e.value().attr("href"))
                .filter_map(resolve)
                .collect()
        })
        .unwrap_or_default();
    let feeds = FEEDS
        .as_ref()
        .map(|s| {
            doc.select(s)
                .filter(|e| {
                    e.value().attr("type").is_some_and(|t| {
                        t.contains("rss") || t.contains("atom") || t.contains("feed+json")
                    })
                })
                .filter_map(|e| e.value().attr("href"))
                .filter_map(resolve)
                .collect()
        })
        .unwrap_or_default();
    (links, feeds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemaps_feeds_links() {
        let (u, idx) =
            sitemap_urls(b"<urlset><url><loc>https://a.example/x?a=1&amp;b=2</loc></url></urlset>");
        assert_eq!(u, vec!["https://a.example/x?a=1&b=2"]);
        assert!(!idx);
        let (u, idx) = sitemap_urls(
            b"<sitemapindex><sitemap><loc>https://a.example/s1.xml</loc></sitemap></sitemapindex>",
        );
        assert!(idx && u.len() == 1);
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>i</title><link>https://a.example/feed-only</link></item></channel></rss>"#;
        assert_eq!(
            feed_urls(rss),
            Some(vec!["https://a.example/feed-only".to_string()])
        );
        assert_eq!(feed_urls(b"<html>not a feed</html>"), None);
        let base = url::Url::parse("https://a.example/dir/page").unwrap();
        let (links, feeds) = page_links(
            &base,
            r#"<a href="../x#top">x</a><a href="mailto:a@b">m</a><link rel="alternate" type="application/rss+xml" href="/feed.xml">"#,
        );
        assert_eq!(links, vec![url::Url::parse("https://a.example/x").unwrap()]);
        assert_eq!(
            feeds,
            vec![url::Url::parse("https://a.example/feed.xml").unwrap()]
        );
        let r = Robots::parse("takedowns", b"User-agent: *\nDisallow: /private/\nCrawl-delay: 2\nSitemap: https://a.example/sitemap.xml\n");
        assert!(!r.allowed("https://a.example/private/x"));
        assert!(r.allowed("https://a.example/public"));
        assert_eq!(r.delay(), Some(2.0));
        assert_eq!(r.sitemaps(), vec!["https://a.example/sitemap.xml"]);
    }
}
