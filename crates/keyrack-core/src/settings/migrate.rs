//! Upgrades of older settings files to the current schema, one step per version, on the parsed
//! TOML table (so each step only knows the two layouts it connects).
//!
//! Version 0 (pre-release builds, no `version` key) looked like:
//!
//! ```toml
//! clipboard_seconds = 30
//! sandbox = false
//! theme = "dark"
//!
//! [[accounts]]
//! id = "…"
//! name = "Prod IBM"
//! vendor = "IBM"          # any case
//! sandbox = false         # sandbox accounts were saved too
//! [accounts.settings]
//! account_id = "…"
//! ```
//!
//! Version 1 moved the preferences under `[preferences]` (`clipboard_seconds` became
//! `clipboard_clear_secs`), named the account tables `[[account]]` with the settings inline (the
//! CLI accounts-file shape), and stopped saving sandbox accounts.

use toml::{Table, Value};

/// Version 0 → version 1. Keys it does not know are carried over, so the version-1 reader
/// reports them instead of them being lost.
pub fn v0_to_v1(mut old: Table) -> Result<Table, String> {
    let mut new = Table::new();
    new.insert("version".into(), Value::Integer(1));

    let mut preferences = Table::new();
    for (from, to) in [
        ("clipboard_seconds", "clipboard_clear_secs"),
        ("sandbox", "sandbox"),
        ("theme", "theme"),
    ] {
        if let Some(v) = old.remove(from) {
            preferences.insert(to.into(), v);
        }
    }
    if !preferences.is_empty() {
        new.insert("preferences".into(), Value::Table(preferences));
    }

    let mut accounts = Vec::new();
    if let Some(list) = old.remove("accounts") {
        let Value::Array(list) = list else {
            return Err("`accounts` is not a list of [[accounts]] tables".into());
        };
        for (i, item) in list.into_iter().enumerate() {
            let Value::Table(mut account) = item else {
                return Err(format!("account #{} is not a table", i + 1));
            };
            if account.remove("sandbox") == Some(Value::Boolean(true)) {
                continue;
            }
            if let Some(Value::String(vendor)) = account.get_mut("vendor") {
                *vendor = vendor.to_ascii_lowercase();
            }
            match account.remove("settings") {
                Some(Value::Table(settings)) => {
                    for (key, value) in settings {
                        if account.contains_key(&key) {
                            return Err(format!(
                                "account #{} sets `{key}` twice (inline and under settings)",
                                i + 1
                            ));
                        }
                        account.insert(key, value);
                    }
                }
                Some(_) => return Err(format!("account #{}: `settings` is not a table", i + 1)),
                None => {}
            }
            accounts.push(Value::Table(account));
        }
    }
    if !accounts.is_empty() {
        new.insert("account".into(), Value::Array(accounts));
    }

    // Anything left is unknown to both versions: keep it for the reader to name.
    for (key, value) in old {
        new.entry(key).or_insert(value);
    }
    Ok(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_preferences_and_flattens_account_settings() {
        let old: Table = toml::from_str(
            r#"
            clipboard_seconds = 30
            sandbox = false
            [[accounts]]
            id = "a1"
            name = "Prod"
            vendor = "IBM"
            sandbox = false
            [accounts.settings]
            account_id = "acc"
            [[accounts]]
            id = "sandbox-ibm"
            name = "IBM Cloud (Sandbox)"
            vendor = "ibm"
            sandbox = true
            "#,
        )
        .unwrap();
        let new = v0_to_v1(old).unwrap();
        assert_eq!(new["version"].as_integer(), Some(1));
        assert_eq!(
            new["preferences"]["clipboard_clear_secs"].as_integer(),
            Some(30)
        );
        assert_eq!(new["preferences"]["sandbox"].as_bool(), Some(false));
        let accounts = new["account"].as_array().unwrap();
        assert_eq!(accounts.len(), 1, "sandbox accounts are no longer saved");
        assert_eq!(accounts[0]["vendor"].as_str(), Some("ibm"));
        assert_eq!(accounts[0]["account_id"].as_str(), Some("acc"));
        assert!(accounts[0].get("settings").is_none());
    }

    #[test]
    fn a_setting_given_twice_is_refused() {
        let old: Table = toml::from_str(
            "[[accounts]]\nid='a'\nname='n'\nvendor='ibm'\nregion='x'\n[accounts.settings]\nregion='y'\n",
        )
        .unwrap();
        assert!(v0_to_v1(old).unwrap_err().contains("`region` twice"));
    }
}
