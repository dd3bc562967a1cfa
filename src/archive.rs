//! Stage `archive`: every ingested page stored raw, as WARC, the system of record.
//!
//! Records are WARC/1.0, each compressed as its own gzip member, so a record can be read
//! by its byte offset and any standard tool (warcio) reads the files. A page's
//! [`SnapshotId`] is the SHA-256 of its payload: evidence points at exact bytes, and the
//! same payload arriving again (from HTML, `.warc` or `.warc.gz`) is the same snapshot.
//! The reader streams: a multi-gigabyte WARC costs one record of memory at a time.

use flate2::Compression;
use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The SHA-256 of a page's payload, in hex.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SnapshotId(String);

impl SnapshotId {
    /// The id of a payload.
    pub fn of(payload: &[u8]) -> SnapshotId {
        let digest = Sha256::digest(payload);
        SnapshotId(digest.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// Parses a 64-hex-digit id (from a URL or a query), refusing anything else.
    pub fn parse(s: &str) -> Option<SnapshotId> {
        (s.len() == 64
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .then(|| SnapshotId(s.to_string()))
    }

    /// The hex form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SnapshotId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One archived page: its payload and what is known of where it came from.
#[derive(Debug, Clone)]
pub struct Page {
    /// SHA-256 of `payload`.
    pub snapshot: SnapshotId,
    /// Where the page was fetched from; `None` for a local file.
    pub url: Option<String>,
    /// When it was fetched or archived (RFC 3339).
    pub date: String,
    /// The HTTP Content-Type, if known.
    pub content_type: Option<String>,
    /// The page's bytes (the HTTP body, decoded from transfer encoding).
    pub payload: Vec<u8>,
    /// The record was marked `WARC-Truncated`: the payload is incomplete.
    pub truncated: bool,
}

/// Why the archive could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// A WARC file is malformed at a record.
    #[error("{path}: malformed WARC record at record {record}: {reason}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// Index of the record (0-based).
        record: usize,
        /// What is wrong.
        reason: String,
    },
}

/// Where a record sits in the archive: the WARC file's name inside the archive directory
/// and the byte offset of the record's gzip member, so it can be read without a scan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Location {
    /// File name (no directory part).
    pub file: String,
    /// Byte offset of the record's gzip member.
    pub offset: u64,
}

/// Appends records to one WARC file of the archive.
pub struct ArchiveWriter {
    path: PathBuf,
    file: File,
    records: u64,
    len: u64,
}

impl ArchiveWriter {
    /// Opens a new WARC file in `dir` (created if needed), named by time and process so
    /// that concurrent or successive runs never write the same file.
    pub fn create(dir: &Path) -> Result<ArchiveWriter, ArchiveError> {
        let io = |source| ArchiveError::Io {
            path: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
        let path = dir.join(format!("takedowns-{stamp}-{}.warc.gz", std::process::id()));
        let file = OpenOptions::new()
            .create_new(true)
            .append(true)
            .open(&path)
            .map_err(|source| ArchiveError::Io {
                path: path.clone(),
                source,
            })?;
        Ok(ArchiveWriter {
            path,
            file,
            records: 0,
            len: 0,
        })
    }

    /// The file being written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends a page as one gzip member holding one WARC record: a `response` record
    /// when the page came over HTTP with headers, else a `resource` record. Returns where
    /// the record is, for serving the snapshot later.
    pub fn append(
        &mut self,
        page: &Page,
        http_headers: Option<&str>,
    ) -> Result<Location, ArchiveError> {
        let mut block = Vec::with_capacity(page.payload.len() + 256);
        let (kind, content_type) = match http_headers {
            Some(h) => {
                block.extend_from_slice(h.as_bytes());
                if !h.ends_with("\r\n\r\n") {
                    block.extend_from_slice(b"\r\n");
                }
                ("response", "application/http; msgtype=response".to_string())
            }
            None => (
                "resource",
                page.content_type
                    .clone()
                    .unwrap_or_else(|| "text/html".into()),
            ),
        };
        block.extend_from_slice(&page.payload);
        self.records += 1;
        let record_id = record_uuid(&page.snapshot, &page.date, self.records, &self.path);
        let mut head = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{record_id}>\r\nWARC-Date: {}\r\n",
            page.date
        );
        if let Some(u) = &page.url {
            head.push_str(&format!("WARC-Target-URI: {}\r\n", sanitize_header(u)));
        }
        if page.truncated {
            head.push_str("WARC-Truncated: length\r\n");
        }
        head.push_str(&format!(
            "X-Takedowns-Snapshot: {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            page.snapshot,
            block.len()
        ));
        let mut gz = GzEncoder::new(
            Vec::with_capacity(block.len() / 3 + 512),
            Compression::fast(),
        );
        let io = |source| ArchiveError::Io {
            path: self.path.clone(),
            source,
        };
        gz.write_all(head.as_bytes()).map_err(io)?;
        gz.write_all(&block).map_err(io)?;
        gz.write_all(b"\r\n\r\n").map_err(io)?;
        let member = gz.finish().map_err(io)?;
        self.file.write_all(&member).map_err(io)?;
        let at = Location {
            file: self
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            offset: self.len,
        };
        self.len += member.len() as u64;
        Ok(at)
    }

    /// Appends the HTTP request that fetched a page, as a WARC `request` record.
    pub fn append_request(
        &mut self,
        url: &str,
        date: &str,
        head: &str,
    ) -> Result<(), ArchiveError> {
        self.records += 1;
        let snapshot = SnapshotId::of(head.as_bytes());
        let record_id = record_uuid(&snapshot, date, self.records, &self.path);
        let text = format!(
            "WARC/1.0\r\nWARC-Type: request\r\nWARC-Record-ID: <urn:uuid:{record_id}>\r\nWARC-Date: {date}\r\nWARC-Target-URI: {}\r\nContent-Type: application/http; msgtype=request\r\nContent-Length: {}\r\n\r\n{head}\r\n\r\n",
            sanitize_header(url),
            head.len()
        );
        let mut gz = GzEncoder::new(Vec::with_capacity(text.len() / 2), Compression::fast());
        let io = |source| ArchiveError::Io {
            path: self.path.clone(),
            source,
        };
        gz.write_all(text.as_bytes()).map_err(io)?;
        let member = gz.finish().map_err(io)?;
        self.file.write_all(&member).map_err(io)?;
        self.len += member.len() as u64;
        Ok(())
    }

    /// Flushes the file to disk (before the index commit that refers to it).
    pub fn sync(&mut self) -> Result<(), ArchiveError> {
        let path = self.path.clone();
        self.file
            .sync_data()
            .map_err(|source| ArchiveError::Io { path, source })
    }

    /// Records written so far.
    pub fn records(&self) -> u64 {
        self.records
    }
}

fn sanitize_header(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

/// A record id that is unique per record yet derived from its content and place.
fn record_uuid(snapshot: &SnapshotId, date: &str, n: u64, path: &Path) -> String {
    let mut h = Sha256::new();
    h.update(snapshot.as_str());
    h.update(date);
    h.update(n.to_le_bytes());
    h.update(path.to_string_lossy().as_bytes());
    let d = h.finalize();
    let hex: String = d.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-4{}-a{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

/// Streams the HTML pages of a `.warc` or `.warc.gz` file: `response` records with an
/// HTML payload and `resource` records. Other records are skipped.
pub struct WarcReader {
    path: PathBuf,
    input: Box<dyn BufRead>,
    record: usize,
    max_payload: usize,
    early: bool,
}

impl WarcReader {
    /// Opens a WARC file; `.gz` names are read as (multi-member) gzip.
    pub fn open(path: &Path, max_payload: usize) -> Result<WarcReader, ArchiveError> {
        let file = File::open(path).map_err(|source| ArchiveError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let gz = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
        let input: Box<dyn BufRead> = if gz {
            Box::new(BufReader::with_capacity(
                1 << 16,
                MultiGzDecoder::new(BufReader::new(file)),
            ))
        } else {
            Box::new(BufReader::with_capacity(1 << 16, file))
        };
        Ok(WarcReader {
            path: path.to_path_buf(),
            input,
            record: 0,
            max_payload,
            early: false,
        })
    }

    /// Reads the one record whose gzip member starts at `at` in the archive directory
    /// `dir`. The file name is checked first: a bare `.warc.gz` name, nothing that could
    /// reach outside `dir`.
    pub fn read_at(
        dir: &Path,
        at: &Location,
        max_payload: usize,
    ) -> Result<Option<Page>, ArchiveError> {
        let name = at.file.as_str();
        let bad = name.is_empty()
            || name.starts_with('.')
            || name.contains(['/', '\\', '\0'])
            || !name.ends_with(".warc.gz");
        let path = dir.join(name);
        if bad {
            return Err(ArchiveError::Malformed {
                path,
                record: 0,
                reason: "not an archive file name".into(),
            });
        }
        let io = |source| ArchiveError::Io {
            path: path.clone(),
            source,
        };
        let mut file = File::open(&path).map_err(io)?;
        file.seek(SeekFrom::Start(at.offset)).map_err(io)?;
        let input = BufReader::new(flate2::read::GzDecoder::new(BufReader::new(file)));
        WarcReader::from_reader(&path, Box::new(input), max_payload).next_page()
    }

    /// Reads WARC records from any reader (already decompressed); `path` names it in
    /// errors.
    pub fn from_reader(path: &Path, input: Box<dyn BufRead>, max_payload: usize) -> WarcReader {
        WarcReader {
            path: path.to_path_buf(),
            input,
            record: 0,
            max_payload,
            early: false,
        }
    }

    /// Whether the input ended inside a record (a writer killed mid-record, a cut
    /// download): the records before it were read whole.
    pub fn ended_early(&self) -> bool {
        self.early
    }

    /// Finds a snapshot by reading the whole archive: the fallback for pages indexed
    /// before records had a [`Location`].
    pub fn find(
        dir: &Path,
        snapshot: &SnapshotId,
        max_payload: usize,
    ) -> Result<Option<Page>, ArchiveError> {
        for file in warc_files(dir) {
            let mut r = WarcReader::open(&file, max_payload)?;
            while let Some(p) = r.next_page()? {
                if &p.snapshot == snapshot {
                    return Ok(Some(p));
                }
            }
        }
        Ok(None)
    }

    fn malformed(&self, reason: impl Into<String>) -> ArchiveError {
        ArchiveError::Malformed {
            path: self.path.clone(),
            record: self.record,
            reason: reason.into(),
        }
    }

    /// The next HTML page, `Ok(None)` at the end. A truncated file ends cleanly after its
    /// last complete record; a malformed record is an error naming the file and record.
    pub fn next_page(&mut self) -> Result<Option<Page>, ArchiveError> {
        loop {
            let Some(headers) = self.read_headers()? else {
                return Ok(None);
            };
            let get = |k: &str| {
                headers
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(k))
                    .map(|(_, v)| v.clone())
            };
            let len: usize = get("Content-Length")
                .and_then(|v| v.trim().parse().ok())
                .ok_or_else(|| self.malformed("no Content-Length"))?;
            let mut block = Vec::with_capacity(len.min(self.max_payload + 65536));
            let read = (&mut self.input).take(len as u64).read_to_end(&mut block);
            match read {
                Ok(n) if n < len => {
                    // The file ends inside this record.
                    self.early = true;
                    return Ok(None);
                }
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                    self.early = true;
                    return Ok(None);
                }
                Err(source) => {
                    return Err(ArchiveError::Io {
                        path: self.path.clone(),
                        source,
                    });
                }
            }
            self.record += 1;
            let kind = get("WARC-Type").unwrap_or_default().to_ascii_lowercase();
            let url = get("WARC-Target-URI").map(|u| u.trim().trim_matches(['<', '>']).to_string());
            let date = get("WARC-Date").unwrap_or_default();
            let truncated = get("WARC-Truncated").is_some();
            let page = match kind.as_str() {
                "response" => {
                    let Some((status, ctype, body)) = split_http(&block) else {
                        continue;
                    };
                    if !(200..300).contains(&status) || !is_html(ctype.as_deref(), body) {
                        continue;
                    }
                    let payload = body[..body.len().min(self.max_payload)].to_vec();
                    Page {
                        snapshot: SnapshotId::of(&payload),
                        url,
                        date,
                        content_type: ctype,
                        payload,
                        truncated,
                    }
                }
                "resource" => {
                    let ctype = get("Content-Type");
                    if !is_html(ctype.as_deref(), &block) {
                        continue;
                    }
                    block.truncate(self.max_payload);
                    Page {
                        snapshot: SnapshotId::of(&block),
                        url,
                        date,
                        content_type: ctype,
                        payload: block,
                        truncated,
                    }
                }
                _ => continue,
            };
            return Ok(Some(page));
        }
    }

    /// Reads a record's header block; `None` at a clean end of file.
    fn read_headers(&mut self) -> Result<Option<Vec<(String, String)>>, ArchiveError> {
        let mut line = String::new();
        // Skip the blank lines between records.
        loop {
            line.clear();
            let n = self.read_line(&mut line)?;
            if n == 0 {
                return Ok(None);
            }
            if !line.trim().is_empty() {
                break;
            }
        }
        if !line.starts_with("WARC/") {
            return Err(self.malformed(format!(
                "expected a WARC version line, found {:?}",
                line.chars().take(40).collect::<String>()
            )));
        }
        let mut headers = Vec::new();
        loop {
            line.clear();
            let n = self.read_line(&mut line)?;
            if n == 0 {
                self.early = true;
                return Ok(None);
            }
            let l = line.trim_end_matches(['\r', '\n']);
            if l.is_empty() {
                break;
            }
            if headers.len() > 200 {
                return Err(self.malformed("more than 200 header lines"));
            }
            if let Some((k, v)) = l.split_once(':') {
                headers.push((k.trim().to_string(), v.trim().to_string()));
            }
        }
        Ok(Some(headers))
    }

    fn read_line(&mut self, buf: &mut String) -> Result<usize, ArchiveError> {
        let mut bytes = Vec::new();
        let n = match (&mut self.input)
            .take(64 * 1024)
            .read_until(b'\n', &mut bytes)
        {
            Ok(n) => n,
            // Only a cut gzip member ends this way (a clean end reads 0 bytes).
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                self.early = true;
                0
            }
            Err(source) => {
                return Err(ArchiveError::Io {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        buf.push_str(&String::from_utf8_lossy(&bytes));
        Ok(n)
    }
}

/// Status, Content-Type and body of an HTTP response block.
fn split_http(block: &[u8]) -> Option<(u16, Option<String>, &[u8])> {
    let end = memchr::memmem::find(block, b"\r\n\r\n")
        .map(|p| (p, p + 4))
        .or_else(|| memchr::memmem::find(block, b"\n\n").map(|p| (p, p + 2)))?;
    let head = String::from_utf8_lossy(&block[..end.0]);
    let mut lines = head.lines();
    let status: u16 = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let ctype = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.trim().to_string());
    Some((status, ctype, &block[end.1..]))
}

/// Whether a payload is an HTML page, by its type or, with no type, its first bytes.
/// The crawler decides with this too, so that a rebuild from the archive reads exactly
/// the pages the crawl indexed.
pub fn is_html(ctype: Option<&str>, body: &[u8]) -> bool {
    match ctype {
        Some(t) => {
            let t = t.to_ascii_lowercase();
            t.contains("html") || (t.starts_with("text/plain") && sniff_html(body))
        }
        None => sniff_html(body),
    }
}

fn sniff_html(body: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
    head.contains("<html")
        || head.contains("<!doctype html")
        || head.contains("<head")
        || head.contains("<body")
}

/// The WARC files under a folder (`.warc`, `.warc.gz`), sorted.
pub fn warc_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| is_warc(p))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Whether a path names a WARC file.
pub fn is_warc(p: &Path) -> bool {
    let n = p
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    n.ends_with(".warc") || n.ends_with(".warc.gz")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(payload: &str, url: Option<&str>) -> Page {
        let payload = payload.as_bytes().to_vec();
        Page {
            snapshot: SnapshotId::of(&payload),
            url: url.map(str::to_string),
            date: "2026-11-28T12:00:00Z".into(),
            content_type: Some("text/html; charset=utf-8".into()),
            payload,
            truncated: false,
        }
    }

    #[test]
    fn write_then_read_back_every_record_and_a_truncated_tail() {
        let dir =
            std::env::temp_dir().join(format!("takedowns-archive-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut w = ArchiveWriter::create(&dir).expect("create");
        let a = page(
            "<html><body><p>one</p></body></html>",
            Some("https://example.com/a"),
        );
        let b = page("<html><body><p>two</p></body></html>", None);
        let at_a = w.append(&a, None).expect("a");
        w.append_request(
            "https://example.com/b",
            "2019-01-31T00:00:00Z",
            "GET /b HTTP/1.1",
        )
        .expect("request");
        let at_b = w
            .append(
                &b,
                Some("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"),
            )
            .expect("b");
        w.sync().expect("sync");
        let path = w.path().to_path_buf();
        // Each record reads back alone from its location, past the request record.
        assert_eq!(at_a.offset, 0);
        let alone = WarcReader::read_at(&dir, &at_b, 1 << 20).expect("read_at");
        assert_eq!(alone.map(|p| p.payload), Some(b.payload.clone()));
        let alone = WarcReader::read_at(&dir, &at_a, 1 << 20).expect("read_at");
        assert_eq!(alone.map(|p| p.snapshot), Some(a.snapshot.clone()));
        let found = WarcReader::find(&dir, &b.snapshot, 1 << 20).expect("find");
        assert_eq!(found.map(|p| p.snapshot), Some(b.snapshot.clone()));
        for name in ["../x.warc.gz", "/etc/passwd", "a.txt", ".warc.gz", ""] {
            let at = Location {
                file: name.into(),
                offset: 0,
            };
            assert!(WarcReader::read_at(&dir, &at, 1 << 20).is_err(), "{name}");
        }
        let mut r = WarcReader::open(&path, 1 << 20).expect("open");
        let got_a = r.next_page().expect("read").expect("a");
        let got_b = r.next_page().expect("read").expect("b");
        assert!(r.next_page().expect("end").is_none());
        assert_eq!(got_a.snapshot, a.snapshot);
        assert_eq!(got_a.url.as_deref(), Some("https://example.com/a"));
        assert_eq!(got_b.payload, b.payload);
        // Cut the file in the middle of the second record: the first still reads.
        let bytes = std::fs::read(&path).expect("bytes");
        std::fs::write(&path, &bytes[..bytes.len() - 20]).expect("truncate");
        let mut r = WarcReader::open(&path, 1 << 20).expect("open");
        assert!(r.next_page().expect("first").is_some());
        let rest = r.next_page();
        assert!(
            matches!(rest, Ok(None) | Err(ArchiveError::Io { .. })),
            "{rest:?}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn snapshot_ids() {
        let id = SnapshotId::of(b"abc");
        assert_eq!(
            id.as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(SnapshotId::parse(id.as_str()).is_some());
        assert!(SnapshotId::parse("../etc/passwd").is_none());
        assert!(SnapshotId::parse(&"A".repeat(64)).is_none());
    }
}
