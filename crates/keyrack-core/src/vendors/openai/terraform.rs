//! OpenAI project API keys and Terraform: no provider can adopt one. `jianyuan/openai` had an
//! `openai_project_api_key` until v0.2.0, addressed by the key's secret itself (import id
//! `<project>/<secret>`); it was removed when that provider moved to the Administration API,
//! and neither it nor `openai/openai` has a key resource now. The blocks are written commented
//! out, recording the key as that resource described it.

use super::record::Scoped;
use crate::export::terraform::{Adoption, Argument, ProviderSpec, Resource, TerraformSpec};
use crate::model::{KeyRecord, OwnerKind, VendorExtra};

pub const SPEC: TerraformSpec = TerraformSpec {
    provider: ProviderSpec {
        local_name: "openai",
        source: "jianyuan/openai",
    },
    adoption: Adoption::Impossible {
        reason: "no OpenAI provider has a resource for an existing project API key. \
                 jianyuan/openai's openai_project_api_key (until v0.2.0) imported a key only by \
                 its secret, which Keyrack never exports; current providers have no such \
                 resource.",
    },
    resource,
};

fn resource(record: &KeyRecord) -> Resource {
    let project = match &record.extra {
        VendorExtra::Openai(x) => x.project_id.clone(),
        _ => String::new(),
    };
    let mut arguments = vec![Argument::text("project_id", project.clone())];
    let mut notes = Vec::new();
    match &record.owner {
        Some(owner) if owner.kind == OwnerKind::ServiceAccount => {
            let bare = Scoped::parse(&owner.id, "owner", "service account")
                .map(|s| s.id)
                .unwrap_or_else(|_| owner.id.clone());
            arguments.push(Argument::text("service_account_id", bare));
            notes.push(format!(
                "Its service account can be imported instead: openai_project_service_account \
                 (openai/openai), id \"{}\".",
                owner.id
            ));
        }
        Some(owner) => arguments.push(Argument::omitted(
            "service_account_id",
            format!(
                "none: the key belongs to the user {}; the resource only made service account keys",
                owner.id
            ),
        )),
        None => {}
    }
    arguments.extend(Argument::text_if("name", record.name.as_deref()));
    arguments.push(Argument::omitted(
        "read_only, permissions",
        "not in the public Administration API Keyrack reads",
    ));
    Resource {
        kind: "openai_project_api_key",
        import_id: format!("{project}/<the key's secret: never exported>"),
        arguments,
        notes,
        ignore_changes: &[],
    }
}
