//! The tray menu as `tray_menu_items` reads it back from the built menu, after accounts, keys
//! and held secrets change, and what each item does when activated.

use std::time::Duration;

use crate::common::TestApp;
use chrono::{Duration as Days, Utc};
use keyrack_app::tray;
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(20);

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

fn children(items: &[Value], parent: &str) -> Vec<Value> {
    items
        .iter()
        .filter(|i| i["parent"] == parent)
        .cloned()
        .collect()
}

/// Create an IBM key that expires in two days.
fn expiring_key(t: &TestApp, name: &str) -> Value {
    let expires = (Utc::now() + Days::days(2)).to_rfc3339();
    t.ok(
        "key_create",
        json!({ "accountId": "sandbox-ibm", "spec": { "name": name, "expires_at": expires } }),
    )
}

#[test]
fn the_menu_follows_accounts_keys_and_held_secrets() {
    let t = TestApp::new();
    let items = t.tray();
    let top: Vec<String> = ids(&items
        .iter()
        .filter(|i| i["parent"].is_null())
        .cloned()
        .collect::<Vec<_>>());
    assert_eq!(top, ["open", "new-key", "more", "quit"], "{items:?}");
    let new_key = children(&items, "new-key");
    assert_eq!(
        ids(&new_key),
        [
            "new-key:sandbox-ibm",
            "new-key:sandbox-scaleway",
            "new-key:sandbox-oci",
            "new-key:sandbox-openai",
            "new-key:sandbox-codefresh"
        ]
    );
    assert_eq!(new_key[0]["label"], "IBM Cloud (Sandbox)");
    assert_eq!(t.tray_item("new-key").unwrap()["submenu"], true);
    assert_eq!(t.tray_item("sandbox").unwrap()["checked"], true);
    assert!(t.tray_item("copy-last").is_none());

    // A created key: its secret is held (copy-last) and it expires soon.
    let pending = expiring_key(&t, "soon-expiring");
    let copy = t
        .tray_item("copy-last")
        .expect("copy-last while a secret is held");
    assert_eq!(copy["enabled"], true);
    let items = t.tray();
    let expiring = items.iter().find(|i| i["id"] == "expiring").unwrap();
    assert!(
        expiring["label"]
            .as_str()
            .unwrap()
            .starts_with("Expiring soon ("),
        "{expiring}"
    );
    let ours = children(&items, "expiring")
        .into_iter()
        .find(|i| {
            i["label"]
                .as_str()
                .unwrap()
                .starts_with("soon-expiring — IBM Cloud (Sandbox) (")
        })
        .expect("the new key is listed as expiring");
    assert_eq!(ours["enabled"], true);

    // Dismissed: nothing to copy any more.
    t.ok("secret_dismiss", json!({ "handle": pending["handle"] }));
    assert!(t.tray_item("copy-last").is_none());

    // A one-day window leaves the key out.
    let mut prefs = t.ok("preferences_get", json!({}));
    prefs["expiring_soon_days"] = json!(1);
    t.ok("preferences_set", json!({ "p": prefs }));
    let items = t.tray();
    assert!(!items
        .iter()
        .any(|i| i["label"].as_str().unwrap().starts_with("soon-expiring")));

    // Deleted: gone from "expiring soon" with a wider window again.
    prefs["expiring_soon_days"] = json!(30);
    t.ok("preferences_set", json!({ "p": prefs }));
    assert!(t
        .tray()
        .iter()
        .any(|i| i["label"].as_str().unwrap().starts_with("soon-expiring")));
    t.ok(
        "key_delete",
        json!({ "accountId": "sandbox-ibm", "keyId": pending["record"]["id"] }),
    );
    assert!(!t
        .tray()
        .iter()
        .any(|i| i["label"].as_str().unwrap().starts_with("soon-expiring")));

    // Sandbox off: no accounts, nothing expiring, the check mark follows.
    prefs["sandbox"] = json!(false);
    t.ok("preferences_set", json!({ "p": prefs }));
    let items = t.tray();
    assert_eq!(ids(&children(&items, "new-key")), ["new-key:none"]);
    assert_eq!(t.tray_item("new-key").unwrap()["enabled"], false);
    assert!(t.tray_item("expiring").is_none());
    assert_eq!(t.tray_item("sandbox").unwrap()["checked"], false);
}

#[test]
fn new_key_creates_with_a_dated_name_and_opens_the_secret() {
    let t = TestApp::new();
    for vendor in ["ibm", "scaleway", "openai"] {
        t.clear_events();
        tray::activate(t.app.handle(), &format!("new-key:sandbox-{vendor}"));
        let action = t.wait_event("tray-action", WAIT, |_| true);
        assert_eq!(action["action"], "open-reveal", "{vendor}: {action}");
        let handle = action["handle"].as_str().unwrap();
        let pending = t.ok("secrets_pending", json!({}));
        let held = pending
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["handle"] == handle)
            .unwrap_or_else(|| panic!("{vendor}: {pending}"));
        let record = &held["record"];
        assert_eq!(record["account"], format!("sandbox-{vendor}"));
        // The name goes where the vendor keeps it: the key's name (IBM), its description
        // (Scaleway), the new service account's name (OpenAI).
        let named = [
            &record["name"],
            &record["description"],
            &record["owner"]["name"],
        ]
        .iter()
        .any(|v| v.as_str().is_some_and(|s| s.starts_with("keyrack-2")));
        assert!(named, "{vendor}: {record}");
        assert!(!t.events_named("keys-changed").is_empty());
    }
    // Scaleway needed an owner: the first user or application offered.
    let held = t.ok("secrets_pending", json!({}));
    let scw = held
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["record"]["vendor"] == "scaleway")
        .unwrap();
    assert!(scw["record"]["owner"]["id"].is_string(), "{scw}");

    // Copy last new key: the newest held secret, through the secret clipboard.
    let latest = held.as_array().unwrap().last().unwrap()["handle"].clone();
    let secret = t.ok("secret_reveal", json!({ "handle": latest }));
    tray::activate(t.app.handle(), "copy-last");
    assert_eq!(t.clipboard.current().as_deref(), secret.as_str());
}

#[test]
fn new_key_opens_the_form_when_a_choice_is_needed() {
    let t = TestApp::new();
    tray::activate(t.app.handle(), "new-key:sandbox-codefresh");
    let action = t.wait_event("tray-action", WAIT, |_| true);
    assert_eq!(action["action"], "new-key");
    assert_eq!(action["accountId"], "sandbox-codefresh");
    assert_eq!(action["error"]["field"], "scopes");
    assert_eq!(t.ok("secrets_pending", json!({})), json!([]));
}

#[test]
fn expiring_keys_select_and_refresh_relists() {
    let t = TestApp::new();
    let pending = expiring_key(&t, "pick-me");
    let items = t.tray();
    let item = children(&items, "expiring")
        .into_iter()
        .find(|i| i["label"].as_str().unwrap().starts_with("pick-me"))
        .unwrap();
    t.clear_events();
    tray::activate(t.app.handle(), item["id"].as_str().unwrap());
    let action = t.wait_event("tray-action", WAIT, |_| true);
    assert_eq!(
        action,
        json!({ "action": "select-key", "accountId": "sandbox-ibm", "keyId": pending["record"]["id"] })
    );

    t.clear_events();
    tray::activate(t.app.handle(), "refresh");
    t.wait_event("keys-changed", WAIT, |_| true);
    assert_eq!(t.events_named("inventory-progress").len(), 5);
}

#[test]
fn the_sandbox_item_turns_the_sandbox_off() {
    let t = TestApp::new();
    tray::activate(t.app.handle(), "sandbox");
    t.wait_event("accounts-changed", WAIT, |_| true);
    assert_eq!(t.ok("accounts_list", json!({})), json!([]));
    assert_eq!(t.ok("preferences_get", json!({}))["sandbox"], false);
    assert_eq!(t.tray_item("sandbox").unwrap()["checked"], false);
    // Unknown ids do nothing.
    tray::activate(t.app.handle(), "no-such-item");
}
