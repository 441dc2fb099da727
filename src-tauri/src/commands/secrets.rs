//! Secrets of created keys, by handle. The secret leaves the backend only through
//! `secret_reveal` (an explicit user action), the clipboard, or a file the user chose.

use std::path::{Path, PathBuf};

use keyrack_core::error::Error;
use keyrack_core::export::{self, ExportFormat, ExportInput, FileRole};
use keyrack_core::fsutil::{self, Overwrite};
use keyrack_core::model::{Account, VendorId};
use keyrack_core::reveal::PendingSecret;
use keyrack_core::vendors::oci;
use tauri::{AppHandle, Runtime, State};

use crate::dto::{CopyResult, SavedFile};
use crate::error::{public, IpcResult};
use crate::state::AppState;
use crate::{events, ops};

#[tauri::command]
pub fn secrets_pending(state: State<'_, AppState>) -> Vec<PendingSecret> {
    state.reveal().pending()
}

#[tauri::command]
pub fn secret_reveal(state: State<'_, AppState>, handle: String) -> IpcResult<String> {
    let secret = state
        .reveal()
        .with_secret(&handle, |_, secret, _| Ok(secret.expose().clone()))
        .map_err(public)?;
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

/// An absolute path; `~/` is the home directory. Relative paths are refused: they would land
/// wherever the app happened to start.
fn user_path(field: &str, raw: &str) -> keyrack_core::Result<PathBuf> {
    let raw = raw.trim();
    let path = match raw.strip_prefix("~/") {
        Some(rest) => dirs::home_dir()
            .ok_or_else(|| Error::config("the home directory is not known"))?
            .join(rest),
        None => PathBuf::from(raw),
    };
    if !path.is_absolute() {
        return Err(Error::validation(
            field,
            format!("choose a full path for the file (`{raw}` is relative)"),
        ));
    }
    Ok(path)
}

/// The account a held key was made at. A key whose account was removed since still renders,
/// with the vendor's defaults.
fn account_of(state: &AppState, id: &str, vendor: VendorId) -> Account {
    state.registry().account(id).unwrap_or_else(|_| Account {
        id: id.to_string(),
        name: id.to_string(),
        vendor,
        sandbox: false,
        settings: Default::default(),
    })
}

fn render(
    state: &AppState,
    handle: &str,
    format: &ExportFormat,
    key_file: Option<&Path>,
    profile: Option<&str>,
) -> keyrack_core::Result<keyrack_core::Sensitive<String>> {
    state.reveal().with_secret(handle, |record, secret, _| {
        let account = account_of(state, &record.account, record.vendor);
        export::render(
            format,
            &ExportInput {
                record,
                secret,
                account: &account,
                key_file,
                profile,
            },
        )
    })
}

/// Save a held secret in `format` to `path` (atomic, mode 0600). An OCI private key's path is
/// remembered, so the `.env` and config profile saved next point at it.
#[tauri::command]
pub fn secret_save<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    handle: String,
    format: ExportFormat,
    path: String,
    overwrite: bool,
    profile: Option<String>,
) -> IpcResult<SavedFile> {
    let path = user_path("path", &path).map_err(public)?;
    let key_file = state.key_file(&handle);
    let role = state
        .reveal()
        .with_secret(&handle, |record, _, _| {
            export::spec(record.vendor, &format).map(|s| s.role)
        })
        .map_err(public)?;
    if role == FileRole::NamesKeyFile && key_file.is_none() {
        return Err(public(Error::validation(
            "format",
            "save the private key first: this file points at it",
        )));
    }
    let text = render(
        &state,
        &handle,
        &format,
        key_file.as_deref(),
        profile.as_deref(),
    )
    .map_err(public)?;
    let mode = if overwrite {
        Overwrite::Replace
    } else {
        Overwrite::Refuse
    };
    fsutil::write_private(&path, text.expose().as_bytes(), mode).map_err(public)?;
    if role == FileRole::KeyFile {
        state.remember_key_file(&handle, &path);
    }
    state.reveal().mark_saved(&handle);
    tracing::info!(handle = %handle, %format, path = %path.display(), "secret saved");
    events::secrets_changed(&app);
    Ok(SavedFile {
        path: path.display().to_string(),
    })
}

/// Add the new OCI key as `[profile]` to an OCI config file (default `~/.oci/config`), leaving
/// the other profiles alone. The private key must have been saved first.
#[tauri::command]
pub fn oci_config_append(
    state: State<'_, AppState>,
    handle: String,
    profile: String,
    config_path: Option<String>,
) -> IpcResult<SavedFile> {
    let path = match config_path.as_deref().filter(|p| !p.trim().is_empty()) {
        Some(p) => user_path("configPath", p),
        None => user_path("configPath", "~/.oci/config"),
    }
    .map_err(public)?;
    let key_file = state.key_file(&handle).ok_or_else(|| {
        public(Error::validation(
            "format",
            "save the private key first: the profile's key_file points at it",
        ))
    })?;
    let stanza = render(
        &state,
        &handle,
        &ExportFormat::from(oci::export::CONFIG_STANZA),
        Some(&key_file),
        Some(&profile),
    )
    .map_err(public)?;
    oci::config_file::append_profile(&path, stanza.expose()).map_err(public)?;
    tracing::info!(handle = %handle, path = %path.display(), "OCI profile added");
    Ok(SavedFile {
        path: path.display().to_string(),
    })
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
