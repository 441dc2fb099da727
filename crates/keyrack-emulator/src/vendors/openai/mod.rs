//! OpenAI Administration API: projects, service accounts, project API keys and admin API keys
//! under `/v1/organization/`, with admin-key Bearer auth. Written from OpenAI's API reference.

mod admin_keys;
mod api_keys;
mod auth;
mod body;
pub mod error;
mod paging;
mod projects;
mod seed;
mod service_accounts;
mod wire;

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::state::{SeedOptions, Shared};
use crate::vendor::Vendor;
pub use auth::Caller;
use error::ApiError;
pub use seed::seed;

pub struct OpenAi;

impl Vendor for OpenAi {
    const NAME: &'static str = "openai";
    type State = State;

    fn manifest(state: &State, base_url: &str) -> serde_json::Value {
        serde_json::json!({
            "base_url": format!("{base_url}/v1"),
            "admin_key": state.manifest_admin_key.0,
            "organization_id": state.organization_id,
            "project_id": state.manifest_project_id,
        })
    }

    fn seed(state: &mut State, opts: &SeedOptions) {
        seed(state, opts);
    }

    fn owns_path(path: &str) -> bool {
        path.starts_with("/v1/organization/") || path == "/v1/me"
    }

    fn error_envelope(_: &str, status: StatusCode, message: &str, _: Option<u64>) -> Response {
        error::envelope(status, message)
    }

    fn routes() -> Router<Shared> {
        const P: &str = "/v1/organization/projects";
        Router::new()
            .route(P, get(projects::list).post(projects::create))
            .route(
                &format!("{P}/{{project_id}}"),
                get(projects::retrieve).post(projects::modify),
            )
            .route(
                &format!("{P}/{{project_id}}/archive"),
                post(projects::archive),
            )
            .route(&format!("{P}/{{project_id}}/api_keys"), get(api_keys::list))
            .route(
                &format!("{P}/{{project_id}}/api_keys/{{key_id}}"),
                get(api_keys::retrieve)
                    .post(api_keys::update)
                    .delete(api_keys::delete),
            )
            .route(
                &format!("{P}/{{project_id}}/service_accounts"),
                get(service_accounts::list).post(service_accounts::create),
            )
            .route(
                &format!("{P}/{{project_id}}/service_accounts/{{service_account_id}}"),
                get(service_accounts::retrieve)
                    .post(service_accounts::update)
                    .delete(service_accounts::delete),
            )
            .route(
                &format!("{P}/{{project_id}}/service_accounts/{{service_account_id}}/api_keys"),
                post(service_accounts::create_key),
            )
            .route(
                "/v1/organization/admin_api_keys",
                get(admin_keys::list).post(admin_keys::create),
            )
            .route(
                "/v1/organization/admin_api_keys/{key_id}",
                get(admin_keys::retrieve).delete(admin_keys::delete),
            )
            .layer(axum::middleware::from_fn(request_id))
    }
}

/// Everything the OpenAI emulator remembers: one organization.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub organization_id: String,
    pub users: Vec<OrgUser>,
    pub admin_keys: Vec<AdminKey>,
    pub projects: Vec<Project>,
    pub service_accounts: Vec<ServiceAccount>,
    pub api_keys: Vec<ProjectKey>,
    /// The seeded admin key's secret, which the manifest hands out. Every other secret exists
    /// only in its create response; the state keeps hashes.
    pub manifest_admin_key: SecretValue,
    pub manifest_project_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrgUser {
    pub id: String,
    pub name: String,
    pub email: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AdminKey {
    pub id: String,
    pub name: String,
    pub redacted_value: String,
    pub value_sha256: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub owner_user_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Project {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub archived_at: Option<i64>,
    pub external_key_id: Option<String>,
    pub residency: Option<String>,
    /// The organization's default project cannot be modified or archived.
    pub is_default: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServiceAccount {
    pub id: String,
    pub project_id: String,
    pub name: String,
    /// `owner`, `member` or `none`.
    pub role: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProjectKey {
    pub id: String,
    pub project_id: String,
    pub name: String,
    pub redacted_value: String,
    pub value_sha256: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub owner: KeyOwner,
    /// `active` or `inactive` (the owner's access to the project).
    pub owner_project_access: String,
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum KeyOwner {
    User { user_id: String, role: String },
    ServiceAccount { service_account_id: String },
}

/// A secret string: serialized as-is into the state file, never printed by `Debug`.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SecretValue(pub String);

impl std::fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A freshly minted secret: its value (shown once), display form and hash.
pub(crate) struct Minted {
    pub value: String,
    pub redacted: String,
    pub sha256: String,
}

/// `prefix` + 64 random characters. `shown` is how many leading characters the redacted form
/// keeps (`sk-admin...wxyz`, `sk-svc...wxyz`).
pub(crate) fn mint(prefix: &str, shown: usize) -> Minted {
    let value = format!("{prefix}{}", crate::util::random_alnum(64));
    let tail = &value[value.len() - 4..];
    Minted {
        redacted: format!("{}...{tail}", &value[..shown.min(value.len())]),
        sha256: sha256_hex(&value),
        value,
    }
}

pub(crate) fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

pub(crate) fn now() -> i64 {
    crate::util::now().timestamp()
}

pub(crate) fn new_id(prefix: &str) -> String {
    format!("{prefix}{}", crate::util::random_alnum(24))
}

impl State {
    pub fn project(&self, id: &str) -> Result<&Project, ApiError> {
        self.projects
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| ApiError::not_found("project", id))
    }

    /// The project, refusing writes once it is archived.
    pub fn writable_project(&self, id: &str) -> Result<&Project, ApiError> {
        let p = self.project(id)?;
        if p.archived_at.is_some() {
            return Err(ApiError::archived(id));
        }
        Ok(p)
    }

    pub fn service_account(&self, project_id: &str, id: &str) -> Result<&ServiceAccount, ApiError> {
        self.service_accounts
            .iter()
            .find(|s| s.project_id == project_id && s.id == id)
            .ok_or_else(|| ApiError::not_found("service account", id))
    }

    pub fn user(&self, id: &str) -> Option<&OrgUser> {
        self.users.iter().find(|u| u.id == id)
    }
}

/// What a handler did: only writes persist the state file.
pub(crate) enum Done {
    Read(Response),
    Wrote(Response),
}

/// Authenticates the admin key, runs the operation under the store lock, persists after a write.
pub(crate) fn run(
    shared: &Shared,
    headers: &HeaderMap,
    op: impl FnOnce(&mut State, &Caller) -> Result<Done, ApiError>,
) -> Response {
    let mut store = shared.store();
    let caller = match auth::authenticate(&mut store.openai, headers) {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    match op(&mut store.openai, &caller) {
        Ok(Done::Read(r)) => r,
        Ok(Done::Wrote(r)) => {
            shared.persist_locked(&store);
            r
        }
        Err(e) => e.into_response(),
    }
}

/// A path parameter, or the live API's 404 for a URL it cannot route.
pub(crate) fn path_param<T>(
    p: Result<axum::extract::Path<T>, axum::extract::rejection::PathRejection>,
) -> Result<T, ApiError> {
    p.map(|axum::extract::Path(v)| v).map_err(|_| {
        ApiError::invalid_request(
            axum::http::StatusCode::NOT_FOUND,
            "Invalid URL: bad path parameter.",
        )
    })
}

pub(crate) fn read(v: serde_json::Value) -> Result<Done, ApiError> {
    Ok(Done::Read(axum::Json(v).into_response()))
}

pub(crate) fn wrote(v: serde_json::Value) -> Result<Done, ApiError> {
    Ok(Done::Wrote(axum::Json(v).into_response()))
}

/// `x-request-id` on every response.
async fn request_id(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let mut resp = next.run(req).await;
    let id = format!("req_{}", crate::util::random_hex(32));
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    resp
}
