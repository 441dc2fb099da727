//! Scaleway IAM API keys: the client (`client.rs`), its JSON (`wire.rs`), error bodies
//! (`errors.rs`) and the mapping to Keyrack's records (`record.rs`).
//!
//! Scaleway keys have a description but no name. Keyrack does not invent one: `name` is not
//! offered (`Capabilities::name` is `None`, records carry `name: None`), and the description is
//! the key's label everywhere (`KeyRecord::display_name` falls back to it).

mod client;
mod discover;
mod errors;
mod export;
mod extra;
mod record;
mod terraform;
mod wire;

pub use client::ScalewayClient;
pub use extra::ScalewayExtra;

use super::{connect, Descriptor, FieldSpec, SandboxEntry, VendorId};
use crate::model::OwnerKind;
use crate::vendor::{Capabilities, OwnerField, TextField};
use crate::vendor_fields::SECRET;

pub const DEFAULT_URL: &str = "https://api.scaleway.com";

const FIELDS: &[FieldSpec] = &[
    FieldSpec::required(
        "access_key",
        "Access key",
        "The access key (SCW…) of an API key whose bearer may manage IAM API keys. Create the \
         key in the Scaleway console under Organization → IAM → API keys → Generate API key.",
    ),
    FieldSpec::required(
        SECRET,
        "Secret key",
        "The secret key (a UUID) shown next to the access key when the API key is generated. \
         Scaleway shows it only once.",
    ),
    FieldSpec::optional(
        "organization_id",
        "Organization ID",
        "Shown in the console under Organization settings (Organization ID). Leave empty to \
         use the organization of the API key.",
    ),
    FieldSpec::optional(
        "project_id",
        "Default project ID",
        "Optional: the project new keys use by default (Project dashboard → Settings → \
         Project ID). Without one, Scaleway uses the organization's default project.",
    ),
];

pub static VENDOR: Descriptor = Descriptor {
    id: VendorId::Scaleway,
    key: "scaleway",
    name: "Scaleway",
    short_name: "Scaleway",
    capabilities,
    account_fields: FIELDS,
    connect: connect::<ScalewayClient>,
    sandbox: SandboxEntry {
        secret: "secret_key",
        settings: &["access_key", "organization_id", "project_id"],
    },
    formats: export::FORMATS,
    replace: export::replace,
    terraform: terraform::SPEC,
    local: discover::LOCAL,
    complete: super::nothing_to_complete,
};

/// Documented maximum of `description`.
pub const DESCRIPTION_MAX: usize = 200;
/// A project id is a UUID.
const PROJECT_ID_LEN: usize = 36;

pub fn capabilities() -> Capabilities {
    Capabilities {
        description: Some(TextField {
            required: false,
            max_len: DESCRIPTION_MAX,
        }),
        expiry: true,
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
        update_description: true,
        update_project: true,
        update_expiry: true,
        delete: true,
        notes: vec![
            "Scaleway API keys have no name: the description (up to 200 characters) is the \
             key's label."
                .into(),
            "Scaleway shows the secret key only once, when it is created.".into(),
            "The default project is the one Object Storage uses with the key; without one, \
             Scaleway uses the organization's default project."
                .into(),
            "Keys managed by Scaleway products cannot be edited or deleted.".into(),
            "An expiry date can be moved to another future date, but not removed.".into(),
        ],
        ..Capabilities::new(VendorId::Scaleway, "API key", "Access key")
    }
}
