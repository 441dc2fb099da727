//! Sandbox by default: the in-process emulator, one marked account per vendor with credentials
//! in memory only, state that survives a restart, and the preference that turns it off.

use std::sync::Arc;

use keyrack_core::accounts::{AccountDraft, ConnectionTest, Options, ProblemArea, Registry};
use keyrack_core::sandbox::{self, accounts_from_manifest};
use keyrack_core::settings::Paths;
use keyrack_core::vault::MemoryStore;
use keyrack_core::{Code, NewKey, VendorId};

async fn open(paths: &Paths, store: &Arc<MemoryStore>) -> Registry {
    Registry::open(Options {
        paths: paths.clone(),
        store: store.clone(),
        http: None,
        sandbox: Some(Arc::new(keyrack_sandbox::InProcess)),
    })
    .await
    .unwrap()
}

fn temp_paths() -> (tempfile::TempDir, Paths) {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::under(dir.path());
    (dir, paths)
}

#[tokio::test]
async fn the_sandbox_gives_one_marked_account_per_vendor() {
    let (_dir, paths) = temp_paths();
    let store = Arc::new(MemoryStore::new());
    let registry = open(&paths, &store).await;
    assert!(registry.problems().is_empty(), "{:?}", registry.problems());
    let base = registry.sandbox_base_url().await.unwrap();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");

    let accounts = registry.list_accounts();
    let vendors: Vec<VendorId> = accounts.iter().map(|a| a.vendor).collect();
    assert_eq!(vendors, keyrack_core::vendors::ids().collect::<Vec<_>>());
    for a in &accounts {
        assert!(a.sandbox, "{a:?}");
        assert_eq!(a.id, sandbox::sandbox_account_id(a.vendor));
        assert!(a.name.ends_with(" (Sandbox)"), "{}", a.name);
        let url = a.settings.base_url.as_deref().unwrap_or_default();
        assert!(url.starts_with(&base), "{} → {url}", a.name);
    }
    assert_eq!(accounts[0].name, "IBM Cloud (Sandbox)");
    assert!(paths.sandbox_state_file().exists());
    assert!(
        !paths.settings_file().exists(),
        "starting writes no settings"
    );
    registry.shutdown().await;
}

#[tokio::test]
async fn every_sandbox_account_passes_its_connection_test_without_the_keychain() {
    let (_dir, paths) = temp_paths();
    let store = Arc::new(MemoryStore::new());
    let registry = open(&paths, &store).await;
    for account in registry.list_accounts() {
        let identity = registry
            .test_account(&account.id)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", account.name));
        assert!(!identity.display.is_empty(), "{}", account.name);
        registry
            .vendor(&account.id)
            .await
            .unwrap()
            .list()
            .await
            .unwrap();
    }
    assert!(
        store.account_ids().is_empty(),
        "sandbox credentials never go to the keychain"
    );
    assert_eq!(store.reads(), 0);
    registry.shutdown().await;
}

#[tokio::test]
async fn keys_made_in_the_sandbox_are_still_there_after_a_restart() {
    let (_dir, paths) = temp_paths();
    let store = Arc::new(MemoryStore::new());
    let first = open(&paths, &store).await;
    let first_url = first.sandbox_base_url().await.unwrap();
    let created = first
        .vendor("sandbox-codefresh")
        .await
        .unwrap()
        .create(&NewKey {
            name: Some("made-yesterday".into()),
            scopes: vec!["build".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    first.shutdown().await;
    assert!(first.sandbox_base_url().await.is_none());
    assert!(first.list_accounts().is_empty());

    let second = open(&paths, &store).await;
    assert_ne!(
        second.sandbox_base_url().await.unwrap(),
        first_url,
        "a new emulator"
    );
    let keys = second
        .vendor("sandbox-codefresh")
        .await
        .unwrap()
        .list()
        .await
        .unwrap();
    let found = keys.iter().find(|k| k.id == created.record.id);
    assert_eq!(
        found.and_then(|k| k.name.as_deref()),
        Some("made-yesterday"),
        "{keys:?}"
    );
    second.shutdown().await;
}

#[tokio::test]
async fn the_sandbox_preference_turns_it_off_and_on() {
    let (_dir, paths) = temp_paths();
    let store = Arc::new(MemoryStore::new());
    let registry = open(&paths, &store).await;
    let mut prefs = registry.preferences();
    assert!(prefs.sandbox, "on by default");

    prefs.sandbox = false;
    registry.set_preferences(prefs.clone()).await.unwrap();
    assert!(registry.list_accounts().is_empty());
    assert!(registry.sandbox_base_url().await.is_none());

    let next_run = open(&paths, &store).await;
    assert!(next_run.list_accounts().is_empty());
    assert!(next_run.sandbox_base_url().await.is_none());

    prefs.sandbox = true;
    next_run.set_preferences(prefs).await.unwrap();
    assert_eq!(
        next_run.list_accounts().len(),
        keyrack_core::vendors::ALL.len()
    );
    next_run.test_account("sandbox-scaleway").await.unwrap();
    next_run.shutdown().await;
}

#[tokio::test]
async fn a_real_account_is_added_next_to_the_sandbox_after_a_passing_test() {
    // A second emulator plays the "real" vendor.
    let vendor_side = keyrack_emulator::start(Default::default()).await.unwrap();
    let (account, credential) = accounts_from_manifest(&vendor_side.manifest())
        .into_iter()
        .find(|(a, _)| a.vendor == VendorId::Scaleway)
        .unwrap();

    let (_dir, paths) = temp_paths();
    let store = Arc::new(MemoryStore::new());
    let registry = open(&paths, &store).await;
    let before = registry.list_accounts().len();
    let draft = AccountDraft {
        name: "Scaleway Paris".into(),
        vendor: VendorId::Scaleway,
        settings: account.settings.clone(),
    };
    let saved = registry
        .add_account(draft.clone(), credential.clone(), ConnectionTest::Run)
        .await
        .unwrap();
    assert!(saved.identity.is_some());
    assert!(!saved.account.sandbox);
    assert_eq!(registry.list_accounts().len(), before + 1, "sandbox kept");
    assert_eq!(store.account_ids(), vec![saved.account.id.clone()]);
    registry.test_account(&saved.account.id).await.unwrap();

    // A wrong credential fails the test and is not saved.
    let mut bad = draft;
    bad.name = "Scaleway wrong".into();
    let err = registry
        .add_account(
            bad,
            keyrack_core::Credential::new("00000000-0000-0000-0000-000000000000"),
            ConnectionTest::Run,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Unauthorized, "{err}");
    assert_eq!(store.account_ids().len(), 1);

    // Sandbox accounts are not the user's to edit or remove.
    let err = registry
        .remove_account("sandbox-scaleway")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("sandbox account"), "{err}");
    registry.shutdown().await;
    vendor_side.shutdown().await;
}

#[tokio::test]
async fn an_unreadable_state_file_is_kept_aside_and_the_sandbox_starts_fresh() {
    let (_dir, paths) = temp_paths();
    std::fs::create_dir_all(&paths.data_dir).unwrap();
    std::fs::write(paths.sandbox_state_file(), "{ not json").unwrap();
    let store = Arc::new(MemoryStore::new());
    let registry = open(&paths, &store).await;
    assert!(registry.problems().is_empty(), "{:?}", registry.problems());
    assert_eq!(
        registry.list_accounts().len(),
        keyrack_core::vendors::ALL.len()
    );
    let kept: Vec<_> = std::fs::read_dir(&paths.data_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("sandbox-state.json.broken-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    registry.shutdown().await;
}

#[tokio::test]
async fn a_sandbox_that_cannot_start_is_reported_and_the_app_still_opens() {
    let (_dir, paths) = temp_paths();
    // The data "directory" is a file: no state file can be made under it.
    std::fs::create_dir_all(paths.data_dir.parent().unwrap()).unwrap();
    std::fs::write(&paths.data_dir, "").unwrap();
    let store = Arc::new(MemoryStore::new());
    let registry = open(&paths, &store).await;
    let problems = registry.problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].area, ProblemArea::Sandbox);
    assert!(problems[0]
        .error
        .message
        .contains("sandbox could not start"));
    assert!(registry.list_accounts().is_empty());
    assert!(registry.sandbox_base_url().await.is_none());
}
