//! The sandbox as core sees it: the accounts an emulator's manifest describes (one clearly
//! marked account per vendor, credentials in memory only), and the [`Launcher`] a shell hands
//! the registry to start one in-process. Core knows nothing of the emulator itself: the
//! `keyrack-sandbox` crate implements the launcher.

use std::path::Path;

use async_trait::async_trait;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::{Account, Credential, VendorId};
use crate::secret::Sensitive;
use crate::vendors;

/// Starts sandboxes for the registry (the sandbox preference turns it on and off).
#[async_trait]
pub trait Launcher: Send + Sync {
    /// Start a sandbox whose keys live in `state_file` (created on first start).
    async fn start(&self, state_file: &Path) -> Result<Box<dyn Running>>;
}

/// A sandbox that is serving.
#[async_trait]
pub trait Running: Send + Sync + std::fmt::Debug {
    /// `http://127.0.0.1:PORT`.
    fn base_url(&self) -> &str;

    /// Its accounts, with their in-memory credentials.
    fn accounts(&self) -> Vec<(Account, Credential)>;

    /// Stop serving; the state file keeps everything.
    async fn stop(self: Box<Self>);
}

/// The id of a vendor's sandbox account (stable across restarts).
pub fn sandbox_account_id(vendor: VendorId) -> String {
    format!("sandbox-{vendor}")
}

/// The display name of a vendor's sandbox account, e.g. "IBM Cloud (Sandbox)".
pub fn sandbox_account_name(vendor: VendorId) -> String {
    format!("{} (Sandbox)", vendor.descriptor().short_name)
}

/// Read a sandbox manifest written by `keyrack-emulator` (the CLI's `--sandbox-manifest FILE`).
pub fn read_manifest(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::io(&format!("could not read {}", path.display()), e))?;
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
    let top_base_url = manifest.get("base_url").and_then(Value::as_str);
    let mut out = Vec::new();
    for d in vendors::ALL {
        let Some(entry) = manifest.get(d.key).filter(|v| v.is_object()) else {
            continue;
        };
        let Some((settings, secret)) = d.sandbox.read(entry, top_base_url) else {
            tracing::warn!(
                vendor = d.key,
                "sandbox manifest has no credential for this vendor"
            );
            continue;
        };
        let account = Account {
            id: sandbox_account_id(d.id),
            name: sandbox_account_name(d.id),
            vendor: d.id,
            sandbox: true,
            settings,
        };
        out.push((account, Credential::new(Sensitive::new(secret))));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendors;

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
        assert_eq!(vendors, vendors::ids().collect::<Vec<_>>());
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
        let vendors: Vec<&str> = accounts.iter().map(|(a, _)| a.vendor.as_str()).collect();
        assert_eq!(vendors, ["ibm", "scaleway", "oci"]);
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
