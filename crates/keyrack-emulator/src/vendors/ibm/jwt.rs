//! IAM access tokens: real JWTs (`header.payload.signature`, base64url) that any client can
//! decode for `exp`, `iat`, `iam_id` and `account.bss`, signed HS256 with the state's signing
//! key so the emulator can check them without remembering every token it issued.
//! Like IAM, a token stays valid until it expires, even if its key is deleted meanwhile.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::model::{Identity, IdentityKind};

/// Lifetime of an access token, in seconds (IAM's is at most one hour).
pub const TOKEN_TTL_SECS: i64 = 3600;

/// Who a verified token speaks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Caller {
    pub iam_id: String,
    pub account_id: String,
}

/// Mint a token for `identity`, valid from `iat` to `exp` (unix seconds). Public so tests can
/// make an already-expired one.
pub fn mint(signing_key: &str, issuer: &str, identity: &Identity, iat: i64, exp: i64) -> String {
    let header = json!({ "kid": "keyrack-emulator", "alg": "HS256", "typ": "JWT" });
    let sub_type = match identity.kind {
        IdentityKind::User => "user",
        IdentityKind::ServiceId => "ServiceId",
    };
    let mut payload = json!({
        "iam_id": identity.iam_id,
        "id": identity.iam_id,
        "realmid": "iam",
        "jti": crate::util::uuid(),
        "identifier": identity.iam_id,
        "sub": identity.iam_id,
        "sub_type": sub_type,
        "name": identity.name,
        "account": { "valid": true, "bss": identity.account_id },
        "iat": iat,
        "exp": exp,
        "iss": format!("{issuer}/identity"),
        "grant_type": "urn:ibm:params:oauth:grant-type:apikey",
        "scope": "ibm openid",
        "client_id": "default",
        "acr": 1,
        "amr": ["pwd"],
    });
    if let Some(ims) = identity.ims_user_id {
        payload["ims_user_id"] = json!(ims);
    }
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    );
    let signature = hmac_sha256(signing_key.as_bytes(), signing_input.as_bytes());
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

#[derive(Deserialize)]
struct Claims {
    iam_id: String,
    account: Account,
    exp: i64,
}

#[derive(Deserialize)]
struct Account {
    bss: String,
}

/// Why a bearer token was refused; the message is safe to return to the caller.
#[derive(Debug, PartialEq)]
pub enum Invalid {
    Malformed,
    BadSignature,
    Expired,
}

/// Check the signature and expiry of a token this emulator issued.
pub fn verify(signing_key: &str, token: &str, now: i64) -> Result<Caller, Invalid> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Invalid::Malformed);
    };
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| Invalid::Malformed)?;
    let expected = hmac_sha256(
        signing_key.as_bytes(),
        format!("{header}.{payload}").as_bytes(),
    );
    if !constant_time_eq(&signature, &expected) {
        return Err(Invalid::BadSignature);
    }
    let payload = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| Invalid::Malformed)?;
    let claims: Claims = serde_json::from_slice(&payload).map_err(|_| Invalid::Malformed)?;
    if claims.exp <= now {
        return Err(Invalid::Expired);
    }
    Ok(Caller {
        iam_id: claims.iam_id,
        account_id: claims.account.bss,
    })
}

/// HMAC-SHA256 (RFC 2104), small enough not to need another dependency.
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut block_key = [0u8; BLOCK];
    if key.len() > BLOCK {
        block_key[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block_key[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block_key.map(|b| b ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity() -> Identity {
        Identity {
            iam_id: "IBMid-6900012ABC".into(),
            kind: IdentityKind::User,
            name: "Ada".into(),
            account_id: "0a1b2c3d4e5f60718293a4b5c6d7e8f9".into(),
            ims_user_id: Some(1234567),
            created_at: None,
        }
    }

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn minted_token_verifies_until_it_expires() {
        let token = mint("k", "http://x", &identity(), 1000, 4600);
        let caller = verify("k", &token, 2000).unwrap();
        assert_eq!(caller.iam_id, "IBMid-6900012ABC");
        assert_eq!(caller.account_id, "0a1b2c3d4e5f60718293a4b5c6d7e8f9");
        assert_eq!(verify("k", &token, 4600), Err(Invalid::Expired));
        assert_eq!(verify("other", &token, 2000), Err(Invalid::BadSignature));
        assert!(verify("k", "not.a.token", 2000).is_err());
        assert_eq!(verify("k", "garbage", 2000), Err(Invalid::Malformed));
    }

    #[test]
    fn payload_carries_the_documented_claims() {
        let token = mint("k", "http://x", &identity(), 1000, 4600);
        let payload = token.split('.').nth(1).unwrap();
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        assert_eq!(claims["iat"], 1000);
        assert_eq!(claims["exp"], 4600);
        assert_eq!(claims["sub"], "IBMid-6900012ABC");
        assert_eq!(claims["account"]["bss"], "0a1b2c3d4e5f60718293a4b5c6d7e8f9");
        assert_eq!(claims["iss"], "http://x/identity");
    }
}
