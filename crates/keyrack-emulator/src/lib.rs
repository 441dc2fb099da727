//! Keyrack's vendor emulator: one HTTP listener that serves the API-key endpoints of IBM Cloud
//! IAM, Scaleway IAM, OCI Identity, the OpenAI Admin API and Codefresh at their real paths.
//!
//! It is written from the vendor documentation (`shared/vendors/*.md`) with its own wire types,
//! independently of `keyrack-core`, so that a wire mistake on either side is caught by the other.
//!
//! Contract between the shared parts and the vendor modules (`vendors::<v>`), each of which
//! exports:
//! - `State`: `Default + Clone + Serialize + Deserialize` — everything that vendor remembers;
//! - `fn seed(state: &mut State, opts: &SeedOptions)` — seeded admin identity and demo keys;
//! - `fn manifest(state: &State, base_url: &str) -> serde_json::Value` — that vendor's part of
//!   the sandbox manifest (credentials of the seeded admin identity);
//! - `fn routes() -> axum::Router<Shared>` — handlers at the vendor's real, absolute paths.
//!
//! Handlers lock `Shared::store`, mutate their vendor's `State`, and after every successful write
//! call `Shared::persist_locked(&store)` while still holding the guard (or `Shared::persist` after
//! dropping it — never with the guard held: the lock is not reentrant).
//!
//! Shared layers (`middleware.rs`) wrap every vendor route: a 1 MiB body limit (413), added
//! latency, injected faults and the request log; `control.rs` serves the `/__emulator/` API.

pub mod control;
pub mod faults;
pub mod middleware;
pub mod request_log;
pub mod server;
pub mod state;
pub mod util;
pub mod vendors;

pub use server::{start, Emulator, EmulatorOptions};
pub use state::{SeedOptions, Shared, Store};
