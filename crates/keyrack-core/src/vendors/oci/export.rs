//! OCI's own files for a new signing key: the private key PEM (with the `OCI_API_KEY` label the
//! console adds), a `~/.oci/config` profile that points at it, and a `.env` of the variables
//! Terraform's OCI provider reads.

use crate::error::Result;
use crate::export::{self, ExportInput, FileRole};
use crate::model::KeyRecord;
use crate::vendors::{FormatSpec, VendorExtra};

pub const PRIVATE_KEY_PEM: &str = "oci_private_key_pem";
pub const CONFIG_STANZA: &str = "oci_config_stanza";

pub const FORMATS: &[FormatSpec] = &[
    FormatSpec {
        id: PRIVATE_KEY_PEM,
        label: "Private key PEM",
        file_name: "oci_api_key.pem",
        native: true,
        role: FileRole::KeyFile,
        render: private_key_pem,
    },
    FormatSpec {
        id: CONFIG_STANZA,
        label: "~/.oci/config profile",
        file_name: "config",
        native: true,
        role: FileRole::NamesKeyFile,
        render: config_stanza,
    },
    export::env_format(false, FileRole::NamesKeyFile, env),
    export::json_format("oci-key.json"),
];

/// PKCS#8 PEM followed by the `OCI_API_KEY` label, without a trailing newline (the OCI CLI's
/// check is a plain "ends with").
fn private_key_pem(input: &ExportInput<'_>) -> Result<String> {
    let pem = input.secret.expose().trim_end();
    Ok(format!("{pem}\nOCI_API_KEY"))
}

fn config_stanza(input: &ExportInput<'_>) -> Result<String> {
    let key_file = input
        .key_file
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "~/.oci/oci_api_key.pem".into());
    super::ConfigStanza::for_key(
        &input.account.settings,
        input.record,
        &input.profile_name(),
        &key_file,
    )?
    .render()
}

/// The bare fingerprint (OCI key ids of other users' keys are `<user OCID>/<fingerprint>`).
fn fingerprint(record: &KeyRecord) -> &str {
    record.id.rsplit('/').next().unwrap_or(&record.id)
}

/// Terraform's `TF_VAR`-less OCI provider variables, pointing at the saved key file.
fn env(input: &ExportInput<'_>) -> Result<String> {
    let s = &input.account.settings;
    let key_file = input.required_key_file()?;
    let user = match &input.record.extra {
        VendorExtra::Oci(extra) => extra.user_id.clone(),
        _ => s.user.clone().unwrap_or_default(),
    };
    let vars = [
        ("OCI_tenancy_ocid", s.tenancy.clone().unwrap_or_default()),
        ("OCI_user_ocid", user),
        ("OCI_fingerprint", fingerprint(input.record).to_string()),
        ("OCI_region", s.region.clone().unwrap_or_default()),
        ("OCI_private_key_path", key_file.display().to_string()),
    ];
    Ok(export::env_file(input, vars.into()))
}
