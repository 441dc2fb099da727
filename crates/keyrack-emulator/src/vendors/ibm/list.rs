//! `GET /v1/apikeys`: scope, type, iam_id, filter, sort and order, paged with
//! `pagesize` (1–100, default 20) and an opaque `pagetoken` carried in `next`/`previous` links.

use std::cmp::Ordering;

use axum::extract::RawQuery;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Serialize;
use serde_json::{json, Value};

use super::body::{self, query_get};
use super::errors::{respond, IbmError};
use super::jwt::Caller;
use super::model::{ApiKey, IdentityKind, State};
use super::wire::{self, Render};
use super::Call;

pub const DEFAULT_PAGE_SIZE: usize = 20;
pub const MAX_PAGE_SIZE: usize = 100;

/// `pagesize` (1–100, default 20) and where the `pagetoken` starts: both IBM lists page alike.
pub fn page_window(pairs: &[(String, String)]) -> Result<(usize, usize), IbmError> {
    let pagesize = match query_get(pairs, "pagesize") {
        None => DEFAULT_PAGE_SIZE,
        Some(p) => p
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
            .ok_or_else(|| {
                IbmError::bad_request(format!(
                    "Query parameter 'pagesize' must be a number from 1 to {MAX_PAGE_SIZE}."
                ))
            })?,
    };
    let offset = match query_get(pairs, "pagetoken") {
        None => 0,
        Some(t) => decode_pagetoken(t)
            .ok_or_else(|| IbmError::bad_request("Query parameter 'pagetoken' is not valid."))?,
    };
    Ok((pagesize, offset))
}

/// What a list answers from: the state, the caller, the base URL its links use and the query.
pub struct ListCall<'a> {
    pub state: &'a State,
    pub caller: &'a Caller,
    pub base_url: &'a str,
    pub pairs: &'a [(String, String)],
}

/// A list's answer.
pub type Lister = fn(ListCall<'_>) -> Result<Response, IbmError>;

/// Run a list route as the caller, with the query read first.
pub fn answer_list(
    call: &Call,
    query: Option<&str>,
    operation: &'static str,
    lister: Lister,
) -> Response {
    let base_url = call.base_url();
    let listed = body::query_pairs(query).and_then(|pairs| {
        call.read(|state, caller| {
            lister(ListCall {
                state,
                caller: &caller,
                base_url,
                pairs: &pairs,
            })
        })
    });
    respond(listed, operation)
}

pub async fn list(call: Call, RawQuery(query): RawQuery) -> Response {
    answer_list(&call, query.as_deref(), "listApiKeys", list_keys)
}

fn list_keys(call: ListCall<'_>) -> Result<Response, IbmError> {
    let ListCall {
        state,
        caller,
        base_url,
        pairs,
    } = call;
    let account_id = match query_get(pairs, "account_id") {
        Some(a) => {
            body::check_account_id(a)?;
            if a != caller.account_id {
                return Err(IbmError::forbidden(format!(
                    "You are not allowed to list the API keys of account '{a}'."
                )));
            }
            a
        }
        None => caller.account_id.as_str(),
    };
    let account_scope = match query_get(pairs, "scope") {
        None | Some("entity") => false,
        Some("account") => true,
        Some(other) => {
            return Err(IbmError::bad_request(format!(
                "Query parameter 'scope' must be 'entity' or 'account'; got '{other}'."
            )))
        }
    };
    let kind = match query_get(pairs, "type") {
        None => None,
        Some("user") => Some(IdentityKind::User),
        Some("serviceid") => Some(IdentityKind::ServiceId),
        Some(other) => {
            return Err(IbmError::bad_request(format!(
                "Query parameter 'type' must be 'user' or 'serviceid'; got '{other}'."
            )))
        }
    };
    let iam_id = match query_get(pairs, "iam_id") {
        Some(i) => {
            let identity = state
                .identity(i)
                .filter(|id| id.account_id == account_id)
                .ok_or_else(|| IbmError::not_found(format!("IAM ID '{i}' not found.")))?;
            // A user's keys are listed by that user only (others use scope=account).
            if identity.kind == IdentityKind::User && i != caller.iam_id {
                return Err(IbmError::forbidden(
                    "A user's API keys can only be listed by that user.",
                ));
            }
            Some(i)
        }
        None => None,
    };
    let (pagesize, offset) = page_window(pairs)?;
    let sort = match query_get(pairs, "sort") {
        None => None,
        Some(s @ ("name" | "description" | "created_at" | "created_by")) => Some(s),
        Some(other) => {
            return Err(IbmError::bad_request(format!(
                "Query parameter 'sort' must be name, description, created_at or created_by; got '{other}'."
            )))
        }
    };
    let descending = match query_get(pairs, "order") {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(other) => {
            return Err(IbmError::bad_request(format!(
                "Query parameter 'order' must be 'asc' or 'desc'; got '{other}'."
            )))
        }
    };
    let history = body::query_bool(pairs, "include_history")?;
    let filter = query_get(pairs, "filter").map(Filter::parse).transpose()?;

    let mut keys: Vec<&ApiKey> = state
        .keys
        .iter()
        .filter(|k| k.account_id == account_id)
        .filter(|k| match iam_id {
            Some(i) => k.iam_id == i,
            None => account_scope || k.iam_id == caller.iam_id,
        })
        .filter(|k| {
            kind.is_none_or(|want| state.identity(&k.iam_id).is_some_and(|i| i.kind == want))
        })
        .filter(|k| filter.as_ref().is_none_or(|f| f.matches(k)))
        .collect();
    if let Some(field) = sort {
        keys.sort_by(|a, b| compare(field, a, b));
    }
    if descending {
        keys.reverse();
    }

    let total = keys.len();
    let render = Render {
        history,
        ..Render::default()
    };
    let page: Vec<Value> = keys
        .iter()
        .skip(offset)
        .take(pagesize)
        .map(|k| wire::api_key(k, render))
        .collect();

    let link = |offset: Option<usize>| page_link(base_url, pairs, offset);
    Ok(page_answer(
        "apikeys",
        page,
        total,
        (offset, pagesize),
        link,
    ))
}

/// One page as IBM's lists answer it: `offset`, `limit`, the `first`, `previous` and `next`
/// links, and the page's items under `field`.
pub fn page_answer<L: Serialize>(
    field: &str,
    page: Vec<Value>,
    total: usize,
    (offset, pagesize): (usize, usize),
    link: impl Fn(Option<usize>) -> L,
) -> Response {
    let mut body = json!({
        "offset": offset,
        "limit": pagesize,
        "first": link(None),
    });
    body[field] = Value::Array(page);
    if offset > 0 {
        let previous = offset.saturating_sub(pagesize);
        body["previous"] = json!(link((previous > 0).then_some(previous)));
    }
    if offset + pagesize < total {
        body["next"] = json!(link(Some(offset + pagesize)));
    }
    Json(body).into_response()
}

fn compare(field: &str, a: &ApiKey, b: &ApiKey) -> Ordering {
    match field {
        "name" => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
        "description" => a.description.cmp(&b.description),
        "created_by" => a.created_by.cmp(&b.created_by),
        _ => a.created_at.cmp(&b.created_at),
    }
}

pub fn encode_pagetoken(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(json!({ "offset": offset }).to_string())
}

pub fn decode_pagetoken(token: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(token.trim_end_matches('=')).ok()?;
    let value: Value = serde_json::from_slice(&bytes).ok()?;
    usize::try_from(value.get("offset")?.as_u64()?).ok()
}

fn page_link(base_url: &str, pairs: &[(String, String)], offset: Option<usize>) -> String {
    link(base_url, "/v1/apikeys", pairs, offset)
}

/// `path` with the caller's own query, minus `pagetoken`, plus the token for `offset` (none for
/// page one).
pub fn link(
    base_url: &str,
    path: &str,
    pairs: &[(String, String)],
    offset: Option<usize>,
) -> String {
    let mut params: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| k != "pagetoken")
        .cloned()
        .collect();
    if let Some(offset) = offset {
        params.push(("pagetoken".into(), encode_pagetoken(offset)));
    }
    let query = serde_urlencoded::to_string(&params).unwrap_or_default();
    if query.is_empty() {
        format!("{base_url}{path}")
    } else {
        format!("{base_url}{path}?{query}")
    }
}

/// A SCIM-like `attribute op "value"` expression, e.g. `name co "deploy"`. The SDK's own test
/// uses `co`; `eq`, `ne`, `sw` and `ew` are accepted too. Comparisons ignore case.
#[derive(Debug)]
struct Filter {
    attribute: String,
    op: String,
    value: String,
}

impl Filter {
    fn parse(expression: &str) -> Result<Filter, IbmError> {
        let invalid = || {
            IbmError::bad_request(format!(
                "Query parameter 'filter' is not valid: '{expression}'. Expected e.g. name co \"deploy\"."
            ))
        };
        let (attribute, rest) = expression
            .trim()
            .split_once(char::is_whitespace)
            .ok_or_else(invalid)?;
        let (op, value) = rest
            .trim_start()
            .split_once(char::is_whitespace)
            .ok_or_else(invalid)?;
        let value = value
            .trim()
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .ok_or_else(invalid)?;
        let attribute = attribute.to_owned();
        let op = op.to_ascii_lowercase();
        if !["name", "description", "iam_id", "created_by", "id"].contains(&attribute.as_str())
            || !["co", "eq", "ne", "sw", "ew"].contains(&op.as_str())
        {
            return Err(invalid());
        }
        Ok(Filter {
            attribute,
            op,
            value: value.to_lowercase(),
        })
    }

    fn matches(&self, key: &ApiKey) -> bool {
        let field = match self.attribute.as_str() {
            "name" => key.name.as_str(),
            "description" => key.description.as_deref().unwrap_or(""),
            "iam_id" => key.iam_id.as_str(),
            "created_by" => key.created_by.as_str(),
            _ => key.id.as_str(),
        }
        .to_lowercase();
        match self.op.as_str() {
            "co" => field.contains(&self.value),
            "eq" => field == self.value,
            "ne" => field != self.value,
            "sw" => field.starts_with(&self.value),
            _ => field.ends_with(&self.value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagetoken_round_trips_and_matches_the_documented_form() {
        assert_eq!(encode_pagetoken(2), "eyJvZmZzZXQiOjJ9");
        assert_eq!(decode_pagetoken("eyJvZmZzZXQiOjJ9"), Some(2));
        assert_eq!(decode_pagetoken("not-a-token"), None);
    }

    #[test]
    fn filters_parse_or_refuse() {
        assert!(Filter::parse("name co \"Go\"").is_ok());
        assert!(Filter::parse("name CO \"two words\"").is_ok());
        for bad in ["name", "name co Go", "secret co \"x\"", "name gt \"x\""] {
            assert!(Filter::parse(bad).is_err(), "{bad}");
        }
    }
}
