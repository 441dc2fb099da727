//! What the Codefresh emulator remembers: accounts, users, service users, API keys ("tokens")
//! and session tokens. A key's secret half is kept only as a SHA-256 digest (the admin's full
//! token is kept whole, for the sandbox manifest).

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    pub admin: Admin,
    pub accounts: Vec<Account>,
    pub users: Vec<User>,
    pub service_users: Vec<ServiceUser>,
    pub keys: Vec<Key>,
    pub sessions: Vec<Session>,
}

/// The seeded admin's token and ids, for the sandbox manifest.
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct Admin {
    pub api_key: String,
    pub user_id: String,
    pub account_id: String,
}

impl std::fmt::Debug for Admin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Admin")
            .field("api_key", &"<redacted>")
            .field("user_id", &self.user_id)
            .field("account_id", &self.account_id)
            .finish()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    pub name: String,
    /// User ids with the account-admin role.
    pub admins: Vec<String>,
    pub features: BTreeMap<String, bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub user_name: String,
    pub email: String,
    /// System roles (`User`; `Admin` for on-premises system admins).
    pub roles: Vec<String>,
    /// Accounts the user belongs to, the default one first.
    pub account_ids: Vec<String>,
}

/// A service account ("service user"): a non-human identity inside one account.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServiceUser {
    pub id: String,
    pub user_name: String,
    pub account_id: String,
    pub team_ids: Vec<String>,
    /// `Admin` in here makes it an account admin.
    pub roles: Vec<String>,
}

/// Who owns a key, and therefore whom the key authenticates as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Owner {
    User(String),
    ServiceUser(String),
}

impl Owner {
    pub fn id(&self) -> &str {
        match self {
            Owner::User(id) | Owner::ServiceUser(id) => id,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Subject {
    /// `user`, `runtime-environment`, `agent`.
    pub kind: String,
    pub reference: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Key {
    pub id: String,
    pub name: String,
    /// `None` on legacy keys: full access.
    pub scopes: Option<Vec<String>>,
    pub subject: Subject,
    pub token_prefix: String,
    pub secret_sha256: String,
    pub created: DateTime<Utc>,
    pub owner: Owner,
    /// The account that was active when the key was created; the key acts there.
    pub account_id: String,
    pub snapshot_id: String,
    pub snapshot_date: DateTime<Utc>,
}

/// A session token (`x-access-token`) from the admin "login as user" / "change account" flow.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    pub token_sha256: String,
    pub user_id: String,
    pub account_id: String,
    pub expires_at: DateTime<Utc>,
}

impl State {
    pub fn account(&self, id: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.id == id)
    }

    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    pub fn service_user(&self, id: &str) -> Option<&ServiceUser> {
        self.service_users.iter().find(|s| s.id == id)
    }

    pub fn owner_exists(&self, owner: &Owner) -> bool {
        match owner {
            Owner::User(id) => self.user(id).is_some(),
            Owner::ServiceUser(id) => self.service_user(id).is_some(),
        }
    }

    /// A fresh Mongo-style ObjectId: 8 hex digits of creation time, 16 random.
    pub fn new_object_id(&self, at: DateTime<Utc>) -> String {
        loop {
            let id = format!(
                "{:08x}{}",
                at.timestamp().clamp(0, u32::MAX as i64) as u32,
                crate::util::random_hex(16)
            );
            let taken = self.keys.iter().any(|k| k.id == id || k.snapshot_id == id)
                || self.accounts.iter().any(|a| a.id == id)
                || self.users.iter().any(|u| u.id == id)
                || self.service_users.iter().any(|s| s.id == id);
            if !taken {
                return id;
            }
        }
    }
}

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// ISO 8601 with milliseconds, as Codefresh's Mongo-backed API writes dates.
pub fn timestamp(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}
