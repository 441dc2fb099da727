//! Keys at the vendors: list, read, create (the secret stays in the backend), change, delete.

use std::collections::HashMap;

use keyrack_core::model::{CreateOptions, DeleteOutcome, KeyRecord, KeyUpdate, NewKey, Owner};
use keyrack_core::reveal::PendingSecret;
use tauri::{AppHandle, Runtime, State};

use crate::dto::AccountListing;
use crate::error::{public, IpcResult};
use crate::state::AppState;
use crate::{events, ops};

/// Every account's keys, listed concurrently, with `inventory-progress` events. `known`: the
/// revision of each account's keys the window holds; those still the same come back unchanged.
#[tauri::command]
pub async fn keys_list<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    known: Option<HashMap<String, String>>,
) -> IpcResult<Vec<AccountListing>> {
    Ok(ops::list_all(&app, &state, &known.unwrap_or_default()).await)
}

#[tauri::command]
pub async fn keys_list_account<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    account_id: String,
) -> IpcResult<AccountListing> {
    ops::list_one(&app, &state, &account_id)
        .await
        .map_err(public)
}

#[tauri::command]
pub async fn key_get(
    state: State<'_, AppState>,
    account_id: String,
    key_id: String,
) -> IpcResult<KeyRecord> {
    let vendor = state.registry().vendor(&account_id).await.map_err(public)?;
    let record = vendor.get(&key_id).await.map_err(public)?;
    state.cache_key(record.clone());
    Ok(record)
}

#[tauri::command]
pub async fn create_options(
    state: State<'_, AppState>,
    account_id: String,
) -> IpcResult<CreateOptions> {
    let vendor = state.registry().vendor(&account_id).await.map_err(public)?;
    vendor.create_options().await.map_err(public)
}

/// Create a key; the answer carries everything but the secret, which waits under its handle.
#[tauri::command]
pub async fn key_create<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    account_id: String,
    spec: NewKey,
) -> IpcResult<PendingSecret> {
    ops::create_key(&app, &state, &account_id, &spec)
        .await
        .map_err(public)
}

#[tauri::command]
pub async fn key_update<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    account_id: String,
    key_id: String,
    changes: KeyUpdate,
) -> IpcResult<KeyRecord> {
    let record = state
        .registry()
        .update_key(&account_id, &key_id, &changes)
        .await
        .map_err(public)?;
    state.cache_key(record.clone());
    events::keys_changed(&app);
    Ok(record)
}

#[tauri::command]
pub async fn key_set_locked<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    account_id: String,
    key_id: String,
    locked: bool,
) -> IpcResult<KeyRecord> {
    state
        .registry()
        .set_locked(&account_id, &key_id, locked)
        .await
        .map_err(public)?;
    changed(&app, &state, &account_id, &key_id).await
}

#[tauri::command]
pub async fn key_set_disabled<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    account_id: String,
    key_id: String,
    disabled: bool,
) -> IpcResult<KeyRecord> {
    state
        .registry()
        .set_disabled(&account_id, &key_id, disabled)
        .await
        .map_err(public)?;
    changed(&app, &state, &account_id, &key_id).await
}

/// A key changed through Keyrack: read it back as the vendor has it now, keep it in the cache
/// and tell the window and the tray.
async fn changed<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    account_id: &str,
    key_id: &str,
) -> IpcResult<KeyRecord> {
    let vendor = state.registry().vendor(account_id).await.map_err(public)?;
    let record = vendor.get(key_id).await.map_err(public)?;
    state.cache_key(record.clone());
    events::keys_changed(app);
    Ok(record)
}

#[tauri::command]
pub async fn key_delete<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    account_id: String,
    key_id: String,
) -> IpcResult<DeleteOutcome> {
    let outcome = state
        .registry()
        .delete_key(&account_id, &key_id)
        .await
        .map_err(public)?;
    state.uncache_key(&account_id, &key_id);
    events::keys_changed(&app);
    Ok(outcome)
}

/// Delete an owner a key deletion left without keys (OpenAI service account).
#[tauri::command]
pub async fn owner_delete(
    state: State<'_, AppState>,
    account_id: String,
    owner: Owner,
) -> IpcResult<()> {
    state
        .registry()
        .delete_owner(&account_id, &owner)
        .await
        .map_err(public)
}
