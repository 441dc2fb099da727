//! One module per command group; each returns the exit code of a run that did not fail outright.

pub mod accounts;
pub mod accounts_import;
pub mod audit;
pub mod docs;
pub mod export;
pub mod keys_change;
pub mod keys_create;
pub mod keys_list;
pub mod keys_rotate;
pub mod sandbox;
