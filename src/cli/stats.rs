//! `takedowns stats`: the sum of the facts' figures per year and per platform.

use super::Global;
use super::filters::Filters;
use super::print::{self, group_thousands};
use std::io::Write;
use std::process::ExitCode;
use takedowns::index::Kb;
use takedowns::stats::{self, By, Stats};

/// Arguments of `stats`.
#[derive(clap::Args, Debug)]
pub(super) struct Args {
    #[command(flatten)]
    filters: Filters,
    /// Group by year, platform, or both in the order given (year,platform).
    #[arg(long, default_value = "year", value_name = "year,platform")]
    by: String,
    /// Print the table as CSV (year,platform,sum,facts and the note as a `#` line).
    #[arg(long)]
    csv: bool,
}

/// Runs `stats`.
pub(super) fn run(a: Args, g: &Global) -> anyhow::Result<ExitCode> {
    let by = By::parse_list(&a.by)?;
    let q = a.filters.selection()?;
    let kb = Kb::open(&g.kb, false)?;
    let s = stats::stats(&kb, &q, &by)?;
    let mut out = print::stdout();
    if g.json {
        print::json_line(&mut out, &s)?;
    } else if a.csv {
        write!(out, "{}", stats::to_csv(&s))?;
    } else {
        print_table(&mut out, &s, &by)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn print_table(out: &mut impl Write, s: &Stats, by: &[By]) -> std::io::Result<()> {
    let (years, platforms) = (by.contains(&By::Year), by.contains(&By::Platform));
    let mut head = String::new();
    if years {
        head.push_str(&format!("{:<6}", "year"));
    }
    if platforms {
        head.push_str(&format!("{:<12}", "platform"));
    }
    writeln!(out, "{head}{:>15} {:>7}", "sum", "facts")?;
    for r in &s.rows {
        let mut line = String::new();
        if years {
            let y = r.year.map_or("-".to_string(), |y| y.to_string());
            line.push_str(&format!("{y:<6}"));
        }
        if platforms {
            line.push_str(&format!("{:<12}", r.platform.as_deref().unwrap_or("-")));
        }
        writeln!(out, "{line}{:>15} {:>7}", group_thousands(r.sum), r.facts)?;
    }
    if by.is_empty() {
        return writeln!(out, "\nnote: {}", s.note);
    }
    let sum: u64 = s.rows.iter().map(|r| r.sum).sum();
    let facts: u64 = s.rows.iter().map(|r| r.facts).sum();
    let pad = if years { 6 } else { 0 } + if platforms { 12 } else { 0 };
    writeln!(
        out,
        "{:<pad$}{:>15} {:>7}",
        "all",
        group_thousands(sum),
        facts
    )?;
    writeln!(out, "\nnote: {}", s.note)
}
