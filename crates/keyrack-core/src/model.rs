//! The domain: what a key, an owner, an account and a create request are, in one shape for all
//! five vendors. Vendor-specific facts live in typed [`VendorExtra`], not in string maps.
//! These types cross into the UI (ts-rs) and the CLI's `--json`; none of them holds a secret
//! except [`CreatedKey`] and [`Credential`], which cannot be serialized.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::secret::Sensitive;
pub use crate::vendors::{VendorExtra, VendorId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum KeyStatus {
    Active,
    Disabled,
    Inactive,
    Expired,
    Creating,
    Deleting,
}

impl KeyStatus {
    /// Expired once `expires_at` has passed, else active: a key with no other state to report.
    pub fn by_expiry(expires_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Self {
        if expires_at.is_some_and(|t| t <= now) {
            KeyStatus::Expired
        } else {
            KeyStatus::Active
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OwnerKind {
    User,
    /// IBM service ID.
    ServiceId,
    /// OpenAI project service account, Codefresh service user.
    ServiceAccount,
    /// Scaleway application.
    Application,
    Other,
}

/// Who a key belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Owner {
    pub kind: OwnerKind,
    pub id: String,
    pub name: Option<String>,
}

/// One key at one vendor, as listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct KeyRecord {
    pub vendor: VendorId,
    /// The Keyrack account id this key was listed through.
    pub account: String,
    /// The vendor's own id: IBM `ApiKey-…`, Scaleway access key, OCI fingerprint, OpenAI key id,
    /// Codefresh key id.
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub owner: Option<Owner>,
    pub created_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub status: KeyStatus,
    pub locked: bool,
    pub scopes: Vec<String>,
    /// A masked hint of the secret where the vendor gives one (OpenAI redacted value,
    /// Codefresh token prefix).
    pub secret_hint: Option<String>,
    /// What the key may do, for vendors whose keys carry permissions (OpenAI).
    #[serde(default)]
    pub permissions: Option<Permissions>,
    /// What kind of key this is, when a vendor lists several kinds side by side and a user
    /// must tell them apart at a glance (OpenAI "Admin key"). `None` for the vendor's usual key.
    #[serde(default)]
    pub kind_label: Option<String>,
    pub extra: VendorExtra,
}

impl KeyRecord {
    /// A name to show: the vendor's name, else its description, else the id.
    pub fn display_name(&self) -> &str {
        self.name
            .as_deref()
            .or(self.description.as_deref())
            .filter(|s| !s.is_empty())
            .unwrap_or(&self.id)
    }
}

/// What to create. One shape for all vendors; which fields apply (and which are required) is
/// said by the vendor's [`crate::Capabilities`], and checked by `validate::new_key` before any
/// request is sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct NewKey {
    pub name: Option<String>,
    pub description: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    /// The identity the key is for: IBM iam_id, Scaleway user or application, OCI user,
    /// OpenAI existing service account. `None` = the account's own identity, or a new one.
    pub owner: Option<OwnerRef>,
    /// Scaleway default project, OpenAI project.
    pub project_id: Option<String>,
    /// Codefresh scopes.
    pub scopes: Vec<String>,
    /// IBM: create the key locked / disabled.
    pub locked: bool,
    pub disabled: bool,
    /// IBM: `none`, `disable` or `delete`.
    pub action_when_leaked: Option<String>,
    /// OCI: upload this public key instead of generating a pair.
    pub public_key_pem: Option<String>,
    /// OCI: size of a generated RSA key (default 2048).
    pub key_bits: Option<u32>,
    /// IBM: allow IBM support sessions with the key.
    pub support_sessions: bool,
    /// What the key may do (vendors whose `Capabilities::permissions` is set); `None` = the
    /// vendor's default (all).
    pub permissions: Option<Permissions>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OwnerRef {
    /// `Other` = not said: the vendor works out from the id which of its kinds it is (IBM by
    /// the iam_id's prefix, Scaleway by looking the id up as a user, then an application).
    pub kind: OwnerKind,
    pub id: String,
}

/// What to change on an existing key; `None` = leave as is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct KeyUpdate {
    pub name: Option<String>,
    pub description: Option<String>,
    pub scopes: Option<Vec<String>>,
    /// Scaleway default project.
    pub project_id: Option<String>,
    /// A new expiry date (`Capabilities::update_expiry`).
    pub expires_at: Option<DateTime<Utc>>,
    /// Remove the expiry date: the key no longer expires.
    pub clear_expiry: bool,
    /// IBM: `none`, `disable` or `delete`.
    pub action_when_leaked: Option<String>,
    /// IBM: allow or forbid support sessions.
    pub support_sessions: Option<bool>,
    /// New permissions (`Capabilities::update_permissions`).
    pub permissions: Option<Permissions>,
}

/// How much a key may do, as the vendor's dashboard offers it: everything, read only, or per
/// resource. Which resources and levels a vendor has is said by its
/// `Capabilities::permissions`; the vendor maps this to its own scopes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Permissions {
    pub mode: PermissionMode,
    /// For `Restricted`: the level of each resource, by resource id; resources left out get
    /// `None` (no access).
    #[serde(default)]
    pub resources: std::collections::BTreeMap<String, PermissionLevel>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PermissionMode {
    All,
    ReadOnly,
    Restricted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PermissionLevel {
    None,
    Read,
    Write,
}

/// A key that was just made. The secret is here and nowhere else; it cannot be serialized.
#[derive(Debug)]
pub struct CreatedKey {
    pub record: KeyRecord,
    /// The API key, token or (OCI) private key PEM.
    pub secret: Sensitive<String>,
    /// OCI: the public key that was uploaded.
    pub public_key_pem: Option<String>,
}

/// Choices a create form offers: owners and projects that exist at the vendor.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct CreateOptions {
    pub owners: Vec<Owner>,
    pub projects: Vec<Project>,
}

impl CreateOptions {
    /// The choices of a vendor whose keys have an owner but no project.
    pub fn owners(owners: Vec<Owner>) -> Self {
        CreateOptions {
            owners,
            projects: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Project {
    pub id: String,
    pub name: String,
}

/// Who the account's credential is, as the vendor sees it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Identity {
    /// e.g. "IBMid-… in account 0a1b…", "admin key for org org-…".
    pub display: String,
    /// Things the user should know: a missing permission, an expiring credential.
    pub warnings: Vec<String>,
}

/// What else happened when a key was deleted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct DeleteOutcome {
    /// An owner left with no keys (OpenAI service account) that the user may want to delete.
    pub owner_without_keys: Option<Owner>,
}

/// A configured vendor account: non-secret settings only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Account {
    /// Stable id (also the keychain entry's user name).
    pub id: String,
    pub name: String,
    pub vendor: VendorId,
    /// A sandbox account talks to the built-in emulator; its credential is never in the keychain.
    #[serde(default)]
    pub sandbox: bool,
    #[serde(default)]
    pub settings: AccountSettings,
}

/// Non-secret settings, the same names as the CLI's accounts file. Each vendor uses some.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AccountSettings {
    /// API base URL; default: the vendor's real endpoint (OCI: from the region).
    pub base_url: Option<String>,
    /// IBM: the token service URL; default `https://iam.cloud.ibm.com`.
    pub iam_url: Option<String>,
    /// IBM account id; Codefresh account id.
    pub account_id: Option<String>,
    /// IBM: the identity whose keys to manage; default the credential's own.
    pub iam_id: Option<String>,
    /// Scaleway organization, OpenAI organization (`OpenAI-Organization` header).
    pub organization_id: Option<String>,
    /// Scaleway default project, OpenAI default project.
    pub project_id: Option<String>,
    /// Scaleway: the access key of the admin credential (informational).
    pub access_key: Option<String>,
    /// OCI tenancy OCID.
    pub tenancy: Option<String>,
    /// OCI user OCID.
    pub user: Option<String>,
    /// OCI region, e.g. `eu-frankfurt-1`.
    pub region: Option<String>,
    /// OCI fingerprint of the signing key.
    pub fingerprint: Option<String>,
}

/// An account's secret: the admin API key / token / private key, and an OCI key passphrase.
#[derive(Debug, Clone)]
pub struct Credential {
    pub secret: Sensitive<String>,
    pub passphrase: Option<Sensitive<String>>,
}

impl Credential {
    pub fn new(secret: impl Into<Sensitive<String>>) -> Self {
        Credential {
            secret: secret.into(),
            passphrase: None,
        }
    }
}
