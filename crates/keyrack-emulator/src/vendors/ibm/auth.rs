//! Bearer authentication of `/v1/*`: only unexpired tokens this emulator issued are accepted.

use axum::http::{header, HeaderMap};

use super::errors::IbmError;
use super::jwt::{self, Caller, Invalid};
use super::model::State;
use super::Ibm;
use crate::handler::HeaderAuth;

impl HeaderAuth for Ibm {
    type Caller = Caller;
    type Error = IbmError;

    fn authenticate(state: &mut State, headers: &HeaderMap) -> Result<Caller, IbmError> {
        caller(state, headers)
    }
}

fn caller(state: &State, headers: &HeaderMap) -> Result<Caller, IbmError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| IbmError::unauthorized("No authorization header found."))?
        .to_str()
        .map_err(|_| IbmError::unauthorized("The authorization header is not valid."))?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            IbmError::unauthorized("The authorization header must be 'Bearer <access token>'.")
        })?;
    jwt::verify(&state.signing_key, token, chrono::Utc::now().timestamp()).map_err(|e| match e {
        Invalid::Expired => IbmError::unauthorized("The provided access token has expired."),
        Invalid::Malformed | Invalid::BadSignature => {
            IbmError::unauthorized("The provided access token is not valid.")
        }
    })
}
