//! The webview is not trusted with paths: a script in a compromised page calls the save
//! commands with arguments of its own choosing, and nothing lands where it asked. A secret goes
//! only where the user picked in the save dialog; an OCI profile only into the OCI config file,
//! and only when neither its name nor the key file's path can break that file.

use std::path::{Path, PathBuf};

use crate::common::{self, mode, TestApp};
use serde_json::{json, Value};

/// A key created at `vendor`'s sandbox account; its handle.
fn created(t: &TestApp, vendor: &str, spec: Value) -> String {
    let pending = t.ok(
        "key_create",
        json!({ "accountId": TestApp::sandbox(vendor), "spec": spec }),
    );
    pending["handle"].as_str().unwrap().to_string()
}

/// A file of the user's that an attacker would like to change, with its content.
fn bait(path: &Path) -> (PathBuf, &'static str) {
    const MINE: &str = "# the user's own file\nalias ll='ls -l'\n";
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, MINE).unwrap();
    (path.to_path_buf(), MINE)
}

fn held(t: &TestApp, handle: &str) -> Value {
    t.ok("secrets_pending", json!({}))
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["handle"] == handle)
        .cloned()
        .unwrap_or_else(|| panic!("{handle} is no longer held"))
}

#[test]
fn secret_save_writes_where_the_user_picked_never_where_the_webview_asked() {
    let t = TestApp::new();
    let handle = created(&t, "ibm", json!({ "name": "hostile" }));
    let (bashrc, mine) = bait(&common::fake_home().join(".bashrc"));
    let (outside, _) = bait(&t.dir.path().join("etc").join("profile"));
    let not_there = t.dir.path().join("etc").join("cron.d").join("keyrack");

    // The picker decides: the path argument is ignored, whatever it names.
    let chosen = t.temp_path("chosen.json");
    for target in [
        bashrc.display().to_string(),
        "~/.bashrc".to_string(),
        outside.display().to_string(),
        not_there.display().to_string(),
    ] {
        t.picker.choose(&chosen);
        let saved = t.ok(
            "secret_save",
            json!({ "handle": handle, "format": "ibm_apikey_json", "path": target,
                    "overwrite": true, "profile": null }),
        );
        assert_eq!(saved["path"], chosen.display().to_string(), "{target}");
        std::fs::remove_file(&chosen).unwrap();

        // The user cancels: nothing is written anywhere, and the secret stays held.
        t.picker.cancel();
        let cancelled = t.ok(
            "secret_save",
            json!({ "handle": handle, "format": "env", "path": target, "overwrite": true }),
        );
        assert_eq!(cancelled, Value::Null, "{target}");
    }
    assert_eq!(std::fs::read_to_string(&bashrc).unwrap(), mine);
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), mine);
    assert!(!not_there.exists());
    assert!(!chosen.exists());
    assert!(held(&t, &handle)["record"]["name"] == "hostile");
    assert!(t
        .ok("secret_reveal", json!({ "handle": handle }))
        .is_string());
}

#[test]
fn oci_config_append_writes_only_the_oci_config_file() {
    let t = TestApp::new();
    let handle = created(&t, "oci", json!({}));
    let pem = t.temp_path("oci_api_key.pem");
    t.save(&handle, "oci_private_key_pem", &pem).unwrap();
    let (_only_us, config) = common::oci_config();
    // Not the `.bashrc` the other test baits: tests run in parallel.
    let (profile_rc, mine) = bait(&common::fake_home().join(".profile"));
    let (elsewhere, _) = bait(&t.dir.path().join("bashrc"));

    for (profile, target) in [
        ("HOSTILE", elsewhere.display().to_string()),
        ("HOSTILE2", "~/.profile".to_string()),
    ] {
        let added = t.ok(
            "oci_config_append",
            json!({ "handle": handle, "profile": profile, "configPath": target }),
        );
        assert_eq!(added["path"], config.display().to_string(), "{target}");
    }
    assert_eq!(std::fs::read_to_string(&profile_rc).unwrap(), mine);
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), mine);
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("[HOSTILE]\n"), "{text}");
    assert!(text.contains("[HOSTILE2]\n"), "{text}");
    assert_eq!(mode(&config), 0o600);
}

#[test]
fn a_key_whose_vendor_has_no_config_file_is_not_added_to_one() {
    let t = TestApp::new();
    let handle = created(&t, "ibm", json!({ "name": "no config" }));
    t.save(&handle, "ibm_apikey_json", &t.temp_path("apikey.json"))
        .unwrap();
    let (_only_us, config) = common::oci_config();
    let refused = t.err(
        "oci_config_append",
        json!({ "handle": handle, "profile": "IBM" }),
    );
    assert_eq!(refused["code"], "validation", "{refused}");
    assert_eq!(refused["field"], "handle", "{refused}");
    assert!(
        refused["message"].as_str().unwrap().contains("IBM Cloud"),
        "{refused}"
    );
    assert!(!config.exists(), "an IBM key was written to the OCI config");
}

#[test]
fn profile_names_that_would_break_the_config_file_are_refused() {
    let t = TestApp::new();
    let handle = created(&t, "oci", json!({}));
    t.save(
        &handle,
        "oci_private_key_pem",
        &t.temp_path("oci_api_key.pem"),
    )
    .unwrap();
    let (_only_us, config) = common::oci_config();
    for profile in [
        "A]B",
        "[DEFAULT",
        "X\n[DEFAULT]",
        "X\nkey_file=/etc/shadow",
        "X\rY",
        "",
        "   ",
    ] {
        let refused = t.err(
            "oci_config_append",
            json!({ "handle": handle, "profile": profile }),
        );
        assert_eq!(refused["code"], "validation", "{profile:?}: {refused}");
        assert_eq!(refused["field"], "profile", "{profile:?}: {refused}");
        assert!(!config.exists(), "{profile:?} wrote the config file");
    }
}

#[test]
fn a_key_file_path_that_would_break_the_config_file_is_refused() {
    let t = TestApp::new();
    let handle = created(&t, "oci", json!({}));
    let (_only_us, config) = common::oci_config();
    for dir in [
        "$(touch pwned)",
        "`id`",
        "a;b",
        "a|b",
        "a&b",
        "line\nbreak",
        "cr\rhere",
    ] {
        // The user may save the key there; it just cannot be named in the config file.
        let pem = t.dir.path().join(dir).join("oci_api_key.pem");
        t.save(&handle, "oci_private_key_pem", &pem).unwrap();
        assert!(pem.exists(), "{dir:?}");
        let refused = t.err(
            "oci_config_append",
            json!({ "handle": handle, "profile": "KEYRACK" }),
        );
        assert_eq!(refused["code"], "validation", "{dir:?}: {refused}");
        assert_eq!(refused["field"], "key_file", "{dir:?}: {refused}");
        assert!(!config.exists(), "{dir:?} wrote the config file");
    }
    // Saved again under a plain path, the profile is added.
    let plain = t.dir.path().join("My Keys").join("oci_api_key.pem");
    t.save(&handle, "oci_private_key_pem", &plain).unwrap();
    t.ok(
        "oci_config_append",
        json!({ "handle": handle, "profile": "KEYRACK" }),
    );
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(
        text.contains(&format!("key_file={}\n", plain.display())),
        "{text}"
    );
}
