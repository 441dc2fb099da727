//! Accounts already configured for the `codefresh` CLI: the contexts of `~/.cfconfig` (or
//! `$CFCONFIG`), each a name, a URL and a token, and the `CF_API_KEY` / `CF_URL` variables.

use std::path::PathBuf;

use super::DEFAULT_URL;
use crate::accounts::discover::{read, Discovered, Env, Found, Unreadable, Via};
use crate::error::Error;
use crate::model::{AccountSettings, Credential, VendorId};
use crate::vendors::LocalFiles;

const V: VendorId = VendorId::Codefresh;

/// What the vendor's own tools keep on this computer.
pub const LOCAL: LocalFiles = LocalFiles {
    discover,
    tool_files,
    profile_file: None,
};

/// The codefresh CLI's contexts file; each token starts with its key id.
pub fn tool_files(env: &Env) -> Vec<PathBuf> {
    config_path(env).into_iter().collect()
}

fn config_path(env: &Env) -> Option<PathBuf> {
    env.path_from("CFCONFIG", &[".cfconfig"])
}

pub fn discover(env: &Env) -> Vec<Discovered> {
    let mut out = from_file(env);
    if let Some(token) = env.var("CF_API_KEY") {
        out.push(Ok(found(
            "environment",
            "environment (CF_API_KEY, CF_URL)",
            Via::Environment,
            token,
            env.var("CF_URL"),
        )));
    }
    out
}

fn from_file(env: &Env) -> Vec<Discovered> {
    let config = read::yaml(env, V, config_path(env), "a Codefresh CLI config");
    let (doc, shown) = match config {
        Ok(Some(read)) => read,
        Ok(None) => return Vec::new(),
        Err(unreadable) => return vec![Err(unreadable)],
    };
    let mut out = Vec::new();
    for (name, context) in doc.get("contexts").map(|c| c.entries()).unwrap_or_default() {
        let source = format!("{shown} [{name}]");
        match context.text("token") {
            Some(token) => out.push(Ok(found(
                name,
                &source,
                Via::ConfigFile,
                &token,
                context.text("url").as_deref(),
            ))),
            None => out.push(Err(Unreadable::new(
                V,
                source,
                Error::config(format!("context {name} of {shown} has no token")),
            ))),
        }
    }
    out
}

/// The CLI keeps the host (`https://g.codefresh.io`); Keyrack's base URL is its API.
fn found(name: &str, source: &str, via: Via, token: &str, url: Option<&str>) -> Found {
    let base_url = url
        .map(|u| {
            let u = u.trim_end_matches('/');
            if u.ends_with("/api") {
                u.to_string()
            } else {
                format!("{u}/api")
            }
        })
        .filter(|u| u != DEFAULT_URL);
    Found {
        vendor: V,
        via,
        profile: (via == Via::ConfigFile).then(|| name.to_string()),
        name: format!("codefresh {name}"),
        source: source.to_string(),
        settings: AccountSettings {
            base_url,
            ..AccountSettings::default()
        },
        credential: Credential::new(token),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_context_and_the_variables() {
        let home = tempfile::tempdir().unwrap();
        std::fs::write(
            home.path().join(".cfconfig"),
            "contexts:\n  saas:\n    type: APIKey\n    name: saas\n    url: https://g.codefresh.io\n    \
             token: 5f0c.abc\n    beta: false\n  onprem:\n    name: onprem\n    url: http://127.0.0.1:9/\n    \
             token: '6a1d.def'\n  empty:\n    name: empty\ncurrent-context: saas\n",
        )
        .unwrap();
        let env = Env::new(
            Some(home.path().into()),
            [
                ("CF_API_KEY".into(), "7b2e.ghi".into()),
                ("CF_URL".into(), "http://127.0.0.1:10".into()),
            ],
        );
        let found = discover(&env);
        assert_eq!(found.len(), 4);
        let saas = found[0].as_ref().unwrap();
        assert_eq!(saas.source, "~/.cfconfig [saas]");
        assert_eq!(saas.settings.base_url, None, "the SaaS URL is the default");
        assert_eq!(saas.credential.secret.expose(), "5f0c.abc");
        let onprem = found[1].as_ref().unwrap();
        assert_eq!(
            onprem.settings.base_url.as_deref(),
            Some("http://127.0.0.1:9/api")
        );
        let empty = found[2].as_ref().unwrap_err();
        assert!(
            empty.error.to_string().contains("context empty"),
            "{}",
            empty.error
        );
        let var = found[3].as_ref().unwrap();
        assert_eq!(var.via, Via::Environment);
        assert_eq!(
            var.settings.base_url.as_deref(),
            Some("http://127.0.0.1:10/api")
        );
    }

    #[test]
    fn a_broken_file_does_not_hide_the_variables() {
        let home = tempfile::tempdir().unwrap();
        std::fs::write(home.path().join(".cfconfig"), "contexts:\n  a: [1, 2]\n").unwrap();
        let env = Env::new(
            Some(home.path().into()),
            [("CF_API_KEY".into(), "k".into())],
        );
        let found = discover(&env);
        assert!(found[0]
            .as_ref()
            .unwrap_err()
            .error
            .to_string()
            .contains("line 2"));
        assert!(found[1].is_ok());
    }
}
