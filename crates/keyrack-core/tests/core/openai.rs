//! The OpenAI client against the emulator: projects, paging, service-account keys, deletes that
//! leave a service account without keys, and every documented error and transport fault.

use std::time::Duration;

use crate::support::{self, fast_http, status_fault, Env};
use chrono::Utc;
use keyrack_core::http::Http;
use keyrack_core::vendor::Vendor;
use keyrack_core::vendors::openai::OpenaiExtra;
use keyrack_core::{
    AccountSettings, Code, KeyRecord, KeyStatus, NewKey, OwnerKind, OwnerRef, VendorExtra, VendorId,
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
    assert_eq!(keys.len(), 6, "{keys:#?}");
    let project = sandbox(&env);
    let laptop = named(&keys, "jane-laptop");
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
    assert_eq!(keys.len(), 236);
    let mut ids: Vec<&str> = keys.iter().map(|k| k.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 236, "no key listed twice");
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
    let err = client
        .update("x/y", &keyrack_core::KeyUpdate::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Unsupported);
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
    env.fault(json!({"kind": "latency", "vendor": "openai", "ms": 2000, "count": 3}))
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
    assert_eq!(keys.len(), 1, "only the default project's key: {keys:#?}");
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
