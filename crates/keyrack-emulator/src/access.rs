//! Who may talk to the emulator: only requests addressed to the loopback address it listens on
//! (a web page cannot reach it by DNS rebinding: its `Host` would be the page's name), and the
//! control API only as the emulator was told (open for the standalone binary and tests, behind
//! a token or not at all in the desktop app's sandbox).

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::middleware::CONTROL_PREFIX;
use crate::state::Shared;

/// Whether and how `/__emulator/…` answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ControlApi {
    /// Anyone who can reach the emulator (the standalone binary, tests).
    #[default]
    Open,
    /// Only requests carrying this value in `x-keyrack-control-token`.
    Token(String),
    /// Not mounted: the control paths are unknown routes.
    Off,
}

/// The header that carries a `ControlApi::Token`.
pub const TOKEN_HEADER: &str = "x-keyrack-control-token";

/// Refuse requests for another host (when listening on loopback) and control requests the
/// settings do not allow.
pub async fn guard(State(shared): State<Shared>, request: Request, next: Next) -> Response {
    if !shared.any_host && shared.addr.ip().is_loopback() && !addressed_to_us(&shared, &request) {
        let body =
            json!({ "error": "this server answers only requests for its own loopback address" });
        return (StatusCode::MISDIRECTED_REQUEST, Json(body)).into_response();
    }
    let path = request.uri().path();
    let control = path == CONTROL_PREFIX || path.starts_with("/__emulator/");
    if control {
        let allowed = match &shared.control {
            ControlApi::Open => true,
            ControlApi::Off => false,
            ControlApi::Token(token) => request
                .headers()
                .get(TOKEN_HEADER)
                .is_some_and(|v| v.as_bytes() == token.as_bytes()),
        };
        if !allowed {
            let body = json!({ "error": format!("No route for {} {path}", request.method()) });
            return (StatusCode::NOT_FOUND, Json(body)).into_response();
        }
    }
    next.run(request).await
}

/// `Host` is the address we listen on: `127.0.0.1:PORT` (or `localhost:PORT`, `[::1]:PORT`).
fn addressed_to_us(shared: &Shared, request: &Request) -> bool {
    let Some(host) = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
    else {
        // HTTP/1.0 without Host, or HTTP/2 (`:authority` is in the URI).
        return request
            .uri()
            .authority()
            .is_none_or(|a| is_ours(shared, a.as_str()));
    };
    is_ours(shared, host)
}

fn is_ours(shared: &Shared, host: &str) -> bool {
    let port = shared.addr.port();
    let ours = [
        shared.addr.to_string(),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ];
    ours.iter().any(|o| o.eq_ignore_ascii_case(host))
}
