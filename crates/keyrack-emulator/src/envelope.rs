//! The errors the shared layers answer with themselves (injected status faults, oversized bodies,
//! unknown routes, wrong methods, handler panics): in the envelope of the vendor whose path was
//! asked, so that clients always meet the vendor's error shape.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::vendors;

/// `vendor` is `vendor_of_path(path)`; a path that is no vendor's gets `{"error": message}`.
/// `retry_after` also sets `Retry-After`.
pub fn error_response(
    vendor: Option<&str>,
    path: &str,
    status: StatusCode,
    message: &str,
    retry_after: Option<u64>,
) -> Response {
    let mut response = vendor
        .and_then(|v| vendors::error_envelope(v, path, status, message, retry_after))
        .unwrap_or_else(|| (status, axum::Json(json!({ "error": message }))).into_response());
    *response.status_mut() = status;
    if let Some(secs) = retry_after {
        response
            .headers_mut()
            .insert("retry-after", header_value(&secs.to_string()));
    }
    response
}

/// A header value from text the emulator made itself (ids, numbers), which is always valid.
pub fn header_value(value: &str) -> HeaderValue {
    HeaderValue::from_str(value).unwrap_or(HeaderValue::from_static("-"))
}
