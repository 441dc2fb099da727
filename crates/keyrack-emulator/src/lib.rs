//! Keyrack's vendor emulator: one HTTP listener that serves the API-key endpoints of IBM Cloud
//! IAM, Scaleway IAM, OCI Identity, the OpenAI Admin API and Codefresh at their real paths.
//!
//! It is written from the vendors' own API documentation, with its own wire types and
//! independently of `keyrack-core`, so that a wire mistake on either side is caught by the other.
//!
//! Each vendor is a module under `vendors/` implementing [`vendor::Vendor`]: its name, its
//! `State`, how it seeds, its part of the manifest, its routes, which paths are its own, and its
//! error envelope for answers its handlers never produce. The `vendors!` list in `vendors/mod.rs`
//! names every vendor once (beside the module's `pub mod` line) and derives the rest from those
//! impls: the [`Store`] (a field per vendor), seeding, the manifest, the router, and the lookups
//! the shared layers use. Nothing outside a vendor's own folder and that list knows a vendor by
//! name.
//!
//! Handlers reach their vendor's state through [`handler::Call`]: it locks `Shared::store`,
//! authenticates the caller from the headers (the vendor's [`handler::HeaderAuth`]), runs the
//! operation, and after a successful write persists the state file while still holding the
//! guard. Code that locks the store itself calls `Shared::persist_locked(&store)` with the guard
//! held, or `Shared::persist` after dropping it — never with the guard held: the lock is not
//! reentrant.
//!
//! Shared layers (`middleware.rs`) wrap every vendor route: a 1 MiB body limit (413), added
//! latency, injected faults and the request log; `control.rs` serves the `/__emulator/` API.

pub mod access;
pub mod control;
pub mod envelope;
pub mod faults;
pub mod handler;
pub mod middleware;
pub mod request_log;
pub mod server;
pub mod state;
pub mod util;
pub mod vendor;
pub mod vendors;

pub use access::ControlApi;
pub use server::{start, Emulator, EmulatorOptions};
pub use state::{SeedOptions, Shared, Store};
