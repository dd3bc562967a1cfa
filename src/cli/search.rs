//! `takedowns search`: claims matching the filters, with facet counts.

use super::Global;
use super::filters::{Filters, Listing};
use super::print::{self, ellipsis, field, field_count, field_list};
use std::io::Write;
use std::process::ExitCode;
use takedowns::index::Kb;
use takedowns::search;

/// Arguments of `search`.
#[derive(clap::Args, Debug)]
pub(super) struct Args {
    #[command(flatten)]
    filters: Filters,
    #[command(flatten)]
    listing: Listing,
}

/// Runs `search`.
pub(super) fn run(a: Args, g: &Global) -> anyhow::Result<ExitCode> {
    let q = a.filters.query(&a.listing)?;
    let kb = Kb::open(&g.kb, false)?;
    let hits = search::search(&kb, &q)?;
    print_hits(&hits, g.json)?;
    Ok(ExitCode::SUCCESS)
}

fn print_hits(h: &search::Hits, json: bool) -> anyhow::Result<()> {
    let mut out = print::stdout();
    if json {
        print::json_line(&mut out, h)?;
        out.flush()?;
        return Ok(());
    }
    let shown = print::showing(h.offset, h.hits.len(), h.total, "claims");
    writeln!(out, "{shown}")?;
    for v in &h.hits {
        print_hit(&mut out, v)?;
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

fn print_hit(out: &mut impl Write, v: &serde_json::Value) -> anyhow::Result<()> {
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
    Ok(())
}
