//! PDF reading: the time and peak memory of every hostile PDF of `tests/pdfgen.rs`, read
//! in this process one after the other (peak RSS reset before each through
//! `/proc/self/clear_refs`); then the speed of reading reports written from the fixture
//! stories, and of Chromium prints of them where Chromium is installed.
//!
//! `cargo bench --bench pdf` (add `-- --quick` to skip the Chromium prints and read the
//! reports once instead of five times).

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

#[path = "../tests/pdfgen.rs"]
mod pdfgen;

use std::time::Instant;
use takedowns::extract::{self, Options};

/// Peak RSS of this process since the last reset, in MiB.
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let opts = Options::default();

    println!("hostile PDFs (time, peak RSS of the process, outcome):");
    let cases = pdfgen::hostile();
    let (mut worst_t, mut worst_m) = (0.0f64, 0.0f64);
    for (name, bytes) in cases {
        reset_peak();
        let t = Instant::now();
        let r = extract::extract(bytes, &opts);
        let secs = t.elapsed().as_secs_f64();
        let mib = peak_mib();
        worst_t = worst_t.max(secs);
        worst_m = worst_m.max(mib);
        let outcome = match r {
            Ok(a) => format!(
                "read, {} bytes of text, {} pages",
                a.body.len(),
                a.pages.len()
            ),
            Err(e) => format!(
                "refused: {}",
                e.to_string().chars().take(90).collect::<String>()
            ),
        };
        println!("  {name:<36} {secs:>7.3} s {mib:>8.1} MiB  {outcome}");
    }
    println!(
        "{} hostile PDFs: slowest {worst_t:.3} s, highest peak {worst_m:.1} MiB",
        cases.len()
    );

    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pages");
    let mut slugs: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("body.golden.txt").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    slugs.sort();
    let reports: Vec<Vec<u8>> = slugs.iter().map(|s| pdfgen::fixture_report(s).0).collect();
    let rounds = if quick { 1 } else { 5 };
    let t = Instant::now();
    let mut pages = 0;
    for _ in 0..rounds {
        for r in &reports {
            pages += extract::extract(r, &opts).unwrap().pages.len();
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{} reports written from the fixture stories, {rounds} round(s): {pages} pages in {secs:.3} s = {:.2} ms a page",
        reports.len(),
        secs * 1000.0 / pages as f64
    );

    if quick {
        return;
    }
    let Some(chromium) = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
    else {
        println!("SKIPPED Chromium prints: no chromium installed");
        return;
    };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-pdf");
    std::fs::create_dir_all(&dir).unwrap();
    let mut prints = Vec::new();
    for s in slugs.iter().take(20) {
        let out = dir.join(format!("{s}.pdf"));
        if !out.exists() {
            let _ = std::process::Command::new(chromium)
                .args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-pdf-header-footer",
                ])
                .arg(format!("--print-to-pdf={}", out.display()))
                .arg(format!(
                    "file://{}",
                    root.join(s).join("page.html").display()
                ))
                .stderr(std::process::Stdio::null())
                .status();
        }
        if let Ok(b) = std::fs::read(&out) {
            prints.push(b);
        }
    }
    let t = Instant::now();
    let mut pages = 0;
    for p in &prints {
        pages += extract::extract(p, &opts)
            .map(|a| a.pages.len())
            .unwrap_or(0);
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{} Chromium prints of fixture pages: {pages} pages in {secs:.3} s = {:.2} ms a page",
        prints.len(),
        secs * 1000.0 / pages.max(1) as f64
    );
}
