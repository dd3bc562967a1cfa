//! When a platform announced or acted, from the words of one sentence, resolved
//! against the page date and the date the story last mentioned.
//!
//! "on Thursday" is the latest Thursday on or before the page date; "today" is the
//! page date; "a day earlier" counts back from the date just mentioned, "the same day"
//! repeats it; "Aug. 21" takes the page's year. "last month", "this week", "in March"
//! are vague: the claim gets no date rather than a guess.

use super::text::Token;
use super::words;
use crate::extract::dates::month_number;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use std::sync::LazyLock;

/// The word list below (see `data/README.md`).
const WHEN: &str = include_str!("data/when.txt");

/// What a sentence says about when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// A day.
    Day(NaiveDate),
    /// A period too vague for a day ("last month").
    Vague,
    /// Nothing said.
    Unsaid,
}

fn weekday(w: &str) -> Option<Weekday> {
    crate::extract::dates::weekday_of(w, false)
}

/// The latest `day` on or before `page` (strictly before, for "last Tuesday").
pub fn resolve_weekday(page: NaiveDate, day: Weekday, strictly_before: bool) -> NaiveDate {
    let mut back =
        (7 + page.weekday().num_days_from_monday() as i64 - day.num_days_from_monday() as i64) % 7;
    if strictly_before && back == 0 {
        back = 7;
    }
    page - Duration::days(back)
}

/// Phrases of a period too vague for a day ("last month"): the claim gets no date.
static VAGUE: LazyLock<Vec<&'static str>> = LazyLock::new(|| words::list(WHEN, "vague"));

static VAGUE_SPLIT: LazyLock<Vec<Vec<&'static str>>> =
    LazyLock::new(|| VAGUE.iter().map(|v| v.split(' ').collect()).collect());

fn small_number(w: &str) -> Option<i64> {
    Some(match w {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        _ => w.parse().ok().filter(|n: &i64| (1..=31).contains(n))?,
    })
}

/// The date a sentence gives, resolved.
pub fn when(toks: &[Token<'_>], page: Option<NaiveDate>, current: Option<NaiveDate>) -> When {
    let w = |k: usize| toks.get(k).map_or("", |t| t.lower().trim_end_matches('.'));
    let base = current.or(page);
    let mut vague = false;
    for i in 0..toks.len() {
        // Explicit dates: "Aug. 21", "August 21, 2018", "21 August 2018".
        if let Some(m) = month_number(w(i)).filter(|_| w(i).len() >= 3 && is_month(w(i))) {
            // "Aug. 21": the abbreviation's period is a token of its own.
            let j = if w(i + 1).is_empty() { i + 2 } else { i + 1 };
            let day_after = w(j).parse::<u32>().ok().filter(|d| (1..=31).contains(d));
            let day_before = i
                .checked_sub(1)
                .and_then(|k| w(k).parse::<u32>().ok())
                .filter(|d| (1..=31).contains(d));
            if let Some(d) = day_after.or(day_before) {
                let year_tok = if day_after.is_some() { j + 1 } else { i + 1 };
                let year = w(year_tok)
                    .trim_start_matches(',')
                    .parse::<i32>()
                    .ok()
                    .or_else(|| {
                        (w(year_tok) == ",")
                            .then(|| w(year_tok + 1).parse().ok())
                            .flatten()
                    })
                    .filter(|y| (1990..=2100).contains(y));
                let year = year.or_else(|| {
                    page.map(|p| {
                        // Without a year, the latest such date on or before the page date.
                        let y = p.year();
                        match NaiveDate::from_ymd_opt(y, m, d) {
                            Some(cand) if cand > p + Duration::days(2) => y - 1,
                            _ => y,
                        }
                    })
                });
                if let Some(date) = year.and_then(|y| NaiveDate::from_ymd_opt(y, m, d)) {
                    return When::Day(date);
                }
            } else if w(i).len() > 3 || w(i) == "may" {
                // "in March", "in March 2020": a month with no day is vague.
                if i == 0
                    || matches!(
                        w(i - 1),
                        "in" | "since"
                            | "during"
                            | "through"
                            | "until"
                            | "early"
                            | "late"
                            | "mid"
                            | "last"
                            | "this"
                            | "next"
                            | "by"
                            | "from"
                            | "of"
                    )
                {
                    vague = true;
                }
            }
        }
        if let Some(day) = weekday(w(i))
            && let Some(p) = page
        {
            let strictly = i > 0 && w(i - 1) == "last";
            return When::Day(resolve_weekday(p, day, strictly));
        }
        match w(i) {
            "today" | "tonight" => {
                if let Some(p) = page {
                    return When::Day(p);
                }
            }
            "yesterday" => {
                if let Some(p) = page {
                    return When::Day(p - Duration::days(1));
                }
            }
            "same" if w(i + 1) == "day" && matches!(w(i.wrapping_sub(1)), "the" | "that") => {
                if let Some(b) = base {
                    return When::Day(b);
                }
            }
            "earlier" | "before" | "later" | "after"
                if w(i.wrapping_sub(1)) == "day" || w(i.wrapping_sub(1)) == "days" =>
            {
                let n = i
                    .checked_sub(2)
                    .and_then(|k| small_number(w(k)))
                    .or_else(|| (i >= 2 && w(i - 2) == "the").then_some(1));
                if let (Some(n), Some(b)) = (n, base) {
                    let back = matches!(w(i), "earlier" | "before");
                    return When::Day(if back {
                        b - Duration::days(n)
                    } else {
                        b + Duration::days(n)
                    });
                }
            }
            "next" | "following" if w(i + 1) == "day" => {
                if let Some(b) = base {
                    return When::Day(b + Duration::days(1));
                }
            }
            _ => {}
        }
        if VAGUE_SPLIT
            .iter()
            .any(|words| words.iter().enumerate().all(|(k, x)| w(i + k) == *x))
        {
            vague = true;
        }
        // "in 2019" alone is a year, not a day.
        if w(i) == "in"
            && w(i + 1).len() == 4
            && w(i + 1)
                .parse::<i32>()
                .is_ok_and(|y| (1990..=2100).contains(&y))
        {
            vague = true;
        }
    }
    if vague { When::Vague } else { When::Unsaid }
}

fn is_month(w: &str) -> bool {
    crate::extract::dates::is_month_word(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::text::tokens;

    /// Every list of `data/when.txt` is there and non-empty: the file is fixed at compile
    /// time, so this test is the guard against a renamed or emptied section.
    #[test]
    fn every_word_list_loads() {
        words::check(WHEN, &[("vague", VAGUE.len())]);
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn table() {
        let thu = d(2019, 1, 31);
        let fri = d(2020, 4, 3);
        let cases: &[(&str, NaiveDate, Option<NaiveDate>, When)] = &[
            (
                "Twitter on Thursday said it deleted accounts",
                thu,
                None,
                When::Day(thu),
            ),
            (
                "Twitter said on Thursday that",
                fri,
                None,
                When::Day(d(2020, 4, 2)),
            ),
            (
                "Microsoft said late Monday",
                d(2018, 8, 24),
                None,
                When::Day(d(2018, 8, 20)),
            ),
            (
                "Today we removed 49 accounts",
                d(2020, 3, 12),
                None,
                When::Day(d(2020, 3, 12)),
            ),
            (
                "A day earlier, Meta said",
                d(2024, 5, 31),
                Some(d(2024, 5, 30)),
                When::Day(d(2024, 5, 29)),
            ),
            (
                "Twitter said the same day that",
                d(2018, 8, 24),
                Some(d(2018, 8, 21)),
                When::Day(d(2018, 8, 21)),
            ),
            (
                "Facebook said last month that it had removed",
                d(2019, 9, 20),
                None,
                When::Vague,
            ),
            (
                "On Aug. 21, Facebook said",
                d(2018, 8, 24),
                None,
                When::Day(d(2018, 8, 21)),
            ),
            (
                "on December 20, 2019, Twitter",
                d(2020, 1, 3),
                None,
                When::Day(d(2019, 12, 20)),
            ),
            (
                "in March 2020 the company",
                d(2020, 6, 1),
                None,
                When::Vague,
            ),
            (
                "the company removed 71 accounts",
                d(2020, 3, 12),
                None,
                When::Unsaid,
            ),
            (
                "last Tuesday",
                d(2019, 1, 29),
                None,
                When::Day(d(2019, 1, 22)),
            ),
        ];
        for (s, page, cur, want) in cases {
            assert_eq!(when(&tokens(s), Some(*page), *cur), *want, "{s}");
        }
    }
}
