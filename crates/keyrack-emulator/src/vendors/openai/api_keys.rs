//! K1–K4: a project's API keys, owned by users or service accounts. Values are never shown
//! here (only `redacted_value`); keys are minted by the service-account endpoints.

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State as AxState};
use axum::http::HeaderMap;
use axum::response::Response;

use super::error::ApiError;
use super::paging::{envelope, page, Query};
use super::{body, now, path_param, read, run, wire, wrote, ProjectKey, State};
use crate::state::Shared;

/// K1. Without `owner_project_access` only keys whose owner is active in the project are listed
/// (the documented "membership-based visibility"); `any` lists every key.
pub async fn list(
    AxState(shared): AxState<Shared>,
    headers: HeaderMap,
    p: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Response {
    run(&shared, &headers, |state, _| {
        let project_id = path_param(p)?;
        state.project(&project_id)?;
        let q = Query::parse(q.as_deref())?;
        let limit = q.limit()?;
        let access = q.choice(
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
        let (items, more) = page(keys, |k| k.id.as_str(), q.get("after"), limit);
        read(envelope(
            items
                .into_iter()
                .map(|k| wire::project_key(state, k))
                .collect(),
            more,
        ))
    })
}

fn find<'a>(state: &'a State, project_id: &str, key_id: &str) -> Result<&'a ProjectKey, ApiError> {
    state
        .api_keys
        .iter()
        .find(|k| k.project_id == project_id && k.id == key_id)
        .ok_or_else(|| ApiError::not_found("API key", key_id))
}

pub async fn retrieve(
    AxState(shared): AxState<Shared>,
    headers: HeaderMap,
    p: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    run(&shared, &headers, |state, _| {
        let (project_id, key_id) = path_param(p)?;
        state.project(&project_id)?;
        read(wire::project_key(state, find(state, &project_id, &key_id)?))
    })
}

/// K3: revoke one key, user- or service-account-owned; a service account's other keys stay.
pub async fn delete(
    AxState(shared): AxState<Shared>,
    headers: HeaderMap,
    p: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    run(&shared, &headers, |state, _| {
        let (project_id, key_id) = path_param(p)?;
        state.writable_project(&project_id)?;
        find(state, &project_id, &key_id)?;
        state
            .api_keys
            .retain(|k| !(k.project_id == project_id && k.id == key_id));
        wrote(wire::deleted(
            "organization.project.api_key.deleted",
            &key_id,
        ))
    })
}

/// K4 (`POST` to the key): replace `scopes` and/or set `expires_at` from now.
pub async fn update(
    AxState(shared): AxState<Shared>,
    headers: HeaderMap,
    p: Result<Path<(String, String)>, PathRejection>,
    bytes: Bytes,
) -> Response {
    run(&shared, &headers, |state, _| {
        let (project_id, key_id) = path_param(p)?;
        state.writable_project(&project_id)?;
        find(state, &project_id, &key_id)?;
        let fields = body::parse(&bytes, &["scopes", "expires_in_seconds"])?;
        let scopes = body::optional_strings(&fields, "scopes")?;
        let expires = body::expires_in(&fields, "expires_in_seconds")?;
        let key = state
            .api_keys
            .iter_mut()
            .find(|k| k.project_id == project_id && k.id == key_id)
            .ok_or_else(|| ApiError::not_found("API key", &key_id))?;
        if let Some(scopes) = scopes {
            key.scopes = scopes;
        }
        if let Some(expires) = expires {
            key.expires_at = expires.map(|s| now() + s);
        }
        let key = key.clone();
        wrote(wire::project_key(state, &key))
    })
}
