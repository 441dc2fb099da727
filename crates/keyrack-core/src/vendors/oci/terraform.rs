//! OCI API signing keys in the `oracle/oci` provider: `oci_identity_api_key`, imported as
//! `users/{userId}/apiKeys/{fingerprint}`. It takes the user and the public key (`key_value`),
//! both required, and changing either replaces the key. The inventory does not hold the public
//! key, so the resource reads it from a file next to the configuration that the user fills in:
//! until then `terraform plan` stops on the missing file, and never plans a replacement.

use crate::export::terraform::{
    path_segment, Adoption, Argument, ProviderSpec, Resource, TerraformSpec,
};
use crate::model::{KeyRecord, VendorExtra};

pub const SPEC: TerraformSpec = TerraformSpec {
    provider: ProviderSpec {
        local_name: "oci",
        source: "oracle/oci",
    },
    adoption: Adoption::Import,
    resource,
};

fn resource(record: &KeyRecord) -> Resource {
    let (user, state) = match &record.extra {
        VendorExtra::Oci(x) => (x.user_id.clone(), Some(x.lifecycle_state.as_str())),
        _ => (
            record
                .owner
                .as_ref()
                .map(|o| o.id.clone())
                .unwrap_or_default(),
            None,
        ),
    };
    // `KeyRecord.id` is the fingerprint, after `<user OCID>/` for another user's key.
    let fingerprint = record.id.rsplit('/').next().unwrap_or(&record.id);
    let key_file = format!("public-keys/{}.pem", fingerprint.replace(':', ""));
    let mut notes = vec![format!(
        "key_value: save the public key (PEM) with this fingerprint as {key_file} next to this \
         file: Keyrack's inventory does not hold it. The OCI Console shows it under Identity → \
         Users → the user → API keys; `oci iam user api-key list --user-id <user OCID>` prints \
         it too. A different key there would replace the key."
    )];
    if let Some(state) = state.filter(|s| *s != "ACTIVE") {
        notes.push(format!("Its state at OCI is {state}."));
    }
    Resource {
        kind: "oci_identity_api_key",
        import_id: format!(
            "users/{}/apiKeys/{}",
            path_segment(&user),
            path_segment(fingerprint)
        ),
        arguments: vec![
            Argument::text("user_id", user),
            Argument::module_file("key_value", key_file),
        ],
        notes,
        ignore_changes: &[],
    }
}
