//! Loops the claim scan over the benchmark pages, for profiling:
//! `cargo run --release --example claims_profile`.

use std::io::Read;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/bench/article-extraction/html");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        eprintln!("no benchmark pages at {}", dir.display());
        return;
    };
    let mut articles = Vec::new();
    for e in rd.flatten() {
        let mut bytes = Vec::new();
        let read = std::fs::File::open(e.path())
            .and_then(|f| flate2::read::GzDecoder::new(f).read_to_end(&mut bytes));
        if read.is_ok()
            && let Ok(a) =
                takedowns::extract::extract(&bytes, &takedowns::extract::Options::default())
        {
            articles.push(a);
        }
    }
    let mut n = 0;
    for _ in 0..30 {
        for a in &articles {
            n += takedowns::claims::find(a).claims.len();
        }
    }
    println!("{n}");
}
