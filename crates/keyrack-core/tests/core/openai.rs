//! The OpenAI client against the emulator: projects, paging, service-account keys, deletes that
//! leave a service account without keys, and every documented error and transport fault.

use std::time::Duration;

use crate::support::{self, fast_http, status_fault, Env};
use chrono::Utc;
use keyrack_core::http::Http;
use keyrack_core::vendor::{ListOptions, Vendor};
use keyrack_core::vendors::openai::OpenaiExtra;
use keyrack_core::{
    AccountSettings, Code, KeyRecord, KeyStatus, KeyUpdate, NewKey, OwnerKind, OwnerRef,
    PermissionLevel, PermissionMode, Permissions, VendorExtra, VendorId,
};
use serde_json::json;

fn http() -> Http {
    fast_http(Duration::from_secs(5))
}

fn settings(env: &Env) -> AccountSettings {
    AccountSettings {
        base_url: Some(env.m("openai", "base_url")),
        organization_id: Some(env.m("openai", "organization_id")),
        project_id: Some(env.m("openai", "project_id")),
        ..AccountSettings::default()
    }
}

fn admin(env: &Env, http: &Http) -> std::sync::Arc<dyn Vendor> {
    let account = support::account(VendorId::Openai, settings(env));
    support::connect(&account, &env.m("openai", "admin_key"), http)
}

fn sandbox(env: &Env) -> String {
    env.m("openai", "project_id")
}

fn named<'a>(keys: &'a [KeyRecord], name: &str) -> &'a KeyRecord {
    keys.iter()
        .find(|k| k.name.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no key named {name}"))
}

/// The service account `name` of the sandbox project, as an owner reference.
async fn service_account(client: &dyn Vendor, name: &str) -> OwnerRef {
    let options = client.create_options().await.unwrap();
    let owner = options
        .owners
        .iter()
        .find(|o| o.name.as_deref().is_some_and(|n| n.starts_with(name)))
        .unwrap_or_else(|| panic!("no service account {name}: {:?}", options.owners));
    OwnerRef {
        kind: OwnerKind::ServiceAccount,
        id: owner.id.clone(),
    }
}

fn new_key(name: &str) -> NewKey {
    NewKey {
        name: Some(name.to_string()),
        ..NewKey::default()
    }
}

fn read_only() -> Permissions {
    Permissions {
        mode: PermissionMode::ReadOnly,
        resources: Default::default(),
    }
}

fn restricted(levels: &[(&str, PermissionLevel)]) -> Permissions {
    Permissions {
        mode: PermissionMode::Restricted,
        resources: levels.iter().map(|(r, l)| (r.to_string(), *l)).collect(),
    }
}

fn admin_owner() -> OwnerRef {
    OwnerRef {
        kind: OwnerKind::Other,
        id: "admin".into(),
    }
}

/// The scopes the emulator holds for a key (`<project>/<key>` id).
fn held_scopes(env: &Env, id: &str) -> Vec<String> {
    let bare = id.rsplit('/').next().unwrap();
    let store = env.emu.shared.store();
    let key = store.openai.api_keys.iter().find(|k| k.id == bare).unwrap();
    key.scopes.clone()
}

async fn posts(env: &Env) -> usize {
    env.requests("openai")
        .await
        .iter()
        .filter(|(m, _, _)| m == "POST")
        .count()
}

#[tokio::test]
async fn verify_counts_projects_and_list_covers_every_key() {
    let env = support::start().await;
    let client = admin(&env, &http());
    let me = client.verify().await.unwrap();
    assert!(me.display.contains("2 active projects"), "{}", me.display);
    assert!(me.display.contains(&env.m("openai", "organization_id")));
    assert!(!me.display.contains(&env.m("openai", "admin_key")));
    assert!(me.warnings.is_empty(), "{:?}", me.warnings);

    let keys = client.list().await.unwrap();
    assert_eq!(
        keys.len(),
        7,
        "six project keys and the admin key: {keys:#?}"
    );
    let project = sandbox(&env);
    let admin_key = named(&keys, "sandbox-admin");
    assert!(admin_key.id.starts_with("admin/key_"), "{}", admin_key.id);
    assert_eq!(admin_key.kind_label.as_deref(), Some("Admin key"));
    assert!(admin_key.last_used_at.is_some(), "verify just used it");
    assert_eq!(admin_key.permissions, None);
    let laptop = named(&keys, "jane-laptop");
    assert_eq!(laptop.kind_label, None);
    assert_eq!(
        laptop.permissions.as_ref().map(|p| p.mode),
        Some(PermissionMode::All)
    );
    assert!(
        laptop.id.starts_with(&format!("{project}/key_")),
        "{}",
        laptop.id
    );
    assert_eq!(laptop.status, KeyStatus::Active);
    let hint = laptop.secret_hint.as_deref().unwrap();
    assert!(
        hint.starts_with("sk-") && hint.contains("..."),
        "the redacted value: {hint}"
    );
    assert!(laptop.created_at.is_some() && laptop.last_used_at.is_some());
    let owner = laptop.owner.as_ref().unwrap();
    assert_eq!(
        (owner.kind, owner.name.as_deref()),
        (OwnerKind::User, Some("Jane Doe"))
    );
    assert_eq!(
        laptop.extra,
        VendorExtra::Openai(OpenaiExtra {
            project_id: project.clone(),
            project_name: Some("Keyrack Sandbox".into())
        })
    );
    // A key whose owner left the project is listed too (owner_project_access=any).
    assert_eq!(named(&keys, "sam-notebook").status, KeyStatus::Inactive);
    let nightly = named(&keys, "ci-runner-nightly");
    let owner = nightly.owner.as_ref().unwrap();
    assert_eq!(owner.kind, OwnerKind::ServiceAccount);
    assert!(
        owner.id.starts_with(&format!("{project}/svc_acct_")),
        "{}",
        owner.id
    );
    assert!(keys
        .iter()
        .any(|k| k.name.as_deref() == Some("default-key")));
}

#[tokio::test]
async fn list_pages_to_the_end() {
    let options = keyrack_emulator::EmulatorOptions {
        seed: keyrack_emulator::SeedOptions {
            extra_keys: 230,
            ..Default::default()
        },
        ..Default::default()
    };
    let env = Env::from(keyrack_emulator::start(options).await.unwrap());
    let client = admin(&env, &http());
    env.clear_requests().await;
    let keys = client.list().await.unwrap();
    assert_eq!(keys.len(), 237, "236 project keys and the admin key");
    let mut ids: Vec<&str> = keys.iter().map(|k| k.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 237, "no key listed twice");
    let sandbox_pages = env
        .requests("openai")
        .await
        .iter()
        .filter(|(m, p, _)| m == "GET" && p.ends_with(&format!("{}/api_keys", sandbox(&env))))
        .count();
    assert_eq!(sandbox_pages, 3, "235 keys at 100 a page");
}

#[tokio::test]
async fn get_finds_keys_by_scoped_or_bare_id() {
    let env = support::start().await;
    let client = admin(&env, &http());
    let keys = client.list().await.unwrap();
    let nightly = named(&keys, "ci-runner-nightly");
    assert_eq!(&client.get(&nightly.id).await.unwrap(), nightly);
    let bare = nightly.id.split_once('/').unwrap().1;
    assert_eq!(client.get(bare).await.unwrap().id, nightly.id);

    let missing = format!("{}/key_doesnotexist", sandbox(&env));
    let err = client.get(&missing).await.unwrap_err();
    assert_eq!(err.code(), Code::NotFound, "{err}");
    assert!(err.to_string().contains("key_doesnotexist"), "{err}");
    assert_eq!(
        client.get("key_nope").await.unwrap_err().code(),
        Code::NotFound
    );

    env.clear_requests().await;
    let err = client.get("proj_a/key b").await.unwrap_err();
    assert_eq!(err.code(), Code::Validation);
    assert!(env.requests("openai").await.is_empty());
}

#[tokio::test]
async fn create_makes_a_service_account_and_returns_its_key_once() {
    let env = support::start().await;
    let client = admin(&env, &http());
    let created = client.create(&new_key("ci-new")).await.unwrap();
    let secret = created.secret.expose().clone();
    assert!(secret.starts_with("sk-svcacct-"), "a service-account key");
    assert!(!format!("{created:?}").contains(&secret));
    let project = sandbox(&env);
    assert!(created.record.id.starts_with(&format!("{project}/key_")));
    let owner = created.record.owner.clone().unwrap();
    assert_eq!(owner.kind, OwnerKind::ServiceAccount);
    assert_eq!(owner.name.as_deref(), Some("ci-new"));

    let listed = client.get(&created.record.id).await.unwrap();
    assert_eq!(listed.owner.as_ref().unwrap().id, owner.id);
    let hint = listed.secret_hint.unwrap();
    assert!(hint.ends_with(&secret[secret.len() - 4..]), "{hint}");
    let options = client.create_options().await.unwrap();
    assert!(options.owners.iter().any(|o| o.id == owner.id));
    assert_eq!(options.projects.len(), 2);

    // The new key is a project key: it cannot administer.
    let account = support::account(VendorId::Openai, settings(&env));
    let err = support::connect(&account, &secret, &http())
        .list()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Unauthorized, "{err}");
}

#[tokio::test]
async fn create_adds_a_named_key_to_an_existing_service_account() {
    let env = support::start().await;
    let client = admin(&env, &http());
    let ci = service_account(client.as_ref(), "ci-runner").await;
    let created = client
        .create(&NewKey {
            owner: Some(ci.clone()),
            ..new_key("worker-2")
        })
        .await
        .unwrap();
    assert_eq!(created.record.name.as_deref(), Some("worker-2"));
    assert_eq!(created.record.owner.as_ref().unwrap().id, ci.id);
    assert_eq!(
        created.record.owner.as_ref().unwrap().name.as_deref(),
        Some("ci-runner")
    );

    // A bare service-account id works with the project; another project's does not.
    let bare = OwnerRef {
        kind: OwnerKind::ServiceAccount,
        id: ci.id.split_once('/').unwrap().1.to_string(),
    };
    let again = client
        .create(&NewKey {
            owner: Some(bare),
            ..new_key("worker-3")
        })
        .await
        .unwrap();
    assert_eq!(again.record.owner.unwrap().id, ci.id);
    let elsewhere = NewKey {
        owner: Some(ci),
        project_id: Some("proj_other".into()),
        ..new_key("worker-4")
    };
    let err = client.create(&elsewhere).await.unwrap_err();
    assert_eq!(err.code(), Code::Validation, "{err}");

    let unknown = NewKey {
        owner: Some(OwnerRef {
            kind: OwnerKind::ServiceAccount,
            id: format!("{}/svc_acct_nope", sandbox(&env)),
        }),
        ..new_key("x")
    };
    assert_eq!(
        client.create(&unknown).await.unwrap_err().code(),
        Code::NotFound
    );
}

#[tokio::test]
async fn create_sets_the_initial_key_expiry() {
    let env = support::start().await;
    let client = admin(&env, &http());
    let expires = Utc::now() + chrono::Duration::days(30);
    let created = client
        .create(&NewKey {
            expires_at: Some(expires),
            ..new_key("short-lived")
        })
        .await
        .unwrap();
    let got = created.record.expires_at.unwrap();
    assert!(
        (got - expires).num_seconds().abs() <= 5,
        "{got} vs {expires}"
    );
    let listed = client.get(&created.record.id).await.unwrap();
    assert_eq!(listed.expires_at, Some(got));
}

#[tokio::test]
async fn invalid_creates_send_nothing() {
    let env = support::start().await;
    let client = admin(&env, &http());
    let no_project = support::connect(
        &support::account(
            VendorId::Openai,
            AccountSettings {
                project_id: None,
                ..settings(&env)
            },
        ),
        &env.m("openai", "admin_key"),
        &http(),
    );
    env.clear_requests().await;
    for (c, spec) in [
        (&client, NewKey::default()),
        (&client, new_key("   ")),
        (
            &client,
            NewKey {
                scopes: vec!["api.all.read".into()],
                ..new_key("ro")
            },
        ),
        (
            &client,
            NewKey {
                description: Some("d".into()),
                ..new_key("d")
            },
        ),
        (
            &client,
            NewKey {
                owner: Some(OwnerRef {
                    kind: OwnerKind::User,
                    id: "user_1".into(),
                }),
                ..new_key("u")
            },
        ),
        (&no_project, new_key("p")),
    ] {
        let err = c.create(&spec).await.unwrap_err();
        assert_eq!(err.code(), Code::Validation, "{spec:?}: {err}");
    }
    assert!(env.requests("openai").await.is_empty());
    for changes in [
        KeyUpdate::default(),
        KeyUpdate {
            name: Some("renamed".into()),
            ..KeyUpdate::default()
        },
        KeyUpdate {
            clear_expiry: true,
            ..KeyUpdate::default()
        },
        KeyUpdate {
            permissions: Some(restricted(&[("models", PermissionLevel::Write)])),
            ..KeyUpdate::default()
        },
    ] {
        let err = client.update("x/y", &changes).await.unwrap_err();
        assert_eq!(err.code(), Code::Validation, "{changes:?}: {err}");
    }
    // An admin key with permissions, a restricted key with nothing allowed.
    for spec in [
        NewKey {
            owner: Some(admin_owner()),
            permissions: Some(read_only()),
            ..new_key("a")
        },
        NewKey {
            permissions: Some(restricted(&[("files", PermissionLevel::None)])),
            ..new_key("r")
        },
    ] {
        let err = client.create(&spec).await.unwrap_err();
        assert_eq!(err.code(), Code::Validation, "{spec:?}: {err}");
    }
    assert!(env.requests("openai").await.is_empty());
}

#[tokio::test]
async fn deleting_a_service_accounts_last_key_offers_the_service_account() {
    let env = support::start().await;
    let client = admin(&env, &http());
    let keys = client.list().await.unwrap();
    let ci_keys: Vec<&KeyRecord> = keys
        .iter()
        .filter(|k| {
            k.owner.as_ref().is_some_and(|o| {
                o.kind == OwnerKind::ServiceAccount && o.name.as_deref() == Some("ci-runner")
            })
        })
        .collect();
    assert_eq!(ci_keys.len(), 2);

    let first = client.delete(&ci_keys[0].id).await.unwrap();
    assert_eq!(first.owner_without_keys, None, "ci-runner still has a key");
    let last = client.delete(&ci_keys[1].id).await.unwrap();
    let owner = last.owner_without_keys.expect("offered");
    assert_eq!(owner.name.as_deref(), Some("ci-runner"));
    assert_eq!(&owner, ci_keys[1].owner.as_ref().unwrap());

    client.delete_owner(&owner).await.unwrap();
    let options = client.create_options().await.unwrap();
    assert!(!options.owners.iter().any(|o| o.id == owner.id));
    let err = client.delete_owner(&owner).await.unwrap_err();
    assert_eq!(err.code(), Code::NotFound);

    // A user's key: deleted, nothing offered.
    let laptop = named(&keys, "jane-laptop");
    assert_eq!(
        client.delete(&laptop.id).await.unwrap().owner_without_keys,
        None
    );
    assert_eq!(
        client.get(&laptop.id).await.unwrap_err().code(),
        Code::NotFound
    );
    assert_eq!(
        client.delete(&laptop.id).await.unwrap_err().code(),
        Code::NotFound
    );
}

#[tokio::test]
async fn a_refused_service_account_key_delete_falls_back_to_the_service_account() {
    let env = support::start().await;
    let client = admin(&env, &http());
    let keys = client.list().await.unwrap();
    let project = sandbox(&env);
    let path = format!("/v1/organization/projects/{project}/api_keys/");

    // deploy-bot has one key: deleting the service account revokes exactly it.
    let deploy = keys
        .iter()
        .find(|k| {
            k.owner
                .as_ref()
                .is_some_and(|o| o.name.as_deref() == Some("deploy-bot"))
        })
        .unwrap();
    env.fault(status_fault("openai", "DELETE", &path, 400, 1))
        .await;
    let outcome = client.delete(&deploy.id).await.unwrap();
    assert_eq!(outcome.owner_without_keys, None);
    assert_eq!(
        client.get(&deploy.id).await.unwrap_err().code(),
        Code::NotFound
    );
    let options = client.create_options().await.unwrap();
    assert!(!options.owners.iter().any(|o| o
        .name
        .as_deref()
        .is_some_and(|n| n.starts_with("deploy-bot"))));

    // ci-runner has two: refused with a message that says what to do, nothing deleted.
    let nightly = named(&keys, "ci-runner-nightly");
    env.fault(status_fault("openai", "DELETE", &path, 400, 1))
        .await;
    let err = client.delete(&nightly.id).await.unwrap_err();
    assert_eq!(err.code(), Code::Conflict, "{err}");
    assert!(
        err.to_string().contains("delete the service account"),
        "{err}"
    );
    assert!(client.get(&nightly.id).await.is_ok());
}

#[tokio::test]
async fn a_wrong_admin_key_is_unauthorized() {
    let env = support::start().await;
    let account = support::account(VendorId::Openai, settings(&env));
    let client = support::connect(&account, "sk-admin-not-a-real-key-0000wxyz", &http());
    let err = client.verify().await.unwrap_err();
    assert_eq!(err.code(), Code::Unauthorized, "{err}");
    let detail = err.vendor_detail().unwrap();
    assert_eq!(detail.code.as_deref(), Some("invalid_api_key"));
    assert!(detail.request_id.as_deref().unwrap().starts_with("req_"));
    assert!(err.to_string().contains("admin key"), "{err}");
    assert!(
        !err.to_string().contains("not-a-real-key"),
        "the key is masked"
    );
}

#[tokio::test]
async fn reads_are_retried_after_429_and_5xx() {
    let env = support::start().await;
    let client = admin(&env, &http());
    env.fault(
        json!({"kind": "status", "vendor": "openai", "method": "GET",
        "path_prefix": "/v1/organization/projects", "status": 429, "retry_after": 1, "count": 1}),
    )
    .await;
    env.fault(status_fault(
        "openai",
        "GET",
        "/v1/organization/projects",
        502,
        1,
    ))
    .await;
    let started = std::time::Instant::now();
    client.verify().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was honoured"
    );
    let statuses: Vec<_> = env
        .requests("openai")
        .await
        .into_iter()
        .map(|r| r.2)
        .collect();
    assert_eq!(statuses, vec![Some(429), Some(502), Some(200)]);
}

#[tokio::test]
async fn a_slow_answer_times_out_and_a_malformed_one_is_a_decode_error() {
    let env = support::start().await;
    let client = admin(&env, &fast_http(Duration::from_millis(300)));
    // Every request is slow (a listing reads projects and admin keys at once, each retried).
    env.fault(json!({"kind": "latency", "vendor": "openai", "ms": 2000}))
        .await;
    assert_eq!(client.list().await.unwrap_err().code(), Code::Timeout);
    env.clear_faults().await;
    env.fault(json!({"kind": "malformed", "vendor": "openai", "method": "GET", "count": 1}))
        .await;
    let err = client.list().await.unwrap_err();
    assert_eq!(err.code(), Code::Decode, "{err}");
}

#[tokio::test]
async fn a_lost_service_account_create_is_found_and_reported() {
    let env = support::start().await;
    let client = admin(&env, &http());
    env.fault(json!({"kind": "malformed", "vendor": "openai", "method": "POST", "count": 1}))
        .await;
    let err = client.create(&new_key("lost-sa")).await.unwrap_err();
    assert_eq!(err.code(), Code::CreateLost, "{err}");
    assert!(err.to_string().contains("lost in transit"), "{err}");
    let recovered = err.to_public().recovered.expect("the key was found");
    assert_eq!(
        recovered.owner.as_ref().unwrap().name.as_deref(),
        Some("lost-sa")
    );
    assert!(client.get(&recovered.id).await.is_ok());
    assert_eq!(posts(&env).await, 1, "the create was not repeated");
}

#[tokio::test]
async fn a_lost_key_create_on_a_service_account_is_found() {
    let env = support::start().await;
    let client = admin(&env, &http());
    let ci = service_account(client.as_ref(), "ci-runner").await;
    env.fault(json!({"kind": "malformed", "vendor": "openai", "method": "POST", "count": 1}))
        .await;
    let err = client
        .create(&NewKey {
            owner: Some(ci.clone()),
            ..new_key("lost-key")
        })
        .await
        .unwrap_err();
    let recovered = err.to_public().recovered.expect("the key was found");
    assert_eq!(recovered.name.as_deref(), Some("lost-key"));
    assert_eq!(recovered.owner.unwrap().id, ci.id);
}

#[tokio::test]
async fn a_dropped_create_says_nothing_was_created() {
    let env = support::start().await;
    let client = admin(&env, &http());
    let before = client.list().await.unwrap().len();
    env.fault(json!({"kind": "reset", "vendor": "openai", "method": "POST", "count": 1}))
        .await;
    let err = client.create(&new_key("dropped")).await.unwrap_err();
    assert_eq!(err.code(), Code::Network, "{err}");
    assert!(err.to_string().contains("nothing was created"), "{err}");
    assert_eq!(client.list().await.unwrap().len(), before);
    assert_eq!(posts(&env).await, 1, "creates are never retried");
}

#[tokio::test]
async fn an_archived_project_drops_out_and_refuses_creates() {
    let env = support::start().await;
    let client = admin(&env, &http());
    let project = sandbox(&env);
    let archived = reqwest::Client::new()
        .post(format!(
            "{}/organization/projects/{project}/archive",
            env.m("openai", "base_url")
        ))
        .bearer_auth(env.m("openai", "admin_key"))
        .send()
        .await
        .unwrap();
    assert!(archived.status().is_success());
    let keys = client.list().await.unwrap();
    let project_keys: Vec<_> = keys.iter().filter(|k| k.kind_label.is_none()).collect();
    assert_eq!(
        project_keys.len(),
        1,
        "only the default project's key: {keys:#?}"
    );
    // Asked for, the archived project's keys are listed too, as inactive.
    let all = client
        .list_with(&ListOptions {
            include_archived: true,
        })
        .await
        .unwrap();
    let archived: Vec<_> = all
        .iter()
        .filter(|k| k.id.starts_with(&format!("{project}/")))
        .collect();
    assert_eq!(archived.len(), 5, "{all:#?}");
    assert!(archived.iter().all(|k| k.status == KeyStatus::Inactive));
    assert_eq!(all.len(), keys.len() + 5);
    let err = client.create(&new_key("late")).await.unwrap_err();
    assert_eq!(err.code(), Code::Vendor, "{err}");
    assert!(err.to_string().contains("archived"), "{err}");
    let me = client.verify().await.unwrap();
    assert!(
        me.warnings.iter().any(|w| w.contains(&project)),
        "{:?}",
        me.warnings
    );
}

#[tokio::test]
async fn a_read_only_key_gets_its_scope_when_its_new_service_account_is_made() {
    let env = support::start().await;
    let client = admin(&env, &http());
    let expires = Utc::now() + chrono::Duration::days(30);
    let created = client
        .create(&NewKey {
            permissions: Some(read_only()),
            expires_at: Some(expires),
            ..new_key("reader")
        })
        .await
        .unwrap();
    assert!(created.secret.expose().starts_with("sk-svcacct-"));
    assert_eq!(
        created.record.permissions.as_ref().map(|p| p.mode),
        Some(PermissionMode::ReadOnly)
    );
    // The key carries its chosen name, the scope, and the expiry; its account is a member.
    assert_eq!(held_scopes(&env, &created.record.id), vec!["api.all.read"]);
    let got = client.get(&created.record.id).await.unwrap();
    assert_eq!(got.name.as_deref(), Some("reader"));
    assert_eq!(got.permissions, Some(read_only()));
    assert_eq!(got.scopes, vec!["api.all.read"]);
    let at = got.expires_at.unwrap().timestamp();
    assert!((expires.timestamp() - 5..=expires.timestamp() + 5).contains(&at));
    let owner = got.owner.unwrap();
    let sa = owner.id.rsplit('/').next().unwrap().to_string();
    let store = env.emu.shared.store();
    let account = store
        .openai
        .service_accounts
        .iter()
        .find(|s| s.id == sa)
        .unwrap();
    assert_eq!(
        (account.name.as_str(), account.role.as_str()),
        ("reader", "member")
    );
}

#[tokio::test]
async fn a_restricted_key_on_an_existing_service_account_and_its_update() {
    let env = support::start().await;
    let client = admin(&env, &http());
    let owner = service_account(client.as_ref(), "ci-runner").await;
    let created = client
        .create(&NewKey {
            owner: Some(owner),
            permissions: Some(restricted(&[
                ("models", PermissionLevel::Read),
                ("files", PermissionLevel::Write),
            ])),
            ..new_key("worker")
        })
        .await
        .unwrap();
    assert_eq!(
        held_scopes(&env, &created.record.id),
        vec!["model.read", "api.model.read", "api.files.write"]
    );

    // K4: models read only, and a new expiry.
    let expires = Utc::now() + chrono::Duration::days(7);
    let updated = client
        .update(
            &created.record.id,
            &KeyUpdate {
                permissions: Some(restricted(&[("models", PermissionLevel::Read)])),
                expires_at: Some(expires),
                ..KeyUpdate::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        updated.permissions,
        Some(restricted(&[("models", PermissionLevel::Read)]))
    );
    assert_eq!(
        held_scopes(&env, &created.record.id),
        vec!["model.read", "api.model.read"]
    );
    let at = updated.expires_at.unwrap().timestamp();
    assert!((expires.timestamp() - 5..=expires.timestamp() + 5).contains(&at));
    // Back to all: no scopes at all.
    let all = client
        .update(
            &created.record.id,
            &KeyUpdate {
                permissions: Some(Permissions {
                    mode: PermissionMode::All,
                    resources: Default::default(),
                }),
                ..KeyUpdate::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(all.permissions.map(|p| p.mode), Some(PermissionMode::All));
    assert!(held_scopes(&env, &created.record.id).is_empty());
    let posted = env.requests("openai").await;
    assert!(posted
        .iter()
        .any(|(m, p, s)| m == "POST" && p.contains("/api_keys/key_") && *s == Some(200)));
}

#[tokio::test]
async fn updating_an_expired_key_is_the_vendors_error() {
    let env = support::start().await;
    let client = admin(&env, &http());
    let keys = client.list().await.unwrap();
    let id = named(&keys, "jane-laptop").id.clone();
    let bare = id.rsplit('/').next().unwrap().to_string();
    env.emu
        .shared
        .store()
        .openai
        .api_keys
        .iter_mut()
        .find(|k| k.id == bare)
        .unwrap()
        .issued
        .expires_at = Some(1);
    let err = client
        .update(
            &id,
            &KeyUpdate {
                permissions: Some(read_only()),
                ..KeyUpdate::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Vendor, "{err}");
    assert!(err.to_string().contains("expired"), "{err}");
    // A key that is not there is named.
    let err = client
        .update(
            &format!("{}/key_nope", sandbox(&env)),
            &KeyUpdate {
                permissions: Some(read_only()),
                ..KeyUpdate::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::NotFound, "{err}");
    assert!(err.to_string().contains("key_nope"), "{err}");
}

#[tokio::test]
async fn admin_keys_are_created_with_expiry_used_and_deleted() {
    let env = support::start().await;
    let client = admin(&env, &http());
    let options = client.create_options().await.unwrap();
    assert!(options
        .owners
        .iter()
        .any(|o| o.kind == OwnerKind::Other && o.id == "admin"));
    let expires = Utc::now() + chrono::Duration::days(90);
    let created = client
        .create(&NewKey {
            owner: Some(admin_owner()),
            expires_at: Some(expires),
            ..new_key("rotation-bot")
        })
        .await
        .unwrap();
    assert!(created.secret.expose().starts_with("sk-admin-"));
    let record = &created.record;
    assert!(record.id.starts_with("admin/key_"), "{}", record.id);
    assert_eq!(record.kind_label.as_deref(), Some("Admin key"));
    let at = record.expires_at.unwrap().timestamp();
    assert!((expires.timestamp() - 5..=expires.timestamp() + 5).contains(&at));

    // The new key administers at once, and is listed and retrieved as an admin key.
    let account = support::account(VendorId::Openai, settings(&env));
    let second = support::connect(&account, created.secret.expose(), &http());
    second.verify().await.unwrap();
    let listed = client.list().await.unwrap();
    assert_eq!(
        named(&listed, "rotation-bot").kind_label.as_deref(),
        Some("Admin key")
    );
    let got = client.get(&record.id).await.unwrap();
    assert!(got.last_used_at.is_some());
    let err = client
        .update(
            &record.id,
            &KeyUpdate {
                expires_at: Some(expires),
                ..KeyUpdate::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Unsupported, "{err}");

    let outcome = client.delete(&record.id).await.unwrap();
    assert!(outcome.owner_without_keys.is_none());
    assert_eq!(
        second.verify().await.unwrap_err().code(),
        Code::Unauthorized
    );
    let err = client.get(&record.id).await.unwrap_err();
    assert_eq!(err.code(), Code::NotFound, "{err}");
    assert!(!client
        .list()
        .await
        .unwrap()
        .iter()
        .any(|k| k.name.as_deref() == Some("rotation-bot")));
    // An admin key belongs to no project: an account without a default project makes one.
    let no_project = support::connect(
        &support::account(
            VendorId::Openai,
            AccountSettings {
                project_id: None,
                ..settings(&env)
            },
        ),
        &env.m("openai", "admin_key"),
        &http(),
    );
    let other = no_project
        .create(&NewKey {
            owner: Some(admin_owner()),
            ..new_key("projectless")
        })
        .await
        .unwrap();
    assert!(other.record.id.starts_with("admin/"), "{}", other.record.id);
    no_project.delete(&other.record.id).await.unwrap();
    // Another user's key cannot be made here.
    let err = client
        .create(&NewKey {
            owner: Some(OwnerRef {
                kind: OwnerKind::User,
                id: "user_1".into(),
            }),
            ..new_key("u")
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Validation, "{err}");
}
