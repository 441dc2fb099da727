//! One folder per vendor: `client.rs` (the operations, implementing `Vendor`), `wire.rs` (serde
//! types of that vendor's JSON), and for OCI `sign.rs` (HTTP signatures, key pairs).

pub mod codefresh;
pub mod ibm;
pub mod lost_create;
pub mod oci;
pub mod openai;
pub mod scaleway;
