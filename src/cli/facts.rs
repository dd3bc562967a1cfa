//! `takedowns facts`: each reported figure once, with its sources and conflicts.

use super::Global;
use super::filters::{Filters, Listing};
use super::print;
use std::io::Write;
use std::process::ExitCode;
use takedowns::index::Kb;
use takedowns::search;

/// Arguments of `facts`.
#[derive(clap::Args, Debug)]
pub(super) struct Args {
    #[command(flatten)]
    filters: Filters,
    #[command(flatten)]
    listing: Listing,
}

/// Runs `facts`.
pub(super) fn run(a: Args, g: &Global) -> anyhow::Result<ExitCode> {
    let q = a.filters.query(&a.listing)?;
    let kb = Kb::open(&g.kb, false)?;
    let list = search::facts(&kb, &q)?;
    let mut out = print::stdout();
    if g.json {
        print::json_line(&mut out, &list)?;
    } else {
        let shown = print::showing(list.offset, list.facts.len(), list.total, "facts");
        writeln!(out, "{shown}")?;
        for f in &list.facts {
            writeln!(out)?;
            print::fact_detail(&mut out, f)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
