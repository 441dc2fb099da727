//! "Found on this computer" over IPC: finds are listed by handle with no credential, and
//! importing a handle tests the connection, then saves the account (credential to the keychain,
//! the CLI's file untouched).

use keyrack_core::accounts::discover::Env;
use serde_json::{json, Value};

use crate::common::TestApp;

/// A home whose `.cfconfig` holds the sandbox's Codefresh key and a wrong one, and whose
/// `.oci/config` is broken.
fn home_for(t: &TestApp) -> (tempfile::TempDir, String) {
    let manifest = t.emulator_manifest();
    let key = manifest["codefresh"]["api_key"]
        .as_str()
        .unwrap()
        .to_string();
    let api = manifest["codefresh"]["base_url"].as_str().unwrap();
    let host = api.trim_end_matches("/api");
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join(".cfconfig"),
        format!(
            "contexts:\n  emu:\n    name: emu\n    url: {host}\n    token: {key}\n  wrong:\n    \
             name: wrong\n    url: {host}\n    token: 000000000000000000000000.bad\n\
             current-context: emu\n"
        ),
    )
    .unwrap();
    std::fs::create_dir_all(home.path().join(".oci")).unwrap();
    std::fs::write(home.path().join(".oci/config"), "[DEFAULT]\nuser=x\n").unwrap();
    t.state()
        .set_discovery_env(Env::new(Some(home.path().into()), []));
    (home, key)
}

fn handle_of(found: &Value, source: &str) -> String {
    found["found"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["found"]["source"] == source)
        .unwrap_or_else(|| panic!("no {source} in {found}"))["found"]["handle"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn finds_cross_by_handle_and_import_tests_then_saves() {
    let t = TestApp::new();
    let (home, key) = home_for(&t);
    let cfconfig = std::fs::read(home.path().join(".cfconfig")).unwrap();

    let found = t.ok("accounts_found", json!({}));
    assert!(
        !found.to_string().contains(&key),
        "no credential crosses IPC: {found}"
    );
    assert_eq!(found["found"].as_array().unwrap().len(), 2, "{found}");
    assert_eq!(found["found"][0]["existing"], Value::Null);
    assert_eq!(found["unreadable"][0]["source"], "~/.oci/config [DEFAULT]");
    assert_eq!(found["unreadable"][0]["error"]["code"], "config");

    // A wrong key fails its connection test and nothing is saved.
    let wrong = t.ok(
        "account_import",
        json!({ "handle": handle_of(&found, "~/.cfconfig [wrong]") }),
    );
    assert_eq!(wrong["outcome"], "failed", "{wrong}");
    assert_eq!(wrong["error"]["code"], "unauthorized");
    assert!(t.store.account_ids().is_empty());

    let handle = handle_of(&found, "~/.cfconfig [emu]");
    let added = t.ok("account_import", json!({ "handle": handle }));
    assert_eq!(added["outcome"], "added", "{added}");
    let id = added["saved"]["account"]["id"].as_str().unwrap();
    assert_eq!(t.store.secret_of(id).as_deref(), Some(key.as_str()));
    assert!(!added.to_string().contains(&key));
    assert!(!t.events_named("accounts-changed").is_empty());

    // Listed again it is marked; importing again adds nothing.
    let again = t.ok("accounts_found", json!({}));
    let marked = again["found"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["found"]["handle"] == handle.as_str())
        .unwrap();
    assert_eq!(marked["existing"]["id"], id);
    let twice = t.ok("account_import", json!({ "handle": handle }));
    assert_eq!(twice["outcome"], "already_present");
    assert_eq!(t.store.account_ids().len(), 1);
    assert_eq!(
        std::fs::read(home.path().join(".cfconfig")).unwrap(),
        cfconfig
    );

    // A handle that names nothing found (the webview never sends a path).
    let e = t.err("account_import", json!({ "handle": "../../etc/passwd" }));
    assert_eq!(e["code"], "not_found");
}
