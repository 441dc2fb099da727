//! OCI Identity wire types (the emulator's own, written from OCI's API documentation).

use serde::Serialize;

/// `ApiKey` as UploadApiKey and ListApiKeys return it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ApiKey {
    pub key_id: String,
    pub key_value: String,
    pub fingerprint: String,
    pub user_id: String,
    /// RFC 3339 with milliseconds and `Z`.
    pub time_created: String,
    pub lifecycle_state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inactive_status: Option<i64>,
}

/// `User` as ListUsers returns it (the fields a key manager reads, plus what every user has).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub compartment_id: String,
    pub name: String,
    pub description: String,
    /// RFC 3339 with milliseconds and `Z`.
    pub time_created: String,
    pub lifecycle_state: &'static str,
    pub is_mfa_activated: bool,
}
