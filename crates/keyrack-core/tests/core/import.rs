//! Accounts found on this computer, imported against the emulator: each one only after its
//! connection test, its credential in the (memory) keychain, the files it came from unchanged,
//! and a second import finding them already there. Also the OCI fingerprint the registry works
//! out from the private key.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use keyrack_core::accounts::discover::{self, Env, Scope};
use keyrack_core::accounts::{AccountDraft, ConnectionTest, ImportOutcome, Options, Registry};
use keyrack_core::audit::{AuditAction, AuditFilter};
use keyrack_core::settings::Paths;
use keyrack_core::vault::MemoryStore;
use keyrack_core::{AccountSettings, Code, Credential, VendorId};

use crate::support;

async fn registry(dir: &Path, store: &Arc<MemoryStore>) -> Registry {
    Registry::open(Options {
        paths: Paths::under(&dir.join("keyrack")),
        store: store.clone(),
        http: Some(support::fast_http(std::time::Duration::from_secs(10))),
        sandbox: None,
    })
    .await
    .unwrap()
}

/// A home holding the OCI, Scaleway and Codefresh CLIs' files, all pointing at the emulator.
fn fake_home(emu: &support::Env) -> (tempfile::TempDir, Vec<PathBuf>) {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    std::fs::create_dir_all(h.join(".oci")).unwrap();
    std::fs::create_dir_all(h.join(".config/scw")).unwrap();
    std::fs::write(h.join(".oci/emu.pem"), emu.m("oci", "private_key_pem")).unwrap();
    let files = vec![
        h.join(".oci/config"),
        h.join(".config/scw/config.yaml"),
        h.join(".cfconfig"),
        h.join(".oci/emu.pem"),
    ];
    std::fs::write(
        &files[0],
        format!(
            "[EMU]\ntenancy={}\nuser={}\nfingerprint={}\nregion={}\nkey_file=~/.oci/emu.pem\n",
            emu.m("oci", "tenancy"),
            emu.m("oci", "user"),
            emu.m("oci", "fingerprint"),
            emu.m("oci", "region"),
        ),
    )
    .unwrap();
    std::fs::write(
        &files[1],
        format!(
            "profiles:\n  emu:\n    access_key: {}\n    secret_key: {}\n    \
             default_organization_id: {}\n    api_url: {}\n  wrong:\n    access_key: {}\n    \
             secret_key: 00000000-0000-0000-0000-000000000000\n    api_url: {}\n",
            emu.m("scaleway", "access_key"),
            emu.m("scaleway", "secret_key"),
            emu.m("scaleway", "organization_id"),
            emu.base(),
            emu.m("scaleway", "access_key"),
            emu.base(),
        ),
    )
    .unwrap();
    std::fs::write(
        &files[2],
        format!(
            "contexts:\n  emu:\n    type: APIKey\n    name: emu\n    url: {}\n    token: {}\n\
             current-context: emu\n",
            emu.base(),
            emu.m("codefresh", "api_key"),
        ),
    )
    .unwrap();
    (home, files)
}

#[tokio::test]
async fn finds_are_imported_after_their_connection_test_and_the_files_are_left_as_they_were() {
    let emu = support::start().await;
    let (home, files) = fake_home(&emu);
    let before: Vec<(Vec<u8>, std::time::SystemTime)> = files
        .iter()
        .map(|f| {
            (
                std::fs::read(f).unwrap(),
                std::fs::metadata(f).unwrap().modified().unwrap(),
            )
        })
        .collect();
    let env = Env::new(
        Some(home.path().into()),
        [
            // The same Codefresh key as the file's context: found twice, added once.
            ("CF_API_KEY".to_string(), emu.m("codefresh", "api_key")),
            ("CF_URL".to_string(), emu.base().to_string()),
            // The same Scaleway key as the `emu` profile, without its organization.
            (
                "SCW_ACCESS_KEY".to_string(),
                emu.m("scaleway", "access_key"),
            ),
            (
                "SCW_SECRET_KEY".to_string(),
                emu.m("scaleway", "secret_key"),
            ),
            ("SCW_API_URL".to_string(), emu.base().to_string()),
        ],
    );
    let store = Arc::new(MemoryStore::new());
    let data = tempfile::tempdir().unwrap();
    let reg = registry(data.path(), &store).await;

    let found = discover::discover(&env, Scope::All, None);
    assert!(found.unreadable.is_empty(), "{:?}", found.unreadable);
    let sources: Vec<&str> = found.found.iter().map(|f| f.source.as_str()).collect();
    assert_eq!(
        sources,
        [
            "~/.config/scw/config.yaml [emu]",
            "~/.config/scw/config.yaml [wrong]",
            "environment (SCW_ACCESS_KEY, SCW_SECRET_KEY)",
            "~/.oci/config [EMU]",
            "~/.cfconfig [emu]",
            "environment (CF_API_KEY, CF_URL)",
        ]
    );
    let mut outcomes = Vec::new();
    for mut f in found.found {
        // The OCI config has no endpoint setting: point the find at the emulator.
        if f.vendor == VendorId::Oci {
            f.settings.base_url = Some(emu.base().to_string());
        }
        let c = reg.candidate(&f).await;
        assert!(c.existing.is_none() || f.via == discover::Via::Environment);
        outcomes.push(reg.import(f).await);
    }
    let names: Vec<String> = reg.list_accounts().into_iter().map(|a| a.name).collect();
    assert_eq!(names, ["scaleway emu", "oci EMU", "codefresh emu"]);

    match &outcomes[0].outcome {
        ImportOutcome::Added { saved } => {
            assert!(saved.identity.is_some(), "the connection was tested");
            assert_eq!(
                store.secret_of(&saved.account.id).as_deref(),
                Some(emu.m("scaleway", "secret_key").as_str())
            );
            assert_eq!(
                saved.account.settings.organization_id.as_deref(),
                Some(emu.m("scaleway", "organization_id").as_str())
            );
        }
        other => panic!("{other:?}"),
    }
    match &outcomes[1].outcome {
        ImportOutcome::Failed { error } => assert_eq!(error.code, Code::Unauthorized, "{error:?}"),
        other => panic!("a wrong secret is not added: {other:?}"),
    }
    let scw = match &outcomes[0].outcome {
        ImportOutcome::Added { saved } => saved.account.id.clone(),
        _ => unreachable!(),
    };
    match &outcomes[2].outcome {
        ImportOutcome::AlreadyPresent { account } => assert_eq!(account.id, scw),
        other => panic!("the variables hold the emu profile's key: {other:?}"),
    }
    match &outcomes[3].outcome {
        ImportOutcome::Added { saved } => {
            let pem = store.secret_of(&saved.account.id).unwrap();
            assert_eq!(pem, emu.m("oci", "private_key_pem"));
        }
        other => panic!("{other:?}"),
    }
    let cf = match &outcomes[4].outcome {
        ImportOutcome::Added { saved } => saved.account.clone(),
        other => panic!("{other:?}"),
    };
    match &outcomes[5].outcome {
        ImportOutcome::AlreadyPresent { account } => assert_eq!(account.id, cf.id),
        other => panic!("the variable holds the same key: {other:?}"),
    }
    assert_eq!(store.account_ids().len(), 3);

    // The files are byte for byte (and by their times) what they were.
    for (file, (bytes, modified)) in files.iter().zip(&before) {
        assert_eq!(&std::fs::read(file).unwrap(), bytes, "{}", file.display());
        assert_eq!(
            &std::fs::metadata(file).unwrap().modified().unwrap(),
            modified
        );
    }

    // Each add is in the audit log with where it came from; no secret is.
    let audit = reg
        .audit_log()
        .read(&AuditFilter {
            action: Some(AuditAction::AccountAdd),
            ..AuditFilter::default()
        })
        .unwrap();
    assert!(audit
        .iter()
        .any(|e| e.detail.as_deref() == Some("imported from ~/.oci/config [EMU]")));
    assert!(audit.iter().any(|e| e.detail.as_deref()
        == Some("imported from ~/.config/scw/config.yaml [wrong]")
        && e.account_id.is_none()));
    let log = std::fs::read_dir(reg.audit_log().dir())
        .unwrap()
        .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
        .collect::<String>();
    assert!(!log.contains(&emu.m("scaleway", "secret_key")));
    assert!(!log.contains(&emu.m("codefresh", "api_key")));

    // Looking again: what was added is marked, and importing it again adds nothing.
    let again = discover::discover(&env, Scope::File(VendorId::Scaleway), Some("emu"));
    assert_eq!(again.found.len(), 1);
    let f = again.found.into_iter().next().unwrap();
    assert_eq!(
        reg.candidate(&f).await.existing.map(|a| a.name).as_deref(),
        Some("scaleway emu")
    );
    assert!(matches!(
        reg.import(f).await.outcome,
        ImportOutcome::AlreadyPresent { .. }
    ));
    assert_eq!(reg.list_accounts().len(), 3);
}

#[tokio::test]
async fn a_broken_file_is_reported_and_the_other_finds_are_still_imported() {
    let emu = support::start().await;
    let (home, files) = fake_home(&emu);
    std::fs::write(&files[0], "[EMU]\nuser = x\nthis line is not a setting\n").unwrap();
    std::fs::write(&files[2], "contexts:\n  - emu\n").unwrap();
    let env = Env::new(Some(home.path().into()), []);
    let found = discover::discover(&env, Scope::All, None);
    let bad: Vec<(&str, String)> = found
        .unreadable
        .iter()
        .map(|u| (u.source.as_str(), u.error.to_string()))
        .collect();
    assert_eq!(bad.len(), 2, "{bad:?}");
    assert_eq!(bad[0].0, "~/.oci/config [EMU]");
    assert!(bad[0].1.contains("has no `key_file`"), "{}", bad[0].1);
    assert_eq!(bad[1].0, "~/.cfconfig");
    assert!(
        bad[1].1.contains("line 2") && bad[1].1.contains("lists"),
        "{}",
        bad[1].1
    );
    assert_eq!(
        found.found.len(),
        2,
        "both Scaleway profiles are still found"
    );

    // A profile the user names is the only one taken.
    let only = discover::discover(&env, Scope::All, Some("wrong"));
    assert_eq!(only.found.len(), 1);
    assert_eq!(only.found[0].source, "~/.config/scw/config.yaml [wrong]");
    let env_only = discover::discover(&env, Scope::Environment, None);
    assert!(env_only.found.is_empty() && env_only.unreadable.is_empty());
}

#[tokio::test]
async fn imported_names_that_are_taken_get_a_number() {
    let emu = support::start().await;
    let (home, _files) = fake_home(&emu);
    let store = Arc::new(MemoryStore::new());
    let data = tempfile::tempdir().unwrap();
    let reg = registry(data.path(), &store).await;
    reg.add_account(
        AccountDraft {
            name: "Scaleway EMU".into(),
            vendor: VendorId::Codefresh,
            settings: AccountSettings {
                base_url: Some(emu.m("codefresh", "base_url")),
                ..Default::default()
            },
        },
        Credential::new(emu.m("codefresh", "api_key")),
        ConnectionTest::Skip,
    )
    .await
    .unwrap();
    let env = Env::new(Some(home.path().into()), []);
    let f = discover::discover(&env, Scope::File(VendorId::Scaleway), Some("emu"))
        .found
        .remove(0);
    match reg.import(f).await.outcome {
        ImportOutcome::Added { saved } => assert_eq!(saved.account.name, "scaleway emu (2)"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_oci_account_gets_its_fingerprint_from_the_key_and_a_wrong_one_is_named() {
    let emu = support::start().await;
    let store = Arc::new(MemoryStore::new());
    let data = tempfile::tempdir().unwrap();
    let reg = registry(data.path(), &store).await;
    let settings = AccountSettings {
        base_url: Some(emu.base().to_string()),
        tenancy: Some(emu.m("oci", "tenancy")),
        user: Some(emu.m("oci", "user")),
        region: Some(emu.m("oci", "region")),
        ..Default::default()
    };
    let draft = |fingerprint: Option<&str>| AccountDraft {
        name: "oci".into(),
        vendor: VendorId::Oci,
        settings: AccountSettings {
            fingerprint: fingerprint.map(str::to_string),
            ..settings.clone()
        },
    };
    let pem = Credential::new(emu.m("oci", "private_key_pem"));

    let wrong = "20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34";
    let e = reg
        .add_account(draft(Some(wrong)), pem.clone(), ConnectionTest::Run)
        .await
        .unwrap_err();
    let public = e.to_public();
    assert_eq!(public.field.as_deref(), Some("fingerprint"));
    assert!(
        public.message.contains(wrong) && public.message.contains(&emu.m("oci", "fingerprint")),
        "{}",
        public.message
    );
    assert!(reg.list_accounts().is_empty() && store.account_ids().is_empty());
    let e = reg
        .test_draft(&draft(Some(wrong)), pem.clone())
        .await
        .unwrap_err();
    assert_eq!(e.to_public().field.as_deref(), Some("fingerprint"));

    reg.test_draft(&draft(None), pem.clone()).await.unwrap();
    let saved = reg
        .add_account(draft(None), pem, ConnectionTest::Run)
        .await
        .unwrap();
    assert_eq!(
        saved.account.settings.fingerprint.as_deref(),
        Some(emu.m("oci", "fingerprint").as_str())
    );
    assert!(saved.identity.is_some());
}
