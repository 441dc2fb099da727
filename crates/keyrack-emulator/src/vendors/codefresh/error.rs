//! Codefresh error bodies: JSON with `status`, `code`, `name`, `message` and `context`
//! (`shared/vendors/codefresh.md` §7). Clients read `message`; the codes other than the
//! documented `2000` (not found) are the emulator's own, matching the shared error envelope.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[derive(Debug)]
pub struct CfError {
    pub status: StatusCode,
    pub message: String,
}

impl CfError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "Unauthorized")
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    pub fn method_not_allowed() -> Self {
        Self::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed")
    }

    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        CfError {
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for CfError {
    fn into_response(self) -> Response {
        let (code, name) = match self.status.as_u16() {
            400 => ("1000", "BAD_REQUEST_ERROR"),
            401 => ("1000", "UNAUTHORIZED_ERROR"),
            403 => ("1000", "FORBIDDEN_ERROR"),
            404 => ("2000", "NOT_FOUND_ERROR"),
            _ => ("1000", "METHOD_NOT_ALLOWED_ERROR"),
        };
        let body = json!({
            "status": self.status.as_u16(),
            "code": code,
            "name": name,
            "message": self.message,
            "context": {},
        });
        (self.status, Json(body)).into_response()
    }
}
