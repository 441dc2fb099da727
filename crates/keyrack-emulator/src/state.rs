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
    /// The address it listens on.
    pub addr: std::net::SocketAddr,
    /// Whether the control API answers, and to whom.
    pub control: crate::access::ControlApi,
    /// Requests for other host names are answered too (see `EmulatorOptions::any_host`).
    pub any_host: bool,
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
        create_private_dir(dir)?;
    }
    // A fresh, unguessable name opened exclusively: nobody can have prepared a file (or a link)
    // under it, and a failed write leaves nothing behind.
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(format!(".{}.tmp", crate::util::random_hex(16)));
    let tmp = path.with_file_name(tmp_name);
    let bytes = serde_json::to_vec(store).map_err(std::io::Error::other)?;
    let written = (|| {
        use std::io::Write;
        let mut file = create_private(&tmp)?;
        file.write_all(&bytes)?;
        // Durable before the rename, so a crash leaves the old file or the new one, never half.
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// The state file holds the sandbox's secrets: its folder, when the emulator makes it, and the
/// file itself are readable by their owner only.
fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

fn create_private(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn the_state_file_and_its_new_folder_are_private_and_no_temp_file_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sandbox").join("state.json");
        write_atomic(&path, &Store::default()).unwrap();
        write_atomic(&path, &Store::default()).unwrap();
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("state.json")]);
    }

    #[test]
    fn a_failed_write_removes_its_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        // The destination is a folder: the rename fails after the temp file was written.
        let path = dir.path().join("state.json");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("keep"), b"x").unwrap();
        assert!(write_atomic(&path, &Store::default()).is_err());
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "only the folder: {names:?}");
    }
}
