//! Tracing to a daily-rotated file in the platform log directory, plus stderr in debug builds.
//! Filter with `KEYRACK_LOG` (same syntax as `RUST_LOG`); the default is `info`.

use std::path::Path;
use std::sync::Mutex;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{self, Rotation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter};

/// Log files kept before the oldest is deleted (one per day).
const KEEP_FILES: usize = 7;

/// Keeps the file writer's background thread alive; `flush` writes out what is buffered.
pub struct LogGuard(Mutex<Option<WorkerGuard>>);

impl LogGuard {
    pub fn flush(&self) {
        // Dropping the worker guard flushes and stops the writer thread.
        if let Ok(mut guard) = self.0.lock() {
            guard.take();
        }
    }
}

pub fn init(log_dir: &Path) -> Result<LogGuard, Box<dyn std::error::Error>> {
    // Private (0700) when Keyrack creates it: log lines name accounts and keys.
    keyrack_core::fsutil::create_private_dir(log_dir)?;
    let appender = rolling::Builder::new()
        .rotation(Rotation::DAILY)
        .filename_prefix("keyrack")
        .filename_suffix("log")
        .max_log_files(KEEP_FILES)
        .build(log_dir)?;
    let (file, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env("KEYRACK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let stderr = cfg!(debug_assertions).then(|| fmt::layer().with_writer(std::io::stderr));
    tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer().with_ansi(false).with_writer(file))
        .with(stderr)
        .try_init()?;
    Ok(LogGuard(Mutex::new(Some(guard))))
}
