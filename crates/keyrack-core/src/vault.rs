//! Where account credentials live: the OS keychain, one entry per account.
//!
//! - [`CredentialStore`] is the interface the registry uses; [`default_store`] is the only store a
//!   shell gets, and it is always the OS keychain ([`KeychainStore`]). The in-memory store exists
//!   only in tests (`cfg(test)` or the `test-support` feature), so no build can fall back to it.
//! - An entry's value is a small JSON object `{"secret": …, "passphrase": …}` that exists only
//!   inside the keychain: it is built here, handed to the keychain, and never logged or written.
//! - Keychain calls block on D-Bus, so they run on the blocking pool with a timeout: a keychain
//!   that waits on an unlock prompt nobody sees gives an error instead of a hung app.

use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::model::{Account, Credential};
use crate::secret::Sensitive;

mod keychain;
#[cfg(any(test, feature = "test-support"))]
mod memory;

pub use keychain::KeychainStore;
#[cfg(any(test, feature = "test-support"))]
pub use memory::{MemoryStore, StoreFault};

/// The keychain service of release builds.
pub const RELEASE_SERVICE: &str = "dev.keyrack.app";
/// The keychain service of debug builds, so a dev build never reads or overwrites the
/// credentials of the installed app.
pub const DEBUG_SERVICE: &str = "dev.keyrack.app.dev";

/// How long one keychain call may take before it is reported as hanging.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// The keychain service name for this build kind.
pub fn service_name() -> &'static str {
    if cfg!(debug_assertions) {
        DEBUG_SERVICE
    } else {
        RELEASE_SERVICE
    }
}

/// Which kind of store is in use; tests and a shell's diagnostics check it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// The freedesktop Secret Service (gnome-keyring, KeePassXC) under this service name.
    SecretService { service: String },
    /// The macOS login keychain under this service name.
    MacKeychain { service: String },
    /// The Windows Credential Manager, targets ending in this service name.
    WindowsCredentials { service: String },
    /// No keychain backend exists for this operating system in this build.
    Unsupported { os: &'static str },
    /// Process memory: tests only.
    Memory,
}

/// Keeps each account's credential. Secrets go in with `set` and come back only with `get`.
#[async_trait]
pub trait CredentialStore: Send + Sync + 'static {
    fn backend(&self) -> Backend;

    /// The account's credential. A missing entry is a `Keychain` error naming the account.
    async fn get(&self, account: &Account) -> Result<Credential>;

    /// Store (or replace) the account's credential.
    async fn set(&self, account: &Account, credential: &Credential) -> Result<()>;

    /// Remove the account's credential; a missing entry is not an error.
    async fn delete(&self, account: &Account) -> Result<()>;

    /// Whether the store can be used at all (reachable, unlocked), without touching any entry.
    async fn probe(&self) -> Result<()>;
}

/// The store every shell uses: the OS keychain under this build's service name.
pub fn default_store() -> std::sync::Arc<dyn CredentialStore> {
    std::sync::Arc::new(KeychainStore::new(service_name()))
}

/// Whether this build contains the in-memory store. `false` in every production build; a shell
/// may refuse to start when it is `true` outside debug builds.
pub const fn memory_store_compiled() -> bool {
    cfg!(any(test, feature = "test-support"))
}

/// The JSON kept in a keychain entry.
#[derive(Deserialize)]
struct StoredIn {
    secret: Sensitive<String>,
    #[serde(default)]
    passphrase: Option<Sensitive<String>>,
}

#[derive(Serialize)]
struct StoredOut<'a> {
    secret: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    passphrase: Option<&'a str>,
}

/// The entry value for a credential. Zeroized when dropped.
fn encode(credential: &Credential) -> Result<Zeroizing<String>> {
    let out = StoredOut {
        secret: credential.secret.expose(),
        passphrase: credential.passphrase.as_ref().map(|p| p.expose().as_str()),
    };
    serde_json::to_string(&out)
        .map(Zeroizing::new)
        .map_err(|_| Error::keychain("could not encode the credential for the keychain"))
}

/// Read an entry value. The error never quotes the value.
fn decode(value: &str, account: &Account) -> Result<Credential> {
    let stored: StoredIn = serde_json::from_str(value).map_err(|_| {
        Error::keychain(format!(
            "the keychain entry for account `{}` is not in Keyrack's format (it was changed \
             outside Keyrack) — re-enter the credential in Accounts",
            account.name
        ))
    })?;
    Ok(Credential {
        secret: stored.secret,
        passphrase: stored.passphrase,
    })
}

/// Run a blocking keychain call on the blocking pool, giving up after `timeout`. The call itself
/// cannot be cancelled; it finishes (or not) in the background.
async fn blocking_with_timeout<T: Send + 'static>(
    timeout: Duration,
    what: &str,
    call: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    let task = tokio::task::spawn_blocking(call);
    match tokio::time::timeout(timeout, task).await {
        Ok(Ok(result)) => result,
        Ok(Err(join)) => Err(Error::keychain(format!(
            "the keychain call to {what} failed unexpectedly: {join}"
        ))),
        Err(_) => Err(Error::keychain(format!(
            "the OS keychain did not answer within {} s while trying to {what} — it may be \
                 waiting for an unlock prompt: unlock your keychain and try again",
            timeout.as_secs_f32()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AccountSettings, VendorId};

    fn account() -> Account {
        Account {
            id: "a1".into(),
            name: "Prod".into(),
            vendor: VendorId::Oci,
            sandbox: false,
            settings: AccountSettings::default(),
        }
    }

    #[test]
    fn entry_value_round_trips_with_and_without_passphrase() {
        let mut c = Credential::new("-----BEGIN PRIVATE KEY-----\nabc\n");
        let text = encode(&c).unwrap();
        assert_eq!(
            text.as_str(),
            r#"{"secret":"-----BEGIN PRIVATE KEY-----\nabc\n"}"#
        );
        let back = decode(&text, &account()).unwrap();
        assert_eq!(back.secret.expose(), c.secret.expose());
        assert!(back.passphrase.is_none());

        c.passphrase = Some("pp".into());
        let back = decode(&encode(&c).unwrap(), &account()).unwrap();
        assert_eq!(back.passphrase.unwrap().expose(), "pp");
    }

    #[test]
    fn a_foreign_entry_value_is_an_error_that_does_not_quote_it() {
        let err = decode("canary-raw-secret", &account()).unwrap_err();
        let text = err.to_string();
        assert_eq!(err.code(), crate::Code::Keychain);
        assert!(text.contains("account `Prod`"), "{text}");
        assert!(!text.contains("canary"), "{text}");
    }

    #[test]
    fn debug_builds_use_their_own_service() {
        assert_eq!(service_name(), DEBUG_SERVICE);
        assert_ne!(DEBUG_SERVICE, RELEASE_SERVICE);
    }

    #[tokio::test]
    async fn a_hanging_call_times_out_with_an_actionable_error() {
        let err = blocking_with_timeout(Duration::from_millis(50), "read a credential", || {
            std::thread::sleep(Duration::from_millis(500));
            Ok(())
        })
        .await
        .unwrap_err();
        assert_eq!(err.code(), crate::Code::Keychain);
        assert!(err.to_string().contains("did not answer"), "{err}");
        assert!(err.to_string().contains("unlock"), "{err}");

        let ok = blocking_with_timeout(Duration::from_secs(5), "read", || Ok(7)).await;
        assert_eq!(ok.unwrap(), 7);
    }
}
