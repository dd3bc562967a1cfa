//! The command line: arguments become a checked command, the library does the work,
//! and this module prints. Errors are reported once, in one line; exit status 0 done,
//! 1 a user error (bad argument, unreadable input), 2 an internal failure. A closed
//! pipe (`takedowns extract … | head`) ends the run quietly.

use clap::{Parser, Subcommand};
use serde::Serialize;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use takedowns::claims;
use takedowns::crawl::{self, CrawlError};
use takedowns::extract::{self, Article, Limits, Options};
use takedowns::index::{Kb, KbError};
use takedowns::ingest::{self, IngestError};
use takedowns::search::{self, SearchError};
use takedowns::serve::{self, ServeConfig, ServeError};

/// Turns news reports and platform posts about takedowns of fake and state-backed
/// accounts into a searchable, verifiable knowledge base.
#[derive(Parser, Debug)]
#[command(name = "takedowns", version, about, max_term_width = 100)]
struct Cli {
    /// The knowledge base directory.
    #[arg(long, global = true, default_value = "index", value_name = "DIR")]
    kb: PathBuf,
    /// Machine output: one JSON value per line on stdout, nothing else.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    cmd: Command,
}

/// Filters shared by `search` and `facts`.
#[derive(clap::Args, Debug)]
struct Filters {
    /// Query text (tantivy syntax: words, "phrases", AND/OR, field:value).
    query: Option<String>,
    /// Origin country: ISO code or English name.
    #[arg(long)]
    country: Option<String>,
    /// Platform id or name.
    #[arg(long)]
    platform: Option<String>,
    /// From this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    /// Up to this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    until: Option<String>,
    /// Only results with at least this count.
    #[arg(long)]
    min_count: Option<u64>,
    /// Results to show (1–10000).
    #[arg(long, default_value_t = 100)]
    limit: usize,
    /// Claims of every archived version of a page (by default only the latest speaks).
    #[arg(long)]
    all_versions: bool,
}

impl Filters {
    /// The checked query: the one place CLI filters are validated.
    fn query(&self) -> Result<search::Query, SearchError> {
        search::make_query(
            self.query.as_deref(),
            self.country.as_deref(),
            self.platform.as_deref(),
            self.since.as_deref(),
            self.until.as_deref(),
            self.min_count,
            self.limit,
            10_000,
        )
        .map(|q| search::Query {
            all_versions: self.all_versions,
            ..q
        })
    }
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Builds the demo knowledge base from the bundled fixtures and shows what it holds.
    Build {
        /// Folder of fixture pages.
        #[arg(long, value_name = "DIR")]
        fixtures: Option<PathBuf>,
    },
    /// Adds HTML files, folders and WARC files to the knowledge base.
    Ingest {
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
    },
    /// Lists the source registry: kind, platform, name, URLs and limits.
    Sources {
        /// A registry file of one's own instead of the bundled one.
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Crawls from seed URLs or the source registry, with sitemaps and feeds; archives
    /// every response; ingests pages and PDFs.
    Crawl {
        /// Seed URLs, or files holding one URL per line.
        #[arg(long, num_args = 1.., value_name = "FILE|URL", required_unless_present = "sources")]
        seeds: Vec<String>,
        /// Crawl the source registry: the bundled one, or FILE.
        #[arg(long, num_args = 0..=1, value_name = "FILE")]
        sources: Option<Option<PathBuf>>,
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
    },
    /// Deduplicated facts: each reported figure once, with its sources and conflicts.
    Facts {
        #[command(flatten)]
        filters: Filters,
    },
    /// Checks a statement against the knowledge base: supported, unverified,
    /// contradicted or not_found.
    Verify {
        /// A sentence such as "Twitter suspended 2,617 accounts in Iran in January 2019".
        statement: String,
        /// Output format with --json: the verdict, or schema.org ClaimReview JSON-LD.
        #[arg(long, value_enum, default_value_t = VerifyFormat::Verdict)]
        format: VerifyFormat,
        /// Where the statement was made (ClaimReview's itemReviewed.appearance).
        #[arg(long, value_name = "URL")]
        appeared_at: Option<String>,
    },
    /// Full-text and faceted search over claims.
    Search {
        #[command(flatten)]
        filters: Filters,
    },
    /// Writes everything in the knowledge base for other tools (claims, then facts).
    Export {
        /// Output format.
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Write to this file instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Checks that the knowledge base is whole: the index opens, every claim's page is in
    /// the archive; says how to rebuild when not.
    Check,
    /// Serves the HTTP JSON API and the web UI over the knowledge base (read-only).
    Serve {
        /// Address to listen on (port 0 picks a free port).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Seconds a client has to send a request's headers before it is disconnected.
        #[arg(long, default_value_t = 10)]
        header_timeout_secs: u64,
        /// Connections served at once; more wait until one closes.
        #[arg(long, default_value_t = 512)]
        max_connections: usize,
    },
    /// Prints the article (main text, metadata, claims) of HTML files or folders of them.
    Extract {
        /// `.html`, `.htm`, `.html.gz`, `.pdf` or WARC files, or folders holding them.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// The pages' URL, when it is known better than the page states it.
        #[arg(long)]
        url: Option<String>,
        /// Bytes read per page (a PDF over it is refused); the rest is cut off.
        #[arg(long, default_value_t = Limits::default().max_bytes, value_name = "BYTES")]
        max_bytes: usize,
    },
}

/// How `verify` prints its answer.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum VerifyFormat {
    /// The contract's Verdict object.
    Verdict,
    /// schema.org ClaimReview JSON-LD.
    Claimreview,
}

/// What `export` writes.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ExportFormat {
    /// JSON Lines: claims then facts, each with "type" and a stable "id".
    Jsonl,
    /// OpenSearch/Elasticsearch bulk: an index action line before each record.
    Ndjson,
    /// Claims only, one row each, a header row, lists joined with ";".
    Csv,
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
            let user = e.downcast_ref::<UserError>().is_some()
                || e.downcast_ref::<extract::ExtractError>().is_some()
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
                });
            ExitCode::from(if user { 1 } else { 2 })
        }
    }
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

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.cmd {
        Command::Extract {
            paths,
            url,
            max_bytes,
        } => {
            if max_bytes == 0 {
                return Err(UserError("--max-bytes must be at least 1".into()).into());
            }
            if let Some(u) = &url {
                check_url(u)?;
            }
            let limits = Limits {
                max_bytes,
                ..Limits::default()
            };
            let opts = Options {
                url,
                content_type: None,
                limits,
            };
            extract_files(&paths, &opts, cli.json)
        }
        Command::Build { fixtures } => {
            let dir = match fixtures {
                Some(d) => d,
                None => default_fixtures()?,
            };
            build(&cli.kb, &dir, cli.json)
        }
        Command::Ingest {
            paths,
            commit_every,
            prefilter,
            url,
            reconsider,
        } => {
            let mut urls = std::collections::HashMap::new();
            if let Some(u) = url {
                check_url(&u)?;
                match paths.as_slice() {
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
            let opts = ingest::IngestOptions {
                commit_every: commit_every.max(1),
                prefilter,
                urls,
                ..ingest::IngestOptions::default()
            };
            let mut report = ingest::ingest(&cli.kb, &paths, &opts)?;
            if reconsider {
                let again = ingest::reconsider(&cli.kb, &opts)?;
                report.reconsidered = again.reconsidered;
                report.added += again.added;
                report.claims += again.claims;
                report.skipped.extend(again.skipped);
                report.facts = again.facts;
            }
            print_ingest(&report, &cli.kb, cli.json)?;
            Ok(if report.skipped.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Crawl {
            seeds,
            sources,
            every,
            max_pages,
            max_depth,
            delay_ms,
            allow_private,
            commit_every,
            timeout_secs,
        } => {
            let mut urls = Vec::new();
            for s in seeds {
                if s.starts_with("http://") || s.starts_with("https://") {
                    urls.push(s);
                } else {
                    let text = std::fs::read_to_string(&s).map_err(|e| {
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
            }
            let every = every
                .map(|e| crawl::parse_every(&e).map_err(|m| UserError(format!("--every {m}"))))
                .transpose()?;
            let mut cfg = crawl::CrawlConfig::new(cli.kb.clone(), urls);
            if let Some(file) = sources {
                cfg.sources = takedowns::sources::load(file.as_deref())
                    .map_err(|e| UserError(e.to_string()))?;
            }
            cfg.max_pages = max_pages;
            cfg.max_depth = max_depth;
            cfg.delay = std::time::Duration::from_millis(delay_ms);
            cfg.policy.allow_private = allow_private;
            cfg.commit_every = commit_every;
            cfg.timeout = std::time::Duration::from_secs(timeout_secs.max(1));
            cfg.handle_signals = true;
            if let Some(every) = every {
                let (kb, json) = (cli.kb.clone(), cli.json);
                crawl::watch(&cfg, every, |round, r| match r {
                    Ok(report) => print_crawl(&kb, report, json, Some(round)),
                    Err(e) => eprintln!("takedowns: round {round}: {e}"),
                })?;
                return Ok(ExitCode::SUCCESS);
            }
            let report = match crawl::crawl(&cfg) {
                Ok(r) => r,
                Err(CrawlError::NothingFetched { reasons, report }) => {
                    // The report still says what was tried (0 requests if the guard
                    // stopped every seed); the error line and exit 1 follow.
                    if cli.json {
                        println!("{}", serde_json::to_string(&report)?);
                    }
                    return Err(CrawlError::NothingFetched { reasons, report }.into());
                }
                Err(e) => return Err(e.into()),
            };
            print_crawl(&cli.kb, &report, cli.json, None);
            Ok(ExitCode::SUCCESS)
        }
        Command::Sources { file } => {
            let list =
                takedowns::sources::load(file.as_deref()).map_err(|e| UserError(e.to_string()))?;
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            if cli.json {
                for s in &list {
                    serde_json::to_writer(&mut out, s)?;
                    writeln!(out)?;
                }
            } else {
                out.write_all(takedowns::sources::table(&list).as_bytes())?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Facts { filters } => {
            let q = filters.query()?;
            let kb = Kb::open(&cli.kb, false)?;
            let list = search::facts(&kb, &q)?;
            print_facts(&list, cli.json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify {
            statement,
            format,
            appeared_at,
        } => {
            if let Some(u) = appeared_at.as_deref()
                && url::Url::parse(u).map_or(true, |u| !matches!(u.scheme(), "http" | "https"))
            {
                return Err(UserError(format!("--appeared-at {u:?} is not an http(s) URL")).into());
            }
            let kb = Kb::open(&cli.kb, false)?;
            let v = search::verify(&kb, &statement)?;
            let json = cli.json || format == VerifyFormat::Claimreview;
            print_verdict(&v, json, format, appeared_at.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { format, out } => {
            let kb = Kb::open(&cli.kb, false)?;
            let format = match format {
                ExportFormat::Jsonl => takedowns::export::Format::Jsonl,
                ExportFormat::Ndjson => takedowns::export::Format::Ndjson,
                ExportFormat::Csv => takedowns::export::Format::Csv,
            };
            let report = match &out {
                Some(path) => {
                    let file = std::fs::File::create(path)
                        .map_err(|e| UserError(format!("{}: {e}", path.display())))?;
                    let mut w = io::BufWriter::new(file);
                    takedowns::export::export(&kb, format, &mut w)?
                }
                None => {
                    let stdout = io::stdout();
                    let mut w = io::BufWriter::new(stdout.lock());
                    takedowns::export::export(&kb, format, &mut w)?
                }
            };
            eprintln!(
                "takedowns: exported {} claims and {} facts",
                report.claims, report.facts
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Check => {
            let r = takedowns::check::check(&cli.kb)?;
            if cli.json {
                println!("{}", serde_json::to_string(&r)?);
            } else {
                println!(
                    "{}: {} — {} articles, {} claims, {} facts; archive {} files, {} pages{}",
                    r.kb,
                    if r.ok { "OK" } else { "PROBLEMS" },
                    r.articles,
                    r.claims,
                    r.facts,
                    r.archive_files,
                    r.archive_pages,
                    if r.truncated_files > 0 {
                        format!(
                            " ({} file(s) end inside a record; their complete records count)",
                            r.truncated_files
                        )
                    } else {
                        String::new()
                    }
                );
                for p in &r.problems {
                    println!("  {p}");
                }
                if let Some(how) = &r.rebuild {
                    println!("To repair: {how}");
                }
            }
            Ok(if r.ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Serve {
            addr,
            header_timeout_secs,
            max_connections,
        } => {
            if header_timeout_secs == 0 || max_connections == 0 {
                return Err(UserError(
                    "--header-timeout-secs and --max-connections must be at least 1".into(),
                )
                .into());
            }
            let mut cfg = ServeConfig::new(cli.kb.clone(), addr);
            cfg.header_timeout = std::time::Duration::from_secs(header_timeout_secs);
            cfg.max_connections = max_connections;
            let json = cli.json;
            let kb = cli.kb.display().to_string();
            serve::run(cfg, |at| {
                eprintln!("takedowns: serving {kb} at http://{at}/ (Ctrl-C stops)");
                if json {
                    println!(
                        "{}",
                        serde_json::json!({"listening": format!("http://{at}/")})
                    );
                }
                let _ = io::stdout().flush();
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Search { filters } => {
            let q = filters.query()?;
            let kb = Kb::open(&cli.kb, false)?;
            let hits = search::search(&kb, &q)?;
            print_hits(&hits, cli.json)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn check_url(u: &str) -> anyhow::Result<()> {
    match url::Url::parse(u) {
        Ok(p) if matches!(p.scheme(), "http" | "https") => Ok(()),
        _ => Err(UserError(format!("--url {u:?} is not an http(s) URL")).into()),
    }
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

/// The files a list of paths names: files as given, folders searched for page files.
fn expand(paths: &[PathBuf]) -> Vec<Result<PathBuf, (PathBuf, String)>> {
    let mut out = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let walked = takedowns::inputs::walk(p);
                let found: Vec<PathBuf> = walked
                    .files
                    .into_iter()
                    .filter(|f| extract::is_page_file(f) || takedowns::archive::is_warc(f))
                    .collect();
                out.extend(walked.problems.into_iter().map(Err));
                if found.is_empty() {
                    out.push(Err((
                        p.clone(),
                        "folder holds no .html, .htm, .html.gz, .warc or .warc.gz file".into(),
                    )));
                }
                out.extend(found.into_iter().map(Ok));
            }
            Ok(_) => out.push(Ok(p.clone())),
            Err(e) => out.push(Err((p.clone(), format!("cannot read: {e}")))),
        }
    }
    out
}

/// One line of `extract --json`.
#[derive(Serialize)]
struct ArticleLine<'a> {
    file: String,
    #[serde(flatten)]
    article: &'a Article,
    #[serde(flatten)]
    found: &'a claims::Found,
}

#[derive(Serialize)]
struct ErrorLine {
    file: String,
    error: String,
}

fn extract_files(paths: &[PathBuf], opts: &Options, json: bool) -> anyhow::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    let mut done = 0usize;
    for item in expand(paths) {
        if let Ok(path) = &item
            && takedowns::archive::is_warc(path)
        {
            let (ok, bad) = extract_warc(path, opts, json, &mut out)?;
            done += ok;
            failed += bad;
            continue;
        }
        let result = item.and_then(|path| {
            let r = extract::read_page(&path, &opts.limits)
                .and_then(|bytes| extract::extract(&bytes, opts))
                .map_err(|e| e.to_string());
            match r {
                Ok(a) => Ok((path, a)),
                Err(e) => Err((path, e)),
            }
        });
        match result {
            Ok((path, article)) => {
                done += 1;
                let file = path.display().to_string();
                let found = claims::find(&article);
                if json {
                    let line = ArticleLine {
                        file,
                        article: &article,
                        found: &found,
                    };
                    serde_json::to_writer(&mut out, &line)?;
                    writeln!(out)?;
                } else {
                    print_article(&mut out, &file, &article, &found)?;
                }
            }
            Err((path, error)) => {
                failed += 1;
                report_failure(&mut out, &path.display().to_string(), &error, json)?;
            }
        }
    }
    out.flush()?;
    if !json {
        eprintln!("{done} page(s) extracted, {failed} failed");
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Pages of a WARC extracted at once: enough to keep every core busy, few enough that
/// memory stays flat whatever the file's size.
const WARC_BATCH: usize = 64;

/// `extract` over a WARC file: one Article line per HTML response or resource record,
/// with the record's URL (as `--url` would give it) and its WARC-Date as `fetched`.
/// Pages are extracted in parallel, printed in file order. Returns (extracted, failed).
fn extract_warc(
    path: &Path,
    opts: &Options,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<(usize, usize)> {
    use rayon::prelude::*;
    use takedowns::archive::WarcReader;
    let (mut done, mut failed) = (0, 0);
    let file = path.display().to_string();
    let mut reader = match WarcReader::open(path, opts.limits.max_bytes) {
        Ok(r) => r,
        Err(e) => {
            report_failure(out, &file, &e.to_string(), json)?;
            return Ok((0, 1));
        }
    };
    let mut finished = false;
    while !finished {
        let mut batch = Vec::with_capacity(WARC_BATCH);
        while batch.len() < WARC_BATCH {
            match reader.next_page() {
                Ok(Some(p)) => batch.push(p),
                Ok(None) => {
                    finished = true;
                    break;
                }
                // The reader goes on after a bad record where it can, and ends where not.
                Err(e) => {
                    report_failure(out, &file, &e.to_string(), json)?;
                    failed += 1;
                }
            }
        }
        let results: Vec<_> = batch
            .par_iter()
            .map(|page| {
                let o = Options {
                    url: page
                        .url
                        .clone()
                        .filter(|u| u.starts_with("http"))
                        .or_else(|| opts.url.clone()),
                    content_type: page.content_type.clone(),
                    limits: opts.limits,
                };
                extract::extract(&page.payload, &o).map(|a| {
                    let found = claims::find(&a);
                    (a, found)
                })
            })
            .collect();
        for (page, r) in batch.iter().zip(results) {
            let name = format!("{file}#{}", page.url.as_deref().unwrap_or("record"));
            match r {
                Ok((article, found)) => {
                    done += 1;
                    if json {
                        let mut v = serde_json::to_value(ArticleLine {
                            file: file.clone(),
                            article: &article,
                            found: &found,
                        })?;
                        if let serde_json::Value::Object(m) = &mut v {
                            m.insert("fetched".into(), page.date.clone().into());
                            m.insert("truncated".into(), page.truncated.into());
                            m.insert("snapshot".into(), page.snapshot.as_str().into());
                        }
                        serde_json::to_writer(&mut *out, &v)?;
                        writeln!(out)?;
                    } else {
                        print_article(out, &name, &article, &found)?;
                    }
                }
                Err(e) => {
                    failed += 1;
                    report_failure(out, &name, &e.to_string(), json)?;
                }
            }
        }
    }
    Ok((done, failed))
}

/// A crawl's report: the JSON line, or the summary line on stderr with up to 20 failed
/// or refused URLs and the notes.
fn print_crawl(kb: &Path, report: &crawl::CrawlReport, json: bool, round: Option<usize>) {
    if json {
        if let Ok(line) = serde_json::to_string(report) {
            println!("{line}");
        }
        return;
    }
    let round = round.map(|r| format!("round {r}: ")).unwrap_or_default();
    eprintln!("{}: {round}{}", kb.display(), report.summary());
    for (u, e) in report.failed.iter().chain(&report.refused).take(20) {
        eprintln!("  {u}: {e}");
    }
    for n in &report.notes {
        eprintln!("takedowns: note: {n}");
    }
}

/// One error line (with `--json`) and the message on stderr.
fn report_failure(out: &mut impl Write, file: &str, error: &str, json: bool) -> anyhow::Result<()> {
    if json {
        serde_json::to_writer(
            &mut *out,
            &ErrorLine {
                file: file.to_string(),
                error: error.to_string(),
            },
        )?;
        writeln!(out)?;
    }
    out.flush()?;
    // The error text already names the file where it comes from reading it.
    if error.starts_with(file) {
        eprintln!("takedowns: {error}");
    } else {
        eprintln!("takedowns: {file}: {error}");
    }
    Ok(())
}

fn print_article(
    out: &mut impl Write,
    file: &str,
    a: &Article,
    found: &claims::Found,
) -> io::Result<()> {
    let none = || "-".to_string();
    writeln!(out, "{file}")?;
    writeln!(out, "  title      {}", a.title.clone().unwrap_or_else(none))?;
    writeln!(out, "  url        {}", a.url.clone().unwrap_or_else(none))?;
    writeln!(
        out,
        "  published  {}    site {}    language {}",
        a.published.map(|d| d.to_string()).unwrap_or_else(none),
        a.site.clone().unwrap_or_else(none),
        a.language.clone().unwrap_or_else(none)
    )?;
    let authors = if a.authors.is_empty() {
        none()
    } else {
        a.authors.join(", ")
    };
    writeln!(out, "  authors    {authors}")?;
    let paras: Vec<&str> = a.body.split("\n\n").filter(|p| !p.is_empty()).collect();
    writeln!(
        out,
        "  body       {} paragraphs, {} words",
        paras.len(),
        a.body.split_whitespace().count()
    )?;
    for p in paras.iter().take(3) {
        writeln!(out, "    | {}", ellipsis(p, 110))?;
    }
    if paras.len() > 3 {
        writeln!(out, "    | … {} more", paras.len() - 3)?;
    }
    print_claims(out, found)?;
    writeln!(out)
}

/// Claims as a table: one row per claim, the evidence sentence under it.
fn print_claims(out: &mut impl Write, found: &claims::Found) -> io::Result<()> {
    if found.claims.is_empty() {
        return writeln!(out, "  claims     none");
    }
    writeln!(out, "  claims     {}", found.claims.len())?;
    writeln!(
        out,
        "    {:<10} {:>11} {:<10} {:<24} {:<10} {:<11} {:<10} {:<12} spokesperson",
        "platform", "count", "qualifier", "object", "action", "date", "from", "targets"
    )?;
    for c in &found.claims {
        let count = match c.count {
            Some(n) => group_thousands(n),
            None => "-".into(),
        };
        let neg = if c.negated { "NOT " } else { "" };
        writeln!(
            out,
            "    {:<10} {:>11} {:<10} {:<24} {:<10} {:<11} {:<10} {:<12} {}",
            c.platform,
            count,
            c.qualifier.as_str(),
            ellipsis(&c.object, 24),
            format!("{neg}{}", c.action),
            c.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
            if c.countries.is_empty() {
                "-".into()
            } else {
                c.countries.join(",")
            },
            if c.targets.is_empty() {
                "-".into()
            } else {
                ellipsis(&c.targets.join(","), 12)
            },
            c.spokesperson.as_deref().unwrap_or("-")
        )?;
        writeln!(out, "      “{}”", ellipsis(&c.evidence, 110))?;
    }
    if !found.spokespeople.is_empty() {
        let who: Vec<String> = found
            .spokespeople
            .iter()
            .map(|p| {
                if p.title.is_empty() {
                    format!("{} ({})", p.name, p.org)
                } else {
                    format!("{} ({}, {})", p.name, p.title, p.org)
                }
            })
            .collect();
        writeln!(out, "  spokespeople {}", who.join("; "))?;
    }
    Ok(())
}

fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn ellipsis(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut}…")
    }
}

/// The address each fixture page stands for (the `url` of its `expected.json`): the demo
/// treats a fixture as fetched from there, as a crawl would have fetched it.
fn fixture_urls(root: &Path) -> std::collections::HashMap<PathBuf, String> {
    let mut urls = std::collections::HashMap::new();
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

/// Builds the demo knowledge base from the fixture pages, from scratch, and shows it.
fn build(kb: &Path, fixtures: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let pages = fixtures.join("pages");
    let root = if pages.is_dir() {
        pages
    } else {
        fixtures.to_path_buf()
    };
    takedowns::demo::start(kb).map_err(|e| match e {
        e @ takedowns::demo::DemoError::NotOurs { .. } => {
            anyhow::Error::from(UserError(e.to_string()))
        }
        other => other.into(),
    })?;
    let opts = ingest::IngestOptions {
        urls: fixture_urls(&root),
        ..ingest::IngestOptions::default()
    };
    let report = ingest::ingest(kb, std::slice::from_ref(&root), &opts)?;
    takedowns::demo::finish(kb)?;
    let kbh = Kb::open(kb, false)?;
    let summary = search::summary(&kbh)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if json {
        let v = serde_json::json!({"kb": kb.display().to_string(), "ingest": report, "summary": summary});
        serde_json::to_writer(&mut out, &v)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "Built the knowledge base in {} from {}",
            kb.display(),
            root.display()
        )?;
        writeln!(out, "  articles   {}", summary.articles)?;
        writeln!(out, "  claims     {}", summary.claims)?;
        let top = |v: &search::FacetCounts, n: usize| {
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
        )?;
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

fn print_ingest(r: &ingest::IngestReport, kb: &Path, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string(r)?);
    } else {
        eprintln!(
            "{}: {} pages read, {} added, {} unchanged, {} claims found, {} skipped{}",
            kb.display(),
            r.pages,
            r.added,
            r.unchanged,
            r.claims,
            r.skipped.len(),
            if r.filtered > 0 {
                format!(
                    ", {} without takedown vocabulary (archived only)",
                    r.filtered
                )
            } else {
                String::new()
            }
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

fn print_hits(h: &search::Hits, json: bool) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if json {
        serde_json::to_writer(&mut out, h)?;
        writeln!(out)?;
        out.flush()?;
        return Ok(());
    }
    writeln!(out, "{} claims", h.total)?;
    for v in &h.hits {
        let s = |k: &str| field(v, k);
        let list = |k: &str| field_list(v, k);
        let count = field_count(v);
        // A negated claim ("did not remove") must not read as a takedown; a claim read
        // less directly than from one sentence says so.
        let negated = if v["negated"].as_bool() == Some(true) {
            "NOT "
        } else {
            ""
        };
        let confidence = match v["confidence"].as_str() {
            Some(level @ ("medium" | "low")) => format!("  [{level} confidence]"),
            _ => String::new(),
        };
        writeln!(
            out,
            "\n{}  {}{} {} {} {}  from {}  targets {}{}",
            s("date"),
            negated,
            s("platform"),
            s("qualifier").replace('_', " "),
            count,
            s("object"),
            list("countries"),
            list("targets"),
            confidence
        )?;
        let evidence = v
            .get("highlight")
            .and_then(|x| x.as_str())
            .map(|h| {
                // The snippet is HTML; on a terminal, bold marks and plain characters.
                h.replace("<b>", "**")
                    .replace("</b>", "**")
                    .replace("&quot;", "\"")
                    .replace("&#39;", "'")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&")
            })
            .unwrap_or_else(|| s("evidence"));
        writeln!(out, "  “{}”", ellipsis(&evidence, 200))?;
        writeln!(
            out,
            "  {}  ({})  snapshot {}",
            s("url"),
            s("site"),
            s("snapshot").chars().take(12).collect::<String>()
        )?;
    }
    let dims = [
        ("country", &h.facets.country),
        ("platform", &h.facets.platform),
        ("year", &h.facets.year),
        ("site", &h.facets.site),
    ];
    writeln!(out)?;
    for (name, counts) in dims {
        let line: Vec<String> = counts
            .iter()
            .take(10)
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        writeln!(out, "{name:<9} {}", line.join(", "))?;
    }
    out.flush()?;
    Ok(())
}

/// A text field of a hit or fact for the terminal, "-" when absent.
fn field(v: &serde_json::Value, k: &str) -> String {
    v.get(k).and_then(|x| x.as_str()).unwrap_or("-").to_string()
}

/// A list field (countries, targets) joined by commas, "-" when absent or empty.
fn field_list(v: &serde_json::Value, k: &str) -> String {
    v.get(k)
        .and_then(|x| x.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(",")
        })
        .filter(|x| !x.is_empty())
        .unwrap_or_else(|| "-".into())
}

/// The count with thousands separators, "-" for a claim without a figure.
fn field_count(v: &serde_json::Value) -> String {
    v.get("count")
        .and_then(|c| c.as_u64())
        .map(group_thousands)
        .unwrap_or_else(|| "-".into())
}

fn fact_line(f: &serde_json::Value) -> String {
    let s = |k: &str| field(f, k);
    let list = |k: &str| field_list(f, k);
    let count = field_count(f);
    format!(
        "{}  {} {} {} {}  from {}  — {} source(s), {} independent{}",
        s("date"),
        s("platform"),
        s("qualifier").replace('_', " "),
        count,
        s("object"),
        list("countries"),
        f["source_count"],
        f["independent_sources"],
        if f["conflicts"].as_array().is_some_and(|c| !c.is_empty()) {
            ", CONFLICTING REPORTS"
        } else {
            ""
        }
    )
}

fn print_fact_detail(out: &mut impl Write, f: &serde_json::Value) -> io::Result<()> {
    writeln!(out, "{}", fact_line(f))?;
    if let Some(p) = f["primary_source"].as_str() {
        writeln!(out, "  primary source: {p}")?;
    }
    for src in f["sources"].as_array().into_iter().flatten() {
        writeln!(
            out,
            "  · {}  ({})",
            src["url"].as_str().unwrap_or("-"),
            src["published"].as_str().unwrap_or("-")
        )?;
        writeln!(
            out,
            "    “{}”",
            ellipsis(src["evidence"].as_str().unwrap_or(""), 160)
        )?;
    }
    for c in f["conflicts"].as_array().into_iter().flatten() {
        let n = c["count"]
            .as_u64()
            .map(group_thousands)
            .unwrap_or_else(|| "-".into());
        writeln!(
            out,
            "  ✗ conflicting figure {n} at {}",
            c["url"].as_str().unwrap_or("-")
        )?;
        writeln!(
            out,
            "    “{}”",
            ellipsis(c["evidence"].as_str().unwrap_or(""), 160)
        )?;
    }
    Ok(())
}

fn print_facts(list: &search::FactList, json: bool) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if json {
        serde_json::to_writer(&mut out, list)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{} facts", list.total)?;
        for f in &list.facts {
            writeln!(out)?;
            print_fact_detail(&mut out, f)?;
        }
    }
    out.flush()?;
    Ok(())
}

fn print_verdict(
    v: &search::Verdict,
    json: bool,
    format: VerifyFormat,
    appeared_at: Option<&str>,
) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if format == VerifyFormat::Claimreview {
        serde_json::to_writer(&mut out, &search::claim_review(v, appeared_at))?;
        writeln!(out)?;
    } else if json {
        serde_json::to_writer(&mut out, v)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{}: {}",
            v.verdict.to_uppercase().replace('_', " "),
            v.statement
        )?;
        match &v.parsed {
            Some(c) => writeln!(
                out,
                "  read as: {} {} {} {} from {}{}",
                c.platform,
                c.qualifier.as_str().replace('_', " "),
                c.count.map(group_thousands).unwrap_or_else(|| "-".into()),
                c.object,
                if c.countries.is_empty() {
                    "-".into()
                } else {
                    c.countries.join(",")
                },
                c.date.map(|d| format!(" on {d}")).unwrap_or_default()
            )?,
            None => writeln!(out, "  no takedown claim could be read in the statement")?,
        }
        let fields: Vec<String> = v
            .fields
            .iter()
            .map(|(k, m)| {
                format!(
                    "{k} {}",
                    serde_json::to_value(m)
                        .ok()
                        .and_then(|m| m.as_str().map(str::to_string))
                        .unwrap_or_default()
                        .replace('_', " ")
                )
            })
            .collect();
        if !fields.is_empty() {
            writeln!(out, "  fields: {}", fields.join(", "))?;
        }
        for n in &v.notes {
            writeln!(out, "  note: {n}")?;
        }
        for f in &v.facts {
            writeln!(out)?;
            print_fact_detail(&mut out, f)?;
        }
    }
    out.flush()?;
    Ok(())
}
