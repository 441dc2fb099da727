//! What the "add account" form asks for and where at the vendor each value is found, as each
//! vendor's descriptor declares it. Shared by the desktop form and the CLI's prompts so both
//! say the same thing.
//!
//! A field's `name` is `secret` (the credential), `passphrase` (the private key's passphrase,
//! for vendors whose credential is a key file), or the name of an
//! [`AccountSettings`](crate::model::AccountSettings) field.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::VendorId;

/// One input of the add-account form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AccountField {
    /// `secret`, `passphrase`, or an `AccountSettings` field name (`account_id`, `region`, …).
    pub name: String,
    pub label: String,
    /// Where to find the value at the vendor, and what it is for.
    pub help: String,
    pub required: bool,
    /// Goes to the keychain, never to the settings file; shown masked.
    pub secret: bool,
    /// A multi-line value (a PEM).
    pub multiline: bool,
}

/// The name of the field that carries the account's credential.
pub const SECRET: &str = "secret";
/// The name of the field that carries a private key's passphrase.
pub const PASSPHRASE: &str = "passphrase";

/// The add-account form for a vendor, in the order it is shown.
pub fn account_fields(vendor: VendorId) -> Vec<AccountField> {
    vendor.descriptor().account_fields()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AccountSettings;
    use crate::vendors;

    fn setting_names() -> Vec<String> {
        let json = serde_json::to_value(AccountSettings::default()).unwrap();
        json.as_object().unwrap().keys().cloned().collect()
    }

    #[test]
    fn every_field_is_the_credential_or_a_real_setting() {
        let settings = setting_names();
        for vendor in vendors::ids() {
            let fields = account_fields(vendor);
            let secrets: Vec<_> = fields.iter().filter(|f| f.name == SECRET).collect();
            assert_eq!(secrets.len(), 1, "{vendor}: exactly one credential field");
            assert!(secrets[0].required && secrets[0].secret, "{vendor}");
            for f in &fields {
                assert!(
                    f.name == SECRET || f.name == PASSPHRASE || settings.contains(&f.name),
                    "{vendor}: `{}` is not an account setting",
                    f.name
                );
                assert!(!f.label.trim().is_empty() && f.help.len() > 20, "{vendor}");
                assert_eq!(f.secret, f.name == SECRET || f.name == PASSPHRASE);
            }
            let mut names: Vec<_> = fields.iter().map(|f| &f.name).collect();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), fields.len(), "{vendor}: duplicate field");
        }
    }

    /// A passphrase only makes sense for a key file, and only a key file spans lines.
    #[test]
    fn only_a_multi_line_credential_has_a_passphrase() {
        for d in vendors::ALL {
            let fields = d.account_fields();
            let multiline: Vec<&str> = fields
                .iter()
                .filter(|f| f.multiline)
                .map(|f| f.name.as_str())
                .collect();
            assert!(multiline.is_empty() || multiline == [SECRET], "{}", d.key);
            assert_eq!(
                d.takes_passphrase(),
                d.credential_field().multiline,
                "{}",
                d.key
            );
        }
    }
}
