//! The Scaleway client against the emulator: every operation, the documented errors, paging,
//! retries, timeouts and lost creates.

use std::time::Duration;

use crate::support::{self, status_fault, Env};
use chrono::{Duration as Days, Timelike, Utc};
use keyrack_core::http::Http;
use keyrack_core::vendor::Vendor;
use keyrack_core::vendors::scaleway::ScalewayExtra;
use keyrack_core::{
    AccountSettings, Code, Error, KeyStatus, KeyUpdate, NewKey, OwnerKind, OwnerRef, VendorExtra,
    VendorId,
};
use serde_json::json;

const KEYS_PATH: &str = "/iam/v1alpha1/api-keys";

fn settings(env: &Env) -> AccountSettings {
    AccountSettings {
        base_url: Some(env.m("scaleway", "base_url")),
        organization_id: Some(env.m("scaleway", "organization_id")),
        access_key: Some(env.m("scaleway", "access_key")),
        ..Default::default()
    }
}

fn client_with(settings: AccountSettings, secret: &str, http: &Http) -> std::sync::Arc<dyn Vendor> {
    support::connect(
        &support::account(VendorId::Scaleway, settings),
        secret,
        http,
    )
}

fn client(env: &Env) -> std::sync::Arc<dyn Vendor> {
    let http = support::fast_http(Duration::from_secs(5));
    client_with(settings(env), &env.m("scaleway", "secret_key"), &http)
}

fn for_app(env: &Env, description: &str) -> NewKey {
    NewKey {
        description: Some(description.into()),
        owner: Some(OwnerRef {
            kind: OwnerKind::Application,
            id: env.m("scaleway", "application_id"),
        }),
        ..Default::default()
    }
}

async fn posts(env: &Env) -> usize {
    env.requests("scaleway")
        .await
        .iter()
        .filter(|(m, p, _)| m == "POST" && p == KEYS_PATH)
        .count()
}

#[tokio::test]
async fn verify_names_the_bearer_and_organization() {
    let env = support::start().await;
    let id = client(&env).verify().await.unwrap();
    assert!(
        id.display.contains("admin@keyrack.example"),
        "{}",
        id.display
    );
    assert!(
        id.display.contains(&env.m("scaleway", "organization_id")),
        "{}",
        id.display
    );
    assert!(
        id.display.contains(&env.m("scaleway", "access_key")),
        "{}",
        id.display
    );
    assert!(id.warnings.is_empty(), "{:?}", id.warnings);

    // Without settings beyond the secret, the organization is learnt from the key's bearer.
    let bare = AccountSettings {
        base_url: Some(env.m("scaleway", "base_url")),
        access_key: Some(env.m("scaleway", "access_key")),
        ..Default::default()
    };
    let http = support::fast_http(Duration::from_secs(5));
    let c = client_with(bare, &env.m("scaleway", "secret_key"), &http);
    let options = c.create_options().await.unwrap();
    assert_eq!(options.projects.len(), 2);
}

#[tokio::test]
async fn list_maps_the_seeded_keys() {
    let env = support::start().await;
    let keys = client(&env).list().await.unwrap();
    assert_eq!(keys.len(), 7);
    let admin = keys
        .iter()
        .find(|k| k.id == env.m("scaleway", "access_key"))
        .unwrap();
    assert_eq!(admin.name, None);
    assert_eq!(admin.display_name(), "Keyrack sandbox admin");
    assert_eq!(admin.owner.as_ref().unwrap().kind, OwnerKind::User);
    assert_eq!(admin.account, "scaleway-test");

    let expired = keys
        .iter()
        .find(|k| k.display_name() == "old-import-script")
        .unwrap();
    assert_eq!(expired.status, KeyStatus::Expired);
    let managed = keys
        .iter()
        .find(|k| k.display_name().starts_with("Managed"))
        .unwrap();
    assert!(matches!(
        managed.extra,
        VendorExtra::Scaleway(ScalewayExtra {
            managed: Some(true),
            editable: Some(false),
            ..
        })
    ));
    let ci = keys
        .iter()
        .find(|k| k.display_name() == "ci-deploy")
        .unwrap();
    assert_eq!(ci.owner.as_ref().unwrap().kind, OwnerKind::Application);
}

#[tokio::test]
async fn list_follows_every_page() {
    let opts = keyrack_emulator::EmulatorOptions {
        seed: keyrack_emulator::SeedOptions {
            empty: false,
            extra_keys: 250,
        },
        ..Default::default()
    };
    let emu = keyrack_emulator::start(opts).await.unwrap();
    let env = Env::from(emu);
    let keys = client(&env).list().await.unwrap();
    assert_eq!(keys.len(), 257);
    let mut ids: Vec<_> = keys.iter().map(|k| k.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 257, "no key twice");
    let pages = env
        .requests("scaleway")
        .await
        .iter()
        .filter(|(m, p, _)| m == "GET" && p == KEYS_PATH)
        .count();
    assert_eq!(pages, 3);
}

#[tokio::test]
async fn create_options_offer_users_applications_and_projects() {
    let env = support::start().await;
    let options = client(&env).create_options().await.unwrap();
    let users: Vec<_> = options
        .owners
        .iter()
        .filter(|o| o.kind == OwnerKind::User)
        .collect();
    let apps: Vec<_> = options
        .owners
        .iter()
        .filter(|o| o.kind == OwnerKind::Application)
        .collect();
    assert_eq!(users.len(), 2);
    assert_eq!(apps.len(), 2);
    assert!(users.iter().any(|u| u.id == env.m("scaleway", "user_id")
        && u.name.as_deref() == Some("admin@keyrack.example")));
    assert!(apps.iter().any(|a| a.name.as_deref() == Some("ci-runner")));
    assert_eq!(options.projects.len(), 2);
    assert!(options
        .projects
        .iter()
        .any(|p| p.id == env.m("scaleway", "project_id")));
}

#[tokio::test]
async fn create_for_an_application_returns_a_working_secret_once() {
    let env = support::start().await;
    let c = client(&env);
    let staging = c
        .create_options()
        .await
        .unwrap()
        .projects
        .into_iter()
        .find(|p| p.name == "staging")
        .unwrap();
    let expires = Utc::now() + Days::days(30);
    let spec = NewKey {
        expires_at: Some(expires),
        project_id: Some(staging.id.clone()),
        ..for_app(&env, "deploy bot")
    };
    let created = c.create(&spec).await.unwrap();
    assert!(created.record.id.starts_with("SCW") && created.record.id.len() == 20);
    assert!(uuid::Uuid::parse_str(created.secret.expose()).is_ok());
    assert!(!format!("{created:?}").contains(created.secret.expose().as_str()));
    assert_eq!(created.record.description.as_deref(), Some("deploy bot"));
    let got_expiry = created.record.expires_at.unwrap();
    assert!(
        (got_expiry - expires).num_seconds().abs() <= 1,
        "{got_expiry} vs {expires}"
    );
    assert!(matches!(&created.record.extra,
        VendorExtra::Scaleway(ScalewayExtra { default_project_id: Some(p), .. }) if *p == staging.id));

    let fetched = c.get(&created.record.id).await.unwrap();
    assert_eq!(fetched.owner, created.record.owner);
    assert_eq!(fetched.description, created.record.description);

    // The new secret authenticates on its own.
    let http = support::fast_http(Duration::from_secs(5));
    let as_new = client_with(settings(&env), created.secret.expose(), &http);
    assert!(as_new
        .list()
        .await
        .unwrap()
        .iter()
        .any(|k| k.id == created.record.id));
}

#[tokio::test]
async fn create_for_a_user_with_the_account_default_project() {
    let env = support::start().await;
    let mut s = settings(&env);
    s.project_id = Some(env.m("scaleway", "project_id"));
    let http = support::fast_http(Duration::from_secs(5));
    let c = client_with(s, &env.m("scaleway", "secret_key"), &http);
    let spec = NewKey {
        description: None,
        owner: Some(OwnerRef {
            kind: OwnerKind::User,
            id: env.m("scaleway", "user_id"),
        }),
        ..Default::default()
    };
    let created = c.create(&spec).await.unwrap();
    let owner = created.record.owner.clone().unwrap();
    assert_eq!(
        (owner.kind, owner.id),
        (OwnerKind::User, env.m("scaleway", "user_id"))
    );
    assert_eq!(created.record.description, None);
    assert_eq!(created.record.display_name(), created.record.id);
}

#[tokio::test]
async fn invalid_creates_are_refused_before_sending() {
    let env = support::start().await;
    let c = client(&env);
    let field = |e: Error| match e {
        Error::Validation { field, .. } => field,
        other => panic!("expected a validation error, got {other:?}"),
    };
    let named = NewKey {
        name: Some("x".into()),
        ..for_app(&env, "d")
    };
    assert_eq!(field(c.create(&named).await.unwrap_err()), "name");
    let long = for_app(&env, &"d".repeat(201));
    assert_eq!(field(c.create(&long).await.unwrap_err()), "description");
    let past = NewKey {
        expires_at: Some(Utc::now() - Days::days(1)),
        ..for_app(&env, "d")
    };
    assert_eq!(field(c.create(&past).await.unwrap_err()), "expires_at");
    let no_owner = NewKey {
        owner: None,
        ..for_app(&env, "d")
    };
    assert_eq!(field(c.create(&no_owner).await.unwrap_err()), "owner");
    let service_id = NewKey {
        owner: Some(OwnerRef {
            kind: OwnerKind::ServiceId,
            id: env.m("scaleway", "user_id"),
        }),
        ..for_app(&env, "d")
    };
    assert_eq!(field(c.create(&service_id).await.unwrap_err()), "owner");
    let not_uuid = NewKey {
        owner: Some(OwnerRef {
            kind: OwnerKind::Application,
            id: "ci-runner".into(),
        }),
        ..for_app(&env, "d")
    };
    assert_eq!(field(c.create(&not_uuid).await.unwrap_err()), "owner");
    let locked = NewKey {
        locked: true,
        ..for_app(&env, "d")
    };
    assert_eq!(field(c.create(&locked).await.unwrap_err()), "locked");
    assert_eq!(posts(&env).await, 0, "nothing was sent");
}

#[tokio::test]
async fn create_for_an_unknown_application_is_not_found() {
    let env = support::start().await;
    let spec = NewKey {
        owner: Some(OwnerRef {
            kind: OwnerKind::Application,
            id: uuid::Uuid::new_v4().to_string(),
        }),
        ..for_app(&env, "d")
    };
    let e = client(&env).create(&spec).await.unwrap_err();
    assert_eq!(e.code(), Code::NotFound);
    assert!(e.to_string().contains("application"), "{e}");
}

#[tokio::test]
async fn update_changes_description_and_default_project() {
    let env = support::start().await;
    let c = client(&env);
    let created = c.create(&for_app(&env, "before")).await.unwrap();
    let staging = c
        .create_options()
        .await
        .unwrap()
        .projects
        .into_iter()
        .find(|p| p.name == "staging")
        .unwrap();
    let updated = c
        .update(
            &created.record.id,
            &KeyUpdate {
                description: Some("after".into()),
                project_id: Some(staging.id.clone()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.description.as_deref(), Some("after"));
    assert!(matches!(&updated.extra,
        VendorExtra::Scaleway(ScalewayExtra { default_project_id: Some(p), .. }) if *p == staging.id));
    assert_eq!(
        c.get(&created.record.id)
            .await
            .unwrap()
            .description
            .as_deref(),
        Some("after")
    );

    let rename = KeyUpdate {
        name: Some("n".into()),
        ..Default::default()
    };
    assert_eq!(
        c.update(&created.record.id, &rename)
            .await
            .unwrap_err()
            .code(),
        Code::Validation
    );
    let scopes = KeyUpdate {
        scopes: Some(vec!["x".into()]),
        ..Default::default()
    };
    assert_eq!(
        c.update(&created.record.id, &scopes)
            .await
            .unwrap_err()
            .code(),
        Code::Validation
    );
}

#[tokio::test]
async fn managed_keys_cannot_be_changed_or_deleted() {
    let env = support::start().await;
    let c = client(&env);
    let managed = c
        .list()
        .await
        .unwrap()
        .into_iter()
        .find(|k| k.display_name().starts_with("Managed"))
        .unwrap();
    let change = KeyUpdate {
        description: Some("mine now".into()),
        ..Default::default()
    };
    let e = c.update(&managed.id, &change).await.unwrap_err();
    assert_eq!(e.code(), Code::Forbidden);
    assert!(e.to_string().contains("managed"), "{e}");
    assert_eq!(
        e.vendor_detail().unwrap().code.as_deref(),
        Some("permissions_denied")
    );
    assert_eq!(
        c.delete(&managed.id).await.unwrap_err().code(),
        Code::Forbidden
    );
}

#[tokio::test]
async fn delete_removes_the_key_and_its_secret() {
    let env = support::start().await;
    let c = client(&env);
    let created = c.create(&for_app(&env, "short-lived")).await.unwrap();
    c.delete(&created.record.id).await.unwrap();
    let e = c.get(&created.record.id).await.unwrap_err();
    assert_eq!(e.code(), Code::NotFound);
    assert_eq!(
        e.vendor_detail().unwrap().code.as_deref(),
        Some("not_found")
    );
    assert!(e.vendor_detail().unwrap().request_id.is_some());
    assert_eq!(
        c.delete(&created.record.id).await.unwrap_err().code(),
        Code::NotFound
    );
    assert_eq!(
        c.delete("not-an-access-key").await.unwrap_err().code(),
        Code::Validation
    );

    let http = support::fast_http(Duration::from_secs(5));
    let as_deleted = client_with(settings(&env), created.secret.expose(), &http);
    assert_eq!(
        as_deleted.list().await.unwrap_err().code(),
        Code::Unauthorized
    );
}

#[tokio::test]
async fn a_wrong_secret_is_unauthorized() {
    let env = support::start().await;
    let http = support::fast_http(Duration::from_secs(5));
    let c = client_with(settings(&env), &uuid::Uuid::new_v4().to_string(), &http);
    let e = c.list().await.unwrap_err();
    assert_eq!(e.code(), Code::Unauthorized);
    assert!(e.to_string().contains("check it in Accounts"), "{e}");
    assert_eq!(
        e.vendor_detail().unwrap().code.as_deref(),
        Some("denied_authentication")
    );
    assert_eq!(c.verify().await.unwrap_err().code(), Code::Unauthorized);
}

#[tokio::test]
async fn reads_are_retried_after_429_and_503() {
    let env = support::start().await;
    let c = client(&env);
    env.fault(
        json!({"kind": "status", "vendor": "scaleway", "method": "GET",
        "path_prefix": KEYS_PATH, "status": 429, "retry_after": 1, "count": 1}),
    )
    .await;
    let started = std::time::Instant::now();
    assert_eq!(c.list().await.unwrap().len(), 7);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "Retry-After was honoured"
    );

    env.fault(status_fault("scaleway", "GET", KEYS_PATH, 503, 2))
        .await;
    assert_eq!(c.list().await.unwrap().len(), 7);
    let statuses: Vec<_> = env
        .requests("scaleway")
        .await
        .into_iter()
        .map(|r| r.2)
        .collect();
    assert_eq!(
        statuses
            .iter()
            .filter(|s| matches!(s, Some(429 | 503)))
            .count(),
        3,
        "{statuses:?}"
    );
}

#[tokio::test]
async fn persistent_throttling_surfaces_as_rate_limited() {
    let env = support::start().await;
    env.fault(json!({"kind": "status", "vendor": "scaleway", "status": 429, "retry_after": 2}))
        .await;
    let e = client(&env).list().await.unwrap_err();
    assert_eq!(e.code(), Code::RateLimited);
    assert_eq!(e.to_public().retry_after_secs, Some(2));
}

#[tokio::test]
async fn a_failing_create_is_not_repeated() {
    let env = support::start().await;
    let c = client(&env);
    env.fault(status_fault("scaleway", "POST", KEYS_PATH, 503, 1))
        .await;
    let e = c.create(&for_app(&env, "once")).await.unwrap_err();
    assert_eq!(e.code(), Code::Vendor);
    assert_eq!(e.vendor_detail().unwrap().status, 503);
    assert_eq!(posts(&env).await, 1);
}

#[tokio::test]
async fn slow_answers_time_out() {
    let env = support::start().await;
    let http = support::fast_http(Duration::from_millis(300));
    let c = client_with(settings(&env), &env.m("scaleway", "secret_key"), &http);
    env.fault(json!({"kind": "latency", "vendor": "scaleway", "ms": 1500}))
        .await;
    let e = c.list().await.unwrap_err();
    assert_eq!(e.code(), Code::Timeout, "{e}");
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    let env = support::start().await;
    env.fault(json!({"kind": "malformed", "vendor": "scaleway", "method": "GET"}))
        .await;
    let e = client(&env).list().await.unwrap_err();
    assert_eq!(e.code(), Code::Decode);
    assert!(matches!(e, Error::Decode { raw: Some(_), .. }));
}

#[tokio::test]
async fn a_lost_create_answer_recovers_the_key() {
    let env = support::start().await;
    let c = client(&env);
    env.fault(json!({"kind": "malformed", "vendor": "scaleway", "method": "POST", "count": 1}))
        .await;
    let e = c
        .create(&for_app(&env, "lost in transit"))
        .await
        .unwrap_err();
    let Error::CreateLost {
        recovered: Some(record),
        message,
    } = &e
    else {
        panic!("expected a recovered lost create, got {e:?}");
    };
    assert!(message.contains("delete it"), "{message}");
    assert_eq!(record.description.as_deref(), Some("lost in transit"));
    assert!(c.get(&record.id).await.is_ok());
    assert_eq!(e.to_public().recovered.unwrap().id, record.id);
}

#[tokio::test]
async fn a_dropped_create_says_nothing_was_created() {
    let env = support::start().await;
    let c = client(&env);
    let before = c.list().await.unwrap().len();
    env.fault(json!({"kind": "reset", "vendor": "scaleway", "method": "POST", "count": 1}))
        .await;
    let e = c.create(&for_app(&env, "never made")).await.unwrap_err();
    assert_eq!(e.code(), Code::Network, "{e}");
    assert!(e.to_string().contains("no key was created"), "{e}");
    assert_eq!(c.list().await.unwrap().len(), before);
}

#[tokio::test]
async fn a_refused_state_change_is_a_conflict() {
    let env = support::start().await;
    let c = client(&env);
    let created = c.create(&for_app(&env, "busy")).await.unwrap();
    env.fault(status_fault("scaleway", "PATCH", KEYS_PATH, 409, 1))
        .await;
    let change = KeyUpdate {
        description: Some("later".into()),
        ..Default::default()
    };
    let e = c.update(&created.record.id, &change).await.unwrap_err();
    assert_eq!(e.code(), Code::Conflict);
    assert_eq!(e.vendor_detail().unwrap().code.as_deref(), Some("conflict"));
}

#[tokio::test]
async fn the_expiry_date_can_be_moved_but_not_removed() {
    let env = support::start().await;
    let c = client(&env);
    let created = c.create(&for_app(&env, "expiring")).await.unwrap();
    assert_eq!(created.record.expires_at, None);
    let later = (Utc::now() + Days::days(30)).with_nanosecond(0).unwrap();
    let updated = c
        .update(
            &created.record.id,
            &KeyUpdate {
                expires_at: Some(later),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.expires_at, Some(later));
    assert_eq!(
        c.get(&created.record.id).await.unwrap().expires_at,
        Some(later)
    );
    let sent = env.requests("scaleway").await;
    assert!(sent
        .iter()
        .any(|(m, p, _)| m == "PATCH" && p.starts_with(KEYS_PATH)));

    // Scaleway has no way to remove it: refused before anything is sent.
    let patches =
        |r: &[(String, String, Option<u16>)]| r.iter().filter(|(m, _, _)| m == "PATCH").count();
    let before = patches(&env.requests("scaleway").await);
    let e = c
        .update(
            &created.record.id,
            &KeyUpdate {
                clear_expiry: true,
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::Validation, "{e}");
    assert!(e.to_string().contains("not removed"), "{e}");
    assert_eq!(patches(&env.requests("scaleway").await), before);

    // A date in the past is refused too, by Keyrack before Scaleway would.
    let past = KeyUpdate {
        expires_at: Some(Utc::now() - Days::days(1)),
        ..Default::default()
    };
    assert_eq!(
        c.update(&created.record.id, &past)
            .await
            .unwrap_err()
            .code(),
        Code::Validation
    );
}

#[tokio::test]
async fn an_owner_of_unsaid_kind_is_looked_up_as_a_user_then_an_application() {
    let env = support::start().await;
    let c = client(&env);
    let unsaid = |id: String| NewKey {
        owner: Some(OwnerRef {
            kind: OwnerKind::Other,
            id,
        }),
        ..Default::default()
    };
    let for_user = c
        .create(&unsaid(env.m("scaleway", "user_id")))
        .await
        .unwrap();
    assert_eq!(for_user.record.owner.unwrap().kind, OwnerKind::User);
    let for_app = c
        .create(&unsaid(env.m("scaleway", "application_id")))
        .await
        .unwrap();
    assert_eq!(for_app.record.owner.unwrap().kind, OwnerKind::Application);

    // Neither: a validation error naming the owner, and nothing created.
    let before = posts(&env).await;
    let e = c
        .create(&unsaid("11111111-2222-4333-8444-555555555555".into()))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::Validation, "{e}");
    assert!(e.to_string().contains("no user or application"), "{e}");
    assert_eq!(posts(&env).await, before);
}
