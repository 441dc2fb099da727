//! The benchmarks' anchor (scripts/bench/start.sh): an empty Tauri 2 app with the same Tauri
//! version, plugins and a tray as Keyrack, showing a static page. What Keyrack costs beyond
//! this is Keyrack's own.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;

fn main() {
    tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|_, _, _| {}))
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .setup(|app| {
            let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
            let mut tray = TrayIconBuilder::with_id("main")
                .tooltip("Keyrack bench anchor")
                .menu(&Menu::with_items(app, &[&quit])?)
                .on_menu_event(|app, event| {
                    if event.id() == "quit" {
                        app.exit(0);
                    }
                });
            if let Some(icon) = app.default_window_icon() {
                tray = tray.icon(icon.clone());
            }
            // As in Keyrack: without a tray (no StatusNotifier host) the app still runs.
            if let Err(e) = tray.build(app) {
                eprintln!("no tray icon: {e}");
            }
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("the anchor app failed to run");
}
