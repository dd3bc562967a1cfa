//! Who speaks for a platform: named people with their title and employer, found in the
//! appositive patterns news uses ("Nathaniel Gleicher, Facebook's head of cybersecurity
//! policy, said"; "the company's head of cybersecurity policy, Nathaniel Gleicher, told";
//! "chief security officer Alex Stamos wrote"; "Facebook security chief Alex Stamos").
//! A title must contain a title word, so a bare "Jane Doe, 24, said" is no spokesperson.

use super::lexicon;
use super::text::Token;
use super::words;
use serde::Serialize;
use std::sync::LazyLock;

/// The word lists below, one `[section]` each (see `data/README.md`).
const PEOPLE: &str = include_str!("data/people.txt");

/// A named person who speaks for a platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Spokesperson {
    /// Full name as written.
    pub name: String,
    /// Title as the page gives it, lower case ("head of cybersecurity policy").
    pub title: String,
    /// The employer's platform id ("facebook").
    pub org: String,
}

/// Words that make a phrase a job title.
static TITLE_WORDS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| words::list(PEOPLE, "title_words"));

/// Verbs of saying that mark a quoted person.
static SPEECH: LazyLock<Vec<&'static str>> = LazyLock::new(|| words::list(PEOPLE, "speech"));

/// Whether a word is a verb of saying (a sentence without one names no spokesperson).
pub fn is_speech(w: &str) -> bool {
    SPEECH.contains(&w)
}

fn is_name_word(t: &Token<'_>) -> bool {
    let s = t.text;
    let first = s.chars().next();
    first.is_some_and(char::is_uppercase)
        && !s.ends_with("'s")
        && !s.ends_with("’s")
        && s.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
        && !matches!(
            s,
            "The"
                | "A"
                | "An"
                | "In"
                | "On"
                | "But"
                | "And"
                | "He"
                | "She"
                | "It"
                | "We"
                | "They"
                | "Its"
                | "His"
                | "Her"
                | "This"
                | "That"
                | "Separately"
                | "Meanwhile"
                | "According"
                | "Acting"
                | "Today"
                | "Last"
                | "Mr"
                | "Ms"
                | "Dr"
        )
}

/// A personal name of 2–4 words starting at `i` (not a platform, country or month).
fn name_at(toks: &[Token<'_>], i: usize) -> Option<usize> {
    let mut n = 0;
    while n < 4 && toks.get(i + n).is_some_and(is_name_word) {
        if lexicon::platform_at(toks, i + n).is_some() || lexicon::country_at(toks, i + n).is_some()
        {
            break;
        }
        n += 1;
    }
    // A final possessive is not part of a name.
    (2..=4).contains(&n).then_some(n)
}

fn join(toks: &[Token<'_>], a: usize, b: usize) -> String {
    toks[a..b]
        .iter()
        .map(|t| t.text)
        .collect::<Vec<_>>()
        .join(" ")
}

fn has_title_word(toks: &[Token<'_>], a: usize, b: usize) -> bool {
    toks[a..b].iter().any(|t| TITLE_WORDS.contains(&t.lower()))
        && !toks[a..b]
            .iter()
            .any(|t| GOVERNMENT_WORDS.contains(&t.lower()))
}

/// Words that make a title a government's, never a platform's ("foreign ministry
/// spokeswoman", "special counsel").
static GOVERNMENT_WORDS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| words::list(PEOPLE, "government_words"));

/// A title phrase from `a` up to a comma (at most 10 tokens): its end.
fn title_until_comma(toks: &[Token<'_>], a: usize) -> Option<usize> {
    let mut k = a;
    while k < toks.len() && k - a < 12 {
        if matches!(toks[k].text, "," | "." | ";" | "(" | ")" | "\"" | "“" | "”") {
            break;
        }
        k += 1;
    }
    (k > a && has_title_word(toks, a, k)).then_some(k)
}

/// The platform a title phrase names ("Facebook's head of …", "the company's …").
fn org_in(
    toks: &[Token<'_>],
    a: usize,
    b: usize,
    context: Option<&'static str>,
) -> Option<&'static str> {
    // The platform must be the employer: "Facebook's head of …", "… at Facebook",
    // "Facebook spokesperson"; not any platform named in passing ("whose Facebook
    // Pages were removed").
    (a..b)
        .find_map(|k| {
            let employer = toks[k].text.ends_with("'s")
                || toks[k].text.ends_with("’s")
                || k == a
                || (k > a && matches!(toks[k - 1].lower(), "at" | "of" | "for"));
            lexicon::platform_at(toks, k)
                .filter(|_| employer)
                .map(|(p, _)| p)
        })
        .or_else(|| {
            let company = (a..b).any(|k| {
                matches!(
                    toks[k].lower(),
                    "company's"
                        | "company’s"
                        | "firm's"
                        | "firm’s"
                        | "platform's"
                        | "platform’s"
                        | "network's"
                        | "network’s"
                )
            });
            company.then_some(context).flatten()
        })
}

/// Clean a title: lower case, without the org's possessive and leading articles.
fn clean_title(toks: &[Token<'_>], a: usize, b: usize) -> String {
    let words: Vec<String> = toks[a..b]
        .iter()
        .filter(|t| {
            let l = t.lower();
            !(l.ends_with("'s") || l.ends_with("’s") || l == "the" || l == "a" || l == "an")
                && lexicon::platform_at(std::slice::from_ref(t), 0).is_none()
        })
        .map(|t| t.lower().to_string())
        .collect();
    let mut s = words.join(" ");
    for tail in [" at", " of", " for"] {
        if let Some(x) = s.strip_suffix(tail) {
            s = x.to_string();
        }
    }
    s
}

/// Spokespeople named in one sentence; `context` is the platform the sentence is about.
pub fn in_sentence(toks: &[Token<'_>], context: Option<&'static str>) -> Vec<Spokesperson> {
    let mut out = Vec::new();
    let speech = toks.iter().any(|t| SPEECH.contains(&t.lower()));
    let mut i = 0;
    while i < toks.len() {
        let Some(n) = name_at(toks, i) else {
            i += 1;
            continue;
        };
        let name = join(toks, i, i + n);
        let after = i + n;
        // NAME, TITLE (org inside), …
        if toks.get(after).is_some_and(|t| t.text == ",")
            && let Some(end) = title_until_comma(toks, after + 1)
            && let Some(org) = org_in(toks, after + 1, end, context)
        {
            out.push(Spokesperson {
                name,
                title: clean_title(toks, after + 1, end),
                org: org.to_string(),
            });
            i = end;
            continue;
        }
        // TITLE, NAME, … (title before the name, ended by a comma).
        if i >= 2 && toks[i - 1].text == "," {
            let end = i - 1;
            let mut start = end;
            while start > 0
                && end - start < 10
                && !matches!(toks[start - 1].text, "," | "." | ";" | "\"" | "“")
            {
                start -= 1;
            }
            if has_title_word(toks, start, end)
                && let Some(org) = org_in(toks, start, end, context)
            {
                out.push(Spokesperson {
                    name,
                    title: clean_title(toks, start, end),
                    org: org.to_string(),
                });
                i = after;
                continue;
            }
        }
        // [Platform] title-words NAME (said|wrote): "chief security officer Alex Stamos wrote".
        if speech && i > 0 {
            let mut start = i;
            while start > 0
                && i - start < 6
                && toks[start - 1].is_word()
                && !toks[start - 1].is_capitalized()
            {
                start -= 1;
            }
            // "Facebook security chief Alex Stamos": a platform just before the title.
            let org_before = start
                .checked_sub(1)
                .and_then(|k| lexicon::platform_at(toks, k))
                .map(|(p, _)| p);
            // The platform comes from context only when the person speaks right after
            // the name ("chief security officer Alex Stamos wrote"), not when the name is
            // just mentioned ("tied to Trump adviser Roger Stone and …").
            let speaks = toks.get(after).is_some_and(|t| SPEECH.contains(&t.lower()));
            if start < i
                && has_title_word(toks, start, i)
                && let Some(org) = org_before.or(context.filter(|_| speaks))
            {
                out.push(Spokesperson {
                    name,
                    title: clean_title(toks, start, i),
                    org: org.to_string(),
                });
                i = after;
                continue;
            }
        }
        i = after;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::text::tokens;

    /// Every list of `data/people.txt` is there and non-empty: the file is fixed at compile
    /// time, so this test is the guard against a renamed or emptied section.
    #[test]
    fn every_word_list_loads() {
        words::check(
            PEOPLE,
            &[
                ("title_words", TITLE_WORDS.len()),
                ("speech", SPEECH.len()),
                ("government_words", GOVERNMENT_WORDS.len()),
            ],
        );
    }

    fn find(s: &str, ctx: Option<&'static str>) -> Vec<(String, String, String)> {
        in_sentence(&tokens(s), ctx)
            .into_iter()
            .map(|p| (p.name, p.title, p.org))
            .collect()
    }

    #[test]
    fn patterns() {
        let t = |a: &str, b: &str, c: &str| vec![(a.to_string(), b.to_string(), c.to_string())];
        assert_eq!(
            find(
                "Facebook shared information with Twitter, the company's head of cybersecurity policy, Nathaniel Gleicher, told reporters.",
                Some("facebook")
            ),
            t(
                "Nathaniel Gleicher",
                "head of cybersecurity policy",
                "facebook"
            )
        );
        assert_eq!(
            find(
                "Nathaniel Gleicher, Facebook's head of cybersecurity policy, said the company had also acted.",
                None
            ),
            t(
                "Nathaniel Gleicher",
                "head of cybersecurity policy",
                "facebook"
            )
        );
        assert_eq!(
            find(
                "The company also deleted seventy accounts, chief security officer Alex Stamos wrote in a blog post.",
                Some("facebook")
            ),
            t("Alex Stamos", "chief security officer", "facebook")
        );
        assert_eq!(
            find(
                "Yoel Roth, Twitter's head of site integrity, wrote that the networks were removed.",
                None
            ),
            t("Yoel Roth", "head of site integrity", "twitter")
        );
        assert!(
            find(
                "Singh Jabarjung, 24, from Punjab said he was deported.",
                None
            )
            .is_empty()
        );
    }
}
