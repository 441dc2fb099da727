//! Scaleway IAM API keys: the client (`client.rs`), its JSON (`wire.rs`), error bodies
//! (`errors.rs`) and the mapping to Keyrack's records (`record.rs`).
//!
//! Scaleway keys have a description but no name. Keyrack does not invent one: `name` is not
//! offered (`Capabilities::name` is `None`, records carry `name: None`), and the description is
//! the key's label everywhere (`KeyRecord::display_name` falls back to it).

mod client;
mod errors;
mod record;
mod wire;

pub use client::{ScalewayClient, DEFAULT_URL};

use crate::model::{OwnerKind, VendorId};
use crate::vendor::{Capabilities, OwnerField, SecretSource, TextField};

/// Documented maximum of `description`.
pub const DESCRIPTION_MAX: usize = 200;
/// A project id is a UUID.
const PROJECT_ID_LEN: usize = 36;

pub fn capabilities() -> Capabilities {
    Capabilities {
        vendor: VendorId::Scaleway,
        vendor_name: VendorId::Scaleway.display_name().to_string(),
        key_noun: "API key".into(),
        id_label: "Access key".into(),
        name: None,
        description: Some(TextField {
            required: false,
            max_len: DESCRIPTION_MAX,
        }),
        expiry: true,
        scopes: Vec::new(),
        owner: Some(OwnerField {
            label: "User or application".into(),
            kinds: vec![OwnerKind::User, OwnerKind::Application],
            required: true,
            help: "The key's bearer: a user of the organization, or an application (a machine \
                   identity). The key gets the bearer's permissions."
                .into(),
        }),
        project: Some(TextField {
            required: false,
            max_len: PROJECT_ID_LEN,
        }),
        project_label: Some("Default project".into()),
        lock_on_create: false,
        disable_on_create: false,
        leak_actions: Vec::new(),
        rename: false,
        update_description: true,
        update_scopes: false,
        update_project: true,
        lock: false,
        disable: false,
        delete: true,
        max_keys_per_owner: None,
        secret_source: SecretSource::ServerIssued,
        upload_public_key: false,
        notes: vec![
            "Scaleway API keys have no name: the description (up to 200 characters) is the \
             key's label."
                .into(),
            "Scaleway shows the secret key only once, when it is created.".into(),
            "The default project is the one Object Storage uses with the key; without one, \
             Scaleway uses the organization's default project."
                .into(),
            "Keys managed by Scaleway products cannot be edited or deleted.".into(),
        ],
    }
}
