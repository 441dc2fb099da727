//! Secrets of newly created keys, held in memory under an opaque handle until the user has saved
//! or dismissed them. Shells pass the handle around (over IPC, in the tray); the secret itself
//! leaves only on an explicit reveal, copy or save. Nothing here expires on its own: a created
//! secret is never dropped before the user decided (not on a window hide, not on a failed save).

use std::collections::BTreeMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::{CreatedKey, KeyRecord};
use crate::secret::Sensitive;

/// What a shell may know about a held secret: everything but the secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PendingSecret {
    pub handle: String,
    pub record: KeyRecord,
    /// e.g. `••••3f9a`.
    pub hint: String,
    pub created_at: DateTime<Utc>,
    /// Saved to a file (or copied) at least once: closing no longer loses anything.
    pub saved: bool,
    pub copied: bool,
}

struct Held {
    info: PendingSecret,
    secret: Sensitive<String>,
    public_key_pem: Option<String>,
}

#[derive(Default)]
pub struct RevealStore {
    held: Mutex<BTreeMap<String, Held>>,
}

impl RevealStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Held>> {
        self.held.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Keep a created key's secret; returns what the shell may show.
    pub fn hold(&self, created: CreatedKey) -> PendingSecret {
        let handle = format!("sec_{}", uuid::Uuid::new_v4().simple());
        let info = PendingSecret {
            handle: handle.clone(),
            record: created.record,
            hint: created.secret.hint(),
            created_at: Utc::now(),
            saved: false,
            copied: false,
        };
        self.lock().insert(
            handle,
            Held {
                info: info.clone(),
                secret: created.secret,
                public_key_pem: created.public_key_pem,
            },
        );
        info
    }

    /// Every secret still held, oldest first (for "Copy last new key" and re-opening the panel).
    pub fn pending(&self) -> Vec<PendingSecret> {
        let mut all: Vec<PendingSecret> = self.lock().values().map(|h| h.info.clone()).collect();
        all.sort_by_key(|p| p.created_at);
        all
    }

    pub fn latest(&self) -> Option<PendingSecret> {
        self.pending().pop()
    }

    pub fn info(&self, handle: &str) -> Result<PendingSecret> {
        self.lock()
            .get(handle)
            .map(|h| h.info.clone())
            .ok_or_else(|| gone(handle))
    }

    /// Run `f` with the secret (and the record). The secret does not outlive the call unless
    /// `f` copies it, which callers do only to hand it to the clipboard, a file or a reveal.
    pub fn with_secret<T>(
        &self,
        handle: &str,
        f: impl FnOnce(&KeyRecord, &Sensitive<String>, Option<&str>) -> Result<T>,
    ) -> Result<T> {
        let held = self.lock();
        let h = held.get(handle).ok_or_else(|| gone(handle))?;
        f(&h.info.record, &h.secret, h.public_key_pem.as_deref())
    }

    pub fn mark_saved(&self, handle: &str) {
        if let Some(h) = self.lock().get_mut(handle) {
            h.info.saved = true;
        }
    }

    pub fn mark_copied(&self, handle: &str) {
        if let Some(h) = self.lock().get_mut(handle) {
            h.info.copied = true;
        }
    }

    /// The user is done with it: drop (and zeroize) the secret.
    pub fn dismiss(&self, handle: &str) -> Result<()> {
        self.lock()
            .remove(handle)
            .map(|_| ())
            .ok_or_else(|| gone(handle))
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn gone(handle: &str) -> Error {
    Error::NotFound {
        message: format!("the secret {handle} is no longer held (it was dismissed)"),
        detail: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::VendorExtra;
    use crate::test_support::key_record;
    use crate::vendors::codefresh::CodefreshExtra;

    fn created(secret: &str) -> CreatedKey {
        CreatedKey {
            record: KeyRecord {
                account: "a".into(),
                name: Some("n".into()),
                ..key_record("k1", VendorExtra::Codefresh(CodefreshExtra::default()))
            },
            secret: Sensitive::from(secret),
            public_key_pem: None,
        }
    }

    #[test]
    fn holds_until_dismissed_and_never_shows_the_secret_in_its_info() {
        let store = RevealStore::new();
        let info = store.hold(created("canary-secret-0001"));
        let json = serde_json::to_string(&store.pending()).unwrap();
        assert!(!json.contains("canary-secret-0001"), "{json}");
        assert_eq!(info.hint, "••••0001");
        let got = store
            .with_secret(&info.handle, |_, s, _| Ok(s.expose().clone()))
            .unwrap();
        assert_eq!(got, "canary-secret-0001");
        store.mark_saved(&info.handle);
        assert!(store.info(&info.handle).unwrap().saved);
        // Saving does not drop it: only dismiss does.
        assert_eq!(store.len(), 1);
        store.dismiss(&info.handle).unwrap();
        assert!(store.is_empty());
        let err = store
            .with_secret(&info.handle, |_, _, _| Ok(()))
            .unwrap_err();
        assert_eq!(err.code(), crate::Code::NotFound);
    }

    #[test]
    fn latest_is_the_newest() {
        let store = RevealStore::new();
        store.hold(created("first-secret-aaaa"));
        std::thread::sleep(std::time::Duration::from_millis(5));
        let second = store.hold(created("second-secret-bbbb"));
        assert_eq!(store.latest().unwrap().handle, second.handle);
    }
}
