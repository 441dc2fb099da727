//! `POST /identity/token`: exchange an API key for an access token.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::errors::TokenError;
use super::jwt::{self, TOKEN_TTL_SECS};
use super::model::IdentityKind;
use crate::state::Shared;

const APIKEY_GRANT: &str = "urn:ibm:params:oauth:grant-type:apikey";

/// Code IBM uses for an unusable key; disabled and expired keys get it too, with their reason.
const KEY_NOT_FOUND: &str = "BXNIM0415E";
const MISSING_PROPERTY: &str = "BXNIM0109E";
const UNSUPPORTED_GRANT: &str = "BXNIM0103E";
const BAD_REFRESH_TOKEN: &str = "BXNIM0407E";

pub async fn exchange(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    match exchange_inner(&shared, &headers, &body) {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

fn exchange_inner(
    shared: &Shared,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, TokenError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/x-www-form-urlencoded");
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(TokenError::bad_request(
            MISSING_PROPERTY,
            "The request must be sent as application/x-www-form-urlencoded.",
        ));
    }
    let form: Vec<(String, String)> = serde_urlencoded::from_bytes(body).map_err(|_| {
        TokenError::bad_request(MISSING_PROPERTY, "The request body is not a valid form.")
    })?;
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    let missing = |name: &str| {
        TokenError::bad_request(
            MISSING_PROPERTY,
            format!("Property missing or empty. Property name(s): {name}"),
        )
    };

    match field("grant_type") {
        None => return Err(missing("grant_type")),
        Some(APIKEY_GRANT) => {}
        // This emulator issues no refresh tokens (it answers "not_supported", like IAM does for
        // most apikey grants), so none can be valid.
        Some("refresh_token") => {
            return Err(TokenError::bad_request(
                BAD_REFRESH_TOKEN,
                "Provided refresh token is not valid.",
            ))
        }
        Some(other) => {
            return Err(TokenError::bad_request(
                UNSUPPORTED_GRANT,
                format!("Unsupported grant type '{other}'."),
            ))
        }
    }
    let apikey = field("apikey").ok_or_else(|| missing("apikey"))?;

    let now = chrono::Utc::now();
    let mut store = shared.store();
    let state = &mut store.ibm;
    let key = state
        .keys
        .iter()
        .find(|k| k.apikey == apikey)
        .ok_or_else(|| {
            TokenError::bad_request(KEY_NOT_FOUND, "Provided API key could not be found.")
        })?;
    if key.disabled {
        return Err(TokenError::bad_request(
            KEY_NOT_FOUND,
            "Provided API key is disabled.",
        ));
    }
    if key.is_expired(now) {
        return Err(TokenError::bad_request(
            KEY_NOT_FOUND,
            "Provided API key has expired.",
        ));
    }
    let key_id = key.id.clone();
    let identity = state.identity(&key.iam_id).cloned().ok_or_else(|| {
        TokenError::bad_request(KEY_NOT_FOUND, "Provided API key could not be found.")
    })?;

    let iat = now.timestamp();
    let exp = iat + TOKEN_TTL_SECS;
    let access_token = jwt::mint(&state.signing_key, &shared.base_url, &identity, iat, exp);
    if let Some(key) = state.key_mut(&key_id) {
        key.authn_count += 1;
        key.last_authn = Some(now);
    }
    // Activity counters reach the state file with the next real write: a token exchange is a
    // read, and rewriting a large state file on every one would throttle load tests.
    drop(store);

    let mut body = json!({
        "access_token": access_token,
        "refresh_token": "not_supported",
        "token_type": "Bearer",
        "expires_in": TOKEN_TTL_SECS,
        "expiration": exp,
        "scope": "ibm openid",
    });
    if identity.kind == IdentityKind::User {
        if let Some(ims) = identity.ims_user_id {
            body["ims_user_id"] = json!(ims);
        }
    }
    Ok(Json(body).into_response())
}
