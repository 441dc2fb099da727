//! Running a rotation: each step journaled before and after and audited; a failure stops at
//! its step with the old key untouched (it is touched only in the last step), and the report
//! says which step failed and what exists now. Resume and undo work from the journal alone, in
//! any later process.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::deliver;
use super::journal::{Journal, Journals, Step, StepFailure};
use super::plan::{Plan, Retire};
use crate::accounts::Registry;
use crate::audit::{AuditAction, AuditEntry};
use crate::error::{Error, Result};
use crate::model::{Account, KeyRecord};
use crate::reveal::{PendingSecret, RevealStore};
use crate::secret::Sensitive;
use crate::vendor::Vendor;

/// How long to wait before asking again when a vendor does not accept a brand-new key yet (new
/// keys can take seconds to reach every IAM endpoint).
const VERIFY_RETRIES: [Duration; 2] = [Duration::from_secs(2), Duration::from_secs(5)];

/// What became of the old key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OldKeyState {
    Active,
    Disabled,
    Deleted,
}

/// The outcome of a rotation (or of its resume or undo): no secret — the new one is in the
/// reveal store, named by `secret.handle`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RotationReport {
    pub id: String,
    pub account_id: String,
    pub old_key_id: String,
    pub old_key: OldKeyState,
    pub new_key_id: Option<String>,
    pub new_key: Option<KeyRecord>,
    pub secret: Option<PendingSecret>,
    /// The step reached: `done` when it all went through.
    pub step: Step,
    pub failure: Option<StepFailure>,
    pub delivered: Option<String>,
    pub retire: Retire,
    pub grace_until: Option<DateTime<Utc>>,
    /// The journal is still there (to resume or undo, or as the grace period's reminder).
    pub journal_left: bool,
    /// What happened and what exists now, in a sentence or three.
    pub summary: String,
    /// Other files that held the old key, updated once the rotation was done
    /// ([`Rotation::also_update`]); empty otherwise.
    #[serde(default)]
    pub also_updated: Vec<super::also::FileUpdate>,
}

impl RotationReport {
    pub fn done(&self) -> bool {
        self.step == Step::Done && self.failure.is_none()
    }
}

/// Each step as it starts and ends, for a shell to show (the CLI prints them on stderr).
pub type Progress<'a> = Box<dyn Fn(Step, &str) + Send + Sync + 'a>;

pub struct Rotation<'a> {
    registry: &'a Registry,
    reveal: &'a RevealStore,
    journals: Journals,
    verify_retries: Vec<Duration>,
    progress: Progress<'a>,
}

impl<'a> Rotation<'a> {
    pub fn new(registry: &'a Registry, reveal: &'a RevealStore) -> Self {
        Rotation {
            registry,
            reveal,
            journals: Journals::new(&registry.paths().data_dir),
            verify_retries: VERIFY_RETRIES.to_vec(),
            progress: Box::new(|_, _| {}),
        }
    }

    pub fn on_progress(mut self, progress: impl Fn(Step, &str) + Send + Sync + 'a) -> Self {
        self.progress = Box::new(progress);
        self
    }

    /// Waits between verify attempts the vendor refused (tests: none).
    pub fn verify_retries(mut self, delays: Vec<Duration>) -> Self {
        self.verify_retries = delays;
        self
    }

    pub fn journals(&self) -> &Journals {
        &self.journals
    }

    pub(super) fn registry(&self) -> &Registry {
        self.registry
    }

    pub(super) fn reveal(&self) -> &RevealStore {
        self.reveal
    }

    /// Run a planned rotation to the end, or to the step that failed.
    pub async fn run(&self, plan: Plan) -> RotationReport {
        let mut j = Journal::new(&plan);
        let mut entry = AuditEntry::new(AuditAction::RotationStart)
            .key(&plan.old)
            .detail(format!(
                "{}: then {}{}",
                j.id,
                j.retire.label(),
                j.delivery
                    .as_ref()
                    .map(|d| format!(", deliver to {}", d.path().display()))
                    .unwrap_or_default()
            ));
        if let Ok(account) = self.registry.account(&j.account_id) {
            entry = entry.account(&account);
        }
        let saved = self.journals.save(&mut j);
        self.registry.audit(entry.outcome(&saved));
        if let Err(e) = saved {
            j.step = Step::Create;
            return self.stopped(j, None, e, false);
        }
        self.proceed(j, false).await
    }

    /// Go on with a rotation left behind, from the step it reached.
    pub async fn resume(&self, id: &str) -> Result<RotationReport> {
        let mut j = self.journals.load(id)?;
        if j.step == Step::Done {
            return Ok(self.report(&j, None));
        }
        j.failure = None;
        (self.progress)(j.step, &format!("resuming rotation {id} at {}", j.step));
        Ok(self.proceed(j, true).await)
    }

    /// Take back a rotation left behind: put an updated file back, delete the new key, forget
    /// the journal. The old key is left as it is (re-enabled if the rotation disabled it).
    pub async fn undo(&self, id: &str) -> Result<RotationReport> {
        let mut j = self.journals.load(id)?;
        let result = self.undo_steps(&mut j).await;
        let mut entry = AuditEntry::new(AuditAction::RotationUndo)
            .key(&j.old)
            .detail(format!(
                "{}: new key {}",
                j.id,
                j.new_key_id.as_deref().unwrap_or("none")
            ))
            .outcome(&result);
        if let Ok(account) = self.registry.account(&j.account_id) {
            entry = entry.account(&account);
        }
        self.registry.audit(entry);
        result?;
        self.journals.remove(id)?;
        let mut report = self.report(&j, None);
        report.journal_left = false;
        report.old_key = OldKeyState::Active;
        report.summary = format!(
            "Rotation {} undone: {}; the old key {} is unchanged and active.",
            j.id,
            match &j.new_key_id {
                Some(n) => format!("the new key {n} was deleted"),
                None => "no new key had been created".into(),
            },
            j.old.id
        );
        Ok(report)
    }

    async fn undo_steps(&self, j: &mut Journal) -> Result<()> {
        if j.step == Step::Done {
            return Err(Error::Conflict {
                message: format!(
                    "rotation {} finished (the old key was {}d); there is nothing to undo",
                    j.id,
                    j.retire.label()
                ),
                detail: None,
            });
        }
        let vendor = self.registry.vendor(&j.account_id).await?;
        if j.step == Step::Retire {
            // The old key may be gone already: then the new key is the one that works.
            match vendor.get(&j.old.id).await {
                Err(Error::NotFound { .. }) => {
                    return Err(Error::Conflict {
                        message: format!(
                            "the old key {} is already deleted, so the new key {} is the one \
                             that works: resume rotation {} instead of undoing it",
                            j.old.id,
                            j.new_key_id.as_deref().unwrap_or("?"),
                            j.id
                        ),
                        detail: None,
                    })
                }
                Err(e) => return Err(e),
                Ok(old) => {
                    if j.retire == Retire::Disable
                        && old.status == crate::model::KeyStatus::Disabled
                    {
                        self.registry
                            .set_disabled(&j.account_id, &j.old.id, false)
                            .await?;
                    }
                }
            }
        }
        if let (Some(delivery), Some(backup)) = (&j.delivery, &j.backup) {
            deliver::restore(delivery, backup)?;
            j.backup = None;
        }
        if let Some(new_id) = &j.new_key_id {
            match self.registry.delete_key(&j.account_id, new_id).await {
                Ok(_) | Err(Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        if let Some(handle) = &j.secret_handle {
            let _ = self.reveal.dismiss(handle);
        }
        Ok(())
    }

    /// Run the steps not yet done. `resumed`: the journal comes from an earlier run, which
    /// may have created a key this one cannot see yet, so it is never thrown away on a failure.
    async fn proceed(&self, mut j: Journal, resumed: bool) -> RotationReport {
        let mut new = None;
        match self.steps(&mut j, &mut new).await {
            Ok(()) => self.finished(j, new),
            Err(e) => self.stopped(j, new, e, resumed),
        }
    }

    async fn steps(&self, j: &mut Journal, new: &mut Option<KeyRecord>) -> Result<()> {
        let account = self.registry.account(&j.account_id)?;
        let vendor = self.registry.vendor(&j.account_id).await?;

        if j.new_key_id.is_none() {
            let resumed = j.step == Step::Create;
            self.begin(j, &account, Step::Create, "creating the new key")?;
            if resumed {
                self.no_earlier_create(j, vendor.as_ref()).await?;
            }
            let created = match self.registry.create_key(&j.account_id, &j.spec).await {
                Ok(created) => created,
                Err(e) => {
                    if let Error::CreateLost {
                        recovered: Some(record),
                        ..
                    } = &e
                    {
                        j.new_key_id = Some(record.id.clone());
                        *new = Some((**record).clone());
                    }
                    return Err(e);
                }
            };
            let info = self.reveal.hold(created);
            j.new_key_id = Some(info.record.id.clone());
            j.secret_handle = Some(info.handle.clone());
            *new = Some(info.record.clone());
            self.end(j, &account, &format!("created {}", info.record.id))?;
        }
        let record = match new.clone() {
            Some(r) => r,
            None => {
                let id = j.new_key_id.clone().unwrap_or_default();
                vendor.get(&id).await?
            }
        };
        *new = Some(record.clone());

        if let Some(delivery) = j.delivery.clone() {
            if !j.passed(Step::Deliver) {
                self.begin(
                    j,
                    &account,
                    Step::Deliver,
                    &delivery.path().display().to_string(),
                )?;
                let secret = self.secret(j)?;
                let result = deliver::deliver(&delivery, &j.id, &j.old, &record, &secret, &account);
                self.registry.audit(
                    AuditEntry::new(AuditAction::SecretSave)
                        .account(&account)
                        .key(&record)
                        .detail(format!("rotation {}: {}", j.id, delivery.path().display()))
                        .outcome(&result),
                );
                let (what, backup) = result?;
                let place = crate::places::KeyPlace {
                    account_id: j.account_id.clone(),
                    key_id: record.id.clone(),
                    path: delivery.path().to_path_buf(),
                    what: what.clone(),
                    saved_at: Utc::now(),
                };
                let replaced = matches!(delivery, deliver::Delivery::UpdateFile { .. })
                    .then_some(j.old.id.as_str());
                if let Err(e) = self.registry.remember_place(place, replaced).await {
                    // A hint for later, not part of the rotation: it goes on.
                    tracing::warn!(rotation = %j.id, error = %e, "could not remember where the key went");
                }
                if let Some(handle) = &j.secret_handle {
                    self.reveal.mark_saved(handle);
                }
                j.delivered = Some(what.clone());
                j.backup = backup;
                self.end(j, &account, &format!("wrote {what}"))?;
            }
        }

        if !j.passed(Step::Verify) {
            self.begin(j, &account, Step::Verify, "signing in with the new key")?;
            let secret = self.secret(j)?;
            self.verify(vendor.as_ref(), &record, &secret).await?;
            self.end(j, &account, "the new key authenticates")?;
        }

        if !j.passed(Step::Retire) {
            let what = match j.retire {
                Retire::Delete => format!("deleting the old key {}", j.old.id),
                Retire::Disable => format!("disabling the old key {}", j.old.id),
                Retire::Keep => format!("keeping the old key {}", j.old.id),
            };
            self.begin(j, &account, Step::Retire, &what)?;
            match j.retire {
                Retire::Delete => {
                    self.registry.delete_key(&j.account_id, &j.old.id).await?;
                }
                Retire::Disable => {
                    self.registry
                        .set_disabled(&j.account_id, &j.old.id, true)
                        .await?
                }
                Retire::Keep => {}
            }
            self.end(j, &account, &format!("old key {}", j.retire.label()))?;
        }
        j.step = Step::Done;
        j.finished = true;
        Ok(())
    }

    /// A create cut short by the end of a process may have made the key: look for it, so a
    /// resumed rotation never makes a second one.
    async fn no_earlier_create(&self, j: &mut Journal, vendor: &dyn Vendor) -> Result<()> {
        let since = j.started_at - chrono::Duration::minutes(2);
        let keys = vendor.list().await?;
        let found = keys.into_iter().find(|k| {
            k.id != j.old.id
                && k.owner.as_ref().map(|o| &o.id) == j.old.owner.as_ref().map(|o| &o.id)
                && k.created_at.is_some_and(|t| t >= since)
                && (j.spec.name.is_none() || k.name == j.spec.name)
                && (j.spec.name.is_some() || k.description == j.spec.description)
        });
        if let Some(key) = found {
            j.new_key_id = Some(key.id.clone());
            return Err(Error::CreateLost {
                message: format!(
                    "the interrupted rotation had created the new key {}, but its secret ended \
                     with that process; undo rotation {} to delete it, then rotate again",
                    key.id, j.id
                ),
                recovered: Some(Box::new(key)),
            });
        }
        Ok(())
    }

    async fn verify(
        &self,
        vendor: &dyn Vendor,
        key: &KeyRecord,
        secret: &Sensitive<String>,
    ) -> Result<()> {
        let mut waits = self.verify_retries.iter();
        loop {
            match vendor.verify_key(key, secret).await {
                Err(e @ Error::Unauthorized { .. }) => match waits.next() {
                    Some(wait) => {
                        (self.progress)(
                            Step::Verify,
                            &format!("not accepted yet; asking again in {}s", wait.as_secs()),
                        );
                        tokio::time::sleep(*wait).await;
                    }
                    None => return Err(e),
                },
                other => return other,
            }
        }
    }

    /// The new secret, from the reveal store of this process.
    fn secret(&self, j: &Journal) -> Result<Sensitive<String>> {
        let lost = || Error::Conflict {
            message: format!(
                "the new key {} exists, but its secret was held only by the process that \
                 created it, which has ended{}; undo rotation {} to delete the new key, then \
                 rotate again",
                j.new_key_id.as_deref().unwrap_or("?"),
                j.delivered
                    .as_ref()
                    .map(|d| format!(" (it was written to {d})"))
                    .unwrap_or_default(),
                j.id
            ),
            detail: None,
        };
        let handle = j.secret_handle.as_deref().ok_or_else(lost)?;
        self.reveal
            .with_secret(handle, |_, secret, _| Ok(secret.clone()))
            .map_err(|_| lost())
    }

    /// Journal and audit that `step` starts.
    fn begin(&self, j: &mut Journal, account: &Account, step: Step, what: &str) -> Result<()> {
        j.step = step;
        j.finished = false;
        (self.progress)(step, what);
        let saved = self.journals.save(j);
        self.audit_step(j, account, &format!("{step} started: {what}"), &saved);
        saved
    }

    /// Journal and audit that the current step finished.
    fn end(&self, j: &mut Journal, account: &Account, what: &str) -> Result<()> {
        j.finished = true;
        (self.progress)(j.step, what);
        let saved = self.journals.save(j);
        self.audit_step(j, account, &format!("{} finished: {what}", j.step), &saved);
        saved
    }

    fn audit_step(&self, j: &Journal, account: &Account, what: &str, result: &Result<()>) {
        self.registry.audit(
            AuditEntry::new(AuditAction::RotationStep)
                .account(account)
                .key(&j.old)
                .detail(format!("{}: {what}", j.id))
                .outcome(result),
        );
    }

    fn finished(&self, mut j: Journal, new: Option<KeyRecord>) -> RotationReport {
        if let Some(backup) = j.backup.take() {
            deliver::forget_backup(&backup);
        }
        // A kept key with a grace period keeps its journal: the reminder of when it is due.
        let keep_journal = j.retire == Retire::Keep && j.grace_until.is_some();
        let cleaned = if keep_journal {
            self.journals.save(&mut j)
        } else {
            self.journals.remove(&j.id)
        };
        if let Err(e) = &cleaned {
            tracing::warn!(rotation = %j.id, error = %e, "could not tidy the rotation journal");
        }
        let mut entry = AuditEntry::new(AuditAction::RotationDone)
            .key(&j.old)
            .detail(format!(
                "{}: new key {}, old key {}",
                j.id,
                j.new_key_id.as_deref().unwrap_or("?"),
                j.retire.label()
            ));
        if let Ok(account) = self.registry.account(&j.account_id) {
            entry = entry.account(&account);
        }
        self.registry.audit(entry);
        let mut report = self.report(&j, new);
        report.journal_left = keep_journal;
        report
    }

    fn stopped(
        &self,
        mut j: Journal,
        new: Option<KeyRecord>,
        error: Error,
        resumed: bool,
    ) -> RotationReport {
        let public = error.to_public();
        j.finished = false;
        j.failure = Some(StepFailure {
            step: j.step,
            code: public.code,
            message: public.message.clone(),
        });
        (self.progress)(j.step, &format!("failed: {}", public.message));
        // Nothing was created: nothing is left behind to resume or undo.
        let nothing = !resumed && j.new_key_id.is_none() && j.step <= Step::Create;
        let kept = if nothing {
            self.journals.remove(&j.id).map(|()| false)
        } else {
            self.journals.save(&mut j).map(|()| true)
        };
        let mut entry = AuditEntry::new(AuditAction::RotationStep)
            .key(&j.old)
            .detail(format!("{}: stopped at {}", j.id, j.step))
            .failed(&public);
        if let Ok(account) = self.registry.account(&j.account_id) {
            entry = entry.account(&account);
        }
        self.registry.audit(entry);
        let mut report = self.report(&j, new);
        report.journal_left = kept.unwrap_or(true);
        report
    }

    fn report(&self, j: &Journal, new: Option<KeyRecord>) -> RotationReport {
        let secret = j
            .secret_handle
            .as_deref()
            .and_then(|h| self.reveal.info(h).ok());
        let old_key = match (j.passed(Step::Retire), j.retire) {
            (true, Retire::Delete) => OldKeyState::Deleted,
            (true, Retire::Disable) => OldKeyState::Disabled,
            _ => OldKeyState::Active,
        };
        let summary = summary(j, old_key, secret.is_some());
        RotationReport {
            id: j.id.clone(),
            account_id: j.account_id.clone(),
            old_key_id: j.old.id.clone(),
            old_key,
            new_key_id: j.new_key_id.clone(),
            new_key: new,
            secret,
            step: j.step,
            failure: j.failure.clone(),
            delivered: j.delivered.clone(),
            retire: j.retire,
            grace_until: j.grace_until,
            journal_left: true,
            summary,
            also_updated: Vec::new(),
        }
    }
}

fn summary(j: &Journal, old_key: OldKeyState, secret_held: bool) -> String {
    let old = match old_key {
        OldKeyState::Deleted => format!("the old key {} was deleted", j.old.id),
        OldKeyState::Disabled => format!("the old key {} was disabled", j.old.id),
        OldKeyState::Active => match (j.step, j.grace_until) {
            (Step::Done, Some(t)) => format!(
                "the old key {} is kept until {} (delete it then)",
                j.old.id,
                t.format("%Y-%m-%d")
            ),
            _ => format!("the old key {} is still active", j.old.id),
        },
    };
    let new = match &j.new_key_id {
        None => "no new key was created".to_string(),
        Some(id) => {
            let mut s = format!("the new key {id} exists");
            match (&j.delivered, secret_held) {
                (Some(d), _) => s.push_str(&format!(", its secret written to {d}")),
                (None, true) => s.push_str(", its secret held to reveal or save"),
                (None, false) => s.push_str(", its secret is no longer held"),
            }
            s
        }
    };
    match &j.failure {
        None if j.step == Step::Done => format!("Rotated: {new}; {old}."),
        None => format!("Rotation {} is at {}: {new}; {old}.", j.id, j.step),
        Some(f) => {
            let next = if j.new_key_id.is_some() {
                format!(" Resume or undo rotation {}.", j.id)
            } else {
                String::new()
            };
            format!(
                "Stopped at {}: {}. Now {new}; {old}.{next}",
                f.step, f.message
            )
        }
    }
}
