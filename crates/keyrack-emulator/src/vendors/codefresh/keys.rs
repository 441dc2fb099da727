//! API keys: the caller's own (`/auth/keys`, `/auth/key[/{id}]`) and those of service users
//! (`/auth/key/service-user/{serviceUserId}[/{keyId}]`).

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State as Extract};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::auth::{authenticate, Caller};
use super::error::CfError;
use super::model::{sha256_hex, Key, Owner, State, Subject};
use super::wire::{Body, KeyWire};
use crate::state::Shared;

const SUBJECT_TYPES: &[&str] = &["user", "runtime-environment", "agent"];

pub async fn list(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
) -> Result<Response, CfError> {
    let store = shared.store();
    let state = &store.codefresh;
    let caller = authenticate(state, &headers)?;
    let keys: Vec<KeyWire> = state
        .keys
        .iter()
        .filter(|k| k.owner == caller.owner && k.account_id == caller.account_id)
        .map(KeyWire::new)
        .collect();
    Ok(Json(keys).into_response())
}

/// `POST /auth/key[?subjectType=…&subjectReference=…]`: the token, as plain text.
pub async fn create(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Response, CfError> {
    let mut store = shared.store();
    let state = &mut store.codefresh;
    let caller = authenticate(state, &headers)?;
    let subject = subject_from_query(query.as_deref(), &caller)?;
    let (name, scopes) = new_key_body(&body)?;
    let token = mint(
        state,
        caller.owner,
        &caller.account_id,
        name,
        scopes,
        subject,
    );
    shared.persist_locked(&store);
    Ok(plain_text(token))
}

pub async fn get(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, CfError> {
    let store = shared.store();
    let state = &store.codefresh;
    let caller = authenticate(state, &headers)?;
    let i = owned(state, &caller.owner, &caller.account_id, &id)?;
    Ok(Json(KeyWire::new(&state.keys[i])).into_response())
}

pub async fn update(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, CfError> {
    let mut store = shared.store();
    let state = &mut store.codefresh;
    let caller = authenticate(state, &headers)?;
    let i = owned(state, &caller.owner, &caller.account_id, &id)?;
    let wire = patch(&mut state.keys[i], &body)?;
    shared.persist_locked(&store);
    Ok(Json(wire).into_response())
}

pub async fn delete(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, CfError> {
    let mut store = shared.store();
    let state = &mut store.codefresh;
    let caller = authenticate(state, &headers)?;
    let i = owned(state, &caller.owner, &caller.account_id, &id)?;
    let removed = state.keys.remove(i);
    shared.persist_locked(&store);
    Ok(Json(KeyWire::new(&removed)).into_response())
}

pub async fn create_for_service_user(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
    Path(service_user_id): Path<String>,
    body: Bytes,
) -> Result<Response, CfError> {
    let mut store = shared.store();
    let state = &mut store.codefresh;
    let caller = authenticate(state, &headers)?;
    let owner = service_user_owner(state, &caller, &service_user_id)?;
    let (name, scopes) = new_key_body(&body)?;
    let subject = Subject {
        kind: "user".to_string(),
        reference: service_user_id,
    };
    let token = mint(state, owner, &caller.account_id, name, scopes, subject);
    shared.persist_locked(&store);
    Ok(plain_text(token))
}

pub async fn get_for_service_user(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
    Path((service_user_id, id)): Path<(String, String)>,
) -> Result<Response, CfError> {
    let store = shared.store();
    let state = &store.codefresh;
    let caller = authenticate(state, &headers)?;
    let owner = service_user_owner(state, &caller, &service_user_id)?;
    let i = owned(state, &owner, &caller.account_id, &id)?;
    Ok(Json(KeyWire::new(&state.keys[i])).into_response())
}

pub async fn update_for_service_user(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
    Path((service_user_id, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, CfError> {
    let mut store = shared.store();
    let state = &mut store.codefresh;
    let caller = authenticate(state, &headers)?;
    let owner = service_user_owner(state, &caller, &service_user_id)?;
    let i = owned(state, &owner, &caller.account_id, &id)?;
    let wire = patch(&mut state.keys[i], &body)?;
    shared.persist_locked(&store);
    Ok(Json(wire).into_response())
}

pub async fn delete_for_service_user(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
    Path((service_user_id, id)): Path<(String, String)>,
) -> Result<Response, CfError> {
    let mut store = shared.store();
    let state = &mut store.codefresh;
    let caller = authenticate(state, &headers)?;
    let owner = service_user_owner(state, &caller, &service_user_id)?;
    let i = owned(state, &owner, &caller.account_id, &id)?;
    let removed = state.keys.remove(i);
    shared.persist_locked(&store);
    Ok(Json(KeyWire::new(&removed)).into_response())
}

/// Store a new key and return its token, `<keyId>.<secret>` — the only time it is shown.
pub fn mint(
    state: &mut State,
    owner: Owner,
    account_id: &str,
    name: String,
    scopes: Option<Vec<String>>,
    subject: Subject,
) -> String {
    let now = crate::util::now();
    let id = state.new_object_id(now);
    let secret = crate::util::random_hex(32);
    let token = format!("{id}.{secret}");
    let snapshot_id = state.new_object_id(now);
    state.keys.push(Key {
        token_prefix: token.chars().take(8).collect(),
        id,
        name,
        scopes,
        subject,
        secret_sha256: sha256_hex(&secret),
        created: now,
        owner,
        account_id: account_id.to_string(),
        snapshot_id,
        snapshot_date: now,
    });
    token
}

/// `{name, scopes}` of a new key: both required, though `scopes` may be `[]` (see
/// `Body::scope_list`).
fn new_key_body(bytes: &[u8]) -> Result<(String, Option<Vec<String>>), CfError> {
    let body = Body::parse(bytes)?;
    let name = body
        .name("name")?
        .ok_or_else(|| CfError::bad_request("'name' is required"))?;
    let scopes = body
        .scope_list()?
        .ok_or_else(|| CfError::bad_request("'scopes' is required: an array of scope names"))?;
    Ok((name, Some(scopes)))
}

/// PATCH: `name` and/or `scopes` replace the stored ones; the secret never changes.
fn patch(key: &mut Key, bytes: &[u8]) -> Result<KeyWire, CfError> {
    let body = Body::parse(bytes)?;
    let name = body.name("name")?;
    let scopes = body.scopes()?;
    if let Some(name) = name {
        key.name = name;
    }
    if let Some(scopes) = scopes {
        key.scopes = Some(scopes);
        key.snapshot_date = crate::util::now();
    }
    Ok(KeyWire::new(key))
}

fn subject_from_query(query: Option<&str>, caller: &Caller) -> Result<Subject, CfError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or_default())
        .map_err(|_| CfError::bad_request("Malformed query string"))?;
    let param = |name: &str| {
        pairs
            .iter()
            .rev()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.clone())
    };
    let kind = param("subjectType").unwrap_or_else(|| "user".to_string());
    if !SUBJECT_TYPES.contains(&kind.as_str()) {
        return Err(CfError::bad_request(format!(
            "'subjectType' must be one of: {}",
            SUBJECT_TYPES.join(", ")
        )));
    }
    let reference = if kind == "user" {
        caller.owner.id().to_string()
    } else {
        param("subjectReference").ok_or_else(|| {
            CfError::bad_request(format!(
                "'subjectReference' is required for subjectType={kind}"
            ))
        })?
    };
    Ok(Subject { kind, reference })
}

/// The index of key `id` if `owner` owns it in `account_id`; otherwise it does not exist for
/// this caller.
fn owned(state: &State, owner: &Owner, account_id: &str, id: &str) -> Result<usize, CfError> {
    state
        .keys
        .iter()
        .position(|k| k.id == id && k.owner == *owner && k.account_id == account_id)
        .ok_or_else(|| CfError::not_found("Token not found"))
}

/// Only account admins manage service users' keys, and only in their own account.
fn service_user_owner(state: &State, caller: &Caller, id: &str) -> Result<Owner, CfError> {
    if !caller.is_account_admin(state) {
        return Err(CfError::forbidden(
            "Only account admins can manage service user keys",
        ));
    }
    state
        .service_user(id)
        .filter(|s| s.account_id == caller.account_id)
        .map(|s| Owner::ServiceUser(s.id.clone()))
        .ok_or_else(|| CfError::not_found("Service user not found"))
}

/// The token exactly as clients store it: no JSON quoting, no envelope.
fn plain_text(token: String) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], token).into_response()
}
