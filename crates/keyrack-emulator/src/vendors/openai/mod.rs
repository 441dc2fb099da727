//! OpenAI Administration API: projects, service accounts, project API keys and admin API keys
//! under `/v1/organization/`, with admin-key Bearer auth. Written from OpenAI's API reference.

mod admin_keys;
mod api_keys;
mod auth;
mod body;
pub mod error;
mod mint;
mod model;
mod models;
mod paging;
mod projects;
mod scopes;
mod seed;
mod service_accounts;
mod wire;

use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

use crate::envelope::header_value;
use crate::state::{SeedOptions, Shared};
use crate::vendor::Vendor;
pub use auth::Caller;
use error::ApiError;
pub use model::{
    AdminKey, KeyOwner, OrgUser, Project, ProjectKey, SecretValue, ServiceAccount, State,
};
pub use seed::seed;

pub struct OpenAi;

/// A request to an OpenAI handler.
type Call = crate::handler::Call<OpenAi>;

/// Every OpenAI handler answers JSON, or an error in OpenAI's envelope.
type Answer = Result<axum::Json<serde_json::Value>, ApiError>;

/// One id in the path, checked inside the handler (after authentication) by `path_param`.
type IdPath = Result<axum::extract::Path<String>, axum::extract::rejection::PathRejection>;

/// A project's id and the id of something in it.
type PairPath =
    Result<axum::extract::Path<(String, String)>, axum::extract::rejection::PathRejection>;

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
        path.starts_with("/v1/organization/") || path == "/v1/me" || path == "/v1/models"
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
            .route("/v1/models", get(models::list))
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

/// `x-request-id` on every response.
async fn request_id(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let mut resp = next.run(req).await;
    let id = format!("req_{}", crate::util::random_hex(32));
    resp.headers_mut().insert("x-request-id", header_value(&id));
    resp
}
