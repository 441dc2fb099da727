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
use keyrack_emulator::{Emulator, EmulatorOptions};

/// Starts the emulator in this process.
#[derive(Debug, Default, Clone, Copy)]
pub struct InProcess;

#[async_trait]
impl Launcher for InProcess {
    async fn start(&self, state_file: &Path) -> Result<Box<dyn Running>> {
        Ok(Box::new(Sandbox::start(state_file).await?))
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
    pub async fn start(state_file: &Path) -> Result<Sandbox> {
        let emulator = match start_emulator(state_file).await {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                let aside = set_aside(state_file)?;
                tracing::warn!(kept = %aside.display(), "sandbox state unreadable; starting fresh");
                start_emulator(state_file)
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

async fn start_emulator(state_file: &Path) -> std::io::Result<Emulator> {
    keyrack_emulator::start(EmulatorOptions {
        state_file: Some(state_file.to_path_buf()),
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
