//! IBM's `APIKey` object → Keyrack's `KeyRecord`.

use chrono::{DateTime, Utc};

use super::wire::{parse_time, ApiKey};
use super::IbmExtra;
use crate::model::{KeyRecord, KeyStatus, Owner, OwnerKind, VendorExtra, VendorId};

/// Service IDs' IAM ids carry this prefix; users' are `IBMid-…` (or another user realm).
pub const SERVICE_ID_PREFIX: &str = "iam-ServiceId-";

pub fn owner_kind(iam_id: &str) -> OwnerKind {
    if iam_id.starts_with(SERVICE_ID_PREFIX) {
        OwnerKind::ServiceId
    } else {
        OwnerKind::User
    }
}

pub fn to_record(account: &str, key: ApiKey, now: DateTime<Utc>) -> KeyRecord {
    let expires_at = parse_time(key.expires_at.as_deref());
    let status = if key.disabled == Some(true) {
        KeyStatus::Disabled
    } else {
        KeyStatus::by_expiry(expires_at, now)
    };
    KeyRecord {
        vendor: VendorId::Ibm,
        account: account.to_string(),
        owner: key.iam_id.as_ref().map(|id| Owner {
            kind: owner_kind(id),
            id: id.clone(),
            name: None,
        }),
        name: key.name,
        description: key.description.filter(|d| !d.is_empty()),
        created_at: parse_time(key.created_at.as_deref()),
        expires_at,
        last_used_at: key
            .activity
            .as_ref()
            .and_then(|a| parse_time(a.last_authn.as_deref())),
        status,
        locked: key.locked,
        scopes: Vec::new(),
        secret_hint: None,
        permissions: None,
        kind_label: None,
        extra: VendorExtra::Ibm(IbmExtra {
            crn: key.crn,
            entity_tag: key.entity_tag,
            iam_id: key.iam_id,
            account_id: key.account_id,
            action_when_leaked: key.action_when_leaked,
            support_sessions: key.support_sessions,
            modified_at: parse_time(key.modified_at.as_deref()),
        }),
        id: key.id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn key(json: serde_json::Value) -> ApiKey {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn status_and_owner_come_from_the_object() {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let r = to_record(
            "acct",
            key(serde_json::json!({
                "id": "ApiKey-1", "name": "n", "locked": true, "disabled": false,
                "iam_id": "iam-ServiceId-11111111-2222-3333-4444-555555555555",
                "expires_at": "2025-12-31T23:59+0000", "description": ""
            })),
            now,
        );
        assert_eq!(r.status, KeyStatus::Expired);
        assert!(r.locked);
        assert_eq!(r.owner.unwrap().kind, OwnerKind::ServiceId);
        assert_eq!(r.description, None);
        assert_eq!(r.account, "acct");

        let r = to_record(
            "acct",
            key(serde_json::json!({"id": "ApiKey-2", "disabled": true, "iam_id": "IBMid-1"})),
            now,
        );
        assert_eq!(r.status, KeyStatus::Disabled);
        assert_eq!(r.owner.unwrap().kind, OwnerKind::User);
    }
}
