//! "Export…" in the real app: the keys a search leaves in view, previewed as Terraform, then
//! saved as CSV through the native save dialog the backend opens; the file holds a header and
//! one row per key in view, mode 0600.

use std::os::unix::fs::PermissionsExt;

use keyrack_e2e::with_app;

#[tokio::test]
async fn the_keys_in_view_exported_as_terraform_preview_then_csv_file() {
    with_app("export", |app| async move {
        app.wait_keys_loaded().await;
        // The sandbox seeds "ci-deploy" keys at IBM and Scaleway (and OCI's "ci-deployer").
        app.fill("#search", "ci-deploy").await;
        let shown = app
            .wait_text("[data-testid=key-count]", |t| t.contains(" of "))
            .await;
        let n: usize = shown.split(' ').next().unwrap().parse().unwrap();
        assert!(n >= 2, "{shown}");

        app.click("#export-keys").await;
        app.wait_for("[data-testid=export-dialog]").await;
        let preview = app
            .wait_content("[data-testid=export-preview]", |t| {
                t.contains("required_providers")
            })
            .await;
        assert!(preview.contains("IBM-Cloud/ibm"), "{preview}");
        let count = app
            .wait_text("[data-testid=export-count]", |t| !t.is_empty())
            .await;
        assert!(count.starts_with(&format!("{n} keys of ")), "{count}");
        app.screenshot("export-dialog").await;

        app.click("input[name=export-format][value=csv]").await;
        app.wait_content("[data-testid=export-preview]", |t| {
            t.starts_with("account,account_id")
        })
        .await;
        let path = app.home().join("exports").join("keys.csv");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        app.click("[data-testid=export-save]").await;
        app.save_dialog(&format!("Export {n} keys as CSV"))
            .await
            .save_as(&path)
            .await;
        app.wait_gone("[data-testid=export-dialog]").await;

        let csv = std::fs::read_to_string(&path).unwrap();
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(rows.len(), n + 1, "{csv}");
        assert!(rows[0].starts_with("account,account_id,vendor,id"), "{csv}");
        assert!(csv.contains(",ci-deploy,"), "{csv}");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    })
    .await;
}
