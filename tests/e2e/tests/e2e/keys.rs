//! The key manager end to end, against the sandbox the app starts by default: a key created at
//! each of the five vendors through the UI, found by search, edited where the vendor allows,
//! locked and disabled (IBM), deleted; its secret saved to a file; vendor failures shown.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use fantoccini::key::Key;
use keyrack_e2e::ui::{clear_faults, inject_fault, row_css};
use keyrack_e2e::{wait_file, with_app, App};
use serde_json::{json, Value};

/// A suffix that keeps names of different runs apart.
pub(crate) fn unique() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{:06}", nanos % 1_000_000)
}

pub(crate) struct Created {
    pub(crate) id: String,
    pub(crate) handle: String,
}

/// Opens the create dialog with Ctrl+N and picks the account. No row is clicked first: the one
/// under the table's centre depends on the sandbox's random data, and a selected row presets the
/// dialog's account, so the test would take a different path from run to run.
pub(crate) async fn open_create(app: &App, account_id: &str) {
    app.press(&(Key::Control + "n")).await;
    app.wait_for("[data-testid=create-dialog]").await;
    app.pick("#create-account", account_id).await;
}

/// Submits the create dialog; the reveal panel takes over with the new key selected behind it.
pub(crate) async fn submit_create(app: &App) -> Created {
    app.click("#create-submit").await;
    let reveal = app
        .wait_for("[data-testid=reveal-panel] .reveal[data-handle]")
        .await;
    app.wait_gone("[data-testid=create-dialog]").await;
    let handle = reveal.attr("data-handle").await.unwrap().unwrap();
    let id = app
        .wait_for("#detail-panel")
        .await
        .attr("data-key-id")
        .await
        .unwrap()
        .unwrap();
    Created { id, handle }
}

/// Closes the reveal panel without saving: it must ask first.
pub(crate) async fn discard_secret(app: &App) {
    app.click("#reveal-done").await;
    app.wait_for("[data-testid=discard-dialog]").await;
    app.click("[data-testid=discard-dialog] [data-testid=confirm-button]")
        .await;
    app.wait_gone("[data-testid=reveal-panel]").await;
}

/// Selects the key's row and deletes it through the confirmation dialog.
pub(crate) async fn delete_key(app: &App, key_id: &str, name: &str, account_label: &str) {
    app.row(key_id).await.click().await.unwrap();
    app.click("#detail-panel [data-action=delete]").await;
    let dialog = app
        .wait_text("[data-testid=delete-dialog]", |t| t.contains("Delete"))
        .await;
    assert!(
        dialog.contains(name) && dialog.contains(account_label),
        "the confirmation names neither the key nor its account: {dialog}"
    );
    app.click("[data-testid=delete-dialog] [data-testid=confirm-button]")
        .await;
    app.wait_gone(&row_css(key_id)).await;
}

/// Picks `format` and clicks Download; in the save dialog, whose title names the key
/// (`title`), the user types `path` and presses Return.
async fn save_through_dialog(app: &App, format: &str, title: &str, path: &Path) {
    app.pick("#reveal-format", format).await;
    app.click("#reveal-download").await;
    app.save_dialog(title).await.save_as(path).await;
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The key as the vendor (the emulator) has it now.
async fn vendor_key(app: &App, account: &str, id: &str) -> Result<Value, Value> {
    app.invoke("key_get", json!({ "accountId": account, "keyId": id }))
        .await
}

#[tokio::test]
async fn ibm_key_create_search_edit_lock_disable_delete() {
    with_app("ibm_key_lifecycle", |app| async move {
        app.wait_keys_loaded().await;
        app.screenshot("main-list").await;
        let name = format!("e2e-ibm-{}", unique());

        open_create(&app, "sandbox-ibm").await;
        app.fill("#create-name", &name).await;
        app.fill("#create-description", "made by the e2e suite")
            .await;
        app.screenshot("create-ibm").await;
        let key = submit_create(&app).await;
        assert!(key.id.starts_with("ApiKey-"), "{}", key.id);
        app.wait_text("#reveal-show", |t| t == "Show").await;
        app.screenshot("reveal-panel").await;
        discard_secret(&app).await;

        app.search_for(&name, &key.id).await;

        // Edit: rename, at the vendor too.
        app.row(&key.id).await.click().await.unwrap();
        app.click("#detail-panel [data-action=edit]").await;
        let renamed = format!("{name}-renamed");
        app.fill("#edit-name", &renamed).await;
        app.click("#edit-submit").await;
        app.wait_gone("[data-testid=edit-dialog]").await;
        app.wait_content("#detail-panel h2", |t| t == renamed).await;
        let at_vendor = vendor_key(&app, "sandbox-ibm", &key.id).await.unwrap();
        assert_eq!(at_vendor["name"], json!(renamed));
        app.screenshot("detail-panel-ibm").await;

        // The id is copied with the clipboard plugin (allowed for non-secret text).
        app.dismiss_toasts().await;
        app.click("#detail-panel button[aria-label='Copy API key ID']")
            .await;
        app.wait_text("#toasts", |t| t.contains("API key ID copied"))
            .await;
        assert!(!app.exists("[data-testid=toast-error]").await);

        // Lock and unlock.
        app.click("#detail-panel [data-action=lock]").await;
        app.wait_for(&format!("{} [data-badge=locked]", row_css(&key.id)))
            .await;
        assert_eq!(
            vendor_key(&app, "sandbox-ibm", &key.id).await.unwrap()["locked"],
            json!(true)
        );
        app.wait_text("#detail-panel [data-action=lock]", |t| t == "Unlock")
            .await;
        app.click("#detail-panel [data-action=lock]").await;
        app.wait_gone(&format!("{} [data-badge=locked]", row_css(&key.id)))
            .await;

        // Disable and enable.
        app.click("#detail-panel [data-action=disable]").await;
        app.wait_for(&format!("{} [data-badge=disabled]", row_css(&key.id)))
            .await;
        assert_eq!(
            vendor_key(&app, "sandbox-ibm", &key.id).await.unwrap()["status"],
            json!("disabled")
        );
        app.click("#detail-panel [data-action=disable]").await;
        app.wait_for(&format!("{} [data-badge=active]", row_css(&key.id)))
            .await;

        // Delete with the keyboard: Delete, then the confirmation.
        app.row(&key.id).await.click().await.unwrap();
        app.wait_for("#key-table").await.click().await.unwrap();
        app.press(&String::from(char::from(Key::Delete))).await;
        let dialog = app
            .wait_text("[data-testid=delete-dialog]", |t| t.contains(&renamed))
            .await;
        assert!(dialog.contains("IBM Cloud (Sandbox)"), "{dialog}");
        app.screenshot("delete-confirm").await;
        app.click("[data-testid=delete-dialog] [data-testid=confirm-button]")
            .await;
        app.wait_gone(&row_css(&key.id)).await;
        let gone = vendor_key(&app, "sandbox-ibm", &key.id).await.unwrap_err();
        assert_eq!(gone["code"], json!("not_found"), "{gone}");
    })
    .await;
}

#[tokio::test]
async fn scaleway_key_for_a_chosen_owner_edit_description_delete() {
    with_app("scaleway_key_lifecycle", |app| async move {
        app.wait_keys_loaded().await;
        let description = format!("e2e scaleway {}", unique());

        open_create(&app, "sandbox-scaleway").await;
        // The owner is required: pick the first user or application Scaleway lists.
        app.wait_for("#create-owner:not([disabled]) option:nth-child(3)")
            .await;
        app.pick_index("#create-owner", 1).await;
        app.fill("#create-description", &description).await;
        app.screenshot("create-scaleway").await;
        let key = submit_create(&app).await;
        assert!(key.id.starts_with("SCW"), "{}", key.id);
        discard_secret(&app).await;

        app.search_for(&description, &key.id).await;
        app.row(&key.id).await.click().await.unwrap();
        app.click("#detail-panel [data-action=edit]").await;
        // Scaleway keys have no name: only the description (and project) can change.
        assert!(!app.exists("#edit-name").await);
        let changed = format!("{description} (edited)");
        app.fill("#edit-description", &changed).await;
        app.click("#edit-submit").await;
        app.wait_gone("[data-testid=edit-dialog]").await;
        app.wait_text("[data-testid=detail-description]", |t| t == changed)
            .await;
        let at_vendor = vendor_key(&app, "sandbox-scaleway", &key.id).await.unwrap();
        assert_eq!(at_vendor["description"], json!(changed));

        delete_key(&app, &key.id, &changed, "Scaleway (Sandbox)").await;
    })
    .await;
}

#[tokio::test]
async fn oci_key_pair_generated_saved_added_to_a_config_and_deleted() {
    with_app("oci_key_lifecycle", |app| async move {
        app.wait_keys_loaded().await;
        open_create(&app, "sandbox-oci").await;
        // The 3-keys-per-user limit is explained before the form is filled.
        let quota = app
            .wait_text("[data-testid=quota]", |t| t.contains("at most 3"))
            .await;
        assert!(quota.contains("has 2"), "{quota}");
        app.screenshot("create-oci").await;
        let key = submit_create(&app).await;
        assert_eq!(key.id.matches(':').count(), 15, "{}", key.id);

        // Save the private key where the user picks in the save dialog, then add a profile to
        // the OCI config file (the test's HOME is the app's).
        let pem_path = app.home().join("oci_api_key.pem");
        save_through_dialog(&app, "oci_private_key_pem", &key.id, &pem_path).await;
        let pem = wait_file(&pem_path, |t| t.ends_with("OCI_API_KEY")).await;
        assert!(pem.starts_with("-----BEGIN "), "{pem}");
        assert!(pem.contains("PRIVATE KEY-----"), "{pem}");
        assert_eq!(mode(&pem_path), 0o600);
        let config = app.home().join(".oci").join("config");
        app.fill("#reveal-profile", "e2e").await;
        app.click("#reveal-add-config").await;
        // The UI says which file it wrote.
        app.wait_text("[data-testid=saved-paths]", |t| {
            t.contains(&format!("{} [e2e]", config.display()))
        })
        .await;
        let stanza = std::fs::read_to_string(&config).unwrap();
        assert!(stanza.contains("[e2e]"), "{stanza}");
        assert!(stanza.contains(&key.id), "{stanza}");
        assert!(stanza.contains(&pem_path.display().to_string()), "{stanza}");

        // Saved: Done closes at once.
        app.click("#reveal-done").await;
        app.wait_gone("[data-testid=reveal-panel]").await;
        assert!(!app.exists("[data-testid=discard-dialog]").await);

        app.search_for(&key.id[..20], &key.id).await;
        app.row(&key.id).await.click().await.unwrap();
        // OCI keys cannot be edited, locked or disabled: only Delete is offered.
        assert!(!app.exists("#detail-panel [data-action=edit]").await);
        assert!(!app.exists("#detail-panel [data-action=lock]").await);
        delete_key(&app, &key.id, &key.id, "Oracle Cloud (Sandbox)").await;
    })
    .await;
}

#[tokio::test]
async fn openai_read_only_key_restricted_on_edit_then_deleted_with_its_service_account() {
    with_app("openai_key_lifecycle", |app| async move {
        app.wait_keys_loaded().await;
        let name = format!("e2e-openai-{}", unique());
        open_create(&app, "sandbox-openai").await;
        app.fill("#create-name", &name).await;
        app.wait_for("select#create-project option:nth-child(2)")
            .await;
        app.pick_index("#create-project", 1).await;
        // The dashboard's three choices; read only.
        app.click("#create-permissions-read_only").await;
        app.screenshot("create-openai").await;
        let key = submit_create(&app).await;
        discard_secret(&app).await;

        app.search_for(&name, &key.id).await;
        app.row(&key.id).await.click().await.unwrap();
        app.wait_text("[data-testid=detail-permissions]", |t| t == "Read only")
            .await;
        let at_vendor = vendor_key(&app, "sandbox-openai", &key.id).await.unwrap();
        assert_eq!(at_vendor["scopes"], json!(["api.all.read"]));

        // Edit: restricted to reading models.
        app.click("#detail-panel [data-action=edit]").await;
        app.wait_for("[data-testid=edit-dialog]").await;
        app.click("#edit-permissions-restricted").await;
        app.pick("#edit-permissions-models", "read").await;
        app.screenshot("edit-openai-permissions").await;
        app.click("#edit-submit").await;
        app.wait_gone("[data-testid=edit-dialog]").await;
        app.wait_text("[data-testid=detail-permissions]", |t| {
            t == "Restricted: models read"
        })
        .await;
        let at_vendor = vendor_key(&app, "sandbox-openai", &key.id).await.unwrap();
        assert_eq!(at_vendor["scopes"], json!(["model.read", "api.model.read"]));

        // Deleting the new service account's only key offers deleting the service account.
        app.click("#detail-panel [data-action=delete]").await;
        app.click("[data-testid=delete-dialog] [data-testid=confirm-button]")
            .await;
        let offer = app
            .wait_text("[data-testid=delete-owner-dialog]", |t| {
                t.contains("has no keys left")
            })
            .await;
        assert!(offer.contains(&name), "{offer}");
        app.screenshot("delete-owner-offer").await;
        app.click("[data-testid=delete-owner-dialog] [data-testid=confirm-button]")
            .await;
        app.wait_gone("[data-testid=delete-owner-dialog]").await;
        app.wait_gone(&row_css(&key.id)).await;
        app.wait_text("#toasts", |t| t.contains(&format!("Deleted {name}")))
            .await;
    })
    .await;
}

#[tokio::test]
async fn codefresh_key_secret_shown_copied_saved_0600_then_renamed_and_deleted() {
    with_app("codefresh_key_lifecycle", |app| async move {
        app.wait_keys_loaded().await;
        let name = format!("e2e-codefresh-{}", unique());
        open_create(&app, "sandbox-codefresh").await;
        app.fill("#create-name", &name).await;
        app.click("[data-testid=scopes] input[value=build]").await;
        app.screenshot("create-codefresh").await;
        let key = submit_create(&app).await;

        // The secret crosses to the UI only on Show; the file holds the same token.
        assert!(!app.exists("[data-testid=secret-value]").await);
        app.click("#reveal-show").await;
        let shown = app
            .wait_text("[data-testid=secret-value]", |t| !t.is_empty())
            .await;
        app.screenshot("reveal-shown").await;
        app.click("#reveal-show").await;
        app.wait_gone("[data-testid=secret-value]").await;

        let path = app.home().join("codefresh.env");
        save_through_dialog(&app, "env", &name, &path).await;
        let text = wait_file(&path, |t| !t.is_empty()).await;
        assert!(text.contains(shown.trim()), "the .env lacks the token");
        assert_eq!(mode(&path), 0o600, "mode {:o}", mode(&path));
        app.wait_text("[data-testid=saved-paths]", |t| {
            t.contains(&path.display().to_string())
        })
        .await;
        // A second save to the same file needs the dialog's overwrite confirmation: no keeps
        // the file as it was, yes replaces it (a new file, renamed over the old one).
        let first = std::fs::metadata(&path).unwrap().ino();
        std::fs::write(&path, "the user's edits\n").unwrap();
        app.click("#reveal-download").await;
        let dialog = app.save_dialog(&name).await;
        let dialog = dialog.save_over(&path, false).await.expect("still open");
        dialog.cancel().await;
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "the user's edits\n"
        );
        app.wait_for("#reveal-download:not([disabled])").await;
        app.click("#reveal-download").await;
        app.save_dialog(&name).await.save_over(&path, true).await;
        let replaced = wait_file(&path, |t| t.contains(shown.trim())).await;
        assert!(replaced.starts_with("# Codefresh"), "{replaced}");
        assert_ne!(std::fs::metadata(&path).unwrap().ino(), first);
        assert_eq!(mode(&path), 0o600);

        // Copy: a countdown until the clipboard is cleared.
        app.click("#reveal-copy").await;
        app.wait_text("[data-testid=clipboard-countdown]", |t| {
            t.contains("cleared in")
        })
        .await;
        app.click("#reveal-done").await;
        app.wait_gone("[data-testid=reveal-panel]").await;

        // Rename and add a scope.
        app.search_for(&name, &key.id).await;
        app.row(&key.id).await.click().await.unwrap();
        app.click("#detail-panel [data-action=edit]").await;
        let renamed = format!("{name}-v2");
        app.fill("#edit-name", &renamed).await;
        app.click("[data-testid=edit-dialog] input[value=pipeline]")
            .await;
        app.click("#edit-submit").await;
        app.wait_gone("[data-testid=edit-dialog]").await;
        app.wait_content("#detail-panel h2", |t| t == renamed).await;
        let at_vendor = vendor_key(&app, "sandbox-codefresh", &key.id)
            .await
            .unwrap();
        assert_eq!(at_vendor["name"], json!(renamed));
        let mut scopes: Vec<String> = serde_json::from_value(at_vendor["scopes"].clone()).unwrap();
        scopes.sort();
        assert_eq!(scopes, ["build", "pipeline"]);

        delete_key(&app, &key.id, &renamed, "Codefresh (Sandbox)").await;
    })
    .await;
}

#[tokio::test]
async fn a_cancelled_save_dialog_writes_nothing_and_keeps_the_secret() {
    with_app("save_dialog_cancelled", |app| async move {
        app.wait_keys_loaded().await;
        let name = format!("e2e-cancel-{}", unique());
        open_create(&app, "sandbox-ibm").await;
        app.fill("#create-name", &name).await;
        let key = submit_create(&app).await;

        app.click("#reveal-download").await;
        let dialog = app.save_dialog(&name).await;
        app.screenshot("save-dialog-open").await;
        dialog.cancel().await;

        // Nothing written, nothing said, the secret still held and unsaved.
        app.wait_for("#reveal-download:not([disabled])").await;
        assert!(!app.exists("[data-testid=saved-paths]").await);
        assert!(!app.exists("[data-testid=toast-error]").await);
        let written: Vec<_> = std::fs::read_dir(app.home())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .map(|e| e.path())
            .collect();
        assert!(written.is_empty(), "{written:?}");
        let held: Vec<Value> = app.invoke("secrets_pending", json!({})).await.unwrap();
        let ours = held
            .iter()
            .find(|p| p["handle"] == json!(key.handle))
            .expect("the secret is still held");
        assert_eq!(ours["saved"], json!(false), "{ours}");
        // Closing still asks, as for any unsaved secret.
        discard_secret(&app).await;
    })
    .await;
}

#[tokio::test]
async fn vendor_errors_show_the_vendors_message_and_the_list_stays_usable() {
    with_app("vendor_errors", |app| async move {
        app.wait_keys_loaded().await;
        let base = app.sandbox_base_url().await;

        // A refused create: the vendor's words in the form and in a toast.
        inject_fault(
            &base,
            json!({ "kind": "status", "status": 403, "vendor": "ibm",
                    "method": "POST", "path_prefix": "/v1/apikeys" }),
        )
        .await;
        open_create(&app, "sandbox-ibm").await;
        app.fill("#create-name", "refused").await;
        app.click("#create-submit").await;
        let banner = app
            .wait_text("[data-testid=create-error]", |t| !t.is_empty())
            .await;
        assert!(banner.contains("Injected fault: 403"), "{banner}");
        let toast = app.error_toast().await;
        assert!(toast.contains("Injected fault: 403"), "{toast}");
        app.screenshot("error-create-refused").await;
        assert!(!app.exists("[data-testid=reveal-panel]").await);
        app.escape().await;
        app.wait_gone("[data-testid=create-dialog]").await;
        clear_faults(&base).await;

        // A failing account: its error inline with Retry, every other account still listed.
        app.dismiss_toasts().await;
        inject_fault(
            &base,
            json!({ "kind": "status", "status": 401, "vendor": "codefresh",
                    "method": "GET", "path_prefix": "/api/auth/keys" }),
        )
        .await;
        app.click("#refresh").await;
        let inline = app
            .wait_text(
                "[data-testid=account-error][data-account-id=sandbox-codefresh]",
                |t| t.contains("Retry"),
            )
            .await;
        assert!(inline.contains("Codefresh"), "{inline}");
        app.wait_gone("[data-testid=inventory-progress]").await;
        app.wait_for("#key-table [data-account-id=sandbox-ibm]")
            .await;
        app.wait_for("#sidebar [data-account-id=sandbox-codefresh] .dot")
            .await;
        app.screenshot("error-account-listing").await;

        // The list is still usable: search narrows it.
        app.fill("#search", "ci-deploy").await;
        app.wait_content("#key-table", |t| t.contains("ci-deploy"))
            .await;
        app.fill("#search", "").await;

        clear_faults(&base).await;
        app.click("[data-testid=account-error] button").await;
        app.wait_gone("[data-testid=account-error]").await;
        app.wait_for("#key-table [data-account-id=sandbox-codefresh]")
            .await;
    })
    .await;
}

#[tokio::test]
async fn keyboard_search_new_key_escape_and_arrows() {
    with_app("keyboard", |app| async move {
        app.wait_keys_loaded().await;
        let table = app.wait_for("#key-table").await;
        table.click().await.unwrap();

        // "/" focuses the search; typing filters as you type.
        app.press("/").await;
        let focused = app.client().active_element().await.unwrap();
        assert_eq!(focused.attr("id").await.unwrap().as_deref(), Some("search"));
        app.press("laptop").await;
        app.wait_text("[data-testid=key-count]", |t| t.contains(" of "))
            .await;
        // Down from the search moves into the list and selects the first match.
        app.press(&String::from(char::from(Key::Down))).await;
        let first = app
            .wait_for("#detail-panel")
            .await
            .attr("data-key-id")
            .await
            .unwrap()
            .unwrap();
        app.press(&String::from(char::from(Key::Down))).await;
        app.wait_text("#detail-panel [data-testid=detail-id]", |t| t != first)
            .await;

        // Ctrl+R refreshes the keys, not the page: the search text survives.
        app.press(&(Key::Control + "r")).await;
        app.wait_gone("[data-testid=inventory-progress]").await;
        let search = app.wait_for("#search").await;
        assert_eq!(
            search.prop("value").await.unwrap().as_deref(),
            Some("laptop")
        );

        // Ctrl+N opens the create dialog, Escape closes it.
        app.press(&(Key::Control + "n")).await;
        app.wait_for("[data-testid=create-dialog]").await;
        app.escape().await;
        app.wait_gone("[data-testid=create-dialog]").await;

        // Ctrl+K focuses the search again.
        app.wait_for("#key-table").await.click().await.unwrap();
        app.press(&(Key::Control + "k")).await;
        let focused = app.client().active_element().await.unwrap();
        assert_eq!(focused.attr("id").await.unwrap().as_deref(), Some("search"));
    })
    .await;
}

#[tokio::test]
async fn ibm_key_rotated_from_the_detail_panel_with_its_file_updated() {
    with_app("ibm_key_rotated", |app| async move {
        app.wait_keys_loaded().await;
        let name = format!("e2e-rot-{}", unique());
        open_create(&app, "sandbox-ibm").await;
        app.fill("#create-name", &name).await;
        let old = submit_create(&app).await;
        // Saved as apikey.json: Keyrack remembers the file, and the rotation offers to update it.
        let path = app.home().join(format!("{name}-apikey.json"));
        save_through_dialog(&app, "ibm_apikey_json", &name, &path).await;
        let before = wait_file(&path, |t| t.contains("apikey")).await;
        app.click("#reveal-done").await;
        app.wait_gone("[data-testid=reveal-panel]").await;
        app.search_for(&name, &old.id).await;

        app.row(&old.id).await.click().await.unwrap();
        // Below the fold of the detail panel: read its text, then show it for the picture.
        app.wait_content("[data-testid=used-in]", |t| {
            t.contains(&path.display().to_string())
        })
        .await;
        app.client()
            .execute(
                "document.querySelector('[data-testid=used-in]').scrollIntoView()",
                vec![],
            )
            .await
            .unwrap();
        app.screenshot("used-in").await;
        app.click("#detail-panel [data-action=rotate]").await;
        app.wait_text("[data-testid=rotate-file]", |t| {
            t.contains(&path.display().to_string())
        })
        .await;
        app.click("[data-testid=rotate-file] input").await;
        let plan = app
            .wait_text("[data-testid=rotate-plan]", |t| t.contains("Updates"))
            .await;
        assert!(plan.contains(&format!("{name}-rotated-")), "{plan}");
        app.screenshot("rotate-plan").await;
        app.click("[data-testid=rotate-run]").await;
        let result = app
            .wait_text("[data-testid=rotate-result]", |t| t.contains("Rotated"))
            .await;
        assert!(result.contains("was deleted"), "{result}");
        assert!(result.contains(&path.display().to_string()), "{result}");
        // The result stays readable: the reveal panel waits until asked for.
        assert!(app
            .client()
            .find(fantoccini::Locator::Css("[data-testid=reveal-panel]"))
            .await
            .is_err());
        app.screenshot("rotate-result").await;
        let after = wait_file(&path, |t| t != before && t.contains("-rotated-")).await;
        assert!(after.contains("apikey"), "{after}");
        assert_eq!(mode(&path), 0o600, "mode {:o}", mode(&path));

        app.click("[data-testid=rotate-show-secret]").await;
        app.wait_gone("[data-testid=rotate-dialog]").await;
        let reveal = app
            .wait_for("[data-testid=reveal-panel] .reveal[data-handle]")
            .await;
        let handle = reveal.attr("data-handle").await.unwrap().unwrap();
        assert_ne!(handle, old.handle, "the new key's secret is the one held");
        app.screenshot("rotate-secret").await;
        let gone = vendor_key(&app, "sandbox-ibm", &old.id).await.unwrap_err();
        assert_eq!(gone["code"], "not_found", "{gone}");
    })
    .await;
}
