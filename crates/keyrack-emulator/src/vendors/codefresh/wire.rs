//! The JSON the emulator sends, as Codefresh's API documentation gives it, and the request
//! bodies it reads (extra fields, such as the Terraform client's empty `subject` and
//! `scopeSnapshot`, are ignored).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::error::CfError;
use super::model::{timestamp, Account, Key, ServiceUser, State};

#[derive(Serialize)]
pub struct KeyWire {
    #[serde(rename = "_id")]
    pub id: String,
    pub name: String,
    /// `null` on legacy keys (full access).
    pub scopes: Option<Vec<String>>,
    pub subject: SubjectWire,
    #[serde(rename = "tokenPrefix")]
    pub token_prefix: String,
    #[serde(rename = "scopeSnapshot")]
    pub scope_snapshot: ScopeSnapshotWire,
    pub created: String,
}

#[derive(Serialize)]
pub struct SubjectWire {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(rename = "ref")]
    pub reference: String,
}

#[derive(Serialize)]
pub struct ScopeSnapshotWire {
    pub scopes: Option<Vec<String>>,
    #[serde(rename = "_id")]
    pub id: String,
    pub date: String,
    #[serde(rename = "__v")]
    pub version: u32,
}

impl KeyWire {
    pub fn new(key: &Key) -> Self {
        KeyWire {
            id: key.id.clone(),
            name: key.name.clone(),
            scopes: key.scopes.clone(),
            subject: SubjectWire {
                kind: key.subject.kind.clone(),
                reference: key.subject.reference.clone(),
            },
            token_prefix: key.token_prefix.clone(),
            scope_snapshot: ScopeSnapshotWire {
                scopes: key.scopes.clone(),
                id: key.snapshot_id.clone(),
                date: timestamp(&key.snapshot_date),
                version: 0,
            },
            created: timestamp(&key.created),
        }
    }
}

/// One entry of the current user's `account[]`: both `_id` and `id`, because the SDK reads one
/// and the Terraform provider the other.
#[derive(Serialize)]
pub struct AccountWire {
    #[serde(rename = "_id")]
    pub object_id: String,
    pub id: String,
    pub name: String,
    pub admins: Vec<String>,
    pub features: BTreeMap<String, bool>,
}

impl AccountWire {
    pub fn new(account: &Account) -> Self {
        AccountWire {
            object_id: account.id.clone(),
            id: account.id.clone(),
            name: account.name.clone(),
            admins: account.admins.clone(),
            features: account.features.clone(),
        }
    }
}

/// `GET /user`.
#[derive(Serialize)]
pub struct CurrentUserWire {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(rename = "userName")]
    pub user_name: String,
    pub email: String,
    pub roles: Vec<String>,
    #[serde(rename = "activeAccountName")]
    pub active_account_name: String,
    pub account: Vec<AccountWire>,
}

#[derive(Serialize)]
pub struct TeamRef {
    #[serde(rename = "_id")]
    pub id: String,
}

#[derive(Serialize)]
pub struct ServiceUserWire {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(rename = "userName")]
    pub user_name: String,
    pub teams: Vec<TeamRef>,
    pub roles: Vec<String>,
}

impl ServiceUserWire {
    pub fn new(su: &ServiceUser) -> Self {
        ServiceUserWire {
            id: su.id.clone(),
            user_name: su.user_name.clone(),
            teams: su
                .team_ids
                .iter()
                .map(|id| TeamRef { id: id.clone() })
                .collect(),
            roles: su.roles.clone(),
        }
    }
}

pub fn accounts_of(state: &State, ids: &[String]) -> Vec<AccountWire> {
    ids.iter()
        .filter_map(|id| state.account(id))
        .map(AccountWire::new)
        .collect()
}

/// A JSON object body; empty counts as `{}`, `null` fields as absent.
pub struct Body(serde_json::Map<String, Value>);

impl Body {
    pub fn parse(bytes: &[u8]) -> Result<Self, CfError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Body(Default::default()));
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(map)) => Ok(Body(map)),
            _ => Err(CfError::bad_request("Request body must be a JSON object")),
        }
    }

    fn field(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    /// An optional string that, when given, must not be blank.
    pub fn name(&self, field: &str) -> Result<Option<String>, CfError> {
        match self.field(field) {
            None => Ok(None),
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.clone())),
            Some(_) => Err(CfError::bad_request(format!(
                "'{field}' must be a non-empty string"
            ))),
        }
    }

    /// Scopes, when given: a non-empty array of non-blank strings. Any scope name is accepted
    /// (the UI can produce finer-grained values than the documented list).
    pub fn scopes(&self) -> Result<Option<Vec<String>>, CfError> {
        match self.scope_list()? {
            Some(scopes) if scopes.is_empty() => Err(CfError::bad_request(
                "'scopes' must be a non-empty array of scope names",
            )),
            scopes => Ok(scopes),
        }
    }

    /// Scopes of a new key: an array of non-blank strings, which may be empty. The official
    /// CLI's own `codefresh create token NAME` (no `-s`) sends `"scopes": []`, and the vendor
    /// doc treats an empty list as "all".
    pub fn scope_list(&self) -> Result<Option<Vec<String>>, CfError> {
        let Some(value) = self.field("scopes") else {
            return Ok(None);
        };
        let invalid = || CfError::bad_request("'scopes' must be an array of scope names");
        let items = value.as_array().ok_or_else(invalid)?;
        items
            .iter()
            .map(|v| match v.as_str() {
                Some(s) if !s.trim().is_empty() => Ok(s.to_string()),
                _ => Err(invalid()),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    pub fn bool(&self, field: &str) -> Result<Option<bool>, CfError> {
        match self.field(field) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(CfError::bad_request(format!("'{field}' must be a boolean"))),
        }
    }

    pub fn strings(&self, field: &str) -> Result<Option<Vec<String>>, CfError> {
        let Some(value) = self.field(field) else {
            return Ok(None);
        };
        let invalid = || CfError::bad_request(format!("'{field}' must be an array of strings"));
        value
            .as_array()
            .ok_or_else(invalid)?
            .iter()
            .map(|v| v.as_str().map(str::to_string).ok_or_else(invalid))
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }
}
