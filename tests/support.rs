//! Shared helpers for the integration tests: where the shared data is, and the
//! benchmark's scoring metric.

use std::collections::HashMap;
use std::path::PathBuf;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether `got` is the golden file's text, byte for byte; with `TAKEDOWNS_BLESS` set a
/// differing golden file is rewritten (after review) and counts as matching.
pub fn matches_golden(golden: &std::path::Path, got: &str) -> bool {
    if std::fs::read_to_string(golden).is_ok_and(|want| want == got) {
        return true;
    }
    if std::env::var_os("TAKEDOWNS_BLESS").is_some() {
        std::fs::write(golden, got).expect("write golden");
        return true;
    }
    false
}

/// `../shared/<rel>` if present; otherwise prints loudly that the caller skips.
pub fn shared(rel: &str, test: &str) -> Option<PathBuf> {
    let p = root().join("..").join("shared").join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("SKIPPED {test}: {} is absent", p.display());
        None
    }
}

/// `\w+` tokens, as the benchmark's Python scorer finds them (Unicode word characters).
pub fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        let w = c.is_alphanumeric() || c == '_' || is_mark(c);
        match (w, start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                out.push(&s[st..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push(&s[st..]);
    }
    out
}

fn is_mark(c: char) -> bool {
    // Combining marks count as word characters in Python's \w.
    matches!(c as u32, 0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A | 0x064B..=0x065F | 0x0900..=0x0903 | 0x093A..=0x094F)
}

/// 4-token shingles as a multiset; 1–3 tokens are one shingle.
fn shingles<'a>(toks: &[&'a str]) -> HashMap<Vec<&'a str>, usize> {
    let mut m = HashMap::new();
    if toks.is_empty() {
        return m;
    }
    if toks.len() < 4 {
        *m.entry(toks.to_vec()).or_default() += 1;
        return m;
    }
    for w in toks.windows(4) {
        *m.entry(w.to_vec()).or_default() += 1;
    }
    m
}

/// Per-page (precision, recall), each None where undefined.
pub fn page_pr(pred: &str, truth: &str) -> (Option<f64>, Option<f64>) {
    let (pt, tt) = (tokens(pred), tokens(truth));
    let (ps, ts) = (shingles(&pt), shingles(&tt));
    let mut tp = 0usize;
    for (k, &c) in &ps {
        tp += c.min(ts.get(k).copied().unwrap_or(0));
    }
    let np: usize = ps.values().sum();
    let nt: usize = ts.values().sum();
    let (fp, fn_) = (np - tp, nt - tp);
    if fp == 0 && fn_ == 0 {
        return (Some(1.0), Some(1.0));
    }
    let p = (np > 0).then(|| tp as f64 / np as f64);
    let r = (nt > 0).then(|| tp as f64 / nt as f64);
    (p, r)
}

/// (F1, precision, recall) over pages, as the benchmark averages them.
pub fn corpus_f1(pairs: &[(String, String)]) -> (f64, f64, f64) {
    let (mut ps, mut rs) = (Vec::new(), Vec::new());
    for (pred, truth) in pairs {
        let (p, r) = page_pr(pred, truth);
        ps.extend(p);
        rs.extend(r);
    }
    let p = ps.iter().sum::<f64>() / ps.len().max(1) as f64;
    let r = rs.iter().sum::<f64>() / rs.len().max(1) as f64;
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (f1, p, r)
}

/// A pinned floor from `tests/baseline.json`.
pub fn baseline(key: &str) -> f64 {
    let text = std::fs::read_to_string(root().join("tests/baseline.json")).unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    v.get(key)
        .and_then(serde_json::Value::as_f64)
        .unwrap_or_else(|| panic!("tests/baseline.json lacks {key}"))
}

#[test]
fn metric_matches_the_definition() {
    assert_eq!(
        tokens("It's 2,617 — accounts_x é"),
        vec!["It", "s", "2", "617", "accounts_x", "é"]
    );
    assert_eq!(page_pr("a b c d e", "a b c d e"), (Some(1.0), Some(1.0)));
    assert_eq!(page_pr("", ""), (Some(1.0), Some(1.0)));
    let (p, r) = page_pr("a b c d x", "a b c d e f");
    assert_eq!(p, Some(0.5));
    assert_eq!(r, Some(1.0 / 3.0));
    assert_eq!(page_pr("", "a b c d"), (None, Some(0.0)));
}

/// Serves the router `make` builds for a free port of 127.0.0.1 (given its address), on a
/// thread and runtime of its own, alive until the test process ends.
pub fn serve_loopback(make: impl FnOnce(std::net::SocketAddr) -> axum::Router) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    let app = make(addr);
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let _ = axum::serve(listener, app).await;
        });
    });
}
