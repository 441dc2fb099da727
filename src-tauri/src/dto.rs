//! Shapes that cross IPC to the UI and are defined by the shell (core types such as `KeyRecord`
//! or `PendingSecret` cross as they are). Each is mirrored to TypeScript (see `bindings`).
//! Field names are camelCase; secrets only ever travel in (`AccountInput`), never out.

use std::path::PathBuf;

use keyrack_core::accounts::Problem;
use keyrack_core::error::PublicError;
use keyrack_core::export::FormatInfo;
use keyrack_core::model::{AccountSettings, KeyRecord, VendorId};
use keyrack_core::vendor::Capabilities;
use keyrack_core::vendor_fields::AccountField;
use keyrack_core::Sensitive;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the UI shows about the running app.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub name: String,
    pub version: String,
    /// True while the built-in emulator runs and its sandbox accounts are listed.
    pub sandbox: bool,
    /// Where the rotating log files go, so a user can find them.
    pub log_dir: Option<String>,
    pub keychain: KeychainStatus,
    /// The settings file could not be used (defaults are in effect); the message says why.
    pub settings_error: Option<String>,
    /// Everything that went wrong at startup and was worked around (settings, sandbox).
    pub problems: Vec<Problem>,
}

/// Whether the OS keychain can be used now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct KeychainStatus {
    pub ok: bool,
    /// What is wrong and how to fix it, when not ok.
    pub message: Option<String>,
}

/// A vendor as the add-account and create forms need it. (Field names as in the IPC contract:
/// `account_fields`.)
#[derive(Debug, Clone, Serialize, TS)]
pub struct VendorInfo {
    pub vendor: VendorId,
    pub name: String,
    pub capabilities: Capabilities,
    /// Download formats for new keys, native first.
    pub formats: Vec<FormatInfo>,
    pub account_fields: Vec<AccountField>,
}

/// A new account as entered in the form (`account_add`, `account_test_new`).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountInput {
    pub name: String,
    pub vendor: VendorId,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub settings: Option<AccountSettings>,
    /// The credential; goes to the keychain only.
    #[ts(type = "string")]
    pub secret: Sensitive<String>,
    #[serde(default)]
    #[ts(optional, type = "string | null")]
    pub passphrase: Option<Sensitive<String>>,
    /// Save without calling the vendor first.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub skip_test: Option<bool>,
}

/// Changes to a saved account (`account_update`); absent = keep.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "AccountChanges")]
pub struct AccountChangesInput {
    #[serde(default)]
    #[ts(optional = nullable)]
    pub name: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub settings: Option<AccountSettings>,
    /// A new credential.
    #[serde(default)]
    #[ts(optional, type = "string | null")]
    pub secret: Option<Sensitive<String>>,
    /// OCI: the new key's passphrase; needs `secret` too.
    #[serde(default)]
    #[ts(optional, type = "string | null")]
    pub passphrase: Option<Sensitive<String>>,
    /// Save a changed connection without calling the vendor first.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub skip_test: Option<bool>,
}

/// One account's keys, or why they could not be listed.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountListing {
    pub account_id: String,
    pub account_name: String,
    pub vendor: VendorId,
    /// Absent when the listing failed, or when it is `unchanged`.
    pub keys: Option<Vec<KeyRecord>>,
    /// Names these keys as listed: the window sends it back with its next refresh, and an
    /// account whose keys are still the same comes back `unchanged`, without them, so 10,000
    /// keys do not cross IPC (and get parsed, rebuilt and sorted) when nothing moved.
    #[ts(optional = nullable)]
    pub revision: Option<String>,
    /// The keys are the ones the window holds under the revision it sent.
    pub unchanged: bool,
    pub error: Option<PublicError>,
    /// What the vendor said besides the keys (e.g. only part of the account could be listed).
    pub notices: Vec<String>,
}

/// `secret_copy`: the clipboard is cleared after this many seconds (if it still holds the
/// secret then).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CopyResult {
    pub clear_in_secs: u32,
}

/// A file on this machine that holds a key ("Used in"), or the one the user picked for a
/// rotation to update. `token` names it to `rotate_key` when a rotation can update it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UsedInFile {
    #[ts(optional = nullable)]
    pub token: Option<String>,
    pub path: String,
    /// "profile DEFAULT", "SCW_ACCESS_KEY, SCW_SECRET_KEY", or what Keyrack saved there.
    pub what: String,
    /// Keyrack wrote the key there (else found in the vendor's tools' own file).
    pub remembered: bool,
}

/// `secret_save`, `oci_config_append`: the file written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SavedFile {
    pub path: String,
}

/// One entry of the tray menu, as the tray currently holds it. Submenus are flattened: a
/// submenu's entry comes first, then its items with `parent` set to its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TrayMenuItem {
    pub id: String,
    pub label: String,
    pub enabled: bool,
    /// The submenu this item is in; `null` at the top level.
    pub parent: Option<String>,
    /// Set for check items (on/off toggles).
    pub checked: Option<bool>,
    /// True for a submenu entry.
    pub submenu: bool,
}

/// Payload of the `inventory-progress` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InventoryProgress {
    #[ts(type = "number")]
    pub done: usize,
    #[ts(type = "number")]
    pub total: usize,
    /// The account that just finished, and whether it listed.
    pub account_id: String,
    pub ok: bool,
}

/// Payload of the `clipboard-cleared` event: a copied secret's timer ran out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ClipboardCleared {
    pub handle: String,
    /// False when the clipboard no longer held the secret (the user copied something else),
    /// so nothing was touched.
    pub cleared: bool,
}

/// What a tray menu item asks the UI to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum TrayActionKind {
    /// Open the create form for `accountId` (the quick create from the tray could not finish).
    NewKey,
    /// Show the key `keyId` of `accountId`.
    SelectKey,
    /// Show the held secret `handle`.
    OpenReveal,
    /// Open the rotate dialog for the key `keyId` of `accountId`.
    RotateKey,
    /// The tray re-listed every account.
    Refresh,
}

/// Payload of the `tray-action` event.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrayAction {
    pub action: TrayActionKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub account_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub key_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub handle: Option<String>,
    /// `new-key`: why the tray could not create the key itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub error: Option<PublicError>,
}

/// What the Rotate dialog chose (`rotation_plan`, `rotate_key`). No path: the webview never names
/// one — a file to update is a token the backend handed out (`rotation_pick_file`,
/// `key_used_in`); otherwise the new secret goes to the reveal panel, to be saved from there.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RotateChoice {
    /// The new key's name; absent: the old one's with `-rotated-<date>`.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub name: Option<String>,
    #[serde(default)]
    pub retire: keyrack_core::rotation::Retire,
    /// With `keep`: how many days before the old key is due to go.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub grace_days: Option<u32>,
    /// The file to update in place with the new key: the token of a `UsedInFile` (picked in the
    /// native dialog or found), never a path.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub update_file: Option<String>,
    /// More files (tokens, as `update_file`) to update once the rotation is done and the new
    /// key works.
    #[serde(default)]
    pub also_update: Vec<String>,
}

impl RotateChoice {
    /// The core options, with `update_file` already resolved to its path.
    pub fn options(&self, update_file: Option<PathBuf>) -> keyrack_core::rotation::RotateOptions {
        keyrack_core::rotation::RotateOptions {
            name: self.name.clone().filter(|n| !n.trim().is_empty()),
            delivery: update_file.map(|path| keyrack_core::rotation::Delivery::UpdateFile { path }),
            retire: self.retire,
            grace_until: self
                .grace_days
                .map(|d| chrono::Utc::now() + chrono::Duration::days(i64::from(d))),
        }
    }
}
