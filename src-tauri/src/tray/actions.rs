//! What a tray menu item does when activated.

use keyrack_core::rotation::grace;
use keyrack_core::rotation::Journals;
use tauri::{AppHandle, Manager, Runtime};

use super::model::Action;
use super::quick_create;
use crate::dto::{TrayAction, TrayActionKind};
use crate::state::AppState;
use crate::{events, ops, window};

/// A tray action event with nothing else set.
pub(super) fn tray_action(action: TrayActionKind) -> TrayAction {
    TrayAction {
        action,
        account_id: None,
        key_id: None,
        handle: None,
        error: None,
    }
}

/// Delete the old key a rotation kept, its grace period over (through the registry: audited).
/// A failure opens the window on the old key, saying why.
pub async fn retire_old_key<R: Runtime>(app: &AppHandle<R>, state: &AppState, rotation: &str) {
    match grace::retire(state.registry(), rotation).await {
        Ok(done) => {
            tracing::info!(rotation, "grace ended: old key deleted");
            state.uncache_key(&done.account_id, &done.old.id);
            events::keys_changed(app);
            super::refresh(app);
        }
        Err(e) => {
            tracing::warn!(rotation, error = %e, "could not delete the old key");
            let journal = Journals::new(&state.registry().paths().data_dir).load(rotation);
            window::show_main(app);
            let (account_id, key_id) = match journal {
                Ok(j) => (Some(j.account_id), Some(j.old.id)),
                Err(_) => (None, None),
            };
            events::tray_action(
                app,
                TrayAction {
                    account_id,
                    key_id,
                    error: Some(e.to_public()),
                    ..tray_action(TrayActionKind::SelectKey)
                },
            );
            super::refresh(app);
        }
    }
}

pub fn perform<R: Runtime>(app: &AppHandle<R>, action: Action) {
    match action {
        Action::Open => window::show_main(app),
        Action::NewKey { account } => quick_create::start(app, &account),
        Action::CopyLast { handle } => {
            let Some(state) = app.try_state::<AppState>() else {
                return;
            };
            if let Err(e) = ops::copy_secret(app, &state, &handle) {
                // Without a clipboard the secret is still held: open it to save it instead.
                tracing::warn!(error = %e, "tray copy failed");
                window::show_main(app);
                events::tray_action(
                    app,
                    TrayAction {
                        handle: Some(handle),
                        error: Some(e.to_public()),
                        ..tray_action(TrayActionKind::OpenReveal)
                    },
                );
            }
        }
        Action::SelectKey { account, key } => {
            window::show_main(app);
            events::tray_action(
                app,
                TrayAction {
                    account_id: Some(account),
                    key_id: Some(key),
                    ..tray_action(TrayActionKind::SelectKey)
                },
            );
        }
        Action::RotateKey { account, key } => {
            window::show_main(app);
            events::tray_action(
                app,
                TrayAction {
                    account_id: Some(account),
                    key_id: Some(key),
                    ..tray_action(TrayActionKind::RotateKey)
                },
            );
        }
        Action::RetireOldKey { rotation } => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                let Some(state) = app.try_state::<AppState>() else {
                    return;
                };
                retire_old_key(&app, &state, &rotation).await;
            });
        }
        Action::Refresh => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                if let Some(state) = app.try_state::<AppState>() {
                    ops::list_all(&app, &state, &Default::default()).await;
                    events::keys_changed(&app);
                }
            });
        }
        Action::ToggleSandbox => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                let Some(state) = app.try_state::<AppState>() else {
                    return;
                };
                let mut preferences = state.registry().preferences();
                preferences.sandbox = !preferences.sandbox;
                if let Err(e) = ops::set_preferences(&app, &state, preferences).await {
                    tracing::warn!(error = %e, "could not switch the sandbox");
                }
                // The check mark follows the saved preference, whatever happened.
                super::refresh(&app);
            });
        }
        Action::Quit => app.exit(0),
    }
}
