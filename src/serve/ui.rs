//! The web UI: pages rendered on the server, usable without JavaScript. Every string
//! from the knowledge base goes through maud's escaping; links to the outside are only
//! ever http(s).

use super::{
    ApiError, SEARCH_PARAMS, Shared, blocking, load_snapshot, param, params, record_id,
    search_query, snapshot_id, statement,
};
use crate::claims::lexicon;
use crate::claims::numbers::figure_span;
use crate::search;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{DOCTYPE, Markup, html};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

const CSS: &str = include_str!("app.css");

/// The current search's link with some parameters changed.
type Relink<'a> = dyn Fn(&[(&str, &str)]) -> String + 'a;

/// A rendered page with its status.
pub(super) struct Page(pub(super) StatusCode, pub(super) Markup);

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        (self.0, axum::response::Html(self.1.into_string())).into_response()
    }
}

/// The page around every view: header with the search box, the view, a footer.
pub(super) fn layout(title: &str, q: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · takedowns" }
                link rel="stylesheet" href="/static/app.css";
            }
            body {
                header.top {
                    a.brand href="/" { "takedowns" }
                    form.quick method="get" action="/" role="search" {
                        input type="search" name="q" value=(q) placeholder="Search claims" aria-label="Search claims";
                        button type="submit" { "Search" }
                    }
                    nav { a href="/" { "Search" } " " a href="/verify" { "Verify" } }
                }
                main { (body) }
                footer { "Every figure links to the sentence and the archived page it was read from." }
            }
        }
    }
}

/// An error shown as a page.
pub(super) fn error_page(e: &ApiError) -> Response {
    Page(
        e.status,
        layout(
            "Error",
            "",
            html! {
                h1 { "Sorry" }
                p.error { (e.message) }
                p { a href="/" { "Back to search" } }
            },
        ),
    )
    .into_response()
}

pub(super) fn respond(r: Result<Page, ApiError>) -> Response {
    match r {
        Ok(p) => p.into_response(),
        Err(e) => error_page(&e),
    }
}

/// The style sheet.
pub(super) async fn css() -> Response {
    let mut r = CSS.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    r
}

/// A URL of this UI with query parameters.
pub(super) fn href(path: &str, pairs: &[(&str, &str)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if !v.is_empty() {
            s.append_pair(k, v);
        }
    }
    let qs = s.finish();
    if qs.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{qs}")
    }
}

/// An outside link, only if it is http(s): a `javascript:` URL from a crawled page
/// must never become a link.
fn outside(url: &str) -> Option<&str> {
    let u = url.trim();
    let lower = u.get(..8).unwrap_or(u).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then_some(u)
}

fn text<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or("")
}

fn list(v: &Value, k: &str) -> Vec<String> {
    v[k].as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

/// A count with its qualifier, as a reader says it: "more than 2,617", "thousands".
fn figure(v: &Value) -> String {
    let Some(n) = v["count"].as_u64() else {
        return "an unstated number of".into();
    };
    let grouped = grouped(n);
    let hedge = match text(v, "qualifier") {
        "more_than" => "more than ",
        "at_least" => "at least ",
        "about" => "about ",
        "nearly" => "nearly ",
        "up_to" => "up to ",
        _ => "",
    };
    format!("{hedge}{grouped}")
}

/// A number with thousands separators.
pub(super) fn grouped(n: u64) -> String {
    crate::claims::numbers::thousands(n)
}

fn country_label(code: &str) -> String {
    match lexicon::country_name(code) {
        Some(n) => format!("{n} ({code})"),
        None => code.to_string(),
    }
}

/// Country codes as links to their country pages.
fn countries(codes: &[String]) -> Markup {
    html! {
        @for (i, c) in codes.iter().enumerate() {
            @if i > 0 { ", " }
            a.country href=(format!("/country/{c}")) title=(country_label(c)) { (c) }
        }
    }
}

/// An evidence sentence with the figure marked.
fn evidence(sentence: &str, count: Option<u64>) -> Markup {
    match figure_span(sentence, count) {
        Some((a, b)) if sentence.is_char_boundary(a) && sentence.is_char_boundary(b) => html! {
            blockquote.evidence { (&sentence[..a]) mark { (&sentence[a..b]) } (&sentence[b..]) }
        },
        _ => html! { blockquote.evidence { (sentence) } },
    }
}

/// Where a claim or source was read: the page, its site and date, and the archive.
fn source_line(v: &Value) -> Markup {
    let url = text(v, "url");
    let title = v["title"].as_str().filter(|t| !t.is_empty()).unwrap_or(url);
    let snapshot = text(v, "snapshot");
    html! {
        span.source {
            @if let Some(u) = outside(url) {
                a.original href=(u) rel="noopener noreferrer nofollow" { (title) }
            } @else if !title.is_empty() {
                (title)
            } @else {
                "a local file"
            }
            @if let Some(s) = v["site"].as_str() { " · " span.site { (s) } }
            @if let Some(p) = v["published"].as_str() { " · " time { (p) } }
            // What a page says of its own address is its claim, not where it came from.
            @if let Some(c) = v["claimed_url"].as_str().filter(|c| *c != url) {
                " · " span.claimed { "the page calls itself " code { (c) } }
            } @else if v["fetched_url"].is_null() && v["claimed_url"].is_string() {
                " · " span.claimed { "address as the page gives it, not where it was fetched" }
            }
            @if !snapshot.is_empty() {
                " · " a.archived href=(format!("/snapshot/{snapshot}")) { "archived page" }
            }
        }
    }
}

/// The search page: box, facets, hits.
pub(super) async fn home(State(app): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let p = match params(raw.as_deref(), SEARCH_PARAMS) {
        Ok(p) => p,
        Err(e) => return error_page(&e),
    };
    let q_text = param(&p, "q").unwrap_or("").to_string();
    let query = search_query(&p);
    let found = match query {
        Ok(q) => blocking(&app, move |kb| Ok(search::search(kb, &q)?)).await,
        Err(e) => Err(e),
    };
    let status = found.as_ref().map_or_else(|e| e.status, |_| StatusCode::OK);
    Page(status, layout("Search", &q_text, search_view(&p, found))).into_response()
}

fn search_view(p: &HashMap<String, String>, found: Result<search::Hits, ApiError>) -> Markup {
    // The current filters, for links that change one of them.
    let current: Vec<(&str, &str)> = SEARCH_PARAMS
        .iter()
        .filter(|k| !matches!(**k, "offset" | "limit"))
        .filter_map(|k| param(p, k).map(|v| (*k, v)))
        .collect();
    let with = |changes: &[(&str, &str)]| -> String {
        let mut pairs: Vec<(&str, &str)> = current
            .iter()
            .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
            .copied()
            .collect();
        pairs.extend(changes.iter().copied());
        href("/", &pairs)
    };
    // The same search, on this page of results, as a file or as totals.
    let here: Vec<(&str, &str)> = SEARCH_PARAMS
        .iter()
        .filter_map(|k| param(p, k).map(|v| (*k, v)))
        .collect();
    let download = |format: &str| {
        let mut pairs = here.clone();
        pairs.push(("format", format));
        href("/download/search", &pairs)
    };
    let totals = {
        let mut pairs: Vec<(&str, &str)> = current
            .iter()
            .filter(|(k, _)| !matches!(*k, "sort" | "asc"))
            .copied()
            .collect();
        pairs.push(("by", "year,platform"));
        href("/stats", &pairs)
    };
    html! {
        (filter_form(p, "/", "Search"))
        @if !current.is_empty() {
            p.filters {
                "Filters: "
                @for (k, v) in &current {
                    span.chip { (k) ": " (v) " " a.remove href=(with(&[(k, "")])) title="remove this filter" { "×" } }
                    " "
                }
            }
        }
        @match found {
            Err(e) => { p.error { (e.message) } }
            Ok(hits) => {
                div.results-page {
                    aside.facets {
                        (facet_group("Country", "country", &hits.facets.country, &with))
                        (facet_group("Platform", "platform", &hits.facets.platform, &with))
                        (facet_group("Year", "year", &hits.facets.year, &with))
                        (facet_group("Site", "site", &hits.facets.site, &with))
                    }
                    section.hits {
                        p.total { (showing(hits.offset, hits.hits.len(), hits.total, "claims")) }
                        p.downloads {
                            "This page as "
                            a.download-csv href=(download("csv")) { "CSV" } " · "
                            a.download-jsonl href=(download("jsonl")) { "JSONL" } " · "
                            a.totals href=(totals) { "totals per year and platform" }
                        }
                        ol.hits {
                            @for h in &hits.hits { (hit(h)) }
                        }
                        (pager(p, hits.total, &with))
                    }
                }
            }
        }
    }
}

/// Which of how many results a page shows: "showing 21–40 of 1,204 claims".
pub(super) fn showing(offset: usize, shown: usize, total: usize, noun: &str) -> String {
    if shown == 0 {
        return format!("{} {noun}", grouped(total as u64));
    }
    format!(
        "showing {}–{} of {} {noun}",
        grouped(offset as u64 + 1),
        grouped((offset + shown) as u64),
        grouped(total as u64)
    )
}

/// The filter form of the search and totals pages, its fields filled from `p`.
pub(super) fn filter_form(p: &HashMap<String, String>, action: &str, submit: &str) -> Markup {
    let field = |k: &str| param(p, k).unwrap_or("").to_string();
    let choice = |k: &str, options: &[(&str, &str)]| {
        let now = field(k);
        html! {
            select name=(k) {
                @for (value, label) in options {
                    option value=(value) selected[now == *value] { (label) }
                }
            }
        }
    };
    let mut objects: Vec<(&str, &str)> = vec![("", "any")];
    objects.extend(lexicon::object_ids().into_iter().map(|o| (o, o)));
    let mut qualifiers: Vec<(&str, &str)> = vec![("", "any")];
    qualifiers.extend(search::QUALIFIERS.iter().map(|q| (*q, *q)));
    html! {
        form.search method="get" action=(action) {
            label { "Words " input type="search" name="q" value=(field("q")); }
            label { "From country " input type="text" name="country" value=(field("country")) placeholder="IR or Iran" size="10"; }
            label { "Targeting " input type="text" name="target" value=(field("target")) placeholder="UA or Ukraine" size="10"; }
            label { "Platform " input type="text" name="platform" value=(field("platform")) placeholder="twitter, meta" size="10"; }
            label { "Site " input type="text" name="site" value=(field("site")) placeholder="reuters.com" size="12"; }
            label { "From " input type="text" name="since" value=(field("since")) placeholder="YYYY[-MM[-DD]]" size="10"; }
            label { "To " input type="text" name="until" value=(field("until")) placeholder="YYYY[-MM[-DD]]" size="10"; }
            label { "At least " input type="text" name="min_count" value=(field("min_count")) size="7"; }
            label { "Object " (choice("object", &objects)) }
            label { "Figure " (choice("qualifier", &qualifiers)) }
            label { "Negated " (choice("negated", &[("", "either"), ("false", "takedowns only"), ("true", "negated only")])) }
            @if action == "/" {
                label { "Sort " (choice("sort", &[("", "relevance"), ("date", "date"), ("count", "count")])) }
                label { input type="checkbox" name="asc" value="true" checked[field("asc") == "true"]; " oldest / smallest first" }
            } @else {
                label { "Group by " (choice("by", &[("year", "year"), ("platform", "platform"), ("year,platform", "year and platform")])) }
            }
            button type="submit" { (submit) }
        }
    }
}

fn facet_group(title: &str, key: &str, counts: &search::FacetCounts, with: &Relink<'_>) -> Markup {
    html! {
        section.facet data-facet=(key) {
            h2 { (title) }
            ul {
                @for (value, n) in counts.iter().take(30) {
                    li {
                        @let link = if key == "year" {
                            with(&[("since", value.as_str()), ("until", value.as_str())])
                        } else {
                            with(&[(key, value.as_str())])
                        };
                        a href=(link) {
                            @if key == "country" { (country_label(value)) } @else { (value) }
                        }
                        " " span.n { (n) }
                    }
                }
            }
        }
    }
}

fn hit(h: &Value) -> Markup {
    let count = h["count"].as_u64();
    let id = text(h, "id");
    html! {
        li.hit {
            div.claim {
                span.platform { (text(h, "platform")) }
                " " span.action { (text(h, "action")) }
                " " strong.figure { (figure(h)) }
                " " span.object { (text(h, "object")) }
                @let origin = list(h, "countries");
                @if !origin.is_empty() { " · from " span.countries { (countries(&origin)) } }
                @let targets = list(h, "targets");
                @if !targets.is_empty() { " · targeting " span.targets { (countries(&targets)) } }
                @if let Some(d) = h["date"].as_str() { " · " time.date { (d) } }
                @if h["negated"].as_bool() == Some(true) { " " span.badge { "negated" } }
                @if let Some(level) = h["confidence"].as_str().filter(|l| *l != "high") {
                    " " span.badge.confidence title="how directly the figure was read: high is figure, verb and platform in one sentence" { (level) " confidence" }
                }
                @if let Some(s) = h["spokesperson"].as_str() { " · said by " span.person { (s) } }
            }
            (evidence(text(h, "evidence"), count))
            div.where {
                (source_line(h))
                @if !id.is_empty() { " · " a.fact href=(format!("/claim/{id}")) { "fact and all its sources" } }
            }
        }
    }
}

fn pager(p: &HashMap<String, String>, total: usize, with: &Relink<'_>) -> Markup {
    let offset = param(p, "offset")
        .and_then(|o| o.parse::<usize>().ok())
        .unwrap_or(0);
    let limit = param(p, "limit")
        .and_then(|o| o.parse::<usize>().ok())
        .unwrap_or(20);
    let prev = offset.saturating_sub(limit);
    let next = offset + limit;
    let (prev_s, next_s, limit_s) = (prev.to_string(), next.to_string(), limit.to_string());
    html! {
        nav.pager {
            @if offset > 0 {
                a rel="prev" href=(with(&[("offset", prev_s.as_str()), ("limit", limit_s.as_str())])) { "← Previous" }
            }
            " "
            @if next < total && next <= super::MAX_OFFSET {
                a rel="next" href=(with(&[("offset", next_s.as_str()), ("limit", limit_s.as_str())])) { "Next →" }
            }
        }
    }
}

/// A fact: the figure, every source, and the conflicting reports beside them.
pub(super) async fn fact(
    State(app): State<Shared>,
    path: Result<UrlPath<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Response {
    let r = async {
        params(raw.as_deref(), &[])?;
        let id = record_id(path)?;
        let shown = id.clone();
        let f = blocking(&app, move |kb| Ok(search::by_id(kb, "fact", &id)?)).await?;
        let f = f.ok_or_else(|| ApiError::not_found(format!("no fact {shown}")))?;
        Ok(Page(StatusCode::OK, fact_view(&f)))
    };
    respond(r.await)
}

fn fact_view(f: &Value) -> Markup {
    let count = f["count"].as_u64();
    let primary = text(f, "primary_source");
    let sources = f["sources"].as_array().cloned().unwrap_or_default();
    let conflicts = f["conflicts"].as_array().cloned().unwrap_or_default();
    let origin = list(f, "countries");
    let targets = list(f, "targets");
    let range = f["range"].as_array().cloned().unwrap_or_default();
    let bound = |i: usize| {
        range
            .get(i)
            .and_then(Value::as_u64)
            .map_or("open".to_string(), |n| n.to_string())
    };
    let title = format!(
        "{} {} {}",
        text(f, "platform"),
        figure(f),
        text(f, "object")
    );
    layout(
        &title,
        "",
        html! {
            h1 { span.platform { (text(f, "platform")) } " " mark.figure { (figure(f)) } " " (text(f, "object")) }
            dl.fact-summary {
                dt { "Origin" } dd { @if origin.is_empty() { "not stated" } @else { (countries(&origin)) } }
                dt { "Targets" } dd { @if targets.is_empty() { "not stated" } @else { (countries(&targets)) } }
                dt { "Date" } dd { (fact_date(f)) }
                dt { "Range the reports agree on" } dd { (bound(0)) " – " (bound(1)) }
                dt { "Sources" } dd.sources-count { (f["source_count"].as_u64().unwrap_or(0)) " pages, " strong.independent { (f["independent_sources"].as_u64().unwrap_or(0)) } " independent" }
                dt { "Primary source" } dd.primary {
                    @if let Some(u) = outside(primary) { a href=(u) rel="noopener noreferrer nofollow" { (u) } }
                    @else { "the platform's own post is not in the archive" }
                }
            }
            @let id = text(f, "id");
            p.downloads {
                "This fact as "
                a.download-csv href=(href(&format!("/download/fact/{id}"), &[("format", "csv")])) { "CSV" } " (a row per source and conflict) · "
                a.download-jsonl href=(href(&format!("/download/fact/{id}"), &[("format", "jsonl")])) { "JSONL" }
            }
            div.side-by-side {
                section.sources {
                    h2 { "Reported as " (figure(f)) }
                    ol {
                        @for s in &sources {
                            li.source-item {
                                @if outside(text(s, "url")).is_some() && text(s, "url") == primary { span.badge { "primary" } " " }
                                (evidence(text(s, "evidence"), count))
                                div.where { (source_line(s)) " · story " code { (text(s, "story").chars().take(8).collect::<String>()) } }
                            }
                        }
                    }
                }
                section.conflicts {
                    h2 { "Conflicting figures" }
                    @if conflicts.is_empty() { p { "No source reports a different figure for this takedown." } }
                    ol {
                        @for c in &conflicts {
                            li.conflict {
                                strong.figure { (figure(c)) }
                                (evidence(text(c, "evidence"), c["count"].as_u64()))
                                div.where { (source_line(c)) }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// A claim's page: its fact.
pub(super) async fn claim(
    State(app): State<Shared>,
    path: Result<UrlPath<String>, PathRejection>,
) -> Response {
    let r = async {
        let id = record_id(path)?;
        let shown = id.clone();
        let fact = blocking(&app, move |kb| Ok(search::fact_of_claim(kb, &id)?)).await?;
        match fact.as_ref().and_then(|f| f["id"].as_str()) {
            Some(fid) => Ok(Redirect::to(&format!("/fact/{fid}")).into_response()),
            None => Err(ApiError::not_found(format!("no fact holds claim {shown}"))),
        }
    };
    match r.await {
        Ok(resp) => resp,
        Err(e) => error_page(&e),
    }
}

/// Facts a country page lists, newest first; the chart counts them all. A page over
/// every fact of a country held megabytes per request (Russia on a 13,000-claim
/// knowledge base).
pub const COUNTRY_LISTED: usize = 200;

/// A country: the takedowns of operations from it and of those targeting it, side by
/// side, each as a chart per year and a table of the most recent.
pub(super) async fn country(
    State(app): State<Shared>,
    path: Result<UrlPath<String>, PathRejection>,
) -> Response {
    let r = async {
        let UrlPath(given) = path.map_err(|e| ApiError::bad(e.body_text()))?;
        let code = search::country_code(&given)?;
        let from = search::Query {
            country: Some(code.clone()),
            limit: COUNTRY_LISTED,
            ..search::Query::default()
        };
        let at = search::Query {
            country: None,
            target: Some(code.clone()),
            ..from.clone()
        };
        let (from, at) = blocking(&app, move |kb| {
            Ok((
                search::facts_by_year(kb, &from)?,
                search::facts_by_year(kb, &at)?,
            ))
        })
        .await?;
        Ok(Page(StatusCode::OK, country_view(&code, &from, &at)))
    };
    respond(r.await)
}

/// When a fact was first reported: its earliest source's publication date.
fn first_reported(f: &Value) -> Option<&str> {
    f["sources"]
        .as_array()?
        .iter()
        .filter_map(|s| s["published"].as_str())
        .min()
}

/// A fact's takedown date, else when it was first reported, said as such.
fn fact_date(f: &Value) -> String {
    if let Some(d) = f["date"].as_str() {
        return d.to_string();
    }
    first_reported(f).map_or_else(|| "undated".to_string(), |p| format!("reported {p}"))
}

/// Facts of one side of a country page, with how many there are per year.
type Side = (search::FactList, search::FacetCounts);

fn country_view(code: &str, from: &Side, at: &Side) -> Markup {
    let name = lexicon::country_name(code).unwrap_or(code);
    let totals = href("/stats", &[("country", code), ("by", "year,platform")]);
    let body = html! {
        h1 { "Takedowns and " (name) }
        p { a.totals href=(totals) { "Totals per year and platform" } " of the operations from " (name) "." }
        div.side-by-side.country-sides {
            section.origin {
                h2 { "Operations from " (name) }
                (country_side(code, "country", from))
            }
            section.target {
                h2 { "Operations targeting " (name) }
                (country_side(code, "target", at))
            }
        }
    };
    layout(name, "", body)
}

/// One side of a country page: a chart of its facts per year and the most recent.
fn country_side(code: &str, key: &str, (facts, years): &Side) -> Markup {
    // The index files a fact under its takedown date's year, else its first report's.
    let per_year: BTreeMap<i32, u64> = years
        .iter()
        .filter_map(|(y, n)| Some((y.parse().ok()?, *n)))
        .collect();
    let rest = facts.total.saturating_sub(facts.facts.len());
    let all = href("/", &[(key, code)]);
    html! {
        p { (facts.total) " reported figures. " a href=(all) { "Search their claims" } }
        (chart(&per_year, "Takedowns (reported figures) per year", grouped))
        table.facts {
            thead { tr { th { "Date" } th { "Platform" } th { "Figure" } th { @if key == "country" { "Targets" } @else { "From" } } th { "Sources" } th { } } }
            tbody {
                @for f in &facts.facts {
                    tr {
                        td { (fact_date(f)) }
                        td.platform { (text(f, "platform")) }
                        td { strong { (figure(f)) } " " (text(f, "object")) }
                        td { (countries(&list(f, if key == "country" { "targets" } else { "countries" }))) }
                        td { (f["source_count"].as_u64().unwrap_or(0)) " (" (f["independent_sources"].as_u64().unwrap_or(0)) " independent)"
                             @if f["conflicts"].as_array().is_some_and(|c| !c.is_empty()) { " " span.badge { "conflict" } } }
                        td { a href=(format!("/fact/{}", text(f, "id"))) { "sources" } }
                    }
                }
            }
        }
        @if rest > 0 {
            p.more {
                "The " (facts.facts.len()) " most recent are listed; " (rest) " more are in "
                a href=(all) { "the search" } " and, paged, in "
                a href=(href("/api/facts", &[(key, code), ("limit", "100")])) { "the facts API" } "."
            }
        }
    }
}

/// A value per year as a bar chart, drawn here as SVG (every year in the span shown,
/// empty years as gaps), each bar labelled by `label`.
pub(super) fn chart(
    per_year: &BTreeMap<i32, u64>,
    caption: &str,
    label: fn(u64) -> String,
) -> Markup {
    let (Some((&first, _)), Some((&last, _))) =
        (per_year.first_key_value(), per_year.last_key_value())
    else {
        return html! { p.empty { "No dated takedowns." } };
    };
    let years: Vec<(i32, u64)> = (first..=last)
        .map(|y| (y, per_year.get(&y).copied().unwrap_or(0)))
        .collect();
    let max = years.iter().map(|y| y.1).max().unwrap_or(1).max(1);
    let (bar, gap, height, pad) = (44usize, 8usize, 140usize, 20usize);
    let width = years.len() * (bar + gap) + gap;
    html! {
        figure.chart {
            svg xmlns="http://www.w3.org/2000/svg" width=(width) height=(height + 2 * pad) role="img"
                viewBox=(format!("0 0 {width} {}", height + 2 * pad)) {
                title { (caption) }
                @for (i, (y, n)) in years.iter().enumerate() {
                    // In u128: a sum of figures times the height must not overflow.
                    @let h = (u128::from(*n) * height as u128 / u128::from(max)) as usize;
                    @let x = gap + i * (bar + gap);
                    g.bar data-year=(y) data-count=(n) {
                        rect x=(x) y=(pad + height - h) width=(bar) height=(h) fill="#3b6ea8" {}
                        text x=(x + bar / 2) y=(pad + height - h - 4) text-anchor="middle" font-size="10" { (label(*n)) }
                        text x=(x + bar / 2) y=(pad + height + 14) text-anchor="middle" font-size="11" { (y) }
                    }
                }
            }
            figcaption { (caption) }
        }
    }
}

/// The verify box and its verdict.
pub(super) async fn verify(State(app): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let r = async {
        let p = params(raw.as_deref(), &["statement"])?;
        let s = statement(&p);
        let verdict = match s.clone() {
            Some(s) => Some(blocking(&app, move |kb| Ok(search::verify(kb, &s)?)).await?),
            None => None,
        };
        Ok(Page(
            StatusCode::OK,
            verify_view(s.as_deref().unwrap_or(""), verdict.as_ref()),
        ))
    };
    respond(r.await)
}

fn verify_view(statement: &str, v: Option<&search::Verdict>) -> Markup {
    layout(
        "Verify",
        "",
        html! {
            h1 { "Verify a figure" }
            form.verify method="get" action="/verify" {
                input type="text" name="statement" value=(statement) size="80"
                    placeholder="Twitter suspended 2,617 accounts in Iran in January 2019" aria-label="Statement";
                button type="submit" { "Verify" }
            }
            @if let Some(v) = v {
                p.verdict { "Verdict: " strong class=(format!("verdict {}", v.verdict)) { (v.verdict.replace('_', " ")) } }
                @if let Some(c) = &v.parsed {
                    p.parsed { "Read as: " (c.platform) " " (c.action) " " (figure(&serde_json::to_value(c).unwrap_or(Value::Null))) " " (c.object)
                        @if !c.countries.is_empty() { " from " (countries(&c.countries)) } }
                } @else {
                    p.parsed { "No takedown figure could be read in this statement." }
                }
                @if !v.notes.is_empty() {
                    ul.notes { @for n in &v.notes { li { (n) } } }
                }
                @if !v.fields.is_empty() {
                    p.fields { @for (k, m) in &v.fields {
                        span class=(format!("field {}", serde_json::to_value(m).ok().and_then(|m| m.as_str().map(str::to_string)).unwrap_or_default())) {
                            (k) ": " (serde_json::to_value(m).ok().and_then(|m| m.as_str().map(|s| s.replace('_', " "))).unwrap_or_default())
                        } " "
                    } }
                }
                ol.facts {
                    @for f in &v.facts {
                        li { a href=(format!("/fact/{}", text(f, "id"))) { (text(f, "platform")) " " (figure(f)) " " (text(f, "object")) }
                             " · " (f["date"].as_str().unwrap_or("undated")) " · " (f["source_count"].as_u64().unwrap_or(0)) " sources" }
                    }
                }
                @if !v.evidence.is_empty() {
                    h2 { "Evidence" }
                    ol.evidence {
                        @for e in &v.evidence {
                            li {
                                q { (e.sentence) }
                                " — "
                                @if let Some(u) = e.url.as_deref().and_then(outside) {
                                    a href=(u) rel="noopener noreferrer nofollow" { (e.site.as_deref().unwrap_or(u)) }
                                } @else { (e.site.as_deref().unwrap_or("a local file")) }
                                @if let Some(p) = &e.published { " · " (p) }
                                " · " a href=(format!("/snapshot/{}", e.snapshot)) { "archived copy" }
                            }
                        }
                    }
                }
                p.claimreview { a href=(href("/api/verify", &[("statement", statement), ("format", "claimreview")])) { "This verdict as ClaimReview (JSON-LD)" } }
            }
        },
    )
}

/// An archived page, shown inert in a sandboxed frame, with what is known of it.
pub(super) async fn snapshot(
    State(app): State<Shared>,
    path: Result<UrlPath<String>, PathRejection>,
) -> Response {
    let r = async {
        let id = snapshot_id(path)?;
        let (article, page) = blocking(&app, move |kb| load_snapshot(kb, &id)).await?;
        let id = page.snapshot.as_str();
        Ok(Page(
            StatusCode::OK,
            layout(
                "Archived page",
                "",
                html! {
                    h1 { "Archived page" }
                    dl.snapshot {
                        dt { "Title" } dd { (text(&article, "title")) }
                        dt { "Address" } dd { @if let Some(u) = outside(text(&article, "url")) { a href=(u) rel="noopener noreferrer nofollow" { (u) } } @else { "not known" } }
                        dt { "Archived" } dd { (page.date) }
                        dt { "Snapshot" } dd { code { (id) } " (SHA-256 of the bytes below)" }
                        dt { "Claims" } dd { (article["claims"].as_u64().unwrap_or(0)) " · " a href=(href("/", &[("q", &format!("snapshot:{id}"))])) { "search them" } }
                    }
                    p.note { "Shown as archived, with scripts disabled and nothing loaded from elsewhere." }
                    iframe.snapshot sandbox="" src=(format!("/api/snapshot/{id}")) title="archived page" {}
                },
            ),
        ))
    };
    respond(r.await)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_http_links_leave_the_site() {
        assert_eq!(outside("https://a.example/x"), Some("https://a.example/x"));
        assert_eq!(outside(" HTTP://a.example"), Some("HTTP://a.example"));
        assert_eq!(outside("javascript:alert(1)"), None);
        assert_eq!(outside("JaVaScRiPt:alert(1)"), None);
        assert_eq!(outside("data:text/html,<script>"), None);
        assert_eq!(outside("//evil.example"), None);
        assert_eq!(outside(""), None);
    }

    #[test]
    fn figures_read_as_a_person_says_them() {
        assert_eq!(
            figure(&json!({"count": 2617, "qualifier": "exact"})),
            "2,617"
        );
        assert_eq!(
            figure(&json!({"count": 1000000, "qualifier": "more_than"})),
            "more than 1,000,000"
        );
        assert_eq!(
            figure(&json!({"count": 130, "qualifier": "about"})),
            "about 130"
        );
        assert_eq!(
            figure(&json!({"count": null, "qualifier": "vague"})),
            "an unstated number of"
        );
    }

    #[test]
    fn links_encode_their_parameters() {
        assert_eq!(href("/", &[]), "/");
        assert_eq!(
            href(
                "/",
                &[("q", "a&b=c"), ("country", ""), ("site", "x.example")]
            ),
            "/?q=a%26b%3Dc&site=x.example"
        );
    }

    #[test]
    fn evidence_marks_the_figure_and_escapes_the_rest() {
        let m = evidence("<b>Twitter</b> suspended 2,617 accounts.", Some(2617)).into_string();
        assert!(
            m.contains("&lt;b&gt;Twitter&lt;/b&gt; suspended <mark>2,617</mark>"),
            "{m}"
        );
    }
}
