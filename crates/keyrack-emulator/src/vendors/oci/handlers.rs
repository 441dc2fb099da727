//! UploadApiKey, ListApiKeys and DeleteApiKey. Every request is authenticated first (OCI signs
//! every call), then authorised: a user manages their own keys, an administrator anyone's.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{FromRequest, OriginalUri, Path, Request, State as AxState};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Duration;

use super::error::OciError;
use super::signature::{self, KeyId, Received};
use super::{keys, RetryToken, State, StoredKey};
use crate::state::Shared;

type Body = Result<Bytes, BytesRejection>;

/// Adds `opc-request-id` to every response: the client's own id when it sent one.
pub async fn request_id(req: Request, next: Next) -> Response {
    let id = req.headers().get("opc-request-id").cloned();
    let mut resp = next.run(req).await;
    let id = id.unwrap_or_else(|| {
        let seg = || crate::util::random_hex(32).to_ascii_uppercase();
        HeaderValue::from_str(&format!("{}/{}/{}", seg(), seg(), seg()))
            .unwrap_or(HeaderValue::from_static("0"))
    });
    resp.headers_mut().insert("opc-request-id", id);
    resp
}

/// `/users/{userId}/apiKeys` (with or without the trailing slash): GET lists, POST uploads.
pub async fn collection(
    AxState(shared): AxState<Shared>,
    path: Result<Path<String>, PathRejection>,
    request: Signed,
) -> Result<Response, OciError> {
    let mut store = shared.store();
    let state = &mut store.oci;
    let user_id = request.authorized(state, path, String::as_str)?;
    match request.method {
        Method::GET => Ok(list(state, &user_id)),
        Method::POST => {
            let uploaded = upload(state, &user_id, &request.headers, &request.body)?;
            shared.persist_locked(&store);
            Ok(uploaded)
        }
        _ => Ok(method_not_allowed("GET, POST")),
    }
}

/// ListUsers page sizes: OCI's default and most.
const USERS_PAGE_DEFAULT: usize = 100;
const USERS_PAGE_MAX: usize = 1000;

/// `GET /users?compartmentId=<tenancy>[&limit=&page=&name=]`: ListUsers. Only a tenancy
/// administrator may list users; anyone else gets OCI's `404 NotAuthorizedOrNotFound`, as for
/// any resource the caller may not see. Paged with `limit` and the `opc-next-page` header.
pub async fn users(
    AxState(shared): AxState<Shared>,
    request: Signed,
) -> Result<Response, OciError> {
    let store = shared.store();
    let state = &store.oci;
    let caller = request.authenticate(state)?;
    if request.method != Method::GET {
        return Ok(method_not_allowed("GET"));
    }
    let query: Vec<(String, String)> =
        serde_urlencoded::from_str(request.uri.query().unwrap_or(""))
            .map_err(|_| OciError::invalid_parameter("The query string is not valid."))?;
    let get = |name: &str| {
        query
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let Some(compartment) = get("compartmentId") else {
        return Err(OciError::new(
            StatusCode::BAD_REQUEST,
            "MissingParameter",
            "Missing required parameter compartmentId.",
        ));
    };
    let caller_is_admin = state.user(&caller.user).is_some_and(|u| u.is_admin);
    if compartment != state.tenancy || !caller_is_admin {
        return Err(OciError::not_authorized_or_not_found());
    }
    let limit = match get("limit") {
        None => USERS_PAGE_DEFAULT,
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|l| (1..=USERS_PAGE_MAX).contains(l))
            .ok_or_else(|| {
                OciError::invalid_parameter(format!(
                    "limit must be a number from 1 to {USERS_PAGE_MAX}."
                ))
            })?,
    };
    let offset = match get("page") {
        None => 0,
        Some(p) => p
            .parse::<usize>()
            .map_err(|_| OciError::invalid_parameter("The page token is not valid."))?,
    };
    let name = get("name");
    let matching: Vec<_> = state
        .users
        .iter()
        .filter(|u| name.is_none_or(|n| u.name == n))
        .collect();
    let page: Vec<super::wire::User> = matching
        .iter()
        .skip(offset)
        .take(limit)
        .map(|u| super::wire::User {
            id: u.id.clone(),
            compartment_id: state.tenancy.clone(),
            name: u.name.clone(),
            description: u.name.clone(),
            time_created: u
                .time_created
                .unwrap_or(chrono::DateTime::UNIX_EPOCH)
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            lifecycle_state: "ACTIVE",
            is_mfa_activated: false,
        })
        .collect();
    let mut response = Json(page).into_response();
    if offset + limit < matching.len() {
        if let Ok(v) = HeaderValue::from_str(&(offset + limit).to_string()) {
            response.headers_mut().insert("opc-next-page", v);
        }
    }
    Ok(response)
}

/// `/users/{userId}/apiKeys/{fingerprint}`: DELETE. The fingerprint may arrive with raw or
/// `%3A`-encoded colons; the signature was checked on the raw form, lookup uses the decoded one.
pub async fn item(
    AxState(shared): AxState<Shared>,
    path: Result<Path<(String, String)>, PathRejection>,
    request: Signed,
) -> Result<Response, OciError> {
    let mut store = shared.store();
    let state = &mut store.oci;
    let (user_id, fingerprint) = request.authorized(state, path, |(user, _)| user.as_str())?;
    if request.method != Method::DELETE {
        return Ok(method_not_allowed("DELETE"));
    }
    delete(state, &user_id, &fingerprint, &request.headers)?;
    shared.persist_locked(&store);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Any other path under `/20160918/`: authenticated like every OCI call, then `404 NotFound`.
/// (This is also how the vendor's own vectors, made for other services, replay here.)
pub async fn unknown_operation(
    AxState(shared): AxState<Shared>,
    request: Signed,
) -> Result<Response, OciError> {
    request.authenticate(&shared.store().oci)?;
    Err(OciError::new(
        StatusCode::NOT_FOUND,
        "NotFound",
        format!(
            "No operation for {} {}.",
            request.method,
            request.uri.path()
        ),
    ))
}

/// A request as OCI checks it before any operation: every call is signed. A handler's last
/// extractor, since it takes the body.
pub struct Signed {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
}

impl<S: Send + Sync> FromRequest<S> for Signed {
    type Rejection = OciError;

    async fn from_request(req: Request, state: &S) -> Result<Self, OciError> {
        let method = req.method().clone();
        let uri = req
            .extensions()
            .get::<OriginalUri>()
            .map_or_else(|| req.uri().clone(), |o| o.0.clone());
        let headers = req.headers().clone();
        let body = read_body(Bytes::from_request(req, state).await)?;
        Ok(Signed {
            method,
            uri,
            headers,
            body,
        })
    }
}

impl Signed {
    fn authenticate(&self, state: &State) -> Result<KeyId, OciError> {
        let target = self
            .uri
            .path_and_query()
            .map(|pq| pq.as_str())
            .unwrap_or("/");
        let req = Received {
            method: &self.method,
            target,
            headers: &self.headers,
            body: &self.body,
        };
        let now = state.now().timestamp();
        let max_skew = state.settings.max_clock_skew_secs;
        match signature::verify(&req, now, max_skew, |id| state.signing_key(id)) {
            Ok(key_id) => KeyId::parse(&key_id).ok_or_else(OciError::not_authenticated),
            Err(reason) => {
                // For the operator's log only; the client always gets the same 401.
                let method = &self.method;
                tracing::debug!("oci: {method} {target}: not authenticated: {reason}");
                Err(OciError::not_authenticated())
            }
        }
    }

    /// The path parameters, once the signature holds and the caller may manage the keys of
    /// the path's user (`user` picks that user's id out of the parameters).
    fn authorized<P>(
        &self,
        state: &State,
        path: Result<Path<P>, PathRejection>,
        user: impl Fn(&P) -> &str,
    ) -> Result<P, OciError> {
        let caller = self.authenticate(state)?;
        let Ok(Path(params)) = path else {
            return Err(OciError::not_authorized_or_not_found());
        };
        authorize(state, &caller, user(&params))?;
        Ok(params)
    }
}

/// The body bytes, or the OCI error for a body that could not be read (e.g. too large).
fn read_body(body: Body) -> Result<Bytes, OciError> {
    body.map_err(|rejection| {
        let status = rejection.status();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "RequestEntityTooLarge"
        } else {
            "CannotParseRequest"
        };
        OciError::new(status, code, rejection.body_text())
    })
}

fn authorize(state: &State, caller: &KeyId, user_id: &str) -> Result<(), OciError> {
    let caller_is_admin = state.user(&caller.user).is_some_and(|u| u.is_admin);
    if state.user(user_id).is_none() || (caller.user != user_id && !caller_is_admin) {
        return Err(OciError::not_authorized_or_not_found());
    }
    Ok(())
}

fn list(state: &State, user_id: &str) -> Response {
    let keys: Vec<_> = state
        .user(user_id)
        .map(|u| u.keys.iter().map(|k| state.to_wire(user_id, k)).collect())
        .unwrap_or_default();
    Json(keys).into_response()
}

fn upload(
    state: &mut State,
    user_id: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, OciError> {
    let pem = parse_create_details(body)?;
    let public = keys::validate_upload(&pem).map_err(|e| match e {
        keys::KeyError::NotRsaPem => {
            OciError::invalid_parameter("The key is not a valid RSA public key in PEM format.")
        }
        keys::KeyError::TooSmall => OciError::invalid_parameter(format!(
            "The key is too small: RSA keys must be at least {} bits.",
            keys::MIN_UPLOAD_BITS
        )),
    })?;
    let fingerprint = keys::fingerprint(&public);
    let now = state.now();
    let body_hash = signature::body_sha256(body);

    let retry_token = headers
        .get("opc-retry-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if let Some(token) = &retry_token {
        state
            .retry_tokens
            .retain(|t| now - t.seen_at < Duration::hours(24));
        if let Some(seen) = state.retry_tokens.iter().find(|t| &t.token == token) {
            if seen.user_id != user_id || seen.body_sha256 != body_hash {
                return Err(OciError::new(
                    StatusCode::CONFLICT,
                    "Conflict",
                    "The opc-retry-token was already used for a different request.",
                ));
            }
            let existing = state
                .user(user_id)
                .and_then(|u| u.keys.iter().find(|k| k.fingerprint == seen.fingerprint));
            if let Some(existing) = existing {
                return Ok(uploaded(state, user_id, existing));
            }
            // The key made under this token is gone: treat the retry as a new upload.
            state.retry_tokens.retain(|t| &t.token != token);
        }
    }

    let max = state.settings.max_keys_per_user;
    let limit_status =
        StatusCode::from_u16(state.settings.key_limit_status).unwrap_or(StatusCode::BAD_REQUEST);
    let limit_code = state.settings.key_limit_code.clone();
    let activation = match state.settings.activation_delay_ms {
        0 => None,
        // Capped at a year so that no setting can overflow the clock.
        ms => {
            Some(now + Duration::milliseconds(i64::try_from(ms.min(31_536_000_000)).unwrap_or(0)))
        }
    };
    let user = state
        .user_mut(user_id)
        .ok_or_else(OciError::not_authorized_or_not_found)?;
    if user.keys.iter().any(|k| k.fingerprint == fingerprint) {
        return Err(OciError::new(
            StatusCode::CONFLICT,
            "Conflict",
            format!(
                "The API key with fingerprint {fingerprint} is already uploaded for this user."
            ),
        ));
    }
    if user.keys.len() >= max {
        return Err(OciError::new(
            limit_status,
            &limit_code,
            format!("A user can have at most {max} API signing keys; delete one before uploading another."),
        ));
    }
    let key = StoredKey {
        fingerprint: fingerprint.clone(),
        key_value: pem,
        time_created: now,
        etag: crate::util::random_hex(32),
        active_from: activation,
    };
    user.keys.push(key.clone());
    if let Some(token) = retry_token {
        state.retry_tokens.push(RetryToken {
            token,
            user_id: user_id.to_string(),
            body_sha256: body_hash,
            fingerprint,
            seen_at: now,
        });
    }
    Ok(uploaded(state, user_id, &key))
}

/// `200` with the `ApiKey` and its `etag`.
fn uploaded(state: &State, user_id: &str, key: &StoredKey) -> Response {
    let etag = HeaderValue::from_str(&format!("\"{}\"", key.etag))
        .unwrap_or(HeaderValue::from_static("\"0\""));
    ([(header::ETAG, etag)], Json(state.to_wire(user_id, key))).into_response()
}

/// `CreateApiKeyDetails`: `{"key": "<PEM>"}`, parsed from the bytes as received.
fn parse_create_details(body: &[u8]) -> Result<String, OciError> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| {
        OciError::new(
            StatusCode::BAD_REQUEST,
            "CannotParseRequest",
            "The request body is not valid JSON.",
        )
    })?;
    let obj = value.as_object().ok_or_else(|| {
        OciError::new(
            StatusCode::BAD_REQUEST,
            "CannotParseRequest",
            "The request body must be a JSON object.",
        )
    })?;
    match obj.get("key") {
        None | Some(serde_json::Value::Null) => Err(OciError::new(
            StatusCode::BAD_REQUEST,
            "MissingParameter",
            "Missing required parameter 'key'.",
        )),
        Some(serde_json::Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(OciError::invalid_parameter(
            "Parameter 'key' must be a string holding a PEM public key.",
        )),
    }
}

fn delete(
    state: &mut State,
    user_id: &str,
    fingerprint: &str,
    headers: &HeaderMap,
) -> Result<(), OciError> {
    let user = state
        .user_mut(user_id)
        .ok_or_else(OciError::not_authorized_or_not_found)?;
    let index = user
        .keys
        .iter()
        .position(|k| k.fingerprint == fingerprint)
        .ok_or_else(OciError::not_authorized_or_not_found)?;
    if let Some(if_match) = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()) {
        if bare_etag(if_match) != user.keys[index].etag && if_match.trim() != "*" {
            return Err(OciError::new(
                StatusCode::PRECONDITION_FAILED,
                "NoEtagMatch",
                "The if-match etag does not match the current etag of the resource.",
            ));
        }
    }
    user.keys.remove(index);
    Ok(())
}

fn bare_etag(s: &str) -> &str {
    let s = s.trim();
    let s = s.strip_prefix("W/").unwrap_or(s);
    s.trim_matches('"')
}

fn method_not_allowed(allow: &'static str) -> Response {
    let mut resp = OciError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "MethodNotAllowed",
        "The method is not supported on this resource.",
    )
    .into_response();
    resp.headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allow));
    resp
}
