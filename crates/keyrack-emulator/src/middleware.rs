//! The layer every vendor request passes through: body-size limit, latency, injected faults and
//! the request log. Requests to the control API (`/__emulator/…`) bypass all of it.

use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::FutureExt;

use crate::envelope::error_response;
use crate::faults::FaultKind;
use crate::request_log::RequestRecord;
use crate::state::Shared;
use crate::vendors::vendor_of_path;

/// Largest request body accepted; larger ones get 413 in the vendor's envelope.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

pub const CONTROL_PREFIX: &str = "/__emulator";

pub async fn emulate(State(shared): State<Shared>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if path == CONTROL_PREFIX || path.starts_with("/__emulator/") {
        return next.run(request).await;
    }
    let started = Instant::now();
    let vendor = vendor_of_path(&path);
    let method = request.method().as_str().to_owned();

    let decision = shared.faults.decide(vendor, &method, &path);
    let delay = shared.latency_ms + decision.latency_ms;
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }

    let mut fault = (decision.latency_ms > 0).then_some("latency");
    let response = match decision.action {
        Some(FaultKind::Status {
            status,
            retry_after,
        }) => {
            fault = Some("status");
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let message = format!(
                "Injected fault: {} {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or("error")
            );
            error_response(vendor, &path, status, &message, retry_after)
        }
        Some(FaultKind::Reset) => {
            fault = Some("reset");
            reset_connection()
        }
        Some(FaultKind::Malformed) => {
            fault = Some("malformed");
            truncate_body(handle(vendor, &path, request, next).await).await
        }
        Some(FaultKind::Latency { .. }) | None => handle(vendor, &path, request, next).await,
    };

    let status = (fault != Some("reset")).then(|| response.status().as_u16());
    tracing::debug!(
        method = %method,
        path = %path,
        status = ?status,
        fault = ?fault,
        "vendor request"
    );
    shared.requests.push(RequestRecord {
        seq: 0,
        at: chrono::Utc::now(),
        method,
        path,
        vendor,
        status,
        fault,
        duration_ms: started.elapsed().as_millis() as u64,
    });
    response
}

/// Run the handler, refusing an oversized body up front when its length is declared. (A chunked
/// body is capped by `RequestBodyLimitLayer` inside, which the extractors turn into 413.)
async fn handle(vendor: Option<&str>, path: &str, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        let message = format!("Request body is larger than {MAX_BODY_BYTES} bytes");
        return error_response(vendor, path, StatusCode::PAYLOAD_TOO_LARGE, &message, None);
    }
    let response = match AssertUnwindSafe(next.run(request)).catch_unwind().await {
        Ok(response) => response,
        Err(_) => {
            // A bug in a handler must not cost the client its connection: answer 500.
            tracing::error!("handler panicked on {path}");
            let message = "The emulator failed while handling this request";
            return error_response(
                vendor,
                path,
                StatusCode::INTERNAL_SERVER_ERROR,
                message,
                None,
            );
        }
    };
    let status = response.status();
    if status.is_client_error() && !is_json(&response) {
        return rewrap_rejection(vendor, path, response).await;
    }
    response
}

/// axum's own rejections (bad path parameters, unreadable or oversized bodies) are plain text;
/// re-send them in the vendor's envelope so clients always meet the vendor's error shape.
async fn rewrap_rejection(vendor: Option<&str>, path: &str, response: Response) -> Response {
    let status = response.status();
    let is_text = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("text/plain"));
    if !is_text {
        return response;
    }
    let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
        format!("Request body is larger than {MAX_BODY_BYTES} bytes")
    } else {
        let text = axum::body::to_bytes(response.into_body(), 64 * 1024)
            .await
            .unwrap_or_default();
        let text = String::from_utf8_lossy(&text).trim().to_owned();
        if text.is_empty() {
            status
                .canonical_reason()
                .unwrap_or("Bad request")
                .to_owned()
        } else {
            text
        }
    };
    error_response(vendor, path, status, &message, None)
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"))
}

/// A response whose body fails before its first byte: hyper then closes the connection without
/// having written the status line, so the client sees a dropped connection, not an answer.
fn reset_connection() -> Response {
    let failing = futures::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "emulator fault: reset",
        ))
    });
    Response::new(Body::from_stream(failing))
}

/// Keep the handler's status and headers but cut its body in half, so it no longer parses. An
/// empty body (e.g. 204) becomes 200 with `{"`, since a 204 cannot carry a body at all.
async fn truncate_body(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let cut = if bytes.len() >= 2 {
        bytes.slice(..bytes.len() / 2)
    } else {
        parts.status = StatusCode::OK;
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        Bytes::from_static(b"{\"")
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    (parts, Body::from(cut)).into_response()
}

#[cfg(test)]
mod tests {
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt;

    use super::*;
    use crate::server::{new_shared, EmulatorOptions};
    use crate::state::Store;

    async fn call(path: &str) -> (StatusCode, serde_json::Value) {
        let shared = new_shared(
            std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
            "http://test".into(),
            Store::default(),
            &EmulatorOptions::default(),
        );
        let app = Router::new()
            .route(
                "/v1/apikeys/boom",
                get(|| async {
                    if true {
                        panic!("handler bug");
                    }
                    StatusCode::OK
                }),
            )
            .route(
                "/v1/apikeys/plain",
                get(|| async { (StatusCode::UNPROCESSABLE_ENTITY, "plain words") }),
            )
            .layer(axum::middleware::from_fn_with_state(
                shared.clone(),
                emulate,
            ))
            .with_state(shared);
        let request = Request::builder().uri(path).body(Body::empty()).unwrap();
        let response = app.oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn a_panicking_handler_answers_500_in_the_vendor_envelope() {
        let (status, body) = call("/v1/apikeys/boom").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body["status_code"], "500");
    }

    #[tokio::test]
    async fn plain_text_rejections_are_rewrapped() {
        let (status, body) = call("/v1/apikeys/plain").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["message"], "plain words");
    }
}
