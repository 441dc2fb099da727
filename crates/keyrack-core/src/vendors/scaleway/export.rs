//! Scaleway's own file for a new API key — a `config.yaml` profile as the `scw` CLI and the
//! SDKs read it — and the variables of a `.env`.

use super::DEFAULT_URL;
use crate::error::Result;
use crate::export::replace::{
    indent, join_lines, not_found, set_yaml, yaml_block, yaml_value, ReplaceInput, Replaced,
};
use crate::export::{self, yaml_str, ExportInput, FileRole};
use crate::vendors::{FormatSpec, VendorExtra};

pub const FORMATS: &[FormatSpec] = &[
    FormatSpec::native(
        "scaleway_config_yaml",
        "config.yaml profile (scw CLI / SDKs)",
        "config.yaml",
        config_yaml,
    ),
    export::env_format(false, FileRole::Secret, env),
    export::json_format("scaleway-key.json"),
];

/// The key's default project, else the account's.
fn project(input: &ExportInput<'_>) -> Option<String> {
    match &input.record.extra {
        VendorExtra::Scaleway(extra) if extra.default_project_id.is_some() => {
            extra.default_project_id.clone()
        }
        _ => input.account.settings.project_id.clone(),
    }
}

/// The account's API URL when it is not Scaleway's own.
fn custom_api_url(input: &ExportInput<'_>) -> Option<String> {
    input
        .account
        .settings
        .base_url
        .clone()
        .filter(|u| u != DEFAULT_URL)
}

fn config_yaml(input: &ExportInput<'_>) -> Result<String> {
    let profile = input.profile_name();
    let s = &input.account.settings;
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
    if let Some(project) = project(input) {
        lines.push(format!("    default_project_id: {}", yaml_str(&project)));
    }
    if let Some(region) = &s.region {
        lines.push(format!("    default_region: {}", yaml_str(region)));
        lines.push(format!(
            "    default_zone: {}",
            yaml_str(&format!("{region}-1"))
        ));
    }
    if let Some(url) = custom_api_url(input) {
        lines.push(format!("    api_url: {}", yaml_str(&url)));
    }
    Ok(lines.join("\n") + "\n")
}

/// What `scw`, the SDKs and Terraform's Scaleway provider read.
fn env(input: &ExportInput<'_>) -> Result<String> {
    let mut vars = vec![
        ("SCW_ACCESS_KEY", input.record.id.clone()),
        ("SCW_SECRET_KEY", input.secret.expose().clone()),
    ];
    if let Some(org) = &input.account.settings.organization_id {
        vars.push(("SCW_DEFAULT_ORGANIZATION_ID", org.clone()));
    }
    if let Some(p) = project(input) {
        vars.push(("SCW_DEFAULT_PROJECT_ID", p));
    }
    if let Some(url) = custom_api_url(input) {
        vars.push(("SCW_API_URL", url));
    }
    Ok(export::env_file(input, vars))
}

/// `config.yaml` in place: every profile (or the top level) whose `access_key` is the old key
/// gets the new access key and its `secret_key`; other profiles stay as they are.
pub fn replace(input: &ReplaceInput<'_>) -> Result<Option<Replaced>> {
    let mut lines: Vec<String> = input.text.lines().map(str::to_string).collect();
    let mut changed = Vec::new();
    for at in 0..lines.len() {
        if yaml_value(&lines[at], "access_key") != Some(input.old.id.as_str()) {
            continue;
        }
        let level = indent(&lines[at]);
        let (block, name) = yaml_block(&lines, at);
        let secret = block
            .clone()
            .find(|&j| indent(&lines[j]) == level && yaml_value(&lines[j], "secret_key").is_some())
            .ok_or_else(|| not_found(input, "profile with both access_key and secret_key"))?;
        set_yaml(&mut lines, at, "access_key", &input.new.record.id);
        set_yaml(&mut lines, secret, "secret_key", input.new.secret.expose());
        changed.push(format!(
            "profile {}",
            name.unwrap_or_else(|| "(top level)".into())
        ));
    }
    if changed.is_empty() {
        return Ok(None);
    }
    Ok(Some(Replaced {
        text: join_lines(&lines, input.text),
        side_files: Vec::new(),
        what: changed.join(", "),
    }))
}
