//! RSA key material for OCI: the account's private signing key (PKCS#1, PKCS#8 or encrypted
//! PKCS#8), new key pairs generated on this computer, user-supplied public keys, and OCI
//! fingerprints (MD5 of the DER SubjectPublicKeyInfo, lowercase hex joined by `:`).

use md5::{Digest, Md5};
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding,
};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};

use crate::error::{Error, Result};
use crate::secret::Sensitive;

/// OCI refuses smaller uploads.
pub const MIN_KEY_BITS: usize = 2048;
pub const DEFAULT_KEY_BITS: usize = 2048;

/// A pair made on this computer: the private half never leaves it except through the user.
pub struct GeneratedPair {
    /// PKCS#8 `-----BEGIN PRIVATE KEY-----`.
    pub private_pem: Sensitive<String>,
    /// SubjectPublicKeyInfo `-----BEGIN PUBLIC KEY-----`: what is uploaded.
    pub public_pem: String,
    pub fingerprint: String,
}

impl std::fmt::Debug for GeneratedPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeneratedPair")
            .field("private_pem", &self.private_pem)
            .field("fingerprint", &self.fingerprint)
            .finish()
    }
}

/// Generate an RSA pair of `bits` bits. It can take a second: call it off the async workers.
pub fn generate(bits: usize) -> Result<GeneratedPair> {
    let private = match generate_with_aws_lc(bits) {
        Some(private) => private,
        None => RsaPrivateKey::new(&mut rand::thread_rng(), bits).map_err(|e| {
            Error::validation(
                "key_bits",
                format!("could not generate an RSA-{bits} key: {e}"),
            )
        })?,
    };
    let public = RsaPublicKey::from(&private);
    let private_pem = private
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| encode_error("private", e))?;
    Ok(GeneratedPair {
        // The `Zeroizing` original is wiped when it drops here.
        private_pem: Sensitive::new(private_pem.to_string()),
        public_pem: public_pem(&public)?,
        fingerprint: fingerprint(&public)?,
    })
}

/// AWS-LC (already built for TLS) finds an RSA-2048 key in tens of milliseconds where the
/// `rsa` crate's prime search takes from 0.1 s to over a second; it makes the sizes it lists.
fn generate_with_aws_lc(bits: usize) -> Option<RsaPrivateKey> {
    use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der};
    use aws_lc_rs::rsa::{KeyPair, KeySize};
    let size = match bits {
        2048 => KeySize::Rsa2048,
        3072 => KeySize::Rsa3072,
        4096 => KeySize::Rsa4096,
        8192 => KeySize::Rsa8192,
        _ => return None,
    };
    let pair = KeyPair::generate(size).ok()?;
    // The DER buffer is wiped when it drops.
    let der: Pkcs8V1Der<'static> = pair.as_der().ok()?;
    RsaPrivateKey::from_pkcs8_der(der.as_ref()).ok()
}

fn encode_error(which: &str, e: impl std::fmt::Display) -> Error {
    Error::Decode {
        message: format!("could not encode the {which} key as PEM: {e}"),
        raw: None,
    }
}

/// The SubjectPublicKeyInfo PEM (LF line endings, trailing newline).
pub fn public_pem(key: &RsaPublicKey) -> Result<String> {
    key.to_public_key_pem(LineEnding::LF)
        .map_err(|e| encode_error("public", e))
}

/// OCI's fingerprint of a public key.
pub fn fingerprint(key: &RsaPublicKey) -> Result<String> {
    let der = key
        .to_public_key_der()
        .map_err(|e| encode_error("public", e))?;
    Ok(colon_hex(&Md5::digest(der.as_bytes())))
}

fn colon_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Whether `s` looks like an OCI fingerprint (16 lowercase hex pairs joined by `:`).
pub fn is_fingerprint(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    parts.len() == 16
        && parts.iter().all(|p| {
            p.len() == 2
                && p.chars()
                    .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        })
}

/// A public key the user wants to upload: an RSA key in PEM (SubjectPublicKeyInfo, or PKCS#1
/// `RSA PUBLIC KEY`) of at least 2048 bits. Checked before anything is sent.
pub fn parse_public_pem(pem: &str) -> Result<RsaPublicKey> {
    let field = "public_key_pem";
    let (label, block) = first_pem_block(pem).ok_or_else(|| {
        Error::validation(
            field,
            "not a PEM public key: expected -----BEGIN PUBLIC KEY----- … -----END PUBLIC KEY-----",
        )
    })?;
    let key = match label {
        "PUBLIC KEY" => RsaPublicKey::from_public_key_pem(block).map_err(|_| {
            Error::validation(field, "the PEM is not an RSA public key (OCI needs RSA)")
        })?,
        "RSA PUBLIC KEY" => RsaPublicKey::from_pkcs1_pem(block)
            .map_err(|_| Error::validation(field, "the RSA PUBLIC KEY PEM could not be read"))?,
        other if other.contains("PRIVATE") => {
            return Err(Error::validation(
                field,
                "this is a private key: paste the public key (openssl rsa -pubout -in key.pem)",
            ))
        }
        other => {
            return Err(Error::validation(
                field,
                format!("a `{other}` PEM is not a public key; expected BEGIN PUBLIC KEY"),
            ))
        }
    };
    let bits = key.n().bits();
    if bits < MIN_KEY_BITS {
        return Err(Error::validation(
            field,
            format!("the key has {bits} bits; OCI needs an RSA key of at least {MIN_KEY_BITS}"),
        ));
    }
    Ok(key)
}

/// The account's private signing key, in any form the OCI SDKs read: PKCS#1
/// (`RSA PRIVATE KEY`), PKCS#8 (`PRIVATE KEY`) or encrypted PKCS#8 (`ENCRYPTED PRIVATE KEY`,
/// which needs `passphrase`). Text after the END line (the `OCI_API_KEY` label) is ignored.
pub fn load_private_key(pem: &str, passphrase: Option<&str>) -> Result<RsaPrivateKey> {
    let field = "private_key";
    let (label, block) = first_pem_block(pem).ok_or_else(|| {
        Error::validation(
            field,
            "the OCI credential must be the private key PEM (-----BEGIN PRIVATE KEY----- …)",
        )
    })?;
    match label {
        "RSA PRIVATE KEY" if block.contains("Proc-Type: 4,ENCRYPTED") => Err(Error::validation(
            field,
            "legacy OpenSSL-encrypted keys are not supported; convert it to encrypted PKCS#8 with \
             `openssl pkcs8 -topk8 -v2 aes-256-cbc -in key.pem -out key-pkcs8.pem`",
        )),
        "RSA PRIVATE KEY" => RsaPrivateKey::from_pkcs1_pem(block)
            .map_err(|e| Error::validation(field, format!("the RSA private key is damaged: {e}"))),
        "PRIVATE KEY" => RsaPrivateKey::from_pkcs8_pem(block).map_err(|e| {
            Error::validation(field, format!("not an RSA private key OCI can use: {e}"))
        }),
        "ENCRYPTED PRIVATE KEY" => {
            let passphrase = passphrase.filter(|p| !p.is_empty()).ok_or_else(|| {
                Error::validation(
                    "passphrase",
                    "the private key is encrypted: enter its passphrase",
                )
            })?;
            RsaPrivateKey::from_pkcs8_encrypted_pem(block, passphrase.as_bytes()).map_err(|_| {
                Error::validation(
                    "passphrase",
                    "the passphrase does not decrypt the private key (or the key is not RSA)",
                )
            })
        }
        other => Err(Error::validation(
            field,
            format!("a `{other}` PEM is not a private key; expected BEGIN PRIVATE KEY"),
        )),
    }
}

/// The first `-----BEGIN X-----` … `-----END X-----` block and its label `X`.
fn first_pem_block(text: &str) -> Option<(&str, &str)> {
    let start = text.find("-----BEGIN ")?;
    let rest = &text[start..];
    let label_end = rest["-----BEGIN ".len()..].find("-----")? + "-----BEGIN ".len();
    let label = &rest["-----BEGIN ".len()..label_end];
    let end_marker = format!("-----END {label}-----");
    let end = rest.find(&end_marker)? + end_marker.len();
    Some((label, &rest[..end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let path = format!("{}/tests/fixtures/oci/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    const REAL_FINGERPRINT: &str = "73:61:a2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7";

    #[test]
    fn fingerprint_hashes_the_spki_not_the_pkcs1_structure() {
        let public = RsaPublicKey::from_public_key_pem(&fixture("vector_public_key.pem")).unwrap();
        let fp = fingerprint(&public).unwrap();
        assert_eq!(fp, REAL_FINGERPRINT);
        assert_ne!(fp, "44:8a:d4:c2:c6:42:7c:a8:81:d8:ce:19:d0:c4:fc:33");
        assert!(is_fingerprint(&fp));
    }

    #[test]
    fn every_private_key_form_loads_the_same_key() {
        let expected = load_private_key(&fixture("vector_private_key_pkcs1.pem"), None).unwrap();
        let pkcs8 = load_private_key(&fixture("vector_private_key_pkcs8.pem"), None).unwrap();
        let encrypted = load_private_key(
            &fixture("vector_private_key_pkcs8_encrypted.pem"),
            Some("keyrack-test"),
        )
        .unwrap();
        assert_eq!(pkcs8, expected);
        assert_eq!(encrypted, expected);
        let public = RsaPublicKey::from(&expected);
        assert_eq!(fingerprint(&public).unwrap(), REAL_FINGERPRINT);
    }

    #[test]
    fn the_oci_api_key_label_after_the_pem_is_ignored() {
        let labelled = format!("{}OCI_API_KEY", fixture("vector_private_key_pkcs8.pem"));
        assert!(load_private_key(&labelled, None).is_ok());
    }

    #[test]
    fn encrypted_keys_need_the_right_passphrase() {
        let pem = fixture("vector_private_key_pkcs8_encrypted.pem");
        let missing = load_private_key(&pem, None).unwrap_err();
        assert!(matches!(&missing, Error::Validation { field, .. } if field == "passphrase"));
        let wrong = load_private_key(&pem, Some("nope")).unwrap_err();
        assert!(matches!(&wrong, Error::Validation { field, .. } if field == "passphrase"));
    }

    #[test]
    fn legacy_encrypted_pem_is_refused_with_a_conversion_hint() {
        let err = load_private_key(
            &fixture("vector_private_key_pkcs1_legacy_encrypted.pem"),
            Some("keyrack-test"),
        )
        .unwrap_err();
        assert!(err.to_string().contains("openssl pkcs8 -topk8"), "{err}");
    }

    #[test]
    fn non_keys_are_refused() {
        assert!(load_private_key("sk-admin-abc", None).is_err());
        assert!(load_private_key(&fixture("vector_public_key.pem"), None).is_err());
    }

    #[test]
    fn uploads_must_be_rsa_public_keys_of_2048_bits() {
        let small = parse_public_pem(&fixture("vector_public_key.pem")).unwrap_err();
        assert!(small.to_string().contains("1024 bits"), "{small}");
        let private = parse_public_pem(&fixture("vector_private_key_pkcs8.pem")).unwrap_err();
        assert!(private.to_string().contains("private key"), "{private}");
        let garbage =
            parse_public_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")
                .unwrap_err();
        assert!(matches!(garbage, Error::Validation { .. }));
        assert!(parse_public_pem("hello").is_err());
    }

    #[test]
    fn a_generated_pair_is_pkcs8_with_a_matching_public_half() {
        let pair = generate(DEFAULT_KEY_BITS).unwrap();
        let private = load_private_key(pair.private_pem.expose(), None).unwrap();
        assert!(pair
            .private_pem
            .expose()
            .starts_with("-----BEGIN PRIVATE KEY-----\n"));
        assert_eq!(private.n().bits(), 2048);
        let public = parse_public_pem(&pair.public_pem).unwrap();
        assert_eq!(public, RsaPublicKey::from(&private));
        assert_eq!(fingerprint(&public).unwrap(), pair.fingerprint);
        assert!(!format!("{pair:?}").contains("PRIVATE"));
    }

    /// Sizes AWS-LC makes and one it does not (the `rsa` crate's): each a valid key of its size
    /// with the usual exponent, and never the same key twice.
    #[test]
    fn every_size_generates_a_valid_fresh_key() {
        for bits in [2048, 2304, 3072] {
            assert_eq!(generate_with_aws_lc(bits).is_some(), bits != 2304);
            let pair = generate(bits).unwrap();
            let private = load_private_key(pair.private_pem.expose(), None).unwrap();
            private.validate().unwrap();
            assert_eq!(private.n().bits(), bits);
            assert_eq!(private.e(), &rsa::BigUint::from(65_537u32));
            assert_ne!(generate(bits).unwrap().fingerprint, pair.fingerprint);
        }
    }

    #[test]
    fn fingerprint_shape_is_checked() {
        assert!(is_fingerprint(REAL_FINGERPRINT));
        assert!(!is_fingerprint(
            "73:61:A2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7"
        ));
        assert!(!is_fingerprint("73:61"));
        assert!(!is_fingerprint("ocid1.user.oc1..x"));
    }
}
