//! What the OpenAI emulator remembers, and how a handler finds one thing in it (or the 404).

use serde::{Deserialize, Serialize};

use super::error::ApiError;

/// Everything the OpenAI emulator remembers: one organization.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub organization_id: String,
    pub users: Vec<OrgUser>,
    pub admin_keys: Vec<AdminKey>,
    pub projects: Vec<Project>,
    pub service_accounts: Vec<ServiceAccount>,
    pub api_keys: Vec<ProjectKey>,
    /// The seeded admin key's secret, which the manifest hands out. Every other secret exists
    /// only in its create response; the state keeps hashes.
    pub manifest_admin_key: SecretValue,
    pub manifest_project_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrgUser {
    pub id: String,
    pub name: String,
    pub email: String,
    pub created_at: i64,
}

/// What every key the organization issues has: its name, how it is shown and checked, and when
/// it was made, last used and expires. Flattened into each kind of key, so that the state file
/// keeps these fields where they always were.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Issued {
    pub name: String,
    pub redacted_value: String,
    pub value_sha256: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub expires_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AdminKey {
    pub id: String,
    #[serde(flatten)]
    pub issued: Issued,
    pub owner_user_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Project {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub archived_at: Option<i64>,
    pub external_key_id: Option<String>,
    pub residency: Option<String>,
    /// The organization's default project cannot be modified or archived.
    pub is_default: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServiceAccount {
    pub id: String,
    pub project_id: String,
    pub name: String,
    /// `owner`, `member` or `none`.
    pub role: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProjectKey {
    pub id: String,
    pub project_id: String,
    #[serde(flatten)]
    pub issued: Issued,
    pub owner: KeyOwner,
    /// `active` or `inactive` (the owner's access to the project).
    pub owner_project_access: String,
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum KeyOwner {
    User { user_id: String, role: String },
    ServiceAccount { service_account_id: String },
}

/// A secret string: serialized as-is into the state file, never printed by `Debug`.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SecretValue(pub String);

impl std::fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl State {
    pub fn project(&self, id: &str) -> Result<&Project, ApiError> {
        one(&self.projects, |p| p.id == id, "project", id)
    }

    pub fn project_mut(&mut self, id: &str) -> Result<&mut Project, ApiError> {
        one_mut(&mut self.projects, |p| p.id == id, "project", id)
    }

    /// The project, refusing writes once it is archived.
    pub fn writable_project(&self, id: &str) -> Result<&Project, ApiError> {
        let p = self.project(id)?;
        if p.archived_at.is_some() {
            return Err(ApiError::archived(id));
        }
        Ok(p)
    }

    pub fn admin_key(&self, id: &str) -> Result<&AdminKey, ApiError> {
        one(&self.admin_keys, |k| k.id == id, "admin API key", id)
    }

    pub fn user(&self, id: &str) -> Option<&OrgUser> {
        self.users.iter().find(|u| u.id == id)
    }
}

/// What belongs to one project and is found by its id within it.
pub trait OfProject: Sized {
    /// How a 404 names it.
    const WHAT: &'static str;

    /// `(project_id, id)`.
    fn ids(&self) -> (&str, &str);

    /// The one among `items` with these ids, or the 404 that names it.
    fn find<'a>(items: &'a [Self], project_id: &str, id: &str) -> Result<&'a Self, ApiError> {
        one(items, |t| t.ids() == (project_id, id), Self::WHAT, id)
    }

    fn find_mut<'a>(
        items: &'a mut [Self],
        project_id: &str,
        id: &str,
    ) -> Result<&'a mut Self, ApiError> {
        one_mut(items, |t| t.ids() == (project_id, id), Self::WHAT, id)
    }
}

impl OfProject for ServiceAccount {
    const WHAT: &'static str = "service account";
    fn ids(&self) -> (&str, &str) {
        (&self.project_id, &self.id)
    }
}

impl OfProject for ProjectKey {
    const WHAT: &'static str = "API key";
    fn ids(&self) -> (&str, &str) {
        (&self.project_id, &self.id)
    }
}

/// The item `matches` picks, or the 404 that names `what` and `id`.
fn one<'a, T>(
    items: &'a [T],
    matches: impl Fn(&T) -> bool,
    what: &str,
    id: &str,
) -> Result<&'a T, ApiError> {
    items
        .iter()
        .find(|item| matches(item))
        .ok_or_else(|| ApiError::not_found(what, id))
}

/// Like `one`, to change the item.
fn one_mut<'a, T>(
    items: &'a mut [T],
    matches: impl Fn(&T) -> bool,
    what: &str,
    id: &str,
) -> Result<&'a mut T, ApiError> {
    items
        .iter_mut()
        .find(|item| matches(item))
        .ok_or_else(|| ApiError::not_found(what, id))
}
