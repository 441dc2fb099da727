//! What a command or a tray item does when it takes more than one core call: listing with
//! progress events, creating a key and holding its secret, copying a secret with a clear timer,
//! saving preferences. Commands and the tray both call these, so they behave the same.

use std::sync::Arc;
use std::time::Duration;

use keyrack_core::error::Result;
use keyrack_core::inventory;
use keyrack_core::model::{Account, KeyRecord, NewKey};
use keyrack_core::reveal::PendingSecret;
use keyrack_core::settings::Preferences;
use keyrack_core::vendor::Vendor;
use tauri::{AppHandle, Runtime};

use crate::dto::{AccountListing, ClipboardCleared, CopyResult, InventoryProgress};
use crate::events;
use crate::state::AppState;
use crate::tray;

fn listing_of(
    account: &Account,
    result: std::result::Result<Vec<KeyRecord>, keyrack_core::error::PublicError>,
) -> AccountListing {
    let (keys, error) = match result {
        Ok(keys) => (Some(keys), None),
        Err(e) => (None, Some(e)),
    };
    AccountListing {
        account_id: account.id.clone(),
        account_name: account.name.clone(),
        vendor: account.vendor,
        keys,
        error,
    }
}

/// List every account concurrently (core inventory), one `inventory-progress` event per finished
/// account. An account whose client cannot be built (keychain locked, bad settings) is listed
/// with its error, like one the vendor refused. Successful listings replace the cache.
pub async fn list_all<R: Runtime>(app: &AppHandle<R>, state: &AppState) -> Vec<AccountListing> {
    let accounts = state.registry().list_accounts();
    let total = accounts.len();
    let clients = futures::future::join_all(
        accounts
            .iter()
            .map(|a| async move { state.registry().vendor(&a.id).await }),
    )
    .await;

    let mut results: Vec<Option<AccountListing>> = vec![None; total];
    let mut ready: Vec<(Account, Arc<dyn Vendor>)> = Vec::new();
    let mut ready_index = Vec::new();
    let mut done = 0;
    for (index, (account, client)) in accounts.iter().zip(clients).enumerate() {
        match client {
            Ok(client) => {
                ready.push((account.clone(), Arc::from(client)));
                ready_index.push(index);
            }
            Err(e) => {
                tracing::warn!(account = %account.id, code = ?e.code(), "no client for the account");
                done += 1;
                events::progress(
                    app,
                    InventoryProgress {
                        done,
                        total,
                        account_id: account.id.clone(),
                        ok: false,
                    },
                );
                results[index] = Some(listing_of(account, Err(e.to_public())));
            }
        }
    }
    let before = done;
    let progress_app = app.clone();
    let progress = move |p: inventory::Progress| {
        events::progress(
            &progress_app,
            InventoryProgress {
                done: before + p.done,
                total,
                account_id: p.account_id,
                ok: p.ok,
            },
        )
    };
    // Core's concurrent listing is driven on a blocking-pool thread: rustc cannot prove its
    // future `Send` (a higher-ranked lifetime in its stream closure), which Tauri's async
    // commands need. The vendor requests still run on the shared runtime.
    let listed = tauri::async_runtime::spawn_blocking(move || {
        tokio::runtime::Handle::current().block_on(inventory::list_all(ready, 0, progress))
    })
    .await;
    let listed = match listed {
        Ok(listed) => listed,
        Err(e) => {
            tracing::error!(error = %e, "listing stopped unexpectedly");
            Vec::new()
        }
    };
    for (index, listing) in ready_index.into_iter().zip(listed) {
        if let Ok(keys) = &listing.result {
            state.cache_listing(&listing.account_id, keys.clone());
        }
        results[index] = Some(listing_of(&accounts[index], listing.result));
    }
    tray::refresh(app);
    results
        .into_iter()
        .zip(&accounts)
        .map(|(listing, account)| {
            listing.unwrap_or_else(|| {
                let e = crate::error::internal("listing stopped unexpectedly", account.id.as_str());
                listing_of(account, Err(*e))
            })
        })
        .collect()
}

/// List one account (the "retry" of a failed one).
pub async fn list_one<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    account_id: &str,
) -> Result<AccountListing> {
    let account = state.registry().account(account_id)?;
    let result = match state.registry().vendor(account_id).await {
        Ok(client) => client.list().await,
        Err(e) => Err(e),
    };
    let result = result.map_err(|e| e.to_public());
    if let Ok(keys) = &result {
        state.cache_listing(account_id, keys.clone());
    }
    tray::refresh(app);
    Ok(listing_of(&account, result))
}

/// Create a key and hold its secret; the caller gets everything but the secret.
pub async fn create_key<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    account_id: &str,
    spec: &NewKey,
) -> Result<PendingSecret> {
    let created = state
        .registry()
        .vendor(account_id)
        .await?
        .create(spec)
        .await?;
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
        .with_secret(handle, |_, secret, _| clipboard.copy(secret))?;
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
    if before.sandbox != after.sandbox {
        state.prune_cache();
        events::accounts_changed(app);
    } else if before != after {
        // The expiring-soon window may have changed.
        tray::refresh(app);
    }
    result
}
