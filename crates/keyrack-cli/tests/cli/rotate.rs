//! `keyrack keys rotate` and `keys rotations` as processes against `keyrack sandbox`: a rotation
//! written to --out, a .cfconfig updated in place with another context untouched, the secret
//! on stdout when it goes nowhere else, confirmation, and a rotation stopped at retire (a
//! locked IBM key) listed and resumed by a later process.

#![cfg(unix)]

use serde_json::Value;

use crate::keys::assert_secret_works;
use crate::support::{mode_of, Sandbox};

fn create(sb: &Sandbox, args: &[&str]) -> String {
    let mut all = vec!["keys", "create"];
    all.extend_from_slice(args);
    let created = sb.json(&all);
    created["key"]["id"].as_str().unwrap().to_string()
}

#[test]
fn rotate_writes_the_new_key_deletes_the_old_and_reports_each_step() {
    let sb = Sandbox::start();
    let old = create(&sb, &["--account", "sandbox-ibm", "--name", "ci-2026"]);
    let out = sb.path("new-apikey.json");
    let run = sb.run(&[
        "keys",
        "rotate",
        "--account",
        "sandbox-ibm",
        &old,
        "--out",
        out.to_str().unwrap(),
        "--yes",
        "--json",
    ]);
    run.ok();
    let report = run.json();
    assert_eq!(report["step"], "done", "{report}");
    assert_eq!(report["old_key"], "deleted");
    assert_eq!(report["account"], "IBM Cloud (Sandbox)");
    assert!(
        report.get("new_secret").is_none(),
        "written to the file, not stdout"
    );
    let new = report["new_key_id"].as_str().unwrap().to_string();
    let ids = sb.key_ids("sandbox-ibm");
    assert!(ids.contains(&new) && !ids.contains(&old), "{ids:?}");
    assert_eq!(mode_of(&out), 0o600);
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(file["name"]
        .as_str()
        .unwrap()
        .starts_with("ci-2026-rotated-"));
    assert_secret_works(&sb, "ibm", file["apikey"].as_str().unwrap());
    let stderr = run.stderr();
    for step in ["[create]", "[deliver]", "[verify]", "[retire]"] {
        assert!(
            stderr.contains(step),
            "progress of {step} on stderr: {stderr}"
        );
    }
    // The audit log names the rotation's steps.
    let audit = sb.json(&["audit", "--action", "rotation-done"]);
    assert!(audit.to_string().contains(&new), "{audit}");
}

#[test]
fn a_cfconfig_context_is_updated_in_place_and_another_left_alone() {
    let sb = Sandbox::start();
    let config = sb.path(".cfconfig");
    let old = create(
        &sb,
        &[
            "--account",
            "sandbox-codefresh",
            "--name",
            "deployer",
            "--scope",
            "pipeline",
            "--out",
            config.to_str().unwrap(),
        ],
    );
    let mut text = std::fs::read_to_string(&config).unwrap();
    let other = "  other:\n    type: APIKey\n    name: other\n    url: https://g.codefresh.io\n    token: 5f0000000000000000000000.abcdefabcdefabcdefabcdef\n";
    text = text.replacen("contexts:\n", &format!("contexts:\n{other}"), 1);
    std::fs::write(&config, &text).unwrap();

    let run = sb.run(&[
        "keys",
        "rotate",
        "--account",
        "sandbox-codefresh",
        &old,
        "--update-file",
        config.to_str().unwrap(),
        "--yes",
    ]);
    run.ok();
    assert!(
        run.stdout().is_empty(),
        "the secret went to the file: {}",
        run.stdout()
    );
    assert!(run.stderr().contains("Rotated"), "{}", run.stderr());
    let after = std::fs::read_to_string(&config).unwrap();
    assert!(
        after.contains(other),
        "the other context is untouched:\n{after}"
    );
    assert!(!after.contains(&format!("{old}.")), "{after}");
    let token = after
        .lines()
        .filter_map(|l| l.trim().strip_prefix("token: "))
        .find(|t| !t.starts_with("5f00"))
        .unwrap();
    assert_secret_works(&sb, "codefresh", token);
    assert_eq!(mode_of(&config), 0o600);
    assert!(!sb.key_ids("sandbox-codefresh").contains(&old));
}

#[test]
fn without_a_destination_the_new_secret_is_printed_once_and_kept_keys_are_listed() {
    let sb = Sandbox::start();
    let old = create(&sb, &["--account", "sandbox-ibm", "--name", "kept"]);
    let run = sb.run(&[
        "keys",
        "rotate",
        "--account",
        "sandbox-ibm",
        &old,
        "--grace",
        "7d",
        "--yes",
    ]);
    run.ok();
    let secret = run.stdout().trim_end().to_string();
    assert!(!secret.is_empty() && !secret.contains('\n'), "{secret:?}");
    assert!(!run.stderr().contains(&secret));
    assert!(run.stderr().contains("kept until"), "{}", run.stderr());
    assert_secret_works(&sb, "ibm", &secret);
    assert!(sb.key_ids("sandbox-ibm").contains(&old), "kept");
    let left = sb.json(&["keys", "rotations"]);
    let left = left.as_array().unwrap();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0]["grace_until"].is_string());
    assert!(!serde_json::to_string(left).unwrap().contains(&secret));
}

#[test]
fn without_yes_and_a_terminal_nothing_is_done() {
    let sb = Sandbox::start();
    let old = create(&sb, &["--account", "sandbox-ibm", "--name", "ask-me"]);
    let before = sb.key_ids("sandbox-ibm").len();
    let run = sb.run(&["keys", "rotate", "--account", "sandbox-ibm", &old]);
    run.expect_code(2);
    assert!(run.stderr().contains("--yes"), "{}", run.stderr());
    assert_eq!(sb.key_ids("sandbox-ibm").len(), before);
    // A vendor that cannot disable keys is told so before anything happens.
    let scw = sb.keys("sandbox-scaleway");
    let own = sb.field("scaleway", "access_key");
    let other = scw
        .iter()
        .map(|k| k["id"].as_str().unwrap())
        .find(|id| *id != own)
        .unwrap()
        .to_string();
    let run = sb.run(&[
        "keys",
        "rotate",
        "--account",
        "sandbox-scaleway",
        &other,
        "--then",
        "disable",
        "--yes",
    ]);
    run.expect_code(2);
    assert!(run.stderr().contains("cannot disable"), "{}", run.stderr());
}

#[test]
fn a_rotation_stopped_at_retire_is_listed_and_resumed_by_another_process() {
    let sb = Sandbox::start();
    let old = create(&sb, &["--account", "sandbox-ibm", "--name", "locked-one"]);
    sb.json(&["keys", "lock", "--account", "sandbox-ibm", &old]);
    let out = sb.path("rotated.json");
    let run = sb.run(&[
        "keys",
        "rotate",
        "--account",
        "sandbox-ibm",
        &old,
        "--out",
        out.to_str().unwrap(),
        "--yes",
        "--json",
    ]);
    run.expect_code(1);
    let report = run.json();
    assert_eq!(report["step"], "retire", "{report}");
    assert_eq!(report["failure"]["step"], "retire");
    assert_eq!(report["old_key"], "active");
    let id = report["id"].as_str().unwrap().to_string();
    let new = report["new_key_id"].as_str().unwrap().to_string();
    assert!(sb.key_ids("sandbox-ibm").contains(&old));

    let left = sb.run(&["keys", "rotations"]);
    left.ok();
    assert!(left.stdout().contains(&id), "{}", left.stdout());
    assert!(
        left.stdout().contains("stopped at retire"),
        "{}",
        left.stdout()
    );

    sb.json(&["keys", "unlock", "--account", "sandbox-ibm", &old]);
    let resumed = sb.run(&["keys", "rotate", "--resume", &id, "--yes", "--json"]);
    resumed.ok();
    assert_eq!(resumed.json()["step"], "done");
    let ids = sb.key_ids("sandbox-ibm");
    assert!(ids.contains(&new) && !ids.contains(&old), "{ids:?}");
    assert!(sb
        .json(&["keys", "rotations"])
        .as_array()
        .unwrap()
        .is_empty());
}
