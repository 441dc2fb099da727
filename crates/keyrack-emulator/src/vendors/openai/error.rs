//! The OpenAI error envelope `{"error": {message, type, param, code}}` and the errors the
//! Administration API answers with.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::envelope::header_value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub kind: &'static str,
    pub param: Option<String>,
    pub code: Option<&'static str>,
}

impl ApiError {
    pub fn invalid_request(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            kind: "invalid_request_error",
            param: None,
            code: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::invalid_request(StatusCode::BAD_REQUEST, message)
    }

    pub fn with_param(mut self, param: &str) -> Self {
        self.param = Some(param.to_string());
        self
    }

    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    pub fn not_found(what: &str, id: &str) -> Self {
        Self::invalid_request(
            StatusCode::NOT_FOUND,
            format!("No {what} found with id '{id}'."),
        )
    }

    /// No `Authorization: Bearer` at all.
    pub fn missing_key() -> Self {
        Self::invalid_request(
            StatusCode::UNAUTHORIZED,
            "You didn't provide an API key. You need to provide your API key in an Authorization \
             header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password \
             field (with blank username) if you're accessing the API from your browser and are \
             prompted for a username. You can obtain an API key from \
             https://platform.openai.com/account/api-keys.",
        )
        .with_code("invalid_api_key")
    }

    /// A bearer that is no admin key (unknown, deleted or expired).
    pub fn incorrect_key(key: &str) -> Self {
        Self::invalid_request(
            StatusCode::UNAUTHORIZED,
            format!(
                "Incorrect API key provided: {}. You can find your API key at \
                 https://platform.openai.com/account/api-keys.",
                mask(key)
            ),
        )
        .with_code("invalid_api_key")
    }

    /// A project or service-account key on an Administration endpoint.
    pub fn not_an_admin_key() -> Self {
        Self::invalid_request(
            StatusCode::UNAUTHORIZED,
            "You have insufficient permissions for this operation. Missing scopes: \
             api.management.read. Administration endpoints require an admin API key; project \
             and service-account keys cannot call them.",
        )
    }

    pub fn archived(project_id: &str) -> Self {
        Self::bad_request(format!(
            "Project {project_id} is archived; archived projects cannot be modified."
        ))
    }
}

/// `sk-ad********wxyz`: the start and the last four characters, as the live API echoes a key.
fn mask(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() < 12 {
        return "*".repeat(chars.len().max(8));
    }
    let head: String = chars[..5].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}********{tail}")
}

/// The answer made outside the OpenAI handlers (faults, body limit, unknown routes), with the
/// `x-request-id` every OpenAI response carries.
pub fn envelope(status: StatusCode, message: &str) -> Response {
    let (kind, code) = match status.as_u16() {
        401 => ("invalid_request_error", Some("invalid_api_key")),
        429 => ("requests", Some("rate_limit_exceeded")),
        s if s >= 500 => ("server_error", None),
        _ => ("invalid_request_error", None),
    };
    let error = ApiError {
        status,
        message: message.to_owned(),
        kind,
        param: None,
        code,
    };
    let mut response = error.into_response();
    let request_id = format!("req_{}", crate::util::random_hex(32));
    response
        .headers_mut()
        .insert("x-request-id", header_value(&request_id));
    response
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "error": {
                "message": self.message,
                "type": self.kind,
                "param": self.param,
                "code": self.code,
            }
        });
        (self.status, Json(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_only_the_ends() {
        assert_eq!(mask("sk-admin-ABCDEFGHwxyz"), "sk-ad********wxyz");
        assert_eq!(mask("short"), "********");
    }
}
