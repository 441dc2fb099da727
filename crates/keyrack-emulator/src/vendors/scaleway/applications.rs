//! `/iam/v1alpha1/applications`: the non-human identities a key can be given to.

use std::cmp::Ordering;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::error::{check, ArgError, ScwError};
use super::input::{Body, ListQuery, MAX_DESCRIPTION};
use super::model::{now, Application, Bearer};
use super::wire::{ApplicationWire, Page};
use super::Call;

const ORDER_FIELDS: &[&str] = &["created_at", "updated_at", "name"];
const MAX_NAME: usize = 64;

pub async fn list(call: Call, RawQuery(query): RawQuery) -> Result<Response, ScwError> {
    call.read(|state, _| {
        let mut query = ListQuery::parse(query.as_deref(), ORDER_FIELDS)?;
        let (params, errors) = (&query.params, &mut query.errors);
        let organization_id = params.uuid("organization_id", errors);
        let application_ids = params.uuids("application_ids", errors);
        let editable = params.bool("editable", errors);
        let name = params.get("name").map(str::to_owned);
        let tag = params.get("tag").map(str::to_owned);
        query.check()?;

        let apps = state
            .applications
            .iter()
            .filter(|a| {
                organization_id
                    .as_ref()
                    .is_none_or(|o| *o == a.organization_id)
            })
            .filter(|a| application_ids.is_empty() || application_ids.contains(&a.id))
            .filter(|a| editable.is_none_or(|e| a.editable == e))
            .filter(|a| name.as_ref().is_none_or(|n| a.name.contains(n.as_str())))
            .filter(|a| tag.as_ref().is_none_or(|t| a.tags.contains(t)))
            .collect();
        let (apps, total_count) = query.page(apps, compare, |a| a.id.as_str());
        let applications = apps
            .into_iter()
            .map(|a| ApplicationWire::new(a, state))
            .collect();
        Ok(Json(Page::new("applications", applications, total_count)).into_response())
    })
}

fn compare(field: &str, a: &Application, b: &Application) -> Ordering {
    match field {
        "updated_at" => a.updated_at.cmp(&b.updated_at),
        "name" => a.name.cmp(&b.name),
        _ => a.created_at.cmp(&b.created_at),
    }
}

pub async fn get(call: Call, Path(id): Path<String>) -> Result<Response, ScwError> {
    call.read(|state, _| {
        Ok(Json(ApplicationWire::new(state.application(&id)?, state)).into_response())
    })
}

pub async fn create(call: Call, body: Bytes) -> Result<Response, ScwError> {
    call.write(|state, _| {
        let body = Body::parse(&body)?;
        let mut errors = Vec::new();
        let name = body.bounded("name", MAX_NAME, &mut errors);
        if name.as_deref().is_none_or(str::is_empty) && errors.is_empty() {
            errors.push(ArgError::required("name"));
        }
        let description = body.bounded("description", MAX_DESCRIPTION, &mut errors);
        let tags = body.strings("tags", &mut errors);
        let organization_id = body.uuid("organization_id", &mut errors);
        check(errors)?;
        let elsewhere = organization_id.is_some_and(|o| o != state.organization_id);
        ScwError::deny_unless(!elsewhere, "application", "write")?;

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
        let response = Json(ApplicationWire::new(&app, state)).into_response();
        state.applications.push(app);
        Ok(response)
    })
}

pub async fn update(call: Call, Path(id): Path<String>, body: Bytes) -> Result<Response, ScwError> {
    call.write(|state, _| {
        ScwError::deny_unless(state.application(&id)?.editable, "application", "write")?;
        let body = Body::parse(&body)?;
        let mut errors = Vec::new();
        let name = body.bounded("name", MAX_NAME, &mut errors);
        if name.as_deref() == Some("") {
            errors.push(ArgError::constraint("name", "must not be empty"));
        }
        let description = body.bounded("description", MAX_DESCRIPTION, &mut errors);
        let tags = body.strings("tags", &mut errors);
        check(errors)?;

        let app = state.application_mut(&id)?;
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
        let app = state.application(&id)?;
        Ok(Json(ApplicationWire::new(app, state)).into_response())
    })
}

/// Deleting an application deletes its API keys with it.
pub async fn delete(call: Call, Path(id): Path<String>) -> Result<Response, ScwError> {
    call.write(|state, _| {
        ScwError::deny_unless(state.application(&id)?.deletable, "application", "delete")?;
        state.applications.retain(|a| a.id != id);
        state
            .api_keys
            .retain(|k| !matches!(&k.bearer, Bearer::Application(a) if *a == id));
        Ok(StatusCode::NO_CONTENT.into_response())
    })
}
