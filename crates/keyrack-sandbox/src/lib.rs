//! Sandbox by default: the vendor emulator, started in-process on 127.0.0.1, with one clearly
//! marked account per vendor built from its manifest. Its state file lives in the app's data
//! directory, so keys made in the sandbox are still there tomorrow. Sandbox credentials are the
//! emulator's seeded admin credentials: they stay in memory and never go to the keychain.
//!
//! The shells hand [`InProcess`] to the account registry (`Options::sandbox`); keyrack-core
//! itself never depends on the emulator.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use keyrack_core::error::{Error, Result};
use keyrack_core::model::{Account, Credential};
use keyrack_core::sandbox::{accounts_from_manifest, Launcher, Running};
use keyrack_emulator::{ControlApi, Emulator, EmulatorOptions};

/// Starts the emulator in this process.
#[derive(Debug, Default, Clone, Copy)]
pub struct InProcess;

#[async_trait]
impl Launcher for InProcess {
    async fn start(&self, state_file: &Path) -> Result<Box<dyn Running>> {
        Ok(Box::new(Sandbox::start(state_file, control_api()).await?))
    }
}

/// Starts the emulator in this process with its control API open to holders of `token` — for
/// tests that inject vendor faults into an app's sandbox without touching the process
/// environment (which parallel tests share).
#[derive(Clone)]
pub struct InProcessWithControl {
    pub token: String,
}

impl std::fmt::Debug for InProcessWithControl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InProcessWithControl")
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl Launcher for InProcessWithControl {
    async fn start(&self, state_file: &Path) -> Result<Box<dyn Running>> {
        let control = ControlApi::Token(self.token.clone());
        Ok(Box::new(Sandbox::start(state_file, control).await?))
    }
}

/// A running sandbox.
pub struct Sandbox {
    emulator: Emulator,
    accounts: Vec<(Account, Credential)>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.emulator.base_url)
            .field("accounts", &self.accounts.len())
            .finish()
    }
}

impl Sandbox {
    /// Start the emulator with its state in `state_file` (created on first start). A state file
    /// that cannot be read is kept aside as `<name>.broken-<time>` and the sandbox starts fresh.
    pub async fn start(state_file: &Path, control: ControlApi) -> Result<Sandbox> {
        let emulator = match start_emulator(state_file, control.clone()).await {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                let aside = set_aside(state_file)?;
                tracing::warn!(kept = %aside.display(), "sandbox state unreadable; starting fresh");
                start_emulator(state_file, control)
                    .await
                    .map_err(|e| start_error(state_file, e))?
            }
            Err(e) => return Err(start_error(state_file, e)),
        };
        let accounts = accounts_from_manifest(&emulator.manifest());
        tracing::info!(
            base_url = %emulator.base_url,
            accounts = accounts.len(),
            "sandbox started"
        );
        Ok(Sandbox { emulator, accounts })
    }
}

#[async_trait]
impl Running for Sandbox {
    fn base_url(&self) -> &str {
        &self.emulator.base_url
    }

    fn accounts(&self) -> Vec<(Account, Credential)> {
        self.accounts.clone()
    }

    async fn stop(self: Box<Self>) {
        self.emulator.shutdown().await;
        tracing::info!("sandbox stopped");
    }
}

/// Set only by the end-to-end tests, which inject vendor faults into the app's sandbox: the
/// control API then answers requests carrying this token. Without it the control API (with the
/// sandbox credentials, reset and faults) is not there at all: the sandbox is not a local door.
pub const CONTROL_TOKEN_VAR: &str = "KEYRACK_SANDBOX_CONTROL_TOKEN";

fn control_api() -> ControlApi {
    match std::env::var(CONTROL_TOKEN_VAR) {
        Ok(token) if token.len() >= 32 => ControlApi::Token(token),
        _ => ControlApi::Off,
    }
}

async fn start_emulator(state_file: &Path, control: ControlApi) -> std::io::Result<Emulator> {
    keyrack_emulator::start(EmulatorOptions {
        state_file: Some(state_file.to_path_buf()),
        control,
        ..Default::default()
    })
    .await
}

fn start_error(state_file: &Path, e: std::io::Error) -> Error {
    Error::io(
        &format!(
            "the sandbox could not start (state file {})",
            state_file.display()
        ),
        e,
    )
}

fn set_aside(state_file: &Path) -> Result<PathBuf> {
    let name = state_file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "sandbox-state.json".into());
    let aside = state_file.with_file_name(format!(
        "{name}.broken-{}",
        chrono::Utc::now().format("%Y%m%dT%H%M%SZ")
    ));
    std::fs::rename(state_file, &aside).map_err(|e| {
        Error::io(
            &format!("could not move the unreadable {}", state_file.display()),
            e,
        )
    })?;
    Ok(aside)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn get(base: &str, path: &str, token: Option<&str>) -> u16 {
        let client = reqwest::Client::new();
        let mut request = client.get(format!("{base}{path}"));
        if let Some(t) = token {
            request = request.header(keyrack_emulator::access::TOKEN_HEADER, t);
        }
        request.send().await.unwrap().status().as_u16()
    }

    /// The sandbox the app starts for every user answers the vendors' paths only: no manifest
    /// with its credentials, no reset, no faults.
    #[tokio::test]
    async fn the_app_sandbox_has_no_control_api() {
        let dir = tempfile::tempdir().unwrap();
        let sandbox = Sandbox::start(&dir.path().join("state.json"), ControlApi::Off)
            .await
            .unwrap();
        let base = sandbox.base_url().to_string();
        for path in [
            "/__emulator/manifest",
            "/__emulator/health",
            "/__emulator/faults",
        ] {
            assert_eq!(get(&base, path, None).await, 404, "{path}");
        }
        assert!(!sandbox
            .emulator
            .manifest()
            .as_object()
            .unwrap()
            .contains_key("control_url"));
        // The vendors still answer (401: no credential sent).
        assert_eq!(get(&base, "/api/auth/keys", None).await, 401);
        Box::new(sandbox).stop().await;
    }
}
