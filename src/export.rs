//! `takedowns export`: everything in the knowledge base, for other tools. Claims then
//! facts, each with its stable id, streamed one document at a time so memory stays flat
//! whatever the size of the knowledge base.
//!
//! - `jsonl`: one object per line, `"type": "claim"` or `"fact"`; a claim carries every
//!   Claim field plus `url`, `site`, `title`, `published` and `snapshot`.
//! - `ndjson`: the same records in the OpenSearch/Elasticsearch bulk format, an action
//!   line `{"index": {"_index": …, "_id": …}}` before each, so loading twice overwrites.
//! - `csv`: claims only, a header row, list fields joined with `;`, every cell quoted and
//!   a cell that a spreadsheet would read as a formula prefixed with `'`.

use crate::index::{self, Kb, KbError};
use serde_json::{Value, json};
use std::io::Write;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON Lines.
    Jsonl,
    /// OpenSearch/Elasticsearch bulk.
    Ndjson,
    /// Comma-separated claims.
    Csv,
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The knowledge base could not be read.
    #[error(transparent)]
    Kb(#[from] KbError),
    /// The output could not be written.
    #[error("writing the export: {0}")]
    Write(#[from] std::io::Error),
    /// A CSV row could not be written.
    #[error("writing the export: {0}")]
    Csv(#[from] csv::Error),
}

/// What was exported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ExportReport {
    /// Claim records written.
    pub claims: usize,
    /// Fact records written.
    pub facts: usize,
}

/// The claim fields an export line carries, in the contract's order; internal fields of
/// the stored record are left out.
const CLAIM_FIELDS: &[&str] = &[
    "type",
    "id",
    "platform",
    "countries",
    "targets",
    "count",
    "qualifier",
    "object",
    "action",
    "date",
    "spokesperson",
    "negated",
    "evidence",
    "span",
    "confidence",
    "url",
    "site",
    "title",
    "published",
    "snapshot",
    "truncated",
];

/// The CSV columns, in order: the claim fields, without `type` (every row is a claim),
/// the span as two numbers.
pub fn csv_columns() -> Vec<&'static str> {
    CLAIM_FIELDS
        .iter()
        .filter(|f| **f != "type")
        .flat_map(|f| match *f {
            "span" => vec!["span_start", "span_end"],
            other => vec![other],
        })
        .collect()
}

/// A claim's export record: the stored record cut to the exported fields.
fn claim_record(stored: &Value) -> Value {
    let mut out = serde_json::Map::new();
    for k in CLAIM_FIELDS {
        out.insert((*k).to_string(), stored[*k].clone());
    }
    Value::Object(out)
}

/// A fact's export record: the fact, with a top-level `url` (its primary source, else
/// its first source) so that every line carries one.
fn fact_record(mut fact: Value) -> Value {
    let url = fact["primary_source"]
        .as_str()
        .map(str::to_string)
        .or_else(|| fact["sources"][0]["url"].as_str().map(str::to_string));
    if let Value::Object(m) = &mut fact {
        m.insert("url".into(), json!(url));
    }
    fact
}

/// A cell's text as a spreadsheet may show it: a cell that begins with a character a
/// spreadsheet reads as a formula (`=`, `+`, `-`, `@`, tab, carriage return) gets a
/// leading `'`, as OWASP recommends against CSV injection, so a crawled title such as
/// `=HYPERLINK(…)` stays text.
fn cell(v: &Value) -> String {
    neutralise(raw_cell(v))
}

fn neutralise(s: String) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s
    }
}

fn raw_cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(raw_cell).collect::<Vec<_>>().join(";"),
        other => other.to_string(),
    }
}

/// Writes the knowledge base in `format` to `out`.
pub fn export(kb: &Kb, format: Format, out: &mut dyn Write) -> Result<ExportReport, ExportError> {
    let searcher = kb.searcher()?;
    let mut report = ExportReport::default();
    // Each document is written as it is read: the closures keep nothing, and the first
    // write error stops the rest.
    let mut failed: Option<ExportError> = None;
    if format == Format::Csv {
        let columns = csv_columns();
        let mut w = csv_writer(&mut *out);
        w.write_record(&columns)?;
        index::map_kind(kb, &searcher, "claim", |stored| {
            if failed.is_none() {
                let rec = claim_record(&stored);
                let row = columns.iter().map(|c| match *c {
                    "span_start" => cell(&rec["span"][0]),
                    "span_end" => cell(&rec["span"][1]),
                    k => cell(&rec[k]),
                });
                match w.write_record(row) {
                    Ok(()) => report.claims += 1,
                    Err(e) => failed = Some(e.into()),
                }
            }
            Some(())
        })?;
        w.flush()?;
    } else {
        for (kind, index_name) in [("claim", "claims"), ("fact", "facts")] {
            index::map_kind(kb, &searcher, kind, |stored| {
                if failed.is_none() {
                    let rec = if kind == "claim" {
                        claim_record(&stored)
                    } else {
                        match index::facts::shown(kb, &searcher, stored) {
                            Ok(fact) => fact_record(fact),
                            Err(e) => {
                                failed = Some(e.into());
                                return Some(());
                            }
                        }
                    };
                    match line(&mut *out, format, index_name, &rec) {
                        Ok(()) if kind == "claim" => report.claims += 1,
                        Ok(()) => report.facts += 1,
                        Err(e) => failed = Some(e),
                    }
                }
                Some(())
            })?;
        }
    }
    if let Some(e) = failed {
        return Err(e);
    }
    out.flush()?;
    Ok(report)
}

/// One JSON line, after its bulk action line for `ndjson`.
fn line(
    out: &mut dyn Write,
    format: Format,
    index_name: &str,
    rec: &Value,
) -> Result<(), ExportError> {
    if format == Format::Ndjson {
        let action = json!({"index": {"_index": index_name, "_id": rec["id"]}});
        serde_json::to_writer(&mut *out, &action).map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
    }
    serde_json::to_writer(&mut *out, rec).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// The CSV writer every export uses: every cell quoted, as OWASP also advises, so a
/// spreadsheet never splits a cell at a separator inside it.
fn csv_writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(out)
}

/// Stored claim records (search hits) as the export's CSV: the rows a page of results
/// shows, in its order.
pub fn claims_csv(records: &[Value], out: &mut dyn Write) -> Result<(), ExportError> {
    let columns = csv_columns();
    let mut w = csv_writer(out);
    w.write_record(&columns)?;
    for stored in records {
        let rec = claim_record(stored);
        w.write_record(columns.iter().map(|c| match *c {
            "span_start" => cell(&rec["span"][0]),
            "span_end" => cell(&rec["span"][1]),
            k => cell(&rec[k]),
        }))?;
    }
    w.flush()?;
    Ok(())
}

/// The columns of a list of facts as CSV.
pub const FACT_COLUMNS: &[&str] = &[
    "id",
    "platform",
    "countries",
    "targets",
    "object",
    "count",
    "qualifier",
    "range_low",
    "range_high",
    "date",
    "first_reported",
    "negated",
    "source_count",
    "independent_sources",
    "primary_source",
    "conflicts",
    "url",
];

/// Fact records as CSV, one row each: the figure, its range, sources and conflicts
/// counted, and the URL that reports it best.
pub fn facts_csv(records: &[Value], out: &mut dyn Write) -> Result<(), ExportError> {
    let mut w = csv_writer(out);
    w.write_record(FACT_COLUMNS)?;
    for stored in records {
        let rec = fact_record(stored.clone());
        w.write_record(FACT_COLUMNS.iter().map(|c| match *c {
            "range_low" => cell(&rec["range"][0]),
            "range_high" => cell(&rec["range"][1]),
            "conflicts" => rec["conflicts"].as_array().map_or(0, Vec::len).to_string(),
            k => cell(&rec[k]),
        }))?;
    }
    w.flush()?;
    Ok(())
}

/// The columns of one fact's sources and conflicts as CSV.
pub const FACT_SOURCE_COLUMNS: &[&str] = &[
    "fact",
    "role",
    "count",
    "qualifier",
    "url",
    "site",
    "published",
    "snapshot",
    "story",
    "evidence",
];

/// One fact as its fact page shows it: a row per source reporting its figure, then a
/// row per conflicting report.
pub fn fact_sources_csv(fact: &Value, out: &mut dyn Write) -> Result<(), ExportError> {
    let mut w = csv_writer(out);
    w.write_record(FACT_SOURCE_COLUMNS)?;
    let rows = [("source", "sources"), ("conflict", "conflicts")];
    for (role, key) in rows {
        for item in fact[key].as_array().into_iter().flatten() {
            w.write_record(FACT_SOURCE_COLUMNS.iter().map(|c| match *c {
                "fact" => cell(&fact["id"]),
                "role" => role.to_string(),
                // A source reports the fact's figure; a conflict carries its own.
                "count" | "qualifier" if role == "source" => cell(&fact[*c]),
                k => cell(&item[k]),
            }))?;
        }
    }
    w.flush()?;
    Ok(())
}

/// Stored claim or fact records as JSON Lines, each as `export --format jsonl` writes it.
pub fn records_jsonl(records: &[Value], out: &mut dyn Write) -> Result<(), ExportError> {
    for stored in records {
        let rec = match stored["type"].as_str() {
            Some("fact") => fact_record(stored.clone()),
            _ => claim_record(stored),
        };
        line(out, Format::Jsonl, "", &rec)?;
    }
    out.flush()?;
    Ok(())
}
