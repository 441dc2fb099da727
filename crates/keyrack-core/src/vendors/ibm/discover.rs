//! An account from the variable the `ibmcloud` CLI and IBM's SDKs read: `IBMCLOUD_API_KEY`.

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
    let Some(key) = env.var("IBMCLOUD_API_KEY") else {
        return Vec::new();
    };
    vec![Ok(Found {
        vendor: VendorId::Ibm,
        via: Via::Environment,
        profile: None,
        name: "ibm environment".into(),
        source: "environment (IBMCLOUD_API_KEY)".into(),
        settings: AccountSettings::default(),
        credential: Credential::new(key),
    })]
}
