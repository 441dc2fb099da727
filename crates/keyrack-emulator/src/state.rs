//! The emulator's memory: one `Store` holding every vendor's state, behind one lock, optionally
//! persisted to a state file after each write (atomic: temp file + rename).

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

use crate::faults::Faults;
use crate::vendors::{codefresh, ibm, oci, openai, scaleway};

/// What to seed on a fresh start.
#[derive(Debug, Clone, Default)]
pub struct SeedOptions {
    /// Seed the admin identities only, no demo keys.
    pub empty: bool,
    /// Extra keys per vendor, for load tests.
    pub extra_keys: usize,
}

/// Every vendor's state. Serialized as-is into the `--state` file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Store {
    pub ibm: ibm::State,
    pub scaleway: scaleway::State,
    pub oci: oci::State,
    pub openai: openai::State,
    pub codefresh: codefresh::State,
}

impl Store {
    pub fn seeded(opts: &SeedOptions) -> Self {
        let mut store = Store::default();
        ibm::seed(&mut store.ibm, opts);
        scaleway::seed(&mut store.scaleway, opts);
        oci::seed(&mut store.oci, opts);
        openai::seed(&mut store.openai, opts);
        codefresh::seed(&mut store.codefresh, opts);
        store
    }
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
    /// with the store lock released or held (it takes a snapshot under the lock).
    pub fn persist(&self) {
        let Some(path) = &self.state_file else { return };
        let snapshot = self.store().clone();
        if let Err(e) = write_atomic(path, &snapshot) {
            tracing::warn!("could not write emulator state file {}: {e}", path.display());
        }
    }

    /// Like `persist`, for a caller that already holds the lock.
    pub fn persist_locked(&self, store: &Store) {
        let Some(path) = &self.state_file else { return };
        if let Err(e) = write_atomic(path, store) {
            tracing::warn!("could not write emulator state file {}: {e}", path.display());
        }
    }
}

pub fn write_atomic(path: &std::path::Path, store: &Store) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp.{}", std::process::id()));
    let bytes = serde_json::to_vec(store).map_err(std::io::Error::other)?;
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
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
