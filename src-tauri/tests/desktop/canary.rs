//! Canary, IPC half: credentials planted through `account_add` / `account_update` (wrong ones of
//! every vendor, a PEM, a passphrase, a working key) and the secrets of keys created at every
//! vendor (from the UI and from the tray) must appear in no IPC response, no event, no log line
//! (everything at TRACE, `log` records included), no file Keyrack keeps, no tray label and no
//! `Debug` output. The one exception is the explicit `secret_reveal` response, which is the
//! only way a created key's secret reaches the UI.

use std::time::Duration;

use crate::common::{self, TestApp};
use keyrack_core::test_support::{LogCapture, Outputs};
use serde_json::{json, Value};

fn canary(n: u32) -> String {
    format!("canary-7f3a91-{n}-{}", uuid_like())
}

/// 32 hex digits from the clock and a counter: unique per run without another dependency.
fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    format!(
        "{nanos:016x}{:016x}",
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Texts a secret must not be in.
fn settings_of(t: &TestApp, vendor: &str) -> Value {
    t.ok("accounts_list", json!({}))
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["vendor"] == vendor && a["sandbox"] == true)
        .unwrap()["settings"]
        .clone()
}

fn add(
    t: &TestApp,
    name: &str,
    vendor: &str,
    settings: Value,
    secret: &str,
    skip: bool,
) -> Result<Value, Value> {
    t.invoke(
        "account_add",
        json!({ "input": { "name": name, "vendor": vendor, "settings": settings,
                           "secret": secret, "skipTest": skip } }),
    )
}

#[test]
fn planted_and_created_secrets_appear_only_where_the_user_asked_for_them() {
    let log = LogCapture::install();

    let t = TestApp::new();
    let mut planted: Vec<String> = Vec::new();
    let mut created: Vec<String> = Vec::new();

    t.ok("app_info", json!({}));
    t.ok("vendors", json!({}));

    // Wrong admin credentials of four vendors, saved untested, then used: every call fails
    // at the (sandbox) vendor and the errors travel to the UI.
    let mut canary_accounts = Vec::new();
    for (n, vendor) in ["ibm", "scaleway", "openai", "codefresh"]
        .into_iter()
        .enumerate()
    {
        let secret = canary(n as u32);
        planted.push(secret.clone());
        // Tested first: refused, nothing saved.
        let refused = add(
            &t,
            &format!("Tested {vendor}"),
            vendor,
            settings_of(&t, vendor),
            &secret,
            false,
        )
        .unwrap_err();
        assert!(
            ["unauthorized", "forbidden", "validation"]
                .contains(&refused["code"].as_str().unwrap()),
            "{vendor}: {refused}"
        );
        t.invoke(
            "account_test_new",
            json!({ "input": { "name": "Draft", "vendor": vendor, "settings": settings_of(&t, vendor),
                               "secret": secret } }),
        )
        .unwrap_err();
        let account = add(
            &t,
            &format!("Canary {vendor}"),
            vendor,
            settings_of(&t, vendor),
            &secret,
            true,
        )
        .unwrap_or_else(|e| panic!("{vendor}: {e}"));
        let id = account["id"].as_str().unwrap().to_string();
        assert_eq!(
            t.store.secret_of(&id).as_deref(),
            Some(secret.as_str()),
            "kept in the keychain"
        );
        canary_accounts.push(id);
    }
    for id in &canary_accounts {
        t.invoke("account_test", json!({ "id": id })).unwrap_err();
        t.ok("keys_list_account", json!({ "accountId": id }));
        t.invoke("create_options", json!({ "accountId": id })).ok();
        t.invoke(
            "key_get",
            json!({ "accountId": id, "keyId": "ApiKey-0000" }),
        )
        .unwrap_err();
        t.invoke(
            "key_create",
            json!({ "accountId": id, "spec": { "name": "never" } }),
        )
        .unwrap_err();
        t.invoke("key_delete", json!({ "accountId": id, "keyId": "k" }))
            .unwrap_err();
    }
    let listings = t.ok("keys_list", json!({}));
    let failing = listings
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| !l["error"].is_null())
        .count();
    assert_eq!(failing, canary_accounts.len(), "{listings}");

    // A replaced credential, a PEM and a passphrase.
    let replaced = canary(10);
    planted.push(replaced.clone());
    t.ok(
        "account_update",
        json!({ "id": canary_accounts[3], "input": { "name": "Canary renamed", "secret": replaced, "skipTest": true } }),
    );
    t.invoke("account_test", json!({ "id": canary_accounts[3] }))
        .unwrap_err();
    let pem_body = canary(11);
    let pem = format!("-----BEGIN PRIVATE KEY-----\n{pem_body}\n-----END PRIVATE KEY-----\n");
    let passphrase = canary(12);
    planted.push(pem_body.clone());
    planted.push(passphrase.clone());
    t.invoke(
        "account_add",
        json!({ "input": { "name": "Canary OCI", "vendor": "oci", "settings": settings_of(&t, "oci"),
                           "secret": pem, "passphrase": passphrase, "skipTest": true } }),
    )
    .unwrap_err();
    t.invoke(
        "account_update",
        json!({ "id": canary_accounts[0], "input": { "passphrase": passphrase } }),
    )
    .unwrap_err();

    // Keys created at every vendor; each secret comes back only from secret_reveal.
    let out = t.dir.path().join("out");
    // The OCI config file names the key file; it must not hold the key itself.
    let mut oci_config_text = String::new();
    let specs = [
        ("ibm", json!({ "name": "canary ibm" }), "ibm_apikey_json"),
        (
            "scaleway",
            json!({ "description": "canary scw" }),
            "scaleway_config_yaml",
        ),
        ("oci", json!({}), "oci_private_key_pem"),
        (
            "openai",
            json!({ "name": "canary svc", "project_id": settings_of(&t, "openai")["project_id"] }),
            "env",
        ),
        (
            "codefresh",
            json!({ "name": "canary cf", "scopes": ["build"] }),
            "codefresh_cfconfig",
        ),
    ];
    let mut handles = Vec::new();
    for (vendor, mut spec, format) in specs {
        if vendor == "scaleway" {
            let options = t.ok("create_options", json!({ "accountId": "sandbox-scaleway" }));
            spec["owner"] =
                json!({ "kind": options["owners"][0]["kind"], "id": options["owners"][0]["id"] });
        }
        let pending = t.ok(
            "key_create",
            json!({ "accountId": format!("sandbox-{vendor}"), "spec": spec }),
        );
        let handle = pending["handle"].as_str().unwrap().to_string();
        let secret = t.ok("secret_reveal", json!({ "handle": handle }));
        created.push(secret.as_str().unwrap().to_string());
        t.ok("secrets_pending", json!({}));
        t.ok("secret_copy", json!({ "handle": handle }));
        let path = out.join(format!("{vendor}.{format}"));
        t.picker.choose(&path);
        t.ok(
            "secret_save",
            json!({ "handle": handle, "format": format, "profile": "canary" }),
        );
        t.save(&handle, "json", &out.join(format!("{vendor}.json")))
            .unwrap();
        if vendor == "oci" {
            let (_only_us, config) = common::oci_config();
            t.ok(
                "oci_config_append",
                json!({ "handle": handle, "profile": "CANARY" }),
            );
            oci_config_text = std::fs::read_to_string(config).unwrap();
        }
        // Refused and cancelled saves answer without the secret too.
        t.save(&handle, "no_such_format", &path).unwrap_err();
        t.picker.cancel();
        t.ok("secret_save", json!({ "handle": handle, "format": format }));
        handles.push((vendor, handle, pending));
    }
    // For the PEM, the key's secret is multi-line: check each line of its body too.
    let oci_secret = created[2].clone();
    for line in oci_secret
        .lines()
        .filter(|l| l.len() >= 32 && !l.starts_with("-----"))
    {
        created.push(line.to_string());
    }

    // A created key as a working account credential, then everything done with it.
    let (_, cf_handle, _) = &handles[4];
    let working = t.ok("secret_reveal", json!({ "handle": cf_handle }));
    let working = working.as_str().unwrap();
    let account = add(
        &t,
        "Working CF",
        "codefresh",
        settings_of(&t, "codefresh"),
        working,
        false,
    )
    .unwrap();
    let working_id = account["id"].as_str().unwrap();
    t.ok("account_test", json!({ "id": working_id }));
    t.ok("keys_list_account", json!({ "accountId": working_id }));

    // Changes to created keys, and the OpenAI service account left behind.
    let (_, _, ibm) = &handles[0];
    let ibm_id = &ibm["record"]["id"];
    t.ok(
        "key_update",
        json!({ "accountId": "sandbox-ibm", "keyId": ibm_id, "changes": { "name": "renamed" } }),
    );
    t.ok(
        "key_set_locked",
        json!({ "accountId": "sandbox-ibm", "keyId": ibm_id, "locked": true }),
    );
    t.ok(
        "key_set_locked",
        json!({ "accountId": "sandbox-ibm", "keyId": ibm_id, "locked": false }),
    );
    t.ok(
        "key_set_disabled",
        json!({ "accountId": "sandbox-ibm", "keyId": ibm_id, "disabled": true }),
    );
    t.ok(
        "key_get",
        json!({ "accountId": "sandbox-ibm", "keyId": ibm_id }),
    );
    let (_, _, openai) = &handles[3];
    let outcome = t.ok(
        "key_delete",
        json!({ "accountId": "sandbox-openai", "keyId": openai["record"]["id"] }),
    );
    t.ok(
        "owner_delete",
        json!({ "accountId": "sandbox-openai", "owner": outcome["owner_without_keys"] }),
    );

    // The tray: a key made from it, copied, the menu read back, a refresh.
    keyrack_app::tray::activate(t.app.handle(), "new-key:sandbox-ibm");
    let action = t.wait_event("tray-action", Duration::from_secs(20), |a| {
        a["action"] == "open-reveal"
    });
    let tray_secret = t.ok("secret_reveal", json!({ "handle": action["handle"] }));
    created.push(tray_secret.as_str().unwrap().to_string());
    keyrack_app::tray::activate(t.app.handle(), "copy-last");
    assert_eq!(t.clipboard.current().as_deref(), tray_secret.as_str());
    t.tray();
    keyrack_app::tray::activate(t.app.handle(), "refresh");
    t.wait_event("keys-changed", Duration::from_secs(20), |_| true);

    // Preferences, then the account removals and dismissals.
    let mut prefs = t.ok("preferences_get", json!({}));
    prefs["clipboard_clear_secs"] = json!(30);
    t.ok("preferences_set", json!({ "p": prefs }));
    for id in canary_accounts.iter().chain([&working_id.to_string()]) {
        t.ok("account_remove", json!({ "id": id }));
    }
    assert!(
        t.store.account_ids().is_empty(),
        "{:?}",
        t.store.account_ids()
    );
    for (_, handle, _) in &handles {
        t.ok("secret_dismiss", json!({ "handle": handle }));
    }
    t.ok("accounts_list", json!({}));
    t.ok("app_info", json!({}));
    keyrack_app::on_exit(t.app.handle());

    // Everything the UI, the log and the disk got.
    let mut outputs = Outputs::default();
    assert!(oci_config_text.contains("[CANARY]"), "{oci_config_text}");
    outputs.add("the OCI config file", oci_config_text);
    let mut reveals = 0;
    for (cmd, body) in t.responses.lock().unwrap().iter() {
        if cmd == "secret_reveal" {
            reveals += 1;
            // Where created secrets may be; planted credentials never.
            for secret in &planted {
                assert!(
                    !body.contains(secret.as_str()),
                    "a planted credential in a reveal"
                );
            }
            continue;
        }
        outputs.add(format!("{cmd} response"), body.clone());
    }
    assert!(reveals >= 7);
    for (name, payload) in t.events.lock().unwrap().iter() {
        outputs.add(format!("{name} event"), payload.clone());
    }
    let log_text = log.text();
    assert!(log_text.contains("account added"), "the log was captured");
    assert!(
        log_text.contains("secret held"),
        "the app's own lines were captured"
    );
    assert!(
        log_text.contains("vendor request"),
        "HTTP requests were logged"
    );
    outputs.add("log", log_text);
    outputs.add("state debug", format!("{:?}", *t.state()));
    outputs.add("store debug", format!("{:?}", t.store));
    // Keyrack's own files. The sandbox's state file is the vendor's side (it must know the
    // keys it issued); the files the user saved keys to hold them on purpose.
    // The audit log is among the data dir's files scanned below; it did record each secret
    // action, so the scan would have seen a secret written with one.
    let audit_log =
        std::fs::read_to_string(t.paths.data_dir.join("audit").join("audit.jsonl")).unwrap();
    for action in [
        "\"secret_reveal\"",
        "\"secret_copy\"",
        "\"secret_save\"",
        "\"config_append\"",
        "\"key_create\"",
        "\"key_delete\"",
    ] {
        assert!(
            audit_log.contains(action),
            "no {action} line in the audit log"
        );
    }
    let sandbox_state = t.paths.sandbox_state_file();
    outputs.files_under(&t.paths.config_dir, &|_| false);
    let settings = std::fs::read_to_string(t.paths.settings_file()).unwrap();
    assert!(settings.contains("clipboard_clear_secs = 30"), "{settings}");
    let mut everything = Outputs::default();
    everything.0.clone_from(&outputs.0);
    outputs.files_under(&t.paths.data_dir, &|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("sandbox-state"))
    });
    everything.files_under(&t.paths.data_dir, &|_| false);
    assert!(sandbox_state.exists());

    for secret in &planted {
        everything.assert_absent(secret, "a planted credential");
    }
    for secret in &created {
        outputs.assert_absent(secret, "a created key's secret");
    }
    // The saved files do hold them: the scan would have seen a leak.
    let saved = std::fs::read_to_string(out.join("ibm.json")).unwrap();
    assert!(saved.contains(&created[0]));
}
