//! `takedowns ingest`: pages, folders and WARC files into the knowledge base.

use super::{Global, UserError, check_url};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use takedowns::extract;
use takedowns::ingest::{self, IngestOptions, IngestReport};

/// Arguments of `ingest`.
#[derive(clap::Args, Debug)]
pub(super) struct Args {
    /// `.html`, `.htm`, `.html.gz`, `.pdf`, `.warc`, `.warc.gz` files, folders holding
    /// them, or `.jsonl` results of `extract --json` over WARC files (the Spark job's
    /// output).
    #[arg(required_unless_present = "reconsider", value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Pages between commits (what a kill can lose at most).
    #[arg(long, default_value_t = 500)]
    commit_every: usize,
    /// Archive but do not extract pages with no platform name or takedown verb in
    /// their bytes (bulk news: they cannot hold a claim).
    #[arg(long)]
    prefilter: bool,
    /// The URL the one page file was fetched from. Only a fetched URL on a platform's
    /// own hosts makes a page that platform's post; a page's canonical link does not.
    #[arg(long)]
    url: Option<String>,
    /// Index the pages the knowledge base holds only as markers (not about
    /// takedowns, or skipped by --prefilter), read back from its archive.
    #[arg(long)]
    reconsider: bool,
}

/// Runs `ingest`.
pub(super) fn run(a: Args, g: &Global) -> anyhow::Result<ExitCode> {
    let mut urls = HashMap::new();
    if let Some(u) = a.url {
        check_url("--url", &u)?;
        match a.paths.as_slice() {
            [one] if extract::is_page_file(one) => {
                urls.insert(one.clone(), u);
            }
            _ => {
                return Err(UserError(
                    "--url names where one page file was fetched from: give exactly one .html, .htm or .html.gz file".into(),
                )
                .into());
            }
        }
    }
    let opts = IngestOptions {
        commit_every: a.commit_every.max(1),
        prefilter: a.prefilter,
        urls,
        ..IngestOptions::default()
    };
    let mut report = ingest::ingest(&g.kb, &a.paths, &opts)?;
    if a.reconsider {
        let again = ingest::reconsider(&g.kb, &opts)?;
        report.reconsidered = again.reconsidered;
        report.added += again.added;
        report.claims += again.claims;
        report.skipped.extend(again.skipped);
        report.facts = again.facts;
    }
    print_report(&report, &g.kb, g.json)?;
    Ok(if report.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_report(r: &IngestReport, kb: &Path, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string(r)?);
    } else {
        let filtered = if r.filtered > 0 {
            format!(
                ", {} without takedown vocabulary (archived only)",
                r.filtered
            )
        } else {
            String::new()
        };
        eprintln!(
            "{}: {} pages read, {} added, {} unchanged, {} claims found, {} skipped{filtered}",
            kb.display(),
            r.pages,
            r.added,
            r.unchanged,
            r.claims,
            r.skipped.len(),
        );
        if r.reconsidered > 0 {
            eprintln!(
                "{}: {} marked pages indexed from the archive",
                kb.display(),
                r.reconsidered
            );
        }
    }
    for (what, why) in &r.skipped {
        eprintln!("takedowns: skipped {what}: {why}");
    }
    for (what, why) in &r.cut {
        eprintln!("takedowns: {what}: {why}");
    }
    Ok(())
}
