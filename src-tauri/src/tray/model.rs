//! The tray menu as data: one table of entries computed from the app state (accounts, held
//! secrets, expiring keys, the sandbox switch), and what each entry does. Rendering it is
//! `render.rs`; doing what an entry says is `actions.rs`. To add an item: a row in `entries`
//! and an arm in `actions::perform`.

use std::collections::HashMap;

use chrono::Utc;
use keyrack_core::attention::Attention;
use keyrack_core::model::{Account, KeyRecord};
use keyrack_core::reveal::PendingSecret;
use keyrack_core::rotation::grace::{self, GraceEnded};

use crate::state::AppState;

/// At most this many keys under "Expiring soon" (and under "need attention"); the rest are
/// counted.
const MAX_EXPIRING: usize = 10;
/// Menu labels are cut here so a long key name cannot make the menu unusable.
const MAX_LABEL: usize = 60;

/// What activating an item does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Open,
    NewKey {
        account: String,
    },
    CopyLast {
        handle: String,
    },
    SelectKey {
        account: String,
        key: String,
    },
    RotateKey {
        account: String,
        key: String,
    },
    /// Delete the old key a rotation kept, its grace period over.
    RetireOldKey {
        rotation: String,
    },
    Refresh,
    ToggleSandbox,
    Quit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Item(Option<Action>),
    Check { checked: bool, action: Action },
    Submenu(Vec<Entry>),
    Separator,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub label: String,
    pub enabled: bool,
    pub kind: Kind,
}

fn item(id: impl Into<String>, label: impl Into<String>, action: Action) -> Entry {
    Entry {
        id: id.into(),
        label: label.into(),
        enabled: true,
        kind: Kind::Item(Some(action)),
    }
}

fn note(id: impl Into<String>, label: impl Into<String>) -> Entry {
    Entry {
        id: id.into(),
        label: label.into(),
        enabled: false,
        kind: Kind::Item(None),
    }
}

fn submenu(id: &str, label: impl Into<String>, items: Vec<Entry>) -> Entry {
    Entry {
        id: id.into(),
        label: label.into(),
        enabled: items.iter().any(|e| e.enabled),
        kind: Kind::Submenu(items),
    }
}

fn separator(id: &str) -> Entry {
    Entry {
        id: id.into(),
        label: String::new(),
        enabled: false,
        kind: Kind::Separator,
    }
}

/// A list cut at `MAX_EXPIRING` entries says how many more there are (`<id>:more`).
fn more(id: &str, total: usize, items: &mut Vec<Entry>) {
    if total > MAX_EXPIRING {
        items.push(note(
            format!("{id}:more"),
            format!("…and {} more in Keyrack", total - MAX_EXPIRING),
        ));
    }
}

fn short(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL {
        return label.to_string();
    }
    let cut: String = label.chars().take(MAX_LABEL - 1).collect();
    format!("{cut}…")
}

/// What the menu shows.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    accounts: Vec<Account>,
    latest_secret: Option<PendingSecret>,
    expiring: Vec<(Account, KeyRecord)>,
    /// Keys that need attention, each with its account's name.
    attention: Vec<(String, Attention)>,
    /// Old keys kept by a rotation whose grace period has ended.
    grace_ended: Vec<GraceEnded>,
    sandbox: bool,
}

impl Snapshot {
    pub fn of(state: &AppState) -> Snapshot {
        let accounts = state.registry().list_accounts();
        Snapshot {
            latest_secret: state.reveal().latest(),
            expiring: state.expiring_soon(Utc::now()),
            attention: with_account_names(&accounts, state.attention(Utc::now())),
            grace_ended: state.grace_ended(Utc::now()),
            sandbox: state.registry().preferences().sandbox,
            accounts,
        }
    }

    /// How many keys need attention (the tray icon shows a mark when this is not zero).
    pub fn needs_attention(&self) -> usize {
        self.attention.len()
    }
}

fn with_account_names(accounts: &[Account], list: Vec<Attention>) -> Vec<(String, Attention)> {
    list.into_iter()
        .filter_map(|a| {
            let name = accounts.iter().find(|x| x.id == a.account_id)?.name.clone();
            Some((name, a))
        })
        .collect()
}

/// "1 key needs attention", "3 keys need attention".
pub fn attention_label(count: usize) -> String {
    match count {
        1 => "1 key needs attention".into(),
        n => format!("{n} keys need attention"),
    }
}

/// The tray menu, top to bottom: the frequent actions first, the rest under "More…".
pub fn entries(s: &Snapshot) -> Vec<Entry> {
    let mut menu = vec![item("open", "Open Keyrack", Action::Open)];

    let mut new_key: Vec<Entry> = s
        .accounts
        .iter()
        .map(|a| {
            item(
                format!("new-key:{}", a.id),
                short(&a.name),
                Action::NewKey {
                    account: a.id.clone(),
                },
            )
        })
        .collect();
    if new_key.is_empty() {
        new_key.push(note("new-key:none", "No accounts yet"));
    }
    menu.push(submenu("new-key", "New key for…", new_key));

    if let Some(latest) = &s.latest_secret {
        menu.push(item(
            "copy-last",
            "Copy last new key",
            Action::CopyLast {
                handle: latest.handle.clone(),
            },
        ));
    }

    // Due now, and one click away: each kept old key whose grace ended.
    for g in s.grace_ended.iter().take(MAX_EXPIRING) {
        menu.push(item(
            format!("grace:{}", g.rotation_id),
            short(&grace::label(g)),
            Action::RetireOldKey {
                rotation: g.rotation_id.clone(),
            },
        ));
    }
    if s.grace_ended.len() > MAX_EXPIRING {
        menu.push(note(
            "grace:more",
            format!(
                "…and {} more old keys to delete in Keyrack",
                s.grace_ended.len() - MAX_EXPIRING
            ),
        ));
    }

    if !s.attention.is_empty() {
        let mut keys: Vec<Entry> = s
            .attention
            .iter()
            .take(MAX_EXPIRING)
            .enumerate()
            .map(|(i, (account, a))| {
                let why = a.reasons.first().map(|r| r.describe()).unwrap_or_default();
                item(
                    format!("attention:{i}"),
                    short(&format!("{} — {account}: {why}", a.key.display_name())),
                    Action::SelectKey {
                        account: a.account_id.clone(),
                        key: a.key_id.clone(),
                    },
                )
            })
            .collect();
        more("attention", s.attention.len(), &mut keys);
        menu.push(submenu(
            "attention",
            attention_label(s.attention.len()),
            keys,
        ));
    }

    if !s.expiring.is_empty() {
        let mut keys: Vec<Entry> = s
            .expiring
            .iter()
            .take(MAX_EXPIRING)
            .enumerate()
            .map(|(i, (account, key))| {
                let when = key
                    .expires_at
                    .map(|t| t.format(" (%Y-%m-%d)").to_string())
                    .unwrap_or_default();
                item(
                    format!("expiring:{i}"),
                    short(&format!("{} — {}{when}", key.display_name(), account.name)),
                    Action::SelectKey {
                        account: account.id.clone(),
                        key: key.id.clone(),
                    },
                )
            })
            .collect();
        more("expiring", s.expiring.len(), &mut keys);
        menu.push(submenu(
            "expiring",
            format!("Expiring soon ({})", s.expiring.len()),
            keys,
        ));
        // The same keys, to replace before they expire (those Keyrack can make again).
        let rotate: Vec<Entry> = s
            .expiring
            .iter()
            .take(MAX_EXPIRING)
            .enumerate()
            .filter(|(_, (_, key))| keyrack_core::attention::rotatable(key))
            .map(|(i, (account, key))| {
                item(
                    format!("rotate:{i}"),
                    short(&format!("{} — {}", key.display_name(), account.name)),
                    Action::RotateKey {
                        account: account.id.clone(),
                        key: key.id.clone(),
                    },
                )
            })
            .collect();
        if !rotate.is_empty() {
            menu.push(submenu("rotate", "Rotate…", rotate));
        }
    }

    menu.push(separator("separator"));
    menu.push(submenu(
        "more",
        "More…",
        vec![
            item("refresh", "Refresh keys", Action::Refresh),
            Entry {
                id: "sandbox".into(),
                label: "Sandbox accounts".into(),
                enabled: true,
                kind: Kind::Check {
                    checked: s.sandbox,
                    action: Action::ToggleSandbox,
                },
            },
        ],
    ));
    menu.push(item("quit", "Quit", Action::Quit));
    menu
}

/// What each item of `entries` does, by item id.
pub fn actions_of(entries: &[Entry], into: &mut HashMap<String, Action>) {
    for e in entries {
        match &e.kind {
            Kind::Item(Some(action)) | Kind::Check { action, .. } => {
                into.insert(e.id.clone(), action.clone());
            }
            Kind::Submenu(items) => actions_of(items, into),
            Kind::Item(None) | Kind::Separator => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use keyrack_core::model::{AccountSettings, VendorExtra, VendorId};
    use keyrack_core::test_support::key_record;
    use keyrack_core::vendors::codefresh::CodefreshExtra;
    use std::collections::HashSet;

    fn account(id: &str, name: &str) -> Account {
        Account {
            id: id.into(),
            name: name.into(),
            vendor: VendorId::Codefresh,
            sandbox: false,
            settings: AccountSettings::default(),
        }
    }

    fn key(id: &str, days: i64) -> KeyRecord {
        KeyRecord {
            account: "a1".into(),
            name: Some(format!("key {id}")),
            expires_at: Some(Utc::now() + Duration::days(days)),
            ..key_record(id, VendorExtra::Codefresh(CodefreshExtra::default()))
        }
    }

    fn flat(entries: &[Entry]) -> Vec<&Entry> {
        entries
            .iter()
            .flat_map(|e| match &e.kind {
                Kind::Submenu(items) => std::iter::once(e).chain(flat(items)).collect(),
                _ => vec![e],
            })
            .collect()
    }

    #[test]
    fn an_empty_app_offers_open_more_and_quit() {
        let table = entries(&Snapshot::default());
        let top: Vec<&str> = table.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(top, ["open", "new-key", "separator", "more", "quit"]);
        assert!(
            !table[1].enabled,
            "no accounts: nothing to create a key for"
        );
    }

    #[test]
    fn accounts_secrets_and_expiring_keys_appear() {
        let a1 = account("a1", "Prod Codefresh");
        let snapshot = Snapshot {
            accounts: vec![a1.clone(), account("a2", "Stage")],
            latest_secret: None,
            expiring: (0..12)
                .map(|i| (a1.clone(), key(&format!("k{i}"), 1)))
                .collect(),
            attention: Vec::new(),
            grace_ended: Vec::new(),
            sandbox: true,
        };
        let table = entries(&snapshot);
        let all = flat(&table);
        let ids: HashSet<&str> = all.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), all.len(), "ids are unique");
        assert!(ids.contains("new-key:a1") && ids.contains("new-key:a2"));
        let expiring = table.iter().find(|e| e.id == "expiring").unwrap();
        assert_eq!(expiring.label, "Expiring soon (12)");
        let Kind::Submenu(items) = &expiring.kind else {
            panic!("expiring is a submenu")
        };
        assert_eq!(items.len(), MAX_EXPIRING + 1);
        assert!(items[0].label.starts_with("key k0 — Prod Codefresh ("));
        assert_eq!(items[MAX_EXPIRING].label, "…and 2 more in Keyrack");
        assert!(!ids.contains("copy-last"));

        let mut actions = HashMap::new();
        actions_of(&table, &mut actions);
        assert_eq!(
            actions["expiring:3"],
            Action::SelectKey {
                account: "a1".into(),
                key: "k3".into()
            }
        );
        assert_eq!(
            actions["new-key:a2"],
            Action::NewKey {
                account: "a2".into()
            }
        );
        assert_eq!(actions["sandbox"], Action::ToggleSandbox);
        assert_eq!(actions["quit"], Action::Quit);
        assert!(!actions.contains_key("expiring:more"));
        // Codefresh keys of a user can be made again: each expiring one can be rotated.
        assert_eq!(
            actions["rotate:3"],
            Action::RotateKey {
                account: "a1".into(),
                key: "k3".into()
            }
        );
        assert!(!actions.contains_key("rotate:10"), "as many as are listed");
    }

    #[test]
    fn keys_needing_attention_are_counted_with_their_reason() {
        use keyrack_core::attention::Reason;
        let a1 = account("a1", "Prod");
        let attention = |id: &str| Attention {
            account_id: "a1".into(),
            key_id: id.into(),
            key: key(id, 3),
            reasons: vec![Reason::Expiring {
                at: Utc::now(),
                days_left: 3,
                within_days: 14,
            }],
        };
        let snapshot = Snapshot {
            accounts: vec![a1.clone()],
            attention: with_account_names(
                &[a1],
                vec![attention("k1"), attention("k2"), {
                    let mut gone = attention("k3");
                    gone.account_id = "removed".into();
                    gone
                }],
            ),
            ..Snapshot::default()
        };
        assert_eq!(
            snapshot.needs_attention(),
            2,
            "keys of gone accounts are left out"
        );
        let table = entries(&snapshot);
        let section = table.iter().find(|e| e.id == "attention").unwrap();
        assert_eq!(section.label, "2 keys need attention");
        let Kind::Submenu(items) = &section.kind else {
            panic!("attention is a submenu")
        };
        assert_eq!(items[0].label, "key k1 — Prod: expires in 3 days");
        let mut actions = HashMap::new();
        actions_of(&table, &mut actions);
        assert_eq!(
            actions["attention:1"],
            Action::SelectKey {
                account: "a1".into(),
                key: "k2".into()
            }
        );
        assert_eq!(attention_label(1), "1 key needs attention");
        assert!(entries(&Snapshot::default())
            .iter()
            .all(|e| e.id != "attention"));
    }

    #[test]
    fn old_keys_whose_grace_ended_offer_delete() {
        let grace = |n: usize| GraceEnded {
            rotation_id: format!("rot_{n:016x}"),
            account_id: "a1".into(),
            old: key(&format!("old{n}"), 3),
            new_key_id: Some(format!("new{n}")),
            ended_at: Utc::now(),
        };
        let snapshot = Snapshot {
            grace_ended: vec![grace(1), grace(2)],
            ..Snapshot::default()
        };
        let table = entries(&snapshot);
        let top: Vec<&str> = table.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            top,
            [
                "open",
                "new-key",
                "grace:rot_0000000000000001",
                "grace:rot_0000000000000002",
                "separator",
                "more",
                "quit"
            ]
        );
        assert_eq!(table[2].label, "Old key key old1: grace ended — Delete");
        assert!(table[2].enabled);
        let mut actions = HashMap::new();
        actions_of(&table, &mut actions);
        assert_eq!(
            actions["grace:rot_0000000000000002"],
            Action::RetireOldKey {
                rotation: "rot_0000000000000002".into()
            }
        );
        // A long list is cut, and says how many more.
        let many = Snapshot {
            grace_ended: (0..12).map(grace).collect(),
            ..Snapshot::default()
        };
        let table = entries(&many);
        let graces = table.iter().filter(|e| e.id.starts_with("grace:")).count();
        assert_eq!(graces, MAX_EXPIRING + 1);
        assert!(table
            .iter()
            .any(|e| e.id == "grace:more" && e.label.contains("2 more") && !e.enabled));
    }

    #[test]
    fn long_labels_are_cut() {
        let long = "x".repeat(200);
        let cut = short(&long);
        assert_eq!(cut.chars().count(), MAX_LABEL);
        assert!(cut.ends_with('…'));
        assert_eq!(short("short"), "short");
    }
}
