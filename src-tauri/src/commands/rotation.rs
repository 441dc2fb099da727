//! Rotating a key from the window: the plan to show, then the run. The new secret is held in
//! the reveal store (the report names its handle), like any created key's. A file to update in
//! place is one the user picked in the native open dialog or one "Used in" found, named by a
//! token: the webview never sends a path. More such files are updated once the rotation is
//! done (`also_update`).

use std::path::PathBuf;

use keyrack_core::error::Result;
use keyrack_core::places;
use keyrack_core::rotation::{self, Delivery, Plan, Rotation, RotationReport};
use keyrack_core::KeyRecord;
use tauri::{AppHandle, Runtime, State};

use crate::dto::{RotateChoice, UsedInFile};
use crate::error::{public, IpcResult};
use crate::events;
use crate::save_picker::SaveRequest;
use crate::state::AppState;

/// What a rotation of the key would do; nothing is changed.
#[tauri::command]
pub async fn rotation_plan(
    state: State<'_, AppState>,
    account_id: String,
    key_id: String,
    choice: RotateChoice,
) -> IpcResult<Plan> {
    plan(&state, &account_id, &key_id, &choice)
        .await
        .map_err(public)
}

/// Rotate the key; a failed step is in the report, not an error.
#[tauri::command]
pub async fn rotate_key<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    account_id: String,
    key_id: String,
    choice: RotateChoice,
) -> IpcResult<RotationReport> {
    let plan = plan(&state, &account_id, &key_id, &choice)
        .await
        .map_err(public)?;
    let also = also_files(&state, &account_id, &key_id, &choice).map_err(public)?;
    let old = plan.old.clone();
    let rotation = Rotation::new(state.registry(), state.reveal());
    let mut report = rotation.run(plan).await;
    rotation.also_update(&old, &mut report, &also).await;
    events::keys_changed(&app);
    Ok(report)
}

/// "Update a file…": the user picks the file that holds the key in the native open dialog; it
/// is checked to hold the key before it is offered. `None` when they cancel.
#[tauri::command]
pub async fn rotation_pick_file(
    state: State<'_, AppState>,
    account_id: String,
    key_id: String,
) -> IpcResult<Option<UsedInFile>> {
    pick_file(&state, &account_id, &key_id)
        .await
        .map_err(public)
}

/// "Used in: …": the files on this machine that hold the key — the vendor's tools' standard
/// files under the home directory, and the files Keyrack saved it to.
#[tauri::command]
pub async fn key_used_in(
    state: State<'_, AppState>,
    account_id: String,
    key_id: String,
) -> IpcResult<Vec<UsedInFile>> {
    used_in(&state, &account_id, &key_id).await.map_err(public)
}

async fn plan(
    state: &AppState,
    account_id: &str,
    key_id: &str,
    choice: &RotateChoice,
) -> Result<Plan> {
    let file = choice
        .update_file
        .as_deref()
        .map(|token| state.offered_file(token, account_id, key_id))
        .transpose()?;
    also_files(state, account_id, key_id, choice)?;
    rotation::plan(state.registry(), account_id, key_id, &choice.options(file)).await
}

/// The files behind `also_update`, each once and never the one delivery updates.
fn also_files(
    state: &AppState,
    account_id: &str,
    key_id: &str,
    choice: &RotateChoice,
) -> Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = Vec::new();
    for token in &choice.also_update {
        if choice.update_file.as_deref() == Some(token.as_str()) {
            continue;
        }
        let path = state.offered_file(token, account_id, key_id)?;
        if !paths.contains(&path) {
            paths.push(path);
        }
    }
    Ok(paths)
}

/// The key as last listed, else as the vendor has it now.
async fn key(state: &AppState, account_id: &str, key_id: &str) -> Result<KeyRecord> {
    let cached = state
        .cached_keys()
        .into_iter()
        .find(|k| k.account == account_id && k.id == key_id);
    match cached {
        Some(k) => Ok(k),
        None => {
            let vendor = state.registry().vendor(account_id).await?;
            vendor.get(key_id).await
        }
    }
}

async fn pick_file(state: &AppState, account_id: &str, key_id: &str) -> Result<Option<UsedInFile>> {
    let account = state.registry().account(account_id)?;
    let old = key(state, account_id, key_id).await?;
    let request = SaveRequest {
        title: format!(
            "Choose the file that holds “{}” to update",
            old.display_name()
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect::<String>()
        ),
        file_name: String::new(),
        existing: true,
    };
    let Some(path) = state.picker().pick(request).await else {
        return Ok(None);
    };
    let delivery = Delivery::UpdateFile { path: path.clone() };
    rotation::check_delivery(&delivery, &old, &account)?;
    let what = places::holds(&path, &old, &account).unwrap_or_default();
    Ok(Some(UsedInFile {
        token: Some(state.offer_file(account_id, key_id, &path)),
        path: path.display().to_string(),
        what,
        remembered: false,
    }))
}

async fn used_in(state: &AppState, account_id: &str, key_id: &str) -> Result<Vec<UsedInFile>> {
    let account = state.registry().account(account_id)?;
    let record = key(state, account_id, key_id).await?;
    let remembered = state.registry().key_places(account_id, key_id);
    let env = state.discovery_env();
    let found = places::used_in(&record, &account, &env, &remembered);
    Ok(found
        .into_iter()
        .map(|u| UsedInFile {
            token: u
                .updatable
                .then(|| state.offer_file(account_id, key_id, &u.path)),
            path: u.path.display().to_string(),
            what: u.what,
            remembered: u.remembered,
        })
        .collect())
}
