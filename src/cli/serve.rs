//! `takedowns serve`: the HTTP API and web UI, read-only, until stopped.

use super::{Global, UserError};
use std::io::{self, Write};
use std::process::ExitCode;
use takedowns::serve::{self, ServeConfig};

/// Arguments of `serve`.
#[derive(clap::Args, Debug)]
pub(super) struct Args {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    /// Seconds a client has to send a request's headers before it is disconnected.
    #[arg(long, default_value_t = 10)]
    header_timeout_secs: u64,
    /// Connections served at once; more wait until one closes.
    #[arg(long, default_value_t = 512)]
    max_connections: usize,
    /// MiB of answers kept for the knowledge base's current commit (0 keeps none).
    #[arg(long, default_value_t = 64)]
    cache_mib: usize,
}

/// Runs `serve`.
pub(super) fn run(a: Args, g: &Global) -> anyhow::Result<ExitCode> {
    if a.header_timeout_secs == 0 || a.max_connections == 0 {
        return Err(UserError(
            "--header-timeout-secs and --max-connections must be at least 1".into(),
        )
        .into());
    }
    let mut cfg = ServeConfig::new(g.kb.clone(), a.addr);
    cfg.header_timeout = std::time::Duration::from_secs(a.header_timeout_secs);
    cfg.max_connections = a.max_connections;
    cfg.cache_bytes = a.cache_mib.saturating_mul(1 << 20);
    let json = g.json;
    let kb = g.kb.display().to_string();
    serve::run(cfg, |at| {
        eprintln!("takedowns: serving {kb} at http://{at}/ (Ctrl-C stops)");
        if json {
            println!(
                "{}",
                serde_json::json!({"listening": format!("http://{at}/")})
            );
        }
        let _ = io::stdout().flush();
    })?;
    Ok(ExitCode::SUCCESS)
}
