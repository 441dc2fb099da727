//! The main window's behaviour: closing hides it to the tray; the tray and a second launch
//! bring it back.

use tauri::{AppHandle, Manager, Runtime, Window, WindowEvent};

use crate::tray;

/// Label of the one window, as declared in tauri.conf.json.
pub const MAIN: &str = "main";

/// Shows, unminimizes and focuses the main window.
pub fn show_main<R: Runtime>(app: &AppHandle<R>) {
    let Some(window) = app.get_webview_window(MAIN) else {
        tracing::warn!("main window is gone");
        return;
    };
    for (what, result) in [
        ("unminimize", window.unminimize()),
        ("show", window.show()),
        ("focus", window.set_focus()),
    ] {
        if let Err(e) = result {
            tracing::warn!(error = %e, "could not {what} the main window");
        }
    }
}

pub fn on_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    let WindowEvent::CloseRequested { api, .. } = event else {
        return;
    };
    // Hide only when a tray exists to bring the window back; otherwise close means quit.
    if window.label() == MAIN && window.app_handle().tray_by_id(tray::TRAY_ID).is_some() {
        api.prevent_close();
        if let Err(e) = window.hide() {
            tracing::warn!(error = %e, "could not hide the main window");
        }
    }
}
