//! P1–P5: list, create, retrieve, modify and archive projects. Projects are never deleted.

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State as AxState};
use axum::http::HeaderMap;
use axum::response::Response;

use super::error::ApiError;
use super::paging::{envelope, page, Query};
use super::{body, new_id, now, path_param, read, run, wire, wrote, Project};
use crate::state::Shared;

pub async fn list(
    AxState(shared): AxState<Shared>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    run(&shared, &headers, |state, _| {
        let q = Query::parse(q.as_deref())?;
        let limit = q.limit()?;
        let include_archived = q.flag("include_archived")?;
        let visible: Vec<&Project> = state
            .projects
            .iter()
            .filter(|p| include_archived || p.archived_at.is_none())
            .collect();
        let (items, more) = page(visible, |p| p.id.as_str(), q.get("after"), limit);
        read(envelope(
            items.into_iter().map(wire::project).collect(),
            more,
        ))
    })
}

pub async fn create(
    AxState(shared): AxState<Shared>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    run(&shared, &headers, |state, _| {
        let fields = body::parse(&bytes, &["name", "residency", "external_key_id"])?;
        let project = Project {
            id: new_id("proj_"),
            name: body::required_string(&fields, "name")?,
            created_at: now(),
            archived_at: None,
            external_key_id: body::optional_string(&fields, "external_key_id")?,
            residency: body::optional_string(&fields, "residency")?,
            is_default: false,
        };
        let out = wire::project(&project);
        state.projects.push(project);
        wrote(out)
    })
}

pub async fn retrieve(
    AxState(shared): AxState<Shared>,
    headers: HeaderMap,
    p: Result<Path<String>, PathRejection>,
) -> Response {
    run(&shared, &headers, |state, _| {
        let id = path_param(p)?;
        read(wire::project(state.project(&id)?))
    })
}

/// P4: rename. The default project and archived projects refuse.
pub async fn modify(
    AxState(shared): AxState<Shared>,
    headers: HeaderMap,
    p: Result<Path<String>, PathRejection>,
    bytes: Bytes,
) -> Response {
    run(&shared, &headers, |state, _| {
        let id = path_param(p)?;
        let project = state.writable_project(&id)?;
        if project.is_default {
            return Err(ApiError::bad_request(
                "The default project cannot be modified.",
            ));
        }
        let fields = body::parse(&bytes, &["name"])?;
        let name = body::required_string(&fields, "name")?;
        let project = state
            .projects
            .iter_mut()
            .find(|p| p.id == id)
            .ok_or_else(|| ApiError::not_found("project", &id))?;
        project.name = name;
        wrote(wire::project(project))
    })
}

/// P5: archive (no body). Archiving twice, or the default project, is refused.
pub async fn archive(
    AxState(shared): AxState<Shared>,
    headers: HeaderMap,
    p: Result<Path<String>, PathRejection>,
) -> Response {
    run(&shared, &headers, |state, _| {
        let id = path_param(p)?;
        if state.writable_project(&id)?.is_default {
            return Err(ApiError::bad_request(
                "The default project cannot be archived.",
            ));
        }
        let project = state
            .projects
            .iter_mut()
            .find(|p| p.id == id)
            .ok_or_else(|| ApiError::not_found("project", &id))?;
        project.archived_at = Some(now());
        wrote(wire::project(project))
    })
}
