//! The identities behind keys: `GET /user` (who am I, which account), the key check the CLI falls
//! back to (`GET /execution-contexts/current`), and service users (`/service-users`).

use axum::body::Bytes;
use axum::extract::{Path, State as Extract};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::auth::{authenticate, Caller};
use super::error::CfError;
use super::model::{Owner, ServiceUser, State};
use super::wire::{accounts_of, Body, CurrentUserWire, ServiceUserWire};
use crate::state::Shared;

pub async fn current_user(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
) -> Result<Response, CfError> {
    let store = shared.store();
    let state = &store.codefresh;
    let caller = authenticate(state, &headers)?;
    let active_account_name = state
        .account(&caller.account_id)
        .map(|a| a.name.clone())
        .unwrap_or_default();
    let wire = match &caller.owner {
        Owner::User(id) => {
            let user = state.user(id).ok_or_else(CfError::unauthorized)?;
            CurrentUserWire {
                id: user.id.clone(),
                user_name: user.user_name.clone(),
                email: user.email.clone(),
                roles: user.roles.clone(),
                active_account_name,
                account: accounts_of(state, &user.account_ids),
            }
        }
        Owner::ServiceUser(id) => {
            let su = state.service_user(id).ok_or_else(CfError::unauthorized)?;
            CurrentUserWire {
                id: su.id.clone(),
                user_name: su.user_name.clone(),
                email: String::new(),
                roles: su.roles.clone(),
                active_account_name,
                account: accounts_of(state, std::slice::from_ref(&su.account_id)),
            }
        }
    };
    Ok(Json(wire).into_response())
}

/// The CLI's second key check: any 2xx JSON for a valid key.
pub async fn current_execution_context(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
) -> Result<Response, CfError> {
    let store = shared.store();
    let state = &store.codefresh;
    let caller = authenticate(state, &headers)?;
    Ok(Json(json!({
        "_id": caller.account_id,
        "name": "default",
        "type": "system",
        "owner": { "type": "account", "accountId": caller.account_id },
    }))
    .into_response())
}

pub async fn list_service_users(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
) -> Result<Response, CfError> {
    let store = shared.store();
    let state = &store.codefresh;
    let caller = authenticate(state, &headers)?;
    let list: Vec<ServiceUserWire> = state
        .service_users
        .iter()
        .filter(|s| s.account_id == caller.account_id)
        .map(ServiceUserWire::new)
        .collect();
    Ok(Json(list).into_response())
}

pub async fn get_service_user(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, CfError> {
    let store = shared.store();
    let state = &store.codefresh;
    let caller = authenticate(state, &headers)?;
    let i = in_account(state, &caller, &id)?;
    Ok(Json(ServiceUserWire::new(&state.service_users[i])).into_response())
}

/// `{userName, teamIds, assignAdminRole}`.
pub async fn create_service_user(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, CfError> {
    let mut store = shared.store();
    let state = &mut store.codefresh;
    let caller = authenticate(state, &headers)?;
    require_admin(state, &caller)?;
    let body = Body::parse(&body)?;
    let user_name = body
        .name("userName")?
        .ok_or_else(|| CfError::bad_request("'userName' is required"))?;
    let team_ids = body.strings("teamIds")?.unwrap_or_default();
    let admin = body.bool("assignAdminRole")?.unwrap_or(false);
    ensure_unique_name(state, &caller.account_id, &user_name, None)?;
    let su = ServiceUser {
        id: state.new_object_id(crate::util::now()),
        user_name,
        account_id: caller.account_id.clone(),
        team_ids,
        roles: roles(admin),
    };
    let wire = ServiceUserWire::new(&su);
    state.service_users.push(su);
    shared.persist_locked(&store);
    Ok(Json(wire).into_response())
}

pub async fn update_service_user(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, CfError> {
    let mut store = shared.store();
    let state = &mut store.codefresh;
    let caller = authenticate(state, &headers)?;
    require_admin(state, &caller)?;
    let i = in_account(state, &caller, &id)?;
    let body = Body::parse(&body)?;
    let user_name = body.name("userName")?;
    let team_ids = body.strings("teamIds")?;
    let admin = body.bool("assignAdminRole")?;
    if let Some(name) = &user_name {
        ensure_unique_name(state, &caller.account_id, name, Some(&id))?;
    }
    let su = &mut state.service_users[i];
    if let Some(name) = user_name {
        su.user_name = name;
    }
    if let Some(teams) = team_ids {
        su.team_ids = teams;
    }
    if let Some(admin) = admin {
        su.roles = roles(admin);
    }
    let wire = ServiceUserWire::new(su);
    shared.persist_locked(&store);
    Ok(Json(wire).into_response())
}

/// Deleting a service user revokes its keys.
pub async fn delete_service_user(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, CfError> {
    let mut store = shared.store();
    let state = &mut store.codefresh;
    let caller = authenticate(state, &headers)?;
    require_admin(state, &caller)?;
    let i = in_account(state, &caller, &id)?;
    let removed = state.service_users.remove(i);
    let owner = Owner::ServiceUser(removed.id.clone());
    state.keys.retain(|k| k.owner != owner);
    shared.persist_locked(&store);
    Ok(Json(ServiceUserWire::new(&removed)).into_response())
}

pub fn require_admin(state: &State, caller: &Caller) -> Result<(), CfError> {
    if caller.is_account_admin(state) {
        Ok(())
    } else {
        Err(CfError::forbidden("This action requires account admin"))
    }
}

fn in_account(state: &State, caller: &Caller, id: &str) -> Result<usize, CfError> {
    state
        .service_users
        .iter()
        .position(|s| s.id == id && s.account_id == caller.account_id)
        .ok_or_else(|| CfError::not_found("Service user not found"))
}

fn ensure_unique_name(
    state: &State,
    account_id: &str,
    name: &str,
    except: Option<&str>,
) -> Result<(), CfError> {
    let taken = state.service_users.iter().any(|s| {
        s.account_id == account_id && s.user_name == name && Some(s.id.as_str()) != except
    });
    if taken {
        Err(CfError::bad_request(format!(
            "Service user '{name}' already exists"
        )))
    } else {
        Ok(())
    }
}

fn roles(admin: bool) -> Vec<String> {
    if admin {
        vec!["Admin".to_string()]
    } else {
        Vec::new()
    }
}
