//! `/iam/v1alpha1/users`: the users a key can be given to.

use std::cmp::Ordering;

use axum::extract::{Path, RawQuery};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::error::ScwError;
use super::input::ListQuery;
use super::model::User;
use super::wire::{Page, UserWire};
use super::Call;

const ORDER_FIELDS: &[&str] = &[
    "created_at",
    "updated_at",
    "email",
    "last_login",
    "username",
];
const USER_TYPES: &[&str] = &["unknown_type", "owner", "member"];

pub async fn list(call: Call, RawQuery(query): RawQuery) -> Result<Response, ScwError> {
    call.read(|state, _| {
        let mut query = ListQuery::parse(query.as_deref(), ORDER_FIELDS)?;
        let (params, errors) = (&query.params, &mut query.errors);
        let organization_id = params.uuid("organization_id", errors);
        let user_ids = params.uuids("user_ids", errors);
        let mfa = params.bool("mfa", errors);
        let tag = params.get("tag").map(str::to_owned);
        let user_type = params.one_of("type", USER_TYPES, errors);
        query.check()?;

        let users = state
            .users
            .iter()
            .filter(|u| {
                organization_id
                    .as_ref()
                    .is_none_or(|o| *o == u.organization_id)
            })
            .filter(|u| user_ids.is_empty() || user_ids.contains(&u.id))
            .filter(|u| mfa.is_none_or(|m| u.mfa == m))
            .filter(|u| tag.as_ref().is_none_or(|t| u.tags.contains(t)))
            .filter(|u| match user_type.as_deref() {
                Some("owner") | Some("member") => {
                    Some(u.user_type.as_str()) == user_type.as_deref()
                }
                _ => true,
            })
            .collect();
        let (users, total_count) = query.page(users, compare, |u| u.id.as_str());
        let users = users.into_iter().map(|u| UserWire::new(u, state)).collect();
        Ok(Json(Page::new("users", users, total_count)).into_response())
    })
}

fn compare(field: &str, a: &User, b: &User) -> Ordering {
    match field {
        "updated_at" => a.updated_at.cmp(&b.updated_at),
        "email" => a.email.cmp(&b.email),
        "last_login" => a.last_login_at.cmp(&b.last_login_at),
        "username" => a.username.cmp(&b.username),
        _ => a.created_at.cmp(&b.created_at),
    }
}

pub async fn get(call: Call, Path(user_id): Path<String>) -> Result<Response, ScwError> {
    call.read(|state, _| Ok(Json(UserWire::new(state.user(&user_id)?, state)).into_response()))
}
