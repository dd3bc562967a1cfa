//! Stage `claims`: every takedown claim in an article's main text, with its fields and
//! the exact sentence (and byte span) that states it; and the article's spokespeople.
//!
//! Field meanings are those of `../shared/claims-dev/README.md`. The scan is in
//! [`scan`]; the small rules it stands on (sentences, counts, countries, dates, people)
//! are units of their own, each with its table of tests. Lexicons are data files in
//! `data/`, reviewed like code.

pub mod lexicon;
pub mod numbers;
mod people;
mod places;
mod scan;
pub mod text;
mod when;

use crate::extract::Article;
use chrono::NaiveDate;
use serde::Serialize;

pub use numbers::Qualifier;
pub use people::Spokesperson;

/// One reported figure (or non-numeric takedown statement).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Claim {
    /// Lower-case platform id where the items were acted on.
    pub platform: String,
    /// ISO codes of origin or attribution.
    pub countries: Vec<String>,
    /// ISO codes of the countries targeted.
    pub targets: Vec<String>,
    /// The number, if one is given.
    pub count: Option<u64>,
    /// How the number is hedged.
    pub qualifier: Qualifier,
    /// What was acted on, lower case ("accounts", "pages, groups and accounts").
    pub object: String,
    /// The takedown verb, base form.
    pub action: String,
    /// When the platform announced or acted.
    #[serde(serialize_with = "ser_date")]
    pub date: Option<NaiveDate>,
    /// The named person the figure is attributed to.
    pub spokesperson: Option<String>,
    /// The article says the platform did not do it.
    pub negated: bool,
    /// The sentence of the body that states it.
    pub evidence: String,
    /// Byte offsets of `evidence` in the body.
    pub span: [usize; 2],
    /// How directly the claim was read from its sentence.
    #[serde(default)]
    pub confidence: Confidence,
    /// For a PDF, the 1-based page of the evidence; none for a web page.
    #[serde(default)]
    pub page: Option<u32>,
}

/// How directly a claim was read: what a reader may lean on, and what facts and
/// `verify` count by default (high and medium).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Figure, takedown verb and platform in one sentence.
    High,
    /// Tied across a clause or sentence: the verb or the platform comes from the
    /// sentences around it, or the noun is elided.
    #[default]
    Medium,
    /// Inferred from the story: its origin comes only from the story's headline or lede.
    Low,
}

impl Confidence {
    /// The level from whether the claim's own sentence names its takedown verb and its
    /// platform.
    pub fn of(verb_here: bool, platform_here: bool) -> Confidence {
        if verb_here && platform_here {
            Confidence::High
        } else {
            Confidence::Medium
        }
    }
}

fn ser_date<S: serde::Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&d.format("%Y-%m-%d").to_string()),
        None => s.serialize_none(),
    }
}

/// What an article yields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Found {
    /// Claims in order of the text.
    pub claims: Vec<Claim>,
    /// Named people who speak for a platform.
    pub spokespeople: Vec<Spokesperson>,
}

/// The platform whose own post an article is (by its host or site name), if any.
pub fn house_platform(article: &Article) -> Option<&'static str> {
    scan::house_platform(article)
}

/// Most body text read for claims. The scan keeps every sentence's reading for its
/// second pass, about 30 bytes of memory per byte of claim-dense text; no real article
/// comes near this (4 MB is some 700,000 words), but a hostile one must not cost a
/// gigabyte. Text past it (cut at a paragraph) is not read for claims.
pub const MAX_CLAIM_TEXT: usize = 4 << 20;

/// Finds the claims and spokespeople of an article.
pub fn find(article: &Article) -> Found {
    if article.body.len() > MAX_CLAIM_TEXT {
        let mut cut = MAX_CLAIM_TEXT;
        while !article.body.is_char_boundary(cut) {
            cut -= 1;
        }
        let cut = article.body[..cut].rfind("\n\n").unwrap_or(cut);
        let head = Article {
            body: article.body[..cut].to_string(),
            ..article.clone()
        };
        return find(&head);
    }
    let (mut claims, spokespeople) = scan::scan(article);
    for c in &mut claims {
        c.page = article.page_of(c.span[0]);
    }
    Found {
        claims,
        spokespeople,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_are_read_from_the_first_max_claim_text_bytes_only() {
        let first = "Twitter said on Thursday it had suspended 2,617 accounts in Iran.";
        let filler = "The weather was mild and the markets opened higher that morning.\n\n";
        let last = "Facebook said on Friday it had removed 783 Pages tied to Iran.";
        let body = format!(
            "{first}\n\n{}{last}",
            filler.repeat(MAX_CLAIM_TEXT / filler.len() + 10)
        );
        let article = Article::from_text(body, None);
        let found = find(&article);
        let counts: Vec<Option<u64>> = found.claims.iter().map(|c| c.count).collect();
        assert_eq!(counts, vec![Some(2617)]);
        let c = &found.claims[0];
        assert_eq!(&article.body[c.span[0]..c.span[1]], c.evidence);
    }

    fn one(sentence: &str) -> Vec<(Option<u64>, Qualifier, String, Confidence)> {
        find(&Article::from_text(sentence.to_string(), None))
            .claims
            .into_iter()
            .map(|c| (c.count, c.qualifier, c.action, c.confidence))
            .collect()
    }

    /// Every verb the lexicon gained from real reporting, in a sentence of our own.
    #[test]
    fn takedown_verbs_beyond_remove_and_suspend() {
        for (sentence, count, action) in [
            (
                "Twitter pulled more than 4,000 accounts tied to Iran.",
                4000,
                "pull",
            ),
            (
                "YouTube canceled 210 channels linked to China.",
                210,
                "cancel",
            ),
            ("Facebook axed 52 Pages run from Russia.", 52, "axe"),
            (
                "Twitter culled 88,000 accounts tied to Saudi Arabia.",
                88_000,
                "cull",
            ),
            ("Reddit booted 944 accounts linked to Russia.", 944, "boot"),
            (
                "Facebook wiped 1,907 accounts run from Russia.",
                1907,
                "wipe",
            ),
            ("Instagram scrubbed 41 accounts tied to Iran.", 41, "scrub"),
            (
                "Facebook shuttered 3,000 Pages linked to Myanmar.",
                3000,
                "shutter",
            ),
            (
                "Microsoft knocked offline 99 websites run from Iran.",
                99,
                "knock offline",
            ),
            (
                "Telegram eliminated 150 channels tied to Russia.",
                150,
                "eliminate",
            ),
        ] {
            let got = one(sentence);
            assert_eq!(got.len(), 1, "{sentence}: {got:?}");
            assert_eq!(got[0].0, Some(count), "{sentence}");
            assert_eq!(got[0].2, action, "{sentence}");
            assert_eq!(got[0].3, Confidence::High, "{sentence}");
        }
    }

    /// Number forms of real reporting: a plus sign or "-plus" bounds a figure from below;
    /// European dots and South Asian commas group thousands.
    #[test]
    fn number_forms_of_real_reporting() {
        for (sentence, count, q) in [
            (
                "TikTok removed 10,900+ accounts tied to Russia.",
                10_900,
                Qualifier::MoreThan,
            ),
            (
                "Meta removed 2,000-plus accounts run from Iran.",
                2000,
                Qualifier::MoreThan,
            ),
            (
                "Facebook removed 170.000 accounts run from Russia.",
                170_000,
                Qualifier::Exact,
            ),
            (
                "WhatsApp banned 5,60,000 accounts in India.",
                560_000,
                Qualifier::Exact,
            ),
        ] {
            let got = one(sentence);
            assert_eq!(
                got.first().map(|c| (c.0, c.1)),
                Some((Some(count), q)),
                "{sentence}: {got:?}"
            );
        }
    }

    fn claims_of(body: &str) -> Vec<Claim> {
        find(&Article::from_text(body.to_string(), None)).claims
    }

    /// Constructions of real reporting, in sentences of our own: a list item labelled
    /// by its country, list items that share the first item's platform, an elided noun,
    /// and "engaged in" describing what was removed rather than an audience.
    #[test]
    fn labels_lists_and_elided_nouns() {
        let got = claims_of(
            "2. Kenya: We took down 12 Facebook accounts, 9 Pages and one Group that posed as \
             local news outlets.\n\nPeru: We took down 31 accounts on Instagram that \
             targeted voters in Lima.",
        );
        let brief: Vec<(&str, Option<u64>, &str, Vec<&str>)> = got
            .iter()
            .map(|c| {
                (
                    c.platform.as_str(),
                    c.count,
                    c.object.as_str(),
                    c.countries.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            brief,
            vec![
                ("facebook", Some(12), "accounts", vec!["KE"]),
                ("facebook", Some(9), "pages", vec!["KE"]),
                ("facebook", Some(1), "groups", vec!["KE"]),
                ("instagram", Some(31), "accounts", vec!["PE"]),
            ]
        );
        let got = claims_of(
            "Meta said it removed 512 Facebook and 87 Instagram accounts run from Ghana.",
        );
        let brief: Vec<(&str, Option<u64>, &str, Confidence)> = got
            .iter()
            .map(|c| {
                (
                    c.platform.as_str(),
                    c.count,
                    c.object.as_str(),
                    c.confidence,
                )
            })
            .collect();
        assert!(
            brief.contains(&("facebook", Some(512), "accounts", Confidence::Medium)),
            "{brief:?}"
        );
        assert!(
            brief.iter().any(|c| c.0 == "instagram" && c.1 == Some(87)),
            "{brief:?}"
        );
        let got = claims_of(
            "Meta said it was removing 318 Pages and accounts engaged in coordinated \
             inauthentic behaviour from Serbia.",
        );
        assert_eq!(got.first().map(|c| c.count), Some(Some(318)), "{got:?}");
    }

    /// Numbers that are not what was removed, in sentences of our own: who the network
    /// was tied to, the audience of a Page or Group, what its accounts made, and the
    /// headline of a linked story.
    #[test]
    fn figures_that_are_not_takedowns() {
        for (body, removed) in [
            (
                "Meta removed a network of about 900 accounts associated with roughly 30 people in Lagos.",
                900,
            ),
            (
                "Meta removed 14 Pages from Peru; the network had about 6,100 Page followers and 40 Group members.",
                14,
            ),
            (
                "Reddit closed 350 accounts from Russia. They made 9,000 posts before they were found.",
                350,
            ),
            (
                "Twitter suspended 212 accounts tied to Cuba.\n\nSEE: Microsoft seizes 41 domains used by hackers",
                212,
            ),
        ] {
            let counts: Vec<Option<u64>> = claims_of(body).iter().map(|c| c.count).collect();
            assert_eq!(counts, vec![Some(removed)], "{body}");
        }
        // A network "with" its accounts states what was removed.
        let got = claims_of(
            "Facebook removed four networks. The third, with 63 accounts and 12 Pages, ran from Peru.",
        );
        assert!(got.iter().any(|c| c.count == Some(63)), "{got:?}");
    }

    /// A country's name before a noun of its state attributes to it ("the Myanmar
    /// military"), unless that state is the one who speaks or investigates.
    #[test]
    fn a_state_named_by_its_country_is_an_origin() {
        let got =
            claims_of("Facebook took down 18 accounts run by the Myanmar military on Monday.");
        assert_eq!(
            got.first().map(|c| c.countries.clone()),
            Some(vec!["MM".to_string()])
        );
        let got = claims_of(
            "Facebook took down 31 Pages that the Canada government has identified as run from Iran.",
        );
        assert!(
            got.first()
                .is_some_and(|c| !c.countries.contains(&"CA".to_string())),
            "{got:?}"
        );
    }

    /// A story about one operation names its origin in the lede; a figure further down
    /// belongs to it. A country named only further down does not spread.
    #[test]
    fn the_lede_gives_a_one_operation_story_its_origin() {
        let got = claims_of(
            "Meta took action against a network tied to the Pakistani military.\n\n\
             It said 61 Facebook accounts and 12 Pages were removed on Friday.",
        );
        assert!(
            got.iter()
                .any(|c| c.count == Some(61) && c.countries == ["PK"]),
            "{got:?}"
        );
        let got = claims_of(
            "YouTube removed 4.1 million channels in the quarter, mostly for spam.\n\n\
             Most were found by automated systems before anyone saw them.\n\n\
             The company also published figures on comments and videos.\n\n\
             Separately, it took down 23 channels run from Iran.",
        );
        let spam = got.iter().find(|c| c.count == Some(4_100_000));
        assert!(spam.is_some_and(|c| c.countries.is_empty()), "{got:?}");
    }

    /// Confidence says where the figure's verb and platform were read.
    #[test]
    fn confidence_follows_where_verb_and_platform_were_read() {
        let body = "Twitter said it had suspended 2,617 accounts in Iran.\n\n\
                    The network was made up of 289 accounts operating from Iran.";
        let found = find(&Article::from_text(body.to_string(), None));
        let levels: Vec<(Option<u64>, Confidence)> = found
            .claims
            .iter()
            .map(|c| (c.count, c.confidence))
            .collect();
        assert_eq!(
            levels,
            vec![
                (Some(2617), Confidence::High),
                (Some(289), Confidence::Medium)
            ]
        );
    }
}
