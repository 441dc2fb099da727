//! `GET /v1/models`: the one inference-side endpoint, there so that a project or
//! service-account key can be shown to authenticate (rotation's verify step). Authenticated by
//! the project key's Bearer, not an admin key: an admin key is refused here as the live API
//! does ("Incorrect API key"), and so is an unknown, deleted or expired key. A key whose scopes
//! leave out `model.read`/`api.model.read` is authenticated but forbidden (403).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::json;

use super::error::ApiError;
use super::mint::{now, sha256_hex};
use super::{Answer, OpenAi};
use crate::state::Shared;
use crate::vendor::Listed;

/// The models every project sees (ids as the live API names them).
const MODELS: &[(&str, i64)] = &[
    ("gpt-4o", 1_715_367_049),
    ("gpt-4o-mini", 1_721_172_741),
    ("text-embedding-3-small", 1_705_948_997),
];

pub async fn list(State(shared): State<Shared>, headers: HeaderMap) -> Answer {
    let token = super::auth::bearer(&headers).ok_or_else(ApiError::missing_key)?;
    let hash = sha256_hex(&token);
    let mut store = shared.store();
    let state = OpenAi::state_mut(&mut store);
    let now = now();
    let key = state
        .api_keys
        .iter_mut()
        .find(|k| k.issued.value_sha256 == hash)
        .filter(|k| k.issued.expires_at.is_none_or(|t| t > now))
        .ok_or_else(|| ApiError::incorrect_key(&token))?;
    let restricted = !key.scopes.is_empty()
        && !key.scopes.iter().any(|s| {
            matches!(
                s.as_str(),
                "model.read" | "api.model.read" | "api.all.read" | "api.all.write"
            )
        });
    if restricted {
        return Err(ApiError::invalid_request(
            StatusCode::FORBIDDEN,
            "You have insufficient permissions for this operation. Missing scopes: \
             api.model.read.",
        ));
    }
    key.issued.last_used_at = Some(now);
    let data: Vec<_> = MODELS
        .iter()
        .map(|(id, created)| json!({"id": id, "object": "model", "created": created, "owned_by": "system"}))
        .collect();
    Ok(Json(json!({"object": "list", "data": data})))
}
