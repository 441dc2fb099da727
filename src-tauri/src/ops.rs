//! What a command or a tray item does when it takes more than one core call: listing with
//! progress events, creating a key and holding its secret, copying a secret with a clear timer,
//! saving preferences. Commands and the tray both call these, so they behave the same.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use keyrack_core::audit::AuditAction;
use keyrack_core::error::Result;
use keyrack_core::inventory;
use keyrack_core::model::{Account, KeyRecord, NewKey};
use keyrack_core::reveal::PendingSecret;
use keyrack_core::settings::Preferences;
use tauri::{AppHandle, Runtime};

use crate::dto::{AccountListing, ClipboardCleared, CopyResult, InventoryProgress};
use crate::state::AppState;
use crate::tray;
use crate::{audit, events};

fn listing_of(
    account: &Account,
    result: std::result::Result<Vec<KeyRecord>, keyrack_core::error::PublicError>,
    notices: Vec<String>,
    known: Option<&str>,
) -> AccountListing {
    let (keys, revision, error) = match result {
        Ok(keys) => {
            let revision = revision_of(&keys);
            (Some(keys), Some(revision), None)
        }
        Err(e) => (None, None, Some(e)),
    };
    let unchanged = revision.is_some() && revision.as_deref() == known;
    AccountListing {
        account_id: account.id.clone(),
        account_name: account.name.clone(),
        vendor: account.vendor,
        keys: if unchanged { None } else { keys },
        revision,
        unchanged,
        error,
        notices,
    }
}

/// A listing's revision: a hash of the keys exactly as they would cross IPC, so any change the
/// window could show (a name, a status, a last use) makes a new one. Only compared within this
/// process's life, with what this process sent.
fn revision_of(keys: &[KeyRecord]) -> String {
    use std::hash::{Hash, Hasher};
    let json = serde_json::to_vec(keys).unwrap_or_default();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    json.hash(&mut hasher);
    format!("{:016x}-{}", hasher.finish(), keys.len())
}

/// List every account concurrently (core inventory), one `inventory-progress` event per finished
/// account. An account whose client cannot be built (keychain locked, bad settings) is listed
/// with its error, like one the vendor refused. Successful listings replace the cache.
/// `known`: the revision of each account's keys the window holds (see `AccountListing::revision`).
pub async fn list_all<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    known: &HashMap<String, String>,
) -> Vec<AccountListing> {
    let accounts = state.registry().list_accounts();
    let progress_app = app.clone();
    let progress = move |p: inventory::Progress| {
        events::progress(
            &progress_app,
            InventoryProgress {
                done: p.done,
                total: p.total,
                account_id: p.account_id,
                ok: p.ok,
            },
        )
    };
    let options = list_options(state);
    let listed =
        inventory::list_accounts_with(state.registry(), accounts.clone(), &options, progress).await;
    let results = listed
        .into_iter()
        .zip(&accounts)
        .map(|(listing, account)| {
            if let Ok(keys) = &listing.result {
                state.cache_listing(&listing.account_id, keys.clone());
            }
            let known = known.get(&account.id).map(String::as_str);
            listing_of(account, listing.result, listing.notices, known)
        })
        .collect();
    crate::watch::after_listing(app, state, chrono::Utc::now());
    tray::refresh(app);
    results
}

/// What a listing includes beyond the vendors' defaults, from the preferences.
fn list_options(state: &AppState) -> keyrack_core::vendor::ListOptions {
    keyrack_core::vendor::ListOptions {
        include_archived: state.registry().preferences().include_archived,
    }
}

/// List one account (the "retry" of a failed one).
pub async fn list_one<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    account_id: &str,
) -> Result<AccountListing> {
    let account = state.registry().account(account_id)?;
    let (result, notices) = match state.registry().vendor(account_id).await {
        Ok(client) => {
            let result = client.list_with(&list_options(state)).await;
            (result, client.notices())
        }
        Err(e) => (Err(e), Vec::new()),
    };
    let result = result.map_err(|e| e.to_public());
    if let Ok(keys) = &result {
        state.cache_listing(account_id, keys.clone());
    }
    tray::refresh(app);
    Ok(listing_of(&account, result, notices, None))
}

/// Create a key and hold its secret; the caller gets everything but the secret.
pub async fn create_key<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    account_id: &str,
    spec: &NewKey,
) -> Result<PendingSecret> {
    let created = state.registry().create_key(account_id, spec).await?;
    let record = created.record.clone();
    let pending = state.reveal().hold(created);
    tracing::info!(account = %account_id, key = %record.id, handle = %pending.handle, "key created; secret held");
    state.cache_key(record);
    events::keys_changed(app);
    events::secrets_changed(app);
    Ok(pending)
}

/// Copy a held secret; the clipboard is cleared after the preference's delay if it still holds
/// the secret, and `clipboard-cleared` says so.
pub fn copy_secret<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    handle: &str,
) -> Result<CopyResult> {
    let secs = state.registry().preferences().clipboard_clear_secs;
    let clipboard = Arc::clone(state.clipboard());
    let ticket = state
        .reveal()
        .with_secret(handle, |_, secret, _| clipboard.copy(secret));
    audit::secret_used(state, handle, AuditAction::SecretCopy, None, &ticket);
    let ticket = ticket?;
    state.reveal().mark_copied(handle);
    tracing::info!(
        handle,
        clear_in_secs = secs,
        "secret copied to the clipboard"
    );
    let app = app.clone();
    let handle = handle.to_string();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(Duration::from_secs(u64::from(secs))).await;
        let cleared = clipboard.clear_if_unchanged(ticket);
        tracing::info!(handle = %handle, cleared, "clipboard timer ran out");
        events::clipboard_cleared(&app, ClipboardCleared { handle, cleared });
    });
    Ok(CopyResult {
        clear_in_secs: secs,
    })
}

/// Save preferences. Turning the sandbox on or off changes the accounts: the cache follows and
/// `accounts-changed` is sent (also when the preference was saved but the sandbox failed).
pub async fn set_preferences<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    preferences: Preferences,
) -> Result<Preferences> {
    let before = state.registry().preferences();
    let result = state.registry().set_preferences(preferences).await;
    let after = state.registry().preferences();
    if before.start_at_login != after.start_at_login {
        crate::watch::set_start_at_login(app, after.start_at_login);
    }
    if before.sandbox != after.sandbox {
        state.prune_cache();
        events::accounts_changed(app);
    } else if before.include_archived != after.include_archived {
        // The window lists again, with or without archived projects' keys.
        events::keys_changed(app);
    } else if before != after {
        // The expiring-soon window may have changed.
        tray::refresh(app);
    }
    result
}
