//! The on-premises admin flow for creating a key on another user's behalf:
//! `GET /admin/accounts/{id}` → `GET /admin/user/loginAsUser?userId=` (a session token for that
//! user) → `POST /user/changeaccount/{accountId}` (a session token scoped to that account) →
//! `POST /auth/key` with `x-access-token`. Here "admin" means an admin of the caller's account.

use axum::extract::{Path, RawQuery};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Duration;
use serde_json::json;

use super::error::CfError;
use super::model::{sha256_hex, Owner, Session, State};
use super::wire::AccountWire;
use super::Call;

const SESSION_LIFETIME_HOURS: i64 = 12;

pub async fn get_account(call: Call, Path(account_id): Path<String>) -> Result<Response, CfError> {
    call.read(|state, caller| {
        caller.require_admin(state)?;
        let account = state
            .account(&account_id)
            .ok_or_else(|| CfError::not_found("Account not found"))?;
        Ok(Json(AccountWire::new(account)).into_response())
    })
}

pub async fn login_as_user(call: Call, RawQuery(query): RawQuery) -> Result<Response, CfError> {
    call.write(|state, caller| {
        caller.require_admin(state)?;
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(query.as_deref().unwrap_or(""))
                .map_err(|_| CfError::bad_request("Malformed query string"))?;
        let user_id = pairs
            .into_iter()
            .find(|(k, v)| k == "userId" && !v.is_empty())
            .map(|(_, v)| v)
            .ok_or_else(|| CfError::bad_request("'userId' is required"))?;
        let user = state
            .user(&user_id)
            .filter(|u| u.account_ids.contains(&caller.account_id))
            .ok_or_else(|| CfError::not_found("User not found"))?
            .clone();
        let token = open_session(state, &user.id, &caller.account_id);
        Ok(Json(json!({
            "accessToken": token,
            "user": { "_id": user.id, "userName": user.user_name, "email": user.email },
        }))
        .into_response())
    })
}

pub async fn change_account(
    call: Call,
    Path(account_id): Path<String>,
) -> Result<Response, CfError> {
    call.write(|state, caller| {
        let Owner::User(user_id) = caller.owner else {
            return Err(CfError::forbidden("Service users cannot change account"));
        };
        let account = state
            .account(&account_id)
            .ok_or_else(|| CfError::not_found("Account not found"))?;
        let account_name = account.name.clone();
        let member = state
            .user(&user_id)
            .is_some_and(|u| u.account_ids.contains(&account_id));
        if !member {
            return Err(CfError::forbidden("User is not a member of this account"));
        }
        let token = open_session(state, &user_id, &account_id);
        Ok(
            Json(json!({ "accessToken": token, "activeAccountName": account_name }))
                .into_response(),
        )
    })
}

/// A JWT-shaped session token (clients may decode its claims; nothing verifies its signature
/// but the emulator's own lookup). Expired sessions are dropped on the way.
fn open_session(state: &mut State, user_id: &str, account_id: &str) -> String {
    let now = crate::util::now();
    let expires_at = now + Duration::hours(SESSION_LIFETIME_HOURS);
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let claims = json!({
        "accountId": account_id,
        "userId": user_id,
        "iat": now.timestamp(),
        "exp": expires_at.timestamp(),
    });
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signature = URL_SAFE_NO_PAD.encode(crate::util::random_hex(32));
    let token = format!("{header}.{payload}.{signature}");
    state.sessions.retain(|s| s.expires_at > now);
    state.sessions.push(Session {
        token_sha256: sha256_hex(&token),
        user_id: user_id.to_string(),
        account_id: account_id.to_string(),
        expires_at,
    });
    token
}
