//! OCI Identity: a user's API signing keys (`/20160918/users/{userId}/apiKeys`), with every
//! request verified as an OCI HTTP signature against the keys registered in this state.
//! Written from OCI's API documentation and its published request-signing test vectors.

mod error;
mod handlers;
pub mod keys;
mod model;
mod seed;
pub mod signature;
pub mod wire;

use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::any;
use axum::Router;

use crate::state::{SeedOptions, Shared};
use crate::vendor::Vendor;
pub use model::{RetryToken, SecretPem, Settings, State, StoredKey, User};
pub use seed::{seed, VECTOR_FINGERPRINT, VECTOR_TENANCY, VECTOR_USER};

pub struct Oci;

impl Vendor for Oci {
    const NAME: &'static str = "oci";
    type State = State;

    /// The seeded admin's credentials, as an OCI client config needs them.
    fn manifest(state: &State, base_url: &str) -> serde_json::Value {
        serde_json::json!({
            "base_url": base_url,
            "region": state.region,
            "tenancy": state.tenancy,
            "user": state.admin_user,
            "fingerprint": state.admin_fingerprint,
            "private_key_pem": state.admin_private_key_pem.0,
        })
    }

    fn seed(state: &mut State, opts: &SeedOptions) {
        seed(state, opts);
    }

    fn owns_path(path: &str) -> bool {
        path.starts_with("/20160918/")
    }

    fn error_envelope(_: &str, status: StatusCode, message: &str, _: Option<u64>) -> Response {
        error::envelope(status, message)
    }

    fn routes() -> Router<Shared> {
        Router::new()
            .route("/20160918/users", any(handlers::users))
            .route("/20160918/users/", any(handlers::users))
            .route(
                "/20160918/users/{user_id}/apiKeys",
                any(handlers::collection),
            )
            .route(
                "/20160918/users/{user_id}/apiKeys/",
                any(handlers::collection),
            )
            .route(
                "/20160918/users/{user_id}/apiKeys/{fingerprint}",
                any(handlers::item),
            )
            .route("/20160918/{*rest}", any(handlers::unknown_operation))
            .layer(axum::middleware::from_fn(handlers::request_id))
    }
}
