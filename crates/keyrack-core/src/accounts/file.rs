//! The CLI's accounts file (`keyrack --accounts FILE`): `[[account]]` tables of the settings-file
//! shape, plus where each secret comes from — never the secret itself:
//!
//! ```toml
//! [[account]]
//! name = "Prod OpenAI"
//! vendor = "openai"
//! organization_id = "org-…"
//! secret = "env:OPENAI_ADMIN_KEY"      # or "file:keys/openai.txt", or "keychain" (the default)
//!
//! [[account]]
//! name = "OCI Frankfurt"
//! vendor = "oci"
//! id = "oci-fra"                       # default: made from the name ("oci-frankfurt")
//! tenancy = "ocid1.tenancy.oc1..…"
//! user = "ocid1.user.oc1..…"
//! fingerprint = "aa:bb:…"
//! region = "eu-frankfurt-1"
//! secret = "file:~/.oci/key.pem"
//! passphrase = "env:OCI_KEY_PASSPHRASE"
//! ```
//!
//! `file:` paths are relative to the accounts file; `keychain` reads the entry Keyrack keeps for
//! the account `id` (the same one the desktop app writes).

use std::path::{Path, PathBuf};

use serde::Deserialize;
use zeroize::Zeroizing;

use super::record::{self, RecordIn};
use crate::error::{Error, Result};
use crate::model::{Account, Credential};
use crate::secret::Sensitive;
use crate::vault::CredentialStore;

/// Where a secret comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretRef {
    /// An environment variable.
    Env(String),
    /// A file (resolved against the accounts file's directory; `~/` is the home directory).
    File(PathBuf),
    /// Keyrack's keychain entry for the account.
    Keychain,
}

impl SecretRef {
    /// Parse `env:NAME`, `file:PATH` or `keychain`. The error never repeats the value: a secret
    /// pasted here by mistake must not reach a message.
    pub fn parse(value: &str, base_dir: &Path) -> std::result::Result<SecretRef, String> {
        let value = value.trim();
        if value == "keychain" {
            return Ok(SecretRef::Keychain);
        }
        if let Some(name) = value.strip_prefix("env:") {
            let ok =
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            return if ok {
                Ok(SecretRef::Env(name.to_string()))
            } else {
                Err("`env:` must be followed by a variable name (letters, digits, _)".into())
            };
        }
        if let Some(path) = value.strip_prefix("file:") {
            if path.is_empty() {
                return Err("`file:` must be followed by a path".into());
            }
            let path = match path.strip_prefix("~/") {
                Some(rest) => dirs::home_dir()
                    .ok_or("`~/` was used but the home directory is unknown")?
                    .join(rest),
                None => base_dir.join(path),
            };
            return Ok(SecretRef::File(path));
        }
        Err(
            "must be \"env:NAME\", \"file:PATH\" or \"keychain\" — the secret itself is never \
             written in this file"
                .into(),
        )
    }

    fn describe(&self) -> String {
        match self {
            SecretRef::Env(name) => format!("environment variable {name}"),
            SecretRef::File(path) => format!("file {}", path.display()),
            SecretRef::Keychain => "keychain".into(),
        }
    }
}

/// One account of an accounts file, with where its secrets come from.
#[derive(Debug, Clone, PartialEq)]
pub struct FileAccount {
    pub account: Account,
    pub secret: SecretRef,
    /// OCI: the private key's passphrase (the keychain entry holds its own).
    pub passphrase: Option<SecretRef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountsFile {
    #[serde(default)]
    account: Vec<RecordIn>,
}

/// Read and check an accounts file.
pub fn read_accounts_file(path: &Path) -> Result<Vec<FileAccount>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::io(&format!("could not read {}", path.display()), e))?;
    let base = path.parent().unwrap_or(Path::new("."));
    parse_accounts_file(&text, base)
        .map_err(|m| Error::config(format!("accounts file {}: {m}", path.display())))
}

/// Parse an accounts file; `Err` is a message naming the line.
pub fn parse_accounts_file(
    text: &str,
    base_dir: &Path,
) -> std::result::Result<Vec<FileAccount>, String> {
    let file: AccountsFile = toml::from_str(text).map_err(|e| record::toml_error_at(text, &e))?;
    let mut out: Vec<FileAccount> = Vec::with_capacity(file.account.len());
    for rec in file.account {
        let at = |m: &str| record::at_line(text, &rec.name, m);
        let name = record::check_name(rec.name.get_ref()).map_err(|e| at(&e.to_string()))?;
        let id = match &rec.id {
            Some(id) => record::check_id(id.get_ref())
                .map_err(|e| record::at_line(text, id, &e.to_string()))?,
            None => record::id_from_name(&name),
        };
        if out.iter().any(|a| a.account.id == id) {
            return Err(at(&format!(
                "a second account with id `{id}` (give one of them another `id`)"
            )));
        }
        let secret = match &rec.secret {
            Some(s) => SecretRef::parse(s.get_ref(), base_dir)
                .map_err(|m| record::at_line(text, s, &format!("secret {m}")))?,
            None => SecretRef::Keychain,
        };
        let passphrase = match &rec.passphrase {
            Some(p) => match SecretRef::parse(p.get_ref(), base_dir) {
                Ok(SecretRef::Keychain) => {
                    return Err(record::at_line(
                        text,
                        p,
                        "passphrase cannot be \"keychain\": the keychain entry holds the \
                         passphrase together with the key",
                    ))
                }
                Ok(_) if !rec.vendor.descriptor().takes_passphrase() => {
                    return Err(record::at_line(
                        text,
                        p,
                        &format!(
                            "only {} accounts have a passphrase (for their private key)",
                            crate::vendors::ALL
                                .iter()
                                .filter(|d| d.takes_passphrase())
                                .map(|d| d.key.to_uppercase())
                                .collect::<Vec<_>>()
                                .join(" and ")
                        ),
                    ));
                }
                Ok(r) => Some(r),
                Err(m) => return Err(record::at_line(text, p, &format!("passphrase {m}"))),
            },
            None => None,
        };
        let settings = record::check_settings(&rec.settings()).map_err(|e| at(&e.to_string()))?;
        out.push(FileAccount {
            account: Account {
                id,
                name,
                vendor: rec.vendor,
                sandbox: false,
                settings,
            },
            secret,
            passphrase,
        });
    }
    Ok(out)
}

/// The credential of an accounts-file account, from the environment, a file or the keychain.
pub async fn resolve(entry: &FileAccount, store: &dyn CredentialStore) -> Result<Credential> {
    resolve_with(entry, store, &|name| std::env::var(name).ok()).await
}

/// `resolve` with the environment given, for tests.
pub async fn resolve_with(
    entry: &FileAccount,
    store: &dyn CredentialStore,
    env: &(dyn Fn(&str) -> Option<String> + Sync),
) -> Result<Credential> {
    let account = &entry.account;
    let mut credential = match &entry.secret {
        SecretRef::Keychain => store.get(account).await?,
        other => Credential::new(read_ref(other, account, "secret", env)?),
    };
    if let Some(p) = &entry.passphrase {
        credential.passphrase = Some(read_ref(p, account, "passphrase", env)?);
    }
    Ok(credential)
}

/// Every account of the file with its credential; the first failure stops and names its account.
pub async fn resolve_all(
    entries: Vec<FileAccount>,
    store: &dyn CredentialStore,
) -> Result<Vec<(Account, Credential)>> {
    let mut out = Vec::with_capacity(entries.len());
    for entry in entries {
        let credential = resolve(&entry, store).await?;
        out.push((entry.account, credential));
    }
    Ok(out)
}

fn read_ref(
    source: &SecretRef,
    account: &Account,
    what: &str,
    env: &(dyn Fn(&str) -> Option<String> + Sync),
) -> Result<Sensitive<String>> {
    let value: Zeroizing<String> = match source {
        SecretRef::Env(name) => Zeroizing::new(env(name).ok_or_else(|| {
            Error::config(format!(
                "account `{}`: {what} comes from the environment variable {name}, which is \
                 not set",
                account.name
            ))
        })?),
        SecretRef::File(path) => {
            warn_if_shared(path);
            Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
                Error::io(
                    &format!(
                        "account `{}`: could not read the {what} from {}",
                        account.name,
                        path.display()
                    ),
                    e,
                )
            })?)
        }
        SecretRef::Keychain => unreachable!("keychain secrets are read whole by resolve_with"),
    };
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Error::config(format!(
            "account `{}`: the {what} from the {} is empty",
            account.name,
            source.describe()
        )));
    }
    Ok(Sensitive::new(trimmed.to_string()))
}

#[cfg(unix)]
fn warn_if_shared(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.permissions().mode() & 0o077 != 0 {
            tracing::warn!(
                file = %path.display(),
                "a secret file is readable by other users; chmod 600 it"
            );
        }
    }
}

#[cfg(not(unix))]
fn warn_if_shared(_path: &Path) {}
