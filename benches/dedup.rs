//! Story grouping at scale: `cargo bench --bench dedup`. Groups N synthetic articles
//! (a fifth of them near-copies of another) for N up to 1M and prints the time per
//! article, which stays flat when the cost grows linearly. `-- --quick`: 50,000 articles
//! only (CI's smoke run).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;
use takedowns::dedup::{PageKey, stories};

fn main() {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let quick = std::env::args().any(|a| a == "--quick");
    let sizes: &[usize] = if quick {
        &[50_000]
    } else {
        &[125_000, 250_000, 500_000, 1_000_000]
    };
    for &n in sizes {
        let mut pages: Vec<PageKey> = Vec::with_capacity(n);
        for k in 0..n {
            let (simhash, text_hash) = if k % 5 == 4 && k > 0 {
                // A near-copy of an earlier page: a few bits flipped.
                let src = &pages[(next() as usize) % k];
                (
                    src.simhash ^ (1 << (next() % 64)) ^ (1 << (next() % 64)),
                    next(),
                )
            } else {
                (next(), next())
            };
            // Ten paragraphs; a copy keeps eight of its original's.
            let paragraphs: Vec<u64> = if k % 5 == 4 && k > 0 {
                let src = &pages[(simhash as usize) % k];
                src.paragraphs
                    .iter()
                    .skip(2)
                    .copied()
                    .chain([next(), next()])
                    .collect()
            } else {
                (0..10).map(|_| next()).collect()
            };
            pages.push(PageKey {
                snapshot: format!("{k:012}"),
                url: Some(format!("https://s{}.example/{k}", k % 977)),
                text_hash,
                simhash,
                words: 400,
                paragraphs,
            });
        }
        let t = Instant::now();
        let ids = stories(&pages);
        let secs = t.elapsed().as_secs_f64();
        let mut distinct = ids.clone();
        distinct.sort();
        distinct.dedup();
        println!(
            "{n:>9} articles grouped in {secs:>6.2} s  ({:.2} µs per article), {} stories",
            secs * 1e6 / n as f64,
            distinct.len()
        );
    }
}
