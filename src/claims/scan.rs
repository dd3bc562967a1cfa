//! The sentence scan: every takedown figure of an article, with its fields.
//!
//! A story is read in order, keeping a context of what it is about: the platform last
//! named as a subject, the network's countries, the date last mentioned. Each sentence
//! contributes figures (a count, up to four modifiers, an object noun: "2,617
//! additional malicious accounts"), and each figure becomes a claim when the sentence
//! has a takedown verb. Fields the sentence does not state come from the context, the
//! way a reader carries them: "The company also said it had suspended 2,617 accounts"
//! is Twitter's because the story's last subject was Twitter.
//!
//! Precision comes first: a figure needs an object from the lexicon and a takedown
//! verb; money, percentages, years, follower counts and numbers that fit no object are
//! never claims.

use super::Claim;
use super::lexicon;
use super::numbers::{self, Qualifier};
use super::people::{self, Spokesperson};
use super::places::{self, Places};
use super::text::{self, Token};
use super::when::{self, When};
use crate::extract::Article;
use chrono::NaiveDate;

/// The running context of a story.
#[derive(Debug, Clone, Default)]
struct Context {
    platform: Option<&'static str>,
    origins: Vec<&'static str>,
    targets: Vec<&'static str>,
    domestic: bool,
    date: Option<NaiveDate>,
    action: Option<&'static str>,
    /// Index of the last sentence that gave a claim.
    last_claim_sentence: Option<usize>,
}

/// A count with its object, found in a sentence.
#[derive(Debug, Clone)]
struct Figure {
    value: Option<u64>,
    qualifier: Qualifier,
    object: String,
    /// Token range of the whole figure (hedge to object).
    first: usize,
    end: usize,
    /// Platform named among the modifiers ("Instagram accounts") or right after the
    /// object ("blogs on Blogger").
    platform: Option<&'static str>,
    /// Countries named among the modifiers ("Emirati and Egyptian accounts").
    origins: Vec<&'static str>,
}

/// Words that end the modifiers between a count and its object.
const MODIFIER_STOP: &[&str] = &[
    "of",
    "in",
    "from",
    "that",
    "which",
    "who",
    "were",
    "was",
    "had",
    "have",
    "has",
    "to",
    "for",
    "by",
    "on",
    "with",
    "across",
    "per",
    "times",
    "years",
    "year",
    "days",
    "day",
    "months",
    "month",
    "weeks",
    "week",
    "hours",
    "percent",
    "per cent",
    "or",
    "than",
    "is",
    "are",
    "be",
    "been",
    "it",
    "its",
    "their",
    "they",
    "we",
    "our",
    "at",
    "as",
    "since",
    "people",
    "followers",
    "million",
    "billion",
    "views",
    "likes",
    "members",
];

/// Verbs right after a figure that make it an audience count, not a takedown.
const AUDIENCE_VERBS: &[&str] = &[
    "followed",
    "follow",
    "follows",
    "following",
    "liked",
    "joined",
    "viewed",
    "watched",
    "subscribed",
    "engaged",
    "shared",
    "reached",
    "had",
    "have",
    "spent",
    "received",
    "posted",
    "tweeted",
    "gained",
    "amassed",
    "accumulated",
];

/// Words of saying that make a platform named before them the sentence's subject.
const REPORTING: &[&str] = &[
    "said",
    "says",
    "announced",
    "disclosed",
    "wrote",
    "reported",
    "revealed",
    "added",
    "confirmed",
    "published",
    "released",
    "shared",
    "noted",
    "stated",
    "explained",
    "told",
    "acknowledged",
    "detailed",
    "described",
];

const NEGATION: &[&str] = &[
    "not", "n't", "never", "didn't", "doesn't", "hasn't", "haven't", "hadn't", "wasn't", "weren't",
    "isn't", "aren't", "won't", "wouldn't", "cannot",
];

const FIND_VERBS: &[(&str, &str)] = &[
    ("find", "find"),
    ("found", "find"),
    ("finding", "find"),
    ("detect", "detect"),
    ("detected", "detect"),
    ("identify", "identify"),
    ("identified", "identify"),
    ("see", "see"),
    ("seen", "see"),
    ("observe", "observe"),
    ("observed", "observe"),
];

fn lower(toks: &[Token<'_>], k: usize) -> String {
    toks.get(k).map(|t| t.lower()).unwrap_or_default()
}

/// Platforms named in a sentence: (token index, length, id). "X" counts only in
/// company positions ("X said", "on X", "X, formerly Twitter").
fn platform_mentions(toks: &[Token<'_>]) -> Vec<(usize, usize, &'static str)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if let Some((p, n)) = lexicon::platform_at(toks, i) {
            out.push((i, n, p));
            i += n;
            continue;
        }
        let t = toks[i].text;
        if t == "X" || t == "X's" || t == "X’s" {
            let next = lower(toks, i + 1);
            let prev = if i > 0 {
                lower(toks, i - 1)
            } else {
                String::new()
            };
            let formerly = (i + 1..(i + 4).min(toks.len())).any(|k| lower(toks, k) == "formerly");
            let company_next = matches!(
                next.as_str(),
                "said"
                    | "says"
                    | "has"
                    | "had"
                    | "also"
                    | "suspended"
                    | "removed"
                    | "took"
                    | "accounts"
                    | "account"
                    | "which"
                    | "announced"
                    | "did"
                    | "does"
                    | "is"
                    | "was"
                    | "banned"
                    | "blocked"
                    | "users"
                    | "posts"
                    | "corp"
                    | "corp."
                    | "declined"
            );
            let company_prev = matches!(
                prev.as_str(),
                "on" | "from" | "by" | "at" | "with" | "across" | "and" | "platform"
            );
            if formerly || company_next || company_prev || t != "X" {
                out.push((i, 1, "twitter"));
            }
        }
        i += 1;
    }
    out
}

/// Takedown verbs of a sentence: (token index, length, base form).
fn verb_mentions(toks: &[Token<'_>]) -> Vec<(usize, usize, &'static str)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if let Some((v, n)) = lexicon::verb_at(toks, i) {
            out.push((i, n, v));
            i += n;
            continue;
        }
        // "took the accounts down", "shut them down": a split particle.
        let l = lower(toks, i);
        let split = match l.as_str() {
            "took" | "take" | "takes" | "taken" | "taking" => Some("take down"),
            "shut" | "shuts" | "shutting" => Some("shut down"),
            _ => None,
        };
        if let Some(v) = split {
            if (i + 2..(i + 5).min(toks.len())).any(|k| lower(toks, k) == "down") {
                out.push((i, 1, v));
            }
        }
        i += 1;
    }
    out
}

/// Whether a 4-digit number without a comma is a year.
fn looks_like_year(t: &str) -> bool {
    t.len() == 4 && t.parse::<u32>().is_ok_and(|y| (1900..=2100).contains(&y))
}

/// Figures of a sentence: counts with their object nouns.
fn figures(toks: &[Token<'_>]) -> Vec<Figure> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let Some(c) = numbers::count_at(toks, i) else {
            i += 1;
            continue;
        };
        let tok = toks[i].text;
        let money = i > 0 && matches!(toks[i - 1].text, "$" | "£" | "€" | "¥" | "US$");
        let percent = matches!(lower(toks, c.next).as_str(), "%" | "percent" | "per");
        if money || percent || looks_like_year(tok) {
            i = c.next.max(i + 1);
            continue;
        }
        // Modifiers, then the object.
        let mut k = c.next;
        let mut found = None;
        while k < toks.len() && k - c.next <= 4 {
            if let Some((obj, n)) = lexicon::object_at(toks, k) {
                found = Some((obj, k, n));
                break;
            }
            let l = lower(toks, k);
            let quote = matches!(toks[k].text, "\"" | "“" | "”" | "'" | "‘" | "’");
            if (!toks[k].is_word() && !quote)
                || MODIFIER_STOP.contains(&l.as_str())
                || numbers::count_at(toks, k).is_some_and(|x| x.value.is_some())
            {
                break;
            }
            if l == "and"
                && !lexicon::country_at(toks, k + 1)
                    .is_some_and(|h| h.kind != lexicon::CountryKind::Name)
            {
                break;
            }
            k += 1;
        }
        let Some((obj, at, n)) = found else {
            i = c.next.max(i + 1);
            continue;
        };
        let mut end = at + n;
        let mut object = obj.to_string();
        // A list of objects under one figure: "783 pages, groups and accounts".
        let mut e = end;
        let mut compound = false;
        loop {
            let mut s = e;
            if lower(toks, s) == "," {
                s += 1;
            }
            if matches!(lower(toks, s).as_str(), "and" | "or") {
                s += 1;
            }
            if s == e || numbers::count_at(toks, s).is_some() {
                break;
            }
            match lexicon::object_at(toks, s) {
                Some((_, m)) if lexicon::platform_at(toks, s).is_none() => {
                    e = s + m;
                    compound = true;
                }
                _ => break,
            }
        }
        if compound {
            let text = &toks[at].text;
            let _ = text;
            let span: Vec<String> = toks[at..e].iter().map(|t| t.lower()).collect();
            object = span.join(" ").replace(" ,", ",");
            end = e;
        }
        // A figure followed by an audience verb counts followers or views.
        let audience = (end..(end + 3).min(toks.len()))
            .any(|x| AUDIENCE_VERBS.contains(&lower(toks, x).as_str()));
        if audience {
            i = end;
            continue;
        }
        let mods = c.next..at;
        let mut platform = mods
            .clone()
            .find_map(|m| lexicon::platform_at(toks, m).map(|(p, _)| p));
        if platform.is_none() && matches!(lower(toks, end).as_str(), "on" | "from") {
            platform = lexicon::platform_at(toks, end + 1).map(|(p, _)| p);
        }
        let origins: Vec<&'static str> = mods
            .clone()
            .filter_map(|m| lexicon::country_at(toks, m))
            .filter(|h| h.kind != lexicon::CountryKind::Capital || h.suffix.is_some())
            .map(|h| h.code)
            .collect();
        out.push(Figure {
            value: c.value,
            qualifier: c.qualifier,
            object,
            first: c.first,
            end,
            platform,
            origins,
        });
        i = end;
    }
    out
}

/// The platform a sentence is about: the last one named before its first takedown or
/// reporting verb (not as an object modifier), or "by X" after a passive verb.
fn subject_platform(
    toks: &[Token<'_>],
    plats: &[(usize, usize, &'static str)],
    verbs: &[(usize, usize, &'static str)],
    figs: &[Figure],
) -> Option<&'static str> {
    let first_verb = verbs.first().map(|v| v.0);
    let first_report = toks
        .iter()
        .position(|t| REPORTING.contains(&t.lower().as_str()));
    let pivot = match (first_verb, first_report) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    let in_figure = |i: usize| figs.iter().any(|f| (f.first..f.end).contains(&i));
    let before = plats
        .iter()
        .filter(|(i, _, _)| *i < pivot && !in_figure(*i))
        .filter(|(i, n, _)| lexicon::object_at(toks, i + n).is_none())
        .next_back()
        .map(|p| p.2);
    before.or_else(|| {
        // Passive: "were removed by Facebook".
        verbs.iter().find_map(|(v, n, _)| {
            (lower(toks, v + n) == "by")
                .then(|| lexicon::platform_at(toks, v + n + 1).map(|(p, _)| p))
                .flatten()
        })
    })
}

/// Whether a sentence speaks as the publishing platform ("we", "our").
fn first_person(toks: &[Token<'_>]) -> bool {
    toks.iter().any(|t| {
        matches!(
            t.lower().as_str(),
            "we" | "our" | "we've" | "we’ve" | "we're" | "us"
        )
    })
}

/// The negated takedown of a sentence, if any: (verb base, platform, object).
fn negated_claim(
    toks: &[Token<'_>],
    plats: &[(usize, usize, &'static str)],
) -> Option<(&'static str, Option<&'static str>, String)> {
    for i in 0..toks.len() {
        let l = lower(toks, i);
        let (verb_at, base) = if NEGATION.contains(&l.as_str()) || l.ends_with("n't") {
            // The verb within three words after the negation.
            let mut hit = None;
            for k in i + 1..(i + 4).min(toks.len()) {
                if let Some((v, _)) = lexicon::verb_at(toks, k) {
                    hit = Some((k, v));
                    break;
                }
                let w = lower(toks, k);
                if let Some((_, b)) = FIND_VERBS.iter().find(|(f, _)| *f == w) {
                    hit = Some((k, *b));
                    break;
                }
            }
            hit?
        } else if let Some((_, b)) = FIND_VERBS.iter().find(|(f, _)| *f == l) {
            // "found no evidence of similar activity"
            if lower(toks, i + 1) == "no" {
                (i + 1, *b)
            } else {
                continue;
            }
        } else {
            continue;
        };
        // The object: the head noun of the phrase after the verb.
        let mut k = verb_at + 1;
        if lower(toks, k) == "no" {
            k += 1;
        }
        if lower(toks, k) == "evidence" {
            if lower(toks, k + 1) != "of" {
                return None;
            }
            k += 2;
        }
        let start = k;
        while k < toks.len()
            && toks[k].is_word()
            && !matches!(
                lower(toks, k).as_str(),
                "on" | "in"
                    | "from"
                    | "that"
                    | "which"
                    | "of"
                    | "by"
                    | "and"
                    | "to"
                    | "for"
                    | "with"
            )
            && k - start < 5
        {
            k += 1;
        }
        if k == start {
            return None;
        }
        let head = lower(toks, k - 1);
        let object = match lexicon::object_at(toks, k - 1) {
            Some((o, _)) => o.to_string(),
            None if matches!(
                head.as_str(),
                "activity"
                    | "behavior"
                    | "behaviour"
                    | "content"
                    | "accounts"
                    | "operations"
                    | "campaigns"
                    | "evidence"
            ) =>
            {
                head
            }
            None => return None,
        };
        let platform = plats.iter().find(|(p, _, _)| *p > i).map(|p| p.2);
        return Some((base, platform, object));
    }
    None
}

/// A sentence standing alone as a heading ("Georgia", "Vietnam and the US").
fn is_heading(s: &str, toks: &[Token<'_>]) -> bool {
    toks.iter().filter(|t| t.is_word()).count() <= 6
        && !s.trim_end().ends_with(['.', '?', '!', ':', '"', '”'])
}

/// The platform whose own post the article is, if it is one.
fn house_platform(article: &Article) -> Option<&'static str> {
    let host = article.site.as_deref().and_then(lexicon::platform_of_host);
    host.or_else(|| {
        article
            .site_name
            .as_deref()
            .and_then(lexicon::platform_of_name)
    })
}

/// All claims and spokespeople of an article.
pub(crate) fn scan(article: &Article) -> (Vec<Claim>, Vec<Spokesperson>) {
    let page = article.published;
    let house = house_platform(article);
    let mut ctx = Context {
        platform: house,
        date: page,
        ..Context::default()
    };
    let mut spokes: Vec<Spokesperson> = Vec::new();
    if let Some(h) = house {
        for a in &article.authors {
            spokes.push(Spokesperson {
                name: a.clone(),
                title: String::new(),
                org: h.to_string(),
            });
        }
    }
    let mut claims: Vec<Claim> = Vec::new();
    let sentences = text::sentences(&article.body);
    for (si, s) in sentences.iter().enumerate() {
        let toks = text::tokens(s.text);
        let plats = platform_mentions(&toks);
        let verbs = verb_mentions(&toks);
        let figs = figures(&toks);
        let mut places = places::roles(&toks);
        if places.origins.is_empty() && is_heading(s.text, &toks) && verbs.is_empty() {
            // A section heading that names countries opens that network's section.
            for i in 0..toks.len() {
                if let Some(h) = lexicon::country_at(&toks, i) {
                    if h.kind != lexicon::CountryKind::Ambiguous
                        && !places.origins.contains(&h.code)
                    {
                        places.origins.push(h.code);
                    }
                }
            }
        }
        let when = when::when(&toks, page, ctx.date);
        let explicit = subject_platform(&toks, &plats, &verbs, &figs);
        let subject = explicit.or_else(|| {
            if first_person(&toks) {
                house.or(ctx.platform)
            } else {
                ctx.platform
            }
        });
        for p in people::in_sentence(&toks, subject) {
            if !spokes.iter().any(|x| x.name == p.name) {
                spokes.push(p);
            }
        }
        let action = verbs.first().map(|v| v.2);
        let negation = negated_claim(&toks, &plats);
        let network_words = toks.iter().any(|t| {
            let l = t.lower();
            l.starts_with("originat")
                || l.starts_with("target")
                || matches!(
                    l.as_str(),
                    "network" | "networks" | "operation" | "operations" | "campaign"
                )
        });
        let relevant = !verbs.is_empty() || !figs.is_empty() || network_words || explicit.is_some();
        let date = match when {
            When::Day(d) => Some(d),
            When::Vague => None,
            When::Unsaid => ctx.date,
        };
        let (countries_base, targets_base, inherited) = resolve_places(&places, &ctx);
        let mut made = 0usize;
        // Figures become claims when the sentence reports a takedown.
        let verbless_ok = verbs.is_empty()
            && figs.first().is_some_and(|f| f.first <= 1)
            && !places.origins.is_empty()
            && ctx.last_claim_sentence.is_some_and(|l| si - l <= 2);
        let negated_verb = negation
            .as_ref()
            .is_some_and(|(b, _, _)| lexicon_base_is_takedown(b));
        if (!verbs.is_empty() || verbless_ok) && !negated_verb {
            for f in &figs {
                if f.value.is_none() && verbs.is_empty() {
                    continue;
                }
                let Some(platform) = f.platform.or(subject).or(house) else {
                    continue;
                };
                let countries = if f.origins.is_empty() {
                    countries_base.clone()
                } else {
                    f.origins.clone()
                };
                let mut targets = targets_base.clone();
                if places.domestic || (inherited && ctx.domestic) {
                    for c in &countries {
                        if !targets.contains(c) {
                            targets.push(c);
                        }
                    }
                }
                let nearest_verb = verbs
                    .iter()
                    .min_by_key(|v| (v.0 as i64 - f.first as i64).unsigned_abs())
                    .map(|v| v.2)
                    .or(ctx.action)
                    .unwrap_or("remove");
                let claim = Claim {
                    platform: platform.to_string(),
                    countries: countries.iter().map(|c| c.to_string()).collect(),
                    targets: targets.iter().map(|c| c.to_string()).collect(),
                    count: f.value,
                    qualifier: if f.value.is_none() {
                        Qualifier::Vague
                    } else {
                        f.qualifier
                    },
                    object: f.object.clone(),
                    action: nearest_verb.to_string(),
                    date,
                    spokesperson: None,
                    negated: false,
                    evidence: s.text.to_string(),
                    span: [s.start, s.start + s.text.len()],
                };
                if !is_repeat(&claims, &claim) {
                    claims.push(claim);
                    made += 1;
                }
            }
        }
        if let Some((base, plat, object)) = negation {
            if let Some(platform) = plat.or(subject) {
                let claim = Claim {
                    platform: platform.to_string(),
                    countries: countries_base.iter().map(|c| c.to_string()).collect(),
                    targets: targets_base.iter().map(|c| c.to_string()).collect(),
                    count: None,
                    qualifier: Qualifier::Vague,
                    object,
                    action: base.to_string(),
                    date,
                    spokesperson: None,
                    negated: true,
                    evidence: s.text.to_string(),
                    span: [s.start, s.start + s.text.len()],
                };
                if !is_repeat(&claims, &claim) {
                    claims.push(claim);
                    made += 1;
                }
            }
        }
        // Carry the story forward.
        if made > 0 {
            ctx.last_claim_sentence = Some(si);
        }
        if let Some(p) = explicit {
            ctx.platform = Some(p);
        }
        if action.is_some() {
            ctx.action = action;
        }
        if relevant && !places.origins.is_empty() {
            ctx.origins = places.origins.clone();
            ctx.targets = places.targets.clone();
            ctx.domestic = places.domestic;
        } else if relevant && !places.targets.is_empty() && made == 0 {
            ctx.targets = places.targets.clone();
        }
        if let When::Day(d) = when {
            if relevant {
                ctx.date = Some(d);
            }
        }
    }
    for c in &mut claims {
        let fam = lexicon::family(&c.platform);
        c.spokesperson = spokes
            .iter()
            .find(|p| lexicon::family(&p.org) == fam && !fam.is_empty())
            .map(|p| p.name.clone());
    }
    (claims, spokes)
}

fn lexicon_base_is_takedown(base: &str) -> bool {
    !matches!(base, "find" | "detect" | "identify" | "see" | "observe")
}

/// Countries and targets for the sentence's claims: its own, or the story's.
fn resolve_places(places: &Places, ctx: &Context) -> (Vec<&'static str>, Vec<&'static str>, bool) {
    if !places.origins.is_empty() {
        (places.origins.clone(), places.targets.clone(), false)
    } else if !places.targets.is_empty() {
        (ctx.origins.clone(), places.targets.clone(), true)
    } else {
        (ctx.origins.clone(), ctx.targets.clone(), true)
    }
}

/// A figure the story already reported (a summary repeating it).
fn is_repeat(claims: &[Claim], c: &Claim) -> bool {
    claims.iter().any(|o| {
        lexicon::family(&o.platform) == lexicon::family(&c.platform)
            && o.platform == c.platform
            && o.count == c.count
            && o.object == c.object
            && o.negated == c.negated
            && (c.count.is_some() || o.evidence == c.evidence || o.qualifier == c.qualifier)
    })
}
