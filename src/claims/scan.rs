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

use super::lexicon;
use super::numbers::{self, Qualifier};
use super::people::{self, Spokesperson};
use super::places::{self, Places};
use super::text::{self, Token};
use super::when::{self, When};
use super::words;
use super::{Claim, Confidence};
use crate::extract::Article;
use chrono::NaiveDate;
use std::sync::LazyLock;

/// The word lists below, one `[section]` each (see `data/README.md`).
const SCAN: &str = include_str!("data/scan.txt");

/// The running context of a story.
#[derive(Debug, Clone, Default)]
struct Context {
    platform: Option<&'static str>,
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
    /// The noun is elided and taken from the next figure ("443 Facebook and 125
    /// Instagram accounts").
    elided: bool,
    /// The platform of the list item before it, for an item that names none.
    list_platform: Option<&'static str>,
    /// The figure counts part of items the story counted before ("Of those, 120 …",
    /// "74 of the removed accounts"): its countries are the part's, not the whole's.
    part: bool,
}

/// Words that end the modifiers between a count and its object.
static MODIFIER_STOP: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| words::list(SCAN, "modifier_stop"));

/// Nouns right after an object that make the object a modifier and the figure an
/// audience: "44,000 Page followers", "25 Group members".
static AUDIENCE_NOUNS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| words::list(SCAN, "audience_nouns"));

/// Verbs right after a figure that make it an audience count, not a takedown.
static AUDIENCE_VERBS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut verbs = words::list(SCAN, "following_verbs");
    verbs.extend(words::list(SCAN, "audience_verbs"));
    verbs
});

/// The first of [`AUDIENCE_VERBS`]: someone following, joining or viewing something,
/// which only an audience does (the others are things the counted items may do too).
static FOLLOWING_VERBS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| words::list(SCAN, "following_verbs"));

/// Verbs right before a figure that make it something other than what was removed
/// ("the operation also ran about 30 accounts", "had posted 5,000 tweets").
static OTHER_VERBS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| words::list(SCAN, "other_verbs"));

/// Words of saying that make a platform named before them the sentence's subject.
static REPORTING: LazyLock<Vec<&'static str>> = LazyLock::new(|| words::list(SCAN, "reporting"));

/// Negations: a takedown or finding verb just after one is negated.
static NEGATION: LazyLock<Vec<&'static str>> = LazyLock::new(|| words::list(SCAN, "negation"));

/// Verbs of finding and their base form: negated, or followed by "no", they state that
/// nothing was found.
static FIND_VERBS: LazyLock<Vec<(&'static str, &'static str)>> =
    LazyLock::new(|| words::pairs(SCAN, "find_verbs"));

fn lower<'t>(toks: &'t [Token<'_>], k: usize) -> &'t str {
    toks.get(k).map_or("", |t| t.lower())
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
            let prev = if i > 0 { lower(toks, i - 1) } else { "" };
            let formerly = (i + 1..(i + 4).min(toks.len())).any(|k| lower(toks, k) == "formerly");
            let company_next = matches!(
                next,
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
                prev,
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
            if !requested(toks, i) {
                out.push((i, n, v));
            }
            i += n;
            continue;
        }
        // "took the accounts down", "shut them down": a split particle.
        let l = lower(toks, i);
        let split = match l {
            "took" | "take" | "takes" | "taken" | "taking" => Some("take down"),
            "shut" | "shuts" | "shutting" => Some("shut down"),
            _ => None,
        };
        if let Some(v) = split
            && (i + 2..(i + 5).min(toks.len())).any(|k| lower(toks, k) == "down")
        {
            out.push((i, 1, v));
        }
        i += 1;
    }
    out
}

/// A takedown someone asked for rather than one that was done: "appealed to ban 285
/// accounts", "asked Facebook to remove the Pages", "urged the platforms to suspend …".
fn requested(toks: &[Token<'_>], verb: usize) -> bool {
    verb >= 2
        && lower(toks, verb - 1) == "to"
        && (verb.saturating_sub(5)..verb - 1).any(|k| {
            matches!(
                lower(toks, k),
                "appealed"
                    | "appeal"
                    | "appeals"
                    | "asked"
                    | "asks"
                    | "ask"
                    | "requested"
                    | "requests"
                    | "urged"
                    | "urges"
                    | "demanded"
                    | "demands"
                    | "petitioned"
                    | "pressed"
                    | "pressured"
                    | "lobbied"
                    | "sought"
                    | "permission"
            )
        })
}

/// Whether the figure at `first` is the object of a takedown someone asked for ("users
/// appealed to ban 285 accounts, out of which 24 were banned"): another verb of the
/// sentence does not make it one that was done.
fn asked_for(toks: &[Token<'_>], first: usize) -> bool {
    (first.saturating_sub(3)..first).any(|k| {
        lexicon::verb_at(toks, k).is_some_and(|(_, n)| k + n == first) && requested(toks, k)
    })
}

/// Words that can make a sentence say when: weekdays, months, "today", "day", "week"…
fn is_date_word(w: &str) -> bool {
    let w = w.trim_end_matches('.');
    crate::extract::dates::is_month_word(w)
        || crate::extract::dates::weekday_of(w, false).is_some()
        || matches!(
            w,
            "today"
                | "tonight"
                | "yesterday"
                | "day"
                | "days"
                | "week"
                | "weeks"
                | "weekend"
                | "month"
                | "months"
                | "year"
                | "quarter"
                | "recent"
        )
        || (w.len() == 4 && w.starts_with(['1', '2']))
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
        let Some(c) = numbers::count_at(toks, i).or_else(|| list_article(toks, &out, i)) else {
            i += 1;
            continue;
        };
        let tok = toks[i].text;
        let money = i > 0 && matches!(toks[i - 1].text, "$" | "£" | "€" | "¥" | "US$");
        let percent = matches!(lower(toks, c.next), "%" | "percent" | "per");
        // "associated with approximately 20 individuals": who the removed items were
        // tied to, not what was removed ("a network with 41 accounts" is what it held).
        let with = c.first > 1
            && lower(toks, c.first - 1) == "with"
            && matches!(
                lower(toks, c.first - 2),
                "associated" | "linked" | "connected" | "tied" | "affiliated" | "interacted"
            );
        // "a June 13 blog post": the day of a date, whatever noun follows.
        let day = i > 0
            && crate::extract::dates::is_month_word(lower(toks, i - 1))
            && c.value.is_some_and(|v| (1..=31).contains(&v));
        if money || percent || with || day || looks_like_year(tok) {
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
                || MODIFIER_STOP.contains(&l)
                || numbers::count_at(toks, k).is_some_and(|x| x.value.is_some())
            {
                break;
            }
            // "and" joins modifiers of the same kind: "Emirati and Egyptian accounts",
            // "Facebook and Instagram accounts".
            if l == "and"
                && !lexicon::country_at(toks, k + 1)
                    .is_some_and(|h| h.kind != lexicon::CountryKind::Name)
                && !(lexicon::platform_at(toks, k + 1).is_some()
                    && k > c.next
                    && lexicon::platform_at(toks, k - 1).is_some())
            {
                break;
            }
            k += 1;
        }
        let mut elided = false;
        // "Among the removed accounts, 7,704 are Facebook accounts": the noun after a
        // copula names what the figure counts.
        let copula = found.is_none()
            && k == c.next
            && matches!(lower(toks, k), "are" | "were" | "was" | "is");
        if copula {
            found = (k + 1..(k + 4).min(toks.len()))
                .take_while(|&m| toks[m].is_word())
                .find_map(|m| lexicon::object_at(toks, m).map(|(o, n)| (o, m, n)));
        }
        // "disabled over 57,000 of the group's channels", "seven of the hackers'
        // domains": a partitive names its noun after "of" ("one of the 783 accounts" is
        // one item of a figure, not a figure).
        let partitive = found.is_none()
            && k == c.next
            && lower(toks, k) == "of"
            && c.value.is_some_and(|v| v >= 2);
        if partitive {
            found = (k + 1..(k + 6).min(toks.len()))
                .take_while(|&m| {
                    (toks[m].is_word() || matches!(toks[m].text, "'s" | "’s" | "'" | "’"))
                        && numbers::count_at(toks, m).is_none()
                })
                .find_map(|m| lexicon::object_at(toks, m).map(|(o, n)| (o, m, n)));
        }
        // "Of the accounts taken down, 74 were run from Peru", "Of those, 120 …": the
        // frame before the comma names what the figure counts, or refers back to it.
        if found.is_none()
            && k == c.next
            && let Some(frame) = part_frame(toks)
            && c.first == frame.comma + 1
            && c.value.is_some_and(|v| v >= 2)
        {
            out.push(Figure {
                value: c.value,
                qualifier: c.qualifier,
                object: frame.object.unwrap_or_default().to_string(),
                first: c.first,
                end: c.next,
                platform: frame.platform,
                origins: Vec::new(),
                elided: true,
                list_platform: None,
                part: true,
            });
            i = c.next;
            continue;
        }
        if found.is_none()
            && !copula
            && let Some(obj) = owners_object(toks, c.first)
        {
            out.push(owners_figure(toks, &c, obj, k));
            i = k.max(c.next);
            continue;
        }
        if found.is_none() {
            found = elided_object(toks, k);
            elided = found.is_some();
        }
        // "271 accounts from the UAE, and 1,019 in Ecuador": a later item of a list
        // elides the noun the item before it named.
        if found.is_none()
            && k == c.next
            && let Some(prev) = out.last()
            && let Some(item) = elided_after(toks, prev, &c)
        {
            out.push(item);
            i = c.next;
            continue;
        }
        let Some((mut obj, mut at, mut n)) = found else {
            i = c.next.max(i + 1);
            continue;
        };
        // A noun compound names its head last: "39 video channels" counts channels.
        let first_obj = obj;
        while let Some((head, m)) = lexicon::object_at(toks, at + n) {
            (obj, at, n) = (head, at + n, m);
        }
        let mut end = at + n;
        let mut object = obj.to_string();
        let mut adsense = false;
        // "1 ads account", "4 AdSense accounts", "an advertising account": accounts that
        // buy ads, which are Google's, not the video site's.
        if obj == "accounts" {
            let ads = first_obj == "ads" || (c.next..at).any(|m| lower(toks, m) == "ad");
            if ads {
                object = "ads accounts".to_string();
            } else if (c.next..at).any(|m| lower(toks, m) == "advertising") {
                object = "advertising accounts".to_string();
            } else if (c.next..at).any(|m| lower(toks, m) == "adsense") {
                object = "adsense accounts".to_string();
                adsense = true;
            }
        }
        // A list of objects under one figure: "783 pages, groups and accounts".
        let mut e = end;
        let mut compound = false;
        loop {
            let mut s = e;
            if lower(toks, s) == "," {
                s += 1;
            }
            if matches!(lower(toks, s), "and" | "or") {
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
            let span: Vec<&str> = toks[at..e].iter().map(|t| t.lower()).collect();
            object = span.join(" ").replace(" ,", ",");
            end = e;
        }
        // A figure followed by an audience verb counts followers or views; "engaged in"
        // (coordinated inauthentic behaviour) describes the removed items themselves.
        let audience = AUDIENCE_NOUNS.contains(&lower(toks, end))
            || (end..(end + 3).min(toks.len())).any(|x| {
                AUDIENCE_VERBS.contains(&lower(toks, x))
                    && !(lower(toks, x) == "engaged" && lower(toks, x + 1) == "in")
                    // "accounts thought to have come from …": an infinitive's
                    // auxiliary, not the accounts having an audience.
                    && !(matches!(lower(toks, x), "have" | "had") && lower(toks, x - 1) == "to")
                    // "one Group had been removed": the perfect's auxiliary.
                    && !(matches!(lower(toks, x), "have" | "had") && lower(toks, x + 1) == "been")
                    // "52 Pages, followed by 12 million people": the Pages' audience.
                    && lower(toks, x + 1) != "by"
                    && !describes_items(toks, end, x)
            });
        if audience {
            i = end;
            continue;
        }
        let mods = if copula || partitive { k + 1 } else { c.next }..if elided { k } else { at };
        let mut platform = mods
            .clone()
            .find_map(|m| lexicon::platform_at(toks, m).map(|(p, _)| p))
            .or(adsense.then_some("google"));
        if platform.is_none() && matches!(lower(toks, end), "on" | "from" | "by") {
            // "9 accounts by Meta-owned Instagram": the owned platform, not its owner.
            let at = if lower(toks, end + 1).ends_with("-owned") {
                end + 2
            } else {
                end + 1
            };
            platform = lexicon::platform_at(toks, at).map(|(p, _)| p);
        }
        let mut origins: Vec<&'static str> = mods
            .clone()
            .filter_map(|m| lexicon::country_at(toks, m).filter(|h| !places::hosted(toks, m, h)))
            .filter(|h| h.kind != lexicon::CountryKind::Capital || h.suffix.is_some())
            .map(|h| h.code)
            .collect();
        if origins.is_empty()
            && let Some(code) = country_before_parenthesis(toks, c.first)
        {
            origins.push(code);
        }
        // An elided noun's figure ends before the next figure, which is read in turn.
        let end = if elided { c.next.max(k) } else { end };
        out.push(Figure {
            value: c.value,
            qualifier: c.qualifier,
            object,
            first: c.first,
            end,
            platform,
            origins,
            elided,
            list_platform: None,
            part: partitive && definite_part(toks, k + 1),
        });
        i = end;
    }
    inherit_list_platforms(toks, &mut out);
    out
}

/// A hedge before the first of two counts joined by "and" governs both: "more than 700
/// videos and 90 channels" is more than 90 channels too. A longer list, or a second count
/// with its own hedge, keeps its own.
fn share_hedge(toks: &[Token<'_>], figs: &mut [Figure]) {
    for k in 1..figs.len() {
        let (a, b) = (&figs[k - 1], &figs[k]);
        let joined = |x: &Figure, y: &Figure| {
            y.first == x.end + 1 && matches!(lower(toks, x.end), "and" | ",")
        };
        let pair = b.first == a.end + 1
            && lower(toks, a.end) == "and"
            && (k < 2 || !joined(&figs[k - 2], a))
            && figs.get(k + 1).is_none_or(|c| !joined(b, c));
        if pair
            && a.value.is_some()
            && b.value.is_some()
            && !matches!(a.qualifier, Qualifier::Exact | Qualifier::Vague)
            && b.qualifier == Qualifier::Exact
        {
            figs[k].qualifier = figs[k - 1].qualifier;
        }
    }
}

/// "21 accounts, 9 Pages, a Group and 12 Instagram accounts": an article before a
/// singular noun, as an item of a list of figures, counts one.
fn list_article(toks: &[Token<'_>], out: &[Figure], i: usize) -> Option<numbers::Count> {
    if !matches!(lower(toks, i), "a" | "an") || i < 2 || !matches!(lower(toks, i - 1), "," | "and")
    {
        return None;
    }
    let after_figure = out
        .last()
        .is_some_and(|f| f.value.is_some() && f.end + 2 >= i && f.end < i);
    let noun = lexicon::object_at(toks, i + 1)
        .is_some_and(|(o, _)| is_item(o) && !toks[i + 1].text.ends_with('s'));
    (after_figure && noun).then_some(numbers::Count {
        value: Some(1),
        qualifier: Qualifier::Exact,
        first: i,
        next: i + 1,
    })
}

/// "suspended the accounts of some 40 state bodies": a figure that counts owners, one
/// account each, after "the <items> of"; the items' canonical name.
fn owners_object(toks: &[Token<'_>], first: usize) -> Option<&'static str> {
    if first < 3 || lower(toks, first - 1) != "of" || lower(toks, first - 3) != "the" {
        return None;
    }
    let (obj, n) = lexicon::object_at(toks, first - 2)?;
    (n == 1 && is_item(obj) && toks[first - 2].text.ends_with('s')).then_some(obj)
}

/// "Pro-government networks lost 41 channels in the sweep": what the accounts' owners
/// lost, in a story that has told a takedown, the platform removed. A platform that
/// "lost" items ("Twitter lost 2 million accounts") lost users, not a network.
fn lost_items(toks: &[Token<'_>], plats: &[(usize, usize, &'static str)], figs: &[Figure]) -> bool {
    figs.iter().any(|f| {
        f.first >= 2
            && matches!(lower(toks, f.first - 1), "lost" | "loses" | "lose")
            && !plats
                .iter()
                .any(|(p, n, _)| p + n < f.first && f.first - 1 - (p + n) <= 3)
    })
}

/// A partitive frame opening a sentence ("Of the accounts taken down, …", "Out of
/// these, …", "Among them, …"): the sentence goes on to count part of what the frame
/// names, or of what the story counted before when it names nothing.
struct PartFrame {
    /// Token index of the comma that ends the frame.
    comma: usize,
    /// The object the frame names, if any.
    object: Option<&'static str>,
    /// The platform among the frame's words ("Of the Instagram accounts, …").
    platform: Option<&'static str>,
}

/// The partitive frame the sentence opens with, if any.
fn part_frame(toks: &[Token<'_>]) -> Option<PartFrame> {
    let start = match (lower(toks, 0), lower(toks, 1)) {
        ("of" | "among" | "amongst", _) => 1,
        ("out", "of") => 2,
        _ => return None,
    };
    if !matches!(
        lower(toks, start),
        "the" | "these" | "those" | "them" | "this" | "all"
    ) {
        return None;
    }
    let comma = (start + 1..(start + 10).min(toks.len())).find(|&k| toks[k].text == ",")?;
    // A frame is a noun phrase, perhaps with a participle ("taken down", "it removed"):
    // no other punctuation inside it.
    if (start..comma).any(|k| !toks[k].is_word() && numbers::count_at(toks, k).is_none()) {
        return None;
    }
    let mut object = None;
    let mut m = start + 1;
    while m < comma {
        if let Some((o, n)) = lexicon::object_at(toks, m) {
            object = Some(o);
            m += n;
        } else if object.is_some() {
            break;
        } else {
            m += 1;
        }
    }
    let platform = (start + 1..comma).find_map(|m| lexicon::platform_at(toks, m).map(|(p, _)| p));
    Some(PartFrame {
        comma,
        object,
        platform,
    })
}

/// "Of the 250 accounts removed, 74 …": the end (comma) of the frame when a part is
/// counted after it, so that the figures before it are the whole, told before; else 0.
/// ("Of the 900,000 videos we suspended, over 65% had …" states the whole, with no part
/// counted.)
fn whole_in_frame(toks: &[Token<'_>], figs: &[Figure]) -> usize {
    if !figs.iter().any(|f| f.part) {
        return 0;
    }
    part_frame(toks)
        .filter(|fr| figs.iter().any(|f| f.part && f.first > fr.comma))
        .map_or(0, |fr| fr.comma)
}

/// Whether the words after a partitive's "of" (at `k`) name items already counted:
/// "74 of the removed accounts", "nearly 700 of those Pages", not a possessor's
/// items ("57,000 of the group's channels", "seven of the hackers' domains").
fn definite_part(toks: &[Token<'_>], k: usize) -> bool {
    matches!(lower(toks, k), "the" | "these" | "those")
        && (k + 1..(k + 5).min(toks.len()))
            .take_while(|&m| toks[m].is_word() || matches!(toks[m].text, "'s" | "’s" | "'" | "’"))
            .all(|m| {
                !matches!(toks[m].text, "'s" | "’s" | "'" | "’") && !toks[m].text.ends_with("s'")
            })
}

/// The figure of owners' items: its countries and platform are among the words that
/// describe the owners ("40 Venezuelan institutions"), up to `stop`.
fn owners_figure(toks: &[Token<'_>], c: &numbers::Count, obj: &'static str, stop: usize) -> Figure {
    let words = c.next..stop.max(c.next);
    Figure {
        value: c.value,
        qualifier: c.qualifier,
        object: obj.to_string(),
        first: c.first,
        end: words.end,
        platform: words
            .clone()
            .find_map(|m| lexicon::platform_at(toks, m).map(|(p, _)| p)),
        origins: words
            .filter_map(|m| lexicon::country_at(toks, m))
            .filter(|h| h.kind != lexicon::CountryKind::Capital || h.suffix.is_some())
            .map(|h| h.code)
            .collect(),
        elided: false,
        list_platform: None,
        part: false,
    }
}

/// Whether the country at token `p` belongs to another item of a list of figures than
/// the one at `at`: in "310 accounts from Chad and Mali, and 1,240 in Peru" each
/// figure has its own countries. A country after a later figure is that figure's when
/// ours has countries of its own; one between the figure before and ours is the earlier
/// figure's when ours has its own after it. A list that names its countries once ("312
/// Facebook and 48 Instagram accounts from Peru") shares them.
fn another_items(figs: &[Figure], origins: &[(usize, &'static str)], at: usize, p: usize) -> bool {
    let next = figs.iter().map(|f| f.first).filter(|&g| g > at).min();
    let upto = next.unwrap_or(usize::MAX);
    let own_before_next = origins.iter().any(|(q, _)| *q >= at && *q < upto);
    let own_after = origins.iter().any(|(q, _)| *q >= at);
    let first_end = figs.iter().filter(|f| f.end <= at).map(|f| f.end).min();
    let after_next = next.is_some_and(|g| p > g) && own_before_next;
    let after_prev = first_end.is_some_and(|e| p >= e && p < at) && own_after;
    // "4 accounts tied to Laos, 130 linked to Peru, and 33 that …": when two earlier
    // items each name their own country, the list gives countries item by item, and an
    // item that names none takes none of theirs.
    let mut starts: Vec<usize> = figs.iter().map(|f| f.first).filter(|&g| g < at).collect();
    starts.sort_unstable();
    let mut own: Vec<&'static str> = Vec::new();
    let mut with_own = 0;
    for (k, &g) in starts.iter().enumerate() {
        let stop = starts.get(k + 1).copied().unwrap_or(at);
        let theirs: Vec<&'static str> = origins
            .iter()
            .filter(|(q, _)| *q > g && *q < stop)
            .map(|o| o.1)
            .collect();
        if !theirs.is_empty() {
            with_own += 1;
        }
        for c in theirs {
            if !own.contains(&c) {
                own.push(c);
            }
        }
    }
    // Items that all name the same country ("2,040 channels linked to Laos, 1,310
    // Laotian channels, 880 channels") share it.
    let item_by_item = with_own >= 2 && own.len() >= 2 && p < at && !own_after;
    after_next || after_prev || item_by_item
}

/// Whether token `p` stands in a relative clause set off by commas (", which … ,",
/// ", who … ,"), which describes the noun before it. Looks back at most twenty tokens.
fn comma_clause(toks: &[Token<'_>], p: usize) -> bool {
    let open = (p.saturating_sub(20)..p)
        .rev()
        .find(|&k| matches!(toks[k].text, "," | ";" | ":" | "(" | ")"));
    let relative = open.is_some_and(|c| {
        toks[c].text == "," && matches!(lower(toks, c + 1), "which" | "who" | "whose")
    });
    relative && toks[p..].iter().take(20).any(|t| t.text == ",")
}

/// The country a parenthesised figure belongs to: "associated with Armenia (35
/// accounts), Russia (69 accounts) or Iran (238 accounts)".
fn country_before_parenthesis(toks: &[Token<'_>], first: usize) -> Option<&'static str> {
    if first < 2 || toks[first - 1].text != "(" {
        return None;
    }
    let close = first - 1;
    (close.saturating_sub(4)..close).find_map(|j| {
        lexicon::country_at(toks, j)
            .filter(|h| j + h.len == close && h.kind != lexicon::CountryKind::Capital)
            .map(|h| h.code)
    })
}

/// The object of a figure whose noun is elided: "443 Facebook and 125 Instagram
/// accounts", "271 from the UAE and 1,019 accounts in Ecuador" — the next figure of the
/// coordination, right after "and", "or" or a comma, names the noun for both.
/// Further items of the list may elide it too ("three Peruvian, four Chilean, and one
/// Bolivian channel"): the first item that names a noun names it for all before it.
fn elided_object(toks: &[Token<'_>], stop: usize) -> Option<(&'static str, usize, usize)> {
    elided_object_within(toks, stop, 3)
}

/// [`elided_object`], looking at most `items` list items ahead.
fn elided_object_within(
    toks: &[Token<'_>],
    stop: usize,
    items: usize,
) -> Option<(&'static str, usize, usize)> {
    let mut j = stop;
    if lower(toks, j) == "," {
        j += 1;
    }
    if matches!(lower(toks, j), "and" | "or" | "plus") {
        j += 1;
    }
    if j == stop {
        return None;
    }
    let next = numbers::count_at(toks, j)?;
    next.value?;
    let mut k = next.next;
    while k < (next.next + 5).min(toks.len())
        && toks[k].is_word()
        && numbers::count_at(toks, k).is_none_or(|x| x.value.is_none())
    {
        if let Some((o, n)) = lexicon::object_at(toks, k) {
            return Some((o, k, n));
        }
        k += 1;
    }
    (items > 1)
        .then(|| elided_object_within(toks, k, items - 1))
        .flatten()
}

/// A later item of a list whose noun is elided ("… 412 accounts from Qatar, and 1,380
/// in Bolivia", "140 to Chad, 60 to Peru and 25 to Laos"): it counts what the item
/// before it counted, when it is coordinated with it and only a place or a clause follows.
fn elided_after(toks: &[Token<'_>], prev: &Figure, c: &numbers::Count) -> Option<Figure> {
    c.value.filter(|_| prev.value.is_some())?;
    let joined = c.first >= 1
        && matches!(
            lower(toks, c.first - 1),
            "and" | "," | "or" | "plus" | "•" | "·"
        )
        && c.first - prev.end <= 12
        && c.first > prev.end;
    // "suspended 373 accounts on Tuesday: 238 to Iran, 100 to Russia": a colon that ends
    // the clause of a figure opens its breakdown.
    let breakdown = c.first > prev.end
        && !is_container(&prev.object)
        && toks[c.first - 1].text == ":"
        && c.first - prev.end <= 8
        && toks[prev.end..c.first - 1].iter().all(|t| t.is_word());
    let joined = joined || breakdown || rises_to(toks, prev, c);
    let then = lower(toks, c.next);
    let place_or_clause = matches!(
        then,
        "in" | "from" | "to" | "on" | "targeting" | "that" | "which" | "," | "." | ";" | ""
    );
    // A year or a day of a month is no item ("in 2019 and 2020", "May 3 and 4"); a bullet
    // after a month ("… in October • 1,217 in September") opens the next item.
    let bullet = c.first >= 2 && matches!(lower(toks, c.first - 1), "•" | "·");
    let day_number = c.first >= 2 && toks[c.first - 2].text.chars().all(|ch| ch.is_ascii_digit());
    let day = !breakdown
        && (!bullet || day_number)
        && (prev.end..c.first).any(|k| is_date_word(lower(toks, k)));
    let text = toks[c.first].text;
    (joined && place_or_clause && !day && !looks_like_year(text)).then(|| Figure {
        value: c.value,
        qualifier: c.qualifier,
        object: prev.object.clone(),
        first: c.first,
        end: c.next,
        platform: None,
        origins: attributed_item(toks, c.next).into_iter().collect(),
        elided: true,
        list_platform: prev.platform.or(prev.list_platform),
        part: prev.part,
    })
}

/// The country an elided list item is attributed to: "238 to Iran" in a breakdown of
/// removed accounts counts the ones attributed to Iran (a place the item is "in" or
/// "from" is read as any place is).
fn attributed_item(toks: &[Token<'_>], next: usize) -> Option<&'static str> {
    if lower(toks, next) != "to" {
        return None;
    }
    lexicon::country_at(toks, next + 1)
        .filter(|h| {
            matches!(
                h.kind,
                lexicon::CountryKind::Name | lexicon::CountryKind::Ambiguous
            )
        })
        .map(|h| h.code)
}

/// Verbs of rising before "to" and a figure (see [`rises_to`]).
static RISE_VERBS: LazyLock<Vec<&'static str>> = LazyLock::new(|| words::list(SCAN, "rise_verbs"));

/// "removed 500 channels, and increased to 650 the next year": a count the verb right
/// after the figure raises it to, with nothing else between, counts the same items.
fn rises_to(toks: &[Token<'_>], prev: &Figure, c: &numbers::Count) -> bool {
    c.first >= prev.end + 3
        && lower(toks, c.first - 1) == "to"
        && RISE_VERBS.contains(&lower(toks, c.first - 2))
        && (prev.end..c.first - 2).all(|k| matches!(lower(toks, k), "," | "and" | "then"))
}

/// In a list of figures ("39 Facebook accounts, 16 Pages, two Groups and 26 accounts on
/// Instagram") an item that names no platform is the platform of the item before it, when
/// the sentence has no subject to say otherwise ("We terminated 16 YouTube channels and
/// one advertising account": Google's, not YouTube's).
fn inherit_list_platforms(toks: &[Token<'_>], figs: &mut [Figure]) {
    for k in 1..figs.len() {
        let (before, rest) = figs.split_at_mut(k);
        let prev = &before[k - 1];
        let cur = &mut rest[0];
        let joined = (prev.end..cur.first)
            .all(|x| matches!(lower(toks, x), "," | "and" | "as" | "well" | "plus" | "or"));
        if cur.platform.is_none() && joined && cur.first >= prev.end {
            cur.list_platform = prev.platform.or(prev.list_platform);
        }
    }
}

/// The origin of a story about one operation: the one country its headline or lede (the
/// first two sentences) attributes it to, when no sentence names another. A story that
/// only mentions a country further down is not about it.
fn single_origin(title: Option<&str>, readings: &[Reading<'_>]) -> Option<&'static str> {
    let from_title = title
        .map(|t| places::roles(&text::tokens(t)).origins)
        .unwrap_or_default();
    let mut all: Vec<&'static str> = from_title.clone();
    // A country in passing ("hugely popular in Russia") is no attribution.
    // Nor is where a part of the figure came from ("Of those, 120 were run from …").
    let attributes = |r: &Reading<'_>| (r.places.strong || !r.figs.is_empty()) && !r.parts_only;
    for r in readings.iter().filter(|r| attributes(r)) {
        all.extend(r.places.origins.iter().copied());
    }
    all.sort_unstable();
    all.dedup();
    let [one] = all.as_slice() else {
        return None;
    };
    // "…, when the company faced questions over Russian operatives": a clause telling
    // when something else happened is background, not what the story is about.
    let in_lede = from_title.contains(one)
        || readings.iter().take(2).any(|r| {
            let mut at = r
                .places
                .origin_at
                .iter()
                .filter(|(_, c)| c == one)
                .peekable();
            // A heading's countries have no position: they stand as the heading's.
            let heading = at.peek().is_none();
            attributes(r)
                && r.places.origins.contains(one)
                && (heading || at.any(|(p, _)| !time_clause(&r.toks, *p)))
        });
    in_lede.then_some(*one)
}

/// Whether token `p` follows a comma and a conjunction of time or cause in its
/// sentence ("…, when …", "…, after …"): a clause about another event.
fn time_clause(toks: &[Token<'_>], p: usize) -> bool {
    (1..p).any(|k| {
        toks[k - 1].text == ","
            && matches!(
                lower(toks, k),
                "when" | "after" | "before" | "while" | "since" | "as" | "amid" | "because"
            )
    })
}

/// A photo caption left in the text, known by its credit ("… (AFP Photo/J. Doe)",
/// "PHOTO: Reuters/…", "… (Getty Images)"): it restates or illustrates, it reports nothing.
fn is_caption(text: &str) -> bool {
    let t = text.trim();
    let credit = |s: &str| {
        s.contains("photo") || s.contains("getty") || s.contains("image") || s.contains("credit")
    };
    // Only the opening words and the last parenthesis are lowered: this runs on every
    // sentence.
    let head: String = t.chars().take(12).collect::<String>().to_lowercase();
    if head.starts_with("photo:") || head.starts_with("photo credit") || head.starts_with("image:")
    {
        return true;
    }
    // The credit may be cut by the sentence splitter at an initial ("(AFP Photo/J.").
    t.rfind('(').is_some_and(|o| {
        let rest = t[o..].to_lowercase();
        credit(&rest) && rest.len() < 80 && (rest.ends_with(')') || !rest.contains(')'))
    })
}

/// A line that points at another story ("SEE: Microsoft seizes 99 websites", "READ
/// MORE: …", "Related: …"): its figures are that story's headline, not this one's.
fn is_related_link(toks: &[Token<'_>]) -> bool {
    // A long sentence is a link line run together with the text after it: read it.
    if toks.iter().filter(|t| t.is_word()).count() > 25 {
        return false;
    }
    let head: Vec<&str> = toks.iter().take(4).map(|t| t.text).collect();
    let colon = head.iter().position(|t| *t == ":");
    let Some(colon) = colon else {
        return false;
    };
    let label = head[..colon].join(" ").to_lowercase();
    text::LINK_LABELS.contains(&label.as_str())
}

/// The targets a labelled item's next two sentences state ("Chile: We removed 40
/// accounts. This network originated in Chile and targeted Peru."), up to the next item.
fn item_targets(readings: &[Reading<'_>], si: usize) -> Vec<&'static str> {
    let mut out = Vec::new();
    for r in readings.iter().skip(si + 1).take(2) {
        if country_label(&r.toks).is_some() {
            break;
        }
        for t in &r.places.targets {
            if !out.contains(t) {
                out.push(*t);
            }
        }
    }
    out
}

/// A sentence headed by a country label ("Moldova: We removed…", "1. United States: …"),
/// as platform reports list their networks: the label is where its figures came from.
fn country_label(toks: &[Token<'_>]) -> Option<&'static str> {
    let mut i = 0;
    if toks
        .first()
        .is_some_and(|t| !t.text.is_empty() && t.text.bytes().all(|b| b.is_ascii_digit()))
    {
        i += 1;
        if matches!(lower(toks, i), "." | ")") {
            i += 1;
        }
    }
    while matches!(lower(toks, i), "-" | "•" | "*" | "–" | "—") {
        i += 1;
    }
    let h = lexicon::country_at(toks, i)?;
    (lower(toks, i + h.len) == ":").then_some(h.code)
}

/// The platform a sentence is about: the last one named before its first takedown or
/// reporting verb (not as an object modifier), or "by X" after a passive verb.
fn subject_platform(
    toks: &[Token<'_>],
    plats: &[(usize, usize, &'static str)],
    verbs: &[(usize, usize, &'static str)],
    figs: &[Figure],
) -> Option<&'static str> {
    let pivot = pivot(toks, verbs)?;
    let in_figure = |i: usize| figs.iter().any(|f| (f.first..f.end).contains(&i));
    // A platform after a preposition ("on Facebook and Instagram", "a tip from
    // Twitter") is not the one acting.
    let mut governed = vec![false; plats.len()];
    for (k, (i, _, _)) in plats.iter().enumerate() {
        let mut prev = if *i > 0 { lower(toks, i - 1) } else { "" };
        // "by Meta-owned Instagram": the preposition before the owner's compound.
        if prev.ends_with("-owned") && *i > 1 {
            prev = lower(toks, i - 2);
        }
        governed[k] = matches!(
            prev,
            "on" | "from"
                | "by"
                | "owned"
                | "with"
                | "to"
                | "across"
                | "like"
                | "than"
                | "via"
                | "at"
                | "about"
                | "of"
                | "over"
        ) || (matches!(prev, "and" | "or") && k > 0 && governed[k - 1]);
    }
    let before = plats
        .iter()
        .zip(&governed)
        .filter(|((i, _, _), g)| *i < pivot && !in_figure(*i) && !**g)
        .rfind(|((i, n, _), _)| lexicon::object_at(toks, i + n).is_none())
        .map(|(p, _)| p.2);
    before.or_else(|| {
        // Passive: "were removed by Facebook".
        verbs.iter().find_map(|(v, n, _)| {
            (lower(toks, v + n) == "by")
                .then(|| lexicon::platform_at(toks, v + n + 1).map(|(p, _)| p))
                .flatten()
        })
    })
}

/// Whether the word at `k` reports ("said", "announced"), not as a participle after a
/// document's noun: in "in its threat report released Wednesday, Meta confirmed …" the
/// participle describes the document and the subject comes later.
fn reports_at(toks: &[Token<'_>], k: usize) -> bool {
    REPORTING.contains(&lower(toks, k))
        && !(k > 0
            && matches!(
                lower(toks, k - 1),
                "report"
                    | "reports"
                    | "post"
                    | "statement"
                    | "update"
                    | "blog"
                    | "bulletin"
                    | "data"
                    | "findings"
                    | "paper"
                    | "document"
                    | "documents"
            ))
}

/// The first takedown or reporting verb of a sentence: its subject is named before it.
fn pivot(toks: &[Token<'_>], verbs: &[(usize, usize, &'static str)]) -> Option<usize> {
    let first_verb = verbs.first().map(|v| v.0);
    let first_report = (0..toks.len()).find(|&k| reports_at(toks, k));
    match (first_verb, first_report) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The subject of a later clause that states a figure: "Twitter deleted 2,000 accounts a
/// day after Meta disclosed that it had removed 600 Pages" gives the 600 to Meta. It is
/// the last platform named after the sentence's first verb and before the figure, as a
/// subject (not after a preposition, not a modifier of a noun), with a verb of its own
/// between it and the figure.
fn clause_subject(
    toks: &[Token<'_>],
    plats: &[(usize, usize, &'static str)],
    verbs: &[(usize, usize, &'static str)],
    figs: &[Figure],
    fig: &Figure,
) -> Option<&'static str> {
    let pivot = pivot(toks, verbs)?;
    let in_figure = |i: usize| figs.iter().any(|f| (f.first..f.end).contains(&i));
    let (i, n, p) = plats
        .iter()
        .rfind(|(i, _, _)| *i > pivot && *i < fig.first && !in_figure(*i))?;
    let own_verb =
        (i + n..fig.first).any(|k| reports_at(toks, k) || verbs.iter().any(|v| v.0 == k));
    let subject = !is_governed(toks, *i)
        && !matches!(lower(toks, i - 1), "and" | "or" | "by")
        && lexicon::object_at(toks, i + n).is_none();
    (own_verb && subject).then_some(*p)
}

/// Whether the platform at `i` follows a preposition ("a tip from Twitter").
fn is_governed(toks: &[Token<'_>], i: usize) -> bool {
    if i == 0 {
        return false;
    }
    let prev = lower(toks, i - 1);
    let owner = prev == "by"
        && i > 1
        && matches!(
            lower(toks, i - 2),
            "owned" | "acquired" | "bought" | "founded"
        );
    owner
        || matches!(
            prev,
            "on" | "from"
                | "with"
                | "to"
                | "across"
                | "like"
                | "than"
                | "via"
                | "about"
                | "of"
                | "over"
        )
}

/// Whether a sentence speaks as the publishing platform ("we", "our").
fn first_person(toks: &[Token<'_>]) -> bool {
    toks.iter()
        .any(|t| matches!(t.lower(), "we" | "our" | "we've" | "we’ve" | "we're" | "us"))
}

/// The negated takedown of a sentence, if any: (verb base, platform, object).
fn negated_claim(
    toks: &[Token<'_>],
    plats: &[(usize, usize, &'static str)],
) -> Option<(&'static str, Option<&'static str>, String)> {
    for i in 0..toks.len() {
        let l = lower(toks, i);
        let (verb_at, base) = if NEGATION.contains(&l) || l.ends_with("n't") {
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
        // "the service has not been blocked even though …": a passive's object is its
        // subject, before it; what follows the verb is no object.
        if verb_at > 0 && matches!(lower(toks, verb_at - 1), "been" | "be" | "being") {
            continue;
        }
        // The object: the head noun of the phrase after the verb.
        let mut k = verb_at + 1;
        while matches!(lower(toks, k), "no" | "any" | "\"" | "“") {
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
            && (toks[k].is_word() || matches!(toks[k].text, "'" | "’"))
            && !matches!(
                lower(toks, k),
                "on" | "in"
                    | "from"
                    | "that"
                    | "which"
                    | "of"
                    | "by"
                    | "to"
                    | "for"
                    | "with"
                    | "between"
                    | "among"
                    | "about"
                    | "at"
                    | "targeting"
                    | "aimed"
            )
            && k - start < 7
        {
            k += 1;
        }
        if k == start {
            return None;
        }
        let mut h = k - 1;
        while h > start && !toks[h].is_word() {
            h -= 1;
        }
        let head = lower(toks, h);
        let object = match lexicon::object_at(toks, h) {
            Some((o, _)) => o.to_string(),
            None if matches!(
                head,
                "activity"
                    | "interference"
                    | "behavior"
                    | "behaviour"
                    | "content"
                    | "accounts"
                    | "operations"
                    | "campaigns"
                    | "evidence"
            ) =>
            {
                head.to_string()
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
    // A list item ("- Yemen") is an entry of a list, not a section heading.
    !s.starts_with("- ")
        && toks.iter().filter(|t| t.is_word()).count() <= 6
        && !s.trim_end().ends_with(['.', '?', '!', ':', '"', '”'])
}

/// The platform whose own post the article is, if it is one.
pub(crate) fn house_platform(article: &Article) -> Option<&'static str> {
    let host = article.site.as_deref().and_then(lexicon::platform_of_host);
    host.or_else(|| {
        article
            .site_name
            .as_deref()
            .and_then(lexicon::platform_of_name)
    })
}

/// What pass one learns about a sentence.
struct Reading<'a> {
    toks: Vec<Token<'a>>,
    places: Places,
    verbs: Vec<(usize, usize, &'static str)>,
    plats: Vec<(usize, usize, &'static str)>,
    figs: Vec<Figure>,
    explicit: Option<&'static str>,
    segment: usize,
    /// The sentence counts only parts of an earlier figure ("Of those, 120 …").
    parts_only: bool,
    /// Where the partitive frame of a sentence that counts a part after it ends (its
    /// comma), else 0: figures before it are the whole, told before.
    frame_end: usize,
}

/// A run of sentences about one network: the origins it states, for which platform
/// family, and every target any of its sentences names.
#[derive(Debug, Default, Clone)]
struct Segment {
    origins: Vec<&'static str>,
    /// The sentence that first stated them.
    origin_si: usize,
    /// That sentence speaks of a network or its accounts (so it may name the origin of
    /// figures given just before it).
    origin_network: bool,
    /// The family the origins were stated for; none when stated for several.
    origin_family: Option<&'static str>,
    /// Targets stated in the segment: (sentence, family stated for, targets, domestic).
    targets: Vec<(usize, Option<&'static str>, Vec<&'static str>, bool)>,
}

impl Segment {
    /// Targets a claim of `family` in sentence `si` takes from its segment: those stated
    /// before it, and later ones stated for the same family or within two sentences.
    fn targets_for(&self, si: usize, family: &str) -> (Vec<&'static str>, bool) {
        let mut out = Vec::new();
        let mut domestic = false;
        for (at, fam, ts, dom) in &self.targets {
            if *at <= si || fam.is_none_or(|f| f == family) || *at <= si + 2 {
                for t in ts {
                    if !out.contains(t) {
                        out.push(*t);
                    }
                }
                domestic |= *dom;
            }
        }
        (out, domestic)
    }
}

/// The family of the platform named nearest before token `at` (not after a preposition).
fn family_before(plats: &[(usize, usize, &'static str)], at: usize) -> Option<&'static str> {
    plats
        .iter()
        .rfind(|(i, _, _)| *i < at)
        .map(|p| lexicon::family(p.2))
}

/// A part whose frame names no noun ("Of those, 120 were operated from Bolivia") counts
/// what the figure of the sentence before it, or the one before that, counted; with no
/// such figure it is dropped.
fn resolve_parts(figs: &mut Vec<Figure>, before: &[Reading<'_>]) {
    if !figs.iter().any(|f| f.object.is_empty()) {
        return;
    }
    let antecedent = before.iter().rev().take(2).find_map(|r| {
        r.figs
            .iter()
            .rev()
            .find(|f| f.value.is_some() && !f.object.is_empty() && is_account_like(&f.object))
    });
    match antecedent.map(|f| f.object.clone()) {
        Some(object) => {
            for f in figs.iter_mut().filter(|f| f.object.is_empty()) {
                f.object.clone_from(&object);
            }
        }
        None => figs.retain(|f| !f.object.is_empty()),
    }
}

/// Pass one: read every sentence and cut the story into network segments. A sentence
/// that states other origins than the current segment's opens a new segment; one that
/// states none continues it (and a segment that had none yet adopts the first stated).
fn read<'a>(sentences: &[text::Sentence<'a>]) -> (Vec<Reading<'a>>, Vec<Segment>) {
    let mut readings = Vec::with_capacity(sentences.len());
    let mut segments = vec![Segment::default()];
    let mut ctx_platform: Option<&'static str> = None;
    for s in sentences {
        let toks = text::tokens(s.text);
        let plats = platform_mentions(&toks);
        let verbs = verb_mentions(&toks);
        let mut figs = figures(&toks);
        share_hedge(&toks, &mut figs);
        resolve_parts(&mut figs, &readings);
        // Countries matter where something happens: a takedown verb, a figure, a
        // platform, words about a network, or a section heading.
        let worth_places = !verbs.is_empty()
            || !figs.is_empty()
            || !plats.is_empty()
            || is_heading(s.text, &toks)
            || toks.iter().any(|t| {
                let l = t.lower();
                l.starts_with("originat")
                    || l.starts_with("target")
                    || l.starts_with("aimed")
                    || l.starts_with("based")
                    || l.ends_with("-based")
                    || l.ends_with("-linked")
                    || l.starts_with("linked")
                    || l.starts_with("tied")
                    || l.starts_with("attribut")
                    || l.starts_with("network")
                    || l.starts_with("operat")
                    || l.starts_with("campaign")
                    || l == "domestic"
                    || l == "active"
            });
        let mut places = if worth_places {
            places::roles(&toks)
        } else {
            Places::default()
        };
        let heading = is_heading(s.text, &toks) && verbs.is_empty();
        if places.origins.is_empty() && heading {
            // A section heading that names countries opens that network's section.
            for i in 0..toks.len() {
                if let Some(h) = lexicon::country_at(&toks, i)
                    && h.kind != lexicon::CountryKind::Ambiguous
                    && !places.origins.contains(&h.code)
                {
                    places.origins.push(h.code);
                }
            }
        }
        let explicit = subject_platform(&toks, &plats, &verbs, &figs);
        if explicit.is_some() {
            ctx_platform = explicit;
        }
        let network_words = toks.iter().any(|t| {
            // "The network's activity was aimed at …": a possessive is still the network.
            let l = t.lower();
            let l = l
                .strip_suffix("'s")
                .or_else(|| l.strip_suffix("’s"))
                .unwrap_or(l);
            l.starts_with("originat")
                || l.starts_with("target")
                || l.starts_with("aimed")
                || matches!(
                    l,
                    "network"
                        | "networks"
                        | "operation"
                        | "operations"
                        | "campaign"
                        | "accounts"
                        | "actor"
                        | "actors"
                        | "hackers"
                )
        });
        // "Facebook added that it found persons linked to Chinese authorities": an
        // attribution by its cue is about the network even with no network word.
        let relevant =
            !verbs.is_empty() || !figs.is_empty() || network_words || heading || places.cued;
        let seg = segments.len() - 1;
        // Only an attribution opens or names a segment: "originated in Iran", a
        // takedown figure's own "in Iran", a section heading; not any country in passing.
        let about_network = heading
            || !figs.is_empty()
            || toks.iter().any(|t| {
                matches!(
                    t.lower(),
                    "network"
                        | "networks"
                        | "operation"
                        | "operations"
                        | "campaign"
                        | "campaigns"
                        | "accounts"
                        | "pages"
                        | "activity"
                        | "actor"
                        | "actors"
                        | "hackers"
                        | "group"
                        | "groups"
                        | "it"
                        | "they"
                )
            });
        // Only an attribution of the network opens or names a segment: "originated in
        // Iran", a takedown figure's own "in Iran", a section heading; not a country met
        // in passing ("the Swiss embassy in Beijing said").
        // "Of those, 120 were run from Bolivia": where a part came from is not where the
        // whole did, so a sentence that counts only parts names no network's origin.
        let frame_end = whole_in_frame(&toks, &figs);
        let parts_only =
            figs.iter().any(|f| f.part) && figs.iter().all(|f| f.part || f.first < frame_end);
        let defining = about_network
            && !parts_only
            && (places.strong || heading || (!verbs.is_empty() && !figs.is_empty()));
        if relevant && defining && !places.origins.is_empty() {
            let cur = &segments[seg];
            let same = !cur.origins.is_empty() && {
                let mut a = cur.origins.clone();
                let mut b = places.origins.clone();
                a.sort();
                b.sort();
                a == b
            };
            let first_origin = places.origin_at.first().map_or(0, |o| o.0);
            let family = if heading {
                None
            } else {
                family_before(&plats, first_origin)
                    .or_else(|| explicit.or(ctx_platform).map(lexicon::family))
            };

            if cur.origins.is_empty() {
                let si = readings.len();
                let c = &mut segments[seg];
                c.origins = places.origins.clone();
                c.origin_si = si;
                c.origin_network = about_network;
                c.origin_family = family;
            } else if same {
                if segments[seg].origin_family != family {
                    segments[seg].origin_family = None;
                }
            } else {
                segments.push(Segment {
                    origins: places.origins.clone(),
                    origin_si: readings.len(),
                    origin_network: about_network,
                    origin_family: family,
                    ..Segment::default()
                });
            }
        }
        let seg = segments.len() - 1;
        // "The network posted about China" in a section on a Chinese network: a topic.
        let origins = &segments[seg].origins;
        places
            .targets
            .retain(|t| !(places.about.contains(t) && origins.contains(t)));
        if relevant && (!places.targets.is_empty() || places.domestic) {
            let fam = explicit.or(ctx_platform).map(lexicon::family);
            let si = readings.len();
            segments[seg]
                .targets
                .push((si, fam, places.targets.clone(), places.domestic));
        }
        readings.push(Reading {
            toks,
            places,
            verbs,
            plats,
            figs,
            explicit,
            segment: seg,
            parts_only,
            frame_end,
        });
    }
    (readings, segments)
}

/// The network a figure's next sentence attributes, when that sentence opens a new one
/// and describes rather than reports: "We terminated 4 channels as part of an operation.
/// The campaign was linked to a firm based in Peru." The origin an earlier network was
/// given is not this figure's.
fn next_sentence_origin<'s>(
    readings: &[Reading<'_>],
    segments: &'s [Segment],
    si: usize,
) -> Option<&'s Segment> {
    let (here, next) = (readings.get(si)?, readings.get(si + 1)?);
    let seg = segments.get(next.segment)?;
    let another = next.toks.iter().any(|t| {
        matches!(
            t.lower(),
            "separate" | "another" | "other" | "also" | "second" | "unrelated"
        )
    });
    let opens = next.segment != here.segment && seg.origin_si == si + 1 && seg.origin_network;
    (opens
        && here.places.origins.is_empty()
        && !here.figs.is_empty()
        && next.figs.is_empty()
        && next.places.cued
        && !another)
        .then_some(seg)
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
        // A team byline ("Twitter Safety", "Meta Newsroom") is no person.
        let team = |a: &str| {
            a.split_whitespace().any(|w| {
                lexicon::platform_of_name(w).is_some()
                    || matches!(
                        w.to_lowercase().as_str(),
                        "team"
                            | "safety"
                            | "security"
                            | "staff"
                            | "newsroom"
                            | "editorial"
                            | "integrity"
                            | "trust"
                            | "policy"
                            | "communications"
                            | "blog"
                    )
            })
        };
        for a in article.authors.iter().filter(|a| !team(a)) {
            spokes.push(Spokesperson {
                name: a.clone(),
                title: String::new(),
                org: h.to_string(),
            });
        }
    }
    let mut claims: Vec<Claim> = Vec::new();
    // Vague takedowns whose sentence names no place ("Twitch banned several channels").
    let mut unplaced: Vec<Claim> = Vec::new();
    // Vague takedowns told in a form that often restates a counted one ("announced the
    // suspension of accounts", "the accounts of numerous officials").
    let mut restated: Vec<Claim> = Vec::new();
    // Counts of operations a platform's report details, kept if the story tells a
    // takedown of that platform.
    let mut outlined: Vec<Claim> = Vec::new();
    // Figures of sentences with no takedown, with the sentence they were read in.
    let mut pending: Vec<(usize, Claim)> = Vec::new();
    // The table the story is in, once a header names what its rows count.
    let mut table: Option<Table> = None;
    if !lexicon::may_hold_claims(&article.body, house.is_some()) {
        return (claims, spokes);
    }
    let sentences = text::sentences(&article.body);
    let (readings, segments) = read(&sentences);
    let story_origin = single_origin(article.title.as_deref(), &readings);
    let headlines: Vec<usize> = sentences
        .iter()
        .enumerate()
        .filter(|(si, s)| is_headline(*si, s.text, article.title.as_deref()))
        .map(|(_, s)| s.start)
        .collect();
    if std::env::var_os("TAKEDOWNS_DEBUG_SEGMENTS").is_some() {
        for (r, s) in readings.iter().zip(&sentences) {
            eprintln!(
                "[seg {}] o={:?} t={:?} :: {}",
                r.segment,
                r.places.origins,
                r.places.targets,
                s.text.chars().take(100).collect::<String>()
            );
        }
        for (k, s) in segments.iter().enumerate() {
            eprintln!("segment {k}: {s:?}");
        }
    }
    for (si, (s, r)) in sentences.iter().zip(&readings).enumerate() {
        let toks = &r.toks;
        if is_related_link(toks) || is_caption(s.text) {
            continue;
        }
        let (plats, verbs, figs, places) = (&r.plats, &r.verbs, &r.figs, &r.places);
        let segment = &segments[r.segment];
        let next_origin = next_sentence_origin(&readings, &segments, si);
        // "Since 2017 it has removed more than 200 networks": a total over time spans every
        // network, so it takes no origin from the one the story is about.
        let background = is_background(toks);
        // "In a separate post, …", "Separately, …": the sentence opens another matter
        // than the network named before, so it takes none of its countries. ("A separate
        // network of 65 accounts" is often the story's next network, whose origin the
        // sentences after it give.)
        let separate = lower(toks, 0) == "separately"
            || lower(toks, 0) == "in"
                && matches!(lower(toks, 1), "a" | "an")
                && matches!(lower(toks, 2), "separate" | "unrelated");
        let when = if toks.iter().any(|t| is_date_word(t.lower())) {
            when::when(toks, page, ctx.date)
        } else {
            When::Unsaid
        };
        let explicit = r.explicit;
        let label = country_label(toks);
        // The platform is named in the sentence (or speaks in it, in its own post).
        let platform_here = explicit.is_some() || (house.is_some() && first_person(toks));
        let subject = explicit.or_else(|| {
            if first_person(toks) {
                house.or(ctx.platform)
            } else {
                ctx.platform
            }
        });
        let quotes = toks.iter().any(|t| people::is_speech(t.lower()));
        for p in people::in_sentence(toks, subject)
            .into_iter()
            .filter(|_| quotes)
        {
            if !spokes.iter().any(|x| x.name == p.name) {
                spokes.push(p);
            }
        }
        let action = verbs.first().map(|v| v.2);
        let negation = negated_claim(toks, plats);
        let relevant =
            !verbs.is_empty() || !figs.is_empty() || explicit.is_some() || !plats.is_empty();
        let date = match when {
            When::Day(d) => Some(d),
            When::Vague => None,
            When::Unsaid => ctx.date,
        };
        // The sentence's own places, else its segment's (origins only for the platform
        // family they were stated for).
        // A country belongs to the platform named nearest before it: "210 YouTube
        // channels …, days after Twitter and Facebook acted against accounts they traced
        // to mainland China" gives the channels no origin.
        let places_for = |platform: &str,
                          at: usize,
                          after: usize|
         -> (Vec<&'static str>, Vec<&'static str>, bool) {
            let fam = lexicon::family(platform);
            let own: Vec<&'static str> = places
                .origin_at
                .iter()
                .filter(|(p, _)| !another_items(figs, &places.origin_at, at, *p))
                .filter(|(p, _)| {
                    let (lo, hi) = if *p < at { (*p, at) } else { (at, *p) };
                    let other_company = plats.iter().any(|(q, _, pl)| {
                        *q > lo && *q < hi && lexicon::family(pl) != fam && !is_governed(toks, *q)
                    });
                    // A place after a subordinate clause opens ("…, after the arrest of
                    // its founder in France") is about something else, unless attributed.
                    let weak = *p > 0 && matches!(lower(toks, p - 1), "in" | "from");
                    let clause = *p > at
                        && (after.min(*p)..*p).any(|q| {
                            matches!(
                                lower(toks, q),
                                "after"
                                    | "before"
                                    | "while"
                                    | "when"
                                    | "because"
                                    | "since"
                                    | "although"
                                    | "though"
                                    | "whereas"
                                    | "amid"
                                    | "as"
                                    | "than"
                            ) && !(lower(toks, q) == "as"
                                && matches!(lower(toks, q + 1), "part" | "well"))
                        });
                    // "Despite X not being blocked in Laos, the site removed …": a place
                    // in an opening subordinate clause locates that clause's event.
                    // The clause opens the sentence, or follows a label ("In brief: …").
                    let start = (1..4.min(toks.len()))
                        .find(|&q| toks[q].text == ":")
                        .map_or(0, |q| q + 1);
                    let opener = lower(toks, start);
                    let leading = *p < at
                        && matches!(
                            opener,
                            "despite"
                                | "although"
                                | "though"
                                | "while"
                                | "whereas"
                                | "when"
                                | "after"
                                | "before"
                                | "amid"
                                | "as"
                        )
                        && !(opener == "as" && matches!(lower(toks, start + 1), "part" | "well"))
                        && (*p..at).any(|q| toks[q].text == ",");
                    // "TikTok, which is under fire in the US, removed 16 accounts based in
                    // China": the comma clause describes its own noun; the figure's country
                    // is the one named outside it.
                    let aside = *p < at
                        && comma_clause(toks, *p)
                        && places
                            .origin_at
                            .iter()
                            .any(|(q, _)| !comma_clause(toks, *q));
                    !(other_company || aside || weak && (clause || leading))
                })
                .map(|o| o.1)
                .fold(Vec::new(), |mut v, c| {
                    if !v.contains(&c) {
                        v.push(c);
                    }
                    v
                });
            let origins = if let Some(c) = label {
                vec![c]
            } else if !places.origins.is_empty() {
                own
            } else if places.domestic && !places.targets.is_empty() {
                // "targeted domestic audiences in Turkey": run from Turkey.
                places.targets.clone()
            } else if background || separate {
                Vec::new()
            } else if let Some(next) =
                next_origin.filter(|n| n.origin_family.is_none_or(|f| f == fam))
            {
                next.origins.clone()
            } else if !segment.origins.is_empty()
                && segment.origin_family.is_none_or(|f| f == fam)
                && (segment.origin_si <= si
                    || (segment.origin_si <= si + 2 && segment.origin_network))
            {
                // Stated before, or in the next two sentences ("We removed … The network
                // originated in China"), not from background further on.
                segment.origins.clone()
            } else {
                // A story about one operation names its origin once, in the headline
                // or a sentence of its own; the figure still belongs to it.
                story_origin.into_iter().collect()
            };
            // A labelled item ("Moldova: …") is a network of its own: only its own targets,
            // stated in it or in the sentences that describe it before the next item.
            // "targeted domestic audiences": its own country is the audience, not the
            // ones other networks of the segment targeted.
            let (targets, seg_domestic) = if !places.targets.is_empty() || places.domestic {
                (places.targets.clone(), false)
            } else if label.is_some() {
                (item_targets(&readings, si), false)
            } else {
                segment.targets_for(si, fam)
            };
            let domestic = places.domestic || seg_domestic;
            (origins, targets, domestic)
        };
        let mut made = 0usize;
        // Figures become claims when the sentence reports a takedown.
        // Without a verb of its own, a sentence describing what a removed network was made
        // of ("The network was made up of 289 Pages and 75 accounts", "The biggest set is
        // 238 accounts operating from Iran") states a takedown figure, once the story has
        // reported a takedown.
        let verbless_ok = verbs.is_empty()
            && ctx.action.is_some()
            && figs
                .iter()
                .any(|f| f.value.is_some() && is_account_like(&f.object))
            && (composition(toks, figs, places)
                || figs.iter().any(|f| f.part)
                || lost_items(toks, plats, figs));
        let frame_end = r.frame_end;
        let negated_verb = negation
            .as_ref()
            .is_some_and(|(b, _, _)| lexicon_base_is_takedown(b));
        // "the largest of five networks": a partitive count of networks is context.
        // "the takedown of three operations" is no partitive: the "of" is the noun's.
        let partitive = |f: &Figure| {
            f.first > 0
                && !verbs
                    .iter()
                    .any(|v| v.0 + v.1 + 1 == f.first && nominal(toks, v.0))
                && matches!(
                    lower(toks, f.first - 1),
                    "of" | "the"
                        | "these"
                        | "those"
                        | "all"
                        | "in"
                        | "across"
                        | "from"
                        | "into"
                        | "among"
                )
        };
        // "Facebook found 470 accounts tied to Russia. It has since closed those
        // accounts": a figure with no takedown of its own waits for the next sentences
        // to remove what it counted.
        let deferred = verbs.is_empty()
            && !verbless_ok
            && negation.is_none()
            && figs
                .iter()
                .any(|f| f.value.is_some() && is_account_like(&f.object));
        if !verbs.is_empty() && figs.is_empty() && !negated_verb {
            made += take_back(&mut claims, &mut pending, toks, verbs[0].2);
        }
        pending.retain(|(at, _)| at + 2 >= si);
        if (!verbs.is_empty() || verbless_ok || deferred) && !negated_verb {
            for f in figs {
                if f.value.is_none() && verbs.is_empty() {
                    continue;
                }
                if verbs.is_empty() && !is_account_like(&f.object) {
                    continue;
                }
                if is_container(&f.object) && (partitive(f) || !direct_verb(toks, verbs, f)) {
                    continue;
                }
                // "four networks of accounts … Russia (100 accounts), Iran (130 accounts)":
                // the count of networks whose accounts the sentence goes on to count.
                if is_container(&f.object)
                    && lower(toks, f.end) == "of"
                    && lexicon::object_at(toks, f.end + 1).is_some_and(|(o, _)| is_account_like(o))
                    && figs
                        .iter()
                        .any(|g| g.first > f.end && g.value.is_some() && is_account_like(&g.object))
                {
                    continue;
                }
                if refers_back(toks, f.first)
                    || is_rate(toks, f)
                    || asked_for(toks, f.first)
                    || f.first < frame_end
                {
                    continue;
                }
                // A heading's count of networks sums up the sections under it.
                if is_container(&f.object) && is_heading(s.text, toks) {
                    continue;
                }
                if f.value.is_none() && background {
                    continue;
                }
                // "Using 17 accounts, the network …" opens by saying what it was made of.
                let opening_using = f.first == 1 && lower(toks, 0) == "using";
                // "that made a total of around 14,000 posts": the verb before "a total of".
                let lead = if f.first >= 4
                    && lower(toks, f.first - 3) == "a"
                    && lower(toks, f.first - 2) == "total"
                    && lower(toks, f.first - 1) == "of"
                {
                    f.first - 3
                } else {
                    f.first
                };
                if lead > 0
                    && !opening_using
                    && (OTHER_VERBS.contains(&lower(toks, lead - 1))
                        || lower(toks, lead - 1) == "into"
                        || lower(toks, lead - 1) == "against")
                {
                    continue;
                }
                let subject = clause_subject(toks, plats, verbs, figs, f).or(subject);
                // "Meta and Twitter removed hundreds of accounts", "… said they have
                // dismantled two networks": a figure is each coordinated platform's.
                let coordinated = if f.platform.is_none() {
                    verbs
                        .first()
                        .map_or_else(Vec::new, |v| coordinated_subject(toks, plats, v.0))
                } else {
                    Vec::new()
                };
                let acting: Vec<&'static str> = if coordinated.len() > 1 {
                    respective(toks, figs, f, coordinated)
                } else {
                    f.platform
                        .or(subject)
                        .or(f.list_platform)
                        .or(house)
                        .into_iter()
                        .collect()
                };
                for platform in acting {
                    let platform = service_of(platform, &f.object);
                    let (origins, mut targets, domestic) = places_for(platform, f.first, f.end);
                    // An origin that only the story's lede gives is an inference.
                    let inferred = f.origins.is_empty()
                        && places.origins.is_empty()
                        && segment.origins.is_empty()
                        && story_origin.is_some_and(|o| origins == [o]);
                    let mut countries = if f.origins.is_empty() {
                        origins
                    } else {
                        f.origins.clone()
                    };
                    // "targeted domestic audiences in Turkey": run from Turkey too.
                    if domestic && countries.is_empty() && !places.targets.is_empty() {
                        countries = places.targets.clone();
                    }
                    if domestic {
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
                        count: f.value,
                        qualifier: if f.value.is_none() {
                            Qualifier::Vague
                        } else {
                            f.qualifier
                        },
                        object: f.object.clone(),
                        confidence: Confidence::of(
                            !verbs.is_empty(),
                            f.platform.is_some() || platform_here,
                        )
                        .max(if inferred {
                            Confidence::Low
                        } else if f.elided || f.part {
                            Confidence::Medium
                        } else {
                            Confidence::High
                        }),
                        ..sentence_claim(s, platform, &countries, &targets, nearest_verb, date)
                    };
                    if deferred {
                        pending.push((
                            si,
                            Claim {
                                confidence: Confidence::Medium,
                                ..claim
                            },
                        ));
                    } else {
                        made += usize::from(push_body_first(&mut claims, claim, &headlines));
                    }
                }
            }
        }
        // "Google removed: • 3,311 YouTube channels in October • 1,217 in September": a
        // list item with a bare figure counts what the item before it counted.
        if figs.is_empty()
            && !negation
                .as_ref()
                .is_some_and(|n| lexicon_base_is_takedown(n.0))
            && let Some(count) = bare_list_figure(s.text, toks)
            && let Some(prev) = claims.last()
            && ctx.last_claim_sentence.is_some_and(|l| l + 1 == si)
        {
            let countries = if places.origins.is_empty() {
                prev.countries.clone()
            } else {
                places.origins.iter().map(|c| c.to_string()).collect()
            };
            let claim = Claim {
                count: count.value,
                qualifier: count.qualifier,
                object: prev.object.clone(),
                countries,
                targets: prev.targets.clone(),
                action: prev.action.clone(),
                date,
                confidence: Confidence::Medium,
                evidence: s.text.to_string(),
                span: [s.start, s.start + s.text.len()],
                ..prev.clone()
            };
            made += usize::from(push_new(&mut claims, claim));
        }
        // "Source | Accounts in network | Followers | …" heads a table whose rows give
        // each network's count in that column, with no verb: once the story has reported
        // a takedown, the row's count is a claim of that object.
        let tabled = table_counts(&mut table, toks);
        for (at, count) in tabled {
            let (Some(action), Some(platform), Some(object)) = (
                ctx.action,
                subject.or(house),
                table.as_ref().map(|t| t.object),
            ) else {
                break;
            };
            let platform = service_of(platform, object);
            let (_, targets, _) = places_for(platform, at, at + 1);
            // Each row is a network of its own: its origin is the one its cells give.
            let mut countries: Vec<&'static str> = Vec::new();
            for &(_, c) in places.origin_at.iter().filter(|(p, _)| *p > at) {
                if !countries.contains(&c) {
                    countries.push(c);
                }
            }
            let claim = Claim {
                count: count.value,
                qualifier: count.qualifier,
                object: object.to_string(),
                ..sentence_claim(s, platform, &countries, &targets, action, date)
            };
            made += usize::from(push_body_first(&mut claims, claim, &headlines));
        }
        // "TikTok had removed accounts linked to Russia's state media": a takedown with no
        // number is a vague claim, when the object follows the verb and is attributed.
        if !verbs.is_empty()
            && !negated_verb
            && figs.is_empty()
            && let Some((at, object, restating)) =
                bare_object(toks, verbs).or_else(|| owners_had(toks, verbs))
        {
            // The platform next to the object: "blocking YouTube channels", "channels on
            // YouTube".
            let adjacent = plats
                .iter()
                .filter(|(i, _, _)| (at.saturating_sub(1)..at + 3).contains(i))
                .map(|p| p.2)
                .next();
            // "Meta and Twitter have removed such content": each platform of a
            // coordinated subject did it.
            let coordinated = coordinated_subject(toks, plats, verbs[0].0);
            let acting: Vec<&'static str> = if adjacent.is_none() && coordinated.len() > 1 {
                coordinated
            } else {
                adjacent.or(subject).or(house).into_iter().collect()
            };
            for platform in acting.into_iter().map(|p| service_of(p, object)) {
                let (countries, targets, _) = places_for(platform, at, at + 1);
                let claim = Claim {
                    object: object.to_string(),
                    confidence: Confidence::of(true, platform_here),
                    ..sentence_claim(s, platform, &countries, &targets, verbs[0].2, date)
                };
                if !places.origins.is_empty() && restating {
                    // Kept unless the story counts that platform's items from there.
                    restated.push(claim);
                } else if !places.origins.is_empty() {
                    made += usize::from(push_body_first(&mut claims, claim, &headlines));
                } else if reports_event(toks, verbs[0].0) {
                    // Without a place of its own it stands only if the story reports
                    // nothing else for that platform (decided once the story is read),
                    // from where the whole story says the operation was run.
                    unplaced.push(Claim {
                        countries: story_origin.iter().map(|c| c.to_string()).collect(),
                        confidence: Confidence::Medium,
                        ..claim
                    });
                }
            }
        }
        // "The report details 12 operations": what the platform's report counts.
        if verbs.is_empty()
            && let Some(platform) = subject.or(house)
        {
            for f in figs.iter().filter(|f| outlined_figure(toks, f)) {
                let countries = if f.origins.is_empty() {
                    places.origins.clone()
                } else {
                    f.origins.clone()
                };
                let action = ctx.action.unwrap_or("disrupt");
                outlined.push(Claim {
                    count: f.value,
                    qualifier: f.qualifier,
                    object: f.object.clone(),
                    ..sentence_claim(s, platform, &countries, &places.targets, action, date)
                });
            }
        }
        if let Some((base, plat, object)) = negation
            && !future_negation(toks)
            && let Some(platform) = plat.or(subject)
        {
            let (countries, targets, _) = places_for(platform, 0, 0);
            let kept = negated_figure(toks, figs);
            let claim = Claim {
                count: kept.and_then(|f| f.value),
                qualifier: kept.map_or(Qualifier::Vague, |f| f.qualifier),
                object: kept.map_or(object, |f| f.object.clone()),
                negated: true,
                confidence: Confidence::of(true, plat.is_some() || platform_here),
                ..sentence_claim(s, platform, &countries, &targets, base, date)
            };
            made += usize::from(push_new(&mut claims, claim));
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
        if let When::Day(d) = when
            && relevant
        {
            ctx.date = Some(d);
        }
        // A section headed by a month ("April", "May 2020"), as in quarterly bulletins,
        // dates its items no more precisely than the month.
        if when == When::Vague && is_heading(s.text, toks) {
            ctx.date = None;
        }
    }
    add_unplaced(&mut claims, unplaced);
    add_uncounted(&mut claims, restated);
    add_outlined(&mut claims, outlined);
    let mut claims = one_copy_per_figure(claims, &headlines);
    for c in &mut claims {
        let fam = lexicon::family(&c.platform);
        c.spokesperson = spokes
            .iter()
            .find(|p| lexicon::family(&p.org) == fam && !fam.is_empty())
            .map(|p| p.name.clone());
    }
    (claims, spokes)
}

/// A story that reports no takedown with a figure or a place for a platform still
/// reports the one it tells without them ("Twitch banned several channels spreading war
/// propaganda"): its vague claims stand, once per object, for platforms with no other claim.
fn add_unplaced(claims: &mut Vec<Claim>, unplaced: Vec<Claim>) {
    let covered: Vec<&'static str> = claims
        .iter()
        .filter(|c| !c.negated)
        .map(|c| lexicon::family(&c.platform))
        .collect();
    for c in unplaced {
        if !covered.contains(&lexicon::family(&c.platform)) {
            push_new(claims, c);
        }
    }
}

/// A vague takedown told as a noun, by its owners, as a passive or as sourced content
/// stands unless the story counts that platform's items from one of its countries (or,
/// with none, counts that platform's items with no country): then it restates the count.
fn add_uncounted(claims: &mut Vec<Claim>, restated: Vec<Claim>) {
    for c in restated {
        let counted = claims.iter().any(|k| {
            k.count.is_some()
                && !k.negated
                && lexicon::family(&k.platform) == lexicon::family(&c.platform)
                && (k.countries.iter().any(|x| c.countries.contains(x))
                    || k.countries.is_empty() && c.countries.is_empty())
        });
        if !counted {
            push_new(claims, c);
        }
    }
}

/// A relative clause right after the object whose verb is what the items did or had
/// ("1,300 Pages that posted about the election", "3,000 accounts that had millions of
/// followers") describes the counted items; one whose verb follows, joins or views
/// something ("2,000 accounts that followed the Pages") makes them an audience.
fn describes_items(toks: &[Token<'_>], end: usize, verb: usize) -> bool {
    matches!(lower(toks, end), "that" | "which" | "who")
        && verb > end
        && !FOLLOWING_VERBS.contains(&lower(toks, verb))
}

/// A sentence that removes, with no figure of its own, what an earlier sentence counted
/// ("shut those accounts and pages", "the flagged accounts were all disabled"): the
/// counted figures become claims of its takedown; how many were added.
fn take_back(
    claims: &mut Vec<Claim>,
    pending: &mut Vec<(usize, Claim)>,
    toks: &[Token<'_>],
    action: &str,
) -> usize {
    let referred: Vec<String> = (0..toks.len())
        .filter(|&d| matches!(lower(toks, d), "the" | "those" | "these"))
        .filter_map(|d| (d + 1..(d + 4).min(toks.len())).find_map(|m| lexicon::object_at(toks, m)))
        .flat_map(|(o, _)| object_words(o))
        .collect();
    if referred.is_empty() {
        return 0;
    }
    let mut made = 0;
    for (_, c) in std::mem::take(pending) {
        if object_words(&c.object).iter().any(|w| referred.contains(w)) {
            let claim = Claim {
                action: action.to_string(),
                ..c
            };
            made += usize::from(push_new(claims, claim));
        }
    }
    made
}

/// Whether the verb at `v` tells an event that happened ("banned", "has suspended",
/// "took down") rather than a habit or a policy ("normally takes down accounts",
/// "remove fake accounts", "by removing …").
fn reports_event(toks: &[Token<'_>], v: usize) -> bool {
    let w = lower(toks, v);
    // "announced the removal of accounts": a takedown noun a report tells of.
    let told = nominal(toks, v) && v >= 2 && reports_at(toks, v - 2);
    w.ends_with("ed")
        || w == "took"
        || told
        || (v > 0 && matches!(lower(toks, v - 1), "has" | "have" | "had" | "was" | "were"))
}

/// A headline standing in the text: the page's title, or one of the first lines with no
/// closing punctuation. It announces what the story reports.
fn is_headline(si: usize, s: &str, title: Option<&str>) -> bool {
    let s = s.trim();
    if title.is_some_and(|t| !t.trim().is_empty() && t.trim() == s) {
        return true;
    }
    si < 4
        && !s.ends_with(['.', '?', '!', ':', ';', ',', '"', '”'])
        && s.split_whitespace().count() <= 20
}

/// Each figure once: a headline, summary or caption restating a figure the story reports
/// ("Facebook Removes 783 Iranian Accounts" above "783 pages, accounts and groups were
/// removed"; "one of the 783 accounts removed") is not a second claim. The body's reading
/// speaks; an origin only the headline gives reaches the body's figure. A vague headline
/// ("Facebook removes pages linked to Pakistan military") stands only when the body
/// reports nothing for that platform.
fn one_copy_per_figure(claims: Vec<Claim>, headlines: &[usize]) -> Vec<Claim> {
    let in_headline = |c: &Claim| headlines.contains(&c.span[0]);
    let same_figure = |a: &Claim, b: &Claim| {
        a.count.is_some()
            && a.count == b.count
            && a.platform == b.platform
            && a.negated == b.negated
            && a.evidence != b.evidence
            && (a.countries.is_empty()
                || b.countries.is_empty()
                || a.countries.iter().any(|k| b.countries.contains(k)))
    };
    let (heads, body): (Vec<Claim>, Vec<Claim>) = claims.into_iter().partition(in_headline);
    // Small figures recur by chance ("three Groups" in two networks); a restated figure
    // is one a reader would recognise.
    let restates = |k: &Claim, c: &Claim| same_figure(k, c) && c.count.is_some_and(|n| n >= 50);
    let mut kept: Vec<Claim> = Vec::with_capacity(body.len());
    for c in body {
        match kept.iter_mut().find(|k| restates(k, &c)) {
            // A quote restating the lede's figure often says where it came from.
            Some(k) if k.countries.is_empty() && !c.countries.is_empty() => {
                k.countries = c.countries;
                k.confidence = k.confidence.max(Confidence::Medium);
            }
            Some(_) => {}
            None => kept.push(c),
        }
    }
    let mut out_heads = Vec::new();
    for h in heads {
        let fam = lexicon::family(&h.platform);
        let restated: Vec<usize> = (0..kept.len())
            .filter(|&i| same_figure(&kept[i], &h))
            .collect();
        for &i in &restated {
            if kept[i].countries.is_empty() && !h.countries.is_empty() {
                kept[i].countries = h.countries.clone();
                kept[i].confidence = kept[i].confidence.max(Confidence::Medium);
            }
        }
        let covered = !restated.is_empty()
            || (h.count.is_none()
                && kept
                    .iter()
                    .any(|k| lexicon::family(&k.platform) == fam && !k.negated));
        if !covered {
            out_heads.push(h);
        }
    }
    out_heads.extend(kept);
    out_heads.sort_by_key(|c| c.span[0]);
    out_heads
}

/// Objects that are the things a platform removes, as opposed to groupings of them.
fn is_item(object: &str) -> bool {
    !is_container(object)
}

/// Account-like objects: what a network is made of (not its tweets, posts or ads).
fn is_account_like(object: &str) -> bool {
    let head = object.rsplit([' ', ',']).next().unwrap_or(object);
    matches!(
        head,
        "accounts"
            | "pages"
            | "groups"
            | "events"
            | "channels"
            | "profiles"
            | "domains"
            | "websites"
            | "blogs"
            | "handles"
            | "personas"
            | "bots"
            | "subreddits"
            | "communities"
    )
}

/// Whether a verbless sentence describes a network's make-up: a composition phrase, a
/// network noun as subject, an attribution, or the figure opening the sentence.
fn composition(toks: &[Token<'_>], figs: &[Figure], places: &Places) -> bool {
    let first = figs.first().map_or(0, |f| f.first);
    // "Below is a sample of what these Pages posted: These activities ran through 24
    // Pages …": a sentence run in after a colon is read from its own start.
    let start = (0..first)
        .rev()
        .find(|&q| {
            toks[q].text == ":"
                && q + 1 < first
                && toks[q + 1].text.starts_with(|ch: char| ch.is_uppercase())
        })
        .map_or(0, |q| q + 1);
    let (whole, toks, first) = (toks, &toks[start..], first - start);
    let before: Vec<&str> = toks[..first].iter().map(|t| t.lower()).collect();
    // Audience and money words before the figure make it an audience count ("The Pages
    // had 4,000 followers", "followed by 265,600 accounts"); after it they describe the
    // network ("a network of 78 accounts that … had 1,781 followers").
    if toks[..first].iter().any(|t| {
        matches!(
            t.lower(),
            "followers"
                | "follower"
                | "views"
                | "spent"
                | "spending"
                | "likes"
                | "subscribers"
                | "members"
        )
    }) {
        return false;
    }
    if before
        .iter()
        .any(|w| AUDIENCE_VERBS.contains(w) && *w != "had" && *w != "have")
    {
        return false;
    }
    let made_of = before.windows(2).any(|w| {
        matches!(
            (w[0], w[1]),
            ("made", "up")
                | ("accounted", "for")
                | ("consisted", "of")
                | ("consists", "of")
                | ("comprised", "of")
                | ("composed", "of")
        )
    }) || before.iter().any(|w| {
        matches!(
            *w,
            "comprised"
                | "comprising"
                | "included"
                | "includes"
                | "including"
                | "numbered"
                | "totaled"
                | "totalled"
                | "involved"
                | "through"
                | "via"
                | "with"
                | "is"
                | "was"
                | "—"
                | "–"
                | ":"
        )
    });
    // "a network of 1,152 accounts", "a separate network of 65 accounts".
    let network_of = first >= 2
        && before[first - 1] == "of"
        && matches!(
            before[first - 2],
            "network" | "operation" | "campaign" | "cluster" | "set" | "group"
        );
    let per_country = figs
        .iter()
        .any(|f| country_before_parenthesis(whole, f.first).is_some());
    if network_of || per_country || back_reference(&before) {
        return true;
    }
    let network = before.iter().any(|w| {
        matches!(
            *w,
            "network"
                | "presence"
                | "activity"
                | "activities"
                | "networks"
                | "operation"
                | "operations"
                | "campaign"
                | "set"
                | "cluster"
                | "group"
                | "biggest"
                | "largest"
                | "smallest"
                | "second"
                | "third"
                | "fourth"
                | "first"
                | "it"
                | "they"
        )
    });
    (made_of && (network || !places.origins.is_empty()))
        || (first <= 1 && (network || !places.origins.is_empty()))
}

/// The figure of a list item that names no noun ("• 1,217 in September", "- 418 that
/// posed as locals"): the count right after the bullet.
fn bare_list_figure(text: &str, toks: &[Token<'_>]) -> Option<numbers::Count> {
    let t = text.trim_start();
    if !t.starts_with(['•', '-', '*', '–', '·']) {
        return None;
    }
    let at = toks.iter().position(|t| t.is_word())?;
    let count = numbers::count_at(toks, at)?;
    count.value?;
    let what = lower(toks, count.next);
    // A year, a percentage or money opens no count of items.
    (!looks_like_year(toks[at].text) && !matches!(what, "%" | "percent" | "per")).then_some(count)
}

/// A table read as a stream of cells, each closed by a bar ("Source | Accounts in
/// network | Followers | Internal | 1,234 | 5,678 | …"), as an extracted page gives its
/// rows, one line each or run together.
#[derive(Debug, Clone)]
struct Table {
    /// The header's column that names what the rows count, and that object.
    col: usize,
    object: &'static str,
    /// Cells a row has, known from the first count of the first row.
    width: Option<usize>,
    /// Cells closed so far.
    cell: usize,
}

/// Whether tokens `a..b` are one count and nothing else.
fn lone_count(toks: &[Token<'_>], a: usize, b: usize) -> Option<numbers::Count> {
    let count = numbers::count_at(toks, a)?;
    count.value?;
    (count.first == a && count.next == b && !looks_like_year(toks[a].text)).then_some(count)
}

/// A table header: cells before any count, one of which opens with what the rows count
/// ("Accounts in network", "Channels removed"); that column and object. A column of
/// followers or views names an audience, which opens no object of the lexicon.
fn table_header(toks: &[Token<'_>], bars: &[usize]) -> Option<Table> {
    let mut from = 0;
    for (col, &b) in bars.iter().enumerate() {
        if lone_count(toks, from, b).is_some() {
            return None;
        }
        if let Some((object, n)) = lexicon::object_at(toks, from)
            && from + n <= b
            && is_account_like(object)
        {
            return Some(Table {
                col,
                object,
                width: None,
                cell: 0,
            });
        }
        from = b + 1;
    }
    None
}

/// The counts a sentence's table cells give in the header's column: each count's token
/// and count. A sentence with no bar continues the cell it is in.
fn table_counts(table: &mut Option<Table>, toks: &[Token<'_>]) -> Vec<(usize, numbers::Count)> {
    let bars: Vec<usize> = (0..toks.len()).filter(|&k| toks[k].text == "|").collect();
    if bars.len() < 2 && table.is_none() {
        return Vec::new();
    }
    if table.is_none() {
        *table = table_header(toks, &bars);
    }
    let Some(t) = table.as_mut() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for k in 1..bars.len() {
        let idx = t.cell + k;
        let Some(count) = lone_count(toks, bars[k - 1] + 1, bars[k]) else {
            continue;
        };
        // The first count of the first row is in the header's column: a row has as many
        // cells as lie between them.
        if t.width.is_none() && idx > t.col {
            t.width = Some(idx - t.col);
        }
        if t.width.is_some_and(|w| idx >= w && idx % w == t.col) {
            out.push((bars[k - 1] + 1, count));
        }
    }
    t.cell += bars.len();
    out
}

/// Words before a verbless figure that point back at the takedown the story reported,
/// so the figure is a part or the whole of it: "Of the accounts taken down, 74 …", "Out
/// of the total, 526 …", "Among the removed accounts, 7,704 are …", "In all, 310 …",
/// "there were 24 Pages, 57 accounts …", "Using 20 Facebook accounts and 14 Pages, the
/// network …", "A total of 944 accounts …".
fn back_reference(before: &[&str]) -> bool {
    let opens = |w: &[&str]| before.starts_with(w);
    opens(&["of"])
        || opens(&["out", "of"])
        || opens(&["among"])
        || opens(&["in", "all"])
        || opens(&["in", "total"])
        || opens(&["all", "told"])
        || opens(&["altogether"])
        || opens(&["using"])
        || opens(&["a", "total", "of"])
        || before.windows(2).any(|w| {
            matches!(
                (w[0], w[1]),
                ("there", "were") | ("there", "are") | ("there", "was") | ("of", "which")
            )
        })
}

/// An object right after a takedown verb, with no number ("removed accounts linked to
/// …", "banned a cluster of ChatGPT accounts"): its token, its canonical name, and
/// whether a construction beyond the plain object named it (a takedown noun, owners'
/// items, a passive subject, sourced content), which a story may use to restate a
/// takedown it counts elsewhere. A negated verb ("has not been shut down") names none.
fn bare_object(
    toks: &[Token<'_>],
    verbs: &[(usize, usize, &'static str)],
) -> Option<(usize, &'static str, bool)> {
    let negated = |v: usize| (v.saturating_sub(3)..v).any(|q| NEGATION.contains(&lower(toks, q)));
    for &(v, n, _) in verbs
        .iter()
        .filter(|v| !attributive(toks, v.0) && !negated(v.0))
    {
        let told = nominal(toks, v);
        let mut k = v + n;
        // "a cluster of", "a set of", "a network of".
        if lower(toks, k) == "a"
            && matches!(
                lower(toks, k + 1),
                "cluster" | "set" | "network" | "group" | "series" | "batch"
            )
            && lower(toks, k + 2) == "of"
        {
            k += 3;
        }
        for m in k..(k + 3).min(toks.len()) {
            let w = lower(toks, m);
            // "banned some accounts": an indefinite amount, not "some of the accounts";
            // "removed all accounts tied to …": every item of a kind named anew.
            if matches!(w, "some" | "all")
                && (lexicon::object_at(toks, m + 1).is_some() || lower(toks, m + 1) == "content")
            {
                continue;
            }
            if w == "the"
                && let Some((at, obj)) = owned_object(toks, m + 1)
            {
                return Some((at, obj, true));
            }
            if w == "content" && sourced(toks, m + 1) {
                return Some((m, "content", true));
            }
            if matches!(
                w,
                "the"
                    | "these"
                    | "those"
                    | "its"
                    | "their"
                    | "his"
                    | "her"
                    | "our"
                    | "some"
                    | "any"
                    | "all"
                    | "them"
                    | "it"
            ) {
                break;
            }
            if let Some((obj, n)) = lexicon::object_at(toks, m) {
                if is_item(obj) && toks[m].text.ends_with('s') {
                    return Some((m, obj, told));
                }
                // "took down a network in Peru", "removed an influence campaign run
                // from Chile": one network, whatever it held.
                if is_container(obj)
                    && matches!(lower(toks, k), "a" | "an")
                    && lower(toks, m + n) != "of"
                {
                    return Some((m, obj, told));
                }
                break;
            }
            if !toks[m].is_word() {
                break;
            }
        }
        if let Some((at, obj)) = passive_subject(toks, v) {
            return Some((at, obj, true));
        }
    }
    None
}

/// "Several officials have had their Tumblr accounts shut down": the owners' items,
/// named before the verb, were taken down. Its object's token and name, as a
/// construction that may restate a counted takedown. A relative clause ("users who had
/// their accounts suspended can appeal") tells a kind of user, not an event.
fn owners_had(
    toks: &[Token<'_>],
    verbs: &[(usize, usize, &'static str)],
) -> Option<(usize, &'static str, bool)> {
    verbs.iter().find_map(|&(v, _, _)| {
        let at = v.checked_sub(1)?;
        let (obj, n) = lexicon::object_at(toks, at)?;
        if n != 1 || !is_item(obj) || !toks[at].text.ends_with('s') {
            return None;
        }
        // "their Tumblr accounts": the platform between the owner and the noun.
        let mut k = at.checked_sub(1)?;
        if lexicon::platform_at(toks, k).is_some_and(|(_, m)| k + m == at) {
            k = k.checked_sub(1)?;
        }
        let had = k.checked_sub(1)?;
        let relative = (had.saturating_sub(2)..had)
            .any(|q| matches!(lower(toks, q), "who" | "that" | "which" | "whose"));
        (matches!(lower(toks, k), "their" | "his" | "her")
            && lower(toks, had) == "had"
            && !relative)
            .then_some((at, obj, true))
    })
}

/// The platforms of a coordinated subject that a counted figure belongs to: all of them,
/// or with "respectively" the one in the figure's place ("Reddit and Twitch removed 30
/// accounts and 12 channels, respectively").
fn respective(
    toks: &[Token<'_>],
    figs: &[Figure],
    f: &Figure,
    coordinated: Vec<&'static str>,
) -> Vec<&'static str> {
    if f.value.is_none() || !toks.iter().any(|t| t.lower() == "respectively") {
        return coordinated;
    }
    let counted: Vec<&Figure> = figs.iter().filter(|g| g.value.is_some()).collect();
    let place = counted.iter().position(|g| g.first == f.first);
    match place {
        Some(k) if counted.len() == coordinated.len() => vec![coordinated[k]],
        // Figures that do not pair with the platforms are no one platform's each.
        _ => Vec::new(),
    }
}

/// "Meta and Twitter said they have removed …": a saying verb and the pronoun that takes
/// up the coordinated subject before it; how many words they are.
fn said_they(toks: &[Token<'_>], k: usize) -> Option<usize> {
    if !REPORTING.contains(&lower(toks, k)) {
        return None;
    }
    let n = if lower(toks, k + 1) == "that" { 2 } else { 1 };
    matches!(lower(toks, k + n), "they" | "both").then_some(n + 1)
}

/// The count a negated takedown verb governs ("decided not to remove 150,000 accounts"):
/// what the platform did not do is told with its figure, which the claim keeps.
fn negated_figure<'f>(toks: &[Token<'_>], figs: &'f [Figure]) -> Option<&'f Figure> {
    figs.iter().find(|f| {
        f.value.is_some()
            && (f.first.saturating_sub(3)..f.first).any(|v| {
                lexicon::verb_at(toks, v).is_some_and(|(_, n)| v + n == f.first)
                    && (v.saturating_sub(3)..v).any(|q| {
                        let w = lower(toks, q);
                        NEGATION.contains(&w) || w.ends_with("n't")
                    })
            })
    })
}

/// Whether the sentence negates what will be done ("we will not suspend their
/// accounts"): a policy or an intent, which reports nothing done or left undone.
fn future_negation(toks: &[Token<'_>]) -> bool {
    (0..toks.len()).any(|i| {
        let w = lower(toks, i);
        w == "won't" || (w == "will" && matches!(lower(toks, i + 1), "not" | "never"))
    })
}

/// A count of operations that a platform's report outlines ("the report details 12
/// operations"): the verb right before the figure, and the report or the platform
/// before the verb in the same clause.
fn outlined_figure(toks: &[Token<'_>], f: &Figure) -> bool {
    let Some(verb) = f.first.checked_sub(1) else {
        return false;
    };
    f.value.is_some()
        && is_container(&f.object)
        && lexicon::word_is("outline", lower(toks, verb))
        && (verb.saturating_sub(6)..verb)
            .rev()
            .take_while(|&k| !matches!(lower(toks, k), "," | ";" | ":"))
            .any(|k| {
                lexicon::word_is("report", lower(toks, k))
                    || lexicon::platform_at(toks, k).is_some()
            })
}

/// The counts of operations a platform's report outlines stand when the story tells a
/// takedown by that platform (the report then counts what it disrupted); otherwise the
/// report may only describe others' operations. Each goes in the story's order.
fn add_outlined(claims: &mut Vec<Claim>, outlined: Vec<Claim>) {
    let acting: Vec<&'static str> = claims
        .iter()
        .filter(|c| !c.negated)
        .map(|c| lexicon::family(&c.platform))
        .collect();
    for c in outlined {
        if acting.contains(&lexicon::family(&c.platform)) && !claims.iter().any(|o| repeats(o, &c))
        {
            let at = claims
                .iter()
                .position(|o| o.span[0] > c.span[0])
                .unwrap_or(claims.len());
            claims.insert(at, c);
        }
    }
}

/// Words that may join the platforms of a coordinated subject (see
/// [`coordinated_subject`]).
static JOINING: LazyLock<Vec<&'static str>> = LazyLock::new(|| words::list(SCAN, "joining"));

/// The platforms of a coordinated subject ("Meta and Twitter have removed …", or with
/// dashes "Reddit – along with Twitch and Google – removed …"): every
/// platform before the verb at `verb`, when only names, joining words and dashes stand
/// between the first of them and the verb. One per company.
fn coordinated_subject(
    toks: &[Token<'_>],
    plats: &[(usize, usize, &'static str)],
    verb: usize,
) -> Vec<&'static str> {
    let Some(&(first, _, _)) = plats.iter().find(|p| p.0 < verb) else {
        return Vec::new();
    };
    if is_governed(toks, first) {
        return Vec::new();
    }
    let mut out: Vec<&'static str> = Vec::new();
    let mut k = first;
    while k < verb {
        if let Some(&(_, n, p)) = plats.iter().find(|q| q.0 == k) {
            if !out.iter().any(|o| lexicon::family(o) == lexicon::family(p)) {
                out.push(p);
            }
            k += n;
        } else if JOINING.contains(&lower(toks, k)) {
            k += 1;
        } else if let Some(n) = said_they(toks, k) {
            k += n;
        } else {
            return Vec::new();
        }
    }
    out
}

/// Words that make a noun phrase refer back to something the story named before.
static DEFINITE: LazyLock<Vec<&'static str>> = LazyLock::new(|| words::list(SCAN, "definite"));

/// "suspended the accounts of some influencers", "the accounts of numerous officials": the
/// items of owners named anew are new, unlike "the accounts" alone or "the accounts of
/// the network", which refer back. The object's token and canonical name.
fn owned_object(toks: &[Token<'_>], at: usize) -> Option<(usize, &'static str)> {
    let (obj, n) = lexicon::object_at(toks, at)?;
    let owner = lower(toks, at + n + 1);
    (is_item(obj)
        && toks[at].text.ends_with('s')
        && lower(toks, at + n) == "of"
        && toks.get(at + n + 1).is_some_and(|t| t.is_word())
        && !DEFINITE.contains(&owner)
        && numbers::count_at(toks, at + n + 1).is_none_or(|c| c.value.is_none()))
    .then_some((at, obj))
}

/// Whether a mass noun's source follows ("content from RT and Sputnik"): it names a set
/// of items as a count would, unlike "harmful content" or "content about the war".
fn sourced(toks: &[Token<'_>], at: usize) -> bool {
    lower(toks, at) == "from"
        && toks.get(at + 1).is_some_and(|t| t.is_word())
        && !DEFINITE.contains(&lower(toks, at + 1))
}

/// The subject of a passive takedown, when it names items anew ("several Twitch
/// accounts have been banned", "fake channels were removed"): its token and name.
fn passive_subject(toks: &[Token<'_>], v: usize) -> Option<(usize, &'static str)> {
    // A present passive ("accounts are removed when …") tells a habit.
    if v < 2 || !matches!(lower(toks, v - 1), "been" | "were" | "was") {
        return None;
    }
    let mut j = v - 1;
    if lower(toks, j) == "been" && matches!(lower(toks, j - 1), "has" | "have" | "had") {
        j -= 1;
    }
    let at = j.checked_sub(1)?;
    let (obj, n) = lexicon::object_at(toks, at)?;
    // The words of its noun phrase: none refers back ("the accounts", "some of them").
    let refers = (at.saturating_sub(3)..at)
        .rev()
        .take_while(|&q| toks[q].is_word())
        .any(|q| DEFINITE.contains(&lower(toks, q)) || lower(toks, q) == "of");
    (n == 1 && is_item(obj) && toks[at].text.ends_with('s') && !refers).then_some((at, obj))
}

/// A takedown verb used as an adjective of the noun after it ("Purged accounts spread
/// …", "the removed Venezuelan accounts", "among those terminated channels"): it refers
/// back to a takedown the story reports, it does not report one.
fn attributive(toks: &[Token<'_>], v: usize) -> bool {
    if nominal(toks, v) {
        return false;
    }
    v == 0
        || matches!(
            lower(toks, v - 1),
            "the"
                | "these"
                | "those"
                | "its"
                | "their"
                | "of"
                | "among"
                | "all"
                | "other"
                | "many"
                | "some"
                | "recently"
                | "previously"
                | "newly"
                | "now"
                | "("
                | "\""
                | "“"
        )
}

/// A takedown told as a noun with its object after "of" ("the removal of accounts", "its
/// disruption of 40 networks"): the determiner before it is the noun's, so the verb is no
/// adjective of a noun that refers back.
fn nominal(toks: &[Token<'_>], v: usize) -> bool {
    lower(toks, v + 1) == "of"
}

/// Whether a takedown verb governs a figure directly: before it in the same stretch of
/// the clause ("disrupted four networks"), or right after it ("five operations were
/// removed"). A count of networks read only through a verb of another clause ("Within
/// the group expelled, there were four networks") describes, it reports no takedown.
fn direct_verb(toks: &[Token<'_>], verbs: &[(usize, usize, &'static str)], f: &Figure) -> bool {
    verbs.iter().any(|&(v, n, _)| {
        let before = v + n <= f.first
            && !(v + n..f.first).any(|k| matches!(lower(toks, k), "," | ";" | ":" | "—" | "–"));
        let after = v >= f.end && v <= f.end + 3;
        (before || after) && !attributive(toks, v)
    })
}

/// The service that holds what was removed: Google's channels are YouTube's ("we
/// terminated 240 channels"), and in a list of YouTube's the blogs and ads accounts are
/// Google's (Blogger, AdSense).
fn service_of(platform: &'static str, object: &str) -> &'static str {
    match (platform, object) {
        ("google", "channels" | "videos") => "youtube",
        ("youtube", "blogs" | "ads accounts" | "adsense accounts") => "google",
        _ => platform,
    }
}

/// A figure stated as a rate ("on average 3 mn accounts go on a weekly basis",
/// "some 300 channels a day"): how often, not what one takedown removed.
fn is_rate(toks: &[Token<'_>], f: &Figure) -> bool {
    let average = (f.first.saturating_sub(3)..f.first).any(|k| lower(toks, k) == "average");
    let period = |w: &str| matches!(w, "day" | "week" | "month" | "year" | "quarter");
    let after = (f.end..(f.end + 8).min(toks.len())).any(|k| {
        let w = lower(toks, k);
        // "a week in which …", "a month ago", "a day earlier" name a time, not a rate.
        let time = matches!(
            lower(toks, k + 2),
            "in" | "of" | "that" | "when" | "after" | "before" | "earlier" | "later" | "ago"
        );
        (w == "per" || matches!(w, "a" | "each" | "every") && !time) && period(lower(toks, k + 1))
            || (matches!(w, "monthly" | "daily" | "weekly") && lower(toks, k + 1) == "basis")
    });
    average || after
}

/// A sentence about the past in general ("has removed thousands of accounts in the last
/// year", "had previously deleted hundreds of accounts"): background to the story, whose
/// own takedown it does not report. Only vague figures are dropped for it.
fn is_background(toks: &[Token<'_>]) -> bool {
    (0..toks.len()).any(|k| {
        let w = lower(toks, k);
        let (a, b) = (lower(toks, k + 1), lower(toks, k + 2));
        // "X, previously known as Twitter" renames, it does not look back.
        let renames = matches!(a, "known" | "called" | "named")
            || lexicon::platform_at(toks, k + 1).is_some();
        matches!(w, "previously" | "repeatedly") && !renames
            || (w == "in" || w == "over") && a == "the" && matches!(b, "past" | "last" | "years")
            || w == "since"
                && (looks_like_year(toks.get(k + 1).map_or("", |t| t.text))
                    || a == "the"
                    // "Since launching its reports in 2023, …"
                    || (k == 0 && a.len() > 4 && a.ends_with("ing")))
    })
}

/// A figure named again as a whole that a part is taken from ("one of the 783 accounts
/// removed", "most of the 500 Pages"): it restates a figure, it reports none.
fn refers_back(toks: &[Token<'_>], first: usize) -> bool {
    first >= 3
        && matches!(lower(toks, first - 1), "the" | "these" | "those")
        && lower(toks, first - 2) == "of"
        && matches!(
            lower(toks, first - 3),
            "one"
                | "some"
                | "many"
                | "most"
                | "each"
                | "any"
                | "none"
                | "several"
                | "few"
                | "all"
                | "half"
                | "majority"
                | "rest"
                | "two"
                | "three"
        )
}

/// Objects that count groupings of accounts rather than accounts.
fn is_container(object: &str) -> bool {
    matches!(
        object,
        "networks"
            | "operations"
            | "influence operations"
            | "information operations"
            | "campaigns"
            | "clusters"
    )
}

fn lexicon_base_is_takedown(base: &str) -> bool {
    !matches!(base, "find" | "detect" | "identify" | "see" | "observe")
}

/// A vague, unnegated claim of a sentence without an object: what every kind of claim
/// shares before its figure, object or negation is set.
fn sentence_claim(
    s: &text::Sentence,
    platform: &str,
    countries: &[&str],
    targets: &[&str],
    action: &str,
    date: Option<NaiveDate>,
) -> Claim {
    Claim {
        platform: platform.to_string(),
        countries: countries.iter().map(|c| c.to_string()).collect(),
        targets: targets.iter().map(|c| c.to_string()).collect(),
        count: None,
        qualifier: Qualifier::Vague,
        object: String::new(),
        action: action.to_string(),
        date,
        spokesperson: None,
        negated: false,
        evidence: s.text.to_string(),
        span: [s.start, s.start + s.text.len()],
        confidence: Confidence::Medium,
        page: None,
    }
}

/// Adds a claim unless the story already reported it; whether it was added.
/// [`push_new`], except that a vague claim restating one read in a headline takes its
/// place: the body's sentence ("removed dozens of accounts tied to Russia") speaks for
/// the headline's ("Twitter removes Russian accounts"), which the body's other claims
/// would otherwise drop.
fn push_body_first(claims: &mut Vec<Claim>, claim: Claim, headlines: &[usize]) -> bool {
    let from_headline = |c: &Claim| headlines.contains(&c.span[0]);
    if claim.count.is_none() && !from_headline(&claim) {
        let old = claims.iter().position(|o| {
            // The headline run again further down is still the headline.
            from_headline(o) && o.evidence != claim.evidence && repeats(o, &claim)
        });
        if let Some(i) = old {
            claims[i] = claim;
            return true;
        }
    }
    push_new(claims, claim)
}

/// Adds a claim unless the story already reported it; whether it was added. A repeat
/// that says where the figure came from lends its places to a first mention that did
/// not ("Bing Bans 900 Accounts" above "Bing banned 900 accounts tied to Laos").
fn push_new(claims: &mut Vec<Claim>, claim: Claim) -> bool {
    let Some(k) = claims.iter().position(|o| repeats(o, &claim)) else {
        claims.push(claim);
        return true;
    };
    let first = &mut claims[k];
    if first.countries.is_empty() && !claim.countries.is_empty() && claim.count.is_some() {
        first.countries = claim.countries;
        if first.targets.is_empty() {
            first.targets = claim.targets;
        }
    }
    false
}

/// The words of an object, each in one spelling and number, "and" left out:
/// "individual and organisations" gives the words of "individuals and organizations".
fn object_words(object: &str) -> Vec<String> {
    object
        .split([' ', ','])
        .filter(|w| !w.is_empty() && *w != "and")
        .map(|w| {
            let w = w.to_lowercase().replace("isation", "ization");
            w.strip_suffix('s').map(str::to_string).unwrap_or(w)
        })
        .collect()
}

/// Objects that name the same things, whatever the number or spelling of their words.
fn same_object(a: &str, b: &str) -> bool {
    a == b || object_words(a) == object_words(b)
}

/// Whether claim `c` repeats the figure `o` the story already reported (a summary
/// repeating it).
fn repeats(o: &Claim, c: &Claim) -> bool {
    lexicon::family(&o.platform) == lexicon::family(&c.platform)
        && o.platform == c.platform
        && o.count == c.count
        && same_object(&o.object, &c.object)
        && o.negated == c.negated
        && (o.countries.iter().any(|k| c.countries.contains(k))
            || o.countries.is_empty()
            || c.countries.is_empty())
        && (c.count.is_some() || o.evidence == c.evidence || o.qualifier == c.qualifier)
}

#[cfg(test)]
mod rate_tests {
    use super::*;

    #[test]
    fn rates_and_times() {
        for (s, rate) in [
            (
                "On average 2 mn accounts are banned on a monthly basis.",
                true,
            ),
            ("Reddit closes some 300 accounts a day.", true),
            (
                "It removed 13 accounts, capping a week in which others acted.",
                false,
            ),
            ("It removed 13 accounts a week after the vote.", false),
        ] {
            let toks = text::tokens(s);
            let figs = figures(&toks);
            assert!(
                figs.first().is_some_and(|f| is_rate(&toks, f) == rate),
                "{s}"
            );
        }
    }
}

#[cfg(test)]
mod word_list_tests {
    use super::*;

    /// Every list of `data/scan.txt` is there and non-empty: the file is fixed at compile
    /// time, so this test is the guard against a renamed or emptied section.
    #[test]
    fn every_word_list_loads() {
        words::check(
            SCAN,
            &[
                ("modifier_stop", MODIFIER_STOP.len()),
                ("audience_nouns", AUDIENCE_NOUNS.len()),
                ("following_verbs", FOLLOWING_VERBS.len()),
                (
                    "audience_verbs",
                    AUDIENCE_VERBS.len() - FOLLOWING_VERBS.len(),
                ),
                ("other_verbs", OTHER_VERBS.len()),
                ("reporting", REPORTING.len()),
                ("negation", NEGATION.len()),
                ("find_verbs", FIND_VERBS.len()),
                ("rise_verbs", RISE_VERBS.len()),
                ("joining", JOINING.len()),
                ("definite", DEFINITE.len()),
            ],
        );
        // Every line of the pairs has its base form.
        assert_eq!(FIND_VERBS.len(), words::list(SCAN, "find_verbs").len());
        // The following verbs are audience verbs too, first.
        assert!(AUDIENCE_VERBS.starts_with(FOLLOWING_VERBS.as_slice()));
    }
}
