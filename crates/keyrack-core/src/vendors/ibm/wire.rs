//! IBM Cloud IAM Identity JSON, as this client reads and writes it (IAM Identity API reference).
//! Optional fields are optional here too: a field IBM leaves out must never fail a whole list.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::secret::Sensitive;

/// `POST /identity/token` answer. The access token is a secret like the API key itself.
#[derive(Debug, Deserialize)]
pub struct TokenResponse {
    pub access_token: Sensitive<String>,
    #[serde(default)]
    pub expires_in: Option<i64>,
    #[serde(default)]
    pub expiration: Option<i64>,
}

/// The claims of the access token's payload this client uses.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Claims {
    #[serde(default)]
    pub iam_id: Option<String>,
    #[serde(default)]
    pub sub: Option<String>,
    #[serde(default)]
    pub sub_type: Option<String>,
    #[serde(default)]
    pub account: Option<ClaimsAccount>,
    #[serde(default)]
    pub iat: Option<i64>,
    #[serde(default)]
    pub exp: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ClaimsAccount {
    #[serde(default)]
    pub bss: Option<String>,
}

impl Claims {
    /// The identity the token was issued to.
    pub fn identity(&self) -> Option<&str> {
        self.iam_id.as_deref().or(self.sub.as_deref())
    }

    pub fn account_id(&self) -> Option<&str> {
        self.account.as_ref().and_then(|a| a.bss.as_deref())
    }
}

/// The `APIKey` object. `apikey` is the secret: non-empty only in the create response.
#[derive(Debug, Deserialize)]
pub struct ApiKey {
    pub id: String,
    #[serde(default)]
    pub entity_tag: Option<String>,
    #[serde(default)]
    pub crn: Option<String>,
    #[serde(default)]
    pub locked: bool,
    #[serde(default)]
    pub disabled: Option<bool>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub modified_at: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub iam_id: Option<String>,
    #[serde(default)]
    pub account_id: Option<String>,
    #[serde(default)]
    pub support_sessions: Option<bool>,
    #[serde(default)]
    pub action_when_leaked: Option<String>,
    #[serde(default)]
    pub expires_at: Option<String>,
    #[serde(default)]
    pub apikey: Option<Sensitive<String>>,
    /// Only with `include_activity=true` (get by id).
    #[serde(default)]
    pub activity: Option<Activity>,
}

/// `Activity`: when the key last authenticated (absent when it never did).
#[derive(Debug, Default, Deserialize)]
pub struct Activity {
    #[serde(default)]
    pub last_authn: Option<String>,
}

/// `GET /v1/activity/accounts/{account_id}/report/{reference}` answer: the `Report`, as far as
/// this client reads it. An "inactive" report lists the keys that did not authenticate within
/// its window, each with when it last did (absent: never).
#[derive(Debug, Deserialize)]
pub struct Report {
    pub report_end_time: String,
    #[serde(default)]
    pub apikeys: Vec<ApikeyActivity>,
}

#[derive(Debug, Deserialize)]
pub struct ApikeyActivity {
    pub id: String,
    #[serde(default)]
    pub last_authn: Option<String>,
}

/// `GET /v1/serviceids` answer: the service IDs of an account, one page.
#[derive(Debug, Deserialize)]
pub struct ServiceIdList {
    #[serde(default)]
    pub serviceids: Vec<ServiceId>,
    #[serde(default)]
    pub next: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ServiceId {
    pub iam_id: String,
    #[serde(default)]
    pub name: Option<String>,
}

/// `GET /v1/apikeys` answer.
#[derive(Debug, Deserialize)]
pub struct ApiKeyList {
    pub apikeys: Vec<ApiKey>,
    #[serde(default)]
    pub next: Option<String>,
}

/// `POST /v1/apikeys` body.
#[derive(Debug, Serialize)]
pub struct CreateBody<'a> {
    pub name: &'a str,
    pub iam_id: &'a str,
    pub account_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action_when_leaked: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    /// User keys only; left out unless asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_sessions: Option<bool>,
    /// Keyrack never asks IBM to keep a key's value.
    pub store_value: bool,
}

/// `PUT /v1/apikeys/{id}` body: partial, only the fields to change. IBM clears a property sent
/// as `""`, which is how an expiry date is removed.
#[derive(Debug, Default, Serialize)]
pub struct UpdateBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_sessions: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action_when_leaked: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

impl UpdateBody<'_> {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.description.is_none()
            && self.support_sessions.is_none()
            && self.action_when_leaked.is_none()
            && self.expires_at.is_none()
    }
}

/// Both error shapes: `errors[]` from `/v1/*`, `errorCode`/`errorMessage` from the token
/// service, and the plain `error`/`message`/`code` fallbacks the SDK core also reads.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ErrorBody {
    errors: Vec<ErrorItem>,
    trace: Option<String>,
    context: Option<ErrorContext>,
    #[serde(rename = "errorCode")]
    error_code: Option<String>,
    #[serde(rename = "errorMessage")]
    error_message: Option<String>,
    error: Option<String>,
    message: Option<String>,
    code: Option<serde_json::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ErrorItem {
    code: Option<String>,
    message_code: Option<String>,
    message: Option<String>,
    details: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ErrorContext {
    #[serde(rename = "requestId")]
    request_id: Option<String>,
    transaction_id: Option<String>,
}

/// The vendor's code, message and request id from an error body, with the SDK core's cascade:
/// `errors[0]`, then the top-level fields, then nothing (the status line speaks for itself).
pub fn error_fields(parsed: &ErrorBody) -> (Option<String>, Option<String>, Option<String>) {
    let (code, message) = match parsed.errors.first() {
        Some(item) => (
            item.message_code.clone().or(item.code.clone()),
            match (&item.message, &item.details) {
                (Some(m), Some(d)) if !d.is_empty() => Some(format!("{m} ({d})")),
                (m, _) => m.clone(),
            },
        ),
        None => (
            parsed.error_code.clone().or(match &parsed.code {
                Some(serde_json::Value::String(s)) => Some(s.clone()),
                Some(serde_json::Value::Number(n)) => Some(n.to_string()),
                _ => None,
            }),
            parsed
                .error_message
                .clone()
                .or(parsed.error.clone())
                .or(parsed.message.clone()),
        ),
    };
    let context = parsed.context.as_ref();
    let request_id = context
        .and_then(|c| c.request_id.clone())
        .or(context.and_then(|c| c.transaction_id.clone()))
        .or(parsed.trace.clone());
    (code, message, request_id)
}

/// IBM timestamps come as RFC 3339 (`2019-01-01T12:00:00.000Z`) or in the documented short
/// form `2025-03-04T09:15+0000`; accept both, and treat anything else as absent.
pub fn parse_time(value: Option<&str>) -> Option<DateTime<Utc>> {
    let s = value?.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.to_utc());
    }
    const FORMATS: [&str; 3] = [
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ];
    FORMATS
        .iter()
        .find_map(|f| DateTime::parse_from_str(s, f).ok())
        .map(|t| t.to_utc())
}

/// `expires_at` in the documented request form `yyyy-MM-ddTHH:mm+0000` (minute precision).
pub fn format_expiry(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M+0000").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn both_timestamp_forms_parse() {
        let short = parse_time(Some("2025-03-04T09:15+0000")).unwrap();
        assert_eq!(short, Utc.with_ymd_and_hms(2025, 3, 4, 9, 15, 0).unwrap());
        let long = parse_time(Some("2019-01-01T12:00:00.000Z")).unwrap();
        assert_eq!(long, Utc.with_ymd_and_hms(2019, 1, 1, 12, 0, 0).unwrap());
        let secs = parse_time(Some("2049-01-02T18:30:00+0000")).unwrap();
        assert_eq!(secs, Utc.with_ymd_and_hms(2049, 1, 2, 18, 30, 0).unwrap());
        let offset = parse_time(Some("2025-03-04T10:15+0100")).unwrap();
        assert_eq!(offset, short);
        assert_eq!(parse_time(Some("")), None);
        assert_eq!(parse_time(Some("yesterday")), None);
        assert_eq!(parse_time(None), None);
    }

    #[test]
    fn expiry_is_sent_in_the_documented_form() {
        let t = Utc.with_ymd_and_hms(2026, 12, 31, 23, 59, 42).unwrap();
        assert_eq!(format_expiry(t), "2026-12-31T23:59+0000");
    }

    #[test]
    fn the_documented_list_example_parses() {
        let body = r#"{
          "offset": 0, "limit": 2,
          "first": "https://iam.cloud.ibm.com/v1/apikeys?account_id=0a1b&iam_id=IBMid-6900012ABC&pagesize=2",
          "next": "https://iam.cloud.ibm.com/v1/apikeys?account_id=0a1b&iam_id=IBMid-6900012ABC&pagesize=2&pagetoken=eyJvZmZzZXQiOjJ9",
          "apikeys": [{
            "id": "ApiKey-7f3c2a10-4b5e-4c8d-9e1f-0a2b3c4d5e6f",
            "entity_tag": "1-4f7e9c2b1a0d3e5f6a7b8c9d0e1f2a3b",
            "crn": "crn:v1:bluemix:public:iam-identity::a/0a1b::apikey:ApiKey-7f3c2a10",
            "locked": false, "disabled": false,
            "created_at": "2025-03-04T09:15+0000", "created_by": "IBMid-6900012ABC",
            "modified_at": "2025-03-04T09:15+0000",
            "name": "ci-deploy", "description": "used by the nightly pipeline",
            "iam_id": "IBMid-6900012ABC", "account_id": "0a1b",
            "support_sessions": false, "action_when_leaked": "disable", "apikey": ""
          }]
        }"#;
        let list: ApiKeyList = serde_json::from_str(body).unwrap();
        assert_eq!(list.apikeys.len(), 1);
        assert!(list.next.unwrap().contains("pagetoken=eyJvZmZzZXQiOjJ9"));
        let key = &list.apikeys[0];
        assert_eq!(key.name.as_deref(), Some("ci-deploy"));
        assert_eq!(key.apikey.as_ref().unwrap().expose(), "");
        assert!(parse_time(key.created_at.as_deref()).is_some());
    }

    fn fields(body: &[u8]) -> (Option<String>, Option<String>, Option<String>) {
        error_fields(&serde_json::from_slice(body).unwrap_or_default())
    }

    #[test]
    fn errors_follow_the_sdk_cascade() {
        let v1 = br#"{"context":{"transaction_id":"tx-1"},"status_code":"404",
            "errors":[{"code":"not_found","message_code":"BXNIM0507E","message":"API key not found."}],
            "trace":"tr-1"}"#;
        let (code, message, request_id) = fields(v1);
        assert_eq!(code.as_deref(), Some("BXNIM0507E"));
        assert_eq!(message.as_deref(), Some("API key not found."));
        assert_eq!(request_id.as_deref(), Some("tx-1"));

        let token =
            br#"{"errorCode":"BXNIM0415E","errorMessage":"Provided API key could not be found.",
            "context":{"requestId":"req-9"}}"#;
        let (code, message, request_id) = fields(token);
        assert_eq!(code.as_deref(), Some("BXNIM0415E"));
        assert_eq!(
            message.as_deref(),
            Some("Provided API key could not be found.")
        );
        assert_eq!(request_id.as_deref(), Some("req-9"));

        assert_eq!(fields(b"<html>bad gateway</html>"), (None, None, None));
    }
}
