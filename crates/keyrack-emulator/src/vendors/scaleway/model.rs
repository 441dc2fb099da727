//! What the Scaleway emulator remembers: one organization, its users, applications, projects
//! and API keys. Secret keys are kept only as SHA-256 digests (the admin's is kept whole, for
//! the sandbox manifest).

use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::error::ScwError;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    pub organization_id: String,
    pub admin: Admin,
    pub users: Vec<User>,
    pub applications: Vec<Application>,
    pub projects: Vec<Project>,
    pub api_keys: Vec<ApiKey>,
}

/// The seeded admin credential and the ids the sandbox manifest hands out.
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct Admin {
    pub access_key: String,
    pub secret_key: String,
    pub user_id: String,
    pub application_id: String,
}

impl std::fmt::Debug for Admin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Admin")
            .field("access_key", &self.access_key)
            .field("secret_key", &"<redacted>")
            .field("user_id", &self.user_id)
            .field("application_id", &self.application_id)
            .finish()
    }
}

/// Every key has exactly one bearer: a user or an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Bearer {
    User(String),
    Application(String),
}

impl Bearer {
    pub fn id(&self) -> &str {
        match self {
            Bearer::User(id) | Bearer::Application(id) => id,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApiKey {
    pub access_key: String,
    pub secret_sha256: String,
    pub bearer: Bearer,
    pub description: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub default_project_id: String,
    pub editable: bool,
    pub deletable: bool,
    pub managed: bool,
    pub creation_ip: String,
}

impl ApiKey {
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|t| t <= now)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub email: String,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub phone_number: String,
    pub locale: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub organization_id: String,
    pub deletable: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    /// `owner` or `member`.
    pub user_type: String,
    pub mfa: bool,
    pub tags: Vec<String>,
    pub locked: bool,
}

/// Serialized as the API sends it, too, but for `nb_api_keys`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Application {
    pub id: String,
    pub name: String,
    pub description: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub organization_id: String,
    pub editable: bool,
    pub deletable: bool,
    pub managed: bool,
    pub tags: Vec<String>,
}

/// Serialized as the API sends it, too.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Project {
    pub id: String,
    pub name: String,
    pub description: String,
    pub organization_id: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl State {
    pub fn key(&self, access_key: &str) -> Result<&ApiKey, ScwError> {
        found(
            self.api_keys.iter().find(|k| k.access_key == access_key),
            "access_key",
            access_key,
        )
    }

    pub fn key_mut(&mut self, access_key: &str) -> Result<&mut ApiKey, ScwError> {
        found(
            self.api_keys
                .iter_mut()
                .find(|k| k.access_key == access_key),
            "access_key",
            access_key,
        )
    }

    pub fn user(&self, id: &str) -> Result<&User, ScwError> {
        found(self.users.iter().find(|u| u.id == id), "user", id)
    }

    pub fn application(&self, id: &str) -> Result<&Application, ScwError> {
        found(
            self.applications.iter().find(|a| a.id == id),
            "application",
            id,
        )
    }

    pub fn application_mut(&mut self, id: &str) -> Result<&mut Application, ScwError> {
        found(
            self.applications.iter_mut().find(|a| a.id == id),
            "application",
            id,
        )
    }

    pub fn project(&self, id: &str) -> Result<&Project, ScwError> {
        found(self.projects.iter().find(|p| p.id == id), "project", id)
    }

    /// The organization's owner: `account_root_user_id` of every user.
    pub fn root_user_id(&self) -> &str {
        self.users
            .iter()
            .find(|u| u.user_type == "owner")
            .map(|u| u.id.as_str())
            .unwrap_or_default()
    }

    pub fn nb_api_keys(&self, application_id: &str) -> usize {
        self.api_keys
            .iter()
            .filter(|k| matches!(&k.bearer, Bearer::Application(id) if id == application_id))
            .count()
    }

    /// A fresh access key, `SCW` + 17 upper-case alphanumerics, not already in use.
    pub fn new_access_key(&self) -> String {
        loop {
            let candidate = format!("SCW{}", crate::util::random_upper_alnum(17));
            if self.key(&candidate).is_err() {
                return candidate;
            }
        }
    }
}

/// What a lookup found, or Scaleway's `not_found` for the resource asked for.
fn found<T>(item: Option<T>, resource: &'static str, id: &str) -> Result<T, ScwError> {
    item.ok_or_else(|| ScwError::not_found(resource, id))
}

pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Scaleway timestamps carry microseconds at most.
pub fn now() -> DateTime<Utc> {
    crate::util::now().trunc_subsecs(6)
}

/// RFC 3339 in UTC with as many sub-second digits as needed (`…40.674053Z`, `…00Z`), as the
/// API echoes them: the way chrono serializes a `DateTime<Utc>`, which is why applications and
/// projects can be sent as they are stored.
pub fn timestamp(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}
