//! Thin IPC commands: gather arguments, call into the app or core, map errors. No logic here.
//! A new command also goes into `build.rs` (its permission) and `capabilities/` (its grant).

use tauri::{AppHandle, Manager, Runtime};

use crate::dto::{AppInfo, TrayMenuItem};
use crate::error::IpcError;
use crate::tray;

#[tauri::command]
pub fn app_info<R: Runtime>(app: AppHandle<R>) -> AppInfo {
    let info = app.package_info();
    AppInfo {
        name: info.name.clone(),
        version: info.version.to_string(),
        // Set by the sandbox once the app runs against its built-in emulator.
        sandbox: false,
        log_dir: app
            .path()
            .app_log_dir()
            .ok()
            .map(|p| p.display().to_string()),
    }
}

#[tauri::command]
pub fn tray_menu_items<R: Runtime>(app: AppHandle<R>) -> Result<Vec<TrayMenuItem>, IpcError> {
    Ok(tray::current_items(&app)?)
}
