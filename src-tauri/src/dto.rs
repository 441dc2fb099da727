//! Shapes that cross IPC to the UI. Each is mirrored to TypeScript (see `bindings`).

use serde::Serialize;
use ts_rs::TS;

/// What the UI shows about the running app.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub name: String,
    pub version: String,
    /// True when the app runs against its built-in emulator instead of real vendors.
    pub sandbox: bool,
    /// Where the rotating log files go, so a user can find them.
    pub log_dir: Option<String>,
}

/// One entry of the tray menu, as the tray currently holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TrayMenuItem {
    pub id: String,
    pub label: String,
}
