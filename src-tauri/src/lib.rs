//! The Keyrack desktop shell: wiring only. Logic lives in keyrack-core.
//!
//! `configure` holds everything the app is on any runtime (plugins, commands, window
//! behaviour), so mock-runtime tests exercise the real setup; `run` adds what needs a real
//! desktop session: the single-instance D-Bus name, log files and the tray icon.

pub mod bindings;
pub mod commands;
pub mod dto;
pub mod error;
mod logging;
pub mod tray;
pub mod window;

use tauri::{Builder, Manager, RunEvent, Runtime, Wry};

/// Adds Keyrack's plugins, commands and window behaviour to `builder`.
pub fn configure<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::tray_menu_items
        ])
        .on_window_event(window::on_event)
}

/// A builder with the real setup on any runtime.
pub fn builder<R: Runtime>() -> Builder<R> {
    configure(Builder::new())
}

/// The app's configuration, capabilities and embedded UI (`ui/dist`), compiled in once.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// Starts Keyrack and blocks until it quits.
pub fn run() {
    // Single-instance goes first so a second copy hands over before anything else starts.
    let builder =
        Builder::<Wry>::new().plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            tracing::info!("another copy was launched; showing this one");
            window::show_main(app);
        }));
    let app = configure(builder)
        .setup(|app| {
            let guard = logging::init(&app.path().app_log_dir()?)?;
            app.manage(guard);
            tracing::info!(version = %app.package_info().version, "Keyrack starting");
            // Without a tray the app still works; closing the window then quits it.
            if let Err(e) = tray::install(app.handle()) {
                tracing::warn!(error = %e, "no tray icon; closing the window will quit");
            }
            Ok(())
        })
        .build(context())
        .expect("Keyrack failed to start");
    app.run(|app, event| {
        if let RunEvent::Exit = event {
            tracing::info!("Keyrack exiting");
            // Flush buffered log lines before the process ends.
            if let Some(guard) = app.try_state::<logging::LogGuard>() {
                guard.flush();
            }
        }
    });
}
