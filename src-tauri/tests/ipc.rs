//! The shell's commands through Tauri's mock runtime, with the app's real configuration,
//! capabilities and setup (`keyrack_app::configure` + `keyrack_app::context`). No display needed.

use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

fn app() -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let app = keyrack_app::configure(mock_builder())
        .build(keyrack_app::context())
        .expect("mock app builds");
    let window = WebviewWindowBuilder::new(&app, keyrack_app::window::MAIN, Default::default())
        .build()
        .expect("main window");
    (app, window)
}

fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(json!({})),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

#[test]
fn app_info_reports_name_and_version() {
    let (_app, window) = app();
    let info = invoke(&window, "app_info").expect("app_info is granted");
    assert_eq!(info["name"], "Keyrack");
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(info["sandbox"], false);
    assert!(info["logDir"].as_str().is_some_and(|d| !d.is_empty()));
}

#[test]
fn tray_menu_items_reads_back_the_attached_menu() {
    let (app, window) = app();
    assert_eq!(invoke(&window, "tray_menu_items").unwrap(), json!([]));

    keyrack_app::tray::attach_menu(app.handle()).unwrap();
    let items = invoke(&window, "tray_menu_items").unwrap();
    assert_eq!(
        items,
        json!([
            { "id": "open", "label": "Open Keyrack" },
            { "id": "quit", "label": "Quit" },
        ])
    );
}

#[test]
fn commands_no_capability_grants_are_denied() {
    let (_app, window) = app();
    // The clipboard plugin is registered, but the UI does not call it yet, so nothing grants it.
    let denied = invoke(&window, "plugin:clipboard-manager|read_text").unwrap_err();
    assert!(denied.to_string().contains("not allowed"), "{denied}");
    let unknown = invoke(&window, "no_such_command").unwrap_err();
    assert!(
        unknown.to_string().contains("Command not found"),
        "{unknown}"
    );
}

#[test]
fn other_windows_get_no_commands() {
    let (app, _main) = app();
    let other = WebviewWindowBuilder::new(&app, "other", Default::default())
        .build()
        .unwrap();
    let denied = invoke(&other, "app_info").unwrap_err();
    assert!(denied.to_string().contains("not allowed"), "{denied}");
}
