//! `GET /v1/accounts/{account_id}/limits/identity` (ibm.md §8): the per-identity API-key limit
//! and the current count of each identity named in `apikeys_per_identity`.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::auth;
use super::body::{self, query_get};
use super::errors::IbmError;
use crate::state::Shared;

pub async fn identity_limits(
    State(shared): State<Shared>,
    Path(account_id): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    match limits_inner(&shared, &account_id, &headers, query.as_deref()) {
        Ok(r) => r,
        Err(e) => e.op("getAccountIdentityLimits").into_response(),
    }
}

fn limits_inner(
    shared: &Shared,
    account_id: &str,
    headers: &HeaderMap,
    query: Option<&str>,
) -> Result<Response, IbmError> {
    let store = shared.store();
    let state = &store.ibm;
    let caller = auth::caller(state, headers)?;
    body::check_account_id(account_id)?;
    if account_id != caller.account_id {
        return Err(IbmError::forbidden(format!(
            "You are not allowed to read the limits of account '{account_id}'."
        )));
    }
    let pairs = body::query_pairs(query)?;
    let identities: Vec<_> = query_get(&pairs, "apikeys_per_identity")
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .map(|iam_id| json!({ "iam_id": iam_id, "count": state.keys_of(iam_id) }))
        .collect();
    Ok(Json(json!({
        "apikeys_per_identity": {
            "limit": state.limit_per_identity(),
            "identities": identities,
        }
    }))
    .into_response())
}
