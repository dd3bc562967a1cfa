//! Keeping watch: the same crawl again every period until stopped (`crawl --every 6h`).
//! Each round is an ordinary crawl into the same knowledge base, so it asks with the
//! validators it kept (If-None-Match, If-Modified-Since) and only new and changed pages
//! are added. SIGTERM or SIGINT ends the round in progress after its fetches in flight,
//! commits, keeps the frontier, and ends the watch; between rounds it ends it at once.

use super::{CrawlConfig, CrawlError, CrawlReport, Stop, run, runtime};
use std::time::Duration;

/// A period such as `6h`, `30m`, `90s` or `1d` (one number, one unit).
pub fn parse_every(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (n, unit) = t.split_at(split);
    let n: u64 = n
        .parse()
        .map_err(|_| format!("{text:?}: a period is a number and a unit (s, m, h, d), as 6h"))?;
    let secs = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("{text:?}: the unit must be s, m, h or d")),
    };
    if n == 0 {
        return Err(format!("{text:?}: the period must be more than 0"));
    }
    n.checked_mul(secs)
        .map(Duration::from_secs)
        .ok_or_else(|| format!("{text:?}: too long a period"))
}

/// Crawls, then again every `every` (counted from the start of each round), until a
/// stop is asked; `on_round` gets each round's report (a round that fetched nothing is
/// reported too, and the watch goes on).
pub fn watch(
    cfg: &CrawlConfig,
    every: Duration,
    mut on_round: impl FnMut(usize, &Result<CrawlReport, CrawlError>),
) -> Result<(), CrawlError> {
    runtime()?.block_on(async {
        if cfg.handle_signals {
            stop_on_signals(&cfg.stop)?;
        }
        for round in 1.. {
            let started = tokio::time::Instant::now();
            let r = run(cfg).await;
            on_round(round, &r);
            if let Err(e) = r
                && !matches!(e, CrawlError::NothingFetched { .. })
            {
                return Err(e);
            }
            if cfg.stop.asked() {
                break;
            }
            tokio::select! {
                _ = tokio::time::sleep_until(started + every) => {}
                _ = cfg.stop.wait() => break,
            }
        }
        Ok(())
    })
}

/// Asks `stop` when the process gets SIGTERM or SIGINT (on Unix).
pub(super) fn stop_on_signals(stop: &std::sync::Arc<Stop>) -> Result<(), CrawlError> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let setup = |e: std::io::Error| CrawlError::Setup(format!("signal handler: {e}"));
        for kind in [SignalKind::terminate(), SignalKind::interrupt()] {
            let mut s = signal(kind).map_err(setup)?;
            let stop = stop.clone();
            tokio::spawn(async move {
                if s.recv().await.is_some() {
                    stop.ask();
                }
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_have_one_number_and_one_unit() {
        assert_eq!(parse_every("6h"), Ok(Duration::from_secs(21_600)));
        assert_eq!(parse_every("30m"), Ok(Duration::from_secs(1_800)));
        assert_eq!(parse_every("1d"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_every("2s"), Ok(Duration::from_secs(2)));
        for bad in [
            "",
            "h",
            "6",
            "6 hours",
            "0h",
            "-1h",
            "1.5h",
            "99999999999999999999d",
        ] {
            assert!(parse_every(bad).is_err(), "{bad}");
        }
    }
}
