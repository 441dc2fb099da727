//! One module per vendor, each following the contract in the crate docs, plus the generic error
//! envelopes the shared layers (faults, body limit, unknown routes) answer with.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

pub mod codefresh;
pub mod ibm;
pub mod oci;
pub mod openai;
pub mod scaleway;

/// Every vendor name, as used in the manifest, fault rules and the request log.
pub const VENDORS: [&str; 5] = ["ibm", "scaleway", "oci", "openai", "codefresh"];

/// Which vendor a request path belongs to (used by fault injection and the request log).
pub fn vendor_of_path(path: &str) -> Option<&'static str> {
    if path.starts_with("/identity/")
        || path.starts_with("/v1/apikeys")
        || path.starts_with("/v1/accounts/")
    {
        Some("ibm")
    } else if path.starts_with("/iam/v1alpha1/") || path.starts_with("/account/v3/") {
        Some("scaleway")
    } else if path.starts_with("/20160918/") {
        Some("oci")
    } else if path.starts_with("/v1/organization/") || path == "/v1/me" {
        Some("openai")
    } else if path.starts_with("/api/") {
        Some("codefresh")
    } else {
        None
    }
}

/// An error in the vendor's own envelope, for answers the vendor handlers never see: injected
/// status faults, oversized bodies, unknown routes. `retry_after` also sets `Retry-After`.
pub fn error_response(
    vendor: Option<&str>,
    path: &str,
    status: StatusCode,
    message: &str,
    retry_after: Option<u64>,
) -> Response {
    let request_id = crate::util::random_hex(32);
    let mut response = match vendor {
        Some("ibm") => ibm::generic_error(path, status, message),
        Some("scaleway") => scaleway_error(status, message, retry_after).into_response(),
        Some("oci") => {
            let body = json!({ "code": oci_code(status), "message": message });
            let mut r = (status, axum::Json(body)).into_response();
            r.headers_mut()
                .insert("opc-request-id", header(&request_id.to_uppercase()));
            r
        }
        Some("openai") => {
            let (kind, code) = openai_type_code(status);
            let body = json!({
                "error": { "message": message, "type": kind, "param": null, "code": code }
            });
            let mut r = (status, axum::Json(body)).into_response();
            r.headers_mut()
                .insert("x-request-id", header(&format!("req_{request_id}")));
            r
        }
        Some("codefresh") => {
            let body = json!({
                "status": status.as_u16(),
                "code": codefresh_code(status),
                "name": codefresh_name(status),
                "message": message,
                "context": {},
            });
            (status, axum::Json(body)).into_response()
        }
        _ => (status, axum::Json(json!({ "error": message }))).into_response(),
    };
    *response.status_mut() = status;
    if let Some(secs) = retry_after {
        response
            .headers_mut()
            .insert("retry-after", header(&secs.to_string()));
    }
    response
}

fn header(value: &str) -> HeaderValue {
    HeaderValue::from_str(value).unwrap_or(HeaderValue::from_static("-"))
}

/// Scaleway: `type` + `message`, with the extra fields its SDKs read for each type.
fn scaleway_error(
    status: StatusCode,
    message: &str,
    retry_after: Option<u64>,
) -> (StatusCode, axum::Json<serde_json::Value>) {
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
    (status, axum::Json(body))
}

fn oci_code(status: StatusCode) -> &'static str {
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

fn openai_type_code(status: StatusCode) -> (&'static str, Option<&'static str>) {
    match status.as_u16() {
        401 => ("invalid_request_error", Some("invalid_api_key")),
        429 => ("requests", Some("rate_limit_exceeded")),
        s if s >= 500 => ("server_error", None),
        _ => ("invalid_request_error", None),
    }
}

fn codefresh_code(status: StatusCode) -> &'static str {
    match status.as_u16() {
        404 => "2000",
        _ => "1000",
    }
}

fn codefresh_name(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 | 413 => "BAD_REQUEST_ERROR",
        401 => "UNAUTHORIZED_ERROR",
        403 => "FORBIDDEN_ERROR",
        404 => "NOT_FOUND_ERROR",
        409 => "CONFLICT_ERROR",
        429 => "TOO_MANY_REQUESTS_ERROR",
        _ => "INTERNAL_SERVER_ERROR",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_their_vendor() {
        assert_eq!(vendor_of_path("/identity/token"), Some("ibm"));
        assert_eq!(vendor_of_path("/v1/apikeys/details"), Some("ibm"));
        assert_eq!(
            vendor_of_path("/v1/accounts/abc/limits/identity"),
            Some("ibm")
        );
        assert_eq!(vendor_of_path("/iam/v1alpha1/api-keys"), Some("scaleway"));
        assert_eq!(vendor_of_path("/account/v3/projects"), Some("scaleway"));
        assert_eq!(vendor_of_path("/20160918/users/x/apiKeys"), Some("oci"));
        assert_eq!(vendor_of_path("/v1/organization/projects"), Some("openai"));
        assert_eq!(vendor_of_path("/v1/me"), Some("openai"));
        assert_eq!(vendor_of_path("/api/auth/keys"), Some("codefresh"));
        assert_eq!(vendor_of_path("/__emulator/faults"), None);
        assert_eq!(vendor_of_path("/"), None);
    }
}
