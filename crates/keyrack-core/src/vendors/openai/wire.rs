//! OpenAI Administration API JSON (projects, service accounts, project API keys), as the client
//! reads and writes it. Fields beyond `id` are tolerant: the schema has drifted between
//! revisions (e.g. `last_used_at` and `owner_project_access` arrived later).

use serde::{Deserialize, Serialize};

use crate::secret::Sensitive;

/// The list envelope of every list endpoint.
#[derive(Debug, Deserialize)]
pub struct Page<T> {
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
    #[serde(default)]
    pub last_id: Option<String>,
    #[serde(default)]
    pub has_more: bool,
}

/// `organization.project`.
#[derive(Debug, Clone, Deserialize)]
pub struct Project {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
}

/// What project and admin API keys both carry besides their id.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct KeyFields {
    pub name: Option<String>,
    pub redacted_value: Option<String>,
    pub created_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub expires_at: Option<i64>,
}

/// `organization.project.api_key`.
#[derive(Debug, Clone, Deserialize)]
pub struct ProjectApiKey {
    pub id: String,
    #[serde(flatten)]
    pub fields: KeyFields,
    /// `active` | `inactive`.
    #[serde(default)]
    pub owner_project_access: Option<String>,
    #[serde(default)]
    pub owner: Option<KeyOwner>,
    /// Absent or empty: an unrestricted key.
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
}

/// `owner` of a project API key: `type` plus the matching object.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct KeyOwner {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub user: Option<OwnerUser>,
    pub service_account: Option<OwnerServiceAccount>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct OwnerUser {
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct OwnerServiceAccount {
    pub id: String,
    pub name: Option<String>,
}

/// `organization.project.service_account`.
#[derive(Debug, Clone, Deserialize)]
pub struct ServiceAccount {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub created_at: Option<i64>,
}

/// Create service account (S2) body.
#[derive(Debug, Serialize)]
pub struct CreateServiceAccount<'a> {
    pub name: &'a str,
    /// The service account alone (role `none`, no key), so its key can be made with scopes.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub create_service_account_only: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in_seconds: Option<i64>,
}

/// Update service account (S4) body: only the role, here.
#[derive(Debug, Serialize)]
pub struct UpdateServiceAccount<'a> {
    pub role: &'a str,
}

/// Update project API key (K4) body: `scopes` replaces (`[]` lifts every restriction),
/// `expires_in_seconds` counts from now.
#[derive(Debug, Default, Serialize)]
pub struct UpdateKey {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in_seconds: Option<i64>,
}

/// `organization.admin_api_key`; `value` only in the create response.
#[derive(Debug, Deserialize)]
pub struct AdminApiKey {
    pub id: String,
    #[serde(flatten)]
    pub fields: KeyFields,
    #[serde(default)]
    pub owner: Option<AdminKeyOwner>,
    #[serde(default)]
    pub value: Option<Sensitive<String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AdminKeyOwner {
    pub id: Option<String>,
    pub name: Option<String>,
}

/// Create admin key (A2) body.
#[derive(Debug, Serialize)]
pub struct CreateAdminKey<'a> {
    pub name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in_seconds: Option<i64>,
}

/// Create service-account API key (S6) body.
#[derive(Debug, Serialize)]
pub struct CreateServiceAccountKey<'a> {
    pub name: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in_seconds: Option<i64>,
}

/// `ProjectServiceAccountCreateResponse`: the service account and its first key.
#[derive(Debug, Deserialize)]
pub struct CreatedServiceAccount {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub api_key: Option<NewApiKey>,
}

/// `organization.project.service_account.api_key`: the only shape that carries the secret.
#[derive(Debug, Deserialize)]
pub struct NewApiKey {
    pub id: String,
    pub value: Sensitive<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub created_at: Option<i64>,
    #[serde(default)]
    pub expires_at: Option<i64>,
}

/// `{object: "….deleted", id, deleted}`.
#[derive(Debug, Deserialize)]
pub struct Deleted {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub deleted: bool,
}

/// `{"error": {message, type, param, code}}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ErrorBody {
    pub message: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub param: Option<String>,
    pub code: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_project_api_key() {
        let key: ProjectApiKey = serde_json::from_str(
            r#"{
              "object": "organization.project.api_key",
              "redacted_value": "sk-svc...wxyz",
              "name": "ci-runner",
              "created_at": 1767225600,
              "last_used_at": null,
              "id": "key_fake0000000000000000001",
              "owner_project_access": "active",
              "owner": {
                "type": "service_account",
                "service_account": {
                  "id": "svc_acct_fake000000000000000001",
                  "name": "ci-runner",
                  "created_at": 1767225600,
                  "role": "member"
                }
              }
            }"#,
        )
        .unwrap();
        assert_eq!(key.fields.redacted_value.as_deref(), Some("sk-svc...wxyz"));
        let owner = key.owner.unwrap();
        assert_eq!(owner.kind.as_deref(), Some("service_account"));
        assert_eq!(
            owner.service_account.unwrap().id,
            "svc_acct_fake000000000000000001"
        );
    }

    #[test]
    fn reads_the_2024_shape_without_later_fields() {
        let key: ProjectApiKey = serde_json::from_str(
            r#"{"object":"organization.project.api_key","id":"key_1","created_at":1,
                "owner":{"type":"user","user":{"object":"organization.project.user","id":"user_1",
                "name":"Ann","email":"ann@example.com","role":"owner","added_at":1}}}"#,
        )
        .unwrap();
        assert_eq!(
            key.owner.unwrap().user.unwrap().email.as_deref(),
            Some("ann@example.com")
        );
        assert_eq!(key.fields.last_used_at, None);
    }

    #[test]
    fn reads_the_create_response_and_keeps_the_secret_sensitive() {
        let created: CreatedServiceAccount = serde_json::from_str(
            r#"{
              "object": "organization.project.service_account",
              "id": "svc_acct_fake000000000000000001",
              "name": "ci-runner",
              "role": "member",
              "created_at": 1767225600,
              "api_key": {
                "object": "organization.project.service_account.api_key",
                "value": "sk-svcacct-FAKEFAKEFAKEFAKEFAKEFAKE",
                "name": "Secret Key",
                "created_at": 1767225600,
                "id": "key_fake0000000000000000001"
              }
            }"#,
        )
        .unwrap();
        let key = created.api_key.unwrap();
        assert_eq!(key.value.expose(), "sk-svcacct-FAKEFAKEFAKEFAKEFAKEFAKE");
        assert!(!format!("{key:?}").contains("FAKE"));
    }

    #[test]
    fn reads_the_list_envelope_and_error() {
        let page: Page<Project> = serde_json::from_str(
            r#"{"object":"list","data":[{"id":"proj_1","object":"organization.project","name":"A","created_at":1}],
                "first_id":"proj_1","last_id":"proj_1","has_more":false}"#,
        )
        .unwrap();
        assert_eq!(page.data[0].name.as_deref(), Some("A"));
        assert!(!page.has_more);
        let e: ErrorEnvelope = serde_json::from_str(
            r#"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#,
        )
        .unwrap();
        assert_eq!(e.error.code.as_deref(), Some("invalid_api_key"));
    }

    #[test]
    fn create_bodies_carry_only_given_fields() {
        let body = serde_json::to_string(&CreateServiceAccount {
            name: "ci",
            create_service_account_only: false,
            expires_in_seconds: None,
        })
        .unwrap();
        assert_eq!(body, r#"{"name":"ci"}"#);
        let body = serde_json::to_string(&CreateServiceAccountKey {
            name: "w",
            scopes: Vec::new(),
            expires_in_seconds: Some(60),
        })
        .unwrap();
        assert_eq!(body, r#"{"name":"w","expires_in_seconds":60}"#);
        let body = serde_json::to_string(&CreateServiceAccountKey {
            name: "w",
            scopes: vec!["api.all.read".into()],
            expires_in_seconds: None,
        })
        .unwrap();
        assert_eq!(body, r#"{"name":"w","scopes":["api.all.read"]}"#);
        let body = serde_json::to_string(&UpdateKey {
            scopes: Some(Vec::new()),
            expires_in_seconds: None,
        })
        .unwrap();
        assert_eq!(body, r#"{"scopes":[]}"#);
    }
}
