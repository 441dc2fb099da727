//! Key hygiene: which keys need attention (core's rules over the cached inventory), what the
//! user says about a key (snoozed, expected), and the audit log, newest first.

use chrono::Utc;
use keyrack_core::attention::{Attention, KeyNote};
use keyrack_core::audit::{AuditEntry, AuditFilter};
use tauri::{AppHandle, Runtime, State};

use crate::error::{public, IpcResult};
use crate::state::AppState;
use crate::tray;

/// The keys that need attention now, over the keys as last listed (the UI lists them first);
/// the same list the tray counts.
#[tauri::command]
pub fn attention_list(state: State<'_, AppState>) -> Vec<Attention> {
    state.attention(Utc::now())
}

/// Snooze a key, mark it expected (with a reason), or forget both. The key is named by its
/// account and id, which the UI already has; nothing here reaches a vendor.
#[tauri::command]
pub async fn key_note_set<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    note: KeyNote,
) -> IpcResult<()> {
    state.registry().account(&note.account_id).map_err(public)?;
    state.registry().set_key_note(note).await.map_err(public)?;
    // What needs attention changed, the keys did not: the tray is rebuilt, and the window
    // (which asked) re-reads the list itself rather than re-listing every vendor.
    tray::refresh(&app);
    Ok(())
}

/// The audit log's entries that match `filter`, newest first.
#[tauri::command]
pub fn audit_list(state: State<'_, AppState>, filter: AuditFilter) -> IpcResult<Vec<AuditEntry>> {
    state.registry().audit_log().read(&filter).map_err(public)
}
