//! Keyrack's core: everything the app does, with no Tauri dependency, so every shell (desktop,
//! CLI) and every test drives the same code.
//!
//! A request flows: shell → `Vendor` trait object (built by `vendor::connect` from an account's
//! settings and its credential) → the vendor's client in `vendors::<v>` → `http::Http` (timeouts,
//! retries, request logging without secrets) → the vendor's endpoint (or the emulator).

pub mod accounts;
pub mod attention;
pub mod audit;
pub mod clipboard;
pub mod error;
pub mod export;
pub mod fsutil;
pub mod http;
pub mod inventory;
pub mod model;
pub mod places;
pub mod reveal;
pub mod rotation;
pub mod sandbox;
pub mod secret;
pub mod settings;
#[cfg(any(test, feature = "test-support"))]
pub mod test_support;
pub mod validate;
pub mod vault;
pub mod vendor;
pub mod vendor_fields;
pub mod vendors;

pub use error::{Code, Error, Result};
pub use model::*;
pub use secret::Sensitive;
pub use vendor::{Capabilities, Vendor};
