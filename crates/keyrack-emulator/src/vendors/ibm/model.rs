//! What the IBM emulator remembers: one account, its identities (users and service IDs), their
//! API keys, and the key that signs access tokens.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    /// 32 hex characters.
    pub account_id: String,
    /// The seeded administrator (a user) and the value of its API key, for the manifest.
    pub admin_iam_id: String,
    pub admin_api_key: String,
    /// HMAC key of the access tokens this emulator issues (hex).
    pub signing_key: String,
    pub identities: Vec<Identity>,
    /// In creation order.
    pub keys: Vec<ApiKey>,
    /// `None` = `DEFAULT_APIKEYS_PER_IDENTITY`.
    pub apikeys_per_identity: Option<u32>,
    /// Activity reports made, oldest first.
    pub reports: Vec<super::activity::Report>,
    /// How long a new activity report takes to be ready; `None` = `DEFAULT_REPORT_DELAY_MS`.
    pub report_delay_ms: Option<u64>,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("account_id", &self.account_id)
            .field("admin_iam_id", &self.admin_iam_id)
            .field("admin_api_key", &"<redacted>")
            .field("signing_key", &"<redacted>")
            .field("identities", &self.identities)
            .field("keys", &self.keys)
            .field("reports", &self.reports.len())
            .finish()
    }
}

impl State {
    pub fn identity(&self, iam_id: &str) -> Option<&Identity> {
        self.identities.iter().find(|i| i.iam_id == iam_id)
    }

    pub fn key_mut(&mut self, id: &str) -> Option<&mut ApiKey> {
        self.keys.iter_mut().find(|k| k.id == id)
    }

    pub fn key_by_value(&self, value: &str) -> Option<&ApiKey> {
        self.keys.iter().find(|k| k.apikey == value)
    }

    pub fn keys_of(&self, iam_id: &str) -> usize {
        self.keys.iter().filter(|k| k.iam_id == iam_id).count()
    }

    pub fn limit_per_identity(&self) -> u32 {
        self.apikeys_per_identity
            .unwrap_or(super::DEFAULT_APIKEYS_PER_IDENTITY)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityKind {
    User,
    ServiceId,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Identity {
    /// `IBMid-…` for users, `iam-ServiceId-<uuid>` for service IDs.
    pub iam_id: String,
    pub kind: IdentityKind,
    pub name: String,
    pub account_id: String,
    /// Users only; reported by the token endpoint.
    pub ims_user_id: Option<u64>,
    /// Service IDs: when it was made (`created_at` / `modified_at` of `GET /v1/serviceids`).
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct ApiKey {
    /// `ApiKey-<uuid>`.
    pub id: String,
    /// Bumped on every write; `entity_tag` is `<version>-<random hex>`.
    pub version: u64,
    pub entity_tag: String,
    pub account_id: String,
    pub iam_id: String,
    pub name: String,
    pub description: Option<String>,
    /// The secret itself.
    pub apikey: String,
    /// Service-ID keys only: the value stays readable after create.
    pub store_value: bool,
    pub locked: bool,
    pub disabled: bool,
    pub support_sessions: Option<bool>,
    pub action_when_leaked: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub modified_at: DateTime<Utc>,
    pub history: Vec<HistoryRecord>,
    /// Successful token exchanges, for `include_activity`.
    pub authn_count: u64,
    pub last_authn: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiKey")
            .field("id", &self.id)
            .field("iam_id", &self.iam_id)
            .field("name", &self.name)
            .field("apikey", &"<redacted>")
            .field("locked", &self.locked)
            .field("disabled", &self.disabled)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl ApiKey {
    pub fn crn(&self) -> String {
        format!(
            "crn:v1:bluemix:public:iam-identity::a/{}::apikey:{}",
            self.account_id, self.id
        )
    }

    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|e| e <= now)
    }

    /// Record a write: new entity tag, new `modified_at`, one history entry.
    pub fn touch(&mut self, by: &str, by_account: &str, action: &str, params: Vec<String>) {
        let now = Utc::now();
        self.version += 1;
        self.entity_tag = entity_tag(self.version);
        self.modified_at = now;
        self.history.push(HistoryRecord {
            timestamp: now,
            iam_id: by.to_owned(),
            iam_id_account: by_account.to_owned(),
            action: action.to_owned(),
            params,
            message: format!("API key {action}"),
        });
    }
}

pub fn entity_tag(version: u64) -> String {
    format!("{version}-{}", crate::util::random_hex(32))
}

/// One `EnityHistoryRecord` (sic, the SDK's spelling).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HistoryRecord {
    pub timestamp: DateTime<Utc>,
    pub iam_id: String,
    pub iam_id_account: String,
    pub action: String,
    pub params: Vec<String>,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let mut state = State {
            admin_api_key: "SECRET-ADMIN".into(),
            signing_key: "SECRET-SIGNING".into(),
            ..State::default()
        };
        state.keys.push(ApiKey {
            id: "ApiKey-1".into(),
            version: 1,
            entity_tag: "1-a".into(),
            account_id: "a".into(),
            iam_id: "IBMid-1".into(),
            name: "k".into(),
            description: None,
            apikey: "SECRET-KEY".into(),
            store_value: false,
            locked: false,
            disabled: false,
            support_sessions: None,
            action_when_leaked: None,
            expires_at: None,
            created_at: Utc::now(),
            created_by: "IBMid-1".into(),
            modified_at: Utc::now(),
            history: vec![],
            authn_count: 0,
            last_authn: None,
        });
        let shown = format!("{state:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
    }
}
