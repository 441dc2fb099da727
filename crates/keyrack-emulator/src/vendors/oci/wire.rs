//! OCI Identity wire types (the emulator's own, written from the vendor docs) and the
//! `{code, message}` error response.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// `ApiKey` as UploadApiKey and ListApiKeys return it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ApiKey {
    pub key_id: String,
    pub key_value: String,
    pub fingerprint: String,
    pub user_id: String,
    /// RFC 3339 with milliseconds and `Z`.
    pub time_created: String,
    pub lifecycle_state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inactive_status: Option<i64>,
}

/// An OCI error: status, `code` and `message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OciError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: &'a str,
    message: &'a str,
}

impl OciError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        OciError {
            status,
            code: code.to_string(),
            message: message.into(),
        }
    }

    pub fn not_authenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "NotAuthenticated",
            "The required information to complete authentication was not provided or was incorrect.",
        )
    }

    pub fn not_authorized_or_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "NotAuthorizedOrNotFound",
            "Authorization failed or requested resource not found.",
        )
    }

    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "InvalidParameter", message)
    }
}

impl IntoResponse for OciError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            code: &self.code,
            message: &self.message,
        };
        (self.status, Json(body)).into_response()
    }
}
