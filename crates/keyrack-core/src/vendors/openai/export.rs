//! OpenAI has no file of its own for keys: its SDKs read `OPENAI_API_KEY` (and the project,
//! organization and base URL) from the environment, so the `.env` is its native format.

use super::DEFAULT_BASE_URL;
use crate::error::Result;
use crate::export::{self, ExportInput, FileRole};
use crate::vendors::{FormatSpec, VendorExtra};

pub const FORMATS: &[FormatSpec] = &[
    export::env_format(true, FileRole::Secret, env),
    export::json_format("openai-key.json"),
];

fn env(input: &ExportInput<'_>) -> Result<String> {
    let s = &input.account.settings;
    // An admin key goes by the name the official tools read it from, and has no project.
    let admin = super::admin::admin_id(&input.record.id).is_some();
    let var = if admin {
        "OPENAI_ADMIN_KEY"
    } else {
        "OPENAI_API_KEY"
    };
    let mut vars = vec![(var, input.secret.expose().clone())];
    if let VendorExtra::Openai(extra) = &input.record.extra {
        if !extra.project_id.is_empty() {
            vars.push(("OPENAI_PROJECT_ID", extra.project_id.clone()));
        }
    }
    if let Some(org) = &s.organization_id {
        vars.push(("OPENAI_ORG_ID", org.clone()));
    }
    if let Some(url) = s.base_url.as_deref().filter(|u| *u != DEFAULT_BASE_URL) {
        vars.push(("OPENAI_BASE_URL", url.to_string()));
    }
    Ok(export::env_file(input, vars))
}
