//! The shell's commands through Tauri's mock runtime, with the app's real configuration,
//! capabilities and setup (`keyrack_app::configure` + `keyrack_app::context`). No display needed.

use crate::common::{self, Setup, TestApp};
use serde_json::{json, Value};
use tauri::WebviewWindowBuilder;

/// An app without the sandbox or a tray, so nothing but the shell itself is there.
fn app() -> TestApp {
    TestApp::with(Setup {
        sandbox: false,
        tray: false,
        ..Default::default()
    })
}

#[test]
fn app_info_reports_name_and_version() {
    let t = app();
    let info = t
        .invoke("app_info", json!({}))
        .expect("app_info is granted");
    assert_eq!(info["name"], "Keyrack");
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(info["sandbox"], false);
    assert!(info["logDir"].as_str().is_some_and(|d| !d.is_empty()));
}

#[test]
fn tray_menu_items_reads_back_the_attached_menu() {
    let t = app();
    assert_eq!(t.invoke("tray_menu_items", json!({})).unwrap(), json!([]));

    keyrack_app::tray::attach_menu(t.app.handle()).unwrap();
    let items = t.invoke("tray_menu_items", json!({})).unwrap();
    let item =
        |id: &str, label: &str, enabled: bool, parent: Value, checked: Value, submenu: bool| {
            json!({ "id": id, "label": label, "enabled": enabled, "parent": parent,
                "checked": checked, "submenu": submenu })
        };
    assert_eq!(
        items,
        json!([
            item(
                "open",
                "Open Keyrack",
                true,
                Value::Null,
                Value::Null,
                false
            ),
            item(
                "new-key",
                "New key for…",
                false,
                Value::Null,
                Value::Null,
                true
            ),
            item(
                "new-key:none",
                "No accounts yet",
                false,
                json!("new-key"),
                Value::Null,
                false
            ),
            item("more", "More…", true, Value::Null, Value::Null, true),
            item(
                "refresh",
                "Refresh keys",
                true,
                json!("more"),
                Value::Null,
                false
            ),
            item(
                "sandbox",
                "Sandbox accounts",
                true,
                json!("more"),
                json!(true),
                false
            ),
            item("quit", "Quit", true, Value::Null, Value::Null, false),
        ])
    );
}

#[test]
fn commands_no_capability_grants_are_denied() {
    let t = app();
    // The UI may write non-secret text to the clipboard, never read it.
    let denied = t
        .invoke("plugin:clipboard-manager|read_text", json!({}))
        .unwrap_err();
    assert!(denied.to_string().contains("not allowed"), "{denied}");
    // Writing is granted (copying ids and names); without a display it may fail, but not
    // for lack of permission.
    if let Err(e) = t.invoke(
        "plugin:clipboard-manager|write_text",
        json!({ "text": "id-1" }),
    ) {
        assert!(!e.to_string().contains("not allowed"), "{e}");
    }
    let unknown = t.invoke("no_such_command", json!({})).unwrap_err();
    assert!(
        unknown.to_string().contains("Command not found"),
        "{unknown}"
    );
}

#[test]
fn the_page_cannot_open_a_file_dialog_itself() {
    let t = app();
    // The backend opens the save dialog; a page that could open one could pick paths.
    // Options the plugin cannot read: were the command allowed, it would fail at once on them
    // instead of opening a dialog that nobody answers here.
    for cmd in ["plugin:dialog|save", "plugin:dialog|open"] {
        let denied = t
            .invoke(cmd, json!({ "options": "not options" }))
            .unwrap_err();
        assert!(
            denied.to_string().contains("not allowed"),
            "{cmd}: {denied}"
        );
    }
}

#[test]
fn other_windows_get_no_commands() {
    let t = app();
    let other = WebviewWindowBuilder::new(&t.app, "other", Default::default())
        .build()
        .unwrap();
    let denied = common::invoke_in(&other, "app_info", json!({})).unwrap_err();
    assert!(denied.to_string().contains("not allowed"), "{denied}");
}
