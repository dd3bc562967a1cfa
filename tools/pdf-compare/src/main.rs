//! Compares PDF text crates on PDFs with a gold text beside them (NAME.pdf + NAME.txt):
//! word and word-bigram recall of the gold text, time; `dump FILE CRATE` prints one
//! crate's pages; `gen OUT TXTDIR...` writes the hostile PDFs of `tests/pdfgen.rs` to
//! OUT/hostile and a report of every NAME.txt to OUT/written.
use std::time::Instant;

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}
fn bigram_recall(gold: &str, got: &str) -> (f64, f64) {
    use std::collections::HashMap;
    let g = words(gold);
    let t = words(got);
    let mut have: HashMap<String, usize> = HashMap::new();
    for w in t.windows(2) {
        *have.entry(w.join(" ")).or_default() += 1;
    }
    let mut hit = 0;
    let n = g.len().saturating_sub(1);
    for w in g.windows(2) {
        if let Some(c) = have.get_mut(&w.join(" ")) {
            if *c > 0 {
                *c -= 1;
                hit += 1;
            }
        }
    }
    let mut hw: HashMap<&str, usize> = HashMap::new();
    for w in &t {
        *hw.entry(w).or_default() += 1;
    }
    let mut wh = 0;
    for w in &g {
        if let Some(c) = hw.get_mut(w.as_str()) {
            if *c > 0 {
                *c -= 1;
                wh += 1;
            }
        }
    }
    (
        wh as f64 / g.len().max(1) as f64,
        hit as f64 / n.max(1) as f64,
    )
}

fn by_pdf_extract(b: &[u8]) -> Result<Vec<String>, String> {
    pdf_extract::extract_text_from_mem_by_pages(b).map_err(|e| e.to_string())
}
fn by_lopdf(b: &[u8]) -> Result<Vec<String>, String> {
    let doc = lopdf42::Document::load_mem(b).map_err(|e| e.to_string())?;
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    pages
        .iter()
        .map(|p| doc.extract_text(&[*p]).map_err(|e| e.to_string()))
        .collect()
}
fn by_lopdf47(b: &[u8]) -> Result<Vec<String>, String> {
    let opts = lopdf::LoadOptions::with_max_decompressed_size(64 << 20);
    let doc = lopdf::Document::load_mem_with_options(b, opts).map_err(|e| e.to_string())?;
    if doc.is_encrypted() {
        return Err("encrypted".into());
    }
    let pages: Vec<u32> = doc.get_pages().keys().copied().take(1000).collect();
    Ok(pages
        .iter()
        .map(|p| {
            doc.extract_text_chunks_with_limit(&[*p], 4 << 20)
                .into_iter()
                .filter_map(|c| c.ok())
                .collect::<String>()
        })
        .collect())
}
fn by_pdf_rs(b: &[u8]) -> Result<Vec<String>, String> {
    use pdf::content::{Op, TextDrawAdjusted};
    use pdf::object::Resolve;
    let file = pdf::file::FileOptions::cached()
        .load(b.to_vec())
        .map_err(|e| e.to_string())?;
    let r = file.resolver();
    let mut out = Vec::new();
    for page in file.pages() {
        let page = page.map_err(|e| e.to_string())?;
        let mut text = String::new();
        let Some(content) = &page.contents else {
            out.push(text);
            continue;
        };
        let ops = content.operations(&r).map_err(|e| e.to_string())?;
        let res = page.resources().map_err(|e| e.to_string())?;
        let mut map: Option<pdf::font::ToUnicodeMap> = None;
        let mut cid = false;
        let decode =
            |s: &[u8], map: &Option<pdf::font::ToUnicodeMap>, cid: bool, text: &mut String| {
                match map {
                    Some(m) if cid => {
                        for c in s.chunks(2) {
                            if c.len() == 2 {
                                if let Some(u) = m.get(u16::from_be_bytes([c[0], c[1]])) {
                                    text.push_str(u)
                                }
                            }
                        }
                    }
                    Some(m) => {
                        for &c in s {
                            match m.get(c as u16) {
                                Some(u) => text.push_str(u),
                                None => text.push(c as char),
                            }
                        }
                    }
                    None => text.push_str(&String::from_utf8_lossy(s)),
                }
            };
        for op in ops {
            match op {
                Op::TextFont { name, .. } => {
                    map = None;
                    cid = false;
                    if let Some(f) = res.fonts.get(&name) {
                        if let Ok(f) = f.load(&r) {
                            cid = f.is_cid();
                            map = f.to_unicode(&r).and_then(|m| m.ok());
                        }
                    }
                }
                Op::TextDraw { text: s } => decode(s.as_bytes(), &map, cid, &mut text),
                Op::TextDrawAdjusted { array } => {
                    for a in array {
                        match a {
                            TextDrawAdjusted::Text(s) => decode(s.as_bytes(), &map, cid, &mut text),
                            TextDrawAdjusted::Spacing(x) if x < -200.0 => text.push(' '),
                            _ => {}
                        }
                    }
                }
                Op::TextNewline | Op::MoveTextPosition { .. } | Op::SetTextMatrix { .. } => {
                    text.push('\n')
                }
                Op::BeginText => text.push(' '),
                _ => {}
            }
        }
        let _ = r.options();
        out.push(text);
    }
    Ok(out)
}

#[path = "../../../tests/pdfgen.rs"]
#[allow(dead_code)]
mod pdfgen;

fn generate(out: &str) {
    std::fs::create_dir_all(format!("{out}/hostile")).unwrap();
    std::fs::create_dir_all(format!("{out}/written")).unwrap();
    for (n, b) in pdfgen::hostile().iter() {
        std::fs::write(format!("{out}/hostile/{n}"), b).unwrap();
    }
    for src in std::env::args().skip(3) {
        for e in std::fs::read_dir(src).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "txt") {
                let t = std::fs::read_to_string(&p).unwrap();
                let paras: Vec<String> = t
                    .split("\n\n")
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                let b = pdfgen::report(
                    &pdfgen::Meta {
                        title: "Report",
                        author: "Someone",
                        date: "20190131",
                    },
                    &paras,
                    &[],
                );
                let stem = p.file_stem().unwrap().to_string_lossy().to_string();
                std::fs::write(format!("{out}/written/{stem}.pdf"), b).unwrap();
                std::fs::write(
                    format!("{out}/written/{stem}.txt"),
                    format!("Report\n\n{t}"),
                )
                .unwrap();
            }
        }
    }
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("dump") {
        let b = std::fs::read(std::env::args().nth(2).unwrap()).unwrap();
        let w = std::env::args().nth(3).unwrap();
        let r = match w.as_str() {
            "lopdf42" => by_lopdf(&b),
            "lopdf" => by_lopdf47(&b),
            "pdf" => by_pdf_rs(&b),
            _ => by_pdf_extract(&b),
        };
        for (i, p) in r.unwrap().iter().enumerate() {
            println!("=== page {}\n{:?}", i + 1, p);
        }
        return;
    }
    if std::env::args().nth(1).as_deref() == Some("gen") {
        generate(&std::env::args().nth(2).unwrap());
        return;
    }
    let dir = std::env::args().nth(1).expect("dir");
    let which = std::env::args().nth(2);
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    names.sort();
    let crates: [(&str, fn(&[u8]) -> Result<Vec<String>, String>); 4] = [
        ("pdf-extract", by_pdf_extract),
        ("lopdf 0.42 extract_text", by_lopdf),
        ("lopdf 0.47 with limits", by_lopdf47),
        ("pdf", by_pdf_rs),
    ];
    for (name, f) in crates {
        if which.as_deref().is_some_and(|w| w != name) {
            continue;
        }
        let (mut tw, mut tb, mut n, mut t, mut fails) = (0.0, 0.0, 0, 0.0, 0);
        for p in &names {
            let b = std::fs::read(p).unwrap();
            let gold = std::fs::read_to_string(p.with_extension("txt")).unwrap_or_default();
            let start = Instant::now();
            let r = std::panic::catch_unwind(|| f(&b));
            let dt = start.elapsed().as_secs_f64();
            t += dt;
            match r {
                Ok(Ok(pages)) => {
                    let all = pages.join("\n");
                    if gold.is_empty() {
                        println!(
                            "  {name} {} pages={} chars={} {:.1}ms",
                            p.display(),
                            pages.len(),
                            all.len(),
                            dt * 1e3
                        );
                        continue;
                    }
                    let (w, bg) = bigram_recall(&gold, &all);
                    tw += w;
                    tb += bg;
                    n += 1;
                    if std::env::var("V").is_ok() {
                        println!(
                            "  {name} {} words {:.3} bigrams {:.3} pages {} {:.1}ms",
                            p.display(),
                            w,
                            bg,
                            pages.len(),
                            dt * 1e3
                        );
                    }
                }
                Ok(Err(e)) => {
                    fails += 1;
                    println!(
                        "  {name} {} error: {}",
                        p.display(),
                        e.chars().take(120).collect::<String>()
                    )
                }
                Err(_) => {
                    fails += 1;
                    println!("  {name} {} PANIC", p.display())
                }
            }
        }
        println!(
            "{name}: {n} read, {fails} failed, word recall {:.3}, bigram recall {:.3}, total {:.1} ms",
            tw / n.max(1) as f64,
            tb / n.max(1) as f64,
            t * 1e3
        );
    }
}
