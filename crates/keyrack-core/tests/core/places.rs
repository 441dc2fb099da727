//! "Used in": the vendors' tools' standard files under an injected home directory (OCI config
//! profiles by fingerprint, Scaleway profiles by access key, Codefresh contexts by key id), the
//! files Keyrack remembers writing a key to, and that memory kept in the settings file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Utc;
use keyrack_core::accounts::discover::Env;
use keyrack_core::accounts::{Options, Registry};
use keyrack_core::model::{Account, KeyRecord};
use keyrack_core::places::{used_in, KeyPlace, UsedIn};
use keyrack_core::settings::Paths;
use keyrack_core::test_support::key_record;
use keyrack_core::vault::MemoryStore;
use keyrack_core::vendors::VendorExtra;
use keyrack_core::VendorId;

/// Only a home directory: no `OCI_CONFIG_FILE` and the like from the test's own environment.
fn home_env(home: &Path) -> Env {
    Env::new(Some(home.to_path_buf()), [])
}

fn account(vendor: VendorId) -> Account {
    Account {
        id: "acc-1".into(),
        name: "Work".into(),
        vendor,
        sandbox: false,
        settings: Default::default(),
    }
}

fn write(home: &Path, rel: &str, text: &str) -> PathBuf {
    let path = home.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn place(key: &KeyRecord, path: &Path, what: &str) -> KeyPlace {
    KeyPlace {
        account_id: key.account.clone(),
        key_id: key.id.clone(),
        path: path.to_path_buf(),
        what: what.into(),
        saved_at: Utc::now(),
    }
}

const FP: &str = "aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99";
const OTHER_FP: &str = "11:22:33:44:55:66:77:88:99:00:aa:bb:cc:dd:ee:ff";

#[test]
fn oci_config_profiles_are_found_by_fingerprint() {
    let home = tempfile::tempdir().unwrap();
    let config = write(
        home.path(),
        ".oci/config",
        &format!(
            "[DEFAULT]\nuser=ocid1.user.oc1..me\nfingerprint={OTHER_FP}\nkey_file=/k/a.pem\n\n\
             [CI]\nuser=ocid1.user.oc1..me\nfingerprint={}\nkey_file=/k/b.pem\n",
            FP.to_uppercase()
        ),
    );
    let oci = account(VendorId::Oci);
    // An OCI key of another user is `<user>/<fingerprint>`.
    let key = key_record(
        &format!("ocid1.user.oc1..me/{FP}"),
        VendorExtra::Oci(Default::default()),
    );
    assert_eq!(
        used_in(&key, &oci, &home_env(home.path()), &[]),
        vec![UsedIn {
            path: config.clone(),
            what: "profile CI".into(),
            remembered: false,
            updatable: true,
        }]
    );
    let elsewhere = key_record(
        "00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00",
        VendorExtra::Oci(Default::default()),
    );
    assert!(used_in(&elsewhere, &oci, &home_env(home.path()), &[]).is_empty());
    // Where the OCI tools are told to look (`OCI_CONFIG_FILE`), not ~/.oci/config.
    let moved = home.path().join("work-oci-config");
    std::fs::rename(&config, &moved).unwrap();
    assert!(used_in(&key, &oci, &home_env(home.path()), &[]).is_empty());
    let told = Env::new(
        Some(home.path().to_path_buf()),
        [("OCI_CONFIG_FILE".to_string(), moved.display().to_string())],
    );
    let found = used_in(&key, &oci, &told, &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].path, moved);
    // No home known: only the remembered files are looked at.
    assert!(used_in(&key, &oci, &Env::default(), &[]).is_empty());
}

#[test]
fn scaleway_profiles_are_found_by_access_key_and_codefresh_contexts_by_key_id() {
    let home = tempfile::tempdir().unwrap();
    let scw = write(
        home.path(),
        ".config/scw/config.yaml",
        "active_profile: prod\nprofiles:\n  prod:\n    access_key: SCWAAAAAAAAAAAAAAAAA\n    secret_key: 11111111-2222-3333-4444-555555555555\n  dev:\n    access_key: SCWBBBBBBBBBBBBBBBBB\n    secret_key: 11111111-2222-3333-4444-666666666666\n",
    );
    let key = key_record(
        "SCWBBBBBBBBBBBBBBBBB",
        VendorExtra::Scaleway(Default::default()),
    );
    let found = used_in(
        &key,
        &account(VendorId::Scaleway),
        &home_env(home.path()),
        &[],
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].path, scw);
    assert_eq!(found[0].what, "profile dev");
    assert!(!found[0].remembered);

    let cf = write(
        home.path(),
        ".cfconfig",
        "contexts:\n  work:\n    type: APIKey\n    name: work\n    url: https://g.codefresh.io\n    token: 64f0aa.secretpart\n  home:\n    type: APIKey\n    name: home\n    url: https://g.codefresh.io\n    token: 650bbb.othersecret\ncurrent-context: work\n",
    );
    let key = key_record("650bbb", VendorExtra::Codefresh(Default::default()));
    let found = used_in(
        &key,
        &account(VendorId::Codefresh),
        &home_env(home.path()),
        &[],
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].path.clone(), found[0].what.as_str()),
        (cf, "context home")
    );
    let unknown = key_record("777ccc", VendorExtra::Codefresh(Default::default()));
    assert!(used_in(
        &unknown,
        &account(VendorId::Codefresh),
        &home_env(home.path()),
        &[]
    )
    .is_empty());
}

#[test]
fn remembered_files_are_listed_while_they_exist_and_say_whether_a_rotation_can_update_them() {
    let home = tempfile::tempdir().unwrap();
    let key = key_record(
        "SCWBBBBBBBBBBBBBBBBB",
        VendorExtra::Scaleway(Default::default()),
    );
    let env = write(
        home.path(),
        "proj/.env",
        "# deploy\nSCW_ACCESS_KEY=SCWBBBBBBBBBBBBBBBBB\nSCW_SECRET_KEY=11111111-2222-3333-4444-666666666666\n",
    );
    let notes = write(home.path(), "notes.txt", "nothing to replace here\n");
    let gone = home.path().join("deleted.env");
    // An .env naming another key is not this key's.
    let stale = write(
        home.path(),
        "old/.env",
        "SCW_ACCESS_KEY=SCWCCCCCCCCCCCCCCCCC\nSCW_SECRET_KEY=x\n",
    );
    let remembered = vec![
        place(&key, &env, ".env"),
        place(&key, &notes, "Notes"),
        place(&key, &gone, ".env"),
        place(&key, &stale, ".env"),
        // Another key's file is not this one's.
        KeyPlace {
            key_id: "SCWZZZ".into(),
            ..place(&key, &home.path().join("zzz.env"), ".env")
        },
    ];
    let found = used_in(
        &key,
        &account(VendorId::Scaleway),
        &home_env(home.path()),
        &remembered,
    );
    let summary: Vec<(PathBuf, String, bool, bool)> = found
        .into_iter()
        .map(|u| (u.path, u.what, u.remembered, u.updatable))
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                env,
                "SCW_ACCESS_KEY, SCW_SECRET_KEY".to_string(),
                true,
                true
            ),
            (notes, "Notes".to_string(), true, false),
            (stale, ".env".to_string(), true, false),
        ]
    );
}

#[tokio::test]
async fn places_are_kept_in_the_settings_file_and_a_rotation_moves_a_file_to_the_new_key() {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::under(dir.path());
    let open = || async {
        Registry::open(Options {
            paths: paths.clone(),
            store: Arc::new(MemoryStore::new()),
            http: None,
            sandbox: None,
        })
        .await
        .unwrap()
    };
    let registry = open().await;
    let old = key_record("ApiKey-old", VendorExtra::Ibm(Default::default()));
    let new = key_record("ApiKey-new", VendorExtra::Ibm(Default::default()));
    let file = dir.path().join("apikey.json");
    let pem = dir.path().join("other.env");
    registry
        .remember_place(place(&old, &file, "IBM apikey.json"), None)
        .await
        .unwrap();
    registry
        .remember_place(place(&old, &pem, ".env"), None)
        .await
        .unwrap();
    // Saved again to the same file: one entry.
    registry
        .remember_place(place(&old, &file, "IBM apikey.json"), None)
        .await
        .unwrap();
    assert_eq!(registry.key_places("acc-1", "ApiKey-old").len(), 2);

    // The rotation updated `file`: it holds the new key now, and no longer the old one.
    registry
        .remember_place(
            place(&new, &file, "apikey in apikey.json"),
            Some("ApiKey-old"),
        )
        .await
        .unwrap();
    let text = std::fs::read_to_string(paths.settings_file()).unwrap();
    assert!(text.contains("[[key_place]]"), "{text}");

    let reopened = open().await;
    let old_places: Vec<PathBuf> = reopened
        .key_places("acc-1", "ApiKey-old")
        .into_iter()
        .map(|p| p.path)
        .collect();
    assert_eq!(old_places, vec![pem]);
    let new_places = reopened.key_places("acc-1", "ApiKey-new");
    assert_eq!(new_places.len(), 1);
    assert_eq!(new_places[0].path, file);
    assert_eq!(new_places[0].what, "apikey in apikey.json");
}

#[tokio::test]
async fn an_unusable_settings_file_is_not_set_aside_just_to_remember_a_place() {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::under(dir.path());
    std::fs::create_dir_all(&paths.config_dir).unwrap();
    std::fs::write(paths.settings_file(), "version = 1\n[preferences\n").unwrap();
    let registry = Registry::open(Options {
        paths: paths.clone(),
        store: Arc::new(MemoryStore::new()),
        http: None,
        sandbox: None,
    })
    .await
    .unwrap();
    let key = key_record("ApiKey-1", VendorExtra::Ibm(Default::default()));
    let e = registry
        .remember_place(place(&key, &dir.path().join("a.env"), ".env"), None)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("not remembered"), "{e}");
    assert_eq!(
        std::fs::read_to_string(paths.settings_file()).unwrap(),
        "version = 1\n[preferences\n"
    );
    let aside = std::fs::read_dir(&paths.config_dir).unwrap().count();
    assert_eq!(aside, 1, "nothing set aside");
}
