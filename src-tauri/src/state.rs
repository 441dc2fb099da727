//! The app's state, managed by Tauri: core's account registry (settings file, keychain, the
//! in-process sandbox), the last listing of every account (for the tray and "expiring soon"),
//! created keys' secrets under handles, the secret-aware clipboard, the save dialog (behind a
//! trait, so tests can answer it) and the tray's quick creates that are running.
//!
//! A missing or locked keychain does not stop the app: the registry opens without touching it,
//! `app_info` reports it, sandbox accounts (in memory) work, and saved accounts fail one by one
//! with an error that says how to fix the keychain.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Duration, Utc};
use keyrack_core::accounts::discover::Env;
use keyrack_core::accounts::{Options, Registry};
use keyrack_core::attention::{self, Attention};
use keyrack_core::clipboard::{Clipboard, SecretClipboard};
use keyrack_core::error::Result;
use keyrack_core::model::{Account, KeyRecord};
use keyrack_core::reveal::RevealStore;
use keyrack_core::rotation::grace::{self, GraceEnded};
use keyrack_core::rotation::Journals;

use crate::in_flight::InFlight;
use crate::save_picker::SavePicker;

pub struct AppState {
    registry: Registry,
    /// Account id → its keys as last listed (or changed through Keyrack since).
    listings: Mutex<BTreeMap<String, Vec<KeyRecord>>>,
    reveal: RevealStore,
    clipboard: Arc<SecretClipboard>,
    /// Handle → where its OCI private key was saved, for the `.env` and config stanza that
    /// point at it.
    key_files: Mutex<HashMap<String, PathBuf>>,
    /// Decides where a held secret is saved (the native dialog; a fake in tests).
    picker: Arc<dyn SavePicker>,
    /// Accounts the tray is creating a key for right now.
    quick_creates: InFlight,
    /// The home directory and variables "Found on this computer" reads (tests set their own).
    discovery: Mutex<Env>,
    /// Files the user picked, or "Used in" found, that a rotation may update, by the token the
    /// webview names them with (it never sends a path): token → (account id, key id, path).
    file_offers: Mutex<HashMap<String, (String, String, PathBuf)>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl AppState {
    /// Open the registry (starting the sandbox when the preference says so) around `clipboard`;
    /// files are saved where `picker` says.
    pub async fn open(
        options: Options,
        clipboard: Arc<dyn Clipboard>,
        picker: Arc<dyn SavePicker>,
    ) -> Result<AppState> {
        let registry = Registry::open(options).await?;
        for problem in registry.problems() {
            tracing::warn!(area = ?problem.area, error = %problem.error.message, "startup problem");
        }
        Ok(AppState {
            registry,
            listings: Mutex::new(BTreeMap::new()),
            reveal: RevealStore::new(),
            clipboard: Arc::new(SecretClipboard::new(clipboard)),
            key_files: Mutex::new(HashMap::new()),
            picker,
            quick_creates: InFlight::default(),
            discovery: Mutex::new(Env::from_process()),
            file_offers: Mutex::new(HashMap::new()),
        })
    }

    /// Where to look for accounts already on this computer.
    pub fn discovery_env(&self) -> Env {
        lock(&self.discovery).clone()
    }

    /// Look somewhere else (tests: a fake home and environment).
    pub fn set_discovery_env(&self, env: Env) {
        *lock(&self.discovery) = env;
    }

    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    pub fn reveal(&self) -> &RevealStore {
        &self.reveal
    }

    pub fn clipboard(&self) -> &Arc<SecretClipboard> {
        &self.clipboard
    }

    pub fn picker(&self) -> &dyn SavePicker {
        self.picker.as_ref()
    }

    pub fn quick_creates(&self) -> &InFlight {
        &self.quick_creates
    }

    /// Replace an account's cached keys with a fresh listing.
    pub fn cache_listing(&self, account_id: &str, keys: Vec<KeyRecord>) {
        lock(&self.listings).insert(account_id.to_string(), keys);
    }

    /// Add or replace one key (created or changed through Keyrack).
    pub fn cache_key(&self, record: KeyRecord) {
        let mut listings = lock(&self.listings);
        let keys = listings.entry(record.account.clone()).or_default();
        match keys.iter_mut().find(|k| k.id == record.id) {
            Some(slot) => *slot = record,
            None => keys.push(record),
        }
    }

    pub fn uncache_key(&self, account_id: &str, key_id: &str) {
        if let Some(keys) = lock(&self.listings).get_mut(account_id) {
            keys.retain(|k| k.id != key_id);
        }
    }

    /// Forget listings of accounts that are gone (removed, or the sandbox turned off).
    pub fn prune_cache(&self) {
        let ids: Vec<String> = self
            .registry
            .list_accounts()
            .into_iter()
            .map(|a| a.id)
            .collect();
        lock(&self.listings).retain(|id, _| ids.contains(id));
    }

    /// Every cached key of the accounts that exist now.
    pub fn cached_keys(&self) -> Vec<KeyRecord> {
        let accounts = self.registry.list_accounts();
        let listings = lock(&self.listings);
        accounts
            .iter()
            .filter_map(|a| listings.get(&a.id))
            .flatten()
            .cloned()
            .collect()
    }

    /// Cached keys that expire after `now` and within the `expiring_soon_days` preference,
    /// soonest first, each with its account.
    pub fn expiring_soon(&self, now: DateTime<Utc>) -> Vec<(Account, KeyRecord)> {
        let days = i64::from(self.registry.preferences().expiring_soon_days);
        let until = now + Duration::days(days);
        let accounts = self.registry.list_accounts();
        let mut soon: Vec<(Account, KeyRecord)> = self
            .cached_keys()
            .into_iter()
            .filter(|k| k.expires_at.is_some_and(|t| t > now && t <= until))
            .filter_map(|k| {
                let account = accounts.iter().find(|a| a.id == k.account)?.clone();
                Some((account, k))
            })
            .collect();
        soon.sort_by_key(|(_, k)| k.expires_at);
        soon
    }

    /// Cached keys that need attention (expiring, old, unused) by the preferences' rules and the
    /// user's snoozes and "expected" notes, soonest trouble first.
    pub fn attention(&self, now: DateTime<Utc>) -> Vec<Attention> {
        attention::evaluate(
            &self.cached_keys(),
            &self.registry.list_accounts(),
            &self.registry.preferences(),
            &self.registry.key_notes(),
            now,
        )
    }

    /// Old keys kept by a rotation whose grace period has ended by `now`, earliest first. A
    /// journal folder that cannot be read counts as none (and is logged).
    pub fn grace_ended(&self, now: DateTime<Utc>) -> Vec<GraceEnded> {
        let journals = Journals::new(&self.registry.paths().data_dir);
        match journals.list() {
            Ok(list) => grace::ended(&list, now),
            Err(e) => {
                tracing::warn!(error = %e, "could not read the rotation journals");
                Vec::new()
            }
        }
    }

    pub fn remember_key_file(&self, handle: &str, path: &Path) {
        lock(&self.key_files).insert(handle.to_string(), path.to_path_buf());
    }

    pub fn key_file(&self, handle: &str) -> Option<PathBuf> {
        lock(&self.key_files).get(handle).cloned()
    }

    /// A token for `path`, which a rotation of `key_id` may update.
    pub fn offer_file(&self, account_id: &str, key_id: &str, path: &Path) -> String {
        let mut offers = lock(&self.file_offers);
        let entry = (
            account_id.to_string(),
            key_id.to_string(),
            path.to_path_buf(),
        );
        if let Some((token, _)) = offers.iter().find(|(_, e)| **e == entry) {
            return token.clone();
        }
        let token = format!("file-{}", offers.len() + 1);
        offers.insert(token.clone(), entry);
        token
    }

    /// The file behind `token`, offered for this key only.
    pub fn offered_file(&self, token: &str, account_id: &str, key_id: &str) -> Result<PathBuf> {
        match lock(&self.file_offers).get(token) {
            Some((a, k, path)) if a == account_id && k == key_id => Ok(path.clone()),
            _ => Err(keyrack_core::Error::validation(
                "update_file",
                "that file was not offered for this key; pick it again with Update a file…",
            )),
        }
    }

    /// The user is done with a held secret: drop it and what was remembered about it.
    pub fn dismiss(&self, handle: &str) -> Result<()> {
        lock(&self.key_files).remove(handle);
        self.reveal.dismiss(handle)
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("registry", &self.registry)
            .field("held_secrets", &self.reveal.len())
            .finish_non_exhaustive()
    }
}
