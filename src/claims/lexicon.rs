//! The lexicons behind claim extraction, loaded from the data files in `data/` (reviewed
//! like code): platforms, takedown verbs, objects, and countries with their names,
//! demonyms and capitals. Matching works on tokens, longest form first.

use super::text::Token;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

/// FNV-1a: the lexicon maps are looked up for every token of every sentence, with short
/// keys, where SipHash's resistance to collisions buys nothing.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type Map<V> = HashMap<String, V, BuildHasherDefault<Fnv>>;

/// What kind of country form matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountryKind {
    /// "Iran", "U.S.".
    Name,
    /// "Iranian", "Emirati".
    Demonym,
    /// "Kremlin", "Beijing".
    Capital,
    /// A form that needs a cue before it counts ("Georgia", "Turkey").
    Ambiguous,
    /// A named operation attributed to the country ("Phosphorus", "Doppelganger"):
    /// naming it attributes, no cue needed.
    Actor,
}

/// A country found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryHit {
    /// ISO 3166-1 alpha-2 code.
    pub code: &'static str,
    /// The kind of form.
    pub kind: CountryKind,
    /// Tokens it spans.
    pub len: usize,
    /// A derived suffix: "based" of "Russia-based", "linked" of "Iran-linked".
    pub suffix: Option<String>,
    /// Written as a possessive ("Iran's").
    pub possessive: bool,
}

struct Form {
    /// The form's words; `folded` holds them lower-cased for case-insensitive forms.
    words: Vec<String>,
    folded: Vec<String>,
    /// All-capital forms match case-sensitively.
    exact_case: bool,
    value: &'static str,
    kind: CountryKind,
}

struct Lexicon {
    /// Platform forms by first word: (words, id).
    platforms: Map<Vec<(Vec<String>, &'static str)>>,
    families: HashMap<&'static str, &'static str>,
    hosts: Vec<(&'static str, &'static str)>,
    /// Objects and verbs by first folded word: (folded words, canonical form).
    objects: Map<Vec<(Vec<String>, &'static str)>>,
    verbs: Map<Vec<(Vec<String>, &'static str)>>,
    countries: Map<Vec<Form>>,
    ignore: Map<Vec<Vec<String>>>,
}

const PLATFORMS: &str = include_str!("data/platforms.tsv");
const OBJECTS: &str = include_str!("data/objects.tsv");
const VERBS: &str = include_str!("data/verbs.tsv");
const COUNTRIES: &str = include_str!("data/countries.tsv");
const ACTORS: &str = include_str!("data/actors.tsv");
const WORDS: &str = include_str!("data/words.tsv");

/// The word classes of `words.tsv`: kind, then its folded words.
static WORD_KINDS: LazyLock<HashMap<String, std::collections::HashSet<String>>> =
    LazyLock::new(|| {
        let mut kinds: HashMap<String, std::collections::HashSet<String>> = HashMap::new();
        for f in data_lines(WORDS) {
            let (Some(kind), Some(words)) = (f.first(), f.get(1)) else {
                continue;
            };
            let set = kinds.entry(kind.to_string()).or_default();
            set.extend(words.split('|').filter(|w| !w.is_empty()).map(fold));
        }
        kinds
    });

/// Whether a lower-case word is of a kind listed in `words.tsv` ("nonstate", "outline",
/// "report").
pub fn word_is(kind: &str, word: &str) -> bool {
    WORD_KINDS.get(kind).is_some_and(|set| set.contains(word))
}

fn leak(s: &str) -> &'static str {
    // The lexicons live for the whole process; interning their strings once is simpler
    // than threading lifetimes through every matcher.
    Box::leak(s.to_string().into_boxed_str())
}

fn fold(s: &str) -> String {
    s.replace('’', "'").to_lowercase()
}

fn words_of(form: &str) -> Vec<String> {
    form.split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn data_lines(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
}

static LEX: LazyLock<Lexicon> = LazyLock::new(|| {
    let mut lex = Lexicon {
        platforms: Map::default(),
        families: HashMap::new(),
        hosts: Vec::new(),
        objects: Map::default(),
        verbs: Map::default(),
        countries: Map::default(),
        ignore: Map::default(),
    };
    for f in data_lines(PLATFORMS) {
        let (Some(id), Some(family)) = (f.first(), f.get(1)) else {
            continue;
        };
        let id = leak(id);
        lex.families.insert(id, leak(family));
        for form in f.get(2).unwrap_or(&"").split('|').filter(|s| !s.is_empty()) {
            let words = words_of(form);
            lex.platforms
                .entry(words[0].clone())
                .or_default()
                .push((words, id));
        }
        for host in f.get(3).unwrap_or(&"").split('|').filter(|s| !s.is_empty()) {
            lex.hosts.push((leak(host), id));
        }
    }
    for (file, map) in [(OBJECTS, &mut lex.objects), (VERBS, &mut lex.verbs)] {
        for f in data_lines(file) {
            let Some(canon) = f.first() else { continue };
            let canon = leak(canon);
            for form in f.get(1).unwrap_or(&"").split('|').filter(|s| !s.is_empty()) {
                let words: Vec<String> = words_of(form).iter().map(|w| fold(w)).collect();
                map.entry(words[0].clone())
                    .or_default()
                    .push((words, canon));
            }
        }
    }
    for line in COUNTRIES.lines() {
        if let Some(rest) = line.strip_prefix("#ignore\t") {
            for phrase in rest.split('|').filter(|s| !s.is_empty()) {
                let words: Vec<String> = words_of(phrase).iter().map(|w| fold(w)).collect();
                lex.ignore.entry(words[0].clone()).or_default().push(words);
            }
        }
    }
    for f in data_lines(COUNTRIES) {
        let (Some(code), Some(kind)) = (f.first(), f.get(1)) else {
            continue;
        };
        let kind = match *kind {
            "name" => CountryKind::Name,
            "demonym" => CountryKind::Demonym,
            "capital" => CountryKind::Capital,
            "ambiguous" => CountryKind::Ambiguous,
            _ => continue,
        };
        let code = leak(code);
        for form in f.get(2).unwrap_or(&"").split('|').filter(|s| !s.is_empty()) {
            let words = words_of(form);
            let exact_case = form
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
                && form.chars().any(char::is_alphabetic);
            let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
            let key = folded[0].clone();
            lex.countries.entry(key).or_default().push(Form {
                words,
                folded,
                exact_case,
                value: code,
                kind,
            });
        }
    }
    // Named operations count as names of the country they are attributed to.
    for f in data_lines(ACTORS) {
        let (Some(code), Some(forms)) = (f.first(), f.get(1)) else {
            continue;
        };
        let code = leak(code);
        for form in forms.split('|').filter(|s| !s.is_empty()) {
            let words = words_of(form);
            let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
            let exact_case = form
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase);
            let key = folded[0].clone();
            lex.countries.entry(key).or_default().push(Form {
                words,
                folded,
                exact_case,
                value: code,
                kind: CountryKind::Actor,
            });
        }
    }
    // Longest forms first, so "Papua New Guinea" wins over "Guinea".
    for v in lex.countries.values_mut() {
        v.sort_by_key(|f| std::cmp::Reverse(f.words.len()));
    }
    for m in [&mut lex.platforms, &mut lex.objects, &mut lex.verbs] {
        for v in m.values_mut() {
            v.sort_by_key(|f| std::cmp::Reverse(f.0.len()));
        }
    }
    lex
});

/// A token's text without a possessive "'s".
fn bare(t: &str) -> (&str, bool) {
    for suf in ["'s", "’s"] {
        if let Some(b) = t.strip_suffix(suf) {
            return (b, true);
        }
    }
    (t, false)
}

/// Whether `words` match the tokens at `i` (case-insensitively, or exactly).
fn words_match(toks: &[Token<'_>], i: usize, words: &[String], exact: bool) -> Option<bool> {
    let mut possessive = false;
    for (k, w) in words.iter().enumerate() {
        let t = toks.get(i + k)?;
        let (text, poss) = if k + 1 == words.len() {
            bare(t.text)
        } else {
            (t.text, false)
        };
        let ok = if exact {
            text == w
        } else {
            fold(text) == fold(w)
        };
        if !ok {
            return None;
        }
        possessive = poss;
    }
    Some(possessive)
}

/// The platform named at token `i`, and how many tokens it spans. Forms match
/// case-sensitively, possessives included ("Twitter's").
pub fn platform_at(toks: &[Token<'_>], i: usize) -> Option<(&'static str, usize)> {
    let t = toks.get(i)?;
    let (first, _) = bare(t.text);
    let cands = LEX.platforms.get(first)?;
    cands
        .iter()
        .find_map(|(words, id)| words_match(toks, i, words, true).map(|_| (*id, words.len())))
}

/// Any platform name (case as written).
fn platform_pattern() -> String {
    let mut forms: Vec<String> = LEX
        .platforms
        .values()
        .flatten()
        .map(|(w, _)| regex::escape(&w.join(" ")))
        .collect();
    forms.push("X".into());
    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    // ASCII word boundaries: the forms are ASCII, and a Unicode \b would force the
    // regex crate's slowest engine on every page.
    format!(r"(?-u:\b)(?:{})", forms.join("|"))
}

/// Any takedown verb (any case), single words included so that "took <b>down</b>" counts.
fn verb_pattern() -> String {
    let mut forms: Vec<String> = LEX
        .verbs
        .values()
        .flatten()
        .map(|(w, _)| regex::escape(&w.join(" ")))
        .collect();
    forms.extend(["took", "take", "taken", "taking", "takes", "shut", "shuts"].map(String::from));
    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    format!(r"(?i)(?-u:\b)(?:{})(?-u:\b)", forms.join("|"))
}

static PLATFORM_BYTES: LazyLock<Option<regex::bytes::Regex>> =
    LazyLock::new(|| regex::bytes::Regex::new(&platform_pattern()).ok());

static VERB_BYTES: LazyLock<Option<regex::bytes::Regex>> =
    LazyLock::new(|| regex::bytes::Regex::new(&verb_pattern()).ok());

/// The last word of every takedown object ("accounts", "pages", "operations").
static OBJECT_BYTES: LazyLock<Option<regex::bytes::Regex>> = LazyLock::new(|| {
    let mut objects: Vec<String> = LEX
        .objects
        .values()
        .flatten()
        .filter_map(|(w, _)| w.last().map(|l| regex::escape(&l.to_lowercase())))
        .collect();
    objects.sort_by_key(|f| std::cmp::Reverse(f.len()));
    objects.dedup();
    regex::bytes::Regex::new(&format!(r"(?i)(?-u:\b)(?:{})(?-u:\b)", objects.join("|"))).ok()
});

/// How near a takedown object must be to a takedown verb, in bytes of visible text.
const NEAR: usize = 160;

/// Whether some takedown verb has a takedown object within [`NEAR`] bytes, either side
/// ("removed 783 Pages", "accounts that were suspended"): what a claim sentence has and
/// a share button or a menu does not.
fn verb_near_object(text: &[u8]) -> bool {
    let (Some(verbs), Some(objects)) = (VERB_BYTES.as_ref(), OBJECT_BYTES.as_ref()) else {
        return true;
    };
    verbs.find_iter(text).any(|m| {
        let from = m.start().saturating_sub(NEAR);
        let to = (m.end() + NEAR).min(text.len());
        objects.is_match(&text[from..to])
    })
}

/// The bytes of a page outside tags, scripts, styles and comments, each tag a space: a
/// cheap stand-in for the visible text (no parsing, no decoding), so that words in
/// scripts and attributes do not count.
fn visible_bytes(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() / 2);
    let mut i = 0;
    while i < raw.len() {
        let Some(lt) = memchr::memchr(b'<', &raw[i..]) else {
            out.extend_from_slice(&raw[i..]);
            break;
        };
        out.extend_from_slice(&raw[i..i + lt]);
        out.push(b' ');
        let at = i + lt;
        let rest = &raw[at..];
        let starts = |p: &[u8]| rest.len() >= p.len() && rest[..p.len()].eq_ignore_ascii_case(p);
        let close: &[u8] = if starts(b"<script") {
            b"</script"
        } else if starts(b"<style") {
            b"</style"
        } else if starts(b"<!--") {
            b"-->"
        } else {
            b">"
        };
        i = match memchr::memmem::find(&rest[1..], close) {
            Some(k) if close == b">" => at + 1 + k + 1,
            Some(k) => {
                let end = at + 1 + k + close.len();
                memchr::memchr(b'>', &raw[end..]).map_or(raw.len(), |g| end + g + 1)
            }
            // No end (or an upper-case one): treat it as a plain tag, so that no text
            // is ever skipped on a guess.
            None => memchr::memchr(b'>', &raw[at..]).map_or(raw.len(), |g| at + g + 1),
        };
    }
    out
}

/// The pre-filter for bulk input (a month of general news): whether a raw page, before
/// any parsing, names a platform and uses a takedown verb anywhere in its bytes. A page
/// that fails cannot yield a claim, so it need not be extracted. Pages that are not an
/// ASCII-compatible encoding (UTF-16) always pass.
pub fn may_hold_claims_raw(raw: &[u8]) -> bool {
    let head = &raw[..raw.len().min(1024)];
    let utf16 = head.starts_with(&[0xFF, 0xFE])
        || head.starts_with(&[0xFE, 0xFF])
        || head.iter().filter(|b| **b == 0).count() > head.len() / 4;
    if utf16 {
        return true;
    }
    if !PLATFORM_BYTES.as_ref().is_none_or(|re| re.is_match(raw)) {
        return false;
    }
    verb_near_object(&visible_bytes(raw))
}

/// Whether a text can hold a claim at all: it names a platform (unless the page is a
/// platform's own post) and uses a takedown verb. One pass over the text, so pages
/// that are not about takedowns cost next to nothing.
pub fn may_hold_claims(text: &str, house: bool) -> bool {
    let platform = house
        || PLATFORM_BYTES
            .as_ref()
            .is_none_or(|re| re.is_match(text.as_bytes()));
    platform
        && VERB_BYTES
            .as_ref()
            .is_none_or(|re| re.is_match(text.as_bytes()))
}

/// Whether a string is an ISO code the lexicon knows ("IR").
pub fn is_country_code(code: &str) -> bool {
    static CODES: LazyLock<std::collections::HashSet<&'static str>> =
        LazyLock::new(|| LEX.countries.values().flatten().map(|f| f.value).collect());
    CODES.contains(code)
}

/// The usual English name of a country code ("IR" → "Iran"), for display.
pub fn country_name(code: &str) -> Option<&'static str> {
    static NAMES: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
        data_lines(COUNTRIES)
            .filter(|f| f.get(1) == Some(&"name"))
            .filter_map(|f| Some((*f.first()?, f.get(2)?.split('|').next()?)))
            .collect()
    });
    NAMES.get(code).copied()
}

/// Whether a string is a platform id ("twitter").
pub fn is_platform_id(id: &str) -> bool {
    LEX.families.contains_key(id)
}

/// Every platform id, sorted.
pub fn platform_ids() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = LEX.families.keys().copied().collect();
    v.sort_unstable();
    v
}

/// Every family (company) id, sorted, each once.
pub fn family_ids() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = LEX.families.values().copied().collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The platforms of a family, sorted ("meta" → facebook, instagram, meta, messenger,
/// whatsapp); none for a name that is no family.
pub fn family_members(family: &str) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = LEX
        .families
        .iter()
        .filter(|(_, f)| **f == family)
        .map(|(p, _)| *p)
        .collect();
    v.sort_unstable();
    v
}

/// Every object kind (the canonical plurals of `objects.tsv`), sorted.
pub fn object_ids() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = LEX.objects.values().flatten().map(|(_, o)| *o).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The object kinds a claim's object names, each once, in order ("Pages, Groups and
/// accounts" → pages, groups, accounts).
pub fn object_kinds(object: &str) -> Vec<&'static str> {
    let toks = super::text::tokens(object);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match object_at(&toks, i) {
            Some((o, n)) => {
                if !out.contains(&o) {
                    out.push(o);
                }
                i += n.max(1);
            }
            None => i += 1,
        }
    }
    out
}

/// The company a platform belongs to (instagram → meta).
pub fn family(platform: &str) -> &'static str {
    LEX.families.get(platform).copied().unwrap_or("")
}

/// The platform whose own site a host belongs to ("about.fb.com" → facebook).
pub fn platform_of_host(host: &str) -> Option<&'static str> {
    let labels: Vec<&str> = host.split('.').collect();
    LEX.hosts.iter().find_map(|(h, id)| {
        let hl: Vec<&str> = h.split('.').collect();
        let hit = if hl.len() == 1 {
            // A platform label anywhere but the public suffix: about.fb.com, blog.twitter.com.
            labels
                .iter()
                .take(labels.len().saturating_sub(1))
                .any(|l| l == h)
        } else {
            labels.windows(hl.len()).any(|w| w == hl.as_slice())
        };
        hit.then_some(*id)
    })
}

/// The platform a site name names ("Facebook Newsroom", "Microsoft On the Issues").
pub fn platform_of_name(name: &str) -> Option<&'static str> {
    let toks = super::text::tokens(name);
    (0..toks.len()).find_map(|i| platform_at(&toks, i).map(|(p, _)| p))
}

fn lookup(
    map: &Map<Vec<(Vec<String>, &'static str)>>,
    toks: &[Token<'_>],
    i: usize,
) -> Option<(&'static str, usize)> {
    let t = toks.get(i)?;
    let cands = map.get(&*t.low)?;
    cands
        .iter()
        .find_map(|(words, v)| words_match(toks, i, words, false).map(|_| (*v, words.len())))
}

/// The object noun at token `i` ("accounts", "influence operations"), canonical plural.
pub fn object_at(toks: &[Token<'_>], i: usize) -> Option<(&'static str, usize)> {
    lookup(&LEX.objects, toks, i)
}

/// The takedown verb at token `i`, as its base form.
pub fn verb_at(toks: &[Token<'_>], i: usize) -> Option<(&'static str, usize)> {
    lookup(&LEX.verbs, toks, i)
}

/// Whether a phrase to ignore (a region such as "Latin America") starts at `i`; returns
/// its length.
pub fn ignored_at(toks: &[Token<'_>], i: usize) -> Option<usize> {
    let t = toks.get(i)?;
    let cands = LEX.ignore.get(&*t.low)?;
    cands
        .iter()
        .find_map(|words| words_match(toks, i, words, false).map(|_| words.len()))
}

/// Suffixes that make a country form an attribution: "Russia-based", "Iran-linked".
const ORIGIN_SUFFIXES: &[&str] = &[
    "based",
    "linked",
    "backed",
    "led",
    "run",
    "affiliated",
    "aligned",
    "sponsored",
    "connected",
    "tied",
    "origin",
    "controlled",
    "directed",
    "operated",
    "funded",
    "supported",
    "allied",
    "owned",
    "born",
];

/// The country named at token `i`, longest form first.
pub fn country_at(toks: &[Token<'_>], i: usize) -> Option<CountryHit> {
    let t = toks.get(i)?;
    // "Russia-based", "Kremlin-backed": the first part is the country.
    if let Some((head, tail)) = t.text.split_once(['-', '‑']) {
        let tail_l = tail.to_lowercase();
        if ORIGIN_SUFFIXES.contains(&tail_l.as_str()) {
            let sub = [Token::new(t.start, head)];
            if let Some(mut hit) = country_at(&sub, 0) {
                hit.suffix = Some(tail_l);
                hit.len = 1;
                return Some(hit);
            }
        }
    }
    let (first, _) = bare(&t.low);
    let cands = LEX
        .countries
        .get(&*t.low)
        .or_else(|| LEX.countries.get(first))?;
    // Readings of the longest matching length: an ambiguous one marks the hit, a plain
    // one supplies the default code. Ambiguous with no plain reading ("Korea") is no hit.
    let mut best: Option<CountryHit> = None;
    let mut has_plain = false;
    for f in cands {
        let words = if f.exact_case { &f.words } else { &f.folded };
        let Some(possessive) = words_match(toks, i, words, f.exact_case) else {
            continue;
        };
        if best.as_ref().is_some_and(|b| b.len > f.words.len()) {
            break;
        }
        let b = best.get_or_insert(CountryHit {
            code: f.value,
            kind: f.kind,
            len: f.words.len(),
            suffix: None,
            possessive,
        });
        if f.kind == CountryKind::Ambiguous {
            b.kind = CountryKind::Ambiguous;
        } else if !has_plain {
            has_plain = true;
            b.code = f.value;
        }
    }
    best.filter(|_| has_plain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::text::tokens;

    fn country(s: &str) -> Option<(&'static str, CountryKind)> {
        let t = tokens(s);
        (0..t.len())
            .find_map(|i| country_at(&t, i))
            .map(|h| (h.code, h.kind))
    }

    #[test]
    fn families_and_object_kinds() {
        let meta = family_members("meta");
        for p in ["facebook", "instagram", "whatsapp", "messenger", "meta"] {
            assert!(meta.contains(&p), "{p} in {meta:?}");
        }
        assert!(!meta.contains(&"twitter"));
        assert!(family_members("google").contains(&"youtube"));
        assert_eq!(family_members("twitter"), vec!["twitter"]);
        assert!(family_members("myspace").is_empty());
        assert_eq!(
            object_kinds("Pages, Groups and accounts"),
            vec!["pages", "groups", "accounts"]
        );
        assert_eq!(object_kinds("fake accounts"), vec!["accounts"]);
        assert!(object_kinds("").is_empty());
        assert!(object_ids().contains(&"channels"));
    }

    #[test]
    fn country_names() {
        assert_eq!(country_name("IR"), Some("Iran"));
        assert_eq!(country_name("US"), Some("United States"));
        assert_eq!(country_name("ZZ"), None);
    }

    #[test]
    fn countries() {
        use CountryKind::*;
        let cases: &[(&str, Option<(&str, CountryKind)>)] = &[
            ("accounts in Iran", Some(("IR", Name))),
            ("Iran's state broadcaster", Some(("IR", Name))),
            ("Emirati and Egyptian accounts", Some(("AE", Demonym))),
            ("the Russia-based troll farm", Some(("RU", Name))),
            ("the Kremlin said", Some(("RU", Capital))),
            ("the People's Republic of China", Some(("CN", Name))),
            ("U.S. prosecutors", Some(("US", Name))),
            ("told us on Monday", None),
            ("originated in Georgia", Some(("GE", Ambiguous))),
            ("Papua New Guinea", Some(("PG", Name))),
        ];
        for (s, want) in cases {
            assert_eq!(country(s), *want, "{s}");
        }
    }

    #[test]
    fn prefilter_lets_takedown_text_through() {
        assert!(may_hold_claims(
            "Twitter on Thursday said it has deleted thousands of fake accounts.",
            false
        ));
        assert!(may_hold_claims(
            "X, formerly Twitter, SUSPENDED the accounts.",
            false
        ));
        assert!(may_hold_claims("Today we took these networks down.", true));
        assert!(!may_hold_claims(
            "Today we took these networks down.",
            false
        ));
        assert!(!may_hold_claims(
            "The council voted to repave Main Street next spring.",
            false
        ));
        assert!(!may_hold_claims(
            "Facebook's shares rose 4% on Tuesday.",
            false
        ));
        // Word boundaries: "Xavier" is not X, "removedly" is not removed.
        assert!(!may_hold_claims("Xavier removedly wrote a note.", false));
    }

    #[test]
    fn platforms_verbs_objects_hosts() {
        let t = tokens("Twitter's 39 YouTube channels were taken down");
        assert_eq!(platform_at(&t, 0), Some(("twitter", 1)));
        assert_eq!(platform_at(&t, 2), Some(("youtube", 1)));
        assert_eq!(object_at(&t, 3), Some(("channels", 1)));
        assert_eq!(verb_at(&t, 5), Some(("take down", 2)));
        assert_eq!(platform_of_host("about.fb.com"), Some("facebook"));
        assert_eq!(platform_of_host("blogs.microsoft.com"), Some("microsoft"));
        assert_eq!(platform_of_host("abcnews.go.com"), None);
        assert_eq!(family("instagram"), "meta");
        let r = tokens("in Latin America");
        assert_eq!(ignored_at(&r, 1), Some(2));
    }
}
