//! More files that held the old key, updated after a rotation is done: the delivery step
//! updates one file before verify (journaled, put back on undo); "Used in" may find others,
//! which the user asks to update too. They change only once the new key works, each on its
//! own — a file that cannot be updated is reported and the others go on — through the same
//! in-place replacement, audited and remembered like the delivery.

use std::path::PathBuf;

use chrono::Utc;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::deliver::{self, Delivery};
use super::run::{Rotation, RotationReport};
use crate::audit::{AuditAction, AuditEntry};
use crate::error::{Error, Result};
use crate::model::KeyRecord;
use crate::places::KeyPlace;

/// How one more file went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FileUpdate {
    #[ts(type = "string")]
    pub path: PathBuf,
    /// What changed ("profile CI in …"), when it was updated.
    pub updated: Option<String>,
    /// Why not, when it was not.
    pub error: Option<String>,
}

impl Rotation<'_> {
    /// Update `paths` (other files that held `old`) for the new key of the finished rotation
    /// `report`; nothing is done for a rotation that did not finish. Fills
    /// `report.also_updated`.
    pub async fn also_update(
        &self,
        old: &KeyRecord,
        report: &mut RotationReport,
        paths: &[PathBuf],
    ) {
        if !report.done() || paths.is_empty() {
            return;
        }
        let mut done = Vec::new();
        for path in paths {
            let result = self.update_one(old, report, path).await;
            done.push(FileUpdate {
                path: path.clone(),
                error: result.as_ref().err().map(|e| e.to_public().message),
                updated: result.ok(),
            });
        }
        let failed = done.iter().filter(|f| f.error.is_some()).count();
        report
            .summary
            .push_str(&match (done.len() - failed, failed) {
                (n, 0) => format!(" Also updated {n} more file{}.", plural(n)),
                (n, f) => format!(
                    " Also updated {n} more file{}; {f} could not be updated (see each).",
                    plural(n)
                ),
            });
        report.also_updated = done;
    }

    async fn update_one(
        &self,
        old: &KeyRecord,
        report: &RotationReport,
        path: &std::path::Path,
    ) -> Result<String> {
        let registry = self.registry();
        let account = registry.account(&report.account_id)?;
        let new = report
            .new_key
            .as_ref()
            .ok_or_else(|| Error::internal("a finished rotation without its new key"))?;
        let handle = report
            .secret
            .as_ref()
            .map(|s| s.handle.as_str())
            .ok_or_else(|| Error::Conflict {
                message: "the new secret is no longer held, so no more files can be updated".into(),
                detail: None,
            })?;
        let secret = self
            .reveal()
            .with_secret(handle, |_, secret, _| Ok(secret.clone()))?;
        let delivery = Delivery::UpdateFile {
            path: path.to_path_buf(),
        };
        let result = deliver::check(&delivery, old, &account)
            .and_then(|()| deliver::deliver(&delivery, &report.id, old, new, &secret, &account));
        registry.audit(
            AuditEntry::new(AuditAction::SecretSave)
                .account(&account)
                .key(new)
                .detail(format!("rotation {}: also {}", report.id, path.display()))
                .outcome(&result),
        );
        let (what, backup) = result?;
        // The rotation is done: there is nothing to undo this against.
        if let Some(backup) = backup {
            deliver::forget_backup(&backup);
        }
        let place = KeyPlace {
            account_id: report.account_id.clone(),
            key_id: new.id.clone(),
            path: path.to_path_buf(),
            what: what.clone(),
            saved_at: Utc::now(),
        };
        if let Err(e) = registry.remember_place(place, Some(&old.id)).await {
            tracing::warn!(error = %e, "could not remember where the key went");
        }
        Ok(what)
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
