//! `keyrack sandbox` itself: one JSON line naming the manifest and the accounts, a manifest only
//! its owner can read, and a clean stop on SIGTERM that removes the default manifest.

#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{mode_of, BIN};
use serde_json::Value;

#[test]
fn sandbox_announces_its_accounts_and_cleans_up_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .args(["sandbox", "--json", "--empty"])
        .env("TMPDIR", dir.path())
        .env_remove("KEYRACK_SANDBOX_MANIFEST")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let serving: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));

    let manifest_path = std::path::PathBuf::from(serving["manifest"].as_str().unwrap());
    assert!(manifest_path.starts_with(dir.path()), "{manifest_path:?}");
    assert_eq!(mode_of(&manifest_path), 0o600);
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    assert_eq!(manifest["base_url"], serving["base_url"]);
    let accounts = serving["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 5);
    // The announcement lists accounts, not their credentials.
    assert!(!line.contains(manifest["ibm"]["api_key"].as_str().unwrap()));

    // --empty: admin identities only, so OCI lists just the admin's signing key.
    let listed = Command::new(BIN)
        .arg("--sandbox-manifest")
        .arg(&manifest_path)
        .args(["keys", "list", "--vendor", "oci", "--json"])
        .output()
        .unwrap();
    assert!(listed.status.success());
    let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed["keys"].as_array().unwrap().len(), 1, "{listed}");

    let killed = Command::new("kill")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "sandbox did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
    assert!(
        !manifest_path.exists(),
        "the default manifest is removed on exit"
    );
}
