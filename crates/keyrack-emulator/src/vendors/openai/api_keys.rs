//! K1–K4: a project's API keys, owned by users or service accounts. Values are never shown
//! here (only `redacted_value`); keys are minted by the service-account endpoints.

use axum::body::Bytes;
use axum::extract::RawQuery;
use axum::Json;

use super::mint::now;
use super::model::OfProject;
use super::paging::ListQuery;
use super::{body, path_param, wire, Answer, Call, IdPath, PairPath, ProjectKey};

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

/// K4 (`POST` to the key): replace `scopes` and/or set `expires_at` from now.
pub async fn update(call: Call, p: PairPath, bytes: Bytes) -> Answer {
    call.write(|state, _| {
        let (project_id, key_id) = path_param(p)?;
        state.writable_project(&project_id)?;
        ProjectKey::find(&state.api_keys, &project_id, &key_id)?;
        let fields = body::parse(&bytes, &["scopes", "expires_in_seconds"])?;
        let scopes = body::optional_strings(&fields, "scopes")?;
        let expires = body::expires_in(&fields, "expires_in_seconds")?;
        let key = ProjectKey::find_mut(&mut state.api_keys, &project_id, &key_id)?;
        if let Some(scopes) = scopes {
            key.scopes = scopes;
        }
        if let Some(expires) = expires {
            key.issued.expires_at = expires.map(|s| now() + s);
        }
        let key = key.clone();
        Ok(Json(wire::project_key(state, &key)))
    })
}
