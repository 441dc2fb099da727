//! Accounts already on this computer: the vendors' CLI configuration files and the environment
//! variables their own tools read. Each vendor's descriptor has a `discover` that reads its own
//! files and variables from an [`Env`]; this module only runs them all and names what they found.
//!
//! Reading never changes a file. A file that cannot be read gives an [`Unreadable`] for that
//! source, and every other find is still returned.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{Error, PublicError};
use crate::model::{AccountSettings, Credential, VendorId};
use crate::vendors;

/// The home directory and environment discovery reads: the process's own, or one a test made.
#[derive(Debug, Clone, Default)]
pub struct Env {
    pub home: Option<PathBuf>,
    vars: BTreeMap<String, String>,
}

impl Env {
    pub fn new(home: Option<PathBuf>, vars: impl IntoIterator<Item = (String, String)>) -> Self {
        Env {
            home,
            vars: vars.into_iter().collect(),
        }
    }

    /// This process's home directory and environment (variables that are not UTF-8 are left
    /// out: `std::env::vars` would panic on them).
    pub fn from_process() -> Self {
        let vars = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)));
        Env::new(dirs::home_dir(), vars)
    }

    /// A variable's value, when set and not blank.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// `$VAR` when set, else `home`/`rel` (`None` without a home).
    pub fn path_from(&self, var: &str, rel: &[&str]) -> Option<PathBuf> {
        if let Some(p) = self.var(var) {
            return Some(PathBuf::from(p));
        }
        let mut path = self.home.clone()?;
        path.extend(rel);
        Some(path)
    }

    /// A path as people write it: `~/.oci/config` when it is under the home directory.
    pub fn display(&self, path: &Path) -> String {
        match self.home.as_deref().and_then(|h| path.strip_prefix(h).ok()) {
            Some(rest) => format!("~/{}", rest.display()),
            None => path.display().to_string(),
        }
    }
}

/// Where a find came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// The vendor's CLI configuration file.
    ConfigFile,
    /// Environment variables.
    Environment,
}

/// An account found on this computer, with its credential. Never serialized, never printed:
/// shells show [`FoundInfo`].
pub struct Found {
    pub vendor: VendorId,
    pub via: Via,
    /// The profile or context it is in the file (`DEFAULT`, `work`); `None` for variables.
    pub profile: Option<String>,
    /// A name for the new account, e.g. `oci DEFAULT`.
    pub name: String,
    /// Where it came from, as the user knows it: `~/.oci/config [DEFAULT]`.
    pub source: String,
    pub settings: AccountSettings,
    pub credential: Credential,
}

impl std::fmt::Debug for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Found")
            .field("vendor", &self.vendor)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl Found {
    /// A stable name for this find that says nothing secret, so a shell can list finds and
    /// import one later by it: the same vendor and source give the same handle.
    pub fn handle(&self) -> String {
        handle(self.vendor, &self.source)
    }

    /// What a shell may show.
    pub fn info(&self) -> FoundInfo {
        FoundInfo {
            handle: self.handle(),
            vendor: self.vendor,
            via: self.via,
            profile: self.profile.clone(),
            name: self.name.clone(),
            source: self.source.clone(),
            settings: self.settings.clone(),
        }
    }
}

fn handle(vendor: VendorId, source: &str) -> String {
    let digest = Sha256::digest(format!("{vendor}\n{source}").as_bytes());
    hex::encode(&digest[..12])
}

/// A find as shells show it: nothing of its credential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FoundInfo {
    pub handle: String,
    pub vendor: VendorId,
    pub via: Via,
    pub profile: Option<String>,
    pub name: String,
    pub source: String,
    pub settings: AccountSettings,
}

/// A source that is there but could not be read.
#[derive(Debug)]
pub struct Unreadable {
    pub vendor: VendorId,
    pub source: String,
    pub error: Box<Error>,
}

impl Unreadable {
    pub fn new(vendor: VendorId, source: impl Into<String>, error: Error) -> Self {
        Unreadable {
            vendor,
            source: source.into(),
            error: Box::new(error),
        }
    }

    pub fn info(&self) -> UnreadableInfo {
        UnreadableInfo {
            vendor: self.vendor,
            source: self.source.clone(),
            error: self.error.to_public(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct UnreadableInfo {
    pub vendor: VendorId,
    pub source: String,
    pub error: PublicError,
}

/// One result of a vendor's `discover`.
pub type Discovered = std::result::Result<Found, Unreadable>;

/// Which sources to read: every one, one vendor's configuration file (`oci`, `scaleway`, …),
/// or only the environment (`env`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
    All,
    File(VendorId),
    Environment,
}

impl std::str::FromStr for Scope {
    type Err = Error;
    fn from_str(s: &str) -> crate::Result<Scope> {
        match s.trim() {
            "env" => Ok(Scope::Environment),
            "all" => Ok(Scope::All),
            other => other.parse::<VendorId>().map(Scope::File).map_err(|_| {
                let known: Vec<&str> = vendors::ids().map(VendorId::as_str).collect();
                Error::validation(
                    "from",
                    format!(
                        "unknown source `{other}`; expected env or a vendor ({})",
                        known.join(", ")
                    ),
                )
            }),
        }
    }
}

impl Scope {
    fn takes(&self, vendor: VendorId, via: Via) -> bool {
        match self {
            Scope::All => true,
            Scope::File(v) => *v == vendor && via == Via::ConfigFile,
            Scope::Environment => via == Via::Environment,
        }
    }
}

/// Everything discovery found, and the sources it could not read.
#[derive(Debug, Default)]
pub struct Discovery {
    pub found: Vec<Found>,
    pub unreadable: Vec<Unreadable>,
}

/// Run every vendor's discovery on `env`, keeping what `scope` and `profile` select.
pub fn discover(env: &Env, scope: Scope, profile: Option<&str>) -> Discovery {
    let mut out = Discovery::default();
    for d in vendors::ALL {
        for item in (d.local.discover)(env) {
            match item {
                Ok(f) if scope.takes(f.vendor, f.via) => {
                    if profile.is_none_or(|p| f.profile.as_deref() == Some(p)) {
                        out.found.push(f);
                    }
                }
                Ok(_) => {}
                Err(u) => {
                    // A file that cannot be read is reported whatever the profile asked for.
                    if scope.takes(u.vendor, Via::ConfigFile) {
                        out.unreadable.push(u);
                    }
                }
            }
        }
    }
    out
}

/// The find with this handle, read afresh (the credential is never kept between calls).
pub fn find_by_handle(env: &Env, handle_: &str) -> crate::Result<Found> {
    discover(env, Scope::All, None)
        .found
        .into_iter()
        .find(|f| f.handle() == handle_)
        .ok_or_else(|| Error::NotFound {
            message: "that account is no longer found on this computer (its file or variable \
                      changed); look again"
                .into(),
            detail: None,
        })
}

/// The helpers vendors' `discover` functions share.
pub mod read {
    use std::path::{Path, PathBuf};

    use super::{Env, Unreadable};
    use crate::error::Error;
    use crate::model::VendorId;
    use crate::vendors::common::yaml::{self, Yaml};

    /// A configuration file's text; `Ok(None)` when there is no such file (nothing to find).
    pub fn file(
        env: &Env,
        vendor: VendorId,
        path: &Path,
    ) -> std::result::Result<Option<String>, Unreadable> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Unreadable::new(
                vendor,
                env.display(path),
                Error::io(&format!("could not read {}", env.display(path)), e),
            )),
        }
    }

    /// A configuration file the vendor's tools read: its text, and its path as shown
    /// (`~/.oci/config`). `Ok(None)` when there is no such file, or no path to look at.
    pub fn config(
        env: &Env,
        vendor: VendorId,
        path: Option<PathBuf>,
    ) -> std::result::Result<Option<(String, String)>, Unreadable> {
        let Some(path) = path else { return Ok(None) };
        Ok(file(env, vendor, &path)?.map(|text| (text, env.display(&path))))
    }

    /// The same, read as YAML; `what` names the file in the error ("a Scaleway config file").
    pub fn yaml(
        env: &Env,
        vendor: VendorId,
        path: Option<PathBuf>,
        what: &str,
    ) -> std::result::Result<Option<(Yaml, String)>, Unreadable> {
        let Some((text, shown)) = config(env, vendor, path)? else {
            return Ok(None);
        };
        match yaml::parse(&text) {
            Ok(doc) => Ok(Some((doc, shown))),
            Err(e) => Err(Unreadable::new(
                vendor,
                shown.clone(),
                Error::config(format!("{shown} is not {what} Keyrack can read: {e}")),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_reads_only_what_it_was_given() {
        let env = Env::new(
            Some("/home/ann".into()),
            [
                ("SET".to_string(), " v ".to_string()),
                ("BLANK".to_string(), " ".to_string()),
            ],
        );
        assert_eq!(env.var("SET"), Some("v"));
        assert_eq!(env.var("BLANK"), None);
        assert_eq!(env.var("HOME"), None);
        assert_eq!(
            env.path_from("NOPE", &[".oci", "config"]),
            Some(PathBuf::from("/home/ann/.oci/config"))
        );
        assert_eq!(
            env.display(Path::new("/home/ann/.oci/config")),
            "~/.oci/config"
        );
        assert_eq!(env.display(Path::new("/etc/x")), "/etc/x");
        assert_eq!(Env::default().path_from("X", &["a"]), None);
    }

    #[test]
    fn scope_names_are_env_or_a_vendor() {
        assert_eq!("env".parse::<Scope>().unwrap(), Scope::Environment);
        assert_eq!("oci".parse::<Scope>().unwrap(), Scope::File(VendorId::Oci));
        let e = "aws".parse::<Scope>().unwrap_err();
        assert!(e.to_string().contains("env or a vendor"), "{e}");
    }

    #[test]
    fn a_handle_depends_on_vendor_and_source_only() {
        let a = handle(VendorId::Oci, "~/.oci/config [DEFAULT]");
        assert_eq!(a, handle(VendorId::Oci, "~/.oci/config [DEFAULT]"));
        assert_ne!(a, handle(VendorId::Oci, "~/.oci/config [WORK]"));
        assert_ne!(a, handle(VendorId::Scaleway, "~/.oci/config [DEFAULT]"));
        assert_eq!(a.len(), 24);
    }
}
