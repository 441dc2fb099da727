//! The control API under `/__emulator/`: manifest, fault rules, state reset and the request log.
//! It is never faulted, delayed or logged. Its own errors are `{"error": "<message>"}` (400/404).
//!
//! - `GET /__emulator/health` → `{"status":"ok"}`
//! - `GET /__emulator/manifest` → the sandbox manifest (as printed at start)
//! - `POST /__emulator/faults` with a rule → 201 and the installed rule:
//!   `{"kind":"status","status":429,"retry_after":1}` (any 400–599; answers in the vendor's
//!   envelope without calling the handler; 429 defaults `retry_after` to 1, and `retry_after`
//!   on any status sets `Retry-After`), `{"kind":"latency","ms":500}` (≤ 120000, adds up with
//!   other rules), `{"kind":"reset"}` (connection dropped, no response, handler not called),
//!   `{"kind":"malformed"}` (handler runs, body cut in half; an empty body becomes 200 `{"`).
//!   Optional on every rule: `vendor` (`ibm`, `scaleway`, `oci`, `openai`, `codefresh`),
//!   `method`, `path_prefix` (starts with `/`), `rate` (0..1, default 1), `count` (fire at
//!   most N times, then the rule disappears; default unlimited). Unknown fields are refused.
//!   Latency rules all apply; of the other kinds, the first matching rule that fires wins.
//! - `GET /__emulator/faults` → `{"faults":[{"id":1,"vendor":"ibm","path_prefix":"/v1/apikeys",
//!   "method":null,"kind":"status","status":429,"retry_after":1,"rate":1.0,"remaining":2}]}`
//! - `DELETE /__emulator/faults` → 204 (all cleared); `DELETE /__emulator/faults/{id}` → 204/404
//! - `POST /__emulator/reset`, optional body `{"empty":bool,"seed_keys":N}` → re-seed every
//!   vendor (new credentials) and answer 200 with the new manifest. Faults and log are kept.
//! - `GET /__emulator/requests[?vendor=ibm][&since=SEQ]` → `{"requests":[{"seq":1,"at":"…",
//!   "method":"GET","path":"/v1/apikeys","vendor":"ibm","status":200,"fault":null,
//!   "duration_ms":3}]}` (no query strings, headers or bodies; `status` null after a reset
//!   fault; `fault` is `status`, `reset`, `malformed`, `latency` or null); `DELETE` clears it.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::faults::FaultSpec;
use crate::state::{SeedOptions, Shared};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/__emulator/health", get(health))
        .route("/__emulator/manifest", get(manifest))
        .route(
            "/__emulator/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/__emulator/faults/{id}", delete(remove_fault))
        .route("/__emulator/reset", post(reset))
        .route(
            "/__emulator/requests",
            get(list_requests).delete(clear_requests),
        )
}

fn bad_request(message: impl Into<String>) -> Response {
    let body = json!({ "error": message.into() });
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

async fn health() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

async fn manifest(State(shared): State<Shared>) -> Json<serde_json::Value> {
    Json(crate::server::manifest(&shared))
}

async fn list_faults(State(shared): State<Shared>) -> Json<serde_json::Value> {
    Json(json!({ "faults": shared.faults.list() }))
}

async fn add_fault(State(shared): State<Shared>, body: Bytes) -> Response {
    let spec: FaultSpec = match serde_json::from_slice(&body) {
        Ok(spec) => spec,
        Err(e) => return bad_request(format!("invalid fault: {e}")),
    };
    match shared.faults.add(spec) {
        Ok(rule) => (StatusCode::CREATED, Json(rule)).into_response(),
        Err(message) => bad_request(message),
    }
}

async fn clear_faults(State(shared): State<Shared>) -> StatusCode {
    shared.faults.clear();
    StatusCode::NO_CONTENT
}

async fn remove_fault(State(shared): State<Shared>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<u64>() else {
        return bad_request("fault id must be a number");
    };
    if shared.faults.remove(id) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        let body = json!({ "error": format!("no fault with id {id}") });
        (StatusCode::NOT_FOUND, Json(body)).into_response()
    }
}

/// Optional body of `POST /__emulator/reset`; omitted fields keep the options given at start.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ResetSpec {
    empty: Option<bool>,
    seed_keys: Option<usize>,
}

/// Largest `seed_keys` accepted over HTTP (the CLI flag has no such cap).
const MAX_RESET_SEED_KEYS: usize = 10_000;

async fn reset(State(shared): State<Shared>, body: Bytes) -> Response {
    let spec = if body.iter().all(u8::is_ascii_whitespace) {
        ResetSpec::default()
    } else {
        match serde_json::from_slice::<ResetSpec>(&body) {
            Ok(spec) => spec,
            Err(e) => return bad_request(format!("invalid reset: {e}")),
        }
    };
    if spec.seed_keys.is_some_and(|n| n > MAX_RESET_SEED_KEYS) {
        return bad_request(format!("seed_keys must be at most {MAX_RESET_SEED_KEYS}"));
    }
    let opts = SeedOptions {
        empty: spec.empty.unwrap_or(shared.seed.empty),
        extra_keys: spec.seed_keys.unwrap_or(shared.seed.extra_keys),
    };
    let reseed = shared.clone();
    // Seeding a large state generates many secrets: keep it off the async workers.
    let _ = tokio::task::spawn_blocking(move || reseed.reseed(&opts)).await;
    Json(crate::server::manifest(&shared)).into_response()
}

#[derive(Debug, Deserialize)]
struct RequestsQuery {
    vendor: Option<String>,
    /// Only records with a larger `seq`.
    since: Option<u64>,
}

async fn list_requests(
    State(shared): State<Shared>,
    Query(query): Query<RequestsQuery>,
) -> Json<serde_json::Value> {
    let records: Vec<_> = shared
        .requests
        .snapshot()
        .into_iter()
        .filter(|r| query.vendor.as_deref().is_none_or(|v| r.vendor == Some(v)))
        .filter(|r| query.since.is_none_or(|s| r.seq > s))
        .collect();
    Json(json!({ "requests": records }))
}

async fn clear_requests(State(shared): State<Shared>) -> StatusCode {
    shared.requests.clear();
    StatusCode::NO_CONTENT
}
