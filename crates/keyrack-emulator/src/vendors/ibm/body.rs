//! Reading request bodies, headers and query strings into IBM validation errors (never axum's
//! plain-text rejections).

use axum::http::HeaderMap;
use serde_json::{Map, Value};

use super::errors::IbmError;

/// A JSON object body. An empty body counts as `{}`.
pub fn object(bytes: &[u8]) -> Result<Map<String, Value>, IbmError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(IbmError::bad_request(
            "The request body must be a JSON object.",
        )),
        Err(e) => Err(IbmError::bad_request(format!(
            "The request body is not valid JSON: {e}"
        ))),
    }
}

/// An optional string field; `null` counts as absent.
pub fn string(map: &Map<String, Value>, field: &str) -> Result<Option<String>, IbmError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(IbmError::bad_request(format!(
            "Property '{field}' must be a string."
        ))),
    }
}

/// An optional boolean field; `null` counts as absent.
pub fn boolean(map: &Map<String, Value>, field: &str) -> Result<Option<bool>, IbmError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(IbmError::bad_request(format!(
            "Property '{field}' must be a boolean."
        ))),
    }
}

/// A `"true"`/`"false"` request header (`Entity-Lock`, `Entity-Disable`); absent = false.
pub fn bool_header(headers: &HeaderMap, name: &str) -> Result<bool, IbmError> {
    match headers.get(name).map(|v| v.to_str().map(str::trim)) {
        None => Ok(false),
        Some(Ok(v)) if v.eq_ignore_ascii_case("true") => Ok(true),
        Some(Ok(v)) if v.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(IbmError::bad_request(format!(
            "Header '{name}' must be 'true' or 'false'."
        ))),
    }
}

/// The query string as ordered pairs, so paging links can repeat exactly what the caller sent.
pub fn query_pairs(raw: Option<&str>) -> Result<Vec<(String, String)>, IbmError> {
    serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|_| IbmError::bad_request("The query string is not valid."))
}

pub fn query_get<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A `true`/`false` query flag; absent = false.
pub fn query_bool(pairs: &[(String, String)], name: &str) -> Result<bool, IbmError> {
    match query_get(pairs, name) {
        None => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(IbmError::bad_request(format!(
            "Query parameter '{name}' must be 'true' or 'false'."
        ))),
    }
}

/// Account ids are 32 hex characters; anything else is bad input (400), as the SDK's
/// integration test expects for an invalid account id.
pub fn check_account_id(value: &str) -> Result<(), IbmError> {
    if value.len() == 32 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(IbmError::bad_request(format!(
            "The account id '{value}' is not valid."
        )))
    }
}
