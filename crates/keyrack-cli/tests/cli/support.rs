//! Running `keyrack` as a process against a sandbox it serves itself (`keyrack sandbox`), with
//! private config/data directories so no test reads or writes the user's settings.

#![allow(dead_code)] // Each test binary uses a different part of this module.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_keyrack");

/// A `keyrack sandbox` process, killed when dropped.
pub struct Sandbox {
    child: Child,
    pub dir: tempfile::TempDir,
    pub manifest_path: PathBuf,
    pub manifest: Value,
}

impl Sandbox {
    pub fn start() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let manifest_path = dir.path().join("manifest.json");
        let child = base_command(dir.path())
            .args(["sandbox", "--listen", "127.0.0.1:0", "--manifest"])
            .arg(&manifest_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn keyrack sandbox");
        let mut sandbox = Sandbox {
            child,
            dir,
            manifest_path,
            manifest: Value::Null,
        };
        // The manifest is written atomically once the emulator listens.
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(text) = std::fs::read_to_string(&sandbox.manifest_path) {
                sandbox.manifest = serde_json::from_str(&text).expect("manifest is JSON");
                return sandbox;
            }
            if let Ok(Some(status)) = sandbox.child.try_wait() {
                panic!("keyrack sandbox exited early: {status}");
            }
            assert!(Instant::now() < deadline, "no manifest after 60 s");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `keyrack --sandbox-manifest FILE ARGS…`.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut all = vec!["--sandbox-manifest", self.manifest_path.to_str().unwrap()];
        all.extend_from_slice(args);
        run_in(self.dir.path(), &all, &[], None)
    }

    /// `keyrack --sandbox-manifest FILE ARGS… --json`, checked to succeed, stdout parsed.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        let run = self.run(&all);
        run.ok();
        run.json()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn field(&self, vendor: &str, key: &str) -> String {
        self.manifest[vendor][key]
            .as_str()
            .unwrap_or_else(|| panic!("manifest has no {vendor}.{key}"))
            .to_string()
    }

    /// Every key of an account, as `keys list --json` gives them.
    pub fn keys(&self, account: &str) -> Vec<Value> {
        let out = self.json(&["keys", "list", "--account", account]);
        assert_eq!(out["errors"], Value::Array(vec![]), "{out}");
        out["keys"].as_array().unwrap().clone()
    }

    pub fn key_ids(&self, account: &str) -> Vec<String> {
        self.keys(account)
            .iter()
            .map(|k| k["id"].as_str().unwrap().to_string())
            .collect()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A command with no inherited Keyrack settings: config and data under `dir`.
fn base_command(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env("KEYRACK_CONFIG_DIR", dir.join("config"))
        .env("KEYRACK_DATA_DIR", dir.join("data"))
        .env_remove("KEYRACK_ACCOUNTS_FILE")
        .env_remove("KEYRACK_SANDBOX_MANIFEST")
        .env_remove("RUST_LOG");
    // What `accounts import` reads besides HOME: never the developer's own.
    for var in DISCOVERY_VARS {
        cmd.env_remove(var);
    }
    cmd
}

/// The variables `accounts import` reads (besides HOME).
pub const DISCOVERY_VARS: [&str; 14] = [
    "OCI_CONFIG_FILE",
    "SCW_CONFIG_PATH",
    "XDG_CONFIG_HOME",
    "SCW_ACCESS_KEY",
    "SCW_SECRET_KEY",
    "SCW_DEFAULT_ORGANIZATION_ID",
    "SCW_DEFAULT_PROJECT_ID",
    "SCW_API_URL",
    "CFCONFIG",
    "CF_API_KEY",
    "CF_URL",
    "IBMCLOUD_API_KEY",
    "OPENAI_ADMIN_KEY",
    "OPENAI_ORG_ID",
];

/// Run keyrack with `env` set and `stdin` piped in (or no stdin at all).
pub fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
    let mut cmd = base_command(dir);
    cmd.args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn keyrack");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    Run {
        args: args.iter().map(|s| s.to_string()).collect(),
        output: child.wait_with_output().unwrap(),
    }
}

pub struct Run {
    pub args: Vec<String>,
    pub output: Output,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().expect("exited normally")
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Assert success, with the output in the failure message.
    pub fn ok(&self) -> &Self {
        self.expect_code(0)
    }

    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code(),
            code,
            "keyrack {:?}\nstdout: {}\nstderr: {}",
            self.args,
            self.stdout(),
            self.stderr()
        );
        self
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout())
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout()))
    }

    /// The `PublicError` printed on stderr in --json mode (the last JSON line).
    pub fn error_json(&self) -> Value {
        let text = self.stderr();
        let line = text
            .lines()
            .rev()
            .find(|l| l.starts_with('{'))
            .unwrap_or_else(|| panic!("no JSON error on stderr: {text}"));
        serde_json::from_str(line).unwrap()
    }
}

#[cfg(unix)]
pub fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}
