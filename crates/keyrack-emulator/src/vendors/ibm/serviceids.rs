//! `GET /v1/serviceids`: the account's service IDs, paged like the API keys list (`pagesize`
//! 1–100, default 20, `pagetoken` in the `next` link), optionally filtered by `name`.

use axum::extract::RawQuery;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::body::{self, query_get};
use super::errors::IbmError;
use super::list::{answer_list, link, page_answer, page_window, ListCall};
use super::model::{Identity, IdentityKind};
use super::time;
use super::Call;

pub async fn list(call: Call, RawQuery(query): RawQuery) -> Response {
    answer_list(&call, query.as_deref(), "listServiceIds", list_service_ids)
}

fn list_service_ids(call: ListCall<'_>) -> Result<Response, IbmError> {
    let (state, pairs) = (call.state, call.pairs);
    // Required unless a pagetoken carries it, as IBM documents.
    let account_id = match query_get(pairs, "account_id") {
        Some(a) => a,
        None if query_get(pairs, "pagetoken").is_some() => call.caller.account_id.as_str(),
        None => {
            return Err(IbmError::bad_request(
                "Query parameter 'account_id' is required.",
            ))
        }
    };
    body::check_account_id(account_id)?;
    if account_id != call.caller.account_id {
        return Err(IbmError::forbidden(format!(
            "You are not allowed to list the service IDs of account '{account_id}'."
        )));
    }
    let (pagesize, offset) = page_window(pairs)?;
    let name = query_get(pairs, "name");

    let ids: Vec<&Identity> = state
        .identities
        .iter()
        .filter(|i| i.kind == IdentityKind::ServiceId && i.account_id == account_id)
        .filter(|i| name.is_none_or(|n| i.name == n))
        .collect();
    let total = ids.len();
    let page: Vec<Value> = ids
        .iter()
        .skip(offset)
        .take(pagesize)
        .map(|i| service_id(i))
        .collect();

    let link = |offset: Option<usize>| link(call.base_url, "/v1/serviceids/", pairs, offset);
    Ok(page_answer(
        "serviceids",
        page,
        total,
        (offset, pagesize),
        link,
    ))
}

/// The `ServiceId` object with the nine fields the official SDK requires (`id`, `iam_id`,
/// `entity_tag`, `crn`, `locked`, `created_at`, `modified_at`, `account_id`, `name`).
fn service_id(identity: &Identity) -> Value {
    let id = identity
        .iam_id
        .strip_prefix("iam-")
        .unwrap_or(&identity.iam_id);
    let created: DateTime<Utc> = identity.created_at.unwrap_or(DateTime::UNIX_EPOCH);
    json!({
        "id": id,
        "iam_id": identity.iam_id,
        "entity_tag": "1-0",
        "crn": format!(
            "crn:v1:bluemix:public:iam-identity::a/{}::serviceid:{id}",
            identity.account_id
        ),
        "locked": false,
        "created_at": time::short(created),
        "modified_at": time::short(created),
        "account_id": identity.account_id,
        "name": identity.name,
    })
}
