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
    let (claims, spokespeople) = scan::scan(article);
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
}
