//! Where a key's secret lives on this machine: the files Keyrack saved or delivered it to
//! (remembered in settings — paths and labels, never the secret), and the standard files of the
//! vendor's own tools that hold it (each vendor's `Descriptor::tool_files`, read to find the
//! profile or context naming the key). The key's "Used in: …", and the files a rotation offers to
//! update in place.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::accounts::discover::Env;
use crate::export::replace::{self, ReplaceInput};
use crate::export::ExportInput;
use crate::model::{Account, KeyRecord};
use crate::secret::Sensitive;

/// A file Keyrack wrote a key's secret to: the reveal panel's saves, a rotation's delivery, a
/// profile added to a config file. The `[[key_place]]` tables of the settings file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KeyPlace {
    pub account_id: String,
    pub key_id: String,
    #[ts(type = "string")]
    pub path: PathBuf,
    /// What was written there: a format's label, "profile DEFAULT".
    pub what: String,
    pub saved_at: DateTime<Utc>,
}

/// One file on this machine that holds a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UsedIn {
    #[ts(type = "string")]
    pub path: PathBuf,
    /// The profile, context or variables holding it ("profile DEFAULT"), or what Keyrack wrote.
    pub what: String,
    /// Keyrack wrote it there (else it was found in the vendor's tools' own file).
    pub remembered: bool,
    /// A rotation can update it in place (it holds the key in a form Keyrack can replace).
    pub updatable: bool,
}

/// The files that hold `key`: the vendor's tools' standard files (where `env` says they are)
/// that name it, then
/// the files Keyrack remembers writing it to that still exist. Files that cannot be read are
/// left out (they are someone else's business, and this is a hint, not a check).
pub fn used_in(
    key: &KeyRecord,
    account: &Account,
    env: &Env,
    remembered: &[KeyPlace],
) -> Vec<UsedIn> {
    let mut found: Vec<UsedIn> = Vec::new();
    for path in (key.vendor.descriptor().local.tool_files)(env) {
        if let Some(what) = holds(&path, key, account) {
            found.push(UsedIn {
                path,
                what,
                remembered: false,
                updatable: true,
            });
        }
    }
    for place in remembered
        .iter()
        .filter(|p| p.account_id == key.account && p.key_id == key.id)
    {
        if found.iter().any(|f| f.path == place.path) || !place.path.is_file() {
            continue;
        }
        let what = holds(&place.path, key, account);
        found.push(UsedIn {
            path: place.path.clone(),
            updatable: what.is_some(),
            what: what.unwrap_or_else(|| place.what.clone()),
            remembered: true,
        });
    }
    found
}

/// What in the file at `path` holds `key` ("profile DEFAULT"), if anything Keyrack can replace
/// does: the rotation's replacer run dry, with the key standing in for its own replacement.
pub fn holds(path: &Path, key: &KeyRecord, account: &Account) -> Option<String> {
    let text = Sensitive::new(std::fs::read_to_string(path).ok()?);
    let placeholder = Sensitive::from("keyrack-used-in-check");
    replace::replace(&ReplaceInput {
        path,
        text: text.expose(),
        old: key,
        new: ExportInput {
            record: key,
            secret: &placeholder,
            account,
            key_file: None,
            profile: None,
        },
    })
    .ok()
    .map(|done| done.what)
}

/// `places` with `place` added, replacing an earlier entry for the same key and file.
pub fn remember(places: &mut Vec<KeyPlace>, place: KeyPlace) {
    places.retain(|p| {
        !(p.account_id == place.account_id && p.key_id == place.key_id && p.path == place.path)
    });
    places.push(place);
}
