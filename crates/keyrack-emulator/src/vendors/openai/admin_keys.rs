//! A1–A3: the organization's admin API keys. A new admin key authenticates at once; a deleted
//! one gets 401 from its next request on.

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State as AxState};
use axum::http::HeaderMap;
use axum::response::Response;

use super::error::ApiError;
use super::paging::{envelope, page, Query};
use super::{body, mint, new_id, now, path_param, read, run, wire, wrote, AdminKey, State};
use crate::state::Shared;

/// A1: `order` = `asc` (default) or `desc` by creation; `after` is exclusive in that order.
pub async fn list(
    AxState(shared): AxState<Shared>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    run(&shared, &headers, |state, _| {
        let q = Query::parse(q.as_deref())?;
        let limit = q.limit()?;
        let order = q.choice("order", &["asc", "desc"], "asc")?;
        let mut keys: Vec<&AdminKey> = state.admin_keys.iter().collect();
        if order == "desc" {
            keys.reverse();
        }
        let (items, more) = page(keys, |k| k.id.as_str(), q.get("after"), limit);
        read(envelope(
            items
                .into_iter()
                .map(|k| wire::admin_key(state, k))
                .collect(),
            more,
        ))
    })
}

/// A2: `{name, expires_in_seconds?}`; the response alone carries `value`. The new key belongs
/// to the owner of the key that created it.
pub async fn create(
    AxState(shared): AxState<Shared>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    run(&shared, &headers, |state, caller| {
        let fields = body::parse(&bytes, &["name", "expires_in_seconds"])?;
        let name = body::required_string(&fields, "name")?;
        let expires = body::expires_in(&fields, "expires_in_seconds")?.flatten();
        let secret = mint("sk-admin-", 8);
        let created = now();
        let key = AdminKey {
            id: new_id("key_"),
            name,
            redacted_value: secret.redacted,
            value_sha256: secret.sha256,
            created_at: created,
            last_used_at: None,
            expires_at: expires.map(|s| created + s),
            owner_user_id: caller.owner_user_id.clone(),
        };
        let mut out = wire::admin_key(state, &key);
        out["value"] = serde_json::Value::String(secret.value);
        state.admin_keys.push(key);
        wrote(out)
    })
}

fn find<'a>(state: &'a State, id: &str) -> Result<&'a AdminKey, ApiError> {
    state
        .admin_keys
        .iter()
        .find(|k| k.id == id)
        .ok_or_else(|| ApiError::not_found("admin API key", id))
}

pub async fn retrieve(
    AxState(shared): AxState<Shared>,
    headers: HeaderMap,
    p: Result<Path<String>, PathRejection>,
) -> Response {
    run(&shared, &headers, |state, _| {
        let id = path_param(p)?;
        read(wire::admin_key(state, find(state, &id)?))
    })
}

pub async fn delete(
    AxState(shared): AxState<Shared>,
    headers: HeaderMap,
    p: Result<Path<String>, PathRejection>,
) -> Response {
    run(&shared, &headers, |state, _| {
        let id = path_param(p)?;
        find(state, &id)?;
        state.admin_keys.retain(|k| k.id != id);
        wrote(wire::deleted("organization.admin_api_key.deleted", &id))
    })
}
