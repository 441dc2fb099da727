//! Accounts: who Keyrack talks to, and the one service both shells call.
//!
//! - [`Registry`] holds the accounts (real ones from the settings file, sandbox ones from the
//!   in-process emulator), their credentials (read from the keychain once per run, kept in
//!   memory as `Sensitive`), the preferences and the HTTP client. The desktop commands and the
//!   CLI call the same methods; secrets go in (`add_account`, `update_account`) and never come
//!   back out.
//! - [`record`]: the `[[account]]` table and the rules for an account's fields.
//! - [`file`]: the CLI's accounts file (`--accounts FILE`) and its secret references.
//! - [`discover`]: accounts the vendors' own tools already use on this computer; `import`
//!   adds them through the registry, each after its connection test.

pub mod discover;
pub mod file;
mod import;
mod keys;
pub mod record;
mod registry;

pub use file::{
    parse_accounts_file, read_accounts_file, resolve, resolve_all, FileAccount, SecretRef,
};
pub use import::{Candidate, Findings, ImportOutcome, Imported};
pub use registry::{
    AccountChanges, AccountDraft, ConnectionTest, Options, Problem, ProblemArea, Registry, Saved,
};
