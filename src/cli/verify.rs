//! `takedowns verify`: a statement checked against the knowledge base.

use super::print::{self, group_thousands};
use super::{Global, UserError};
use std::io::Write;
use std::process::ExitCode;
use takedowns::index::Kb;
use takedowns::search;

/// Arguments of `verify`.
#[derive(clap::Args, Debug)]
pub(super) struct Args {
    /// A sentence such as "Twitter suspended 2,617 accounts in Iran in January 2019".
    statement: String,
    /// Output format with --json: the verdict, or schema.org ClaimReview JSON-LD.
    #[arg(long, value_enum, default_value_t = Format::Verdict)]
    format: Format,
    /// Where the statement was made (ClaimReview's itemReviewed.appearance).
    #[arg(long, value_name = "URL")]
    appeared_at: Option<String>,
}

/// How `verify` prints its answer.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    /// The contract's Verdict object.
    Verdict,
    /// schema.org ClaimReview JSON-LD.
    Claimreview,
}

/// Runs `verify`.
pub(super) fn run(a: Args, g: &Global) -> anyhow::Result<ExitCode> {
    if let Some(u) = a.appeared_at.as_deref()
        && url::Url::parse(u).map_or(true, |u| !matches!(u.scheme(), "http" | "https"))
    {
        return Err(UserError(format!("--appeared-at {u:?} is not an http(s) URL")).into());
    }
    let kb = Kb::open(&g.kb, false)?;
    let v = search::verify(&kb, &a.statement)?;
    let mut out = print::stdout();
    if a.format == Format::Claimreview {
        print::json_line(
            &mut out,
            &search::claim_review(&v, a.appeared_at.as_deref()),
        )?;
    } else if g.json {
        print::json_line(&mut out, &v)?;
    } else {
        print_verdict(&mut out, &v)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn print_verdict(out: &mut impl Write, v: &search::Verdict) -> anyhow::Result<()> {
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
        print::fact_detail(out, f)?;
    }
    Ok(())
}
