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

/// Finds the claims and spokespeople of an article.
pub fn find(article: &Article) -> Found {
    let (claims, spokespeople) = scan::scan(article);
    Found {
        claims,
        spokespeople,
    }
}
