//! Accounts without a keychain or a network: the settings file (reading, writing, migration,
//! broken files), the CLI accounts file and its secret references, and the registry's
//! add / update / remove / vendor / preferences over the in-memory credential store.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use keyrack_core::accounts::{
    self, AccountChanges, AccountDraft, ConnectionTest, FileAccount, Options, ProblemArea,
    Registry, SecretRef,
};
use keyrack_core::settings::{self, FileState, Paths, Preferences, Theme};
use keyrack_core::vault::{MemoryStore, StoreFault};
use keyrack_core::{AccountSettings, Code, Credential, VendorId};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/accounts")
        .join(name)
}

/// Temp directories with the given fixture installed as settings.toml.
fn paths_with(fixture_name: Option<&str>) -> (tempfile::TempDir, Paths) {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::under(dir.path());
    if let Some(name) = fixture_name {
        std::fs::create_dir_all(&paths.config_dir).unwrap();
        std::fs::copy(fixture(name), paths.settings_file()).unwrap();
    }
    (dir, paths)
}

async fn open(paths: &Paths, store: &Arc<MemoryStore>) -> Registry {
    Registry::open(Options {
        paths: paths.clone(),
        store: store.clone(),
        http: None,
        sandbox: None,
    })
    .await
    .unwrap()
}

/// A Codefresh account pointing at a port where nothing listens.
fn cf_draft(name: &str) -> AccountDraft {
    AccountDraft {
        name: name.into(),
        vendor: VendorId::Codefresh,
        settings: AccountSettings {
            account_id: Some("5f0c2a9e8b7d6c5b4a392817".into()),
            base_url: Some("http://127.0.0.1:9".into()),
            ..Default::default()
        },
    }
}

// ---- settings file -------------------------------------------------------------------------

#[test]
fn a_current_file_loads_preferences_and_accounts() {
    let loaded = settings::load(&fixture("settings-v1.toml"));
    assert!(loaded.problem.is_none(), "{:?}", loaded.problem);
    assert_eq!(loaded.state, FileState::Current);
    let p = &loaded.settings.preferences;
    assert_eq!(p.clipboard_clear_secs, 20);
    assert_eq!(p.expiring_soon_days, 14);
    assert!(p.sandbox);
    assert_eq!(p.theme, Theme::Light);
    let a = &loaded.settings.accounts;
    assert_eq!(a.len(), 2);
    assert_eq!(a[0].name, "Prod OpenAI");
    assert_eq!(a[0].vendor, VendorId::Openai);
    assert_eq!(
        a[0].settings.organization_id.as_deref(),
        Some("org-AbCdEf123")
    );
    assert_eq!(a[1].vendor, VendorId::Scaleway);
    assert_eq!(
        a[1].settings.access_key.as_deref(),
        Some("SCWXXXXXXXXXXXXXXXXX")
    );
    assert!(a.iter().all(|a| !a.sandbox));
}

#[test]
fn no_file_means_defaults_and_no_problem() {
    let dir = tempfile::tempdir().unwrap();
    let loaded = settings::load(&dir.path().join("settings.toml"));
    assert!(loaded.problem.is_none());
    assert_eq!(loaded.state, FileState::Missing);
    assert_eq!(loaded.settings.preferences, Preferences::default());
    let p = Preferences::default();
    assert_eq!(
        (
            p.clipboard_clear_secs,
            p.expiring_soon_days,
            p.sandbox,
            p.theme
        ),
        (45, 14, true, Theme::System)
    );
}

#[test]
fn written_settings_read_back_identically_and_privately() {
    let loaded = settings::load(&fixture("settings-v1.toml"));
    let (_dir, paths) = paths_with(None);
    let path = paths.settings_file();
    settings::save(&path, &loaded.settings, FileState::Missing).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("version = 1"), "{text}");
    assert!(text.contains("[[account]]"), "{text}");
    assert!(text.contains("[preferences]"), "{text}");
    let again = settings::load(&path);
    assert_eq!(again.state, FileState::Current);
    assert_eq!(again.settings, loaded.settings);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[test]
fn an_unknown_key_is_named_with_its_line() {
    let loaded = settings::load(&fixture("settings-typo.toml"));
    assert_eq!(loaded.state, FileState::Unusable);
    let err = loaded.problem.unwrap();
    assert_eq!(err.code(), Code::Config);
    let text = err.to_string();
    assert!(text.contains("line 10, column 1"), "{text}");
    assert!(text.contains("regoin"), "{text}");
    assert!(text.contains("default settings"), "{text}");
    assert_eq!(loaded.settings, settings::Settings::default());
}

#[test]
fn a_syntax_error_is_named_with_its_line() {
    let err = settings::load(&fixture("settings-bad-syntax.toml"))
        .problem
        .unwrap();
    assert!(err.to_string().contains("line 5"), "{err}");
}

#[test]
fn a_secret_in_the_settings_file_is_refused_without_repeating_it() {
    let err = settings::load(&fixture("settings-secret.toml"))
        .problem
        .unwrap();
    let text = err.to_string();
    assert!(text.contains("line 7"), "{text}");
    assert!(text.contains("keychain"), "{text}");
    assert!(!text.contains("canary"), "{text}");
}

#[test]
fn a_preference_out_of_range_is_named_with_its_line() {
    let err =
        settings::parse("version = 1\n[preferences]\nclipboard_clear_secs = 2\n").unwrap_err();
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("5 to 600"), "{err}");
}

#[test]
fn a_newer_file_is_reported_and_not_touched() {
    let loaded = settings::load(&fixture("settings-newer.toml"));
    assert_eq!(loaded.state, FileState::Unusable);
    let text = loaded.problem.unwrap().to_string();
    assert!(text.contains("version 7"), "{text}");
    assert!(text.contains("newer Keyrack"), "{text}");
}

#[test]
fn duplicate_and_missing_ids_are_named_with_their_line() {
    let text = "version = 1\n[[account]]\nname = 'a'\nvendor = 'ibm'\nid = 'x'\n\
                [[account]]\nname = 'b'\nvendor = 'ibm'\nid = 'x'\n";
    let err = settings::parse(text).unwrap_err();
    assert!(
        err.contains("line 7") && err.contains("second account"),
        "{err}"
    );
    let err =
        settings::parse("version = 1\n[[account]]\nname = 'a'\nvendor = 'ibm'\n").unwrap_err();
    assert!(err.contains("line 3") && err.contains("no `id`"), "{err}");
    let err = settings::parse("version = 1\n[[account]]\nname = 'a'\nvendor = 'ibmx'\nid='a'\n")
        .unwrap_err();
    assert!(
        err.contains("line 4") && err.contains("unknown variant `ibmx`"),
        "{err}"
    );
}

#[test]
fn a_version_0_file_is_upgraded() {
    let loaded = settings::load(&fixture("settings-v0.toml"));
    assert!(loaded.problem.is_none(), "{:?}", loaded.problem);
    assert_eq!(loaded.state, FileState::Migrated { from: 0 });
    let p = &loaded.settings.preferences;
    assert_eq!(
        (p.clipboard_clear_secs, p.sandbox, p.theme),
        (30, false, Theme::Dark)
    );
    assert_eq!(
        p.expiring_soon_days, 14,
        "a preference v0 lacked takes its default"
    );
    let a = &loaded.settings.accounts;
    assert_eq!(a.len(), 2, "the saved sandbox account is dropped");
    assert_eq!(a[0].name, "Prod IBM");
    assert_eq!(a[0].vendor, VendorId::Ibm);
    assert_eq!(
        a[0].settings.account_id.as_deref(),
        Some("0a1b2c3d4e5f60718293a4b5c6d7e8f9")
    );
    assert_eq!(a[1].vendor, VendorId::Oci);
    assert_eq!(a[1].settings.region.as_deref(), Some("eu-frankfurt-1"));
}

#[tokio::test]
async fn the_first_save_after_an_upgrade_keeps_the_old_file() {
    let (_dir, paths) = paths_with(Some("settings-v0.toml"));
    let store = Arc::new(MemoryStore::new());
    let registry = open(&paths, &store).await;
    assert_eq!(registry.list_accounts().len(), 2);
    let mut prefs = registry.preferences();
    prefs.expiring_soon_days = 30;
    registry.set_preferences(prefs).await.unwrap();

    let backup = paths.config_dir.join("settings.toml.v0.bak");
    assert_eq!(
        std::fs::read(&backup).unwrap(),
        std::fs::read(fixture("settings-v0.toml")).unwrap()
    );
    let now = settings::load(&paths.settings_file());
    assert_eq!(now.state, FileState::Current);
    assert_eq!(now.settings.accounts.len(), 2);
    assert_eq!(now.settings.preferences.expiring_soon_days, 30);
    assert_eq!(now.settings.preferences.clipboard_clear_secs, 30);
}

#[tokio::test]
async fn a_broken_file_starts_with_defaults_and_is_kept_until_the_user_acts() {
    let (_dir, paths) = paths_with(Some("settings-typo.toml"));
    let original = std::fs::read(paths.settings_file()).unwrap();
    let store = Arc::new(MemoryStore::new());
    let registry = open(&paths, &store).await;

    let problems = registry.problems();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].area, ProblemArea::Settings);
    assert_eq!(problems[0].error.code, Code::Config);
    assert!(problems[0].error.message.contains("line 10"));
    assert!(registry.list_accounts().is_empty());
    assert_eq!(registry.preferences(), Preferences::default());
    // Opening (and reading) never writes.
    drop(registry);
    let registry = open(&paths, &store).await;
    assert_eq!(std::fs::read(paths.settings_file()).unwrap(), original);

    // The user acts: the broken file is kept aside, then the new one written.
    registry
        .add_account(
            cf_draft("Prod Codefresh"),
            Credential::new("k"),
            ConnectionTest::Skip,
        )
        .await
        .unwrap();
    let kept: Vec<PathBuf> = std::fs::read_dir(&paths.config_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("settings.toml.broken-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(std::fs::read(&kept[0]).unwrap(), original);
    assert!(registry.problems().is_empty());
    let now = settings::load(&paths.settings_file());
    assert_eq!(now.state, FileState::Current);
    assert_eq!(now.settings.accounts.len(), 1);
}

// ---- accounts file -------------------------------------------------------------------------

fn parse_fixture() -> Vec<FileAccount> {
    accounts::read_accounts_file(&fixture("accounts.toml")).unwrap()
}

#[test]
fn the_accounts_file_gives_accounts_and_where_their_secrets_are() {
    let entries = parse_fixture();
    assert_eq!(entries.len(), 3);
    let openai = &entries[0];
    assert_eq!(openai.account.id, "prod-openai", "id made from the name");
    assert_eq!(openai.account.vendor, VendorId::Openai);
    assert_eq!(
        openai.secret,
        SecretRef::Env("KEYRACK_TEST_OPENAI_ADMIN_KEY".into())
    );
    assert!(openai.passphrase.is_none());

    let oci = &entries[1];
    assert_eq!(oci.account.id, "oci-fra");
    assert_eq!(oci.secret, SecretRef::File(fixture("oci-key.pem")));
    assert_eq!(
        oci.passphrase,
        Some(SecretRef::Env("KEYRACK_TEST_OCI_PASSPHRASE".into()))
    );
    assert_eq!(
        oci.account.settings.region.as_deref(),
        Some("eu-frankfurt-1")
    );

    let ibm = &entries[2];
    assert_eq!(ibm.secret, SecretRef::Keychain, "keychain is the default");
    assert_eq!(ibm.account.id, "0b7c2f52-6a1e-4d0e-9f43-1f2a3b4c5d6e");
    assert!(entries.iter().all(|e| !e.account.sandbox));
}

#[tokio::test]
async fn secret_references_resolve_from_env_file_and_keychain() {
    let entries = parse_fixture();
    let store = MemoryStore::new();
    let mut kc = Credential::new("ibm-key-from-keychain");
    kc.passphrase = None;
    keyrack_core::vault::CredentialStore::set(&store, &entries[2].account, &kc)
        .await
        .unwrap();
    let env = |name: &str| match name {
        "KEYRACK_TEST_OPENAI_ADMIN_KEY" => Some("sk-admin-from-env\n".to_string()),
        "KEYRACK_TEST_OCI_PASSPHRASE" => Some("pass".to_string()),
        _ => None,
    };
    let openai = accounts::file::resolve_with(&entries[0], &store, &env)
        .await
        .unwrap();
    assert_eq!(openai.secret.expose(), "sk-admin-from-env", "trimmed");
    let oci = accounts::file::resolve_with(&entries[1], &store, &env)
        .await
        .unwrap();
    assert!(oci
        .secret
        .expose()
        .starts_with("-----BEGIN PRIVATE KEY-----"));
    assert!(oci.secret.expose().ends_with("-----END PRIVATE KEY-----"));
    assert_eq!(oci.passphrase.unwrap().expose(), "pass");
    let ibm = accounts::file::resolve_with(&entries[2], &store, &env)
        .await
        .unwrap();
    assert_eq!(ibm.secret.expose(), "ibm-key-from-keychain");
}

#[tokio::test]
async fn an_unresolvable_reference_names_the_account_and_the_source() {
    let entries = parse_fixture();
    let store = MemoryStore::new();
    let none = |_: &str| None;
    let err = accounts::file::resolve_with(&entries[0], &store, &none)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Config);
    let t = err.to_string();
    assert!(
        t.contains("`Prod OpenAI`") && t.contains("KEYRACK_TEST_OPENAI_ADMIN_KEY"),
        "{t}"
    );

    let err = accounts::file::resolve_with(&entries[2], &store, &none)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Keychain);
    assert!(err.to_string().contains("`Prod IBM`"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.txt"), "\n").unwrap();
    let text = "[[account]]\nname='e'\nvendor='codefresh'\nsecret='file:empty.txt'\n";
    let entries = accounts::parse_accounts_file(text, dir.path()).unwrap();
    let err = accounts::file::resolve_with(&entries[0], &store, &none)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("is empty"), "{err}");
    let text = "[[account]]\nname='m'\nvendor='codefresh'\nsecret='file:missing.txt'\n";
    let entries = accounts::parse_accounts_file(text, dir.path()).unwrap();
    let err = accounts::file::resolve_with(&entries[0], &store, &none)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Io);
    assert!(err.to_string().contains("missing.txt"), "{err}");
}

#[test]
fn a_secret_written_into_the_accounts_file_is_refused_without_repeating_it() {
    let text = "[[account]]\nname = 'x'\nvendor = 'openai'\nsecret = 'sk-canary-1234'\n";
    let err = accounts::parse_accounts_file(text, Path::new(".")).unwrap_err();
    assert!(err.contains("line 4"), "{err}");
    assert!(err.contains("env:NAME"), "{err}");
    assert!(!err.contains("canary"), "{err}");
}

#[test]
fn accounts_file_mistakes_are_named_with_their_line() {
    let cases = [
        (
            "[[account]]\nname='a'\nvendor='ibm'\npassphrase='env:P'\n",
            "line 4",
            "only OCI",
        ),
        (
            "[[account]]\nname='a'\nvendor='oci'\npassphrase='keychain'\n",
            "line 4",
            "cannot be \"keychain\"",
        ),
        (
            "[[account]]\nname='A b'\nvendor='ibm'\n[[account]]\nname='a-b'\nvendor='ibm'\n",
            "line 5",
            "second account with id `a-b`",
        ),
        (
            "[[account]]\nname='a'\nvendor='ibm'\napi_key='x'\n",
            "line 4",
            "unknown field `api_key`",
        ),
        (
            "[[account]]\nname='a'\nvendor='ibm'\nsecret='env:'\n",
            "line 4",
            "variable name",
        ),
        (
            "[[account]]\nname='a'\nvendor='ibm'\nid='no spaces'\n",
            "line 4",
            "account id",
        ),
    ];
    for (text, line, what) in cases {
        let err = accounts::parse_accounts_file(text, Path::new(".")).unwrap_err();
        assert!(err.contains(line) && err.contains(what), "{text:?} → {err}");
    }
}

// ---- registry ------------------------------------------------------------------------------

#[tokio::test]
async fn add_stores_the_credential_in_the_store_and_only_settings_in_the_file() {
    let (_dir, paths) = paths_with(None);
    let store = Arc::new(MemoryStore::new());
    let registry = open(&paths, &store).await;
    let saved = registry
        .add_account(
            cf_draft("  Prod Codefresh "),
            Credential::new("cf-api-key-1"),
            ConnectionTest::Skip,
        )
        .await
        .unwrap();
    assert!(saved.identity.is_none());
    let a = &saved.account;
    assert_eq!(a.name, "Prod Codefresh");
    assert!(!a.sandbox);
    assert_eq!(registry.list_accounts(), vec![a.clone()]);
    assert_eq!(store.secret_of(&a.id).as_deref(), Some("cf-api-key-1"));

    let text = std::fs::read_to_string(paths.settings_file()).unwrap();
    assert!(text.contains(&format!("id = \"{}\"", a.id)), "{text}");
    assert!(
        text.contains("account_id = \"5f0c2a9e8b7d6c5b4a392817\""),
        "{text}"
    );
    assert!(!text.contains("cf-api-key-1"));

    // A second registry (the next run) sees the same account.
    let again = open(&paths, &store).await;
    assert_eq!(again.list_accounts(), vec![a.clone()]);
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_saved() {
    let (_dir, paths) = paths_with(None);
    let store = Arc::new(MemoryStore::new());
    let registry = open(&paths, &store).await;
    let field = |e: keyrack_core::Error| e.to_public().field;

    let e = registry
        .add_account(cf_draft(" "), Credential::new("k"), ConnectionTest::Skip)
        .await
        .unwrap_err();
    assert_eq!(field(e).as_deref(), Some("name"));
    let e = registry
        .add_account(cf_draft("a"), Credential::new("  "), ConnectionTest::Skip)
        .await
        .unwrap_err();
    assert_eq!(field(e).as_deref(), Some("secret"));
    let mut draft = cf_draft("a");
    draft.settings.base_url = Some("not a url".into());
    let e = registry
        .add_account(draft, Credential::new("k"), ConnectionTest::Skip)
        .await
        .unwrap_err();
    assert_eq!(field(e).as_deref(), Some("base_url"));

    registry
        .add_account(cf_draft("Prod"), Credential::new("k"), ConnectionTest::Skip)
        .await
        .unwrap();
    let e = registry
        .add_account(cf_draft("prod"), Credential::new("k"), ConnectionTest::Skip)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("already exists"), "{e}");
    assert_eq!(store.account_ids().len(), 1);
    assert_eq!(registry.list_accounts().len(), 1);
}

#[tokio::test]
async fn an_account_whose_client_cannot_be_built_is_not_saved() {
    let (_dir, paths) = paths_with(None);
    let store = Arc::new(MemoryStore::new());
    let registry = open(&paths, &store).await;
    // OCI without a tenancy, user or fingerprint: the client refuses locally.
    let draft = AccountDraft {
        name: "OCI".into(),
        vendor: VendorId::Oci,
        settings: AccountSettings::default(),
    };
    let err = registry
        .add_account(draft, Credential::new("not a pem"), ConnectionTest::Skip)
        .await
        .unwrap_err();
    assert_ne!(err.code(), Code::Keychain, "{err}");
    assert!(store.account_ids().is_empty());
    assert!(!paths.settings_file().exists());
}

#[tokio::test]
async fn a_failed_connection_test_saves_nothing() {
    let (_dir, paths) = paths_with(None);
    let store = Arc::new(MemoryStore::new());
    let registry = open(&paths, &store).await;
    // Port 9 (discard) on localhost: nothing listens, the token exchange cannot succeed.
    let err = registry
        .add_account(
            cf_draft("Codefresh"),
            Credential::new("k"),
            ConnectionTest::Run,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err.code(), Code::Network | Code::Timeout),
        "{:?}: {err}",
        err.code()
    );
    assert!(store.account_ids().is_empty());
    assert!(registry.list_accounts().is_empty());
    assert!(!paths.settings_file().exists());
}

#[tokio::test]
async fn an_unavailable_keychain_fails_the_add_clearly_and_saves_nothing() {
    let (_dir, paths) = paths_with(None);
    let store = Arc::new(MemoryStore::new());
    store.set_fault(Some(StoreFault::Unavailable));
    let registry = open(&paths, &store).await;
    let err = registry
        .add_account(
            cf_draft("Codefresh"),
            Credential::new("k"),
            ConnectionTest::Skip,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Keychain);
    assert!(
        err.to_string().contains("No OS keychain is running"),
        "{err}"
    );
    assert!(registry.check_keychain().await.is_err());
    assert!(registry.list_accounts().is_empty());
    assert!(!paths.settings_file().exists());
}

#[tokio::test]
async fn a_configured_account_without_a_keychain_entry_is_a_clear_error() {
    let (_dir, paths) = paths_with(Some("settings-v1.toml"));
    let store = Arc::new(MemoryStore::new());
    let registry = open(&paths, &store).await;
    let err = registry
        .vendor("9e8d7c6b-5a49-4837-8261-504f3e2d1c0b")
        .await
        .err()
        .unwrap();
    assert_eq!(err.code(), Code::Keychain);
    let t = err.to_string();
    assert!(t.contains("no credential for account `Prod OpenAI`"), "{t}");
    assert!(t.contains("re-enter it in Accounts"), "{t}");
    // The rest of the app still works.
    assert_eq!(registry.list_accounts().len(), 2);
    assert!(registry.problems().is_empty());
}

#[tokio::test]
async fn credentials_are_read_from_the_store_once_per_run() {
    let (_dir, paths) = paths_with(None);
    let store = Arc::new(MemoryStore::new());
    let id = {
        let registry = open(&paths, &store).await;
        let saved = registry
            .add_account(
                cf_draft("Codefresh"),
                Credential::new("k1"),
                ConnectionTest::Skip,
            )
            .await
            .unwrap();
        registry.vendor(&saved.account.id).await.unwrap();
        assert_eq!(store.reads(), 0, "the added credential is cached");
        saved.account.id
    };
    let registry = open(&paths, &store).await;
    registry.vendor(&id).await.unwrap();
    registry.vendor(&id).await.unwrap();
    assert_eq!(store.reads(), 1);
    let err = registry.vendor("nope").await.err().unwrap();
    assert_eq!(err.code(), Code::NotFound);
}

#[tokio::test]
async fn update_changes_settings_and_credential_together() {
    let (_dir, paths) = paths_with(None);
    let store = Arc::new(MemoryStore::new());
    let registry = open(&paths, &store).await;
    let id = registry
        .add_account(
            cf_draft("Codefresh"),
            Credential::new("old"),
            ConnectionTest::Skip,
        )
        .await
        .unwrap()
        .account
        .id;
    let mut settings = cf_draft("x").settings;
    settings.account_id = Some("acc-2".into());
    let saved = registry
        .update_account(
            &id,
            AccountChanges {
                name: Some("Codefresh prod".into()),
                settings: Some(settings),
            },
            Some(Credential::new("new")),
            ConnectionTest::Skip,
        )
        .await
        .unwrap();
    assert_eq!(saved.account.id, id);
    assert_eq!(saved.account.name, "Codefresh prod");
    assert_eq!(saved.account.vendor, VendorId::Codefresh);
    assert_eq!(store.secret_of(&id).as_deref(), Some("new"));
    let file = settings::load(&paths.settings_file()).settings;
    assert_eq!(file.accounts[0].name, "Codefresh prod");
    assert_eq!(
        file.accounts[0].settings.account_id.as_deref(),
        Some("acc-2")
    );

    // A rename alone does not touch the keychain and needs no test.
    store.set_fault(Some(StoreFault::Locked));
    registry
        .update_account(
            &id,
            AccountChanges {
                name: Some("Codefresh".into()),
                settings: None,
            },
            None,
            ConnectionTest::Run,
        )
        .await
        .unwrap();
    // A new credential with the keychain locked: refused, nothing changes.
    let err = registry
        .update_account(
            &id,
            AccountChanges::default(),
            Some(Credential::new("newer")),
            ConnectionTest::Skip,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Keychain);
    assert!(err.to_string().contains("locked"), "{err}");
    store.set_fault(None);
    assert_eq!(store.secret_of(&id).as_deref(), Some("new"));
}

/// A stored credential only goes to the address it was entered for: pointing the account at
/// another host needs the credential again.
#[tokio::test]
async fn moving_an_account_to_another_host_needs_its_credential_again() {
    let (_dir, paths) = paths_with(None);
    let store = Arc::new(MemoryStore::new());
    let registry = open(&paths, &store).await;
    let saved = registry
        .add_account(
            cf_draft("Codefresh"),
            Credential::new("entered-for-localhost"),
            ConnectionTest::Skip,
        )
        .await
        .unwrap();
    let id = saved.account.id;
    let elsewhere = |url: &str| AccountChanges {
        name: None,
        settings: Some(AccountSettings {
            base_url: Some(url.into()),
            ..saved.account.settings.clone()
        }),
    };

    let err = registry
        .update_account(
            &id,
            elsewhere("https://cf.example.com/api"),
            None,
            ConnectionTest::Skip,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Validation);
    assert_eq!(err.to_public().field.as_deref(), Some("secret"));
    assert!(err.to_string().contains("cf.example.com:443"), "{err}");
    assert_eq!(
        registry.account(&id).unwrap().settings.base_url,
        saved.account.settings.base_url,
        "nothing changed"
    );

    // Same host, another path: the same destination.
    let same_host = saved.account.settings.base_url.clone().unwrap() + "/v2";
    registry
        .update_account(&id, elsewhere(&same_host), None, ConnectionTest::Skip)
        .await
        .unwrap();
    // With the credential entered again, the move is allowed.
    registry
        .update_account(
            &id,
            elsewhere("https://cf.example.com/api"),
            Some(Credential::new("entered-for-cf.example.com")),
            ConnectionTest::Skip,
        )
        .await
        .unwrap();
    assert_eq!(
        store.secret_of(&id).as_deref(),
        Some("entered-for-cf.example.com")
    );

    // A plain-http address that is not this computer is refused outright.
    let err = registry
        .update_account(
            &id,
            elsewhere("http://cf.example.com/api"),
            Some(Credential::new("k")),
            ConnectionTest::Skip,
        )
        .await
        .unwrap_err();
    assert_eq!(err.to_public().field.as_deref(), Some("base_url"));
    assert!(err.to_string().contains("must use https://"), "{err}");
}

#[tokio::test]
async fn remove_deletes_the_keychain_entry_or_nothing() {
    let (_dir, paths) = paths_with(None);
    let store = Arc::new(MemoryStore::new());
    let registry = open(&paths, &store).await;
    let id = registry
        .add_account(
            cf_draft("Codefresh"),
            Credential::new("k"),
            ConnectionTest::Skip,
        )
        .await
        .unwrap()
        .account
        .id;

    store.set_fault(Some(StoreFault::Locked));
    let err = registry.remove_account(&id).await.unwrap_err();
    assert_eq!(err.code(), Code::Keychain);
    assert_eq!(
        registry.list_accounts().len(),
        1,
        "kept while its entry cannot go"
    );

    store.set_fault(None);
    registry.remove_account(&id).await.unwrap();
    assert!(registry.list_accounts().is_empty());
    assert!(store.account_ids().is_empty());
    assert!(settings::load(&paths.settings_file())
        .settings
        .accounts
        .is_empty());
    let err = registry.remove_account(&id).await.unwrap_err();
    assert_eq!(err.code(), Code::NotFound);
}

#[tokio::test]
async fn preferences_are_checked_saved_and_read_back() {
    let (_dir, paths) = paths_with(None);
    let store = Arc::new(MemoryStore::new());
    let registry = open(&paths, &store).await;
    let mut p = registry.preferences();
    p.clipboard_clear_secs = 1;
    let err = registry.set_preferences(p.clone()).await.unwrap_err();
    assert_eq!(
        err.to_public().field.as_deref(),
        Some("clipboard_clear_secs")
    );
    p.clipboard_clear_secs = 90;
    p.theme = Theme::Dark;
    p.sandbox = false;
    registry.set_preferences(p.clone()).await.unwrap();
    assert_eq!(registry.preferences(), p);
    let again = open(&paths, &store).await;
    assert_eq!(again.preferences(), p);
}

#[tokio::test]
async fn attached_accounts_live_in_memory_and_cannot_be_edited_here() {
    let (_dir, paths) = paths_with(None);
    let store = Arc::new(MemoryStore::new());
    let registry = open(&paths, &store).await;
    let entries = parse_fixture();
    let account = entries[0].account.clone();
    registry
        .attach_accounts(vec![(account.clone(), Credential::new("sk-attached"))])
        .await
        .unwrap();
    assert_eq!(registry.list_accounts(), vec![account.clone()]);
    assert!(store.account_ids().is_empty());
    assert!(!paths.settings_file().exists());
    let err = registry.remove_account(&account.id).await.unwrap_err();
    assert!(err.to_string().contains("for this run only"), "{err}");
    let err = registry
        .attach_accounts(vec![(account, Credential::new("x"))])
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Conflict);
}

#[tokio::test]
async fn key_notes_are_kept_in_the_settings_file() {
    use keyrack_core::attention::KeyNote;
    let (_dir, paths) = paths_with(None);
    let store = Arc::new(MemoryStore::new());
    let registry = open(&paths, &store).await;
    let snooze = KeyNote {
        account_id: "acc".into(),
        key_id: "ApiKey-1".into(),
        snoozed_until: Some(chrono::Utc::now() + chrono::Duration::days(7)),
        expected: None,
    };
    registry.set_key_note(snooze.clone()).await.unwrap();
    let blank_reason = KeyNote {
        expected: Some("  ".into()),
        ..snooze.clone()
    };
    let e = registry.set_key_note(blank_reason).await.unwrap_err();
    assert_eq!(e.to_public().field.as_deref(), Some("expected"));
    let reopened = open(&paths, &store).await;
    assert_eq!(reopened.key_notes(), vec![snooze.clone()]);
    // A note with neither a snooze nor a reason forgets the key.
    reopened
        .set_key_note(KeyNote {
            snoozed_until: None,
            ..snooze
        })
        .await
        .unwrap();
    assert!(open(&paths, &store).await.key_notes().is_empty());
    assert!(!std::fs::read_to_string(paths.settings_file())
        .unwrap()
        .contains("key_note"));
}
