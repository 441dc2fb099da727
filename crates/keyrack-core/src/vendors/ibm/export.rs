//! IBM's own files for a new API key: the console's `apikey.json`, the SDKs' credentials file,
//! and the variables of a `.env`.

use serde::Serialize;

use super::DEFAULT_URL;
use crate::error::Result;
use crate::export::replace::{not_found, ReplaceInput, Replaced};
use crate::export::{self, ExportInput, FileRole};
use crate::vendors::FormatSpec;

pub const FORMATS: &[FormatSpec] = &[
    FormatSpec::native(
        "ibm_apikey_json",
        "apikey.json (IBM Cloud CLI)",
        "apikey.json",
        apikey_json,
    ),
    FormatSpec::native(
        "ibm_credentials_env",
        "ibm-credentials.env (IBM SDKs)",
        "ibm-credentials.env",
        credentials_env,
    )
    .secondary(),
    export::env_format(false, FileRole::Secret, env),
    export::json_format("ibm-key.json"),
];

/// The file the console downloads and `ibmcloud iam api-key-create --file` writes.
fn apikey_json(input: &ExportInput<'_>) -> Result<String> {
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
    Ok(text)
}

fn iam_url(input: &ExportInput<'_>) -> String {
    input
        .account
        .settings
        .iam_url
        .clone()
        .unwrap_or_else(|| DEFAULT_URL.to_string())
}

/// The IBM SDKs' `IAM_IDENTITY_*` credentials file.
fn credentials_env(input: &ExportInput<'_>) -> Result<String> {
    let url = iam_url(input);
    let mut text = format!(
        "IAM_IDENTITY_AUTH_TYPE=iam\nIAM_IDENTITY_APIKEY={}\nIAM_IDENTITY_URL={}\n",
        input.secret.expose(),
        input.account.settings.base_url.as_deref().unwrap_or(&url)
    );
    if url != DEFAULT_URL {
        text.push_str(&format!("IAM_IDENTITY_AUTH_URL={url}\n"));
    }
    Ok(text)
}

/// What `ibmcloud` and Terraform's IBM provider read.
fn env(input: &ExportInput<'_>) -> Result<String> {
    let secret = input.secret.expose();
    Ok(export::env_file(
        input,
        vec![
            ("IBMCLOUD_API_KEY", secret.clone()),
            ("IC_API_KEY", secret.clone()),
        ],
    ))
}

/// `apikey.json` in place: the file (one key, no id in it) is the old key's when its `name` is
/// the old key's name; it is rewritten whole for the new key.
pub fn replace(input: &ReplaceInput<'_>) -> Result<Option<Replaced>> {
    let Ok(serde_json::Value::Object(file)) = serde_json::from_str(input.text) else {
        return Ok(None);
    };
    if !file.contains_key("apikey") {
        return Ok(None);
    }
    let name = file.get("name").and_then(|n| n.as_str()).unwrap_or("");
    if name != input.old.name.as_deref().unwrap_or("") {
        return Err(not_found(input, "apikey.json"));
    }
    Ok(Some(Replaced {
        text: crate::Sensitive::new(apikey_json(&input.new)?),
        side_files: Vec::new(),
        what: "apikey.json".into(),
    }))
}
