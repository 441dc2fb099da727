//! OCI Identity JSON (API version 20160918), as the client reads and writes it. Every response
//! field is optional, as in the SDK models; what the client needs is checked where it is used.

use serde::{Deserialize, Serialize};

/// UploadApiKey body (`CreateApiKeyDetails`).
#[derive(Debug, Serialize)]
pub struct CreateApiKeyDetails<'a> {
    /// The public key PEM.
    pub key: &'a str,
}

/// `ApiKey`, as UploadApiKey returns it and ListApiKeys lists it (a bare JSON array).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ApiKey {
    /// `<tenancy>/<user>/<fingerprint>`.
    pub key_id: Option<String>,
    pub key_value: Option<String>,
    pub fingerprint: Option<String>,
    pub user_id: Option<String>,
    /// RFC 3339.
    pub time_created: Option<String>,
    /// `CREATING`, `ACTIVE`, `INACTIVE`, `DELETING`, `DELETED`.
    pub lifecycle_state: Option<String>,
    pub inactive_status: Option<i64>,
}

/// `User`, as ListUsers lists it (a bare JSON array).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct User {
    pub id: String,
    pub name: Option<String>,
    /// `CREATING`, `ACTIVE`, `INACTIVE`, `DELETING`, `DELETED`.
    pub lifecycle_state: Option<String>,
}

/// Every OCI error body.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ErrorBody {
    pub code: Option<String>,
    pub message: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_upload_response() {
        let body = r#"{
          "keyId": "ocid1.tenancy.oc1..aaaaaaaafaketenancy/ocid1.user.oc1..aaaaaaaafakeuser/9f:86:d0:81:88:4c:7d:65:9a:2f:ea:a0:c5:5a:d0:15",
          "keyValue": "-----BEGIN PUBLIC KEY-----\n...\n-----END PUBLIC KEY-----",
          "fingerprint": "9f:86:d0:81:88:4c:7d:65:9a:2f:ea:a0:c5:5a:d0:15",
          "userId": "ocid1.user.oc1..aaaaaaaafakeuser",
          "timeCreated": "2026-01-15T10:20:30.123Z",
          "lifecycleState": "CREATING",
          "inactiveStatus": null
        }"#;
        let key: ApiKey = serde_json::from_str(body).unwrap();
        assert_eq!(key.lifecycle_state.as_deref(), Some("CREATING"));
        assert_eq!(
            key.user_id.as_deref(),
            Some("ocid1.user.oc1..aaaaaaaafakeuser")
        );
        assert_eq!(key.inactive_status, None);
    }

    #[test]
    fn list_is_a_bare_array_and_missing_fields_are_tolerated() {
        let keys: Vec<ApiKey> =
            serde_json::from_str(r#"[{"fingerprint":"aa","lifecycleState":"ACTIVE","extra":1}]"#)
                .unwrap();
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].time_created, None);
    }

    #[test]
    fn upload_body_is_compact_json() {
        let body = serde_json::to_string(&CreateApiKeyDetails { key: "A\nB" }).unwrap();
        assert_eq!(body, r#"{"key":"A\nB"}"#);
    }

    #[test]
    fn error_body_has_code_and_message() {
        let e: ErrorBody = serde_json::from_str(
            r#"{"code": "NotAuthorizedOrNotFound", "message": "Authorization failed or requested resource not found."}"#,
        )
        .unwrap();
        assert_eq!(e.code.as_deref(), Some("NotAuthorizedOrNotFound"));
    }
}
