//! What the OCI emulator remembers: one tenancy, its users, their signing keys, and the retry
//! tokens of recent uploads.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use super::{keys, signature, wire};

/// Everything the OCI emulator remembers. One tenancy; its users and their keys.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub region: String,
    pub tenancy: String,
    /// The seeded administrator whose credentials the manifest hands out.
    pub admin_user: String,
    pub admin_fingerprint: String,
    pub admin_private_key_pem: SecretPem,
    pub users: Vec<User>,
    /// `opc-retry-token`s seen on uploads, so that a retried upload is not applied twice.
    pub retry_tokens: Vec<RetryToken>,
    pub settings: Settings,
}

/// Behaviour that OCI's documentation leaves open, adjustable for tests.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub max_keys_per_user: usize,
    /// Status and code of the 4th-key refusal (unconfirmed; the alternative is 409 `Conflict`).
    pub key_limit_status: u16,
    pub key_limit_code: String,
    pub max_clock_skew_secs: i64,
    /// Freeze the server clock (for replaying the vendor vectors dated 2014).
    pub fixed_clock: Option<DateTime<Utc>>,
    /// How long an uploaded key stays `CREATING` (and cannot sign) before it is `ACTIVE`.
    pub activation_delay_ms: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_keys_per_user: 3,
            key_limit_status: 400,
            key_limit_code: "LimitExceeded".to_string(),
            max_clock_skew_secs: 300,
            fixed_clock: None,
            activation_delay_ms: 0,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub name: String,
    /// Tenancy administrators may manage any user's keys; others only their own.
    pub is_admin: bool,
    pub keys: Vec<StoredKey>,
    /// ListUsers' `timeCreated`; absent in older state files.
    #[serde(default)]
    pub time_created: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredKey {
    pub fingerprint: String,
    /// The PEM exactly as uploaded.
    pub key_value: String,
    pub time_created: DateTime<Utc>,
    pub etag: String,
    /// With an activation delay: `CREATING` before this instant, `ACTIVE` from it on. `None`
    /// (the default) is `ACTIVE` at once, whatever the clock says (a frozen clock included).
    #[serde(default)]
    pub active_from: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RetryToken {
    pub token: String,
    pub user_id: String,
    pub body_sha256: String,
    pub fingerprint: String,
    pub seen_at: DateTime<Utc>,
}

/// A private key PEM: serialized as-is into the state file, never printed by `Debug`.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SecretPem(pub String);

impl std::fmt::Debug for SecretPem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl StoredKey {
    pub fn lifecycle_state(&self, now: DateTime<Utc>) -> &'static str {
        if self.active_from.is_some_and(|t| now < t) {
            "CREATING"
        } else {
            "ACTIVE"
        }
    }
}

impl State {
    /// The server clock (fixed when `settings.fixed_clock` is set).
    pub fn now(&self) -> DateTime<Utc> {
        self.settings.fixed_clock.unwrap_or_else(crate::util::now)
    }

    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    pub fn user_mut(&mut self, id: &str) -> Option<&mut User> {
        self.users.iter_mut().find(|u| u.id == id)
    }

    pub fn key_id(&self, user_id: &str, fingerprint: &str) -> String {
        format!("{}/{user_id}/{fingerprint}", self.tenancy)
    }

    /// The ACTIVE public key registered under this exact keyId, if any.
    pub fn signing_key(&self, key_id: &str) -> Option<rsa::RsaPublicKey> {
        let id = signature::KeyId::parse(key_id)?;
        if id.tenancy != self.tenancy {
            return None;
        }
        let now = self.now();
        let key = self
            .user(&id.user)?
            .keys
            .iter()
            .find(|k| k.fingerprint == id.fingerprint && k.lifecycle_state(now) == "ACTIVE")?;
        keys::parse_public_pem(&key.key_value).ok()
    }

    pub fn to_wire(&self, user_id: &str, key: &StoredKey) -> wire::ApiKey {
        wire::ApiKey {
            key_id: self.key_id(user_id, &key.fingerprint),
            key_value: key.key_value.clone(),
            fingerprint: key.fingerprint.clone(),
            user_id: user_id.to_string(),
            time_created: key
                .time_created
                .to_rfc3339_opts(SecondsFormat::Millis, true),
            lifecycle_state: key.lifecycle_state(self.now()),
            inactive_status: None,
        }
    }
}
