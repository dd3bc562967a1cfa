//! A CC-NEWS-style WARC at scale: writes a `.warc.gz` of about `--mb` MB (default 1024) on
//! disk, one gzip member per record, response records with HTTP headers as Common Crawl
//! publishes them (payload already decoded, the original encoding headers renamed
//! `X-Crawler-…`), mostly general news (the 181 pages of the extraction benchmark, each
//! record made distinct) with a takedown story every 50th record; then times the real
//! binary over it: `extract --json` to /dev/null, and `ingest --prefilter` into a new
//! knowledge base. Prints pages/s and peak memory (from /usr/bin/time when present).
//!
//! `cargo bench --bench warc` (`-- --mb 100` for a quick run; `-- --quick` is 20 MB, CI's smoke run).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn pages(root: &Path) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let mut general = Vec::new();
    if let Ok(rd) = std::fs::read_dir(root.join("../shared/bench/article-extraction/html")) {
        for e in rd.flatten() {
            let mut b = Vec::new();
            flate2::read::MultiGzDecoder::new(std::fs::File::open(e.path()).unwrap())
                .read_to_end(&mut b)
                .unwrap();
            general.push(b);
        }
    }
    let mut takedown = Vec::new();
    for e in std::fs::read_dir(root.join("fixtures/pages"))
        .unwrap()
        .flatten()
    {
        takedown.push(std::fs::read(e.path().join("page.html")).unwrap());
    }
    if general.is_empty() {
        eprintln!(
            "(../shared/bench/article-extraction is absent: general news stands in from the fixtures)"
        );
        general = takedown.clone();
    }
    (general, takedown)
}

fn write_warc(path: &Path, mb: usize, root: &Path) -> usize {
    let (general, takedown) = pages(root);
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let (mut written, mut n) = (0usize, 0usize);
    while written < mb << 20 {
        let base = if n % 50 == 49 {
            &takedown[n / 50 % takedown.len()]
        } else {
            &general[n % general.len()]
        };
        // A distinct page each time, as a month of news is.
        let mut payload = base.clone();
        payload.extend_from_slice(format!("\n<!-- record {n} -->\n").as_bytes());
        let http = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nX-Crawler-Content-Encoding: gzip\r\nX-Crawler-Content-Length: {}\r\nContent-Length: {}\r\n\r\n",
            payload.len() / 3,
            payload.len()
        );
        let block_len = http.len() + payload.len();
        let head = format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Date: 2024-06-{:02}T12:00:00Z\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{n:012}>\r\nWARC-Target-URI: https://news{}.example/story/{n}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {block_len}\r\n\r\n",
            1 + n % 28,
            n % 97
        );
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        gz.write_all(head.as_bytes()).unwrap();
        gz.write_all(http.as_bytes()).unwrap();
        gz.write_all(&payload).unwrap();
        gz.write_all(b"\r\n\r\n").unwrap();
        let member = gz.finish().unwrap();
        out.write_all(&member).unwrap();
        written += member.len();
        n += 1;
    }
    out.flush().unwrap();
    n
}

/// Runs the binary, under /usr/bin/time when it exists: seconds and peak RSS (MiB).
fn timed(args: &[&str], stdout_to_null: bool) -> (f64, Option<f64>, String) {
    let bin = env!("CARGO_BIN_EXE_takedowns");
    let gnu_time = Path::new("/usr/bin/time").exists();
    let mut cmd = if gnu_time {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "MAXRSS_KB %M", bin]);
        c
    } else {
        Command::new(bin)
    };
    cmd.args(args);
    if stdout_to_null {
        cmd.stdout(std::process::Stdio::null());
    }
    let t = Instant::now();
    let out = cmd.output().unwrap();
    let secs = t.elapsed().as_secs_f64();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let rss = err
        .lines()
        .find_map(|l| l.strip_prefix("MAXRSS_KB "))
        .and_then(|k| k.trim().parse::<f64>().ok())
        .map(|k| k / 1024.0);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    (secs, rss, stdout)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mb: usize = args
        .iter()
        .position(|a| a == "--mb")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(if args.iter().any(|a| a == "--quick") {
            20
        } else {
            1024
        });
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/bench-warc");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let warc = dir.join("cc-news-style.warc.gz");
    let t = Instant::now();
    let records = write_warc(&warc, mb, &root);
    let size = std::fs::metadata(&warc).unwrap().len() as f64 / (1 << 20) as f64;
    println!(
        "wrote {} ({size:.0} MiB, {records} response records) in {:.1} s",
        warc.display(),
        t.elapsed().as_secs_f64()
    );
    let w = warc.to_str().unwrap();
    let mem = |r: Option<f64>| r.map_or("n/a".to_string(), |m| format!("{m:.0} MiB"));
    let (secs, rss, _) = timed(&["extract", "--json", w], true);
    println!(
        "extract --json: {records} records in {secs:.1} s = {:.0} pages/s, peak RSS {}",
        records as f64 / secs,
        mem(rss)
    );
    let kb = dir.join("kb");
    let (secs, rss, out) = timed(
        &[
            "ingest",
            "--json",
            "--prefilter",
            "--kb",
            kb.to_str().unwrap(),
            w,
        ],
        false,
    );
    let report: serde_json::Value =
        serde_json::from_str(out.lines().next().unwrap_or("{}")).unwrap_or(serde_json::Value::Null);
    println!(
        "ingest --prefilter: {records} records in {secs:.1} s = {:.0} pages/s, peak RSS {}; {} added, {} filtered, {} claims",
        records as f64 / secs,
        mem(rss),
        report["added"],
        report["filtered"],
        report["claims"]
    );
}
