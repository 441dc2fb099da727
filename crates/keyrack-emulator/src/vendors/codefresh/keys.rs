//! API keys: the caller's own (`/auth/keys`, `/auth/key[/{id}]`) and those of service users
//! (`/auth/key/service-user/{serviceUserId}[/{keyId}]`).

use axum::body::Bytes;
use axum::extract::{Path, RawQuery};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::auth::Caller;
use super::error::CfError;
use super::model::{sha256_hex, Key, Owner, State, Subject};
use super::wire::{Body, KeyWire};
use super::Call;

const SUBJECT_TYPES: &[&str] = &["user", "runtime-environment", "agent"];

/// Which key a route names: one of the caller's own (`/auth/key/{id}`), or one of a service
/// user's (`/auth/key/service-user/{service_user_id}/{id}`).
#[derive(Deserialize)]
pub struct KeyPath {
    service_user_id: Option<String>,
    id: String,
}

impl KeyPath {
    /// The index of the key, if its owner is who the path says and the caller may see it.
    fn find(&self, state: &State, caller: &Caller) -> Result<usize, CfError> {
        let owner = match &self.service_user_id {
            None => caller.owner.clone(),
            Some(id) => service_user_owner(state, caller, id)?,
        };
        state
            .keys
            .iter()
            .position(|k| k.id == self.id && k.owner == owner && k.account_id == caller.account_id)
            .ok_or_else(|| CfError::not_found("Token not found"))
    }
}

pub async fn list(call: Call) -> Result<Response, CfError> {
    call.read(|state, caller| {
        let keys: Vec<KeyWire> = state
            .keys
            .iter()
            .filter(|k| k.owner == caller.owner && k.account_id == caller.account_id)
            .map(KeyWire::new)
            .collect();
        Ok(Json(keys).into_response())
    })
}

/// `POST /auth/key[?subjectType=…&subjectReference=…]`: the token, as plain text.
pub async fn create(
    call: Call,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Response, CfError> {
    call.write(|state, caller| {
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
        Ok(plain_text(token))
    })
}

/// `GET /auth/key/service-user/{serviceUserId}`: the service user's keys, a bare array like
/// `/auth/keys`. No source documents a listing of a service user's keys; this is the REST
/// sibling of the documented create, with the same admin check and 404s.
pub async fn list_for_service_user(
    call: Call,
    Path(service_user_id): Path<String>,
) -> Result<Response, CfError> {
    call.read(|state, caller| {
        let owner = service_user_owner(state, &caller, &service_user_id)?;
        let keys: Vec<KeyWire> = state
            .keys
            .iter()
            .filter(|k| k.owner == owner && k.account_id == caller.account_id)
            .map(KeyWire::new)
            .collect();
        Ok(Json(keys).into_response())
    })
}

pub async fn create_for_service_user(
    call: Call,
    Path(service_user_id): Path<String>,
    body: Bytes,
) -> Result<Response, CfError> {
    call.write(|state, caller| {
        let owner = service_user_owner(state, &caller, &service_user_id)?;
        let (name, scopes) = new_key_body(&body)?;
        let subject = Subject {
            kind: "user".to_string(),
            reference: service_user_id,
        };
        let token = mint(state, owner, &caller.account_id, name, scopes, subject);
        Ok(plain_text(token))
    })
}

pub async fn get(call: Call, Path(key): Path<KeyPath>) -> Result<Response, CfError> {
    call.read(|state, caller| {
        let i = key.find(state, &caller)?;
        Ok(Json(KeyWire::new(&state.keys[i])).into_response())
    })
}

/// PATCH: `name` and/or `scopes` replace the stored ones; the secret never changes.
pub async fn update(
    call: Call,
    Path(key): Path<KeyPath>,
    body: Bytes,
) -> Result<Response, CfError> {
    call.write(|state, caller| {
        let i = key.find(state, &caller)?;
        let body = Body::parse(&body)?;
        let name = body.name("name")?;
        let scopes = body.scopes()?;
        let key = &mut state.keys[i];
        if let Some(name) = name {
            key.name = name;
        }
        if let Some(scopes) = scopes {
            key.scopes = Some(scopes);
            key.snapshot_date = crate::util::now();
        }
        Ok(Json(KeyWire::new(key)).into_response())
    })
}

pub async fn delete(call: Call, Path(key): Path<KeyPath>) -> Result<Response, CfError> {
    call.write(|state, caller| {
        let i = key.find(state, &caller)?;
        let removed = state.keys.remove(i);
        Ok(Json(KeyWire::new(&removed)).into_response())
    })
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
