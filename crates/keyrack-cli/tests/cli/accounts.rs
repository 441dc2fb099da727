//! `keyrack accounts …`: the sandbox and file accounts, and — with a real Secret Service, as in
//! `make test` — adding an account the way the desktop app does (settings file + OS keychain),
//! using it from a fresh process, and removing it.

use crate::support::{run_in, Sandbox};
use keyrack_core::vault::{self, CredentialStore, KeychainStore};
use serde_json::Value;

#[test]
fn the_manifest_gives_five_marked_sandbox_accounts() {
    let sb = Sandbox::start();
    let accounts = sb.json(&["accounts", "list"]);
    let accounts = accounts.as_array().unwrap();
    let vendors: Vec<&str> = accounts
        .iter()
        .map(|a| a["vendor"].as_str().unwrap())
        .collect();
    assert_eq!(vendors, ["ibm", "scaleway", "oci", "openai", "codefresh"]);
    assert!(accounts.iter().all(|a| a["sandbox"] == true));
    // No credential appears in the listing.
    let text = sb.run(&["accounts", "list", "--json"]).stdout();
    assert!(!text.contains(&sb.field("codefresh", "api_key")));
    assert!(!text.contains("PRIVATE KEY"));

    let tested = sb.json(&["accounts", "test", "Oracle Cloud (Sandbox)"]);
    assert_eq!(tested["vendor"], "oci");
    assert!(!tested["identity"]["display"].as_str().unwrap().is_empty());

    let plain = sb.run(&["accounts", "list"]);
    plain.ok();
    assert!(
        plain.stdout().starts_with("NAME\tVENDOR\tID\tSOURCE"),
        "{}",
        plain.stdout()
    );
    assert!(plain.stdout().contains("sandbox-ibm\tsandbox"));
}

#[test]
fn saved_accounts_cannot_be_changed_while_files_supply_the_accounts() {
    let sb = Sandbox::start();
    let run = run_in(
        sb.dir.path(),
        &[
            "--sandbox-manifest",
            sb.manifest_path.to_str().unwrap(),
            "accounts",
            "add",
            "codefresh",
            "--name",
            "x",
        ],
        &[],
        Some("some-key"),
    );
    run.expect_code(2);
    assert!(
        run.stderr().contains("--sandbox-manifest"),
        "{}",
        run.stderr()
    );
    sb.run(&["accounts", "remove", "sandbox-ibm"])
        .expect_code(2);
    assert!(!sb.path("config/settings.toml").exists());
}

/// Whether a Secret Service answers; a loud failure when `KEYRACK_REQUIRE_KEYCHAIN=1` (CI).
pub(crate) async fn keychain_usable(test: &str) -> bool {
    let required = std::env::var("KEYRACK_REQUIRE_KEYCHAIN").as_deref() == Ok("1");
    let problem = if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        Some("no session bus".to_string())
    } else {
        KeychainStore::new(vault::service_name())
            .probe()
            .await
            .err()
            .map(|e| e.to_string())
    };
    match problem {
        None => true,
        Some(why) if required => panic!("KEYRACK_REQUIRE_KEYCHAIN=1 but no keychain: {why}"),
        Some(why) => {
            eprintln!(
                "SKIPPED {test}: no Secret Service ({why}); run under scripts/with-session.sh"
            );
            false
        }
    }
}

#[tokio::test]
async fn add_tests_saves_to_the_keychain_and_remove_forgets() {
    if !keychain_usable("add_tests_saves_to_the_keychain_and_remove_forgets").await {
        return;
    }
    let sb = Sandbox::start();
    let dir = sb.dir.path();
    let base = sb.field("codefresh", "base_url");
    let key = sb.field("codefresh", "api_key");
    let name = format!("cli-test-{}", std::process::id());

    // A wrong key is refused by the connection test, and nothing is saved.
    let run = run_in(
        dir,
        &[
            "accounts",
            "add",
            "codefresh",
            "--name",
            &name,
            "--base-url",
            &base,
        ],
        &[],
        Some("wrong.key\n"),
    );
    run.expect_code(3);
    assert!(!sb.path("config/settings.toml").exists());

    let run = run_in(
        dir,
        &[
            "accounts",
            "add",
            "codefresh",
            "--name",
            &name,
            "--base-url",
            &base,
            "--json",
        ],
        &[],
        Some(&format!("{key}\n")),
    );
    run.ok();
    let saved = run.json();
    let id = saved["account"]["id"].as_str().unwrap().to_string();
    assert_eq!(saved["account"]["name"], name.as_str());
    assert!(saved["identity"]["display"].is_string(), "{saved}");

    // The app's settings file has the account, never the secret.
    let settings = std::fs::read_to_string(sb.path("config/settings.toml")).unwrap();
    assert!(
        settings.contains(&name) && settings.contains(&id),
        "{settings}"
    );
    assert!(!settings.contains(&key));

    // A fresh process reads the credential back from the keychain.
    let listed = run_in(dir, &["accounts", "list", "--json"], &[], None);
    listed.ok();
    let accounts: Vec<Value> = listed.json().as_array().unwrap().clone();
    assert!(accounts.iter().any(|a| a["id"] == id.as_str()));
    let keys = run_in(
        dir,
        &["keys", "list", "--account", &name, "--json"],
        &[],
        None,
    );
    keys.ok();
    assert!(!keys.json()["keys"].as_array().unwrap().is_empty());
    run_in(dir, &["accounts", "test", &name], &[], None).ok();

    // The same name twice is refused.
    run_in(
        dir,
        &[
            "accounts",
            "add",
            "codefresh",
            "--name",
            &name,
            "--base-url",
            &base,
        ],
        &[],
        Some(&key),
    )
    .expect_code(2);

    run_in(dir, &["accounts", "remove", &name], &[], None).ok();
    let after = run_in(dir, &["accounts", "list", "--json"], &[], None);
    assert_eq!(after.json(), Value::Array(vec![]));
    let gone = KeychainStore::new(vault::service_name())
        .get(&keyrack_core::Account {
            id,
            name,
            vendor: keyrack_core::VendorId::Codefresh,
            sandbox: false,
            settings: Default::default(),
        })
        .await;
    assert!(gone.is_err(), "the keychain entry is removed");
}

#[tokio::test]
async fn an_oci_account_takes_its_private_key_pem_on_stdin() {
    if !keychain_usable("an_oci_account_takes_its_private_key_pem_on_stdin").await {
        return;
    }
    let sb = Sandbox::start();
    let dir = sb.dir.path();
    let name = format!("cli-oci-{}", std::process::id());
    let (base, tenancy, user, fingerprint, region) = (
        sb.field("oci", "base_url"),
        sb.field("oci", "tenancy"),
        sb.field("oci", "user"),
        sb.field("oci", "fingerprint"),
        sb.field("oci", "region"),
    );
    let pem = sb.field("oci", "private_key_pem");
    let args = [
        "accounts",
        "add",
        "oci",
        "--name",
        &name,
        "--base-url",
        &base,
        "--tenancy",
        &tenancy,
        "--user",
        &user,
        "--fingerprint",
        &fingerprint,
        "--region",
        &region,
    ];
    run_in(dir, &args, &[], Some(&pem)).ok();
    let keys = run_in(
        dir,
        &["keys", "list", "--account", &name, "--json"],
        &[],
        None,
    );
    keys.ok();
    let keys = keys.json();
    assert!(keys["keys"]
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k["id"].as_str().unwrap().ends_with(&fingerprint)));
    let settings = std::fs::read_to_string(sb.path("config/settings.toml")).unwrap();
    assert!(settings.contains(&fingerprint) && !settings.contains("PRIVATE KEY"));
    run_in(dir, &["accounts", "remove", &name], &[], None).ok();
}
