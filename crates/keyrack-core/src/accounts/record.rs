//! The `[[account]]` table — one shape for `settings.toml` and the CLI's accounts file — and the
//! rules every account's fields follow, wherever they come from (a file, the UI, the CLI).

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::error::{Error, Result};
use crate::model::{Account, AccountSettings, VendorId};

/// An `[[account]]` table as read. Unknown keys are refused, so a typo is an error that names
/// its line rather than a setting silently ignored.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RecordIn {
    pub id: Option<Spanned<String>>,
    pub name: Spanned<String>,
    pub vendor: VendorId,
    pub base_url: Option<String>,
    pub iam_url: Option<String>,
    pub account_id: Option<String>,
    pub iam_id: Option<String>,
    pub organization_id: Option<String>,
    pub project_id: Option<String>,
    pub access_key: Option<String>,
    pub tenancy: Option<String>,
    pub user: Option<String>,
    pub region: Option<String>,
    pub fingerprint: Option<String>,
    /// Accounts file only: where the secret comes from (`env:NAME`, `file:PATH`, `keychain`).
    pub secret: Option<Spanned<String>>,
    /// Accounts file only: where an OCI key's passphrase comes from.
    pub passphrase: Option<Spanned<String>>,
}

impl RecordIn {
    /// The account settings as written (not yet checked).
    pub fn settings(&self) -> AccountSettings {
        AccountSettings {
            base_url: self.base_url.clone(),
            iam_url: self.iam_url.clone(),
            account_id: self.account_id.clone(),
            iam_id: self.iam_id.clone(),
            organization_id: self.organization_id.clone(),
            project_id: self.project_id.clone(),
            access_key: self.access_key.clone(),
            tenancy: self.tenancy.clone(),
            user: self.user.clone(),
            region: self.region.clone(),
            fingerprint: self.fingerprint.clone(),
        }
    }
}

/// An `[[account]]` table as written: the settings by name, absent ones left out.
#[derive(Debug, Serialize)]
pub(crate) struct RecordOut<'a> {
    pub name: &'a str,
    pub vendor: VendorId,
    pub id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iam_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iam_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenancy: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<&'a str>,
}

impl<'a> From<&'a Account> for RecordOut<'a> {
    fn from(a: &'a Account) -> Self {
        // Destructured without `..`: a new setting does not compile until it is written here.
        let AccountSettings {
            base_url,
            iam_url,
            account_id,
            iam_id,
            organization_id,
            project_id,
            access_key,
            tenancy,
            user,
            region,
            fingerprint,
        } = &a.settings;
        RecordOut {
            name: &a.name,
            vendor: a.vendor,
            id: &a.id,
            base_url: base_url.as_deref(),
            iam_url: iam_url.as_deref(),
            account_id: account_id.as_deref(),
            iam_id: iam_id.as_deref(),
            organization_id: organization_id.as_deref(),
            project_id: project_id.as_deref(),
            access_key: access_key.as_deref(),
            tenancy: tenancy.as_deref(),
            user: user.as_deref(),
            region: region.as_deref(),
            fingerprint: fingerprint.as_deref(),
        }
    }
}

/// `line L, column C` of a byte offset (both from 1).
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// `line L, column C: message` of a TOML error. The offending text is not quoted, so a secret
/// pasted into the wrong place does not travel into a message or a log.
pub(crate) fn toml_error_at(text: &str, err: &toml::de::Error) -> String {
    let message = err.message().trim_end_matches('\n');
    match err.span() {
        Some(span) => {
            let (line, column) = line_col(text, span.start);
            format!("line {line}, column {column}: {message}")
        }
        None => message.to_string(),
    }
}

/// `line L: message` for a spanned value.
pub(crate) fn at_line<T>(text: &str, value: &Spanned<T>, message: &str) -> String {
    let (line, _) = line_col(text, value.span().start);
    format!("line {line}: {message}")
}

/// Maximum lengths, generous but finite: these values end up in titles and file names.
const MAX_NAME: usize = 100;
const MAX_ID: usize = 64;
const MAX_SETTING: usize = 2048;

/// A display name: trimmed, not empty, no control characters.
pub fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::validation("name", "the account needs a name"));
    }
    if name.chars().count() > MAX_NAME {
        return Err(Error::validation(
            "name",
            format!("the account name is longer than {MAX_NAME} characters"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::validation(
            "name",
            "the account name must not contain control characters",
        ));
    }
    Ok(name.to_string())
}

/// An account id (also the keychain entry's user name): letters, digits, `.`, `_`, `-`.
pub fn check_id(id: &str) -> Result<String> {
    let ok = !id.is_empty()
        && id.len() <= MAX_ID
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(id.to_string())
    } else {
        Err(Error::validation(
            "id",
            format!(
                "the account id `{}` must be 1 to {MAX_ID} letters, digits, '.', '_' or '-'",
                id.escape_debug()
            ),
        ))
    }
}

/// An id derived from a name, for accounts files that give none: `Prod IBM` → `prod-ibm`.
pub fn id_from_name(name: &str) -> String {
    let mut id = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-');
    let id: String = id.chars().take(MAX_ID).collect();
    if id.is_empty() {
        "account".to_string()
    } else {
        id
    }
}

/// Settings as stored: trimmed, blanks dropped, URLs checked.
pub fn check_settings(settings: &AccountSettings) -> Result<AccountSettings> {
    let AccountSettings {
        base_url,
        iam_url,
        account_id,
        iam_id,
        organization_id,
        project_id,
        access_key,
        tenancy,
        user,
        region,
        fingerprint,
    } = settings;
    Ok(AccountSettings {
        base_url: url_setting("base_url", base_url)?,
        iam_url: url_setting("iam_url", iam_url)?,
        account_id: text_setting("account_id", account_id)?,
        iam_id: text_setting("iam_id", iam_id)?,
        organization_id: text_setting("organization_id", organization_id)?,
        project_id: text_setting("project_id", project_id)?,
        access_key: text_setting("access_key", access_key)?,
        tenancy: text_setting("tenancy", tenancy)?,
        user: text_setting("user", user)?,
        region: text_setting("region", region)?,
        fingerprint: text_setting("fingerprint", fingerprint)?,
    })
}

fn text_setting(field: &str, value: &Option<String>) -> Result<Option<String>> {
    let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.len() > MAX_SETTING {
        return Err(Error::validation(
            field,
            format!("{field} is longer than {MAX_SETTING} characters"),
        ));
    }
    if v.chars().any(char::is_control) {
        return Err(Error::validation(
            field,
            format!("{field} must not contain control characters"),
        ));
    }
    Ok(Some(v.to_string()))
}

fn url_setting(field: &str, value: &Option<String>) -> Result<Option<String>> {
    let Some(v) = text_setting(field, value)? else {
        return Ok(None);
    };
    match url::Url::parse(&v) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
            match crate::vendors::common::endpoint::transport_problem(&u) {
                None => Ok(Some(v)),
                Some(problem) => Err(Error::validation(field, format!("{field} `{v}` {problem}"))),
            }
        }
        _ => Err(Error::validation(
            field,
            format!("{field} `{v}` is not an http(s) URL"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_from_one() {
        let text = "a = 1\nbb = 2\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        assert_eq!(line_col(text, 9), (2, 4));
    }

    #[test]
    fn names_are_trimmed_and_must_say_something() {
        assert_eq!(check_name("  Prod  ").unwrap(), "Prod");
        assert_eq!(check_name(" ").unwrap_err().code(), crate::Code::Validation);
        assert!(check_name("a\u{7}b").is_err());
        assert!(check_name(&"x".repeat(101)).is_err());
    }

    #[test]
    fn ids_are_safe_keychain_user_names() {
        assert!(check_id("3f2a-9c.prod_1").is_ok());
        assert!(check_id("").is_err());
        assert!(check_id("has space").is_err());
        assert!(check_id(&"a".repeat(65)).is_err());
        assert_eq!(id_from_name("  Prod IBM (EU) "), "prod-ibm-eu");
        assert_eq!(id_from_name("!!"), "account");
    }

    #[test]
    fn settings_are_trimmed_blank_dropped_and_urls_checked() {
        let s = AccountSettings {
            base_url: Some(" http://127.0.0.1:9000 ".into()),
            region: Some("   ".into()),
            tenancy: Some(" ocid1.tenancy.oc1..a ".into()),
            ..Default::default()
        };
        let c = check_settings(&s).unwrap();
        assert_eq!(c.base_url.as_deref(), Some("http://127.0.0.1:9000"));
        assert_eq!(c.region, None);
        assert_eq!(c.tenancy.as_deref(), Some("ocid1.tenancy.oc1..a"));

        let bad = AccountSettings {
            iam_url: Some("iam.cloud.ibm.com".into()),
            ..Default::default()
        };
        let err = check_settings(&bad).unwrap_err();
        assert_eq!(err.to_public().field.as_deref(), Some("iam_url"));

        let clear = AccountSettings {
            base_url: Some("http://api.example.com".into()),
            ..Default::default()
        };
        let err = check_settings(&clear).unwrap_err();
        assert_eq!(err.to_public().field.as_deref(), Some("base_url"));
        assert!(err.to_string().contains("must use https://"), "{err}");
    }
}
