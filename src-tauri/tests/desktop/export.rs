//! "Export…": the listed keys the window names (by account and key id) as Terraform, CSV or
//! JSON — previewed, then written where the save dialog says (never where the page says),
//! 0600, and on record in the audit log.

use keyrack_core::audit::{AuditAction, AuditFilter};
use serde_json::{json, Value};

use crate::common::{mode, TestApp};

fn listed(t: &TestApp, account: &str) -> Vec<Value> {
    let listings = t.ok("keys_list", json!({}));
    listings
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["accountId"] == account)
        .flat_map(|l| l["keys"].as_array().unwrap().clone())
        .map(|k| json!({ "accountId": account, "keyId": k["id"] }))
        .collect()
}

#[test]
fn the_keys_in_view_are_previewed_then_written_where_the_user_picked() {
    let t = TestApp::new();
    let mut keys = listed(&t, "sandbox-ibm");
    keys.extend(listed(&t, "sandbox-scaleway"));
    let ibm_keys = listed(&t, "sandbox-ibm").len();
    assert!(ibm_keys > 1);
    // A key that is not listed is left out rather than invented.
    keys.push(json!({ "accountId": "sandbox-ibm", "keyId": "ApiKey-not-listed" }));

    let preview = t.ok(
        "inventory_preview",
        json!({ "format": "terraform", "keys": keys }),
    );
    assert_eq!(preview["accounts"], 2);
    assert_eq!(preview["keys"], keys.len() as u64 - 1);
    let lines: Vec<&str> = preview["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(lines.len() <= 40 && !lines.is_empty());
    assert!(preview["moreLines"].as_u64().unwrap() > 0);

    let chosen = t.dir.path().join("picked").join("keys.tf");
    let bait = t.dir.path().join("bait.tf");
    t.picker.choose(&chosen);
    // The page cannot name where: an extra argument is ignored.
    let saved = t.ok(
        "inventory_export",
        json!({ "format": "terraform", "keys": keys, "path": bait.to_str().unwrap() }),
    );
    assert_eq!(saved["path"], chosen.to_str().unwrap());
    assert!(!bait.exists());
    assert_eq!(mode(&chosen), 0o600);
    let text = std::fs::read_to_string(&chosen).unwrap();
    assert_eq!(
        text.matches("\nimport {").count() + usize::from(text.starts_with("import {")),
        keys.len() - 1,
        "{text}"
    );
    assert!(text.contains("ibm_iam_api_key") && text.contains("scaleway_iam_api_key"));
    assert_eq!(t.picker.asked()[0].file_name, "keys.tf");

    let log = t
        .state()
        .registry()
        .audit_log()
        .read(&AuditFilter {
            action: Some(AuditAction::InventoryExport),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(log.len(), 1);
    assert!(log[0]
        .detail
        .as_deref()
        .unwrap()
        .contains("as Terraform to"));

    // CSV of the same keys: a header and one row each.
    let csv_file = t.dir.path().join("keys.csv");
    t.picker.choose(&csv_file);
    t.ok("inventory_export", json!({ "format": "csv", "keys": keys }));
    let csv = std::fs::read_to_string(&csv_file).unwrap();
    assert_eq!(csv.lines().count(), keys.len());
}

#[test]
fn a_cancelled_dialog_writes_nothing_and_no_key_is_an_error() {
    let t = TestApp::new();
    let keys = listed(&t, "sandbox-codefresh");
    t.picker.cancel();
    let saved = t.ok(
        "inventory_export",
        json!({ "format": "json", "keys": keys }),
    );
    assert_eq!(saved, Value::Null);
    let refused = t.err(
        "inventory_preview",
        json!({ "format": "json", "keys": [{ "accountId": "nope", "keyId": "k" }] }),
    );
    assert_eq!(refused["code"], "validation");
    assert!(refused["message"].as_str().unwrap().contains("refresh"));
}
