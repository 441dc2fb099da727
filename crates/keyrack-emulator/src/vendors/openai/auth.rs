//! `Authorization: Bearer <admin key>` on every Administration endpoint.

use axum::http::HeaderMap;

use super::error::ApiError;
use super::{now, sha256_hex, State};

/// The admin key a request was made with.
#[derive(Debug, Clone)]
pub struct Caller {
    pub admin_key_id: String,
    pub owner_user_id: String,
}

pub fn authenticate(state: &mut State, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let token = bearer(headers).ok_or_else(ApiError::missing_key)?;
    let hash = sha256_hex(&token);
    let now = now();
    if let Some(key) = state.admin_keys.iter_mut().find(|k| k.value_sha256 == hash) {
        if key.expires_at.is_some_and(|t| t <= now) {
            return Err(ApiError::incorrect_key(&token));
        }
        key.last_used_at = Some(now);
        return Ok(Caller {
            admin_key_id: key.id.clone(),
            owner_user_id: key.owner_user_id.clone(),
        });
    }
    if state.api_keys.iter().any(|k| k.value_sha256 == hash) {
        // A real project/service-account key, just not one that may administer.
        return Err(ApiError::not_an_admin_key());
    }
    Err(ApiError::incorrect_key(&token))
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("authorization")?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_string())
}
