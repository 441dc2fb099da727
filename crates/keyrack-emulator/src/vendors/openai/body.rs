//! JSON request bodies, checked the way the live API does: unknown arguments and wrong types
//! are 400s naming the parameter. An empty body reads as `{}` (archive and deletes send none).

use serde_json::{Map, Value};

use super::error::ApiError;

pub type Fields = Map<String, Value>;

pub fn parse(bytes: &[u8], allowed: &[&str]) -> Result<Fields, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|_| {
        ApiError::bad_request(
            "We could not parse the JSON body of your request. (HINT: This likely means you \
             aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but \
             what was sent was not valid JSON.)",
        )
    })?;
    let Value::Object(fields) = value else {
        return Err(ApiError::bad_request(
            "Invalid body: the request body must be a JSON object.",
        ));
    };
    if let Some(unknown) = fields.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(ApiError::bad_request(format!(
            "Unrecognized request argument supplied: {unknown}"
        )));
    }
    Ok(fields)
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a decimal",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn invalid_type(name: &str, expected: &str, got: &Value) -> ApiError {
    ApiError::bad_request(format!(
        "Invalid type for '{name}': expected {expected}, but got {} instead.",
        type_name(got)
    ))
    .with_param(name)
    .with_code("invalid_type")
}

/// A required, non-empty string.
pub fn required_string(fields: &Fields, name: &str) -> Result<String, ApiError> {
    match fields.get(name) {
        None | Some(Value::Null) => Err(ApiError::bad_request(format!(
            "Missing required parameter: '{name}'."
        ))
        .with_param(name)
        .with_code("missing_required_parameter")),
        Some(Value::String(s)) if s.trim().is_empty() => Err(ApiError::bad_request(format!(
            "Invalid '{name}': empty string. Expected a non-empty string."
        ))
        .with_param(name)
        .with_code("empty_string")),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(invalid_type(name, "a string", other)),
    }
}

pub fn optional_string(fields: &Fields, name: &str) -> Result<Option<String>, ApiError> {
    match fields.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(invalid_type(name, "a string", other)),
    }
}

pub fn optional_bool(fields: &Fields, name: &str) -> Result<Option<bool>, ApiError> {
    match fields.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(invalid_type(name, "a boolean", other)),
    }
}

/// `expires_in_seconds`: absent → `None`; `null` → `Some(None)`; a positive integer otherwise.
pub fn expires_in(fields: &Fields, name: &str) -> Result<Option<Option<i64>>, ApiError> {
    match fields.get(name) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(s) if s > 0 && s <= 10 * 365 * 24 * 3600 => Ok(Some(Some(s))),
            _ => Err(ApiError::bad_request(format!(
                "Invalid '{name}': expected a positive number of seconds (at most ten years)."
            ))
            .with_param(name)
            .with_code("invalid_value")),
        },
        Some(other) => Err(invalid_type(name, "an integer", other)),
    }
}

pub fn optional_strings(fields: &Fields, name: &str) -> Result<Option<Vec<String>>, ApiError> {
    match fields.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                other => Err(invalid_type(name, "an array of strings", other)),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(other) => Err(invalid_type(name, "an array", other)),
    }
}
