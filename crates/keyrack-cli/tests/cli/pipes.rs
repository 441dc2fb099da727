//! keyrack at the head of a pipeline whose reader goes away early (`keyrack … | head -c 100`):
//! no panic, no backtrace; and a new key's secret that cannot be delivered is said to be lost.

use std::process::{Command, Stdio};

use crate::support::{Sandbox, BIN};

/// Runs keyrack with its stdout a pipe whose reading end is already closed.
fn with_closed_stdout(sb: &Sandbox, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--sandbox-manifest", sb.manifest_path.to_str().unwrap()];
    all.extend_from_slice(args);
    let mut child = Command::new(BIN)
        .args(&all)
        .env("KEYRACK_CONFIG_DIR", sb.path("config"))
        .env("KEYRACK_DATA_DIR", sb.path("data"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn keyrack");
    drop(child.stdout.take());
    child.wait_with_output().expect("keyrack ran")
}

#[test]
fn a_reader_that_goes_away_ends_keyrack_quietly() {
    let sb = Sandbox::start();
    for args in [
        &["keys", "list", "--json"][..],
        &["keys", "list"],
        &["accounts", "list"],
    ] {
        let out = with_closed_stdout(&sb, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}

#[test]
fn a_secret_that_cannot_be_printed_is_reported_lost_with_the_key_id() {
    let sb = Sandbox::start();
    let before = sb.key_ids("Codefresh (Sandbox)");
    let out = with_closed_stdout(
        &sb,
        &[
            "keys",
            "create",
            "--account",
            "Codefresh (Sandbox)",
            "--name",
            "piped-away",
            "--scope",
            "view",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let after = sb.key_ids("Codefresh (Sandbox)");
    let new: Vec<&String> = after.iter().filter(|id| !before.contains(id)).collect();
    assert_eq!(new.len(), 1, "the key was created: {after:?}");
    assert!(stderr.contains("WAS created"), "{stderr}");
    assert!(
        stderr.contains(new[0].as_str()),
        "the message names the key: {stderr}"
    );
    assert!(stderr.contains("keyrack keys delete"), "{stderr}");
}
