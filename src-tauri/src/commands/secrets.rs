//! Secrets of created keys, by handle. The secret leaves the backend only through
//! `secret_reveal` (an explicit user action), the clipboard, or a file the user chose in the
//! native save dialog.

use keyrack_core::audit::AuditAction;
use keyrack_core::export::ExportFormat;
use keyrack_core::reveal::PendingSecret;
use tauri::{AppHandle, Runtime, State};

use crate::dto::{CopyResult, SavedFile};
use crate::error::{public, IpcResult};
use crate::state::AppState;
use crate::{audit, events, ops, save};

#[tauri::command]
pub fn secrets_pending(state: State<'_, AppState>) -> Vec<PendingSecret> {
    state.reveal().pending()
}

#[tauri::command]
pub fn secret_reveal(state: State<'_, AppState>, handle: String) -> IpcResult<String> {
    let secret = state
        .reveal()
        .with_secret(&handle, |_, secret, _| Ok(secret.expose().clone()));
    audit::secret_used(&state, &handle, AuditAction::SecretReveal, None, &secret);
    let secret = secret.map_err(public)?;
    tracing::info!(handle = %handle, "secret revealed");
    Ok(secret)
}

#[tauri::command]
pub fn secret_copy<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    handle: String,
) -> IpcResult<CopyResult> {
    ops::copy_secret(&app, &state, &handle).map_err(public)
}

/// Save a held secret in `format` where the user chooses in the native save dialog, which
/// this opens; `null` when they cancel. No argument names a path: the webview is not trusted
/// with one (an extra `path` argument is ignored).
#[tauri::command]
pub async fn secret_save<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    handle: String,
    format: ExportFormat,
    profile: Option<String>,
) -> IpcResult<Option<SavedFile>> {
    save::secret(&app, &state, &handle, &format, profile.as_deref())
        .await
        .map_err(public)
}

/// Add the new OCI key as `[profile]` to the OCI config file the OCI tools read, and nowhere
/// else (an extra `configPath` argument is ignored). The private key must have been saved first.
#[tauri::command]
pub async fn oci_config_append(
    state: State<'_, AppState>,
    handle: String,
    profile: String,
) -> IpcResult<SavedFile> {
    save::config_profile(&state, &handle, &profile)
        .await
        .map_err(public)
}

#[tauri::command]
pub fn secret_dismiss<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    handle: String,
) -> IpcResult<()> {
    state.dismiss(&handle).map_err(public)?;
    tracing::info!(handle = %handle, "secret dismissed");
    events::secrets_changed(&app);
    Ok(())
}
