//! The screens that the key tests do not pass through — accounts, the add-account form,
//! settings, the dark theme — driven like a user would, with a screenshot of each.

use keyrack_e2e::with_app;
use serde_json::{json, Value};

#[tokio::test]
async fn accounts_add_form_settings_and_dark_theme() {
    with_app("screens", |app| async move {
        app.wait_keys_loaded().await;

        // Accounts: the five sandbox accounts, marked, which cannot be edited or removed.
        app.click("#open-accounts").await;
        let list = app
            .wait_text("[data-testid=accounts-dialog]", |t| t.contains("Codefresh"))
            .await;
        assert!(
            list.to_lowercase().matches("sandbox").count() >= 5,
            "{list}"
        );
        app.click("[data-testid=accounts-dialog] li[data-account-id=sandbox-ibm] button")
            .await;
        app.wait_text("[data-testid=account-test-result]", |t| t.starts_with('✓'))
            .await;
        app.screenshot("accounts").await;

        // The add form shows the vendor's own fields with where to find each value.
        app.click("#add-account").await;
        app.click("[data-testid=account-form] label:has(input[data-vendor=oci])")
            .await;
        let form = app
            .wait_text("[data-testid=account-form]", |t| {
                t.contains("Load from file")
            })
            .await;
        let fields: Vec<Value> = app.invoke("vendors", json!({})).await.unwrap();
        let oci = fields.iter().find(|v| v["vendor"] == json!("oci")).unwrap();
        for field in oci["account_fields"].as_array().unwrap() {
            let label = field["label"].as_str().unwrap();
            assert!(form.contains(label), "the form lacks {label}: {form}");
        }
        // Required fields are checked before anything is sent.
        app.click("#account-test").await;
        app.wait_text("[data-testid=account-form]", |t| {
            t.contains("Tenancy OCID is required")
        })
        .await;
        // A connection test shows why it failed, and saves nothing. (A fingerprint that is not
        // one fails before any request: nothing may reach the real OCI.)
        app.fill("#account-name", "broken").await;
        app.fill("#account-field-tenancy", "ocid1.tenancy.oc1..e2e")
            .await;
        app.fill("#account-field-user", "ocid1.user.oc1..e2e").await;
        app.fill("#account-field-region", "eu-frankfurt-1").await;
        app.fill("#account-field-fingerprint", "not-a-fingerprint")
            .await;
        app.fill(
            "#account-field-secret",
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
        )
        .await;
        app.click("#account-test").await;
        let failure = app
            .wait_text("[data-testid=account-test-error]", |t| !t.is_empty())
            .await;
        assert!(failure.contains("fingerprint"), "{failure}");
        app.screenshot("account-add-oci").await;
        app.escape().await;
        app.wait_text("[data-testid=accounts-dialog]", |t| {
            t.contains("Add account")
        })
        .await;
        app.escape().await;
        app.wait_gone("[data-testid=accounts-dialog]").await;
        let accounts: Vec<Value> = app.invoke("accounts_list", json!({})).await.unwrap();
        assert_eq!(accounts.len(), 5, "an account was saved: {accounts:?}");

        // Settings apply at once: the theme changes the page before the dialog closes.
        app.click("#open-settings").await;
        // The dialog focuses its first field as it opens, which scrolls it back to the top: a
        // click aimed at the theme (at the bottom) before that lands on whatever moved under it.
        app.wait_for("#pref-clipboard:focus").await;
        app.click("[data-theme-choice=dark]").await;
        app.wait_for("html[data-theme=dark]").await;
        app.screenshot("settings").await;
        let prefs: Value = app.invoke("preferences_get", json!({})).await.unwrap();
        assert_eq!(prefs["theme"], json!("dark"));
        app.escape().await;
        app.wait_gone("[data-testid=settings-dialog]").await;

        // An OCI account that may administer the tenancy lists every user's signing keys, each
        // with its user as the owner.
        app.click("#sidebar [data-account-id=sandbox-oci]").await;
        app.wait_content("#key-table", |t| {
            ["sandbox-admin", "ci-deployer", "analyst"]
                .iter()
                .all(|owner| t.contains(owner))
        })
        .await;
        assert!(
            !app.exists("#key-table [data-account-id=sandbox-ibm]").await,
            "the OCI account's view shows another account's keys"
        );
        app.screenshot("oci-tenancy-users").await;

        app.wait_for("#key-table [data-key-id]")
            .await
            .click()
            .await
            .unwrap();
        app.wait_for("#detail-panel").await;
        app.screenshot("main-dark").await;
    })
    .await;
}

/// "Found on this computer": a Codefresh CLI context in the app's HOME is offered in Add
/// account, and Import tests it, then saves it; the CLI's file is left as it was.
#[tokio::test]
async fn an_account_found_on_this_computer_is_imported() {
    with_app("found-accounts", |app| async move {
        app.wait_keys_loaded().await;
        let base = app.sandbox_base_url().await;
        let (status, manifest) =
            keyrack_e2e::ui::http("GET", &format!("{base}/__emulator/manifest"), None).await;
        assert_eq!(status, 200, "{manifest}");
        let json = &manifest[manifest.find('{').unwrap()..=manifest.rfind('}').unwrap()];
        let manifest: Value = serde_json::from_str(json).unwrap();
        let token = manifest["codefresh"]["api_key"].as_str().unwrap();
        let cfconfig = app.home().join(".cfconfig");
        let text = format!(
            "contexts:\n  e2e:\n    type: APIKey\n    name: e2e\n    url: {base}\n    token: {token}\n\
             current-context: e2e\n"
        );
        std::fs::write(&cfconfig, &text).unwrap();

        app.click("#open-accounts").await;
        app.click("#add-account").await;
        let found = app
            .wait_text("[data-testid=found-accounts]", |t| t.contains("~/.cfconfig [e2e]"))
            .await;
        assert!(!found.contains(token), "{found}");
        app.screenshot("found-accounts-listed").await;
        app.click("[data-testid=found-accounts] button").await;
        app.wait_text("[data-testid=found-result]", |t| {
            t.starts_with("Added as codefresh e2e")
        })
        .await;
        app.screenshot("found-accounts-imported").await;
        let accounts: Vec<Value> = app.invoke("accounts_list", json!({})).await.unwrap();
        assert!(
            accounts.iter().any(|a| a["name"] == "codefresh e2e"),
            "{accounts:?}"
        );
        assert_eq!(std::fs::read_to_string(&cfconfig).unwrap(), text);
    })
    .await;
}
