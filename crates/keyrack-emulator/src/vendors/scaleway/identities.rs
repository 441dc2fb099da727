//! The identities a key can be given to (users, applications) and the projects a key can
//! default to: enough of `/iam/v1alpha1/users`, `/iam/v1alpha1/applications` and
//! `/account/v3/projects` to pick a bearer and a `default_project_id`.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State as Extract};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::auth::authenticate;
use super::error::{check, ArgError, ScwError};
use super::input::{page_of, Body, Params, MAX_DESCRIPTION};
use super::model::{now, Application, Bearer};
use super::wire::{
    ApplicationWire, ListApplications, ListProjects, ListUsers, ProjectWire, UserWire,
};
use crate::state::Shared;

const USER_ORDER: &[&str] = &[
    "created_at",
    "updated_at",
    "email",
    "last_login",
    "username",
];
const USER_TYPES: &[&str] = &["unknown_type", "owner", "member"];
const APPLICATION_ORDER: &[&str] = &["created_at", "updated_at", "name"];
const PROJECT_ORDER: &[&str] = &["created_at", "name"];
const MAX_APPLICATION_NAME: usize = 64;

pub async fn list_users(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ScwError> {
    let store = shared.store();
    let state = &store.scaleway;
    authenticate(state, &headers)?;
    let params = Params::parse(query.as_deref())?;
    let mut errors = Vec::new();
    let paging = params.paging(&mut errors);
    let order = params.order(USER_ORDER, &mut errors);
    let organization_id = params.uuid("organization_id", &mut errors);
    let user_ids = params.uuids("user_ids", &mut errors);
    let mfa = params.bool("mfa", &mut errors);
    let tag = params.get("tag");
    let user_type = params.one_of("type", USER_TYPES, &mut errors);
    check(errors)?;

    let mut users: Vec<_> = state
        .users
        .iter()
        .filter(|u| {
            organization_id
                .as_ref()
                .is_none_or(|o| *o == u.organization_id)
        })
        .filter(|u| user_ids.is_empty() || user_ids.contains(&u.id))
        .filter(|u| mfa.is_none_or(|m| u.mfa == m))
        .filter(|u| tag.is_none_or(|t| u.tags.iter().any(|x| x == t)))
        .filter(|u| match user_type.as_deref() {
            Some("owner") | Some("member") => Some(u.user_type.as_str()) == user_type.as_deref(),
            _ => true,
        })
        .collect();
    users.sort_by(|a, b| {
        let ord = match order.field.as_str() {
            "updated_at" => a.updated_at.cmp(&b.updated_at),
            "email" => a.email.cmp(&b.email),
            "last_login" => a.last_login_at.cmp(&b.last_login_at),
            "username" => a.username.cmp(&b.username),
            _ => a.created_at.cmp(&b.created_at),
        };
        order.apply(ord.then_with(|| a.id.cmp(&b.id)))
    });
    let total_count = users.len();
    let users = page_of(users, paging)
        .into_iter()
        .map(|u| UserWire::new(u, state))
        .collect();
    Ok(Json(ListUsers { users, total_count }).into_response())
}

pub async fn get_user(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
    Path(user_id): Path<String>,
) -> Result<Response, ScwError> {
    let store = shared.store();
    let state = &store.scaleway;
    authenticate(state, &headers)?;
    let user = state
        .user(&user_id)
        .ok_or_else(|| ScwError::not_found("user", &user_id))?;
    Ok(Json(UserWire::new(user, state)).into_response())
}

pub async fn list_applications(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ScwError> {
    let store = shared.store();
    let state = &store.scaleway;
    authenticate(state, &headers)?;
    let params = Params::parse(query.as_deref())?;
    let mut errors = Vec::new();
    let paging = params.paging(&mut errors);
    let order = params.order(APPLICATION_ORDER, &mut errors);
    let organization_id = params.uuid("organization_id", &mut errors);
    let application_ids = params.uuids("application_ids", &mut errors);
    let editable = params.bool("editable", &mut errors);
    let name = params.get("name");
    let tag = params.get("tag");
    check(errors)?;

    let mut apps: Vec<_> = state
        .applications
        .iter()
        .filter(|a| {
            organization_id
                .as_ref()
                .is_none_or(|o| *o == a.organization_id)
        })
        .filter(|a| application_ids.is_empty() || application_ids.contains(&a.id))
        .filter(|a| editable.is_none_or(|e| a.editable == e))
        .filter(|a| name.is_none_or(|n| a.name.contains(n)))
        .filter(|a| tag.is_none_or(|t| a.tags.iter().any(|x| x == t)))
        .collect();
    apps.sort_by(|a, b| {
        let ord = match order.field.as_str() {
            "updated_at" => a.updated_at.cmp(&b.updated_at),
            "name" => a.name.cmp(&b.name),
            _ => a.created_at.cmp(&b.created_at),
        };
        order.apply(ord.then_with(|| a.id.cmp(&b.id)))
    });
    let total_count = apps.len();
    let applications = page_of(apps, paging)
        .into_iter()
        .map(|a| ApplicationWire::new(a, state))
        .collect();
    Ok(Json(ListApplications {
        applications,
        total_count,
    })
    .into_response())
}

pub async fn get_application(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ScwError> {
    let store = shared.store();
    let state = &store.scaleway;
    authenticate(state, &headers)?;
    let app = state
        .application(&id)
        .ok_or_else(|| ScwError::not_found("application", &id))?;
    Ok(Json(ApplicationWire::new(app, state)).into_response())
}

pub async fn create_application(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ScwError> {
    let mut store = shared.store();
    let state = &mut store.scaleway;
    authenticate(state, &headers)?;
    let body = Body::parse(&body)?;
    let mut errors = Vec::new();
    let name = body.bounded("name", MAX_APPLICATION_NAME, &mut errors);
    if name.as_deref().is_none_or(str::is_empty) && errors.is_empty() {
        errors.push(ArgError::required("name"));
    }
    let description = body.bounded("description", MAX_DESCRIPTION, &mut errors);
    let tags = body.strings("tags", &mut errors);
    let organization_id = body.uuid("organization_id", &mut errors);
    check(errors)?;
    if organization_id.is_some_and(|o| o != state.organization_id) {
        return Err(ScwError::PermissionsDenied {
            resource: "application",
            action: "write",
        });
    }

    let now = now();
    let app = Application {
        id: crate::util::uuid(),
        name: name.unwrap_or_default(),
        description: description.unwrap_or_default(),
        created_at: now,
        updated_at: now,
        organization_id: state.organization_id.clone(),
        editable: true,
        deletable: true,
        managed: false,
        tags: tags.unwrap_or_default(),
    };
    let wire = ApplicationWire::new(&app, state);
    state.applications.push(app);
    shared.persist_locked(&store);
    Ok(Json(wire).into_response())
}

pub async fn update_application(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ScwError> {
    let mut store = shared.store();
    let state = &mut store.scaleway;
    authenticate(state, &headers)?;
    let app = state
        .application(&id)
        .ok_or_else(|| ScwError::not_found("application", &id))?;
    if !app.editable {
        return Err(ScwError::PermissionsDenied {
            resource: "application",
            action: "write",
        });
    }
    let body = Body::parse(&body)?;
    let mut errors = Vec::new();
    let name = body.bounded("name", MAX_APPLICATION_NAME, &mut errors);
    if name.as_deref() == Some("") {
        errors.push(ArgError::constraint("name", "must not be empty"));
    }
    let description = body.bounded("description", MAX_DESCRIPTION, &mut errors);
    let tags = body.strings("tags", &mut errors);
    check(errors)?;

    let Some(app) = state.applications.iter_mut().find(|a| a.id == id) else {
        return Err(ScwError::not_found("application", &id));
    };
    if let Some(n) = name {
        app.name = n;
    }
    if let Some(d) = description {
        app.description = d;
    }
    if let Some(t) = tags {
        app.tags = t;
    }
    app.updated_at = now();
    let app = app.clone();
    let wire = ApplicationWire::new(&app, state);
    shared.persist_locked(&store);
    Ok(Json(wire).into_response())
}

/// Deleting an application deletes its API keys with it.
pub async fn delete_application(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ScwError> {
    let mut store = shared.store();
    let state = &mut store.scaleway;
    authenticate(state, &headers)?;
    let app = state
        .application(&id)
        .ok_or_else(|| ScwError::not_found("application", &id))?;
    if !app.deletable {
        return Err(ScwError::PermissionsDenied {
            resource: "application",
            action: "delete",
        });
    }
    state.applications.retain(|a| a.id != id);
    state
        .api_keys
        .retain(|k| !matches!(&k.bearer, Bearer::Application(a) if *a == id));
    shared.persist_locked(&store);
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn list_projects(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ScwError> {
    let store = shared.store();
    let state = &store.scaleway;
    authenticate(state, &headers)?;
    let params = Params::parse(query.as_deref())?;
    let mut errors = Vec::new();
    let paging = params.paging(&mut errors);
    let order = params.order(PROJECT_ORDER, &mut errors);
    let organization_id = params.uuid("organization_id", &mut errors);
    let project_ids = params.uuids("project_ids", &mut errors);
    let name = params.get("name");
    check(errors)?;

    let mut projects: Vec<_> = state
        .projects
        .iter()
        .filter(|p| {
            organization_id
                .as_ref()
                .is_none_or(|o| *o == p.organization_id)
        })
        .filter(|p| project_ids.is_empty() || project_ids.contains(&p.id))
        .filter(|p| name.is_none_or(|n| p.name.contains(n)))
        .collect();
    projects.sort_by(|a, b| {
        let ord = match order.field.as_str() {
            "name" => a.name.cmp(&b.name),
            _ => a.created_at.cmp(&b.created_at),
        };
        order.apply(ord.then_with(|| a.id.cmp(&b.id)))
    });
    let total_count = projects.len();
    let projects = page_of(projects, paging)
        .into_iter()
        .map(ProjectWire::new)
        .collect();
    Ok(Json(ListProjects {
        total_count,
        projects,
    })
    .into_response())
}

pub async fn get_project(
    Extract(shared): Extract<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ScwError> {
    let store = shared.store();
    let state = &store.scaleway;
    authenticate(state, &headers)?;
    let project = state
        .project(&id)
        .ok_or_else(|| ScwError::not_found("project", &id))?;
    Ok(Json(ProjectWire::new(project)).into_response())
}
