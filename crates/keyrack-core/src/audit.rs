//! The audit log: an honest local record of what was done with the keys — every mutation, every
//! reveal, copy and save of a secret, every account change — one JSON line each, never a secret.
//!
//! - Lines live in `<data dir>/audit/audit.jsonl`, mode 0600; past 1 MiB the file is rotated to
//!   `audit.1.jsonl` (older ones shift up, the oldest beyond `KEEP_FILES` goes).
//! - Each line carries the SHA-256 of the line before it (`prev`), across rotations, and
//!   `audit.head` holds the hash of the last line: a removed, edited or reordered line — the
//!   last one included — breaks the chain, and [`AuditLog::verify`] names the first bad line.
//! - Appends from several processes (the app and the CLI) take a lock file in turn.

use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{Error, PublicError, Result};
use crate::model::{Account, KeyRecord, VendorId};

/// The current file grows to about this size before it is rotated.
const MAX_BYTES: u64 = 1024 * 1024;
/// Rotated files kept besides the current one.
const KEEP_FILES: u32 = 9;
/// `prev` of the very first line.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    KeyCreate,
    KeyUpdate,
    KeyLock,
    KeyUnlock,
    KeyDisable,
    KeyEnable,
    KeyDelete,
    OwnerDelete,
    SecretReveal,
    SecretCopy,
    SecretSave,
    ConfigAppend,
    SecretDismiss,
    AccountAdd,
    AccountUpdate,
    AccountRemove,
    RotationStart,
    RotationStep,
    RotationDone,
    RotationUndo,
    /// The inventory written to a file (Terraform, CSV, JSON): no secret, but what left.
    InventoryExport,
}

/// How it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum AuditOutcome {
    Ok,
    Failed {
        code: crate::error::Code,
        message: String,
    },
}

/// One line of the log, without its chain hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AuditEntry {
    pub time: DateTime<Utc>,
    /// The local user who did it.
    pub user: String,
    pub action: AuditAction,
    pub account_id: Option<String>,
    pub account_name: Option<String>,
    pub vendor: Option<VendorId>,
    pub key_id: Option<String>,
    pub key_name: Option<String>,
    pub outcome: AuditOutcome,
    /// The vendor's request id, to quote to its support.
    pub request_id: Option<String>,
    /// What else matters and holds no secret: a file a secret was saved to, a format, a step.
    pub detail: Option<String>,
}

impl AuditEntry {
    /// An entry for `action` now, by the current user, not yet about anything.
    pub fn new(action: AuditAction) -> Self {
        AuditEntry {
            time: Utc::now(),
            user: local_user(),
            action,
            account_id: None,
            account_name: None,
            vendor: None,
            key_id: None,
            key_name: None,
            outcome: AuditOutcome::Ok,
            request_id: None,
            detail: None,
        }
    }

    pub fn account(mut self, account: &Account) -> Self {
        self.account_id = Some(account.id.clone());
        self.account_name = Some(account.name.clone());
        self.vendor = Some(account.vendor);
        self
    }

    pub fn key(mut self, key: &KeyRecord) -> Self {
        self.key_id = Some(key.id.clone());
        self.key_name = Some(key.display_name().to_string());
        self.vendor = Some(key.vendor);
        self
    }

    pub fn key_id(mut self, id: &str) -> Self {
        self.key_id = Some(id.to_string());
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// The outcome of `result`: its error's code, message and vendor request id.
    pub fn outcome<T>(mut self, result: &Result<T>) -> Self {
        if let Err(e) = result {
            self = self.failed(&e.to_public());
        }
        self
    }

    pub fn failed(mut self, error: &PublicError) -> Self {
        self.outcome = AuditOutcome::Failed {
            code: error.code,
            message: error.message.clone(),
        };
        self.request_id = error.vendor.as_ref().and_then(|v| v.request_id.clone());
        self
    }
}

/// A line as stored: the entry and the hash of the line before.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Line {
    #[serde(flatten)]
    entry: AuditEntry,
    prev: String,
}

/// Which entries to read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AuditFilter {
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub account_id: Option<String>,
    pub key_id: Option<String>,
    pub action: Option<AuditAction>,
    /// At most this many, newest first (`None`: all).
    #[ts(type = "number | null")]
    pub limit: Option<usize>,
}

impl AuditFilter {
    fn matches(&self, e: &AuditEntry) -> bool {
        self.since.is_none_or(|t| e.time >= t)
            && self.until.is_none_or(|t| e.time <= t)
            && self
                .account_id
                .as_ref()
                .is_none_or(|a| e.account_id.as_ref() == Some(a))
            && self
                .key_id
                .as_ref()
                .is_none_or(|k| e.key_id.as_ref() == Some(k))
            && self.action.is_none_or(|a| e.action == a)
    }
}

/// Where the chain first breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BrokenChain {
    pub file: String,
    /// From 1.
    #[ts(type = "number")]
    pub line: usize,
    pub reason: String,
}

impl std::fmt::Display for BrokenChain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} line {}: {}", self.file, self.line, self.reason)
    }
}

/// The audit log in one folder.
#[derive(Debug, Clone)]
pub struct AuditLog {
    dir: PathBuf,
    max_bytes: u64,
}

impl AuditLog {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        AuditLog {
            dir: dir.into(),
            max_bytes: MAX_BYTES,
        }
    }

    /// Rotate at `max_bytes` instead (tests).
    pub fn with_max_bytes(mut self, max_bytes: u64) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn current(&self) -> PathBuf {
        self.dir.join("audit.jsonl")
    }

    fn rotated(&self, n: u32) -> PathBuf {
        self.dir.join(format!("audit.{n}.jsonl"))
    }

    fn head(&self) -> PathBuf {
        self.dir.join("audit.head")
    }

    /// The log's files, oldest first.
    fn files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = (1..=KEEP_FILES)
            .rev()
            .map(|n| self.rotated(n))
            .filter(|p| p.exists())
            .collect();
        if self.current().exists() {
            files.push(self.current());
        }
        files
    }

    /// Add one entry. The caller's action already happened; a log that cannot be written is
    /// reported (and logged) but does not undo it.
    pub fn append(&self, entry: &AuditEntry) -> Result<()> {
        crate::fsutil::create_private_dir(&self.dir)?;
        let lock = open_private(&self.dir.join("audit.lock"), false)?;
        lock.lock()
            .map_err(|e| Error::io("could not lock the audit log", e))?;
        let prev = match fs::read_to_string(self.head()) {
            Ok(h) => h.trim().to_string(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => GENESIS.to_string(),
            Err(e) => return Err(Error::io("could not read the audit log's head", e)),
        };
        let text = serde_json::to_string(&Line {
            entry: entry.clone(),
            prev,
        })
        .map_err(|e| Error::internal(format!("could not encode an audit entry: {e}")))?;
        if fs::metadata(self.current()).is_ok_and(|m| m.len() + text.len() as u64 > self.max_bytes)
        {
            self.rotate()?;
        }
        let mut file = open_private(&self.current(), true)?;
        writeln!(file, "{text}")
            .and_then(|()| file.sync_data())
            .map_err(|e| Error::io("could not write the audit log", e))?;
        crate::fsutil::write_private(
            &self.head(),
            hash(&text).as_bytes(),
            crate::fsutil::Overwrite::Replace,
        )
    }

    fn rotate(&self) -> Result<()> {
        let oldest = self.rotated(KEEP_FILES);
        if oldest.exists() {
            fs::remove_file(&oldest).map_err(|e| Error::io("could not rotate the audit log", e))?;
        }
        for n in (1..KEEP_FILES).rev() {
            let from = self.rotated(n);
            if from.exists() {
                fs::rename(&from, self.rotated(n + 1))
                    .map_err(|e| Error::io("could not rotate the audit log", e))?;
            }
        }
        fs::rename(self.current(), self.rotated(1))
            .map_err(|e| Error::io("could not rotate the audit log", e))
    }

    /// The entries `filter` selects, newest first.
    pub fn read(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let mut out = Vec::new();
        for file in self.files().iter().rev() {
            let mut lines: Vec<AuditEntry> = Vec::new();
            for text in read_lines(file)? {
                // A line that does not parse is the verifier's business; reading shows the rest.
                if let Ok(line) = serde_json::from_str::<Line>(&text) {
                    lines.push(line.entry);
                }
            }
            for entry in lines.into_iter().rev() {
                if filter.matches(&entry) {
                    out.push(entry);
                    if filter.limit.is_some_and(|l| out.len() >= l) {
                        return Ok(out);
                    }
                }
            }
        }
        Ok(out)
    }

    /// Check the chain from the oldest line kept to the head. The oldest kept file may start
    /// after lines that were rotated away: its first `prev` is taken as given.
    pub fn verify(&self) -> Result<std::result::Result<usize, BrokenChain>> {
        let mut expected: Option<String> = None;
        let mut count = 0;
        for file in self.files() {
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            for (index, text) in read_lines(&file)?.into_iter().enumerate() {
                let bad = |reason: String| BrokenChain {
                    file: name.clone(),
                    line: index + 1,
                    reason,
                };
                let line: Line = match serde_json::from_str(&text) {
                    Ok(line) => line,
                    Err(e) => return Ok(Err(bad(format!("not an audit entry ({e})")))),
                };
                if let Some(want) = &expected {
                    if &line.prev != want {
                        return Ok(Err(bad(
                            "the line before it was removed, changed or moved".into()
                        )));
                    }
                }
                expected = Some(hash(&text));
                count += 1;
            }
        }
        let head = match fs::read_to_string(self.head()) {
            Ok(h) => Some(h.trim().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io("could not read the audit log's head", e)),
        };
        if head != expected {
            return Ok(Err(BrokenChain {
                file: "audit.jsonl".into(),
                line: count,
                reason: "the last line was removed or changed".into(),
            }));
        }
        Ok(Ok(count))
    }
}

fn hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn read_lines(path: &Path) -> Result<Vec<String>> {
    let file = File::open(path)
        .map_err(|e| Error::io(&format!("could not read {}", path.display()), e))?;
    BufReader::new(file)
        .lines()
        .filter(|l| !l.as_ref().is_ok_and(|l| l.trim().is_empty()))
        .collect::<std::io::Result<Vec<String>>>()
        .map_err(|e| Error::io(&format!("could not read {}", path.display()), e))
}

fn open_private(path: &Path, append: bool) -> Result<File> {
    let mut options = OpenOptions::new();
    options.create(true);
    if append {
        options.append(true);
    } else {
        options.write(true).truncate(false);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .map_err(|e| Error::io(&format!("could not open {}", path.display()), e))
}

/// The local user, as the environment names them.
fn local_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|u| !u.is_empty()))
        .unwrap_or_else(|| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: AuditAction, key: &str) -> AuditEntry {
        AuditEntry::new(action).key_id(key)
    }

    fn log_with(n: usize) -> (tempfile::TempDir, AuditLog) {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::new(dir.path().join("audit"));
        for i in 0..n {
            log.append(&entry(AuditAction::KeyCreate, &format!("k{i}")))
                .unwrap();
        }
        (dir, log)
    }

    fn rewrite(log: &AuditLog, change: impl FnOnce(&mut Vec<String>)) {
        let mut lines = read_lines(&log.current()).unwrap();
        change(&mut lines);
        fs::write(log.current(), lines.join("\n") + "\n").unwrap();
    }

    #[test]
    fn an_intact_log_verifies_and_reads_newest_first() {
        let (_d, log) = log_with(5);
        assert_eq!(log.verify().unwrap(), Ok(5));
        let all = log.read(&AuditFilter::default()).unwrap();
        let ids: Vec<_> = all.iter().map(|e| e.key_id.clone().unwrap()).collect();
        assert_eq!(ids, ["k4", "k3", "k2", "k1", "k0"]);
        let one = log
            .read(&AuditFilter {
                key_id: Some("k2".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(one.len(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(log.current()).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }

    #[test]
    fn a_removed_line_breaks_the_chain_at_the_next_one() {
        let (_d, log) = log_with(5);
        rewrite(&log, |lines| {
            lines.remove(2);
        });
        let broken = log.verify().unwrap().unwrap_err();
        assert_eq!(broken.line, 3, "{broken}");
    }

    #[test]
    fn an_edited_line_breaks_the_chain() {
        let (_d, log) = log_with(5);
        rewrite(&log, |lines| lines[1] = lines[1].replace("k1", "kX"));
        assert_eq!(log.verify().unwrap().unwrap_err().line, 3);
    }

    #[test]
    fn reordered_lines_break_the_chain() {
        let (_d, log) = log_with(5);
        rewrite(&log, |lines| lines.swap(1, 3));
        assert_eq!(log.verify().unwrap().unwrap_err().line, 2);
    }

    #[test]
    fn removing_or_editing_the_last_line_is_caught_by_the_head() {
        let (_d, log) = log_with(3);
        rewrite(&log, |lines| {
            lines.pop();
        });
        let broken = log.verify().unwrap().unwrap_err();
        assert!(broken.reason.contains("last line"), "{broken}");
        let (_d2, log2) = log_with(3);
        rewrite(&log2, |lines| lines[2] = lines[2].replace("k2", "k9"));
        assert!(log2.verify().unwrap().is_err());
    }

    #[test]
    fn rotation_keeps_the_chain_across_files() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::new(dir.path()).with_max_bytes(1500);
        for i in 0..40 {
            log.append(&entry(AuditAction::SecretCopy, &format!("k{i}")))
                .unwrap();
        }
        assert!(log.rotated(1).exists() && log.rotated(2).exists());
        assert_eq!(log.verify().unwrap(), Ok(40));
        assert_eq!(log.read(&AuditFilter::default()).unwrap().len(), 40);
        // Tampering in an older file is caught too.
        let older = log.rotated(2);
        let mut lines = read_lines(&older).unwrap();
        lines.remove(1);
        fs::write(&older, lines.join("\n") + "\n").unwrap();
        assert!(log.verify().unwrap().is_err());
    }

    #[test]
    fn failures_keep_the_code_message_and_request_id() {
        let e = PublicError {
            code: crate::Code::Forbidden,
            message: "no".into(),
            field: None,
            retry_after_secs: None,
            vendor: Some(crate::error::VendorDetail {
                status: 403,
                request_id: Some("req-9".into()),
                ..Default::default()
            }),
            recovered: None,
        };
        let entry = AuditEntry::new(AuditAction::KeyDelete).failed(&e);
        assert_eq!(entry.request_id.as_deref(), Some("req-9"));
        assert!(matches!(
            entry.outcome,
            AuditOutcome::Failed {
                code: crate::Code::Forbidden,
                ..
            }
        ));
    }
}
