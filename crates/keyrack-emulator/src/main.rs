//! `keyrack-emulator`: serve the five vendors' API-key endpoints on one listener. Prints the
//! sandbox manifest as ONE line of JSON on stdout, logs to stderr, stops on SIGINT/SIGTERM.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use keyrack_emulator::{start, EmulatorOptions, SeedOptions};

#[derive(Debug, Parser)]
#[command(name = "keyrack-emulator", version, about)]
struct Args {
    /// Address to listen on; port 0 picks a free port (see base_url in the manifest).
    #[arg(long, default_value = "127.0.0.1:0", env = "KEYRACK_EMULATOR_LISTEN")]
    listen: SocketAddr,
    /// Also write the manifest to this file.
    #[arg(long, value_name = "FILE")]
    manifest: Option<PathBuf>,
    /// Keep state in this file across restarts (created if missing, rewritten on every change).
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Seed the admin identities only, no demo keys.
    #[arg(long)]
    empty: bool,
    /// Seed this many extra keys per vendor, for load tests.
    #[arg(long, value_name = "N", default_value_t = 0)]
    seed_keys: usize,
    /// Add this much latency to every vendor request.
    #[arg(long, value_name = "N", default_value_t = 0)]
    latency_ms: u64,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    match run(args).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let options = EmulatorOptions {
        listen: Some(args.listen),
        seed: SeedOptions {
            empty: args.empty,
            extra_keys: args.seed_keys,
        },
        state_file: args.state.clone(),
        latency_ms: args.latency_ms,
        ..EmulatorOptions::default()
    };
    let signals =
        StopSignals::register().map_err(|e| format!("could not install signal handlers: {e}"))?;
    let emulator = start(options)
        .await
        .map_err(|e| format!("could not start the emulator on {}: {e}", args.listen))?;

    let line = emulator.manifest().to_string();
    if let Some(path) = &args.manifest {
        write_private(path, &line)
            .map_err(|e| format!("could not write the manifest to {}: {e}", path.display()))?;
    }
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{line}")
            .and_then(|()| stdout.flush())
            .map_err(|e| format!("could not print the manifest: {e}"))?;
    }
    tracing::info!("keyrack emulator serving at {}", emulator.base_url);

    signals.wait().await;
    tracing::info!("stopping");
    // In-flight requests may finish; one stuck in an injected latency must not block the exit.
    if tokio::time::timeout(std::time::Duration::from_secs(5), emulator.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still running after 5 s; exiting anyway");
    }
    Ok(())
}

/// The manifest holds the sandbox's admin credentials: owner-only, written whole or not at all.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(format!(".tmp.{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp)?;
    writeln!(file, "{text}")?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}

/// Stop signals, registered before the manifest is printed so that a supervisor that stops us
/// right after reading it is obeyed rather than killing us mid-start.
struct StopSignals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl StopSignals {
    fn register() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Ok(StopSignals {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(StopSignals {})
    }

    async fn wait(mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
