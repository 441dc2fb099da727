//! The organization's admin API keys (`/organization/admin_api_keys`): listed beside the
//! project keys and marked "Admin key", created with an optional expiry, deleted. Their ids
//! are `admin/<key_id>` (see `record.rs`).

use chrono::{DateTime, Utc};
use reqwest::Method;

use super::client::OpenAiClient;
use super::errors::Subject;
use super::record::{self, Scoped, ADMIN};
use super::wire::{AdminApiKey, CreateAdminKey};
use crate::error::{Error, Result};
use crate::http::Retry;
use crate::model::{CreatedKey, KeyRecord};

impl OpenAiClient {
    /// Every admin key of the organization, walked by the last item's id as the SDK does.
    pub(super) async fn admin_keys(&self) -> Result<Vec<AdminApiKey>> {
        self.list_all(&["organization", "admin_api_keys"], &[], Subject::AdminKeys)
            .await
    }

    pub(super) async fn admin_records(&self, now: DateTime<Utc>) -> Result<Vec<KeyRecord>> {
        Ok(self
            .admin_keys()
            .await?
            .iter()
            .map(|k| record::admin_record(k, &self.account_id, now))
            .collect())
    }

    pub(super) async fn get_admin_key(&self, id: &str) -> Result<KeyRecord> {
        let url = self.url(&["organization", "admin_api_keys", id]);
        let key: AdminApiKey = self.get(&url, Subject::AdminKey(id)).await?;
        Ok(record::admin_record(&key, &self.account_id, Utc::now()))
    }

    /// A2: the new key's value is in this answer only. Never retried: a lost answer would
    /// otherwise make a second key.
    pub(super) async fn create_admin_key(
        &self,
        name: &str,
        expires_in_seconds: Option<i64>,
    ) -> Result<CreatedKey> {
        let url = self.url(&["organization", "admin_api_keys"]);
        let body = serde_json::to_vec(&CreateAdminKey {
            name,
            expires_in_seconds,
        })
        .map_err(|e| Error::Decode {
            message: format!("could not encode the request: {e}"),
            raw: None,
        })?;
        let mut key: AdminApiKey = self
            .call(
                Method::POST,
                &url,
                Some(&body),
                Retry::Never,
                Subject::AdminKeys,
            )
            .await?;
        let secret = key.value.take().ok_or_else(|| Error::Decode {
            message: format!(
                "OpenAI created admin key {} without returning its value: delete it and try again",
                key.id
            ),
            raw: None,
        })?;
        let mut record = record::admin_record(&key, &self.account_id, Utc::now());
        record.secret_hint = Some(secret.hint());
        Ok(CreatedKey {
            record,
            secret,
            public_key_pem: None,
        })
    }

    pub(super) async fn delete_admin_key(&self, id: &str) -> Result<()> {
        let url = self.url(&["organization", "admin_api_keys", id]);
        self.delete(&url, id, Subject::AdminKey(id)).await
    }
}

/// The bare admin key id an `admin/<key_id>` id names, if it names one.
pub(super) fn admin_id(id: &str) -> Option<String> {
    let scoped = Scoped::parse(id, "id", "API key").ok()?;
    (scoped.project.as_deref() == Some(ADMIN)).then_some(scoped.id)
}
