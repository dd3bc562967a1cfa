//! The command line: arguments become a checked command, the library does the work,
//! and the command's module prints. One module per command, each only turning its
//! arguments into the library's types and printing the result; shared printing in
//! [`print`]. Errors are reported once, in one line; exit status 0 done, 1 a user error
//! (bad argument, unreadable input), 2 an internal failure. A closed pipe
//! (`takedowns extract … | head`) ends the run quietly.

mod build;
mod check;
mod crawl;
mod export;
mod extract;
mod facts;
mod filters;
mod ingest;
mod print;
mod search;
mod serve;
mod sources;
mod stats;
mod verify;

use clap::{Parser, Subcommand};
use std::io;
use std::path::PathBuf;
use std::process::ExitCode;
use takedowns::crawl::CrawlError;
use takedowns::index::KbError;
use takedowns::ingest::IngestError;
use takedowns::search::SearchError;
use takedowns::serve::ServeError;

/// Turns news reports and platform posts about takedowns of fake and state-backed
/// accounts into a searchable, verifiable knowledge base.
#[derive(Parser, Debug)]
#[command(name = "takedowns", version, about, max_term_width = 100)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    cmd: Command,
}

/// The options every command takes.
#[derive(clap::Args, Debug)]
struct Global {
    /// The knowledge base directory.
    #[arg(long, global = true, default_value = "index", value_name = "DIR")]
    kb: PathBuf,
    /// Machine output: one JSON value per line on stdout, nothing else.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Builds the demo knowledge base from the bundled fixtures and shows what it holds.
    Build(build::Args),
    /// Adds HTML files, folders and WARC files to the knowledge base.
    Ingest(ingest::Args),
    /// Lists the source registry: kind, platform, name, URLs and limits.
    Sources(sources::Args),
    /// Crawls from seed URLs or the source registry, with sitemaps and feeds; archives
    /// every response; ingests pages and PDFs.
    Crawl(crawl::Args),
    /// Deduplicated facts: each reported figure once, with its sources and conflicts.
    Facts(facts::Args),
    /// Checks a statement against the knowledge base: supported, unverified,
    /// contradicted or not_found.
    Verify(verify::Args),
    /// Full-text and faceted search over claims.
    Search(search::Args),
    /// Sums of the facts' figures per year and platform, each takedown counted once.
    Stats(stats::Args),
    /// Writes everything in the knowledge base for other tools (claims, then facts).
    Export(export::Args),
    /// Checks that the knowledge base is whole: the index opens, every claim's page is in
    /// the archive; says how to rebuild when not.
    Check,
    /// Serves the HTTP JSON API and the web UI over the knowledge base (read-only).
    Serve(serve::Args),
    /// Prints the article (main text, metadata, claims) of HTML files or folders of them.
    Extract(extract::Args),
}

/// A failure caused by what the user gave us (exit 1), as opposed to our own (exit 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct UserError(String);

/// Runs the binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 1 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("takedowns: {e:#}");
            ExitCode::from(if is_user_error(&e) { 1 } else { 2 })
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let g = &cli.global;
    match cli.cmd {
        Command::Build(a) => build::run(a, g),
        Command::Ingest(a) => ingest::run(a, g),
        Command::Sources(a) => sources::run(a, g),
        Command::Crawl(a) => crawl::run(a, g),
        Command::Facts(a) => facts::run(a, g),
        Command::Verify(a) => verify::run(a, g),
        Command::Search(a) => search::run(a, g),
        Command::Stats(a) => stats::run(a, g),
        Command::Export(a) => export::run(a, g),
        Command::Check => check::run(g),
        Command::Serve(a) => serve::run(a, g),
        Command::Extract(a) => extract::run(a, g),
    }
}

/// Whether an error is the user's to fix (exit 1) rather than ours (exit 2).
fn is_user_error(e: &anyhow::Error) -> bool {
    e.downcast_ref::<UserError>().is_some()
        || e.downcast_ref::<takedowns::extract::ExtractError>()
            .is_some()
        || e.downcast_ref::<KbError>().is_some_and(is_user_kb_error)
        || e.downcast_ref::<IngestError>().is_some_and(|i| match i {
            IngestError::Missing(_) => true,
            IngestError::Kb(k) => is_user_kb_error(k),
            IngestError::Archive(_) => false,
        })
        || e.downcast_ref::<ServeError>().is_some_and(|s| match s {
            ServeError::Kb(k) => is_user_kb_error(k),
            ServeError::Bind { .. } => true,
            ServeError::Runtime(_) => false,
        })
        || e.downcast_ref::<CrawlError>()
            .is_some_and(|c| matches!(c, CrawlError::NothingFetched { .. }))
        || e.downcast_ref::<SearchError>().is_some_and(|s| match s {
            SearchError::Kb(k) => is_user_kb_error(k),
            _ => true,
        })
}

/// A missing or locked knowledge base is the user's to fix; an index failure is ours.
fn is_user_kb_error(e: &KbError) -> bool {
    matches!(e, KbError::Missing(_) | KbError::Locked(_))
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    // serde_json keeps the io::Error inside itself rather than as a source.
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
    })
}

/// Refuses a `--url` that is not http(s).
fn check_url(flag: &str, u: &str) -> anyhow::Result<()> {
    match url::Url::parse(u) {
        Ok(p) if matches!(p.scheme(), "http" | "https") => Ok(()),
        _ => Err(UserError(format!("{flag} {u:?} is not an http(s) URL")).into()),
    }
}
