//! IBM's two error shapes: `ExceptionResponse` (`errors[]`) on `/v1/*`, and the camelCase
//! `errorCode`/`errorMessage` body of `/identity/token`.
//!
//! Only `BXNIM0415E` (unknown key at the token endpoint) and `BXNIM0507E` (not found) come from
//! IBM's documentation; the other message codes are this emulator's own, in IBM's format.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// An error on `/v1/*`.
#[derive(Debug)]
pub struct IbmError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message_code: &'static str,
    pub message: String,
    pub operation: &'static str,
}

impl IbmError {
    fn new(
        status: StatusCode,
        code: &'static str,
        message_code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        IbmError {
            status,
            code,
            message_code,
            message: message.into(),
            operation: "",
        }
    }

    /// The error IBM answers for `status` when nothing more specific applies.
    fn of_status(status: StatusCode, message: impl Into<String>) -> Self {
        let (code, message_code) = match status.as_u16() {
            400 => ("bad_request", "BXNIM0102E"),
            401 => ("unauthorized", "BXNIM0308E"),
            403 => ("forbidden", "BXNIM0513E"),
            404 => ("not_found", "BXNIM0507E"),
            405 => ("method_not_allowed", "BXNIM0105E"),
            409 => ("conflict", "BXNIM0509E"),
            413 => ("request_too_large", "BXNIM0106E"),
            429 => ("too_many_requests", "BXNIM0107E"),
            503 => ("service_unavailable", "BXNIM0108E"),
            _ => ("internal_error", "BXNIM0100E"),
        };
        Self::new(status, code, message_code, message)
    }

    /// Name the SDK operation in the error's `context`.
    pub fn op(mut self, operation: &'static str) -> Self {
        self.operation = operation;
        self
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::of_status(StatusCode::BAD_REQUEST, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::of_status(StatusCode::UNAUTHORIZED, message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::of_status(StatusCode::FORBIDDEN, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::of_status(StatusCode::NOT_FOUND, message)
    }

    pub fn key_not_found(id: &str) -> Self {
        Self::not_found(format!("API key with id '{id}' not found."))
    }

    /// Stale `If-Match`.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::of_status(StatusCode::CONFLICT, message)
    }

    /// A locked key refuses update and delete.
    pub fn locked(id: &str) -> Self {
        Self::new(
            StatusCode::CONFLICT,
            "locked",
            "BXNIM0510E",
            format!("API key with id '{id}' is locked and cannot be changed or deleted."),
        )
    }

    pub fn limit_exceeded(iam_id: &str, limit: u32) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "limit_exceeded",
            "BXNIM0511E",
            format!("The identity '{iam_id}' already has the maximum of {limit} API keys."),
        )
    }
}

/// The handler's answer, or its error naming the SDK operation that failed.
pub fn respond(result: Result<Response, IbmError>, operation: &'static str) -> Response {
    result.unwrap_or_else(|e| e.op(operation).into_response())
}

impl IntoResponse for IbmError {
    fn into_response(self) -> Response {
        let transaction_id = crate::util::random_hex(32);
        let mut context = json!({ "transaction_id": transaction_id });
        if !self.operation.is_empty() {
            context["operation"] = json!(self.operation);
        }
        let body = json!({
            "context": context,
            "status_code": self.status.as_u16().to_string(),
            "errors": [{
                "code": self.code,
                "message_code": self.message_code,
                "message": self.message,
            }],
            "trace": transaction_id,
        });
        let mut response = (self.status, Json(body)).into_response();
        if let Ok(v) = HeaderValue::from_str(&transaction_id) {
            response.headers_mut().insert("transaction-id", v);
        }
        response
    }
}

/// An error of `POST /identity/token`.
#[derive(Debug)]
pub struct TokenError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl TokenError {
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        TokenError {
            status: StatusCode::BAD_REQUEST,
            code,
            message: message.into(),
        }
    }
}

impl IntoResponse for TokenError {
    fn into_response(self) -> Response {
        let request_id = format!(
            "{}-{}",
            crate::util::random_alnum(7),
            crate::util::random_hex(32)
        );
        let body = json!({
            "errorCode": self.code,
            "errorMessage": self.message,
            "context": {
                "requestId": request_id,
                "requestType": "incoming.Identity_Token",
                "locale": "en_US",
            },
        });
        let mut response = (self.status, Json(body)).into_response();
        if let Ok(v) = HeaderValue::from_str(&request_id) {
            response.headers_mut().insert("transaction-id", v);
        }
        response
    }
}

/// The shape of answers made outside the IBM handlers (faults, body limit, unknown routes).
pub fn envelope(path: &str, status: StatusCode, message: &str) -> Response {
    if path.starts_with("/identity/") {
        return TokenError {
            status,
            code: token_code(status),
            message: message.to_owned(),
        }
        .into_response();
    }
    IbmError::of_status(status, message).into_response()
}

fn token_code(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 | 413 => "BXNIM0109E",
        404 | 405 => "BXNIM0105E",
        429 => "BXNIM0107E",
        _ => "BXNIM0100E",
    }
}
