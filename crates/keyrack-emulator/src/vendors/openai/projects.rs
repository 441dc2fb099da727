//! P1–P5: list, create, retrieve, modify and archive projects. Projects are never deleted.

use axum::body::Bytes;
use axum::extract::RawQuery;
use axum::Json;

use super::error::ApiError;
use super::mint::{new_id, now};
use super::paging::ListQuery;
use super::{body, path_param, wire, Answer, Call, IdPath, Project};

pub async fn list(call: Call, RawQuery(q): RawQuery) -> Answer {
    call.read(|state, _| {
        let q = ListQuery::parse(q.as_deref())?;
        let include_archived = q.query.flag("include_archived")?;
        let visible: Vec<&Project> = state
            .projects
            .iter()
            .filter(|p| include_archived || p.archived_at.is_none())
            .collect();
        Ok(Json(q.page(visible, |p| p.id.as_str(), wire::project)))
    })
}

pub async fn create(call: Call, bytes: Bytes) -> Answer {
    call.write(|state, _| {
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
        Ok(Json(out))
    })
}

pub async fn retrieve(call: Call, p: IdPath) -> Answer {
    call.read(|state, _| {
        let id = path_param(p)?;
        Ok(Json(wire::project(state.project(&id)?)))
    })
}

/// P4: rename. The default project and archived projects refuse.
pub async fn modify(call: Call, p: IdPath, bytes: Bytes) -> Answer {
    call.write(|state, _| {
        let id = path_param(p)?;
        refuse_default(state.writable_project(&id)?, "modified")?;
        let fields = body::parse(&bytes, &["name"])?;
        let name = body::required_string(&fields, "name")?;
        let project = state.project_mut(&id)?;
        project.name = name;
        Ok(Json(wire::project(project)))
    })
}

/// P5: archive (no body). Archiving twice, or the default project, is refused.
pub async fn archive(call: Call, p: IdPath) -> Answer {
    call.write(|state, _| {
        let id = path_param(p)?;
        refuse_default(state.writable_project(&id)?, "archived")?;
        let project = state.project_mut(&id)?;
        project.archived_at = Some(now());
        Ok(Json(wire::project(project)))
    })
}

/// The organization's default project cannot be changed.
fn refuse_default(project: &Project, done: &str) -> Result<(), ApiError> {
    if project.is_default {
        return Err(ApiError::bad_request(format!(
            "The default project cannot be {done}."
        )));
    }
    Ok(())
}
