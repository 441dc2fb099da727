//! The `keyrack` binary as a process, one test binary: accounts (files, manifests, a real
//! Secret Service), keys against `keyrack sandbox`, errors and exit codes, the exports, the
//! sandbox command.

mod accounts;
mod audit;
mod errors;
mod export;
mod import;
mod keys;
mod pipes;
mod rotate;
mod sandbox;
mod support;
