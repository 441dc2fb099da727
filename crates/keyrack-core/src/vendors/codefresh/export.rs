//! Codefresh's own file for a new API key — a `~/.cfconfig` context as the `codefresh` CLI
//! reads it — and the variables of a `.env`.

use super::DEFAULT_URL;
use crate::error::Result;
use crate::export::replace::{
    join_lines, set_yaml, yaml_block, yaml_value, ReplaceInput, Replaced,
};
use crate::export::{self, yaml_str, ExportInput, FileRole};
use crate::model::Account;
use crate::vendors::FormatSpec;

pub const FORMATS: &[FormatSpec] = &[
    FormatSpec::native(
        "codefresh_cfconfig",
        ".cfconfig context (codefresh CLI)",
        ".cfconfig",
        cfconfig,
    ),
    export::env_format(false, FileRole::Secret, env),
    export::json_format("codefresh-key.json"),
];

fn api_url(account: &Account) -> String {
    account
        .settings
        .base_url
        .clone()
        .unwrap_or_else(|| DEFAULT_URL.into())
}

/// The host without `/api`, as the CLI's `CF_URL` and `.cfconfig` hold it.
fn host(account: &Account) -> String {
    let api = api_url(account);
    let api = api.trim_end_matches('/');
    api.strip_suffix("/api").unwrap_or(api).to_string()
}

fn cfconfig(input: &ExportInput<'_>) -> Result<String> {
    let name = yaml_str(&input.profile_name());
    Ok(format!(
        "contexts:\n  {name}:\n    type: APIKey\n    name: {name}\n    url: {}\n    token: {}\n    beta: false\n    onPrem: false\ncurrent-context: {name}\n",
        yaml_str(&host(input.account)),
        yaml_str(input.secret.expose()),
    ))
}

/// What the `codefresh` CLI and Terraform's Codefresh provider read.
fn env(input: &ExportInput<'_>) -> Result<String> {
    let secret = input.secret.expose();
    let vars = [
        ("CODEFRESH_API_KEY", secret.clone()),
        ("CODEFRESH_API_URL", api_url(input.account)),
        ("CF_API_KEY", secret.clone()),
        ("CF_URL", host(input.account)),
    ];
    Ok(export::env_file(input, vars.into()))
}

/// `.cfconfig` in place: the context whose token is the old key's (`<key id>.<secret>`) gets
/// the new token; other contexts stay as they are.
pub fn replace(input: &ReplaceInput<'_>) -> Result<Option<Replaced>> {
    let mut lines: Vec<String> = input.text.lines().map(str::to_string).collect();
    let prefix = format!("{}.", super::token_key_id(&input.old.id));
    let mut changed = Vec::new();
    for at in 0..lines.len() {
        if !yaml_value(&lines[at], "token").is_some_and(|t| t.starts_with(&prefix)) {
            continue;
        }
        let (_, name) = yaml_block(&lines, at);
        set_yaml(&mut lines, at, "token", input.new.secret.expose());
        changed.push(format!("context {}", name.unwrap_or_default()));
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
