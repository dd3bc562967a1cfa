//! `takedowns extract`: the article and claims of page files and WARC records, printed;
//! no knowledge base is touched.

use super::print::{self, ellipsis, group_thousands};
use super::{Global, UserError, check_url};
use serde::Serialize;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use takedowns::claims;
use takedowns::extract::{self, Article, Limits, Options};

/// Arguments of `extract`.
#[derive(clap::Args, Debug)]
pub(super) struct Args {
    /// `.html`, `.htm`, `.html.gz`, `.pdf` or WARC files, or folders holding them.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The pages' URL, when it is known better than the page states it.
    #[arg(long)]
    url: Option<String>,
    /// Bytes read per page (a PDF over it is refused); the rest is cut off.
    #[arg(long, default_value_t = Limits::default().max_bytes, value_name = "BYTES")]
    max_bytes: usize,
}

/// Runs `extract`.
pub(super) fn run(a: Args, g: &Global) -> anyhow::Result<ExitCode> {
    if a.max_bytes == 0 {
        return Err(UserError("--max-bytes must be at least 1".into()).into());
    }
    if let Some(u) = &a.url {
        check_url("--url", u)?;
    }
    let opts = Options {
        url: a.url,
        content_type: None,
        limits: Limits {
            max_bytes: a.max_bytes,
            ..Limits::default()
        },
    };
    extract_files(&a.paths, &opts, g.json)
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
    let mut out = print::stdout();
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
                    print::json_line(&mut out, &line)?;
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
                        print::json_line(out, &v)?;
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

/// One error line (with `--json`) and the message on stderr.
fn report_failure(out: &mut impl Write, file: &str, error: &str, json: bool) -> anyhow::Result<()> {
    if json {
        let line = ErrorLine {
            file: file.to_string(),
            error: error.to_string(),
        };
        print::json_line(out, &line)?;
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
    let dash_or = |v: &[String], max: usize| {
        if v.is_empty() {
            "-".into()
        } else {
            ellipsis(&v.join(","), max)
        }
    };
    for c in &found.claims {
        let count = c.count.map(group_thousands).unwrap_or_else(|| "-".into());
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
            dash_or(&c.countries, usize::MAX),
            dash_or(&c.targets, 12),
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
