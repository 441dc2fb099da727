//! Scaleway keys in the `scaleway/scaleway` provider: `scaleway_iam_api_key`, imported by its
//! access key. Its bearer is a `user_id` or an `application_id` (one of them), and it reads the
//! description, default project and expiry (RFC 3339) back. Changing the expiry or the
//! application replaces the key.

use crate::export::terraform::{Adoption, Argument, ProviderSpec, Resource, TerraformSpec};
use crate::model::{KeyRecord, OwnerKind, VendorExtra};

pub const SPEC: TerraformSpec = TerraformSpec {
    provider: ProviderSpec {
        local_name: "scaleway",
        source: "scaleway/scaleway",
    },
    adoption: Adoption::Import,
    resource,
};

fn resource(record: &KeyRecord) -> Resource {
    let extra = match &record.extra {
        VendorExtra::Scaleway(extra) => Some(extra),
        _ => None,
    };
    let mut arguments: Vec<Argument> = Vec::new();
    arguments.extend(Argument::text_if(
        "description",
        record.description.as_deref(),
    ));
    if let Some(owner) = &record.owner {
        match owner.kind {
            OwnerKind::Application => {
                arguments.push(Argument::text("application_id", owner.id.clone()))
            }
            _ => arguments.push(Argument::text("user_id", owner.id.clone())),
        }
    }
    arguments.extend(Argument::text_if(
        "default_project_id",
        extra.and_then(|x| x.default_project_id.as_deref()),
    ));
    if let Some(t) = record.expires_at {
        arguments.push(Argument::text(
            "expires_at",
            t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ));
    }
    arguments.push(Argument::omitted(
        "secret_key",
        "computed when a key is created; never exported",
    ));

    let mut notes = Vec::new();
    if let Some(x) = extra {
        if x.managed == Some(true) {
            notes.push(
                "Managed by Scaleway for one of its products: better left out of Terraform."
                    .to_string(),
            );
        }
        if x.editable == Some(false) {
            notes.push("Scaleway marks it not editable: Terraform cannot change it.".to_string());
        }
        if x.deletable == Some(false) {
            notes.push("Scaleway marks it not deletable: Terraform cannot delete it.".to_string());
        }
    }
    if record.expires_at.is_some() {
        notes.push("Changing expires_at replaces the key with a new one.".to_string());
    }
    Resource {
        kind: "scaleway_iam_api_key",
        import_id: record.id.clone(),
        arguments,
        notes,
        ignore_changes: &[],
    }
}
