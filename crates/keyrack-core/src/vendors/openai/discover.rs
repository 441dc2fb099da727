//! An account from `OPENAI_ADMIN_KEY` (the variable OpenAI's Admin API examples use), with the
//! organization of `OPENAI_ORG_ID` as the SDKs read it.

use crate::accounts::discover::{Discovered, Env, Found, Via};
use crate::model::{AccountSettings, Credential, VendorId};
use crate::vendors::LocalFiles;

/// What the vendor's own tools keep on this computer.
pub const LOCAL: LocalFiles = LocalFiles {
    discover,
    tool_files: crate::vendors::no_tool_files,
    profile_file: None,
};

pub fn discover(env: &Env) -> Vec<Discovered> {
    let Some(key) = env.var("OPENAI_ADMIN_KEY") else {
        return Vec::new();
    };
    vec![Ok(Found {
        vendor: VendorId::Openai,
        via: Via::Environment,
        profile: None,
        name: "openai environment".into(),
        source: "environment (OPENAI_ADMIN_KEY)".into(),
        settings: AccountSettings {
            organization_id: env.var("OPENAI_ORG_ID").map(str::to_string),
            ..AccountSettings::default()
        },
        credential: Credential::new(key),
    })]
}
