//! `/iam/v1alpha1/api-keys`: list, create, get, update, delete.

use std::cmp::Ordering;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};

use super::error::{check, ArgError, ScwError};
use super::input::{Body, ListQuery, Params, MAX_DESCRIPTION};
use super::model::{hash_secret, now, ApiKey, Bearer, State};
use super::wire::{ApiKeyWire, Page};
use super::Call;

const ORDER_FIELDS: &[&str] = &["created_at", "updated_at", "expires_at", "access_key"];
const BEARER_TYPES: &[&str] = &["unknown_bearer_type", "user", "application"];

/// The list filters; every absent one means "no filter".
struct Filter {
    organization_id: Option<String>,
    user_id: Option<String>,
    application_id: Option<String>,
    bearer_id: Option<String>,
    bearer_type: Option<String>,
    editable: Option<bool>,
    expired: Option<bool>,
    access_keys: Vec<String>,
    description: Option<String>,
}

impl Filter {
    fn from_params(params: &Params, errors: &mut Vec<ArgError>) -> Self {
        let mut access_keys: Vec<String> = params
            .all("access_keys")
            .into_iter()
            .map(str::to_string)
            .collect();
        // `access_key` is the deprecated single-valued form of `access_keys`.
        access_keys.extend(params.get("access_key").map(str::to_string));
        Filter {
            organization_id: params.uuid("organization_id", errors),
            user_id: params.uuid("user_id", errors),
            application_id: params.uuid("application_id", errors),
            bearer_id: params.uuid("bearer_id", errors),
            bearer_type: params.one_of("bearer_type", BEARER_TYPES, errors),
            editable: params.bool("editable", errors),
            expired: params.bool("expired", errors),
            access_keys,
            description: params.get("description").map(str::to_string),
        }
    }

    fn matches(&self, state: &State, key: &ApiKey, now: chrono::DateTime<chrono::Utc>) -> bool {
        let user = match &key.bearer {
            Bearer::User(id) => Some(id.as_str()),
            Bearer::Application(_) => None,
        };
        let application = match &key.bearer {
            Bearer::Application(id) => Some(id.as_str()),
            Bearer::User(_) => None,
        };
        let type_ok = match self.bearer_type.as_deref() {
            Some("user") => user.is_some(),
            Some("application") => application.is_some(),
            _ => true,
        };
        self.organization_id
            .as_ref()
            .is_none_or(|o| *o == state.organization_id)
            && self.user_id.as_deref().is_none_or(|u| user == Some(u))
            && self
                .application_id
                .as_deref()
                .is_none_or(|a| application == Some(a))
            && self
                .bearer_id
                .as_deref()
                .is_none_or(|b| key.bearer.id() == b)
            && type_ok
            && self.editable.is_none_or(|e| key.editable == e)
            && self.expired.is_none_or(|e| key.is_expired(now) == e)
            && (self.access_keys.is_empty() || self.access_keys.contains(&key.access_key))
            && self
                .description
                .as_deref()
                .is_none_or(|d| key.description.contains(d))
    }
}

pub async fn list(call: Call, RawQuery(query): RawQuery) -> Result<Response, ScwError> {
    call.read(|state, _| {
        let mut query = ListQuery::parse(query.as_deref(), ORDER_FIELDS)?;
        let filter = Filter::from_params(&query.params, &mut query.errors);
        query.check()?;
        let now = now();
        let keys = state
            .api_keys
            .iter()
            .filter(|k| filter.matches(state, k, now))
            .collect();
        let (keys, total_count) = query.page(keys, compare, |k| k.access_key.as_str());
        let api_keys = keys.into_iter().map(|k| ApiKeyWire::new(k, None)).collect();
        Ok(Json(Page::new("api_keys", api_keys, total_count)).into_response())
    })
}

fn compare(field: &str, a: &ApiKey, b: &ApiKey) -> Ordering {
    match field {
        "created_at" => a.created_at.cmp(&b.created_at),
        "updated_at" => a.updated_at.cmp(&b.updated_at),
        // Keys without an expiry sort after every dated one, ascending.
        "expires_at" => {
            (a.expires_at.is_none(), a.expires_at).cmp(&(b.expires_at.is_none(), b.expires_at))
        }
        _ => Ordering::Equal,
    }
}

pub async fn create(call: Call, body: Bytes) -> Result<Response, ScwError> {
    call.write(|state, caller| {
        let body = Body::parse(&body)?;
        let mut errors = Vec::new();
        let user_id = body.uuid("user_id", &mut errors);
        let application_id = body.uuid("application_id", &mut errors);
        let description = body.bounded("description", MAX_DESCRIPTION, &mut errors);
        let expires_at = body.time("expires_at", &mut errors);
        let default_project_id = body.uuid("default_project_id", &mut errors);
        if user_id.is_some() && application_id.is_some() {
            for name in ["application_id", "user_id"] {
                errors.push(ArgError::constraint(
                    name,
                    "only one of application_id and user_id may be set",
                ));
            }
        }
        check_future(expires_at, &mut errors);
        check(errors)?;

        // With neither bearer given, the key goes to the caller's own bearer.
        let bearer = match (user_id, application_id) {
            (Some(id), _) => Bearer::User(state.user(&id)?.id.clone()),
            (None, Some(id)) => Bearer::Application(state.application(&id)?.id.clone()),
            (None, None) => caller.bearer,
        };
        let default_project_id = match default_project_id {
            Some(id) => state.project(&id)?.id.clone(),
            // The organization's default project shares the organization's id.
            None => state.organization_id.clone(),
        };

        let now = now();
        let secret_key = crate::util::uuid();
        let key = ApiKey {
            access_key: state.new_access_key(),
            secret_sha256: hash_secret(&secret_key),
            bearer,
            description: description.unwrap_or_default(),
            created_at: now,
            updated_at: now,
            expires_at,
            default_project_id,
            editable: true,
            deletable: true,
            managed: false,
            creation_ip: client_ip(call.headers()),
        };
        let wire = ApiKeyWire::new(&key, Some(secret_key));
        state.api_keys.push(key);
        Ok(Json(wire).into_response())
    })
}

pub async fn get(call: Call, Path(access_key): Path<String>) -> Result<Response, ScwError> {
    call.read(|state, _| Ok(Json(ApiKeyWire::new(state.key(&access_key)?, None)).into_response()))
}

pub async fn update(
    call: Call,
    Path(access_key): Path<String>,
    body: Bytes,
) -> Result<Response, ScwError> {
    call.write(|state, _| {
        ScwError::deny_unless(state.key(&access_key)?.editable, "api_key", "write")?;
        let body = Body::parse(&body)?;
        let mut errors = Vec::new();
        let description = body.bounded("description", MAX_DESCRIPTION, &mut errors);
        let default_project_id = body.uuid("default_project_id", &mut errors);
        let expires_at = body.time("expires_at", &mut errors);
        check_future(expires_at, &mut errors);
        check(errors)?;
        if let Some(id) = &default_project_id {
            state.project(id)?;
        }

        let key = state.key_mut(&access_key)?;
        if let Some(d) = description {
            key.description = d;
        }
        if let Some(p) = default_project_id {
            key.default_project_id = p;
        }
        if let Some(t) = expires_at {
            key.expires_at = Some(t);
        }
        key.updated_at = now();
        Ok(Json(ApiKeyWire::new(key, None)).into_response())
    })
}

pub async fn delete(call: Call, Path(access_key): Path<String>) -> Result<Response, ScwError> {
    call.write(|state, _| {
        ScwError::deny_unless(state.key(&access_key)?.deletable, "api_key", "delete")?;
        state.api_keys.retain(|k| k.access_key != access_key);
        Ok(StatusCode::NO_CONTENT.into_response())
    })
}

/// A key's new `expires_at` must lie in the future.
fn check_future(expires_at: Option<DateTime<Utc>>, errors: &mut Vec<ArgError>) {
    if expires_at.is_some_and(|t| t <= now()) {
        errors.push(ArgError::constraint("expires_at", "must be in the future"));
    }
}

/// The address recorded as `creation_ip`: the first `X-Forwarded-For` hop when a proxy sets it,
/// else loopback (the emulator only listens locally).
fn client_ip(headers: &HeaderMap) -> String {
    headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(str::trim)
        .filter(|ip| ip.parse::<std::net::IpAddr>().is_ok())
        .unwrap_or("127.0.0.1")
        .to_string()
}
