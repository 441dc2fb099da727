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
pub mod keypair;
pub mod record;
pub mod sign;
pub mod wire;

pub use client::OciClient;
pub use config_file::{read_profile, ConfigProfile, ConfigStanza};

use crate::error::{Error, Result};
use crate::model::{OwnerKind, VendorId};
use crate::vendor::{Capabilities, OwnerField, SecretSource};

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
        vendor: VendorId::Oci,
        vendor_name: VendorId::Oci.display_name().to_string(),
        key_noun: "API signing key".into(),
        id_label: "Fingerprint".into(),
        name: None,
        description: None,
        expiry: false,
        scopes: Vec::new(),
        owner: Some(OwnerField {
            label: "User".into(),
            kinds: vec![OwnerKind::User],
            required: false,
            help: "Leave empty for the account's own user. Another user's OCID needs a tenancy \
                   administrator's credential."
                .into(),
        }),
        project: None,
        project_label: None,
        lock_on_create: false,
        disable_on_create: false,
        leak_actions: Vec::new(),
        rename: false,
        update_description: false,
        update_scopes: false,
        update_project: false,
        lock: false,
        disable: false,
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
    fn capabilities_state_the_limit_and_key_pairs() {
        let caps = capabilities();
        assert_eq!(caps.max_keys_per_owner, Some(3));
        assert_eq!(caps.secret_source, SecretSource::LocalKeyPair);
        assert!(caps.upload_public_key && caps.delete && !caps.rename);
    }
}
