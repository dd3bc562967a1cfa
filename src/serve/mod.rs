//! Stage `serve`: the HTTP JSON API and the web UI over a knowledge base.
//!
//! Read-only. Every request reads the index's latest commit, so an ingest or crawl in
//! another process shows up without a restart. Everything a client sends is checked
//! before any work (known parameters only, lengths, limits, ids) and a bad request gets
//! a 4xx with `{"error": …}`. The accept loop is ours rather than `axum::serve` so that a
//! header read timeout and a connection cap can be set: slow or idle clients cannot hold
//! the server, and at the cap the oldest connection that is not being answered is shed
//! to make room. Searches run on a bounded blocking pool under a deadline, a few at a
//! time, so memory does not grow with the number of clients. A request hyper cannot parse
//! gets the same JSON error body as every other 4xx.

mod cache;
mod download;
mod totals;
mod ui;
mod wire;

use crate::archive::{Location, Page, SnapshotId, WarcReader};
use crate::index::{Kb, KbError};
use crate::search::{self, Query, SearchError};
use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path as UrlPath, RawQuery, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Longest request target (path and query) accepted, in bytes; longer gets 414.
pub const MAX_URI: usize = 4096;
/// Largest `limit` the API accepts (the CLI's is larger).
pub const API_MAX_LIMIT: usize = 100;
/// Deepest `offset` accepted: paging past it costs more than it is worth.
pub use crate::search::MAX_OFFSET;
/// Largest request head read, in bytes; larger gets 431.
pub const MAX_HEAD: usize = 64 << 10;
/// Largest archived page served back.
const MAX_SNAPSHOT: usize = 64 << 20;
/// Parameters of the search and facts routes.
const SEARCH_PARAMS: &[&str] = &[
    "q",
    "all_versions",
    "country",
    "target",
    "platform",
    "site",
    "since",
    "until",
    "min_count",
    "object",
    "qualifier",
    "negated",
    "sort",
    "asc",
    "limit",
    "offset",
];

/// Content-Security-Policy of the UI's own pages: no script at all, styles and frames
/// from this server only.
const UI_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; frame-src 'self'; \
                      form-action 'self'; base-uri 'none'; frame-ancestors 'self'";
/// Content-Security-Policy of an archived page: sandboxed (no script, opaque origin),
/// nothing fetched from anywhere; only its inline styles and inline images render.
const SNAPSHOT_CSP: &str = "sandbox; default-src 'none'; style-src 'unsafe-inline'; \
                            img-src data:; font-src data:; frame-ancestors 'self'";

/// How `serve` runs.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// The knowledge base directory.
    pub kb: PathBuf,
    /// Where to listen.
    pub addr: SocketAddr,
    /// A client must send a request's headers within this time, or is disconnected.
    pub header_timeout: Duration,
    /// Connections open at once. At the cap the oldest that is not being answered (it
    /// has not sent a whole request, or waits between two) is shed for a newcomer; if
    /// every one is being answered, newcomers wait in the listen queue.
    pub max_connections: usize,
    /// A search that takes longer is answered 503.
    pub request_timeout: Duration,
    /// Bytes of answers kept for the current commit; 0 keeps none.
    pub cache_bytes: usize,
}

impl ServeConfig {
    /// The defaults for a knowledge base and an address.
    pub fn new(kb: PathBuf, addr: SocketAddr) -> ServeConfig {
        ServeConfig {
            kb,
            addr,
            header_timeout: Duration::from_secs(10),
            max_connections: 512,
            request_timeout: Duration::from_secs(10),
            cache_bytes: cache::DEFAULT_BYTES,
        }
    }
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The knowledge base could not be opened.
    #[error(transparent)]
    Kb(#[from] KbError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// The async runtime could not start.
    #[error("cannot start the server runtime: {0}")]
    Runtime(std::io::Error),
}

/// An answer other than success: a status and a message for the client.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// What went wrong, said to the client.
    pub message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    fn bad(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }
}

impl From<SearchError> for ApiError {
    fn from(e: SearchError) -> ApiError {
        match e {
            SearchError::Kb(k) => ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("knowledge base: {k}"),
            ),
            other => ApiError::bad(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(json!({"error": self.message}))).into_response()
    }
}

/// What every handler shares: the open knowledge base.
struct App {
    kb: Kb,
    request_timeout: Duration,
    /// Searches and renders running at once. Each holds its working set until done, and
    /// glibc keeps what a thread freed in that thread's arena: with one blocking thread
    /// per client, 500 clients of a heavy page kept gigabytes.
    workers: Arc<tokio::sync::Semaphore>,
    /// Answers of the current commit.
    cache: cache::AnswerCache,
}

/// Searches and page renders run at once: two per core, at least four.
pub fn workers() -> usize {
    std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .saturating_mul(2)
        .max(4)
}

type Shared = Arc<App>;

/// The routes (API and UI) over an open knowledge base, for serving or for calling
/// in-process, keeping answers within the default budget.
pub fn app(kb: Kb, request_timeout: Duration) -> Router {
    app_with_cache(kb, request_timeout, cache::DEFAULT_BYTES)
}

/// [`app`] keeping at most `cache_bytes` of answers per commit (0: none). A panic in a
/// handler becomes a 500 with a JSON error rather than a reset connection.
pub fn app_with_cache(kb: Kb, request_timeout: Duration, cache_bytes: usize) -> Router {
    let shared = Arc::new(App {
        kb,
        request_timeout,
        workers: Arc::new(tokio::sync::Semaphore::new(workers())),
        cache: cache::AnswerCache::new(cache_bytes),
    });
    Router::new()
        .route("/", get(ui::home))
        .route("/fact/{id}", get(ui::fact))
        .route("/claim/{id}", get(ui::claim))
        .route("/country/{country}", get(ui::country))
        .route("/verify", get(ui::verify))
        .route("/snapshot/{id}", get(ui::snapshot))
        .route("/static/app.css", get(ui::css))
        .route("/api/search", get(api_search))
        .route("/api/facts", get(api_facts))
        .route("/api/verify", get(api_verify))
        .route("/api/stats", get(api_stats))
        .route("/stats", get(totals::page))
        .route("/download/search", get(download::search_hits))
        .route("/download/facts", get(download::facts))
        .route("/download/fact/{id}", get(download::fact))
        .route("/download/stats", get(download::totals))
        .route("/api/snapshot/{id}", get(api_snapshot))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            cache::remember,
        ))
        .layer(middleware::from_fn(guard))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error while answering",
                )
                .into_response()
            },
        ))
        .with_state(shared)
}

/// Opens the knowledge base, binds, calls `ready` with the bound address, and serves
/// until the process ends.
pub fn run(cfg: ServeConfig, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let kb = Kb::open(&cfg.kb, false)?;
    let dir = cfg.kb.clone();
    std::thread::spawn(move || keep_totals_warm(&dir));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Only the work under `App::workers` runs there.
        .max_blocking_threads(workers())
        .build()
        .map_err(ServeError::Runtime)?;
    rt.block_on(async {
        let bind = |source| ServeError::Bind {
            addr: cfg.addr,
            source,
        };
        let listener = tokio::net::TcpListener::bind(cfg.addr)
            .await
            .map_err(bind)?;
        ready(listener.local_addr().map_err(bind)?);
        serve(
            listener,
            app_with_cache(kb, cfg.request_timeout, cfg.cache_bytes),
            &cfg,
        )
        .await;
        Ok(())
    })
}

/// Keeps the totals of the lists without a text counted for the knowledge base's latest
/// commit ([`search::warm`]), looking for a new commit every second on a handle of its
/// own, so that the first request after a commit does not count a million claims. Stops
/// when the knowledge base cannot be read: requests then count for themselves.
fn keep_totals_warm(dir: &std::path::Path) {
    let Ok(kb) = Kb::open(dir, false) else {
        return;
    };
    let mut seen = None;
    loop {
        let Ok(commit) = kb.commit() else {
            return;
        };
        if seen != Some(commit) {
            if search::warm(&kb).is_err() {
                return;
            }
            seen = Some(commit);
        }
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// The accept loop: at most `max_connections` connections at a time, each given
/// `header_timeout` to send every request's headers. At the cap, the oldest connection
/// that is not being answered is shed for each newcomer, so slow-header clients cannot
/// make real requests wait for their timeout.
pub async fn serve(listener: tokio::net::TcpListener, app: Router, cfg: &ServeConfig) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let permits = Arc::new(tokio::sync::Semaphore::new(cfg.max_connections.max(1)));
    let open = wire::Open::default();
    loop {
        let stream = match listener.accept().await {
            Ok((s, _)) => s,
            Err(_) => {
                // Out of file descriptors or a connection reset before accept: wait
                // rather than spin.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let permit = match permits.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(tokio::sync::TryAcquireError::Closed) => return,
            Err(tokio::sync::TryAcquireError::NoPermits) => {
                let mut shed = false;
                loop {
                    // One shed frees one place; look again only if none could be shed
                    // (every connection was being answered).
                    if !shed {
                        shed = open.shed_oldest();
                    }
                    tokio::select! {
                        p = permits.clone().acquire_owned() => match p {
                            Ok(p) => break p,
                            Err(_) => return,
                        },
                        () = tokio::time::sleep(Duration::from_millis(50)) => {}
                    }
                }
            }
        };
        let _ = stream.set_nodelay(true);
        let registered = open.add();
        let conn = registered.conn.clone();
        let app = app.clone();
        let svc =
            hyper::service::service_fn(move |req| wire::answer(app.clone(), conn.clone(), req));
        let header_timeout = cfg.header_timeout;
        tokio::spawn(async move {
            let _permit = permit;
            let conn = registered.conn.clone();
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .max_buf_size(MAX_HEAD);
            let io = TokioIo::new(wire::Wire::new(stream, conn.clone()));
            tokio::select! {
                _ = http.serve_connection(io, svc) => {}
                // Dropping the connection closes it: it had no request being answered.
                () = conn.shed.notified() => {}
            }
            drop(registered);
        });
    }
}

/// Refuses over-long targets and methods other than GET and HEAD before routing, and
/// sets the security headers every answer carries.
async fn guard(req: Request, next: Next) -> Response {
    let len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if len > MAX_URI {
        return ApiError::new(
            StatusCode::URI_TOO_LONG,
            format!("request target is {len} bytes long; at most {MAX_URI} are accepted"),
        )
        .into_response();
    }
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        let mut r = ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            format!(
                "method {} not allowed: the server is read-only",
                req.method()
            ),
        )
        .into_response();
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(UI_CSP));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    resp
}

async fn not_found(req: Request) -> Response {
    if req.uri().path().starts_with("/api/") {
        ApiError::not_found(format!("no such route {:?}", req.uri().path())).into_response()
    } else {
        ui::error_page(&ApiError::not_found("no such page")).into_response()
    }
}

/// Runs `f` on the blocking pool under the request deadline, once one of the
/// `App::workers` places is free (waiting for it counts against the deadline).
async fn blocking<T: Send + 'static>(
    app: &Shared,
    f: impl FnOnce(&Kb) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let shared = app.clone();
    let work = async move {
        let place = shared.workers.clone().acquire_owned().await;
        // The place goes with the work: a request answered 503 at its deadline does not
        // free it while its search still runs.
        tokio::task::spawn_blocking(move || {
            let _place = place;
            f(&shared.kb)
        })
        .await
    };
    match tokio::time::timeout(app.request_timeout, work).await {
        Err(_) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the request took too long; narrow it",
        )),
        Ok(Err(_)) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error while answering",
        )),
        Ok(Ok(r)) => r,
    }
}

/// The query string as a map, refusing unknown, repeated and over-long parameters.
fn params(raw: Option<&str>, allowed: &[&str]) -> Result<HashMap<String, String>, ApiError> {
    let mut out = HashMap::new();
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        if !allowed.contains(&k.as_ref()) {
            return Err(ApiError::bad(format!(
                "unknown parameter {k:?} (known: {})",
                allowed.join(", ")
            )));
        }
        let n = v.chars().count();
        if n > search::MAX_QUERY_CHARS {
            return Err(ApiError::bad(format!(
                "parameter {k} is {n} characters long; at most {} are accepted",
                search::MAX_QUERY_CHARS
            )));
        }
        if out.insert(k.to_string(), v.to_string()).is_some() {
            return Err(ApiError::bad(format!("parameter {k} is given twice")));
        }
    }
    Ok(out)
}

/// A non-empty parameter.
fn param<'a>(p: &'a HashMap<String, String>, k: &str) -> Option<&'a str> {
    p.get(k).map(|s| s.trim()).filter(|s| !s.is_empty())
}

/// A whole-number parameter.
fn number(p: &HashMap<String, String>, k: &str) -> Result<Option<u64>, ApiError> {
    param(p, k)
        .map(|v| {
            v.parse::<u64>()
                .map_err(|_| ApiError::bad(format!("{k} must be a whole number, not {v:?}")))
        })
        .transpose()
}

/// A true-or-false parameter, absent for neither.
fn flag(p: &HashMap<String, String>, k: &str) -> Result<Option<bool>, ApiError> {
    match param(p, k) {
        None => Ok(None),
        Some("false" | "0") => Ok(Some(false)),
        Some("true" | "1") => Ok(Some(true)),
        Some(other) => Err(ApiError::bad(format!(
            "{k} is true or false, not {other:?}"
        ))),
    }
}

/// The checked search query of a request's parameters.
fn search_query(p: &HashMap<String, String>) -> Result<Query, ApiError> {
    let whole = |k: &str| -> Result<Option<usize>, ApiError> {
        Ok(number(p, k)?.map(|n| usize::try_from(n).unwrap_or(usize::MAX)))
    };
    let req = search::Request {
        text: param(p, "q"),
        country: param(p, "country"),
        target: param(p, "target"),
        platform: param(p, "platform"),
        site: param(p, "site"),
        since: param(p, "since"),
        until: param(p, "until"),
        min_count: number(p, "min_count")?,
        object: param(p, "object"),
        qualifier: param(p, "qualifier"),
        negated: flag(p, "negated")?,
        sort: param(p, "sort"),
        asc: flag(p, "asc")?.unwrap_or(false),
        offset: whole("offset")?.unwrap_or(0),
        limit: whole("limit")?.unwrap_or(20),
        all_versions: flag(p, "all_versions")?.unwrap_or(false),
    };
    Ok(req.check(API_MAX_LIMIT)?)
}

/// The statement of a verify request.
fn statement(p: &HashMap<String, String>) -> Option<String> {
    param(p, "statement").map(str::to_string)
}

/// A snapshot id from the path, checked before anything touches a file.
fn snapshot_id(path: Result<UrlPath<String>, PathRejection>) -> Result<SnapshotId, ApiError> {
    let UrlPath(id) = path.map_err(|e| ApiError::bad(e.body_text()))?;
    SnapshotId::parse(&id).ok_or_else(|| {
        ApiError::bad("a snapshot id is 64 lowercase hex digits (the SHA-256 of the page)")
    })
}

/// A claim or fact id from the path: hex digits only.
fn record_id(path: Result<UrlPath<String>, PathRejection>) -> Result<String, ApiError> {
    let UrlPath(id) = path.map_err(|e| ApiError::bad(e.body_text()))?;
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ApiError::bad("an id is up to 64 hex digits"));
    }
    Ok(id.to_ascii_lowercase())
}

/// The archived page of a snapshot, with its article record.
fn load_snapshot(kb: &Kb, id: &SnapshotId) -> Result<(Value, Page), ApiError> {
    let Some(article) = search::by_id(kb, "article", id.as_str())? else {
        return Err(ApiError::not_found(format!(
            "no page with snapshot {id} in this knowledge base"
        )));
    };
    let archive = kb.archive_dir();
    let failed = |e: crate::archive::ArchiveError| {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("archive: {e}"))
    };
    let page = match serde_json::from_value::<Location>(article["archive"].clone()) {
        Ok(at) => WarcReader::read_at(&archive, &at, MAX_SNAPSHOT).map_err(failed)?,
        Err(_) => WarcReader::find(&archive, id, MAX_SNAPSHOT).map_err(failed)?,
    };
    match page {
        Some(p) if &p.snapshot == id => Ok((article, p)),
        _ => Err(ApiError::not_found(format!(
            "snapshot {id} is indexed but missing from the archive in {}",
            archive.display()
        ))),
    }
}

async fn api_search(
    State(app): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = search_query(&params(raw.as_deref(), SEARCH_PARAMS)?)?;
    let hits = blocking(&app, move |kb| Ok(search::search(kb, &q)?)).await?;
    Ok(axum::Json(hits).into_response())
}

async fn api_facts(
    State(app): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = search_query(&params(raw.as_deref(), SEARCH_PARAMS)?)?;
    let list = blocking(&app, move |kb| Ok(search::facts(kb, &q)?)).await?;
    Ok(axum::Json(list).into_response())
}

/// The checked query and grouping of a totals request (`by` defaults to year).
fn stats_params(p: &HashMap<String, String>) -> Result<(Query, Vec<crate::stats::By>), ApiError> {
    let mut q = search_query(p)?;
    q.limit = 1;
    let by = crate::stats::By::parse_list(param(p, "by").unwrap_or("year"))?;
    Ok((q, by))
}

async fn api_stats(
    State(app): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let mut allowed = SEARCH_PARAMS.to_vec();
    allowed.push("by");
    let (q, by) = stats_params(&params(raw.as_deref(), &allowed)?)?;
    let s = blocking(&app, move |kb| Ok(crate::stats::stats(kb, &q, &by)?)).await?;
    Ok(axum::Json(s).into_response())
}

async fn api_verify(
    State(app): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let p = params(raw.as_deref(), &["statement", "format", "appeared_at"])?;
    let Some(s) = statement(&p) else {
        return Err(ApiError::bad("give the statement to check as ?statement=…"));
    };
    let review = match param(&p, "format") {
        None | Some("verdict") => false,
        Some("claimreview") => true,
        Some(other) => {
            return Err(ApiError::bad(format!(
                "format is verdict or claimreview, not {other:?}"
            )));
        }
    };
    let appeared_at = param(&p, "appeared_at").map(str::to_string);
    if let Some(u) = &appeared_at
        && url::Url::parse(u).map_or(true, |u| !matches!(u.scheme(), "http" | "https"))
    {
        return Err(ApiError::bad(
            "appeared_at is the http(s) URL where the claim was made",
        ));
    }
    let v = blocking(&app, move |kb| Ok(search::verify(kb, &s)?)).await?;
    if review {
        return Ok(axum::Json(search::claim_review(&v, appeared_at.as_deref())).into_response());
    }
    Ok(axum::Json(v).into_response())
}

async fn api_snapshot(
    State(app): State<Shared>,
    path: Result<UrlPath<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    params(raw.as_deref(), &[])?;
    let id = snapshot_id(path)?;
    let (_, page) = blocking(&app, move |kb| load_snapshot(kb, &id)).await?;
    // Served as HTML whatever it claimed to be, with the archived charset if it had one.
    let ctype = page
        .content_type
        .as_deref()
        .filter(|t| t.trim().to_ascii_lowercase().starts_with("text/html"))
        .and_then(|t| HeaderValue::from_str(t.trim()).ok())
        .unwrap_or(HeaderValue::from_static("text/html"));
    let mut r = page.payload.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, ctype);
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(SNAPSHOT_CSP),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    Ok(r)
}
