//! Codefresh's own file for a new API key — a `~/.cfconfig` context as the `codefresh` CLI
//! reads it — and the variables of a `.env`.

use super::DEFAULT_URL;
use crate::error::Result;
use crate::export::{self, yaml_str, ExportInput, FileRole};
use crate::model::Account;
use crate::vendors::FormatSpec;

pub const FORMATS: &[FormatSpec] = &[
    FormatSpec {
        id: "codefresh_cfconfig",
        label: ".cfconfig context (codefresh CLI)",
        file_name: ".cfconfig",
        native: true,
        role: FileRole::Secret,
        render: cfconfig,
    },
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
