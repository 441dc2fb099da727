//! Codefresh API keys and the `codefresh-io/codefresh` provider: `codefresh_api_key` takes a
//! name, scopes and its owner (a `user_id` with its `account_id`, or a `service_account_id`),
//! and imports by the key's id — but it reads a key back with the key's own token, which only
//! the state of a key Terraform created holds. An imported key has none, so its refresh fails:
//! the blocks are written commented out.

use crate::export::terraform::{Adoption, Argument, ProviderSpec, Resource, TerraformSpec};
use crate::model::{KeyRecord, OwnerKind};

pub const SPEC: TerraformSpec = TerraformSpec {
    provider: ProviderSpec {
        local_name: "codefresh",
        source: "codefresh-io/codefresh",
    },
    adoption: Adoption::Impossible {
        reason: "codefresh_api_key reads a key back with the key's own token, which only the \
                 state of a key Terraform created holds; an imported key has no token, so \
                 `terraform plan` would fail to refresh it (\"Token is empty\").",
    },
    resource,
};

/// What Keyrack shows for a key listed without scopes.
const LEGACY_SCOPE: &str = "any";

fn resource(record: &KeyRecord) -> Resource {
    let mut arguments = vec![Argument::text(
        "name",
        record.name.clone().unwrap_or_default(),
    )];
    if record.scopes.is_empty() || record.scopes == [LEGACY_SCOPE] {
        arguments.push(Argument::omitted(
            "scopes",
            "none: an older key with full access",
        ));
    } else {
        arguments.push(Argument::list("scopes", record.scopes.clone()));
    }
    match &record.owner {
        Some(owner) if owner.kind == OwnerKind::User => {
            arguments.push(Argument::text("user_id", owner.id.clone()));
            arguments.push(Argument::omitted(
                "account_id",
                "required with user_id: the Codefresh account the key acts in",
            ));
        }
        Some(owner) => arguments.push(Argument::text("service_account_id", owner.id.clone())),
        None => {}
    }
    arguments.push(Argument::omitted(
        "token",
        "computed when a key is created; never exported",
    ));
    Resource {
        kind: "codefresh_api_key",
        import_id: super::token_key_id(&record.id).to_string(),
        arguments,
        notes: Vec::new(),
        ignore_changes: &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::terraform::Value;
    use crate::model::Owner;
    use crate::vendors::codefresh::CodefreshExtra;
    use crate::VendorExtra;

    /// A service user's key: imported by Codefresh's own key id, owned by `service_account_id`.
    #[test]
    fn a_service_users_key_names_its_service_account() {
        let mut record = crate::test_support::key_record(
            "su1/k1",
            VendorExtra::Codefresh(CodefreshExtra::default()),
        );
        record.owner = Some(Owner {
            kind: OwnerKind::ServiceAccount,
            id: "su1".into(),
            name: Some("ci-bot".into()),
        });
        record.scopes = vec!["pipeline".into()];
        let r = resource(&record);
        assert_eq!(r.import_id, "k1");
        let owner = r
            .arguments
            .iter()
            .find(|a| a.name == "service_account_id")
            .unwrap();
        assert_eq!(owner.value, Value::Text("su1".into()));
        assert!(r.arguments.iter().all(|a| a.name != "user_id"));
    }
}
