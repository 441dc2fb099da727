//! Which key a Keyrack id names. The account user's own keys keep Codefresh's key id
//! (`<keyId>`, the part of the token before the dot); a service user's key is
//! `<serviceUserId>/<keyId>`, because Codefresh reaches those only under the service user
//! (`/auth/key/service-user/{serviceUserId}/{keyId}`).

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyRef {
    Own(String),
    ServiceUser { service_user: String, id: String },
}

impl KeyRef {
    /// Refuses what cannot be an id before anything is sent (ids go into the path).
    pub fn parse(text: &str) -> Result<KeyRef> {
        let bad = || {
            Error::validation(
                "id",
                format!(
                    "`{text}` is not a Codefresh key id (the part of the token before the dot, \
                     or <service user id>/<key id> for a service user's key)"
                ),
            )
        };
        let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
        match text.split_once('/') {
            None if plain(text) => Ok(KeyRef::Own(text.to_string())),
            Some((su, id)) if plain(su) && plain(id) => Ok(KeyRef::ServiceUser {
                service_user: su.to_string(),
                id: id.to_string(),
            }),
            _ => Err(bad()),
        }
    }

    /// Codefresh's own key id: the token's part before the dot.
    pub fn key_id(&self) -> &str {
        match self {
            KeyRef::Own(id) | KeyRef::ServiceUser { id, .. } => id,
        }
    }

    /// The id Keyrack shows and takes back.
    pub fn record_id(&self) -> String {
        match self {
            KeyRef::Own(id) => id.clone(),
            KeyRef::ServiceUser { service_user, id } => format!("{service_user}/{id}"),
        }
    }

    /// The path segments of the key under `…/api`.
    pub fn path(&self) -> Vec<&str> {
        match self {
            KeyRef::Own(id) => vec!["auth", "key", id],
            KeyRef::ServiceUser { service_user, id } => {
                vec!["auth", "key", "service-user", service_user, id]
            }
        }
    }
}

/// The token's key id for a Keyrack id of either form (what a `.cfconfig` token starts with).
pub fn token_key_id(record_id: &str) -> &str {
    record_id.rsplit('/').next().unwrap_or(record_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_parse_and_print_back() {
        let own = KeyRef::parse("64b7f0c2e4b0a1c2d3e4f5a6").unwrap();
        assert_eq!(own.path(), ["auth", "key", "64b7f0c2e4b0a1c2d3e4f5a6"]);
        assert_eq!(own.record_id(), "64b7f0c2e4b0a1c2d3e4f5a6");
        let su = KeyRef::parse("aa11/bb22").unwrap();
        assert_eq!(su.path(), ["auth", "key", "service-user", "aa11", "bb22"]);
        assert_eq!(su.record_id(), "aa11/bb22");
        assert_eq!(su.key_id(), "bb22");
        assert_eq!(token_key_id("aa11/bb22"), "bb22");
        assert_eq!(token_key_id("bb22"), "bb22");
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "",
            "a/b/c",
            "/b",
            "a/",
            "a.b",
            "a b",
            "service-user/x/y",
            "../user",
        ] {
            assert_eq!(
                KeyRef::parse(bad).unwrap_err().code(),
                crate::Code::Validation,
                "{bad}"
            );
        }
    }
}
