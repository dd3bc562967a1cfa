//! Fetching: one GET per job through the guarded client (no redirects followed here, the
//! scheduler queues each hop), the body streamed up to its cap, what came back kept as
//! it came for the archive.

use super::guard::{GuardError, GuardedResolver};
use super::schedule::Job;
use super::{CrawlConfig, CrawlError, USER_AGENT};
use futures_util::StreamExt;
use std::sync::Arc;
use std::time::Duration;

/// The result of one request: status, the headers that matter, the body as far as it
/// came, and either error that stopped it.
pub(super) struct Fetched {
    pub(super) job: Job,
    pub(super) url: url::Url,
    pub(super) status: u16,
    pub(super) head: String,
    pub(super) content_type: Option<String>,
    pub(super) location: Option<String>,
    pub(super) etag: Option<String>,
    pub(super) last_modified: Option<String>,
    pub(super) retry_after: Option<Duration>,
    pub(super) body: Vec<u8>,
    pub(super) truncated: bool,
    pub(super) error: Option<String>,
    /// The guard's verdict when it (or its resolver) stopped the request.
    pub(super) guard: Option<GuardError>,
    pub(super) request_head: String,
}

pub(super) fn client(cfg: &CrawlConfig) -> Result<reqwest::Client, CrawlError> {
    // rustls with the ring provider: no C toolchain needed for TLS.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(cfg.connect_timeout)
        .timeout(cfg.timeout)
        .pool_max_idle_per_host(1)
        .dns_resolver(Arc::new(GuardedResolver(Arc::new(cfg.policy.clone()))))
        .build()
        .map_err(|e| CrawlError::Setup(e.to_string()))
}

pub(super) async fn fetch(
    client: reqwest::Client,
    job: Job,
    url: url::Url,
    validators: Option<(Option<String>, Option<String>)>,
    max_body: usize,
) -> Fetched {
    let mut req = client.get(url.clone());
    let mut request_head = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: {USER_AGENT}\r\n",
        url.path(),
        url.host_str().unwrap_or("")
    );
    if let Some((etag, modified)) = validators {
        if let Some(e) = etag {
            req = req.header("If-None-Match", e.clone());
            request_head.push_str(&format!("If-None-Match: {e}\r\n"));
        }
        if let Some(m) = modified {
            req = req.header("If-Modified-Since", m.clone());
            request_head.push_str(&format!("If-Modified-Since: {m}\r\n"));
        }
    }
    request_head.push_str("\r\n");
    let mut out = Fetched {
        job,
        url,
        status: 0,
        head: String::new(),
        content_type: None,
        location: None,
        etag: None,
        last_modified: None,
        retry_after: None,
        body: Vec::new(),
        truncated: false,
        error: None,
        guard: None,
        request_head,
    };
    let resp = match req.send().await {
        Ok(r) => r,
        Err(e) => {
            out.error = Some(error_chain(&e));
            out.guard = GuardError::in_chain(&e).cloned();
            return out;
        }
    };
    out.status = resp.status().as_u16();
    let h = resp.headers();
    let get = |k: &str| h.get(k).and_then(|v| v.to_str().ok()).map(str::to_string);
    out.content_type = get("content-type");
    out.location = get("location");
    out.etag = get("etag");
    out.last_modified = get("last-modified");
    out.retry_after = get("retry-after").and_then(|v| retry_after(&v, chrono::Utc::now()));
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        out.status,
        resp.status().canonical_reason().unwrap_or("")
    );
    for (k, v) in h {
        head.push_str(&format!("{}: {}\r\n", k.as_str(), v.to_str().unwrap_or("")));
    }
    head.push_str("\r\n");
    out.head = head;
    let mut stream = resp.bytes_stream();
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(b) => {
                let room = max_body.saturating_sub(out.body.len());
                if b.len() > room {
                    out.body.extend_from_slice(&b[..room]);
                    out.truncated = true;
                    break;
                }
                out.body.extend_from_slice(&b);
            }
            Err(e) => {
                // A body cut short (deadline, reset) is kept as far as it came, marked.
                out.error = Some(error_chain(&e));
                out.truncated = true;
                break;
            }
        }
    }
    out
}

/// A Retry-After value, in seconds or as an HTTP date (a date in the past means now).
pub(super) fn retry_after(v: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let v = v.trim();
    if let Ok(s) = v.parse::<u64>() {
        return Some(Duration::from_secs(s));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let secs = (when.with_timezone(&chrono::Utc) - now)
        .num_seconds()
        .max(0);
    Some(Duration::from_secs(secs as u64))
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(x) = src {
        let t = x.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        src = x.source();
    }
    s
}
