//! `takedowns build`: the demo knowledge base from the bundled fixtures, from scratch.

use super::print;
use super::{Global, UserError};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use takedowns::demo::{self, DemoError};
use takedowns::index::Kb;
use takedowns::ingest::{self, IngestOptions, IngestReport};
use takedowns::search::{self, FacetCounts, Summary};

/// Arguments of `build`.
#[derive(clap::Args, Debug)]
pub(super) struct Args {
    /// Folder of fixture pages.
    #[arg(long, value_name = "DIR")]
    fixtures: Option<PathBuf>,
}

/// Runs `build`.
pub(super) fn run(a: Args, g: &Global) -> anyhow::Result<ExitCode> {
    let fixtures = match a.fixtures {
        Some(d) => d,
        None => default_fixtures()?,
    };
    let pages = fixtures.join("pages");
    let root = if pages.is_dir() { pages } else { fixtures };
    let kb = &g.kb;
    demo::start(kb).map_err(|e| match e {
        e @ DemoError::NotOurs { .. } => anyhow::Error::from(UserError(e.to_string())),
        other => other.into(),
    })?;
    let opts = IngestOptions {
        urls: fixture_urls(&root),
        ..IngestOptions::default()
    };
    let report = ingest::ingest(kb, std::slice::from_ref(&root), &opts)?;
    demo::finish(kb)?;
    let summary = search::summary(&Kb::open(kb, false)?)?;
    let mut out = print::stdout();
    if g.json {
        let v = serde_json::json!({"kb": kb.display().to_string(), "ingest": report, "summary": summary});
        print::json_line(&mut out, &v)?;
    } else {
        print_summary(&mut out, kb, &root, &summary, &report)?;
    }
    out.flush()?;
    for (what, why) in &report.skipped {
        eprintln!("takedowns: skipped {what}: {why}");
    }
    Ok(if report.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `fixtures/` in the working directory, else the one beside the crate's sources.
fn default_fixtures() -> anyhow::Result<PathBuf> {
    let here = PathBuf::from("fixtures");
    if here.is_dir() {
        return Ok(here);
    }
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    if built.is_dir() {
        return Ok(built);
    }
    Err(UserError("no fixtures/ folder here; run from the repository root".into()).into())
}

/// The address each fixture page stands for (the `url` of its `expected.json`): the demo
/// treats a fixture as fetched from there, as a crawl would have fetched it.
fn fixture_urls(root: &Path) -> HashMap<PathBuf, String> {
    let mut urls = HashMap::new();
    let Ok(rd) = std::fs::read_dir(root) else {
        return urls;
    };
    for dir in rd.flatten().map(|e| e.path()) {
        let url = std::fs::read_to_string(dir.join("expected.json"))
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .and_then(|v| v["url"].as_str().map(str::to_string));
        if let Some(u) = url.filter(|u| u.starts_with("http")) {
            urls.insert(dir.join("page.html"), u);
        }
    }
    urls
}

fn print_summary(
    out: &mut impl Write,
    kb: &Path,
    root: &Path,
    summary: &Summary,
    report: &IngestReport,
) -> std::io::Result<()> {
    writeln!(
        out,
        "Built the knowledge base in {} from {}",
        kb.display(),
        root.display()
    )?;
    writeln!(out, "  articles   {}", summary.articles)?;
    writeln!(out, "  claims     {}", summary.claims)?;
    let top = |v: &FacetCounts, n: usize| {
        v.iter()
            .take(n)
            .map(|(k, c)| format!("{k} {c}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(out, "  countries  {}", top(&summary.countries, 12))?;
    writeln!(out, "  platforms  {}", top(&summary.platforms, 12))?;
    writeln!(
        out,
        "  dates      {} to {}",
        summary.first.as_deref().unwrap_or("-"),
        summary.last.as_deref().unwrap_or("-")
    )?;
    writeln!(out, "  years      {}", top(&summary.years, 20))?;
    if !report.skipped.is_empty() {
        writeln!(out, "  skipped    {}", report.skipped.len())?;
    }
    writeln!(
        out,
        "\nTry: takedowns search --country IR    takedowns search \"coordinated inauthentic\" --platform facebook"
    )
}
