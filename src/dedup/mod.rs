//! Stage `dedup`: one page is one page, one story is one source, one figure is one fact.
//!
//! - URLs are canonicalised (scheme, `www.`/`m.`/`amp.` hosts, tracking parameters,
//!   fragments, AMP paths), so the same page reached two ways is one page.
//! - Pages are grouped into stories: exact copies by the hash of their normalised text,
//!   near-copies (a wire story republished with another lead, chrome or a dropped
//!   paragraph) by a 64-bit SimHash over word shingles. Candidates come from locality-
//!   sensitive hashing (four 16-bit bands), so the cost grows with the number of pages,
//!   not with the number of pairs. A syndicated copy is not an independent source.
//! - Claims are grouped into facts ([`facts`]): see that module for the rules.

pub mod facts;
pub use facts::*;

use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Query parameters that only track where a reader came from.
const TRACKING: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "ref",
    "ref_src",
    "ref_url",
    "cmpid",
    "cmp",
    "ocid",
    "src",
    "source",
    "smid",
    "smtyp",
    "guccounter",
    "guce_referrer",
    "guce_referrer_sig",
    "ito",
    "ns_mchannel",
    "ns_campaign",
    "ns_source",
    "ns_linkname",
    "ns_fee",
    "spm",
    "share",
    "s",
    "igshid",
    "amp",
    "outputtype",
    "partner",
    "xtor",
];

/// The canonical form of a URL: what makes two addresses the same page. It is its own
/// canonical form: the rules are applied until nothing changes, because a string they
/// produce can read back as a different URL (fourth fuzz finding: a path left as "//."
/// reads back as "//").
pub fn canonical_url(raw: &str) -> Option<String> {
    let mut c = canonical_once(raw)?;
    for _ in 0..8 {
        let next = canonical_once(&c)?;
        if next == c {
            break;
        }
        c = next;
    }
    Some(c)
}

/// One application of the canonical rules.
fn canonical_once(raw: &str) -> Option<String> {
    let mut u = url::Url::parse(raw.trim()).ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    let mut host = u.host_str()?.to_ascii_lowercase();
    // Mobile and AMP prefixes, as many as there are, in any order ("m.www.example.com"),
    // but never down to a host that is no longer a domain ("amp." stays "amp.").
    while let Some(rest) = ["www.", "m.", "amp.", "mobile."]
        .iter()
        .find_map(|p| host.strip_prefix(p))
        .filter(|rest| rest.contains('.') && !rest.starts_with('.'))
    {
        host = rest.to_string();
    }
    // AMP markers and trailing slashes, stripped until none is left, so that the result
    // is its own canonical form ("/a/amp/amp" → "/a").
    let mut path = u.path().to_string();
    loop {
        let before = path.len();
        for suffix in ["/amp/", "/amp", ".amp", "/amp.html"] {
            if let Some(p) = path.strip_suffix(suffix) {
                path = p.to_string();
            }
        }
        if let Some(p) = path.strip_prefix("/amp/") {
            path = format!("/{p}");
        }
        path = path.trim_end_matches('/').to_string();
        if path.len() == before {
            break;
        }
    }
    let mut params: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| {
            // A pair without a name ("&=&") carries nothing (third fuzz finding: it
            // was written as a bare "&" that reads back as no pair at all).
            let k = k.to_ascii_lowercase();
            !k.is_empty() && !k.starts_with("utm_") && !TRACKING.contains(&k.as_str())
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    params.sort();
    u.set_fragment(None);
    let query = if params.is_empty() {
        String::new()
    } else {
        let q: Vec<String> = params
            .iter()
            .map(|(k, v)| {
                // Encoded, so that the canonical form reads back as the same pairs.
                let enc = |s: &str| {
                    url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>()
                };
                if v.is_empty() {
                    enc(k)
                } else {
                    format!("{}={}", enc(k), enc(v))
                }
            })
            .collect();
        format!("?{}", q.join("&"))
    };
    // A non-default port is another server: kept; 443 is the default of the https form
    // written here, whatever the scheme was (fuzz finding: "http://h:443" read back
    // without its port).
    let port = u
        .port()
        .filter(|p| *p != 443)
        .map(|p| format!(":{p}"))
        .unwrap_or_default();
    Some(format!("https://{host}{port}{path}{query}"))
}

/// Lower-case words of a text.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

/// Hash of the normalised text: equal for exact copies whatever their markup.
pub fn text_hash(text: &str) -> u64 {
    let mut h = Sha256::new();
    for w in words(text) {
        h.update(w.as_bytes());
        h.update(b" ");
    }
    let d = h.finalize();
    u64::from_le_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]])
}

/// FNV-1a of bytes, finalised (what [`fnv_words`] computes of the joined words).
#[cfg(test)]
fn fnv(s: &[u8]) -> u64 {
    fnv_finish(fnv_feed(0xcbf2_9ce4_8422_2325, s))
}

/// FNV-1a over more bytes, from the state `h`.
fn fnv_feed(mut h: u64, s: &[u8]) -> u64 {
    for b in s {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The FNV of words joined by single spaces, without joining them.
fn fnv_words(words: &[String]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325;
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            h = fnv_feed(h, b" ");
        }
        h = fnv_feed(h, w.as_bytes());
    }
    fnv_finish(h)
}

fn fnv_finish(mut h: u64) -> u64 {
    // Finalise (splitmix) so nearby inputs spread over all bits.
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// 64-bit SimHash over 3-word shingles (deterministic: same text, same hash).
pub fn simhash(text: &str) -> u64 {
    let w = words(text);
    if w.is_empty() {
        return 0;
    }
    let mut acc = [0i32; 64];
    let n = if w.len() >= 3 { w.len() - 2 } else { 1 };
    for i in 0..n {
        let h = fnv_words(&w[i..(i + 3).min(w.len())]);
        for (b, a) in acc.iter_mut().enumerate() {
            if h >> b & 1 == 1 {
                *a += 1;
            } else {
                *a -= 1;
            }
        }
    }
    acc.iter()
        .enumerate()
        .fold(0u64, |s, (b, a)| if *a > 0 { s | (1 << b) } else { s })
}

/// Hamming distance at or under which two pages are copies of one story.
pub const NEAR_DUPLICATE_BITS: u32 = 8;

/// Fingerprints of a text's paragraphs of eight words or more (normalised words), the
/// units a syndicated copy keeps verbatim while it rewrites the lead or drops one.
pub fn paragraph_hashes(text: &str) -> Vec<u64> {
    text.split("\n\n")
        .map(words)
        .filter(|w| w.len() >= 8)
        .map(|w| fnv_words(&w))
        .collect()
}

/// Share of the shorter page's paragraphs two copies must have in common.
pub const SHARED_PARAGRAPHS: f64 = 0.5;

/// What grouping needs of a page.
#[derive(Debug, Clone)]
pub struct PageKey {
    /// Snapshot id.
    pub snapshot: String,
    /// Canonical URL, if any.
    pub url: Option<String>,
    /// Hash of the normalised text.
    pub text_hash: u64,
    /// SimHash of the text.
    pub simhash: u64,
    /// Words of main text (tiny pages are never near-duplicates of anything).
    pub words: usize,
    /// Paragraph fingerprints ([`paragraph_hashes`]).
    pub paragraphs: Vec<u64>,
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        // The smaller index is the root, so story ids do not depend on merge order.
        let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
        parent[hi] = lo;
    }
}

/// Groups pages into stories; returns each page's story id (the smallest snapshot id in
/// its story, so ids are stable when the same archive is rebuilt).
pub fn stories(pages: &[PageKey]) -> Vec<String> {
    let n = pages.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|a, b| pages[*a].snapshot.cmp(&pages[*b].snapshot));
    let mut parent: Vec<usize> = (0..n).collect();
    let mut by_url: HashMap<&str, usize> = HashMap::new();
    let mut by_text: HashMap<u64, usize> = HashMap::new();
    let mut bands: Vec<HashMap<u16, Vec<usize>>> = vec![HashMap::new(); 4];
    // Paragraph fingerprint → pages holding it: exact shingles, looked up, never paired.
    let mut by_para: HashMap<u64, Vec<usize>> = HashMap::new();
    for &i in &order {
        let p = &pages[i];
        if let Some(u) = p.url.as_deref() {
            if let Some(&j) = by_url.get(u) {
                union(&mut parent, i, j);
            } else {
                by_url.insert(u, i);
            }
        }
        if let Some(&j) = by_text.get(&p.text_hash) {
            union(&mut parent, i, j);
        } else {
            by_text.insert(p.text_hash, i);
        }
        // Shared verbatim paragraphs: a copy with another lead or a dropped paragraph.
        let mut shared: HashMap<usize, usize> = HashMap::new();
        let mut mine = p.paragraphs.clone();
        mine.sort_unstable();
        mine.dedup();
        for h in &mine {
            let holders = by_para.entry(*h).or_default();
            for &j in holders.iter() {
                *shared.entry(j).or_default() += 1;
            }
            // A paragraph on hundreds of pages is boilerplate, not a story's text.
            if holders.len() < 64 {
                holders.push(i);
            }
        }
        for (j, n) in shared {
            let smaller = p.paragraphs.len().min(pages[j].paragraphs.len()).max(1);
            if n >= 2 && n as f64 >= SHARED_PARAGRAPHS * smaller as f64 {
                union(&mut parent, i, j);
            }
        }
        if p.words < 40 {
            continue;
        }
        for (b, band) in bands.iter_mut().enumerate() {
            let key = (p.simhash >> (16 * b)) as u16;
            let bucket = band.entry(key).or_default();
            for &j in bucket.iter() {
                if (pages[j].simhash ^ p.simhash).count_ones() <= NEAR_DUPLICATE_BITS {
                    union(&mut parent, i, j);
                }
            }
            // A bucket that grows past a few hundred pages is a boilerplate collision;
            // capping it keeps the cost linear.
            if bucket.len() < 256 {
                bucket.push(i);
            }
        }
    }
    (0..n)
        .map(|i| pages[find(&mut parent, i)].snapshot.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_hash_as_joined() {
        for text in [
            "",
            "one",
            "one two",
            "Twitter removed 1,200 accounts in Iran",
        ] {
            let w = words(text);
            assert_eq!(fnv_words(&w), fnv(w.join(" ").as_bytes()), "{text}");
        }
    }

    #[test]
    fn canonical_urls() {
        let cases = [
            (
                "https://www.example.com/a/b/?utm_source=x&id=3#top",
                "https://example.com/a/b?id=3",
            ),
            ("http://m.example.com/a/b/amp/", "https://example.com/a/b"),
            ("https://amp.example.com/amp/a/b", "https://example.com/a/b"),
            (
                "https://example.com/a?b=2&a=1&fbclid=zzz",
                "https://example.com/a?a=1&b=2",
            ),
            ("http://example.com:80/a", "https://example.com/a"),
            ("http://127.0.0.1:8081/a", "https://127.0.0.1:8081/a"),
            ("https://m.www.example.com/a", "https://example.com/a"),
            // Found by the canonical_url fuzz target: stripping "amp." left no host.
            (
                "https:/amp./WWW.E/We.ca=1#frag",
                "https://amp./WWW.E/We.ca=1",
            ),
            (
                "https://example.com/a?q=a%26b%3Dc",
                "https://example.com/a?q=a%26b%3Dc",
            ),
            // Found by the fuzz target: http with port 443 read back without its port.
            (
                "http:s.ampW.Example.com:443/a/../b/?utm_source=x&b=2&a=1#frag",
                "https://s.ampw.example.com/b?a=1&b=2",
            ),
            ("https://example.com:80/a", "https://example.com:80/a"),
            (
                "https://example.com/a?=&=x&a=1",
                "https://example.com/a?a=1",
            ),
            (
                "https://example.com/amp/amp/a/amp/amp/",
                "https://example.com/a",
            ),
            ("https://WW//..amp/", "https://ww"),
        ];
        for (raw, want) in cases {
            assert_eq!(canonical_url(raw).as_deref(), Some(want), "{raw}");
            // A canonical form is its own canonical form.
            assert_eq!(canonical_url(want).as_deref(), Some(want), "{want}");
        }
        assert_eq!(canonical_url("ftp://example.com/x"), None);
    }

    #[test]
    fn near_copies_are_one_story_and_other_stories_stay_apart() {
        let wire = "Twitter said on Thursday it had suspended 2,617 accounts linked to Iran, part of a broader effort against state-backed influence campaigns. The company said the accounts pushed messages about regional politics and often posed as local news outlets. Researchers who studied the network said it reached few real users. Facebook said separately it had removed 783 pages, groups and accounts tied to Iran. The two companies shared information, Facebook's head of cybersecurity policy said on a call with reporters. The takedowns came ahead of a congressional hearing.";
        let copy = format!("SAN FRANCISCO — {wire} This story has been updated.");
        let other = "Facebook removed 783 pages, groups and accounts tied to Iran, the company said in a blog post on Thursday. Unlike earlier operations, the network used a mix of authentic and fake accounts, according to the company. The pages posted in Arabic, Farsi, English and Urdu, and drew about two million followers in total. Facebook said it had found no similar activity on WhatsApp, its messaging service. The company did not attribute the activity to the Iranian government directly, but said it was coordinated from Iran.";
        let key = |s: &str, t: &str| PageKey {
            snapshot: s.into(),
            url: None,
            text_hash: text_hash(t),
            simhash: simhash(t),
            words: t.split_whitespace().count(),
            paragraphs: paragraph_hashes(t),
        };
        let pages = vec![key("a", wire), key("b", &copy), key("c", other)];
        let ids = stories(&pages);
        assert_eq!(ids[0], ids[1], "a wire story and its copy are one story");
        assert_ne!(
            ids[0], ids[2],
            "another outlet's own report is another story"
        );
    }
}
