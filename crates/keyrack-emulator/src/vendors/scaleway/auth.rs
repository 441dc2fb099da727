//! `X-Auth-Token: <secret_key>` authentication against the stored secret digests.

use axum::http::HeaderMap;

use super::error::ScwError;
use super::model::{hash_secret, now, Bearer, State};
use super::Scaleway;
use crate::handler::HeaderAuth;

/// The bearer of the key a request authenticated with.
#[derive(Debug, Clone)]
pub struct Caller {
    pub bearer: Bearer,
}

impl HeaderAuth for Scaleway {
    type Caller = Caller;
    type Error = ScwError;

    fn authenticate(state: &mut State, headers: &HeaderMap) -> Result<Caller, ScwError> {
        let denied = ScwError::DeniedAuthentication {
            reason: "invalid_argument",
        };
        let Some(token) = headers.get("x-auth-token").and_then(|v| v.to_str().ok()) else {
            return Err(denied);
        };
        let digest = hash_secret(token);
        let key = state
            .api_keys
            .iter()
            .find(|k| k.secret_sha256 == digest)
            .ok_or(denied)?;
        if key.is_expired(now()) {
            return Err(ScwError::DeniedAuthentication { reason: "expired" });
        }
        Ok(Caller {
            bearer: key.bearer.clone(),
        })
    }
}
