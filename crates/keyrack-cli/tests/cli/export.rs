//! `keyrack export terraform|csv|json` as a process against `keyrack sandbox`: what it prints
//! is what the core renders for the same inventory (the core's tests parse that as HCL), CSV and
//! JSON hold every key, `--out` writes 0600 and refuses to replace a file without `--force`,
//! `--out-dir` writes one root module per account, and a failing account is reported while the
//! others are still exported.

#![cfg(unix)]

use std::collections::BTreeMap;

use keyrack_core::export::table::InventoryRow;
use keyrack_core::export::{terraform, AccountKeys};
use serde_json::Value;

use crate::support::{mode_of, run_in, Sandbox};

const VENDORS: [&str; 5] = ["ibm", "scaleway", "oci", "openai", "codefresh"];

/// The JSON export's rows grouped back into accounts, in order.
fn accounts_of(rows: Vec<InventoryRow>) -> Vec<AccountKeys> {
    let mut accounts: Vec<AccountKeys> = Vec::new();
    for row in rows {
        let name = row.account.clone();
        let vendor = row.vendor;
        let record = row.into_record();
        match accounts.last_mut() {
            Some(a) if a.account_id == record.account => a.keys.push(record),
            _ => accounts.push(AccountKeys {
                account_id: record.account.clone(),
                account_name: name,
                vendor,
                keys: vec![record],
            }),
        }
    }
    accounts
}

/// The `to = type.name` of each live import, and the `resource "type" "name"` of each live
/// resource: the same set.
fn live_blocks(text: &str) -> (Vec<String>, Vec<String>) {
    let mut imports = Vec::new();
    let mut resources = Vec::new();
    for line in text.lines() {
        if let Some(to) = line.trim_start().strip_prefix("to ") {
            let to = to.trim_start_matches([' ', '=']).trim();
            if !line.starts_with('#') {
                imports.push(to.to_string());
            }
        }
        if let Some(rest) = line.strip_prefix("resource \"") {
            let parts: Vec<&str> = rest.split('"').collect();
            resources.push(format!("{}.{}", parts[0], parts[2]));
        }
    }
    imports.sort();
    resources.sort();
    (imports, resources)
}

#[test]
fn terraform_on_stdout_is_what_the_core_renders_for_the_inventory() {
    let sb = Sandbox::start();
    let run = sb.run(&["export", "terraform"]);
    run.ok();
    let text = run.stdout();

    // The same inventory, as the JSON export gives it, rendered by the core.
    let rows: Vec<InventoryRow> =
        serde_json::from_value(sb.json(&["export", "json"])).expect("rows");
    let accounts = accounts_of(rows);
    assert_eq!(accounts.len(), VENDORS.len());
    assert_eq!(text, terraform::render(&accounts));

    assert!(text.contains("terraform {\n  required_version = \">= 1.5.0\""));
    let (imports, resources) = live_blocks(&text);
    assert!(!imports.is_empty());
    assert_eq!(imports, resources, "each import has its resource");
    for prefix in ["ibm_", "scaleway_", "oci_"] {
        assert!(imports.iter().any(|i| i.starts_with(prefix)), "{prefix}");
    }
    for prefix in ["openai_", "codefresh_"] {
        assert!(
            !imports.iter().any(|i| i.starts_with(prefix)),
            "no live import for {prefix}"
        );
        assert!(
            text.contains(&format!("#   to = {prefix}")),
            "{prefix} commented out"
        );
    }

    // Chosen accounts only, and a vendor filter.
    let one = sb.run(&["export", "terraform", "--account", "sandbox-oci"]);
    one.ok();
    assert!(one.stdout().contains("oci_identity_api_key"));
    assert!(!one.stdout().contains("ibm_iam"));
    let scw = sb.run(&["export", "terraform", "--vendor", "scaleway"]);
    scw.ok();
    let (imports, _) = live_blocks(&scw.stdout());
    assert!(imports
        .iter()
        .all(|i| i.starts_with("scaleway_iam_api_key.")));
}

/// A minimal RFC 4180 reader: CRLF between records, quoted fields with doubled quotes.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let (mut record, mut field) = (Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'));
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    records
}

#[test]
fn csv_and_json_hold_every_listed_key() {
    let sb = Sandbox::start();
    let listed = sb.json(&["keys", "list"]);
    let listed = listed["keys"].as_array().unwrap();

    let json = sb.json(&["export", "json"]);
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), listed.len());
    for (row, key) in rows.iter().zip(listed) {
        for field in ["account", "account_id", "vendor", "id", "status", "extra"] {
            assert_eq!(row[field], key[field], "{field}");
        }
    }

    let run = sb.run(&["export", "csv"]);
    run.ok();
    let records = read_csv(&run.stdout());
    let header = &records[0];
    assert_eq!(header[..4], ["account", "account_id", "vendor", "id"]);
    assert!(header.iter().any(|h| h == "oci.user_id"), "{header:?}");
    assert_eq!(records.len(), listed.len() + 1);
    let by_id: BTreeMap<&str, &Vec<String>> =
        records[1..].iter().map(|r| (r[3].as_str(), r)).collect();
    for key in listed {
        let row = by_id[key["id"].as_str().unwrap()];
        assert_eq!(row[0], key["account"].as_str().unwrap());
        assert_eq!(row[2], key["vendor"].as_str().unwrap());
    }
}

#[test]
fn out_writes_a_private_file_and_replaces_it_only_with_force() {
    let sb = Sandbox::start();
    for (format, file) in [
        ("terraform", "keys.tf"),
        ("csv", "keys.csv"),
        ("json", "keys.json"),
    ] {
        let path = sb.path(file);
        let out = path.to_str().unwrap();
        let run = sb.run(&["export", format, "--out", out]);
        run.ok();
        assert!(run.stdout().is_empty(), "the export went to the file");
        assert!(run.stderr().contains(out), "{}", run.stderr());
        assert_eq!(mode_of(&path), 0o600, "{file}");
        let first = std::fs::read_to_string(&path).unwrap();
        assert!(!first.is_empty());

        std::fs::write(&path, "kept").unwrap();
        let refused = sb.run(&["export", format, "--out", out]);
        refused.expect_code(2);
        assert!(refused.stderr().contains("--force"), "{}", refused.stderr());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "kept");

        sb.run(&["export", format, "--out", out, "--force"]).ok();
        // The same inventory again (a key's last use may have moved on: each run signs in).
        let again = std::fs::read_to_string(&path).unwrap();
        assert_eq!(again.lines().count(), first.lines().count(), "{file}");
        assert_eq!(again.lines().next(), first.lines().next(), "{file}");
        assert_eq!(mode_of(&path), 0o600);
    }

    // With --json, what was written.
    let path = sb.path("summary.tf");
    let summary = sb.json(&["export", "terraform", "--out", path.to_str().unwrap()]);
    assert_eq!(summary["files"][0]["path"], path.to_str().unwrap());
    assert_eq!(summary["files"][0]["accounts"].as_array().unwrap().len(), 5);
    assert_eq!(summary["errors"], Value::Array(vec![]));
}

#[test]
fn out_dir_writes_one_root_module_per_account() {
    let sb = Sandbox::start();
    let dir = sb.path("tf");
    let run = sb.run(&["export", "terraform", "--out-dir", dir.to_str().unwrap()]);
    run.ok();
    let mut modules: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    modules.sort();
    assert_eq!(
        modules,
        [
            "codefresh-sandbox",
            "ibm-cloud-sandbox",
            "openai-sandbox",
            "oracle-cloud-sandbox",
            "scaleway-sandbox"
        ]
    );
    for module in &modules {
        let main = dir.join(module).join("main.tf");
        assert_eq!(mode_of(&main), 0o600, "{module}");
        let text = std::fs::read_to_string(&main).unwrap();
        assert_eq!(text.matches("terraform {").count(), 1, "{module}");
        assert_eq!(text.matches("required_providers {").count(), 1);
        assert!(text.contains("1 account"), "{module}");
        let (imports, resources) = live_blocks(&text);
        assert_eq!(imports, resources);
    }
    // Again: nothing is replaced without --force.
    let again = sb.run(&["export", "terraform", "--out-dir", dir.to_str().unwrap()]);
    again.expect_code(2);
    sb.run(&[
        "export",
        "terraform",
        "--out-dir",
        dir.to_str().unwrap(),
        "--force",
    ])
    .ok();

    // --out-dir is for Terraform only, and not with --out.
    let csv = sb.run(&["export", "csv", "--out-dir", dir.to_str().unwrap()]);
    csv.expect_code(2);
    let both = sb.run(&["export", "terraform", "--out", "a.tf", "--out-dir", "d"]);
    both.expect_code(2);
    let force_alone = sb.run(&["export", "json", "--force"]);
    force_alone.expect_code(2);
}

#[test]
fn a_failing_account_is_reported_and_the_others_are_exported() {
    let sb = Sandbox::start();
    let path = sb.path("bad.toml");
    std::fs::write(
        &path,
        format!(
            "[[account]]\nname = \"cf-bad\"\nvendor = \"codefresh\"\nbase_url = \"{}\"\n\
             secret = \"env:CF_KEY\"\n",
            sb.field("codefresh", "base_url")
        ),
    )
    .unwrap();
    let manifest = sb.manifest_path.to_str().unwrap();
    let accounts = path.to_str().unwrap();
    let base = [
        "--sandbox-manifest",
        manifest,
        "--accounts",
        accounts,
        "export",
    ];
    let env = [("CF_KEY", "wrong")];

    let mut args = base.to_vec();
    args.push("terraform");
    let run = run_in(sb.dir.path(), &args, &env, None);
    run.expect_code(3);
    assert!(
        run.stderr().contains("account `cf-bad`"),
        "{}",
        run.stderr()
    );
    for kind in [
        "ibm_iam_api_key",
        "scaleway_iam_api_key",
        "oci_identity_api_key",
    ] {
        assert!(run.stdout().contains(kind), "{kind} still exported");
    }
    assert!(
        !run.stdout().contains("cf-bad"),
        "nothing of the failing account"
    );

    // --json: the error as a JSON line on stderr; the export on stdout.
    let mut args = base.to_vec();
    args.extend(["json", "--json"]);
    let run = run_in(sb.dir.path(), &args, &env, None);
    run.expect_code(3);
    let rows: Vec<Value> = serde_json::from_str(&run.stdout()).unwrap();
    for vendor in VENDORS {
        assert!(rows.iter().any(|r| r["vendor"] == vendor), "{vendor}");
    }
    let error: Value = serde_json::from_str(run.stderr().lines().next().unwrap()).unwrap();
    assert_eq!(error["account"], "cf-bad");
    assert_eq!(error["error"]["code"], "unauthorized");

    // --out-dir: a module for each account that listed, none for the one that failed.
    let dir = sb.path("partial");
    let mut args = base.to_vec();
    args.extend(["terraform", "--out-dir", dir.to_str().unwrap()]);
    run_in(sb.dir.path(), &args, &env, None).expect_code(3);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 5);
    assert!(!dir.join("cf-bad").exists());

    // Only the failing account: nothing is written.
    let only = sb.path("only-bad.csv");
    let run = run_in(
        sb.dir.path(),
        &[
            "--accounts",
            accounts,
            "export",
            "csv",
            "--out",
            only.to_str().unwrap(),
        ],
        &env,
        None,
    );
    run.expect_code(3);
    assert!(!only.exists());
}
