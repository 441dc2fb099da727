//! Scaleway IAM API keys (`/iam/v1alpha1/…`) and the Account API's projects, written from
//! Scaleway's API documentation.

mod applications;
mod auth;
mod error;
mod input;
mod keys;
mod model;
mod projects;
mod seed;
mod users;
mod wire;

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use axum::Router;

pub use model::State;
pub use seed::seed;

use crate::state::{SeedOptions, Shared};
use crate::vendor::Vendor;
use error::ScwError;

pub struct Scaleway;

/// A request to a Scaleway handler.
type Call = crate::handler::Call<Scaleway>;

impl Vendor for Scaleway {
    const NAME: &'static str = "scaleway";
    type State = State;

    /// The seeded owner's key and the ids a client needs to pick a bearer and a project.
    fn manifest(state: &State, base_url: &str) -> serde_json::Value {
        serde_json::json!({
            "base_url": base_url,
            "access_key": state.admin.access_key,
            "secret_key": state.admin.secret_key,
            "organization_id": state.organization_id,
            "project_id": state.organization_id,
            "user_id": state.admin.user_id,
            "application_id": state.admin.application_id,
        })
    }

    fn seed(state: &mut State, opts: &SeedOptions) {
        seed(state, opts);
    }

    fn owns_path(path: &str) -> bool {
        path.starts_with("/iam/v1alpha1/") || path.starts_with("/account/v3/")
    }

    fn error_envelope(
        _: &str,
        status: StatusCode,
        message: &str,
        retry_after: Option<u64>,
    ) -> Response {
        error::envelope(status, message, retry_after)
    }

    fn routes() -> Router<Shared> {
        let iam = "/iam/v1alpha1";
        Router::new()
            .route(
                &format!("{iam}/api-keys"),
                json_405(get(keys::list).post(keys::create)),
            )
            .route(
                &format!("{iam}/api-keys/{{access_key}}"),
                json_405(get(keys::get).patch(keys::update).delete(keys::delete)),
            )
            .route(&format!("{iam}/users"), json_405(get(users::list)))
            .route(
                &format!("{iam}/users/{{user_id}}"),
                json_405(get(users::get)),
            )
            .route(
                &format!("{iam}/applications"),
                json_405(get(applications::list).post(applications::create)),
            )
            .route(
                &format!("{iam}/applications/{{application_id}}"),
                json_405(
                    get(applications::get)
                        .patch(applications::update)
                        .delete(applications::delete),
                ),
            )
            .route("/account/v3/projects", json_405(get(projects::list)))
            .route(
                "/account/v3/projects/{project_id}",
                json_405(get(projects::get)),
            )
            .layer(axum::middleware::map_response(request_id))
    }
}

/// Wrong method on a known path: still a JSON error body.
fn json_405(router: MethodRouter<Shared>) -> MethodRouter<Shared> {
    router.fallback(|| async { ScwError::MethodNotAllowed })
}

/// Scaleway's gateway tags every response with a request id.
async fn request_id(mut response: Response) -> Response {
    if let Ok(v) = HeaderValue::from_str(&crate::util::uuid()) {
        response.headers_mut().insert("x-request-id", v);
    }
    response.into_response()
}
