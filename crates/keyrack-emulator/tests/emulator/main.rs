//! The emulator's integration tests, one module per subject, linked as a single test binary:
//! one link instead of one per file keeps `cargo test` quick on small machines.

mod access;
// Runs the `keyrack-emulator` executable, which only the `cli` feature builds.
#[cfg(feature = "cli")]
mod binary;
mod codefresh;
mod common;
mod faults;
mod ibm;
mod oci;
mod openai;
mod scaleway;
mod server;
