//! Sandbox by default: the vendor emulator, started in-process on 127.0.0.1, with one clearly
//! marked account per vendor built from its manifest. Its state file lives in the app's data
//! directory, so keys made in the sandbox are still there tomorrow. Sandbox credentials are
//! the emulator's seeded admin credentials: they stay in memory and never go to the keychain.

use std::path::{Path, PathBuf};

use keyrack_emulator::{Emulator, EmulatorOptions};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::{Account, AccountSettings, Credential, VendorId};
use crate::secret::Sensitive;

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
                    .map_err(|e| start_error(state_file, &e))?
            }
            Err(e) => return Err(start_error(state_file, &e)),
        };
        let accounts = accounts_from_manifest(&emulator.manifest());
        tracing::info!(
            base_url = %emulator.base_url,
            accounts = accounts.len(),
            "sandbox started"
        );
        Ok(Sandbox { emulator, accounts })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.emulator.base_url
    }

    /// The sandbox accounts, with their in-memory credentials.
    pub fn accounts(&self) -> &[(Account, Credential)] {
        &self.accounts
    }

    /// Stop serving; the state file keeps everything.
    pub async fn stop(self) {
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

fn start_error(state_file: &Path, e: &std::io::Error) -> Error {
    Error::Io {
        message: format!(
            "the sandbox could not start (state file {}): {e}",
            state_file.display()
        ),
    }
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
            &e,
        )
    })?;
    Ok(aside)
}

/// The id of a vendor's sandbox account (stable across restarts).
pub fn sandbox_account_id(vendor: VendorId) -> String {
    format!("sandbox-{vendor}")
}

/// The display name of a vendor's sandbox account, e.g. "IBM Cloud (Sandbox)".
pub fn sandbox_account_name(vendor: VendorId) -> String {
    let short = match vendor {
        VendorId::Oci => "Oracle Cloud",
        v => v.display_name(),
    };
    format!("{short} (Sandbox)")
}

/// Read a sandbox manifest written by `keyrack-emulator` (the CLI's `--sandbox-manifest FILE`).
pub fn read_manifest(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::io(&format!("could not read {}", path.display()), &e))?;
    serde_json::from_str(&text).map_err(|e| {
        Error::config(format!(
            "{} is not a sandbox manifest (JSON): line {}, column {}",
            path.display(),
            e.line(),
            e.column()
        ))
    })
}

/// One sandbox account per vendor the manifest describes, with its credential. A vendor whose
/// entry lacks its credential is left out (with a warning), not guessed.
pub fn accounts_from_manifest(manifest: &Value) -> Vec<(Account, Credential)> {
    let top_base = manifest.get("base_url").and_then(Value::as_str);
    let mut out = Vec::new();
    for vendor in VendorId::ALL {
        let Some(entry) = manifest.get(vendor.as_str()).filter(|v| v.is_object()) else {
            continue;
        };
        match account_of(vendor, entry, top_base) {
            Some(pair) => out.push(pair),
            None => tracing::warn!(%vendor, "sandbox manifest has no credential for this vendor"),
        }
    }
    out
}

fn account_of(
    vendor: VendorId,
    entry: &Value,
    top_base: Option<&str>,
) -> Option<(Account, Credential)> {
    let field = |key: &str| {
        entry
            .get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let base_url = field("base_url").or_else(|| top_base.map(str::to_string));
    let (secret, settings) = match vendor {
        VendorId::Ibm => (
            field("api_key")?,
            AccountSettings {
                base_url,
                iam_url: field("iam_url"),
                account_id: field("account_id"),
                // No iam_id: the sandbox admin sees every key in the account, users' and
                // service IDs' alike, as an account admin does in the console.
                ..Default::default()
            },
        ),
        VendorId::Scaleway => (
            field("secret_key")?,
            AccountSettings {
                base_url,
                access_key: field("access_key"),
                organization_id: field("organization_id"),
                project_id: field("project_id"),
                ..Default::default()
            },
        ),
        VendorId::Oci => (
            field("private_key_pem")?,
            AccountSettings {
                base_url,
                region: field("region"),
                tenancy: field("tenancy"),
                user: field("user"),
                fingerprint: field("fingerprint"),
                ..Default::default()
            },
        ),
        VendorId::Openai => (
            field("admin_key")?,
            AccountSettings {
                base_url,
                organization_id: field("organization_id"),
                project_id: field("project_id"),
                ..Default::default()
            },
        ),
        VendorId::Codefresh => (
            field("api_key")?,
            AccountSettings {
                base_url,
                account_id: field("account_id"),
                ..Default::default()
            },
        ),
    };
    let account = Account {
        id: sandbox_account_id(vendor),
        name: sandbox_account_name(vendor),
        vendor,
        sandbox: true,
        settings,
    };
    Some((account, Credential::new(Sensitive::new(secret))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Value {
        serde_json::json!({
            "base_url": "http://127.0.0.1:1",
            "ibm": {"iam_url": "http://127.0.0.1:1", "base_url": "http://127.0.0.1:1",
                    "api_key": "ibm-key", "account_id": "acc", "iam_id": "IBMid-1"},
            "scaleway": {"base_url": "http://127.0.0.1:1", "access_key": "SCWAAAA",
                         "secret_key": "scw-secret", "organization_id": "org", "project_id": "proj",
                         "user_id": "u", "application_id": "app"},
            "oci": {"base_url": "http://127.0.0.1:1", "region": "eu-frankfurt-1",
                    "tenancy": "ocid1.tenancy.oc1..t", "user": "ocid1.user.oc1..u",
                    "fingerprint": "aa:bb", "private_key_pem": "-----BEGIN PRIVATE KEY-----"},
            "openai": {"base_url": "http://127.0.0.1:1", "admin_key": "sk-admin",
                       "organization_id": "org-1", "project_id": "proj_1"},
            "codefresh": {"base_url": "http://127.0.0.1:1/api", "api_key": "cf.key",
                          "account_id": "cfacc", "user_id": "cfuser"},
        })
    }

    #[test]
    fn every_vendor_of_the_manifest_becomes_a_marked_sandbox_account() {
        let accounts = accounts_from_manifest(&manifest());
        let vendors: Vec<VendorId> = accounts.iter().map(|(a, _)| a.vendor).collect();
        assert_eq!(vendors, VendorId::ALL.to_vec());
        for (a, _) in &accounts {
            assert!(a.sandbox);
            assert!(a.name.ends_with("(Sandbox)"), "{}", a.name);
            assert_eq!(a.id, format!("sandbox-{}", a.vendor));
        }
        let (ibm, cred) = &accounts[0];
        assert_eq!(ibm.name, "IBM Cloud (Sandbox)");
        assert_eq!(
            ibm.settings.iam_id, None,
            "the sandbox lists the whole account"
        );
        assert_eq!(ibm.settings.account_id.as_deref(), Some("acc"));
        assert_eq!(ibm.settings.iam_url.as_deref(), Some("http://127.0.0.1:1"));
        assert_eq!(cred.secret.expose(), "ibm-key");
        let (oci, _) = &accounts[2];
        assert_eq!(oci.name, "Oracle Cloud (Sandbox)");
        assert_eq!(oci.settings.fingerprint.as_deref(), Some("aa:bb"));
        assert_eq!(oci.settings.region.as_deref(), Some("eu-frankfurt-1"));
        let (scw, cred) = &accounts[1];
        assert_eq!(scw.settings.access_key.as_deref(), Some("SCWAAAA"));
        assert_eq!(cred.secret.expose(), "scw-secret");
        let (cf, _) = &accounts[4];
        assert_eq!(
            cf.settings.base_url.as_deref(),
            Some("http://127.0.0.1:1/api")
        );
        assert_eq!(cf.settings.account_id.as_deref(), Some("cfacc"));
    }

    #[test]
    fn a_vendor_without_its_credential_is_left_out() {
        let mut m = manifest();
        m["openai"] = serde_json::json!({ "base_url": "http://127.0.0.1:1" });
        m.as_object_mut().unwrap().remove("codefresh");
        let accounts = accounts_from_manifest(&m);
        let vendors: Vec<VendorId> = accounts.iter().map(|(a, _)| a.vendor).collect();
        assert_eq!(
            vendors,
            vec![VendorId::Ibm, VendorId::Scaleway, VendorId::Oci]
        );
    }

    #[test]
    fn the_top_level_base_url_is_the_fallback() {
        let m = serde_json::json!({
            "base_url": "http://127.0.0.1:7",
            "openai": {"admin_key": "sk"},
        });
        let accounts = accounts_from_manifest(&m);
        assert_eq!(
            accounts[0].0.settings.base_url.as_deref(),
            Some("http://127.0.0.1:7")
        );
    }
}
