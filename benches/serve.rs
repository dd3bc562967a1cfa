//! Load on `takedowns serve`: the real binary on loopback over the demo knowledge base,
//! 8 client threads on keep-alive connections sending a mix of searches, fact lists and
//! verifications with 10% malformed requests. Prints requests/s and latency percentiles
//! for the well-formed and the malformed requests, and fails loudly on any status that
//! is not the expected one (200 for good, 4xx for bad).
//!
//! `cargo bench --bench serve` (add `-- --requests N` to change the 2,000 per round, and
//! `-- --kb DIR` to load an existing knowledge base instead of the demo one, such as the
//! 1M-claim one `cargo bench --bench kb` leaves in `target/bench-kb/q1000000`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const THREADS: usize = 8;

const GOOD: &[&str] = &[
    "/api/search?country=IR",
    "/api/search?country=RU&platform=facebook",
    "/api/search?q=coordinated%20inauthentic",
    "/api/search?q=accounts&since=2019&until=2020",
    "/api/search?platform=twitter&min_count=1000&limit=100",
    "/api/search?q=%22state-backed%22%20OR%20propaganda&country=Iran",
    "/api/search?since=2024-01&limit=50",
    "/api/search?q=removed&offset=40",
    "/api/facts?country=IR",
    "/api/facts?platform=meta&since=2023",
    "/api/verify?statement=Twitter%20suspended%202%2C617%20accounts%20in%20Iran%20in%20January%202019",
    "/api/search",
];

fn bad(i: usize) -> String {
    match i % 6 {
        0 => "/api/search?country=Atlantis".into(),
        1 => "/api/search?since=last-week".into(),
        2 => "/api/search?limit=0".into(),
        3 => format!("/api/search?q={}x{}", "(".repeat(30), ")".repeat(30)),
        4 => "/api/search?contry=IR".into(),
        _ => format!("/api/search?q={}", "z".repeat(6000)),
    }
}

/// One request on a keep-alive connection: its status.
fn request(conn: &mut BufReader<TcpStream>, target: &str) -> u16 {
    write!(
        conn.get_mut(),
        "GET {target} HTTP/1.1\r\nHost: bench\r\n\r\n"
    )
    .unwrap();
    let mut line = String::new();
    conn.read_line(&mut line).unwrap();
    let status: u16 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    let mut len = 0usize;
    loop {
        line.clear();
        conn.read_line(&mut line).unwrap();
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            len = v.trim().parse().unwrap();
        }
    }
    let mut body = vec![0u8; len];
    conn.read_exact(&mut body).unwrap();
    status
}

fn pct(v: &mut [Duration], p: f64) -> f64 {
    v.sort();
    let i = ((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1;
    v[i].as_secs_f64() * 1000.0
}

fn round(addr: &str, total: usize) {
    let per = total / THREADS;
    let t = Instant::now();
    let handles: Vec<_> = (0..THREADS)
        .map(|th| {
            let addr = addr.to_string();
            std::thread::spawn(move || {
                let stream = TcpStream::connect(&addr).unwrap();
                stream.set_nodelay(true).unwrap();
                let mut conn = BufReader::new(stream);
                let mut good = Vec::with_capacity(per);
                let mut malformed = Vec::with_capacity(per / 10 + 1);
                for i in 0..per {
                    let n = th * per + i;
                    let is_bad = n % 10 == 9;
                    let target = if is_bad {
                        bad(n / 10)
                    } else {
                        GOOD[n % GOOD.len()].to_string()
                    };
                    let t = Instant::now();
                    let status = request(&mut conn, &target);
                    let took = t.elapsed();
                    if is_bad {
                        assert!((400..500).contains(&status), "{target}: {status}");
                        malformed.push(took);
                        // An over-long target may close the connection; open another.
                        if status == 414 || status == 431 {
                            let s = TcpStream::connect(&addr).unwrap();
                            s.set_nodelay(true).unwrap();
                            conn = BufReader::new(s);
                        }
                    } else {
                        assert_eq!(status, 200, "{target}");
                        good.push(took);
                    }
                }
                (good, malformed)
            })
        })
        .collect();
    let (mut good, mut malformed) = (Vec::new(), Vec::new());
    for h in handles {
        let (g, m) = h.join().unwrap();
        good.extend(g);
        malformed.extend(m);
    }
    let secs = t.elapsed().as_secs_f64();
    let n = good.len() + malformed.len();
    println!(
        "{n} requests ({} well-formed, all 200; {} malformed, all 4xx) from {THREADS} threads in {secs:.2} s: {:.0} requests/s",
        good.len(),
        malformed.len(),
        n as f64 / secs
    );
    println!(
        "  well-formed: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        pct(&mut good, 0.50),
        pct(&mut good, 0.90),
        pct(&mut good, 0.99),
        pct(&mut good, 1.0)
    );
    println!(
        "  malformed:   p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        pct(&mut malformed, 0.50),
        pct(&mut malformed, 0.99),
        pct(&mut malformed, 1.0)
    );
}

/// 100 idle and 100 trickling clients that reconnect whenever the server drops them,
/// until `stop` is set.
fn hogs(
    addr: &str,
    stop: &std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> Vec<std::thread::JoinHandle<()>> {
    use std::sync::atomic::Ordering;
    (0..200)
        .map(|i| {
            let addr = addr.to_string();
            let stop = stop.clone();
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let Ok(mut s) = TcpStream::connect(&addr) else {
                        std::thread::sleep(Duration::from_millis(50));
                        continue;
                    };
                    let _ = s.set_read_timeout(Some(Duration::from_millis(200)));
                    if i % 2 == 0 {
                        let mut b = [0u8; 64];
                        loop {
                            match s.read(&mut b) {
                                Ok(0) => break,
                                Ok(_) => {}
                                Err(_) if stop.load(Ordering::Relaxed) => return,
                                Err(_) => {}
                            }
                        }
                    } else {
                        let _ = s.write_all(b"GET /api/search HTTP/1.1\r\nHost: x\r\n");
                        while !stop.load(Ordering::Relaxed) {
                            std::thread::sleep(Duration::from_millis(200));
                            if s.write_all(b"X-Slow: y\r\n").is_err() {
                                break;
                            }
                        }
                    }
                }
            })
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let total: usize = args
        .iter()
        .position(|a| a == "--requests")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin = env!("CARGO_BIN_EXE_takedowns");
    let given = args
        .iter()
        .position(|a| a == "--kb")
        .and_then(|i| args.get(i + 1))
        .map(std::path::PathBuf::from);
    let kb = match &given {
        Some(k) => k.clone(),
        None => {
            let kb = root.join("target/bench-serve/kb");
            let _ = std::fs::remove_dir_all(&kb);
            let built = Command::new(bin)
                .args(["build", "--json", "--kb", kb.to_str().unwrap()])
                .current_dir(root)
                .output()
                .unwrap();
            assert!(built.status.success(), "build failed");
            kb
        }
    };
    let mut child = Command::new(bin)
        .args([
            "serve",
            "--kb",
            kb.to_str().unwrap(),
            "--addr",
            "127.0.0.1:0",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    let addr = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .unwrap()
        .trim_end_matches('/')
        .to_string();
    std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
    println!("takedowns serve on {addr}, knowledge base {}", kb.display());
    // A warm-up round so the page cache and the searcher are as in steady use.
    round(&addr, 400);
    println!("-- measured:");
    round(&addr, total);
    round(&addr, total * 10);
    println!("-- with 100 idle and 100 slowloris clients connected (reconnecting when cut):");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let hog_threads = hogs(&addr, &stop);
    std::thread::sleep(Duration::from_millis(500));
    round(&addr, total);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for h in hog_threads {
        let _ = h.join();
    }
    let _ = child.kill();
    let _ = child.wait();
}
