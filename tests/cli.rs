//! The real `takedowns` binary, end to end: output shapes, error lines, exit codes.

use crate::support;
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output};

pub fn takedowns(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_takedowns"))
        .args(args)
        .current_dir(support::root())
        .output()
        .expect("run takedowns")
}

/// Runs the binary and checks that it succeeded, showing its stderr when not.
pub fn takedowns_ok(args: &[&str]) -> Output {
    let out = takedowns(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "takedowns {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

pub fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn seed_page() -> String {
    support::root()
        .join("fixtures/pages/2019-01-31-abcnews-twitter-iran-venezuela-bangladesh/page.html")
        .display()
        .to_string()
}

#[test]
fn extract_json_prints_one_article_per_file_and_an_error_line_for_bad_ones() {
    let dir = tempdir("extract-json");
    std::fs::write(dir.join("image.html"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    std::fs::write(dir.join("empty.htm"), b"").unwrap();
    std::fs::write(
        dir.join("broken.html.gz"),
        b"\x1f\x8b\x08\0garbage that is not deflate",
    )
    .unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&std::fs::read(seed_page()).unwrap()).unwrap();
    std::fs::write(dir.join("seed.html.gz"), gz.finish().unwrap()).unwrap();
    std::fs::write(dir.join("notes.txt"), b"not a page, not listed").unwrap();
    let missing = dir.join("missing.html");
    let out = takedowns(&[
        "extract",
        "--json",
        dir.to_str().unwrap(),
        missing.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "failed files make exit 1");
    let lines = json_lines(&out);
    assert_eq!(
        lines.len(),
        5,
        "one line per page file in the folder plus the missing path: {lines:?}"
    );
    let by_file = |suffix: &str| {
        lines
            .iter()
            .find(|l| l["file"].as_str().is_some_and(|f| f.ends_with(suffix)))
            .unwrap_or_else(|| panic!("no line for {suffix}"))
    };
    for bad in ["image.html", "empty.htm", "broken.html.gz", "missing.html"] {
        let l = by_file(bad);
        let err = l["error"]
            .as_str()
            .unwrap_or_else(|| panic!("{bad}: no error: {l}"));
        assert!(!err.is_empty());
        assert!(l.get("body").is_none());
    }
    assert!(
        by_file("image.html")["error"]
            .as_str()
            .unwrap()
            .contains("PNG")
    );
    let seed = by_file("seed.html.gz");
    assert_eq!(seed["published"], "2019-01-31");
    assert_eq!(seed["site"], "abcnews.go.com");
    assert!(
        seed["body"]
            .as_str()
            .unwrap()
            .contains("2,617 additional malicious accounts")
    );
    assert!(seed["claims"].is_array() && seed["spokespeople"].is_array());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("missing.html"),
        "stderr names the file: {stderr}"
    );
}

#[test]
fn extract_url_flag_overrides_the_page() {
    let out = takedowns(&[
        "extract",
        "--json",
        "--url",
        "https://www.example.org/a/b",
        &seed_page(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let l = &json_lines(&out)[0];
    assert_eq!(l["url"], "https://www.example.org/a/b");
    assert_eq!(l["site"], "example.org");
}

#[test]
fn extract_without_json_prints_a_readable_summary() {
    let out = takedowns(&["extract", &seed_page()]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("title      Twitter says it removed fake accounts"),
        "{text}"
    );
    assert!(text.contains("published  2019-01-31"), "{text}");
}

#[test]
fn bad_arguments_are_one_line_user_errors() {
    for args in [
        &["extract"][..],
        &["extract", "--url", "ftp://x", "fixtures"][..],
        &["frobnicate"][..],
    ] {
        let out = takedowns(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}

/// A fresh folder under target/ for one test.
pub fn tempdir(name: &str) -> std::path::PathBuf {
    let d = support::root()
        .join("target/test-tmp")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Claims the last "commit N: … and C claims added by this run are stored" line of a
/// run's stderr reports (0 when it reported none).
pub fn committed_claims(stderr: &str) -> u64 {
    stderr
        .lines()
        .rev()
        .find_map(|l| {
            let rest = l.strip_prefix("takedowns: commit ")?;
            let (_, tail) = rest.split_once(" pages and ")?;
            tail.split_whitespace().next()?.parse().ok()
        })
        .unwrap_or(0)
}

/// A small deterministic random stream (xorshift), seeded from the clock and printed,
/// so a failing run can be replayed with `TAKEDOWNS_TEST_SEED`.
pub struct Rng(u64);

impl Rng {
    /// A stream for one test.
    pub fn new(test: &str) -> Rng {
        let seed = std::env::var("TAKEDOWNS_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
            })
            | 1;
        eprintln!("{test}: TAKEDOWNS_TEST_SEED={seed}");
        Rng(seed)
    }

    /// A number in `lo..hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        lo + self.0 % (hi - lo).max(1)
    }
}

#[test]
fn a_closed_pipe_ends_extract_quietly() {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_takedowns"))
        .args(["extract", "--json", "fixtures/pages"])
        .current_dir(support::root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is gone: the next writes hit a closed pipe.
    let out = child.wait_with_output().unwrap();
    assert!(first.starts_with('{'));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn extract_reads_warc_files_and_finds_what_the_pages_give() {
    let kb = tempdir("extract-warc").join("kb");
    let pages = [
        "fixtures/pages/2019-01-31-abcnews-twitter-iran-venezuela-bangladesh/page.html",
        "fixtures/hostile/windows-1251-unlabelled.html",
        "fixtures/serve/hostile.html",
    ];
    let mut args = vec!["ingest", "--json", "--kb", kb.to_str().unwrap()];
    args.extend(pages);
    takedowns_ok(&args);
    let warc = std::fs::read_dir(kb.join("archive"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .next()
        .unwrap();
    let from_warc = json_lines(&takedowns_ok(&[
        "extract",
        "--json",
        warc.to_str().unwrap(),
    ]));
    assert_eq!(from_warc.len(), pages.len());
    for (line, page) in from_warc.iter().zip(pages) {
        let direct = &json_lines(&takedowns_ok(&["extract", "--json", page]))[0];
        assert_eq!(line["claims"], direct["claims"], "{page}");
        assert_eq!(line["body"], direct["body"], "{page}");
        assert!(line["fetched"].as_str().unwrap().starts_with("20"));
        assert_eq!(line["truncated"], false);
        assert_eq!(line["file"], warc.to_str().unwrap());
    }
}
