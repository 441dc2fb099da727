//! Rotation against the emulator: a full rotation at each vendor, faults at create, verify and
//! retire (each leaving the old key working and naming the step), the OCI quota, a rotation
//! resumed or undone from its journal by a new registry, files updated in place, and no secret
//! in the journal or the audit log.

use std::sync::Arc;
use std::time::Duration;

use keyrack_core::accounts::{Options, Registry};
use keyrack_core::reveal::RevealStore;
use keyrack_core::rotation::{
    self, Delivery, Journal, Journals, Retire, RotateOptions, Rotation, RotationReport, Step,
};
use keyrack_core::sandbox::{accounts_from_manifest, sandbox_account_id};
use keyrack_core::settings::Paths;
use keyrack_core::test_support::Outputs;
use keyrack_core::vault::MemoryStore;
use keyrack_core::{Code, KeyRecord, KeyStatus, NewKey, VendorId};
use serde_json::json;

use crate::support::{fast_http, start, status_fault, Env};

const VENDORS: [VendorId; 5] = [
    VendorId::Ibm,
    VendorId::Scaleway,
    VendorId::Oci,
    VendorId::Openai,
    VendorId::Codefresh,
];

struct World {
    env: Env,
    dir: tempfile::TempDir,
}

impl World {
    async fn new() -> World {
        World {
            env: start().await,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn paths(&self) -> Paths {
        Paths::under(&self.dir.path().join("keyrack"))
    }

    /// A registry over the emulator's accounts, as a fresh process would open it.
    async fn registry(&self) -> Registry {
        let registry = Registry::open(Options {
            paths: self.paths(),
            store: Arc::new(MemoryStore::new()),
            http: Some(fast_http(Duration::from_secs(10))),
            sandbox: None,
        })
        .await
        .unwrap();
        registry
            .attach_accounts(accounts_from_manifest(&self.env.manifest))
            .await
            .unwrap();
        registry
    }
}

fn account(vendor: VendorId) -> String {
    sandbox_account_id(vendor)
}

/// A key to rotate that is not the account's own credential: a fresh one, except at OCI
/// (three keys per user), where it is the admin user's other seeded key.
async fn target(registry: &Registry, vendor: VendorId) -> KeyRecord {
    let id = account(vendor);
    let client = registry.vendor(&id).await.unwrap();
    let caps = client.capabilities();
    if caps.max_keys_per_owner.is_some() {
        let own = registry.account(&id).unwrap().settings.fingerprint.unwrap();
        let user = registry.account(&id).unwrap().settings.user.unwrap();
        return client
            .list()
            .await
            .unwrap()
            .into_iter()
            .find(|k| {
                !k.id.ends_with(&own)
                    && k.owner.as_ref().is_some_and(|o| o.id == user)
                    && k.status == KeyStatus::Active
            })
            .expect("the OCI admin user has a second key");
    }
    let options = client.create_options().await.unwrap();
    let owner = caps.owner.as_ref().filter(|o| o.required).and_then(|rule| {
        options
            .owners
            .iter()
            .find(|o| rule.kinds.contains(&o.kind))
            .map(|o| keyrack_core::OwnerRef {
                kind: o.kind,
                id: o.id.clone(),
            })
    });
    let spec = NewKey {
        name: caps.name.as_ref().map(|_| "rotate-me".to_string()),
        description: caps.description.as_ref().map(|_| "rotate-me".to_string()),
        owner,
        project_id: caps
            .project
            .as_ref()
            .filter(|p| p.required)
            .and_then(|_| options.projects.first().map(|p| p.id.clone())),
        scopes: caps
            .scopes
            .first()
            .map(|s| vec![s.id.clone()])
            .unwrap_or_default(),
        expires_at: caps
            .expiry
            .then(|| chrono::Utc::now() + chrono::Duration::days(90)),
        ..NewKey::default()
    };
    registry.create_key(&id, &spec).await.unwrap().record
}

async fn rotate(
    registry: &Registry,
    reveal: &RevealStore,
    vendor: VendorId,
    old: &KeyRecord,
    options: RotateOptions,
) -> RotationReport {
    let plan = rotation::plan(registry, &account(vendor), &old.id, &options)
        .await
        .unwrap_or_else(|e| panic!("{vendor}: plan: {e}"));
    Rotation::new(registry, reveal)
        .verify_retries(Vec::new())
        .run(plan)
        .await
}

async fn status_of(registry: &Registry, vendor: VendorId, id: &str) -> Option<KeyStatus> {
    let client = registry.vendor(&account(vendor)).await.unwrap();
    match client.get(id).await {
        Ok(k) => Some(k.status),
        Err(e) if e.code() == Code::NotFound => None,
        Err(e) => panic!("{vendor}: get {id}: {e}"),
    }
}

fn secret_of(reveal: &RevealStore, report: &RotationReport) -> String {
    let handle = &report
        .secret
        .as_ref()
        .expect("the new secret is held")
        .handle;
    reveal
        .with_secret(handle, |_, s, _| Ok(s.expose().clone()))
        .unwrap()
}

fn journal_files(world: &World) -> usize {
    std::fs::read_dir(world.paths().data_dir.join("rotations"))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_rotation_at_each_vendor_replaces_the_key_and_writes_its_file() {
    let world = World::new().await;
    let registry = world.registry().await;
    let reveal = RevealStore::new();
    for vendor in VENDORS {
        let old = target(&registry, vendor).await;
        let out = world.dir.path().join(format!("{vendor}-new-key"));
        let report = rotate(
            &registry,
            &reveal,
            vendor,
            &old,
            RotateOptions {
                delivery: Some(Delivery::Out {
                    path: out.clone(),
                    format: None,
                }),
                ..RotateOptions::default()
            },
        )
        .await;
        assert!(report.done(), "{vendor}: {}", report.summary);
        assert_eq!(report.old_key, rotation::OldKeyState::Deleted, "{vendor}");
        let new_id = report.new_key_id.clone().unwrap();
        assert_ne!(new_id, old.id);
        assert_eq!(
            status_of(&registry, vendor, &old.id).await,
            None,
            "{vendor}"
        );
        assert_eq!(
            status_of(&registry, vendor, &new_id).await,
            Some(KeyStatus::Active),
            "{vendor}"
        );
        let new = report.new_key.as_ref().unwrap();
        assert_eq!(
            new.owner.as_ref().map(|o| &o.id),
            old.owner.as_ref().map(|o| &o.id),
            "{vendor}: same owner"
        );
        if let Some(name) = &new.name {
            assert!(name.contains("-rotated-"), "{vendor}: {name}");
        }
        if old.expires_at.is_some() {
            assert!(
                new.expires_at.is_some(),
                "{vendor}: the expiry is carried over"
            );
        }
        let written = std::fs::read_to_string(&out).unwrap();
        let secret = secret_of(&reveal, &report);
        assert!(
            written.contains(secret.trim()),
            "{vendor}: the file holds the secret"
        );
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{vendor}");
        assert!(report.secret.as_ref().unwrap().saved);
        assert!(!report.journal_left);
    }
    assert_eq!(
        journal_files(&world),
        0,
        "finished rotations leave no journal"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_create_stops_with_nothing_made_and_the_old_key_active() {
    let world = World::new().await;
    let registry = world.registry().await;
    let reveal = RevealStore::new();
    for vendor in VENDORS {
        let old = target(&registry, vendor).await;
        let plan = rotation::plan(
            &registry,
            &account(vendor),
            &old.id,
            &RotateOptions::default(),
        )
        .await
        .unwrap();
        world
            .env
            .fault(
                json!({"kind": "status", "vendor": vendor.as_str(), "method": "POST",
                          "status": 403, "count": 1}),
            )
            .await;
        let report = Rotation::new(&registry, &reveal).run(plan).await;
        world.env.clear_faults().await;
        let failure = report
            .failure
            .as_ref()
            .unwrap_or_else(|| panic!("{vendor}: no failure"));
        assert_eq!(failure.step, Step::Create, "{vendor}: {}", report.summary);
        assert_eq!(report.new_key_id, None);
        assert_eq!(report.old_key, rotation::OldKeyState::Active);
        assert!(
            report.summary.contains("no new key was created"),
            "{}",
            report.summary
        );
        assert!(
            report.summary.contains("still active"),
            "{}",
            report.summary
        );
        assert_eq!(
            status_of(&registry, vendor, &old.id).await,
            Some(KeyStatus::Active),
            "{vendor}"
        );
        assert!(!report.journal_left);
    }
    assert_eq!(journal_files(&world), 0);
}

/// The request each vendor's verify step makes with the new secret.
fn verify_fault(vendor: VendorId) -> serde_json::Value {
    let (method, path) = match vendor {
        VendorId::Ibm => ("POST", "/identity/token"),
        VendorId::Scaleway => ("GET", "/iam/v1alpha1/api-keys/"),
        VendorId::Oci => ("GET", "/20160918/users/"),
        VendorId::Openai => ("GET", "/v1/models"),
        VendorId::Codefresh => ("GET", "/api/user"),
    };
    status_fault(vendor.as_str(), method, path, 401, 100)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_key_the_vendor_rejects_stops_at_verify_and_can_be_undone() {
    let world = World::new().await;
    let registry = world.registry().await;
    let reveal = RevealStore::new();
    for vendor in VENDORS {
        let old = target(&registry, vendor).await;
        let plan = rotation::plan(
            &registry,
            &account(vendor),
            &old.id,
            &RotateOptions::default(),
        )
        .await
        .unwrap();
        // Installed as the verify step starts, so that only its request is refused.
        let armed = std::sync::atomic::AtomicBool::new(false);
        let env = &world.env;
        let rotation = Rotation::new(&registry, &reveal)
            .verify_retries(Vec::new())
            .on_progress(|step, _| {
                if step == Step::Verify && !armed.swap(true, std::sync::atomic::Ordering::SeqCst) {
                    tokio::task::block_in_place(|| {
                        tokio::runtime::Handle::current().block_on(env.fault(verify_fault(vendor)))
                    });
                }
            });
        let report = rotation.run(plan).await;
        world.env.clear_faults().await;
        let failure = report
            .failure
            .as_ref()
            .unwrap_or_else(|| panic!("{vendor}: no failure"));
        assert_eq!(failure.step, Step::Verify, "{vendor}: {}", report.summary);
        assert_eq!(
            failure.code,
            Code::Unauthorized,
            "{vendor}: {}",
            failure.message
        );
        assert!(
            failure.message.contains("new"),
            "{vendor}: {}",
            failure.message
        );
        let new_id = report.new_key_id.clone().unwrap();
        assert_eq!(report.old_key, rotation::OldKeyState::Active);
        assert!(report.summary.contains(&new_id), "{}", report.summary);
        assert_eq!(
            status_of(&registry, vendor, &old.id).await,
            Some(KeyStatus::Active),
            "{vendor}: the old key is untouched"
        );
        assert!(report.journal_left);
        // Left behind: listed, and undone (the new key goes, the old one stays).
        let left = rotation.journals().list().unwrap();
        assert!(left.iter().any(|j| j.id == report.id));
        // While it is left, the key is not rotated a second time (a second new key).
        let again = rotation::plan(
            &registry,
            &account(vendor),
            &old.id,
            &RotateOptions::default(),
        )
        .await
        .expect_err("a second rotation of the same key");
        assert_eq!(again.code(), Code::Conflict, "{vendor}: {again}");
        assert!(again.to_string().contains(&report.id), "{vendor}: {again}");
        let undone = rotation.undo(&report.id).await.unwrap();
        assert!(undone.summary.contains("undone"), "{}", undone.summary);
        assert_eq!(
            status_of(&registry, vendor, &new_id).await,
            None,
            "{vendor}"
        );
        assert_eq!(
            status_of(&registry, vendor, &old.id).await,
            Some(KeyStatus::Active)
        );
        assert!(reveal
            .info(&report.secret.as_ref().unwrap().handle)
            .is_err());
    }
    assert_eq!(journal_files(&world), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_delete_stops_at_retire_and_a_new_registry_resumes_it() {
    let world = World::new().await;
    let reveal = RevealStore::new();
    let mut stopped = Vec::new();
    {
        let registry = world.registry().await;
        for vendor in VENDORS {
            let old = target(&registry, vendor).await;
            let plan = rotation::plan(
                &registry,
                &account(vendor),
                &old.id,
                &RotateOptions::default(),
            )
            .await
            .unwrap();
            world
                .env
                .fault(
                    json!({"kind": "status", "vendor": vendor.as_str(), "method": "DELETE",
                              "status": 403}),
                )
                .await;
            let report = Rotation::new(&registry, &reveal)
                .verify_retries(Vec::new())
                .run(plan)
                .await;
            world.env.clear_faults().await;
            let failure = report
                .failure
                .as_ref()
                .unwrap_or_else(|| panic!("{vendor}"));
            assert_eq!(failure.step, Step::Retire, "{vendor}: {}", report.summary);
            assert_eq!(report.old_key, rotation::OldKeyState::Active);
            assert_eq!(
                status_of(&registry, vendor, &old.id).await,
                Some(KeyStatus::Active),
                "{vendor}"
            );
            assert!(
                report.summary.contains("Stopped at retire"),
                "{}",
                report.summary
            );
            stopped.push((
                vendor,
                report.id.clone(),
                old.id.clone(),
                report.new_key_id.unwrap(),
            ));
        }
    }
    // Another process: a new registry and an empty reveal store. Retiring needs no secret.
    let registry = world.registry().await;
    let fresh = RevealStore::new();
    let rotation = Rotation::new(&registry, &fresh);
    assert_eq!(rotation.journals().list().unwrap().len(), VENDORS.len());
    for (vendor, id, old, new) in stopped {
        let report = rotation.resume(&id).await.unwrap();
        assert!(report.done(), "{vendor}: {}", report.summary);
        assert_eq!(status_of(&registry, vendor, &old).await, None, "{vendor}");
        assert_eq!(
            status_of(&registry, vendor, &new).await,
            Some(KeyStatus::Active)
        );
    }
    assert_eq!(journal_files(&world), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_create_is_resumed_without_making_a_second_key() {
    let world = World::new().await;
    let vendor = VendorId::Scaleway;
    let journals = Journals::new(&world.paths().data_dir);
    // The journal as a process writes it just before it creates, then dies.
    let (fresh_id, old) = {
        let registry = world.registry().await;
        let old = target(&registry, vendor).await;
        let plan = rotation::plan(
            &registry,
            &account(vendor),
            &old.id,
            &RotateOptions::default(),
        )
        .await
        .unwrap();
        let mut journal = Journal::new(&plan);
        journal.step = Step::Create;
        journal.finished = false;
        journals.save(&mut journal).unwrap();
        (journal.id, old)
    };
    let registry = world.registry().await;
    let reveal = RevealStore::new();
    let rotation = Rotation::new(&registry, &reveal).verify_retries(Vec::new());
    let report = rotation.resume(&fresh_id).await.unwrap();
    assert!(report.done(), "{}", report.summary);
    assert_eq!(status_of(&registry, vendor, &old.id).await, None);

    // Again, but the dying process had made the key: the resume finds it instead of making
    // another, and undo deletes it.
    let old = target(&registry, vendor).await;
    let plan = rotation::plan(
        &registry,
        &account(vendor),
        &old.id,
        &RotateOptions::default(),
    )
    .await
    .unwrap();
    let mut journal = Journal::new(&plan);
    journal.step = Step::Create;
    journal.finished = false;
    journals.save(&mut journal).unwrap();
    let made = registry
        .create_key(&account(vendor), &journal.spec)
        .await
        .unwrap();
    drop(made);
    let before = registry
        .vendor(&account(vendor))
        .await
        .unwrap()
        .list()
        .await
        .unwrap()
        .len();
    let report = rotation.resume(&journal.id).await.unwrap();
    let failure = report.failure.as_ref().unwrap();
    assert_eq!(failure.step, Step::Create);
    assert_eq!(failure.code, Code::CreateLost, "{}", failure.message);
    let after = registry
        .vendor(&account(vendor))
        .await
        .unwrap()
        .list()
        .await
        .unwrap()
        .len();
    assert_eq!(before, after, "no second key");
    let found = report.new_key_id.clone().unwrap();
    rotation.undo(&journal.id).await.unwrap();
    assert_eq!(status_of(&registry, vendor, &found).await, None);
    assert_eq!(
        status_of(&registry, vendor, &old.id).await,
        Some(KeyStatus::Active)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_oci_limit_the_plan_names_the_keys_to_remove_first() {
    let world = World::new().await;
    let registry = world.registry().await;
    let old = target(&registry, VendorId::Oci).await;
    // A third key for the same user.
    registry
        .create_key(&account(VendorId::Oci), &NewKey::default())
        .await
        .unwrap();
    let err = rotation::plan(
        &registry,
        &account(VendorId::Oci),
        &old.id,
        &RotateOptions::default(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), Code::QuotaExceeded, "{err}");
    let message = err.to_string();
    assert!(message.contains("at limit"), "{message}");
    assert!(message.contains("delete one of"), "{message}");
    assert!(
        !message.contains(&format!("{} (", old.id)),
        "never the rotated key: {message}"
    );
    assert_eq!(
        status_of(&registry, VendorId::Oci, &old.id).await,
        Some(KeyStatus::Active)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_users_ibm_key_is_refused_at_plan_with_nothing_made() {
    let world = World::new().await;
    let registry = world.registry().await;
    let id = account(VendorId::Ibm);
    let before = registry.vendor(&id).await.unwrap().list().await.unwrap();
    // The seeded colleague's key: IBM lets only that user create their keys.
    let colleague = before
        .iter()
        .find(|k| k.name.as_deref() == Some("dana-notebook"))
        .expect("the IBM sandbox seeds a colleague's key");
    let err = rotation::plan(&registry, &id, &colleague.id, &RotateOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Forbidden, "{err}");
    let message = err.to_string();
    assert!(
        message.contains("can rotate it with their own credential"),
        "{message}"
    );
    let after = registry.vendor(&id).await.unwrap().list().await.unwrap();
    assert_eq!(after.len(), before.len(), "nothing was created");
    // A service ID's key of the same account plans as before.
    let ci = before
        .iter()
        .find(|k| k.name.as_deref() == Some("ci-deploy"))
        .expect("the IBM sandbox seeds a service ID's key");
    rotation::plan(&registry, &id, &ci.id, &RotateOptions::default())
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oci_and_scaleway_configs_are_updated_in_place_other_profiles_untouched() {
    let world = World::new().await;
    let registry = world.registry().await;
    let reveal = RevealStore::new();

    // OCI: [DEFAULT] holds the old key, [OTHER] another.
    let old = target(&registry, VendorId::Oci).await;
    let fp = old.id.rsplit('/').next().unwrap().to_string();
    let dir = world.dir.path().join("oci");
    std::fs::create_dir_all(&dir).unwrap();
    let old_pem = dir.join("old.pem");
    std::fs::write(&old_pem, "old private key").unwrap();
    let other = "[OTHER]\nuser=ocid1.user.oc1..other\nfingerprint=11:22:33:44:55:66:77:88:99:00:aa:bb:cc:dd:ee:ff\nkey_file=/elsewhere/other.pem\ntenancy=ocid1.tenancy.oc1..t\nregion=eu-frankfurt-1\n";
    let config = dir.join("config");
    std::fs::write(
        &config,
        format!(
            "[DEFAULT]\nuser=ocid1.user.oc1..me\nfingerprint={fp}\nkey_file={}\npass_phrase=old\ntenancy=ocid1.tenancy.oc1..t\nregion=eu-frankfurt-1\n\n{other}",
            old_pem.display()
        ),
    )
    .unwrap();
    let report = rotate(
        &registry,
        &reveal,
        VendorId::Oci,
        &old,
        RotateOptions {
            delivery: Some(Delivery::UpdateFile {
                path: config.clone(),
            }),
            ..RotateOptions::default()
        },
    )
    .await;
    assert!(report.done(), "{}", report.summary);
    let new_fp = report.new_key_id.clone().unwrap();
    let new_fp = new_fp.rsplit('/').next().unwrap();
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.ends_with(other), "[OTHER] is untouched:\n{text}");
    assert!(text.contains(&format!("fingerprint={new_fp}\n")), "{text}");
    assert!(!text.contains(&fp), "{text}");
    assert!(!text.contains("pass_phrase"), "{text}");
    let key_file = text
        .lines()
        .find_map(|l| l.strip_prefix("key_file="))
        .unwrap();
    assert_eq!(std::path::Path::new(key_file).parent().unwrap(), dir);
    let pem = std::fs::read_to_string(key_file).unwrap();
    assert!(pem.contains(secret_of(&reveal, &report).trim()));
    assert_eq!(
        std::fs::read_to_string(&old_pem).unwrap(),
        "old private key"
    );
    assert!(report
        .delivered
        .as_deref()
        .unwrap()
        .contains("profile DEFAULT"));
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".bak"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "the backup goes once the rotation is done"
    );

    // Scaleway: profile `old` holds the old key, `other` another.
    let old = target(&registry, VendorId::Scaleway).await;
    let other = "  other:\n    access_key: SCWOTHER000000000000\n    secret_key: 11111111-2222-3333-4444-555555555555\n";
    let config = world.dir.path().join("config.yaml");
    std::fs::write(
        &config,
        format!(
            "active_profile: old\nprofiles:\n  old:\n    access_key: {}\n    secret_key: \"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\"\n    default_region: fr-par\n{other}",
            old.id
        ),
    )
    .unwrap();
    let report = rotate(
        &registry,
        &reveal,
        VendorId::Scaleway,
        &old,
        RotateOptions {
            delivery: Some(Delivery::UpdateFile {
                path: config.clone(),
            }),
            ..RotateOptions::default()
        },
    )
    .await;
    assert!(report.done(), "{}", report.summary);
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.ends_with(other), "profile other is untouched:\n{text}");
    let new_id = report.new_key_id.clone().unwrap();
    assert!(
        text.contains(&format!("    access_key: {new_id}\n")),
        "{text}"
    );
    assert!(text.contains(&secret_of(&reveal, &report)), "{text}");
    assert!(text.contains("    default_region: fr-par\n"));
    assert!(!text.contains("aaaaaaaa-bbbb"), "{text}");
    // Remembered for the new key (its "Used in" and its next rotation), no secret in it.
    let places = registry.key_places(&account(VendorId::Scaleway), &new_id);
    assert_eq!(places.len(), 1, "{places:?}");
    assert_eq!(places[0].path, config);
    let settings = std::fs::read_to_string(world.paths().settings_file()).unwrap();
    assert!(!settings.contains(&secret_of(&reveal, &report)));
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&config).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_without_the_old_key_is_refused_before_anything_is_created() {
    let world = World::new().await;
    let registry = world.registry().await;
    let old = target(&registry, VendorId::Scaleway).await;
    let config = world.dir.path().join("config.yaml");
    std::fs::write(
        &config,
        "profiles:\n  x:\n    access_key: SCWSOMEONEELSE000000\n    secret_key: s\n",
    )
    .unwrap();
    let before = registry
        .vendor(&account(VendorId::Scaleway))
        .await
        .unwrap()
        .list()
        .await
        .unwrap()
        .len();
    let err = rotation::plan(
        &registry,
        &account(VendorId::Scaleway),
        &old.id,
        &RotateOptions {
            delivery: Some(Delivery::UpdateFile { path: config }),
            ..RotateOptions::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), Code::Validation, "{err}");
    assert!(err.to_string().contains(&old.id), "{err}");
    let after = registry
        .vendor(&account(VendorId::Scaleway))
        .await
        .unwrap()
        .list()
        .await
        .unwrap()
        .len();
    assert_eq!(before, after);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keep_with_a_grace_period_leaves_the_old_key_and_a_reminder() {
    let world = World::new().await;
    let registry = world.registry().await;
    let reveal = RevealStore::new();
    let old = target(&registry, VendorId::Ibm).await;
    let until = chrono::Utc::now() + chrono::Duration::days(7);
    let report = rotate(
        &registry,
        &reveal,
        VendorId::Ibm,
        &old,
        RotateOptions {
            retire: Retire::Keep,
            grace_until: Some(until),
            ..RotateOptions::default()
        },
    )
    .await;
    assert!(report.done(), "{}", report.summary);
    assert_eq!(
        status_of(&registry, VendorId::Ibm, &old.id).await,
        Some(KeyStatus::Active)
    );
    assert!(report.summary.contains("kept until"), "{}", report.summary);
    let left = Journals::new(&world.paths().data_dir).list().unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].grace_until, Some(until));
    assert_eq!(left[0].step, Step::Done);
    // Kept for its grace period, the old key is not rotated a second time.
    let again = rotation::plan(
        &registry,
        &account(VendorId::Ibm),
        &old.id,
        &RotateOptions::default(),
    )
    .await
    .unwrap_err();
    assert_eq!(again.code(), Code::Conflict, "{again}");
    assert!(
        again.to_string().contains("only kept for its grace period"),
        "{again}"
    );
    assert!(!again.to_string().contains("--undo"), "{again}");

    // Disable where the vendor can; refused where it cannot.
    let old = target(&registry, VendorId::Ibm).await;
    let report = rotate(
        &registry,
        &reveal,
        VendorId::Ibm,
        &old,
        RotateOptions {
            retire: Retire::Disable,
            ..RotateOptions::default()
        },
    )
    .await;
    assert!(report.done(), "{}", report.summary);
    assert_eq!(
        status_of(&registry, VendorId::Ibm, &old.id).await,
        Some(KeyStatus::Disabled)
    );
    let old = target(&registry, VendorId::Scaleway).await;
    let err = rotation::plan(
        &registry,
        &account(VendorId::Scaleway),
        &old.id,
        &RotateOptions {
            retire: Retire::Disable,
            ..RotateOptions::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), Code::Validation, "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_new_secret_reaches_the_journal_or_the_audit_log() {
    let world = World::new().await;
    let registry = world.registry().await;
    let reveal = RevealStore::new();
    let mut out = Outputs::default();
    let mut secrets = Vec::new();
    for vendor in VENDORS {
        let old = target(&registry, vendor).await;
        world
            .env
            .fault(
                json!({"kind": "status", "vendor": vendor.as_str(), "method": "DELETE",
                          "status": 403}),
            )
            .await;
        let report = rotate(&registry, &reveal, vendor, &old, RotateOptions::default()).await;
        world.env.clear_faults().await;
        assert_eq!(report.failure.as_ref().unwrap().step, Step::Retire);
        secrets.push(secret_of(&reveal, &report));
        out.json("report", &report);
        out.add("report (debug)", format!("{report:?}"));
    }
    let rotations = Journals::new(&world.paths().data_dir).list().unwrap();
    assert_eq!(
        rotations.len(),
        VENDORS.len(),
        "the journals are there to read"
    );
    out.files_under(&world.paths().data_dir, &|_| false);
    for (n, secret) in secrets.iter().enumerate() {
        // An OCI secret is a PEM: its body lines are what must not leak.
        for piece in secret
            .lines()
            .filter(|l| l.len() >= 16 && !l.starts_with("-----"))
        {
            out.assert_absent(piece, &format!("new secret {n}"));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_key_refuses_a_secret_the_vendor_does_not_know() {
    let world = World::new().await;
    let registry = world.registry().await;
    for vendor in VENDORS {
        let key = target(&registry, vendor).await;
        let client = registry.vendor(&account(vendor)).await.unwrap();
        let wrong = match vendor {
            // A real private key, just not one OCI has.
            VendorId::Oci => {
                keyrack_core::vendors::oci::keypair::generate(2048)
                    .unwrap()
                    .private_pem
            }
            VendorId::Codefresh => {
                keyrack_core::Sensitive::new(format!("{}.not-its-secret", key.id))
            }
            _ => keyrack_core::Sensitive::from("kr-wrong-secret-0000000000000000"),
        };
        let err = client.verify_key(&key, &wrong).await.unwrap_err();
        assert_eq!(err.code(), Code::Unauthorized, "{vendor}: {err}");
        assert!(err.to_string().contains("new"), "{vendor}: {err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resume_that_cannot_look_for_an_earlier_create_keeps_its_journal() {
    let world = World::new().await;
    let vendor = VendorId::Codefresh;
    let registry = world.registry().await;
    let old = target(&registry, vendor).await;
    let plan = rotation::plan(
        &registry,
        &account(vendor),
        &old.id,
        &RotateOptions::default(),
    )
    .await
    .unwrap();
    let journals = Journals::new(&world.paths().data_dir);
    let mut journal = Journal::new(&plan);
    journal.step = Step::Create;
    journal.finished = false;
    journals.save(&mut journal).unwrap();

    let registry = world.registry().await;
    let reveal = RevealStore::new();
    world
        .env
        .fault(status_fault("codefresh", "GET", "/api/auth/key", 503, 100))
        .await;
    let report = Rotation::new(&registry, &reveal)
        .resume(&journal.id)
        .await
        .unwrap();
    world.env.clear_faults().await;
    assert_eq!(report.failure.as_ref().unwrap().step, Step::Create);
    assert!(report.journal_left);
    assert_eq!(journals.list().unwrap().len(), 1, "kept: a key may exist");
    // Once the vendor answers again, the resume goes through.
    let report = Rotation::new(&registry, &reveal)
        .verify_retries(Vec::new())
        .resume(&journal.id)
        .await
        .unwrap();
    assert!(report.done(), "{}", report.summary);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_cut_short_after_the_file_was_written_is_not_done_twice() {
    let world = World::new().await;
    let registry = world.registry().await;
    let reveal = RevealStore::new();
    let vendor = VendorId::Scaleway;
    let old = target(&registry, vendor).await;
    let config = world.dir.path().join("config.yaml");
    std::fs::write(
        &config,
        format!(
            "profiles:\n  p:\n    access_key: {}\n    secret_key: old\n",
            old.id
        ),
    )
    .unwrap();
    let delivery = Delivery::UpdateFile {
        path: config.clone(),
    };
    // The first run stops at verify, after the file was updated; the journal is then set back
    // to "deliver started", as a process that died right after writing would have left it.
    let plan = rotation::plan(
        &registry,
        &account(vendor),
        &old.id,
        &RotateOptions {
            delivery: Some(delivery),
            ..RotateOptions::default()
        },
    )
    .await
    .unwrap();
    world.env.fault(verify_fault(vendor)).await;
    // The verify fault must not hit the create: a Scaleway create is a POST.
    let rotation = Rotation::new(&registry, &reveal).verify_retries(Vec::new());
    let report = rotation.run(plan).await;
    world.env.clear_faults().await;
    assert_eq!(
        report.failure.as_ref().unwrap().step,
        Step::Verify,
        "{}",
        report.summary
    );
    let journals = rotation.journals();
    let mut journal = journals.load(&report.id).unwrap();
    journal.step = Step::Deliver;
    journal.finished = false;
    journals.save(&mut journal).unwrap();
    let written = std::fs::read_to_string(&config).unwrap();

    let report = rotation.resume(&report.id).await.unwrap();
    assert!(report.done(), "{}", report.summary);
    assert!(report.delivered.unwrap().contains("already updated"));
    assert_eq!(std::fs::read_to_string(&config).unwrap(), written);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grace_period_that_ended_is_due_and_retiring_it_deletes_the_old_key_audited() {
    let world = World::new().await;
    let registry = world.registry().await;
    let reveal = RevealStore::new();
    let old = target(&registry, VendorId::Scaleway).await;
    let report = rotate(
        &registry,
        &reveal,
        VendorId::Scaleway,
        &old,
        RotateOptions {
            retire: Retire::Keep,
            grace_until: Some(chrono::Utc::now() + chrono::Duration::days(3)),
            ..RotateOptions::default()
        },
    )
    .await;
    assert!(report.done(), "{}", report.summary);
    let journals = Journals::new(&world.paths().data_dir);
    let now = chrono::Utc::now();
    assert!(rotation::grace::ended(&journals.list().unwrap(), now).is_empty());
    let next = rotation::grace::next_end(&journals.list().unwrap(), now).unwrap();
    assert!(next > now + chrono::Duration::days(2));

    // Three days on, it is due.
    let later = now + chrono::Duration::days(3) + chrono::Duration::minutes(1);
    let due = rotation::grace::ended(&journals.list().unwrap(), later);
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].rotation_id, report.id);
    assert_eq!(due[0].old.id, old.id);
    assert_eq!(due[0].new_key_id, report.new_key_id);
    assert!(rotation::grace::label(&due[0]).starts_with("Old key rotate-me: grace ended"));
    assert_eq!(
        rotation::grace::next_end(&journals.list().unwrap(), later),
        None
    );

    let retired = rotation::grace::retire(&registry, &report.id)
        .await
        .unwrap();
    assert_eq!(retired.old.id, old.id);
    assert_eq!(
        status_of(&registry, VendorId::Scaleway, &old.id).await,
        None
    );
    assert!(journals.list().unwrap().is_empty(), "the reminder is gone");
    let new_id = report.new_key_id.clone().unwrap();
    assert!(status_of(&registry, VendorId::Scaleway, &new_id)
        .await
        .is_some());
    let log =
        std::fs::read_to_string(world.paths().data_dir.join("audit").join("audit.jsonl")).unwrap();
    assert!(log.contains("grace ended, old key deleted"), "{log}");
    assert!(log.contains("key_delete"), "{log}");

    // Gone already: nothing left to retire, and a rotation still running is not a grace.
    let e = rotation::grace::retire(&registry, &report.id)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::NotFound, "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_files_holding_the_old_key_are_updated_once_the_rotation_is_done() {
    let world = World::new().await;
    let registry = world.registry().await;
    let reveal = RevealStore::new();
    let old = target(&registry, VendorId::Scaleway).await;
    let profile = |name: &str| {
        format!(
            "profiles:\n  {name}:\n    access_key: {}\n    secret_key: aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\n",
            old.id
        )
    };
    let primary = world.dir.path().join("config.yaml");
    std::fs::write(&primary, profile("main")).unwrap();
    let second = world.dir.path().join("other.yaml");
    std::fs::write(&second, profile("ci")).unwrap();
    let stranger = world.dir.path().join("stranger.yaml");
    std::fs::write(&stranger, "profiles: {}\n").unwrap();

    let plan = rotation::plan(
        &registry,
        &account(VendorId::Scaleway),
        &old.id,
        &RotateOptions {
            delivery: Some(Delivery::UpdateFile {
                path: primary.clone(),
            }),
            ..RotateOptions::default()
        },
    )
    .await
    .unwrap();
    let old_record = plan.old.clone();
    let rotation = Rotation::new(&registry, &reveal).verify_retries(Vec::new());
    let mut report = rotation.run(plan).await;
    assert!(report.done(), "{}", report.summary);
    rotation
        .also_update(
            &old_record,
            &mut report,
            &[second.clone(), stranger.clone()],
        )
        .await;
    let new_id = report.new_key_id.clone().unwrap();
    let secret = secret_of(&reveal, &report);
    let text = std::fs::read_to_string(&second).unwrap();
    assert!(text.contains(&format!("access_key: {new_id}")), "{text}");
    assert!(text.contains(&secret));
    assert_eq!(
        std::fs::read_to_string(&stranger).unwrap(),
        "profiles: {}\n",
        "a file without the old key is left alone"
    );
    assert_eq!(report.also_updated.len(), 2);
    assert!(report.also_updated[0]
        .updated
        .as_deref()
        .unwrap()
        .contains("profile ci"));
    assert!(report.also_updated[1].error.is_some());
    assert!(
        report
            .summary
            .contains("Also updated 1 more file; 1 could not be updated"),
        "{}",
        report.summary
    );
    // No backup left beside it, and the file is the new key's now.
    let leftovers = std::fs::read_dir(world.dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".bak"))
        .count();
    assert_eq!(leftovers, 0);
    let places: Vec<_> = registry
        .key_places(&account(VendorId::Scaleway), &new_id)
        .into_iter()
        .map(|p| p.path)
        .collect();
    assert_eq!(places, vec![primary, second.clone()]);
    let log =
        std::fs::read_to_string(world.paths().data_dir.join("audit").join("audit.jsonl")).unwrap();
    assert!(log.contains("also"), "{log}");
    assert!(!log.contains(&secret));

    // A rotation that did not finish updates nothing more.
    let mut stopped = report.clone();
    stopped.step = Step::Verify;
    stopped.also_updated.clear();
    rotation
        .also_update(&old_record, &mut stopped, &[second])
        .await;
    assert!(stopped.also_updated.is_empty());
}

/// A Codefresh service user's key is replaced by a key of the same service user, made and
/// retired under it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_codefresh_service_users_key_rotates_under_its_service_user() {
    let world = World::new().await;
    let registry = world.registry().await;
    let reveal = RevealStore::new();
    let vendor = VendorId::Codefresh;
    let spec = NewKey {
        name: Some("bot-deploy".into()),
        scopes: vec!["pipeline".into()],
        owner: Some(keyrack_core::OwnerRef {
            kind: keyrack_core::OwnerKind::ServiceAccount,
            id: "release-bot".into(),
        }),
        ..NewKey::default()
    };
    let created = registry.create_key(&account(vendor), &spec).await.unwrap();
    let old = created.record.clone();
    let su = old.owner.clone().unwrap();
    assert_eq!(su.kind, keyrack_core::OwnerKind::ServiceAccount);
    // The .cfconfig context holding the old token is found by the token's key id, which is
    // only the second half of the Keyrack id here.
    let cfconfig = world.dir.path().join(".cfconfig");
    let other =
        "  other:\n    type: APIKey\n    name: other\n    url: https://g.codefresh.io\n    \
                 token: 5f0000000000000000000000.abcdef\n";
    std::fs::write(
        &cfconfig,
        format!(
            "contexts:\n  bot:\n    type: APIKey\n    name: bot\n    url: https://g.codefresh.io\n    \
             token: {}\n{other}current-context: bot\n",
            created.secret.expose()
        ),
    )
    .unwrap();
    let report = rotate(
        &registry,
        &reveal,
        vendor,
        &old,
        RotateOptions {
            delivery: Some(Delivery::UpdateFile {
                path: cfconfig.clone(),
            }),
            ..RotateOptions::default()
        },
    )
    .await;
    assert!(report.done(), "{}", report.summary);
    let updated = std::fs::read_to_string(&cfconfig).unwrap();
    assert!(
        !updated.contains(created.secret.expose().as_str()),
        "{updated}"
    );
    assert!(
        updated.contains(other),
        "other contexts untouched: {updated}"
    );
    let new_id = report.new_key_id.clone().unwrap();
    assert!(new_id.starts_with(&format!("{}/", su.id)), "{new_id}");
    assert_eq!(status_of(&registry, vendor, &old.id).await, None);
    let new = report.new_key.as_ref().unwrap();
    assert_eq!(new.owner.as_ref(), Some(&su));
    assert_eq!(new.scopes, ["pipeline"]);
    // The new token signs in as the service user.
    let secret = secret_of(&reveal, &report);
    assert!(
        updated.contains(&format!("token: {}", secret.trim())),
        "{updated}"
    );
    let client = registry.vendor(&account(vendor)).await.unwrap();
    client.verify_key(new, &secret.into()).await.unwrap();
}
