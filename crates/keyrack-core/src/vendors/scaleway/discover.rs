//! Accounts already configured for the `scw` CLI and the Scaleway SDKs: the profiles of
//! `~/.config/scw/config.yaml` (or `$SCW_CONFIG_PATH`), the top-level (default) one included,
//! and the `SCW_ACCESS_KEY` / `SCW_SECRET_KEY` variables.
//!
//! As the SDKs read the file, a named profile takes what it does not set from the top level.

use std::path::PathBuf;

use super::DEFAULT_URL;
use crate::accounts::discover::{read, Discovered, Env, Found, Unreadable, Via};
use crate::error::Error;
use crate::model::{AccountSettings, Credential, VendorId};
use crate::vendors::common::yaml::Yaml;
use crate::vendors::LocalFiles;

const V: VendorId = VendorId::Scaleway;

/// The scw CLI's config file, whose profiles name a key by access key.
pub fn tool_files(env: &Env) -> Vec<PathBuf> {
    config_path(env).into_iter().collect()
}

/// The top-level profile's name, as `scw` calls it.
const DEFAULT_PROFILE: &str = "default";

/// What the vendor's own tools keep on this computer.
pub const LOCAL: LocalFiles = LocalFiles {
    discover,
    tool_files,
    profile_file: None,
};

pub fn discover(env: &Env) -> Vec<Discovered> {
    let mut out = from_file(env);
    if let Some(found) = from_env(env) {
        out.push(Ok(found));
    }
    out
}

fn config_path(env: &Env) -> Option<std::path::PathBuf> {
    if let Some(p) = env.var("SCW_CONFIG_PATH") {
        return Some(p.into());
    }
    if let Some(xdg) = env.var("XDG_CONFIG_HOME") {
        return Some(std::path::Path::new(xdg).join("scw").join("config.yaml"));
    }
    env.path_from("SCW_CONFIG_PATH", &[".config", "scw", "config.yaml"])
}

fn from_file(env: &Env) -> Vec<Discovered> {
    let (doc, shown) = match read::yaml(env, V, config_path(env), "a Scaleway config file") {
        Ok(Some(read)) => read,
        Ok(None) => return Vec::new(),
        Err(unreadable) => return vec![Err(unreadable)],
    };
    let mut out = Vec::new();
    let mut profiles = vec![(DEFAULT_PROFILE.to_string(), Profile::read(&doc))];
    let top = profiles[0].1.clone();
    for (name, body) in doc.get("profiles").map(Yaml::entries).unwrap_or_default() {
        profiles.push((name.clone(), Profile::read(body).over(&top)));
    }
    for (name, profile) in profiles {
        let source = format!("{shown} [{name}]");
        match profile.found(&name, &source, Via::ConfigFile) {
            Some(Ok(found)) => out.push(Ok(found)),
            Some(Err(missing)) => out.push(Err(Unreadable::new(
                V,
                source,
                Error::config(format!("profile {name} of {shown} has no {missing}")),
            ))),
            // The top level without keys is only the file's common settings.
            None => {}
        }
    }
    out
}

fn from_env(env: &Env) -> Option<Found> {
    let var = |n: &str| env.var(n).map(str::to_string);
    let profile = Profile {
        access_key: var("SCW_ACCESS_KEY"),
        secret_key: var("SCW_SECRET_KEY"),
        organization_id: var("SCW_DEFAULT_ORGANIZATION_ID"),
        project_id: var("SCW_DEFAULT_PROJECT_ID"),
        api_url: var("SCW_API_URL"),
    };
    let source = "environment (SCW_ACCESS_KEY, SCW_SECRET_KEY)";
    profile.found("environment", source, Via::Environment)?.ok()
}

#[derive(Debug, Clone, Default)]
struct Profile {
    access_key: Option<String>,
    secret_key: Option<String>,
    organization_id: Option<String>,
    project_id: Option<String>,
    api_url: Option<String>,
}

impl Profile {
    fn read(y: &Yaml) -> Profile {
        Profile {
            access_key: y.text("access_key"),
            secret_key: y.text("secret_key"),
            organization_id: y.text("default_organization_id"),
            project_id: y.text("default_project_id"),
            api_url: y.text("api_url"),
        }
    }

    /// This profile, with what it leaves out taken from `base`.
    fn over(self, base: &Profile) -> Profile {
        let or = |a: Option<String>, b: &Option<String>| a.or_else(|| b.clone());
        Profile {
            access_key: or(self.access_key, &base.access_key),
            secret_key: or(self.secret_key, &base.secret_key),
            organization_id: or(self.organization_id, &base.organization_id),
            project_id: or(self.project_id, &base.project_id),
            api_url: or(self.api_url, &base.api_url),
        }
    }

    /// `None` when it has neither key; `Err(what)` when it has only one.
    fn found(
        self,
        name: &str,
        source: &str,
        via: Via,
    ) -> Option<std::result::Result<Found, &'static str>> {
        let (access_key, secret_key) = match (self.access_key, self.secret_key) {
            (None, None) => return None,
            (Some(_), None) => return Some(Err("secret_key")),
            (None, Some(_)) => return Some(Err("access_key")),
            (Some(a), Some(s)) => (a, s),
        };
        let base_url = self
            .api_url
            .map(|u| u.trim_end_matches('/').to_string())
            .filter(|u| u != DEFAULT_URL);
        Some(Ok(Found {
            vendor: V,
            via,
            profile: (via == Via::ConfigFile).then(|| name.to_string()),
            name: format!("scaleway {name}"),
            source: source.to_string(),
            settings: AccountSettings {
                access_key: Some(access_key),
                organization_id: self.organization_id,
                project_id: self.project_id,
                base_url,
                ..AccountSettings::default()
            },
            credential: Credential::new(secret_key),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "\
# scw config
access_key: SCWTOPLEVEL00000000
secret_key: 11111111-1111-1111-1111-111111111111
default_organization_id: 22222222-2222-2222-2222-222222222222
default_region: fr-par
active_profile: work
profiles:
  work:
    access_key: SCWWORK000000000000
    secret_key: \"33333333-3333-3333-3333-333333333333\"
    api_url: http://127.0.0.1:9/
  half:
    access_key: SCWHALF000000000000
";

    fn env_with(config: &str) -> (tempfile::TempDir, Env) {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join(".config/scw");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config.yaml"), config).unwrap();
        let env = Env::new(Some(home.path().into()), []);
        (home, env)
    }

    #[test]
    fn the_default_and_named_profiles_inheriting_from_it() {
        let (_home, env) = env_with(CONFIG);
        let found = discover(&env);
        let default = found[0].as_ref().unwrap();
        assert_eq!(default.source, "~/.config/scw/config.yaml [default]");
        assert_eq!(
            default.settings.access_key.as_deref(),
            Some("SCWTOPLEVEL00000000")
        );
        assert_eq!(
            default.credential.secret.expose(),
            "11111111-1111-1111-1111-111111111111"
        );
        assert_eq!(default.settings.base_url, None);
        let work = found[1].as_ref().unwrap();
        assert_eq!(work.name, "scaleway work");
        assert_eq!(work.profile.as_deref(), Some("work"));
        assert_eq!(
            work.settings.access_key.as_deref(),
            Some("SCWWORK000000000000")
        );
        assert_eq!(
            work.settings.organization_id.as_deref(),
            Some("22222222-2222-2222-2222-222222222222"),
            "inherited from the top level"
        );
        assert_eq!(
            work.settings.base_url.as_deref(),
            Some("http://127.0.0.1:9")
        );
        // `half` takes the top level's secret key, as the SDK would.
        let half = found[2].as_ref().unwrap();
        assert_eq!(
            half.credential.secret.expose(),
            "11111111-1111-1111-1111-111111111111"
        );
        assert_eq!(found.len(), 3);
    }

    #[test]
    fn a_profile_missing_its_secret_and_a_broken_file_are_reported() {
        let (_home, env) = env_with("profiles:\n  p:\n    access_key: SCWX\n");
        let found = discover(&env);
        let e = found[0].as_ref().unwrap_err();
        assert!(
            e.error.to_string().contains("has no secret_key"),
            "{}",
            e.error
        );
        let (_home, env) = env_with("profiles:\n  - p\n");
        let e = discover(&env).remove(0).unwrap_err();
        assert!(e.error.to_string().contains("line 2"), "{}", e.error);
        assert_eq!(e.source, "~/.config/scw/config.yaml");
    }

    #[test]
    fn the_variables_make_one_account() {
        let env = Env::new(
            None,
            [
                ("SCW_ACCESS_KEY".into(), "SCWENV".into()),
                ("SCW_SECRET_KEY".into(), "s".into()),
                ("SCW_DEFAULT_PROJECT_ID".into(), "p".into()),
            ],
        );
        let found = discover(&env);
        let f = found[0].as_ref().unwrap();
        assert_eq!(f.via, Via::Environment);
        assert_eq!(f.profile, None);
        assert_eq!(f.settings.project_id.as_deref(), Some("p"));
        assert_eq!(found.len(), 1);
        // Only one of the pair is not an account.
        let env = Env::new(None, [("SCW_ACCESS_KEY".into(), "SCWENV".into())]);
        assert!(discover(&env).is_empty());
    }
}
