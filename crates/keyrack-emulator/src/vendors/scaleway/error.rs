//! Scaleway's error bodies: JSON with a `type` discriminator, a `message`, and per-type fields.
//! Every error the emulator sends has a JSON body, because the official Python SDK parses every
//! error response as JSON.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[derive(Debug)]
pub enum ScwError {
    /// 400 `invalid_arguments`, one detail per bad argument.
    InvalidArguments(Vec<ArgError>),
    /// 404 `not_found`.
    NotFound {
        resource: &'static str,
        resource_id: String,
    },
    /// 401 `denied_authentication`; `reason` is `invalid_argument` or `expired`.
    DeniedAuthentication {
        reason: &'static str,
    },
    /// 403 `permissions_denied`.
    PermissionsDenied {
        resource: &'static str,
        action: &'static str,
    },
    MethodNotAllowed,
}

/// One entry of `invalid_arguments.details`.
#[derive(Debug)]
pub struct ArgError {
    pub argument_name: String,
    /// `unknown`, `required`, `format` or `constraint`.
    pub reason: &'static str,
    pub help_message: String,
}

impl ArgError {
    pub fn required(name: &str) -> Self {
        Self::new(name, "required", "argument is required")
    }

    pub fn format(name: &str, help: &str) -> Self {
        Self::new(name, "format", help)
    }

    pub fn constraint(name: &str, help: &str) -> Self {
        Self::new(name, "constraint", help)
    }

    fn new(name: &str, reason: &'static str, help: &str) -> Self {
        ArgError {
            argument_name: name.to_string(),
            reason,
            help_message: help.to_string(),
        }
    }
}

impl ScwError {
    pub fn not_found(resource: &'static str, resource_id: &str) -> Self {
        ScwError::NotFound {
            resource,
            resource_id: resource_id.to_string(),
        }
    }

    /// `permissions_denied` for `action` on `resource` unless `allowed`.
    pub fn deny_unless(
        allowed: bool,
        resource: &'static str,
        action: &'static str,
    ) -> Result<(), Self> {
        if allowed {
            Ok(())
        } else {
            Err(ScwError::PermissionsDenied { resource, action })
        }
    }

    pub fn invalid(arg: ArgError) -> Self {
        ScwError::InvalidArguments(vec![arg])
    }
}

/// Turn collected argument errors into a 400, or let the request through.
pub fn check(errors: Vec<ArgError>) -> Result<(), ScwError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ScwError::InvalidArguments(errors))
    }
}

impl IntoResponse for ScwError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ScwError::InvalidArguments(details) => {
                let details: Vec<_> = details
                    .into_iter()
                    .map(|d| {
                        json!({
                            "argument_name": d.argument_name,
                            "reason": d.reason,
                            "help_message": d.help_message,
                        })
                    })
                    .collect();
                (
                    StatusCode::BAD_REQUEST,
                    json!({"details": details, "message": "invalid argument(s)", "type": "invalid_arguments"}),
                )
            }
            ScwError::NotFound {
                resource,
                resource_id,
            } => (
                StatusCode::NOT_FOUND,
                json!({"message": "resource is not found", "resource": resource, "resource_id": resource_id, "type": "not_found"}),
            ),
            ScwError::DeniedAuthentication { reason } => (
                StatusCode::UNAUTHORIZED,
                json!({"message": "authentication is denied", "method": "api_key", "reason": reason, "type": "denied_authentication"}),
            ),
            ScwError::PermissionsDenied { resource, action } => (
                StatusCode::FORBIDDEN,
                json!({"details": [{"action": action, "resource": resource}], "message": "insufficient permissions", "type": "permissions_denied"}),
            ),
            ScwError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                json!({"message": "method not allowed", "type": "method_not_allowed"}),
            ),
        };
        (status, Json(body)).into_response()
    }
}

/// The body for an answer made outside the Scaleway handlers (faults, body limit, unknown
/// routes), with the extra fields the SDKs read for each `type`.
pub fn envelope(status: StatusCode, message: &str, retry_after: Option<u64>) -> Response {
    let body = match status.as_u16() {
        400 | 413 => json!({"type": "invalid_arguments", "message": message, "details": []}),
        401 => json!({
            "type": "denied_authentication", "message": message,
            "method": "unknown_method", "reason": "unknown_reason",
        }),
        403 => json!({"type": "permissions_denied", "message": message, "details": []}),
        404 => json!({"type": "not_found", "message": message, "resource": "", "resource_id": ""}),
        429 => json!({
            "type": "too_many_requests", "message": message,
            "help_message": "You are being rate limited by the emulator",
            "reset_seconds": retry_after.unwrap_or(1),
        }),
        409 => json!({"type": "conflict", "message": message}),
        _ => json!({"type": "unknown_error", "message": message}),
    };
    (status, Json(body)).into_response()
}
