//! New ids and secrets. Every secret exists only in its create response; the state keeps its
//! SHA-256 and a redacted form.

use sha2::{Digest, Sha256};

use super::model::Issued;

/// A freshly minted secret: its value (shown once), display form and hash.
struct Minted {
    value: String,
    redacted: String,
    sha256: String,
}

/// `prefix` + 64 random characters. `shown` is how many leading characters the redacted form
/// keeps (`sk-admin...wxyz`, `sk-svc...wxyz`).
fn mint(prefix: &str, shown: usize) -> Minted {
    let value = format!("{prefix}{}", crate::util::random_alnum(64));
    let tail = &value[value.len() - 4..];
    Minted {
        redacted: format!("{}...{tail}", &value[..shown.min(value.len())]),
        sha256: sha256_hex(&value),
        value,
    }
}

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

pub fn now() -> i64 {
    crate::util::now().timestamp()
}

pub fn new_id(prefix: &str) -> String {
    format!("{prefix}{}", crate::util::random_alnum(24))
}

/// A new key named `name`, made at `created_at` and valid for `expires_in` seconds (or for
/// ever), with its value: the only time the value is seen.
pub fn issue(
    prefix: &str,
    shown: usize,
    name: &str,
    created_at: i64,
    expires_in: Option<i64>,
) -> (Issued, String) {
    let secret = mint(prefix, shown);
    let issued = Issued {
        name: name.to_string(),
        redacted_value: secret.redacted,
        value_sha256: secret.sha256,
        created_at,
        last_used_at: None,
        expires_at: expires_in.map(|s| created_at + s),
    };
    (issued, secret.value)
}
