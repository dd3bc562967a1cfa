//! The demo knowledge base that `takedowns build` makes from `fixtures/`, and the guard
//! that keeps a rebuild from deleting anything `build` did not make.
//!
//! A rebuild removes `archive/` and `tantivy/` and starts again. That is only safe when
//! the folder holds exactly what the last build left there, so a build records what it
//! made (a manifest in [`MARK`]): the archive files with their sizes, and nothing else at
//! the top of the folder. A folder with anything more (a user's file, pages added by
//! `ingest` or `crawl`, a crawl state) is refused with what to do instead.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file that marks a knowledge base as made by `build`, holding its manifest.
pub const MARK: &str = "BUILT-FROM-FIXTURES";

/// Files a repository keeps in its default KB folder (`index/`): never made by `build`,
/// never removed by it, and no reason to refuse.
const KEPT: &[&str] = &["README.md", ".gitignore", ".gitkeep"];

/// What a finished build left in its folder.
#[derive(Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    /// Who wrote it, for a person who opens the file.
    pub note: String,
    /// Whether the build finished; a build that was stopped leaves `false`.
    pub complete: bool,
    /// Each archive file's name and size when the build finished.
    pub archive: BTreeMap<String, u64>,
}

/// Why a folder cannot be (re)built.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The folder holds things `build` did not make.
    #[error(
        "{kb} holds {what}, which `build` did not make; `build` starts from scratch and would delete it. \
         To add pages to this knowledge base use `takedowns ingest --kb {kb} …`; to build the demo, \
         pick an empty or new folder: `takedowns build --kb NEW_DIR`"
    )]
    NotOurs {
        /// The folder.
        kb: String,
        /// What was found.
        what: String,
    },
    /// The folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DemoError + '_ {
    move |source| DemoError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Checks that `kb` may be built into: missing, empty, or holding exactly what the last
/// build made. Nothing is changed.
pub fn check_rebuildable(kb: &Path) -> Result<(), DemoError> {
    let not_ours = |what: String| DemoError::NotOurs {
        kb: kb.display().to_string(),
        what,
    };
    let Ok(rd) = std::fs::read_dir(kb) else {
        return if kb.exists() {
            Err(not_ours("something that is not a folder".into()))
        } else {
            Ok(())
        };
    };
    let mut entries = Vec::new();
    for e in rd {
        let e = e.map_err(io(kb))?;
        let name = e.file_name().to_string_lossy().into_owned();
        if !KEPT.contains(&name.as_str()) {
            entries.push(name);
        }
    }
    if entries.is_empty() {
        return Ok(());
    }
    let manifest = match std::fs::read_to_string(kb.join(MARK)) {
        Ok(text) => serde_json::from_str::<Manifest>(&text).unwrap_or_default(),
        Err(_) => {
            entries.sort();
            return Err(not_ours(format!("files ({})", list(&entries))));
        }
    };
    let foreign: Vec<String> = entries
        .into_iter()
        // `tantivy.new-PID`: an index a killed process was making (see `Kb::open`).
        .filter(|n| {
            !matches!(n.as_str(), MARK | "archive" | "tantivy")
                && !n.starts_with(crate::index::INDEX_IN_MAKING)
        })
        .collect();
    if !foreign.is_empty() {
        return Err(not_ours(list(&foreign)));
    }
    check_tantivy(&kb.join("tantivy")).map_err(not_ours)?;
    if manifest.complete {
        let now = archive_files(&kb.join("archive"))?;
        if now != manifest.archive {
            return Err(not_ours(archive_change(&manifest.archive, &now)));
        }
    }
    Ok(())
}

/// Only tantivy's own files may be in `tantivy/`: a user's file there would be deleted.
fn check_tantivy(dir: &Path) -> Result<(), String> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let foreign: Vec<String> = rd
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !is_tantivy_file(n))
        .collect();
    if foreign.is_empty() {
        Ok(())
    } else {
        Err(format!("tantivy/{}", list(&foreign)))
    }
}

/// Names tantivy writes: meta.json, .managed.json, lock files, and segment files named
/// by a 32-hex-digit id.
fn is_tantivy_file(name: &str) -> bool {
    if matches!(name, "meta.json" | ".managed.json") || name.starts_with(".tantivy-") {
        return true;
    }
    let stem = name.split('.').next().unwrap_or("");
    stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The archive's files and sizes.
fn archive_files(dir: &Path) -> Result<BTreeMap<String, u64>, DemoError> {
    let mut out = BTreeMap::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Ok(out);
    };
    for e in rd {
        let e = e.map_err(io(dir))?;
        let size = e.metadata().map_err(io(&e.path()))?.len();
        out.insert(e.file_name().to_string_lossy().into_owned(), size);
    }
    Ok(out)
}

fn archive_change(then: &BTreeMap<String, u64>, now: &BTreeMap<String, u64>) -> String {
    let added: Vec<&String> = now.keys().filter(|k| !then.contains_key(*k)).collect();
    let grown: Vec<&String> = now
        .iter()
        .filter(|(k, v)| then.get(*k).is_some_and(|t| t != *v))
        .map(|(k, _)| k)
        .collect();
    let gone = then.keys().filter(|k| !now.contains_key(*k)).count();
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!(
            "{} archive file(s) added since it was built",
            added.len()
        ));
    }
    if !grown.is_empty() {
        parts.push(format!(
            "{} archive file(s) changed since it was built",
            grown.len()
        ));
    }
    if gone > 0 {
        parts.push(format!("{gone} archive file(s) missing"));
    }
    format!("pages added by ingest or crawl ({})", parts.join(", "))
}

fn list(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(5).map(String::as_str).collect();
    let more = names.len().saturating_sub(shown.len());
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// Clears a checked folder for a build and marks it as being built.
pub fn start(kb: &Path) -> Result<(), DemoError> {
    check_rebuildable(kb)?;
    let half_made = std::fs::read_dir(kb)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(crate::index::INDEX_IN_MAKING));
    let subs: Vec<String> = ["tantivy".to_string(), "archive".to_string()]
        .into_iter()
        .chain(half_made)
        .collect();
    for sub in subs {
        let d = kb.join(sub);
        if d.exists() {
            std::fs::remove_dir_all(&d).map_err(io(&d))?;
        }
    }
    std::fs::create_dir_all(kb).map_err(io(kb))?;
    write_mark(kb, &Manifest::default())
}

/// Records what a finished build made.
pub fn finish(kb: &Path) -> Result<(), DemoError> {
    let manifest = Manifest {
        complete: true,
        archive: archive_files(&kb.join("archive"))?,
        ..Manifest::default()
    };
    write_mark(kb, &manifest)
}

fn write_mark(kb: &Path, m: &Manifest) -> Result<(), DemoError> {
    let m = Manifest {
        note: "Built by `takedowns build` from fixtures/; rebuilt from scratch on every build. \
               A rebuild refuses when anything else is here."
            .into(),
        complete: m.complete,
        archive: m.archive.clone(),
    };
    let text = serde_json::to_string_pretty(&m).unwrap_or_default();
    let path = kb.join(MARK);
    std::fs::write(&path, text + "\n").map_err(io(&path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("takedowns-demo-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn tantivy_names_are_recognised() {
        assert!(is_tantivy_file("meta.json"));
        assert!(is_tantivy_file(".tantivy-writer.lock"));
        assert!(is_tantivy_file("0123456789abcdef0123456789abcdef.idx"));
        assert!(!is_tantivy_file("notes.txt"));
        assert!(!is_tantivy_file("0123.idx"));
    }

    #[test]
    fn only_what_build_made_may_be_rebuilt() {
        let kb = scratch("guard");
        assert!(check_rebuildable(&kb).is_ok(), "a missing folder");
        std::fs::create_dir_all(&kb).ok();
        std::fs::write(kb.join("README.md"), "kept").ok();
        assert!(check_rebuildable(&kb).is_ok(), "only a README");
        std::fs::write(kb.join("thesis.docx"), "mine").ok();
        assert!(check_rebuildable(&kb).is_err(), "a user's file, no mark");
        std::fs::remove_file(kb.join("thesis.docx")).ok();
        start(&kb).ok();
        std::fs::create_dir_all(kb.join("archive")).ok();
        std::fs::write(kb.join("archive/a.warc.gz"), "x").ok();
        finish(&kb).ok();
        assert!(check_rebuildable(&kb).is_ok(), "as built");
        std::fs::write(kb.join("archive/a.warc.gz"), "xy").ok();
        let e = check_rebuildable(&kb).err().map(|e| e.to_string());
        assert!(e.as_deref().unwrap_or("").contains("ingest"), "{e:?}");
        std::fs::write(kb.join("archive/a.warc.gz"), "x").ok();
        std::fs::create_dir_all(kb.join("tantivy")).ok();
        std::fs::write(kb.join("tantivy/notes.txt"), "mine").ok();
        assert!(check_rebuildable(&kb).is_err(), "a user's file in tantivy/");
        std::fs::remove_file(kb.join("tantivy/notes.txt")).ok();
        std::fs::create_dir_all(kb.join("tantivy.new-999999999")).ok();
        assert!(
            check_rebuildable(&kb).is_ok(),
            "an index a killed build was making"
        );
        start(&kb).ok();
        assert!(
            !kb.join("tantivy.new-999999999").exists(),
            "cleared by a build"
        );
        finish(&kb).ok();
        std::fs::create_dir_all(kb.join("crawl")).ok();
        assert!(check_rebuildable(&kb).is_err(), "a crawl's state");
        let _ = std::fs::remove_dir_all(&kb);
    }
}
