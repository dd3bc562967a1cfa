//! The totals page: the sum of the facts' figures per year and platform for a search's
//! filters, as a table, a chart drawn here as SVG, the note on what the sums count, and
//! the CSV of exactly that table.

use super::ui::{Page, chart, filter_form, grouped, href, layout, respond};
use super::{ApiError, SEARCH_PARAMS, Shared, blocking, param, params, stats_params};
use crate::stats::{self, By, Stats};
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};
use std::collections::{BTreeMap, HashMap};

/// `/stats?…filters…&by=`: totals of the facts matching the filters.
pub(super) async fn page(State(app): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let r = async {
        let mut allowed = SEARCH_PARAMS.to_vec();
        allowed.push("by");
        let p = params(raw.as_deref(), &allowed)?;
        let (q, by) = stats_params(&p)?;
        let shown = by.clone();
        let s = blocking(&app, move |kb| Ok(stats::stats(kb, &q, &shown)?)).await?;
        Ok::<_, ApiError>(Page(StatusCode::OK, view(&p, &s, &by)))
    };
    respond(r.await)
}

/// A large figure in a bar's few pixels: 1.9B, 33.4k.
fn compact(n: u64) -> String {
    let f = n as f64;
    match n {
        0..1_000 => n.to_string(),
        1_000..1_000_000 => format!("{:.1}k", f / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1}M", f / 1e6),
        _ => format!("{:.1}B", f / 1e9),
    }
}

fn view(p: &HashMap<String, String>, s: &Stats, by: &[By]) -> Markup {
    let here: Vec<(&str, &str)> = SEARCH_PARAMS
        .iter()
        .chain(["by"].iter())
        .filter(|k| !matches!(**k, "offset" | "limit" | "sort" | "asc"))
        .filter_map(|k| param(p, k).map(|v| (*k, v)))
        .collect();
    let link = |path: &str, extra: &[(&str, &str)]| {
        let mut pairs = here.clone();
        pairs.extend(extra.iter().copied());
        href(path, &pairs)
    };
    let mut per_year: BTreeMap<i32, u64> = BTreeMap::new();
    for r in &s.rows {
        if let Some(y) = r.year {
            *per_year.entry(y).or_default() += r.sum;
        }
    }
    let (years, platforms) = (by.contains(&By::Year), by.contains(&By::Platform));
    let sum: u64 = s.rows.iter().map(|r| r.sum).sum();
    let facts: u64 = s.rows.iter().map(|r| r.facts).sum();
    let body = html! {
        h1 { "Totals" }
        (filter_form(p, "/stats", "Show totals"))
        p.note { (s.note) }
        p.downloads {
            "This table as "
            a.download-csv href=(link("/download/stats", &[("format", "csv")])) { "CSV" } " · "
            a.download-json href=(link("/api/stats", &[])) { "JSON" } " · "
            a href=(link("/", &[])) { "the claims of this search" }
        }
        @if years {
            (chart(&per_year, "Sum of the facts' figures per year", compact))
        }
        table.totals {
            thead { tr {
                @if years { th { "Year" } }
                @if platforms { th { "Platform" } }
                th.n { "Sum of figures" } th.n { "Facts" }
            } }
            tbody {
                @for r in &s.rows {
                    tr {
                        @if years { td { (r.year.map_or("-".to_string(), |y| y.to_string())) } }
                        @if platforms { td.platform { (r.platform.as_deref().unwrap_or("-")) } }
                        td.n { (grouped(r.sum)) } td.n { (r.facts) }
                    }
                }
            }
            tfoot { tr {
                @if years { th { "All" } }
                @if platforms { th { @if !years { "All" } } }
                th.n { (grouped(sum)) } th.n { (facts) }
            } }
        }
    };
    layout("Totals", "", body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_figures() {
        assert_eq!(compact(0), "0");
        assert_eq!(compact(999), "999");
        assert_eq!(compact(33_399), "33.4k");
        assert_eq!(compact(1_883_021_676), "1.9B");
    }
}
