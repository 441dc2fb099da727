//! Codefresh API keys ("tokens"): the client (`client.rs`) and its JSON (`wire.rs`).

mod client;
mod wire;

pub use client::{CodefreshClient, DEFAULT_URL};

use crate::model::VendorId;
use crate::vendor::{Capabilities, ScopeOption, SecretSource, TextField};

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
        vendor: VendorId::Codefresh,
        vendor_name: VendorId::Codefresh.display_name().to_string(),
        key_noun: "API key".into(),
        id_label: "Key ID".into(),
        name: Some(TextField {
            required: true,
            max_len: NAME_MAX,
        }),
        description: None,
        expiry: false,
        scopes: SCOPES
            .iter()
            .map(|(id, description)| ScopeOption {
                id: id.to_string(),
                description: description.to_string(),
            })
            .collect(),
        owner: None,
        project: None,
        project_label: None,
        lock_on_create: false,
        disable_on_create: false,
        leak_actions: Vec::new(),
        rename: true,
        update_description: false,
        update_scopes: true,
        update_project: false,
        lock: false,
        disable: false,
        delete: true,
        max_keys_per_owner: None,
        secret_source: SecretSource::ServerIssued,
        upload_public_key: false,
        notes: vec![
            "Codefresh shows a key's token only once, when it is created.".into(),
            "Keys belong to the user whose API key the account uses, and act in the account \
             that was active when they were created."
                .into(),
            "Changing a key's scopes replaces them; the token itself stays the same.".into(),
            "Keys without scopes are older keys with full access; they are shown with the \
             scope `any`."
                .into(),
        ],
    }
}
