//! `/v1/apikeys` create, get (by id and by value), update, delete, lock/unlock and
//! disable/enable.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;

use super::body::{self, boolean, string};
use super::errors::{respond, IbmError};
use super::jwt::Caller;
use super::model::{entity_tag, ApiKey, IdentityKind, State};
use super::time;
use super::wire::{self, Render};
use super::Call;

const ACTIONS_WHEN_LEAKED: [&str; 3] = ["none", "disable", "delete"];
/// Caller-supplied key values must be at least this long, as IBM documents.
const MIN_APIKEY_LEN: usize = 32;

/// A fresh key value: 44 URL-safe characters, like the live service's.
pub fn new_key_value() -> String {
    let mut bytes = [0u8; 33];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn with_etag(status: StatusCode, key: &ApiKey, render: Render) -> Response {
    let mut response = (status, Json(wire::api_key(key, render))).into_response();
    if let Ok(v) = HeaderValue::from_str(&key.entity_tag) {
        response.headers_mut().insert("etag", v);
    }
    response
}

/// Where in the state a key of the caller's account is; keys elsewhere are as good as absent.
fn visible(state: &State, caller: &Caller, id: &str) -> Result<usize, IbmError> {
    state
        .keys
        .iter()
        .position(|k| k.id == id && k.account_id == caller.account_id)
        .ok_or_else(|| IbmError::key_not_found(id))
}

fn check_action(value: Option<String>) -> Result<Option<String>, IbmError> {
    match value {
        Some(a) if !ACTIONS_WHEN_LEAKED.contains(&a.as_str()) => {
            Err(IbmError::bad_request(format!(
                "Property 'action_when_leaked' must be one of none, disable, delete; got '{a}'."
            )))
        }
        other => Ok(other),
    }
}

fn parse_expiry(value: &str) -> Result<chrono::DateTime<chrono::Utc>, IbmError> {
    time::parse(value).ok_or_else(|| {
        IbmError::bad_request(format!(
            "Property 'expires_at' must be a date-time like 2026-12-31T23:59+0000; got '{value}'."
        ))
    })
}

pub async fn create(call: Call, body: Bytes) -> Response {
    let headers = call.headers().clone();
    respond(
        call.write(|state, caller| create_key(state, &caller, &headers, &body)),
        "createApiKey",
    )
}

fn create_key(
    state: &mut State,
    caller: &Caller,
    headers: &axum::http::HeaderMap,
    raw: &[u8],
) -> Result<Response, IbmError> {
    let map = body::object(raw)?;

    let name = string(&map, "name")?
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| {
            IbmError::bad_request("Property 'name' is required and must not be empty.")
        })?;
    let iam_id = string(&map, "iam_id")?
        .filter(|i| !i.trim().is_empty())
        .ok_or_else(|| IbmError::bad_request("Property 'iam_id' is required."))?;
    let description = string(&map, "description")?.filter(|d| !d.is_empty());
    let account_id = string(&map, "account_id")?;
    let value = string(&map, "apikey")?;
    let store_value = boolean(&map, "store_value")?.unwrap_or(false);
    let support_sessions = boolean(&map, "support_sessions")?;
    let action_when_leaked = check_action(string(&map, "action_when_leaked")?)?;
    let expires_at = match string(&map, "expires_at")?.filter(|e| !e.is_empty()) {
        Some(e) => Some(parse_expiry(&e)?),
        None => None,
    };
    let locked = body::bool_header(headers, "entity-lock")?;
    let disabled = body::bool_header(headers, "entity-disable")?;

    let identity = state
        .identity(&iam_id)
        .cloned()
        .ok_or_else(|| IbmError::bad_request(format!("The IAM ID '{iam_id}' is not valid.")))?;
    if let Some(account_id) = &account_id {
        body::check_account_id(account_id)?;
        if *account_id != identity.account_id {
            return Err(IbmError::bad_request(format!(
                "The IAM ID '{iam_id}' does not belong to account '{account_id}'."
            )));
        }
    }
    if identity.account_id != caller.account_id {
        return Err(IbmError::forbidden(
            "You are not allowed to create API keys for an identity of another account.",
        ));
    }
    match identity.kind {
        IdentityKind::User if identity.iam_id != caller.iam_id => {
            return Err(IbmError::forbidden(
                "A user's API keys can only be created by that user.",
            ));
        }
        IdentityKind::User if store_value => {
            return Err(IbmError::bad_request(
                "Property 'store_value' is only allowed for service ID API keys.",
            ));
        }
        IdentityKind::ServiceId if support_sessions == Some(true) => {
            return Err(IbmError::bad_request(
                "Property 'support_sessions' is only allowed for user API keys.",
            ));
        }
        _ => {}
    }
    let limit = state.limit_per_identity();
    if state.keys_of(&iam_id) >= limit as usize {
        return Err(IbmError::limit_exceeded(&iam_id, limit));
    }
    let value = match value {
        Some(v) => {
            if v.chars().count() < MIN_APIKEY_LEN {
                return Err(IbmError::bad_request(format!(
                    "Property 'apikey' must be at least {MIN_APIKEY_LEN} characters long."
                )));
            }
            if v.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(IbmError::bad_request(
                    "Property 'apikey' must not contain whitespace or control characters.",
                ));
            }
            if state.key_by_value(&v).is_some() {
                return Err(IbmError::conflict(
                    "An API key with this value already exists.",
                ));
            }
            v
        }
        None => new_key_value(),
    };

    let now = chrono::Utc::now();
    let mut key = ApiKey {
        id: format!("ApiKey-{}", crate::util::uuid()),
        version: 0,
        entity_tag: entity_tag(0),
        account_id: identity.account_id.clone(),
        iam_id: identity.iam_id.clone(),
        name,
        description,
        apikey: value,
        store_value,
        locked,
        disabled,
        support_sessions: match identity.kind {
            IdentityKind::User => Some(support_sessions.unwrap_or(false)),
            IdentityKind::ServiceId => None,
        },
        action_when_leaked,
        expires_at,
        created_at: now,
        created_by: caller.iam_id.clone(),
        modified_at: now,
        history: Vec::new(),
        authn_count: 0,
        last_authn: None,
    };
    key.touch(&caller.iam_id, &caller.account_id, "create", Vec::new());
    let response = with_etag(
        StatusCode::CREATED,
        &key,
        Render {
            reveal: true,
            ..Render::default()
        },
    );
    state.keys.push(key);
    Ok(response)
}

pub async fn get(call: Call, Path(id): Path<String>, RawQuery(query): RawQuery) -> Response {
    let key = call.read(|state, caller| {
        let query = body::query_pairs(query.as_deref())?;
        let render = Render {
            reveal: false,
            history: body::query_bool(&query, "include_history")?,
            activity: body::query_bool(&query, "include_activity")?,
        };
        let key = &state.keys[visible(state, &caller, &id)?];
        Ok(with_etag(StatusCode::OK, key, render))
    });
    respond(key, "getApiKey")
}

pub async fn details(call: Call, RawQuery(query): RawQuery) -> Response {
    let details = call.read(|state, _| {
        let query = body::query_pairs(query.as_deref())?;
        let render = Render {
            history: body::query_bool(&query, "include_history")?,
            ..Render::default()
        };
        let value = call
            .headers()
            .get("iam-apikey")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| IbmError::bad_request("Header 'IAM-ApiKey' is required."))?;
        let key = state
            .key_by_value(value)
            .ok_or_else(|| IbmError::not_found("API key not found."))?;
        Ok(with_etag(StatusCode::OK, key, render))
    });
    respond(details, "getApiKeysDetails")
}

pub async fn update(call: Call, Path(id): Path<String>, body: Bytes) -> Response {
    let headers = call.headers().clone();
    respond(
        call.write(|state, caller| update_key(state, &caller, &id, &headers, &body)),
        "updateApiKey",
    )
}

fn update_key(
    state: &mut State,
    caller: &Caller,
    id: &str,
    headers: &axum::http::HeaderMap,
    raw: &[u8],
) -> Result<Response, IbmError> {
    let map = body::object(raw)?;
    let i = visible(state, caller, id)?;
    let owner = state.keys[i].iam_id.clone();
    let kind = state
        .identity(&owner)
        .map_or(IdentityKind::User, |i| i.kind);
    let if_match = headers
        .get("if-match")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| IbmError::bad_request("Header 'If-Match' is required."))?;

    let name = string(&map, "name")?;
    if name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return Err(IbmError::bad_request("Property 'name' must not be empty."));
    }
    let description = string(&map, "description")?;
    let support_sessions = boolean(&map, "support_sessions")?;
    if support_sessions == Some(true) && kind == IdentityKind::ServiceId {
        return Err(IbmError::bad_request(
            "Property 'support_sessions' is only allowed for user API keys.",
        ));
    }
    let action_when_leaked = check_action(string(&map, "action_when_leaked")?)?;
    // An empty expires_at removes the expiry.
    let expires_at = match string(&map, "expires_at")? {
        Some(e) if e.is_empty() => Some(None),
        Some(e) => Some(Some(parse_expiry(&e)?)),
        None => None,
    };

    let key = &mut state.keys[i];
    if key.locked {
        return Err(IbmError::locked(id));
    }
    let wanted = if_match.trim_start_matches("W/").trim_matches('"');
    if wanted != "*" && wanted != key.entity_tag {
        return Err(IbmError::conflict(format!(
            "The If-Match value '{wanted}' does not match the current version of API key '{id}'."
        )));
    }

    let mut changed = Vec::new();
    if let Some(n) = name {
        key.name = n;
        changed.push("name".to_owned());
    }
    if let Some(d) = description {
        key.description = Some(d).filter(|d| !d.is_empty());
        changed.push("description".to_owned());
    }
    if let Some(s) = support_sessions {
        if kind == IdentityKind::User {
            key.support_sessions = Some(s);
        }
        changed.push("support_sessions".to_owned());
    }
    if let Some(a) = action_when_leaked {
        key.action_when_leaked = Some(a);
        changed.push("action_when_leaked".to_owned());
    }
    if let Some(e) = expires_at {
        key.expires_at = e;
        changed.push("expires_at".to_owned());
    }
    key.touch(&caller.iam_id, &caller.account_id, "update", changed);
    Ok(with_etag(StatusCode::OK, key, Render::default()))
}

pub async fn delete(call: Call, Path(id): Path<String>) -> Response {
    let deleted = call.write(|state, caller| {
        let i = visible(state, &caller, &id)?;
        if state.keys[i].locked {
            return Err(IbmError::locked(&id));
        }
        state.keys.remove(i);
        Ok(StatusCode::NO_CONTENT.into_response())
    });
    respond(deleted, "deleteApiKey")
}

/// Lock, unlock, disable and enable: set one flag, bump the version, answer 204 with no body.
fn set_flag(
    call: Call,
    id: &str,
    action: &str,
    apply: fn(&mut ApiKey),
) -> Result<Response, IbmError> {
    call.write(|state, caller| {
        let i = visible(state, &caller, id)?;
        let key = &mut state.keys[i];
        apply(key);
        key.touch(&caller.iam_id, &caller.account_id, action, Vec::new());
        Ok(StatusCode::NO_CONTENT.into_response())
    })
}

pub async fn lock(call: Call, Path(id): Path<String>) -> Response {
    let locked = set_flag(call, &id, "lock", |k| k.locked = true);
    respond(locked, "lockApiKey")
}

pub async fn unlock(call: Call, Path(id): Path<String>) -> Response {
    let unlocked = set_flag(call, &id, "unlock", |k| k.locked = false);
    respond(unlocked, "unlockApiKey")
}

pub async fn disable(call: Call, Path(id): Path<String>) -> Response {
    let disabled = set_flag(call, &id, "disable", |k| k.disabled = true);
    respond(disabled, "disableApiKey")
}

pub async fn enable(call: Call, Path(id): Path<String>) -> Response {
    let enabled = set_flag(call, &id, "enable", |k| k.disabled = false);
    respond(enabled, "enableApiKey")
}
