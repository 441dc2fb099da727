//! The journal of one rotation: a small JSON file per rotation in `<data dir>/rotations/`,
//! written atomically with mode 0600 before and after each step. It holds ids, names, the step
//! reached and the user's choices — never a secret (the new secret lives in the reveal store,
//! named here only by its opaque handle, which is useless outside the process that holds it).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::deliver::Delivery;
use super::plan::{Plan, Retire};
use crate::error::{Code, Error, Result};
use crate::fsutil::{self, Overwrite};
use crate::model::{KeyRecord, NewKey, VendorId};

/// A rotation's steps, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Plan,
    Create,
    Deliver,
    Verify,
    Retire,
    Done,
}

impl Step {
    pub fn label(self) -> &'static str {
        match self {
            Step::Plan => "plan",
            Step::Create => "create",
            Step::Deliver => "deliver",
            Step::Verify => "verify",
            Step::Retire => "retire",
            Step::Done => "done",
        }
    }
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Where a rotation stopped, and why (the error's code and message, no secret in either).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StepFailure {
    pub step: Step,
    pub code: Code,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Journal {
    /// `rot_` and 16 hex digits.
    pub id: String,
    pub account_id: String,
    pub vendor: VendorId,
    /// The key being replaced, as it was listed when the rotation began (its masked hint left
    /// out).
    pub old: KeyRecord,
    /// What is (or was) created.
    pub spec: NewKey,
    pub new_key_id: Option<String>,
    /// The step reached, and whether it finished.
    pub step: Step,
    pub finished: bool,
    pub failure: Option<StepFailure>,
    pub delivery: Option<Delivery>,
    /// What delivery changed, e.g. "profile DEFAULT in /home/me/.oci/config".
    pub delivered: Option<String>,
    /// A copy of an updated file as it was before, kept until the rotation is done (an undo
    /// puts it back). It holds the old secret, as the file itself did, with the same care.
    pub backup: Option<std::path::PathBuf>,
    pub retire: Retire,
    pub grace_until: Option<DateTime<Utc>>,
    /// The reveal-store handle of the new secret in the process that created it.
    pub secret_handle: Option<String>,
    pub started_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Journal {
    pub fn new(plan: &Plan) -> Journal {
        let now = Utc::now();
        let mut old = plan.old.clone();
        old.secret_hint = None;
        Journal {
            id: format!("rot_{}", &uuid::Uuid::new_v4().simple().to_string()[..16]),
            account_id: plan.account_id.clone(),
            vendor: plan.old.vendor,
            old,
            spec: plan.spec.clone(),
            new_key_id: None,
            step: Step::Plan,
            finished: true,
            failure: None,
            delivery: plan.delivery.clone(),
            delivered: None,
            backup: None,
            retire: plan.retire,
            grace_until: plan.grace_until,
            secret_handle: None,
            started_at: now,
            updated_at: now,
        }
    }

    /// Whether `step` already finished in this rotation.
    pub fn passed(&self, step: Step) -> bool {
        self.step > step || (self.step == step && self.finished)
    }
}

/// The journals of one data directory.
#[derive(Debug, Clone)]
pub struct Journals {
    dir: PathBuf,
}

impl Journals {
    pub fn new(data_dir: &Path) -> Journals {
        Journals {
            dir: data_dir.join("rotations"),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn file(&self, id: &str) -> Result<PathBuf> {
        let valid = id.len() == 20
            && id.starts_with("rot_")
            && id[4..].chars().all(|c| c.is_ascii_hexdigit());
        if !valid {
            return Err(Error::validation(
                "rotation",
                format!("`{id}` is not a rotation id (rot_ and 16 hex digits)"),
            ));
        }
        Ok(self.dir.join(format!("{id}.json")))
    }

    pub fn save(&self, journal: &mut Journal) -> Result<()> {
        journal.updated_at = Utc::now();
        let text = serde_json::to_vec_pretty(journal)
            .map_err(|e| Error::internal(format!("could not encode a rotation journal: {e}")))?;
        fsutil::write_private(&self.file(&journal.id)?, &text, Overwrite::Replace)
    }

    pub fn load(&self, id: &str) -> Result<Journal> {
        let path = self.file(id)?;
        let text = match std::fs::read(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::NotFound {
                    message: format!("there is no rotation {id} left to resume or undo"),
                    detail: None,
                })
            }
            Err(e) => return Err(Error::io(&format!("could not read {}", path.display()), e)),
        };
        serde_json::from_slice(&text).map_err(|e| {
            Error::config(format!(
                "the rotation journal {} cannot be read ({e}); remove it if it is not needed",
                path.display()
            ))
        })
    }

    /// Every journal left behind, oldest first; unreadable files are skipped (and logged).
    pub fn list(&self) -> Result<Vec<Journal>> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(Error::io(
                    &format!("could not read {}", self.dir.display()),
                    e,
                ))
            }
        };
        let mut all = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(id) = name.strip_suffix(".json") else {
                continue;
            };
            match self.load(id) {
                Ok(j) => all.push(j),
                Err(e) => tracing::warn!(file = %name, error = %e, "skipping a rotation journal"),
            }
        }
        all.sort_by_key(|j| j.started_at);
        Ok(all)
    }

    pub fn remove(&self, id: &str) -> Result<()> {
        match std::fs::remove_file(self.file(id)?) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io("could not remove a rotation journal", e)),
        }
    }
}
