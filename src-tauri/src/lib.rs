//! The Keyrack desktop shell: wiring only. Logic lives in keyrack-core.
//!
//! `configure` holds everything the app is on any runtime (plugins, commands, window
//! behaviour), so mock-runtime tests exercise the real setup; `run` adds what needs a real
//! desktop session: the single-instance D-Bus name, log files, the app state over the real
//! config directories, keychain, clipboard and save dialog, and the tray icon. Tests manage an
//! `AppState` of their own (temp directories, in-memory keychain, fake clipboard, a fake save
//! dialog that answers for the user).

mod audit;
pub mod bindings;
pub mod clipboard;
pub mod commands;
pub mod dto;
pub mod error;
pub mod events;
pub mod in_flight;
mod logging;
pub mod ops;
pub mod save;
pub mod save_picker;
pub mod state;
pub mod tray;
pub mod watch;
pub mod window;

use std::sync::Arc;

use tauri::{AppHandle, Builder, Manager, RunEvent, Runtime, Wry};

/// Adds Keyrack's plugins, commands and window behaviour to `builder`.
pub fn configure<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        // Start at login (the `start_at_login` preference): an XDG autostart entry on Linux.
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec!["--hidden"]),
        ))
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::app::vendors,
            commands::app::preferences_get,
            commands::app::preferences_set,
            commands::app::tray_menu_items,
            commands::accounts::accounts_list,
            commands::accounts::account_add,
            commands::accounts::account_update,
            commands::accounts::account_remove,
            commands::accounts::account_test,
            commands::accounts::account_test_new,
            commands::accounts::accounts_found,
            commands::accounts::account_import,
            commands::keys::keys_list,
            commands::keys::keys_list_account,
            commands::keys::key_get,
            commands::keys::create_options,
            commands::keys::key_create,
            commands::keys::key_update,
            commands::keys::key_set_locked,
            commands::keys::key_set_disabled,
            commands::keys::key_delete,
            commands::keys::owner_delete,
            commands::rotation::rotation_plan,
            commands::rotation::rotate_key,
            commands::rotation::rotation_pick_file,
            commands::rotation::key_used_in,
            commands::secrets::secrets_pending,
            commands::secrets::secret_reveal,
            commands::secrets::secret_copy,
            commands::secrets::secret_save,
            commands::secrets::oci_config_append,
            commands::secrets::secret_dismiss,
            commands::inventory_export::inventory_preview,
            commands::inventory_export::inventory_export,
            commands::hygiene::attention_list,
            commands::hygiene::key_note_set,
            commands::hygiene::audit_list,
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
            // The real config directories (or KEYRACK_CONFIG_DIR / KEYRACK_DATA_DIR), the OS
            // keychain, the in-process sandbox and the system clipboard. A keychain problem does
            // not fail this.
            let options = keyrack_core::accounts::Options {
                sandbox: Some(Arc::new(keyrack_sandbox::InProcess)),
                ..keyrack_core::accounts::Options::from_env()?
            };
            let clipboard = Arc::new(clipboard::SystemClipboard::new());
            let picker = Arc::new(save_picker::NativeSavePicker::new(app.handle().clone()));
            let state =
                tauri::async_runtime::block_on(state::AppState::open(options, clipboard, picker))?;
            app.manage(state);
            let notifier = Arc::new(watch::DesktopNotifier::new(app.handle().clone()));
            let watch = watch::Watch::new(&app.state::<state::AppState>(), notifier);
            app.manage(watch);
            watch::on_notification_click(app.handle());
            watch::start(app.handle().clone());
            // Without a tray the app still works; closing the window then quits it.
            match tray::install(app.handle()) {
                // Started at login: stay in the tray until asked.
                Ok(()) if std::env::args().any(|a| a == "--hidden") => {
                    if let Some(window) = app.get_webview_window(window::MAIN) {
                        let _ = window.hide();
                    }
                }
                Ok(()) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "no tray icon; closing the window will quit")
                }
            }
            Ok(())
        })
        .build(context())
        .expect("Keyrack failed to start");
    app.run(|app, event| {
        if let RunEvent::Exit = event {
            tracing::info!("Keyrack exiting");
            on_exit(app);
            // Flush buffered log lines before the process ends.
            if let Some(guard) = app.try_state::<logging::LogGuard>() {
                guard.flush();
            }
        }
    });
}

/// Quitting: no secret of ours stays on the clipboard, and the sandbox stops (its state file
/// already holds every change).
pub fn on_exit<R: Runtime>(app: &AppHandle<R>) {
    let Some(state) = app.try_state::<state::AppState>() else {
        return;
    };
    if state.clipboard().clear_on_quit() {
        tracing::info!("cleared a copied secret from the clipboard");
    }
    // The timer is made inside the runtime: tokio timers need one.
    let stop = async {
        tokio::time::timeout(
            std::time::Duration::from_secs(3),
            state.registry().shutdown(),
        )
        .await
    };
    if tauri::async_runtime::block_on(stop).is_err() {
        tracing::warn!("the sandbox did not stop in time");
    }
}
