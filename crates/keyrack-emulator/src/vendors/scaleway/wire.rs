//! The JSON the emulator sends, field for field as `shared/vendors/scaleway.md` §4–5 records it.
//! Absent optional values are JSON `null`, except the bearer ids, of which only the one that
//! applies is present.

use serde::Serialize;

use super::model::{timestamp, ApiKey, Application, Bearer, Project, State, User};

#[derive(Serialize)]
pub struct ApiKeyWire {
    pub access_key: String,
    /// The secret, in the create response only.
    pub secret_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    pub description: String,
    pub created_at: String,
    pub updated_at: String,
    pub expires_at: Option<String>,
    pub default_project_id: String,
    pub editable: bool,
    pub deletable: bool,
    pub managed: bool,
    pub creation_ip: String,
}

impl ApiKeyWire {
    pub fn new(key: &ApiKey, secret_key: Option<String>) -> Self {
        let (user_id, application_id) = match &key.bearer {
            Bearer::User(id) => (Some(id.clone()), None),
            Bearer::Application(id) => (None, Some(id.clone())),
        };
        ApiKeyWire {
            access_key: key.access_key.clone(),
            secret_key,
            application_id,
            user_id,
            description: key.description.clone(),
            created_at: timestamp(&key.created_at),
            updated_at: timestamp(&key.updated_at),
            expires_at: key.expires_at.as_ref().map(timestamp),
            default_project_id: key.default_project_id.clone(),
            editable: key.editable,
            deletable: key.deletable,
            managed: key.managed,
            creation_ip: key.creation_ip.clone(),
        }
    }
}

#[derive(Serialize)]
pub struct ListApiKeys {
    pub api_keys: Vec<ApiKeyWire>,
    pub total_count: usize,
}

#[derive(Serialize)]
pub struct UserWire {
    pub id: String,
    pub email: String,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub phone_number: String,
    pub locale: String,
    pub created_at: String,
    pub updated_at: String,
    pub organization_id: String,
    pub deletable: bool,
    pub last_login_at: Option<String>,
    #[serde(rename = "type")]
    pub user_type: String,
    pub two_factor_enabled: bool,
    pub status: &'static str,
    pub mfa: bool,
    pub account_root_user_id: String,
    pub tags: Vec<String>,
    pub locked: bool,
}

impl UserWire {
    pub fn new(user: &User, state: &State) -> Self {
        UserWire {
            id: user.id.clone(),
            email: user.email.clone(),
            username: user.username.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            phone_number: user.phone_number.clone(),
            locale: user.locale.clone(),
            created_at: timestamp(&user.created_at),
            updated_at: timestamp(&user.updated_at),
            organization_id: user.organization_id.clone(),
            deletable: user.deletable,
            last_login_at: user.last_login_at.as_ref().map(timestamp),
            user_type: user.user_type.clone(),
            two_factor_enabled: user.mfa,
            status: "activated",
            mfa: user.mfa,
            account_root_user_id: state.root_user_id().to_string(),
            tags: user.tags.clone(),
            locked: user.locked,
        }
    }
}

#[derive(Serialize)]
pub struct ListUsers {
    pub users: Vec<UserWire>,
    pub total_count: usize,
}

#[derive(Serialize)]
pub struct ApplicationWire {
    pub id: String,
    pub name: String,
    pub description: String,
    pub created_at: String,
    pub updated_at: String,
    pub organization_id: String,
    pub editable: bool,
    pub deletable: bool,
    pub managed: bool,
    pub nb_api_keys: usize,
    pub tags: Vec<String>,
}

impl ApplicationWire {
    pub fn new(app: &Application, state: &State) -> Self {
        ApplicationWire {
            id: app.id.clone(),
            name: app.name.clone(),
            description: app.description.clone(),
            created_at: timestamp(&app.created_at),
            updated_at: timestamp(&app.updated_at),
            organization_id: app.organization_id.clone(),
            editable: app.editable,
            deletable: app.deletable,
            managed: app.managed,
            nb_api_keys: state.nb_api_keys(&app.id),
            tags: app.tags.clone(),
        }
    }
}

#[derive(Serialize)]
pub struct ListApplications {
    pub applications: Vec<ApplicationWire>,
    pub total_count: usize,
}

#[derive(Serialize)]
pub struct ProjectWire {
    pub id: String,
    pub name: String,
    pub organization_id: String,
    pub created_at: String,
    pub updated_at: String,
    pub description: String,
}

impl ProjectWire {
    pub fn new(project: &Project) -> Self {
        ProjectWire {
            id: project.id.clone(),
            name: project.name.clone(),
            organization_id: project.organization_id.clone(),
            created_at: timestamp(&project.created_at),
            updated_at: timestamp(&project.updated_at),
            description: project.description.clone(),
        }
    }
}

#[derive(Serialize)]
pub struct ListProjects {
    pub total_count: usize,
    pub projects: Vec<ProjectWire>,
}
