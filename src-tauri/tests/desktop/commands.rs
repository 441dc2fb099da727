//! The IPC commands end to end against the in-process sandbox, through the mock runtime with the
//! app's real configuration and capabilities: listing, creating (the secret stays in the
//! backend until revealed), saving in each vendor's format, copying, dismissing, accounts,
//! preferences, and a keychain that does not work.

use std::time::Duration;

use crate::common::{self, fake_home, mode, Setup, TestApp};
use keyrack_core::vault::{MemoryStore, StoreFault};
use serde_json::{json, Value};

fn sandbox(vendor: &str) -> String {
    TestApp::sandbox(vendor)
}

#[test]
fn sandbox_accounts_list_their_keys_with_progress() {
    let t = TestApp::new();
    let accounts = t.ok("accounts_list", json!({}));
    let ids: Vec<&str> = accounts
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "sandbox-ibm",
            "sandbox-scaleway",
            "sandbox-oci",
            "sandbox-openai",
            "sandbox-codefresh"
        ]
    );
    assert!(accounts[0]["sandbox"].as_bool().unwrap());

    let listings = t.ok("keys_list", json!({}));
    let listings = listings.as_array().unwrap();
    assert_eq!(listings.len(), 5);
    for (listing, id) in listings.iter().zip(&ids) {
        assert_eq!(listing["accountId"], *id);
        assert!(listing["error"].is_null(), "{listing}");
        let keys = listing["keys"].as_array().unwrap();
        assert!(!keys.is_empty(), "the sandbox seeds keys: {listing}");
        assert!(keys.iter().all(|k| k["account"] == *id));
    }
    let progress = t.events_named("inventory-progress");
    assert_eq!(progress.len(), 5);
    let mut done: Vec<u64> = progress
        .iter()
        .map(|p| p["done"].as_u64().unwrap())
        .collect();
    done.sort();
    assert_eq!(done, [1, 2, 3, 4, 5]);
    assert!(progress.iter().all(|p| p["total"] == 5 && p["ok"] == true));

    // A refresh that sends the revisions it holds gets back only what changed. Every OpenAI call
    // marks the admin key it authenticates with as used (`last_used_at`, to the second), so the
    // OpenAI listing has changed whenever a second has passed since the last one; the other
    // accounts change only when one of their keys does.
    let known: serde_json::Map<String, Value> = listings
        .iter()
        .map(|l| {
            (
                l["accountId"].as_str().unwrap().to_owned(),
                l["revision"].clone(),
            )
        })
        .collect();
    assert!(known.values().all(Value::is_string), "{known:?}");
    let first_keys = |id: &str| {
        listings
            .iter()
            .find(|l| l["accountId"] == id)
            .map(|l| l["keys"].clone())
            .unwrap()
    };
    // `moved`: whether the account's keys changed (None: it depends on the clock, OpenAI).
    let check = |listing: &Value, moved: Option<bool>, sent: &serde_json::Map<String, Value>| {
        let id = listing["accountId"].as_str().unwrap();
        let unchanged = listing["unchanged"].as_bool().unwrap();
        if let Some(moved) = moved {
            assert_eq!(unchanged, !moved, "{listing}");
        }
        assert_eq!(listing["keys"].is_array(), !unchanged, "{listing}");
        if unchanged {
            assert_eq!(listing["revision"], sent[id], "{listing}");
        } else if moved.is_none() {
            // It changed only if what it holds did: never a full listing for nothing.
            assert_ne!(listing["revision"], known[id], "{listing}");
            assert_ne!(listing["keys"], first_keys(id), "{listing}");
        }
    };
    let expect = |id: &str, moved: bool| (id != "sandbox-openai").then_some(moved);
    let again = t.ok("keys_list", json!({ "known": known }));
    for listing in again.as_array().unwrap() {
        let id = listing["accountId"].as_str().unwrap();
        check(listing, expect(id, false), &known);
    }
    let ibm = sandbox("ibm");
    let created = t.ok(
        "key_create",
        json!({ "accountId": ibm, "spec": { "name": "revision-test" } }),
    );
    let mut stale = known.clone();
    stale.insert("sandbox-scaleway".into(), json!("not-a-revision"));
    let after = t.ok("keys_list", json!({ "known": stale }));
    for listing in after.as_array().unwrap() {
        let id = listing["accountId"].as_str().unwrap();
        let moved = id == ibm || id == "sandbox-scaleway";
        check(listing, expect(id, moved), &stale);
        if id != "sandbox-openai" {
            assert_eq!(listing["revision"] != known[id], id == ibm, "{listing}");
        }
    }
    let keys = after.as_array().unwrap()[0]["keys"].as_array().unwrap();
    assert!(keys.iter().any(|k| k["id"] == created["record"]["id"]));

    // One account again (the retry of a failed one); an unknown one is an error.
    let one = t.ok("keys_list_account", json!({ "accountId": "sandbox-oci" }));
    assert_eq!(one["vendor"], "oci");
    assert!(one["keys"].as_array().is_some_and(|k| !k.is_empty()));
    let err = t.err("keys_list_account", json!({ "accountId": "nope" }));
    assert_eq!(err["code"], "not_found");

    // A key read by id.
    let first = &listings[4]["keys"][0];
    let got = t.ok(
        "key_get",
        json!({ "accountId": "sandbox-codefresh", "keyId": first["id"] }),
    );
    assert_eq!(got["id"], first["id"]);
}

#[test]
fn vendors_describe_forms_formats_and_where_to_find_credentials() {
    let t = TestApp::new();
    let vendors = t.ok("vendors", json!({}));
    let vendors = vendors.as_array().unwrap();
    assert_eq!(vendors.len(), 5);
    let oci = vendors.iter().find(|v| v["vendor"] == "oci").unwrap();
    assert_eq!(oci["capabilities"]["max_keys_per_owner"], 3);
    assert_eq!(oci["formats"][0]["format"], "oci_private_key_pem");
    let pem = oci["account_fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "secret")
        .unwrap();
    assert_eq!(pem["multiline"], true);
    assert_eq!(pem["secret"], true);
    let openai = vendors.iter().find(|v| v["vendor"] == "openai").unwrap();
    assert!(openai["account_fields"].to_string().contains("admin-keys"));
}

#[test]
fn create_reveal_save_and_dismiss() {
    let t = TestApp::new();
    let ibm = sandbox("ibm");
    let pending = t.ok(
        "key_create",
        json!({ "accountId": ibm, "spec": { "name": "ci deploy", "description": "for CI" } }),
    );
    let handle = pending["handle"].as_str().unwrap().to_string();
    assert_eq!(pending["record"]["name"], "ci deploy");
    assert_eq!(pending["saved"], false);
    assert!(!t.events_named("keys-changed").is_empty());

    let secret = t.ok("secret_reveal", json!({ "handle": handle }));
    let secret = secret.as_str().unwrap().to_string();
    assert!(secret.len() > 16);
    assert!(
        !pending.to_string().contains(&secret),
        "key_create answers without the secret"
    );
    assert!(pending["hint"]
        .as_str()
        .unwrap()
        .ends_with(&secret[secret.len() - 4..]));
    let held = t.ok("secrets_pending", json!({}));
    assert_eq!(held.as_array().unwrap().len(), 1);
    assert!(!held.to_string().contains(&secret));

    // The key is at the vendor, and in the listing.
    let listing = t.ok("keys_list_account", json!({ "accountId": ibm }));
    let id = pending["record"]["id"].as_str().unwrap();
    assert!(listing["keys"]
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k["id"] == id));

    // Saved in IBM's own apikey.json, 0600, where the user chose in the save dialog, which
    // named the key and offered the format's usual file name.
    let path = t.temp_path("apikey.json");
    let saved = t.save(&handle, "ibm_apikey_json", &path).unwrap();
    assert_eq!(saved["path"], path.display().to_string());
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(file["apikey"], secret.as_str());
    assert_eq!(file["name"], "ci deploy");
    assert_eq!(mode(&path), 0o600);
    let asked = t.picker.asked();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].file_name, "apikey.json");
    assert!(asked[0].title.contains("ci deploy"), "{:?}", asked[0]);
    // An existing file the user picked is replaced: the native dialog asked already.
    std::fs::write(&path, "old").unwrap();
    t.save(&handle, "ibm_apikey_json", &path).unwrap();
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(file["apikey"], secret.as_str());
    assert_eq!(mode(&path), 0o600);
    // A format of another vendor is refused before any dialog opens.
    let elsewhere = t.temp_path("x");
    let wrong = t
        .save(&handle, "scaleway_config_yaml", &elsewhere)
        .unwrap_err();
    assert_eq!(wrong["field"], "format");
    assert_eq!(t.picker.asked().len(), 2, "no dialog for a refused format");
    assert!(!elsewhere.exists());
    // Cancelled: `null`, nothing written, the secret still held.
    t.picker.cancel();
    let cancelled = t.ok("secret_save", json!({ "handle": handle, "format": "env" }));
    assert_eq!(cancelled, Value::Null);
    assert_eq!(t.picker.asked().len(), 3);
    assert_eq!(t.picker.asked()[2].file_name, ".env");
    assert!(!t.temp_path(".env").exists());
    assert_eq!(t.ok("secrets_pending", json!({}))[0]["saved"], true);

    // Hiding the window loses nothing.
    t.window.hide().unwrap();
    assert_eq!(
        t.ok("secrets_pending", json!({})).as_array().unwrap().len(),
        1
    );
    assert_eq!(
        t.ok("secret_reveal", json!({ "handle": handle })),
        secret.as_str()
    );

    t.ok("secret_dismiss", json!({ "handle": handle }));
    assert_eq!(t.ok("secrets_pending", json!({})), json!([]));
    let gone = t.err("secret_reveal", json!({ "handle": handle }));
    assert_eq!(gone["code"], "not_found");
    assert!(!gone.to_string().contains(&secret));
}

#[test]
fn oci_key_files_point_at_the_saved_private_key() {
    let t = TestApp::new();
    let pending = t.ok(
        "key_create",
        json!({ "accountId": sandbox("oci"), "spec": {} }),
    );
    let handle = pending["handle"].as_str().unwrap();
    let fingerprint = pending["record"]["id"].as_str().unwrap();

    // The .env and the profile need the key file's path: save the PEM first.
    let early = t.save(handle, "env", &t.temp_path(".env")).unwrap_err();
    assert_eq!(early["code"], "validation");
    assert!(t.picker.asked().is_empty(), "refused before any dialog");
    let (_only_us, config) = common::oci_config();
    let early = t.err(
        "oci_config_append",
        json!({ "handle": handle, "profile": "KEYRACK" }),
    );
    assert_eq!(early["code"], "validation");
    assert!(!config.exists());

    let pem = t.temp_path("oci_api_key.pem");
    t.save(handle, "oci_private_key_pem", &pem).unwrap();
    let text = std::fs::read_to_string(&pem).unwrap();
    assert!(text.starts_with("-----BEGIN PRIVATE KEY-----"), "{text}");
    assert!(text.ends_with("OCI_API_KEY"));
    assert_eq!(mode(&pem), 0o600);
    assert_eq!(t.picker.asked()[0].file_name, "oci_api_key.pem");

    let env = t.temp_path(".env");
    t.save(handle, "env", &env).unwrap();
    let env = std::fs::read_to_string(&env).unwrap();
    assert!(
        env.contains(&format!("OCI_private_key_path={}", pem.display())),
        "{env}"
    );
    assert!(
        env.contains(&format!("OCI_fingerprint={fingerprint}")),
        "{env}"
    );

    // The profile goes to the OCI config file (here under the tests' HOME), after what is
    // there already.
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, "[DEFAULT]\nuser=ocid1.user.oc1..other\n").unwrap();
    let appended = t.ok(
        "oci_config_append",
        json!({ "handle": handle, "profile": "KEYRACK" }),
    );
    assert_eq!(appended["path"], config.display().to_string());
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(
        text.starts_with("[DEFAULT]\nuser=ocid1.user.oc1..other\n"),
        "{text}"
    );
    assert!(text.contains("[KEYRACK]\n"), "{text}");
    assert!(
        text.contains(&format!("key_file={}", pem.display())),
        "{text}"
    );
    assert_eq!(mode(&config), 0o600);
    let twice = t.err(
        "oci_config_append",
        json!({ "handle": handle, "profile": "KEYRACK" }),
    );
    assert_eq!(twice["code"], "conflict");
}

#[test]
fn copying_a_secret_clears_the_clipboard_on_its_timer_and_on_quit() {
    let t = TestApp::new();
    let mut prefs = t.ok("preferences_get", json!({}));
    prefs["clipboard_clear_secs"] = json!(5);
    t.ok("preferences_set", json!({ "p": prefs }));
    let pending = t.ok(
        "key_create",
        json!({ "accountId": sandbox("codefresh"), "spec": { "name": "copy me", "scopes": ["build"] } }),
    );
    let handle = pending["handle"].as_str().unwrap();
    let secret = t.ok("secret_reveal", json!({ "handle": handle }));

    let copied = t.ok("secret_copy", json!({ "handle": handle }));
    assert_eq!(copied, json!({ "clearInSecs": 5 }));
    assert_eq!(t.clipboard.current().as_deref(), secret.as_str());
    assert_eq!(t.ok("secrets_pending", json!({}))[0]["copied"], true);
    let cleared = t.wait_event("clipboard-cleared", Duration::from_secs(10), |_| true);
    assert_eq!(cleared, json!({ "handle": handle, "cleared": true }));
    assert_eq!(t.clipboard.current(), None);

    // Copied again, then the app quits before the timer: the clipboard is cleared anyway.
    t.ok("secret_copy", json!({ "handle": handle }));
    assert!(t.clipboard.current().is_some());
    keyrack_app::on_exit(t.app.handle());
    assert_eq!(t.clipboard.current(), None);
}

#[test]
fn something_the_user_copied_since_is_left_alone_on_quit() {
    let t = TestApp::new();
    let pending = t.ok(
        "key_create",
        json!({ "accountId": sandbox("ibm"), "spec": { "name": "k" } }),
    );
    t.ok("secret_copy", json!({ "handle": pending["handle"] }));
    *t.clipboard.text.lock().unwrap() = Some("user text".into());
    keyrack_app::on_exit(t.app.handle());
    assert_eq!(t.clipboard.current().as_deref(), Some("user text"));
}

#[test]
fn accounts_are_added_tested_changed_and_removed() {
    let t = TestApp::new();
    let accounts = t.ok("accounts_list", json!({}));
    let cf = accounts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["vendor"] == "codefresh")
        .unwrap()
        .clone();
    let input = |name: &str, secret: &str, skip: bool| {
        json!({ "input": { "name": name, "vendor": "codefresh", "settings": cf["settings"],
                           "secret": secret, "skipTest": skip } })
    };

    // Tested first: a wrong key is refused by the vendor and nothing is saved.
    let refused = t.err(
        "account_add",
        input("Wrong", "cf-wrong-key-000000000000", false),
    );
    assert_eq!(refused["code"], "unauthorized", "{refused}");
    assert!(t.store.account_ids().is_empty());
    let refused = t.err(
        "account_test_new",
        input("Wrong", "cf-wrong-key-000000000000", false),
    );
    assert_eq!(refused["code"], "unauthorized");
    let invalid = t.err("account_add", input(" ", "x", true));
    assert_eq!(invalid["field"], "name");

    // A working key: a key minted in the sandbox becomes a real account's credential.
    let minted = t.ok(
        "key_create",
        json!({ "accountId": sandbox("codefresh"), "spec": { "name": "for an account", "scopes": ["build"] } }),
    );
    let token = t.ok("secret_reveal", json!({ "handle": minted["handle"] }));
    let token = token.as_str().unwrap();
    let identity = t.ok("account_test_new", input("Team CF", token, false));
    assert!(identity["display"].as_str().is_some_and(|d| !d.is_empty()));
    t.clear_events();
    let account = t.ok("account_add", input("Team CF", token, false));
    assert_eq!(account["name"], "Team CF");
    assert_eq!(account["sandbox"], false);
    assert_eq!(t.events_named("accounts-changed").len(), 1);
    let id = account["id"].as_str().unwrap().to_string();
    assert_eq!(t.store.secret_of(&id).as_deref(), Some(token));
    let settings = std::fs::read_to_string(t.paths.settings_file()).unwrap();
    assert!(settings.contains("Team CF"));
    assert!(!settings.contains(token));
    assert_eq!(
        t.ok("account_test", json!({ "id": id }))["display"],
        identity["display"]
    );
    let listing = t.ok("keys_list_account", json!({ "accountId": id }));
    assert!(listing["error"].is_null(), "{listing}");

    // Renamed; a passphrase alone cannot change; sandbox accounts cannot change.
    let renamed = t.ok(
        "account_update",
        json!({ "id": id, "input": { "name": "Team CF 2" } }),
    );
    assert_eq!(renamed["name"], "Team CF 2");
    let alone = t.err(
        "account_update",
        json!({ "id": id, "input": { "passphrase": "pp-only" } }),
    );
    assert_eq!(alone["field"], "secret");
    let sandboxed = t.err(
        "account_update",
        json!({ "id": sandbox("ibm"), "input": { "name": "Mine now" } }),
    );
    assert_eq!(sandboxed["code"], "validation");
    let taken = t.err(
        "account_add",
        input("team cf 2", "cf-other-000000000000000", true),
    );
    assert_eq!(taken["field"], "name");

    t.ok("account_remove", json!({ "id": id }));
    assert!(t.store.account_ids().is_empty());
    assert_eq!(
        t.ok("accounts_list", json!({})).as_array().unwrap().len(),
        5
    );
    assert_eq!(
        t.err("account_test", json!({ "id": id }))["code"],
        "not_found"
    );
}

#[test]
fn keys_change_lock_and_delete() {
    let t = TestApp::new();
    let ibm = sandbox("ibm");
    let pending = t.ok(
        "key_create",
        json!({ "accountId": ibm, "spec": { "name": "to change" } }),
    );
    let id = pending["record"]["id"].as_str().unwrap();
    t.clear_events();

    let updated = t.ok(
        "key_update",
        json!({ "accountId": ibm, "keyId": id, "changes": { "name": "changed", "description": "d" } }),
    );
    assert_eq!(updated["name"], "changed");
    assert_eq!(t.events_named("keys-changed").len(), 1);
    let locked = t.ok(
        "key_set_locked",
        json!({ "accountId": ibm, "keyId": id, "locked": true }),
    );
    assert_eq!(locked["locked"], true);
    let refused = t.err("key_delete", json!({ "accountId": ibm, "keyId": id }));
    assert_eq!(
        refused["code"], "conflict",
        "a locked IBM key cannot be deleted: {refused}"
    );
    t.ok(
        "key_set_locked",
        json!({ "accountId": ibm, "keyId": id, "locked": false }),
    );
    let disabled = t.ok(
        "key_set_disabled",
        json!({ "accountId": ibm, "keyId": id, "disabled": true }),
    );
    assert_eq!(disabled["status"], "disabled");
    t.ok("key_delete", json!({ "accountId": ibm, "keyId": id }));
    let gone = t.err("key_get", json!({ "accountId": ibm, "keyId": id }));
    assert_eq!(gone["code"], "not_found");

    // Unsupported operations say so in core's words.
    let cf = t.ok(
        "keys_list_account",
        json!({ "accountId": sandbox("codefresh") }),
    );
    let cf_key = cf["keys"][0]["id"].clone();
    let unsupported = t.err(
        "key_set_locked",
        json!({ "accountId": sandbox("codefresh"), "keyId": cf_key, "locked": true }),
    );
    assert_eq!(unsupported["code"], "unsupported");
    let invalid = t.err(
        "key_create",
        json!({ "accountId": sandbox("codefresh"), "spec": { "name": "no scopes" } }),
    );
    assert_eq!(invalid["field"], "scopes");
}

#[test]
fn openai_create_options_and_owner_delete() {
    let t = TestApp::new();
    let openai = sandbox("openai");
    let options = t.ok("create_options", json!({ "accountId": openai }));
    let project = options["projects"][0]["id"].clone();
    assert!(project.is_string(), "{options}");
    let pending = t.ok(
        "key_create",
        json!({ "accountId": openai, "spec": { "name": "svc for ci", "project_id": project } }),
    );
    let outcome = t.ok(
        "key_delete",
        json!({ "accountId": openai, "keyId": pending["record"]["id"] }),
    );
    let owner = outcome["owner_without_keys"].clone();
    assert_eq!(owner["kind"], "service_account", "{outcome}");
    t.ok(
        "owner_delete",
        json!({ "accountId": openai, "owner": owner }),
    );
}

#[test]
fn preferences_apply_at_once_and_the_sandbox_turns_off_and_on() {
    let t = TestApp::new();
    let mut prefs = t.ok("preferences_get", json!({}));
    assert_eq!(prefs["sandbox"], true);
    prefs["expiring_soon_days"] = json!(0);
    let refused = t.err("preferences_set", json!({ "p": prefs }));
    assert_eq!(refused["code"], "validation");
    assert_eq!(refused["field"], "expiring_soon_days");
    prefs["expiring_soon_days"] = json!(7);
    prefs["theme"] = json!("purple");
    assert_eq!(
        t.err("preferences_set", json!({ "p": prefs }))["field"],
        "theme"
    );
    prefs["theme"] = json!("dark");

    prefs["expiring_soon_days"] = json!(30);
    prefs["sandbox"] = json!(false);
    t.clear_events();
    let saved = t.ok("preferences_set", json!({ "p": prefs }));
    assert_eq!(saved["sandbox"], false);
    assert_eq!(t.events_named("accounts-changed").len(), 1);
    assert_eq!(t.ok("accounts_list", json!({})), json!([]));
    assert_eq!(t.ok("keys_list", json!({})), json!([]));
    assert_eq!(t.ok("app_info", json!({}))["sandbox"], false);
    let file = std::fs::read_to_string(t.paths.settings_file()).unwrap();
    assert!(file.contains("sandbox = false"), "{file}");

    prefs["sandbox"] = json!(true);
    t.ok("preferences_set", json!({ "p": prefs }));
    assert_eq!(
        t.ok("accounts_list", json!({})).as_array().unwrap().len(),
        5
    );
    assert_eq!(t.ok("app_info", json!({}))["sandbox"], true);
}

#[test]
fn a_locked_keychain_does_not_stop_the_app() {
    let store = std::sync::Arc::new(MemoryStore::new());
    store.set_fault(Some(StoreFault::Locked));
    let t = TestApp::with(Setup {
        store,
        ..Default::default()
    });
    let info = t.ok("app_info", json!({}));
    assert_eq!(info["keychain"]["ok"], false);
    assert!(info["keychain"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    assert_eq!(info["sandbox"], true);
    assert!(info["settingsError"].is_null());

    // Sandbox accounts never touch the keychain.
    let listings = t.ok("keys_list", json!({}));
    assert!(listings
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["error"].is_null()));
    let added = t.err(
        "account_add",
        json!({ "input": { "name": "Real", "vendor": "codefresh", "secret": "cf-123456789012345678",
                           "skipTest": true } }),
    );
    assert_eq!(added["code"], "keychain", "{added}");
}

#[test]
fn a_broken_settings_file_is_reported_and_defaults_apply() {
    let t = TestApp::with(Setup {
        sandbox: false,
        settings: Some("version = 1\n[preferences\n"),
        ..Default::default()
    });
    let info = t.ok("app_info", json!({}));
    assert!(
        info["settingsError"]
            .as_str()
            .is_some_and(|m| m.contains("line 2")),
        "{info}"
    );
    assert_eq!(info["problems"][0]["area"], "settings");
    assert_eq!(
        t.ok("preferences_get", json!({}))["clipboard_clear_secs"],
        45
    );
}

#[test]
fn rotate_key_plans_then_replaces_and_holds_the_new_secret() {
    let t = TestApp::new();
    let ibm = sandbox("ibm");
    let pending = t.ok(
        "key_create",
        json!({ "accountId": ibm, "spec": { "name": "to rotate" } }),
    );
    let old = pending["record"]["id"].as_str().unwrap().to_string();
    let choice = json!({ "retire": "delete" });
    let plan = t.ok(
        "rotation_plan",
        json!({ "accountId": ibm, "keyId": old, "choice": choice }),
    );
    assert!(
        plan["spec"]["name"]
            .as_str()
            .unwrap()
            .starts_with("to-rotate-rotated-")
            || plan["spec"]["name"]
                .as_str()
                .unwrap()
                .starts_with("to rotate-rotated-")
    );
    assert_eq!(
        plan["delivery"],
        Value::Null,
        "the window never names a file"
    );
    t.clear_events();
    let report = t.ok(
        "rotate_key",
        json!({ "accountId": ibm, "keyId": old, "choice": choice }),
    );
    assert_eq!(report["step"], "done", "{report}");
    assert_eq!(report["old_key"], "deleted");
    assert_eq!(t.events_named("keys-changed").len(), 1);
    let handle = report["secret"]["handle"].as_str().unwrap();
    let pending = t.ok("secrets_pending", json!({}));
    assert!(pending
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["handle"] == handle));
    let gone = t.err("key_get", json!({ "accountId": ibm, "keyId": old }));
    assert_eq!(gone["code"], "not_found");
    // A choice the vendor cannot do is refused before anything happens.
    let refused = t.err(
        "rotation_plan",
        json!({ "accountId": sandbox("scaleway"), "keyId": "SCWXXXXXXXXXXXXXXXXX", "choice": { "retire": "disable" } }),
    );
    assert!(
        ["validation", "not_found"].contains(&refused["code"].as_str().unwrap()),
        "{refused}"
    );
}

#[test]
fn used_in_finds_the_key_and_a_rotation_updates_a_picked_or_found_file() {
    let t = TestApp::new();
    let cf = sandbox("codefresh");
    let pending = t.ok(
        "key_create",
        json!({ "accountId": cf, "spec": { "name": "rot file", "scopes": ["build"] } }),
    );
    let handle = pending["handle"].as_str().unwrap().to_string();
    let old = pending["record"]["id"].as_str().unwrap().to_string();
    let token = t.ok("secret_reveal", json!({ "handle": handle }));
    let token = token.as_str().unwrap().to_string();

    // Saved from the reveal panel: remembered for the key (path only, no secret).
    let saved = t.temp_path("saved.cfconfig");
    t.save(&handle, "codefresh_cfconfig", &saved).unwrap();
    let settings = std::fs::read_to_string(t.paths.settings_file()).unwrap();
    assert!(settings.contains("[[key_place]]"), "{settings}");
    assert!(!settings.contains(&token));

    // The codefresh CLI's own file holds it too, beside another context.
    let home_cf = fake_home().join(".cfconfig");
    let other = "  home:\n    type: APIKey\n    name: home\n    url: https://g.codefresh.io\n    token: 650bbb.othersecret\n";
    std::fs::write(
        &home_cf,
        format!("contexts:\n  work:\n    type: APIKey\n    name: work\n    url: https://g.codefresh.io\n    token: {token}\n{other}current-context: work\n"),
    )
    .unwrap();
    let used = t.ok("key_used_in", json!({ "accountId": cf, "keyId": old }));
    let used = used.as_array().unwrap().clone();
    assert_eq!(used.len(), 2, "{used:?}");
    assert_eq!(used[0]["path"], home_cf.display().to_string());
    assert_eq!(used[0]["what"], "context work");
    assert_eq!(used[0]["remembered"], false);
    assert_eq!(used[1]["path"], saved.display().to_string());
    assert_eq!(used[1]["remembered"], true);
    let found_token = used[0]["token"].as_str().unwrap().to_string();

    // "Update a file…": an open dialog; a file without the key is refused at once.
    let stranger = t.temp_path("stranger.yaml");
    std::fs::write(&stranger, "contexts: {}\n").unwrap();
    t.picker.choose(&stranger);
    let refused = t.err(
        "rotation_pick_file",
        json!({ "accountId": cf, "keyId": old }),
    );
    assert_eq!(refused["field"], "update_file", "{refused}");
    let asked = t.picker.asked();
    assert!(asked.last().unwrap().existing);
    t.picker.choose(&saved);
    let picked = t.ok(
        "rotation_pick_file",
        json!({ "accountId": cf, "keyId": old }),
    );
    assert_eq!(picked["path"], saved.display().to_string());
    assert!(picked["token"].as_str().is_some());
    t.picker.cancel();
    let cancelled = t.ok(
        "rotation_pick_file",
        json!({ "accountId": cf, "keyId": old }),
    );
    assert_eq!(cancelled, Value::Null);

    // A token the backend did not hand out for this key names no file.
    for bad in ["file-999", "/etc/passwd"] {
        let e = t.err(
            "rotation_plan",
            json!({ "accountId": cf, "keyId": old, "choice": { "retire": "delete", "updateFile": bad } }),
        );
        assert_eq!(e["field"], "update_file", "{e}");
    }

    let saved_token = picked["token"].as_str().unwrap().to_string();
    let e = t.err(
        "rotation_plan",
        json!({ "accountId": cf, "keyId": old, "choice": { "retire": "delete", "alsoUpdate": ["file-999"] } }),
    );
    assert_eq!(e["field"], "update_file", "{e}");
    let choice = json!({ "retire": "delete", "updateFile": found_token, "alsoUpdate": [saved_token, found_token] });
    let plan = t.ok(
        "rotation_plan",
        json!({ "accountId": cf, "keyId": old, "choice": choice }),
    );
    assert_eq!(plan["delivery"]["kind"], "update_file");
    let report = t.ok(
        "rotate_key",
        json!({ "accountId": cf, "keyId": old, "choice": choice }),
    );
    assert_eq!(report["step"], "done", "{report}");
    assert!(report["delivered"]
        .as_str()
        .unwrap()
        .contains("context work"));
    let new = report["new_key_id"].as_str().unwrap();
    let text = std::fs::read_to_string(&home_cf).unwrap();
    assert!(text.contains(&format!("token: {new}.")), "{text}");
    assert!(!text.contains(&token), "{text}");
    assert!(
        text.contains(other),
        "the other context is untouched:\n{text}"
    );

    // The saved file too, once the new key worked (the primary file is not done twice).
    let also = report["also_updated"].as_array().unwrap();
    assert_eq!(also.len(), 1, "{report}");
    assert_eq!(also[0]["path"], saved.display().to_string());
    assert!(also[0]["updated"].as_str().is_some(), "{report}");
    let saved_text = std::fs::read_to_string(&saved).unwrap();
    assert!(saved_text.contains(&format!("{new}.")), "{saved_text}");
    assert!(!saved_text.contains(&token));

    // The files are the new key's now.
    let used = t.ok("key_used_in", json!({ "accountId": cf, "keyId": new }));
    assert_eq!(used[0]["path"], home_cf.display().to_string(), "{used}");
    assert_eq!(used[1]["path"], saved.display().to_string(), "{used}");
    let old_used = t.ok("key_used_in", json!({ "accountId": cf, "keyId": old }));
    assert_eq!(old_used, json!([]), "{old_used}");
    std::fs::remove_file(&home_cf).unwrap();
}

/// The "Show archived projects" preference: saved, it makes the window list again, and every
/// listing (all accounts, or one) then holds the archived OpenAI project's keys.
#[test]
fn archived_projects_are_listed_when_the_preference_says_so() {
    let t = TestApp::new();
    let manifest = t.emulator_manifest();
    let openai = &manifest["openai"];
    let base = openai["base_url"].as_str().unwrap();
    let path = base
        .split_once("//")
        .unwrap()
        .1
        .split_once('/')
        .map_or("", |(_, p)| p);
    let project = openai["project_id"].as_str().unwrap();
    let (status, body) = t.emulator_request(
        "POST",
        &format!("/{path}/organization/projects/{project}/archive"),
        &[format!(
            "Authorization: Bearer {}",
            openai["admin_key"].as_str().unwrap()
        )],
        "",
    );
    assert_eq!(status, 200, "{body}");
    let archived_keys = |listing: &Value| {
        listing["keys"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|k| {
                k["id"]
                    .as_str()
                    .unwrap()
                    .starts_with(&format!("{project}/"))
            })
            .count()
    };
    let openai_listing = |t: &TestApp| {
        t.ok("keys_list", json!({}))
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["accountId"] == sandbox("openai"))
            .unwrap()
            .clone()
    };
    assert_eq!(archived_keys(&openai_listing(&t)), 0, "hidden by default");

    let mut prefs = t.ok("preferences_get", json!({}));
    assert_eq!(prefs["include_archived"], false);
    prefs["include_archived"] = json!(true);
    t.clear_events();
    t.ok("preferences_set", json!({ "p": prefs }));
    assert_eq!(t.events_named("keys-changed").len(), 1);
    let shown = archived_keys(&openai_listing(&t));
    assert!(shown > 0, "the archived project's keys are listed");
    let one = t.ok(
        "keys_list_account",
        json!({ "accountId": sandbox("openai") }),
    );
    assert_eq!(archived_keys(&one), shown);
    let file = std::fs::read_to_string(t.paths.settings_file()).unwrap();
    assert!(file.contains("include_archived = true"), "{file}");
}
