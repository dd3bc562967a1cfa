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
mod words;

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
            ("Meta thwarted four networks run from Bolivia.", 4, "thwart"),
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
            (
                "WhatsApp banned 3.1 mn accounts in India in June.",
                3_100_000,
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

    fn brief(body: &str) -> Vec<(String, Option<u64>, String, Vec<String>)> {
        claims_of(body)
            .into_iter()
            .map(|c| (c.platform, c.count, c.object, c.countries))
            .collect()
    }

    /// A figure is one claim however often the story states it: a headline above the
    /// body, a caption or summary restating it, a takedown verb used as an adjective
    /// ("the suspended accounts"). A headline's origin reaches the body's figure.
    #[test]
    fn a_restated_figure_is_one_claim() {
        let got = brief(
            "Telegram Bans 4,200 Iranian Accounts\n\n\
             Telegram said on Tuesday it had banned 4,200 channels and accounts in a single \
             sweep.\n\nA screenshot from one of the 4,200 accounts banned by Telegram.",
        );
        assert_eq!(
            got,
            vec![(
                "telegram".to_string(),
                Some(4200),
                "channels and accounts".to_string(),
                vec!["IR".to_string()]
            )]
        );
        // A headline with no figure stands only when the body reports nothing more.
        let got = brief(
            "Reddit removes accounts linked to Russia\n\n\
             Reddit said it had banned 944 accounts it traced to Russia.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].1, Some(944));
        let got = brief(
            "Twitter suspended 410 accounts from Cuba.\n\n\
             The suspended accounts had posted about the vote.\n\n\
             Purged accounts also shared state media.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
    }

    /// The head of a noun compound is the object, and a channel Google removes is a
    /// YouTube channel.
    #[test]
    fn channels_are_counted_as_channels_and_belong_to_youtube() {
        let got = brief("Google said it terminated 57 news channels on YouTube linked to Iran.");
        assert_eq!(got[0].0, "youtube");
        assert_eq!(got[0].2, "channels");
        let got = brief("Google said it had terminated 1,140 channels tied to China.");
        assert_eq!(got[0].0, "youtube", "{got:?}");
    }

    /// A story about one state's military names it in the headline only; the network
    /// further down is its.
    #[test]
    fn an_origin_given_only_by_the_headline_reaches_the_figure() {
        let got = brief(
            "Facebook takes down main page of Laos army\n\n\
             Facebook on Sunday deleted the main page of the army under its rules.\n\n\
             The army did not answer calls.\n\n\
             Ahead of the elections, Facebook said it had taken down a network of 52 fake \
             accounts and pages.",
        );
        assert!(
            got.iter().any(|c| c.1 == Some(52) && c.3 == ["LA"]),
            "{got:?}"
        );
    }

    /// A figure without a takedown verb of its own, tied to the story's takedown by the
    /// words before it: "there were …", "Among the removed accounts, N are …", "Using N
    /// accounts …"; and an audience after a passive ("followed by") is the Pages'.
    #[test]
    fn figures_that_point_back_at_the_takedown() {
        let lead = "Meta said it removed accounts of a network run from Chile.\n\n";
        for (rest, want) in [
            (
                "According to Meta there were 31 Pages, 88 Facebook accounts and 6 Instagram \
                 accounts with about 90,000 accounts following them.",
                vec![31, 88, 6],
            ),
            (
                "Among the now removed accounts, 2,304 are Facebook accounts and 12 are \
                 Facebook groups.",
                vec![2304, 12],
            ),
            (
                "Using 17 Facebook accounts and 9 Pages, the network posted about mining.",
                vec![17, 9],
            ),
            (
                "Out of the total, 140 accounts were run by a marketing firm.",
                vec![140],
            ),
        ] {
            let body = format!("{lead}{rest}");
            let counts: Vec<u64> = claims_of(&body).iter().filter_map(|c| c.count).collect();
            assert_eq!(counts, want, "{rest}");
        }
        let got = brief(
            "\"Today we are removing 21 Facebook accounts and 64 Facebook Pages, followed by \
             about 3 million people,\" Facebook said of the network in Chile.",
        );
        assert!(got.iter().any(|c| c.1 == Some(64)), "{got:?}");
        let got = brief("Microsoft said it had hijacked 37 websites run by hackers in Iran.");
        assert_eq!(got.first().map(|c| c.1), Some(Some(37)), "{got:?}");
        let got = brief("Twitter shuts 209 propaganda accounts in Kenya");
        assert_eq!(got.first().map(|c| c.1), Some(Some(209)), "{got:?}");
    }

    /// Numbers near a takedown that are not what was taken down: a photo caption with its
    /// credit, complaints against accounts, a takedown someone asked for, what the
    /// accounts made "a total of".
    #[test]
    fn captions_complaints_and_requests_are_not_takedowns() {
        for (body, removed) in [
            (
                "Twitter suspended 212 accounts tied to Cuba.\n\n\
                 Twitter is removing over 200 accounts linked to Cuba (AFP Photo/J. Roe)",
                vec![212],
            ),
            (
                "WhatsApp banned 91,000 accounts in India in May. It received complaints \
                 against 377 accounts and users appealed to ban 120 accounts.",
                vec![91_000],
            ),
            (
                "Reddit said it was closing 611 accounts that made a total of around 9,000 \
                 posts.",
                vec![611],
            ),
            (
                "WhatsApp received 380 complaints from users who appealed to ban 212 \
                 accounts, and 31 accounts were banned.",
                vec![31],
            ),
        ] {
            let counts: Vec<u64> = claims_of(body).iter().filter_map(|c| c.count).collect();
            assert_eq!(counts, removed, "{body}");
        }
    }

    /// Who acted and where it came from, in the longer sentences of real reporting: a
    /// document's participle is not the subject's verb, "as part of a network that
    /// originated in …" attributes, and a quote restating the lede's figure lends it the
    /// origin it names.
    #[test]
    fn subject_and_origin_in_long_sentences() {
        let got = brief(
            "OpenAI said it banned accounts run by a firm in Israel.\n\n\
             Meanwhile, in its threat report released Wednesday, Meta confirmed that it had \
             also removed 230 Facebook accounts, 17 Pages and one Group.",
        );
        assert!(
            got.iter()
                .any(|c| (c.0 == "facebook" || c.0 == "meta") && c.1 == Some(17)),
            "{got:?}"
        );
        let got = brief(
            "Facebook said it removed 48 Pages and 90 accounts for coordinated inauthentic \
             behaviour as part of a network that originated in Bolivia.",
        );
        assert!(got.iter().all(|c| c.3 == ["BO"]), "{got:?}");
        let got = brief(
            "Facebook has taken down 271 pages and accounts, the company said on Monday.\n\n\
             \"Today we removed 271 pages and accounts as part of a network that originated \
             in Nepal,\" its head of security policy said.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].3, ["NP"]);
    }

    /// Actors and verbs of real reporting beyond the platforms' own words: the Justice
    /// Department seizes domains, a company "confiscated" websites or "restricted"
    /// accounts; and a partitive names its noun after "of".
    #[test]
    fn seizures_restrictions_and_partitives() {
        let got = brief(
            "The Justice Department said it was seizing 19 internet domains used by a \
             Russian influence campaign.",
        );
        assert_eq!(
            got.first().map(|c| (c.0.as_str(), c.1)),
            Some(("doj", Some(19)))
        );
        let got = brief("Microsoft said it had confiscated 27 websites run from North Korea.");
        assert_eq!(got.first().map(|c| c.1), Some(Some(27)), "{got:?}");
        let got = brief("LinkedIn said it restricted 61 fake accounts tied to China.");
        assert_eq!(got.first().map(|c| c.1), Some(Some(61)), "{got:?}");
        let got = brief("In 2023, YouTube disabled over 41,000 of the group's channels.");
        assert_eq!(
            got.first().map(|c| (c.1, c.2.as_str())),
            Some((Some(41_000), "channels"))
        );
        // One item of a figure is no figure.
        let got = brief(
            "Twitter removed 512 accounts in Peru.\n\n\
             One of the removed accounts posted daily.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
    }

    /// A figure in parentheses after a country is that country's; "hadn't seen any
    /// evidence" negates no takedown.
    #[test]
    fn parenthesised_figures_and_evidence_denials() {
        let got = brief(
            "Twitter said it removed three networks of accounts. They were tied to Ghana \
             (41 accounts), Saudi Arabia (120 accounts) or Cuba (17 accounts).",
        );
        let by_country = counts_and_countries(got);
        for (n, code) in [(41, "GH"), (120, "SA"), (17, "CU")] {
            assert!(
                by_country.contains(&(Some(n), vec![code.to_string()])),
                "{by_country:?}"
            );
        }
        let got =
            brief("Reddit said it hadn't \"seen any evidence\" of Iranian accounts on the site.");
        assert!(got.is_empty(), "{got:?}");
        // A platform that has not been blocked somewhere negates no takedown of its own.
        let got = brief(
            "YouTube is widely watched in Peru, where the service has not been blocked even \
             though critics post their videos there.",
        );
        assert!(got.is_empty(), "{got:?}");
    }

    /// A list item with a bare figure counts what the item before it counted.
    #[test]
    fn bare_list_items_take_the_noun_before_them() {
        let got = brief(
            "Going back over its updates, Google removed:\n\n\
             • 2,950 YouTube channels in October, linked to China\n\n\
             • 1,402 in September\n\n\
             • 988 in August",
        );
        let counts: Vec<(Option<u64>, &str)> = got.iter().map(|c| (c.1, c.2.as_str())).collect();
        assert_eq!(
            counts,
            vec![
                (Some(2950), "channels"),
                (Some(1402), "channels"),
                (Some(988), "channels")
            ]
        );
        assert!(
            got.iter().all(|c| c.0 == "youtube" && c.3 == ["CN"]),
            "{got:?}"
        );
    }

    /// Each clause has its own subject: a platform named after the sentence's first verb,
    /// with a verb of its own before a figure, is the one that removed it.
    #[test]
    fn a_later_clause_names_its_own_platform() {
        let got = brief(
            "Reddit banned 1,210 accounts from Peru, two days after Meta said it had taken \
             down 340 Pages run from the same country.",
        );
        let plats: Vec<(&str, Option<u64>)> = got.iter().map(|c| (c.0.as_str(), c.1)).collect();
        assert!(plats.contains(&("reddit", Some(1210))), "{got:?}");
        assert!(
            plats
                .iter()
                .any(|(p, n)| (*p == "meta" || *p == "facebook") && *n == Some(340)),
            "{got:?}"
        );
        let got = brief(
            "Twitch says it closed 77 channels run from Chile; YouTube says it terminated \
             nine channels.",
        );
        assert!(
            got.iter().any(|c| c.0 == "youtube" && c.1 == Some(9)),
            "{got:?}"
        );
    }

    /// Each item of a list of figures keeps its own countries: a country named with one
    /// figure is not the next one's.
    #[test]
    fn list_items_keep_their_own_countries() {
        let got = brief("Twitter removed 412 accounts from Qatar and Oman, and 1,380 in Bolivia.");
        let by = counts_and_countries(got);
        assert!(
            by.contains(&(Some(412), vec!["QA".to_string(), "OM".to_string()])),
            "{by:?}"
        );
        assert!(by.contains(&(Some(1380), vec!["BO".to_string()])), "{by:?}");
        let got = brief(
            "Reddit closed 51 accounts tied to Nepal, 17 accounts run from Laos and 9 \
             accounts based in Chile.",
        );
        let by = counts_and_countries(got);
        assert_eq!(
            by,
            vec![
                (Some(51), vec!["NP".to_string()]),
                (Some(17), vec!["LA".to_string()]),
                (Some(9), vec!["CL".to_string()])
            ]
        );
        // Items that share a trailing country are the later item's.
        let got = brief(
            "YouTube closed 6 channels tied to Chile, 28 channels and 3 blogs linked to Peru.",
        );
        let by = counts_and_countries(got);
        assert!(by.contains(&(Some(28), vec!["PE".to_string()])), "{by:?}");
        assert!(by.contains(&(Some(6), vec!["CL".to_string()])), "{by:?}");
        // A list that names its country once shares it.
        let got = brief("Meta removed 312 Facebook and 48 Instagram accounts run from Peru.");
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got.iter().all(|c| c.3 == ["PE"]), "{got:?}");
    }

    /// Counts that restate or describe rather than report: one item of a figure named
    /// again, and a count of networks that no takedown verb governs directly.
    #[test]
    fn restated_wholes_and_described_networks_are_no_claims() {
        let got = brief(
            "Twitter removed 612 accounts tied to Peru.\n\n\
             A post from one of the 612 accounts removed by Twitter mocked the vote.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        let got = brief(
            "Reddit banned 810 accounts. Among the accounts banned, Reddit wrote, there were \
             three account networks tied to Laos (40 accounts) and Peru (70 accounts).",
        );
        let counts: Vec<Option<u64>> = got.iter().map(|c| c.1).collect();
        assert!(!counts.contains(&Some(3)), "{got:?}");
        assert!(counts.contains(&Some(40)), "{got:?}");
        let got = brief(
            "Twitter removed 310 accounts.\n\nThree disinformation networks removed\n\n\
             The first was tied to Peru (40 accounts).",
        );
        assert!(!got.iter().any(|c| c.1 == Some(3)), "{got:?}");
        assert!(got.iter().any(|c| c.1 == Some(310)), "{got:?}");
        assert!(got.iter().any(|c| c.1 == Some(40)), "{got:?}");
        let got = brief("Meta said it had disrupted six networks from Chile and Peru.");
        assert_eq!(got.first().map(|c| c.1), Some(Some(6)), "{got:?}");
    }

    /// Whom accounts posed as is where they were aimed, not where they came from.
    #[test]
    fn posing_as_locals_names_the_target() {
        let got = claims_of(
            "Meta removed 188 accounts run from Israel that posed as residents and local \
             papers in Chad and Mali.",
        );
        assert_eq!(
            got.first().map(|c| c.countries.clone()),
            Some(vec!["IL".to_string()])
        );
        assert_eq!(
            got.first().map(|c| c.targets.clone()),
            Some(vec!["TD".to_string(), "ML".to_string()])
        );
    }

    /// Figures of another kind than one takedown's count: a rate, and a vague figure in a
    /// sentence about the past in general.
    #[test]
    fn rates_and_background_are_not_takedowns() {
        let got = brief(
            "WhatsApp banned 2.2 mn accounts in India in May.\n\n\
             On average 6 mn accounts are banned worldwide on a monthly basis.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        let got = brief(
            "Twitch banned 31 channels tied to Peru on Friday.\n\n\
             Twitch has previously removed hundreds of accounts for spam.\n\n\
             It has closed thousands of channels in the last year.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        // A total over time spans every network: it takes no origin from the story's.
        let got = brief(
            "Meta removed 61 accounts tied to Peru.\n\n\
             Since 2017, Meta has removed more than 200 networks.",
        );
        assert!(
            got.iter().any(|c| c.1 == Some(200) && c.3.is_empty()),
            "{got:?}"
        );
        let got = brief("X, formerly Twitter, has deleted hundreds of accounts tied to Peru.");
        assert_eq!(got.len(), 1, "{got:?}");
        let got = brief("X, previously known as Twitter, suspended hundreds of accounts.");
        assert_eq!(got.len(), 1, "{got:?}");
    }

    /// A network described in the sentence after its figure is where that figure came
    /// from, not the network the story spoke of before.
    #[test]
    fn the_next_sentence_names_a_new_networks_origin() {
        let got = brief(
            "We terminated 12 YouTube channels linked to Peru.\n\n\
             The channels posted about mining.\n\n\
             We terminated 5 YouTube channels as part of our work against an influence \
             operation.\n\n\
             The campaign was linked to a Chile-based consultancy.",
        );
        let by = counts_and_countries(got);
        assert!(by.contains(&(Some(5), vec!["CL".to_string()])), "{by:?}");
        assert!(by.contains(&(Some(12), vec!["PE".to_string()])), "{by:?}");
        // Countries the network wrote about are no attribution.
        let got = brief(
            "Meta removed 61 accounts tied to Peru.\n\n\
             Meta removed 14 Pages that belonged to the network.\n\n\
             That network posted in support of Chile's army and against Bolivia's ties with \
             its neighbours.",
        );
        assert!(!got.is_empty(), "{got:?}");
        assert!(got.iter().all(|c| c.3 == ["PE"]), "{got:?}");
    }
    /// A platform after "by" describes a list item ("9 accounts by Meta-owned
    /// Instagram") or an owner in an apposition ("the app owned by Meta"); it is not
    /// the subject, so earlier items keep the platform of the item before them.
    #[test]
    fn a_platform_after_by_is_not_the_subject() {
        let got = brief(
            "In all, 12 Facebook accounts, 5 pages and 9 accounts by Meta-owned \
             Instagram were taken down.",
        );
        let by: Vec<(String, Option<u64>)> = got.into_iter().map(|c| (c.0, c.1)).collect();
        assert_eq!(
            by,
            vec![
                ("facebook".to_string(), Some(12)),
                ("facebook".to_string(), Some(5)),
                ("instagram".to_string(), Some(9))
            ]
        );
        let got = brief(
            "WhatsApp, a chat service owned by Meta, says it closed over 3.2 million accounts in Peru.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "whatsapp", "{got:?}");
    }

    /// In a list of YouTube channels, the blogs and the ads accounts are Google's.
    #[test]
    fn blogs_and_ads_accounts_are_googles() {
        let got = brief(
            "We terminated 7 YouTube channels and 2 ads accounts as part of our probe into a \
             network linked to Peru. We terminated 30 YouTube channels and 5 blogs during our \
             probe of a network linked to Chad. We terminated 4 AdSense accounts linked \
             to Peru.",
        );
        let by: Vec<(String, Option<u64>, String)> =
            got.into_iter().map(|c| (c.0, c.1, c.2)).collect();
        for want in [
            ("youtube", 7, "channels"),
            ("google", 2, "ads accounts"),
            ("youtube", 30, "channels"),
            ("google", 5, "blogs"),
            ("google", 4, "adsense accounts"),
        ] {
            assert!(
                by.contains(&(want.0.to_string(), Some(want.1), want.2.to_string())),
                "{want:?} in {by:?}"
            );
        }
    }

    /// "four networks of accounts" whose accounts the sentence then counts by country:
    /// the networks are the breakdown's frame, not a figure of their own.
    #[test]
    fn networks_of_counted_accounts_are_no_claim() {
        let got = brief(
            "Twitch removed four networks of accounts linked to Peru (50 accounts), Chile \
             (12 accounts) and Laos (9 accounts).",
        );
        let counts: Vec<Option<u64>> = got.iter().map(|c| c.1).collect();
        assert_eq!(counts, vec![Some(50), Some(12), Some(9)], "{got:?}");
    }

    /// "thought to have come from mainland Laos": the infinitive's "have" is no
    /// audience, and "mainland" does not hide the country.
    #[test]
    fn believed_to_have_originated_in_the_mainland() {
        let got = brief(
            "Twitter told our reporter it suspended 512 accounts thought to have \
             come from mainland Laos.",
        );
        assert_eq!(
            got,
            vec![(
                "twitter".to_string(),
                Some(512),
                "accounts".to_string(),
                vec!["LA".to_string()]
            )]
        );
    }

    /// A place in an opening concessive clause ("Despite … not being blocked in Laos,")
    /// locates that clause, not the removed items; "Since launching …" opens a total over
    /// time that takes no origin from the story.
    #[test]
    fn opening_clauses_give_no_origin() {
        let got = brief(
            "Briefly: Despite Twitch still being reachable in Laos, the service has taken down \
             more than 5,000 videos and 700 channels about the conflict.",
        );
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got.iter().all(|c| c.3.is_empty()), "{got:?}");
        let got = brief(
            "Reddit banned 40 accounts tied to Laos. Since launching its reports in March 2023, \
             Reddit has banned more than 30 networks.",
        );
        let by = counts_and_countries(got);
        assert_eq!(
            by,
            vec![(Some(40), vec!["LA".to_string()]), (Some(30), vec![])]
        );
    }

    /// "the chat service owned Meta" (a slip for "owned by"): the owner is no subject
    /// either.
    #[test]
    fn an_owner_without_by_is_not_the_subject() {
        let got = brief(
            "WhatsApp, the chat service owned Meta, has closed over 3.2 million accounts in Peru.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "whatsapp", "{got:?}");
    }

    /// When two earlier items of a list name their own countries, a last item that names
    /// none takes none of theirs.
    #[test]
    fn an_item_without_a_country_takes_none_of_its_neighbours() {
        let got = brief(
            "Twitch has also removed four accounts tied to the Laotian troll farm, 130 accounts \
             linked to a movement in Peru, and 33 accounts that engaged in spam related to Chile.",
        );
        let by = counts_and_countries(got);
        assert!(by.contains(&(Some(33), vec![])), "{by:?}");
        assert!(by.contains(&(Some(130), vec!["PE".to_string()])), "{by:?}");
        // Items that all name one country share it.
        let got = brief(
            "Twitch closed 2,040 channels linked to Laos, 1,310 Laotian channels and 880 \
             channels in March.",
        );
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got.iter().all(|c| c.3 == ["LA"]), "{got:?}");
    }

    /// A quote restating a figure with its words inflected or spelt otherwise
    /// ("individual and organisations", "individuals and organizations") is one claim.
    #[test]
    fn a_restated_object_spelt_otherwise_is_one_claim() {
        let got = brief(
            "Snapchat has banned 14 Laotian individual and organisations, a spokesperson told us. \
             \"We have banned 14 individuals and organizations in Laos,\" she added.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
    }

    /// "eradicated" reports a takedown (its clause's subject keeps its figure); a
    /// permission to seize is not a seizure.
    #[test]
    fn eradicate_and_a_permission_to_seize() {
        let got = brief(
            "Following news that Snapchat had eradicated about 6,000 accounts tied to a spam \
             ring, Twitch too has removed 190 accounts.",
        );
        let by: Vec<(String, Option<u64>)> = got.into_iter().map(|c| (c.0, c.1)).collect();
        assert!(by.contains(&("snapchat".to_string(), Some(6000))), "{by:?}");
        assert!(by.contains(&("twitch".to_string(), Some(190))), "{by:?}");
        let got = brief(
            "An Ohio court gave Microsoft permission to seize web domains run by a Laotian \
             group.",
        );
        assert!(got.is_empty(), "{got:?}");
        // The seizure itself is one.
        let got = brief("Microsoft has seized 12 web domains run by a Laotian group.");
        assert_eq!(got.len(), 1, "{got:?}");
    }

    /// A takedown with no number keeps the platform named on its object ("blocking
    /// YouTube channels" in Google's words), Google's channels are YouTube's, and
    /// "connected with" attributes like "connected to".
    #[test]
    fn a_vague_takedown_keeps_its_objects_platform() {
        let got =
            brief("In a written note, Google says it is blocking YouTube channels linked to Laos.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(
            (got[0].0.as_str(), got[0].3.clone()),
            ("youtube", vec!["LA".to_string()])
        );
        let got =
            brief("Google told us it had deleted channels connected with Peru and Chile too.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "youtube", "{got:?}");
        assert_eq!(
            got[0].3,
            vec!["PE".to_string(), "CL".to_string()],
            "{got:?}"
        );
    }

    /// Bulleted items run into one sentence elide the noun of the item before them, a
    /// month before the bullet notwithstanding.
    #[test]
    fn bulleted_items_elide_the_noun_before_them() {
        let got = brief(
            "Google removed: • 2,210 YouTube channels in May, linked to Laos • 870 in April \
             • 640 in March",
        );
        let counts: Vec<Option<u64>> = got.iter().map(|c| c.1).collect();
        assert_eq!(counts, vec![Some(2210), Some(870), Some(640)], "{got:?}");
        assert!(got.iter().all(|c| c.0 == "youtube"), "{got:?}");
    }

    /// A story whose only takedown has neither figure nor place still reports it, once
    /// per object; a habit ("normally removes") is no takedown, and a platform with a
    /// claim of its own keeps only that.
    #[test]
    fn a_vague_takedown_without_a_place_stands_alone() {
        let got = brief(
            "Twitch banned several channels spreading war propaganda, a spokesperson told \
             the Lakeside Courier.\n\nThe spokesperson said Twitch had also closed some \
             accounts that reposted the videos.",
        );
        let short: Vec<(&str, Option<u64>, &str, usize)> = got
            .iter()
            .map(|c| (c.0.as_str(), c.1, c.2.as_str(), c.3.len()))
            .collect();
        assert_eq!(
            short,
            vec![
                ("twitch", None, "channels", 0),
                ("twitch", None, "accounts", 0)
            ]
        );
        assert!(brief_is_empty(
            "Twitch normally removes accounts that post spam."
        ));
        let got = brief(
            "Twitch banned 31 channels tied to Peru on Friday.\n\nIt has also closed several \
             accounts.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
    }

    /// Each claim of [`brief`]'s as its count and countries.
    fn counts_and_countries(
        got: Vec<(String, Option<u64>, String, Vec<String>)>,
    ) -> Vec<(Option<u64>, Vec<String>)> {
        got.into_iter().map(|c| (c.1, c.3)).collect()
    }

    fn brief_is_empty(body: &str) -> bool {
        brief(body).is_empty()
    }

    /// What a removed network was made of, told by "accounted for" or with a relative
    /// clause on what the items posted or had; a clause on whom they followed makes them
    /// an audience. Videos Google removes are YouTube's.
    #[test]
    fn make_up_of_a_network_and_its_relative_clauses() {
        let got = brief(
            "Meta said it had removed three networks.\n\nThe biggest, in Fiji, was made up \
             of 212 Facebook accounts and 940 Pages that posted about local elections.\n\n\
             Another operation, run from Kenya, accounted for 64 Facebook accounts, three \
             Pages and 11 Groups.",
        );
        let counts: Vec<(Option<u64>, Vec<String>)> =
            got.iter().map(|c| (c.1, c.3.clone())).collect();
        let fj = vec!["FJ".to_string()];
        let ke = vec!["KE".to_string()];
        assert_eq!(
            counts[1..],
            [
                (Some(212), fj.clone()),
                (Some(940), fj),
                (Some(64), ke.clone()),
                (Some(3), ke.clone()),
                (Some(11), ke)
            ],
            "{got:?}"
        );
        let got = brief(
            "Meta removed 40 Pages tied to Chile, and 9,000 accounts that followed them \
             were notified.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        let got = brief("Of the more than 400,000 videos Google suspended, most had few views.");
        assert_eq!(
            got.first().map(|c| (c.0.as_str(), c.1)),
            Some(("youtube", Some(400_000))),
            "{got:?}"
        );
    }

    /// Where seized machines stand ("U.S.-based websites") is not where the operation was
    /// run from.
    #[test]
    fn hosted_infrastructure_is_not_an_origin() {
        let got = brief(
            "A court in Ohio let Microsoft seize 31 U.S.-based websites that a hacking group \
             from Iran used.",
        );
        assert_eq!(
            got.first().map(|c| (c.1, c.3.clone())),
            Some((Some(31), vec!["IR".to_string()])),
            "{got:?}"
        );
    }

    /// A figure with no takedown of its own becomes a claim when a following sentence
    /// removes what it counted, by reference; alone it is none.
    #[test]
    fn a_later_sentence_removes_what_a_figure_counted() {
        let got = claims_of(
            "Meta said it found 320 accounts and Pages tied to Bolivia that bought ads.\n\n\
             Meta has since closed those accounts and Pages.",
        );
        let short: Vec<(Option<u64>, Vec<String>, &str, Confidence)> = got
            .iter()
            .map(|c| {
                (
                    c.count,
                    c.countries.clone(),
                    c.action.as_str(),
                    c.confidence,
                )
            })
            .collect();
        assert_eq!(
            short,
            vec![(
                Some(320),
                vec!["BO".to_string()],
                "close",
                Confidence::Medium
            )]
        );
        assert!(
            brief("Meta said it found 320 accounts tied to Bolivia that bought ads.").is_empty()
        );
    }

    /// A network that targeted domestic audiences targeted its own country, not those
    /// the story's other networks targeted.
    #[test]
    fn domestic_audiences_are_the_networks_own() {
        let got = claims_of(
            "TikTok said it removed networks that targeted Peru, Chile and Bolivia.\n\n\
             The largest was a network of 40 accounts run from Ecuador that targeted \
             domestic audiences.",
        );
        let c = got.iter().find(|c| c.count == Some(40));
        assert_eq!(
            c.map(|c| c.targets.clone()),
            Some(vec!["EC".to_string()]),
            "{got:?}"
        );
    }

    /// A later sentence repeating a figure the headline gave without a place lends it its
    /// origin, even when a line between them keeps the headline's figure from reaching it.
    #[test]
    fn a_repeat_lends_its_origin_to_the_first_mention() {
        let got = brief(
            "Bing Bans 900 Accounts From Networks In 3 Countries\n\n\
             They ran state-linked influence work\n\n\
             Staff shared notes about the three networks PhotoDesk/Stock\n\n\
             Bing banned 900 accounts tied to networks in Laos, Peru and Malta.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].3, ["LA", "PE", "MT"], "{got:?}");
    }

    /// An audience stated in a sentence about the network's possessive ("The network's
    /// posts were directed at …") is the targets of the figures before it.
    #[test]
    fn a_possessive_network_states_its_targets() {
        let got = claims_of(
            "Meta said it removed 45 accounts run by a firm based in Malta.\n\n\
             The network's posts were directed at Chile and Peru.",
        );
        let c = got.iter().find(|c| c.count == Some(45));
        assert_eq!(
            c.map(|c| c.targets.clone()),
            Some(vec!["CL".to_string(), "PE".to_string()]),
            "{got:?}"
        );
    }

    /// "The groups, based in …" attributes the groups a figure counted, as "the group"
    /// and "the accounts" do.
    #[test]
    fn groups_based_in_name_the_origin() {
        let got = brief(
            "Bing said on Monday that it disrupted five overseas groups that misused its tools.\n\n\
             The firm today published a report on the misuse.\n\n\
             The groups—based in Laos, Peru and Chile—abused the tools to write comments.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].3, ["LA", "PE", "CL"], "{got:?}");
    }

    /// A network's own country, named after "about" in a later sentence, is its topic,
    /// not its target.
    #[test]
    fn a_networks_own_country_is_its_topic() {
        let got = claims_of(
            "Meta removed 80 accounts of a network based in Chile.\n\n\
             The network mostly posted praise about Chile and its ministers.",
        );
        let c = got.iter().find(|c| c.count == Some(80));
        assert_eq!(c.map(|c| c.targets.clone()), Some(vec![]), "{got:?}");
    }

    /// A hedge before the first of two counts joined by "and" governs the second too; a
    /// longer list keeps each count's own.
    #[test]
    fn a_hedge_governs_both_counts_of_a_pair() {
        let q = |body: &str| -> Vec<(Option<u64>, Qualifier)> {
            claims_of(body)
                .into_iter()
                .map(|c| (c.count, c.qualifier))
                .collect()
        };
        assert_eq!(
            q("TikTok said it had deleted more than 800 videos and 60 accounts tied to Laos."),
            vec![
                (Some(800), Qualifier::MoreThan),
                (Some(60), Qualifier::MoreThan)
            ]
        );
        assert_eq!(
            q("TikTok deleted about 800 videos, 60 accounts and 7 groups tied to Laos."),
            vec![
                (Some(800), Qualifier::About),
                (Some(60), Qualifier::Exact),
                (Some(7), Qualifier::Exact)
            ]
        );
    }

    /// A report's labelled item takes the targets its describing sentences state, and
    /// not those of the next item.
    #[test]
    fn a_labelled_item_takes_the_targets_described_after_it() {
        let got = claims_of(
            "Peru: We removed 40 Facebook accounts for inauthentic behavior.\n\n\
             This network originated in Peru and targeted primarily Bolivia.\n\n\
             Chile: We removed 12 Facebook accounts for inauthentic behavior.\n\n\
             This network originated in Chile and targeted audiences in Argentina.",
        );
        let t: Vec<(Option<u64>, Vec<String>)> =
            got.iter().map(|c| (c.count, c.targets.clone())).collect();
        assert_eq!(
            t,
            vec![
                (Some(40), vec!["BO".to_string()]),
                (Some(12), vec!["AR".to_string()])
            ]
        );
    }

    /// A takedown told as a noun ("confirmed the takedown of four operations") reports
    /// it as the verb would; "the removal" alone refers back.
    #[test]
    fn a_takedown_told_as_a_noun() {
        let got = brief(
            "Reddit confirmed the takedown of four influence operations linked to Peru and \
             Chile.",
        );
        assert_eq!(
            counts_and_countries(got),
            vec![(Some(4), vec!["PE".to_string(), "CL".to_string()])]
        );
        let got = brief("Snapchat announced the removal of accounts run from Bolivia.");
        assert_eq!(
            counts_and_countries(got),
            vec![(None, vec!["BO".to_string()])]
        );
    }

    /// The accounts of owners named anew are new items: the owners' figure counts them
    /// ("the accounts of some 30 Chilean ministries"), and owners with no figure make a
    /// vague claim; "the accounts of the network" refers back.
    #[test]
    fn the_accounts_of_named_owners() {
        let got = brief("Twitter suspended the accounts of some 30 Chilean ministries.");
        assert_eq!(
            counts_and_countries(got),
            vec![(Some(30), vec!["CL".to_string()])]
        );
        let got = brief("Twitter suspended the accounts of some Peruvian bloggers.");
        let short: Vec<(&str, Option<u64>)> = got.iter().map(|c| (c.0.as_str(), c.1)).collect();
        assert_eq!(short, vec![("twitter", None)], "{got:?}");
        assert!(brief_is_empty(
            "Twitter found a network in Peru. It then closed the accounts of the network."
        ));
    }

    /// "a small number of accounts" is a vague amount; items named anew as the subject of
    /// a passive takedown ("several Kick channels have been banned") are a vague claim;
    /// "all accounts" and content from a named source are items too.
    #[test]
    fn vague_amounts_passive_subjects_and_sourced_content() {
        let got = brief("Twitter said it closed a small number of accounts in Bolivia.");
        assert_eq!(
            counts_and_countries(got),
            vec![(None, vec!["BO".to_string()])]
        );
        let got =
            brief("As the Harbour Post first noted, several Twitch channels have been banned.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "twitch");
        assert!(brief_is_empty(
            "Twitch said the channels have been banned as the rules require."
        ));
        let got = brief(
            "Spotify said it had removed all content from Radio Sol, a Bolivian state outlet.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].2, "content");
        assert!(brief_is_empty(
            "Spotify said it had removed harmful content about the war."
        ));
    }

    /// A network's activity told through the items it ran on ("operated through 12
    /// Pages and 30 accounts") is what the removed network was made of.
    #[test]
    fn activity_through_its_items() {
        let got = brief(
            "Facebook removed 40 Pages run from Chile.\n\nThe activity was run through 12 \
             Facebook Pages, 30 accounts and 9 Instagram accounts.",
        );
        let short: Vec<(&str, Option<u64>)> = got.iter().map(|c| (c.0.as_str(), c.1)).collect();
        assert_eq!(
            short,
            vec![
                ("facebook", Some(40)),
                ("facebook", Some(12)),
                ("facebook", Some(30)),
                ("instagram", Some(9))
            ],
            "{got:?}"
        );
    }

    /// A list whose last item alone names the noun: every item before it counts that
    /// noun, each with its own country.
    #[test]
    fn a_noun_elided_over_several_items() {
        let got = brief(
            "Telegram closed at least two Peruvian, five Chilean, and one Bolivian channel \
             last week.",
        );
        assert_eq!(
            counts_and_countries(got),
            vec![
                (Some(2), vec!["PE".to_string()]),
                (Some(5), vec!["CL".to_string()]),
                (Some(1), vec!["BO".to_string()])
            ]
        );
    }

    /// Platforms coordinated as the subject each report a vague takedown, a platform
    /// set off by dashes included; a counted figure stays the first platform's.
    #[test]
    fn a_coordinated_subject_acts_for_each_platform() {
        let got = brief(
            "On Monday, Reddit - along with Twitch Inc and Google's Alphabet - removed \
             hundreds of accounts tied to Peru.",
        );
        let platforms: Vec<&str> = got.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(platforms, vec!["reddit", "twitch", "google"], "{got:?}");
        let got = brief("Snapchat and Pinterest have removed such fake content from Chile.");
        let platforms: Vec<&str> = got.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(platforms, vec!["snapchat", "pinterest"], "{got:?}");
    }

    /// A partitive over a plural possessive counts the noun after it ("six of the
    /// hackers' domains"); a negated verb takes no object ("has not been shut down for
    /// carrying content from …").
    #[test]
    fn plural_possessives_and_negated_objects() {
        let got =
            brief("Microsoft said six of the hackers' domains tied to Peru have been seized.");
        assert_eq!(
            counts_and_countries(got),
            vec![(Some(6), vec!["PE".to_string()])]
        );
        assert!(brief_is_empty(
            "In Chile, Spotify has not been shut down for carrying content from critics."
        ));
    }

    /// A vague takedown told as a noun restates the count the story gives for that
    /// platform and country; with no count it stands.
    #[test]
    fn a_takedown_noun_restates_a_count() {
        let got = brief(
            "Reddit announced the suspension of accounts tied to Peru.\n\nReddit said it \
             had suspended 48 accounts run from Peru.",
        );
        assert_eq!(
            counts_and_countries(got),
            vec![(Some(48), vec!["PE".to_string()])]
        );
    }

    /// A sentence run in after a colon is read from its own start: what the Pages
    /// posted before the colon does not make the network's make-up an audience.
    #[test]
    fn a_sentence_run_in_after_a_colon() {
        let got = brief(
            "Facebook removed 40 Pages run from Chile.\n\nHere is what some of these Pages \
             posted: The activity ran through 11 Facebook Pages and 6 Instagram accounts.",
        );
        let counts: Vec<Option<u64>> = got.iter().map(|c| c.1).collect();
        assert_eq!(counts, vec![Some(40), Some(11), Some(6)], "{got:?}");
    }

    /// A vague takedown in the body speaks for the headline's that it restates, which
    /// the body's counted claims would drop.
    #[test]
    fn the_bodys_vague_takedown_outlives_the_headlines() {
        let got = claims_of(
            "Reddit removes Peruvian accounts\n\nReddit has removed dozens of accounts tied \
             to Peru, it said.\n\nIts first probe found and removed 52 accounts run from Peru.",
        );
        let short: Vec<(Option<u64>, bool)> = got
            .iter()
            .map(|c| (c.count, c.evidence.starts_with("Reddit has")))
            .collect();
        assert_eq!(short, vec![(None, true), (Some(52), false)], "{got:?}");
    }

    /// One network taken down with no count is a vague claim on networks ("has taken
    /// down a network in Peru"); "a network of …" counts what follows.
    #[test]
    fn one_network_taken_down() {
        let got = brief("Facebook said it took down a network in Peru linked to a ministry.");
        let short: Vec<(Option<u64>, &str)> = got.iter().map(|c| (c.1, c.2.as_str())).collect();
        assert_eq!(short, vec![(None, "networks")], "{got:?}");
    }

    /// An article as a list item counts one ("8 Pages, a Group and 9 accounts"), and a
    /// perfect's "had been" after the noun is no audience ("one Group had been removed").
    #[test]
    fn an_article_in_a_list_counts_one() {
        let got = brief(
            "A total of 21 Facebook accounts, 8 Pages, a Group and 9 Instagram accounts \
             tied to Chile were removed.",
        );
        let counts: Vec<Option<u64>> = got.iter().map(|c| c.1).collect();
        assert_eq!(counts, vec![Some(21), Some(8), Some(1), Some(9)], "{got:?}");
        let got = brief(
            "Meta said that 61 Facebook accounts, 8 Pages and one Group tied to Peru had \
             been removed.",
        );
        let counts: Vec<Option<u64>> = got.iter().map(|c| c.1).collect();
        assert_eq!(counts, vec![Some(61), Some(8), Some(1)], "{got:?}");
    }

    /// A dashed list run together on one line ("– …. – …") is read item by item: a
    /// figure takes the countries of its own item, not those the item before it listed.
    #[test]
    fn a_dashed_item_keeps_its_own_countries() {
        let got = brief(
            "Key points:\n\n– Meta stopped three networks from Chile, Peru and Bolivia. – \
             A total of 40 Facebook accounts and 9 Pages tied to Peru's network were \
             removed. – Bolivia's network posed as reporters.",
        );
        let by = counts_and_countries(got);
        assert!(by.contains(&(Some(40), vec!["PE".to_string()])), "{by:?}");
        assert!(by.contains(&(Some(9), vec!["PE".to_string()])), "{by:?}");
    }

    /// A country inside a relative clause set off by commas (", which … ,") describes
    /// the noun before it, not the figure the sentence goes on to report.
    #[test]
    fn a_comma_clause_describes_its_own_noun() {
        let got = brief(
            "TikTok, which is under scrutiny in Chile over its owners, said it removed 22 \
             accounts based in Peru.",
        );
        assert_eq!(
            counts_and_countries(got),
            vec![(Some(22), vec!["PE".to_string()])]
        );
    }

    /// A country named in a clause telling when something else happened ("…, when the
    /// site faced questions over Laotian operatives") does not make a story about it.
    #[test]
    fn a_time_clause_gives_the_story_no_origin() {
        let got = brief(
            "Reddit removed 60 million accounts in May.\n\nThe pace has risen since the \
             spring, when the site faced questions over how Laotian operatives used it.",
        );
        assert_eq!(counts_and_countries(got), vec![(Some(60_000_000), vec![])]);
    }
    /// Whom an attack or a scheme is "against" is its target, not its origin: "schemes
    /// against Peruvian users", "attacks against firms in Chile".
    #[test]
    fn what_a_scheme_is_against_is_its_target() {
        let got = claims_of(
            "Meta said it deleted 4,100 accounts tied to Bolivian scammers who ran schemes \
             against Peruvian users.",
        );
        let short: Vec<(Option<u64>, Vec<String>, Vec<String>)> = got
            .iter()
            .map(|c| (c.count, c.countries.clone(), c.targets.clone()))
            .collect();
        assert_eq!(
            short,
            vec![(Some(4100), vec!["BO".to_string()], vec!["PE".to_string()])]
        );
        let got = claims_of(
            "Microsoft seized 31 domains used by a Laos-based group to launch attacks \
             against firms in Chile.",
        );
        let short: Vec<(Option<u64>, Vec<String>, Vec<String>)> = got
            .iter()
            .map(|c| (c.count, c.countries.clone(), c.targets.clone()))
            .collect();
        assert_eq!(
            short,
            vec![(Some(31), vec!["LA".to_string()], vec!["CL".to_string()])]
        );
    }

    /// The agent of a verb of judging or permitting ("charged by Chilean prosecutors",
    /// "an order granted by a Peruvian court") did not run the accounts.
    #[test]
    fn who_charged_or_allowed_it_is_no_origin() {
        let got = brief(
            "Reddit removed 14 accounts tied to the Bolivian troll group that was charged \
             by Chilean prosecutors last year.",
        );
        assert_eq!(
            counts_and_countries(got),
            vec![(Some(14), vec!["BO".to_string()])]
        );
        let got = brief(
            "Microsoft was granted an order by Peruvian judges to seize the 27 domains used \
             by the Laotian hackers.",
        );
        assert_eq!(
            counts_and_countries(got),
            vec![(Some(27), vec!["LA".to_string()])]
        );
    }

    /// A demonym after "about" names what posts were about, not who ran them:
    /// "accounts posting about Chilean military drills" come from nowhere it says.
    #[test]
    fn a_demonym_after_about_is_a_topic() {
        let got =
            brief("Reddit disabled 14 accounts that were posting about Chilean military drills.");
        assert_eq!(counts_and_countries(got), vec![(Some(14), vec![])]);
    }

    /// "In a separate post …", "Separately, …": the figure is another matter than the
    /// network the story named before, and takes none of its countries.
    #[test]
    fn a_separate_matter_takes_no_earlier_origin() {
        let got = brief(
            "LinkedIn removed 300 accounts tied to Laos, it said.\n\nIn a separate post, \
             LinkedIn said it restricted 25 accounts that sought to contact party members.",
        );
        assert_eq!(
            counts_and_countries(got),
            vec![(Some(300), vec!["LA".to_string()]), (Some(25), vec![])]
        );
    }

    /// A table's rows give each network's count in the column its header names, with
    /// no verb, one line each or run together; a column of followers is no count of
    /// removed items, and a row's origin is its own.
    #[test]
    fn a_tables_column_counts_what_its_header_names() {
        let rows = [
            "Source | Accounts in network | Followers | Notes |",
            "Internal | 1,234 | 5,678 | Accounts operated from Chile that posed as voters. |",
            "External | 56 | 901 | Accounts aimed at Bolivia. |",
        ];
        for sep in ["\n\n", " "] {
            let got = brief(&format!(
                "Reddit said on Monday it removed 40 accounts tied to Peru.\n\n{}",
                rows.join(sep)
            ));
            let want: Vec<(Option<u64>, Vec<String>)> = vec![
                (Some(40), vec!["PE".to_string()]),
                (Some(1234), vec!["CL".to_string()]),
                (Some(56), vec![]),
            ];
            assert_eq!(counts_and_countries(got), want, "{sep:?}");
        }
    }

    /// The day of a date is no count, whatever noun follows it: "a May 9 blog post" is
    /// when a post was written, not nine posts removed.
    #[test]
    fn the_day_of_a_date_is_no_count() {
        let got = brief(
            "Facebook took down 220 accounts tied to Chile. The posts of the banned \
             accounts drew 3 million views, according to a May 9 blog post.",
        );
        let counts: Vec<Option<u64>> = got.iter().map(|c| c.1).collect();
        assert_eq!(counts, vec![Some(220)], "{got:?}");
    }

    /// "removed 900 channels, and increased to 1,200 the next year": the count a
    /// removal rose to counts the same items; an audience that grew does not.
    #[test]
    fn a_removal_that_rose_to_a_count() {
        let got = brief("Google removed 900 channels, and increased to 1,200 in 2023.");
        let counts: Vec<Option<u64>> = got.iter().map(|c| c.1).collect();
        assert_eq!(counts, vec![Some(900), Some(1200)], "{got:?}");
        let got = brief("Google removed 900 channels whose audience grew to 4,000 in 2023.");
        let counts: Vec<Option<u64>> = got.iter().map(|c| c.1).collect();
        assert_eq!(counts, vec![Some(900)], "{got:?}");
    }

    /// A partitive counts part of a takedown told before it: "Of the accounts taken
    /// down, 74 were run from …", "Of those, 120 …", "Among them, 60 …", "85 of the
    /// removed accounts …". The part keeps its own countries, and the whole takes
    /// none of them.
    #[test]
    fn a_partitive_counts_part_of_an_earlier_takedown() {
        let forms = [
            "Of the accounts taken down, 74 were operated from Laos.",
            "Of those, 74 were operated from Laos.",
            "Among them, 74 were run from Laos.",
            "Of the 310 accounts removed, 74 were operated from Laos.",
            "74 of the banned accounts were operated from Laos.",
        ];
        for form in forms {
            let got = brief(&format!(
                "Facebook said on Tuesday that it had removed 310 accounts for \
                 coordinated inauthentic behaviour. {form}"
            ));
            assert_eq!(
                counts_and_countries(got.clone()),
                vec![(Some(310), vec![]), (Some(74), vec!["LA".to_string()])],
                "{form}: {got:?}"
            );
            assert!(
                got.iter().all(|c| c.0 == "facebook" && c.2 == "accounts"),
                "{got:?}"
            );
        }
        // Each part of a list keeps its own country.
        let got = brief(
            "Twitter suspended 500 accounts last week. Of them, 85 were based in Laos \
             and 40 in Nepal.",
        );
        assert_eq!(
            counts_and_countries(got),
            vec![
                (Some(500), vec![]),
                (Some(85), vec!["LA".to_string()]),
                (Some(40), vec!["NP".to_string()])
            ]
        );
        // A frame with no part after it states the whole; one with no earlier figure
        // to refer to counts nothing.
        let got =
            brief("Of the 9,000 videos YouTube removed in June, more than half had no views.");
        assert_eq!(counts_and_countries(got), vec![(Some(9000), vec![])]);
        assert!(brief_is_empty("Of those, 74 were operated from Laos."));
    }

    /// A colon after a figure opens its breakdown, whose items elide the noun and
    /// name whom each part is attributed to: "373 accounts on Tuesday: 238 to Iran,
    /// 100 to Russia and 35 to Georgia". A count of networks is no breakdown's noun.
    #[test]
    fn a_breakdown_after_a_colon_attributes_each_item() {
        let got = brief(
            "X said it suspended 512 accounts last week: 301 to Laos, 150 to Nepal and \
             61 to Georgia.",
        );
        assert_eq!(
            counts_and_countries(got),
            vec![
                (Some(512), vec![]),
                (Some(301), vec!["LA".to_string()]),
                (Some(150), vec!["NP".to_string()]),
                (Some(61), vec!["GE".to_string()])
            ]
        );
        let got = brief("Meta took down two networks: 600 in Chad and 300 in Togo.");
        assert!(
            got.iter().all(|c| c.2 != "networks" || c.1 == Some(2)),
            "{got:?}"
        );
    }

    /// Whoever tipped the platform off is not where the accounts came from ("after a
    /// tip from US law enforcement", "information from French officials"); the origin
    /// the next sentence gives still reaches the figure.
    #[test]
    fn who_informed_the_platform_is_no_origin() {
        let got = brief(
            "Meta said it removed 47 accounts after a tip from US investigators. The \
             network originated in Laos, the company said.",
        );
        assert_eq!(
            counts_and_countries(got),
            vec![(Some(47), vec!["LA".to_string()])]
        );
        let got = brief("Twitter suspended 130 accounts after a referral from French officials.");
        assert_eq!(counts_and_countries(got), vec![(Some(130), vec![])]);
    }

    /// What a network "lost" in a takedown the story told was removed from it ("the
    /// party's networks lost 41 channels in the sweep"); a platform that "lost"
    /// accounts lost users.
    #[test]
    fn what_a_network_lost_in_a_takedown() {
        let got = brief(
            "YouTube removed channels tied to a campaign of praise for the ruling party. \
             Networks run from Laos lost 41 channels in the sweep.",
        );
        assert_eq!(
            counts_and_countries(got),
            vec![(Some(41), vec!["LA".to_string()])]
        );
        let got = brief(
            "Twitter removed 300 accounts linked to Chad. Twitter lost 2 million accounts \
             in the quarter, the company said.",
        );
        assert_eq!(
            counts_and_countries(got),
            vec![(Some(300), vec!["TD".to_string()])]
        );
    }

    /// A negated takedown keeps the figure its verb governs: the platform did not act on
    /// that many items. A negated finding with no figure stays as it was.
    #[test]
    fn a_negated_takedown_keeps_its_figure() {
        let got = claims_of(
            "Pinterest said it chose not to delete 42,000 videos that it had checked for Peru.",
        );
        let got: Vec<(Option<u64>, Qualifier, bool)> = got
            .iter()
            .map(|c| (c.count, c.qualifier, c.negated))
            .collect();
        assert_eq!(got, vec![(Some(42_000), Qualifier::Exact, true)]);
        let got = claims_of(
            "Facebook removed 30 accounts tied to Peru. It did not detect such activity on \
             Messenger, its chat service.",
        );
        let neg: Vec<(Option<u64>, bool)> = got
            .iter()
            .filter(|c| c.negated)
            .map(|c| (c.count, c.negated))
            .collect();
        assert_eq!(neg, vec![(None, true)], "{got:?}");
    }

    /// A takedown that will not happen is a policy, not a claim, negated or not.
    #[test]
    fn a_future_negation_is_no_claim() {
        let got = claims_of(
            "Reddit banned 80 accounts tied to Chile. If a party is elected, Reddit said, \
             it will not suspend its accounts.",
        );
        assert!(got.iter().all(|c| !c.negated), "{got:?}");
    }

    /// Platforms that said together that they acted each took down the counted networks.
    #[test]
    fn coordinated_platforms_share_a_count() {
        let got = brief(
            "Reddit and Twitch said they have dismantled three propaganda networks run from \
             Peru and Bolivia.",
        );
        let peru_bolivia = vec!["PE".to_string(), "BO".to_string()];
        assert_eq!(
            got,
            vec![
                (
                    "reddit".to_string(),
                    Some(3),
                    "networks".to_string(),
                    peru_bolivia.clone()
                ),
                (
                    "twitch".to_string(),
                    Some(3),
                    "networks".to_string(),
                    peru_bolivia
                )
            ]
        );
        let got = brief(
            "Reddit and Twitch removed 30 accounts and 12 channels, respectively, run from \
             Peru.",
        );
        let got: Vec<(String, Option<u64>)> = got.into_iter().map(|c| (c.0, c.1)).collect();
        assert_eq!(
            got,
            vec![
                ("reddit".to_string(), Some(30)),
                ("twitch".to_string(), Some(12))
            ]
        );
    }

    /// A platform's report that details a number of operations counts what the platform
    /// disrupted, when the story tells a takedown of that platform; without one it only
    /// describes.
    #[test]
    fn a_report_that_outlines_operations() {
        let got = brief(
            "Snapchat published its first threat report on Monday. The report details 12 \
             operations that spanned many regions. Snapchat said it removed 40 accounts run \
             from Chile.",
        );
        assert_eq!(
            counts_and_countries(got),
            vec![(Some(12), vec![]), (Some(40), vec!["CL".to_string()])]
        );
        assert!(brief_is_empty(
            "Snapchat published its first threat report on Monday. The report details 12 \
             operations that spanned many regions."
        ));
    }

    /// A demonym before a militant or terror group names the group's people, not a state
    /// that ran the accounts: no origin.
    #[test]
    fn a_militant_group_gives_no_origin() {
        for s in [
            "Tumblr removed dozens of accounts tied to the Chilean militant group Arco.",
            "Tumblr removed dozens of accounts tied to Arco, the Chilean terror group.",
        ] {
            assert_eq!(counts_and_countries(brief(s)), vec![(None, vec![])], "{s}");
        }
    }

    /// Owners who "have had their accounts shut down" lost those accounts: a vague
    /// takedown, from where the owners are; a relative clause only tells a kind of user.
    #[test]
    fn owners_who_had_their_accounts_shut_down() {
        let got = brief(
            "Several Peruvian government officials have had their Tumblr accounts shut down \
             ahead of the vote.",
        );
        assert_eq!(
            got,
            vec![(
                "tumblr".to_string(),
                None,
                "accounts".to_string(),
                vec!["PE".to_string()]
            )]
        );
        assert!(brief_is_empty(
            "Tumblr users who had their accounts suspended in Peru can appeal."
        ));
    }
}
