//! OpenAI: project API keys through the public Administration API (`/v1/organization/…`),
//! authenticated with an organization admin key (`Authorization: Bearer sk-admin-…`, plus
//! `OpenAI-Organization` when the account names one).
//!
//! - List: every active project's keys (`owner_project_access=any`), paged with `limit` and
//!   `after` to the end. Keys are owned by a user or a service account.
//! - Create: a new service account in the chosen project, whose first key OpenAI returns once;
//!   or another key on an existing service account (`NewKey.owner`). User-owned keys can only
//!   be made in the dashboard.
//! - Delete: revokes one key; when it was a service account's last key, `DeleteOutcome` offers
//!   to delete the service account too (`delete_owner`).
//! - Ids: OpenAI addresses keys and service accounts inside a project, so `KeyRecord.id` is
//!   `<project_id>/<key_id>` and a service account's `Owner.id` is
//!   `<project_id>/<service_account_id>` (see `record.rs`). A bare `key_…` id is looked up in
//!   every project.
//! - Permissions: all / read only / per resource, as the key's `scopes` (`permissions.rs`), set
//!   when a key is added to a service account and changed with the key update (K4), which also
//!   moves the expiry.
//! - Admin keys of the organization (`/organization/admin_api_keys`) are listed beside the
//!   project keys with the kind label "Admin key", created for owner `admin`, and
//!   deleted like the others.
//! - Not here: renaming (the public API cannot).

mod admin;
mod client;
mod create;
mod discover;
mod errors;
mod export;
mod extra;
pub mod permissions;
pub mod record;
mod terraform;
pub mod wire;

pub use client::OpenAiClient;
pub use create::ADMIN_OWNER;
pub use extra::OpenaiExtra;

use super::{connect, Descriptor, FieldSpec, SandboxEntry, VendorId};
use crate::model::OwnerKind;
use crate::vendor::{Capabilities, OwnerField, TextField};
use crate::vendor_fields::SECRET;

pub const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";

const FIELDS: &[FieldSpec] = &[
    FieldSpec::required(
        SECRET,
        "Admin key",
        "An organization admin key (sk-admin-…), created by an organization owner at \
         platform.openai.com/settings/organization/admin-keys. Project keys cannot manage \
         keys. OpenAI shows the key only once.",
    ),
    FieldSpec::optional(
        "organization_id",
        "Organization ID",
        "org-… from platform.openai.com/settings/organization/general. Leave empty for the \
         admin key's organization.",
    ),
    FieldSpec::optional(
        "project_id",
        "Default project ID",
        "Optional: proj_… of the project new keys go to by default \
         (platform.openai.com/settings/organization/projects).",
    ),
];

pub static VENDOR: Descriptor = Descriptor {
    id: VendorId::Openai,
    key: "openai",
    name: "OpenAI",
    short_name: "OpenAI",
    capabilities,
    account_fields: FIELDS,
    connect: connect::<OpenAiClient>,
    sandbox: SandboxEntry {
        secret: "admin_key",
        settings: &["organization_id", "project_id"],
    },
    formats: export::FORMATS,
    replace: crate::export::replace::none,
    terraform: terraform::SPEC,
    local: discover::LOCAL,
    complete: super::nothing_to_complete,
};

pub fn capabilities() -> Capabilities {
    Capabilities {
        name: Some(TextField {
            required: true,
            max_len: 256,
        }),
        expiry: true,
        owner: Some(OwnerField {
            label: "Service account".into(),
            // `Other` is the admin key's choice (owner `admin`): a user-owned project key is
            // not a kind Keyrack can make, so `User` stays out (see `attention::rotatable`).
            kinds: vec![OwnerKind::ServiceAccount, OwnerKind::Other],
            required: false,
            help: "Leave empty to create a new service account with this name (its key is the \
                   new key); choose an existing service account to add another key to it, or \
                   \"Organization admin key\" (owner `admin`) for an admin key owned by you \
                   (it belongs to no project)."
                .into(),
        }),
        // Admin keys have none: the client lets them leave it out.
        project: Some(TextField {
            required: true,
            max_len: 128,
        }),
        project_label: Some("Project".into()),
        delete: true,
        notes: vec![
            "Keys are made for service accounts: a new service account per key, or another key \
             on an existing one. User-owned keys can only be created in the OpenAI dashboard."
                .into(),
            "Permissions (all, read only, or per resource) become the key's scopes; the public \
             Admin API cannot rename keys."
                .into(),
            "Admin keys are listed beside project keys, marked \"Admin key\"; they cannot be \
             edited."
                .into(),
            "Deleting a service account's last key leaves the service account; Keyrack offers to \
             delete it too."
                .into(),
            "Keys of archived projects are hidden unless asked for (keyrack keys list \
             --include-archived), and shown as inactive."
                .into(),
        ],
        reports_last_use: true,
        permissions: Some(permissions::spec()),
        update_permissions: true,
        update_expiry: true,
        ..Capabilities::new(VendorId::Openai, "project API key", "Key ID")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendor::SecretSource;

    #[test]
    fn capabilities_offer_only_what_the_public_api_does() {
        let caps = capabilities();
        assert!(caps.name.as_ref().is_some_and(|n| n.required));
        assert!(caps.project.as_ref().is_some_and(|p| p.required));
        assert!(!caps.rename && !caps.update_scopes && !caps.lock && caps.delete);
        assert!(caps.update_permissions && caps.update_expiry && !caps.remove_expiry);
        assert_eq!(caps.permissions.as_ref().unwrap().resources.len(), 6);
        assert!(caps.scopes.is_empty());
        assert_eq!(caps.secret_source, SecretSource::ServerIssued);
        assert!(caps.notes.iter().any(|n| n.contains("Admin key")));
    }
}
