//! Canary: secrets planted through every registry function — working credentials of every
//! vendor, wrong ones, a passphrase, attached accounts — must appear in no file Keyrack writes,
//! in no log line (everything at TRACE, `log` records included), in no DTO or error a shell
//! would send, and in no `Debug` output. (The IPC half comes with the desktop commands.)

use std::sync::Arc;

use keyrack_core::accounts::{AccountChanges, AccountDraft, ConnectionTest, Options, Registry};
use keyrack_core::sandbox::accounts_from_manifest;
use keyrack_core::settings::Paths;
use keyrack_core::test_support::{LogCapture, Outputs};
use keyrack_core::vault::MemoryStore;
use keyrack_core::{Account, Credential, NewKey, VendorId};

fn canary(n: u32) -> String {
    format!("kr-canary-{n}-{}", uuid::Uuid::new_v4().simple())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn planted_secrets_appear_in_no_file_log_dto_or_debug_output() {
    let log = LogCapture::install();

    let mut secrets: Vec<String> = Vec::new();
    let mut out = Outputs::default();

    // The "real" vendors: a second emulator whose admin credentials become real accounts.
    let vendor_side = keyrack_emulator::start(Default::default()).await.unwrap();
    let real = accounts_from_manifest(&vendor_side.manifest());
    assert!(!real.is_empty());

    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::under(dir.path());
    let store = Arc::new(MemoryStore::new());
    let registry = Registry::open(Options {
        paths: paths.clone(),
        store: store.clone(),
        http: None,
        sandbox: Some(Arc::new(keyrack_sandbox::InProcess)),
    })
    .await
    .unwrap();
    out.json("problems", &registry.problems());
    registry.check_keychain().await.unwrap();

    // Working credentials of every vendor, through add (tested), vendor, list, test.
    let mut codefresh_id = None;
    for (account, credential) in &real {
        secrets.push(credential.secret.expose().clone());
        let draft = draft_of(account, &format!("Real {}", account.vendor));
        out.json("draft", &draft);
        let identity = registry
            .test_draft(&draft, credential.clone())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", account.vendor));
        out.json("draft identity", &identity);
        let saved = registry
            .add_account(draft, credential.clone(), ConnectionTest::Run)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", account.vendor));
        out.json("saved", &saved);
        let client = registry.vendor(&saved.account.id).await.unwrap();
        out.json("capabilities", &client.capabilities());
        out.json("keys", &client.list().await.unwrap());
        out.json(
            "identity",
            &registry.test_account(&saved.account.id).await.unwrap(),
        );
        if account.vendor == VendorId::Codefresh {
            codefresh_id = Some(saved.account.id);
        }
    }

    // A wrong credential: refused by the vendor, the error travels, nothing is saved.
    let wrong = canary(1);
    secrets.push(wrong.clone());
    let (cf_account, _) = real
        .iter()
        .find(|(a, _)| a.vendor == VendorId::Codefresh)
        .unwrap();
    let err = registry
        .add_account(
            draft_of(cf_account, "Wrong key"),
            Credential::new(wrong.clone()),
            ConnectionTest::Run,
        )
        .await
        .unwrap_err();
    out.error("add with a wrong key", &err);
    let err = registry
        .test_draft(
            &draft_of(cf_account, "Wrong key"),
            Credential::new(wrong.clone()),
        )
        .await
        .unwrap_err();
    out.error("test_draft with a wrong key", &err);

    // Saved untested, then used: the vendor call fails and logs.
    let untested = canary(2);
    secrets.push(untested.clone());
    let saved = registry
        .add_account(
            draft_of(cf_account, "Untested"),
            Credential::new(untested.clone()),
            ConnectionTest::Skip,
        )
        .await
        .unwrap();
    let err = registry.test_account(&saved.account.id).await.unwrap_err();
    out.error("test_account with a wrong key", &err);
    let err = registry
        .vendor(&saved.account.id)
        .await
        .unwrap()
        .list()
        .await
        .unwrap_err();
    out.error("list with a wrong key", &err);

    // Update: a new (wrong) credential without a test, then a key minted by the vendor.
    let replaced = canary(3);
    secrets.push(replaced.clone());
    let updated = registry
        .update_account(
            &saved.account.id,
            AccountChanges {
                name: Some("Untested, renamed".into()),
                settings: None,
            },
            Some(Credential::new(replaced.clone())),
            ConnectionTest::Skip,
        )
        .await
        .unwrap();
    out.json("updated", &updated);
    let minted = registry
        .create_key(
            codefresh_id.as_deref().unwrap(),
            &NewKey {
                name: Some("minted for the canary".into()),
                scopes: vec!["build".into()],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    out.json("minted record", &minted.record);
    secrets.push(minted.secret.expose().clone());
    let updated = registry
        .update_account(
            &saved.account.id,
            AccountChanges::default(),
            Some(Credential::new(minted.secret.expose().clone())),
            ConnectionTest::Run,
        )
        .await
        .unwrap();
    out.json("updated with a working key", &updated);

    // An OCI key with a passphrase it does not need.
    if let Some((oci, key)) = real.iter().find(|(a, _)| a.vendor == VendorId::Oci) {
        let passphrase = canary(4);
        secrets.push(passphrase.clone());
        let mut credential = key.clone();
        credential.passphrase = Some(passphrase.into());
        match registry
            .add_account(
                draft_of(oci, "OCI with passphrase"),
                credential,
                ConnectionTest::Run,
            )
            .await
        {
            Ok(saved) => out.json("oci with passphrase", &saved),
            Err(e) => out.error("oci with passphrase", &e),
        }
    }

    // Attached for this run (the CLI's accounts file), then used.
    let attached_secret = canary(5);
    secrets.push(attached_secret.clone());
    let mut attached = cf_account.clone();
    attached.id = "attached-cf".into();
    attached.name = "Attached".into();
    attached.sandbox = false;
    registry
        .attach_accounts(vec![(attached, Credential::new(attached_secret.clone()))])
        .await
        .unwrap();
    let err = registry.test_account("attached-cf").await.unwrap_err();
    out.error("attached account test", &err);

    // Sandbox accounts, preferences, listing.
    for account in registry.list_accounts().iter().filter(|a| a.sandbox) {
        out.json(
            "sandbox identity",
            &registry.test_account(&account.id).await.unwrap(),
        );
    }
    let mut prefs = registry.preferences();
    prefs.clipboard_clear_secs = 30;
    out.json(
        "preferences",
        &registry.set_preferences(prefs).await.unwrap(),
    );
    out.json("accounts", &registry.list_accounts());
    out.add("registry debug", format!("{registry:?}"));
    out.add("store debug", format!("{store:?}"));

    // Remove every real account: their keychain entries go too.
    let real_ids: Vec<String> = registry
        .list_accounts()
        .into_iter()
        .filter(|a| !a.sandbox && a.id != "attached-cf")
        .map(|a| a.id)
        .collect();
    for id in &real_ids {
        registry.remove_account(id).await.unwrap();
    }
    assert!(store.account_ids().is_empty(), "{:?}", store.account_ids());
    registry.shutdown().await;
    vendor_side.shutdown().await;

    out.files_under(&paths.config_dir, &|_| false);
    out.files_under(&paths.data_dir, &|_| false);
    let log_text = log.text();
    let audit = registry.audit_log().read(&Default::default()).unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == keyrack_core::audit::AuditAction::KeyCreate),
        "the audit log, scanned below with the data folder, has the create"
    );
    assert!(paths.data_dir.join("audit").join("audit.jsonl").exists());
    assert!(log_text.contains("account added"), "the log was captured");
    assert!(
        log_text.contains("vendor request"),
        "HTTP requests were logged"
    );
    out.add("log", log_text);

    let settings = std::fs::read_to_string(paths.settings_file()).unwrap();
    assert!(
        settings.contains("[preferences]"),
        "the settings file was written"
    );
    for secret in &secrets {
        out.assert_absent(secret, "a planted secret");
    }
}

fn draft_of(account: &Account, name: &str) -> AccountDraft {
    AccountDraft {
        name: name.into(),
        vendor: account.vendor,
        settings: account.settings.clone(),
    }
}
