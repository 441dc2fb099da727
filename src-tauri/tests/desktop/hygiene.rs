//! Key hygiene over IPC: which keys need attention (the sandbox seeds an expiring and an expired
//! IBM key), snoozing and marking a key expected, and the audit log the desktop's key changes
//! and secret actions write, read back newest first.

use crate::common::{self, TestApp};
use chrono::{Duration, Utc};
use serde_json::{json, Value};

const IBM: &str = "sandbox-ibm";

fn attention(t: &TestApp) -> Vec<Value> {
    t.ok("attention_list", json!({}))
        .as_array()
        .unwrap()
        .clone()
}

fn named<'a>(list: &'a [Value], name: &str) -> Option<&'a Value> {
    list.iter().find(|a| a["key"]["name"] == name)
}

fn audit(t: &TestApp, filter: Value) -> Vec<Value> {
    t.ok("audit_list", json!({ "filter": filter }))
        .as_array()
        .unwrap()
        .clone()
}

fn actions(entries: &[Value]) -> Vec<&str> {
    entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect()
}

#[test]
fn attention_lists_the_seeded_expiring_and_expired_keys_with_their_reasons() {
    let t = TestApp::new();
    assert!(attention(&t).is_empty(), "nothing is listed yet");
    t.ok("keys_list", json!({}));
    let list = attention(&t);
    let expiring = named(&list, "ci-deploy").expect("ci-deploy expires in 3 days");
    assert_eq!(expiring["account_id"], IBM);
    assert_eq!(expiring["reasons"][0]["kind"], "expiring");
    assert_eq!(expiring["reasons"][0]["within_days"], 14);
    let expired = named(&list, "dana-notebook").expect("dana-notebook expired 5 days ago");
    assert_eq!(expired["reasons"][0]["kind"], "expired");
    // Soonest trouble first: expired keys lead.
    assert_eq!(list[0]["reasons"][0]["kind"], "expired");

    // A lower threshold drops the expiring key (it is 2–3 days away).
    let mut prefs = t.ok("preferences_get", json!({}));
    prefs["expiring_soon_days"] = json!(1);
    t.ok("preferences_set", json!({ "p": prefs }));
    assert!(named(&attention(&t), "ci-deploy").is_none());
}

#[test]
fn snoozed_and_expected_keys_leave_the_list_and_come_back_when_forgotten() {
    let t = TestApp::new();
    t.ok("keys_list", json!({}));
    let list = attention(&t);
    let key_id = named(&list, "ci-deploy").unwrap()["key_id"].clone();
    t.clear_events();

    let until = (Utc::now() + Duration::days(7)).to_rfc3339();
    t.ok(
        "key_note_set",
        json!({ "note": { "account_id": IBM, "key_id": key_id, "snoozed_until": until } }),
    );
    assert!(named(&attention(&t), "ci-deploy").is_none(), "snoozed");
    // Nothing about the keys changed: no event sends the window to re-list every vendor.
    assert!(t.events_named("keys-changed").is_empty());

    // Forgotten (neither snoozed nor expected): back in the list.
    t.ok(
        "key_note_set",
        json!({ "note": { "account_id": IBM, "key_id": key_id } }),
    );
    assert!(named(&attention(&t), "ci-deploy").is_some());

    let err = t.err(
        "key_note_set",
        json!({ "note": { "account_id": IBM, "key_id": key_id, "expected": "  " } }),
    );
    assert_eq!(err["code"], "validation");
    assert_eq!(err["field"], "expected");
    t.ok(
        "key_note_set",
        json!({ "note": { "account_id": IBM, "key_id": key_id, "expected": "rotated by CI" } }),
    );
    assert!(named(&attention(&t), "ci-deploy").is_none(), "expected");
    let settings = std::fs::read_to_string(t.paths.settings_file()).unwrap();
    assert!(settings.contains("rotated by CI"), "{settings}");

    let err = t.err(
        "key_note_set",
        json!({ "note": { "account_id": "nope", "key_id": "k", "expected": "x" } }),
    );
    assert_eq!(err["code"], "not_found");
}

#[test]
fn key_changes_from_the_window_are_in_the_audit_log_newest_first() {
    let t = TestApp::new();
    let pending = t.ok(
        "key_create",
        json!({ "accountId": IBM, "spec": { "name": "audited" } }),
    );
    let key_id = pending["record"]["id"].as_str().unwrap().to_string();
    let args = json!({ "accountId": IBM, "keyId": key_id });
    t.ok(
        "key_update",
        json!({ "accountId": IBM, "keyId": key_id, "changes": { "name": "audited 2" } }),
    );
    t.ok(
        "key_set_locked",
        json!({ "accountId": IBM, "keyId": key_id, "locked": true }),
    );
    t.ok(
        "key_set_locked",
        json!({ "accountId": IBM, "keyId": key_id, "locked": false }),
    );
    t.ok(
        "key_set_disabled",
        json!({ "accountId": IBM, "keyId": key_id, "disabled": true }),
    );
    t.ok("key_delete", args.clone());
    // A failed change is recorded too, with its code.
    t.err(
        "key_delete",
        json!({ "accountId": IBM, "keyId": "ApiKey-missing" }),
    );

    let mine = audit(&t, json!({ "key_id": key_id }));
    assert_eq!(
        actions(&mine),
        [
            "key_delete",
            "key_disable",
            "key_unlock",
            "key_lock",
            "key_update",
            "key_create"
        ]
    );
    let create = mine.last().unwrap();
    assert_eq!(create["account_id"], IBM);
    assert_eq!(create["vendor"], "ibm");
    assert_eq!(create["key_name"], "audited");
    assert_eq!(create["outcome"]["result"], "ok");

    let failed = audit(&t, json!({ "key_id": "ApiKey-missing" }));
    assert_eq!(actions(&failed), ["key_delete"]);
    assert_eq!(failed[0]["outcome"]["result"], "failed");
    assert_eq!(failed[0]["outcome"]["code"], "not_found");

    // Filters: action, account, limit, a date range that excludes everything.
    let deletes = audit(&t, json!({ "action": "key_delete" }));
    assert_eq!(deletes.len(), 2);
    assert_eq!(audit(&t, json!({ "account_id": "sandbox-oci" })).len(), 0);
    assert_eq!(
        audit(&t, json!({ "limit": 1 }))[0]["key_id"],
        "ApiKey-missing"
    );
    let tomorrow = (Utc::now() + Duration::days(1)).to_rfc3339();
    assert!(audit(&t, json!({ "since": tomorrow })).is_empty());
    assert!(audit(&t, json!({})).len() >= 7);
}

#[test]
fn reveal_copy_save_and_config_append_each_write_an_audit_line() {
    let t = TestApp::new();
    let pending = t.ok(
        "key_create",
        json!({ "accountId": "sandbox-oci", "spec": {} }),
    );
    let handle = pending["handle"].as_str().unwrap().to_string();
    let key_id = pending["record"]["id"].as_str().unwrap().to_string();
    let last = |t: &TestApp| audit(t, json!({ "key_id": key_id, "limit": 1 }))[0].clone();

    let secret = t.ok("secret_reveal", json!({ "handle": handle }));
    let entry = last(&t);
    assert_eq!(entry["action"], "secret_reveal");
    assert_eq!(entry["account_id"], "sandbox-oci");
    assert_eq!(entry["vendor"], "oci");

    t.ok("secret_copy", json!({ "handle": handle }));
    assert_eq!(last(&t)["action"], "secret_copy");

    let path = t.temp_path("oci_api_key.pem");
    t.save(&handle, "oci_private_key_pem", &path).unwrap();
    let entry = last(&t);
    assert_eq!(entry["action"], "secret_save");
    assert_eq!(entry["outcome"]["result"], "ok");
    let detail = entry["detail"].as_str().unwrap();
    assert!(detail.contains(&path.display().to_string()), "{detail}");

    // A cancelled save did nothing, so it is not a line.
    t.picker.cancel();
    t.ok(
        "secret_save",
        json!({ "handle": handle, "format": "oci_private_key_pem" }),
    );
    assert_eq!(last(&t)["action"], "secret_save");
    assert_eq!(audit(&t, json!({ "action": "secret_save" })).len(), 1);

    {
        let (_only_us, _config) = common::oci_config();
        t.ok(
            "oci_config_append",
            json!({ "handle": handle, "profile": "AUDITED" }),
        );
    }
    let entry = last(&t);
    assert_eq!(entry["action"], "config_append");
    assert!(entry["detail"].as_str().unwrap().contains("[AUDITED]"));

    // An unknown handle names no key: refused, and no line.
    let before = audit(&t, json!({})).len();
    t.err("secret_reveal", json!({ "handle": "nope" }));
    assert_eq!(audit(&t, json!({})).len(), before);

    // The log holds no secret (the canary covers every action; this is the plain case).
    let log = std::fs::read_to_string(t.paths.data_dir.join("audit").join("audit.jsonl")).unwrap();
    let secret = secret.as_str().unwrap();
    for line in secret
        .lines()
        .filter(|l| l.len() >= 32 && !l.starts_with("-----"))
    {
        assert!(!log.contains(line), "a secret in the audit log");
    }
    assert_eq!(
        common::mode(&t.paths.data_dir.join("audit").join("audit.jsonl")),
        0o600
    );
}
