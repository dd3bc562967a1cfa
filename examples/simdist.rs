//! Prints SimHash distances between fixture pages whose names contain a tag:
//! `cargo run --release --example simdist -- TAG`.

fn main() {
    let tag = std::env::args().nth(1).unwrap_or_default();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pages");
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let Ok(bytes) = std::fs::read(e.path().join("page.html")) else {
            continue;
        };
        let Ok(a) = takedowns::extract::extract(&bytes, &Default::default()) else {
            continue;
        };
        v.push((name, takedowns::dedup::simhash(&a.body)));
    }
    v.sort();
    let mut min_other = 64;
    for (i, (a, ha)) in v.iter().enumerate() {
        for (b, hb) in v.iter().skip(i + 1) {
            let d = (ha ^ hb).count_ones();
            if a.contains(&tag) && b.contains(&tag) {
                println!("{d:>3}  {a}  ~  {b}");
            } else {
                min_other = min_other.min(d);
            }
        }
    }
    println!("closest pair of other pages: {min_other} bits");
}
