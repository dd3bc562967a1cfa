//! The claim reader's small grammatical word lists (cues, stop words, verbs of saying),
//! kept as data files in `data/` beside the lexicons so that a list is reviewed, and
//! grown, like the lexicons are. A file holds `[section]` headers, each followed by its
//! entries one a line, in order; `#` starts a comment line; blank lines are skipped.
//!
//! The files are compiled in with `include_str!`, so their text is `'static`: each list
//! is parsed once, into a `LazyLock` of `&'static str` slices of that text, and a use
//! costs what a `const` slice did. A section that is missing or empty reads as an empty
//! list rather than a panic; each module's tests load every one of its lists and check
//! it is non-empty, which is the guard (the text cannot change after compilation).

/// The entries of `[section]` in `file`, in order (empty when the section is absent).
pub fn list(file: &'static str, section: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in file.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            inside = name == section;
            continue;
        }
        if inside {
            out.push(line);
        }
    }
    out
}

/// The entries of `[section]` as two tab-separated columns, in order. A line without a
/// tab is left out; the module's test compares the count with [`list`]'s.
pub fn pairs(file: &'static str, section: &str) -> Vec<(&'static str, &'static str)> {
    list(file, section)
        .into_iter()
        .filter_map(|l| l.split_once('\t'))
        .collect()
}

/// The section names of `file`, in order.
#[cfg(test)]
pub fn sections(file: &'static str) -> Vec<&'static str> {
    file.lines()
        .filter_map(|l| l.trim().strip_prefix('[')?.strip_suffix(']'))
        .collect()
}

/// Checks a data file against what its module reads: every list the module loaded
/// (`loaded`: section name and the number of entries it got) is non-empty and is a
/// section of the file, every section of the file is loaded, and no section is
/// written twice. Meant for the modules' unit tests.
#[cfg(test)]
pub fn check(file: &'static str, loaded: &[(&str, usize)]) {
    let names = sections(file);
    for (name, n) in loaded {
        assert!(*n > 0, "[{name}] is missing or empty");
        assert_eq!(
            names.iter().filter(|s| *s == name).count(),
            1,
            "[{name}] must be written exactly once"
        );
    }
    for name in &names {
        assert!(
            loaded.iter().any(|(l, _)| l == name),
            "[{name}] is in the file but no list reads it"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# a comment\n[one]\na\n\n# why b\nb c\n[two]\nx\ty\nno tab\n[empty]\n";

    #[test]
    fn sections_are_read_in_order_without_comments() {
        assert_eq!(list(SAMPLE, "one"), ["a", "b c"]);
        assert_eq!(list(SAMPLE, "missing"), Vec::<&str>::new());
        assert_eq!(list(SAMPLE, "empty"), Vec::<&str>::new());
        assert_eq!(pairs(SAMPLE, "two"), [("x", "y")]);
        assert_eq!(sections(SAMPLE), ["one", "two", "empty"]);
    }

    #[test]
    #[should_panic(expected = "[empty] is missing or empty")]
    fn an_empty_section_fails_the_check() {
        check(SAMPLE, &[("one", 2), ("two", 2), ("empty", 0)]);
    }

    #[test]
    #[should_panic(expected = "no list reads it")]
    fn a_section_no_list_reads_fails_the_check() {
        check(SAMPLE, &[("one", 2), ("two", 2)]);
    }
}
