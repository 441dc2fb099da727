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
/// The seeded admin's own keys, and its account's service users' (ci-bot 1, release-bot 2).
const OWN: usize = 6;
const SERVICE_USERS_KEYS: usize = 3;

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
    assert_eq!(c.list().await.unwrap().len(), OWN + SERVICE_USERS_KEYS);
}

#[tokio::test]
async fn list_maps_the_seeded_keys() {
    let env = support::start().await;
    let keys = client(&env).list().await.unwrap();
    assert_eq!(keys.len(), OWN + SERVICE_USERS_KEYS);
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
    assert_eq!(c.list().await.unwrap().len(), OWN + SERVICE_USERS_KEYS);
    assert!(started.elapsed() >= Duration::from_millis(900));
    env.fault(status_fault("codefresh", "GET", "/api/auth/keys", 503, 2))
        .await;
    assert_eq!(c.list().await.unwrap().len(), OWN + SERVICE_USERS_KEYS);
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
    assert_eq!(c.list().await.unwrap().len(), OWN + SERVICE_USERS_KEYS);
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

fn service_user_keys(keys: &[keyrack_core::KeyRecord]) -> Vec<&keyrack_core::KeyRecord> {
    keys.iter()
        .filter(|k| k.owner.as_ref().map(|o| o.kind) == Some(OwnerKind::ServiceAccount))
        .collect()
}

fn owner_spec(name: &str, scopes: &[&str], kind: OwnerKind, owner: &str) -> NewKey {
    NewKey {
        owner: Some(OwnerRef {
            kind,
            id: owner.into(),
        }),
        ..spec(name, scopes)
    }
}

#[tokio::test]
async fn service_users_keys_are_listed_beside_the_users_own() {
    let env = support::start().await;
    let c = client(&env);
    let keys = c.list().await.unwrap();
    assert!(c.notices().is_empty(), "{:?}", c.notices());
    let theirs = service_user_keys(&keys);
    let mut named: Vec<(String, String)> = theirs
        .iter()
        .map(|k| {
            let o = k.owner.clone().unwrap();
            (o.name.unwrap(), k.name.clone().unwrap())
        })
        .collect();
    named.sort();
    assert_eq!(
        named,
        [
            ("ci-bot".to_string(), "ci-bot-deploy".to_string()),
            ("release-bot".into(), "release-audit".into()),
            ("release-bot".into(), "release-publish".into()),
        ]
    );
    // Its id names the service user and the key; the token prefix is the key's own.
    let key = theirs[0];
    let owner = key.owner.clone().unwrap();
    let (su, kid) = key.id.split_once('/').unwrap();
    assert_eq!(su, owner.id);
    assert!(!key.scopes.is_empty());
    match &key.extra {
        VendorExtra::Codefresh(CodefreshExtra {
            token_prefix: Some(p),
            ..
        }) => assert!(kid.starts_with(p.as_str())),
        other => panic!("{other:?}"),
    }
    assert_eq!(&c.get(&key.id).await.unwrap(), key);
    // A bare key id finds the service user's key too.
    assert_eq!(c.get(kid).await.unwrap().id, key.id);

    // The create form offers the user itself and both service users.
    let owners = c.create_options().await.unwrap().owners;
    let kinds: Vec<(OwnerKind, Option<String>)> =
        owners.iter().map(|o| (o.kind, o.name.clone())).collect();
    assert_eq!(
        kinds,
        [
            (
                OwnerKind::User,
                Some("keyrack-admin (this API key's user)".into())
            ),
            (OwnerKind::ServiceAccount, Some("ci-bot".into())),
            (OwnerKind::ServiceAccount, Some("release-bot".into())),
        ]
    );
    assert_eq!(owners[0].id, env.m("codefresh", "user_id"));
    let caps = c.capabilities();
    assert_eq!(
        caps.owner.unwrap().kinds,
        [OwnerKind::User, OwnerKind::ServiceAccount]
    );
}

#[tokio::test]
async fn a_service_users_key_is_created_updated_and_deleted_under_it() {
    let env = support::start().await;
    let c = client(&env);
    // By name, as the owner list shows it.
    let created = c
        .create(&owner_spec(
            "deploy",
            &["pipeline"],
            OwnerKind::ServiceAccount,
            "ci-bot",
        ))
        .await
        .unwrap();
    let owner = created.record.owner.clone().unwrap();
    assert_eq!(owner.kind, OwnerKind::ServiceAccount);
    assert_eq!(owner.name.as_deref(), Some("ci-bot"));
    let (su, kid) = created.record.id.split_once('/').unwrap();
    assert_eq!(su, owner.id);
    let token = created.secret.expose().clone();
    assert!(token.starts_with(&format!("{kid}.")));
    let posted = env.requests("codefresh").await;
    assert!(posted.contains(&(
        "POST".into(),
        format!("/api/auth/key/service-user/{su}"),
        Some(200)
    )));
    // The token authenticates as the service user, which is no admin: its own listing keeps to
    // its own keys and says why.
    let http = support::fast_http(Duration::from_secs(5));
    let as_bot = client_with(settings(&env), &token, &http);
    let me = as_bot.verify().await.unwrap();
    assert!(me.display.starts_with("ci-bot"), "{}", me.display);
    assert!(
        me.warnings
            .iter()
            .any(|w| w.contains("only account admins")),
        "{:?}",
        me.warnings
    );
    let own = as_bot.list().await.unwrap();
    assert_eq!(own.len(), 2, "ci-bot-deploy and deploy");
    assert_eq!(as_bot.notices().len(), 1);
    assert!(as_bot.notices()[0].contains("account admins"));
    assert!(c.get(&created.record.id).await.is_ok());

    // By id, with the kind left for Codefresh to work out.
    let by_id = c
        .create(&owner_spec("second", &["view"], OwnerKind::Other, su))
        .await
        .unwrap();
    assert!(by_id.record.id.starts_with(&format!("{su}/")));

    let updated = c
        .update(
            &created.record.id,
            &KeyUpdate {
                name: Some("deploy-prod".into()),
                scopes: Some(vec!["pipeline".into(), "build".into()]),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.id, created.record.id);
    assert_eq!(updated.name.as_deref(), Some("deploy-prod"));
    assert_eq!(updated.scopes, ["pipeline", "build"]);
    assert_eq!(updated.owner, created.record.owner);
    // A bare key id is found under its service user.
    let renamed = c
        .update(
            kid,
            &KeyUpdate {
                name: Some("deploy-bare".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.id, created.record.id);

    c.delete(&created.record.id).await.unwrap();
    assert_eq!(
        c.get(&created.record.id).await.unwrap_err().code(),
        Code::NotFound
    );
    assert_eq!(
        as_bot.verify().await.unwrap_err().code(),
        Code::Unauthorized,
        "the deleted key is revoked"
    );
    c.delete(kid).await.unwrap_err();
    c.delete(by_id.record.id.split_once('/').unwrap().1)
        .await
        .unwrap();
    let left = c.list().await.unwrap();
    assert_eq!(left.len(), OWN + SERVICE_USERS_KEYS);
}

#[tokio::test]
async fn an_unknown_service_user_is_not_found() {
    let env = support::start().await;
    let c = client(&env);
    let e = c
        .create(&owner_spec(
            "x",
            &["view"],
            OwnerKind::ServiceAccount,
            "nobody",
        ))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::NotFound, "{e}");
    assert!(e.to_string().contains("no service user `nobody`"), "{e}");
    assert_eq!(creates(&env).await, 0);

    // Codefresh's own 404 for a service user it does not have.
    let nobody = "000000000000000000000000";
    let e = c
        .get(&format!("{nobody}/64b7f0c2e4b0a1c2d3e4f5a6"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::NotFound);
    assert!(e.to_string().contains("no such service user"), "{e}");
    assert_eq!(
        e.vendor_detail().unwrap().message.as_deref(),
        Some("Service user not found")
    );
    let e = c.delete(&format!("{nobody}/abc")).await.unwrap_err();
    assert_eq!(e.code(), Code::NotFound);
    for bad in ["a/b/c", "/x", "x/"] {
        assert_eq!(c.get(bad).await.unwrap_err().code(), Code::Validation);
    }
    // Another user is no owner Codefresh lets a key be made for here.
    let e = c
        .create(&owner_spec("x", &["view"], OwnerKind::User, "dev"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::Validation);
    // The account's own user, named, is the usual key.
    let own = c
        .create(&owner_spec(
            "mine",
            &["view"],
            OwnerKind::User,
            &env.m("codefresh", "user_id"),
        ))
        .await
        .unwrap();
    assert!(!own.record.id.contains('/'));
    assert_eq!(own.record.owner.unwrap().kind, OwnerKind::User);
}

/// A damaged token from a service user's create is found again among that service user's keys.
#[tokio::test]
async fn a_lost_service_user_create_is_recovered_under_it() {
    let env = support::start().await;
    let c = client(&env);
    env.fault(
        json!({"kind": "malformed", "vendor": "codefresh", "method": "POST",
        "path_prefix": "/api/auth/key/service-user/", "count": 1}),
    )
    .await;
    let e = c
        .create(&owner_spec(
            "lost",
            &["view"],
            OwnerKind::ServiceAccount,
            "release-bot",
        ))
        .await
        .unwrap_err();
    let Error::CreateLost {
        recovered: Some(record),
        ..
    } = &e
    else {
        panic!("expected a recovered lost create, got {e:?}");
    };
    assert_eq!(record.name.as_deref(), Some("lost"));
    assert_eq!(
        record.owner.as_ref().and_then(|o| o.name.as_deref()),
        Some("release-bot")
    );
    assert!(c.get(&record.id).await.is_ok());
}
