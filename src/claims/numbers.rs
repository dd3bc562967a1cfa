//! Counts as news writes them: "2,617", "1.5 million", "seventy", "twenty-one", "two
//! dozen", "a single", and vague amounts ("thousands of", "an unspecified number of"),
//! with the hedge in front ("more than", "nearly", "as many as").
//!
//! A number that does not fit in a u64 after scaling is not a count: a wrong number is
//! worse than none.

use super::text::Token;
use serde::Serialize;

/// How a report hedges its figure.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, PartialOrd, Ord,
)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// "2,617".
    Exact,
    /// "more than 1,000", "over".
    MoreThan,
    /// "at least".
    AtLeast,
    /// "about", "roughly", "some".
    About,
    /// "nearly", "almost".
    Nearly,
    /// "up to", "as many as".
    UpTo,
    /// No number: "thousands of".
    Vague,
}

impl Qualifier {
    /// The contract's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::MoreThan => "more_than",
            Qualifier::AtLeast => "at_least",
            Qualifier::About => "about",
            Qualifier::Nearly => "nearly",
            Qualifier::UpTo => "up_to",
            Qualifier::Vague => "vague",
        }
    }
}

/// A count found at a token position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    /// The number, or none for a vague amount.
    pub value: Option<u64>,
    /// The hedge.
    pub qualifier: Qualifier,
    /// Token index where the count phrase starts (hedge included).
    pub first: usize,
    /// Token index just past the count phrase ("of" of "thousands of" included).
    pub next: usize,
}

const UNITS: &[(&str, u64)] = &[
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
];
const TENS: &[(&str, u64)] = &[
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];
const SCALES: &[(&str, u64)] = &[
    ("hundred", 100),
    ("thousand", 1_000),
    ("million", 1_000_000),
    ("billion", 1_000_000_000),
    // South Asian scales, as Indian and Pakistani reporting writes them.
    ("lakh", 100_000),
    ("lakhs", 100_000),
    ("crore", 10_000_000),
    ("crores", 10_000_000),
    // Abbreviations written apart from the digits ("2 mn", "1.2 bn").
    ("mn", 1_000_000),
    ("bn", 1_000_000_000),
];

/// Scales written onto the digits ("2mn", "1.2bn", "40k").
const SUFFIXES: &[(&str, u64)] = &[
    ("k", 1_000),
    ("mn", 1_000_000),
    ("m", 1_000_000),
    ("bn", 1_000_000_000),
];

/// Value of a number word or hyphenated compound ("seven", "twenty-one"); not scales.
pub fn word_value(w: &str) -> Option<u64> {
    let l = w.to_lowercase();
    if let Some((_, v)) = UNITS.iter().chain(TENS).find(|(n, _)| *n == l) {
        return Some(*v);
    }
    let (a, b) = l.split_once(['-', '‑'])?;
    let tens = TENS.iter().find(|(n, _)| *n == a)?.1;
    let unit = UNITS
        .iter()
        .find(|(n, _)| *n == b)
        .filter(|(_, v)| (1..=9).contains(v))?
        .1;
    Some(tens + unit)
}

fn scale_of(w: &str) -> Option<u64> {
    let l = w.to_lowercase();
    SCALES.iter().find(|(n, _)| *n == l).map(|(_, v)| *v)
}

/// Digits with thousands separators written the European way ("170.000", "1.234.567"):
/// every group after a dot has three digits. Read so only where no scale word follows
/// ("2.500 million" is a decimal), since a count of items has no thousandths.
fn dotted_thousands(t: &str) -> Option<f64> {
    let mut groups = t.split('.');
    let head = groups.next()?;
    let rest: Vec<&str> = groups.collect();
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    (!rest.is_empty()
        && (1..=3).contains(&head.len())
        && digits(head)
        && rest.iter().all(|g| g.len() == 3 && digits(g)))
    .then(|| t.replace('.', "").parse::<f64>().ok())
    .flatten()
}

/// Digits grouped the South Asian way ("5,60,000", "1,00,960"): pairs after the first
/// group, three digits last.
fn lakh_grouped(t: &str) -> Option<f64> {
    let parts: Vec<&str> = t.split(',').collect();
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let (last, init) = parts.split_last()?;
    let (head, middle) = init.split_first()?;
    (!middle.is_empty()
        && parts.iter().all(|g| digits(g))
        && (1..=2).contains(&head.len())
        && middle.iter().all(|g| g.len() == 2)
        && last.len() == 3)
        .then(|| parts.concat().parse::<f64>().ok())
        .flatten()
}

/// Digits with a scale written onto them: "2mn" → 2,000,000.
fn suffixed_value(t: &str) -> Option<f64> {
    let lower = t.to_ascii_lowercase();
    SUFFIXES.iter().find_map(|(suffix, scale)| {
        let num = lower.strip_suffix(suffix)?;
        Some(digits_value(num)? * *scale as f64)
    })
}

/// Digits with optional thousands commas and decimals: "2,617" → 2617.0, "1.5" → 1.5.
fn digits_value(t: &str) -> Option<f64> {
    if !t.chars().next()?.is_ascii_digit() {
        return None;
    }
    if !t
        .chars()
        .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    if t.contains(',') {
        // Thousands groups must be three digits.
        let mut parts = t.split(',');
        let head = parts.next()?;
        if head.is_empty() || head.len() > 3 {
            return None;
        }
        for p in parts {
            let int = p.split('.').next()?;
            if int.len() != 3 {
                return None;
            }
        }
    }
    if t.matches('.').count() > 1 || t.len() > 24 {
        return None;
    }
    t.replace(',', "").parse::<f64>().ok()
}

/// Reads the hedge ending just before token `i`; returns it and where it starts.
fn hedge_before(toks: &[Token<'_>], i: usize) -> (Qualifier, usize) {
    let w = |k: usize| toks.get(k).map(|t| t.lower()).unwrap_or_default();
    let back = |n: usize| i.checked_sub(n);
    // Three-word hedges, then two, then one.
    if let Some(s) = back(3) {
        let p = format!("{} {} {}", w(s), w(s + 1), w(s + 2));
        let q = match p.as_str() {
            "in excess of" => Some(Qualifier::MoreThan),
            "a total of" | "a maximum of" => None,
            "no fewer than" | "no less than" => Some(Qualifier::AtLeast),
            "just short of" => Some(Qualifier::Nearly),
            _ => None,
        };
        if let Some(q) = q {
            return (q, s);
        }
    }
    if let Some(s) = back(2) {
        let p = format!("{} {}", w(s), w(s + 1));
        let q = match p.as_str() {
            "more than" | "upwards of" | "well over" => Some(Qualifier::MoreThan),
            "at least" | "a minimum" => Some(Qualifier::AtLeast),
            "close to" | "just under" => Some(Qualifier::Nearly),
            "up to" | "as many" | "fewer than" | "less than" => Some(Qualifier::UpTo),
            "an estimated" => Some(Qualifier::About),
            _ => None,
        };
        if let Some(q) = q {
            // "as many as N": the "as" before N belongs to the hedge.
            return (q, s);
        }
    }
    if i >= 3 && w(i - 3) == "as" && w(i - 2) == "many" && w(i - 1) == "as" {
        return (Qualifier::UpTo, i - 3);
    }
    if let Some(s) = back(1) {
        let q = match w(s) {
            "over" => Some(Qualifier::MoreThan),
            "about" | "around" | "roughly" | "approximately" | "some" | "approx" | "circa"
            | "estimated" | "~" => Some(Qualifier::About),
            "nearly" | "almost" => Some(Qualifier::Nearly),
            _ => None,
        };
        if let Some(q) = q {
            return (q, s);
        }
    }
    (Qualifier::Exact, i)
}

/// Vague amounts that stand where a number would: "thousands of", "an unspecified
/// number of", "dozens of".
fn vague_at(toks: &[Token<'_>], i: usize) -> Option<usize> {
    let w = |k: usize| toks.get(k).map(|t| t.lower()).unwrap_or_default();
    let of_after = |k: usize| (w(k) == "of").then_some(k + 1);
    match w(i) {
        "hundreds" | "thousands" | "millions" | "dozens" | "scores" | "tens" => {
            // "tens of thousands of", "hundreds of thousands of".
            let k = of_after(i + 1)?;
            if matches!(w(k), "thousands" | "millions") {
                return of_after(k + 1).or(Some(k));
            }
            Some(k)
        }
        "an" | "a" if w(i + 1) == "unspecified" && w(i + 2) == "number" => of_after(i + 3),
        "an" | "a" if w(i + 1) == "undisclosed" && w(i + 2) == "number" => of_after(i + 3),
        "a" if w(i + 1) == "number" => of_after(i + 2),
        // "a small number of", "a large number of": still no number.
        "a" if matches!(w(i + 1), "small" | "large" | "limited" | "significant")
            && w(i + 2) == "number" =>
        {
            of_after(i + 3)
        }
        "a" if w(i + 1) == "handful" => of_after(i + 2),
        "a" if w(i + 1) == "few" && matches!(w(i + 2), "hundred" | "thousand" | "dozen") => {
            Some(i + 3).map(|k| of_after(k).unwrap_or(k))
        }
        "several" if matches!(w(i + 1), "hundred" | "thousand" | "dozen") => {
            Some(i + 2).map(|k| of_after(k).unwrap_or(k))
        }
        _ => None,
    }
}

/// Reads a count starting at token `i` (the number itself; the hedge is looked for
/// before it).
pub fn count_at(toks: &[Token<'_>], i: usize) -> Option<Count> {
    let t = toks.get(i)?;
    let lw = t.lower();
    let w = |k: usize| toks.get(k).map(|t| t.lower()).unwrap_or_default();
    if let Some(next) = vague_at(toks, i) {
        return Some(Count {
            value: None,
            qualifier: Qualifier::Vague,
            first: i,
            next,
        });
    }
    let mut plus = false;
    // "a dozen", "two dozen", "a single".
    let (mut value, mut next): (f64, usize) = if lw == "a" || lw == "an" {
        match w(i + 1) {
            "dozen" => (12.0, i + 2),
            "single" => (1.0, i + 2),
            "hundred" => (100.0, i + 2),
            "thousand" => (1000.0, i + 2),
            "million" => (1e6, i + 2),
            _ => return None,
        }
    } else if let Some(v) = digits_value(t.text) {
        match dotted_thousands(t.text) {
            Some(whole) if scale_of(w(i + 1)).is_none() => (whole, i + 1),
            _ => (v, i + 1),
        }
    } else if let Some(v) = lakh_grouped(t.text)
        .or_else(|| dotted_thousands(t.text))
        .or_else(|| suffixed_value(t.text))
    {
        (v, i + 1)
    } else if let Some(v) = t
        .text
        .strip_suffix("-plus")
        .or_else(|| t.text.strip_suffix("-odd"))
        .and_then(digits_value)
    {
        // "2,000-plus accounts" is a lower bound, as "more than 2,000" is.
        plus = true;
        (v, i + 1)
    } else if let Some(v) = word_value(t.text) {
        // "twenty one" written apart.
        if v >= 20 && v % 10 == 0 {
            if let Some(u) = toks
                .get(i + 1)
                .and_then(|n| word_value(n.text))
                .filter(|u| (1..=9).contains(u))
            {
                (v as f64 + u as f64, i + 2)
            } else {
                (v as f64, i + 1)
            }
        } else {
            (v as f64, i + 1)
        }
    } else {
        return None;
    };
    // Scales: "1.5 million", "two hundred", "seven thousand"; "dozen" multiplies too.
    loop {
        let n = w(next);
        if let Some(s) = scale_of(n) {
            value *= s as f64;
            next += 1;
        } else if n == "dozen" {
            value *= 12.0;
            next += 1;
        } else {
            break;
        }
    }
    // "18.58 lakh" is 1,858,000 within a float's error, not a fraction of an account.
    if (value - value.round()).abs() < 1e-6 * value.abs().max(1.0) {
        value = value.round();
    }
    if !(value.is_finite() && (0.0..1e18).contains(&value)) || value.fract() != 0.0 {
        return None;
    }
    // "10,900+ accounts": the plus sign bounds it from below.
    if w(next) == "+" {
        plus = true;
        next += 1;
    }
    let (mut qualifier, first) = hedge_before(toks, i);
    if plus && qualifier == Qualifier::Exact {
        qualifier = Qualifier::MoreThan;
    }
    Some(Count {
        value: Some(value as u64),
        qualifier,
        first,
        next,
    })
}

/// A figure as English writes it, with thousands separators: 2617 → "2,617".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Byte range of the figure that states `count` (or, for `None`, the first vague
/// amount) in an evidence sentence, for showing it highlighted.
pub fn figure_span(sentence: &str, count: Option<u64>) -> Option<(usize, usize)> {
    let toks = crate::claims::text::tokens(sentence);
    (0..toks.len()).find_map(|i| {
        let c = count_at(&toks, i)?;
        let wanted = match count {
            Some(n) => c.value == Some(n),
            None => c.qualifier == Qualifier::Vague,
        };
        // The count's tokens may run on into "of" ("thousands of"); the figure stops before.
        let mut end = c.next;
        while end > c.first + 1 && toks.get(end - 1).is_some_and(|t| t.lower() == "of") {
            end -= 1;
        }
        let last = toks.get(end.checked_sub(1)?)?;
        let first = toks.get(c.first)?;
        wanted.then(|| (first.start, last.end()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::text::tokens;

    type Parsed = Option<(Option<u64>, Qualifier)>;

    #[test]
    fn figure_spans() {
        let s = "In 2019 Twitter suspended 2,617 accounts based in Iran.";
        let at = |c| figure_span(s, c).map(|(a, b)| &s[a..b]);
        assert_eq!(at(Some(2617)), Some("2,617"));
        let s2 = "Facebook removed more than three hundred Pages and thousands of accounts.";
        assert_eq!(
            figure_span(s2, Some(300)).map(|(a, b)| &s2[a..b]),
            Some("more than three hundred")
        );
        assert_eq!(
            figure_span(s2, None).map(|(a, b)| &s2[a..b]),
            Some("thousands")
        );
        assert_eq!(figure_span(s, Some(12)), None);
    }

    fn parse(s: &str) -> Parsed {
        let toks = tokens(s);
        (0..toks.len())
            .find_map(|i| count_at(&toks, i))
            .map(|c| (c.value, c.qualifier))
    }

    #[test]
    fn counts() {
        use Qualifier::*;
        let cases: &[(&str, Parsed)] = &[
            ("suspended 2,617 accounts", Some((Some(2617), Exact))),
            ("more than 1,000 accounts", Some((Some(1000), MoreThan))),
            ("nearly 4,300 accounts", Some((Some(4300), Nearly))),
            ("roughly 200,000 accounts", Some((Some(200_000), About))),
            ("about 1.5 million accounts", Some((Some(1_500_000), About))),
            (
                "583 million fake accounts",
                Some((Some(583_000_000), Exact)),
            ),
            (
                "nearly 15.4 million groups",
                Some((Some(15_400_000), Nearly)),
            ),
            ("deleted seventy Facebook accounts", Some((Some(70), Exact))),
            ("twenty-one accounts", Some((Some(21), Exact))),
            ("two dozen accounts", Some((Some(24), Exact))),
            ("a dozen accounts", Some((Some(12), Exact))),
            ("more than a dozen accounts", Some((Some(12), MoreThan))),
            ("as many as 658 accounts", Some((Some(658), UpTo))),
            ("at least 50 domains", Some((Some(50), AtLeast))),
            ("thousands of fake accounts", Some((None, Vague))),
            ("an unspecified number of Pages", Some((None, Vague))),
            ("tens of thousands of accounts", Some((None, Vague))),
            ("a few hundred accounts", Some((None, Vague))),
            ("a single Facebook account", Some((Some(1), Exact))),
            ("99999999999999999999 accounts", None),
            ("1e309 accounts", None),
            ("12,34 accounts", None),
            ("removed 170.000 accounts", Some((Some(170_000), Exact))),
            ("deleted 1.234.567 posts", Some((Some(1_234_567), Exact))),
            ("2.500 million accounts", Some((Some(2_500_000), Exact))),
            ("banned 5,60,000 accounts", Some((Some(560_000), Exact))),
            ("18.58 lakh accounts", Some((Some(1_858_000), Exact))),
            ("banned 2mn accounts", Some((Some(2_000_000), Exact))),
            (
                "over 1.2bn fake accounts",
                Some((Some(1_200_000_000), MoreThan)),
            ),
            ("10,900+ accounts", Some((Some(10_900), MoreThan))),
            ("2,000-plus accounts", Some((Some(2000), MoreThan))),
            ("2.39 Million accounts", Some((Some(2_390_000), Exact))),
        ];
        for (s, want) in cases {
            assert_eq!(parse(s), *want, "{s}");
        }
    }
}
