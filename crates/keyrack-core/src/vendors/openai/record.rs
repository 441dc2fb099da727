//! Ids and records. Every key and service-account operation of the Admin API is addressed
//! inside a project (`/organization/projects/{project_id}/api_keys/{key_id}`), so Keyrack's ids
//! carry the project: `KeyRecord.id` is `<project_id>/<key_id>` and a service account's
//! `Owner.id` is `<project_id>/<service_account_id>`. A bare `key_…` id is also accepted by
//! `get`/`delete`, which then look the key up in every project. Admin keys belong to the
//! organization, not a project: their ids are `admin/<key_id>` (no project id is `admin`).

use chrono::{DateTime, Utc};

use super::permissions;
use super::wire::{AdminApiKey, KeyFields, KeyOwner, ProjectApiKey};
use super::OpenaiExtra;
use crate::error::{Error, Result};
use crate::model::{KeyRecord, KeyStatus, Owner, OwnerKind, VendorExtra, VendorId};

/// `<project>/<id>`, or a bare id whose project is not known yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scoped {
    pub project: Option<String>,
    pub id: String,
}

impl Scoped {
    pub fn parse(text: &str, field: &str, what: &str) -> Result<Self> {
        let text = text.trim();
        let (project, id) = match text.split_once('/') {
            Some((p, id)) => (Some(p), id),
            None => (None, text),
        };
        let clean = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-".contains(c))
        };
        if !clean(id) || project.is_some_and(|p| !clean(p)) {
            return Err(Error::validation(
                field,
                format!("`{text}` is not an OpenAI {what} id: expected `<project id>/<{what} id>`"),
            ));
        }
        Ok(Scoped {
            project: project.map(str::to_string),
            id: id.to_string(),
        })
    }

    pub fn join(project: &str, id: &str) -> String {
        format!("{project}/{id}")
    }
}

fn time(secs: Option<i64>) -> Option<DateTime<Utc>> {
    secs.and_then(|s| DateTime::from_timestamp(s, 0))
}

pub fn owner_of(project: &str, owner: Option<&KeyOwner>) -> Option<Owner> {
    let owner = owner?;
    if let Some(sa) = owner
        .service_account
        .as_ref()
        .filter(|_| owner.kind.as_deref() != Some("user"))
    {
        return Some(Owner {
            kind: OwnerKind::ServiceAccount,
            id: Scoped::join(project, &sa.id),
            name: sa.name.clone(),
        });
    }
    owner.user.as_ref().map(|u| Owner {
        kind: OwnerKind::User,
        id: u.id.clone(),
        name: u.name.clone().or_else(|| u.email.clone()),
    })
}

/// A listed or retrieved key.
pub fn to_record(
    key: &ProjectApiKey,
    account: &str,
    project: &str,
    project_name: Option<&str>,
    now: DateTime<Utc>,
) -> KeyRecord {
    let base = record_of(&key.fields, account, Scoped::join(project, &key.id), now);
    let status = if base.status == KeyStatus::Active
        && key.owner_project_access.as_deref() == Some("inactive")
    {
        KeyStatus::Inactive
    } else {
        base.status
    };
    KeyRecord {
        owner: owner_of(project, key.owner.as_ref()),
        status,
        // A deployment that does not answer `scopes` leaves the permissions unknown, not "all".
        permissions: key.scopes.as_deref().map(permissions::from_scopes),
        scopes: key.scopes.clone().unwrap_or_default(),
        extra: VendorExtra::Openai(OpenaiExtra {
            project_id: project.to_string(),
            project_name: project_name.map(str::to_string),
        }),
        ..base
    }
}

/// The "project" part of an admin key's id.
pub const ADMIN: &str = "admin";
/// How admin keys are marked beside project keys.
pub const ADMIN_LABEL: &str = "Admin key";

/// An organization admin key, listed beside the project keys and marked as such.
pub fn admin_record(key: &AdminApiKey, account: &str, now: DateTime<Utc>) -> KeyRecord {
    KeyRecord {
        owner: key.owner.as_ref().and_then(|o| {
            Some(Owner {
                kind: OwnerKind::User,
                id: o.id.clone()?,
                name: o.name.clone(),
            })
        }),
        kind_label: Some(ADMIN_LABEL.into()),
        ..record_of(&key.fields, account, Scoped::join(ADMIN, &key.id), now)
    }
}

/// What project and admin keys have alike: active until they expire, no owner or scopes yet.
fn record_of(key: &KeyFields, account: &str, id: String, now: DateTime<Utc>) -> KeyRecord {
    let expires_at = time(key.expires_at);
    KeyRecord {
        vendor: VendorId::Openai,
        account: account.to_string(),
        id,
        name: key.name.clone(),
        description: None,
        owner: None,
        created_at: time(key.created_at),
        expires_at,
        last_used_at: time(key.last_used_at),
        status: KeyStatus::by_expiry(expires_at, now),
        locked: false,
        scopes: Vec::new(),
        secret_hint: key.redacted_value.clone(),
        permissions: None,
        kind_label: None,
        extra: VendorExtra::Openai(OpenaiExtra {
            project_id: String::new(),
            project_name: None,
        }),
    }
}

/// Whether `key` is owned by service account `sa` (bare id).
pub fn owned_by(key: &ProjectApiKey, sa: &str) -> bool {
    key.owner
        .as_ref()
        .and_then(|o| o.service_account.as_ref())
        .is_some_and(|s| s.id == sa)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendors::openai::wire::{OwnerServiceAccount, OwnerUser};

    fn key() -> ProjectApiKey {
        ProjectApiKey {
            id: "key_1".into(),
            fields: KeyFields {
                name: Some("ci".into()),
                redacted_value: Some("sk-svc...wxyz".into()),
                created_at: Some(1_767_225_600),
                last_used_at: None,
                expires_at: None,
            },
            owner_project_access: Some("active".into()),
            owner: Some(KeyOwner {
                kind: Some("service_account".into()),
                user: None,
                service_account: Some(OwnerServiceAccount {
                    id: "svc_acct_1".into(),
                    name: Some("runner".into()),
                }),
            }),
            scopes: Some(vec!["model.read".into(), "api.model.read".into()]),
        }
    }

    #[test]
    fn ids_carry_the_project() {
        let s = Scoped::parse("proj_a/key_1", "id", "key").unwrap();
        assert_eq!(s.project.as_deref(), Some("proj_a"));
        assert_eq!(s.id, "key_1");
        assert_eq!(Scoped::parse("key_1", "id", "key").unwrap().project, None);
        for bad in ["", "proj/", "/key", "a/b/c", "key 1", "proj_a/key_1?x"] {
            assert!(Scoped::parse(bad, "id", "key").is_err(), "{bad}");
        }
    }

    #[test]
    fn record_has_project_scoped_ids_and_hint() {
        let now = Utc::now();
        let r = to_record(&key(), "acct", "proj_a", Some("Alpha"), now);
        assert_eq!(r.id, "proj_a/key_1");
        assert_eq!(r.secret_hint.as_deref(), Some("sk-svc...wxyz"));
        assert_eq!(r.status, KeyStatus::Active);
        let owner = r.owner.unwrap();
        assert_eq!(owner.kind, OwnerKind::ServiceAccount);
        assert_eq!(owner.id, "proj_a/svc_acct_1");
        assert_eq!(r.created_at.unwrap().timestamp(), 1_767_225_600);
        assert_eq!(r.scopes, vec!["model.read", "api.model.read"]);
        let p = r.permissions.clone().unwrap();
        assert_eq!(p.mode, crate::model::PermissionMode::Restricted);
        assert_eq!(
            p.resources.get("models"),
            Some(&crate::model::PermissionLevel::Read)
        );
        assert_eq!(r.kind_label, None);
        let mut k = key();
        k.scopes = None;
        assert_eq!(to_record(&k, "a", "p", None, now).permissions, None);
        assert_eq!(
            r.extra,
            VendorExtra::Openai(OpenaiExtra {
                project_id: "proj_a".into(),
                project_name: Some("Alpha".into())
            })
        );
    }

    #[test]
    fn admin_keys_are_marked_and_outside_projects() {
        let key: AdminApiKey = serde_json::from_str(
            r#"{"object":"organization.admin_api_key","id":"key_a","name":"bot",
                "redacted_value":"sk-admin...wxyz","created_at":1,"last_used_at":5,
                "expires_at":null,"owner":{"type":"user","id":"user_1","name":"Jane"}}"#,
        )
        .unwrap();
        let r = admin_record(&key, "acct", Utc::now());
        assert_eq!(r.id, "admin/key_a");
        assert_eq!(r.kind_label.as_deref(), Some("Admin key"));
        assert_eq!(r.last_used_at.unwrap().timestamp(), 5);
        assert_eq!(r.owner.unwrap().name.as_deref(), Some("Jane"));
        assert_eq!(r.permissions, None);
    }

    #[test]
    fn expired_and_inactive_keys_say_so() {
        let now = Utc::now();
        let mut k = key();
        k.fields.expires_at = Some(now.timestamp() - 10);
        assert_eq!(
            to_record(&k, "a", "p", None, now).status,
            KeyStatus::Expired
        );
        let mut k = key();
        k.owner_project_access = Some("inactive".into());
        assert_eq!(
            to_record(&k, "a", "p", None, now).status,
            KeyStatus::Inactive
        );
    }

    #[test]
    fn user_owners_use_their_name_or_email() {
        let mut k = key();
        k.owner = Some(KeyOwner {
            kind: Some("user".into()),
            user: Some(OwnerUser {
                id: "user_1".into(),
                name: None,
                email: Some("ann@example.com".into()),
            }),
            service_account: None,
        });
        let owner = to_record(&k, "a", "p", None, Utc::now()).owner.unwrap();
        assert_eq!(owner.kind, OwnerKind::User);
        assert_eq!(owner.id, "user_1");
        assert_eq!(owner.name.as_deref(), Some("ann@example.com"));
        assert!(owned_by(&key(), "svc_acct_1"));
        assert!(!owned_by(&k, "svc_acct_1"));
    }
}
