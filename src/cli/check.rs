//! `takedowns check`: is a knowledge base whole, and how to rebuild it when not.

use super::Global;
use super::print;
use std::io::Write;
use std::process::ExitCode;

/// Runs `check`.
pub(super) fn run(g: &Global) -> anyhow::Result<ExitCode> {
    let r = takedowns::check::check(&g.kb)?;
    let mut out = print::stdout();
    if g.json {
        print::json_line(&mut out, &r)?;
    } else {
        let cut = if r.truncated_files > 0 {
            format!(
                " ({} file(s) end inside a record; their complete records count)",
                r.truncated_files
            )
        } else {
            String::new()
        };
        writeln!(
            out,
            "{}: {} — {} articles, {} claims, {} facts; archive {} files, {} pages{cut}",
            r.kb,
            if r.ok { "OK" } else { "PROBLEMS" },
            r.articles,
            r.claims,
            r.facts,
            r.archive_files,
            r.archive_pages,
        )?;
        for p in &r.problems {
            writeln!(out, "  {p}")?;
        }
        if let Some(how) = &r.rebuild {
            writeln!(out, "To repair: {how}")?;
        }
    }
    out.flush()?;
    Ok(if r.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
