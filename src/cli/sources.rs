//! `takedowns sources`: the source registry the crawler reads with `--sources`.

use super::{Global, UserError};
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `sources`.
#[derive(clap::Args, Debug)]
pub(super) struct Args {
    /// A registry file of one's own instead of the bundled one.
    #[arg(long, value_name = "FILE")]
    file: Option<PathBuf>,
}

/// Runs `sources`: the registry as a table, or one JSON line per entry.
pub(super) fn run(a: Args, g: &Global) -> anyhow::Result<ExitCode> {
    let list = takedowns::sources::load(a.file.as_deref()).map_err(|e| UserError(e.to_string()))?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if g.json {
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
