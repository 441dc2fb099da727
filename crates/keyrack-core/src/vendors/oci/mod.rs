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
mod discover;
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
use crate::model::{AccountSettings, Credential, OwnerKind};
use crate::vendor::{Capabilities, OwnerField, SecretSource};
use crate::vendor_fields::{PASSPHRASE, SECRET};

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
    FieldSpec::optional(
        "fingerprint",
        "Fingerprint",
        "Leave empty: Keyrack computes it from the private key below. If you enter one (aa:bb:…, \
         16 pairs, as listed under My profile → API keys and in the `fingerprint` line of \
         ~/.oci/config), it must be that key's.",
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
    replace: export::replace,
    terraform: terraform::SPEC,
    local: discover::LOCAL,
    complete,
};

/// The fingerprint is the private key's (MD5 of its public half, as OCI computes it): filled
/// in when the account has none, refused with both values when a typed one differs, since OCI
/// would only answer 401 to a keyId naming another key.
fn complete(settings: &mut AccountSettings, credential: &Credential) -> Result<()> {
    let typed = settings
        .fingerprint
        .as_deref()
        .map(|f| f.trim().to_ascii_lowercase())
        .filter(|f| !f.is_empty());
    if let Some(typed) = typed.as_deref().filter(|f| !keypair::is_fingerprint(f)) {
        return Err(Error::validation(
            "fingerprint",
            format!(
                "`{typed}` is not an OCI fingerprint (aa:bb:…, 16 pairs); leave the field empty \
                 to use the private key's"
            ),
        ));
    }
    let passphrase = credential.passphrase.as_ref().map(|p| p.expose().as_str());
    let key = keypair::load_private_key(credential.secret.expose(), passphrase)?;
    let actual = keypair::fingerprint(&rsa::RsaPublicKey::from(&key))?;
    match typed {
        Some(typed) if typed != actual => Err(Error::validation(
            "fingerprint",
            format!(
                "the fingerprint {typed} is not the private key's: the key's fingerprint is \
                 {actual}. Leave the field empty to use the key's, or paste the key that \
                 {typed} belongs to"
            ),
        )),
        _ => {
            settings.fingerprint = Some(actual);
            Ok(())
        }
    }
}

/// "Each user can have a maximum of three API signing keys."
pub const MAX_KEYS_PER_USER: u32 = 3;

/// The realm of each region outside the commercial one (`oc1`), and each realm's domain, as
/// OCI's SDKs define them (`regions_definitions.py`: `REGION_REALMS`, `REALMS`).
const REGION_REALMS: &[(&str, &str)] = &[
    ("us-langley-1", "oc2"),
    ("us-luke-1", "oc2"),
    ("us-gov-ashburn-1", "oc3"),
    ("us-gov-chicago-1", "oc3"),
    ("us-gov-phoenix-1", "oc3"),
    ("uk-gov-london-1", "oc4"),
    ("uk-gov-cardiff-1", "oc4"),
    ("ap-chiyoda-1", "oc8"),
    ("ap-ibaraki-1", "oc8"),
    ("me-dcc-muscat-1", "oc9"),
    ("me-ibri-1", "oc9"),
    ("ap-dcc-canberra-1", "oc10"),
    ("eu-dcc-milan-1", "oc14"),
    ("eu-dcc-milan-2", "oc14"),
    ("eu-dcc-dublin-2", "oc14"),
    ("eu-dcc-rating-2", "oc14"),
    ("eu-dcc-rating-1", "oc14"),
    ("eu-dcc-dublin-1", "oc14"),
    ("ap-dcc-gazipur-1", "oc15"),
    ("eu-madrid-2", "oc19"),
    ("eu-frankfurt-2", "oc19"),
    ("eu-jovanovac-1", "oc20"),
    ("me-dcc-doha-1", "oc21"),
    ("me-alrayyan-1", "oc21"),
    ("us-somerset-1", "oc23"),
    ("us-thames-1", "oc23"),
    ("eu-dcc-zurich-1", "oc24"),
    ("eu-crissier-1", "oc24"),
    ("me-abudhabi-3", "oc26"),
    ("me-alain-1", "oc26"),
    ("me-abudhabi-2", "oc29"),
    ("me-abudhabi-4", "oc29"),
    ("ap-seoul-2", "oc35"),
    ("ap-suwon-1", "oc35"),
    ("ap-chuncheon-2", "oc35"),
    ("us-ashburn-2", "oc42"),
    ("us-newark-1", "oc42"),
    ("eu-budapest-1", "oc51"),
    ("sa-riodejaneiro-1", "oc52"),
];

const REALM_DOMAINS: &[(&str, &str)] = &[
    ("oc1", "oraclecloud.com"),
    ("oc2", "oraclegovcloud.com"),
    ("oc3", "oraclegovcloud.com"),
    ("oc4", "oraclegovcloud.uk"),
    ("oc8", "oraclecloud8.com"),
    ("oc9", "oraclecloud9.com"),
    ("oc10", "oraclecloud10.com"),
    ("oc14", "oraclecloud14.com"),
    ("oc15", "oraclecloud15.com"),
    ("oc19", "oraclecloud.eu"),
    ("oc20", "oraclecloud20.com"),
    ("oc21", "oraclecloud21.com"),
    ("oc23", "oraclecloud23.com"),
    ("oc24", "oraclecloud24.com"),
    ("oc26", "oraclecloud26.com"),
    ("oc29", "oraclecloud29.com"),
    ("oc35", "oraclecloud35.com"),
    ("oc42", "oraclecloud42.com"),
    ("oc51", "oraclecloud51.com"),
    ("oc52", "oraclecloud52.com"),
];

/// The domain of a region's realm; a region the table does not know is in the commercial realm
/// (`oc1`), as the SDKs assume.
pub fn realm_domain(region: &str) -> &'static str {
    let realm = REGION_REALMS
        .iter()
        .find(|(r, _)| *r == region)
        .map_or("oc1", |(_, realm)| *realm);
    REALM_DOMAINS
        .iter()
        .find(|(r, _)| *r == realm)
        .map_or("oraclecloud.com", |(_, domain)| *domain)
}

/// The Identity endpoint of a region: `https://identity.{region}.oci.{realm domain}`, the
/// SDKs' template for the Identity service.
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
    Ok(format!(
        "https://identity.{region}.oci.{}",
        realm_domain(region)
    ))
}

pub fn capabilities() -> Capabilities {
    Capabilities {
        owner: Some(OwnerField {
            label: "User".into(),
            kinds: vec![OwnerKind::User],
            required: false,
            help: "Leave empty for the account's own user. Another user's keys need a tenancy \
                   administrator's credential; with one, the tenancy's users are listed here."
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
            "With a tenancy administrator's credential Keyrack lists every user's keys; \
             otherwise only the account's own user's."
                .into(),
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
        assert_eq!(
            endpoint("us-langley-1").unwrap(),
            "https://identity.us-langley-1.oci.oraclegovcloud.com"
        );
        assert_eq!(
            endpoint("us-gov-ashburn-1").unwrap(),
            "https://identity.us-gov-ashburn-1.oci.oraclegovcloud.com"
        );
        assert_eq!(
            endpoint("uk-gov-london-1").unwrap(),
            "https://identity.uk-gov-london-1.oci.oraclegovcloud.uk"
        );
        assert_eq!(
            endpoint("ap-chiyoda-1").unwrap(),
            "https://identity.ap-chiyoda-1.oci.oraclecloud8.com"
        );
        assert_eq!(
            endpoint("eu-frankfurt-2").unwrap(),
            "https://identity.eu-frankfurt-2.oci.oraclecloud.eu"
        );
        // A region the table does not know yet is taken to be commercial, as the SDKs do.
        assert_eq!(
            endpoint("xx-newplace-1").unwrap(),
            "https://identity.xx-newplace-1.oci.oraclecloud.com"
        );
        assert!(endpoint("us ashburn").is_err());
        assert!(endpoint("").is_err());
    }

    #[test]
    fn the_form_asks_for_what_request_signing_needs() {
        let fields = VENDOR.account_fields();
        for name in ["tenancy", "user", "region", SECRET] {
            assert!(
                fields.iter().any(|f| f.name == name && f.required),
                "{name}"
            );
        }
        let fp = fields.iter().find(|f| f.name == "fingerprint").unwrap();
        assert!(!fp.required, "computed from the key when left empty");
        let pem = fields.iter().find(|f| f.name == SECRET).unwrap();
        assert!(pem.multiline);
        let pass = fields.iter().find(|f| f.name == PASSPHRASE).unwrap();
        assert!(pass.secret && !pass.required);
        assert!(VENDOR.takes_passphrase());
    }

    fn fixture_key(name: &str) -> Credential {
        let path = format!("{}/tests/fixtures/oci/{name}", env!("CARGO_MANIFEST_DIR"));
        Credential::new(std::fs::read_to_string(path).unwrap())
    }

    const KEY_FINGERPRINT: &str = "73:61:a2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7";

    #[test]
    fn the_fingerprint_is_computed_from_the_key_and_a_wrong_one_says_both() {
        let mut settings = AccountSettings::default();
        complete(&mut settings, &fixture_key("vector_private_key_pkcs1.pem")).unwrap();
        assert_eq!(settings.fingerprint.as_deref(), Some(KEY_FINGERPRINT));

        let mut encrypted = fixture_key("vector_private_key_pkcs8_encrypted.pem");
        encrypted.passphrase = Some("keyrack-test".into());
        let mut typed = AccountSettings {
            fingerprint: Some(KEY_FINGERPRINT.to_ascii_uppercase()),
            ..AccountSettings::default()
        };
        complete(&mut typed, &encrypted).unwrap();
        assert_eq!(typed.fingerprint.as_deref(), Some(KEY_FINGERPRINT));

        let wrong = "20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34";
        let mut bad = AccountSettings {
            fingerprint: Some(wrong.into()),
            ..AccountSettings::default()
        };
        let e = complete(&mut bad, &fixture_key("vector_private_key_pkcs8.pem")).unwrap_err();
        assert_eq!(e.to_public().field.as_deref(), Some("fingerprint"));
        let text = e.to_string();
        assert!(
            text.contains(wrong) && text.contains(KEY_FINGERPRINT),
            "{text}"
        );
        assert_eq!(bad.fingerprint.as_deref(), Some(wrong), "left as typed");

        // A typed value that is no fingerprint is named first, whatever the key.
        let mut garbled = AccountSettings {
            fingerprint: Some("not-a-fingerprint".into()),
            ..AccountSettings::default()
        };
        let e = complete(&mut garbled, &Credential::new("not a key")).unwrap_err();
        assert_eq!(e.to_public().field.as_deref(), Some("fingerprint"));
        assert!(e.to_string().contains("not an OCI fingerprint"), "{e}");

        let e = complete(
            &mut AccountSettings::default(),
            &Credential::new("not a key"),
        )
        .unwrap_err();
        assert_eq!(e.to_public().field.as_deref(), Some("private_key"));
    }

    #[test]
    fn capabilities_state_the_limit_and_key_pairs() {
        let caps = capabilities();
        assert_eq!(caps.max_keys_per_owner, Some(3));
        assert_eq!(caps.secret_source, SecretSource::LocalKeyPair);
        assert!(caps.upload_public_key && caps.delete && !caps.rename);
    }
}
