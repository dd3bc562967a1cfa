//! Pages built to hurt the parser: each is extracted from what fits, never a hang or
//! a panic. (How long they take is measured in the benchmark, not asserted here.)

use takedowns::extract::{self, Options};

fn extract_ok(html: &str) -> extract::Article {
    extract::extract(html.as_bytes(), &Options::default()).expect("hostile page extracts")
}

/// The sentence every markup case carries.
const SENTENCE: &str =
    "<p>Twitter said it suspended 2,617 accounts in Iran on Thursday, the company wrote.</p>";

/// Markup built to hurt the parser, by file name: deep, unclosed, misnested, wide.
fn markup_cases() -> Vec<(&'static str, String)> {
    vec![
        (
            "unclosed-divs-100k.html",
            format!("{}{SENTENCE}", "<div>".repeat(100_000)),
        ),
        (
            "nested-divs-100k.html",
            format!(
                "{SENTENCE}{}{}",
                "<div>".repeat(100_000),
                "</div>".repeat(100_000)
            ),
        ),
        (
            "misnested-b-i-5000.html",
            format!("{SENTENCE}<p>{}", "<b><i>w</b></i>".repeat(5000)),
        ),
        (
            "attributes-100k.html",
            format!(
                "<div {}>{SENTENCE}</div>",
                (0..100_000)
                    .map(|k| format!("a{k}=\"v\" "))
                    .collect::<String>()
            ),
        ),
    ]
}

#[test]
fn deep_and_misnested_markup_is_cut_before_the_parser() {
    for (name, html) in markup_cases() {
        let a = extract_ok(&html);
        assert!(a.gate.changed(), "{name}: the gate should have acted");
        let head: String = a.body.chars().take(200).collect();
        assert!(
            a.body.contains("2,617 accounts") || name == "attributes-100k.html",
            "{name}: {head}"
        );
    }
}

#[test]
fn oversized_page_is_extracted_from_what_fits() {
    let limits = extract::Limits {
        max_bytes: 1 << 20,
        ..extract::Limits::default()
    };
    let para = "<p>Facebook removed 783 Pages, Groups and accounts tied to Iran, the company said on Thursday.</p>\n";
    let html = format!(
        "<html><body><article>{}</article></body></html>",
        para.repeat(30_000)
    );
    let a = extract::extract(
        html.as_bytes(),
        &Options {
            limits,
            ..Options::default()
        },
    )
    .expect("extracts");
    assert!(a.gate.truncated);
    assert!(
        a.body.len() > 500_000 && a.body.len() < 1 << 20,
        "{}",
        a.body.len()
    );
}

#[test]
fn invalid_utf8_and_nul_bytes_decode_without_loss_of_the_sentence() {
    let mut bytes = b"<html><body><p>Twitter suspended 2,617 accounts in Iran \xff\xfe on Thursday, the company said.</p>".to_vec();
    bytes.extend_from_slice(
        b"<p>A NUL \0 byte sits in this paragraph of the story text here.</p></body></html>",
    );
    let a = extract::extract(&bytes, &Options::default()).expect("extracts");
    assert!(a.body.contains("2,617 accounts"), "{}", a.body);
}

#[test]
fn huge_numbers_in_text_are_just_text() {
    let a = extract_ok(
        "<p>Twitter suspended 99999999999999999999 accounts and 1e309 bots in Iran, the company said on Thursday.</p>",
    );
    assert!(a.body.contains("99999999999999999999"));
}

/// The hostile inputs too large to commit, written once per run by the test.
fn generated(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let para = "<p>Facebook removed 783 Pages, Groups and accounts tied to Iran, the company said on Thursday.</p>\n";
    let mut pages: Vec<(&str, Vec<u8>)> = markup_cases()
        .into_iter()
        .map(|(name, html)| (name, html.into_bytes()))
        .collect();
    pages.extend([
        (
            "page-30mb.html",
            format!(
                "<html><body><article>{}</article></body></html>",
                para.repeat((30 << 20) / para.len())
            )
            .into_bytes(),
        ),
        ("invalid-utf8.html", {
            let mut b = b"<html><body><p>Twitter suspended 2,617 accounts in Iran \xff\xfe\xc3 on Thursday, the company said.</p>".to_vec();
            b.extend_from_slice(&[0xf0, 0x28, 0x8c, 0xbc, 0xed, 0xa0, 0x80]);
            b.extend_from_slice(b"</body></html>");
            b
        }),
        (
            "nul-bytes.html",
            b"<html><body>\0<p>Twitter suspended 2,617\0 accounts in Iran on Thursday, the company said.</p>\0\0</body></html>".to_vec(),
        ),
    ]);
    std::fs::create_dir_all(dir).unwrap();
    pages
        .into_iter()
        .map(|(name, bytes)| {
            let p = dir.join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        })
        .collect()
}

/// `takedowns extract --json FILE` under a 1 GiB address-space limit and a 10 s watchdog:
/// exit code, stdout, stderr.
fn extract_bounded(file: &std::path::Path) -> (i32, String, String) {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let mut child = Command::new("bash")
        .arg("-c")
        .arg("ulimit -v 1048576; exec \"$0\" extract --json \"$1\"")
        .arg(env!("CARGO_BIN_EXE_takedowns"))
        .arg(file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut out, &mut s).unwrap();
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut s);
        s
    });
    let t = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if t.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("{}: still running after 10 s", file.display());
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    (
        status.code().unwrap_or(-1),
        reader.join().unwrap(),
        err_reader.join().unwrap(),
    )
}

#[test]
fn every_hostile_input_gets_one_json_line_within_10_s_and_1_gib() {
    let root = crate::support::root();
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(root.join("fixtures/hostile"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e != "md"))
        .collect();
    files.extend(generated(&crate::cli::tempdir("hostile-generated")));
    files.sort();
    let mut lines = std::collections::HashMap::new();
    for f in &files {
        let (code, stdout, stderr) = extract_bounded(f);
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        assert!(code == 0 || code == 1, "{name}: exit {code}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        let out: Vec<&str> = stdout.lines().collect();
        assert_eq!(out.len(), 1, "{name}: one line, got {}", out.len());
        let v: serde_json::Value = serde_json::from_str(out[0]).unwrap();
        assert!(v["file"].is_string(), "{name}");
        assert!(
            v["body"].is_string() != v["error"].is_string(),
            "{name}: an Article or an error"
        );
        assert_eq!(code == 1, v["error"].is_string(), "{name}: exit code");
        lines.insert(name, v);
    }
    let evidence = |name: &str| -> Vec<String> {
        lines[name]["claims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["evidence"].as_str().unwrap().to_string())
            .collect()
    };
    // Mislabelled and unlabelled charsets still give their claim, decoded right.
    let tr = evidence("latin1-label-utf8-bytes.html");
    assert!(
        tr.iter()
            .any(|e| e.contains("7,340") && e.contains("Türkiye")),
        "{tr:?}"
    );
    let ru = evidence("windows-1251-unlabelled.html");
    assert!(
        ru.iter()
            .any(|e| e.contains("138") && e.contains("Агентство")),
        "{ru:?}"
    );
    // A number no count can hold is no count at all, never a wrapped or capped one.
    for c in lines["huge-numbers.html"]["claims"].as_array().unwrap() {
        assert!(c["count"].is_null(), "{c}");
    }
    for name in [
        "empty.html",
        "image-named.html",
        "not-gzip.html.gz",
        "truncated.html.gz",
    ] {
        assert!(lines[name]["error"].is_string(), "{name}");
    }
    for name in [
        "nested-divs-100k.html",
        "unclosed-divs-100k.html",
        "misnested-b-i-5000.html",
        "invalid-utf8.html",
        "nul-bytes.html",
    ] {
        let ev = evidence(name);
        assert!(ev.iter().any(|e| e.contains("2,617")), "{name}: {ev:?}");
    }
    // Cut at the 20 MB input limit, extracted from what fits.
    let big = &lines["page-30mb.html"];
    assert!(big["body"].as_str().unwrap().len() > 10 << 20);
    assert!(!evidence("page-30mb.html").is_empty());
}
