//! What a crawl keeps between runs: validators for conditional requests, the frontier and
//! the URLs done of a crawl in progress, robots.txt answers for a day. Written atomically
//! with every commit, so a killed crawl resumes where its last commit left it.

use super::CrawlError;
use super::schedule::Job;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What is saved between runs.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct State {
    /// URL → (ETag, Last-Modified).
    pub(super) validators: BTreeMap<String, (Option<String>, Option<String>)>,
    /// Jobs not done when the state was saved.
    pub(super) frontier: Vec<Job>,
    /// URLs done in the crawl in progress.
    pub(super) done: Vec<String>,
    /// Whether the last crawl ran to its end.
    pub(super) complete: bool,
    /// Host → robots.txt as last fetched, kept for a day.
    #[serde(default)]
    pub(super) robots: BTreeMap<String, CachedRobots>,
}

/// A robots.txt answer kept between runs (an empty body stands for "no robots.txt").
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct CachedRobots {
    /// When it was fetched, in Unix seconds.
    pub(super) fetched: i64,
    pub(super) body: String,
}

/// How long a robots.txt answer is trusted.
pub(super) const ROBOTS_TTL_SECS: i64 = 24 * 3600;

fn state_path(kb: &Path) -> PathBuf {
    kb.join("crawl").join("state.json")
}

/// The saved state. It is written atomically, so a crash leaves the old or the new one;
/// one that does not parse all the same (a disk fault, an edit) is moved aside, said in
/// `notes`, and the crawl starts over from the knowledge base, which still recognises
/// every stored page by its snapshot.
pub(super) fn load_state(kb: &Path, notes: &mut Vec<String>) -> State {
    let path = state_path(kb);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return State::default();
    };
    match serde_json::from_str(&text) {
        Ok(s) => s,
        Err(e) => {
            let aside = path.with_extension("json.unreadable");
            let moved = std::fs::rename(&path, &aside).is_ok();
            notes.push(format!(
                "crawl state {} could not be read ({e}); {}starting from the knowledge base alone",
                path.display(),
                if moved {
                    format!("kept as {}, ", aside.display())
                } else {
                    String::new()
                }
            ));
            State::default()
        }
    }
}

/// The state as saved: borrowed, so that a checkpoint copies nothing of the frontier.
#[derive(Serialize)]
pub(super) struct StateView<'a> {
    pub(super) validators: &'a BTreeMap<String, (Option<String>, Option<String>)>,
    pub(super) frontier: Vec<&'a Job>,
    pub(super) done: &'a [String],
    pub(super) complete: bool,
    pub(super) robots: &'a BTreeMap<String, CachedRobots>,
}

/// Writes the state atomically (temporary file, then rename), streaming the JSON.
pub(super) fn save_state(kb: &Path, state: &StateView) -> Result<(), CrawlError> {
    let path = state_path(kb);
    let io = |source| CrawlError::State {
        path: path.clone(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let tmp = path.with_extension("json.tmp");
    let file = std::fs::File::create(&tmp).map_err(io)?;
    let mut out = std::io::BufWriter::new(file);
    serde_json::to_writer(&mut out, state).map_err(|e| io(e.into()))?;
    out.into_inner()
        .map_err(|e| io(e.into_error()))?
        .sync_data()
        .map_err(io)?;
    std::fs::rename(&tmp, &path).map_err(io)?;
    // The rename itself is durable only once the directory is synced.
    if let Some(dir) = path.parent()
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(())
}
