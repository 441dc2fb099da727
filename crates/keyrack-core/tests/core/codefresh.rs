//! The Codefresh client against the emulator: every operation, the documented errors, retries,
//! timeouts and lost creates.

use std::time::Duration;

use crate::support::{self, status_fault, Env};
use keyrack_core::http::Http;
use keyrack_core::vendor::Vendor;
use keyrack_core::vendors::codefresh::CodefreshExtra;
use keyrack_core::{
    AccountSettings, Code, Error, KeyUpdate, NewKey, OwnerKind, OwnerRef, VendorExtra, VendorId,
};
use serde_json::json;

const CREATE_PATH: &str = "/api/auth/key";

fn settings(env: &Env) -> AccountSettings {
    AccountSettings {
        base_url: Some(env.m("codefresh", "base_url")),
        account_id: Some(env.m("codefresh", "account_id")),
        ..Default::default()
    }
}

fn client_with(settings: AccountSettings, secret: &str, http: &Http) -> std::sync::Arc<dyn Vendor> {
    support::connect(
        &support::account(VendorId::Codefresh, settings),
        secret,
        http,
    )
}

fn client(env: &Env) -> std::sync::Arc<dyn Vendor> {
    let http = support::fast_http(Duration::from_secs(5));
    client_with(settings(env), &env.m("codefresh", "api_key"), &http)
}

fn spec(name: &str, scopes: &[&str]) -> NewKey {
    NewKey {
        name: Some(name.into()),
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

async fn creates(env: &Env) -> usize {
    env.requests("codefresh")
        .await
        .iter()
        .filter(|(m, p, _)| m == "POST" && p == CREATE_PATH)
        .count()
}

#[tokio::test]
async fn verify_names_the_user_and_account() {
    let env = support::start().await;
    let id = client(&env).verify().await.unwrap();
    assert_eq!(
        id.display,
        "keyrack-admin (admin@keyrack.example) in account keyrack-sandbox"
    );
    assert!(id.warnings.is_empty(), "{:?}", id.warnings);

    // An account id the user does not belong to is worth a warning, not a failure.
    let mut s = settings(&env);
    s.account_id = Some("000000000000000000000000".into());
    let http = support::fast_http(Duration::from_secs(5));
    let other = client_with(s, &env.m("codefresh", "api_key"), &http);
    let id = other.verify().await.unwrap();
    assert_eq!(id.warnings.len(), 1, "{:?}", id.warnings);
}

#[tokio::test]
async fn the_host_without_api_works_too() {
    let env = support::start().await;
    let http = support::fast_http(Duration::from_secs(5));
    let s = AccountSettings {
        base_url: Some(env.base().to_string()),
        ..Default::default()
    };
    let c = client_with(s, &env.m("codefresh", "api_key"), &http);
    assert_eq!(c.list().await.unwrap().len(), 6);
}

#[tokio::test]
async fn list_maps_the_seeded_keys() {
    let env = support::start().await;
    let keys = client(&env).list().await.unwrap();
    assert_eq!(keys.len(), 6, "the service user's key is not the caller's");
    let admin_token = env.m("codefresh", "api_key");
    let admin = keys
        .iter()
        .find(|k| k.name.as_deref() == Some("keyrack-sandbox-admin"))
        .unwrap();
    assert!(admin_token.starts_with(&format!("{}.", admin.id)));
    assert_eq!(admin.scopes.len(), 18);
    let prefix = match &admin.extra {
        VendorExtra::Codefresh(CodefreshExtra {
            token_prefix: Some(p),
            ..
        }) => p.clone(),
        other => panic!("{other:?}"),
    };
    assert!(admin_token.starts_with(&prefix));
    assert_eq!(
        admin.secret_hint.as_deref(),
        Some(format!("{prefix}…").as_str())
    );
    let owner = admin.owner.clone().unwrap();
    assert_eq!(
        (owner.kind, owner.id),
        (OwnerKind::User, env.m("codefresh", "user_id"))
    );
    assert!(admin.created_at.is_some());

    let legacy = keys
        .iter()
        .find(|k| k.name.as_deref() == Some("legacy-full-access"))
        .unwrap();
    assert_eq!(legacy.scopes, vec!["any".to_string()]);
    let runner = keys
        .iter()
        .find(|k| k.name.as_deref() == Some("prod-runner"))
        .unwrap();
    let owner = runner.owner.clone().unwrap();
    assert_eq!(owner.kind, OwnerKind::Other);
    assert_eq!(owner.id, "prod-cluster/codefresh");
    assert_eq!(owner.name.as_deref(), Some("runtime-environment"));
}

#[tokio::test]
async fn create_returns_the_token_once_and_it_works() {
    let env = support::start().await;
    let c = client(&env);
    let created = c
        .create(&spec("desktop-app", &["pipeline", "build"]))
        .await
        .unwrap();
    let token = created.secret.expose().clone();
    assert!(token.starts_with(&format!("{}.", created.record.id)));
    assert!(!format!("{created:?}").contains(&token));
    assert_eq!(created.record.name.as_deref(), Some("desktop-app"));
    assert_eq!(created.record.scopes, vec!["pipeline", "build"]);
    assert!(
        created.record.secret_hint.is_some(),
        "read back from Codefresh"
    );

    let got = c.get(&created.record.id).await.unwrap();
    assert_eq!(got, created.record);

    let http = support::fast_http(Duration::from_secs(5));
    let as_new = client_with(settings(&env), &token, &http);
    assert!(as_new.verify().await.is_ok());
    assert!(as_new
        .list()
        .await
        .unwrap()
        .iter()
        .any(|k| k.id == created.record.id));
}

#[tokio::test]
async fn invalid_creates_are_refused_before_sending() {
    let env = support::start().await;
    let c = client(&env);
    let field = |e: Error| match e {
        Error::Validation { field, .. } => field,
        other => panic!("expected a validation error, got {other:?}"),
    };
    let cases = [
        (spec("", &["pipeline"]), "name"),
        (spec(&"n".repeat(257), &["pipeline"]), "name"),
        (spec("tab\there", &["pipeline"]), "name"),
        (spec("x", &["pipeline", "launch-missiles"]), "scopes"),
        (spec("x", &[]), "scopes"),
        (
            NewKey {
                description: Some("d".into()),
                ..spec("x", &["view"])
            },
            "description",
        ),
        (
            NewKey {
                expires_at: Some(chrono::Utc::now() + chrono::Duration::days(1)),
                ..spec("x", &["view"])
            },
            "expires_at",
        ),
        (
            NewKey {
                owner: Some(OwnerRef {
                    kind: OwnerKind::User,
                    id: "x".into(),
                }),
                ..spec("x", &["view"])
            },
            "owner",
        ),
    ];
    for (bad, expected) in cases {
        assert_eq!(field(c.create(&bad).await.unwrap_err()), expected);
    }
    let no_name = NewKey {
        name: None,
        ..spec("x", &["view"])
    };
    assert_eq!(field(c.create(&no_name).await.unwrap_err()), "name");
    assert_eq!(creates(&env).await, 0, "nothing was sent");
}

#[tokio::test]
async fn update_renames_and_replaces_scopes() {
    let env = support::start().await;
    let c = client(&env);
    let created = c.create(&spec("before", &["pipeline"])).await.unwrap();
    let updated = c
        .update(
            &created.record.id,
            &KeyUpdate {
                name: Some("after".into()),
                scopes: Some(vec!["view".into(), "audit".into()]),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.name.as_deref(), Some("after"));
    assert_eq!(updated.scopes, vec!["view", "audit"]);
    let listed = c.list().await.unwrap();
    let again = listed.iter().find(|k| k.id == created.record.id).unwrap();
    assert_eq!(again.scopes, vec!["view", "audit"]);

    // The token is unchanged by an update.
    let http = support::fast_http(Duration::from_secs(5));
    let as_new = client_with(settings(&env), created.secret.expose(), &http);
    assert!(as_new.verify().await.is_ok());

    for bad in [
        KeyUpdate {
            scopes: Some(vec![]),
            ..Default::default()
        },
        KeyUpdate {
            scopes: Some(vec!["nope".into()]),
            ..Default::default()
        },
        KeyUpdate {
            name: Some(" ".into()),
            ..Default::default()
        },
        KeyUpdate {
            description: Some("d".into()),
            ..Default::default()
        },
    ] {
        let e = c.update(&created.record.id, &bad).await.unwrap_err();
        assert_eq!(e.code(), Code::Validation, "{bad:?}");
    }
}

#[tokio::test]
async fn delete_revokes_the_token() {
    let env = support::start().await;
    let c = client(&env);
    let created = c.create(&spec("short-lived", &["view"])).await.unwrap();
    c.delete(&created.record.id).await.unwrap();
    let e = c.get(&created.record.id).await.unwrap_err();
    assert_eq!(e.code(), Code::NotFound);
    assert_eq!(
        e.vendor_detail().unwrap().message.as_deref(),
        Some("Token not found")
    );
    assert_eq!(
        c.delete(&created.record.id).await.unwrap_err().code(),
        Code::NotFound
    );
    assert_eq!(
        c.delete("../user").await.unwrap_err().code(),
        Code::Validation
    );
    let http = support::fast_http(Duration::from_secs(5));
    let revoked = client_with(settings(&env), created.secret.expose(), &http);
    assert_eq!(
        revoked.verify().await.unwrap_err().code(),
        Code::Unauthorized
    );
}

#[tokio::test]
async fn a_wrong_key_is_unauthorized() {
    let env = support::start().await;
    let http = support::fast_http(Duration::from_secs(5));
    let admin = env.m("codefresh", "api_key");
    let (id, _) = admin.split_once('.').unwrap();
    let c = client_with(settings(&env), &format!("{id}.wrongsecret"), &http);
    let e = c.list().await.unwrap_err();
    assert_eq!(e.code(), Code::Unauthorized);
    assert!(e.to_string().contains("check it in Accounts"), "{e}");
    assert_eq!(
        e.vendor_detail().unwrap().code.as_deref(),
        Some("UNAUTHORIZED_ERROR")
    );
    assert_eq!(c.verify().await.unwrap_err().code(), Code::Unauthorized);
}

#[tokio::test]
async fn reads_are_retried_after_429_and_503() {
    let env = support::start().await;
    let c = client(&env);
    env.fault(
        json!({"kind": "status", "vendor": "codefresh", "method": "GET",
        "path_prefix": "/api/auth/keys", "status": 429, "retry_after": 1, "count": 1}),
    )
    .await;
    let started = std::time::Instant::now();
    assert_eq!(c.list().await.unwrap().len(), 6);
    assert!(started.elapsed() >= Duration::from_millis(900));
    env.fault(status_fault("codefresh", "GET", "/api/auth/keys", 503, 2))
        .await;
    assert_eq!(c.list().await.unwrap().len(), 6);
    let faulted = env
        .requests("codefresh")
        .await
        .into_iter()
        .filter(|r| matches!(r.2, Some(429 | 503)))
        .count();
    assert_eq!(faulted, 3);
}

#[tokio::test]
async fn a_failing_create_is_not_repeated() {
    let env = support::start().await;
    env.fault(status_fault("codefresh", "POST", CREATE_PATH, 503, 1))
        .await;
    let e = client(&env)
        .create(&spec("once", &["view"]))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::Vendor);
    assert_eq!(creates(&env).await, 1);
}

#[tokio::test]
async fn slow_answers_time_out() {
    let env = support::start().await;
    let http = support::fast_http(Duration::from_millis(300));
    let c = client_with(settings(&env), &env.m("codefresh", "api_key"), &http);
    env.fault(json!({"kind": "latency", "vendor": "codefresh", "ms": 1500}))
        .await;
    assert_eq!(c.list().await.unwrap_err().code(), Code::Timeout);
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    let env = support::start().await;
    env.fault(json!({"kind": "malformed", "vendor": "codefresh", "method": "GET"}))
        .await;
    let e = client(&env).list().await.unwrap_err();
    assert_eq!(e.code(), Code::Decode);
}

/// A truncated plain-text token still looks like a token; the client notices that it does not
/// authenticate and reports the key as created with its secret lost.
#[tokio::test]
async fn a_truncated_token_is_a_lost_create() {
    let env = support::start().await;
    let c = client(&env);
    env.fault(
        json!({"kind": "malformed", "vendor": "codefresh", "method": "POST",
        "path_prefix": CREATE_PATH, "count": 1}),
    )
    .await;
    let e = c
        .create(&spec("lost in transit", &["view"]))
        .await
        .unwrap_err();
    let Error::CreateLost {
        recovered: Some(record),
        ..
    } = &e
    else {
        panic!("expected a recovered lost create, got {e:?}");
    };
    assert_eq!(record.name.as_deref(), Some("lost in transit"));
    assert!(c.get(&record.id).await.is_ok());
    let checked = env.requests("codefresh").await;
    assert!(
        checked.contains(&("GET".into(), "/api/user".into(), Some(401))),
        "the damaged token was tried: {checked:?}"
    );
}

#[tokio::test]
async fn a_dropped_create_says_nothing_was_created() {
    let env = support::start().await;
    let c = client(&env);
    env.fault(json!({"kind": "reset", "vendor": "codefresh", "method": "POST", "count": 1}))
        .await;
    let e = c.create(&spec("never made", &["view"])).await.unwrap_err();
    assert_eq!(e.code(), Code::Network, "{e}");
    assert!(e.to_string().contains("no key was created"), "{e}");
    assert_eq!(c.list().await.unwrap().len(), 6);
}

#[tokio::test]
async fn a_conflicting_change_is_a_conflict() {
    let env = support::start().await;
    let c = client(&env);
    let created = c.create(&spec("busy", &["view"])).await.unwrap();
    env.fault(status_fault("codefresh", "PATCH", CREATE_PATH, 409, 1))
        .await;
    let change = KeyUpdate {
        name: Some("later".into()),
        ..Default::default()
    };
    let e = c.update(&created.record.id, &change).await.unwrap_err();
    assert_eq!(e.code(), Code::Conflict);
    assert_eq!(
        e.vendor_detail().unwrap().code.as_deref(),
        Some("CONFLICT_ERROR")
    );
}
