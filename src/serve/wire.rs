//! What the accept loop needs below the router: which connections are in the middle of
//! an answer (the others may be shed when the connection cap is reached), and the JSON
//! error body in place of hyper's bare answer to a request it could not parse.

use axum::body::{Body, Bytes};
use axum::http;
use std::collections::BTreeMap;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, ready};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Waiting for a request, or for the rest of one.
const WAITING: u8 = 0;
/// A request is being answered: never shed.
const ANSWERING: u8 = 1;
/// Chosen to make room; its task drops it.
const SHED: u8 = 2;

/// One connection as the accept loop sees it.
#[derive(Default)]
pub(super) struct Conn {
    state: AtomicU8,
    /// Told when the connection is shed.
    pub(super) shed: tokio::sync::Notify,
}

impl Conn {
    /// A request has arrived whole; false if the connection was shed first.
    fn begin(&self) -> bool {
        self.state
            .compare_exchange(WAITING, ANSWERING, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    fn end(&self) {
        let _ =
            self.state
                .compare_exchange(ANSWERING, WAITING, Ordering::AcqRel, Ordering::Acquire);
    }

    fn answering(&self) -> bool {
        self.state.load(Ordering::Acquire) == ANSWERING
    }

    /// Sheds the connection if it is not answering; the compare-and-swap settles a race
    /// with a request that completes at the same moment.
    fn try_shed(&self) -> bool {
        let shed = self
            .state
            .compare_exchange(WAITING, SHED, Ordering::AcqRel, Ordering::Acquire)
            .is_ok();
        if shed {
            self.shed.notify_one();
        }
        shed
    }
}

/// The open connections, by accept order.
#[derive(Clone, Default)]
pub(super) struct Open {
    conns: Arc<Mutex<BTreeMap<u64, Arc<Conn>>>>,
    next: Arc<std::sync::atomic::AtomicU64>,
}

/// A connection's place in [`Open`], given up when dropped.
pub(super) struct Registered {
    open: Open,
    id: u64,
    /// The connection.
    pub(super) conn: Arc<Conn>,
}

impl Drop for Registered {
    fn drop(&mut self) {
        self.open
            .conns
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.id);
    }
}

impl Open {
    /// Registers a newly accepted connection.
    pub(super) fn add(&self) -> Registered {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let conn = Arc::new(Conn::default());
        self.conns
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, conn.clone());
        Registered {
            open: self.clone(),
            id,
            conn,
        }
    }

    /// Sheds the oldest connection that is not answering a request; false if every one
    /// is. Oldest first: a slow-header client has had the longest to finish its request,
    /// and a newcomer about to send a whole one is spared.
    pub(super) fn shed_oldest(&self) -> bool {
        self.conns
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .any(|c| c.try_shed())
    }
}

/// The router's answer, marked as answering until hyper has taken all of its body.
pub(super) async fn answer<B>(
    app: axum::Router,
    conn: Arc<Conn>,
    req: http::Request<B>,
) -> Result<http::Response<Answering>, io::Error>
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    use tower::ServiceExt;
    if !conn.begin() {
        return Err(io::Error::other("connection shed to make room"));
    }
    let resp = match app.oneshot(req.map(Body::new)).await {
        Ok(r) => r,
        Err(never) => match never {},
    };
    Ok(resp.map(|inner| Answering { inner, conn }))
}

/// A response body that ends its connection's answering state when dropped (hyper drops
/// it once the last byte is taken, or when the connection goes).
pub(super) struct Answering {
    inner: Body,
    conn: Arc<Conn>,
}

impl Drop for Answering {
    fn drop(&mut self) {
        self.conn.end();
    }
}

impl http_body::Body for Answering {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// The socket, with hyper's bare answer to an unparsable request (a status line and
/// `content-length: 0`, written before any request reached the router) replaced by the
/// JSON error body every other 4xx has. Hyper gives no hook for that answer.
pub(super) struct Wire<S> {
    io: S,
    conn: Arc<Conn>,
    /// The replacement and how much of it is written.
    replaced: Option<(Vec<u8>, usize)>,
}

impl<S: AsyncWrite + Unpin> Wire<S> {
    pub(super) fn new(io: S, conn: Arc<Conn>) -> Wire<S> {
        Wire {
            io,
            conn,
            replaced: None,
        }
    }

    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some((bytes, at)) = &mut self.replaced {
            while *at < bytes.len() {
                let n = ready!(Pin::new(&mut self.io).poll_write(cx, &bytes[*at..]))?;
                if n == 0 {
                    return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
                }
                *at += n;
            }
        }
        Poll::Ready(Ok(()))
    }

    /// Whether `first` (the start of a write) is hyper's bare error answer; if so it is
    /// replaced, and the write is taken as done.
    fn replace(&mut self, first: &[u8], cx: &mut Context<'_>) -> bool {
        if self.replaced.is_some() || self.conn.answering() {
            return false;
        }
        let Some(json) = json_error_for(first) else {
            return false;
        };
        self.replaced = Some((json, 0));
        // Whatever is left is written by flush or shutdown, which hyper calls next.
        let _ = self.drain(cx);
        true
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Wire<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Wire<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.replace(buf, cx) {
            return Poll::Ready(Ok(buf.len()));
        }
        ready!(this.drain(cx))?;
        Pin::new(&mut this.io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let first = bufs.iter().find(|b| !b.is_empty()).map_or(&[][..], |b| b);
        if this.replace(first, cx) {
            return Poll::Ready(Ok(bufs.iter().map(|b| b.len()).sum()));
        }
        ready!(this.drain(cx))?;
        Pin::new(&mut this.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        Pin::new(&mut this.io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        Pin::new(&mut this.io).poll_shutdown(cx)
    }
}

/// The JSON answer in place of hyper's bare one, if `head` is one: a whole 4xx head
/// with an empty body and no content type (every answer of the router has a body).
fn json_error_for(head: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(head).ok()?;
    if text.len() > 512 || !text.ends_with("\r\n\r\n") {
        return None;
    }
    let mut lines = text.trim_end().split("\r\n");
    let status_line = lines.next()?;
    let code: u16 = status_line
        .strip_prefix("HTTP/1.1 ")?
        .get(..3)?
        .parse()
        .ok()?;
    let others: Vec<&str> = lines.collect();
    let named = |name: &str| {
        others
            .iter()
            .any(|l| l.to_ascii_lowercase().starts_with(name))
    };
    if !(400..500).contains(&code)
        || !others
            .iter()
            .any(|l| l.eq_ignore_ascii_case("content-length: 0"))
        || named("content-type:")
    {
        return None;
    }
    let message = match code {
        400 => "malformed request: the request line or a header is not valid HTTP/1.1 \
                (such as Content-Length given twice, a header folded over lines, or a \
                control character in a header)"
            .to_string(),
        414 => format!(
            "request target too long: at most {} bytes are accepted",
            super::MAX_URI
        ),
        431 => format!(
            "request headers too large: at most {} KiB are read",
            super::MAX_HEAD >> 10
        ),
        _ => "malformed request".to_string(),
    };
    let body = serde_json::json!({ "error": message }).to_string();
    let mut out = format!(
        "{status_line}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         content-security-policy: {}\r\nx-content-type-options: nosniff\r\n\
         referrer-policy: no-referrer\r\nx-frame-options: SAMEORIGIN\r\n",
        body.len(),
        super::UI_CSP
    );
    for l in others
        .iter()
        .filter(|l| !l.to_ascii_lowercase().starts_with("content-length:"))
    {
        out.push_str(l);
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    out.push_str(&body);
    Some(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_bare_4xx_head_is_replaced() {
        let bare = b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\ndate: Mon, 07 Dec 2026 03:41:50 GMT\r\n\r\n";
        let out = String::from_utf8(json_error_for(bare).unwrap_or_default()).unwrap_or_default();
        assert!(out.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{out}");
        assert!(out.contains("content-type: application/json\r\n"), "{out}");
        assert!(out.contains("connection: close\r\n"), "{out}");
        let (head, body) = out.split_once("\r\n\r\n").unwrap_or_default();
        assert!(head.contains(&format!("content-length: {}\r\n", body.len())));
        assert!(!head.contains("content-length: 0"));
        let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
        assert!(v["error"].as_str().is_some_and(|m| m.contains("malformed")));
        // The router's answers always carry a body and a type: never touched.
        assert!(json_error_for(b"HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: 0\r\n\r\n").is_none());
        assert!(json_error_for(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").is_none());
        assert!(
            json_error_for(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 12\r\n\r\n").is_none()
        );
        assert!(json_error_for(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n").is_none());
    }
}
