//! Scaleway IAM (`/iam/v1alpha1`) and Account (`/account/v3`) JSON, as this client reads and
//! writes it (from Scaleway's IAM API reference). Absent values arrive as `null`; both are optional.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::secret::Sensitive;

/// The `APIKey` object. `secret_key` is set in the create response only.
#[derive(Debug, Deserialize)]
pub struct ApiKey {
    pub access_key: String,
    #[serde(default)]
    pub secret_key: Option<Sensitive<String>>,
    #[serde(default)]
    pub application_id: Option<String>,
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub expires_at: Option<String>,
    #[serde(default)]
    pub default_project_id: Option<String>,
    #[serde(default)]
    pub editable: Option<bool>,
    #[serde(default)]
    pub deletable: Option<bool>,
    #[serde(default)]
    pub managed: Option<bool>,
    #[serde(default)]
    pub creation_ip: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ApiKeyList {
    pub api_keys: Vec<ApiKey>,
    #[serde(default)]
    pub total_count: Option<u64>,
}

#[derive(Debug, Deserialize)]
pub struct User {
    pub id: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub organization_id: Option<String>,
}

impl User {
    pub fn label(&self) -> Option<String> {
        self.email
            .clone()
            .filter(|e| !e.is_empty())
            .or(self.username.clone().filter(|u| !u.is_empty()))
    }
}

#[derive(Debug, Deserialize)]
pub struct UserList {
    pub users: Vec<User>,
    #[serde(default)]
    pub total_count: Option<u64>,
}

#[derive(Debug, Deserialize)]
pub struct Application {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub organization_id: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ApplicationList {
    pub applications: Vec<Application>,
    #[serde(default)]
    pub total_count: Option<u64>,
}

#[derive(Debug, Deserialize)]
pub struct Project {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ProjectList {
    pub projects: Vec<Project>,
    #[serde(default)]
    pub total_count: Option<u64>,
}

/// `POST /iam/v1alpha1/api-keys`: exactly one of `user_id` / `application_id`.
#[derive(Debug, Serialize)]
pub struct CreateBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application_id: Option<&'a str>,
    /// Always sent, `""` when there is none, like Scaleway's SDKs.
    pub description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_project_id: Option<&'a str>,
}

/// `PATCH /iam/v1alpha1/api-keys/{access_key}`: only the fields to change.
#[derive(Debug, Default, Serialize)]
pub struct UpdateBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_project_id: Option<&'a str>,
    /// RFC 3339; Scaleway has no way to remove an expiry date once set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

/// Any Scaleway error body: `type` and `message`, plus the fields some types carry.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ErrorBody {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub message: Option<String>,
    pub help_message: Option<String>,
    pub details: Vec<serde_json::Value>,
    pub reset_seconds: Option<u64>,
    pub reason: Option<String>,
    pub resource: Option<String>,
}

impl ErrorBody {
    /// The message with what the details add: the bad arguments, the exceeded quota.
    pub fn text(&self) -> Option<String> {
        let mut parts: Vec<String> = self.message.iter().cloned().collect();
        if let Some(help) = &self.help_message {
            parts.push(help.clone());
        }
        for d in &self.details {
            let field = |k: &str| d.get(k).and_then(|v| v.as_str()).map(str::to_string);
            if let (Some(arg), Some(help)) = (field("argument_name"), field("help_message")) {
                parts.push(format!("{arg}: {help}"));
            } else if let (Some(res), Some(quota)) = (field("resource"), d.get("quota")) {
                parts.push(format!("{res} quota {quota}"));
            }
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

/// RFC 3339, any offset, with or without fractions; anything else counts as absent.
pub fn parse_time(value: Option<&str>) -> Option<DateTime<Utc>> {
    let s = value?.trim();
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.to_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_create_answer_parses() {
        let body = r#"{
          "access_key": "SCWVVH9TE299J4XZE91E",
          "secret_key": "6b1e2f0a-3c4d-4e5f-8a9b-0c1d2e3f4a5b",
          "description": "ci-deploy",
          "created_at": "2026-06-10T16:12:40.674053Z",
          "updated_at": "2026-06-10T16:12:40.674053Z",
          "expires_at": "2035-07-06T09:00:00Z",
          "default_project_id": "3f7a1c52-9d0e-4b6a-8c21-5e4f3a2b1c0d",
          "editable": true, "deletable": true, "managed": false,
          "creation_ip": "203.0.113.17",
          "application_id": "f46e8a03-0000-404d-b32e-de49bf92e066"
        }"#;
        let key: ApiKey = serde_json::from_str(body).unwrap();
        assert_eq!(
            key.secret_key.as_ref().unwrap().expose(),
            "6b1e2f0a-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
        );
        assert!(format!("{key:?}").contains("<redacted>"));
        assert!(!format!("{key:?}").contains("6b1e2f0a"));
        assert_eq!(
            parse_time(key.created_at.as_deref()).unwrap().to_rfc3339(),
            "2026-06-10T16:12:40.674053+00:00"
        );
        let listed: ApiKeyList =
            serde_json::from_str(r#"{"api_keys":[{"access_key":"SCWBN9HR9AA2PZHPSSNV","secret_key":null,"expires_at":null}],"total_count":1}"#)
                .unwrap();
        assert!(listed.api_keys[0].secret_key.is_none());
    }

    #[test]
    fn error_text_names_the_argument_or_quota() {
        let e: ErrorBody = serde_json::from_str(
            r#"{"details":[{"argument_name":"description","help_message":"must be at most 200 characters","reason":"constraint"}],"message":"invalid argument(s)","type":"invalid_arguments"}"#,
        )
        .unwrap();
        assert_eq!(
            e.text().unwrap(),
            "invalid argument(s); description: must be at most 200 characters"
        );
        let q: ErrorBody = serde_json::from_str(
            r#"{"details":[{"resource":"api_keys","quota":50,"current":50}],"message":"quota(s) exceeded for this resource","type":"quotas_exceeded"}"#,
        )
        .unwrap();
        assert_eq!(q.kind.as_deref(), Some("quotas_exceeded"));
        assert!(q.text().unwrap().contains("api_keys quota 50"));
    }
}
