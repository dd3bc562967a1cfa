//! PDFs written by the tests: reports made from story text (Helvetica, WinAnsi text, one
//! paragraph after another, wrapped and paged), and hostile files built byte by byte to
//! hurt a PDF reader (deep nesting, compression bombs, broken or looping xref, cycles,
//! encryption). Nothing here is a binary blob: every file is made from its description.

use std::io::Write;

/// A PDF assembled from numbered object bodies, with a correct xref table unless the
/// caller breaks it on purpose.
pub struct Raw {
    objects: Vec<(u32, Vec<u8>)>,
    trailer: String,
}

impl Raw {
    /// A file whose catalog is object 1.
    pub fn new() -> Raw {
        Raw {
            objects: Vec::new(),
            trailer: "/Root 1 0 R".into(),
        }
    }

    /// Adds object `n` with this body (dictionary, array, or dictionary + stream).
    pub fn obj(mut self, n: u32, body: impl Into<Vec<u8>>) -> Raw {
        self.objects.push((n, body.into()));
        self
    }

    /// Adds a stream object: its dictionary entries (without /Length) and its bytes.
    pub fn stream(self, n: u32, dict: &str, data: &[u8]) -> Raw {
        let mut body = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
        body.extend_from_slice(data);
        body.extend_from_slice(b"\nendstream");
        self.obj(n, body)
    }

    /// More trailer entries (after /Root and /Size).
    pub fn trailer(mut self, extra: &str) -> Raw {
        self.trailer.push(' ');
        self.trailer.push_str(extra);
        self
    }

    /// The file, with its xref table and trailer.
    pub fn build(&self) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let size = self.objects.iter().map(|o| o.0).max().unwrap_or(0) + 1;
        let mut offsets = vec![None; size as usize];
        for (n, body) in &self.objects {
            offsets[*n as usize] = Some(out.len());
            writeln!(out, "{n} 0 obj").unwrap();
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        write!(out, "xref\n0 {size}\n0000000000 65535 f \n").unwrap();
        for o in offsets.iter().skip(1) {
            match o {
                Some(at) => writeln!(out, "{at:010} 00000 n ").unwrap(),
                None => out.extend_from_slice(b"0000000000 65535 f \n"),
            }
        }
        write!(
            out,
            "trailer\n<< /Size {size} {} >>\nstartxref\n{xref}\n%%EOF\n",
            self.trailer
        )
        .unwrap();
        out
    }
}

/// A PDF string literal of `s` in WinAnsi, with its delimiters escaped.
fn pdf_string(s: &str) -> Vec<u8> {
    let mut out = b"(".to_vec();
    for c in s.chars() {
        let b: u8 = match c {
            '(' | ')' | '\\' => {
                out.push(b'\\');
                c as u8
            }
            '\u{2019}' => 0x92,
            '\u{2018}' => 0x91,
            '\u{201c}' => 0x93,
            '\u{201d}' => 0x94,
            '\u{2013}' => 0x96,
            '\u{2014}' => 0x97,
            '\u{2026}' => 0x85,
            c if (c as u32) < 0x7f && !c.is_control() => c as u8,
            c if (0xa0..=0xff).contains(&(c as u32)) => c as u32 as u8,
            _ => b'?',
        };
        out.push(b);
    }
    out.push(b')');
    out
}

/// Words of a paragraph wrapped into lines of at most `width` characters.
fn wrap(paragraph: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for w in paragraph.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + w.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(w);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Document metadata written to the Info dictionary.
pub struct Meta<'a> {
    /// /Title.
    pub title: &'a str,
    /// /Author.
    pub author: &'a str,
    /// /CreationDate as YYYYMMDD.
    pub date: &'a str,
}

/// A report: the title as a heading on page 1, then the paragraphs, wrapped at 80
/// characters, 40 lines a page (a blank line between paragraphs), Helvetica 11.
/// `breaks` are paragraph indexes that start a new page.
pub fn report(meta: &Meta, paragraphs: &[String], breaks: &[usize]) -> Vec<u8> {
    let mut pages: Vec<Vec<Vec<u8>>> = vec![vec![pdf_string(meta.title), Vec::new()]];
    for (i, p) in paragraphs.iter().enumerate() {
        let lines = wrap(p, 80);
        let page_len = pages.last().map_or(0, Vec::len);
        if breaks.contains(&i) || page_len + lines.len() > 40 {
            pages.push(Vec::new());
        }
        let page = pages.last_mut().unwrap();
        page.extend(lines.iter().map(|l| pdf_string(l)));
        page.push(Vec::new());
    }
    let n = pages.len() as u32;
    // 1 catalog, 2 pages, 3 font, 4 info, then page k at 5 + 2k, its content at 6 + 2k.
    let kids: Vec<String> = (0..n).map(|k| format!("{} 0 R", 5 + 2 * k)).collect();
    let mut raw = Raw::new()
        .obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
        .obj(
            2,
            format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")),
        )
        .obj(
            3,
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        );
    let mut info = b"<< /Title ".to_vec();
    info.extend(pdf_string(meta.title));
    info.extend(b" /Author ");
    info.extend(pdf_string(meta.author));
    info.extend(format!(" /CreationDate (D:{}120000Z) >>", meta.date).into_bytes());
    raw = raw.obj(4, info).trailer("/Info 4 0 R");
    for (k, lines) in pages.iter().enumerate() {
        let k = k as u32;
        let mut content = b"BT /F1 11 Tf 14 TL 72 760 Td\n".to_vec();
        for l in lines {
            if !l.is_empty() {
                content.extend_from_slice(l);
                content.extend_from_slice(b" Tj ");
            }
            content.extend_from_slice(b"T*\n");
        }
        content.extend_from_slice(b"ET");
        raw = raw
            .obj(
                5 + 2 * k,
                format!(
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                    6 + 2 * k
                ),
            )
            .stream(6 + 2 * k, "", &content);
    }
    raw.build()
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// `n` zero bytes, deflated, without holding them (a compression bomb's payload).
fn zeros_zlib(n: usize) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![0u8; 1 << 20];
    let mut left = n;
    while left > 0 {
        let k = left.min(chunk.len());
        e.write_all(&chunk[..k]).unwrap();
        left -= k;
    }
    e.finish().unwrap()
}

/// A one-page document around this content stream (uncompressed) and font.
fn one_page(content: &[u8]) -> Raw {
    page_with("", content)
}

/// A one-page document whose content stream has these dictionary entries and bytes.
fn page_with(dict: &str, content: &[u8]) -> Raw {
    Raw::new()
        .obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
        .obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
        .obj(
            3,
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        )
        .stream(4, dict, content)
        .obj(5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
}

const SAY: &[u8] = b"BT /F1 11 Tf 72 720 Td (Twitter suspended 2,617 accounts in Iran.) Tj ET\n";

/// The hostile PDFs, by name, made once per process (the bombs take seconds to deflate).
/// Each must be read or refused in bounded time and memory.
pub fn hostile() -> &'static [(&'static str, Vec<u8>)] {
    static MADE: std::sync::OnceLock<Vec<(&'static str, Vec<u8>)>> = std::sync::OnceLock::new();
    MADE.get_or_init(make_hostile)
}

fn make_hostile() -> Vec<(&'static str, Vec<u8>)> {
    let mut v: Vec<(&'static str, Vec<u8>)> = Vec::new();
    let gib = 1usize << 30;
    // Compression bombs: a content stream, a double-deflated one, an object stream.
    let bomb = zeros_zlib(gib);
    v.push((
        "flate-bomb-1gib.pdf",
        page_with("/Filter /FlateDecode", &bomb).build(),
    ));
    v.push((
        "double-flate-bomb.pdf",
        page_with("/Filter [/FlateDecode /FlateDecode]", &zlib(&bomb)).build(),
    ));
    v.push((
        "object-stream-bomb.pdf",
        one_page(SAY)
            .stream(6, "/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", &bomb)
            .build(),
    ));
    let small = zeros_zlib(64 << 20);
    v.push((
        "many-small-bombs.pdf",
        (0..64u32)
            .fold(one_page(SAY), |r, k| {
                r.stream(10 + k, "/Filter /FlateDecode", &small)
            })
            .build(),
    ));
    // Deep nesting, in the objects and in the content stream.
    v.push((
        "deep-arrays-100k.pdf",
        one_page(SAY)
            .obj(6, format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)))
            .build(),
    ));
    v.push((
        "deep-dicts-50k.pdf",
        one_page(SAY)
            .obj(
                6,
                format!("{}{}", "<< /A ".repeat(50_000), ">>".repeat(50_000)),
            )
            .build(),
    ));
    let mut deep_content = SAY.to_vec();
    deep_content.extend(format!("[{}]", "[".repeat(100_000)).into_bytes());
    v.push(("deep-content-arrays.pdf", one_page(&deep_content).build()));
    v.push((
        "deep-strings-100k.pdf",
        one_page(
            format!(
                "BT /F1 11 Tf ({}x{}) Tj ET",
                "(".repeat(100_000),
                ")".repeat(100_000)
            )
            .as_bytes(),
        )
        .build(),
    ));
    // Object graphs: cycles and long chains.
    v.push((
        "page-tree-cycle.pdf",
        Raw::new()
            .obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
            .obj(2, "<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>")
            .obj(3, "<< /Type /Pages /Kids [2 0 R] /Parent 2 0 R /Count 1 >>")
            .build(),
    ));
    let depth = 20_000u32;
    let chain = (0..depth).fold(
        Raw::new().obj(1, "<< /Type /Catalog /Pages 2 0 R >>"),
        |r, k| {
            let n = 2 + k;
            let kids = if k + 1 < depth {
                format!("{} 0 R", n + 1)
            } else {
                String::new()
            };
            r.obj(n, format!("<< /Type /Pages /Kids [{kids}] /Count 1 >>"))
        },
    );
    v.push(("page-tree-20k-deep.pdf", chain.build()));
    v.push((
        "parent-cycle-resources.pdf",
        Raw::new()
            .obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
            .obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 3 0 R >>")
            .obj(3, "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>")
            .stream(4, "", SAY)
            .build(),
    ));
    v.push((
        "form-xobject-draws-itself.pdf",
        Raw::new()
            .obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
            .obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
            .obj(
                3,
                "<< /Type /Page /Parent 2 0 R /Resources << /XObject << /X 5 0 R >> /Font << /F1 6 0 R >> >> /Contents 4 0 R >>",
            )
            .stream(4, "", b"/X Do")
            .stream(
                5,
                "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X 5 0 R >> /Font << /F1 6 0 R >> >>",
                b"BT /F1 11 Tf (loop) Tj ET /X Do",
            )
            .obj(6, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
            .build(),
    ));
    let lengths = (0..10_000u32).fold(one_page(SAY), |r, k| {
        r.obj(10 + k, format!("{} 0 R", 11 + k))
    });
    v.push(("reference-chain-10k.pdf", lengths.build()));
    v.push((
        "count-claims-2-billion-pages.pdf",
        Raw::new()
            .obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
            .obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 2147483647 >>")
            .obj(3, "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>")
            .stream(4, "", SAY)
            .build(),
    ));
    // Broken structure.
    let good = one_page(SAY).build();
    let mut bad_xref = good.clone();
    if let Some(at) = find(&bad_xref, b"xref\n") {
        for b in &mut bad_xref[at + 30..at + 60] {
            if b.is_ascii_digit() {
                *b = b'9';
            }
        }
    }
    v.push(("broken-xref-offsets.pdf", bad_xref));
    let no_xref = good[..find(&good, b"xref\n").unwrap_or(good.len())].to_vec();
    v.push(("no-xref-no-trailer.pdf", no_xref));
    let mut looping = good.clone();
    let startxref = find(&looping, b"startxref\n").unwrap_or(0);
    let xref_at = find(&looping, b"xref\n").unwrap_or(0);
    looping.truncate(startxref);
    looping.extend(
        format!(
            "trailer\n<< /Size 6 /Root 1 0 R /Prev {xref_at} >>\nstartxref\n{xref_at}\n%%EOF\n"
        )
        .into_bytes(),
    );
    v.push(("xref-prev-loops.pdf", looping));
    v.push(("truncated-half.pdf", good[..good.len() / 2].to_vec()));
    v.push(("header-only.pdf", b"%PDF-1.7\n".to_vec()));
    let mut garbage = b"%PDF-1.4\n".to_vec();
    garbage.extend((0..200_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    v.push(("garbage-after-header.pdf", garbage));
    v.push((
        "stream-length-beyond-eof.pdf",
        Raw::new()
            .obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
            .obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
            .obj(3, "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>")
            .obj(
                4,
                b"<< /Length 999999999999 >>\nstream\nBT (x) Tj ET".to_vec(),
            )
            .build(),
    ));
    v.push((
        "huge-numbers.pdf",
        one_page(b"BT /F1 1e309 Tf 99999999999999999999999 -1e400 Td (Twitter suspended 99999999999999999999 accounts.) Tj ET")
            .obj(6, "<< /Count 99999999999999999999999999 /W 1e309 >>")
            .build(),
    ));
    // Encrypted with a password nobody gave us.
    v.push((
        "encrypted-rc4.pdf",
        one_page(SAY)
            .obj(
                6,
                "<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 /O <0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef> /U <fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210> >>",
            )
            .trailer("/Encrypt 6 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]")
            .build(),
    ));
    // Sheer size of work: many pages, many operators, a wide ToUnicode map.
    let many = (0..20_000u32).fold(
        Raw::new()
            .obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
            .obj(
                2,
                format!(
                    "<< /Type /Pages /Kids [{}] /Count 20000 >>",
                    (0..20_000u32)
                        .map(|k| format!("{} 0 R", 10 + k))
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
            )
            .stream(3, "", b"BT ET"),
        |r, k| r.obj(10 + k, "<< /Type /Page /Parent 2 0 R /Contents 3 0 R >>"),
    );
    v.push(("pages-20k.pdf", many.build()));
    let ops = b"BT /F1 11 Tf (a) Tj ET\n".repeat(400_000);
    v.push(("operators-400k.pdf", one_page(&ops).build()));
    let mut cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange\n".to_vec();
    for _ in 0..100 {
        cmap.extend(b"1 beginbfrange <0000> <FFFF> <");
        cmap.extend("0041".repeat(200).into_bytes());
        cmap.extend(b"> endbfrange\n");
    }
    cmap.extend(b"endcmap end end");
    v.push((
        "tounicode-wide-ranges.pdf",
        Raw::new()
            .obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
            .obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
            .obj(
                3,
                "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            )
            .stream(4, "", b"BT /F1 11 Tf <00410042> Tj ET")
            .obj(
                5,
                "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /ToUnicode 6 0 R /DescendantFonts [7 0 R] >>",
            )
            .stream(6, "/Filter /FlateDecode", &zlib(&cmap))
            .obj(
                7,
                "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /W [0 [1000]] >>",
            )
            .build(),
    ));
    v
}

/// Where `needle` first occurs in `hay`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A story as a report: its title and date (the first page states it, as reports do),
/// then its paragraphs; `breaks` start new pages at those paragraph indexes.
pub fn story_report(title: &str, published: &str, body: &str, breaks: &[usize]) -> Vec<u8> {
    let date = chrono::NaiveDate::parse_from_str(published, "%Y-%m-%d").unwrap();
    let mut paragraphs = vec![date.format("%B %-d, %Y").to_string()];
    paragraphs.extend(
        body.split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string),
    );
    let compact = published.replace('-', "");
    report(
        &Meta {
            title,
            author: "Threat Intelligence Team",
            date: &compact,
        },
        &paragraphs,
        breaks,
    )
}

/// A fixture page's golden body as a report (`fixtures/pages/<slug>/`), with its
/// expected claims.
pub fn fixture_report(slug: &str) -> (Vec<u8>, serde_json::Value) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/pages")
        .join(slug);
    let body = std::fs::read_to_string(dir.join("body.golden.txt")).unwrap();
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let title = expected["title"].as_str().unwrap_or("Report").to_string();
    let published = expected["published"]
        .as_str()
        .unwrap_or("2020-01-01")
        .to_string();
    (story_report(&title, &published, &body, &[3]), expected)
}
