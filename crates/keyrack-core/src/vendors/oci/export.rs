//! OCI's own files for a new signing key: the private key PEM (with the `OCI_API_KEY` label the
//! console adds), a `~/.oci/config` profile that points at it, and a `.env` of the variables
//! Terraform's OCI provider reads.

use crate::error::Result;
use crate::export::replace::{join_lines, ReplaceInput, Replaced};
use crate::export::{self, ExportInput, FileRole};
use crate::model::KeyRecord;
use crate::vendors::{FormatSpec, VendorExtra};

pub const PRIVATE_KEY_PEM: &str = "oci_private_key_pem";
pub const CONFIG_STANZA: &str = "oci_config_stanza";

pub const FORMATS: &[FormatSpec] = &[
    FormatSpec::native(
        PRIVATE_KEY_PEM,
        "Private key PEM",
        "oci_api_key.pem",
        private_key_pem,
    )
    .role(FileRole::KeyFile),
    FormatSpec::native(
        CONFIG_STANZA,
        "~/.oci/config profile",
        "config",
        config_stanza,
    )
    .role(FileRole::NamesKeyFile),
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

/// `~/.oci/config` in place: each profile whose `fingerprint` is the old key's gets the new
/// fingerprint and a `key_file` pointing at the new private key, written beside the old one
/// (a `pass_phrase` goes: the new key is not encrypted). Other profiles stay as they are.
pub fn replace(input: &ReplaceInput<'_>) -> Result<Option<Replaced>> {
    let old_fp = fingerprint(input.old).to_ascii_lowercase();
    let new_fp = fingerprint(input.new.record);
    let entry = |line: &str| -> Option<(String, String)> {
        let line = line.trim();
        if line.starts_with('#') || line.starts_with(';') {
            return None;
        }
        let (k, v) = line.split_once('=')?;
        Some((k.trim().to_ascii_lowercase(), v.trim().to_string()))
    };
    let lines: Vec<&str> = input.text.lines().collect();
    // Each profile: (header index, end index).
    let mut sections = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.trim().starts_with('[') {
            sections.push(i);
        }
    }
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let mut drop = vec![false; lines.len()];
    let mut changed = Vec::new();
    let mut side_files = Vec::new();
    for (n, &start) in sections.iter().enumerate() {
        let end = sections.get(n + 1).copied().unwrap_or(lines.len());
        let body = start + 1..end;
        let find = |key: &str| {
            body.clone()
                .find(|&i| entry(lines[i]).is_some_and(|(k, _)| k == key))
        };
        let Some(fp_line) = find("fingerprint") else {
            continue;
        };
        let fp = entry(lines[fp_line]).map(|(_, v)| v.to_ascii_lowercase());
        if fp.as_deref() != Some(old_fp.as_str()) {
            continue;
        }
        let old_key_file = find("key_file").and_then(|i| entry(lines[i]).map(|(_, v)| v));
        let dir = old_key_file
            .as_deref()
            .map(expand_home)
            .and_then(|f| f.parent().map(std::path::Path::to_path_buf))
            .or_else(|| input.path.parent().map(std::path::Path::to_path_buf))
            .unwrap_or_default();
        let pem_path = dir.join(format!("oci_api_key_{}.pem", new_fp.replace(':', "")));
        let pem = private_key_pem(&input.new)?;
        out[fp_line] = format!("fingerprint={new_fp}");
        let key_file_line = format!("key_file={}", pem_path.display());
        match find("key_file") {
            Some(i) => out[i] = key_file_line,
            None => out[fp_line].push_str(&format!("\n{key_file_line}")),
        }
        if let Some(i) = find("pass_phrase") {
            drop[i] = true;
        }
        let header = lines[start].trim().trim_matches(['[', ']']);
        changed.push(format!("profile {header}"));
        side_files.push((pem_path, crate::Sensitive::new(pem)));
    }
    if changed.is_empty() {
        return Ok(None);
    }
    let kept: Vec<String> = out
        .into_iter()
        .zip(drop)
        .filter_map(|(l, d)| (!d).then_some(l))
        .collect();
    Ok(Some(Replaced {
        text: join_lines(&kept, input.text),
        side_files,
        what: changed.join(", "),
    }))
}

/// `~/…` as the OCI CLI expands it.
fn expand_home(path: &str) -> std::path::PathBuf {
    match (path.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => std::path::PathBuf::from(path),
    }
}
