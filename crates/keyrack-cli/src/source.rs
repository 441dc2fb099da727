//! Where the accounts come from: the app's settings file and keychain (default), or only the
//! accounts of `--accounts FILE` and/or `--sandbox-manifest FILE` ("session" accounts, held in
//! memory for this run). Both go through the core `Registry`, the service the desktop app uses.

use std::path::Path;
use std::sync::Arc;

use keyrack_core::accounts::{self, Options, Registry};
use keyrack_core::settings::Paths;
use keyrack_core::{sandbox, vault, Account, Error, Result};

use crate::cli::Global;
use crate::output;

pub struct Source {
    pub registry: Registry,
    /// True when the accounts come from files given for this run, not the app's settings.
    pub session: bool,
    /// The empty config directory of a session registry, removed on exit.
    _scratch: Option<tempfile::TempDir>,
}

impl Source {
    pub async fn open(global: &Global) -> Result<Source> {
        if global.accounts.is_none() && global.sandbox_manifest.is_none() {
            let registry = Registry::open(Options {
                sandbox: None,
                ..Options::from_env()?
            })
            .await?;
            for problem in registry.problems() {
                output::note(format!("keyrack: warning: {}", problem.error.message));
            }
            return Ok(Source {
                registry,
                session: false,
                _scratch: None,
            });
        }
        open_session(
            global.accounts.as_deref(),
            global.sandbox_manifest.as_deref(),
        )
        .await
    }

    /// Every account, in the order the files give them.
    pub fn accounts(&self) -> Vec<Account> {
        self.registry.list_accounts()
    }

    /// A client for the account (an accounts-file account whose secret could not be read fails
    /// here, with why).
    pub async fn vendor(&self, account: &Account) -> Result<Arc<dyn keyrack_core::Vendor>> {
        self.registry.vendor(&account.id).await
    }

    /// The account a command names: by id, else by name (case-insensitive).
    pub fn find(&self, name: &str) -> Result<Account> {
        let all = self.accounts();
        let found = all.iter().find(|a| a.id == name).or_else(|| {
            all.iter()
                .find(|a| a.name.eq_ignore_ascii_case(name.trim()))
        });
        match found {
            Some(a) => Ok(a.clone()),
            None => {
                let known: Vec<&str> = all.iter().map(|a| a.name.as_str()).collect();
                Err(Error::validation(
                    "account",
                    if known.is_empty() {
                        format!("there is no account `{name}`: no accounts are configured")
                    } else {
                        format!(
                            "there is no account `{name}`; the accounts are: {}",
                            known.join(", ")
                        )
                    },
                ))
            }
        }
    }

    /// Refuse a change to the saved accounts while the accounts come from files.
    pub fn require_saved(&self, what: &str) -> Result<()> {
        if self.session {
            return Err(Error::validation(
                "accounts",
                format!(
                    "{what} changes the app's saved accounts; run it without --accounts and \
                     --sandbox-manifest (those accounts live in their files)"
                ),
            ));
        }
        Ok(())
    }
}

/// A registry with no saved accounts (its settings file is in an empty scratch directory) and
/// the files' accounts attached in memory.
async fn open_session(accounts_file: Option<&Path>, manifest: Option<&Path>) -> Result<Source> {
    let scratch = tempfile::Builder::new()
        .prefix("keyrack-cli-")
        .tempdir()
        .map_err(|e| Error::io("could not create a temporary directory", e))?;
    let store: Arc<dyn vault::CredentialStore> = vault::default_store();
    let mut attached = Vec::new();
    if let Some(path) = manifest {
        let value = sandbox::read_manifest(path)?;
        let found = sandbox::accounts_from_manifest(&value);
        if found.is_empty() {
            return Err(Error::config(format!(
                "{} holds no sandbox account: is it a keyrack-emulator manifest?",
                path.display()
            )));
        }
        attached.extend(found);
    }
    // No settings file (the accounts come from the files), but the user's own data folder:
    // what is done to keys through these accounts goes into the user's audit log too.
    let paths = Paths {
        data_dir: Paths::from_env()
            .map(|p| p.data_dir)
            .unwrap_or_else(|_| scratch.path().join("data")),
        ..Paths::under(scratch.path())
    };
    let registry = Registry::open(Options {
        paths,
        store: Arc::clone(&store),
        http: None,
        sandbox: None,
    })
    .await?;
    registry.attach_accounts(attached).await?;
    // In the file's order; an entry whose secret cannot be read fails on its own when used, so
    // one bad entry does not stop the others.
    if let Some(path) = accounts_file {
        for entry in accounts::read_accounts_file(path)? {
            match accounts::resolve(&entry, store.as_ref()).await {
                Ok(credential) => {
                    registry
                        .attach_accounts(vec![(entry.account, credential)])
                        .await?
                }
                Err(e) => {
                    registry
                        .attach_unusable(vec![(entry.account, unusable(e))])
                        .await?
                }
            }
        }
    }
    Ok(Source {
        registry,
        session: true,
        _scratch: Some(scratch),
    })
}

/// A secret that could not be read: the keychain or a file says why; anything else is the
/// accounts file's mistake.
fn unusable(e: Error) -> Error {
    match e {
        e @ (Error::Keychain { .. } | Error::Io { .. }) => e,
        other => Error::config(other.to_string()),
    }
}
