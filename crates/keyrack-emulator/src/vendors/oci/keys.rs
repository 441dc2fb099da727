//! RSA key material: OCI fingerprints, upload validation, the seeded admin pair and demo keys.

use std::sync::OnceLock;

use md5::{Digest, Md5};
use rsa::pkcs8::{DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPrivateKey, RsaPublicKey};

/// Uploaded keys must be at least this large (signature checks accept any size, so that the
/// vendor's 1024-bit test vectors still verify).
pub const MIN_UPLOAD_BITS: usize = 2048;

/// Why an uploaded `key` was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyError {
    NotRsaPem,
    TooSmall,
}

/// `lowercase-hex(MD5(DER SubjectPublicKeyInfo))`, bytes joined by `:` (47 characters).
pub fn fingerprint(key: &RsaPublicKey) -> String {
    // Encoding a valid in-memory key cannot fail; an empty DER would only give a wrong but
    // harmless fingerprint, never a panic.
    let der = key
        .to_public_key_der()
        .map(|d| d.as_bytes().to_vec())
        .unwrap_or_default();
    let pairs: Vec<String> = Md5::digest(der)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    pairs.join(":")
}

/// Parse an SPKI (`-----BEGIN PUBLIC KEY-----`) RSA public key as OCI's upload accepts it.
pub fn parse_public_pem(pem: &str) -> Result<RsaPublicKey, KeyError> {
    RsaPublicKey::from_public_key_pem(pem.trim()).map_err(|_| KeyError::NotRsaPem)
}

/// Parse and check the upload rules (RSA, PEM, ≥ 2048 bits).
pub fn validate_upload(pem: &str) -> Result<RsaPublicKey, KeyError> {
    let key = parse_public_pem(pem)?;
    if key.n().bits() < MIN_UPLOAD_BITS {
        return Err(KeyError::TooSmall);
    }
    Ok(key)
}

pub fn public_pem(key: &RsaPublicKey) -> String {
    key.to_public_key_pem(LineEnding::LF).unwrap_or_default()
}

/// PKCS#8 `-----BEGIN PRIVATE KEY-----` PEM.
pub fn private_pkcs8_pem(key: &RsaPrivateKey) -> String {
    key.to_pkcs8_pem(LineEnding::LF)
        .map(|p| p.to_string())
        .unwrap_or_default()
}

/// The admin's signing pair, made once per process and shared by every emulator the process
/// starts (each test binary or app run still gets its own fresh pair; a `--state` file keeps it
/// across restarts). AWS-LC makes it in tens of milliseconds, where the `rsa` crate's prime
/// search took 0.1 s to over a second of a sandbox's first start.
pub fn admin_key_pair() -> &'static RsaPrivateKey {
    static PAIR: OnceLock<RsaPrivateKey> = OnceLock::new();
    PAIR.get_or_init(|| {
        use aws_lc_rs::encoding::AsDer;
        use rsa::pkcs8::DecodePrivateKey;
        let pair = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048)
            .expect("RSA-2048 key generation");
        let der = pair.as_der().expect("a new RSA key encodes as PKCS#8");
        RsaPrivateKey::from_pkcs8_der(der.as_ref()).expect("AWS-LC's PKCS#8 is readable")
    })
}

/// A well-formed 2048-bit RSA public key for demo data. Nobody ever holds a demo key's private
/// half, so a random odd modulus serves as well as a product of two primes and costs nothing,
/// while every demo key still gets its own fingerprint.
pub fn demo_public_key() -> RsaPublicKey {
    use rand::RngCore;
    let mut bytes = [0u8; 256];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes[0] |= 0x80; // exactly 2048 bits
    bytes[255] |= 0x01; // odd, as RSA moduli are
    let n = BigUint::from_bytes_be(&bytes);
    RsaPublicKey::new(n, BigUint::from(65_537u32)).unwrap_or_else(|_| demo_fallback())
}

fn demo_fallback() -> RsaPublicKey {
    RsaPublicKey::from(admin_key_pair())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_keys_are_valid_uploads_with_distinct_fingerprints() {
        let a = demo_public_key();
        let b = demo_public_key();
        let pem = public_pem(&a);
        assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
        let parsed = validate_upload(&pem).unwrap();
        assert_eq!(fingerprint(&parsed), fingerprint(&a));
        assert_ne!(fingerprint(&a), fingerprint(&b));
        assert_eq!(fingerprint(&a).len(), 47);
    }

    #[test]
    fn garbage_is_not_a_key() {
        assert_eq!(
            validate_upload("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")
                .unwrap_err(),
            KeyError::NotRsaPem
        );
        assert_eq!(validate_upload("hello").unwrap_err(), KeyError::NotRsaPem);
    }
}
