//! Events the backend sends the UI, by name. None carries a secret. Every change of accounts,
//! keys or held secrets also rebuilds the tray menu, which shows all three.

use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime};

use crate::dto::{ClipboardCleared, InventoryProgress, TrayAction};
use crate::tray;

pub const INVENTORY_PROGRESS: &str = "inventory-progress";
pub const KEYS_CHANGED: &str = "keys-changed";
pub const ACCOUNTS_CHANGED: &str = "accounts-changed";
pub const CLIPBOARD_CLEARED: &str = "clipboard-cleared";
pub const TRAY_ACTION: &str = "tray-action";
/// Held secrets changed (a key was created from the tray, a secret dismissed). Not in the
/// original contract; the UI may use it to refresh `secrets_pending`.
pub const SECRETS_CHANGED: &str = "secrets-changed";

fn emit<R: Runtime, S: Serialize + Clone>(app: &AppHandle<R>, event: &str, payload: S) {
    if let Err(e) = app.emit(event, payload) {
        tracing::warn!(event, error = %e, "could not send an event to the UI");
    }
}

pub fn progress<R: Runtime>(app: &AppHandle<R>, payload: InventoryProgress) {
    emit(app, INVENTORY_PROGRESS, payload);
}

pub fn clipboard_cleared<R: Runtime>(app: &AppHandle<R>, payload: ClipboardCleared) {
    emit(app, CLIPBOARD_CLEARED, payload);
}

pub fn tray_action<R: Runtime>(app: &AppHandle<R>, payload: TrayAction) {
    emit(app, TRAY_ACTION, payload);
}

/// Keys were created, changed, deleted or re-listed.
pub fn keys_changed<R: Runtime>(app: &AppHandle<R>) {
    emit(app, KEYS_CHANGED, ());
    tray::refresh(app);
}

/// Accounts were added, changed or removed, or the sandbox turned on or off.
pub fn accounts_changed<R: Runtime>(app: &AppHandle<R>) {
    emit(app, ACCOUNTS_CHANGED, ());
    tray::refresh(app);
}

/// A secret was held or dismissed.
pub fn secrets_changed<R: Runtime>(app: &AppHandle<R>) {
    emit(app, SECRETS_CHANGED, ());
    tray::refresh(app);
}
