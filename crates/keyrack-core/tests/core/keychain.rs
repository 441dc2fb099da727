//! The credential store against a real Secret Service (gnome-keyring under dbus-run-session in
//! `make test`), and the guards that production builds use it and nothing else.
//!
//! Run by hand:
//! `XDG_DATA_HOME=$(mktemp -d) dbus-run-session -- sh -c 'echo -n test | gnome-keyring-daemon
//! --unlock --components=secrets --daemonize >/dev/null; cargo test -p keyrack-core --test core -- keychain::'`
//!
//! Without a session bus these tests print a skip note — or fail, when `KEYRACK_REQUIRE_KEYCHAIN=1`
//! says a keychain must be there.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use keyrack_core::accounts::{AccountDraft, ConnectionTest, Options, Registry};
use keyrack_core::settings::Paths;
use keyrack_core::vault::{self, Backend, CredentialStore, KeychainStore};
use keyrack_core::{Account, AccountSettings, Code, Credential, VendorId};

/// `Some(())` when a Secret Service answers; otherwise a loud failure if one is required, or a
/// skip note.
async fn keychain_available(test: &str) -> Option<()> {
    let required = std::env::var("KEYRACK_REQUIRE_KEYCHAIN").as_deref() == Ok("1");
    let reason = if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        Some("no DBUS_SESSION_BUS_ADDRESS (no session bus)".to_string())
    } else {
        match KeychainStore::new("dev.keyrack.test").probe().await {
            Ok(()) => None,
            Err(e) => Some(e.to_string()),
        }
    };
    match reason {
        None => Some(()),
        Some(why) if required => panic!(
            "KEYRACK_REQUIRE_KEYCHAIN=1 but no Secret Service is usable: {why}. Run the tests \
             under dbus-run-session with an unlocked gnome-keyring (see `make test`)."
        ),
        Some(why) => {
            eprintln!("SKIPPED {test}: no Secret Service ({why}); set up one as in `make test`");
            None
        }
    }
}

fn test_account(name: &str) -> Account {
    Account {
        id: format!("test-{}", uuid::Uuid::new_v4()),
        name: name.into(),
        vendor: VendorId::Oci,
        sandbox: false,
        settings: AccountSettings::default(),
    }
}

/// What `secret-tool` (libsecret, a separate process and client) finds for an entry.
fn secret_tool_lookup(service: &str, user: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", service, "username", user])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[tokio::test]
async fn store_read_update_and_delete_a_credential() {
    let Some(()) = keychain_available("store_read_update_and_delete_a_credential").await else {
        return;
    };
    let store = KeychainStore::new("dev.keyrack.test");
    let account = test_account("Keychain round trip");

    let first = Credential::new("-----BEGIN PRIVATE KEY-----\nπ-key\n-----END PRIVATE KEY-----");
    store.set(&account, &first).await.unwrap();
    let back = store.get(&account).await.unwrap();
    assert_eq!(back.secret.expose(), first.secret.expose());
    assert!(back.passphrase.is_none());

    let mut second = Credential::new("second-secret");
    second.passphrase = Some("pass phrase".into());
    store.set(&account, &second).await.unwrap();
    let back = store.get(&account).await.unwrap();
    assert_eq!(back.secret.expose(), "second-secret");
    assert_eq!(back.passphrase.unwrap().expose(), "pass phrase");

    store.delete(&account).await.unwrap();
    let err = store.get(&account).await.unwrap_err();
    assert_eq!(err.code(), Code::Keychain);
    let text = err.to_string();
    assert!(
        text.contains("no credential for account `Keychain round trip`"),
        "{text}"
    );
    store
        .delete(&account)
        .await
        .expect("deleting a missing entry is not an error");
}

/// The production store is the Secret Service — even if something installs keyring's mock as
/// the process-wide default — and what it writes is visible to another Secret Service client.
#[tokio::test]
async fn the_default_store_is_the_real_secret_service() {
    let store = vault::default_store();
    assert_eq!(
        store.backend(),
        Backend::SecretService {
            service: vault::service_name().to_string()
        }
    );
    assert_eq!(
        vault::service_name(),
        "dev.keyrack.app.dev",
        "debug builds use their own"
    );

    keyring::set_default_credential_builder(keyring::mock::default_credential_builder());
    let keychain = KeychainStore::new(vault::service_name());
    assert_eq!(keychain.credential_type().unwrap(), "SsCredential");

    let Some(()) = keychain_available("the_default_store_is_the_real_secret_service").await else {
        return;
    };
    let account = test_account("Production store check");
    store
        .set(&account, &Credential::new("written-by-default-store"))
        .await
        .unwrap();
    let seen = secret_tool_lookup(vault::service_name(), &account.id);
    store.delete(&account).await.unwrap();
    match seen {
        Some(value) => assert_eq!(value, r#"{"secret":"written-by-default-store"}"#),
        None if which_secret_tool() => panic!("secret-tool did not find the entry"),
        None => eprintln!("secret-tool not installed: the cross-client check was skipped"),
    }
}

fn which_secret_tool() -> bool {
    Command::new("secret-tool")
        .arg("--version")
        .output()
        .is_ok()
}

/// Through the registry: the credential goes to the keychain, a later run reads it from there,
/// and removing the account deletes the entry.
#[tokio::test]
async fn the_registry_keeps_credentials_in_the_keychain() {
    let Some(()) = keychain_available("the_registry_keeps_credentials_in_the_keychain").await
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::under(dir.path());
    let store: Arc<dyn CredentialStore> = Arc::new(KeychainStore::new("dev.keyrack.test"));
    let registry = open_registry(&paths, &store).await;
    let draft = AccountDraft {
        name: "Keychain Codefresh".into(),
        vendor: VendorId::Codefresh,
        settings: AccountSettings::default(),
    };
    let saved = registry
        .add_account(
            draft,
            Credential::new("cf-key-in-keychain"),
            ConnectionTest::Skip,
        )
        .await
        .unwrap();
    let id = saved.account.id.clone();
    if let Some(value) = secret_tool_lookup("dev.keyrack.test", &id) {
        assert_eq!(value, r#"{"secret":"cf-key-in-keychain"}"#);
    }
    let settings_text = std::fs::read_to_string(paths.settings_file()).unwrap();
    assert!(!settings_text.contains("cf-key-in-keychain"));

    // The next run reads the credential back from the keychain.
    let next_run = open_registry(&paths, &store).await;
    next_run.vendor(&id).await.unwrap();
    let from_keychain = store.get(&saved.account).await.unwrap();
    assert_eq!(from_keychain.secret.expose(), "cf-key-in-keychain");

    next_run.remove_account(&id).await.unwrap();
    let err = store.get(&saved.account).await.unwrap_err();
    assert!(err.to_string().contains("no credential"), "{err}");
}

async fn open_registry(paths: &Paths, store: &Arc<dyn CredentialStore>) -> Registry {
    Registry::open(Options {
        paths: paths.clone(),
        store: store.clone(),
        http: None,
        sandbox: None,
    })
    .await
    .unwrap()
}

/// A D-Bus address that leads nowhere: the child process checks the error users would see.
#[test]
fn an_unreachable_keychain_is_a_clear_error() {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "keychain::unreachable_bus_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("KEYRACK_TEST_CHILD", "unreachable_bus")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/keyrack-test/bus",
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "child failed:\n{stdout}\n{stderr}");
    assert!(
        stdout.contains("CHILD CHECKED unreachable_bus"),
        "the child test did not run:\n{stdout}\n{stderr}"
    );
}

/// Runs only as the child of `an_unreachable_keychain_is_a_clear_error`.
#[tokio::test]
async fn unreachable_bus_child() {
    if std::env::var("KEYRACK_TEST_CHILD").as_deref() != Ok("unreachable_bus") {
        return;
    }
    let store = KeychainStore::new("dev.keyrack.test");
    let account = test_account("Unreachable");
    for err in [
        store.probe().await.unwrap_err(),
        store.get(&account).await.unwrap_err(),
        store
            .set(&account, &Credential::new("never-stored"))
            .await
            .unwrap_err(),
    ] {
        assert_eq!(err.code(), Code::Keychain);
        let text = err.to_string();
        assert!(
            text.starts_with("No OS keychain is running (Secret Service on D-Bus)."),
            "{text}"
        );
        assert!(text.contains("the sandbox still works"), "{text}");
        assert!(!text.contains("never-stored"), "{text}");
    }
    println!("CHILD CHECKED unreachable_bus");
}

/// No workspace member may enable the in-memory store outside its dev-dependencies: a shell
/// built for users can then only get the keychain.
#[test]
fn no_production_dependency_enables_the_memory_store() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let workspace: toml::Table =
        toml::from_str(&std::fs::read_to_string(root.join("Cargo.toml")).unwrap()).unwrap();
    let ws = &workspace["workspace"];
    assert!(
        !enables_test_support(ws.get("dependencies")),
        "[workspace.dependencies] keyrack-core enables test-support"
    );
    let members = ws["members"].as_array().unwrap();
    assert!(!members.is_empty());
    for member in members {
        let path = root.join(member.as_str().unwrap()).join("Cargo.toml");
        let manifest: toml::Table =
            toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let mut sections = vec![
            manifest.get("dependencies"),
            manifest.get("build-dependencies"),
        ];
        if let Some(targets) = manifest.get("target").and_then(|t| t.as_table()) {
            for target in targets.values() {
                sections.push(target.get("dependencies"));
                sections.push(target.get("build-dependencies"));
            }
        }
        for section in sections {
            assert!(
                !enables_test_support(section),
                "{} enables keyrack-core/test-support outside dev-dependencies",
                path.display()
            );
        }
        // A feature of the member that forwards to it must not be on by default.
        if let Some(features) = manifest.get("features").and_then(|f| f.as_table()) {
            let default = features.get("default").and_then(|d| d.as_array());
            for f in default.into_iter().flatten() {
                let forwards = features
                    .get(f.as_str().unwrap_or(""))
                    .and_then(|v| v.as_array())
                    .is_some_and(|v| {
                        v.iter()
                            .any(|x| x.as_str() == Some("keyrack-core/test-support"))
                    });
                assert!(
                    !forwards,
                    "{}: a default feature enables test-support",
                    path.display()
                );
            }
        }
    }
}

fn enables_test_support(section: Option<&toml::Value>) -> bool {
    let Some(dep) = section.and_then(|s| s.get("keyrack-core")) else {
        return false;
    };
    dep.get("features")
        .and_then(|f| f.as_array())
        .is_some_and(|f| f.iter().any(|x| x.as_str() == Some("test-support")))
}
