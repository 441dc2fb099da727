//! The `keyrack-emulator` binary: one manifest line on stdout, `--manifest`, `--state`,
//! `--empty`, `--seed-keys`, `--latency-ms`, and a clean exit on SIGTERM and SIGINT.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{client, ibm_token, json};
use serde_json::Value;

struct Running {
    child: Child,
    manifest: Value,
    stdout: BufReader<std::process::ChildStdout>,
}

fn spawn(args: &[&str]) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keyrack-emulator"))
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let manifest: Value = serde_json::from_str(line.trim_end())
        .unwrap_or_else(|e| panic!("first stdout line is not the manifest ({e}): {line:?}"));
    Running {
        child,
        manifest,
        stdout,
    }
}

impl Running {
    fn base_url(&self) -> &str {
        self.manifest["base_url"].as_str().unwrap()
    }

    /// Send a signal and wait (bounded) for a successful exit.
    fn stop(mut self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "exit status {status}");
                break;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("emulator did not stop on {signal}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // Nothing but the manifest line was ever printed to stdout.
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut self.stdout, &mut rest).unwrap();
        assert_eq!(rest, "", "stdout holds only the manifest");
    }
}

async fn ibm_key_count(base_url: &str, apikey: &str) -> usize {
    let token = ibm_token(base_url, apikey).await;
    let r = client()
        .get(format!("{base_url}/v1/apikeys?scope=account&pagesize=100"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    json(r).await["apikeys"].as_array().unwrap().len()
}

#[tokio::test]
async fn prints_one_manifest_line_serves_it_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let manifest_file = dir.path().join("manifest.json");
    let running = spawn(&["--manifest", manifest_file.to_str().unwrap()]);
    let m = &running.manifest;
    assert!(running.base_url().starts_with("http://127.0.0.1:"));
    for vendor in ["ibm", "scaleway", "oci", "openai", "codefresh"] {
        assert!(m[vendor].is_object(), "{vendor} missing: {m}");
    }
    for field in ["iam_url", "base_url", "api_key", "account_id", "iam_id"] {
        assert!(m["ibm"][field].is_string(), "ibm.{field} missing");
    }

    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_file).unwrap()).unwrap();
    assert_eq!(&written, m);

    // The seeded admin works at once.
    let served = json(
        client()
            .get(format!("{}/__emulator/manifest", running.base_url()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(&served, m);
    assert!(ibm_key_count(running.base_url(), m["ibm"]["api_key"].as_str().unwrap()).await > 1);
    running.stop("-TERM");
}

#[tokio::test]
async fn stops_on_sigint() {
    spawn(&[]).stop("-INT");
}

#[tokio::test]
async fn empty_and_seed_keys_flags() {
    let empty = spawn(&["--empty"]);
    let apikey = empty.manifest["ibm"]["api_key"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(ibm_key_count(empty.base_url(), &apikey).await, 1);
    empty.stop("-TERM");

    let plain = spawn(&[]);
    let apikey = plain.manifest["ibm"]["api_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let seeded = ibm_key_count(plain.base_url(), &apikey).await;
    plain.stop("-TERM");

    let loaded = spawn(&["--seed-keys", "40"]);
    let apikey = loaded.manifest["ibm"]["api_key"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(ibm_key_count(loaded.base_url(), &apikey).await, seeded + 40);
    loaded.stop("-TERM");
}

#[tokio::test]
async fn latency_flag_slows_vendor_requests() {
    let running = spawn(&["--latency-ms", "250"]);
    let started = Instant::now();
    client()
        .get(format!("{}/v1/apikeys", running.base_url()))
        .send()
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(250));
    running.stop("-TERM");
}

#[tokio::test]
async fn state_flag_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let state = state.to_str().unwrap();

    let first = spawn(&["--state", state]);
    let apikey = first.manifest["ibm"]["api_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = ibm_token(first.base_url(), &apikey).await;
    let r = client()
        .post(format!("{}/v1/apikeys", first.base_url()))
        .bearer_auth(&token)
        .json(&serde_json::json!({"name": "kept", "iam_id": first.manifest["ibm"]["iam_id"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let before = ibm_key_count(first.base_url(), &apikey).await;
    first.stop("-TERM");

    let second = spawn(&["--state", state]);
    assert_eq!(second.manifest["ibm"]["api_key"], apikey.as_str());
    assert_eq!(ibm_key_count(second.base_url(), &apikey).await, before);
    second.stop("-TERM");
}

#[test]
fn bad_flags_fail_with_usage() {
    let output = Command::new(env!("CARGO_BIN_EXE_keyrack-emulator"))
        .args(["--seed-keys", "many"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    assert!(!output.stderr.is_empty());
}

#[test]
fn unusable_listen_address_fails_cleanly() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_keyrack-emulator"))
        .args(["--listen", &addr])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(output.stdout.is_empty(), "no manifest without a listener");
}
