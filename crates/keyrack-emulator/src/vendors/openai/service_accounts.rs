//! S1–S6: a project's service accounts and the keys minted for them (the only way to create a
//! project key through the API). A key's secret is in its create response and nowhere else.

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State as AxState};
use axum::http::HeaderMap;
use axum::response::Response;

use super::error::ApiError;
use super::paging::{envelope, page, Query};
use super::{
    body, mint, new_id, now, path_param, read, run, wire, wrote, KeyOwner, ProjectKey,
    ServiceAccount, State,
};
use crate::state::Shared;

/// The name the API gives a service account's initial key (the request cannot choose it).
const INITIAL_KEY_NAME: &str = "Secret Key";

/// S1. Refused for an archived project, as documented.
pub async fn list(
    AxState(shared): AxState<Shared>,
    headers: HeaderMap,
    p: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Response {
    run(&shared, &headers, |state, _| {
        let project_id = path_param(p)?;
        state.writable_project(&project_id)?;
        let q = Query::parse(q.as_deref())?;
        let limit = q.limit()?;
        let accounts: Vec<&ServiceAccount> = state
            .service_accounts
            .iter()
            .filter(|s| s.project_id == project_id)
            .collect();
        let (items, more) = page(accounts, |s| s.id.as_str(), q.get("after"), limit);
        read(envelope(
            items.into_iter().map(wire::service_account).collect(),
            more,
        ))
    })
}

/// Mints a key for a service account; returns the stored key and its one-time value.
pub(crate) fn new_key(
    project_id: &str,
    service_account_id: &str,
    name: &str,
    expires_in: Option<i64>,
    scopes: Vec<String>,
) -> (ProjectKey, String) {
    let secret = mint("sk-svcacct-", 6);
    let created = now();
    let key = ProjectKey {
        id: new_id("key_"),
        project_id: project_id.to_string(),
        name: name.to_string(),
        redacted_value: secret.redacted,
        value_sha256: secret.sha256,
        created_at: created,
        last_used_at: None,
        expires_at: expires_in.map(|s| created + s),
        owner: KeyOwner::ServiceAccount {
            service_account_id: service_account_id.to_string(),
        },
        owner_project_access: "active".to_string(),
        scopes,
    };
    (key, secret.value)
}

/// S2: a service account, by default with role `member` and one key (returned once);
/// `create_service_account_only` gives role `none` and `api_key: null`.
pub async fn create(
    AxState(shared): AxState<Shared>,
    headers: HeaderMap,
    p: Result<Path<String>, PathRejection>,
    bytes: Bytes,
) -> Response {
    run(&shared, &headers, |state, _| {
        let project_id = path_param(p)?;
        state.writable_project(&project_id)?;
        let fields = body::parse(
            &bytes,
            &["name", "create_service_account_only", "expires_in_seconds"],
        )?;
        let name = body::required_string(&fields, "name")?;
        let only = body::optional_bool(&fields, "create_service_account_only")?.unwrap_or(false);
        let expires = body::expires_in(&fields, "expires_in_seconds")?.flatten();
        if only && expires.is_some() {
            return Err(ApiError::bad_request(
                "'expires_in_seconds' cannot be used with 'create_service_account_only': no API key is created.",
            )
            .with_param("expires_in_seconds"));
        }
        let account = ServiceAccount {
            id: new_id("svc_acct_"),
            project_id: project_id.clone(),
            name,
            role: if only { "none" } else { "member" }.to_string(),
            created_at: now(),
        };
        let mut out = wire::service_account(&account);
        out["api_key"] = serde_json::Value::Null;
        if !only {
            let (key, value) = new_key(
                &project_id,
                &account.id,
                INITIAL_KEY_NAME,
                expires,
                Vec::new(),
            );
            out["api_key"] = wire::service_account_key_created(&key, &value);
            state.api_keys.push(key);
        }
        state.service_accounts.push(account);
        wrote(out)
    })
}

pub async fn retrieve(
    AxState(shared): AxState<Shared>,
    headers: HeaderMap,
    p: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    run(&shared, &headers, |state, _| {
        let (project_id, id) = path_param(p)?;
        state.project(&project_id)?;
        read(wire::service_account(
            state.service_account(&project_id, &id)?,
        ))
    })
}

/// S4: rename and/or change the role.
pub async fn update(
    AxState(shared): AxState<Shared>,
    headers: HeaderMap,
    p: Result<Path<(String, String)>, PathRejection>,
    bytes: Bytes,
) -> Response {
    run(&shared, &headers, |state, _| {
        let (project_id, id) = path_param(p)?;
        state.writable_project(&project_id)?;
        state.service_account(&project_id, &id)?;
        let fields = body::parse(&bytes, &["name", "role"])?;
        let name = body::optional_string(&fields, "name")?;
        let role = body::optional_string(&fields, "role")?;
        if let Some(role) = &role {
            if !["owner", "member", "none"].contains(&role.as_str()) {
                return Err(ApiError::bad_request(format!(
                    "Invalid value for 'role': '{role}'. Expected one of: owner, member, none."
                ))
                .with_param("role")
                .with_code("invalid_value"));
            }
        }
        if name.as_deref().is_some_and(|n| n.trim().is_empty()) {
            return Err(ApiError::bad_request("Invalid 'name': empty string.").with_param("name"));
        }
        let account = find_mut(state, &project_id, &id)?;
        if let Some(name) = name {
            account.name = name;
        }
        if let Some(role) = role {
            account.role = role;
        }
        wrote(wire::service_account(account))
    })
}

fn find_mut<'a>(
    state: &'a mut State,
    project_id: &str,
    id: &str,
) -> Result<&'a mut ServiceAccount, ApiError> {
    state
        .service_accounts
        .iter_mut()
        .find(|s| s.project_id == project_id && s.id == id)
        .ok_or_else(|| ApiError::not_found("service account", id))
}

/// S5: the service account and every key it owns.
pub async fn delete(
    AxState(shared): AxState<Shared>,
    headers: HeaderMap,
    p: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    run(&shared, &headers, |state, _| {
        let (project_id, id) = path_param(p)?;
        state.writable_project(&project_id)?;
        state.service_account(&project_id, &id)?;
        state
            .service_accounts
            .retain(|s| !(s.project_id == project_id && s.id == id));
        let owner = KeyOwner::ServiceAccount {
            service_account_id: id.clone(),
        };
        state.api_keys.retain(|k| k.owner != owner);
        wrote(wire::deleted(
            "organization.project.service_account.deleted",
            &id,
        ))
    })
}

/// S6: another key for an existing service account; its value is returned once.
pub async fn create_key(
    AxState(shared): AxState<Shared>,
    headers: HeaderMap,
    p: Result<Path<(String, String)>, PathRejection>,
    bytes: Bytes,
) -> Response {
    run(&shared, &headers, |state, _| {
        let (project_id, id) = path_param(p)?;
        state.writable_project(&project_id)?;
        state.service_account(&project_id, &id)?;
        let fields = body::parse(&bytes, &["name", "scopes", "expires_in_seconds"])?;
        let name =
            body::optional_string(&fields, "name")?.unwrap_or_else(|| INITIAL_KEY_NAME.to_string());
        let scopes = body::optional_strings(&fields, "scopes")?.unwrap_or_default();
        let expires = body::expires_in(&fields, "expires_in_seconds")?.flatten();
        let (key, value) = new_key(&project_id, &id, &name, expires, scopes);
        let out = wire::service_account_key_created(&key, &value);
        state.api_keys.push(key);
        wrote(out)
    })
}
