//! oci — stub to be filled in by its own change (see the crate docs for the contract).

use axum::Router;
use serde::{Deserialize, Serialize};

use crate::state::{SeedOptions, Shared};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {}

pub fn seed(_state: &mut State, _opts: &SeedOptions) {}

pub fn manifest(_state: &State, base_url: &str) -> serde_json::Value {
    serde_json::json!({ "base_url": base_url })
}

pub fn routes() -> Router<Shared> {
    Router::new()
}
