//! What every vendor folder declares once, so that nothing outside it needs to know the vendor.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use super::VendorId;
use crate::accounts::discover::{Discovered, Env};
use crate::error::Result;
use crate::export::terraform::TerraformSpec;
use crate::export::{ExportInput, FileRole};
use crate::http::Http;
use crate::model::{Account, AccountSettings, Credential, KeyRecord};
use crate::vendor::{Capabilities, Vendor};
use crate::vendor_fields::{AccountField, PASSPHRASE, SECRET};

/// One vendor, as the rest of Keyrack sees it.
pub struct Descriptor {
    pub id: VendorId,
    /// Settings files, the command line and sandbox manifests: `ibm`.
    pub key: &'static str,
    /// As people write it: "Oracle Cloud (OCI)".
    pub name: &'static str,
    /// For labels that add their own words, e.g. "Oracle Cloud (Sandbox)".
    pub short_name: &'static str,
    pub capabilities: fn() -> Capabilities,
    /// The add-account form, in the order it is shown.
    pub account_fields: &'static [FieldSpec],
    /// Build the client for an account. Local checks only (settings, the credential's shape):
    /// nothing is sent.
    pub connect: fn(&Account, Credential, &Http) -> Result<Arc<dyn Vendor>>,
    /// How its entry of a sandbox manifest becomes an account.
    pub sandbox: SandboxEntry,
    /// The files a new key's secret can be saved as, the vendor's own formats first.
    pub formats: &'static [FormatSpec],
    /// How a file of its own that holds an old key's secret is updated in place for a new key
    /// (rotation's `--update-file`); a `.env` is handled for every vendor.
    pub replace: crate::export::replace::Replacer,
    /// Its Terraform provider: how its keys are imported and written as resources.
    pub terraform: TerraformSpec,
    /// What its own tools keep on this computer (`vendors/<v>/discover.rs`).
    pub local: LocalFiles,
    /// Fill in the settings the credential determines (OCI: the key's fingerprint) and check
    /// the ones given against it, before an account is tested or saved.
    pub complete: fn(&mut AccountSettings, &Credential) -> Result<()>,
}

/// What a vendor's own tools (its CLI, SDKs) keep on this computer. Read from `Env` only, never
/// written, except a new profile added to `profile_file` at the user's request.
pub struct LocalFiles {
    /// The accounts they already use: their config files, the variables they read.
    pub discover: fn(&Env) -> Vec<Discovered>,
    /// Their standard files that may hold a key (`~/.oci/config`, or where `$OCI_CONFIG_FILE`
    /// points), which "Used in" reads with the descriptor's `replace` to find the key; the same
    /// paths `discover` reads accounts from.
    pub tool_files: fn(&Env) -> Vec<PathBuf>,
    /// The config file a new key can join as a named profile, if any.
    pub profile_file: Option<&'static ProfileFile>,
}

/// `tool_files` of a vendor whose tools keep no key in a file of their own.
pub fn no_tool_files(_: &Env) -> Vec<PathBuf> {
    Vec::new()
}

impl Descriptor {
    pub fn capabilities(&self) -> Capabilities {
        (self.capabilities)()
    }

    pub fn connect(
        &self,
        account: &Account,
        credential: Credential,
        http: &Http,
    ) -> Result<Arc<dyn Vendor>> {
        (self.connect)(account, credential, http)
    }

    /// The add-account form as shells show it.
    pub fn account_fields(&self) -> Vec<AccountField> {
        self.account_fields.iter().map(FieldSpec::field).collect()
    }

    /// The field that carries the account's credential.
    pub fn credential_field(&self) -> &'static FieldSpec {
        self.account_fields
            .iter()
            .find(|f| f.name == SECRET)
            .expect("every vendor asks for a credential")
    }

    /// Whether the credential can be an encrypted key with a passphrase.
    pub fn takes_passphrase(&self) -> bool {
        self.account_fields.iter().any(|f| f.name == PASSPHRASE)
    }

    /// See [`Descriptor::complete`](Self#structfield.complete).
    pub fn complete(&self, settings: &mut AccountSettings, credential: &Credential) -> Result<()> {
        (self.complete)(settings, credential)
    }

    pub fn format(&self, id: &str) -> Option<&'static FormatSpec> {
        self.formats.iter().find(|f| f.id == id)
    }
}

impl std::fmt::Debug for Descriptor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Descriptor")
            .field("key", &self.key)
            .finish()
    }
}

impl PartialEq for Descriptor {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

/// One input of the add-account form: `secret`, `passphrase`, or an [`AccountSettings`] field.
#[derive(Debug)]
pub struct FieldSpec {
    pub name: &'static str,
    pub label: &'static str,
    /// Where to find the value at the vendor, and what it is for.
    pub help: &'static str,
    pub required: bool,
    pub multiline: bool,
}

impl FieldSpec {
    pub const fn optional(name: &'static str, label: &'static str, help: &'static str) -> Self {
        FieldSpec {
            name,
            label,
            help,
            required: false,
            multiline: false,
        }
    }

    pub const fn required(name: &'static str, label: &'static str, help: &'static str) -> Self {
        FieldSpec {
            required: true,
            ..Self::optional(name, label, help)
        }
    }

    pub const fn multiline(self) -> Self {
        FieldSpec {
            multiline: true,
            ..self
        }
    }

    fn field(&self) -> AccountField {
        AccountField {
            name: self.name.to_string(),
            label: self.label.to_string(),
            help: self.help.to_string(),
            required: self.required,
            secret: self.name == SECRET || self.name == PASSPHRASE,
            multiline: self.multiline,
        }
    }
}

/// A file format for a new key's secret.
pub struct FormatSpec {
    /// Stable id, as the UI and `keyrack keys create --format` name it.
    pub id: &'static str,
    pub label: &'static str,
    pub file_name: &'static str,
    /// The vendor's own format (offered first).
    pub native: bool,
    pub role: FileRole,
    pub render: fn(&ExportInput<'_>) -> Result<String>,
}

impl FormatSpec {
    /// A format of the vendor's own tools, offered first, that holds the secret itself.
    pub const fn native(
        id: &'static str,
        label: &'static str,
        file_name: &'static str,
        render: fn(&ExportInput<'_>) -> Result<String>,
    ) -> Self {
        FormatSpec {
            id,
            label,
            file_name,
            native: true,
            role: FileRole::Secret,
            render,
        }
    }

    /// The same, with another role (a key file, or a file that points at one).
    pub const fn role(self, role: FileRole) -> Self {
        FormatSpec { role, ..self }
    }

    /// The same, as a format of other tools (the vendor's SDKs), offered after the native ones.
    pub const fn secondary(self) -> Self {
        FormatSpec {
            native: false,
            ..self
        }
    }
}

impl std::fmt::Debug for FormatSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FormatSpec").field("id", &self.id).finish()
    }
}

/// A config file the vendor's own tools read, holding named profiles (OCI's `~/.oci/config`).
/// A new key joins it as a profile that points at its private key, saved before.
pub struct ProfileFile {
    /// As messages name it: "the OCI config file".
    pub label: &'static str,
    /// Where the vendor's tools read it. Never a path the UI chose.
    pub path: fn() -> Option<PathBuf>,
    /// The profile `name` for a key of `account`, its key file at `key_file`.
    pub stanza:
        fn(account: &Account, key: &KeyRecord, name: &str, key_file: &str) -> Result<String>,
    /// Add a stanza to the file, leaving the other profiles as they are; refuses a name in use.
    pub append: fn(path: &Path, stanza: &str) -> Result<()>,
}

/// A descriptor's `complete` for vendors whose credential determines no setting.
pub fn nothing_to_complete(_: &mut AccountSettings, _: &Credential) -> Result<()> {
    Ok(())
}

/// A vendor client, built from an account's settings and credential (local checks only).
pub trait Client: Vendor + Sized + 'static {
    fn build(account: &Account, credential: Credential, http: &Http) -> Result<Self>;
}

/// A descriptor's `connect` for client type `C`.
pub fn connect<C: Client>(
    account: &Account,
    credential: Credential,
    http: &Http,
) -> Result<Arc<dyn Vendor>> {
    Ok(Arc::new(C::build(account, credential, http)?))
}

/// Which fields of a vendor's sandbox-manifest entry make its account. The entry's `base_url`
/// (else the manifest's) is always taken.
#[derive(Debug)]
pub struct SandboxEntry {
    /// The field holding the credential, e.g. `api_key`.
    pub secret: &'static str,
    /// Fields copied into the account's settings under the same name.
    pub settings: &'static [&'static str],
}

impl SandboxEntry {
    /// The account's settings and credential; `None` when the entry lacks the credential.
    pub fn read(
        &self,
        entry: &Value,
        top_base_url: Option<&str>,
    ) -> Option<(AccountSettings, String)> {
        let text = |key: &str| {
            entry
                .get(key)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let secret = text(self.secret)?;
        let mut settings = serde_json::Map::new();
        let base_url = text("base_url").or_else(|| top_base_url.map(str::to_string));
        for (key, value) in self
            .settings
            .iter()
            .filter_map(|k| Some((*k, text(k)?)))
            .chain(base_url.map(|b| ("base_url", b)))
        {
            settings.insert(key.to_string(), Value::String(value));
        }
        let settings = serde_json::from_value(Value::Object(settings)).ok()?;
        Some((settings, secret))
    }
}
