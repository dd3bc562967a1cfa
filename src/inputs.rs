//! Input folders: the files under a folder that `extract` and `ingest` read. Symbolic
//! links are followed (a folder reached twice, as a link loop makes it, is read once),
//! and every entry that cannot be read is said, never skipped in silence.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What walking a folder found: the files, sorted, and the entries that could not be read.
#[derive(Debug, Default)]
pub struct Walk {
    /// Every file under the folder (links followed), sorted.
    pub files: Vec<PathBuf>,
    /// Entries that could not be read, with why.
    pub problems: Vec<(PathBuf, String)>,
}

/// Every file under `dir`, following symbolic links; folders that cannot be read, broken
/// links and link loops are listed in `problems`.
pub fn walk(dir: &Path) -> Walk {
    let mut w = Walk::default();
    let mut seen = HashSet::new();
    visit(dir, &mut seen, &mut w);
    w.files.sort();
    w
}

fn visit(dir: &Path, seen: &mut HashSet<PathBuf>, w: &mut Walk) {
    // The real path guards against loops: a link back to a folder already read.
    match std::fs::canonicalize(dir) {
        Ok(real) => {
            if !seen.insert(real) {
                w.problems.push((
                    dir.to_path_buf(),
                    "a link to a folder already read (link loop); read once".into(),
                ));
                return;
            }
        }
        Err(e) => {
            w.problems
                .push((dir.to_path_buf(), format!("cannot resolve folder: {e}")));
            return;
        }
    }
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            w.problems
                .push((dir.to_path_buf(), format!("cannot read folder: {e}")));
            return;
        }
    };
    for entry in rd {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                w.problems
                    .push((dir.to_path_buf(), format!("cannot list folder: {e}")));
                continue;
            }
        };
        let p = entry.path();
        // metadata() follows links; a broken link fails here and is said.
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => visit(&p, seen, w),
            Ok(m) if m.is_file() => w.files.push(p),
            Ok(_) => {}
            Err(e) => {
                let what = if entry.file_type().is_ok_and(|t| t.is_symlink()) {
                    "broken symbolic link"
                } else {
                    "cannot read"
                };
                w.problems.push((p, format!("{what}: {e}")));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("takedowns-inputs-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).ok();
        d
    }

    #[test]
    fn links_are_followed_once_and_broken_ones_are_said() {
        let d = scratch("links");
        let real = d.join("real");
        std::fs::create_dir_all(real.join("sub")).ok();
        std::fs::write(real.join("sub/a.html"), "<p>a</p>").ok();
        std::fs::write(d.join("outside.html"), "<p>b</p>").ok();
        let top = d.join("top");
        std::fs::create_dir_all(&top).ok();
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink(&real, top.join("linked")).ok();
            symlink(d.join("outside.html"), top.join("file-link.html")).ok();
            symlink(&top, top.join("loop")).ok();
            symlink(d.join("gone.html"), top.join("broken.html")).ok();
            let w = walk(&top);
            let names: Vec<String> = w
                .files
                .iter()
                .map(|p| {
                    p.file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect();
            assert_eq!(names, vec!["file-link.html", "a.html"]);
            let why: Vec<&str> = w.problems.iter().map(|(_, m)| m.as_str()).collect();
            assert_eq!(w.problems.len(), 2, "{why:?}");
            assert!(why.iter().any(|m| m.contains("link loop")), "{why:?}");
            assert!(
                why.iter().any(|m| m.contains("broken symbolic link")),
                "{why:?}"
            );
        }
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_folder_that_cannot_be_read_is_said() {
        let w = walk(Path::new("/nonexistent/takedowns/folder"));
        assert!(w.files.is_empty());
        assert_eq!(w.problems.len(), 1);
        assert!(w.problems[0].1.contains("cannot"), "{:?}", w.problems);
    }
}
