//! Accounts already configured for the OCI CLI and SDKs: every profile of `~/.oci/config`
//! (or `$OCI_CONFIG_FILE`), with the key file and passphrase it names.

use std::path::PathBuf;

use super::config_file::{self, DEFAULT_PROFILE};
use crate::accounts::discover::{read, Discovered, Env, Found, Unreadable, Via};
use crate::error::Error;
use crate::model::VendorId;
use crate::vendors::LocalFiles;

const V: VendorId = VendorId::Oci;

/// The OCI CLI's and SDKs' config file, whose profiles name a key by fingerprint.
pub fn tool_files(env: &Env) -> Vec<PathBuf> {
    config_path(env).into_iter().collect()
}

fn config_path(env: &Env) -> Option<PathBuf> {
    env.path_from("OCI_CONFIG_FILE", &[".oci", "config"])
}

/// What the vendor's own tools keep on this computer.
pub const LOCAL: LocalFiles = LocalFiles {
    discover,
    tool_files,
    profile_file: Some(&super::config_file::PROFILE_FILE),
};

pub fn discover(env: &Env) -> Vec<Discovered> {
    let (text, shown) = match read::config(env, V, config_path(env)) {
        Ok(Some(read)) => read,
        Ok(None) => return Vec::new(),
        Err(unreadable) => return vec![Err(unreadable)],
    };
    let names = config_file::profile_names(&text);
    let has_settings = text.lines().any(|l| {
        let l = l.trim();
        !(l.is_empty() || l.starts_with('#') || l.starts_with(';'))
    });
    if names.is_empty() && has_settings {
        return vec![Err(Unreadable::new(
            V,
            shown.clone(),
            Error::config(format!(
                "{shown} is not an OCI config file: it has no [PROFILE] sections"
            )),
        ))];
    }
    let others = names.iter().any(|n| n != DEFAULT_PROFILE);
    let mut out = Vec::new();
    for name in names {
        let source = format!("{shown} [{name}]");
        let profile = match config_file::parse_profile(&text, &name, env.home.as_deref()) {
            Ok(p) => p,
            // A DEFAULT that only holds values the other profiles share is not an account.
            Err(_) if name == DEFAULT_PROFILE && others => continue,
            Err(e) => {
                out.push(Err(Unreadable::new(
                    V,
                    source,
                    Error::config(format!("{shown}: {e}")),
                )));
                continue;
            }
        };
        let credential = match profile.credential() {
            Ok(c) => c,
            Err(e) => {
                out.push(Err(Unreadable::new(V, source, e)));
                continue;
            }
        };
        out.push(Ok(Found {
            vendor: V,
            via: Via::ConfigFile,
            name: format!("oci {name}"),
            profile: Some(name),
            source,
            settings: profile.settings,
            credential,
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pem() -> String {
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/oci/vector_private_key_pkcs8.pem"
        ))
        .unwrap()
    }

    #[test]
    fn every_profile_with_its_key_file_and_passphrase() {
        let home = tempfile::tempdir().unwrap();
        let oci = home.path().join(".oci");
        std::fs::create_dir_all(&oci).unwrap();
        std::fs::write(oci.join("key.pem"), pem()).unwrap();
        std::fs::write(
            oci.join("config"),
            "[DEFAULT]\nuser=ocid1.user.oc1..u\nfingerprint=AA:bb\ntenancy=ocid1.tenancy.oc1..t\n\
             region=eu-frankfurt-1\nkey_file=~/.oci/key.pem\n\n[WORK]\nuser=ocid1.user.oc1..w\n\
             pass_phrase=secret-pass\n\n[BROKEN]\nuser=x\nkey_file=~/.oci/missing.pem\n",
        )
        .unwrap();
        let env = Env::new(Some(home.path().into()), []);
        let found = discover(&env);
        assert_eq!(found.len(), 3);
        let default = found[0].as_ref().unwrap();
        assert_eq!(default.source, "~/.oci/config [DEFAULT]");
        assert_eq!(default.settings.fingerprint.as_deref(), Some("aa:bb"));
        assert_eq!(default.credential.secret.expose(), &pem());
        assert!(default.credential.passphrase.is_none());
        let work = found
            .iter()
            .flatten()
            .find(|f| f.profile.as_deref() == Some("WORK"))
            .unwrap();
        assert_eq!(work.name, "oci WORK");
        assert_eq!(work.settings.user.as_deref(), Some("ocid1.user.oc1..w"));
        assert_eq!(
            work.settings.tenancy.as_deref(),
            Some("ocid1.tenancy.oc1..t")
        );
        assert_eq!(
            work.credential.passphrase.as_ref().unwrap().expose(),
            "secret-pass"
        );
        let broken = found.iter().find_map(|f| f.as_ref().err()).unwrap();
        assert_eq!(broken.source, "~/.oci/config [BROKEN]");
        assert!(
            broken.error.to_string().contains("missing.pem"),
            "{}",
            broken.error
        );
        assert!(!format!("{default:?}").contains("PRIVATE"));
    }

    #[test]
    fn oci_config_file_wins_and_garbage_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cfg");
        std::fs::write(&path, "this is not ini\n").unwrap();
        let env = Env::new(
            Some(dir.path().join("nohome")),
            [("OCI_CONFIG_FILE".into(), path.display().to_string())],
        );
        let found = discover(&env);
        let e = found[0].as_ref().unwrap_err();
        assert!(
            e.error.to_string().contains("no [PROFILE] sections"),
            "{}",
            e.error
        );
        // No file: nothing found, nothing wrong.
        let none = Env::new(Some(dir.path().join("nohome")), []);
        assert!(discover(&none).is_empty());
    }
}
