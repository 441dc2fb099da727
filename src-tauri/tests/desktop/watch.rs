//! The watch: after a listing, keys that need attention come as one desktop notification, once;
//! the `quiet` preference silences it; the tray counts them; start at login writes the XDG
//! autostart entry. The sandbox's seeded keys include expired and soon-expiring ones.

use std::sync::{Arc, Mutex};

use keyrack_app::watch::{self, Notifier, Watch};
use serde_json::{json, Value};
use tauri::Manager;

use crate::common::{fake_home, TestApp};

#[derive(Default)]
struct Recorded(Mutex<Vec<(i32, String, String)>>);

impl Notifier for Recorded {
    fn notify(&self, id: i32, title: &str, body: &str) -> Result<(), String> {
        self.0.lock().unwrap().push((id, title.into(), body.into()));
        Ok(())
    }
}

fn watched() -> (TestApp, Arc<Recorded>) {
    let t = TestApp::new();
    let recorded = Arc::new(Recorded::default());
    let watch = Watch::new(&t.state(), recorded.clone());
    t.app.manage(watch);
    (t, recorded)
}

fn shown(r: &Recorded) -> Vec<(i32, String, String)> {
    r.0.lock().unwrap().clone()
}

#[test]
fn a_listing_notifies_keys_needing_attention_once_and_the_tray_counts_them() {
    let (t, recorded) = watched();
    t.ok("keys_list", json!({}));
    let first = shown(&recorded);
    assert_eq!(first.len(), 1, "one grouped notification: {first:?}");
    let attention = t.state().attention(chrono::Utc::now());
    assert!(
        attention.len() >= 2,
        "the sandbox seeds keys that need attention"
    );
    let (id, title, body) = &first[0];
    assert_eq!(title, &format!("{} keys need attention", attention.len()));
    let first_key = &attention[0];
    assert!(
        body.starts_with(&format!("{}: ", first_key.key.display_name())),
        "{body}"
    );
    // A click on it opens the first key it names.
    let watch = t.app.state::<Watch>();
    assert_eq!(
        watch.opens(*id),
        Some((first_key.account_id.clone(), first_key.key_id.clone()))
    );

    // Listing again tells nothing new.
    t.ok("keys_list", json!({}));
    assert_eq!(shown(&recorded).len(), 1);

    // The tray says how many, and lists them.
    let items = t.ok("tray_menu_items", json!({}));
    let items: Vec<Value> = items.as_array().unwrap().clone();
    let section = items
        .iter()
        .find(|i| i["id"] == "attention")
        .expect("attention item");
    assert_eq!(
        section["label"],
        format!("{} keys need attention", attention.len())
    );
    assert!(items.iter().any(|i| i["id"] == "attention:0"));

    // The state is in the data dir, without a secret or anything but ids and rules.
    let saved = std::fs::read_to_string(t.paths.data_dir.join("notified.json")).unwrap();
    assert!(saved.contains(&first_key.key_id), "{saved}");
}

#[test]
fn quiet_means_no_notification() {
    let (t, recorded) = watched();
    let mut prefs = t.ok("preferences_get", json!({}));
    prefs["quiet"] = json!(true);
    t.ok("preferences_set", json!({ "p": prefs }));
    t.ok("keys_list", json!({}));
    assert!(shown(&recorded).is_empty());
    // Turning quiet off later does not replay what was already due.
    prefs["quiet"] = json!(false);
    t.ok("preferences_set", json!({ "p": prefs }));
    t.ok("keys_list", json!({}));
    assert!(shown(&recorded).is_empty());
}

#[test]
fn a_key_created_expiring_soon_is_notified_alone() {
    let (t, recorded) = watched();
    t.ok("keys_list", json!({}));
    let before = shown(&recorded).len();
    let soon =
        (chrono::Utc::now() + chrono::Duration::days(5) + chrono::Duration::hours(1)).to_rfc3339();
    t.ok(
        "key_create",
        json!({ "accountId": "sandbox-ibm",
                "spec": { "name": "short-lived", "expires_at": soon } }),
    );
    t.ok("keys_list", json!({}));
    let all = shown(&recorded);
    assert_eq!(all.len(), before + 1, "{all:?}");
    let (_, title, body) = all.last().unwrap();
    assert_eq!(title, "short-lived needs attention");
    assert_eq!(body, "expires in 5 days");
}

#[test]
fn a_scheduled_refresh_lists_and_reports_how_it_went() {
    let (t, recorded) = watched();
    let outcome = tauri::async_runtime::block_on(watch::refresh(t.app.handle()));
    assert_eq!(outcome, Some(true), "every account listed");
    assert_eq!(shown(&recorded).len(), 1, "the refresh evaluated the rules");
}

#[test]
fn start_at_login_writes_and_removes_the_autostart_entry() {
    let t = TestApp::new();
    let dir = fake_home().join(".config").join("autostart");
    let entries = || -> Vec<String> {
        std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut prefs = t.ok("preferences_get", json!({}));
    assert_eq!(prefs["start_at_login"], false, "off by default");
    prefs["start_at_login"] = json!(true);
    t.ok("preferences_set", json!({ "p": prefs }));
    let made = entries();
    assert_eq!(made.len(), 1, "{made:?}");
    let text = std::fs::read_to_string(dir.join(&made[0])).unwrap();
    assert!(text.contains("--hidden"), "{text}");
    prefs["start_at_login"] = json!(false);
    t.ok("preferences_set", json!({ "p": prefs }));
    assert!(entries().is_empty());
}

/// Every key change made through the window is on record (the same Registry calls the CLI
/// makes), with its outcome.
#[test]
fn key_changes_from_the_window_are_in_the_audit_log() {
    use keyrack_core::audit::{AuditAction, AuditFilter, AuditOutcome};
    let t = TestApp::new();
    let account = "sandbox-ibm";
    let pending = t.ok(
        "key_create",
        json!({ "accountId": account, "spec": { "name": "audited" } }),
    );
    let key = pending["record"]["id"].as_str().unwrap().to_string();
    let ids = json!({ "accountId": account, "keyId": key });
    let mut lock = ids.clone();
    lock["locked"] = json!(true);
    t.ok("key_set_locked", lock.clone());
    // A locked IBM key cannot be deleted: the refusal is recorded too.
    t.err("key_delete", ids.clone());
    lock["locked"] = json!(false);
    t.ok("key_set_locked", lock);
    t.ok("key_delete", ids);

    let log = t.state().registry().audit_log().read(&AuditFilter {
        key_id: Some(key.clone()),
        ..Default::default()
    });
    let mut log = log.unwrap();
    log.reverse(); // oldest first
    let actions: Vec<(AuditAction, bool)> = log
        .iter()
        .map(|e| (e.action, matches!(e.outcome, AuditOutcome::Ok)))
        .collect();
    assert_eq!(
        actions,
        [
            (AuditAction::KeyCreate, true),
            (AuditAction::KeyLock, true),
            (AuditAction::KeyDelete, false),
            (AuditAction::KeyUnlock, true),
            (AuditAction::KeyDelete, true),
        ]
    );
    assert_eq!(log[0].key_name.as_deref(), Some("audited"));
    assert_eq!(log[0].account_id.as_deref(), Some(account));
}

#[test]
fn an_old_key_whose_grace_ended_is_notified_once_and_deleted_from_the_tray() {
    let (t, recorded) = watched();
    let ibm = "sandbox-ibm";
    let pending = t.ok(
        "key_create",
        json!({ "accountId": ibm, "spec": { "name": "kept a while" } }),
    );
    let old = pending["record"]["id"].as_str().unwrap().to_string();
    let report = t.ok(
        "rotate_key",
        json!({ "accountId": ibm, "keyId": old, "choice": { "retire": "keep", "graceDays": 2 } }),
    );
    assert_eq!(report["step"], "done", "{report}");
    let rotation = report["id"].as_str().unwrap().to_string();
    let item_id = format!("grace:{rotation}");

    // Still in its grace: nothing to tell, nothing in the tray.
    let now = chrono::Utc::now();
    watch::check_graces(t.app.handle(), &t.state(), now);
    assert!(shown(&recorded).is_empty());
    assert!(t.tray_item(&item_id).is_none());

    // Two days on, the watch's tick tells once, and the tray offers to delete it.
    let later = now + chrono::Duration::days(2) + chrono::Duration::minutes(1);
    watch::check_graces(t.app.handle(), &t.state(), later);
    let told = shown(&recorded);
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].1, "Old key kept a while: grace ended");
    let watch = t.app.state::<Watch>();
    assert_eq!(watch.opens(told[0].0), Some((ibm.to_string(), old.clone())));
    watch::check_graces(t.app.handle(), &t.state(), later);
    assert_eq!(shown(&recorded).len(), 1, "told once");

    // The tray reads journals with the real clock: move the grace end into the past.
    let journals = keyrack_core::rotation::Journals::new(&t.paths.data_dir);
    let mut j = journals.load(&rotation).unwrap();
    j.grace_until = Some(now - chrono::Duration::minutes(1));
    journals.save(&mut j).unwrap();
    keyrack_app::tray::refresh(t.app.handle());
    let item = t.tray_item(&item_id).expect("the tray offers the delete");
    assert_eq!(item["label"], "Old key kept a while: grace ended — Delete");

    t.clear_events();
    keyrack_app::tray::activate(t.app.handle(), &item_id);
    t.wait_event("keys-changed", std::time::Duration::from_secs(20), |_| true);
    let gone = t.err("key_get", json!({ "accountId": ibm, "keyId": old }));
    assert_eq!(gone["code"], "not_found");
    assert!(journals.list().unwrap().is_empty());
    assert!(t.tray_item(&item_id).is_none());
    let new = report["new_key_id"].as_str().unwrap();
    t.ok("key_get", json!({ "accountId": ibm, "keyId": new }));
    let audit = t.ok(
        "audit_list",
        json!({ "filter": { "account_id": ibm, "key_id": old, "since": null, "until": null, "action": null, "limit": 50 } }),
    );
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"key_delete"), "{actions:?}");
}
