//! `takedowns export`: everything in the knowledge base for other tools, streamed.

use super::{Global, UserError};
use std::io;
use std::path::PathBuf;
use std::process::ExitCode;
use takedowns::export::{self, Format};
use takedowns::index::Kb;

/// Arguments of `export`.
#[derive(clap::Args, Debug)]
pub(super) struct Args {
    /// Output format.
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// Write to this file instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
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

/// Runs `export`.
pub(super) fn run(a: Args, g: &Global) -> anyhow::Result<ExitCode> {
    let kb = Kb::open(&g.kb, false)?;
    let format = match a.format {
        ExportFormat::Jsonl => Format::Jsonl,
        ExportFormat::Ndjson => Format::Ndjson,
        ExportFormat::Csv => Format::Csv,
    };
    let report = match &a.out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .map_err(|e| UserError(format!("{}: {e}", path.display())))?;
            export::export(&kb, format, &mut io::BufWriter::new(file))?
        }
        None => export::export(&kb, format, &mut super::print::stdout())?,
    };
    eprintln!(
        "takedowns: exported {} claims and {} facts",
        report.claims, report.facts
    );
    Ok(ExitCode::SUCCESS)
}
