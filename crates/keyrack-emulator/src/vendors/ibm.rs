//! IBM Cloud IAM Identity: API keys (`/v1/apikeys…`), the identity limits endpoint and the
//! apikey token exchange (`/identity/token`), written from `shared/vendors/ibm.md`.

mod apikeys;
mod auth;
mod body;
mod errors;
pub mod jwt;
mod limits;
mod list;
mod model;
mod seed;
mod time;
mod token;
mod wire;

use axum::routing::{get, post};
use axum::Router;

use crate::state::{SeedOptions, Shared};

pub use errors::generic_error;
pub use model::{ApiKey, HistoryRecord, Identity, IdentityKind, State};

/// Every identity may own at most this many API keys unless the state says otherwise.
pub const DEFAULT_APIKEYS_PER_IDENTITY: u32 = 20;

pub fn seed(state: &mut State, opts: &SeedOptions) {
    seed::seed(state, opts);
}

pub fn manifest(state: &State, base_url: &str) -> serde_json::Value {
    serde_json::json!({
        "iam_url": base_url,
        "base_url": base_url,
        "api_key": state.admin_api_key,
        "account_id": state.account_id,
        "iam_id": state.admin_iam_id,
    })
}

pub fn routes() -> Router<Shared> {
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
        .route(
            "/v1/accounts/{account_id}/limits/identity",
            get(limits::identity_limits),
        )
}
