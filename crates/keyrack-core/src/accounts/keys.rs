//! A key's lifecycle through the registry: each operation goes to the account's client and is
//! recorded in the audit log, whether it worked or not. Both shells call these, never a
//! client's mutating methods directly, so nothing done to a key goes unrecorded.

use std::future::Future;
use std::sync::Arc;

use super::Registry;
use crate::audit::{AuditAction, AuditEntry};
use crate::error::{Error, Result};
use crate::model::{CreatedKey, DeleteOutcome, KeyRecord, KeyUpdate, NewKey, Owner};
use crate::vendor::Vendor;

impl Registry {
    pub async fn create_key(&self, account_id: &str, spec: &NewKey) -> Result<CreatedKey> {
        let account = self.account(account_id)?;
        let result = async { self.vendor(account_id).await?.create(spec).await }.await;
        let mut entry = AuditEntry::new(AuditAction::KeyCreate)
            .account(&account)
            .outcome(&result);
        match &result {
            Ok(created) => entry = entry.key(&created.record),
            Err(Error::CreateLost {
                recovered: Some(record),
                ..
            }) => entry = entry.key(record),
            Err(_) => entry.key_name = spec.name.clone().or_else(|| spec.description.clone()),
        }
        self.audit(entry);
        result
    }

    pub async fn update_key(
        &self,
        account_id: &str,
        key_id: &str,
        changes: &KeyUpdate,
    ) -> Result<KeyRecord> {
        let account = self.account(account_id)?;
        let result = async { self.vendor(account_id).await?.update(key_id, changes).await }.await;
        let mut entry = AuditEntry::new(AuditAction::KeyUpdate)
            .account(&account)
            .key_id(key_id)
            .outcome(&result)
            .detail(changed_fields(changes));
        if let Ok(record) = &result {
            entry = entry.key(record);
        }
        self.audit(entry);
        result
    }

    pub async fn set_locked(&self, account_id: &str, key_id: &str, locked: bool) -> Result<()> {
        let action = if locked {
            AuditAction::KeyLock
        } else {
            AuditAction::KeyUnlock
        };
        self.on_key(account_id, key_id, action, |v| async move {
            v.set_locked(key_id, locked).await
        })
        .await
    }

    pub async fn set_disabled(&self, account_id: &str, key_id: &str, disabled: bool) -> Result<()> {
        let action = if disabled {
            AuditAction::KeyDisable
        } else {
            AuditAction::KeyEnable
        };
        self.on_key(account_id, key_id, action, |v| async move {
            v.set_disabled(key_id, disabled).await
        })
        .await
    }

    pub async fn delete_key(&self, account_id: &str, key_id: &str) -> Result<DeleteOutcome> {
        self.on_key(account_id, key_id, AuditAction::KeyDelete, |v| async move {
            v.delete(key_id).await
        })
        .await
    }

    /// `call` on the account's client, recorded as `action` on `key_id` with how it went.
    async fn on_key<T, F, Fut>(
        &self,
        account_id: &str,
        key_id: &str,
        action: AuditAction,
        call: F,
    ) -> Result<T>
    where
        F: FnOnce(Arc<dyn Vendor>) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let account = self.account(account_id)?;
        let result = async { call(self.vendor(account_id).await?).await }.await;
        self.audit(
            AuditEntry::new(action)
                .account(&account)
                .key_id(key_id)
                .outcome(&result),
        );
        result
    }

    /// Delete an owner left without keys (OpenAI service account), when a delete offered it.
    pub async fn delete_owner(&self, account_id: &str, owner: &Owner) -> Result<()> {
        let account = self.account(account_id)?;
        let result = async { self.vendor(account_id).await?.delete_owner(owner).await }.await;
        let mut entry = AuditEntry::new(AuditAction::OwnerDelete)
            .account(&account)
            .outcome(&result)
            .detail(format!("{:?} {}", owner.kind, owner.id));
        entry.key_name = owner.name.clone();
        self.audit(entry);
        result
    }
}

/// Which fields an update touched (names only; values can be long, and none is secret, but
/// the log says what changed, not to what).
fn changed_fields(changes: &KeyUpdate) -> String {
    let fields = [
        ("name", changes.name.is_some()),
        ("description", changes.description.is_some()),
        ("scopes", changes.scopes.is_some()),
        ("project", changes.project_id.is_some()),
        (
            "expiry",
            changes.expires_at.is_some() || changes.clear_expiry,
        ),
        ("leak action", changes.action_when_leaked.is_some()),
        ("support sessions", changes.support_sessions.is_some()),
        ("permissions", changes.permissions.is_some()),
    ];
    let touched: Vec<&str> = fields
        .iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| *name)
        .collect();
    format!("changed: {}", touched.join(", "))
}
