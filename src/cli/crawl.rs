//! `takedowns crawl`: seeds, sitemaps and feeds fetched politely, archived and ingested.

use super::{Global, UserError};
use std::process::ExitCode;
use std::time::Duration;
use takedowns::crawl::{self, CrawlConfig, CrawlError, CrawlReport};

/// Arguments of `crawl`.
#[derive(clap::Args, Debug)]
pub(super) struct Args {
    /// Seed URLs, or files holding one URL per line.
    #[arg(long, num_args = 1.., value_name = "FILE|URL", required_unless_present = "sources")]
    seeds: Vec<String>,
    /// Crawl the source registry: the bundled one, or FILE.
    #[arg(long, num_args = 0..=1, value_name = "FILE")]
    sources: Option<Option<std::path::PathBuf>>,
    /// Crawl again every DURATION (6h, 30m, 1d) until SIGTERM or Ctrl-C.
    #[arg(long, value_name = "DURATION")]
    every: Option<String>,
    /// Most HTML pages to fetch.
    #[arg(long, default_value_t = 1000)]
    max_pages: usize,
    /// Most link hops from a seed.
    #[arg(long, default_value_t = 3)]
    max_depth: usize,
    /// Minimum gap between two requests to one host, in milliseconds.
    #[arg(long, default_value_t = 1000)]
    delay_ms: u64,
    /// Allow loopback, private and link-local addresses (local testing only).
    #[arg(long)]
    allow_private: bool,
    /// Pages between commits (each commit also checkpoints the frontier for resuming).
    #[arg(long, default_value_t = 50)]
    commit_every: usize,
    /// Longest a whole fetch may take, body included, in seconds.
    #[arg(long, default_value_t = 30)]
    timeout_secs: u64,
}

/// Runs `crawl`.
pub(super) fn run(a: Args, g: &Global) -> anyhow::Result<ExitCode> {
    let every = a
        .every
        .map(|e| crawl::parse_every(&e).map_err(|m| UserError(format!("--every {m}"))))
        .transpose()?;
    let mut cfg = CrawlConfig::new(g.kb.clone(), seed_urls(&a.seeds)?);
    if let Some(file) = a.sources {
        cfg.sources =
            takedowns::sources::load(file.as_deref()).map_err(|e| UserError(e.to_string()))?;
    }
    cfg.max_pages = a.max_pages;
    cfg.max_depth = a.max_depth;
    cfg.delay = Duration::from_millis(a.delay_ms);
    cfg.policy.allow_private = a.allow_private;
    cfg.commit_every = a.commit_every;
    cfg.timeout = Duration::from_secs(a.timeout_secs.max(1));
    cfg.handle_signals = true;
    if let Some(every) = every {
        crawl::watch(&cfg, every, |round, r| match r {
            Ok(report) => print_report(report, g, Some(round)),
            Err(e) => eprintln!("takedowns: round {round}: {e}"),
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let report = match crawl::crawl(&cfg) {
        Ok(r) => r,
        Err(CrawlError::NothingFetched { reasons, report }) => {
            // The report still says what was tried (0 requests if the guard stopped
            // every seed); the error line and exit 1 follow.
            if g.json {
                println!("{}", serde_json::to_string(&report)?);
            }
            return Err(CrawlError::NothingFetched { reasons, report }.into());
        }
        Err(e) => return Err(e.into()),
    };
    print_report(&report, g, None);
    Ok(ExitCode::SUCCESS)
}

/// The seeds as URLs: a seed that is not a URL is a file of them, one a line, `#`
/// comments.
fn seed_urls(seeds: &[String]) -> anyhow::Result<Vec<String>> {
    let mut urls = Vec::new();
    for s in seeds {
        if s.starts_with("http://") || s.starts_with("https://") {
            urls.push(s.clone());
            continue;
        }
        let text = std::fs::read_to_string(s).map_err(|e| {
            UserError(format!(
                "--seeds {s}: not a URL, and cannot read it as a file: {e}"
            ))
        })?;
        urls.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string),
        );
    }
    Ok(urls)
}

/// A crawl's report: the JSON line, or the summary line on stderr (with the round of a
/// watch) and up to 20 failed or refused URLs and the notes.
fn print_report(report: &CrawlReport, g: &Global, round: Option<usize>) {
    if g.json {
        if let Ok(line) = serde_json::to_string(report) {
            println!("{line}");
        }
        return;
    }
    let round = round.map(|r| format!("round {r}: ")).unwrap_or_default();
    eprintln!("{}: {round}{}", g.kb.display(), report.summary());
    for (u, e) in report.failed.iter().chain(&report.refused).take(20) {
        eprintln!("  {u}: {e}");
    }
    for n in &report.notes {
        eprintln!("takedowns: note: {n}");
    }
}
