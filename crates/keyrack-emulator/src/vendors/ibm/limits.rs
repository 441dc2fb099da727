//! `GET /v1/accounts/{account_id}/limits/identity`: the per-identity API-key limit
//! and the current count of each identity named in `apikeys_per_identity`.

use axum::extract::{Path, RawQuery};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::body::{self, query_get};
use super::errors::{respond, IbmError};
use super::Call;

pub async fn identity_limits(
    call: Call,
    Path(account_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let limits = call.read(|state, caller| {
        body::check_account_id(&account_id)?;
        if account_id != caller.account_id {
            return Err(IbmError::forbidden(format!(
                "You are not allowed to read the limits of account '{account_id}'."
            )));
        }
        let pairs = body::query_pairs(query.as_deref())?;
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
    });
    respond(limits, "getAccountIdentityLimits")
}
