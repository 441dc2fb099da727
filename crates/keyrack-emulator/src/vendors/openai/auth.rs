//! `Authorization: Bearer <admin key>` on every Administration endpoint.

use axum::http::HeaderMap;

use super::error::ApiError;
use super::mint::{now, sha256_hex};
use super::{OpenAi, State};
use crate::handler::HeaderAuth;

/// The admin key a request was made with.
#[derive(Debug, Clone)]
pub struct Caller {
    pub admin_key_id: String,
    pub owner_user_id: String,
}

impl HeaderAuth for OpenAi {
    type Caller = Caller;
    type Error = ApiError;

    /// Records the admin key's use; a read does not persist that.
    fn authenticate(state: &mut State, headers: &HeaderMap) -> Result<Caller, ApiError> {
        let token = bearer(headers).ok_or_else(ApiError::missing_key)?;
        let hash = sha256_hex(&token);
        let now = now();
        if let Some(key) = state
            .admin_keys
            .iter_mut()
            .find(|k| k.issued.value_sha256 == hash)
        {
            if key.issued.expires_at.is_some_and(|t| t <= now) {
                return Err(ApiError::incorrect_key(&token));
            }
            key.issued.last_used_at = Some(now);
            return Ok(Caller {
                admin_key_id: key.id.clone(),
                owner_user_id: key.owner_user_id.clone(),
            });
        }
        if state.api_keys.iter().any(|k| k.issued.value_sha256 == hash) {
            // A real project/service-account key, just not one that may administer.
            return Err(ApiError::not_an_admin_key());
        }
        Err(ApiError::incorrect_key(&token))
    }
}

pub(super) fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("authorization")?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_string())
}
