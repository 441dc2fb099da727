//! Codefresh API keys ("tokens") under `/api/…`, written from Codefresh's API documentation.

mod admin;
mod auth;
mod error;
mod keys;
mod model;
mod seed;
mod users;
mod wire;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;

pub use model::State;
pub use seed::{seed, DOCUMENTED_SCOPES};

use crate::state::{SeedOptions, Shared};
use crate::vendor::Vendor;
use error::CfError;

pub struct Codefresh;

/// A request to a Codefresh handler.
type Call = crate::handler::Call<Codefresh>;

impl Vendor for Codefresh {
    const NAME: &'static str = "codefresh";
    type State = State;

    /// The seeded admin's token; `base_url` includes `/api`, as Codefresh clients expect.
    fn manifest(state: &State, base_url: &str) -> serde_json::Value {
        serde_json::json!({
            "base_url": format!("{base_url}/api"),
            "api_key": state.admin.api_key,
            "account_id": state.admin.account_id,
            "user_id": state.admin.user_id,
        })
    }

    fn seed(state: &mut State, opts: &SeedOptions) {
        seed(state, opts);
    }

    fn owns_path(path: &str) -> bool {
        path.starts_with("/api/")
    }

    fn error_envelope(_: &str, status: StatusCode, message: &str, _: Option<u64>) -> Response {
        CfError::of_status(status, message).into_response()
    }

    fn routes() -> Router<Shared> {
        Router::new()
            .route("/api/auth/keys", json_405(get(keys::list)))
            .route("/api/auth/key", json_405(post(keys::create)))
            .route(
                "/api/auth/key/{id}",
                json_405(get(keys::get).patch(keys::update).delete(keys::delete)),
            )
            .route(
                "/api/auth/key/service-user/{service_user_id}",
                json_405(post(keys::create_for_service_user).get(keys::list_for_service_user)),
            )
            .route(
                "/api/auth/key/service-user/{service_user_id}/{id}",
                json_405(get(keys::get).patch(keys::update).delete(keys::delete)),
            )
            .route("/api/user", json_405(get(users::current_user)))
            .route(
                "/api/execution-contexts/current",
                json_405(get(users::current_execution_context)),
            )
            .route(
                "/api/service-users",
                json_405(get(users::list_service_users).post(users::create_service_user)),
            )
            .route(
                "/api/service-users/{id}",
                json_405(
                    get(users::get_service_user)
                        .patch(users::update_service_user)
                        .delete(users::delete_service_user),
                ),
            )
            .route(
                "/api/admin/accounts/{account_id}",
                json_405(get(admin::get_account)),
            )
            .route(
                "/api/admin/user/loginAsUser",
                json_405(get(admin::login_as_user)),
            )
            .route(
                "/api/user/changeaccount/{account_id}",
                json_405(post(admin::change_account)),
            )
    }
}

/// Wrong method on a known path: still a JSON error body.
fn json_405(router: MethodRouter<Shared>) -> MethodRouter<Shared> {
    router.fallback(|| async { CfError::method_not_allowed() })
}
