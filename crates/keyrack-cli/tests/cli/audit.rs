//! `keyrack audit`: what the CLI did to keys is on record (never a secret), newest first,
//! filterable; `keyrack audit verify` finds a tampered line.

use serde_json::Value;

use crate::support::Sandbox;

#[test]
fn creates_reveals_and_deletes_are_recorded_without_secrets() {
    let sb = Sandbox::start();
    let account = "Codefresh (Sandbox)";
    let created = sb.json(&[
        "keys",
        "create",
        "--account",
        account,
        "--name",
        "audited",
        "--scope",
        "view",
    ]);
    let id = created["key"]["id"].as_str().unwrap().to_string();
    let secret = created["secret"].as_str().unwrap().to_string();
    sb.run(&["keys", "delete", "--account", account, &id, "--yes"])
        .ok();

    let entries = sb.json(&["audit", "--key", &id]);
    let actions: Vec<&str> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["key_delete", "secret_reveal", "key_create"],
        "newest first"
    );
    for e in entries.as_array().unwrap() {
        assert_eq!(e["account_name"], account);
        assert_eq!(e["outcome"]["result"], "ok");
        assert!(!e["user"].as_str().unwrap().is_empty());
    }
    let log_dir = sb.path("data").join("audit");
    for file in std::fs::read_dir(&log_dir).unwrap() {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap_or_default();
        assert!(!text.contains(&secret), "the secret is in the audit log");
    }
    let only_deletes = sb.json(&["audit", "--action", "key-delete"]);
    assert_eq!(only_deletes.as_array().unwrap().len(), 1);
    let verified = sb.json(&["audit", "verify"]);
    assert_eq!(verified["intact"], Value::Bool(true));
}

#[test]
fn verify_names_the_first_line_that_was_tampered_with() {
    let sb = Sandbox::start();
    for name in ["one", "two", "three"] {
        sb.json(&[
            "keys",
            "create",
            "--account",
            "Codefresh (Sandbox)",
            "--name",
            name,
            "--scope",
            "view",
        ]);
    }
    let file = sb.path("data").join("audit").join("audit.jsonl");
    let text = std::fs::read_to_string(&file).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.remove(1);
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let run = sb.run(&["audit", "verify"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("audit.jsonl line 2"),
        "{}",
        run.stderr()
    );
}
