//! IBM Cloud IAM Identity API keys: token exchange (`token.rs`), the `/v1/apikeys` client
//! (`client.rs`), its JSON (`wire.rs`) and the mapping to Keyrack's records (`record.rs`).

mod activity_report;
mod client;
mod discover;
mod errors;
mod export;
mod extra;
mod record;
mod terraform;
mod token;
mod wire;

pub use client::IbmClient;
pub use extra::IbmExtra;

use super::{connect, Descriptor, FieldSpec, SandboxEntry, VendorId};
use crate::model::OwnerKind;
use crate::vendor::{Capabilities, OwnerField, TextField};
use crate::vendor_fields::SECRET;

/// The public IAM endpoint: both the token exchange and the API keys API.
pub const DEFAULT_URL: &str = "https://iam.cloud.ibm.com";

const FIELDS: &[FieldSpec] = &[
    FieldSpec::required(
        SECRET,
        "API key",
        "An IBM Cloud API key of a user or service ID that may manage API keys. Create one in \
         the console under Manage → Access (IAM) → API keys → Create, or with \
         `ibmcloud iam api-key-create NAME`. IBM shows the key only once.",
    ),
    FieldSpec::optional(
        "account_id",
        "Account ID",
        "The 32-character account ID, shown by `ibmcloud target` and in the console under \
         Manage → Account → Account settings. Leave empty to use the account the API key \
         belongs to.",
    ),
    FieldSpec::optional(
        "iam_id",
        "IAM ID",
        "The identity whose keys to manage: a user's IBMid-… or a service ID's \
         iam-ServiceId-… (Manage → Access (IAM) → Users or Service IDs → Details). Leave empty \
         for the API key's own identity.",
    ),
];

pub static VENDOR: Descriptor = Descriptor {
    id: VendorId::Ibm,
    key: "ibm",
    name: "IBM Cloud",
    short_name: "IBM Cloud",
    capabilities,
    account_fields: FIELDS,
    connect: connect::<IbmClient>,
    sandbox: SandboxEntry {
        secret: "api_key",
        // No iam_id: the sandbox admin sees every key in the account, users' and service IDs'
        // alike, as an account admin does in the console.
        settings: &["iam_url", "account_id"],
    },
    formats: export::FORMATS,
    replace: export::replace,
    terraform: terraform::SPEC,
    local: discover::LOCAL,
    complete: super::nothing_to_complete,
};

/// IBM documents no length limit for names or descriptions; these are Keyrack's own caps, so
/// that a form cannot send something absurd.
pub const NAME_MAX: usize = 240;
pub const DESCRIPTION_MAX: usize = 1024;

pub fn capabilities() -> Capabilities {
    Capabilities {
        name: Some(TextField {
            required: true,
            max_len: NAME_MAX,
        }),
        description: Some(TextField {
            required: false,
            max_len: DESCRIPTION_MAX,
        }),
        expiry: true,
        owner: Some(OwnerField {
            label: "IAM identity".into(),
            kinds: vec![OwnerKind::User, OwnerKind::ServiceId],
            required: false,
            help: "The iam_id of a user (IBMid-…) or a service ID (iam-ServiceId-…). Leave \
                   empty for the identity the account's API key belongs to."
                .into(),
        }),
        lock_on_create: true,
        disable_on_create: true,
        leak_actions: vec!["none".into(), "disable".into(), "delete".into()],
        support_sessions: true,
        rename: true,
        update_description: true,
        update_expiry: true,
        remove_expiry: true,
        update_leak_action: true,
        lock: true,
        disable: true,
        delete: true,
        // No max_keys_per_owner: IBM enforces a per-identity limit (commonly 20) that only its
        // limits endpoint states.
        notes: vec![
            "IBM Cloud shows an API key's value only once, when it is created.".into(),
            "A locked key cannot be edited or deleted until it is unlocked.".into(),
            "Disabling or deleting a key does not end IAM tokens already issued with it; they \
             stay valid until they expire (at most an hour)."
                .into(),
            "Expiry dates are kept to the minute.".into(),
            "Support sessions apply to users' API keys only, not to service IDs'.".into(),
        ],
        ..Capabilities::new(VendorId::Ibm, "API key", "API key ID")
    }
}
