//! What the "add account" form asks for, per vendor, and where at the vendor each value is
//! found. Shared by the desktop form and the CLI's prompts so both say the same thing.
//!
//! A field's `name` is `secret` (the credential), `passphrase` (OCI: the private key's
//! passphrase), or the name of an [`AccountSettings`](crate::model::AccountSettings) field.

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
/// The name of the field that carries an OCI private key's passphrase.
pub const PASSPHRASE: &str = "passphrase";

struct Field {
    name: &'static str,
    label: &'static str,
    help: &'static str,
    required: bool,
    multiline: bool,
}

const fn field(name: &'static str, label: &'static str, help: &'static str) -> Field {
    Field {
        name,
        label,
        help,
        required: false,
        multiline: false,
    }
}

const fn required(f: Field) -> Field {
    Field {
        required: true,
        ..f
    }
}

const fn multiline(f: Field) -> Field {
    Field {
        multiline: true,
        ..f
    }
}

const IBM: &[Field] = &[
    required(field(
        SECRET,
        "API key",
        "An IBM Cloud API key of a user or service ID that may manage API keys. Create one in \
         the console under Manage → Access (IAM) → API keys → Create, or with \
         `ibmcloud iam api-key-create NAME`. IBM shows the key only once.",
    )),
    field(
        "account_id",
        "Account ID",
        "The 32-character account ID, shown by `ibmcloud target` and in the console under \
         Manage → Account → Account settings. Leave empty to use the account the API key \
         belongs to.",
    ),
    field(
        "iam_id",
        "IAM ID",
        "The identity whose keys to manage: a user's IBMid-… or a service ID's \
         iam-ServiceId-… (Manage → Access (IAM) → Users or Service IDs → Details). Leave empty \
         for the API key's own identity.",
    ),
];

const SCALEWAY: &[Field] = &[
    required(field(
        "access_key",
        "Access key",
        "The access key (SCW…) of an API key whose bearer may manage IAM API keys. Create the \
         key in the Scaleway console under Organization → IAM → API keys → Generate API key.",
    )),
    required(field(
        SECRET,
        "Secret key",
        "The secret key (a UUID) shown next to the access key when the API key is generated. \
         Scaleway shows it only once.",
    )),
    field(
        "organization_id",
        "Organization ID",
        "Shown in the console under Organization settings (Organization ID). Leave empty to \
         use the organization of the API key.",
    ),
    field(
        "project_id",
        "Default project ID",
        "Optional: the project new keys use by default (Project dashboard → Settings → \
         Project ID). Without one, Scaleway uses the organization's default project.",
    ),
];

const OCI: &[Field] = &[
    required(field(
        "tenancy",
        "Tenancy OCID",
        "ocid1.tenancy.oc1..… — in the OCI console open the Profile menu → Tenancy: <name> and \
         copy the OCID; it is also the `tenancy` line of ~/.oci/config.",
    )),
    required(field(
        "user",
        "User OCID",
        "ocid1.user.oc1..… — Profile menu → My profile (User settings), copy the OCID; it is \
         also the `user` line of ~/.oci/config.",
    )),
    required(field(
        "region",
        "Region",
        "The tenancy's home region identifier, e.g. eu-frankfurt-1 (Profile menu → Tenancy → \
         Home region). API keys can only be changed in the home region.",
    )),
    required(field(
        "fingerprint",
        "Fingerprint",
        "The fingerprint (aa:bb:…, 16 pairs) of the API signing key below, listed under \
         My profile → API keys once its public key is added; it is also the `fingerprint` line \
         of ~/.oci/config.",
    )),
    required(multiline(field(
        SECRET,
        "Private key (PEM)",
        "The private key whose public half is registered under My profile → API keys: the \
         file downloaded with \"Generate API key pair\" or the `key_file` of ~/.oci/config. \
         Paste the whole PEM, BEGIN and END lines included.",
    ))),
    field(
        PASSPHRASE,
        "Key passphrase",
        "Only if the private key is encrypted (the `pass_phrase` of ~/.oci/config).",
    ),
];

const OPENAI: &[Field] = &[
    required(field(
        SECRET,
        "Admin key",
        "An organization admin key (sk-admin-…), created by an organization owner at \
         platform.openai.com/settings/organization/admin-keys. Project keys cannot manage \
         keys. OpenAI shows the key only once.",
    )),
    field(
        "organization_id",
        "Organization ID",
        "org-… from platform.openai.com/settings/organization/general. Leave empty for the \
         admin key's organization.",
    ),
    field(
        "project_id",
        "Default project ID",
        "Optional: proj_… of the project new keys go to by default \
         (platform.openai.com/settings/organization/projects).",
    ),
];

const CODEFRESH: &[Field] = &[
    required(field(
        SECRET,
        "API key",
        "A Codefresh API key, generated under User settings → API keys → Generate \
         (g.codefresh.io/user/settings). Codefresh shows it only once.",
    )),
    field(
        "base_url",
        "API URL",
        "Only for an on-premises installation: https://<your-host>/api. Leave empty for \
         Codefresh SaaS (https://g.codefresh.io/api).",
    ),
    field(
        "account_id",
        "Account ID",
        "Optional: the account the key should act in; Keyrack warns when the key's user is \
         not a member of it.",
    ),
];

/// The add-account form for a vendor, in the order it is shown.
pub fn account_fields(vendor: VendorId) -> Vec<AccountField> {
    let fields = match vendor {
        VendorId::Ibm => IBM,
        VendorId::Scaleway => SCALEWAY,
        VendorId::Oci => OCI,
        VendorId::Openai => OPENAI,
        VendorId::Codefresh => CODEFRESH,
    };
    fields
        .iter()
        .map(|f| AccountField {
            name: f.name.to_string(),
            label: f.label.to_string(),
            help: f.help.to_string(),
            required: f.required,
            secret: f.name == SECRET || f.name == PASSPHRASE,
            multiline: f.multiline,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AccountSettings;

    fn setting_names() -> Vec<String> {
        let json = serde_json::to_value(AccountSettings::default()).unwrap();
        json.as_object().unwrap().keys().cloned().collect()
    }

    #[test]
    fn every_field_is_the_credential_or_a_real_setting() {
        let settings = setting_names();
        for vendor in VendorId::ALL {
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

    #[test]
    fn oci_asks_for_what_request_signing_needs() {
        let fields = account_fields(VendorId::Oci);
        for name in ["tenancy", "user", "region", "fingerprint", SECRET] {
            assert!(
                fields.iter().any(|f| f.name == name && f.required),
                "{name}"
            );
        }
        let pem = fields.iter().find(|f| f.name == SECRET).unwrap();
        assert!(pem.multiline);
        let pass = fields.iter().find(|f| f.name == PASSPHRASE).unwrap();
        assert!(pass.secret && !pass.required);
        // Only OCI keys have a passphrase; only the PEM is multi-line.
        for vendor in VendorId::ALL.into_iter().filter(|v| *v != VendorId::Oci) {
            let fields = account_fields(vendor);
            assert!(fields.iter().all(|f| f.name != PASSPHRASE && !f.multiline));
        }
    }

    #[test]
    fn help_says_where_the_vendor_shows_each_credential() {
        let help = |v, name: &str| {
            account_fields(v)
                .into_iter()
                .find(|f| f.name == name)
                .unwrap()
                .help
        };
        assert!(help(VendorId::Ibm, SECRET).contains("ibmcloud iam api-key-create"));
        assert!(help(VendorId::Ibm, SECRET).contains("Access (IAM) → API keys"));
        assert!(help(VendorId::Scaleway, SECRET).contains("only once"));
        assert!(help(VendorId::Scaleway, "organization_id").contains("Organization settings"));
        assert!(help(VendorId::Openai, SECRET)
            .contains("platform.openai.com/settings/organization/admin-keys"));
        assert!(help(VendorId::Codefresh, SECRET).contains("User settings → API keys"));
        assert!(help(VendorId::Codefresh, "base_url").contains("on-premises"));
    }
}
