//! The identities behind keys: `GET /user` (who am I, which account), the key check the CLI falls
//! back to (`GET /execution-contexts/current`), and service users (`/service-users`).

use axum::body::Bytes;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::auth::Caller;
use super::error::CfError;
use super::model::{Owner, ServiceUser, State};
use super::wire::{accounts_of, Body, CurrentUserWire, ServiceUserWire};
use super::Call;

pub async fn current_user(call: Call) -> Result<Response, CfError> {
    call.read(|state, caller| {
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
    })
}

/// The CLI's second key check: any 2xx JSON for a valid key.
pub async fn current_execution_context(call: Call) -> Result<Response, CfError> {
    call.read(|_, caller| {
        Ok(Json(json!({
            "_id": caller.account_id,
            "name": "default",
            "type": "system",
            "owner": { "type": "account", "accountId": caller.account_id },
        }))
        .into_response())
    })
}

pub async fn list_service_users(call: Call) -> Result<Response, CfError> {
    call.read(|state, caller| {
        let list: Vec<ServiceUserWire> = state
            .service_users
            .iter()
            .filter(|s| s.account_id == caller.account_id)
            .map(ServiceUserWire::new)
            .collect();
        Ok(Json(list).into_response())
    })
}

pub async fn get_service_user(call: Call, Path(id): Path<String>) -> Result<Response, CfError> {
    call.read(|state, caller| {
        let i = in_account(state, &caller, &id)?;
        Ok(Json(ServiceUserWire::new(&state.service_users[i])).into_response())
    })
}

/// `{userName, teamIds, assignAdminRole}`.
pub async fn create_service_user(call: Call, body: Bytes) -> Result<Response, CfError> {
    call.write(|state, caller| {
        caller.require_admin(state)?;
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
        Ok(Json(wire).into_response())
    })
}

pub async fn update_service_user(
    call: Call,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, CfError> {
    call.write(|state, caller| {
        caller.require_admin(state)?;
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
        Ok(Json(ServiceUserWire::new(su)).into_response())
    })
}

/// Deleting a service user revokes its keys.
pub async fn delete_service_user(call: Call, Path(id): Path<String>) -> Result<Response, CfError> {
    call.write(|state, caller| {
        caller.require_admin(state)?;
        let i = in_account(state, &caller, &id)?;
        let removed = state.service_users.remove(i);
        let owner = Owner::ServiceUser(removed.id.clone());
        state.keys.retain(|k| k.owner != owner);
        Ok(Json(ServiceUserWire::new(&removed)).into_response())
    })
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
