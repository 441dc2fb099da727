//! Codefresh API keys ("tokens"): the client (`client.rs`), its JSON (`wire.rs`), its error
//! responses (`errors.rs`) and its files (`export.rs`).

mod client;
mod discover;
mod errors;
mod export;
mod extra;
mod keyref;
mod service_users;
mod terraform;
mod wire;

pub use client::CodefreshClient;
pub use extra::CodefreshExtra;
pub use keyref::token_key_id;

use super::{connect, Descriptor, FieldSpec, SandboxEntry, VendorId};
use crate::model::OwnerKind;
use crate::vendor::{Capabilities, OwnerField, ScopeOption, TextField};
use crate::vendor_fields::SECRET;

/// Codefresh SaaS; on-premises installations set their own in the account.
pub const DEFAULT_URL: &str = "https://g.codefresh.io/api";

const FIELDS: &[FieldSpec] = &[
    FieldSpec::required(
        SECRET,
        "API key",
        "A Codefresh API key, generated under User settings → API keys → Generate \
         (g.codefresh.io/user/settings). Codefresh shows it only once.",
    ),
    FieldSpec::optional(
        "base_url",
        "API URL",
        "Only for an on-premises installation: https://<your-host>/api. Leave empty for \
         Codefresh SaaS (https://g.codefresh.io/api).",
    ),
    FieldSpec::optional(
        "account_id",
        "Account ID",
        "Optional: the account the key should act in; Keyrack warns when the key's user is \
         not a member of it.",
    ),
];

pub static VENDOR: Descriptor = Descriptor {
    id: VendorId::Codefresh,
    key: "codefresh",
    name: "Codefresh",
    short_name: "Codefresh",
    capabilities,
    account_fields: FIELDS,
    connect: connect::<CodefreshClient>,
    sandbox: SandboxEntry {
        secret: "api_key",
        settings: &["account_id"],
    },
    formats: export::FORMATS,
    replace: export::replace,
    terraform: terraform::SPEC,
    local: discover::LOCAL,
    complete: super::nothing_to_complete,
};

/// Codefresh documents no name limit; this is Keyrack's own cap.
pub const NAME_MAX: usize = 256;

/// The scopes Codefresh's Terraform provider documents, with what each grants.
const SCOPES: [(&str, &str); 18] = [
    ("agent", "Codefresh Runner agents"),
    ("agents", "Codefresh Runner agents (plural form of `agent`)"),
    ("audit", "Read the account's audit log"),
    (
        "build",
        "Builds: view, restart and terminate builds and read their logs",
    ),
    ("cluster", "Kubernetes cluster integrations"),
    (
        "clusters",
        "Kubernetes cluster integrations (plural form of `cluster`)",
    ),
    ("environments-v2", "Environments dashboard"),
    ("github-action", "GitHub Actions used as pipeline steps"),
    ("helm", "Helm charts, repositories and releases"),
    ("kubernetes", "Kubernetes dashboard and services"),
    ("pipeline", "Pipelines: create, edit, run and delete"),
    ("project", "Projects that group pipelines"),
    ("repos", "Git repositories connected to the account"),
    ("runner-installation", "Install Codefresh Runners"),
    ("step-type", "Custom step types"),
    (
        "step-types",
        "Custom step types (plural form of `step-type`)",
    ),
    ("view", "Saved views"),
    (
        "workflow",
        "Workflows (builds) through the older workflow API",
    ),
];

pub fn capabilities() -> Capabilities {
    Capabilities {
        name: Some(TextField {
            required: true,
            max_len: NAME_MAX,
        }),
        scopes: SCOPES
            .iter()
            .map(|(id, description)| ScopeOption {
                id: id.to_string(),
                description: description.to_string(),
            })
            .collect(),
        owner: Some(OwnerField {
            label: "Owner".into(),
            kinds: vec![OwnerKind::User, OwnerKind::ServiceAccount],
            required: false,
            help: "A service user of the account (its id or name). Leave empty for the user \
                   whose API key the account uses."
                .into(),
        }),
        rename: true,
        update_scopes: true,
        delete: true,
        notes: vec![
            "Codefresh shows a key's token only once, when it is created.".into(),
            "Keys belong to the user whose API key the account uses or to one of the account's \
             service users, and act in the account that was active when they were created."
                .into(),
            "Only account admins can see and manage service users' keys.".into(),
            "Changing a key's scopes replaces them; the token itself stays the same.".into(),
            "Keys without scopes are older keys with full access; they are shown with the \
             scope `any`."
                .into(),
        ],
        ..Capabilities::new(VendorId::Codefresh, "API key", "Key ID")
    }
}
