//! What a vendor is to the rest of the emulator. Each `vendors::<v>` module implements `Vendor`
//! once; the list in `vendors/mod.rs` derives from those impls everything that spans vendors
//! (the `Store`, seeding, the manifest, the router, path ownership and the error envelopes of
//! the shared layers), so no shared code needs to know any vendor by name.

use std::fmt::Debug;

use axum::http::StatusCode;
use axum::response::Response;
use axum::Router;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::state::{SeedOptions, Shared, Store};

pub trait Vendor {
    /// The vendor's field in the state file and its key in the manifest; also how fault rules
    /// and the request log name it. Must equal the module's name in the list.
    const NAME: &'static str;

    /// Everything the vendor remembers. `Default` is the state of a vendor missing from an
    /// older state file.
    type State: Default + Clone + Debug + Serialize + DeserializeOwned;

    /// This vendor's part of the sandbox manifest: the seeded admin's credentials.
    fn manifest(state: &Self::State, base_url: &str) -> serde_json::Value;

    /// The seeded admin identity and, unless `opts.empty`, the demo keys.
    fn seed(state: &mut Self::State, opts: &SeedOptions);

    /// Whether a request path is this vendor's, so that faults, the request log and the shared
    /// error answers can tell whose request it is. No path may belong to two vendors.
    fn owns_path(path: &str) -> bool;

    /// An error in the vendor's own envelope for answers its handlers never produce: injected
    /// status faults, oversized bodies, unknown routes and wrong methods. The caller sets the
    /// status and `Retry-After` afterwards; `retry_after` is here for envelopes that repeat it
    /// in the body.
    fn error_envelope(
        path: &str,
        status: StatusCode,
        message: &str,
        retry_after: Option<u64>,
    ) -> Response;

    /// Handlers at the vendor's real, absolute paths.
    fn routes() -> Router<Shared>;
}

/// Where a listed vendor's state lives in the `Store`. Implemented by the list for every vendor
/// in it, so that code generic over vendors (`handler::Call`) can reach one vendor's state.
pub trait Listed: Vendor {
    fn state_mut(store: &mut Store) -> &mut Self::State;
}
