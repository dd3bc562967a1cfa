//! Printing helpers the commands share: numbers, shortened text, and the fields of a
//! stored record (hit or fact) as a terminal shows them.

use std::io::{self, Write};

/// Buffered stdout; every command writes through one so a closed pipe ends it quietly.
pub(super) fn stdout() -> io::BufWriter<io::StdoutLock<'static>> {
    io::BufWriter::new(io::stdout().lock())
}

/// One JSON value on its own line.
pub(super) fn json_line(out: &mut impl Write, v: &impl serde::Serialize) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, v)?;
    writeln!(out)?;
    Ok(())
}

/// A number with thousands separators: 2617 → "2,617".
pub(super) fn group_thousands(n: u64) -> String {
    takedowns::claims::numbers::thousands(n)
}

/// At most `max` characters of `s`, with "…" when cut.
pub(super) fn ellipsis(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut}…")
    }
}

/// Which of how many results a list shows: "showing 21–40 of 1,204 claims", or "0 facts".
pub(super) fn showing(offset: usize, shown: usize, total: usize, noun: &str) -> String {
    let total_s = group_thousands(total as u64);
    if shown == 0 {
        if offset > 0 && total > 0 {
            return format!("none shown: offset {offset} is past the {total_s} {noun}");
        }
        return format!("{total_s} {noun}");
    }
    let (first, last) = (offset + 1, offset + shown);
    format!(
        "showing {}–{} of {total_s} {noun}",
        group_thousands(first as u64),
        group_thousands(last as u64)
    )
}

/// A text field of a hit or fact for the terminal, "-" when absent.
pub(super) fn field(v: &serde_json::Value, k: &str) -> String {
    v.get(k).and_then(|x| x.as_str()).unwrap_or("-").to_string()
}

/// A list field (countries, targets) joined by commas, "-" when absent or empty.
pub(super) fn field_list(v: &serde_json::Value, k: &str) -> String {
    v.get(k)
        .and_then(|x| x.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(",")
        })
        .filter(|x| !x.is_empty())
        .unwrap_or_else(|| "-".into())
}

/// The count with thousands separators, "-" for a claim without a figure.
pub(super) fn field_count(v: &serde_json::Value) -> String {
    v.get("count")
        .and_then(|c| c.as_u64())
        .map(group_thousands)
        .unwrap_or_else(|| "-".into())
}

/// A fact in one line: date, platform, figure, origin, sources, conflicts.
fn fact_line(f: &serde_json::Value) -> String {
    let s = |k: &str| field(f, k);
    let list = |k: &str| field_list(f, k);
    let count = field_count(f);
    format!(
        "{}  {} {} {} {}  from {}  — {} source(s), {} independent{}",
        s("date"),
        s("platform"),
        s("qualifier").replace('_', " "),
        count,
        s("object"),
        list("countries"),
        f["source_count"],
        f["independent_sources"],
        if f["conflicts"].as_array().is_some_and(|c| !c.is_empty()) {
            ", CONFLICTING REPORTS"
        } else {
            ""
        }
    )
}

/// A fact with its primary source, every source's evidence and the conflicting figures.
pub(super) fn fact_detail(out: &mut impl Write, f: &serde_json::Value) -> io::Result<()> {
    writeln!(out, "{}", fact_line(f))?;
    if let Some(p) = f["primary_source"].as_str() {
        writeln!(out, "  primary source: {p}")?;
    }
    for src in f["sources"].as_array().into_iter().flatten() {
        writeln!(
            out,
            "  · {}  ({})",
            src["url"].as_str().unwrap_or("-"),
            src["published"].as_str().unwrap_or("-")
        )?;
        writeln!(
            out,
            "    “{}”",
            ellipsis(src["evidence"].as_str().unwrap_or(""), 160)
        )?;
    }
    for c in f["conflicts"].as_array().into_iter().flatten() {
        let n = c["count"]
            .as_u64()
            .map(group_thousands)
            .unwrap_or_else(|| "-".into());
        writeln!(
            out,
            "  ✗ conflicting figure {n} at {}",
            c["url"].as_str().unwrap_or("-")
        )?;
        writeln!(
            out,
            "    “{}”",
            ellipsis(c["evidence"].as_str().unwrap_or(""), 160)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_cuts() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(2617), "2,617");
        assert_eq!(group_thousands(1_000_000), "1,000,000");
        assert_eq!(ellipsis("abc", 3), "abc");
        assert_eq!(ellipsis("abcd", 3), "abc…");
        assert_eq!(
            showing(0, 20, 1204, "claims"),
            "showing 1–20 of 1,204 claims"
        );
        assert_eq!(showing(20, 3, 23, "facts"), "showing 21–23 of 23 facts");
        assert_eq!(showing(0, 0, 0, "claims"), "0 claims");
        assert_eq!(
            showing(40, 0, 23, "claims"),
            "none shown: offset 40 is past the 23 claims"
        );
    }
}
