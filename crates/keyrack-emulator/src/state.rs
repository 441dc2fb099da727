//! The emulator's memory: one `Store` holding every vendor's state, behind one lock, optionally
//! persisted to a state file after each write (atomic: temp file + rename).

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::faults::Faults;
use crate::request_log::RequestLog;
pub use crate::vendors::Store;

/// What to seed on a fresh start.
#[derive(Debug, Clone, Default)]
pub struct SeedOptions {
    /// Seed the admin identities only, no demo keys.
    pub empty: bool,
    /// Extra keys per vendor, for load tests.
    pub extra_keys: usize,
}

/// Shared by every handler (cheap to clone).
#[derive(Clone)]
pub struct Shared(pub Arc<SharedInner>);

pub struct SharedInner {
    /// `http://127.0.0.1:PORT` — no trailing slash.
    pub base_url: String,
    pub store: Mutex<Store>,
    pub faults: Faults,
    pub state_file: Option<PathBuf>,
    pub seed: SeedOptions,
    /// Vendor requests seen, for `GET /__emulator/requests`.
    pub requests: RequestLog,
    /// Latency added to every vendor request (`--latency-ms`).
    pub latency_ms: u64,
    /// Serializes state-file writes so that the last snapshot taken is the last one written.
    pub(crate) persist_lock: Mutex<()>,
}

impl std::ops::Deref for Shared {
    type Target = SharedInner;
    fn deref(&self) -> &SharedInner {
        &self.0
    }
}

impl Shared {
    /// Lock the store. A poisoned lock (a handler panicked) is recovered: the emulator keeps serving.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.0.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Write the store to the state file, if one is configured. Call after every successful write,
    /// with the store lock RELEASED (it locks the store itself; a held guard would deadlock —
    /// use `persist_locked` then).
    pub fn persist(&self) {
        if self.state_file.is_none() {
            return;
        }
        let store = self.store();
        self.persist_locked(&store);
    }

    /// Like `persist`, for a caller that already holds the store lock.
    pub fn persist_locked(&self, store: &Store) {
        let Some(path) = &self.state_file else { return };
        // Lock order is always store, then persist_lock, so the two can never deadlock.
        let _writing = self.persist_lock.lock().unwrap_or_else(|p| p.into_inner());
        if let Err(e) = write_atomic(path, store) {
            tracing::warn!(
                "could not write emulator state file {}: {e}",
                path.display()
            );
        }
    }

    /// Replace every vendor's state with a fresh seed and persist it.
    pub fn reseed(&self, opts: &SeedOptions) {
        let mut store = self.store();
        *store = Store::seeded(opts);
        self.persist_locked(&store);
    }
}

pub fn write_atomic(path: &std::path::Path, store: &Store) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir)?;
    }
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(format!(".tmp.{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let bytes = serde_json::to_vec(store).map_err(std::io::Error::other)?;
    {
        use std::io::Write;
        let mut file = create_private(&tmp)?;
        file.write_all(&bytes)?;
        // Durable before the rename, so a crash leaves the old file or the new one, never half.
        file.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

/// The state file holds the sandbox's secrets: readable by its owner only.
fn create_private(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

pub fn read_state(path: &std::path::Path) -> std::io::Result<Option<Store>> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}
