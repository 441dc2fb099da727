//! IBM Cloud IAM Identity API keys: token exchange (`token.rs`), the `/v1/apikeys` client
//! (`client.rs`), its JSON (`wire.rs`) and the mapping to Keyrack's records (`record.rs`).

mod client;
mod record;
mod token;
mod wire;

pub use client::{IbmClient, DEFAULT_URL};

use crate::model::{OwnerKind, VendorId};
use crate::vendor::{Capabilities, OwnerField, SecretSource, TextField};

/// IBM documents no length limit for names or descriptions; these are Keyrack's own caps, so
/// that a form cannot send something absurd.
pub const NAME_MAX: usize = 240;
pub const DESCRIPTION_MAX: usize = 1024;

pub fn capabilities() -> Capabilities {
    Capabilities {
        vendor: VendorId::Ibm,
        vendor_name: VendorId::Ibm.display_name().to_string(),
        key_noun: "API key".into(),
        id_label: "API key ID".into(),
        name: Some(TextField {
            required: true,
            max_len: NAME_MAX,
        }),
        description: Some(TextField {
            required: false,
            max_len: DESCRIPTION_MAX,
        }),
        expiry: true,
        scopes: Vec::new(),
        owner: Some(OwnerField {
            label: "IAM identity".into(),
            kinds: vec![OwnerKind::User, OwnerKind::ServiceId],
            required: false,
            help: "The iam_id of a user (IBMid-…) or a service ID (iam-ServiceId-…). Leave \
                   empty for the identity the account's API key belongs to."
                .into(),
        }),
        project: None,
        project_label: None,
        lock_on_create: true,
        disable_on_create: true,
        leak_actions: vec!["none".into(), "disable".into(), "delete".into()],
        rename: true,
        update_description: true,
        update_scopes: false,
        update_project: false,
        lock: true,
        disable: true,
        delete: true,
        // IBM enforces a per-identity limit (commonly 20) that only its limits endpoint states.
        max_keys_per_owner: None,
        secret_source: SecretSource::ServerIssued,
        upload_public_key: false,
        notes: vec![
            "IBM Cloud shows an API key's value only once, when it is created.".into(),
            "A locked key cannot be edited or deleted until it is unlocked.".into(),
            "Disabling or deleting a key does not end IAM tokens already issued with it; they \
             stay valid until they expire (at most an hour)."
                .into(),
            "Expiry dates are kept to the minute.".into(),
        ],
    }
}
