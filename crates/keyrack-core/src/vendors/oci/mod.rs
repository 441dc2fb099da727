//! Oracle Cloud Infrastructure: a user's API signing keys (Identity API 20160918).
//!
//! - Auth: every request is signed with the account's own API signing key (`sign.rs`); the
//!   credential secret is that private key's PEM (PKCS#1, PKCS#8, or encrypted PKCS#8 with
//!   `Credential.passphrase`), the settings hold tenancy, user, fingerprint and region.
//! - Create: Keyrack generates an RSA pair on this computer, uploads the public half and hands
//!   back the private PEM once; or it uploads a public key the user supplies (`keypair.rs`).
//! - Ids: a key is addressed by (user, fingerprint); `KeyRecord.id` is the fingerprint for the
//!   account's own user and `<user OCID>/<fingerprint>` for another user's key (`record.rs`).
//! - OCI allows 3 keys per user; Keyrack counts them and refuses a 4th before sending.
//! - `config_file.rs` reads `~/.oci/config` profiles and renders the stanza for a new key.

mod client;
pub mod config_file;
mod errors;
pub mod export;
mod extra;
pub mod keypair;
pub mod record;
pub mod sign;
mod terraform;
pub mod wire;

pub use client::OciClient;
pub use config_file::{read_profile, ConfigProfile, ConfigStanza};
pub use extra::OciExtra;

use super::{connect, Descriptor, FieldSpec, SandboxEntry, VendorId};
use crate::error::{Error, Result};
use crate::model::OwnerKind;
use crate::vendor::{Capabilities, OwnerField, SecretSource};
use crate::vendor_fields::{PASSPHRASE, SECRET};

pub static VENDOR: Descriptor = Descriptor {
    id: VendorId::Oci,
    key: "oci",
    name: "Oracle Cloud (OCI)",
    short_name: "Oracle Cloud",
    capabilities,
    account_fields: FIELDS,
    connect: connect::<OciClient>,
    sandbox: SandboxEntry {
        secret: "private_key_pem",
        settings: &["region", "tenancy", "user", "fingerprint"],
    },
    formats: export::FORMATS,
    terraform: terraform::SPEC,
};

const FIELDS: &[FieldSpec] = &[
    FieldSpec::required(
        "tenancy",
        "Tenancy OCID",
        "ocid1.tenancy.oc1..… — in the OCI console open the Profile menu → Tenancy: <name> and \
         copy the OCID; it is also the `tenancy` line of ~/.oci/config.",
    ),
    FieldSpec::required(
        "user",
        "User OCID",
        "ocid1.user.oc1..… — Profile menu → My profile (User settings), copy the OCID; it is \
         also the `user` line of ~/.oci/config.",
    ),
    FieldSpec::required(
        "region",
        "Region",
        "The tenancy's home region identifier, e.g. eu-frankfurt-1 (Profile menu → Tenancy → \
         Home region). API keys can only be changed in the home region.",
    ),
    FieldSpec::required(
        "fingerprint",
        "Fingerprint",
        "The fingerprint (aa:bb:…, 16 pairs) of the API signing key below, listed under \
         My profile → API keys once its public key is added; it is also the `fingerprint` line \
         of ~/.oci/config.",
    ),
    FieldSpec::required(
        SECRET,
        "Private key (PEM)",
        "The private key whose public half is registered under My profile → API keys: the \
         file downloaded with \"Generate API key pair\" or the `key_file` of ~/.oci/config. \
         Paste the whole PEM, BEGIN and END lines included.",
    )
    .multiline(),
    FieldSpec::optional(
        PASSPHRASE,
        "Key passphrase",
        "Only if the private key is encrypted (the `pass_phrase` of ~/.oci/config).",
    ),
];

/// "Each user can have a maximum of three API signing keys."
pub const MAX_KEYS_PER_USER: u32 = 3;

/// The Identity endpoint of a region in the commercial realm.
pub fn endpoint(region: &str) -> Result<String> {
    let region = region.trim();
    let valid = !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid {
        return Err(Error::config(format!(
            "`{region}` is not an OCI region identifier (e.g. eu-frankfurt-1)"
        )));
    }
    Ok(format!("https://identity.{region}.oci.oraclecloud.com"))
}

pub fn capabilities() -> Capabilities {
    Capabilities {
        owner: Some(OwnerField {
            label: "User".into(),
            kinds: vec![OwnerKind::User],
            required: false,
            help: "Leave empty for the account's own user. Another user's OCID needs a tenancy \
                   administrator's credential."
                .into(),
        }),
        delete: true,
        max_keys_per_owner: Some(MAX_KEYS_PER_USER),
        secret_source: SecretSource::LocalKeyPair,
        upload_public_key: true,
        notes: vec![
            "Keyrack generates the RSA key pair on this computer and uploads only the public \
             key; the private key is shown once — save it."
                .into(),
            format!("OCI allows at most {MAX_KEYS_PER_USER} API signing keys per user."),
            "API signing keys have no name, description or expiry; they are known by their \
             fingerprint."
                .into(),
            "Keys are changed in the tenancy's home region: set the account's region to it.".into(),
            "A new key is briefly CREATING before it can sign requests.".into(),
        ],
        ..Capabilities::new(VendorId::Oci, "API signing key", "Fingerprint")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_gives_the_identity_endpoint() {
        assert_eq!(
            endpoint("us-ashburn-1").unwrap(),
            "https://identity.us-ashburn-1.oci.oraclecloud.com"
        );
        assert!(endpoint("us ashburn").is_err());
        assert!(endpoint("").is_err());
    }

    #[test]
    fn the_form_asks_for_what_request_signing_needs() {
        let fields = VENDOR.account_fields();
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
        assert!(VENDOR.takes_passphrase());
    }

    #[test]
    fn capabilities_state_the_limit_and_key_pairs() {
        let caps = capabilities();
        assert_eq!(caps.max_keys_per_owner, Some(3));
        assert_eq!(caps.secret_source, SecretSource::LocalKeyPair);
        assert!(caps.upload_public_key && caps.delete && !caps.rename);
    }
}
