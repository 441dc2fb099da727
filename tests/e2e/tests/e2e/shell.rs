//! The desktop shell as a user meets it: window, layout, tray menu, private data directories.

use std::time::Duration;

use keyrack_e2e::with_app;
use serde_json::{json, Value};

#[tokio::test]
async fn window_is_titled_keyrack() {
    with_app("window_is_titled_keyrack", |app| async move {
        assert_eq!(app.client().title().await.unwrap(), "Keyrack");
        // The native window's title (not just the page's), read from the X server.
        let found = std::process::Command::new("xdotool")
            .args([
                "search",
                "--pid",
                &app.pid().to_string(),
                "--name",
                "^Keyrack$",
            ])
            .output()
            .expect("run xdotool");
        let windows = String::from_utf8_lossy(&found.stdout);
        assert!(
            windows.lines().any(|id| !id.trim().is_empty()),
            "no X window titled Keyrack for the app: {}",
            String::from_utf8_lossy(&found.stderr)
        );
    })
    .await;
}

#[tokio::test]
async fn shell_renders_sidebar_list_and_search() {
    with_app("shell_renders_sidebar_list_and_search", |app| async move {
        // What the areas contain depends on the accounts (the sandbox fills them); here only
        // that the shell's parts are on screen.
        for css in ["nav#sidebar", "#key-list", "input#search", "#status"] {
            let element = app.wait_for(css).await;
            assert!(
                element.is_displayed().await.unwrap(),
                "{css} is not visible"
            );
        }
        let sidebar = app.wait_for("nav#sidebar").await;
        assert!(!sidebar.text().await.unwrap().trim().is_empty());
        let search = app.wait_for("input#search").await;
        assert_eq!(
            search.attr("type").await.unwrap().as_deref(),
            Some("search")
        );
        search.send_keys("scaleway").await.unwrap();
        assert_eq!(
            search.prop("value").await.unwrap().as_deref(),
            Some("scaleway")
        );
        // The status bar shows what app_info returned over IPC.
        let version = app
            .wait_text("[data-testid=version]", |t| t.starts_with("Keyrack "))
            .await;
        assert_eq!(version, format!("Keyrack {}", env!("CARGO_PKG_VERSION")));
    })
    .await;
}

#[tokio::test]
async fn tray_menu_holds_open_and_quit() {
    with_app("tray_menu_holds_open_and_quit", |app| async move {
        let items: Vec<Value> = app.invoke("tray_menu_items", json!({})).await.unwrap();
        let top: Vec<(&str, &str)> = items
            .iter()
            .filter(|item| item["parent"].is_null())
            .map(|item| {
                (
                    item["id"].as_str().unwrap(),
                    item["label"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(top.first(), Some(&("open", "Open Keyrack")), "{top:?}");
        assert_eq!(top.last(), Some(&("quit", "Quit")), "{top:?}");
    })
    .await;
}

#[tokio::test]
async fn commands_outside_the_capabilities_are_refused() {
    with_app(
        "commands_outside_the_capabilities_are_refused",
        |app| async move {
            let err = app
                .invoke::<Value>("plugin:clipboard-manager|read_text", json!({}))
                .await
                .unwrap_err();
            assert!(err.to_string().contains("not allowed"), "{err}");
        },
    )
    .await;
}

#[tokio::test]
async fn app_keeps_its_files_in_the_given_xdg_dirs() {
    with_app(
        "app_keeps_its_files_in_the_given_xdg_dirs",
        |app| async move {
            let info: Value = app.invoke("app_info", json!({})).await.unwrap();
            let log_dir = info["logDir"].as_str().expect("logDir").to_owned();
            assert!(
                log_dir.starts_with(app.home().to_str().unwrap()),
                "log dir {log_dir} is outside the test's home {}",
                app.home().display()
            );
            let log = app.wait_log("Keyrack starting").await;
            assert!(log.contains("version=0.1.0"), "{log}");
        },
    )
    .await;
}

#[tokio::test]
async fn a_second_launch_hands_over_to_the_running_app() {
    with_app("a_second_launch_hands_over", |app| async move {
        // A copy that did not hand over would keep running with its own window.
        let second = app
            .launch_again(Duration::from_secs(20))
            .await
            .expect("the second copy kept running: no single-instance hand-over");
        assert!(
            second.status.success(),
            "second copy exited with {}: {}",
            second.status,
            String::from_utf8_lossy(&second.stderr)
        );
        // The first copy got the hand-over and still serves its window.
        app.wait_log("another copy was launched").await;
        assert_eq!(app.client().title().await.unwrap(), "Keyrack");
    })
    .await;
}
