//! OCI's `{code, message}` error response.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::envelope::header_value;

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

/// The answer made outside the OCI handlers (faults, body limit, unknown routes), with the
/// `opc-request-id` every OCI response carries.
pub fn envelope(status: StatusCode, message: &str) -> Response {
    let mut response = OciError::new(status, code_of(status), message).into_response();
    let request_id = crate::util::random_hex(32).to_uppercase();
    response
        .headers_mut()
        .insert("opc-request-id", header_value(&request_id));
    response
}

fn code_of(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "InvalidParameter",
        401 => "NotAuthenticated",
        403 => "NotAuthorized",
        404 => "NotAuthorizedOrNotFound",
        405 => "MethodNotAllowed",
        409 => "Conflict",
        412 => "NoEtagMatch",
        413 => "RequestEntityTooLarge",
        429 => "TooManyRequests",
        503 => "ServiceUnavailable",
        _ => "InternalServerError",
    }
}
