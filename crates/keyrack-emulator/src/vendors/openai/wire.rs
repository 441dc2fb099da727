//! The Administration API's objects, with their exact `object` literals and every required
//! field (nullable ones as `null`).

use serde_json::{json, Value};

use super::{AdminKey, KeyOwner, Project, ProjectKey, ServiceAccount, State};

pub fn project(p: &Project) -> Value {
    json!({
        "id": p.id,
        "object": "organization.project",
        "name": p.name,
        "created_at": p.created_at,
        "archived_at": p.archived_at,
        "status": if p.archived_at.is_some() { "archived" } else { "active" },
        "external_key_id": p.external_key_id,
        "residency": p.residency,
    })
}

pub fn service_account(s: &ServiceAccount) -> Value {
    json!({
        "object": "organization.project.service_account",
        "id": s.id,
        "name": s.name,
        "role": s.role,
        "created_at": s.created_at,
    })
}

/// `ProjectServiceAccountApiKey` / `ServiceAccountApiKeyBody`: the one response with `value`.
pub fn service_account_key_created(k: &ProjectKey, value: &str) -> Value {
    json!({
        "object": "organization.project.service_account.api_key",
        "value": value,
        "name": k.issued.name,
        "created_at": k.issued.created_at,
        "id": k.id,
        "expires_at": k.issued.expires_at,
    })
}

pub fn project_key(state: &State, k: &ProjectKey) -> Value {
    let owner = match &k.owner {
        KeyOwner::User { user_id, role } => {
            let user = state.user(user_id);
            json!({
                "type": "user",
                "user": {
                    "id": user_id,
                    "email": user.map(|u| u.email.as_str()).unwrap_or(""),
                    "name": user.map(|u| u.name.as_str()).unwrap_or(""),
                    "created_at": user.map(|u| u.created_at).unwrap_or(k.issued.created_at),
                    "role": role,
                }
            })
        }
        KeyOwner::ServiceAccount { service_account_id } => {
            let sa = state
                .service_accounts
                .iter()
                .find(|s| &s.id == service_account_id);
            json!({
                "type": "service_account",
                "service_account": {
                    "id": service_account_id,
                    "name": sa.map(|s| s.name.as_str()).unwrap_or(""),
                    "created_at": sa.map(|s| s.created_at).unwrap_or(k.issued.created_at),
                    "role": sa.map(|s| s.role.as_str()).unwrap_or("member"),
                }
            })
        }
    };
    json!({
        "object": "organization.project.api_key",
        "redacted_value": k.issued.redacted_value,
        "name": k.issued.name,
        "created_at": k.issued.created_at,
        "last_used_at": k.issued.last_used_at,
        "expires_at": k.issued.expires_at,
        "id": k.id,
        "owner_project_access": k.owner_project_access,
        "owner": owner,
        "scopes": k.scopes,
    })
}

/// `AdminApiKey`; `value` is added by the create response only.
pub fn admin_key(state: &State, k: &AdminKey) -> Value {
    let owner = state.user(&k.owner_user_id);
    json!({
        "object": "organization.admin_api_key",
        "id": k.id,
        "name": k.issued.name,
        "redacted_value": k.issued.redacted_value,
        "created_at": k.issued.created_at,
        "last_used_at": k.issued.last_used_at,
        "expires_at": k.issued.expires_at,
        "owner": {
            "type": "user",
            "object": "organization.user",
            "id": k.owner_user_id,
            "name": owner.map(|u| u.name.as_str()).unwrap_or(""),
            "created_at": owner.map(|u| u.created_at).unwrap_or(k.issued.created_at),
            "role": "owner",
        },
    })
}

pub fn deleted(object: &str, id: &str) -> Value {
    json!({ "object": object, "id": id, "deleted": true })
}
