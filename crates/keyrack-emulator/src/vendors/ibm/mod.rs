//! IBM Cloud IAM Identity: API keys (`/v1/apikeys…`), the identity limits endpoint, the
//! account's activity report (`/v1/activity/…`) and the apikey token exchange
//! (`/identity/token`), written from IBM's API documentation.

mod activity;
mod apikeys;
mod auth;
mod body;
mod errors;
pub mod jwt;
mod limits;
mod list;
mod model;
mod seed;
mod serviceids;
mod time;
mod token;
mod wire;

use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

use crate::state::{SeedOptions, Shared};
use crate::vendor::Vendor;

pub use activity::DEFAULT_REPORT_DELAY_MS;
pub use model::{ApiKey, HistoryRecord, Identity, IdentityKind, State};

/// Every identity may own at most this many API keys unless the state says otherwise.
pub const DEFAULT_APIKEYS_PER_IDENTITY: u32 = 20;

pub struct Ibm;

/// A request to an IBM handler.
type Call = crate::handler::Call<Ibm>;

impl Vendor for Ibm {
    const NAME: &'static str = "ibm";
    type State = State;

    fn manifest(state: &State, base_url: &str) -> serde_json::Value {
        serde_json::json!({
            "iam_url": base_url,
            "base_url": base_url,
            "api_key": state.admin_api_key,
            "account_id": state.account_id,
            "iam_id": state.admin_iam_id,
        })
    }

    fn seed(state: &mut State, opts: &SeedOptions) {
        seed::seed(state, opts);
    }

    fn owns_path(path: &str) -> bool {
        [
            "/identity/",
            "/v1/apikeys",
            "/v1/serviceids",
            "/v1/accounts/",
            "/v1/activity/",
        ]
        .iter()
        .any(|prefix| path.starts_with(prefix))
    }

    fn error_envelope(path: &str, status: StatusCode, message: &str, _: Option<u64>) -> Response {
        errors::envelope(path, status, message)
    }

    fn routes() -> Router<Shared> {
        Router::new()
            .route("/identity/token", post(token::exchange))
            .route("/v1/apikeys", get(list::list).post(apikeys::create))
            // A literal segment outranks `{id}` in the router, as IBM's own routing requires.
            .route("/v1/apikeys/details", get(apikeys::details))
            .route(
                "/v1/apikeys/{id}",
                get(apikeys::get)
                    .put(apikeys::update)
                    .delete(apikeys::delete),
            )
            .route(
                "/v1/apikeys/{id}/lock",
                post(apikeys::lock).delete(apikeys::unlock),
            )
            .route(
                "/v1/apikeys/{id}/disable",
                post(apikeys::disable).delete(apikeys::enable),
            )
            // The official SDK asks for `/v1/serviceids/`, with the slash.
            .route("/v1/serviceids", get(serviceids::list))
            .route("/v1/serviceids/", get(serviceids::list))
            .route(
                "/v1/accounts/{account_id}/limits/identity",
                get(limits::identity_limits),
            )
            .route(
                "/v1/activity/accounts/{account_id}/report",
                post(activity::create),
            )
            .route(
                "/v1/activity/accounts/{account_id}/report/{reference}",
                get(activity::get),
            )
    }
}
