//! Downloads of exactly what a page of the UI shows: a page of search hits or facts, one
//! fact with its sources and conflicts, a table of totals; as CSV (spreadsheet-safe, the
//! export's columns) or JSON Lines (the export's records). The verify page links to the
//! ClaimReview of `/api/verify` instead.

use super::{
    ApiError, SEARCH_PARAMS, Shared, blocking, param, params, record_id, search_query, stats_params,
};
use crate::export;
use crate::search;
use crate::stats;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::collections::HashMap;

/// A download's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Jsonl,
}

/// The `format` parameter: csv or jsonl.
fn format(p: &HashMap<String, String>) -> Result<Format, ApiError> {
    match param(p, "format") {
        Some("csv") => Ok(Format::Csv),
        Some("jsonl") => Ok(Format::Jsonl),
        other => Err(ApiError::bad(format!(
            "format is csv or jsonl, not {:?}",
            other.unwrap_or("")
        ))),
    }
}

/// The search parameters and `format`.
fn with_format(raw: Option<&str>) -> Result<HashMap<String, String>, ApiError> {
    let mut allowed = SEARCH_PARAMS.to_vec();
    allowed.push("format");
    params(raw, &allowed)
}

/// A file the browser saves, named `name`.
fn attachment(body: Vec<u8>, name: &str, format: Format) -> Response {
    let ctype = match format {
        Format::Csv => "text/csv; charset=utf-8",
        Format::Jsonl => "application/x-ndjson; charset=utf-8",
    };
    let ext = match format {
        Format::Csv => "csv",
        Format::Jsonl => "jsonl",
    };
    let mut r = (StatusCode::OK, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}.{ext}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// Records written as the format asks.
fn write(
    records: &[Value],
    format: Format,
    csv: fn(&[Value], &mut dyn std::io::Write) -> Result<(), export::ExportError>,
) -> Result<Vec<u8>, ApiError> {
    let mut out = Vec::new();
    let r = match format {
        Format::Csv => csv(records, &mut out),
        Format::Jsonl => export::records_jsonl(records, &mut out),
    };
    r.map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(out)
}

/// `/download/search?…&format=`: the page of hits the same search shows.
pub(super) async fn search_hits(
    State(app): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let p = with_format(raw.as_deref())?;
    let (q, format) = (search_query(&p)?, format(&p)?);
    let hits = blocking(&app, move |kb| Ok(search::search(kb, &q)?)).await?;
    let body = write(&hits.hits, format, export::claims_csv)?;
    Ok(attachment(body, "takedowns-claims", format))
}

/// `/download/facts?…&format=`: the page of facts the same query shows.
pub(super) async fn facts(
    State(app): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let p = with_format(raw.as_deref())?;
    let (q, format) = (search_query(&p)?, format(&p)?);
    let list = blocking(&app, move |kb| Ok(search::facts(kb, &q)?)).await?;
    let body = write(&list.facts, format, export::facts_csv)?;
    Ok(attachment(body, "takedowns-facts", format))
}

/// `/download/fact/{id}?format=`: one fact; as CSV a row per source and conflict.
pub(super) async fn fact(
    State(app): State<Shared>,
    path: Result<UrlPath<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let p = params(raw.as_deref(), &["format"])?;
    let (id, format) = (record_id(path)?, format(&p)?);
    let shown = id.clone();
    let f = blocking(&app, move |kb| Ok(search::by_id(kb, "fact", &id)?)).await?;
    let f = f.ok_or_else(|| ApiError::not_found(format!("no fact {shown}")))?;
    let name = format!("takedowns-fact-{shown}");
    let body = match format {
        Format::Csv => {
            let mut out = Vec::new();
            export::fact_sources_csv(&f, &mut out)
                .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
            out
        }
        Format::Jsonl => write(std::slice::from_ref(&f), format, export::facts_csv)?,
    };
    Ok(attachment(body, &name, format))
}

/// `/download/stats?…&by=&format=csv`: the table of totals, its note as a last `#` line.
pub(super) async fn totals(
    State(app): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let mut allowed = SEARCH_PARAMS.to_vec();
    allowed.extend(["by", "format"]);
    let p = params(raw.as_deref(), &allowed)?;
    if param(&p, "format") != Some("csv") {
        return Err(ApiError::bad("format is csv (the JSON is at /api/stats)"));
    }
    let (q, by) = stats_params(&p)?;
    let s = blocking(&app, move |kb| Ok(stats::stats(kb, &q, &by)?)).await?;
    Ok(attachment(
        stats::to_csv(&s).into_bytes(),
        "takedowns-totals",
        Format::Csv,
    ))
}
