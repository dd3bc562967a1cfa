//! Dates as pages write them: ISO timestamps, "Jan 31, 2019, 3:50 PM ET",
//! "31 January 2019", "Thu August 22, 2019", and dates in URL paths.
//!
//! A timestamp keeps the calendar date it was written with: "2019-01-31T23:30:00-05:00"
//! is 31 January, the day the page's readers saw, not 1 February in UTC.

use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

static ISO: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\b((?:19|20)\d\d)-(\d\d?)-(\d\d?)(?:[T\s]|\b|$)").ok());
static SLASH_YMD: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\b((?:19|20)\d\d)[/.](\d\d?)[/.](\d\d?)\b").ok());
static COMPACT: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^((?:19|20)\d\d)(\d\d)(\d\d)(?:T|$)").ok());
static MDY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b{MONTH}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b"
    ))
    .ok()
});
static DMY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}\.?,?\s+((?:19|20)\d\d)\b"
    ))
    .ok()
});
static URL_DATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)\d\d)[/-](\d\d)[/-](\d\d)(?:/|-|\.|$)|/((?:19|20)\d\d)(\d\d)(\d\d)/")
        .ok()
});

const MONTH: &str = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

/// English month names and their abbreviations, lower case.
const MONTH_WORDS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

/// English weekday names and their abbreviations, lower case, with their day.
const WEEKDAY_WORDS: &[(&str, chrono::Weekday)] = &[
    ("monday", chrono::Weekday::Mon),
    ("tuesday", chrono::Weekday::Tue),
    ("wednesday", chrono::Weekday::Wed),
    ("thursday", chrono::Weekday::Thu),
    ("friday", chrono::Weekday::Fri),
    ("saturday", chrono::Weekday::Sat),
    ("sunday", chrono::Weekday::Sun),
    ("mon", chrono::Weekday::Mon),
    ("tue", chrono::Weekday::Tue),
    ("tues", chrono::Weekday::Tue),
    ("wed", chrono::Weekday::Wed),
    ("thu", chrono::Weekday::Thu),
    ("thur", chrono::Weekday::Thu),
    ("thurs", chrono::Weekday::Thu),
    ("fri", chrono::Weekday::Fri),
    ("sat", chrono::Weekday::Sat),
    ("sun", chrono::Weekday::Sun),
];

/// Whether a lower-case word (a trailing period allowed) is a month name ("march", "sept.").
pub fn is_month_word(w: &str) -> bool {
    MONTH_WORDS.contains(&w.trim_end_matches('.'))
}

/// The weekday a lower-case word names ("thursday", "thu."); abbreviations only when
/// `abbreviated` is allowed (in prose "sun" and "sat" are other words).
pub fn weekday_of(w: &str, abbreviated: bool) -> Option<chrono::Weekday> {
    let w = w.trim_end_matches('.');
    WEEKDAY_WORDS
        .iter()
        .find(|(n, _)| *n == w && (abbreviated || n.len() > 5))
        .map(|(_, d)| *d)
}

/// Month number (1–12) from an English month name or abbreviation.
pub fn month_number(name: &str) -> Option<u32> {
    let l = name.to_ascii_lowercase();
    let l = l.trim_end_matches('.');
    let m = match l.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(m)
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// A machine-readable date ("2019-01-31T15:50:00-05:00", "2019/01/31", "20190131").
pub fn parse_machine_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    for re in [&ISO, &SLASH_YMD, &COMPACT] {
        if let Some(c) = re.as_ref().and_then(|re| re.captures(s))
            && let Some(d) = ymd(&c[1], &c[2], &c[3])
        {
            return Some(d);
        }
    }
    parse_text_date(s)
}

/// The first full date written in prose: "Jan 31, 2019", "31 January 2019".
pub fn parse_text_date(s: &str) -> Option<NaiveDate> {
    let mdy = MDY.as_ref().and_then(|re| re.captures(s)).and_then(|c| {
        let m = month_number(&c[1])?;
        let d = NaiveDate::from_ymd_opt(c[3].parse().ok()?, m, c[2].parse().ok()?)?;
        Some((c.get(0)?.start(), d))
    });
    let dmy = DMY.as_ref().and_then(|re| re.captures(s)).and_then(|c| {
        let m = month_number(&c[2])?;
        let d = NaiveDate::from_ymd_opt(c[3].parse().ok()?, m, c[1].parse().ok()?)?;
        Some((c.get(0)?.start(), d))
    });
    let iso = ISO
        .as_ref()
        .and_then(|re| re.captures(s))
        .and_then(|c| Some((c.get(0)?.start(), ymd(&c[1], &c[2], &c[3])?)));
    [mdy, dmy, iso]
        .into_iter()
        .flatten()
        .min_by_key(|(pos, _)| *pos)
        .map(|(_, d)| d)
}

static NUMERIC: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b").ok());

/// A numeric byline date, "12/01/2021": month first as on US sites, unless the first
/// number cannot be a month. Only for bylines: in prose the order is too uncertain.
pub fn parse_numeric_date(s: &str) -> Option<NaiveDate> {
    let c = NUMERIC.as_ref()?.captures(s)?;
    let (a, b): (u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?);
    let y: i32 = c[3].parse().ok()?;
    if a > 12 {
        NaiveDate::from_ymd_opt(y, b, a)
    } else {
        NaiveDate::from_ymd_opt(y, a, b)
    }
}

/// A date in a URL path: `/2019/01/31/`, `/2019-01-31-slug`, `/20190131/`.
pub fn date_from_url(url: &str) -> Option<NaiveDate> {
    let c = URL_DATE.as_ref()?.captures(url)?;
    if c.get(1).is_some() {
        ymd(&c[1], &c[2], &c[3])
    } else {
        ymd(&c[4], &c[5], &c[6])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn machine_dates() {
        let cases = [
            ("2019-01-31T15:50:00-05:00", d(2019, 1, 31)),
            ("2019-01-31T23:30:00-05:00", d(2019, 1, 31)),
            ("2019-1-3", d(2019, 1, 3)),
            ("2019/01/31", d(2019, 1, 31)),
            ("20190131", d(2019, 1, 31)),
            ("2019-02-30", None),
            ("Thu, 31 Jan 2019 20:50:00 GMT", d(2019, 1, 31)),
            ("", None),
        ];
        for (s, want) in cases {
            assert_eq!(parse_machine_date(s), want, "{s}");
        }
    }

    #[test]
    fn text_dates() {
        let cases = [
            ("Jan 31, 2019, 3:50 PM ET", d(2019, 1, 31)),
            ("Published January 31, 2019", d(2019, 1, 31)),
            ("Sept. 5, 2018", d(2018, 9, 5)),
            ("Updated 2:15 p.m. EDT, Thu August 22, 2019", d(2019, 8, 22)),
            ("31 January 2019", d(2019, 1, 31)),
            ("1st of March 2020", d(2020, 3, 1)),
            ("on Thursday", None),
            ("in March 2020", None),
        ];
        for (s, want) in cases {
            assert_eq!(parse_text_date(s), want, "{s}");
        }
    }

    #[test]
    fn numeric_byline_dates() {
        assert_eq!(
            parse_numeric_date("Wed, 12/01/2021 - 18:40"),
            d(2021, 12, 1)
        );
        assert_eq!(parse_numeric_date("31/01/2019"), d(2019, 1, 31));
        assert_eq!(parse_numeric_date("13/13/2019"), None);
    }

    #[test]
    fn url_dates() {
        let cases = [
            (
                "https://www.nytimes.com/2019/11/19/opinion/x.html",
                d(2019, 11, 19),
            ),
            ("https://x.com/news/2019-01-31-twitter-iran", d(2019, 1, 31)),
            ("https://x.com/a/20190131/b", d(2019, 1, 31)),
            ("https://x.com/a/2019/b", None),
        ];
        for (s, want) in cases {
            assert_eq!(date_from_url(s), want, "{s}");
        }
    }
}
