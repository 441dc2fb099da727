//! Scaleway's `APIKey` object → Keyrack's `KeyRecord`. Scaleway keys have no name: the record's
//! `name` stays empty and the description is the label (`KeyRecord::display_name` falls back to it).

use chrono::{DateTime, Utc};

use super::wire::{parse_time, ApiKey};
use super::ScalewayExtra;
use crate::model::{KeyRecord, KeyStatus, Owner, OwnerKind, VendorExtra, VendorId};

pub fn to_record(account: &str, key: ApiKey, now: DateTime<Utc>) -> KeyRecord {
    let expires_at = parse_time(key.expires_at.as_deref());
    let owner = match (key.user_id, key.application_id) {
        (Some(id), _) => Some(Owner {
            kind: OwnerKind::User,
            id,
            name: None,
        }),
        (None, Some(id)) => Some(Owner {
            kind: OwnerKind::Application,
            id,
            name: None,
        }),
        (None, None) => None,
    };
    KeyRecord {
        vendor: VendorId::Scaleway,
        account: account.to_string(),
        id: key.access_key,
        name: None,
        description: key.description.filter(|d| !d.is_empty()),
        owner,
        created_at: parse_time(key.created_at.as_deref()),
        expires_at,
        last_used_at: None,
        status: KeyStatus::by_expiry(expires_at, now),
        locked: false,
        scopes: Vec::new(),
        secret_hint: None,
        permissions: None,
        kind_label: None,
        extra: VendorExtra::Scaleway(ScalewayExtra {
            default_project_id: key.default_project_id,
            editable: key.editable,
            deletable: key.deletable,
            managed: key.managed,
            creation_ip: key.creation_ip,
            updated_at: parse_time(key.updated_at.as_deref()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn bearer_becomes_the_owner_and_expiry_the_status() {
        let now = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
        let key: ApiKey = serde_json::from_value(serde_json::json!({
            "access_key": "SCWVVH9TE299J4XZE91E", "secret_key": null,
            "description": "ci-deploy", "expires_at": "2029-07-06T09:00:00Z",
            "application_id": "f46e8a03-0000-404d-b32e-de49bf92e066", "managed": false
        }))
        .unwrap();
        let r = to_record("acct", key, now);
        assert_eq!(r.id, "SCWVVH9TE299J4XZE91E");
        assert_eq!(r.name, None);
        assert_eq!(r.display_name(), "ci-deploy");
        assert_eq!(r.status, KeyStatus::Expired);
        let owner = r.owner.unwrap();
        assert_eq!(owner.kind, OwnerKind::Application);
        assert_eq!(owner.id, "f46e8a03-0000-404d-b32e-de49bf92e066");
    }
}
