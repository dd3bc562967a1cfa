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
    extract_within(file, 1 << 20)
}

/// `takedowns extract --json FILE` under an address-space limit (KiB) and a 10 s
/// watchdog: exit code, stdout, stderr.
pub fn extract_within(file: &std::path::Path, limit_kib: usize) -> (i32, String, String) {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let mut child = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "ulimit -v {limit_kib}; exec \"$0\" extract --json \"$1\""
        ))
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

/// A `.warc.gz` whose first record declares and holds 1.5 GB (a gzip member of about
/// 1.5 MB: spaces compress 1000 to 1) and whose second record is a real page. The
/// deflate stream is built from one compressed chunk repeated (a full flush makes each
/// chunk's bytes stand alone), so the test costs seconds, not a compression of 1.5 GB.
fn warc_with_a_huge_record(path: &std::path::Path) {
    use flate2::{Compress, Compression, Crc, FlushCompress};
    const CHUNK: usize = 1 << 24;
    const CHUNKS: usize = 96; // 1.5 GiB
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>";
    let tail = "</p></body></html>";
    let len = head.len() + CHUNK * CHUNKS + tail.len();
    let prefix = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://huge.example/\r\nContent-Length: {len}\r\n\r\n{head}"
    );
    let suffix = format!("{tail}\r\n\r\n");
    let spaces = vec![b' '; CHUNK];
    // One call with room to spare: all the input is taken and the flush written.
    let deflate = |input: &[u8], flush: FlushCompress, c: &mut Compress| {
        let mut out = Vec::with_capacity(input.len() / 4 + (1 << 20));
        let before = c.total_in();
        c.compress_vec(input, &mut out, flush).unwrap();
        assert_eq!(c.total_in() - before, input.len() as u64);
        out
    };
    let mut c = Compress::new(Compression::best(), false);
    let first = deflate(prefix.as_bytes(), FlushCompress::Full, &mut c);
    let chunk = deflate(&spaces, FlushCompress::Full, &mut c);
    let again = deflate(&spaces, FlushCompress::Full, &mut c);
    assert_eq!(
        chunk, again,
        "a fully flushed chunk compresses the same each time"
    );
    let last = deflate(suffix.as_bytes(), FlushCompress::Finish, &mut c);
    let mut crc = Crc::new();
    crc.update(prefix.as_bytes());
    for _ in 0..CHUNKS {
        crc.update(&spaces);
    }
    crc.update(suffix.as_bytes());
    let mut gz = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    gz.extend_from_slice(&first);
    for _ in 0..CHUNKS {
        gz.extend_from_slice(&chunk);
    }
    gz.extend_from_slice(&last);
    gz.extend_from_slice(&crc.sum().to_le_bytes());
    gz.extend_from_slice(&(crc.amount()).to_le_bytes());
    // The second record: the seed page, as a crawl would have stored it.
    let page = std::fs::read(
        crate::support::root()
            .join("fixtures/pages/2019-01-31-abcnews-twitter-iran-venezuela-bangladesh/page.html"),
    )
    .unwrap();
    let mut block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n".to_vec();
    block.extend_from_slice(&page);
    let mut rec = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://abcnews.go.com/seed\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    rec.extend_from_slice(&block);
    rec.extend_from_slice(b"\r\n\r\n");
    let mut e = flate2::write::GzEncoder::new(Vec::new(), Compression::default());
    std::io::Write::write_all(&mut e, &rec).unwrap();
    gz.extend_from_slice(&e.finish().unwrap());
    std::fs::write(path, gz).unwrap();
}

/// A 1.5 GB record is read in bounded memory: under `ulimit -v` 1 GiB the page after it
/// is ingested and the oversized record is said.
#[test]
fn a_huge_warc_record_costs_bounded_memory_and_the_next_page_is_read() {
    use std::process::Command;
    let dir = crate::cli::tempdir("hostile-huge-record");
    let warc = dir.join("huge.warc.gz");
    warc_with_a_huge_record(&warc);
    let size = std::fs::metadata(&warc).unwrap().len();
    assert!(size < 4 << 20, "the file is {size} bytes");
    let kb = dir.join("kb");
    let out = Command::new("bash")
        .arg("-c")
        .arg("ulimit -v 1048576; exec \"$0\" ingest --json --kb \"$1\" \"$2\"")
        .arg(env!("CARGO_BIN_EXE_takedowns"))
        .arg(&kb)
        .arg(&warc)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report: serde_json::Value =
        serde_json::from_slice(out.stdout.split(|b| *b == b'\n').next().unwrap_or_default())
            .unwrap_or_else(|e| panic!("no report ({e}); stderr: {stderr}"));
    assert_eq!(report["pages"], 2, "{report}\n{stderr}");
    assert!(report["claims"].as_u64().unwrap_or(0) >= 3, "{report}");
    assert!(stderr.contains("longer than the page cap"), "{stderr}");
    let hits = crate::kb::search(kb.to_str().unwrap(), &["--platform", "twitter"]);
    assert!(hits["total"].as_u64().unwrap_or(0) >= 3, "{hits}");
}
