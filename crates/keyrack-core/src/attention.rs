//! Which keys need attention, and why: expired or expiring within N days, older than M days,
//! unused for K days (where the vendor reports last use) — with per-account thresholds, keys
//! snoozed until a date or marked "expected" with a reason. A pure function of the inventory,
//! the preferences and a clock, so the tray, the notifications, the "Needs attention" view and
//! the CLI all agree, and tests run with a fixed clock.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{Account, KeyRecord, KeyStatus};
use crate::settings::Preferences;

/// Why a key needs attention. `threshold()` names the rule crossed, for notifying once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    Expired {
        at: DateTime<Utc>,
    },
    Expiring {
        at: DateTime<Utc>,
        #[ts(type = "number")]
        days_left: i64,
        #[ts(type = "number")]
        within_days: u32,
    },
    Old {
        created_at: DateTime<Utc>,
        #[ts(type = "number")]
        age_days: i64,
        #[ts(type = "number")]
        older_than_days: u32,
    },
    Unused {
        /// `None`: never used (as far as the vendor says).
        last_used_at: Option<DateTime<Utc>>,
        #[ts(type = "number")]
        idle_days: i64,
        #[ts(type = "number")]
        unused_for_days: u32,
    },
}

impl Reason {
    /// The rule and its threshold, e.g. `expiring:14`: a notification is sent once per key and
    /// threshold, and again only if the threshold changes.
    pub fn threshold(&self) -> String {
        match self {
            Reason::Expired { .. } => "expired".into(),
            Reason::Expiring { within_days, .. } => format!("expiring:{within_days}"),
            Reason::Old {
                older_than_days, ..
            } => format!("old:{older_than_days}"),
            Reason::Unused {
                unused_for_days, ..
            } => format!("unused:{unused_for_days}"),
        }
    }

    /// "expires in 3 days", "240 days old", "unused since 2026-05-02".
    pub fn describe(&self) -> String {
        match self {
            Reason::Expired { at } => format!("expired on {}", at.date_naive()),
            Reason::Expiring { days_left: 0, .. } => "expires today".into(),
            Reason::Expiring { days_left: 1, .. } => "expires tomorrow".into(),
            Reason::Expiring { days_left, .. } => format!("expires in {days_left} days"),
            Reason::Old { age_days, .. } => format!("{age_days} days old"),
            Reason::Unused {
                last_used_at: Some(t),
                ..
            } => format!("unused since {}", t.date_naive()),
            Reason::Unused { idle_days, .. } => {
                format!("never used in its {idle_days} days")
            }
        }
    }
}

/// What the user said about a key: look again later, or this is how it should be.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct KeyNote {
    pub account_id: String,
    pub key_id: String,
    /// No attention until then.
    pub snoozed_until: Option<DateTime<Utc>>,
    /// Expected as it is (e.g. "a long-lived CI key, rotated by hand"): never flagged.
    pub expected: Option<String>,
}

/// One key that needs attention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Attention {
    pub account_id: String,
    pub key_id: String,
    pub key: KeyRecord,
    pub reasons: Vec<Reason>,
}

/// The thresholds in force for one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Thresholds {
    expiring: u32,
    old: u32,
    unused: u32,
}

fn thresholds(prefs: &Preferences, account_id: &str) -> Thresholds {
    let rules = prefs.account_rules.get(account_id);
    Thresholds {
        expiring: rules
            .and_then(|r| r.expiring_soon_days)
            .unwrap_or(prefs.expiring_soon_days),
        old: rules
            .and_then(|r| r.older_than_days)
            .unwrap_or(prefs.older_than_days),
        unused: rules
            .and_then(|r| r.unused_for_days)
            .unwrap_or(prefs.unused_for_days),
    }
}

/// Whether Keyrack can make a replacement for this key (same owner kind through the API): if
/// not, its age is only flagged when the user asked for it.
pub fn rotatable(key: &KeyRecord) -> bool {
    let caps = key.vendor.descriptor().capabilities();
    match (&caps.owner, &key.owner) {
        (Some(rule), Some(owner)) => rule.kinds.contains(&owner.kind),
        _ => true,
    }
}

/// The reasons `key` needs attention now (empty: none).
pub fn reasons(key: &KeyRecord, prefs: &Preferences, now: DateTime<Utc>) -> Vec<Reason> {
    let t = thresholds(prefs, &key.account);
    let mut out = Vec::new();
    let gone = matches!(key.status, KeyStatus::Deleting);
    if gone {
        return out;
    }
    if let Some(at) = key.expires_at {
        if at <= now {
            out.push(Reason::Expired { at });
        } else if at - now <= Duration::days(i64::from(t.expiring)) {
            out.push(Reason::Expiring {
                at,
                days_left: (at - now).num_days(),
                within_days: t.expiring,
            });
        }
    }
    let expired = out.iter().any(|r| matches!(r, Reason::Expired { .. }));
    if let Some(created_at) = key.created_at.filter(|_| !expired) {
        let age_days = (now - created_at).num_days();
        if t.old > 0 && age_days > i64::from(t.old) && (prefs.age_of_unrotatable || rotatable(key))
        {
            out.push(Reason::Old {
                created_at,
                age_days,
                older_than_days: t.old,
            });
        }
    }
    // Last use only where the vendor reports it at all (a key listed with `last_used_at`).
    if t.unused > 0 && !expired && reports_last_use(key) {
        let since = key.last_used_at.or(key.created_at);
        if let Some(since) = since {
            let idle_days = (now - since).num_days();
            if idle_days > i64::from(t.unused) {
                out.push(Reason::Unused {
                    last_used_at: key.last_used_at,
                    idle_days,
                    unused_for_days: t.unused,
                });
            }
        }
    }
    out
}

/// A vendor that reports last use says so on at least this key (`last_used_at` set) or on
/// none: a key with no last use whose vendor never reports one is not "unused".
fn reports_last_use(key: &KeyRecord) -> bool {
    key.last_used_at.is_some() || key.vendor.descriptor().capabilities().reports_last_use
}

/// Every key that needs attention, soonest trouble first (expired, then by expiry, then the
/// rest by age), leaving out keys snoozed or marked expected, and keys of accounts that are
/// gone.
pub fn evaluate(
    keys: &[KeyRecord],
    accounts: &[Account],
    prefs: &Preferences,
    notes: &[KeyNote],
    now: DateTime<Utc>,
) -> Vec<Attention> {
    let notes: BTreeMap<(&str, &str), &KeyNote> = notes
        .iter()
        .map(|n| ((n.account_id.as_str(), n.key_id.as_str()), n))
        .collect();
    let mut out: Vec<Attention> = keys
        .iter()
        .filter(|k| accounts.iter().any(|a| a.id == k.account))
        .filter(|k| {
            notes
                .get(&(k.account.as_str(), k.id.as_str()))
                .is_none_or(|n| n.expected.is_none() && n.snoozed_until.is_none_or(|t| t <= now))
        })
        .filter_map(|k| {
            let reasons = reasons(k, prefs, now);
            (!reasons.is_empty()).then(|| Attention {
                account_id: k.account.clone(),
                key_id: k.id.clone(),
                key: k.clone(),
                reasons,
            })
        })
        .collect();
    out.sort_by_key(|a| {
        let expired = a
            .reasons
            .iter()
            .any(|r| matches!(r, Reason::Expired { .. }));
        (
            !expired,
            a.key.expires_at.is_none(),
            a.key.expires_at,
            a.key.created_at,
        )
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Owner, OwnerKind, VendorExtra};
    use crate::test_support::key_record;
    use crate::vendors::{codefresh::CodefreshExtra, openai::OpenaiExtra};
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
    }

    fn key(id: &str, created_days_ago: i64) -> KeyRecord {
        KeyRecord {
            account: "acc".into(),
            created_at: Some(now() - Duration::days(created_days_ago)),
            ..key_record(id, VendorExtra::Codefresh(CodefreshExtra::default()))
        }
    }

    fn account() -> Account {
        Account {
            id: "acc".into(),
            name: "Acc".into(),
            vendor: crate::vendors::VendorId::Codefresh,
            sandbox: false,
            settings: Default::default(),
        }
    }

    #[test]
    fn expiring_expired_and_old_keys_are_found_with_their_reasons() {
        let prefs = Preferences::default();
        let expiring = KeyRecord {
            expires_at: Some(now() + Duration::days(3)),
            ..key("expiring", 10)
        };
        let expired = KeyRecord {
            expires_at: Some(now() - Duration::days(1)),
            ..key("expired", 10)
        };
        let old = key("old", 240);
        let fine = KeyRecord {
            expires_at: Some(now() + Duration::days(60)),
            ..key("fine", 10)
        };
        let found = evaluate(
            &[fine, old, expiring, expired],
            &[account()],
            &prefs,
            &[],
            now(),
        );
        let ids: Vec<&str> = found.iter().map(|a| a.key_id.as_str()).collect();
        assert_eq!(ids, ["expired", "expiring", "old"]);
        assert_eq!(found[1].reasons[0].describe(), "expires in 3 days");
        assert_eq!(found[1].reasons[0].threshold(), "expiring:14");
        assert_eq!(found[2].reasons[0].describe(), "240 days old");
    }

    #[test]
    fn unused_keys_only_where_last_use_is_reported() {
        let prefs = Preferences::default();
        let idle = KeyRecord {
            last_used_at: Some(now() - Duration::days(120)),
            ..key("idle", 30)
        };
        let busy = KeyRecord {
            last_used_at: Some(now() - Duration::days(2)),
            ..key("busy", 30)
        };
        let found = evaluate(&[idle, busy], &[account()], &prefs, &[], now());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].key_id, "idle");
        assert!(found[0].reasons[0]
            .describe()
            .starts_with("unused since 2026-02-01"));
        // Codefresh reports no last use: a key without one is not flagged as unused.
        assert!(evaluate(
            &[key("quiet", 100)],
            &[account()],
            &Preferences {
                older_than_days: 0,
                ..prefs
            },
            &[],
            now()
        )
        .is_empty());
    }

    #[test]
    fn per_account_rules_snoozes_and_expected_keys() {
        let mut prefs = Preferences::default();
        prefs.account_rules.insert(
            "acc".into(),
            crate::settings::AccountRules {
                older_than_days: Some(365),
                ..Default::default()
            },
        );
        assert!(evaluate(&[key("old", 240)], &[account()], &prefs, &[], now()).is_empty());
        let prefs = Preferences::default();
        let snoozed = KeyNote {
            account_id: "acc".into(),
            key_id: "old".into(),
            snoozed_until: Some(now() + Duration::days(7)),
            expected: None,
        };
        assert!(evaluate(
            &[key("old", 240)],
            &[account()],
            &prefs,
            std::slice::from_ref(&snoozed),
            now()
        )
        .is_empty());
        let later = now() + Duration::days(8);
        assert_eq!(
            evaluate(&[key("old", 240)], &[account()], &prefs, &[snoozed], later).len(),
            1
        );
        let expected = KeyNote {
            account_id: "acc".into(),
            key_id: "old".into(),
            expected: Some("long-lived CI key".into()),
            ..Default::default()
        };
        assert!(evaluate(&[key("old", 240)], &[account()], &prefs, &[expected], later).is_empty());
    }

    #[test]
    fn age_of_keys_keyrack_cannot_replace_is_off_by_default() {
        let user_key = KeyRecord {
            account: "acc".into(),
            created_at: Some(now() - Duration::days(400)),
            owner: Some(Owner {
                kind: OwnerKind::User,
                id: "user-1".into(),
                name: None,
            }),
            ..key_record(
                "user-key",
                VendorExtra::Openai(OpenaiExtra {
                    project_id: "p".into(),
                    project_name: None,
                }),
            )
        };
        assert!(!rotatable(&user_key));
        let openai = Account {
            vendor: crate::vendors::VendorId::Openai,
            ..account()
        };
        let prefs = Preferences {
            unused_for_days: 0,
            ..Preferences::default()
        };
        assert!(evaluate(
            std::slice::from_ref(&user_key),
            std::slice::from_ref(&openai),
            &prefs,
            &[],
            now()
        )
        .is_empty());
        let asked = Preferences {
            age_of_unrotatable: true,
            ..prefs
        };
        assert_eq!(
            evaluate(&[user_key], &[openai], &asked, &[], now()).len(),
            1
        );
    }
}
