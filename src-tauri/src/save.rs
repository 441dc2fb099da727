//! Saving a held secret, and adding a new key to its vendor's config file (OCI's). The webview
//! names the key (its handle) and the format, never a path: the user picks the file in the native
//! save dialog, and a profile goes to the one config file the vendor's tools read.

use std::path::Path;

use keyrack_core::audit::AuditAction;
use keyrack_core::error::{Error, Result};
use keyrack_core::export::{self, ExportFormat, ExportInput, FileRole};
use keyrack_core::fsutil::{self, Overwrite};
use keyrack_core::model::{Account, VendorId};
use keyrack_core::places::KeyPlace;
use keyrack_core::Sensitive;
use tauri::{AppHandle, Runtime};

use crate::dto::SavedFile;
use crate::save_picker::SaveRequest;
use crate::state::AppState;
use crate::{audit, events};

/// Save the held secret `handle` in `format` where the user chooses (atomic, mode 0600).
/// `Ok(None)` when the user cancels: nothing is written and the secret stays held.
/// A private key's path is remembered, so the `.env` and config profile saved next point at it.
pub async fn secret<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    handle: &str,
    format: &ExportFormat,
    profile: Option<&str>,
) -> Result<Option<SavedFile>> {
    let key_file = state.key_file(handle);
    // Everything that can be refused is checked before the dialog opens.
    let (request, role, text, (account_id, key_id, label)) =
        state.reveal().with_secret(handle, |record, secret, _| {
            let spec = export::spec(record.vendor, format)?;
            if spec.role == FileRole::NamesKeyFile && key_file.is_none() {
                return Err(Error::validation(
                    "format",
                    "save the private key first: this file points at it",
                ));
            }
            let account = account_of(state, &record.account, record.vendor);
            let text = export::render(
                format,
                &ExportInput {
                    record,
                    secret,
                    account: &account,
                    key_file: key_file.as_deref(),
                    profile,
                },
            )?;
            let request = SaveRequest {
                title: format!(
                    "Save “{}” as {}",
                    one_line(record.display_name()),
                    spec.label
                ),
                file_name: spec.file_name.to_string(),
                existing: false,
            };
            let place = (record.account.clone(), record.id.clone(), spec.label);
            Ok((request, spec.role, text, place))
        })?;
    let Some(path) = state.picker().pick(request).await else {
        tracing::info!(handle, %format, "save cancelled");
        return Ok(None);
    };
    let written = write(state, handle, format, role, &path, &text);
    let detail = format!("{} ({format})", path.display());
    audit::secret_used(
        state,
        handle,
        AuditAction::SecretSave,
        Some(detail),
        &written,
    );
    written?;
    remember(state, account_id, key_id, &path, label).await;
    events::secrets_changed(app);
    Ok(Some(SavedFile {
        path: path.display().to_string(),
    }))
}

/// The picker already asked before returning an existing file, so it is replaced.
fn write(
    state: &AppState,
    handle: &str,
    format: &ExportFormat,
    role: FileRole,
    path: &Path,
    text: &Sensitive<String>,
) -> Result<()> {
    fsutil::write_private(path, text.expose().as_bytes(), Overwrite::Replace)?;
    if role == FileRole::KeyFile {
        state.remember_key_file(handle, path);
    }
    state.reveal().mark_saved(handle);
    tracing::info!(handle, %format, path = %path.display(), "secret saved");
    Ok(())
}

/// Add the held key as `[profile]` to the config file its vendor's tools read (the
/// descriptor's `profile_file`: OCI's `~/.oci/config`), leaving the other profiles alone. The
/// private key must have been saved first: the profile's `key_file` points at it.
pub async fn config_profile(state: &AppState, handle: &str, profile: &str) -> Result<SavedFile> {
    let key_file = state.key_file(handle);
    let (path, stanza, append, (account_id, key_id)) =
        state.reveal().with_secret(handle, |record, _, _| {
            let Some(file) = record.vendor.descriptor().local.profile_file else {
                return Err(Error::validation(
                    "handle",
                    format!(
                        "{} keys have no config file to add a profile to; save the key to a file",
                        record.vendor.descriptor().name
                    ),
                ));
            };
            let path = (file.path)().ok_or_else(|| {
                Error::config(format!(
                    "the home directory is not known, so neither is {}",
                    file.label
                ))
            })?;
            let key_file = key_file.as_deref().ok_or_else(|| {
                Error::validation(
                    "format",
                    "save the private key first: the profile's key_file points at it",
                )
            })?;
            let key_file = key_file_entry(key_file)?;
            let account = account_of(state, &record.account, record.vendor);
            let stanza = (file.stanza)(&account, record, profile, &key_file)?;
            let key = (record.account.clone(), record.id.clone());
            Ok((path, stanza, file.append, key))
        })?;
    let appended = append(&path, &stanza);
    let detail = format!("[{profile}] in {}", path.display());
    audit::secret_used(
        state,
        handle,
        AuditAction::ConfigAppend,
        Some(detail),
        &appended,
    );
    appended?;
    remember(
        state,
        account_id,
        key_id,
        &path,
        &format!("profile {profile}"),
    )
    .await;
    tracing::info!(handle, path = %path.display(), "profile added to a config file");
    Ok(SavedFile {
        path: path.display().to_string(),
    })
}

/// Remember where the key went (settings, path only) for its "Used in" and its rotation; a
/// failure to remember is logged, the save itself stands.
async fn remember(state: &AppState, account_id: String, key_id: String, path: &Path, what: &str) {
    let place = KeyPlace {
        account_id,
        key_id,
        path: path.to_path_buf(),
        what: what.to_string(),
        saved_at: chrono::Utc::now(),
    };
    if let Err(e) = state.registry().remember_place(place, None).await {
        tracing::warn!(error = %e, "could not remember where a key was saved");
    }
}

/// Characters a shell gives a meaning to. Scripts around the OCI tools read `key_file` back
/// and may hand it to a shell, so a path holding one is not written into the config file.
const SHELL_METACHARACTERS: &str = "$`\\\"';&|<>(){}[]*?!#";

/// The `key_file` line's value for the saved private key: one line, no shell metacharacters.
fn key_file_entry(path: &Path) -> Result<String> {
    let refuse = |why: &str| {
        Error::validation(
            "key_file",
            format!(
                "the private key was saved to {:?}, {why}; save it again under a plain path \
                 (letters, digits, spaces, - _ . /) and add the profile then",
                path.display().to_string()
            ),
        )
    };
    let text = path
        .to_str()
        .ok_or_else(|| refuse("which is not valid UTF-8"))?;
    if let Some(c) = text
        .chars()
        .find(|c| c.is_control() || SHELL_METACHARACTERS.contains(*c))
    {
        return Err(refuse(&format!(
            "which holds {c:?}, unsafe in the OCI config file"
        )));
    }
    Ok(text.to_string())
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

/// A key's name on one line, for a window title.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_file_paths_with_shell_metacharacters_or_breaks_are_refused() {
        assert_eq!(
            key_file_entry(Path::new("/home/ann/My Keys/oci_api_key.pem")).unwrap(),
            "/home/ann/My Keys/oci_api_key.pem"
        );
        for bad in [
            "/tmp/$(touch x).pem",
            "/tmp/`id`.pem",
            "/tmp/a;b.pem",
            "/tmp/a|b.pem",
            "/tmp/a\nkey_file=/etc/passwd",
            "/tmp/a\rb.pem",
            "/tmp/a\tb.pem",
        ] {
            let e = key_file_entry(Path::new(bad)).unwrap_err();
            assert_eq!(e.to_public().field.as_deref(), Some("key_file"), "{bad:?}");
        }
    }

    #[test]
    fn window_titles_are_one_line() {
        assert_eq!(one_line("ci\ndeploy\r"), "ci deploy ");
    }
}
