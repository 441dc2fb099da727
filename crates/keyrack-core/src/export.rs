//! Download formats for a newly created key, in each vendor's own file format (so the vendor's
//! CLI or SDK reads the file unchanged), plus `.env` and JSON for every vendor.
//!
//! Rendering returns `Sensitive<String>`: the output holds the secret. Writing is
//! `fsutil::write_private` (atomic, 0600).

use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::{Account, KeyRecord, VendorExtra, VendorId};
use crate::secret::Sensitive;

pub const IBM_DEFAULT_IAM_URL: &str = "https://iam.cloud.ibm.com";
pub const SCALEWAY_DEFAULT_API_URL: &str = "https://api.scaleway.com";
pub const OPENAI_DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";
pub const CODEFRESH_DEFAULT_API_URL: &str = "https://g.codefresh.io/api";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// IBM console / `ibmcloud iam api-key-create --file` JSON.
    IbmApikeyJson,
    /// IBM SDK credentials file (`IAM_IDENTITY_*`).
    IbmCredentialsEnv,
    /// Scaleway `config.yaml` with the key as a named, active profile.
    ScalewayConfigYaml,
    /// OCI private key PEM with the trailing `OCI_API_KEY` label.
    OciPrivateKeyPem,
    /// OCI `~/.oci/config` profile stanza.
    OciConfigStanza,
    /// Codefresh CLI `~/.cfconfig` with the key as the current context.
    CodefreshCfconfig,
    /// `.env` with the variables the vendor's own tools read.
    Env,
    /// A JSON record for secret managers.
    Json,
}

/// A format a shell can offer for a vendor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FormatInfo {
    pub format: ExportFormat,
    pub label: String,
    pub file_name: String,
    /// The vendor's own format (offered first).
    pub native: bool,
}

fn info(format: ExportFormat, label: &str, file_name: &str, native: bool) -> FormatInfo {
    FormatInfo {
        format,
        label: label.into(),
        file_name: file_name.into(),
        native,
    }
}

/// The formats offered for a vendor's keys, native first.
pub fn formats(vendor: VendorId) -> Vec<FormatInfo> {
    use ExportFormat::*;
    let mut out = match vendor {
        VendorId::Ibm => vec![
            info(
                IbmApikeyJson,
                "apikey.json (IBM Cloud CLI)",
                "apikey.json",
                true,
            ),
            info(
                IbmCredentialsEnv,
                "ibm-credentials.env (IBM SDKs)",
                "ibm-credentials.env",
                false,
            ),
        ],
        VendorId::Scaleway => vec![info(
            ScalewayConfigYaml,
            "config.yaml profile (scw CLI / SDKs)",
            "config.yaml",
            true,
        )],
        VendorId::Oci => vec![
            info(OciPrivateKeyPem, "Private key PEM", "oci_api_key.pem", true),
            info(OciConfigStanza, "~/.oci/config profile", "config", true),
        ],
        VendorId::Openai => vec![],
        VendorId::Codefresh => vec![info(
            CodefreshCfconfig,
            ".cfconfig context (codefresh CLI)",
            ".cfconfig",
            true,
        )],
    };
    out.push(info(Env, ".env", ".env", vendor == VendorId::Openai));
    out.push(info(
        Json,
        "JSON",
        &format!("{}-key.json", vendor.as_str()),
        false,
    ));
    out
}

/// What rendering needs besides the format.
pub struct ExportInput<'a> {
    pub record: &'a KeyRecord,
    pub secret: &'a Sensitive<String>,
    pub account: &'a Account,
    /// OCI: where the private key is (or will be) saved; `key_file` / `private_key_path` point here.
    pub key_file: Option<&'a Path>,
    /// Profile / context name; default derived from the key's name.
    pub profile: Option<&'a str>,
}

impl ExportInput<'_> {
    fn profile_name(&self) -> String {
        let raw = self.profile.unwrap_or_else(|| self.record.display_name());
        profile_name(raw)
    }
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

pub fn render(format: ExportFormat, input: &ExportInput<'_>) -> Result<Sensitive<String>> {
    let vendor = input.record.vendor;
    let wrong = || {
        Error::validation(
            "format",
            format!(
                "{format:?} is not a format for {} keys",
                vendor.display_name()
            ),
        )
    };
    let text = match (format, vendor) {
        (ExportFormat::IbmApikeyJson, VendorId::Ibm) => ibm_apikey_json(input),
        (ExportFormat::IbmCredentialsEnv, VendorId::Ibm) => ibm_credentials_env(input),
        (ExportFormat::ScalewayConfigYaml, VendorId::Scaleway) => scaleway_config_yaml(input),
        (ExportFormat::OciPrivateKeyPem, VendorId::Oci) => oci_private_key_pem(input),
        (ExportFormat::OciConfigStanza, VendorId::Oci) => oci_config_stanza(input)?,
        (ExportFormat::CodefreshCfconfig, VendorId::Codefresh) => codefresh_cfconfig(input),
        (ExportFormat::Env, _) => env_file(input)?,
        (ExportFormat::Json, _) => json_record(input),
        _ => return Err(wrong()),
    };
    Ok(Sensitive::new(text))
}

fn ibm_apikey_json(input: &ExportInput<'_>) -> String {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct ApikeyJson<'a> {
        name: &'a str,
        description: &'a str,
        created_at: String,
        apikey: &'a str,
    }
    let created_at = input
        .record
        .created_at
        .map(|t| t.format("%Y-%m-%dT%H:%M+0000").to_string())
        .unwrap_or_default();
    let body = ApikeyJson {
        name: input.record.name.as_deref().unwrap_or(""),
        description: input.record.description.as_deref().unwrap_or(""),
        created_at,
        apikey: input.secret.expose(),
    };
    let mut text = serde_json::to_string_pretty(&body).unwrap_or_default();
    text.push('\n');
    text
}

fn ibm_iam_url(account: &Account) -> &str {
    account
        .settings
        .iam_url
        .as_deref()
        .unwrap_or(IBM_DEFAULT_IAM_URL)
}

fn ibm_credentials_env(input: &ExportInput<'_>) -> String {
    let url = ibm_iam_url(input.account);
    let mut text = format!(
        "IAM_IDENTITY_AUTH_TYPE=iam\nIAM_IDENTITY_APIKEY={}\nIAM_IDENTITY_URL={}\n",
        input.secret.expose(),
        input.account.settings.base_url.as_deref().unwrap_or(url)
    );
    if url != IBM_DEFAULT_IAM_URL {
        text.push_str(&format!("IAM_IDENTITY_AUTH_URL={url}\n"));
    }
    text
}

/// A YAML scalar: plain when safe, double-quoted otherwise.
fn yaml_str(value: &str) -> String {
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

fn scaleway_config_yaml(input: &ExportInput<'_>) -> String {
    let profile = input.profile_name();
    let s = &input.account.settings;
    let project = match &input.record.extra {
        VendorExtra::Scaleway {
            default_project_id: Some(p),
            ..
        } => Some(p.as_str()),
        _ => s.project_id.as_deref(),
    };
    let mut lines = vec![
        "# Scaleway CLI / SDK configuration written by Keyrack.".to_string(),
        "# Use it as ~/.config/scw/config.yaml, or merge the profile into yours.".to_string(),
        format!("active_profile: {}", yaml_str(&profile)),
        "profiles:".to_string(),
        format!("  {}:", yaml_str(&profile)),
        format!("    access_key: {}", yaml_str(&input.record.id)),
        format!("    secret_key: {}", yaml_str(input.secret.expose())),
    ];
    if let Some(org) = &s.organization_id {
        lines.push(format!("    default_organization_id: {}", yaml_str(org)));
    }
    if let Some(project) = project {
        lines.push(format!("    default_project_id: {}", yaml_str(project)));
    }
    if let Some(region) = &s.region {
        lines.push(format!("    default_region: {}", yaml_str(region)));
        lines.push(format!(
            "    default_zone: {}",
            yaml_str(&format!("{region}-1"))
        ));
    }
    if let Some(url) = s
        .base_url
        .as_deref()
        .filter(|u| *u != SCALEWAY_DEFAULT_API_URL)
    {
        lines.push(format!("    api_url: {}", yaml_str(url)));
    }
    lines.join("\n") + "\n"
}

/// PKCS#8 PEM followed by the `OCI_API_KEY` label, without a trailing newline (the OCI CLI's
/// check is a plain "ends with").
fn oci_private_key_pem(input: &ExportInput<'_>) -> String {
    let pem = input.secret.expose().trim_end();
    format!("{pem}\nOCI_API_KEY")
}

fn oci_config_stanza(input: &ExportInput<'_>) -> Result<String> {
    let key_file = input
        .key_file
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "~/.oci/oci_api_key.pem".into());
    crate::vendors::oci::ConfigStanza::for_key(
        &input.account.settings,
        input.record,
        &input.profile_name(),
        &key_file,
    )?
    .render()
}

/// The bare fingerprint (OCI key ids of other users' keys are `<user OCID>/<fingerprint>`).
fn oci_fingerprint(record: &KeyRecord) -> &str {
    record.id.rsplit('/').next().unwrap_or(&record.id)
}

fn codefresh_host(account: &Account) -> String {
    let api = account
        .settings
        .base_url
        .as_deref()
        .unwrap_or(CODEFRESH_DEFAULT_API_URL)
        .trim_end_matches('/');
    api.strip_suffix("/api").unwrap_or(api).to_string()
}

fn codefresh_cfconfig(input: &ExportInput<'_>) -> String {
    let name = yaml_str(&input.profile_name());
    format!(
        "contexts:\n  {name}:\n    type: APIKey\n    name: {name}\n    url: {}\n    token: {}\n    beta: false\n    onPrem: false\ncurrent-context: {name}\n",
        yaml_str(&codefresh_host(input.account)),
        yaml_str(input.secret.expose()),
    )
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

fn env_file(input: &ExportInput<'_>) -> Result<String> {
    let s = &input.account.settings;
    let secret = input.secret.expose();
    let mut vars: Vec<(&str, String)> = Vec::new();
    match input.record.vendor {
        VendorId::Ibm => {
            vars.push(("IBMCLOUD_API_KEY", secret.clone()));
            vars.push(("IC_API_KEY", secret.clone()));
        }
        VendorId::Scaleway => {
            vars.push(("SCW_ACCESS_KEY", input.record.id.clone()));
            vars.push(("SCW_SECRET_KEY", secret.clone()));
            if let Some(org) = &s.organization_id {
                vars.push(("SCW_DEFAULT_ORGANIZATION_ID", org.clone()));
            }
            let project = match &input.record.extra {
                VendorExtra::Scaleway {
                    default_project_id: Some(p),
                    ..
                } => Some(p.clone()),
                _ => s.project_id.clone(),
            };
            if let Some(p) = project {
                vars.push(("SCW_DEFAULT_PROJECT_ID", p));
            }
            if let Some(url) = s
                .base_url
                .as_deref()
                .filter(|u| *u != SCALEWAY_DEFAULT_API_URL)
            {
                vars.push(("SCW_API_URL", url.to_string()));
            }
        }
        VendorId::Oci => {
            let key_file = input.key_file.ok_or_else(|| {
                Error::validation(
                    "key_file",
                    "save the private key first: the OCI .env points at the key file",
                )
            })?;
            let user = match &input.record.extra {
                VendorExtra::Oci { user_id, .. } => user_id.clone(),
                _ => s.user.clone().unwrap_or_default(),
            };
            vars.push(("OCI_tenancy_ocid", s.tenancy.clone().unwrap_or_default()));
            vars.push(("OCI_user_ocid", user));
            vars.push(("OCI_fingerprint", oci_fingerprint(input.record).to_string()));
            vars.push(("OCI_region", s.region.clone().unwrap_or_default()));
            vars.push(("OCI_private_key_path", key_file.display().to_string()));
        }
        VendorId::Openai => {
            vars.push(("OPENAI_API_KEY", secret.clone()));
            if let VendorExtra::Openai { project_id, .. } = &input.record.extra {
                vars.push(("OPENAI_PROJECT_ID", project_id.clone()));
            }
            if let Some(org) = &s.organization_id {
                vars.push(("OPENAI_ORG_ID", org.clone()));
            }
            if let Some(url) = s
                .base_url
                .as_deref()
                .filter(|u| *u != OPENAI_DEFAULT_BASE_URL)
            {
                vars.push(("OPENAI_BASE_URL", url.to_string()));
            }
        }
        VendorId::Codefresh => {
            let api = s
                .base_url
                .clone()
                .unwrap_or_else(|| CODEFRESH_DEFAULT_API_URL.into());
            vars.push(("CODEFRESH_API_KEY", secret.clone()));
            vars.push(("CODEFRESH_API_URL", api));
            vars.push(("CF_API_KEY", secret.clone()));
            vars.push(("CF_URL", codefresh_host(input.account)));
        }
    }
    let mut text = format!(
        "# {} {} \"{}\" — written by Keyrack\n",
        input.record.vendor.display_name(),
        if input.record.vendor == VendorId::Oci {
            "signing key"
        } else {
            "API key"
        },
        input.record.display_name().replace('\n', " ")
    );
    for (name, value) in vars {
        text.push_str(&format!("{name}={}\n", env_value(&value)));
    }
    Ok(text)
}

fn json_record(input: &ExportInput<'_>) -> String {
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
    text
}

/// Append a profile stanza to an OCI config file without touching the other profiles. Refuses
/// when the profile already exists. Atomic and 0600 like every secret-adjacent file.
pub fn append_oci_profile(config_path: &Path, stanza: &str) -> Result<()> {
    let header = stanza.lines().next().unwrap_or("").trim().to_string();
    let existing = match std::fs::read_to_string(config_path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(Error::io(
                &format!("could not read {}", config_path.display()),
                &e,
            ))
        }
    };
    if existing.lines().any(|l| l.trim() == header) {
        return Err(Error::Conflict {
            message: format!(
                "{} already has a profile {header}; choose another profile name",
                config_path.display()
            ),
            detail: None,
        });
    }
    let mut text = existing;
    if !text.is_empty() {
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push('\n');
    }
    text.push_str(stanza);
    crate::fsutil::write_private(
        config_path,
        text.as_bytes(),
        crate::fsutil::Overwrite::Replace,
    )
}
