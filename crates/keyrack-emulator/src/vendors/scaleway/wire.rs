//! The JSON the emulator sends, field for field as Scaleway's API documentation records it.
//! Absent optional values are JSON `null`, except the bearer ids, of which only the one that
//! applies is present.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::model::{timestamp, ApiKey, Application, Bearer, State, User};

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
pub struct UserWire<'a> {
    pub id: &'a str,
    pub email: &'a str,
    pub username: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub phone_number: &'a str,
    pub locale: &'a str,
    pub created_at: String,
    pub updated_at: String,
    pub organization_id: &'a str,
    pub deletable: bool,
    pub last_login_at: Option<String>,
    #[serde(rename = "type")]
    pub user_type: &'a str,
    pub two_factor_enabled: bool,
    pub status: &'static str,
    pub mfa: bool,
    pub account_root_user_id: &'a str,
    pub tags: &'a [String],
    pub locked: bool,
}

impl<'a> UserWire<'a> {
    pub fn new(user: &'a User, state: &'a State) -> Self {
        UserWire {
            id: &user.id,
            email: &user.email,
            username: &user.username,
            first_name: &user.first_name,
            last_name: &user.last_name,
            phone_number: &user.phone_number,
            locale: &user.locale,
            created_at: timestamp(&user.created_at),
            updated_at: timestamp(&user.updated_at),
            organization_id: &user.organization_id,
            deletable: user.deletable,
            last_login_at: user.last_login_at.as_ref().map(timestamp),
            user_type: &user.user_type,
            two_factor_enabled: user.mfa,
            status: "activated",
            mfa: user.mfa,
            account_root_user_id: state.root_user_id(),
            tags: &user.tags,
            locked: user.locked,
        }
    }
}

/// The stored application as it is, plus how many keys it bears.
#[derive(Serialize)]
pub struct ApplicationWire<'a> {
    #[serde(flatten)]
    pub app: &'a Application,
    pub nb_api_keys: usize,
}

impl<'a> ApplicationWire<'a> {
    pub fn new(app: &'a Application, state: &State) -> Self {
        ApplicationWire {
            app,
            nb_api_keys: state.nb_api_keys(&app.id),
        }
    }
}

/// One page of a list, under the list's own name, with the count of every item that matched.
pub struct Page<T> {
    name: &'static str,
    items: Vec<T>,
    total_count: usize,
    count_first: bool,
}

impl<T: Serialize> Page<T> {
    pub fn new(name: &'static str, items: Vec<T>, total_count: usize) -> Self {
        Page {
            name,
            items,
            total_count,
            count_first: false,
        }
    }

    /// The Account API sends `total_count` before the items.
    pub fn count_first(self) -> Self {
        Page {
            count_first: true,
            ..self
        }
    }
}

impl<T: Serialize> Serialize for Page<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        if self.count_first {
            map.serialize_entry("total_count", &self.total_count)?;
        }
        map.serialize_entry(self.name, &self.items)?;
        if !self.count_first {
            map.serialize_entry("total_count", &self.total_count)?;
        }
        map.end()
    }
}
