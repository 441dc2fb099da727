//! keyrack-core's integration tests, one binary: every client against the emulator (each
//! operation and documented error), accounts and the keychain, inventory, exports, validation,
//! the sandbox, the Terraform, CSV and JSON inventory exports, and the canary that no secret
//! leaks.

mod accounts;
mod canary;
mod codefresh;
mod export;
mod ibm;
mod import;
mod inventory;
mod keychain;
mod oci;
mod openai;
mod places;
mod rotation;
mod sandbox;
mod scaleway;
mod support;
mod table;
mod terraform;
mod transport;
mod validate;
