//! Codefresh error bodies: JSON with `status`, `code`, `name`, `message` and `context`.
//! Clients read `message`; the codes other than the documented `2000` (not found) are the
//! emulator's own, matching the shared error envelope.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[derive(Debug)]
pub struct CfError {
    pub status: StatusCode,
    pub name: &'static str,
    pub message: String,
}

impl CfError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::of_status(StatusCode::BAD_REQUEST, message)
    }

    pub fn unauthorized() -> Self {
        Self::of_status(StatusCode::UNAUTHORIZED, "Unauthorized")
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::of_status(StatusCode::FORBIDDEN, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::of_status(StatusCode::NOT_FOUND, message)
    }

    /// Wrong method on a known path. (A 405 made outside the handlers, e.g. an injected fault,
    /// keeps the generic name of `of_status`.)
    pub fn method_not_allowed() -> Self {
        CfError {
            name: "METHOD_NOT_ALLOWED_ERROR",
            ..Self::of_status(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed")
        }
    }

    /// The error named after its status, as every answer outside the handlers is.
    pub fn of_status(status: StatusCode, message: impl Into<String>) -> Self {
        let name = match status.as_u16() {
            400 | 413 => "BAD_REQUEST_ERROR",
            401 => "UNAUTHORIZED_ERROR",
            403 => "FORBIDDEN_ERROR",
            404 => "NOT_FOUND_ERROR",
            409 => "CONFLICT_ERROR",
            429 => "TOO_MANY_REQUESTS_ERROR",
            _ => "INTERNAL_SERVER_ERROR",
        };
        CfError {
            status,
            name,
            message: message.into(),
        }
    }
}

impl IntoResponse for CfError {
    fn into_response(self) -> Response {
        let code = if self.status == StatusCode::NOT_FOUND {
            "2000"
        } else {
            "1000"
        };
        let body = json!({
            "status": self.status.as_u16(),
            "code": code,
            "name": self.name,
            "message": self.message,
            "context": {},
        });
        (self.status, Json(body)).into_response()
    }
}
