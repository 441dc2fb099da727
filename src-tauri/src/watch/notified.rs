//! Which keys the user was already told about, so each key is notified once per rule and
//! threshold ("expiring:14", "old:90"), across restarts. Kept in `<data dir>/notified.json`
//! (account, key id, rule — nothing secret), written atomically. A key that no longer needs
//! attention is forgotten, so it is told about again if it comes back.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use keyrack_core::attention::Attention;
use keyrack_core::fsutil::{self, Overwrite};
use keyrack_core::rotation::grace::GraceEnded;
use serde::{Deserialize, Serialize};

/// At most this many keys are named in one notification; the rest are counted.
const NAMED: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Told {
    account_id: String,
    key_id: String,
    threshold: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    told: BTreeSet<Told>,
    /// Rotations whose grace end the user was told about.
    #[serde(default)]
    graces: BTreeSet<String>,
}

/// The notification state, loaded from and saved to its file.
#[derive(Debug)]
pub struct Notified {
    path: PathBuf,
    told: BTreeSet<Told>,
    graces: BTreeSet<String>,
}

fn told_of(a: &Attention) -> impl Iterator<Item = Told> + '_ {
    a.reasons.iter().map(|r| Told {
        account_id: a.account_id.clone(),
        key_id: a.key_id.clone(),
        threshold: r.threshold(),
    })
}

impl Notified {
    /// Load from `path`; a missing or unreadable file starts empty (at worst the user is told
    /// once more).
    pub fn load(path: &Path) -> Notified {
        let file = std::fs::read_to_string(path)
            .ok()
            .and_then(|text| serde_json::from_str::<File>(&text).ok())
            .unwrap_or_default();
        Notified {
            path: path.to_path_buf(),
            told: file.told,
            graces: file.graces,
        }
    }

    fn save(&self) -> keyrack_core::error::Result<()> {
        let file = File {
            told: self.told.clone(),
            graces: self.graces.clone(),
        };
        let text = serde_json::to_vec_pretty(&file).expect("notification state serializes");
        fsutil::write_private(&self.path, &text, Overwrite::Replace)
    }

    /// Of the kept old keys whose grace has ended, those the user was not yet told about;
    /// remembers them (forgetting rotations no longer due: retired or undone) and saves.
    pub fn fresh_graces(
        &mut self,
        ended: &[GraceEnded],
    ) -> keyrack_core::error::Result<Vec<GraceEnded>> {
        let current: BTreeSet<String> = ended.iter().map(|g| g.rotation_id.clone()).collect();
        let fresh: Vec<GraceEnded> = ended
            .iter()
            .filter(|g| !self.graces.contains(&g.rotation_id))
            .cloned()
            .collect();
        if current != self.graces {
            self.graces = current;
            self.save()?;
        }
        Ok(fresh)
    }

    /// Of the keys needing attention now, those with a rule the user was not yet told about;
    /// remembers them (and forgets what no longer applies) and saves the file.
    pub fn fresh(&mut self, now: &[Attention]) -> keyrack_core::error::Result<Vec<Attention>> {
        let current: BTreeSet<Told> = now.iter().flat_map(told_of).collect();
        let fresh: Vec<Attention> = now
            .iter()
            .filter(|a| told_of(a).any(|t| !self.told.contains(&t)))
            .cloned()
            .collect();
        if current != self.told {
            self.told = current;
            self.save()?;
        }
        Ok(fresh)
    }
}

/// One notification for keys that crossed a threshold together: the title counts them, the
/// body names the first few with their reason.
pub fn message(fresh: &[Attention]) -> Option<(String, String)> {
    let reason = |a: &Attention| a.reasons.first().map(|r| r.describe()).unwrap_or_default();
    match fresh {
        [] => None,
        [one] => Some((
            format!("{} needs attention", one.key.display_name()),
            reason(one),
        )),
        many => {
            let mut lines: Vec<String> = many
                .iter()
                .take(NAMED)
                .map(|a| format!("{}: {}", a.key.display_name(), reason(a)))
                .collect();
            if many.len() > NAMED {
                lines.push(format!("…and {} more", many.len() - NAMED));
            }
            Some((
                format!("{} keys need attention", many.len()),
                lines.join("\n"),
            ))
        }
    }
}

/// One notification for old keys whose grace period ended: delete them from the tray.
pub fn grace_message(fresh: &[GraceEnded]) -> Option<(String, String)> {
    let line = |g: &GraceEnded| {
        format!(
            "{}: kept since its rotation, until {}",
            g.old.display_name(),
            g.ended_at.format("%Y-%m-%d")
        )
    };
    let mut lines: Vec<String> = fresh.iter().take(NAMED).map(line).collect();
    if fresh.len() > NAMED {
        lines.push(format!("…and {} more", fresh.len() - NAMED));
    }
    let title = match fresh {
        [] => return None,
        [one] => format!("Old key {}: grace ended", one.old.display_name()),
        many => format!("{} old keys: grace ended", many.len()),
    };
    lines.push("Delete from the tray menu, or in Keyrack.".into());
    Some((title, lines.join("\n")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use keyrack_core::attention::Reason;
    use keyrack_core::model::VendorExtra;
    use keyrack_core::test_support::key_record;

    fn expiring(key: &str, within: u32) -> Attention {
        let at = Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0).unwrap();
        let mut record = key_record(key, VendorExtra::Ibm(Default::default()));
        record.account = "acct".into();
        record.name = Some(key.into());
        Attention {
            account_id: "acct".into(),
            key_id: key.into(),
            key: record,
            reasons: vec![Reason::Expiring {
                at,
                days_left: 3,
                within_days: within,
            }],
        }
    }

    #[test]
    fn each_key_and_threshold_is_told_once_across_restarts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notified.json");
        let mut n = Notified::load(&path);
        let fresh = n.fresh(&[expiring("a", 14), expiring("b", 14)]).unwrap();
        assert_eq!(fresh.len(), 2);
        assert!(n.fresh(&[expiring("a", 14)]).unwrap().is_empty());

        // A new process reads what was told; "b" was forgotten when it stopped needing
        // attention, so it is told again when it is back.
        let mut again = Notified::load(&path);
        assert!(again.fresh(&[expiring("a", 14)]).unwrap().is_empty());
        let back = again
            .fresh(&[expiring("a", 14), expiring("b", 14)])
            .unwrap();
        assert_eq!(
            back.iter().map(|a| a.key_id.as_str()).collect::<Vec<_>>(),
            ["b"]
        );
        // A changed threshold is a new rule to tell about.
        let changed = again
            .fresh(&[expiring("a", 30), expiring("b", 14)])
            .unwrap();
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].key_id, "a");

        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    fn grace(id: &str, name: &str) -> GraceEnded {
        let mut old = key_record(&format!("old-{id}"), VendorExtra::Ibm(Default::default()));
        old.name = Some(name.into());
        GraceEnded {
            rotation_id: id.into(),
            account_id: "acct".into(),
            old,
            new_key_id: Some(format!("new-{id}")),
            ended_at: Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0).unwrap(),
        }
    }

    #[test]
    fn each_grace_end_is_told_once_and_key_rules_do_not_forget_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notified.json");
        let mut n = Notified::load(&path);
        assert_eq!(n.fresh_graces(&[grace("rot_1", "ci")]).unwrap().len(), 1);
        // The key rules' bookkeeping saves the file too, without losing the graces.
        n.fresh(&[expiring("a", 14)]).unwrap();
        let mut again = Notified::load(&path);
        assert!(again
            .fresh_graces(&[grace("rot_1", "ci")])
            .unwrap()
            .is_empty());
        let more = again
            .fresh_graces(&[grace("rot_1", "ci"), grace("rot_2", "deploy")])
            .unwrap();
        assert_eq!(more.len(), 1);
        assert_eq!(more[0].rotation_id, "rot_2");
        // Retired: forgotten.
        again.fresh_graces(&[grace("rot_2", "deploy")]).unwrap();
        assert_eq!(
            again.fresh_graces(&[grace("rot_1", "ci")]).unwrap().len(),
            1
        );
    }

    #[test]
    fn grace_ends_make_one_message() {
        assert_eq!(grace_message(&[]), None);
        let (title, body) = grace_message(&[grace("rot_1", "ci")]).unwrap();
        assert_eq!(title, "Old key ci: grace ended");
        assert!(
            body.starts_with("ci: kept since its rotation, until 2026-12-07\n"),
            "{body}"
        );
        assert!(body.ends_with("Delete from the tray menu, or in Keyrack."));
        let (title, _) = grace_message(&[grace("a", "a"), grace("b", "b")]).unwrap();
        assert_eq!(title, "2 old keys: grace ended");
    }

    #[test]
    fn an_unreadable_file_starts_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notified.json");
        std::fs::write(&path, "{not json").unwrap();
        let mut n = Notified::load(&path);
        assert_eq!(n.fresh(&[expiring("a", 14)]).unwrap().len(), 1);
    }

    #[test]
    fn several_keys_make_one_grouped_message() {
        assert_eq!(message(&[]), None);
        let (title, body) = message(&[expiring("ci", 14)]).unwrap();
        assert_eq!(title, "ci needs attention");
        assert_eq!(body, "expires in 3 days");
        let five: Vec<Attention> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|k| expiring(k, 14))
            .collect();
        let (title, body) = message(&five).unwrap();
        assert_eq!(title, "5 keys need attention");
        assert_eq!(
            body,
            "a: expires in 3 days\nb: expires in 3 days\nc: expires in 3 days\n…and 2 more"
        );
    }
}
