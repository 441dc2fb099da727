//! How results are printed: JSON with stable field names (`--json`), a table on a terminal, and
//! tab-separated columns with a header when stdout is a pipe (easy to `cut` and `awk`).

use std::io::{IsTerminal, Write};

use chrono::{DateTime, Utc};
use comfy_table::{presets, ColumnConstraint, ContentArrangement, Table, Width};
use keyrack_core::vendor::capabilities_of;
use keyrack_core::{
    Account, KeyRecord, KeyStatus, Owner, OwnerKind, PermissionLevel, PermissionMode, Permissions,
    VendorExtra, VendorId,
};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Json,
    Table,
    Plain,
}

impl Mode {
    pub fn detect(json: bool) -> Mode {
        if json {
            Mode::Json
        } else if std::io::stdout().is_terminal() {
            Mode::Table
        } else {
            Mode::Plain
        }
    }

    pub fn is_json(self) -> bool {
        self == Mode::Json
    }
}

/// Print a value as pretty JSON on stdout.
pub fn json<T: Serialize + ?Sized>(value: &T) {
    line(json_text(value));
}

/// Print a value as pretty JSON on stdout, saying whether stdout took it.
pub fn try_json<T: Serialize + ?Sized>(value: &T) -> std::io::Result<()> {
    try_line(json_text(value))
}

fn json_text<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("CLI output types always serialize")
}

/// Print a line on stdout. When the reader has gone (`keyrack … | head`), keyrack ends quietly
/// with success, as other Unix tools do, instead of failing on every line that follows.
pub fn line(text: impl std::fmt::Display) {
    if let Err(e) = try_line(text) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(i32::from(crate::exit::OK));
        }
    }
}

/// Print a line on stdout, saying whether stdout took it.
pub fn try_line(text: impl std::fmt::Display) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")?;
    out.flush()
}

/// A line for the person at the terminal (stderr, so stdout stays parseable).
pub fn note(text: impl std::fmt::Display) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// Rows with a header, as a table or as tab-separated lines.
pub fn rows(mode: Mode, header: &[&str], rows: Vec<Vec<String>>) {
    match mode {
        Mode::Table => {
            let mut table = Table::new();
            table
                .load_preset(presets::UTF8_FULL_CONDENSED)
                .set_header(header.to_vec());
            // Wrap to the terminal's width, unless it reports none (or a useless one).
            if table.width().is_some_and(|w| w >= 40) {
                table.set_content_arrangement(ContentArrangement::Dynamic);
            }
            // Ids are copied and pasted, and short columns read badly broken: never wrapped.
            let whole = ["ID", "VENDOR", "STATUS", "CREATED", "EXPIRES", "SOURCE"];
            // The others wrap, but stay readable: a wide table beats one letter per line.
            for (index, name) in header.iter().enumerate() {
                if let Some(column) = table.column_mut(index) {
                    column.set_constraint(if whole.contains(name) {
                        ColumnConstraint::ContentWidth
                    } else {
                        ColumnConstraint::LowerBoundary(Width::Fixed(14))
                    });
                }
            }
            for row in rows {
                table.add_row(row);
            }
            line(table);
        }
        Mode::Plain | Mode::Json => {
            line(header.join("\t"));
            for row in rows {
                let cells: Vec<String> = row.iter().map(|c| c.replace(['\t', '\n'], " ")).collect();
                line(cells.join("\t"));
            }
        }
    }
}

/// A key as `--json` prints it. The field names are the CLI's contract with scripts: they do not
/// follow renames inside the core.
#[derive(Debug, Serialize)]
pub struct KeyJson<'a> {
    pub vendor: VendorId,
    /// The account's name (what `--account` takes).
    pub account: &'a str,
    pub account_id: &'a str,
    pub id: &'a str,
    pub name: Option<&'a str>,
    pub description: Option<&'a str>,
    pub status: KeyStatus,
    pub locked: bool,
    pub owner: Option<&'a Owner>,
    pub created_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub scopes: &'a [String],
    pub secret_hint: Option<&'a str>,
    /// What the key may do (OpenAI): `{mode, resources}`.
    pub permissions: Option<&'a Permissions>,
    /// What kind of key, when the vendor lists several kinds (OpenAI "Admin key").
    pub kind_label: Option<&'a str>,
    /// Facts only this vendor has, e.g. OCI `user_id`, OpenAI `project_id`.
    pub extra: &'a VendorExtra,
}

impl<'a> KeyJson<'a> {
    pub fn new(record: &'a KeyRecord, account_name: &'a str) -> Self {
        KeyJson {
            vendor: record.vendor,
            account: account_name,
            account_id: &record.account,
            id: &record.id,
            name: record.name.as_deref(),
            description: record.description.as_deref(),
            status: record.status,
            locked: record.locked,
            owner: record.owner.as_ref(),
            created_at: record.created_at,
            expires_at: record.expires_at,
            last_used_at: record.last_used_at,
            scopes: &record.scopes,
            secret_hint: record.secret_hint.as_deref(),
            permissions: record.permissions.as_ref(),
            kind_label: record.kind_label.as_deref(),
            extra: &record.extra,
        }
    }
}

pub const KEY_HEADER: [&str; 10] = [
    "ACCOUNT",
    "VENDOR",
    "ID",
    "NAME",
    "STATUS",
    "OWNER",
    "CREATED",
    "EXPIRES",
    "LAST USED",
    "ACCESS",
];

/// The key's kind (when not the usual one) and what it may do, e.g. "Admin key", "Read only",
/// "Restricted: models read, files write"; resource names from the vendor's capabilities.
pub fn access_text(record: &KeyRecord) -> String {
    let permissions = record.permissions.as_ref().map(|p| match p.mode {
        PermissionMode::All => "All".to_string(),
        PermissionMode::ReadOnly => "Read only".to_string(),
        PermissionMode::Restricted => {
            let spec = capabilities_of(record.vendor).permissions;
            let label = |id: &str| {
                spec.as_ref()
                    .and_then(|s| s.resources.iter().find(|r| r.id == id))
                    .map_or(id.to_string(), |r| r.label.to_lowercase())
            };
            let allowed: Vec<String> = p
                .resources
                .iter()
                .filter(|(_, level)| **level != PermissionLevel::None)
                .map(|(id, level)| {
                    let level = if *level == PermissionLevel::Write {
                        "write"
                    } else {
                        "read"
                    };
                    format!("{} {level}", label(id))
                })
                .collect();
            if allowed.is_empty() {
                "Restricted".to_string()
            } else {
                format!("Restricted: {}", allowed.join(", "))
            }
        }
    });
    [record.kind_label.clone(), permissions]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn key_row(record: &KeyRecord, account_name: &str) -> Vec<String> {
    let mut status = status_text(record.status).to_string();
    if record.locked {
        status.push_str(", locked");
    }
    let owner = record.owner.as_ref().map(owner_text).unwrap_or_default();
    vec![
        account_name.to_string(),
        record.vendor.to_string(),
        record.id.clone(),
        record
            .name
            .clone()
            .or(record.description.clone())
            .unwrap_or_default(),
        status,
        owner,
        date(record.created_at),
        date(record.expires_at),
        date(record.last_used_at),
        access_text(record),
    ]
}

/// Print keys, each with the name of the account it was listed through.
pub fn keys(mode: Mode, keys: &[(&KeyRecord, &str)]) {
    if mode.is_json() {
        let out: Vec<KeyJson<'_>> = keys.iter().map(|(r, a)| KeyJson::new(r, a)).collect();
        json(&out);
    } else {
        rows(
            mode,
            &KEY_HEADER,
            keys.iter().map(|(r, a)| key_row(r, a)).collect(),
        );
    }
}

/// The owner's name (else its id), and its kind when it is not a user, e.g. "ci-bot (service
/// account)".
pub fn owner_text(owner: &Owner) -> String {
    let name = owner
        .name
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| owner.id.clone());
    let kind = match owner.kind {
        OwnerKind::User | OwnerKind::Other => return name,
        OwnerKind::ServiceId => "service ID",
        OwnerKind::ServiceAccount => "service account",
        OwnerKind::Application => "application",
    };
    format!("{name} ({kind})")
}

/// One key: the JSON object, or a one-row table.
pub fn key(mode: Mode, record: &KeyRecord, account_name: &str) {
    if mode.is_json() {
        json(&KeyJson::new(record, account_name));
    } else {
        rows(mode, &KEY_HEADER, vec![key_row(record, account_name)]);
    }
}

/// `ID (name)` for messages, or just the id when the key has no other name (OCI).
pub fn key_label(record: &KeyRecord) -> String {
    let name = record.display_name();
    if name == record.id {
        record.id.clone()
    } else {
        format!("{} ({name})", record.id)
    }
}

pub fn status_text(status: KeyStatus) -> &'static str {
    match status {
        KeyStatus::Active => "active",
        KeyStatus::Disabled => "disabled",
        KeyStatus::Inactive => "inactive",
        KeyStatus::Expired => "expired",
        KeyStatus::Creating => "creating",
        KeyStatus::Deleting => "deleting",
    }
}

fn date(value: Option<DateTime<Utc>>) -> String {
    value
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Where an account comes from, as `accounts list` shows it.
pub fn account_source(account: &Account, session: bool) -> &'static str {
    match (account.sandbox, session) {
        (true, _) => "sandbox",
        (false, true) => "file",
        (false, false) => "saved",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keyrack_core::test_support::key_record;
    use keyrack_core::vendors::ibm::IbmExtra;

    fn record() -> KeyRecord {
        KeyRecord {
            owner: Some(Owner {
                kind: OwnerKind::User,
                id: "IBMid-1".into(),
                name: None,
            }),
            created_at: Some("2025-01-02T03:04:05Z".parse().unwrap()),
            locked: true,
            ..key_record("ApiKey-1", VendorExtra::Ibm(IbmExtra::default()))
        }
    }

    #[test]
    fn json_has_the_stable_field_names() {
        let r = record();
        let v = serde_json::to_value(KeyJson::new(&r, "Prod IBM")).unwrap();
        for field in [
            "vendor",
            "account",
            "id",
            "name",
            "description",
            "status",
            "locked",
            "owner",
            "created_at",
            "expires_at",
            "scopes",
        ] {
            assert!(v.get(field).is_some(), "missing {field}: {v}");
        }
        assert_eq!(v["account"], "Prod IBM");
        assert_eq!(v["account_id"], "acc-1");
        assert_eq!(v["status"], "active");
        assert_eq!(v["owner"]["kind"], "user");
        assert_eq!(v["created_at"], "2025-01-02T03:04:05Z");
    }

    #[test]
    fn a_row_shows_lock_owner_and_dates() {
        let row = key_row(&record(), "Prod IBM");
        assert_eq!(row[4], "active, locked");
        assert_eq!(row[5], "IBMid-1");
        assert_eq!(row[6], "2025-01-02");
        assert_eq!(row[7], "");
        assert_eq!(row[9], "");
    }

    #[test]
    fn the_owner_says_its_kind_unless_a_user() {
        let owner = |kind, name: Option<&str>| Owner {
            kind,
            id: "id-1".into(),
            name: name.map(str::to_string),
        };
        assert_eq!(owner_text(&owner(OwnerKind::User, Some("jdoe"))), "jdoe");
        assert_eq!(
            owner_text(&owner(OwnerKind::ServiceAccount, Some("ci-bot"))),
            "ci-bot (service account)"
        );
        assert_eq!(
            owner_text(&owner(OwnerKind::ServiceId, Some(""))),
            "id-1 (service ID)"
        );
        assert_eq!(
            owner_text(&owner(OwnerKind::Application, None)),
            "id-1 (application)"
        );
        assert_eq!(
            owner_text(&owner(OwnerKind::Other, Some("runtime-environment"))),
            "runtime-environment"
        );
    }

    #[test]
    fn access_says_kind_and_permissions() {
        use keyrack_core::vendors::openai::OpenaiExtra;
        let mut r = key_record("p/k", VendorExtra::Openai(OpenaiExtra::default()));
        r.permissions = Some(Permissions {
            mode: PermissionMode::Restricted,
            resources: [
                ("models".to_string(), PermissionLevel::Read),
                ("files".to_string(), PermissionLevel::Write),
                ("threads".to_string(), PermissionLevel::None),
            ]
            .into_iter()
            .collect(),
        });
        assert_eq!(access_text(&r), "Restricted: files write, models read");
        r.permissions = Some(Permissions {
            mode: PermissionMode::ReadOnly,
            resources: Default::default(),
        });
        assert_eq!(access_text(&r), "Read only");
        r.permissions = None;
        r.kind_label = Some("Admin key".into());
        assert_eq!(access_text(&r), "Admin key");
        let v = serde_json::to_value(KeyJson::new(&r, "a")).unwrap();
        assert_eq!(v["kind_label"], "Admin key");
    }
}
