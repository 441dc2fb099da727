//! The settings file: accounts (non-secret settings only) and app preferences, in one TOML file
//! in the platform config directory (`~/.config/keyrack/settings.toml` on Linux).
//!
//! ```toml
//! version = 1
//!
//! [preferences]
//! clipboard_clear_secs = 45
//! expiring_soon_days = 7
//! sandbox = true
//! theme = "system"
//!
//! [[account]]
//! name = "Prod IBM"
//! vendor = "ibm"
//! id = "6f0c2a9e-…"
//! account_id = "0a1b2c…"
//! ```
//!
//! - `version` says which schema the file follows; older files are upgraded on load
//!   ([`migrate`]) and written back in the current schema on the next save, after a backup.
//! - A file that cannot be read (bad TOML, an unknown key, a newer version) gives an error naming
//!   the line, and defaults are used. The file is never overwritten silently: the next save first
//!   copies it to `settings.toml.broken-<time>`.
//! - Writes are atomic (temp file, fsync, rename) with mode 0600. No secret is ever written
//!   here: a `secret` key in this file is refused.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize};
use ts_rs::TS;

use crate::accounts::record::{self, RecordIn, RecordOut};
use crate::error::{Error, Result};
use crate::model::Account;

pub mod migrate;

/// The schema version this build writes.
pub const VERSION: i64 = 1;
pub const FILE_NAME: &str = "settings.toml";
/// Overrides the config directory (tests, the end-to-end suite).
pub const CONFIG_DIR_ENV: &str = "KEYRACK_CONFIG_DIR";
/// Overrides the data directory (where the sandbox keeps its state).
pub const DATA_DIR_ENV: &str = "KEYRACK_DATA_DIR";

/// Where Keyrack keeps its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub config_dir: PathBuf,
    pub data_dir: PathBuf,
}

impl Paths {
    /// `$KEYRACK_CONFIG_DIR` / `$KEYRACK_DATA_DIR` when set, else the platform directories
    /// (`dirs::config_dir()/keyrack`, `dirs::data_dir()/keyrack`).
    pub fn from_env() -> Result<Paths> {
        let pick = |var: &str, base: Option<PathBuf>, what: &str| -> Result<PathBuf> {
            match std::env::var_os(var).filter(|v| !v.is_empty()) {
                Some(dir) => Ok(PathBuf::from(dir)),
                None => base.map(|b| b.join("keyrack")).ok_or_else(|| {
                    Error::config(format!(
                        "no {what} directory is known for this user (is HOME set?); set {var}"
                    ))
                }),
            }
        };
        Ok(Paths {
            config_dir: pick(CONFIG_DIR_ENV, dirs::config_dir(), "config")?,
            data_dir: pick(DATA_DIR_ENV, dirs::data_dir(), "data")?,
        })
    }

    /// Both directories under one root, for tests.
    pub fn under(root: &Path) -> Paths {
        Paths {
            config_dir: root.join("config"),
            data_dir: root.join("data"),
        }
    }

    pub fn settings_file(&self) -> PathBuf {
        self.config_dir.join(FILE_NAME)
    }

    /// The sandbox emulator's `--state` file, so sandbox keys survive a restart.
    pub fn sandbox_state_file(&self) -> PathBuf {
        self.data_dir.join("sandbox-state.json")
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

pub const CLIPBOARD_CLEAR_SECS: std::ops::RangeInclusive<u32> = 5..=600;
pub const EXPIRING_SOON_DAYS: std::ops::RangeInclusive<u32> = 1..=365;
/// Age and last-use thresholds, in days; 0 turns the rule off.
pub const AGE_DAYS: std::ops::RangeInclusive<u32> = 0..=3650;
/// Scheduled refresh, in hours; 0 turns it off.
pub const REFRESH_HOURS: std::ops::RangeInclusive<u32> = 0..=168;

/// Non-secret app preferences, the `[preferences]` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
pub struct Preferences {
    /// Seconds after which a copied secret is cleared from the clipboard.
    #[serde(deserialize_with = "clipboard_secs")]
    pub clipboard_clear_secs: u32,
    /// A key expiring within this many days needs attention.
    #[serde(deserialize_with = "expiring_days")]
    pub expiring_soon_days: u32,
    /// A key older than this many days needs attention (0: never).
    pub older_than_days: u32,
    /// Also for keys Keyrack cannot make a replacement for (e.g. OpenAI keys of users, which
    /// only the dashboard can create): off by default, since nothing can be done about them here.
    pub age_of_unrotatable: bool,
    /// A key unused for this many days needs attention, where the vendor reports last use
    /// (0: never).
    pub unused_for_days: u32,
    /// Per account (by id): thresholds that differ from the ones above.
    pub account_rules: std::collections::BTreeMap<String, AccountRules>,
    /// While Keyrack runs, refresh every account's keys this often, in hours (0: never).
    pub refresh_hours: u32,
    /// No desktop notifications.
    pub quiet: bool,
    /// Start Keyrack (in the tray) when the user logs in.
    pub start_at_login: bool,
    /// Start the built-in emulator with one sandbox account per vendor.
    pub sandbox: bool,
    pub theme: Theme,
    /// List the keys of archived projects too (OpenAI), which vendors hide by default.
    pub include_archived: bool,
}

/// Thresholds one account uses instead of the preferences' (`None`: the preference).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
pub struct AccountRules {
    pub expiring_soon_days: Option<u32>,
    pub older_than_days: Option<u32>,
    pub unused_for_days: Option<u32>,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            clipboard_clear_secs: 45,
            expiring_soon_days: 14,
            older_than_days: 90,
            age_of_unrotatable: false,
            unused_for_days: 90,
            account_rules: Default::default(),
            refresh_hours: 6,
            quiet: false,
            start_at_login: false,
            sandbox: true,
            theme: Theme::System,
            include_archived: false,
        }
    }
}

impl Preferences {
    pub fn check(&self) -> Result<()> {
        in_range(
            "clipboard_clear_secs",
            self.clipboard_clear_secs,
            &CLIPBOARD_CLEAR_SECS,
        )
        .map_err(|m| Error::validation("clipboard_clear_secs", m))?;
        in_range(
            "expiring_soon_days",
            self.expiring_soon_days,
            &EXPIRING_SOON_DAYS,
        )
        .map_err(|m| Error::validation("expiring_soon_days", m))?;
        for (field, value) in [
            ("older_than_days", self.older_than_days),
            ("unused_for_days", self.unused_for_days),
        ] {
            in_range(field, value, &AGE_DAYS).map_err(|m| Error::validation(field, m))?;
        }
        in_range("refresh_hours", self.refresh_hours, &REFRESH_HOURS)
            .map_err(|m| Error::validation("refresh_hours", m))?;
        for rules in self.account_rules.values() {
            if let Some(days) = rules.expiring_soon_days {
                in_range("expiring_soon_days", days, &EXPIRING_SOON_DAYS)
                    .map_err(|m| Error::validation("account_rules", m))?;
            }
            for days in [rules.older_than_days, rules.unused_for_days]
                .into_iter()
                .flatten()
            {
                in_range("days", days, &AGE_DAYS)
                    .map_err(|m| Error::validation("account_rules", m))?;
            }
        }
        Ok(())
    }
}

fn in_range(
    field: &str,
    value: u32,
    range: &std::ops::RangeInclusive<u32>,
) -> std::result::Result<(), String> {
    if range.contains(&value) {
        Ok(())
    } else {
        Err(format!(
            "{field} is {value}; it must be {} to {}",
            range.start(),
            range.end()
        ))
    }
}

fn clipboard_secs<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<u32, D::Error> {
    let v = u32::deserialize(d)?;
    in_range("clipboard_clear_secs", v, &CLIPBOARD_CLEAR_SECS).map_err(serde::de::Error::custom)?;
    Ok(v)
}

fn expiring_days<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<u32, D::Error> {
    let v = u32::deserialize(d)?;
    in_range("expiring_soon_days", v, &EXPIRING_SOON_DAYS).map_err(serde::de::Error::custom)?;
    Ok(v)
}

/// Everything the settings file holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    pub preferences: Preferences,
    /// Real accounts only; sandbox accounts are made afresh on every start.
    pub accounts: Vec<Account>,
    /// What the user said about single keys (snoozed, expected): the `[[key_note]]` tables.
    pub key_notes: Vec<crate::attention::KeyNote>,
    /// Where Keyrack saved or delivered each key's secret (paths only): the `[[key_place]]`
    /// tables.
    pub key_places: Vec<crate::places::KeyPlace>,
}

/// What `load` found on disk, which decides what `save` must keep first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileState {
    /// No file yet.
    Missing,
    /// A file in the current schema.
    Current,
    /// A file in an older schema, read through `migrate`; backed up before the first save.
    Migrated { from: i64 },
    /// A file that could not be used; kept aside before the first save.
    Unusable,
}

#[derive(Debug)]
pub struct Loaded {
    pub settings: Settings,
    pub state: FileState,
    /// Why the file could not be used (then `settings` are the defaults).
    pub problem: Option<Error>,
}

/// Read the settings file. Never fails: a problem comes back next to the defaults.
pub fn load(path: &Path) -> Loaded {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Loaded {
                settings: Settings::default(),
                state: FileState::Missing,
                problem: None,
            }
        }
        Err(e) => return unusable(path, &format!("could not be read: {e}")),
    };
    match parse(&text) {
        Ok((settings, version)) => Loaded {
            settings,
            state: if version == VERSION {
                FileState::Current
            } else {
                FileState::Migrated { from: version }
            },
            problem: None,
        },
        Err(detail) => unusable(path, &detail),
    }
}

fn unusable(path: &Path, detail: &str) -> Loaded {
    tracing::warn!(file = %path.display(), "settings file unusable; using defaults");
    Loaded {
        settings: Settings::default(),
        state: FileState::Unusable,
        problem: Some(Error::config(format!(
            "{}: {detail}. Keyrack started with default settings and left the file as it is: \
             fix it and restart, or change a setting here to start afresh (the file is then kept \
             as {}.broken-<time>).",
            path.display(),
            FILE_NAME
        ))),
    }
}

/// The file as written by this build.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn {
    #[allow(dead_code)] // checked before this is read
    version: i64,
    #[serde(default)]
    preferences: Preferences,
    #[serde(default)]
    account: Vec<RecordIn>,
    #[serde(default)]
    key_note: Vec<crate::attention::KeyNote>,
    #[serde(default)]
    key_place: Vec<crate::places::KeyPlace>,
}

#[derive(Serialize)]
struct FileOut<'a> {
    version: i64,
    preferences: &'a Preferences,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    account: Vec<RecordOut<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    key_note: &'a [crate::attention::KeyNote],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    key_place: &'a [crate::places::KeyPlace],
}

#[derive(Deserialize)]
struct VersionProbe {
    #[serde(default)]
    version: Option<i64>,
}

/// Parse a settings file of any known version; the `Err` is a message naming the line.
pub fn parse(text: &str) -> std::result::Result<(Settings, i64), String> {
    let probe: VersionProbe = toml::from_str(text).map_err(|e| record::toml_error_at(text, &e))?;
    let version = probe.version.unwrap_or(0);
    match version {
        VERSION => Ok((parse_current(text)?, VERSION)),
        0 => {
            let table: toml::Table = toml::from_str(text).map_err(|e| e.message().to_string())?;
            let upgraded = toml::to_string(&migrate::v0_to_v1(table)?)
                .map_err(|e| format!("could not upgrade it from version 0: {e}"))?;
            let settings = parse_current(&upgraded)
                .map_err(|e| format!("after upgrading it from version 0, {e}"))?;
            Ok((settings, 0))
        }
        v if v > VERSION => Err(format!(
            "it is version {v}, written by a newer Keyrack; this one reads up to version {VERSION}"
        )),
        v => Err(format!("version {v} is not a settings file version")),
    }
}

fn parse_current(text: &str) -> std::result::Result<Settings, String> {
    let file: FileIn = toml::from_str(text).map_err(|e| record::toml_error_at(text, &e))?;
    let mut accounts: Vec<Account> = Vec::with_capacity(file.account.len());
    for rec in file.account {
        let fail = |m: &str| record::at_line(text, &rec.name, m);
        if let Some(secret) = rec.secret.as_ref().or(rec.passphrase.as_ref()) {
            return Err(record::at_line(
                text,
                secret,
                "secrets do not belong in settings.toml (credentials are kept in the OS \
                 keychain); remove the line and enter the credential in Accounts",
            ));
        }
        let Some(id) = &rec.id else {
            return Err(fail("the account has no `id`"));
        };
        let id = record::check_id(id.get_ref())
            .map_err(|e| record::at_line(text, id, &e.to_string()))?;
        if accounts.iter().any(|a| a.id == id) {
            return Err(fail(&format!("a second account with id `{id}`")));
        }
        let name = record::check_name(rec.name.get_ref()).map_err(|e| fail(&e.to_string()))?;
        let settings = record::check_settings(&rec.settings()).map_err(|e| fail(&e.to_string()))?;
        accounts.push(Account {
            id,
            name,
            vendor: rec.vendor,
            sandbox: false,
            settings,
        });
    }
    Ok(Settings {
        preferences: file.preferences,
        accounts,
        key_notes: file.key_note,
        key_places: file.key_place,
    })
}

/// The file's text for these settings.
pub fn to_toml(settings: &Settings) -> Result<String> {
    let out = FileOut {
        version: VERSION,
        preferences: &settings.preferences,
        account: settings
            .accounts
            .iter()
            .filter(|a| !a.sandbox)
            .map(RecordOut::from)
            .collect(),
        key_note: &settings.key_notes,
        key_place: &settings.key_places,
    };
    let body = toml::to_string(&out)
        .map_err(|e| Error::config(format!("could not write the settings: {e}")))?;
    Ok(format!(
        "# Keyrack settings. No secrets here: each account's credential is in the OS keychain.\n\
         {body}"
    ))
}

/// Write the settings atomically (mode 0600). A file that was unusable or older is kept aside
/// first. Returns the state the file is in afterwards.
pub fn save(path: &Path, settings: &Settings, state: FileState) -> Result<FileState> {
    let text = to_toml(settings)?;
    let keep_as = match state {
        FileState::Unusable => Some(format!(
            "{FILE_NAME}.broken-{}",
            chrono::Utc::now().format("%Y%m%dT%H%M%SZ")
        )),
        FileState::Migrated { from } => Some(format!("{FILE_NAME}.v{from}.bak")),
        FileState::Missing | FileState::Current => None,
    };
    if let Some(name) = keep_as {
        let backup = path.with_file_name(name);
        match std::fs::copy(path, &backup) {
            Ok(_) => tracing::info!(backup = %backup.display(), "previous settings file kept"),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(Error::io(
                    &format!(
                        "could not keep the old settings file as {}",
                        backup.display()
                    ),
                    e,
                ))
            }
        }
    }
    crate::fsutil::write_private(path, text.as_bytes(), crate::fsutil::Overwrite::Replace)?;
    Ok(FileState::Current)
}
