//! Sentences and tokens with byte offsets into the article body, so every claim can
//! point at the exact bytes it came from.

use super::words;
use std::borrow::Cow;
use std::sync::LazyLock;

/// The word lists below, one `[section]` each (see `data/README.md`).
const TEXT: &str = include_str!("data/text.txt");

/// A sentence of the body: its byte range and text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence<'a> {
    /// Byte offset of the first character in the body.
    pub start: usize,
    /// The sentence, trimmed.
    pub text: &'a str,
    /// Index of the paragraph (blank-line separated) it belongs to.
    pub paragraph: usize,
}

/// Words before a period that do not end a sentence.
static ABBREVIATIONS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| words::list(TEXT, "abbreviations"));

/// Splits the body into sentences: at `.`, `!` or `?` (with closing quotes) followed by
/// space and a capital, digit, quote or list dash, unless the word before the period is an
/// abbreviation or an initial; and always at line breaks.
pub fn sentences(body: &str) -> Vec<Sentence<'_>> {
    let mut out = Vec::new();
    let mut paragraph = 0usize;
    let mut line_start = 0usize;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_end_matches(['\n', '\r']);
        if trimmed.trim().is_empty() {
            if line_start > 0 {
                paragraph += 1;
            }
        } else {
            split_line(trimmed, line_start, paragraph, &mut out);
        }
        line_start += line.len();
    }
    out
}

fn split_line<'a>(line: &'a str, offset: usize, paragraph: usize, out: &mut Vec<Sentence<'a>>) {
    let bytes = line.as_bytes();
    let mut start = 0usize;
    let mut i = 0usize;
    while i < bytes.len() {
        let c = bytes[i];
        if matches!(c, b'.' | b'!' | b'?') {
            // Include closing quotes and brackets.
            let mut end = i + 1;
            while end < bytes.len() {
                let rest = &line[end..];
                if rest.starts_with('"') || rest.starts_with('\'') || rest.starts_with(')') {
                    end += 1;
                } else if rest.starts_with('”') || rest.starts_with('’') {
                    end += '”'.len_utf8();
                } else {
                    break;
                }
            }
            let next = line[end..].chars().next();
            let after = line[end..].trim_start();
            let boundary = next.is_some_and(char::is_whitespace)
                && (after.chars().next().is_some_and(|n| {
                    n.is_uppercase()
                        || n.is_ascii_digit()
                        || matches!(n, '"' | '“' | '\'' | '‘' | '(')
                }) || opens_item(after))
                && !(c == b'.' && is_abbreviation(&line[start..i]));
            if boundary {
                push(line, start, end, offset, paragraph, out);
                start = end;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    push(line, start, line.len(), offset, paragraph, out);
}

/// Whether the text after a full stop opens a dashed or bulleted item ("… . – Next
/// item"): a list run together on one line still ends an item at each full stop.
fn opens_item(after: &str) -> bool {
    let mut chars = after.chars();
    matches!(chars.next(), Some('–' | '—' | '•')) && chars.next().is_some_and(char::is_whitespace)
}

/// Labels of a line that points at another story ("READ MORE: …", "Also read: …").
pub static LINK_LABELS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| words::list(TEXT, "link_labels"));

/// Small words a headline leaves in lower case.
static HEADLINE_SMALL: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| words::list(TEXT, "headline_small"));

/// Capitalised words that open a sentence of the story (not a headline's words).
static OPENERS: LazyLock<Vec<&'static str>> = LazyLock::new(|| words::list(TEXT, "openers"));

/// Where the story resumes in a sentence that opens with a link line run into it ("READ
/// MORE: Bing Bans 90 Accounts Tied to Laos Bing added that …", "Also read: Chat app
/// blocked in Peru In Chile, the firm …"): the byte offset of its first word. A title-case
/// link ends where its words turn lower case (the story's verb follows its subject); a
/// sentence-case one at a capitalised opener.
pub fn link_line_end(s: &str) -> Option<usize> {
    let (label, _) = s.split_once(':')?;
    if !LINK_LABELS.contains(&label.trim().to_lowercase().as_str()) {
        return None;
    }
    let words: Vec<(usize, &str)> = s[label.len() + 1..]
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - s.as_ptr() as usize, w))
        .collect();
    if words.len() < 8 {
        return None;
    }
    let clean = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    let capital = |w: &str| clean(w).starts_with(char::is_uppercase);
    let p = words.iter().position(|(_, w)| {
        let c = clean(w);
        c.starts_with(char::is_lowercase) && !HEADLINE_SMALL.contains(&c.as_str())
    })?;
    if p >= 3 && capital(words[p - 1].1) {
        return Some(words[p - 1].0);
    }
    words
        .iter()
        .skip(p + 1)
        .find(|(_, w)| OPENERS.contains(&clean(w).as_str()))
        .map(|(at, _)| *at)
}

/// Pushes the sentence `line[s..e]`, trimmed, unless it is blank; a link line run into
/// the story's sentence ("READ MORE: <headline> The firm said …") is a sentence of its own.
fn push<'a>(
    line: &'a str,
    s: usize,
    e: usize,
    offset: usize,
    paragraph: usize,
    out: &mut Vec<Sentence<'a>>,
) {
    let lead = line[s..e].len() - line[s..e].trim_start().len();
    let cut = link_line_end(&line[s + lead..e]).map_or(e, |k| s + lead + k);
    for (a, b) in [(s, cut), (cut, e)] {
        let raw = &line[a..b];
        let text = raw.trim();
        if !text.is_empty() {
            out.push(Sentence {
                start: offset + a + raw.len() - raw.trim_start().len(),
                text,
                paragraph,
            });
        }
    }
}

/// Whether the text before a period ends in an abbreviation or an initial.
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .next()
        .unwrap_or("");
    if word.is_empty() {
        return false;
    }
    // A single capital letter: an initial ("Fergal P. Gallagher").
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return true;
    }
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

/// A token of a sentence: a word, a number or a punctuation mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    /// Byte offset in the sentence.
    pub start: usize,
    /// The token's text.
    pub text: &'a str,
    /// Lower case with typographic apostrophes made plain, computed once: every matcher
    /// compares this form, so no lookup allocates.
    pub low: Cow<'a, str>,
}

impl<'a> Token<'a> {
    /// Whether the token is a word or number (not punctuation).
    pub fn is_word(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_alphanumeric)
    }

    /// A token for `text` at `start`.
    pub fn new(start: usize, text: &'a str) -> Token<'a> {
        let low = if text.chars().any(|c| c.is_uppercase() || c == '’') {
            Cow::Owned(text.replace('’', "'").to_lowercase())
        } else {
            Cow::Borrowed(text)
        };
        Token { start, text, low }
    }

    /// Lower-case form.
    pub fn lower(&self) -> &str {
        &self.low
    }

    /// Whether the token starts with a capital letter.
    pub fn is_capitalized(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// Byte offset one past the token.
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

/// A comma of South Asian digit grouping ("5,60,000"): two digits and another comma follow.
fn is_lakh_comma(chars: &[(usize, char)], j: usize) -> bool {
    let digit = |k: usize| chars.get(k).is_some_and(|(_, x)| x.is_ascii_digit());
    digit(j + 1) && digit(j + 2) && chars.get(j + 3).is_some_and(|(_, x)| *x == ',')
}

/// Tokens of a sentence. Words keep inner apostrophes, hyphens and periods ("U.S.",
/// "al-Qahtani", "Russia-based", "Google+"); numbers keep inner commas and points
/// ("2,617", "1.5", "5,60,000").
pub fn tokens(s: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut k = 0usize;
    while k < chars.len() {
        let (i, c) = chars[k];
        if c.is_whitespace() {
            k += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let mut j = k + 1;
            while j < chars.len() {
                let (_, d) = chars[j];
                let next_alnum = chars.get(j + 1).is_some_and(|(_, n)| n.is_alphanumeric());
                let keep = d.is_alphanumeric()
                    || (matches!(d, '\'' | '’' | '-' | '‑') && next_alnum)
                    || (d == '.' && next_alnum && !chars[j + 1].1.is_whitespace())
                    || (d == ','
                        && c.is_ascii_digit()
                        && next_alnum
                        && chars[j + 1].1.is_ascii_digit()
                        && (chars.get(j + 4).is_none_or(|(_, x)| !x.is_ascii_digit())
                            || is_lakh_comma(&chars, j)))
                    || (d == '.' && is_abbrev_dot(&chars, k, j));
                if !keep {
                    break;
                }
                j += 1;
            }
            // "Google+" keeps its plus.
            if j < chars.len()
                && chars[j].1 == '+'
                && s[i..chars[j].0].eq_ignore_ascii_case("google")
            {
                j += 1;
            }
            let end = chars.get(j).map_or(s.len(), |(e, _)| *e);
            out.push(Token::new(i, &s[i..end]));
            k = j;
        } else {
            let end = chars.get(k + 1).map_or(s.len(), |(e, _)| *e);
            out.push(Token::new(i, &s[i..end]));
            k += 1;
        }
    }
    out
}

/// A period that belongs to an abbreviation made of single letters ("U.S.", "U.A.E.").
fn is_abbrev_dot(chars: &[(usize, char)], word_start: usize, dot: usize) -> bool {
    // The word so far is letter, dot, letter, dot … with single letters.
    let seg: String = chars[word_start..dot].iter().map(|(_, c)| *c).collect();
    seg.split('.')
        .all(|p| p.chars().count() == 1 && p.chars().all(char::is_uppercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every list of `data/text.txt` is there and non-empty: the file is fixed at compile
    /// time, so this test is the guard against a renamed or emptied section.
    #[test]
    fn every_word_list_loads() {
        words::check(
            TEXT,
            &[
                ("abbreviations", ABBREVIATIONS.len()),
                ("link_labels", LINK_LABELS.len()),
                ("headline_small", HEADLINE_SMALL.len()),
                ("openers", OPENERS.len()),
            ],
        );
    }

    /// The sentences of `body`, each checked to sit at its own span.
    fn split(body: &str) -> Vec<&str> {
        let found = sentences(body);
        for s in &found {
            assert_eq!(&body[s.start..s.start + s.text.len()], s.text);
        }
        found.iter().map(|s| s.text).collect()
    }

    #[test]
    fn sentence_splitting_survives_abbreviations() {
        let body = "The U.S. company said on Jan. 31 that it removed 2,617 accounts. Nathaniel Gleicher, Facebook's head, said so.\n\nABC News’ Fergal P. Gallagher contributed. It said \"we removed them.\" Then more.";
        assert_eq!(
            split(body),
            vec![
                "The U.S. company said on Jan. 31 that it removed 2,617 accounts.",
                "Nathaniel Gleicher, Facebook's head, said so.",
                "ABC News’ Fergal P. Gallagher contributed.",
                "It said \"we removed them.\"",
                "Then more.",
            ]
        );
        assert_eq!(sentences(body)[2].paragraph, 1);
    }

    /// A link line run into the story's next sentence is split from it, whether the link
    /// is in title case or sentence case.
    #[test]
    fn link_lines_run_into_the_story_are_split_off() {
        let body = "READ MORE: Bing Bans Ninety Pages Tied to Laos Bing added that the pages \
                    sold fake reviews.\n\
                    Also read: Chat app blocked in Peru for a week In Chile, the firm removed 40 \
                    accounts.";
        assert_eq!(
            split(body),
            vec![
                "READ MORE: Bing Bans Ninety Pages Tied to Laos",
                "Bing added that the pages sold fake reviews.",
                "Also read: Chat app blocked in Peru for a week",
                "In Chile, the firm removed 40 accounts.",
            ]
        );
    }

    #[test]
    fn tokens_keep_numbers_and_abbreviations_whole() {
        let t: Vec<&str> = tokens(
            "Twitter's 2,617 Russia-based accounts, 1.5 million U.S. users and Google+ (13).",
        )
        .iter()
        .map(|t| t.text)
        .collect();
        assert_eq!(
            t,
            vec![
                "Twitter's",
                "2,617",
                "Russia-based",
                "accounts",
                ",",
                "1.5",
                "million",
                "U.S.",
                "users",
                "and",
                "Google+",
                "(",
                "13",
                ")",
                "."
            ]
        );
    }
}
