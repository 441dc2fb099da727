//! The app itself: what is running, vendors, preferences, the tray menu.

use keyrack_core::accounts::ProblemArea;
use keyrack_core::error::Error;
use keyrack_core::export;
use keyrack_core::settings::Preferences;
use keyrack_core::vendors;
use tauri::{AppHandle, Manager, Runtime, State};

use crate::dto::{AppInfo, KeychainStatus, TrayMenuItem, VendorInfo};
use crate::error::{public, IpcResult};
use crate::state::AppState;
use crate::{ops, tray};

#[tauri::command]
pub async fn app_info<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> IpcResult<AppInfo> {
    let info = app.package_info();
    let registry = state.registry();
    let keychain = match registry.check_keychain().await {
        Ok(()) => KeychainStatus {
            ok: true,
            message: None,
        },
        Err(e) => KeychainStatus {
            ok: false,
            message: Some(e.to_string()),
        },
    };
    let problems = registry.problems();
    Ok(AppInfo {
        name: info.name.clone(),
        version: info.version.to_string(),
        sandbox: registry.sandbox_base_url().await.is_some(),
        log_dir: app
            .path()
            .app_log_dir()
            .ok()
            .map(|p| p.display().to_string()),
        keychain,
        settings_error: problems
            .iter()
            .find(|p| p.area == ProblemArea::Settings)
            .map(|p| p.error.message.clone()),
        problems,
    })
}

#[tauri::command]
pub fn vendors() -> Vec<VendorInfo> {
    vendors::ALL
        .iter()
        .map(|d| VendorInfo {
            vendor: d.id,
            name: d.name.to_string(),
            capabilities: d.capabilities(),
            formats: export::formats(d.id),
            account_fields: d.account_fields(),
        })
        .collect()
}

#[tauri::command]
pub fn preferences_get(state: State<'_, AppState>) -> Preferences {
    state.registry().preferences()
}

/// `p`: the new preferences, applied at once (the sandbox starts or stops). Taken as JSON so an
/// out-of-range number is a `validation` error naming its field, like every other form error.
#[tauri::command]
pub async fn preferences_set<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    p: serde_json::Value,
) -> IpcResult<Preferences> {
    let preferences = parse_preferences(p).map_err(public)?;
    ops::set_preferences(&app, &state, preferences)
        .await
        .map_err(public)
}

fn parse_preferences(value: serde_json::Value) -> keyrack_core::Result<Preferences> {
    serde_json::from_value(value.clone()).map_err(|e| {
        // The field at fault is the one that fails on its own (every field has a default).
        let field = value
            .as_object()
            .and_then(|fields| {
                fields.iter().find(|(name, v)| {
                    let alone = serde_json::json!({ name.as_str(): v });
                    serde_json::from_value::<Preferences>(alone).is_err()
                })
            })
            .map(|(name, _)| name.clone())
            .unwrap_or_else(|| "preferences".into());
        Error::validation(field, e.to_string())
    })
}

#[tauri::command]
pub fn tray_menu_items<R: Runtime>(app: AppHandle<R>) -> IpcResult<Vec<TrayMenuItem>> {
    tray::current_items(&app)
}
