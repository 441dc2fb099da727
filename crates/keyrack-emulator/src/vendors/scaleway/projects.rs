//! `/account/v3/projects`: the projects a key can default to.

use std::cmp::Ordering;

use axum::extract::{Path, RawQuery};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::error::ScwError;
use super::input::ListQuery;
use super::model::Project;
use super::wire::Page;
use super::Call;

const ORDER_FIELDS: &[&str] = &["created_at", "name"];

pub async fn list(call: Call, RawQuery(query): RawQuery) -> Result<Response, ScwError> {
    call.read(|state, _| {
        let mut query = ListQuery::parse(query.as_deref(), ORDER_FIELDS)?;
        let (params, errors) = (&query.params, &mut query.errors);
        let organization_id = params.uuid("organization_id", errors);
        let project_ids = params.uuids("project_ids", errors);
        let name = params.get("name").map(str::to_owned);
        query.check()?;

        let projects = state
            .projects
            .iter()
            .filter(|p| {
                organization_id
                    .as_ref()
                    .is_none_or(|o| *o == p.organization_id)
            })
            .filter(|p| project_ids.is_empty() || project_ids.contains(&p.id))
            .filter(|p| name.as_ref().is_none_or(|n| p.name.contains(n.as_str())))
            .collect();
        let (projects, total_count) = query.page(projects, compare, |p| p.id.as_str());
        Ok(Json(Page::new("projects", projects, total_count).count_first()).into_response())
    })
}

fn compare(field: &str, a: &Project, b: &Project) -> Ordering {
    match field {
        "name" => a.name.cmp(&b.name),
        _ => a.created_at.cmp(&b.created_at),
    }
}

pub async fn get(call: Call, Path(id): Path<String>) -> Result<Response, ScwError> {
    call.read(|state, _| Ok(Json(state.project(&id)?).into_response()))
}
