//! Saving a newly created key: the formats each vendor offers (its `FormatSpec`s, the vendor's
//! own formats first, so its CLI or SDK reads the file unchanged), rendering, and the pieces the
//! vendors' renderers share (`.env` and JSON files, YAML and dotenv quoting, profile names).
//!
//! Rendering returns `Sensitive<String>`: the output holds the secret. Writing is
//! `fsutil::write_private` (atomic, 0600).
//!
//! Exporting the inventory — keys as listed, never a secret — is [`terraform`] (import blocks
//! and resources for each vendor's provider) and [`table`] (CSV and JSON for audits); both take
//! the keys grouped by account ([`AccountKeys`]).

pub mod replace;
pub mod table;
pub mod terraform;

use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::inventory::AccountListing;
use crate::model::{Account, KeyRecord};
use crate::secret::Sensitive;
use crate::vendor::SecretSource;
use crate::vendors::{FormatSpec, VendorId};

/// A format's stable id, e.g. `ibm_apikey_json`, `env`, `json`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(transparent)]
#[ts(type = "string")]
pub struct ExportFormat(pub String);

impl ExportFormat {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for ExportFormat {
    fn from(id: &str) -> Self {
        ExportFormat(id.to_string())
    }
}

impl std::fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The `.env` format every vendor offers.
pub const ENV: &str = "env";
/// The JSON record every vendor offers.
pub const JSON: &str = "json";

/// What a saved file is to the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FileRole {
    /// It holds the secret (an API key, a token).
    Secret,
    /// It is the private key file (OCI PEM): where it was saved is remembered, and other
    /// formats point at it.
    KeyFile,
    /// It holds no secret but names the saved key file (OCI config profile, OCI `.env`).
    NamesKeyFile,
}

/// A format a shell can offer for a vendor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FormatInfo {
    pub format: ExportFormat,
    pub label: String,
    pub file_name: String,
    /// The vendor's own format (offered first).
    pub native: bool,
    pub role: FileRole,
}

impl From<&FormatSpec> for FormatInfo {
    fn from(spec: &FormatSpec) -> Self {
        FormatInfo {
            format: ExportFormat::from(spec.id),
            label: spec.label.into(),
            file_name: spec.file_name.into(),
            native: spec.native,
            role: spec.role,
        }
    }
}

/// The formats offered for a vendor's keys, native first.
pub fn formats(vendor: VendorId) -> Vec<FormatInfo> {
    vendor
        .descriptor()
        .formats
        .iter()
        .map(FormatInfo::from)
        .collect()
}

/// The vendor's format with this id; a `Validation` error naming the field `format` otherwise.
pub fn spec(vendor: VendorId, format: &ExportFormat) -> Result<&'static FormatSpec> {
    let descriptor = vendor.descriptor();
    descriptor.format(format.as_str()).ok_or_else(|| {
        let offered: Vec<&str> = descriptor.formats.iter().map(|f| f.id).collect();
        Error::validation(
            "format",
            format!(
                "`{format}` is not a format for {} keys; choose one of {}",
                descriptor.name,
                offered.join(", ")
            ),
        )
    })
}

/// What rendering needs besides the format.
pub struct ExportInput<'a> {
    pub record: &'a KeyRecord,
    pub secret: &'a Sensitive<String>,
    pub account: &'a Account,
    /// Where the private key is (or will be) saved; formats that name the key file point here.
    pub key_file: Option<&'a Path>,
    /// Profile / context name; default derived from the key's name.
    pub profile: Option<&'a str>,
}

impl ExportInput<'_> {
    pub fn profile_name(&self) -> String {
        let raw = self.profile.unwrap_or_else(|| self.record.display_name());
        profile_name(raw)
    }

    /// The key file a format that names it needs.
    pub fn required_key_file(&self) -> Result<&Path> {
        self.key_file.ok_or_else(|| {
            Error::validation(
                "key_file",
                "save the private key first: this file points at the key file",
            )
        })
    }
}

pub fn render(format: &ExportFormat, input: &ExportInput<'_>) -> Result<Sensitive<String>> {
    let spec = spec(input.record.vendor, format)?;
    Ok(Sensitive::new((spec.render)(input)?))
}

/// A profile name the vendors' config parsers accept: letters, digits, `-` and `_`.
pub fn profile_name(raw: &str) -> String {
    let cleaned: String = raw
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let cleaned = cleaned.trim_matches('-').to_string();
    if cleaned.is_empty() {
        "keyrack".into()
    } else {
        cleaned
    }
}

/// A YAML scalar: plain when safe, double-quoted otherwise.
pub fn yaml_str(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@".contains(c))
        && !value.starts_with(['-', ':', '@'])
        && !matches!(value, "true" | "false" | "null" | "yes" | "no" | "~");
    if plain {
        value.to_string()
    } else {
        serde_json::to_string(value).unwrap_or_default()
    }
}

/// A dotenv value: bare when safe, single-quoted otherwise.
fn env_value(value: &str) -> String {
    if value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./:@+=".contains(c))
    {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', "'\\''"))
    }
}

/// A `.env` file: a comment naming the key, then `NAME=value` lines. The values are wiped
/// once written into the file's text (some hold the secret).
pub fn env_file(input: &ExportInput<'_>, vars: Vec<(&str, String)>) -> String {
    let caps = input.record.vendor.descriptor().capabilities();
    let noun = match caps.secret_source {
        SecretSource::LocalKeyPair => "signing key",
        SecretSource::ServerIssued => "API key",
    };
    let mut text = format!(
        "# {} {noun} \"{}\" — written by Keyrack\n",
        caps.vendor_name,
        input.record.display_name().replace('\n', " ")
    );
    for (name, mut value) in vars {
        let mut quoted = env_value(&value);
        text.push_str(name);
        text.push('=');
        text.push_str(&quoted);
        text.push('\n');
        zeroize::Zeroize::zeroize(&mut quoted);
        zeroize::Zeroize::zeroize(&mut value);
    }
    text
}

/// The `.env` every vendor offers, rendered by the vendor's `render` (its variable names).
pub const fn env_format(
    native: bool,
    role: FileRole,
    render: fn(&ExportInput<'_>) -> Result<String>,
) -> FormatSpec {
    FormatSpec {
        id: ENV,
        label: ".env",
        file_name: ".env",
        native,
        role,
        render,
    }
}

/// The JSON record every vendor offers, under `file_name`.
pub const fn json_format(file_name: &'static str) -> FormatSpec {
    FormatSpec {
        id: JSON,
        label: "JSON",
        file_name,
        native: false,
        role: FileRole::Secret,
        render: json_record,
    }
}

fn json_record(input: &ExportInput<'_>) -> Result<String> {
    #[derive(Serialize)]
    struct JsonRecord<'a> {
        vendor: VendorId,
        account: &'a str,
        id: &'a str,
        name: Option<&'a str>,
        description: Option<&'a str>,
        owner: Option<&'a crate::model::Owner>,
        created_at: Option<chrono::DateTime<chrono::Utc>>,
        expires_at: Option<chrono::DateTime<chrono::Utc>>,
        scopes: &'a [String],
        secret: &'a str,
    }
    let r = input.record;
    let body = JsonRecord {
        vendor: r.vendor,
        account: &input.account.name,
        id: &r.id,
        name: r.name.as_deref(),
        description: r.description.as_deref(),
        owner: r.owner.as_ref(),
        created_at: r.created_at,
        expires_at: r.expires_at,
        scopes: &r.scopes,
        secret: input.secret.expose(),
    };
    let mut text = serde_json::to_string_pretty(&body).unwrap_or_default();
    text.push('\n');
    Ok(text)
}

/// One account's keys, as the inventory exports take them: all its listed keys, or the ones a
/// user selected.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountKeys {
    pub account_id: String,
    pub account_name: String,
    pub vendor: VendorId,
    pub keys: Vec<KeyRecord>,
}

impl AccountKeys {
    pub fn new(account: &Account, keys: Vec<KeyRecord>) -> Self {
        AccountKeys {
            account_id: account.id.clone(),
            account_name: account.name.clone(),
            vendor: account.vendor,
            keys,
        }
    }

    /// The keys of an account that listed; `None` for one that failed (the shell reports it).
    pub fn from_listing(listing: &AccountListing) -> Option<Self> {
        let keys = listing.result.as_ref().ok()?;
        Some(AccountKeys {
            account_id: listing.account_id.clone(),
            account_name: listing.account_name.clone(),
            vendor: listing.vendor,
            keys: keys.clone(),
        })
    }

    /// Every account that listed, in the listings' order.
    pub fn from_listings(listings: &[AccountListing]) -> Vec<Self> {
        listings.iter().filter_map(Self::from_listing).collect()
    }
}
