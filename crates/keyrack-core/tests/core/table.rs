//! `export::table`: the inventory as CSV and JSON. CSV read back by an RFC 4180 reader gives
//! every field as it was (commas, quotes, line breaks), with every column of the key list and
//! each vendor's extra facts; JSON turns back into the records it came from.

use keyrack_core::export::table::{self, InventoryRow, COLUMNS};
use keyrack_core::export::AccountKeys;
use keyrack_core::{vendors, KeyRecord, Owner, OwnerKind, VendorId};

fn fixture(vendor: VendorId) -> AccountKeys {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/terraform/{vendor}-keys.json"));
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    AccountKeys {
        account_id: value["account_id"].as_str().unwrap().into(),
        account_name: value["account_name"].as_str().unwrap().into(),
        vendor,
        keys: serde_json::from_value(value["keys"].clone()).unwrap(),
    }
}

fn all() -> Vec<AccountKeys> {
    vendors::ids().map(fixture).collect()
}

/// A strict RFC 4180 reader: CRLF between records, quoted fields with doubled quotes.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut started = false;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !started => {
                quoted = true;
                started = true;
            }
            '"' => panic!("a quote inside an unquoted field: {field:?}"),
            ',' => {
                record.push(std::mem::take(&mut field));
                started = false;
            }
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                started = false;
            }
            '\n' => panic!("a bare LF ends a record"),
            c => {
                field.push(c);
                started = true;
            }
        }
    }
    assert!(!quoted, "unterminated quoted field");
    assert!(
        field.is_empty() && record.is_empty(),
        "the last record has no CRLF"
    );
    records
}

fn hostile_accounts() -> Vec<AccountKeys> {
    let mut ibm = fixture(VendorId::Ibm);
    let template = ibm.keys[0].clone();
    ibm.account_name = "Prod, \"main\"".into();
    ibm.keys = vec![
        KeyRecord {
            id: "ApiKey-1".into(),
            name: Some("comma, separated".into()),
            description: Some("say \"hi\"\nand a second line\r\nand a third".into()),
            owner: Some(Owner {
                kind: OwnerKind::ServiceId,
                id: "iam-ServiceId-1".into(),
                name: Some("=HYPERLINK(\"x\")".into()),
            }),
            ..template.clone()
        },
        KeyRecord {
            id: "ApiKey-2".into(),
            name: Some("\"".into()),
            description: None,
            owner: None,
            ..template
        },
    ];
    vec![ibm, fixture(VendorId::Codefresh)]
}

#[test]
fn csv_quotes_commas_quotes_and_line_breaks_and_reads_back_exactly() {
    let accounts = hostile_accounts();
    let text = table::csv(&accounts);
    let records = read_csv(&text);
    let header = &records[0];
    let rows = &records[1..];
    let keys: Vec<&KeyRecord> = accounts.iter().flat_map(|a| &a.keys).collect();
    assert_eq!(rows.len(), keys.len());
    assert!(
        records.iter().all(|r| r.len() == header.len()),
        "rectangular"
    );
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let first = &rows[0];
    assert_eq!(first[col("account")], "Prod, \"main\"");
    assert_eq!(first[col("name")], "comma, separated");
    assert_eq!(
        first[col("description")],
        "say \"hi\"\nand a second line\r\nand a third"
    );
    assert_eq!(first[col("owner_kind")], "service_id");
    assert_eq!(first[col("owner_id")], "iam-ServiceId-1");
    // A vendor-side name that a spreadsheet would run as a formula is kept as text.
    assert_eq!(first[col("owner_name")], "'=HYPERLINK(\"x\")");
    assert_eq!(rows[1][col("name")], "\"");
    assert_eq!(rows[1][col("owner_kind")], "");
    for (row, key) in rows.iter().zip(&keys) {
        assert_eq!(row[col("id")], key.id);
        assert_eq!(row[col("vendor")], key.vendor.to_string());
        assert_eq!(row[col("locked")], key.locked.to_string());
        assert_eq!(row[col("scopes")], key.scopes.join(";"));
        assert_eq!(
            row[col("created_at")],
            key.created_at
                .map(|t| serde_json::to_value(t)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string())
                .unwrap_or_default()
        );
    }
    // The raw text: quoted fields, doubled quotes, CRLF record ends.
    assert!(text.contains("\"comma, separated\""));
    assert!(text.contains("\"say \"\"hi\"\"\nand a second line\r\nand a third\""));
    assert!(text.ends_with("\r\n"));
}

#[test]
fn csv_has_every_column_of_the_key_list_and_each_vendors_facts() {
    let accounts = all();
    let records = read_csv(&table::csv(&accounts));
    let header = &records[0];
    assert_eq!(
        &header[..COLUMNS.len()],
        COLUMNS.map(String::from).as_slice()
    );
    for wanted in [
        "ibm.crn",
        "ibm.iam_id",
        "ibm.action_when_leaked",
        "scaleway.default_project_id",
        "scaleway.managed",
        "oci.user_id",
        "oci.lifecycle_state",
        "openai.project_id",
        "openai.project_name",
        "codefresh.subject_type",
    ] {
        assert!(
            header.iter().any(|h| h == wanted),
            "no {wanted} in {header:?}"
        );
    }
    // A vendor's facts are empty in another vendor's rows.
    let crn = header.iter().position(|h| h == "ibm.crn").unwrap();
    let vendor = header.iter().position(|h| h == "vendor").unwrap();
    for row in &records[1..] {
        if row[vendor] != "ibm" {
            assert_eq!(row[crn], "", "{row:?}");
        }
    }
    let keys: usize = accounts.iter().map(|a| a.keys.len()).sum();
    assert_eq!(records.len(), keys + 1);
}

#[test]
fn json_rows_turn_back_into_the_records() {
    let mut accounts = all();
    accounts.extend(hostile_accounts());
    let text = table::json(&accounts);
    let rows: Vec<InventoryRow> = serde_json::from_str(&text).unwrap();
    let keys: Vec<(&str, &KeyRecord)> = accounts
        .iter()
        .flat_map(|a| a.keys.iter().map(move |k| (a.account_name.as_str(), k)))
        .collect();
    assert_eq!(rows.len(), keys.len());
    for (row, (account_name, key)) in rows.into_iter().zip(keys) {
        assert_eq!(row.account, account_name);
        assert_eq!(&row.clone().into_record(), key);
    }
    // The field names of `keys list --json`.
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    for field in [
        "account",
        "account_id",
        "vendor",
        "id",
        "name",
        "description",
        "owner",
        "created_at",
        "expires_at",
        "last_used_at",
        "status",
        "locked",
        "scopes",
        "secret_hint",
        "extra",
    ] {
        assert!(value[0].get(field).is_some(), "{field}");
    }
}

#[test]
fn an_empty_inventory_is_a_header_and_an_empty_array() {
    assert_eq!(table::csv(&[]), format!("{}\r\n", COLUMNS.join(",")));
    assert_eq!(table::json(&[]).trim(), "[]");
}
