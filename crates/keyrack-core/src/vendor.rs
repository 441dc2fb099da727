//! The `Vendor` trait every client implements, and `Capabilities`: what each vendor supports, so
//! shells are driven by data and never branch on a vendor's name.

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::http::Http;
use crate::model::{
    Account, CreateOptions, CreatedKey, Credential, DeleteOutcome, Identity, KeyRecord, KeyUpdate,
    NewKey, Owner, OwnerKind, PermissionLevel, VendorId,
};
use crate::secret::Sensitive;

/// Rules for a text field of the create form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TextField {
    pub required: bool,
    #[ts(type = "number")]
    pub max_len: usize,
}

/// A scope the user can grant, with what it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ScopeOption {
    pub id: String,
    pub description: String,
}

/// Where a new key's secret comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SecretSource {
    /// The vendor generates it and returns it once.
    ServerIssued,
    /// Keyrack generates a key pair locally and uploads the public half (or the user supplies one).
    LocalKeyPair,
}

/// The owner picker of the create form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OwnerField {
    /// e.g. "User or application", "Service account".
    pub label: String,
    pub kinds: Vec<OwnerKind>,
    pub required: bool,
    pub help: String,
}

/// The per-resource choices of a `Restricted` key: each resource and the levels it offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PermissionsSpec {
    pub resources: Vec<PermissionResource>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PermissionResource {
    pub id: String,
    pub label: String,
    /// Levels offered, lowest first (always starts with `None`).
    pub levels: Vec<PermissionLevel>,
}

/// What a vendor supports. The UI builds its forms and actions from this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Capabilities {
    pub vendor: VendorId,
    pub vendor_name: String,
    /// What the vendor calls a key: "API key", "API signing key", "project API key", "token".
    pub key_noun: String,
    /// What the vendor calls the key's id: "API key ID", "Access key", "Fingerprint", …
    pub id_label: String,
    /// Create form fields; `None` = not offered.
    pub name: Option<TextField>,
    pub description: Option<TextField>,
    pub expiry: bool,
    /// Scopes offered on create (Codefresh).
    pub scopes: Vec<ScopeOption>,
    pub owner: Option<OwnerField>,
    /// Project picker label ("Default project", "Project"), if any, and whether required.
    pub project: Option<TextField>,
    pub project_label: Option<String>,
    pub lock_on_create: bool,
    pub disable_on_create: bool,
    /// IBM action_when_leaked choices.
    pub leak_actions: Vec<String>,
    /// IBM support sessions: can be allowed on create and changed later.
    pub support_sessions: bool,
    /// The permission choices a key can have (OpenAI); `None` = keys carry no permissions.
    pub permissions: Option<PermissionsSpec>,
    /// The vendor says when a key was last used (`KeyRecord::last_used_at`), so "unused for
    /// K days" can be told.
    pub reports_last_use: bool,
    /// Operations on existing keys.
    pub rename: bool,
    pub update_description: bool,
    pub update_scopes: bool,
    pub update_project: bool,
    /// The expiry date can be changed (to a later or earlier date, still in the future).
    pub update_expiry: bool,
    /// With `update_expiry`: the expiry date can also be removed, so that the key never expires.
    pub remove_expiry: bool,
    /// The leak action (`leak_actions`) can be changed.
    pub update_leak_action: bool,
    pub update_permissions: bool,
    pub lock: bool,
    pub disable: bool,
    pub delete: bool,
    /// e.g. OCI: 3 keys per user.
    pub max_keys_per_owner: Option<u32>,
    pub secret_source: SecretSource,
    /// OCI: the user may upload their own public key instead.
    pub upload_public_key: bool,
    /// Things the UI should say about this vendor's API (e.g. what the public API cannot do).
    pub notes: Vec<String>,
}

impl Capabilities {
    /// A vendor that supports nothing beyond listing: each vendor's descriptor says what it
    /// adds (`Capabilities { rename: true, ..Capabilities::new(…) }`).
    pub fn new(vendor: VendorId, key_noun: &str, id_label: &str) -> Self {
        Capabilities {
            vendor,
            vendor_name: vendor.display_name().to_string(),
            key_noun: key_noun.into(),
            id_label: id_label.into(),
            name: None,
            description: None,
            expiry: false,
            scopes: Vec::new(),
            owner: None,
            project: None,
            project_label: None,
            lock_on_create: false,
            disable_on_create: false,
            leak_actions: Vec::new(),
            support_sessions: false,
            permissions: None,
            reports_last_use: false,
            rename: false,
            update_description: false,
            update_scopes: false,
            update_project: false,
            update_expiry: false,
            remove_expiry: false,
            update_leak_action: false,
            update_permissions: false,
            lock: false,
            disable: false,
            delete: false,
            max_keys_per_owner: None,
            secret_source: SecretSource::ServerIssued,
            upload_public_key: false,
            notes: Vec::new(),
        }
    }
}

/// What a listing may include beyond what vendors show by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListOptions {
    /// Keys of archived projects (OpenAI), hidden by default.
    pub include_archived: bool,
}

/// One vendor account, ready to call. Built by [`connect`].
#[async_trait]
pub trait Vendor: Send + Sync {
    fn capabilities(&self) -> Capabilities;

    /// Test the credential: who it is, and which permission is missing if one is.
    async fn verify(&self) -> Result<Identity>;

    /// Every key, following every page to the end.
    async fn list(&self) -> Result<Vec<KeyRecord>>;

    /// Like `list`, with what `options` asks for too; vendors with nothing hidden by default
    /// list as usual.
    async fn list_with(&self, options: &ListOptions) -> Result<Vec<KeyRecord>> {
        let _ = options;
        self.list().await
    }

    async fn get(&self, id: &str) -> Result<KeyRecord>;

    /// What the last `list` had to say besides the keys: that it showed less than the account
    /// holds, and why (e.g. OCI without the right to list the tenancy's users). Empty by default.
    fn notices(&self) -> Vec<String> {
        Vec::new()
    }

    /// Owners and projects a create form can offer.
    async fn create_options(&self) -> Result<CreateOptions> {
        Ok(CreateOptions::default())
    }

    /// Validate (nothing is sent when invalid), create, and return the secret once.
    async fn create(&self, spec: &NewKey) -> Result<CreatedKey>;

    async fn update(&self, id: &str, changes: &KeyUpdate) -> Result<KeyRecord> {
        let _ = (id, changes);
        Err(self.unsupported("editing keys"))
    }

    async fn set_locked(&self, id: &str, locked: bool) -> Result<()> {
        let _ = (id, locked);
        Err(self.unsupported("locking keys"))
    }

    async fn set_disabled(&self, id: &str, disabled: bool) -> Result<()> {
        let _ = (id, disabled);
        Err(self.unsupported("disabling keys"))
    }

    async fn delete(&self, id: &str) -> Result<DeleteOutcome>;

    /// Delete an owner left without keys (OpenAI service account), when `DeleteOutcome` offered it.
    async fn delete_owner(&self, owner: &Owner) -> Result<()> {
        let _ = owner;
        Err(self.unsupported("deleting owners"))
    }

    /// Prove that a new key's secret authenticates at the vendor (rotation's verify step), by a
    /// request made with that secret alone — never with the account's credential. `Ok` only
    /// when the vendor accepted it; its refusal comes back as the vendor's error.
    async fn verify_key(&self, key: &KeyRecord, secret: &Sensitive<String>) -> Result<()> {
        let _ = (key, secret);
        Err(self.unsupported("verifying a new key"))
    }

    /// The `Unsupported` error for an operation this vendor lacks.
    fn unsupported(&self, what: &str) -> Error {
        let caps = self.capabilities();
        Error::unsupported(format!("{} does not support {what}", caps.vendor_name))
    }
}

/// Build the client for an account. The credential moves into the client and stays `Sensitive`.
pub fn connect(account: &Account, credential: Credential, http: &Http) -> Result<Arc<dyn Vendor>> {
    account
        .vendor
        .descriptor()
        .connect(account, credential, http)
}

/// Capabilities without a connection (for forms shown before an account exists).
pub fn capabilities_of(vendor: VendorId) -> Capabilities {
    vendor.descriptor().capabilities()
}
