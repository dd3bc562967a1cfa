//! Stage `archive`: every ingested page stored raw, as WARC, the system of record.
//!
//! Records are WARC/1.0, each compressed as its own gzip member, so a record can be read
//! by its byte offset and any standard tool (warcio) reads the files. A page's
//! [`SnapshotId`] is the SHA-256 of its payload: evidence points at exact bytes, and the
//! same payload arriving again (from HTML, `.warc` or `.warc.gz`) is the same snapshot.
//! The reader streams: a multi-gigabyte WARC costs one record of memory at a time.

use flate2::Compression;
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
    /// One record could not be read; the reader goes on with the next where it can.
    #[error("{path}: the record at byte {offset} cannot be read: {reason}")]
    BadRecord {
        /// The file.
        path: PathBuf,
        /// Byte offset of the record (of its gzip member in a `.warc.gz`).
        offset: u64,
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

/// Bytes of a record kept beyond the page cap: room for the HTTP head of a response.
const HEAD_ROOM: usize = 64 * 1024;

/// Where records come from: a plain stream, or a `.warc.gz` read one gzip member at a
/// time, so that a record that cannot be read costs only its own member.
enum Input {
    /// A plain (or already decompressed) stream; `pos` counts the bytes consumed.
    Stream { input: Box<dyn BufRead>, pos: u64 },
    /// A `.warc.gz` file, one member at a time (boxed: its buffers are large).
    Members(Box<Members>),
}

/// A gzip file read member by member. Between members `member` is `None` and `file` is
/// positioned at the next member's first byte.
struct Members {
    file: Option<BufReader<File>>,
    member: Option<BufReader<flate2::bufread::GzDecoder<BufReader<File>>>>,
    /// Byte offset of the current member in the file.
    start: u64,
}

impl Members {
    /// Starts the next member; `Ok(false)` at the end of the file.
    fn next_member(&mut self) -> io::Result<bool> {
        if let Some(m) = self.member.as_mut() {
            // Anything of this member not yet read is skipped: at most one record. On an
            // error the member stays, for `resync` to start from.
            io::copy(m, &mut io::sink())?;
            self.file = self.member.take().map(|m| m.into_inner().into_inner());
        }
        let Some(mut file) = self.file.take() else {
            return Ok(false);
        };
        if file.fill_buf()?.is_empty() {
            return Ok(false);
        }
        self.start = file.stream_position()?;
        self.member = Some(BufReader::with_capacity(
            1 << 16,
            flate2::bufread::GzDecoder::new(file),
        ));
        Ok(true)
    }

    /// After a member that does not decode: the file from the next gzip header on.
    fn resync(&mut self) -> io::Result<bool> {
        let Some(m) = self.member.take() else {
            return Ok(false);
        };
        let mut file = m.into_inner().into_inner();
        file.seek(SeekFrom::Start(self.start + 1))?;
        let mut window = [0u8; 3];
        let mut filled = 0usize;
        loop {
            let buf = file.fill_buf()?;
            if buf.is_empty() {
                return Ok(false);
            }
            let mut used = 0;
            for &b in buf {
                used += 1;
                if filled < 3 {
                    window[filled] = b;
                    filled += 1;
                } else {
                    window = [window[1], window[2], b];
                }
                if filled == 3 && window == [0x1f, 0x8b, 0x08] {
                    file.consume(used);
                    let at = file.stream_position()? - 3;
                    file.seek(SeekFrom::Start(at))?;
                    self.file = Some(file);
                    return self.next_member();
                }
            }
            file.consume(used);
        }
    }
}

/// Streams the HTML pages of a `.warc` or `.warc.gz` file: `response` records with an
/// HTML payload and `resource` records. Other records are skipped. Memory per record is
/// bounded by the page cap whatever its Content-Length: a longer payload is cut and
/// marked truncated. A record that cannot be read is an error naming its offset, and
/// the next call goes on with the next record where the format allows it (the next
/// gzip member); where it does not (a plain file), the reader ends.
pub struct WarcReader {
    path: PathBuf,
    input: Input,
    /// Records longer than the page cap, read cut.
    cut: usize,
    max_payload: usize,
    early: bool,
    done: bool,
    /// Offset of the record being read: in the file for plain WARC, of its gzip member
    /// for `.warc.gz`.
    at: u64,
    /// What is read between two gzip members: nothing.
    between: io::Empty,
}

impl WarcReader {
    /// Opens a WARC file; `.gz` names are read as gzip, member by member.
    pub fn open(path: &Path, max_payload: usize) -> Result<WarcReader, ArchiveError> {
        let file = File::open(path).map_err(|source| ArchiveError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let gz = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
        let input = if gz {
            Input::Members(Box::new(Members {
                file: Some(BufReader::with_capacity(1 << 16, file)),
                member: None,
                start: 0,
            }))
        } else {
            Input::Stream {
                input: Box::new(BufReader::with_capacity(1 << 16, file)),
                pos: 0,
            }
        };
        Ok(WarcReader::with_input(path, input, max_payload))
    }

    fn with_input(path: &Path, input: Input, max_payload: usize) -> WarcReader {
        WarcReader {
            path: path.to_path_buf(),
            input,
            cut: 0,
            max_payload,
            early: false,
            done: false,
            at: 0,
            between: io::empty(),
        }
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
        WarcReader::with_input(path, Input::Stream { input, pos: 0 }, max_payload)
    }

    /// Whether the input ended inside a record (a writer killed mid-record, a cut
    /// download): the records before it were read whole.
    pub fn ended_early(&self) -> bool {
        self.early
    }

    /// How many records so far were longer than the page cap (their pages are cut and
    /// marked truncated).
    pub fn records_cut(&self) -> usize {
        self.cut
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
            loop {
                match r.next_page() {
                    Ok(Some(p)) if &p.snapshot == snapshot => return Ok(Some(p)),
                    Ok(Some(_)) | Err(ArchiveError::BadRecord { .. }) => {}
                    Ok(None) => break,
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(None)
    }

    /// A record that cannot be read: the error names its offset; the reader moves to the
    /// next gzip member, or ends where there is none to move to.
    fn bad_record(&mut self, reason: impl Into<String>) -> ArchiveError {
        let e = ArchiveError::BadRecord {
            path: self.path.clone(),
            offset: self.at,
            reason: reason.into(),
        };
        match &mut self.input {
            Input::Stream { .. } => self.done = true,
            Input::Members(m) => match m.next_member() {
                Ok(true) => {}
                // A member that does not even finish decoding: look for the next one.
                Ok(false) => self.done = true,
                Err(_) => self.done = !m.resync().unwrap_or(false),
            },
        }
        e
    }

    /// The next HTML page, `Ok(None)` at the end. A record that cannot be read is an
    /// error naming its offset ([`ArchiveError::BadRecord`]); calling again goes on with
    /// the next record when there is one to go on with.
    pub fn next_page(&mut self) -> Result<Option<Page>, ArchiveError> {
        loop {
            if self.done {
                return Ok(None);
            }
            match self.next_record()? {
                Some(Some(page)) => return Ok(Some(page)),
                Some(None) => continue,
                None => {
                    self.done = true;
                    return Ok(None);
                }
            }
        }
    }

    /// One record: `Some(Some(page))` for an HTML page, `Some(None)` for any other
    /// record, `None` at the end of the input.
    fn next_record(&mut self) -> Result<Option<Option<Page>>, ArchiveError> {
        let headers = loop {
            if let Input::Members(m) = &mut self.input
                && m.member.is_none()
            {
                match m.next_member() {
                    Ok(true) => {}
                    Ok(false) => return Ok(None),
                    Err(e) => return Err(self.io_error(e)),
                }
            }
            self.at = self.offset();
            match self.read_headers() {
                Ok(Some(h)) => break h,
                // The end of a member (read the next) or of the file.
                Ok(None) => match &mut self.input {
                    Input::Members(m) => {
                        m.file = m.member.take().map(|r| r.into_inner().into_inner());
                    }
                    Input::Stream { .. } => return Ok(None),
                },
                Err(e) => return Err(e),
            }
        };
        let get = |k: &str| {
            headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(k))
                .map(|(_, v)| v.clone())
        };
        let Some(len) = get("Content-Length").and_then(|v| v.trim().parse::<u64>().ok()) else {
            return Err(self.bad_record("no readable Content-Length"));
        };
        let (block, read) = self.read_block(len)?;
        if read < len {
            self.early = true;
            let reason = format!(
                "Content-Length is {len} but the {} ends after {read} bytes of it",
                if matches!(self.input, Input::Members(_)) {
                    "gzip member"
                } else {
                    "file"
                }
            );
            return Err(self.bad_record(reason));
        }
        let cut = (block.len() as u64) < len;
        if cut {
            self.cut += 1;
        }
        Ok(Some(self.page_of(&get, block, cut)))
    }

    /// Byte offset of the next record.
    fn offset(&self) -> u64 {
        match &self.input {
            Input::Stream { pos, .. } => *pos,
            Input::Members(m) => m.start,
        }
    }

    /// A record's block: its first bytes up to the page cap (plus room for an HTTP head)
    /// kept, the rest read past. Returns the kept bytes and how many the input held.
    fn read_block(&mut self, len: u64) -> Result<(Vec<u8>, u64), ArchiveError> {
        let keep = len.min((self.max_payload + HEAD_ROOM) as u64);
        let mut block = Vec::with_capacity(keep as usize);
        let r = {
            let input = self.reader();
            match input.take(keep).read_to_end(&mut block) {
                Ok(n) if (n as u64) < keep => Ok(n as u64),
                Ok(n) => io::copy(&mut input.take(len - keep), &mut io::sink())
                    .map(|rest| n as u64 + rest),
                Err(e) => Err(e),
            }
        };
        match r {
            Ok(read) => {
                self.advance(read);
                Ok((block, read))
            }
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                self.early = true;
                Err(self.bad_record("the file ends inside this record"))
            }
            Err(e)
                if e.kind() == io::ErrorKind::InvalidData
                    || e.kind() == io::ErrorKind::InvalidInput =>
            {
                Err(self.bad_record(format!("the record does not decompress: {e}")))
            }
            Err(e) => Err(self.io_error(e)),
        }
    }

    /// The current input: the stream, or the current gzip member.
    fn reader(&mut self) -> &mut dyn BufRead {
        match &mut self.input {
            Input::Stream { input, .. } => input.as_mut(),
            Input::Members(m) => match m.member.as_mut() {
                Some(r) => r,
                None => &mut self.between,
            },
        }
    }

    fn advance(&mut self, n: u64) {
        if let Input::Stream { pos, .. } = &mut self.input {
            *pos += n;
        }
    }

    fn io_error(&mut self, source: io::Error) -> ArchiveError {
        self.done = true;
        ArchiveError::Io {
            path: self.path.clone(),
            source,
        }
    }

    /// The page a record holds, if it is an HTML response or resource.
    fn page_of(
        &self,
        get: &dyn Fn(&str) -> Option<String>,
        block: Vec<u8>,
        cut: bool,
    ) -> Option<Page> {
        let kind = get("WARC-Type").unwrap_or_default().to_ascii_lowercase();
        let url = get("WARC-Target-URI").map(|u| u.trim().trim_matches(['<', '>']).to_string());
        let date = get("WARC-Date").unwrap_or_default();
        let truncated = cut || get("WARC-Truncated").is_some();
        match kind.as_str() {
            "response" => {
                let (status, ctype, body) = split_http(&block)?;
                if !(200..300).contains(&status) || !is_document(ctype.as_deref(), body) {
                    return None;
                }
                let payload = body[..body.len().min(self.max_payload)].to_vec();
                Some(Page {
                    snapshot: SnapshotId::of(&payload),
                    url,
                    date,
                    content_type: ctype,
                    truncated: truncated || payload.len() < body.len(),
                    payload,
                })
            }
            "resource" => {
                let ctype = get("Content-Type");
                if !is_document(ctype.as_deref(), &block) {
                    return None;
                }
                let mut block = block;
                let over = block.len() > self.max_payload;
                block.truncate(self.max_payload);
                Some(Page {
                    snapshot: SnapshotId::of(&block),
                    url,
                    date,
                    content_type: ctype,
                    payload: block,
                    truncated: truncated || over,
                })
            }
            _ => None,
        }
    }

    /// Reads a record's header block; `None` at a clean end of the input (or member).
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
            let found = line.chars().take(40).collect::<String>();
            return Err(self.bad_record(format!("expected a WARC version line, found {found:?}")));
        }
        let mut headers = Vec::new();
        loop {
            line.clear();
            let n = self.read_line(&mut line)?;
            if n == 0 {
                self.early = true;
                return Err(self.bad_record("the input ends inside a record header"));
            }
            let l = line.trim_end_matches(['\r', '\n']);
            if l.is_empty() {
                break;
            }
            if headers.len() > 200 {
                return Err(self.bad_record("more than 200 header lines"));
            }
            if let Some((k, v)) = l.split_once(':') {
                headers.push((k.trim().to_string(), v.trim().to_string()));
            }
        }
        Ok(Some(headers))
    }

    fn read_line(&mut self, buf: &mut String) -> Result<usize, ArchiveError> {
        let mut bytes = Vec::new();
        let r = self.reader().take(64 * 1024).read_until(b'\n', &mut bytes);
        let n = match r {
            Ok(n) => n,
            // A cut gzip member ends this way (a clean end reads 0 bytes).
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                self.early = true;
                return Err(self.bad_record("the file ends inside this record"));
            }
            Err(e)
                if e.kind() == io::ErrorKind::InvalidData
                    || e.kind() == io::ErrorKind::InvalidInput =>
            {
                return Err(self.bad_record(format!("the record does not decompress: {e}")));
            }
            Err(e) => return Err(self.io_error(e)),
        };
        self.advance(n as u64);
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

/// Whether a response is a PDF: by its type, or by its magic bytes (servers often say
/// `application/octet-stream`).
pub fn is_pdf(ctype: Option<&str>, body: &[u8]) -> bool {
    ctype.is_some_and(|t| t.to_ascii_lowercase().contains("application/pdf"))
        || body.starts_with(b"%PDF-")
}

/// Whether a response is a document the pipeline reads (HTML or PDF).
pub fn is_document(ctype: Option<&str>, body: &[u8]) -> bool {
    is_html(ctype, body) || is_pdf(ctype, body)
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
            matches!(rest, Err(ArchiveError::BadRecord { .. })),
            "{rest:?}"
        );
        assert!(r.ended_early());
        assert!(matches!(r.next_page(), Ok(None)));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// One WARC record: a response holding an HTML page, with the Content-Length given.
    fn record(url: &str, body: &str, length: Option<u64>) -> Vec<u8> {
        let block = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{body}");
        let len = length.unwrap_or(block.len() as u64);
        format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\nContent-Length: {len}\r\n\r\n{block}\r\n\r\n"
        )
        .into_bytes()
    }

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::fast());
        e.write_all(bytes).ok();
        e.finish().unwrap_or_default()
    }

    /// Reads a file to its end as callers do: pages and errors, in order.
    fn read_all(path: &Path, cap: usize) -> (Vec<Result<Page, ArchiveError>>, WarcReader) {
        let mut r = WarcReader::open(path, cap).expect("open");
        let mut out = Vec::new();
        loop {
            match r.next_page() {
                Ok(Some(p)) => out.push(Ok(p)),
                Ok(None) => break,
                Err(e) => out.push(Err(e)),
            }
            assert!(out.len() < 100, "the reader does not end");
        }
        (out, r)
    }

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("takedowns-warc-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).ok();
        d
    }

    const PAGE: &str = "<html><body><p>a page</p></body></html>";

    #[test]
    fn a_bad_record_is_reported_with_its_offset_and_the_next_one_is_read() {
        let d = scratch("bad");
        let a = gz(&record("https://a.example/", PAGE, None));
        let absurd = gz(&record("https://b.example/", PAGE, Some(99_999_999_999)));
        let mut corrupt = gz(&record("https://c.example/", PAGE, None));
        let mid = corrupt.len() / 2;
        for b in &mut corrupt[12..mid] {
            *b = 0xff;
        }
        let last = gz(&record("https://d.example/", PAGE, None));
        let file: Vec<u8> = [a.clone(), absurd.clone(), corrupt.clone(), last].concat();
        let path = d.join("x.warc.gz");
        std::fs::write(&path, &file).ok();
        let (got, _) = read_all(&path, 1 << 20);
        let urls: Vec<String> = got
            .iter()
            .map(|r| match r {
                Ok(p) => p.url.clone().unwrap_or_default(),
                Err(ArchiveError::BadRecord { offset, .. }) => format!("bad@{offset}"),
                Err(e) => format!("{e}"),
            })
            .collect();
        let bad_b = format!("bad@{}", a.len());
        let bad_c = format!("bad@{}", a.len() + absurd.len());
        assert_eq!(
            urls,
            vec!["https://a.example/", &bad_b, &bad_c, "https://d.example/"]
        );
        // A plain WARC cannot be resynchronised: the absurd record ends the reading, said.
        let plain = [
            record("https://a.example/", PAGE, None),
            record("https://b.example/", PAGE, Some(99_999_999_999)),
            record("https://d.example/", PAGE, None),
        ]
        .concat();
        let path = d.join("x.warc");
        std::fs::write(&path, &plain).ok();
        let (got, r) = read_all(&path, 1 << 20);
        assert_eq!(got.len(), 2);
        assert!(got[0].is_ok());
        assert!(
            matches!(&got[1], Err(ArchiveError::BadRecord { offset, .. }) if *offset > 0),
            "{:?}",
            got[1]
        );
        assert!(r.ended_early());
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_record_longer_than_the_cap_is_cut_and_marked() {
        let d = scratch("long");
        let long = format!("<html><body><p>{}</p></body></html>", "x".repeat(3 << 20));
        let file = [
            gz(&record("https://long.example/", &long, None)),
            gz(&record("https://after.example/", PAGE, None)),
        ]
        .concat();
        let path = d.join("x.warc.gz");
        std::fs::write(&path, &file).ok();
        let (got, r) = read_all(&path, 1 << 20);
        assert_eq!(got.len(), 2);
        let first = got[0].as_ref().expect("the long page");
        assert!(first.truncated);
        assert_eq!(first.payload.len(), 1 << 20);
        assert!(got[1].as_ref().is_ok_and(|p| !p.truncated));
        assert_eq!(r.records_cut(), 1);
        let _ = std::fs::remove_dir_all(&d);
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
