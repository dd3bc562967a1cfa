//! Countries in a sentence and their role: where the activity came from (origin, or
//! whom it is attributed to) or whom it was aimed at (target).
//!
//! A country counts only with a cue: a preposition or verb before it ("from", "in",
//! "tied to", "originating in" for origin; "targeting", "aimed at", "audiences in" for
//! target), a derived form ("Russia-based"), a possessive ("Iran's state broadcaster"),
//! or a demonym before a noun ("Emirati accounts", "Iranian audiences"). A country
//! named without one ("criticism of Iran") is left out. A cue carries across a list
//! ("from Iran, Russia, Venezuela and Bangladesh").

use super::lexicon::{self, CountryKind};
use super::text::Token;
use super::words;
use std::sync::LazyLock;

/// The word lists below, one `[section]` each (see `data/README.md`).
const PLACES: &str = include_str!("data/places.txt");

/// The countries of a sentence, by role.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Places {
    /// Origin or attribution, in order of mention.
    pub origins: Vec<&'static str>,
    /// Targets, in order of mention.
    pub targets: Vec<&'static str>,
    /// "domestic audiences": the origin is also the target.
    pub domestic: bool,
    /// Token index of each origin mention (for figures that take the nearest one).
    pub origin_at: Vec<(usize, &'static str)>,
    /// An attribution cue right before a country ("linked to Iran", "run from Peru",
    /// "a Chile-based firm") stated an origin.
    pub cued: bool,
    /// An origin was stated by a strong attribution ("originated in", "Russia-based",
    /// "tied to", "Iranian network"), not just "in" or "from", and not negated.
    pub strong: bool,
    /// Targets cued only by "about" ("posts about Chile"): a topic, when it is the
    /// network's own country.
    pub about: Vec<&'static str>,
}

/// Cues that attribute, as opposed to locating ("in", "from").
static STRONG_CUES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| words::list(PLACES, "strong_cues"));

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Origin,
    Target,
}

/// Words before a country that make it the origin (read right to left, last first).
static ORIGIN_CUES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| words::list(PLACES, "origin_cues"));

/// Nouns before "in X" that make X the target ("discord in Hong Kong", "people in Russia").
static TARGET_BEFORE_IN: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| words::list(PLACES, "target_before_in"));

/// Nouns before "in X" that make X a topic, neither origin nor target: content "about the
/// war in Sudan" is not aimed at Sudan, nor does it come from there.
static TOPIC_BEFORE_IN: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| words::list(PLACES, "topic_before_in"));

/// Verbs that aim what follows them at an audience: "targeted young voters in Peru".
static AIMING: LazyLock<Vec<&'static str>> = LazyLock::new(|| words::list(PLACES, "aiming"));

/// Nouns of hostile acts whose "against" names their victims, and so a target ("attacks
/// against firms in Peru", "schemes against Chilean users"). Not enforcement ("action
/// against", "charges against"), whose "against" names the culprits.
static HOSTILE: LazyLock<Vec<&'static str>> = LazyLock::new(|| words::list(PLACES, "hostile"));

/// Whether token `k` is an "against" that aims a hostile act (see [`HOSTILE`]).
fn hostile_against(toks: &[Token<'_>], k: usize) -> bool {
    k > 0 && lower(toks, k) == "against" && HOSTILE.contains(&lower(toks, k - 1))
}

/// Words that end the noun phrase an aiming verb governs: a clause or an origin begins.
static AIM_STOP: LazyLock<Vec<&'static str>> = LazyLock::new(|| words::list(PLACES, "aim_stop"));

/// Degree adverbs that may stand between a cue and its place ("targeted primarily
/// Chile", "aimed mostly at").
static DEGREE: LazyLock<Vec<&'static str>> = LazyLock::new(|| words::list(PLACES, "degree"));

/// Words before a country that make it the target.
static TARGET_CUES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| words::list(PLACES, "target_cues"));

static TARGET_SPLIT: LazyLock<Vec<Vec<&'static str>>> =
    LazyLock::new(|| TARGET_CUES.iter().map(|c| c.split(' ').collect()).collect());
static ORIGIN_SPLIT: LazyLock<Vec<Vec<&'static str>>> =
    LazyLock::new(|| ORIGIN_CUES.iter().map(|c| c.split(' ').collect()).collect());
static STRONG_SPLIT: LazyLock<Vec<Vec<&'static str>>> =
    LazyLock::new(|| STRONG_CUES.iter().map(|c| c.split(' ').collect()).collect());

/// Nouns after a demonym that make it an origin ("Iranian accounts", "Russian network").
static ORIGIN_NOUNS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| words::list(PLACES, "origin_nouns"));

/// Nouns of the state after a country's name that attribute to it: "the Myanmar
/// military", "Pakistan Army's media wing", "the Iran government".
static STATE_NOUNS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| words::list(PLACES, "state_nouns"));

/// Nouns after a demonym that make it a target ("Iranian audiences").
static TARGET_NOUNS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| words::list(PLACES, "target_nouns"));

/// Words that may stand between items of a country list.
static LIST_FILLER: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| words::list(PLACES, "list_filler"));

/// Regions: list items that name no country ("people in the Middle East, Britain and the
/// US"), except the Baltic states, which claims spell out as their three countries.
static REGIONS: LazyLock<Vec<(&'static str, Vec<&'static str>)>> = LazyLock::new(|| {
    words::list(PLACES, "regions")
        .into_iter()
        .map(|l| match l.split_once('\t') {
            Some((name, codes)) => (name, codes.split(' ').filter(|c| !c.is_empty()).collect()),
            None => (l, Vec::new()),
        })
        .collect()
});

/// A region starting at `i`: its length and codes.
fn region_at(toks: &[Token<'_>], i: usize) -> Option<(usize, &'static [&'static str])> {
    // Word by word, without collecting the name's words: this runs for every token.
    REGIONS.iter().find_map(|(name, codes)| {
        let mut len = 0;
        for (k, w) in name.split(' ').enumerate() {
            if lower(toks, i + k) != w {
                return None;
            }
            len = k + 1;
        }
        Some((len, codes.as_slice()))
    })
}

fn lower<'t>(toks: &'t [Token<'_>], k: usize) -> &'t str {
    toks.get(k).map_or("", |t| t.lower())
}

/// Where a cue before token `i` must end: before an article ("from the Philippines",
/// "tied to the UAE") or a region's modifier, which reads like one ("originated in
/// mainland Laos").
fn before_article(toks: &[Token<'_>], i: usize) -> usize {
    let mut end = i;
    if end > 0 && matches!(lower(toks, end - 1), "the" | "a" | "an" | "mainland") {
        end -= 1;
    }
    // "targeted primarily the US": a degree adverb stands between the cue and the place.
    if end > 0 && DEGREE.contains(&lower(toks, end - 1)) {
        end -= 1;
    }
    end
}

/// Whether the "in" at `at` closes a noun phrase an aiming verb governs ("targeted
/// adult men in the US", "aimed at small firms in Chile"): the place is the audience's.
/// An object of a takedown in the phrase ("targeting accounts in Iran") keeps "in" a
/// location.
fn aimed_before(toks: &[Token<'_>], at: usize) -> bool {
    for k in (at.saturating_sub(6)..at).rev() {
        let w = lower(toks, k);
        if AIMING.contains(&w) || hostile_against(toks, k) {
            return true;
        }
        if !toks[k].is_word() || AIM_STOP.contains(&w) || takedown_item_at(toks, k) {
            return false;
        }
    }
    false
}

/// Whether token `k` names what a takedown acts on (accounts, pages, channels), as opposed
/// to people or bodies an operation may aim at ("organizations", "individuals").
fn takedown_item_at(toks: &[Token<'_>], k: usize) -> bool {
    lexicon::object_at(toks, k).is_some_and(|(o, _)| {
        !matches!(
            o,
            "organizations" | "individuals" | "entities" | "communities" | "developers"
        )
    })
}

/// Whether the words after the demonym at `i` name the takedown's own items or network
/// ("Iranian accounts", "a Chilean influence operation"): then it is their origin.
fn names_items(toks: &[Token<'_>], i: usize) -> bool {
    (i + 1..(i + 4).min(toks.len())).any(|k| {
        takedown_item_at(toks, k)
            || matches!(
                lower(toks, k),
                "network" | "networks" | "operation" | "campaign"
            )
    })
}

/// Whether an aiming verb governs the demonym at `i` ("targeting Ukrainian users",
/// "aimed at Peruvian readers"), or accounts pretended to be its people ("posing as
/// ordinary Chileans", "impersonated real Peruvian voters"): whoever the noun names, they
/// are the audience. Up to two describing words may stand between.
fn aimed_demonym(toks: &[Token<'_>], i: usize) -> bool {
    // "the sweep targeted Iranian accounts": the takedown's own items came from there.
    if names_items(toks, i) {
        return false;
    }
    let mut end = before_article(toks, i);
    if end > 0 && lower(toks, end - 1) == "at" {
        end -= 1;
    }
    for k in (end.saturating_sub(3)..end).rev() {
        let w = lower(toks, k);
        if AIMING.contains(&w)
            || hostile_against(toks, k)
            || POSING.iter().any(|p| w.starts_with(p))
        {
            return true;
        }
        let describing = toks[k].is_word()
            && toks[k].text.starts_with(|c: char| c.is_lowercase())
            && !AIM_STOP.contains(&w)
            && lexicon::object_at(toks, k).is_none();
        if !(describing || w == "as") {
            return false;
        }
    }
    false
}

/// Whether the demonym at `i` stands in what posts were "about" ("posting about Chilean
/// military drills"): a topic rather than an origin, unless the phrase names the
/// takedown's own items ("about Iranian accounts"). (An audience noun after it, "about
/// Chilean politics", still makes a target.) Up to two describing words may stand between.
fn about_demonym(toks: &[Token<'_>], i: usize) -> bool {
    let end = before_article(toks, i);
    !names_items(toks, i)
        && (end.saturating_sub(3)..end)
            .rev()
            .take_while(|&k| {
                toks[k].is_word()
                    && !AIM_STOP.contains(&lower(toks, k))
                    && !matches!(lower(toks, k), "of" | "to" | "in" | "for" | "with")
            })
            .find(|&k| {
                !toks[k].text.starts_with(|c: char| c.is_lowercase()) || lower(toks, k) == "about"
            })
            .is_some_and(|k| lower(toks, k) == "about")
}

/// Where a named region ends in the country at `i` ("the Oruro region of western
/// Bolivia"): the first word of the region's name.
fn region_of_start(toks: &[Token<'_>], i: usize) -> Option<usize> {
    let mut k = i;
    if k > 0
        && matches!(
            lower(toks, k - 1),
            "eastern" | "western" | "northern" | "southern" | "central"
        )
    {
        k -= 1;
    }
    if k < 3
        || lower(toks, k - 1) != "of"
        || !matches!(
            lower(toks, k - 2),
            "region" | "province" | "oblast" | "state"
        )
    {
        return None;
    }
    let mut s = k - 2;
    while s > 0 && toks[s - 1].is_word() && toks[s - 1].text.starts_with(char::is_uppercase) {
        s -= 1;
    }
    (s < k - 2).then_some(s)
}

/// The cue phrase ending just before token `i`, if any.
fn cue_before(toks: &[Token<'_>], i: usize) -> Option<Role> {
    let end = before_article(toks, i);
    // "including X", "such as X": the role of the nearest cue before the list.
    if end > 0 && matches!(lower(toks, end - 1), "including" | "namely" | "like")
        || (end > 1 && lower(toks, end - 2) == "such" && lower(toks, end - 1) == "as")
    {
        for j in (end.saturating_sub(16)..end.saturating_sub(1)).rev() {
            if matches!(lower(toks, j), "." | ";") {
                break;
            }
            if let Some(r) = cue_before(toks, j) {
                return Some(r);
            }
        }
        return None;
    }
    // "in X" takes its role from the noun before it; "countries in X" from an earlier cue.
    if end > 0 && lower(toks, end - 1) == "in" {
        if end > 1
            && matches!(
                lower(toks, end - 2),
                "countries" | "nations" | "places" | "regions"
            )
        {
            return None;
        }
        let mut k = end - 1;
        while k > 0 && matches!(toks[k - 1].text, "\"" | "“" | "”" | "'" | "’") {
            k -= 1;
        }
        if k > 0 && TOPIC_BEFORE_IN.contains(&lower(toks, k - 1)) {
            return None;
        }
        if k > 0 && TARGET_BEFORE_IN.contains(&lower(toks, k - 1)) {
            // "run by (local) people in Peru": the agent of a passive is where it came
            // from.
            let describing = k > 2 && toks[k - 2].text.starts_with(char::is_lowercase);
            if k > 1 && lower(toks, k - 2) == "by" || describing && lower(toks, k - 3) == "by" {
                return Some(Role::Origin);
            }
            return Some(Role::Target);
        }
        if posing_before(toks, end - 1) || aimed_before(toks, end - 1) {
            return Some(Role::Target);
        }
    }
    for n in (1..=4).rev() {
        let Some(s) = end.checked_sub(n) else {
            continue;
        };
        let is = |cues: &[Vec<&str>]| {
            cues.iter().any(|c| {
                c.len() == n && c.iter().enumerate().all(|(k, w)| lower(toks, s + k) == *w)
            })
        };
        if is(&TARGET_SPLIT) {
            return Some(Role::Target);
        }
        if n == 1 && lower(toks, s) == "by" && judged_by(toks, s) {
            return None;
        }
        if n == 1 && lower(toks, s) == "from" && informed_from(toks, s) {
            return None;
        }
        if is(&ORIGIN_SPLIT) {
            return Some(Role::Origin);
        }
    }
    None
}

/// Words of judging, permitting or reporting: their agent acted on the accounts or on
/// those behind them, and did not run them ("indicted by a US court", "an order granted
/// by Chilean judges", "flagged by US officials").
static JUDGING: LazyLock<Vec<&'static str>> = LazyLock::new(|| words::list(PLACES, "judging"));

/// Whether the "by" at `by` names the agent of a judging word just before it (within
/// three words, in the same phrase): that agent is no origin.
fn judged_by(toks: &[Token<'_>], by: usize) -> bool {
    (by.saturating_sub(3)..by)
        .rev()
        .take_while(|&k| toks[k].is_word())
        .any(|k| JUDGING.contains(&lower(toks, k)))
}

/// Nouns of informing: what came "from" a country was news of the accounts, not the
/// accounts ("after a tip from US law enforcement", "a referral from French officials").
static INFORMING: LazyLock<Vec<&'static str>> = LazyLock::new(|| words::list(PLACES, "informing"));

/// Whether the "from" at `from` follows a noun of informing, perhaps with one word
/// between ("a tip from", "information received from").
fn informed_from(toks: &[Token<'_>], from: usize) -> bool {
    (from.saturating_sub(2)..from)
        .rev()
        .take_while(|&k| toks[k].is_word())
        .any(|k| INFORMING.contains(&lower(toks, k)))
}

/// Whether an attribution cue ("linked to", "based in") ends right before token `i`,
/// an article aside.
fn strong_cue_before(toks: &[Token<'_>], i: usize) -> bool {
    let end = before_article(toks, i);
    STRONG_SPLIT.iter().any(|words| {
        end.checked_sub(words.len()).is_some_and(|s| {
            words
                .iter()
                .enumerate()
                .all(|(k, w)| lower(toks, s + k) == *w)
        })
    })
}

/// Word starts that say accounts pretended to be someone ("posed", "impersonating").
static POSING: LazyLock<Vec<&'static str>> = LazyLock::new(|| words::list(PLACES, "posing"));

/// Whether "in X" ends a phrase of posing ("posing as residents and local papers in
/// Chad"): whom the accounts pretended to be is where their audience was.
fn posing_before(toks: &[Token<'_>], at: usize) -> bool {
    for k in (at.saturating_sub(9)..at).rev() {
        let w = lower(toks, k);
        if matches!(w, "," | ";" | "." | ":" | "from" | "by") {
            return false;
        }
        if POSING.iter().any(|p| w.starts_with(p)) {
            return true;
        }
    }
    false
}

/// Whether the demonym at `i` describes a militant, terror or rebel group ("the
/// Chilean militant group", "Chilean terrorists"): the annotators' convention gives
/// such actors no origin, since the group is no state that ran the accounts.
fn militant_group(toks: &[Token<'_>], i: usize, len: usize) -> bool {
    (i + len..(i + len + 3).min(toks.len()))
        .take_while(|&k| toks[k].is_word())
        .any(|k| lexicon::word_is("nonstate", lower(toks, k)))
}

/// The role a demonym takes from the noun after it (within three words).
fn demonym_role(toks: &[Token<'_>], i: usize, len: usize) -> Option<Role> {
    for k in i + len..(i + len + 4).min(toks.len()) {
        let w = lower(toks, k);
        if TARGET_NOUNS.contains(&w) {
            return Some(Role::Target);
        }
        if ORIGIN_NOUNS.contains(&w) || lexicon::object_at(toks, k).is_some() {
            return Some(Role::Origin);
        }
        if !(toks[k].is_word() || w == "-") || matches!(w, "that" | "which" | "who") {
            break;
        }
    }
    None
}

/// Countries of a sentence by role.
pub fn roles(toks: &[Token<'_>]) -> Places {
    let mut places = Places::default();
    let mut i = 0usize;
    // The role of the last country, and where it ended, for lists.
    let mut last: Option<(Role, usize)> = None;
    let mut compared = false;
    while i < toks.len() {
        let region = region_at(toks, i);
        if let Some(n) = region
            .map(|(n, _)| n)
            .or_else(|| lexicon::ignored_at(toks, i))
        {
            // A region is no country, but it carries a list's cue on to the next item
            // ("people in the Middle East, Latin America, Britain and the US").
            let in_list = last.is_some_and(|(_, end)| {
                (end..i).all(|k| LIST_FILLER.contains(&lower(toks, k))) && i - end <= 8
            });
            let role =
                cue_before(toks, i).or_else(|| if in_list { last.map(|(r, _)| r) } else { None });
            for &code in region.map(|(_, c)| c).unwrap_or(&[]) {
                match role {
                    Some(Role::Origin) if !places.origins.contains(&code) => {
                        places.origins.push(code)
                    }
                    Some(Role::Target) if !places.targets.contains(&code) => {
                        places.targets.push(code)
                    }
                    _ => {}
                }
            }
            last = role.map(|r| (r, i + n));
            i += n;
            continue;
        }
        let w = lower(toks, i);
        // US midterm elections: the United States is the target.
        if matches!(w, "midterm" | "midterms") && !places.targets.contains(&"US") {
            places.targets.push("US");
        }
        if w == "domestic" || (w == "home" && i > 0 && lower(toks, i - 1) == "at") {
            let next = lower(toks, i + 1);
            if w == "home"
                || matches!(
                    next,
                    "audiences"
                        | "audience"
                        | "users"
                        | "politics"
                        | "public"
                        | "opposition"
                        | "critics"
                        | "voters"
                )
            {
                places.domestic = true;
            }
        }
        // "than the Russia-based IRA had", "unlike Iran": a comparison attributes nothing.
        let quantity = i > 0
            && matches!(
                lower(toks, i - 1),
                "more"
                    | "less"
                    | "fewer"
                    | "rather"
                    | "other"
                    | "greater"
                    | "larger"
                    | "smaller"
                    | "higher"
                    | "lower"
            );
        if (w == "than" && !quantity)
            || w == "unlike"
            || (w == "compared" && lower(toks, i + 1) == "with")
        {
            compared = true;
        }
        if matches!(w, "," | ";") {
            compared = false;
        }
        let Some(hit) = lexicon::country_at(toks, i) else {
            i += 1;
            continue;
        };
        // "U.S. District Court", "U.S. Senate": an institution, not an origin.
        let institution = matches!(
            lower(toks, i + hit.len),
            "district"
                | "court"
                | "courts"
                | "attorney"
                | "department"
                | "senate"
                | "congress"
                | "treasury"
                | "justice"
                | "embassy"
                | "intelligence"
        ) && hit.kind == CountryKind::Name
            && !toks[i + hit.len - 1].text.ends_with("'s");
        if compared || institution || hosted(toks, i, &hit) {
            i += hit.len;
            last = None;
            continue;
        }
        // "the Oruro region of western Bolivia": the country takes the role its region
        // would have, in a list or after a cue.
        let at = region_of_start(toks, i).unwrap_or(i);
        let in_list = last.is_some_and(|(_, end)| {
            (end..at).all(|k| LIST_FILLER.contains(&lower(toks, k))) && at - end <= 8
        });
        // "Rwanda's elections", "Peru's voters": whom the activity was about.
        let aimed = hit.possessive && TARGET_NOUNS.contains(&lower(toks, i + hit.len));
        let demonym = hit.kind == CountryKind::Demonym
            || (hit.kind == CountryKind::Ambiguous && toks[i].text.ends_with("ian"));
        let role = if aimed {
            Some(Role::Target)
        } else if hit.suffix.is_some() || hit.possessive || hit.kind == CountryKind::Actor {
            Some(Role::Origin)
        } else if demonym && militant_group(toks, i, hit.len) {
            // "the Chilean militant group": a group's people, not a state's agents.
            None
        } else if demonym
            && about_demonym(toks, i)
            && demonym_role(toks, i, hit.len) == Some(Role::Origin)
        {
            None
        } else if demonym {
            aimed_demonym(toks, i)
                .then_some(Role::Target)
                .or_else(|| demonym_role(toks, i, hit.len))
                .or_else(|| if in_list { last.map(|(r, _)| r) } else { None })
                // "translated from French", "posts in Russian": a demonym after a bare
                // preposition, with no noun of its own, names a language ("in Iraqi
                // Kurdistan" names a place).
                .or_else(|| {
                    let proper = toks
                        .get(i + hit.len)
                        .is_some_and(|t| t.text.starts_with(|c: char| c.is_uppercase()));
                    let language =
                        i > 0 && matches!(lower(toks, i - 1), "from" | "in" | "into") && !proper;
                    cue_before(toks, i).filter(|_| hit.kind != CountryKind::Ambiguous && !language)
                })
        } else {
            cue_before(toks, at)
                .or_else(|| if in_list { last.map(|(r, _)| r) } else { None })
                .or_else(|| {
                    let next = toks[i + hit.len - 1].text.trim_end_matches("'s");
                    let noun = lower(toks, i + hit.len).trim_end_matches("'s").to_string();
                    // "the U.S. government has identified …", "US officials said": a
                    // state that speaks or investigates is no origin.
                    let acts = matches!(
                        lower(toks, i + hit.len + 1),
                        "has"
                            | "have"
                            | "had"
                            | "said"
                            | "says"
                            | "say"
                            | "identified"
                            | "accused"
                            | "alleged"
                            | "announced"
                            | "believes"
                            | "charged"
                            | "sanctioned"
                            | "warned"
                            | "told"
                            | "tipped"
                            | "asked"
                            | "requested"
                            | "flagged"
                            | "notified"
                            | "indicted"
                    );
                    (hit.kind == CountryKind::Name
                        && next.len() > 1
                        && !acts
                        && STATE_NOUNS.contains(&noun.as_str()))
                    .then_some(Role::Origin)
                })
        };
        // Capitals count only as attributions ("the Kremlin's", "Beijing-backed",
        // "on behalf of Moscow"), never as the place accounts were in.
        let role = match (hit.kind, role) {
            (CountryKind::Capital, Some(Role::Origin))
                if !hit.possessive && hit.suffix.is_none() =>
            {
                let c = cue_before(toks, i);
                let strong = i >= 2 && matches!(lower(toks, i - 1), "by" | "of" | "to" | "with");
                (c.is_some() && strong).then_some(Role::Origin)
            }
            (_, r) => r,
        };
        match role {
            Some(Role::Origin) => {
                if !places.origins.contains(&hit.code) {
                    places.origins.push(hit.code);
                }
                places.origin_at.push((i, hit.code));
                // An attribution cue anywhere in the sentence ("operated by local
                // nationals in Ghana") makes its origins an attribution.
                let strong_cue = STRONG_SPLIT.iter().any(|words| {
                    (0..toks.len()).any(|s| {
                        words
                            .iter()
                            .enumerate()
                            .all(|(k, w)| lower(toks, s + k) == *w)
                    })
                });
                // "the Laos army", "Pakistan's military": naming the state attributes.
                let state = STATE_NOUNS.contains(&lower(toks, i + hit.len).trim_end_matches("'s"))
                    && hit.kind == CountryKind::Name;
                places.cued |= hit.suffix.is_some() || strong_cue_before(toks, i);
                if hit.suffix.is_some()
                    || state
                    || hit.possessive
                    || hit.kind == CountryKind::Demonym
                    || hit.kind == CountryKind::Actor
                    || strong_cue
                    || in_list && places.strong
                {
                    places.strong = true;
                }
            }
            Some(Role::Target) if !places.targets.contains(&hit.code) => {
                places.targets.push(hit.code);
                let end = before_article(toks, i);
                if end > 0 && lower(toks, end - 1) == "about" {
                    places.about.push(hit.code);
                }
            }
            _ => {}
        }
        last = role.map(|r| (r, i + hit.len));
        i += hit.len;
    }
    // "did not attribute it to Russia", "no evidence that Moscow directed": a denied
    // attribution names no origin for the story.
    let negated = (0..toks.len()).any(|k| {
        let l = lower(toks, k);
        let neg = matches!(
            l,
            "not" | "never" | "didn't" | "wasn't" | "hasn't" | "couldn't" | "cannot"
        );
        let no_evidence = l == "no"
            && matches!(
                lower(toks, k + 1),
                "evidence" | "indication" | "sign" | "proof"
            );
        no_evidence
            || neg
                && (k + 1..(k + 4).min(toks.len())).any(|j| {
                    let w = lower(toks, j);
                    [
                        "attribut", "link", "tie", "tied", "say", "said", "identif", "know",
                        "determin", "name", "direct", "confirm", "trace", "blame",
                    ]
                    .iter()
                    .any(|p| w.starts_with(p))
                })
    });
    if negated {
        places.strong = false;
        places.cued = false;
    }
    // "Chilean accounts posted about Chile": a network's own country is its topic.
    let Places { origins, about, .. } = &places;
    let own: Vec<&'static str> = about
        .iter()
        .filter(|c| origins.contains(c))
        .copied()
        .collect();
    places.targets.retain(|t| !own.contains(t));
    places
}

/// "U.S.-based infrastructure", "Dutch-based servers": where the machines stand, not who
/// ran the operation.
pub(crate) fn hosted(toks: &[Token<'_>], i: usize, hit: &lexicon::CountryHit) -> bool {
    hit.suffix.as_deref() == Some("based")
        && matches!(
            lower(toks, i + hit.len),
            "infrastructure" | "websites" | "website" | "domains" | "servers" | "server"
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::text::tokens;

    /// Every list of `data/places.txt` is there and non-empty: the file is fixed at
    /// compile time, so this test is the guard against a renamed or emptied section.
    #[test]
    fn every_word_list_loads() {
        words::check(
            PLACES,
            &[
                ("strong_cues", STRONG_CUES.len()),
                ("origin_cues", ORIGIN_CUES.len()),
                ("target_before_in", TARGET_BEFORE_IN.len()),
                ("topic_before_in", TOPIC_BEFORE_IN.len()),
                ("aiming", AIMING.len()),
                ("hostile", HOSTILE.len()),
                ("aim_stop", AIM_STOP.len()),
                ("degree", DEGREE.len()),
                ("target_cues", TARGET_CUES.len()),
                ("origin_nouns", ORIGIN_NOUNS.len()),
                ("state_nouns", STATE_NOUNS.len()),
                ("target_nouns", TARGET_NOUNS.len()),
                ("list_filler", LIST_FILLER.len()),
                ("regions", REGIONS.len()),
                ("judging", JUDGING.len()),
                ("posing", POSING.len()),
                ("informing", INFORMING.len()),
            ],
        );
        // The regions spelled out as countries: the Baltic states, three ways.
        let spelled: Vec<_> = REGIONS.iter().filter(|(_, c)| !c.is_empty()).collect();
        assert_eq!(spelled.len(), 3);
        assert!(
            spelled
                .iter()
                .all(|(_, c)| c.as_slice() == ["EE", "LV", "LT"])
        );
        assert_eq!(REGIONS[0].0, "baltic states");
    }

    fn r(s: &str) -> (Vec<&'static str>, Vec<&'static str>, bool) {
        let p = roles(&tokens(s));
        (p.origins, p.targets, p.domestic)
    }

    #[test]
    fn roles_from_cues() {
        let cases: &[(&str, &[&str], &[&str], bool)] = &[
            // A network "run out of" a country was run from it.
            (
                "took down 40 accounts run out of Laos and 12 operated out of Nepal.",
                &["LA", "NP"],
                &[],
                false,
            ),
            (
                "deleted thousands of fake accounts from Iran, Russia, Venezuela and Bangladesh.",
                &["IR", "RU", "VE", "BD"],
                &[],
                false,
            ),
            (
                "More than 1,000 accounts located in Venezuela were engaged in a campaign targeting domestic audiences",
                &["VE"],
                &[],
                true,
            ),
            (
                "suspended 2,617 additional malicious accounts\" in Iran.",
                &["IR"],
                &[],
                false,
            ),
            (
                "removed 652 Pages that originated in Iran and targeted people in the Middle East, Latin America, Britain and the US.",
                &["IR"],
                &["GB", "US"],
                false,
            ),
            (
                "took down 271 Emirati and Egyptian accounts aimed mainly at Qatar and, to a lesser extent, Iran.",
                &["AE", "EG"],
                &["QA", "IR"],
                false,
            ),
            ("tied to Iran's state broadcaster", &["IR"], &[], false),
            ("the Russia-based troll operation", &["RU"], &[], false),
            (
                "amplify criticism of Iran, Qatar and Turkey",
                &[],
                &[],
                false,
            ),
            (
                "run from Ghana and Nigeria on behalf of individuals in Russia, aimed at the US",
                &["GH", "NG", "RU"],
                &["US"],
                false,
            ),
            ("videos about the Hong Kong protests", &[], &["HK"], false),
            (
                "accounts originating in the People's Republic of China",
                &["CN"],
                &[],
                false,
            ),
            (
                "originated in Georgia and targeted domestic audiences",
                &["GE"],
                &[],
                true,
            ),
            (
                "accounts run from Israel posing as residents and local papers in Chad and Mali",
                &["IL"],
                &["TD", "ML"],
                false,
            ),
            (
                "one post, translated from French, mocked the vote",
                &[],
                &[],
                false,
            ),
            ("most posts were in Russian", &[], &[], false),
            ("comments about Rwanda's elections", &[], &["RW"], false),
            (
                "accounts that originated in Iraqi Kurdistan",
                &["IQ"],
                &[],
                false,
            ),
        ];
        for (s, o, t, d) in cases {
            assert_eq!(r(s), (o.to_vec(), t.to_vec(), *d), "{s}");
        }
    }

    /// An aiming verb reaches over its noun phrase ("targeted retired teachers in Peru"),
    /// over a degree adverb ("targeted primarily Chile") and onto a demonym whatever its
    /// noun ("targeting Bolivian users"); a war or crisis "in X" is a topic.
    #[test]
    fn aimed_phrases_and_topics() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            (
                "ads run from Malta that targeted retired teachers in Peru",
                &["MT"],
                &["PE"],
            ),
            ("a network that targeted primarily Chile", &[], &["CL"]),
            ("accounts targeting Bolivian users", &[], &["BO"]),
            ("the sweep targeted Bolivian accounts", &["BO"], &[]),
            ("hackers who targeted organizations in Chile", &[], &["CL"]),
            (
                "Chilean accounts that posted about Chile and Peru",
                &["CL"],
                &["PE"],
            ),
            ("pages run by ordinary users in Chile", &["CL"], &[]),
            (
                "pages run by people in Chile and Peru and aimed at Bolivians",
                &["CL", "PE"],
                &["BO"],
            ),
            (
                "pages run from Chile and the Oruro region of western Bolivia",
                &["CL", "BO"],
                &[],
            ),
            (
                "accounts that originated mainly in the Zeta region of Moldova",
                &["MD"],
                &[],
            ),
            (
                "fake profiles posing as ordinary Peruvians shared the links",
                &[],
                &["PE"],
            ),
            ("videos about the war in Sudan", &[], &[]),
            ("clips about the crisis in Haiti", &[], &[]),
            // An object of the takedown in the phrase keeps "in" where the items were.
            ("an effort targeting 300 accounts in Laos", &["LA"], &[]),
        ];
        for (s, o, t) in cases {
            let (orig, tg, _) = r(s);
            assert_eq!((orig, tg), (o.to_vec(), t.to_vec()), "{s}");
        }
    }
}
