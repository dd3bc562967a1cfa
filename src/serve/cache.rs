//! Answers kept per commit: the knowledge base only changes at a commit, and the
//! questions people ask repeat (the front page, a country, a year, a statement going
//! round), so each answer is computed once per commit and served from memory after.
//!
//! The commit is read on every request (the index's `meta.json`), so an ingest in
//! another process is seen by the next request and every kept answer of the old commit
//! is dropped then. Concurrent asks of one answer wait for the first to finish rather
//! than computing it each. Memory is bounded: the kept answers' bytes stay under the
//! budget, least recently used out first, and no single answer takes more than a
//! sixteenth of it. Each answer carries an `ETag` of its commit and request, so a client
//! that sends it back in `If-None-Match` gets `304 Not Modified` without a body.

use super::{ApiError, Shared};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// The default budget of kept answers, in bytes.
pub const DEFAULT_BYTES: usize = 64 << 20;

/// An answer as kept: what it takes to send it again.
#[derive(Clone)]
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Answer {
    /// Bytes it holds, its request's key included.
    fn weight(&self, key: &str) -> usize {
        let headers: usize = self
            .headers
            .iter()
            .map(|(k, v)| k.as_str().len() + v.len())
            .sum();
        self.body.len() + headers + key.len() + 64
    }

    fn response(&self) -> Response {
        let mut r = Response::new(Body::from(self.body.clone()));
        *r.status_mut() = self.status;
        *r.headers_mut() = self.headers.clone();
        r
    }
}

/// One request's place: filled by the first ask, shared by the asks made meanwhile.
struct Slot {
    answer: OnceCell<Answer>,
    /// When it was last served, on the cache's clock.
    used: AtomicU64,
    /// Its weight once filled and counted, 0 before.
    weight: AtomicU64,
}

/// The kept answers of one commit.
struct Kept {
    commit: u64,
    slots: HashMap<String, Arc<Slot>>,
    bytes: usize,
}

/// Answers kept per commit, within a byte budget.
pub struct AnswerCache {
    budget: usize,
    clock: AtomicU64,
    kept: Mutex<Kept>,
}

impl AnswerCache {
    /// A cache holding at most `budget` bytes of answers; 0 keeps nothing.
    pub fn new(budget: usize) -> AnswerCache {
        AnswerCache {
            budget,
            clock: AtomicU64::new(0),
            kept: Mutex::new(Kept {
                commit: 0,
                slots: HashMap::new(),
                bytes: 0,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        // A panic while holding the lock leaves at worst a stale count: start over.
        self.kept.lock().unwrap_or_else(|p| {
            let mut k = p.into_inner();
            k.slots.clear();
            k.bytes = 0;
            k
        })
    }

    /// The place of `key` on `commit`, made if new; a new commit drops every answer.
    fn slot(&self, commit: u64, key: &str) -> Arc<Slot> {
        let now = self.clock.fetch_add(1, Ordering::Relaxed);
        let mut kept = self.lock();
        if kept.commit != commit {
            kept.commit = commit;
            kept.slots.clear();
            kept.bytes = 0;
        }
        let slot = kept
            .slots
            .entry(key.to_string())
            .or_insert_with(|| {
                Arc::new(Slot {
                    answer: OnceCell::new(),
                    used: AtomicU64::new(now),
                    weight: AtomicU64::new(0),
                })
            })
            .clone();
        slot.used.store(now, Ordering::Relaxed);
        slot
    }

    /// Counts a filled answer against the budget, or forgets it when it cannot fit;
    /// then drops the least recently used answers until the budget holds.
    fn charge(&self, commit: u64, key: &str, slot: &Arc<Slot>, weight: usize) {
        let mut kept = self.lock();
        let ours =
            kept.commit == commit && kept.slots.get(key).is_some_and(|s| Arc::ptr_eq(s, slot));
        // Asks that waited for the same answer all come here; count it once.
        if !ours || slot.weight.load(Ordering::Relaxed) > 0 {
            return;
        }
        if weight > self.budget / 16 {
            kept.slots.remove(key);
            return;
        }
        slot.weight.store(weight as u64, Ordering::Relaxed);
        kept.bytes += weight;
        while kept.bytes > self.budget {
            let oldest = kept
                .slots
                .iter()
                .filter(|(_, s)| s.weight.load(Ordering::Relaxed) > 0)
                .min_by_key(|(_, s)| s.used.load(Ordering::Relaxed))
                .map(|(k, _)| k.clone());
            let Some(k) = oldest else { break };
            if let Some(s) = kept.slots.remove(&k) {
                kept.bytes = kept
                    .bytes
                    .saturating_sub(s.weight.load(Ordering::Relaxed) as usize);
            }
        }
    }

    /// Answers kept now and the bytes they hold.
    #[cfg(test)]
    fn usage(&self) -> (usize, usize) {
        let kept = self.lock();
        let filled = kept
            .slots
            .values()
            .filter(|s| s.weight.load(Ordering::Relaxed) > 0)
            .count();
        (filled, kept.bytes)
    }
}

/// Whether a path's answers are kept: everything computed from the index. Archived
/// pages and the style sheet are read as they are and would only crowd the budget.
fn kept_path(path: &str) -> bool {
    !(path.starts_with("/snapshot/")
        || path.starts_with("/api/snapshot/")
        || path.starts_with("/static/"))
}

/// The entity tag of an answer: its commit and request.
fn etag(commit: u64, key: &str) -> HeaderValue {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut h);
    let tag = format!("\"{commit:016x}-{:016x}\"", h.finish());
    // Hex digits, dashes and quotes only: always a valid header value.
    HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// Whether the client already holds this answer.
fn fresh(req_headers: &HeaderMap, tag: &HeaderValue) -> bool {
    req_headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || t.trim().as_bytes() == tag.as_bytes())
}

fn not_modified(tag: HeaderValue) -> Response {
    let mut r = StatusCode::NOT_MODIFIED.into_response();
    r.headers_mut().insert(header::ETAG, tag);
    r
}

/// The middleware: serves a kept answer of the current commit, or computes, keeps and
/// serves it. Only successful GET answers are kept; errors are computed each time.
pub(super) async fn remember(State(app): State<Shared>, req: Request, next: Next) -> Response {
    if app.cache.budget == 0 || req.method() != Method::GET || !kept_path(req.uri().path()) {
        return next.run(req).await;
    }
    let key = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.uri().path().to_string(), |p| p.as_str().to_string());
    let kb_app = app.clone();
    let commit = match tokio::task::spawn_blocking(move || kb_app.kb.commit()).await {
        Ok(Ok(c)) => c,
        Ok(Err(e)) => return ApiError::from(crate::search::SearchError::from(e)).into_response(),
        Err(_) => {
            return ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error while answering",
            )
            .into_response();
        }
    };
    let tag = etag(commit, &key);
    if fresh(req.headers(), &tag) {
        return not_modified(tag);
    }
    let slot = app.cache.slot(commit, &key);
    if let Some(a) = slot.answer.get() {
        return a.response();
    }
    let filled = slot
        .answer
        .get_or_try_init(|| async {
            let r = next.run(req).await;
            if r.status() != StatusCode::OK {
                return Err(r);
            }
            let (mut parts, body) = r.into_parts();
            match axum::body::to_bytes(body, usize::MAX).await {
                Ok(body) => {
                    parts.headers.insert(header::ETAG, tag.clone());
                    parts
                        .headers
                        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
                    Ok(Answer {
                        status: parts.status,
                        headers: parts.headers,
                        body,
                    })
                }
                Err(_) => Err(ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error while answering",
                )
                .into_response()),
            }
        })
        .await;
    match filled {
        Ok(a) => {
            let out = a.response();
            if slot.weight.load(Ordering::Relaxed) == 0 {
                app.cache.charge(commit, &key, &slot, a.weight(&key));
            }
            out
        }
        Err(r) => r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(c: &AnswerCache, commit: u64, key: &str, bytes: usize) -> Arc<Slot> {
        let s = c.slot(commit, key);
        let a = Answer {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from(vec![b'x'; bytes]),
        };
        let w = a.weight(key);
        assert!(s.answer.set(a).is_ok());
        c.charge(commit, key, &s, w);
        s
    }

    #[test]
    fn the_least_recently_used_answer_goes_first_when_the_budget_is_full() {
        let c = AnswerCache::new(16_000);
        fill(&c, 1, "/a", 600);
        fill(&c, 1, "/b", 600);
        c.slot(1, "/a"); // /a served again: /b is now the oldest
        for i in 0..30 {
            fill(&c, 1, &format!("/n{i}"), 600);
        }
        let (n, bytes) = c.usage();
        assert!(bytes <= 16_000, "{bytes} bytes kept");
        assert!(n < 32, "{n} answers kept");
        let kept = c.lock();
        assert!(!kept.slots.contains_key("/b"));
        assert!(kept.slots.contains_key("/n29"));
    }

    #[test]
    fn a_new_commit_drops_every_answer_of_the_old_one() {
        let c = AnswerCache::new(1 << 20);
        fill(&c, 1, "/a", 100);
        assert_eq!(c.usage().0, 1);
        let s = c.slot(2, "/a");
        assert!(
            s.answer.get().is_none(),
            "an old commit's answer was served"
        );
        assert_eq!(c.usage(), (0, 0));
    }

    #[test]
    fn an_answer_over_a_sixteenth_of_the_budget_is_not_kept() {
        let c = AnswerCache::new(16_000);
        fill(&c, 1, "/big", 2_000);
        assert_eq!(c.usage(), (0, 0));
    }

    #[test]
    fn if_none_match_recognises_the_tag_among_several() {
        let tag = etag(7, "/api/search");
        let mut h = HeaderMap::new();
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(&format!("\"x\", {}", tag.to_str().unwrap_or(""))).unwrap(),
        );
        assert!(fresh(&h, &tag));
        assert!(!fresh(&h, &etag(8, "/api/search")));
        assert!(!fresh(&HeaderMap::new(), &tag));
    }
}
