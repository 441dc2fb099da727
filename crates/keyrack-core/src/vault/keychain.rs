//! The OS keychain store, reached through keyring-rs with each system's native store:
//!
//! - Linux and the BSDs: the freedesktop Secret Service (gnome-keyring, KeePassXC) over D-Bus;
//! - macOS: the user's login keychain (Keychain Services);
//! - Windows: the Credential Manager (generic credentials).
//!
//! `crates/keyrack-core/Cargo.toml` turns on only the keyring feature of the target's store, and
//! everything system-specific (which credential type, what an error means, how the value is
//! stored) lives in one `platform` module per system below. Linux is built and tested in CI; the
//! macOS and Windows modules are compiled only by a build on those systems.
//!
//! Entries are built from an explicit platform credential, never through keyring's process-wide
//! default builder, so nothing (a test helper, another crate) can swap the keychain for
//! keyring's mock by calling `keyring::set_default_credential_builder`.

use std::time::Duration;

use async_trait::async_trait;

use super::{blocking_with_timeout, decode, encode, Backend, CredentialStore, DEFAULT_TIMEOUT};
use crate::error::{Error, Result};
use crate::model::{Account, Credential};

/// The user name of the entry `probe` looks up; no account has it.
const PROBE_USER: &str = "keyrack-probe";

/// What the user reads when no keychain answers (this system's wording); the memory store's
/// fault injection uses it too.
#[cfg(any(test, feature = "test-support"))]
pub(crate) use platform::NO_KEYCHAIN;

/// The OS keychain, under one service name (see `vault::service_name`).
#[derive(Debug, Clone)]
pub struct KeychainStore {
    service: String,
    timeout: Duration,
}

impl KeychainStore {
    pub fn new(service: impl Into<String>) -> Self {
        KeychainStore {
            service: service.into(),
            timeout: DEFAULT_TIMEOUT,
        }
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// The name of the keyring credential type this store's entries use (`SsCredential`,
    /// `MacCredential`, `WinCredential`).
    /// Tests check it is never keyring's mock.
    pub fn credential_type(&self) -> Result<&'static str> {
        platform::credential_type(&self.service)
    }
}

#[async_trait]
impl CredentialStore for KeychainStore {
    fn backend(&self) -> Backend {
        platform::backend(&self.service)
    }

    async fn get(&self, account: &Account) -> Result<Credential> {
        let (service, user, name) = self.names(account);
        let value = blocking_with_timeout(self.timeout, "read a credential", move || {
            let entry = platform::entry(&service, &user, &name)?;
            platform::read(&entry)
                .map(zeroize::Zeroizing::new)
                .map_err(|e| keychain_error(e, Some(&name), &service))
        })
        .await?;
        decode(&value, account)
    }

    async fn set(&self, account: &Account, credential: &Credential) -> Result<()> {
        let (service, user, name) = self.names(account);
        let value = encode(credential)?;
        blocking_with_timeout(self.timeout, "store a credential", move || {
            let entry = platform::entry(&service, &user, &name)?;
            platform::write(&entry, &value).map_err(|e| keychain_error(e, Some(&name), &service))
        })
        .await?;
        tracing::debug!(account = %account.id, "credential stored in the keychain");
        Ok(())
    }

    async fn delete(&self, account: &Account) -> Result<()> {
        let (service, user, name) = self.names(account);
        blocking_with_timeout(self.timeout, "delete a credential", move || {
            let entry = platform::entry(&service, &user, &name)?;
            match entry.delete_credential() {
                Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
                Err(e) => Err(keychain_error(e, Some(&name), &service)),
            }
        })
        .await?;
        tracing::debug!(account = %account.id, "credential deleted from the keychain");
        Ok(())
    }

    async fn probe(&self) -> Result<()> {
        let service = self.service.clone();
        blocking_with_timeout(self.timeout, "reach the keychain", move || {
            let entry = platform::entry(&service, PROBE_USER, "probe")?;
            match platform::read(&entry) {
                Ok(_) | Err(keyring::Error::NoEntry) => Ok(()),
                Err(e) => Err(keychain_error(e, None, &service)),
            }
        })
        .await
    }
}

impl KeychainStore {
    fn names(&self, account: &Account) -> (String, String, String) {
        (
            self.service.clone(),
            account.id.clone(),
            account.name.clone(),
        )
    }
}

/// Linux and the BSDs: the Secret Service, through keyring's `sync-secret-service` feature.
#[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
mod platform {
    use keyring::secret_service::SsCredential;

    use super::*;

    pub(crate) const NO_KEYCHAIN: &str = "No OS keychain is running (Secret Service on D-Bus). \
         Install and start gnome-keyring or KeePassXC's Secret Service integration; the sandbox \
         still works.";

    pub(super) const LOCKED: &str = "The OS keychain is locked. Unlock it (log in to your \
         desktop session, or unlock the \"Login\" keyring in Passwords and Keys or your \
         KeePassXC database) and try again; the sandbox still works.";

    pub(super) fn backend(service: &str) -> Backend {
        Backend::SecretService {
            service: service.to_string(),
        }
    }

    /// An entry in the default collection, labelled so people recognise it in their keychain app.
    pub(super) fn entry(service: &str, user: &str, account_name: &str) -> Result<keyring::Entry> {
        let mut credential = SsCredential::new_with_target(None, service, user)
            .map_err(|e| keychain_error(e, Some(account_name), service))?;
        credential.label = format!("Keyrack: {account_name}");
        Ok(keyring::Entry::new_with_credential(Box::new(credential)))
    }

    /// The value as a text secret (what `secret-tool lookup` prints).
    pub(super) fn write(entry: &keyring::Entry, value: &str) -> keyring::Result<()> {
        entry.set_password(value)
    }

    pub(super) fn read(entry: &keyring::Entry) -> keyring::Result<String> {
        entry.get_password()
    }

    pub(super) fn credential_type(service: &str) -> Result<&'static str> {
        let entry = entry(service, PROBE_USER, "probe")?;
        if entry.get_credential().is::<SsCredential>() {
            Ok("SsCredential")
        } else if entry.get_credential().is::<keyring::mock::MockCredential>() {
            Ok("MockCredential")
        } else {
            Ok("unknown")
        }
    }

    /// The Secret Service error inside a keyring error, and what it means for the user.
    pub(super) fn platform_message(inner: &(dyn std::error::Error + 'static)) -> Option<String> {
        use dbus_secret_service::Error as Ss;
        let ss = inner.downcast_ref::<Ss>()?;
        Some(match ss {
            Ss::Locked => LOCKED.to_string(),
            Ss::Prompt => "The keychain's unlock prompt was dismissed. Unlock the keychain and \
                           try again; the sandbox still works."
                .to_string(),
            Ss::NoResult => "The OS keychain has no default collection to keep credentials in. \
                             Create one (in GNOME Passwords and Keys, a \"Login\" keyring set as \
                             default; in KeePassXC, enable Secret Service integration with a \
                             database group exposed) and try again."
                .to_string(),
            Ss::Unavailable => NO_KEYCHAIN.to_string(),
            Ss::Crypto(e) => format!(
                "The encrypted session with the OS keychain failed ({e}). Restart the keychain \
                 (gnome-keyring or KeePassXC) and try again."
            ),
            Ss::Dbus(e) => dbus_message(e.name().unwrap_or(""), e.message().unwrap_or("")),
            other => format!("The OS keychain failed: {other}."),
        })
    }

    /// D-Bus error names: which mean "nobody is there", which "nobody answered".
    pub(crate) fn dbus_message(name: &str, message: &str) -> String {
        const NOBODY_THERE: [&str; 8] = [
            "org.freedesktop.DBus.Error.ServiceUnknown",
            "org.freedesktop.DBus.Error.NameHasNoOwner",
            "org.freedesktop.DBus.Error.NoServer",
            "org.freedesktop.DBus.Error.FileNotFound",
            "org.freedesktop.DBus.Error.NotSupported",
            "org.freedesktop.DBus.Error.Disconnected",
            "org.freedesktop.DBus.Error.BadAddress",
            "org.freedesktop.DBus.Error.NoNetwork",
        ];
        let detail = if message.is_empty() { name } else { message };
        if NOBODY_THERE.contains(&name) || name.starts_with("org.freedesktop.DBus.Error.Spawn") {
            format!("{NO_KEYCHAIN} (D-Bus: {detail})")
        } else if name == "org.freedesktop.DBus.Error.NoReply"
            || name == "org.freedesktop.DBus.Error.Timeout"
            || name == "org.freedesktop.DBus.Error.TimedOut"
        {
            format!(
                "The OS keychain did not answer (D-Bus: {detail}). It may be busy or waiting \
                 for an unlock prompt: unlock it and try again."
            )
        } else if name == "org.freedesktop.DBus.Error.AccessDenied" {
            format!(
                "D-Bus denied access to the OS keychain ({detail}). If Keyrack runs in a \
                 sandbox (Flatpak, Snap), allow it to talk to org.freedesktop.secrets."
            )
        } else {
            format!("The OS keychain failed (D-Bus: {detail}).")
        }
    }
}

/// macOS: a generic password in the user's login keychain, through keyring's `apple-native`
/// feature.
#[cfg(target_os = "macos")]
mod platform {
    use keyring::macos::MacCredential;

    use super::*;

    // keyring reports a missing keychain as NoStorageAccess, worded by LOCKED; this text is
    // for the memory store's fault injection in tests.
    #[cfg_attr(not(any(test, feature = "test-support")), allow(dead_code))]
    pub(crate) const NO_KEYCHAIN: &str = "The macOS keychain is not available (no login \
         keychain for this user). Open Keychain Access, make sure a \"login\" keychain exists, \
         and try again; the sandbox still works.";

    pub(super) const LOCKED: &str = "The macOS login keychain is locked or refused access. \
         Unlock it in Keychain Access (or allow Keyrack when macOS asks) and try again; the \
         sandbox still works.";

    pub(super) fn backend(service: &str) -> Backend {
        Backend::MacKeychain {
            service: service.to_string(),
        }
    }

    /// An entry in the user's login keychain: service, and the account's id as the account.
    pub(super) fn entry(service: &str, user: &str, account_name: &str) -> Result<keyring::Entry> {
        let credential = MacCredential::new_with_target(None, service, user)
            .map_err(|e| keychain_error(e, Some(account_name), service))?;
        Ok(keyring::Entry::new_with_credential(Box::new(credential)))
    }

    pub(super) fn write(entry: &keyring::Entry, value: &str) -> keyring::Result<()> {
        entry.set_password(value)
    }

    pub(super) fn read(entry: &keyring::Entry) -> keyring::Result<String> {
        entry.get_password()
    }

    pub(super) fn credential_type(service: &str) -> Result<&'static str> {
        let entry = entry(service, PROBE_USER, "probe")?;
        if entry.get_credential().is::<MacCredential>() {
            Ok("MacCredential")
        } else {
            Ok("unknown")
        }
    }

    /// keyring already sorts Keychain Services' status codes into NoEntry, NoStorageAccess
    /// (locked, read-only, missing keychain) and PlatformFailure, whose text names the code.
    pub(super) fn platform_message(_inner: &(dyn std::error::Error + 'static)) -> Option<String> {
        None
    }
}

/// Windows: a generic credential in the Credential Manager (target `<account id>.<service>`),
/// through keyring's `windows-native` feature.
#[cfg(target_os = "windows")]
mod platform {
    use keyring::windows::WinCredential;

    use super::*;

    /// Windows' ERROR_NO_SUCH_LOGON_SESSION: no user profile to keep credentials in.
    const NO_SUCH_LOGON_SESSION: u32 = 1312;

    pub(crate) const NO_KEYCHAIN: &str = "The Windows Credential Manager is not available (no \
         logon session with a user profile, e.g. a service account). Run Keyrack as a logged-on \
         user and try again; the sandbox still works.";

    pub(super) const LOCKED: &str = "The Windows Credential Manager refused access. Log on as \
         the user who owns the credentials and try again; the sandbox still works.";

    pub(super) fn backend(service: &str) -> Backend {
        Backend::WindowsCredentials {
            service: service.to_string(),
        }
    }

    pub(super) fn entry(service: &str, user: &str, account_name: &str) -> Result<keyring::Entry> {
        let credential = WinCredential::new_with_target(None, service, user)
            .map_err(|e| keychain_error(e, Some(account_name), service))?;
        Ok(keyring::Entry::new_with_credential(Box::new(credential)))
    }

    /// The value as UTF-8 bytes: a credential blob holds at most 2,560 bytes, and keyring's
    /// `set_password` stores UTF-16, which would halve the room (an OCI key's PEM would not fit).
    pub(super) fn write(entry: &keyring::Entry, value: &str) -> keyring::Result<()> {
        entry.set_secret(value.as_bytes())
    }

    pub(super) fn read(entry: &keyring::Entry) -> keyring::Result<String> {
        let bytes = entry.get_secret()?;
        String::from_utf8(bytes).map_err(|e| {
            let mut bytes = e.into_bytes();
            zeroize::Zeroize::zeroize(&mut bytes);
            keyring::Error::BadEncoding(bytes)
        })
    }

    pub(super) fn credential_type(service: &str) -> Result<&'static str> {
        let entry = entry(service, PROBE_USER, "probe")?;
        if entry.get_credential().is::<WinCredential>() {
            Ok("WinCredential")
        } else {
            Ok("unknown")
        }
    }

    pub(super) fn platform_message(inner: &(dyn std::error::Error + 'static)) -> Option<String> {
        let code = inner.downcast_ref::<keyring::windows::Error>()?.0;
        (code == NO_SUCH_LOGON_SESSION).then(|| NO_KEYCHAIN.to_string())
    }
}

/// Any other system: no native store in this build.
#[cfg(not(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "macos",
    target_os = "windows"
)))]
mod platform {
    use super::*;

    pub(crate) const NO_KEYCHAIN: &str = "This build of Keyrack has no OS keychain support for \
         this system; the sandbox still works.";

    pub(super) const LOCKED: &str = NO_KEYCHAIN;

    pub(super) fn backend(_service: &str) -> Backend {
        Backend::Unsupported {
            os: std::env::consts::OS,
        }
    }

    /// Without a native keychain keyring would fall back to its mock, which forgets
    /// everything: refuse instead.
    pub(super) fn entry(_service: &str, _user: &str, _name: &str) -> Result<keyring::Entry> {
        Err(Error::keychain(format!(
            "This build of Keyrack has no OS keychain support for {}; the sandbox still works.",
            std::env::consts::OS
        )))
    }

    pub(super) fn write(entry: &keyring::Entry, value: &str) -> keyring::Result<()> {
        entry.set_password(value)
    }

    pub(super) fn read(entry: &keyring::Entry) -> keyring::Result<String> {
        entry.get_password()
    }

    pub(super) fn credential_type(service: &str) -> Result<&'static str> {
        entry(service, PROBE_USER, "probe").map(|_| "unknown")
    }

    pub(super) fn platform_message(_inner: &(dyn std::error::Error + 'static)) -> Option<String> {
        None
    }
}

/// Turn a keyring error into a `Keychain` error a user can act on. `account` is the account's
/// display name when the call was about one. Never includes an entry's value.
pub(crate) fn keychain_error(err: keyring::Error, account: Option<&str>, service: &str) -> Error {
    let whose = account
        .map(|a| format!(" for account `{a}`"))
        .unwrap_or_default();
    let message = match err {
        keyring::Error::NoEntry => format!(
            "The keychain has no credential{whose} — re-enter it in Accounts (edit the account \
             and paste the credential again)."
        ),
        keyring::Error::NoStorageAccess(inner) => platform::platform_message(inner.as_ref())
            .unwrap_or_else(|| format!("{} ({inner})", platform::LOCKED)),
        keyring::Error::PlatformFailure(inner) => platform::platform_message(inner.as_ref())
            .unwrap_or_else(|| format!("The OS keychain failed: {inner}.")),
        keyring::Error::BadEncoding(_) => format!(
            "The keychain entry{whose} is not text (another program wrote it) — re-enter the \
             credential in Accounts."
        ),
        keyring::Error::TooLong(attribute, limit) => format!(
            "The keychain refused the entry{whose}: its {attribute} is longer than the \
             keychain allows ({limit})."
        ),
        keyring::Error::Invalid(attribute, reason) => {
            format!("The keychain refused the entry{whose}: {attribute} {reason}.")
        }
        keyring::Error::Ambiguous(items) => format!(
            "The keychain holds {} entries{whose} under service \"{service}\". Delete the \
             duplicates in your keychain app (search for \"{service}\") and try again.",
            items.len()
        ),
        other => format!("The OS keychain failed: {other}."),
    };
    Error::keychain(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(err: keyring::Error) -> String {
        let e = keychain_error(err, Some("Prod IBM"), "dev.keyrack.app.dev");
        assert_eq!(e.code(), crate::Code::Keychain);
        e.to_string()
    }

    #[test]
    fn missing_entry_names_the_account_and_the_fix() {
        let t = text(keyring::Error::NoEntry);
        assert!(t.contains("no credential for account `Prod IBM`"), "{t}");
        assert!(t.contains("re-enter it in Accounts"), "{t}");
    }

    #[test]
    fn bad_encoding_never_shows_the_bytes() {
        let t = text(keyring::Error::BadEncoding(b"canary\xff".to_vec()));
        assert!(t.contains("not text"), "{t}");
        assert!(!t.contains("canary"), "{t}");
    }

    #[test]
    fn ambiguous_counts_entries_and_names_the_service() {
        let t = text(keyring::Error::Ambiguous(vec![]));
        assert!(t.contains("holds 0 entries for account `Prod IBM`"), "{t}");
        assert!(t.contains("dev.keyrack.app.dev"), "{t}");
    }

    #[test]
    fn attribute_errors_say_what_was_refused() {
        assert!(text(keyring::Error::TooLong("username".into(), 64)).contains("username"));
        let t = text(keyring::Error::Invalid(
            "target".into(),
            "cannot be empty".into(),
        ));
        assert!(t.contains("target cannot be empty"), "{t}");
    }

    #[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
    mod secret_service {
        use super::*;
        use dbus_secret_service::Error as Ss;

        fn dbus(name: &str, message: &str) -> Ss {
            Ss::Dbus(dbus::Error::new_custom(name, message))
        }

        #[test]
        fn no_secret_service_on_the_bus_says_what_to_install() {
            let t = text(keyring::Error::PlatformFailure(Box::new(dbus(
                "org.freedesktop.DBus.Error.ServiceUnknown",
                "The name org.freedesktop.secrets was not provided by any .service files",
            ))));
            assert!(t.starts_with(NO_KEYCHAIN), "{t}");
            assert!(t.contains("gnome-keyring"), "{t}");
            assert!(
                t.contains("org.freedesktop.secrets was not provided"),
                "{t}"
            );
        }

        #[test]
        fn no_session_bus_is_the_same_missing_keychain() {
            for name in [
                "org.freedesktop.DBus.Error.NotSupported",
                "org.freedesktop.DBus.Error.FileNotFound",
                "org.freedesktop.DBus.Error.NoServer",
                "org.freedesktop.DBus.Error.Spawn.ExecFailed",
            ] {
                let t = text(keyring::Error::PlatformFailure(Box::new(dbus(name, "x"))));
                assert!(t.starts_with(NO_KEYCHAIN), "{name}: {t}");
            }
            let t = text(keyring::Error::PlatformFailure(Box::new(Ss::Unavailable)));
            assert_eq!(t, NO_KEYCHAIN);
        }

        #[test]
        fn a_locked_collection_says_how_to_unlock() {
            let t = text(keyring::Error::NoStorageAccess(Box::new(Ss::Locked)));
            assert!(t.starts_with("The OS keychain is locked"), "{t}");
            assert!(t.contains("sandbox still works"), "{t}");
        }

        #[test]
        fn a_dismissed_prompt_and_a_missing_collection_are_told_apart() {
            let t = text(keyring::Error::NoStorageAccess(Box::new(Ss::Prompt)));
            assert!(t.contains("prompt was dismissed"), "{t}");
            let t = text(keyring::Error::NoStorageAccess(Box::new(Ss::NoResult)));
            assert!(t.contains("no default collection"), "{t}");
        }

        #[test]
        fn no_reply_and_access_denied_have_their_own_advice() {
            let t = text(keyring::Error::PlatformFailure(Box::new(dbus(
                "org.freedesktop.DBus.Error.NoReply",
                "Did not receive a reply",
            ))));
            assert!(t.contains("did not answer"), "{t}");
            let t = text(keyring::Error::PlatformFailure(Box::new(dbus(
                "org.freedesktop.DBus.Error.AccessDenied",
                "Rejected send message",
            ))));
            assert!(t.contains("org.freedesktop.secrets"), "{t}");
        }

        #[test]
        fn an_unknown_platform_error_keeps_its_text() {
            let t = text(keyring::Error::PlatformFailure(Box::new(
                std::io::Error::other("weird failure"),
            )));
            assert!(t.contains("weird failure"), "{t}");
        }
    }
}
