//! Load on `takedowns serve`: the real binary on loopback over the demo knowledge base,
//! 8 client threads on keep-alive connections sending a mix of searches, fact lists and
//! verifications with 10% malformed requests. Prints requests/s and latency percentiles
//! for the well-formed and the malformed requests, and fails loudly on any status that
//! is not the expected one (200 for good, 4xx for bad).
//!
//! Then memory under heavy pages: 50 clients at once ask for `/country/RU` on a synthetic
//! knowledge base of 12,000 claims, most of them from Russia, 10 rounds; the server's RSS
//! (`/proc/PID/status`) is printed before, at its peak and after.
//!
//! `cargo bench --bench serve` (add `-- --requests N` to change the 2,000 per round,
//! `-- --kb DIR` to load an existing knowledge base instead of the demo one for the load
//! and the synthetic one for the memory rounds, such as the 1M-claim one `cargo bench
//! --bench kb` leaves in `target/bench-kb/q1000000`, `-- --country XX` for another
//! country page, and `-- --quick` for a smoke run: 400 requests per round and 2 rounds of
//! country pages).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{Rng, grouped};
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

/// One request on a keep-alive connection: its status and body length.
fn request(conn: &mut BufReader<TcpStream>, target: &str) -> (u16, usize) {
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
    (status, len)
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
                    let (status, _) = request(&mut conn, &target);
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

/// A news page with five takedown sentences, three in five of them about Russia (so the
/// Russia page is the heavy one, as on the real knowledge base).
fn synthetic_page(rng: &mut Rng, k: usize) -> String {
    const PLATFORMS: &[&str] = &[
        "Twitter",
        "Facebook",
        "Meta",
        "YouTube",
        "TikTok",
        "OpenAI",
        "Microsoft",
        "Reddit",
        "Telegram",
        "Google",
    ];
    const OTHERS: &[&str] = &["Iran", "China", "Venezuela", "Egypt", "Nigeria", "Serbia"];
    const OBJECTS: &[&str] = &["accounts", "Pages", "channels", "profiles"];
    let (year, month, day) = (2018 + rng.below(8), 1 + rng.below(12), 1 + rng.below(28));
    let mut paras = String::new();
    for _ in 0..5 {
        let country = if rng.below(5) < 3 {
            "Russia"
        } else {
            *rng.pick(OTHERS)
        };
        paras.push_str(&format!(
            "<p>{} said it had removed {} {} linked to {country} in a coordinated inauthentic behavior takedown.</p>\n\
             <p>Researchers said much of the content was recycled from state media.</p>\n",
            rng.pick(PLATFORMS),
            grouped(10 + rng.below(90_000)),
            rng.pick(OBJECTS)
        ));
    }
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Takedown report {k} | Synthetic News</title>\
<link rel=\"canonical\" href=\"https://synthetic.example/{year}/{month:02}/{day:02}/story-{k}\">\
<meta property=\"article:published_time\" content=\"{year}-{month:02}-{day:02}T12:00:00Z\"></head>\
<body><article><h1>Takedown report {k}</h1>{paras}</article></body></html>"
    )
}

/// A knowledge base of at least `claims` claims ingested from synthetic pages by the
/// binary, kept in `target/bench-serve/big` and reused while it has enough and this
/// version can open it (one made with other fields is made again).
fn synthetic_kb(bin: &str, root: &Path, claims: usize) -> std::path::PathBuf {
    let dir = root.join("target/bench-serve/big");
    let kb = dir.join("kb");
    let stamp = dir.join("claims");
    if let Some(n) = std::fs::read_to_string(&stamp)
        .ok()
        .and_then(|s| s.trim().parse::<usize>().ok())
        && n >= claims
        && takedowns::index::Kb::open(&kb, false).is_ok()
    {
        return kb;
    }
    let _ = std::fs::remove_dir_all(&dir);
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    // Five sentences a page, some of which the extractor reads as more than one claim.
    let pages = claims.div_ceil(5);
    for k in 0..pages {
        std::fs::write(
            corpus.join(format!("p{k:06}.html")),
            synthetic_page(&mut rng, k),
        )
        .unwrap();
    }
    let t = Instant::now();
    let out = Command::new(bin)
        .args(["ingest", "--json", "--kb", kb.to_str().unwrap()])
        .arg(&corpus)
        .current_dir(root)
        .output()
        .unwrap();
    assert!(out.status.success(), "ingest failed");
    let _ = std::fs::remove_dir_all(&corpus);
    let got: usize = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["claims"].as_u64())
        .max()
        .unwrap_or(0) as usize;
    println!(
        "synthetic knowledge base: {pages} pages, {got} claims, ingested in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    assert!(got >= claims, "only {got} claims from {pages} pages");
    std::fs::write(&stamp, got.to_string()).unwrap();
    kb
}

/// `takedowns serve` on a free loopback port: the child and its address.
fn start(bin: &str, kb: &Path, extra: &[&str]) -> (std::process::Child, String) {
    let mut child = Command::new(bin)
        .args([
            "serve",
            "--kb",
            kb.to_str().unwrap(),
            "--addr",
            "127.0.0.1:0",
        ])
        .args(extra)
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
    (child, addr)
}

/// VmRSS and VmHWM of a process, in MiB.
fn rss_mib(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|k| k.parse::<f64>().ok())
            .map_or(0.0, |kib| kib / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// `clients` connections that ask for `target` at the same moment: the slowest answer
/// and the bytes of one.
fn burst(addr: &str, target: &str, clients: usize) -> (Duration, usize) {
    let gate = std::sync::Arc::new(std::sync::Barrier::new(clients));
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            let (addr, target, gate) = (addr.to_string(), target.to_string(), gate.clone());
            std::thread::spawn(move || {
                let stream = TcpStream::connect(&addr).unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_secs(60)))
                    .unwrap();
                let mut conn = BufReader::new(stream);
                gate.wait();
                let t = Instant::now();
                let (status, len) = request(&mut conn, &target);
                assert_eq!(status, 200, "{target}");
                (t.elapsed(), len)
            })
        })
        .collect();
    let (mut worst, mut bytes) = (Duration::ZERO, 0);
    for h in handles {
        let (took, len) = h.join().unwrap();
        worst = worst.max(took);
        bytes = bytes.max(len);
    }
    (worst, bytes)
}

/// Memory of the server while `clients` clients at a time ask for a heavy page, `rounds`
/// times.
fn memory_rounds(bin: &str, kb: &Path, target: &str, clients: usize, rounds: usize) {
    let (mut child, addr) = start(bin, kb, &["--cache-mib", "0"]);
    let pid = child.id();
    // One request first so the index is open and its caches warm, as in steady use.
    let (_, bytes) = burst(&addr, target, 1);
    let (before, _) = rss_mib(pid);
    let t = Instant::now();
    let mut worst = Duration::ZERO;
    for _ in 0..rounds {
        worst = worst.max(burst(&addr, target, clients).0);
    }
    let secs = t.elapsed().as_secs_f64();
    let (_, peak) = rss_mib(pid);
    std::thread::sleep(Duration::from_secs(2));
    let (after, _) = rss_mib(pid);
    println!(
        "{target} ({bytes} bytes) x {clients} at once x {rounds} rounds in {secs:.1} s, slowest {:.0} ms",
        worst.as_secs_f64() * 1000.0
    );
    println!(
        "  server RSS: before {before:.0} MiB, peak {peak:.0} MiB (+{:.0}), after {after:.0} MiB (+{:.0})",
        peak - before,
        after - before
    );
    let _ = child.kill();
    let _ = child.wait();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let total: usize = args
        .iter()
        .position(|a| a == "--requests")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(if quick { 400 } else { 2000 });
    let country = args
        .iter()
        .position(|a| a == "--country")
        .and_then(|i| args.get(i + 1))
        .map_or("RU", String::as_str);
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
    let (mut child, addr) = start(bin, &kb, &[]);
    println!("takedowns serve on {addr}, knowledge base {}", kb.display());
    // A warm-up round so the page cache and the searcher are as in steady use.
    round(&addr, 400);
    println!("-- measured:");
    round(&addr, total);
    if !quick {
        round(&addr, total * 10);
    }
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

    // The same mix with no answer kept: what each request costs when it is computed,
    // as for a question nobody asked since the last commit.
    let (mut child, addr) = start(bin, &kb, &["--cache-mib", "0"]);
    println!("-- every answer computed (serve --cache-mib 0):");
    round(&addr, 96);
    round(&addr, if quick { total.min(400) } else { total });
    let _ = child.kill();
    let _ = child.wait();

    let big = match &given {
        Some(k) => k.clone(),
        None => synthetic_kb(bin, root, 12_000),
    };
    println!("-- memory, knowledge base {}:", big.display());
    memory_rounds(
        bin,
        &big,
        &format!("/country/{country}"),
        50,
        if quick { 2 } else { 10 },
    );
}
