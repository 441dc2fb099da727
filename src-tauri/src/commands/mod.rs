//! Thin IPC commands: take the arguments, call core (or `ops` for multi-step flows), map
//! errors to core's `PublicError`. No logic here.
//! A new command also goes into `build.rs` (its permission), `capabilities/` (its grant) and
//! the handler list in `lib.rs`.

pub mod accounts;
pub mod app;
pub mod keys;
pub mod secrets;
