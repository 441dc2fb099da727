//! What every vendor folder declares once, so that nothing outside it needs to know the vendor.

use std::sync::Arc;

use serde_json::Value;

use super::VendorId;
use crate::error::Result;
use crate::export::{ExportInput, FileRole};
use crate::http::Http;
use crate::model::{Account, AccountSettings, Credential};
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
    /// Its part of a sandbox manifest → the account's settings and credential; `None` when the
    /// entry lacks the credential.
    pub from_manifest: fn(&ManifestEntry<'_>) -> Option<(AccountSettings, String)>,
    /// The files a new key's secret can be saved as, the vendor's own formats first.
    pub formats: &'static [FormatSpec],
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

impl std::fmt::Debug for FormatSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FormatSpec").field("id", &self.id).finish()
    }
}

/// A vendor's entry in a sandbox manifest, with the manifest's top-level base URL as fallback.
pub struct ManifestEntry<'a> {
    pub entry: &'a Value,
    pub top_base_url: Option<&'a str>,
}

impl ManifestEntry<'_> {
    /// A non-empty string field.
    pub fn get(&self, key: &str) -> Option<String> {
        self.entry
            .get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }

    /// The entry's `base_url`, else the manifest's.
    pub fn base_url(&self) -> Option<String> {
        self.get("base_url")
            .or_else(|| self.top_base_url.map(str::to_string))
    }
}
