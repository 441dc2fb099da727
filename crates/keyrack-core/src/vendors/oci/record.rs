//! From OCI `ApiKey`s to `KeyRecord`s, and back from a `KeyRecord.id` to the key's address.
//!
//! An OCI key is addressed by (user OCID, fingerprint); there is no key OCID. `KeyRecord.id` is
//! the bare fingerprint for the account's own user (what the console shows), and
//! `<user OCID>/<fingerprint>` for another user's key. `get`/`delete` also accept OCI's full
//! keyId, `<tenancy>/<user>/<fingerprint>`.

use chrono::{DateTime, NaiveDateTime, Utc};

use super::keypair::is_fingerprint;
use super::wire::ApiKey;
use super::OciExtra;
use crate::error::{Error, Result};
use crate::model::{KeyRecord, KeyStatus, Owner, OwnerKind, VendorExtra, VendorId};

/// Where a key lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRef {
    pub user: String,
    pub fingerprint: String,
}

impl KeyRef {
    /// Parse a `KeyRecord.id`; nothing is sent for an id that cannot be an OCI key.
    pub fn parse(id: &str, own_user: &str, tenancy: &str) -> Result<Self> {
        let parts: Vec<&str> = id.trim().split('/').collect();
        let (user, fingerprint) = match parts.as_slice() {
            [fp] => (own_user, *fp),
            [user, fp] => (*user, *fp),
            [t, user, fp] if *t == tenancy => (*user, *fp),
            [t, _, _] => {
                return Err(Error::validation(
                    "id",
                    format!("the key belongs to tenancy {t}, not this account's {tenancy}"),
                ))
            }
            _ => return Err(bad_id(id)),
        };
        let fingerprint = fingerprint.to_ascii_lowercase();
        if !is_fingerprint(&fingerprint) || !user.starts_with("ocid1.user.") {
            return Err(bad_id(id));
        }
        Ok(KeyRef {
            user: user.to_string(),
            fingerprint,
        })
    }

    /// The `KeyRecord.id` of this key, as seen by an account whose user is `own_user`.
    pub fn record_id(&self, own_user: &str) -> String {
        if self.user == own_user {
            self.fingerprint.clone()
        } else {
            format!("{}/{}", self.user, self.fingerprint)
        }
    }
}

fn bad_id(id: &str) -> Error {
    Error::validation(
        "id",
        format!(
            "`{id}` is not an OCI key: expected a fingerprint (aa:bb:…, 16 pairs), \
             optionally after `<user OCID>/`"
        ),
    )
}

pub fn is_deleted(key: &ApiKey) -> bool {
    key.lifecycle_state.as_deref() == Some("DELETED")
}

/// The key's fingerprint: its own field, else the end of its keyId.
pub fn fingerprint_of(key: &ApiKey) -> Option<String> {
    key.fingerprint
        .clone()
        .or_else(|| {
            key.key_id
                .as_deref()
                .and_then(|id| id.rsplit('/').next())
                .map(str::to_string)
        })
        .map(|f| f.to_ascii_lowercase())
}

pub fn to_record(key: &ApiKey, account: &str, user: &str, own_user: &str) -> Result<KeyRecord> {
    let fingerprint = fingerprint_of(key).ok_or_else(|| Error::Decode {
        message: "OCI listed an API key without a fingerprint".into(),
        raw: None,
    })?;
    let user = key.user_id.clone().unwrap_or_else(|| user.to_string());
    let state = key
        .lifecycle_state
        .clone()
        .unwrap_or_else(|| "ACTIVE".to_string());
    let key_ref = KeyRef {
        user: user.clone(),
        fingerprint,
    };
    Ok(KeyRecord {
        vendor: VendorId::Oci,
        account: account.to_string(),
        id: key_ref.record_id(own_user),
        name: None,
        description: None,
        owner: Some(Owner {
            kind: OwnerKind::User,
            id: user.clone(),
            name: None,
        }),
        created_at: key.time_created.as_deref().and_then(parse_time),
        expires_at: None,
        last_used_at: None,
        status: status_of(&state),
        locked: false,
        scopes: Vec::new(),
        secret_hint: None,
        permissions: None,
        kind_label: None,
        extra: VendorExtra::Oci(OciExtra {
            user_id: user,
            lifecycle_state: state,
            inactive_status: key.inactive_status,
        }),
    })
}

/// OCI lifecycle states. An unknown state is shown as inactive rather than failing the list.
pub fn status_of(lifecycle_state: &str) -> KeyStatus {
    match lifecycle_state {
        "ACTIVE" => KeyStatus::Active,
        "CREATING" => KeyStatus::Creating,
        "DELETING" | "DELETED" => KeyStatus::Deleting,
        _ => KeyStatus::Inactive,
    }
}

/// RFC 3339, also without an offset (taken as UTC) or with a `+0000` offset.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    DateTime::parse_from_rfc3339(s)
        .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|t| t.and_utc())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: &str = "ocid1.user.oc1..own";
    const OTHER: &str = "ocid1.user.oc1..other";
    const TENANCY: &str = "ocid1.tenancy.oc1..t";
    const FP: &str = "73:61:a2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7";

    #[test]
    fn ids_round_trip_for_own_and_other_users() {
        let own = KeyRef::parse(FP, OWN, TENANCY).unwrap();
        assert_eq!(own.user, OWN);
        assert_eq!(own.record_id(OWN), FP);
        let other = KeyRef::parse(&format!("{OTHER}/{FP}"), OWN, TENANCY).unwrap();
        assert_eq!(other.user, OTHER);
        assert_eq!(other.record_id(OWN), format!("{OTHER}/{FP}"));
        let full = KeyRef::parse(
            &format!("{TENANCY}/{OTHER}/{}", FP.to_uppercase()),
            OWN,
            TENANCY,
        )
        .unwrap();
        assert_eq!(full, other);
    }

    #[test]
    fn bad_ids_are_validation_errors() {
        for id in [
            "",
            "key_123",
            "aa:bb",
            &format!("ocid1.tenancy.oc1..x/{OTHER}/{FP}"),
            &format!("notauser/{FP}"),
            "a/b/c/d",
        ] {
            let err = KeyRef::parse(id, OWN, TENANCY).unwrap_err();
            assert_eq!(err.code(), crate::Code::Validation, "{id}");
        }
    }

    #[test]
    fn records_carry_state_owner_and_time() {
        let key = ApiKey {
            fingerprint: Some(FP.into()),
            user_id: Some(OTHER.into()),
            time_created: Some("2026-01-15T10:20:30.123Z".into()),
            lifecycle_state: Some("CREATING".into()),
            ..Default::default()
        };
        let r = to_record(&key, "acct", OTHER, OWN).unwrap();
        assert_eq!(r.id, format!("{OTHER}/{FP}"));
        assert_eq!(r.status, KeyStatus::Creating);
        assert_eq!(r.owner.as_ref().unwrap().id, OTHER);
        assert_eq!(
            r.created_at.unwrap().to_rfc3339(),
            "2026-01-15T10:20:30.123+00:00"
        );
        assert_eq!(r.display_name(), r.id);
    }

    #[test]
    fn fingerprint_falls_back_to_the_key_id() {
        let key = ApiKey {
            key_id: Some(format!("{TENANCY}/{OWN}/{FP}")),
            ..Default::default()
        };
        let r = to_record(&key, "acct", OWN, OWN).unwrap();
        assert_eq!(r.id, FP);
        assert!(to_record(&ApiKey::default(), "a", OWN, OWN).is_err());
    }

    #[test]
    fn lifecycle_states_map_to_statuses() {
        assert_eq!(status_of("ACTIVE"), KeyStatus::Active);
        assert_eq!(status_of("INACTIVE"), KeyStatus::Inactive);
        assert_eq!(status_of("DELETING"), KeyStatus::Deleting);
        assert_eq!(status_of("SOMETHING_NEW"), KeyStatus::Inactive);
    }

    #[test]
    fn times_parse_leniently() {
        assert!(parse_time("2026-01-15T10:20:30Z").is_some());
        assert!(parse_time("2026-01-15T10:20:30.123+0000").is_some());
        assert!(parse_time("2026-01-15T10:20:30.123").is_some());
        assert!(parse_time("yesterday").is_none());
    }
}
