//! S1–S6: a project's service accounts and the keys minted for them (the only way to create a
//! project key through the API). A key's secret is in its create response and nowhere else.

use axum::body::Bytes;
use axum::extract::RawQuery;
use axum::Json;

use super::error::ApiError;
use super::mint::{issue, new_id, now};
use super::model::OfProject;
use super::paging::ListQuery;
use super::{
    body, path_param, scopes, wire, Answer, Call, IdPath, KeyOwner, PairPath, ProjectKey,
    ServiceAccount, State,
};

/// The name the API gives a service account's initial key (the request cannot choose it).
const INITIAL_KEY_NAME: &str = "Secret Key";

/// S1. Refused for an archived project, as documented.
pub async fn list(call: Call, p: IdPath, RawQuery(q): RawQuery) -> Answer {
    call.read(|state, _| {
        let project_id = path_param(p)?;
        state.writable_project(&project_id)?;
        let q = ListQuery::parse(q.as_deref())?;
        let accounts: Vec<&ServiceAccount> = state
            .service_accounts
            .iter()
            .filter(|s| s.project_id == project_id)
            .collect();
        let page = q.page(accounts, |s| s.id.as_str(), wire::service_account);
        Ok(Json(page))
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
    let (issued, value) = issue("sk-svcacct-", 6, name, now(), expires_in);
    let key = ProjectKey {
        id: new_id("key_"),
        project_id: project_id.to_string(),
        issued,
        owner: KeyOwner::ServiceAccount {
            service_account_id: service_account_id.to_string(),
        },
        owner_project_access: "active".to_string(),
        scopes,
    };
    (key, value)
}

/// S2: a service account, by default with role `member` and one key (returned once);
/// `create_service_account_only` gives role `none` and `api_key: null`.
pub async fn create(call: Call, p: IdPath, bytes: Bytes) -> Answer {
    call.write(|state, _| {
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
        Ok(Json(out))
    })
}

pub async fn retrieve(call: Call, p: PairPath) -> Answer {
    call.read(|state, _| {
        let (project_id, id) = path_param(p)?;
        state.project(&project_id)?;
        let account = ServiceAccount::find(&state.service_accounts, &project_id, &id)?;
        Ok(Json(wire::service_account(account)))
    })
}

/// S4: rename and/or change the role.
pub async fn update(call: Call, p: PairPath, bytes: Bytes) -> Answer {
    call.write(|state, _| {
        let (project_id, id) = writable_account(state, p)?;
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
        let account = ServiceAccount::find_mut(&mut state.service_accounts, &project_id, &id)?;
        if let Some(name) = name {
            account.name = name;
        }
        if let Some(role) = role {
            account.role = role;
        }
        Ok(Json(wire::service_account(account)))
    })
}

/// S5: the service account and every key it owns.
pub async fn delete(call: Call, p: PairPath) -> Answer {
    call.write(|state, _| {
        let (project_id, id) = writable_account(state, p)?;
        state
            .service_accounts
            .retain(|s| !(s.project_id == project_id && s.id == id));
        let owner = KeyOwner::ServiceAccount {
            service_account_id: id.clone(),
        };
        state.api_keys.retain(|k| k.owner != owner);
        let deleted = wire::deleted("organization.project.service_account.deleted", &id);
        Ok(Json(deleted))
    })
}

/// S6: another key for an existing service account; its value is returned once.
pub async fn create_key(call: Call, p: PairPath, bytes: Bytes) -> Answer {
    call.write(|state, _| {
        let (project_id, id) = writable_account(state, p)?;
        let fields = body::parse(&bytes, &["name", "scopes", "expires_in_seconds"])?;
        let name =
            body::optional_string(&fields, "name")?.unwrap_or_else(|| INITIAL_KEY_NAME.to_string());
        let scopes = scopes::parse(&fields)?.unwrap_or_default();
        let expires = body::expires_in(&fields, "expires_in_seconds")?.flatten();
        let (key, value) = new_key(&project_id, &id, &name, expires, scopes);
        let out = wire::service_account_key_created(&key, &value);
        state.api_keys.push(key);
        Ok(Json(out))
    })
}

/// The path's project and service account, both existing, the project not archived.
fn writable_account(state: &State, p: PairPath) -> Result<(String, String), ApiError> {
    let (project_id, id) = path_param(p)?;
    state.writable_project(&project_id)?;
    ServiceAccount::find(&state.service_accounts, &project_id, &id)?;
    Ok((project_id, id))
}
