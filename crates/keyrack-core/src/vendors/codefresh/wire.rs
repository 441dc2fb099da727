//! Codefresh's JSON (and its one plain-text answer), as this client reads and writes it
//! (from Codefresh's API reference). Mongo-style extra fields are ignored.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::secret::Sensitive;

/// A key ("token") as listed and read.
#[derive(Debug, Deserialize)]
pub struct Key {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    /// Absent or null on legacy keys, which have full access.
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
    #[serde(default)]
    pub subject: Option<Subject>,
    #[serde(default, rename = "tokenPrefix")]
    pub token_prefix: Option<String>,
    #[serde(default)]
    pub created: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Subject {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default, rename = "ref")]
    pub reference: Option<String>,
}

/// `GET /user`: who the key is, and its accounts.
#[derive(Debug, Deserialize)]
pub struct User {
    #[serde(default, rename = "_id")]
    pub id: Option<String>,
    #[serde(default, rename = "userName")]
    pub user_name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default, rename = "activeAccountName")]
    pub active_account_name: Option<String>,
    #[serde(default)]
    pub account: Vec<UserAccount>,
}

#[derive(Debug, Deserialize)]
pub struct UserAccount {
    #[serde(default, rename = "_id")]
    pub mongo_id: Option<String>,
    #[serde(default)]
    pub id: Option<String>,
}

impl UserAccount {
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref().or(self.mongo_id.as_deref())
    }
}

/// A service account ("service user") of the account, from `/service-users`.
#[derive(Debug, Clone, Deserialize)]
pub struct ServiceUser {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(default, rename = "userName")]
    pub user_name: Option<String>,
}

/// `POST /auth/key` and `PATCH /auth/key/{id}` body; PATCH sends only what changes.
#[derive(Debug, Serialize)]
pub struct KeyBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<&'a [String]>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ErrorBody {
    pub message: Option<String>,
    pub error: Option<String>,
    pub name: Option<String>,
    pub code: Option<serde_json::Value>,
}

impl ErrorBody {
    /// A readable code: the error's name (`NOT_FOUND_ERROR`), else its numeric code.
    pub fn code(&self) -> Option<String> {
        self.name.clone().or(match &self.code {
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => None,
        })
    }

    pub fn text(&self) -> Option<String> {
        match (&self.message, &self.error) {
            (Some(m), Some(e)) if m != e => Some(format!("{m} ({e})")),
            (Some(m), _) => Some(m.clone()),
            (None, e) => e.clone(),
        }
    }
}

/// The create answer: the whole token `<keyId>.<secret>` as plain text. Returns the key id and
/// the token, or `None` when the body is not a token (the caller then looks the key up).
pub fn parse_token(body: &Sensitive<Vec<u8>>) -> Option<(String, Sensitive<String>)> {
    let raw = std::str::from_utf8(body.expose()).ok()?.trim();
    // Tolerate a JSON-quoted string, which some proxies produce.
    let text = Sensitive::new(match serde_json::from_str::<String>(raw) {
        Ok(unquoted) if raw.starts_with('"') => unquoted,
        _ => raw.to_string(),
    });
    let (id, secret) = text.expose().split_once('.')?;
    let well_formed = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic());
    if !well_formed(id) || !well_formed(secret) || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    Some((id.to_string(), text))
}

/// ISO-8601 as Codefresh writes it (`2025-03-04T09:15:12.345Z`); anything else is absent.
pub fn parse_time(value: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(value?.trim())
        .ok()
        .map(|t| t.to_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_key_parses() {
        let key: Key = serde_json::from_str(
            r#"{
              "_id": "64b7f0c2e4b0a1c2d3e4f5a6", "name": "desktop-app",
              "scopes": ["pipeline", "project", "build"],
              "subject": { "type": "user", "ref": "5d1e2f3a4b5c6d7e8f901234" },
              "tokenPrefix": "64b7f0c2",
              "scopeSnapshot": { "scopes": ["pipeline"], "_id": "x", "date": "2025-03-04T09:15:12.345Z", "__v": 0 },
              "created": "2025-03-04T09:15:12.345Z", "__v": 0
            }"#,
        )
        .unwrap();
        assert_eq!(key.id, "64b7f0c2e4b0a1c2d3e4f5a6");
        assert_eq!(
            key.subject.unwrap().reference.as_deref(),
            Some("5d1e2f3a4b5c6d7e8f901234")
        );
        assert!(parse_time(key.created.as_deref()).is_some());
        let legacy: Key =
            serde_json::from_str(r#"{"_id":"a","name":"old","scopes":null}"#).unwrap();
        assert!(legacy.scopes.is_none());
    }

    #[test]
    fn the_plain_text_token_is_split_at_the_first_dot() {
        let (id, token) = parse_token(&Sensitive::new(
            b"64b7f0c2e4b0a1c2d3e4f5a6.0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f\n".to_vec(),
        ))
        .unwrap();
        assert_eq!(id, "64b7f0c2e4b0a1c2d3e4f5a6");
        assert_eq!(
            token.expose(),
            "64b7f0c2e4b0a1c2d3e4f5a6.0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f"
        );
        let (id, _) = parse_token(&Sensitive::new(br#""abc.def""#.to_vec())).unwrap();
        assert_eq!(id, "abc");
        for bad in [
            &b""[..],
            b"nodot",
            b".secret",
            b"id.",
            b"{\"token\":\"a.b\"}",
            b"id.se cret",
            b"i-d.x",
        ] {
            assert!(
                parse_token(&Sensitive::new(bad.to_vec())).is_none(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn the_user_names_its_accounts_either_way() {
        let user: User = serde_json::from_str(
            r#"{"_id":"5d1e","userName":"jdoe","email":"jdoe@example.com","roles":["User"],
                "activeAccountName":"acme",
                "account":[{"_id":"5c0a","id":"5c0a","name":"acme","admins":[],"features":{}},{"_id":"77"}]}"#,
        )
        .unwrap();
        assert_eq!(user.account[0].id(), Some("5c0a"));
        assert_eq!(user.account[1].id(), Some("77"));
        let e: ErrorBody = serde_json::from_str(
            r#"{ "status": 404, "code": "2000", "name": "NOT_FOUND_ERROR", "message": "Token not found", "context": {} }"#,
        )
        .unwrap();
        assert_eq!(e.code().as_deref(), Some("NOT_FOUND_ERROR"));
        assert_eq!(e.text().as_deref(), Some("Token not found"));
    }
}
