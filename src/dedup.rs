//! Stage `dedup`: one page is one page, one story is one source, one figure is one fact.
//!
//! - URLs are canonicalised (scheme, `www.`/`m.`/`amp.` hosts, tracking parameters,
//!   fragments, AMP paths), so the same page reached two ways is one page.
//! - Pages are grouped into stories: exact copies by the hash of their normalised text,
//!   near-copies (a wire story republished with another lead, chrome or a dropped
//!   paragraph) by a 64-bit SimHash over word shingles. Candidates come from locality-
//!   sensitive hashing (four 16-bit bands), so the cost grows with the number of pages,
//!   not with the number of pairs. A syndicated copy is not an independent source.
//! - Claims are grouped into facts: same platform family, object, overlapping
//!   countries, dates within a week, and count intervals that overlap ("more than 4,000"
//!   and "4,258" agree). A report of the same takedown from another story whose figure
//!   cannot be reconciled is a conflict, shown beside the fact.

use crate::claims::Qualifier;
use serde::Serialize;
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

fn fnv(s: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
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
        let shingle = w[i..(i + 3).min(w.len())].join(" ");
        let h = fnv(shingle.as_bytes());
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
        .map(|w| fnv(w.join(" ").as_bytes()))
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

/// A count as an interval of what the report allows: [lo, hi], hi `None` = open.
pub fn interval(count: Option<u64>, q: Qualifier) -> Option<(u64, Option<u64>)> {
    let n = count?;
    let pct = |p: u64| n.saturating_mul(p) / 100;
    Some(match q {
        Qualifier::Exact => (n, Some(n)),
        Qualifier::MoreThan => (n.saturating_add(1), None),
        Qualifier::AtLeast => (n, None),
        Qualifier::About => (pct(90), Some(pct(110).max(n))),
        Qualifier::Nearly => (pct(90), Some(n)),
        Qualifier::UpTo => (0, Some(n)),
        Qualifier::Vague => return None,
    })
}

/// A count interval: [lo, hi], hi `None` = open.
pub type Interval = (u64, Option<u64>);

/// Whether two intervals overlap.
pub fn overlaps(a: (u64, Option<u64>), b: (u64, Option<u64>)) -> bool {
    let a_hi = a.1.unwrap_or(u64::MAX);
    let b_hi = b.1.unwrap_or(u64::MAX);
    a.0 <= b_hi && b.0 <= a_hi
}

fn intersect(a: (u64, Option<u64>), b: (u64, Option<u64>)) -> (u64, Option<u64>) {
    let hi = match (a.1, b.1) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    (a.0.max(b.0), hi)
}

/// A claim as fact-building sees it.
#[derive(Debug, Clone)]
pub struct ClaimRow {
    /// Claim id.
    pub id: String,
    /// Platform id.
    pub platform: String,
    /// Platform family (facebook/instagram/whatsapp/meta → meta).
    pub family: String,
    /// Origin countries.
    pub countries: Vec<String>,
    /// Targets.
    pub targets: Vec<String>,
    /// Object, lower case.
    pub object: String,
    /// Count.
    pub count: Option<u64>,
    /// Qualifier.
    pub qualifier: Qualifier,
    /// Claim date.
    pub date: Option<chrono::NaiveDate>,
    /// Negated.
    pub negated: bool,
    /// Source fields.
    pub url: Option<String>,
    /// Site.
    pub site: Option<String>,
    /// Page publication date.
    pub published: Option<String>,
    /// Evidence sentence.
    pub evidence: String,
    /// Snapshot.
    pub snapshot: String,
    /// Story id.
    pub story: String,
    /// Whether the page is the platform's own post.
    pub primary: bool,
}

/// One source of a fact.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FactSource {
    /// Page URL.
    pub url: Option<String>,
    /// Site.
    pub site: Option<String>,
    /// Publication date.
    pub published: Option<String>,
    /// Evidence sentence.
    pub evidence: String,
    /// Snapshot id.
    pub snapshot: String,
    /// Story id (copies of one story share it).
    pub story: String,
    /// The claim this source is.
    pub claim: String,
}

/// A report that disagrees with the fact's figure.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Conflict {
    /// Its count.
    pub count: Option<u64>,
    /// Its qualifier.
    pub qualifier: Qualifier,
    /// Its page.
    pub url: Option<String>,
    /// Its sentence.
    pub evidence: String,
    /// Its snapshot.
    pub snapshot: String,
}

/// One reported figure merged across every page that reports it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Fact {
    /// Stable id.
    pub id: String,
    /// Platform id (the most specific the sources agree on).
    pub platform: String,
    /// Origin countries (union over sources).
    pub countries: Vec<String>,
    /// Targets (union over sources).
    pub targets: Vec<String>,
    /// Object.
    pub object: String,
    /// The most precise count.
    pub count: Option<u64>,
    /// Its qualifier.
    pub qualifier: Qualifier,
    /// The interval the reports agree on; null bound = open.
    pub range: Option<(u64, Option<u64>)>,
    /// Date of the takedown (earliest the sources give).
    #[serde(serialize_with = "ser_date")]
    pub date: Option<chrono::NaiveDate>,
    /// Negated ("found no activity on WhatsApp").
    pub negated: bool,
    /// Every page reporting it.
    pub sources: Vec<FactSource>,
    /// Pages reporting it.
    pub source_count: usize,
    /// Distinct stories among them.
    pub independent_sources: usize,
    /// The platform's own post, if archived.
    pub primary_source: Option<String>,
    /// Same takedown, figure that cannot be reconciled.
    pub conflicts: Vec<Conflict>,
}

fn ser_date<S: serde::Serializer>(d: &Option<chrono::NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&d.format("%Y-%m-%d").to_string()),
        None => s.serialize_none(),
    }
}

/// Days within which two reports can be about the same takedown.
pub const SAME_TAKEDOWN_DAYS: i64 = 7;

fn same_takedown(a: &ClaimRow, b: &ClaimRow) -> bool {
    a.family == b.family
        && a.negated == b.negated
        && objects_compatible(&a.object, &b.object)
        && ((a.countries.is_empty() && b.countries.is_empty())
            || a.countries.iter().any(|c| b.countries.contains(c)))
        && match (a.date, b.date) {
            (Some(x), Some(y)) => (x - y).num_days().abs() <= SAME_TAKEDOWN_DAYS,
            // A report without a day ("in January, Twitter suspended 2,617 accounts")
            // is the same takedown only if it gives exactly the same figure.
            _ => {
                a.count.is_some()
                    && a.count == b.count
                    && a.qualifier == Qualifier::Exact
                    && b.qualifier == Qualifier::Exact
            }
        }
}

/// The nouns of an object ("pages, groups and accounts" → pages, groups, accounts).
fn object_nouns(o: &str) -> Vec<String> {
    o.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "and" && *w != "or")
        .map(str::to_string)
        .collect()
}

/// Two reports name the same things when their objects share a noun: "2,632 Pages,
/// Groups and accounts" and "more than 2,600 accounts and Pages" are one takedown.
pub fn objects_compatible(a: &str, b: &str) -> bool {
    let (x, y) = (object_nouns(a), object_nouns(b));
    x.iter().any(|w| y.contains(w))
}

/// Groups claims into facts, deterministic in the claims' ids.
pub fn facts(rows: &[ClaimRow]) -> Vec<Fact> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    // Exact, precise figures first, so they found the facts that hedged reports join.
    order.sort_by(|&a, &b| {
        let (x, y) = (&rows[a], &rows[b]);
        (x.qualifier != Qualifier::Exact, x.count.is_none(), &x.id).cmp(&(
            y.qualifier != Qualifier::Exact,
            y.count.is_none(),
            &y.id,
        ))
    });
    // Facts under construction: members and the agreed interval.
    let mut groups: Vec<(Vec<usize>, Option<Interval>)> = Vec::new();
    let mut by_key: HashMap<(String, bool), Vec<usize>> = HashMap::new();
    for &i in &order {
        let r = &rows[i];
        let iv = interval(r.count, r.qualifier);
        let key = (r.family.clone(), r.negated);
        let cands = by_key.entry(key).or_default();
        let mut joined = None;
        for &g in cands.iter() {
            let (members, range) = &groups[g];
            let first = &rows[members[0]];
            if !same_takedown(first, r) {
                continue;
            }
            let agrees = match (range, iv) {
                (Some(a), Some(b)) => overlaps(*a, b),
                (None, None) => true,
                _ => false,
            };
            if agrees {
                joined = Some(g);
                break;
            }
        }
        match joined {
            Some(g) => {
                groups[g].0.push(i);
                if let (Some(a), Some(b)) = (groups[g].1, iv) {
                    groups[g].1 = Some(intersect(a, b));
                }
            }
            None => {
                cands.push(groups.len());
                groups.push((vec![i], iv));
            }
        }
    }
    // Conflicts: a group of the same takedown from other stories only, whose figure
    // does not overlap.
    let mut out = Vec::with_capacity(groups.len());
    for (gi, (members, range)) in groups.iter().enumerate() {
        let rep = &rows[members[0]];
        let stories: Vec<&str> = members.iter().map(|&m| rows[m].story.as_str()).collect();
        let mut conflicts = Vec::new();
        if range.is_some() {
            for (gj, (others, orange)) in groups.iter().enumerate() {
                if gi == gj || orange.is_none() {
                    continue;
                }
                let o = &rows[others[0]];
                if !same_takedown(rep, o) {
                    continue;
                }
                if let (Some(a), Some(b)) = (range, orange)
                    && overlaps(*a, *b)
                {
                    continue;
                }
                for &m in others {
                    let c = &rows[m];
                    if stories.contains(&c.story.as_str()) {
                        continue;
                    }
                    // A figure for part of the takedown (Iran's 513 of a 2,632 total over
                    // four countries) is a subset, not a conflict.
                    if !rep.countries.iter().all(|k| c.countries.contains(k)) {
                        continue;
                    }
                    conflicts.push(Conflict {
                        count: c.count,
                        qualifier: c.qualifier,
                        url: c.url.clone(),
                        evidence: c.evidence.clone(),
                        snapshot: c.snapshot.clone(),
                    });
                }
            }
        }
        let mut sources: Vec<FactSource> = members
            .iter()
            .map(|&m| {
                let r = &rows[m];
                FactSource {
                    url: r.url.clone(),
                    site: r.site.clone(),
                    published: r.published.clone(),
                    evidence: r.evidence.clone(),
                    snapshot: r.snapshot.clone(),
                    story: r.story.clone(),
                    claim: r.id.clone(),
                }
            })
            .collect();
        sources.sort_by(|a, b| {
            (&a.published, &a.url, &a.claim).cmp(&(&b.published, &b.url, &b.claim))
        });
        let mut independent: Vec<&str> = members.iter().map(|&m| rows[m].story.as_str()).collect();
        independent.sort();
        independent.dedup();
        let best = members
            .iter()
            .map(|&m| &rows[m])
            .min_by_key(|r| {
                (
                    r.qualifier != Qualifier::Exact,
                    r.count.is_none(),
                    r.id.clone(),
                )
            })
            .unwrap_or(rep);
        let mut countries: Vec<String> = members
            .iter()
            .flat_map(|&m| rows[m].countries.clone())
            .collect();
        countries.sort();
        countries.dedup();
        let mut targets: Vec<String> = members
            .iter()
            .flat_map(|&m| rows[m].targets.clone())
            .collect();
        targets.sort();
        targets.dedup();
        let date = members.iter().filter_map(|&m| rows[m].date).min();
        // The most specific platform: "instagram" over "meta" when any source says so.
        let platform = members
            .iter()
            .map(|&m| rows[m].platform.clone())
            .min_by_key(|p| (p == "meta", p.clone()))
            .unwrap_or_else(|| rep.platform.clone());
        let primary = members
            .iter()
            .map(|&m| &rows[m])
            .find(|r| r.primary)
            .and_then(|r| r.url.clone());
        let min_id = members
            .iter()
            .map(|&m| rows[m].id.as_str())
            .min()
            .unwrap_or("");
        let id: String = Sha256::digest(format!("fact:{min_id}").as_bytes())
            .iter()
            .take(10)
            .map(|b| format!("{b:02x}"))
            .collect();
        out.push(Fact {
            id,
            platform,
            countries,
            targets,
            object: best.object.clone(),
            count: best.count,
            qualifier: best.qualifier,
            range: *range,
            date,
            negated: rep.negated,
            source_count: members.len(),
            independent_sources: independent.len(),
            primary_source: primary,
            sources,
            conflicts,
        });
    }
    out.sort_by(|a, b| (b.date, &a.id).cmp(&(a.date, &b.id)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects() {
        assert!(objects_compatible(
            "pages, groups and accounts",
            "accounts and Pages"
        ));
        assert!(objects_compatible("accounts", "Accounts"));
        assert!(!objects_compatible("domains", "accounts"));
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
    fn intervals_agree_as_the_design_says() {
        let exact = interval(Some(1196), Qualifier::Exact).unwrap();
        let more = interval(Some(1000), Qualifier::MoreThan).unwrap();
        assert!(
            overlaps(exact, more),
            "more than 1,000 and 1,196 support each other"
        );
        let a = interval(Some(783), Qualifier::Exact).unwrap();
        let b = interval(Some(652), Qualifier::Exact).unwrap();
        assert!(!overlaps(a, b), "783 and 652 conflict");
        let nearly = interval(Some(800), Qualifier::Nearly).unwrap();
        assert!(overlaps(
            nearly,
            interval(Some(783), Qualifier::Exact).unwrap()
        ));
        assert!(!overlaps(
            nearly,
            interval(Some(801), Qualifier::Exact).unwrap()
        ));
        let about = interval(Some(1_500_000), Qualifier::About).unwrap();
        assert!(overlaps(
            about,
            interval(Some(1_400_000), Qualifier::Exact).unwrap()
        ));
        assert_eq!(interval(None, Qualifier::Vague), None);
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
