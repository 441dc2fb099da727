//! K1–K4: a project's API keys, owned by users or service accounts. Values are never shown
//! here (only `redacted_value`); keys are minted by the service-account endpoints.

use axum::body::Bytes;
use axum::extract::RawQuery;
use axum::Json;

use super::error::ApiError;
use super::mint::now;
use super::model::OfProject;
use super::paging::ListQuery;
use super::{body, path_param, scopes, wire, Answer, Call, IdPath, PairPath, ProjectKey};

/// K1. Without `owner_project_access` only keys whose owner is active in the project are listed
/// (the documented "membership-based visibility"); `any` lists every key.
pub async fn list(call: Call, p: IdPath, RawQuery(q): RawQuery) -> Answer {
    call.read(|state, _| {
        let project_id = path_param(p)?;
        state.project(&project_id)?;
        let q = ListQuery::parse(q.as_deref())?;
        let access = q.query.choice(
            "owner_project_access",
            &["active", "inactive", "any"],
            "active",
        )?;
        let keys: Vec<&ProjectKey> = state
            .api_keys
            .iter()
            .filter(|k| k.project_id == project_id)
            .filter(|k| access == "any" || k.owner_project_access == access)
            .collect();
        let page = q.page(keys, |k| k.id.as_str(), |k| wire::project_key(state, k));
        Ok(Json(page))
    })
}

pub async fn retrieve(call: Call, p: PairPath) -> Answer {
    call.read(|state, _| {
        let (project_id, key_id) = path_param(p)?;
        state.project(&project_id)?;
        let key = ProjectKey::find(&state.api_keys, &project_id, &key_id)?;
        Ok(Json(wire::project_key(state, key)))
    })
}

/// K3: revoke one key, user- or service-account-owned; a service account's other keys stay.
pub async fn delete(call: Call, p: PairPath) -> Answer {
    call.write(|state, _| {
        let (project_id, key_id) = path_param(p)?;
        state.writable_project(&project_id)?;
        ProjectKey::find(&state.api_keys, &project_id, &key_id)?;
        state
            .api_keys
            .retain(|k| !(k.project_id == project_id && k.id == key_id));
        let deleted = wire::deleted("organization.project.api_key.deleted", &key_id);
        Ok(Json(deleted))
    })
}

/// K4 (`POST` to the key): replace `scopes` and/or set `expires_at` from now. At least one is
/// needed, neither may be `null`, and an expired key cannot be updated.
pub async fn update(call: Call, p: PairPath, bytes: Bytes) -> Answer {
    call.write(|state, _| {
        let (project_id, key_id) = path_param(p)?;
        state.writable_project(&project_id)?;
        let found = ProjectKey::find(&state.api_keys, &project_id, &key_id)?;
        if found.issued.expires_at.is_some_and(|t| t <= now()) {
            return Err(ApiError::bad_request(format!(
                "API key '{key_id}' has expired and cannot be updated."
            )));
        }
        let fields = body::parse(&bytes, &["scopes", "expires_in_seconds"])?;
        for name in ["scopes", "expires_in_seconds"] {
            if fields.get(name).is_some_and(|v| v.is_null()) {
                return Err(ApiError::bad_request(format!(
                    "Invalid type for '{name}': expected a value, but got null instead."
                ))
                .with_param(name)
                .with_code("invalid_type"));
            }
        }
        let scopes = scopes::parse(&fields)?;
        let expires = body::expires_in(&fields, "expires_in_seconds")?.flatten();
        if scopes.is_none() && expires.is_none() {
            return Err(ApiError::bad_request(
                "Provide at least one of 'scopes' or 'expires_in_seconds'.",
            ));
        }
        let key = ProjectKey::find_mut(&mut state.api_keys, &project_id, &key_id)?;
        if let Some(scopes) = scopes {
            key.scopes = scopes;
        }
        if let Some(expires) = expires {
            key.issued.expires_at = Some(now() + expires);
        }
        let key = key.clone();
        Ok(Json(wire::project_key(state, &key)))
    })
}
