//! The inventory as a table, for audits and spreadsheets: every column of the key list — the
//! account, the key's facts, the secret hint the vendor shows, and each vendor's extra facts —
//! as CSV (RFC 4180) or JSON. No secret is here: a listed key holds none.

use std::collections::BTreeSet;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::AccountKeys;
use crate::model::{KeyRecord, KeyStatus, Owner, Permissions, VendorExtra, VendorId};

/// One key as a row. The JSON field names are those of `keyrack keys list --json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InventoryRow {
    /// The account's name.
    pub account: String,
    pub account_id: String,
    pub vendor: VendorId,
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub owner: Option<Owner>,
    pub created_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub status: KeyStatus,
    pub locked: bool,
    pub scopes: Vec<String>,
    pub secret_hint: Option<String>,
    /// What the key may do, where the vendor's keys carry permissions (OpenAI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Permissions>,
    /// The kind of key, where a vendor lists several kinds side by side (OpenAI "Admin key").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind_label: Option<String>,
    /// Facts only this vendor has, tagged with `vendor`.
    pub extra: VendorExtra,
}

impl InventoryRow {
    pub fn new(record: &KeyRecord, account_name: &str) -> Self {
        let r = record.clone();
        InventoryRow {
            account: account_name.to_string(),
            account_id: r.account,
            vendor: r.vendor,
            id: r.id,
            name: r.name,
            description: r.description,
            owner: r.owner,
            created_at: r.created_at,
            expires_at: r.expires_at,
            last_used_at: r.last_used_at,
            status: r.status,
            locked: r.locked,
            scopes: r.scopes,
            secret_hint: r.secret_hint,
            permissions: r.permissions,
            kind_label: r.kind_label,
            extra: r.extra,
        }
    }

    /// The key record the row was made from.
    pub fn into_record(self) -> KeyRecord {
        KeyRecord {
            vendor: self.vendor,
            account: self.account_id,
            id: self.id,
            name: self.name,
            description: self.description,
            owner: self.owner,
            created_at: self.created_at,
            expires_at: self.expires_at,
            last_used_at: self.last_used_at,
            status: self.status,
            locked: self.locked,
            scopes: self.scopes,
            secret_hint: self.secret_hint,
            permissions: self.permissions,
            kind_label: self.kind_label,
            extra: self.extra,
        }
    }
}

/// Every key of every account, in order.
pub fn rows(accounts: &[AccountKeys]) -> Vec<InventoryRow> {
    accounts
        .iter()
        .flat_map(|a| a.keys.iter().map(|r| InventoryRow::new(r, &a.account_name)))
        .collect()
}

/// The rows as a pretty JSON array, ending with a newline.
pub fn json(accounts: &[AccountKeys]) -> String {
    let mut text =
        serde_json::to_string_pretty(&rows(accounts)).expect("inventory rows always serialize");
    text.push('\n');
    text
}

/// The columns every row has, before the vendors' extra facts.
pub const COLUMNS: [&str; 16] = [
    "account",
    "account_id",
    "vendor",
    "id",
    "name",
    "description",
    "owner_kind",
    "owner_id",
    "owner_name",
    "created_at",
    "expires_at",
    "last_used_at",
    "status",
    "locked",
    "scopes",
    "secret_hint",
];

/// Separates a key's scopes in their one cell.
pub const LIST_SEPARATOR: &str = ";";

/// The rows as CSV (RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted,
/// quotes doubled), with a header. After [`COLUMNS`] come the extra facts of the vendors present,
/// one column each, named `<vendor>.<fact>` (e.g. `oci.user_id`); dates are RFC 3339 in UTC.
pub fn csv(accounts: &[AccountKeys]) -> String {
    let rows = rows(accounts);
    let extras: Vec<(VendorId, serde_json::Map<String, Value>)> = rows
        .iter()
        .map(|r| (r.vendor, extra_facts(&r.extra)))
        .collect();
    let extra_columns: BTreeSet<(VendorId, String)> = extras
        .iter()
        .flat_map(|(vendor, facts)| facts.keys().map(move |k| (*vendor, k.clone())))
        .collect();

    let mut out = String::new();
    let header = COLUMNS.iter().map(|c| c.to_string()).chain(
        extra_columns
            .iter()
            .map(|(vendor, fact)| format!("{vendor}.{fact}")),
    );
    record(&mut out, header);
    for (row, (vendor, facts)) in rows.iter().zip(&extras) {
        let owner = row.owner.as_ref();
        let base = [
            row.account.clone(),
            row.account_id.clone(),
            row.vendor.to_string(),
            row.id.clone(),
            text(&row.name),
            text(&row.description),
            owner
                .map(|o| cell(&json_value(&o.kind)))
                .unwrap_or_default(),
            owner.map(|o| o.id.clone()).unwrap_or_default(),
            owner.map(|o| text(&o.name)).unwrap_or_default(),
            date(row.created_at),
            date(row.expires_at),
            date(row.last_used_at),
            cell(&json_value(&row.status)),
            row.locked.to_string(),
            row.scopes.join(LIST_SEPARATOR),
            text(&row.secret_hint),
        ];
        let extra = extra_columns.iter().map(|(v, fact)| {
            if v == vendor {
                facts.get(fact).map(cell).unwrap_or_default()
            } else {
                String::new()
            }
        });
        record(&mut out, base.into_iter().chain(extra));
    }
    out
}

/// A vendor's extra facts by name, without the `vendor` tag.
fn extra_facts(extra: &VendorExtra) -> serde_json::Map<String, Value> {
    match json_value(extra) {
        Value::Object(mut map) => {
            map.remove("vendor");
            map
        }
        _ => serde_json::Map::new(),
    }
}

fn json_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A JSON value as one cell: text as is, lists joined, nothing as an empty cell.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items
            .iter()
            .map(cell)
            .collect::<Vec<_>>()
            .join(LIST_SEPARATOR),
        Value::Object(_) => value.to_string(),
    }
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn date(value: Option<DateTime<Utc>>) -> String {
    value
        .map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, true))
        .unwrap_or_default()
}

fn record(out: &mut String, fields: impl Iterator<Item = String>) {
    let fields: Vec<String> = fields.map(|f| csv_field(&f)).collect();
    out.push_str(&fields.join(","));
    out.push_str("\r\n");
}

/// One CSV field: as is, or quoted with its quotes doubled when it holds a comma, a quote or a
/// line break (RFC 4180 §2).
pub fn csv_field(value: &str) -> String {
    // Names and descriptions come from the vendors, and a spreadsheet runs a cell that starts
    // with one of these as a formula (CSV injection): a leading `'` makes it text, as OWASP
    // advises.
    let defused;
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        defused = format!("'{value}");
        defused.as_str()
    } else {
        value
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field(""), "");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("cr\r"), "\"cr\r\"");
    }

    #[test]
    fn a_cell_a_spreadsheet_would_run_as_a_formula_is_text() {
        assert_eq!(
            csv_field("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(csv_field("+1"), "'+1");
        assert_eq!(csv_field("-2+3"), "'-2+3");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("\tcmd"), "'\tcmd");
        assert_eq!(csv_field("a=b"), "a=b");
        assert_eq!(csv_field("2026-12-05"), "2026-12-05");
    }
}
