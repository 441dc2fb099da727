//! The end of a grace period: a rotation that kept the old key (`then keep --grace D`) leaves
//! its journal as the reminder of when the old key is due to go. Which reminders are due is a
//! pure function of the journals and a clock; retiring one deletes the old key through the
//! registry (audited) and forgets the journal.

use chrono::{DateTime, Utc};

use super::journal::{Journal, Journals, Step};
use super::plan::Retire;
use crate::accounts::Registry;
use crate::audit::{AuditAction, AuditEntry};
use crate::error::{Error, Result};
use crate::model::KeyRecord;

/// A kept old key whose grace period is over.
#[derive(Debug, Clone, PartialEq)]
pub struct GraceEnded {
    pub rotation_id: String,
    pub account_id: String,
    /// The old key, as it was when the rotation began.
    pub old: KeyRecord,
    pub new_key_id: Option<String>,
    pub ended_at: DateTime<Utc>,
}

/// The grace end of a finished rotation that kept its old key, if it set one.
fn grace_end(j: &Journal) -> Option<DateTime<Utc>> {
    let kept = j.step == Step::Done && j.finished && j.retire == Retire::Keep;
    kept.then_some(j.grace_until).flatten()
}

/// The kept old keys whose grace ended at or before `now`, earliest first.
pub fn ended(journals: &[Journal], now: DateTime<Utc>) -> Vec<GraceEnded> {
    let mut due: Vec<GraceEnded> = journals
        .iter()
        .filter_map(|j| {
            let end = grace_end(j).filter(|t| *t <= now)?;
            Some(GraceEnded {
                rotation_id: j.id.clone(),
                account_id: j.account_id.clone(),
                old: j.old.clone(),
                new_key_id: j.new_key_id.clone(),
                ended_at: end,
            })
        })
        .collect();
    due.sort_by_key(|g| g.ended_at);
    due
}

/// When the next grace period still running ends (after `now`), if any.
pub fn next_end(journals: &[Journal], now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    journals
        .iter()
        .filter_map(grace_end)
        .filter(|t| *t > now)
        .min()
}

/// "Old key ci: grace ended — Delete".
pub fn label(g: &GraceEnded) -> String {
    format!("Old key {}: grace ended — Delete", g.old.display_name())
}

/// Delete the kept old key of rotation `id` now that its grace is over (or the user asks
/// early), and forget the journal. A key already gone counts as deleted.
pub async fn retire(registry: &Registry, id: &str) -> Result<GraceEnded> {
    let journals = Journals::new(&registry.paths().data_dir);
    let j = journals.load(id)?;
    let Some(end) = grace_end(&j) else {
        return Err(Error::Conflict {
            message: format!(
                "rotation {id} did not keep its old key for a grace period; resume or undo it"
            ),
            detail: None,
        });
    };
    let deleted = match registry.delete_key(&j.account_id, &j.old.id).await {
        Ok(_) | Err(Error::NotFound { .. }) => Ok(()),
        Err(e) => Err(e),
    };
    let mut entry = AuditEntry::new(AuditAction::RotationStep)
        .key(&j.old)
        .detail(format!("{id}: grace ended, old key deleted"))
        .outcome(&deleted);
    if let Ok(account) = registry.account(&j.account_id) {
        entry = entry.account(&account);
    }
    registry.audit(entry);
    deleted?;
    journals.remove(id)?;
    Ok(GraceEnded {
        rotation_id: j.id,
        account_id: j.account_id,
        old: j.old,
        new_key_id: j.new_key_id,
        ended_at: end,
    })
}
