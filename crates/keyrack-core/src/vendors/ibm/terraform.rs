//! IBM Cloud keys in the `IBM-Cloud/ibm` provider. A user's key is an `ibm_iam_api_key`, whose
//! owner (`iam_id`) is computed: the provider makes such keys for its own identity. A service
//! ID's key is an `ibm_iam_service_api_key`, whose `iam_service_id` names the service ID. Both
//! import by the key's id (`ApiKey-…`) and read its name, description and expiry back; the
//! expiry in IBM's own form, `yyyy-MM-ddTHH:mm+0000`.

use chrono::{DateTime, Utc};

use crate::export::terraform::{Adoption, Argument, ProviderSpec, Resource, TerraformSpec};
use crate::model::{KeyRecord, KeyStatus, OwnerKind};

pub const SPEC: TerraformSpec = TerraformSpec {
    provider: ProviderSpec {
        local_name: "ibm",
        source: "IBM-Cloud/ibm",
    },
    adoption: Adoption::Import,
    resource,
};

const CREATE_ONLY: &str = "only used when a key is created; the key's secret is never exported";

fn resource(record: &KeyRecord) -> Resource {
    let service_id = record
        .owner
        .as_ref()
        .filter(|o| o.kind == OwnerKind::ServiceId);
    let mut arguments = vec![Argument::text(
        "name",
        record.name.clone().unwrap_or_default(),
    )];
    arguments.extend(Argument::text_if(
        "description",
        record.description.as_deref(),
    ));
    if let Some(owner) = service_id {
        arguments.push(Argument::text("iam_service_id", owner.id.clone()));
    }
    if let Some(t) = record.expires_at {
        arguments.push(Argument::text("expires_at", ibm_time(t)));
    }
    let mut notes = Vec::new();
    if record.locked {
        notes.push(
            "Locked at IBM: Terraform cannot change or delete it until it is unlocked.".to_string(),
        );
    }
    if record.status == KeyStatus::Disabled {
        notes.push("Disabled at IBM; the provider does not manage that state.".to_string());
    }
    let (kind, ignore_changes): (&'static str, &'static [&'static str]) = match service_id {
        Some(_) => {
            arguments.push(Argument::omitted(
                "apikey, store_value, locked, file",
                CREATE_ONLY,
            ));
            ("ibm_iam_service_api_key", &[])
        }
        None => {
            if let Some(owner) = &record.owner {
                arguments.push(Argument::omitted(
                    "iam_id",
                    format!(
                        "{} (computed: the provider creates user keys for its own identity)",
                        owner.id
                    ),
                ));
            }
            arguments.push(Argument::omitted(
                "apikey, store_value, entity_lock, file",
                CREATE_ONLY,
            ));
            // `entity_lock` defaults to "false" but is never read back: an import would always
            // plan to change it.
            ("ibm_iam_api_key", &["entity_lock"])
        }
    };
    Resource {
        kind,
        import_id: record.id.clone(),
        arguments,
        notes,
        ignore_changes,
    }
}

/// IBM's form for times, as the provider writes `expires_at` into its state.
fn ibm_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M+0000").to_string()
}
