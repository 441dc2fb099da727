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

fn key_ids(t: &TestApp, account: &str) -> Vec<String> {
    let listing = t.ok("keys_list_account", json!({ "accountId": account }));
    listing["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["id"].as_str().unwrap().to_string())
        .collect()
}

/// Waits until the tray's create for `account` has ended (the event comes just before).
fn wait_create_ended(t: &TestApp, account: &str) {
    let start = std::time::Instant::now();
    while t.state().quick_creates().is_running(account) {
        assert!(
            start.elapsed() < WAIT,
            "the create for {account} never ended"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn new_key_ignores_a_second_click_while_the_create_runs() {
    let t = TestApp::new();
    let account = "sandbox-ibm";
    let before = key_ids(&t, account);
    // The vendor takes its time with every create, as a slow network would.
    let latency = Duration::from_millis(1000);
    t.inject_fault(
        json!({ "kind": "latency", "ms": latency.as_millis() as u64, "vendor": "ibm",
                           "method": "POST", "path_prefix": "/v1/apikeys" }),
    );
    t.clear_events();
    let item = format!("new-key:{account}");
    tray::activate(t.app.handle(), &item);
    tray::activate(t.app.handle(), &item);
    let action = t.wait_event("tray-action", WAIT, |_| true);
    assert_eq!(action["action"], "open-reveal", "{action}");
    // A second create would have started with the first and taken as long, so it would end
    // within moments of it: watch for it a while longer than that.
    let watch = std::time::Instant::now();
    while watch.elapsed() < latency * 2 {
        assert_eq!(
            t.events_named("tray-action").len(),
            1,
            "a second create ran"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    wait_create_ended(&t, account);

    let new: Vec<String> = key_ids(&t, account)
        .into_iter()
        .filter(|id| !before.contains(id))
        .collect();
    assert_eq!(new.len(), 1, "one key at the vendor: {new:?}");
    let held = t.ok("secrets_pending", json!({}));
    assert_eq!(held.as_array().unwrap().len(), 1, "{held}");

    // Once it ended, the next click makes the next key.
    t.clear_events();
    tray::activate(t.app.handle(), &item);
    t.wait_event("tray-action", WAIT, |a| a["action"] == "open-reveal");
    wait_create_ended(&t, account);
    assert_eq!(key_ids(&t, account).len(), before.len() + 2);
}

#[test]
fn new_key_can_be_clicked_again_after_a_create_that_failed() {
    let t = TestApp::new();
    let item = "new-key:sandbox-codefresh";
    for _ in 0..2 {
        t.clear_events();
        tray::activate(t.app.handle(), item);
        let action = t.wait_event("tray-action", WAIT, |_| true);
        assert_eq!(action["action"], "new-key", "{action}");
        wait_create_ended(&t, "sandbox-codefresh");
    }
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
