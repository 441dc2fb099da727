//! The IBM Cloud client against the emulator: token exchange and reuse, every operation, the
//! documented errors, paging, retries, timeouts and lost creates.

use std::time::Duration;

use crate::support::{self, status_fault, Env};
use chrono::{Duration as Days, Utc};
use keyrack_core::http::Http;
use keyrack_core::vendor::Vendor;
use keyrack_core::vendors::ibm::IbmExtra;
use keyrack_core::{
    AccountSettings, Code, Error, KeyStatus, KeyUpdate, NewKey, OwnerKind, OwnerRef, VendorExtra,
    VendorId,
};
use keyrack_emulator::vendors::ibm::IdentityKind;
use serde_json::json;

const KEYS_PATH: &str = "/v1/apikeys";
const TOKEN_PATH: &str = "/identity/token";

/// Settings that pin the admin's identity, so lists hold the admin's own keys only.
fn settings(env: &Env) -> AccountSettings {
    AccountSettings {
        iam_id: Some(env.m("ibm", "iam_id")),
        ..account_wide_settings(env)
    }
}

/// Settings without an identity: lists cover the whole account.
fn account_wide_settings(env: &Env) -> AccountSettings {
    AccountSettings {
        base_url: Some(env.m("ibm", "base_url")),
        iam_url: Some(env.m("ibm", "iam_url")),
        ..Default::default()
    }
}

fn client_with(settings: AccountSettings, secret: &str, http: &Http) -> std::sync::Arc<dyn Vendor> {
    support::connect(&support::account(VendorId::Ibm, settings), secret, http)
}

fn client(env: &Env) -> std::sync::Arc<dyn Vendor> {
    let http = support::fast_http(Duration::from_secs(5));
    client_with(settings(env), &env.m("ibm", "api_key"), &http)
}

fn named(name: &str) -> NewKey {
    NewKey {
        name: Some(name.into()),
        ..Default::default()
    }
}

/// The iam_id of a seeded service ID, read from the emulator's state.
fn service_id(env: &Env, name: &str) -> String {
    let store = env.emu.shared.store();
    store
        .ibm
        .identities
        .iter()
        .find(|i| i.kind == IdentityKind::ServiceId && i.name == name)
        .map(|i| i.iam_id.clone())
        .unwrap()
}

async fn count(env: &Env, method: &str, path: &str) -> usize {
    env.requests("ibm")
        .await
        .iter()
        .filter(|(m, p, _)| m == method && p == path)
        .count()
}

#[tokio::test]
async fn verify_reads_the_identity_from_the_token() {
    let env = support::start().await;
    let id = client(&env).verify().await.unwrap();
    assert_eq!(
        id.display,
        format!(
            "{} in account {}",
            env.m("ibm", "iam_id"),
            env.m("ibm", "account_id")
        )
    );
    assert!(id.warnings.is_empty(), "{:?}", id.warnings);
}

#[tokio::test]
async fn a_wrong_api_key_is_rejected_by_the_token_service() {
    let env = support::start().await;
    let http = support::fast_http(Duration::from_secs(5));
    let c = client_with(
        settings(&env),
        "not-a-key-the-emulator-issued-000000",
        &http,
    );
    let e = c.list().await.unwrap_err();
    assert_eq!(e.code(), Code::Unauthorized);
    assert!(
        e.to_string().starts_with(
            "the IBM API key was rejected by the token service — check it in Accounts"
        ),
        "{e}"
    );
    let detail = e.vendor_detail().unwrap();
    assert_eq!(detail.code.as_deref(), Some("BXNIM0415E"));
    assert_eq!(
        detail.message.as_deref(),
        Some("Provided API key could not be found.")
    );
    assert_eq!(c.verify().await.unwrap_err().code(), Code::Unauthorized);
    assert_eq!(
        count(&env, "GET", KEYS_PATH).await,
        0,
        "no call without a token"
    );
}

#[tokio::test]
async fn list_maps_the_identitys_keys() {
    let env = support::start().await;
    let keys = client(&env).list().await.unwrap();
    let names: Vec<_> = keys.iter().filter_map(|k| k.name.clone()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    for expected in ["keyrack-sandbox-admin", "laptop-cli", "terraform-prod"] {
        assert!(names.iter().any(|n| n == expected), "{names:?}");
    }
    let laptop = keys
        .iter()
        .find(|k| k.name.as_deref() == Some("laptop-cli"))
        .unwrap();
    assert!(laptop.id.starts_with("ApiKey-"));
    assert_eq!(
        laptop.description.as_deref(),
        Some("ibmcloud CLI on my laptop")
    );
    assert!(
        laptop.created_at.is_some(),
        "the short timestamp form parses"
    );
    let owner = laptop.owner.clone().unwrap();
    assert_eq!(
        (owner.kind, owner.id),
        (OwnerKind::User, env.m("ibm", "iam_id"))
    );
    match &laptop.extra {
        VendorExtra::Ibm(IbmExtra {
            crn,
            entity_tag,
            action_when_leaked,
            account_id,
            modified_at,
            ..
        }) => {
            assert!(crn.as_deref().unwrap().starts_with("crn:v1:"));
            assert!(entity_tag.is_some());
            assert_eq!(action_when_leaked.as_deref(), Some("disable"));
            assert_eq!(
                account_id.as_deref(),
                Some(env.m("ibm", "account_id").as_str())
            );
            assert!(modified_at.is_some());
        }
        other => panic!("{other:?}"),
    }
    let prod = keys
        .iter()
        .find(|k| k.name.as_deref() == Some("terraform-prod"))
        .unwrap();
    assert!(prod.locked);
}

#[tokio::test]
async fn the_token_is_exchanged_once_and_reused() {
    let env = support::start().await;
    let c = client(&env);
    c.list().await.unwrap();
    c.list().await.unwrap();
    c.verify().await.unwrap();
    assert_eq!(count(&env, "POST", TOKEN_PATH).await, 1);
}

#[tokio::test]
async fn without_an_iam_id_the_list_covers_the_whole_account() {
    let env = support::start().await;
    let http = support::fast_http(Duration::from_secs(5));
    let c = client_with(account_wide_settings(&env), &env.m("ibm", "api_key"), &http);
    let keys = c.list().await.unwrap();
    let own = client(&env).list().await.unwrap();
    assert!(keys.len() > own.len(), "{} vs {}", keys.len(), own.len());
    for k in &own {
        assert!(
            keys.iter().any(|a| a.id == k.id),
            "own key {} missing",
            k.id
        );
    }
    let service_owned = keys
        .iter()
        .filter(|k| matches!(&k.owner, Some(o) if o.kind == OwnerKind::ServiceId))
        .count();
    assert!(service_owned > 0, "service IDs' keys are listed too");
}

#[tokio::test]
async fn a_401_gets_a_fresh_token_once() {
    let env = support::start().await;
    let c = client(&env);
    c.list().await.unwrap();
    env.fault(status_fault("ibm", "GET", KEYS_PATH, 401, 1))
        .await;
    assert_eq!(c.list().await.unwrap().len(), 3);
    assert_eq!(count(&env, "POST", TOKEN_PATH).await, 2);

    // A 401 that persists is the credential's problem, and is said so.
    env.fault(status_fault("ibm", "GET", KEYS_PATH, 401, 5))
        .await;
    let e = c.list().await.unwrap_err();
    assert_eq!(e.code(), Code::Unauthorized);
    assert!(e.to_string().contains("check the key in Accounts"), "{e}");
}

#[tokio::test]
async fn list_follows_pagetokens_to_the_end() {
    let env = support::start().await;
    {
        // 150 more keys for the admin than one page of 100 holds.
        let mut store = env.emu.shared.store();
        let ibm = &mut store.ibm;
        let template = ibm
            .keys
            .iter()
            .find(|k| k.iam_id == ibm.admin_iam_id)
            .unwrap()
            .clone();
        for n in 0..150 {
            let mut k = template.clone();
            k.id = format!("ApiKey-{}", uuid::Uuid::new_v4());
            k.apikey = format!("paging-test-value-{n:04}-{}", uuid::Uuid::new_v4());
            k.name = format!("bulk-{n:03}");
            ibm.keys.push(k);
        }
    }
    let keys = client(&env).list().await.unwrap();
    assert_eq!(keys.len(), 153);
    let mut ids: Vec<_> = keys.iter().map(|k| k.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 153, "no key twice");
    assert_eq!(count(&env, "GET", KEYS_PATH).await, 2);
}

#[tokio::test]
async fn create_with_every_option_returns_a_working_key_once() {
    let env = support::start().await;
    let c = client(&env);
    let expires = Utc::now() + Days::days(30);
    let spec = NewKey {
        description: Some("nightly pipeline".into()),
        expires_at: Some(expires),
        action_when_leaked: Some("delete".into()),
        ..named("ci-deploy")
    };
    let created = c.create(&spec).await.unwrap();
    let r = &created.record;
    assert!(r.id.starts_with("ApiKey-"));
    assert_eq!(r.name.as_deref(), Some("ci-deploy"));
    assert_eq!(r.description.as_deref(), Some("nightly pipeline"));
    assert_eq!(r.status, KeyStatus::Active);
    let got = r.expires_at.unwrap();
    assert!(
        (got - expires).num_seconds().abs() < 60,
        "minute precision: {got} vs {expires}"
    );
    assert!(
        matches!(&r.extra, VendorExtra::Ibm(IbmExtra { action_when_leaked: Some(a), .. }) if a == "delete")
    );
    assert!(!format!("{created:?}").contains(created.secret.expose().as_str()));

    let fetched = c.get(&r.id).await.unwrap();
    assert_eq!(fetched.name, r.name);
    assert_eq!(fetched.expires_at, r.expires_at);

    // The new key is exchangeable for a token and acts as the same identity.
    let http = support::fast_http(Duration::from_secs(5));
    let as_new = client_with(settings(&env), created.secret.expose(), &http);
    assert!(as_new
        .verify()
        .await
        .unwrap()
        .display
        .contains(&env.m("ibm", "iam_id")));
}

#[tokio::test]
async fn create_locked_and_disabled() {
    let env = support::start().await;
    let c = client(&env);
    let spec = NewKey {
        locked: true,
        disabled: true,
        ..named("parked")
    };
    let created = c.create(&spec).await.unwrap();
    assert!(created.record.locked);
    assert_eq!(created.record.status, KeyStatus::Disabled);
    let http = support::fast_http(Duration::from_secs(5));
    let as_disabled = client_with(settings(&env), created.secret.expose(), &http);
    let e = as_disabled.verify().await.unwrap_err();
    assert_eq!(e.code(), Code::Unauthorized);
    assert!(
        e.to_string().contains("disabled"),
        "the vendor's words are kept: {e}"
    );
}

#[tokio::test]
async fn create_for_a_service_id_and_list_it_there() {
    let env = support::start().await;
    let ci = service_id(&env, "ci-pipeline");
    let spec = NewKey {
        owner: Some(OwnerRef {
            kind: OwnerKind::ServiceId,
            id: ci.clone(),
        }),
        ..named("robot")
    };
    let created = client(&env).create(&spec).await.unwrap();
    let owner = created.record.owner.clone().unwrap();
    assert_eq!((owner.kind, owner.id), (OwnerKind::ServiceId, ci.clone()));

    let mut s = settings(&env);
    s.iam_id = Some(ci.clone());
    let http = support::fast_http(Duration::from_secs(5));
    let of_ci = client_with(s, &env.m("ibm", "api_key"), &http);
    let keys = of_ci.list().await.unwrap();
    assert_eq!(keys.len(), 3, "ci-deploy, ci-nightly and the new one");
    assert!(keys.iter().any(|k| k.id == created.record.id));
    let id = of_ci.verify().await.unwrap();
    assert!(
        id.display.contains(&format!("managing {ci}")),
        "{}",
        id.display
    );
}

#[tokio::test]
async fn invalid_creates_are_refused_before_sending() {
    let env = support::start().await;
    let c = client(&env);
    let field = |e: Error| match e {
        Error::Validation { field, .. } => field,
        other => panic!("expected a validation error, got {other:?}"),
    };
    assert_eq!(field(c.create(&named("")).await.unwrap_err()), "name");
    assert_eq!(
        field(c.create(&NewKey::default()).await.unwrap_err()),
        "name"
    );
    let wrong_kind = NewKey {
        owner: Some(OwnerRef {
            kind: OwnerKind::ServiceId,
            id: env.m("ibm", "iam_id"),
        }),
        ..named("x")
    };
    assert_eq!(field(c.create(&wrong_kind).await.unwrap_err()), "owner");
    let leak = NewKey {
        action_when_leaked: Some("shrug".into()),
        ..named("x")
    };
    assert_eq!(
        field(c.create(&leak).await.unwrap_err()),
        "action_when_leaked"
    );
    let past = NewKey {
        expires_at: Some(Utc::now() - Days::hours(1)),
        ..named("x")
    };
    assert_eq!(field(c.create(&past).await.unwrap_err()), "expires_at");
    let scoped = NewKey {
        scopes: vec!["pipeline".into()],
        ..named("x")
    };
    assert_eq!(field(c.create(&scoped).await.unwrap_err()), "scopes");
    assert_eq!(count(&env, "POST", KEYS_PATH).await, 0, "nothing was sent");
}

#[tokio::test]
async fn update_sends_a_fresh_etag() {
    let env = support::start().await;
    let c = client(&env);
    let created = c.create(&named("before")).await.unwrap();
    let tag_of = |r: &keyrack_core::KeyRecord| match &r.extra {
        VendorExtra::Ibm(IbmExtra { entity_tag, .. }) => entity_tag.clone().unwrap(),
        _ => unreachable!(),
    };
    let before = tag_of(&created.record);
    let updated = c
        .update(
            &created.record.id,
            &KeyUpdate {
                name: Some("after".into()),
                description: Some("now described".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.name.as_deref(), Some("after"));
    assert_eq!(updated.description.as_deref(), Some("now described"));
    assert_ne!(tag_of(&updated), before, "each write is a new version");

    // An empty description clears it.
    let cleared = c
        .update(
            &created.record.id,
            &KeyUpdate {
                description: Some(String::new()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(cleared.description, None);
    assert_eq!(cleared.name.as_deref(), Some("after"));

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
async fn a_version_conflict_is_reported_as_such() {
    let env = support::start().await;
    let c = client(&env);
    let created = c.create(&named("contested")).await.unwrap();
    env.fault(status_fault("ibm", "PUT", KEYS_PATH, 409, 1))
        .await;
    let e = c
        .update(
            &created.record.id,
            &KeyUpdate {
                name: Some("mine".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::Conflict);
    assert!(e.to_string().contains("reload it and try again"), "{e}");
    assert_eq!(
        c.get(&created.record.id).await.unwrap().name.as_deref(),
        Some("contested")
    );
}

#[tokio::test]
async fn a_locked_key_refuses_edits_and_deletion_until_unlocked() {
    let env = support::start().await;
    let c = client(&env);
    let created = c.create(&named("guarded")).await.unwrap();
    let id = created.record.id.clone();
    c.set_locked(&id, true).await.unwrap();
    assert!(c.get(&id).await.unwrap().locked);

    let rename = KeyUpdate {
        name: Some("renamed".into()),
        ..Default::default()
    };
    let e = c.update(&id, &rename).await.unwrap_err();
    assert_eq!(e.code(), Code::Conflict);
    assert!(e.to_string().contains("unlock it first"), "{e}");
    assert_eq!(
        count(&env, "PUT", &format!("{KEYS_PATH}/{id}")).await,
        0,
        "refused before sending"
    );

    let e = c.delete(&id).await.unwrap_err();
    assert_eq!(e.code(), Code::Conflict);
    assert!(e.to_string().contains("unlock it first"), "{e}");
    assert_eq!(e.vendor_detail().unwrap().status, 409);

    c.set_locked(&id, false).await.unwrap();
    assert!(!c.get(&id).await.unwrap().locked);
    c.update(&id, &rename).await.unwrap();
    c.delete(&id).await.unwrap();
    let e = c.get(&id).await.unwrap_err();
    assert_eq!(e.code(), Code::NotFound);
    assert_eq!(
        e.vendor_detail().unwrap().code.as_deref(),
        Some("BXNIM0507E")
    );
    assert!(e.vendor_detail().unwrap().request_id.is_some());
}

#[tokio::test]
async fn disabling_stops_the_key_from_authenticating() {
    let env = support::start().await;
    let c = client(&env);
    let created = c.create(&named("switchable")).await.unwrap();
    let id = created.record.id.clone();
    c.set_disabled(&id, true).await.unwrap();
    assert_eq!(c.get(&id).await.unwrap().status, KeyStatus::Disabled);
    let http = support::fast_http(Duration::from_secs(5));
    let as_key = client_with(settings(&env), created.secret.expose(), &http);
    assert_eq!(
        as_key.verify().await.unwrap_err().code(),
        Code::Unauthorized
    );

    c.set_disabled(&id, false).await.unwrap();
    assert_eq!(c.get(&id).await.unwrap().status, KeyStatus::Active);
    let http = support::fast_http(Duration::from_secs(5));
    let as_key = client_with(settings(&env), created.secret.expose(), &http);
    assert!(as_key.verify().await.is_ok());
}

#[tokio::test]
async fn unknown_and_malformed_ids() {
    let env = support::start().await;
    let c = client(&env);
    let missing = "ApiKey-00000000-0000-0000-0000-000000000000";
    assert_eq!(c.get(missing).await.unwrap_err().code(), Code::NotFound);
    assert_eq!(c.delete(missing).await.unwrap_err().code(), Code::NotFound);
    assert_eq!(
        c.set_locked(missing, true).await.unwrap_err().code(),
        Code::NotFound
    );
    assert_eq!(
        c.set_disabled(missing, true).await.unwrap_err().code(),
        Code::NotFound
    );
    assert_eq!(
        c.get("../details").await.unwrap_err().code(),
        Code::Validation
    );
}

#[tokio::test]
async fn the_identity_limit_is_a_quota_error() {
    let env = support::start().await;
    env.emu.shared.store().ibm.apikeys_per_identity = Some(3);
    let e = client(&env)
        .create(&named("one too many"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::QuotaExceeded, "{e}");
    assert!(e.to_string().contains("delete one first"), "{e}");
}

#[tokio::test]
async fn creating_for_another_user_is_forbidden() {
    let env = support::start().await;
    let colleague = {
        let store = env.emu.shared.store();
        store
            .ibm
            .identities
            .iter()
            .find(|i| i.kind == IdentityKind::User && i.iam_id != store.ibm.admin_iam_id)
            .unwrap()
            .iam_id
            .clone()
    };
    let spec = NewKey {
        owner: Some(OwnerRef {
            kind: OwnerKind::User,
            id: colleague,
        }),
        ..named("not mine")
    };
    let e = client(&env).create(&spec).await.unwrap_err();
    assert_eq!(e.code(), Code::Forbidden, "{e}");
}

#[tokio::test]
async fn reads_and_token_exchanges_are_retried() {
    let env = support::start().await;
    env.fault(status_fault("ibm", "POST", TOKEN_PATH, 503, 1))
        .await;
    env.fault(json!({"kind": "status", "vendor": "ibm", "method": "GET",
        "path_prefix": KEYS_PATH, "status": 429, "retry_after": 1, "count": 1}))
        .await;
    let started = std::time::Instant::now();
    let c = client(&env);
    assert_eq!(c.list().await.unwrap().len(), 3);
    assert!(started.elapsed() >= Duration::from_millis(900));
    env.fault(status_fault("ibm", "GET", KEYS_PATH, 502, 2))
        .await;
    assert_eq!(c.list().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_failing_create_is_not_repeated() {
    let env = support::start().await;
    let c = client(&env);
    env.fault(status_fault("ibm", "POST", KEYS_PATH, 503, 1))
        .await;
    let e = c.create(&named("once")).await.unwrap_err();
    assert_eq!(e.code(), Code::Vendor);
    assert_eq!(count(&env, "POST", KEYS_PATH).await, 1);
}

#[tokio::test]
async fn slow_answers_time_out() {
    let env = support::start().await;
    let http = support::fast_http(Duration::from_millis(300));
    let c = client_with(settings(&env), &env.m("ibm", "api_key"), &http);
    env.fault(json!({"kind": "latency", "vendor": "ibm", "ms": 1500}))
        .await;
    assert_eq!(c.list().await.unwrap_err().code(), Code::Timeout);
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    let env = support::start().await;
    let c = client(&env);
    c.verify().await.unwrap();
    env.fault(json!({"kind": "malformed", "vendor": "ibm", "method": "GET"}))
        .await;
    let e = c.list().await.unwrap_err();
    assert_eq!(e.code(), Code::Decode);
    assert!(matches!(e, Error::Decode { raw: Some(_), .. }));
}

#[tokio::test]
async fn a_malformed_token_answer_keeps_the_token_out_of_the_error() {
    let env = support::start().await;
    env.fault(json!({"kind": "malformed", "vendor": "ibm", "path_prefix": TOKEN_PATH}))
        .await;
    let e = client(&env).list().await.unwrap_err();
    assert!(matches!(e, Error::Decode { raw: None, .. }), "{e:?}");
}

#[tokio::test]
async fn a_lost_create_answer_recovers_the_key() {
    let env = support::start().await;
    let c = client(&env);
    c.verify().await.unwrap();
    env.fault(
        json!({"kind": "malformed", "vendor": "ibm", "method": "POST",
        "path_prefix": KEYS_PATH, "count": 1}),
    )
    .await;
    let e = c.create(&named("lost in transit")).await.unwrap_err();
    let Error::CreateLost {
        recovered: Some(record),
        ..
    } = &e
    else {
        panic!("expected a recovered lost create, got {e:?}");
    };
    assert_eq!(record.name.as_deref(), Some("lost in transit"));
    assert!(c.get(&record.id).await.is_ok());
}

#[tokio::test]
async fn a_dropped_create_says_nothing_was_created() {
    let env = support::start().await;
    let c = client(&env);
    c.verify().await.unwrap();
    env.fault(json!({"kind": "reset", "vendor": "ibm", "method": "POST",
        "path_prefix": KEYS_PATH, "count": 1}))
        .await;
    let e = c.create(&named("never made")).await.unwrap_err();
    assert_eq!(e.code(), Code::Network, "{e}");
    assert!(e.to_string().contains("no key was created"), "{e}");
    assert_eq!(c.list().await.unwrap().len(), 3);
}

#[tokio::test]
async fn an_unknown_identity_in_the_settings_is_named_as_such() {
    let env = support::start().await;
    let mut s = settings(&env);
    s.iam_id = Some("iam-ServiceId-00000000-0000-0000-0000-000000000000".into());
    let http = support::fast_http(Duration::from_secs(5));
    let c = client_with(s, &env.m("ibm", "api_key"), &http);
    let e = c.list().await.unwrap_err();
    assert_eq!(e.code(), Code::NotFound);
    assert!(e.to_string().contains("check iam_id and account_id"), "{e}");
}

fn extra(r: &keyrack_core::KeyRecord) -> IbmExtra {
    match &r.extra {
        VendorExtra::Ibm(x) => x.clone(),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn expiry_leak_action_and_support_sessions_are_updated_and_removed() {
    let env = support::start().await;
    let c = client(&env);
    let created = c
        .create(&NewKey {
            support_sessions: true,
            ..named("support")
        })
        .await
        .unwrap();
    assert_eq!(extra(&created.record).support_sessions, Some(true));

    let later = Utc::now() + Days::days(40);
    let updated = c
        .update(
            &created.record.id,
            &KeyUpdate {
                expires_at: Some(later),
                action_when_leaked: Some("delete".into()),
                support_sessions: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    // IBM keeps expiry dates to the minute.
    let expires = updated.expires_at.unwrap();
    assert!(
        (expires - later).num_seconds().abs() < 60,
        "{expires} vs {later}"
    );
    assert_eq!(
        extra(&updated).action_when_leaked.as_deref(),
        Some("delete")
    );
    assert_eq!(extra(&updated).support_sessions, Some(false));
    assert_eq!(updated.name.as_deref(), Some("support"), "the rest stays");

    // Removing the expiry sends IBM's empty value, which clears it.
    let cleared = c
        .update(
            &created.record.id,
            &KeyUpdate {
                clear_expiry: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(cleared.expires_at, None);
    assert_eq!(c.get(&created.record.id).await.unwrap().expires_at, None);

    // An unknown leak action is refused before anything is sent.
    let puts = count(&env, "PUT", &format!("{KEYS_PATH}/{}", created.record.id)).await;
    let e = c
        .update(
            &created.record.id,
            &KeyUpdate {
                action_when_leaked: Some("shout".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::Validation);
    assert_eq!(
        count(&env, "PUT", &format!("{KEYS_PATH}/{}", created.record.id)).await,
        puts
    );
}

#[tokio::test]
async fn support_sessions_are_refused_by_ibm_for_a_service_id() {
    let env = support::start().await;
    let http = support::fast_http(Duration::from_secs(5));
    let c = client_with(account_wide_settings(&env), &env.m("ibm", "api_key"), &http);
    let sid = service_id(&env, "ci-pipeline");
    let e = c
        .create(&NewKey {
            owner: Some(OwnerRef {
                kind: OwnerKind::ServiceId,
                id: sid,
            }),
            support_sessions: true,
            ..named("sessions")
        })
        .await
        .unwrap_err();
    // IBM's own 400, with its words.
    let detail = e.vendor_detail().expect("IBM's error body is kept");
    assert!(
        detail
            .message
            .as_deref()
            .is_some_and(|m| m.contains("support_sessions")),
        "{e}"
    );
}

#[tokio::test]
async fn last_use_comes_from_the_keys_activity() {
    let env = support::start().await;
    let c = client(&env);
    let created = c.create(&named("used-once")).await.unwrap();
    assert_eq!(c.get(&created.record.id).await.unwrap().last_used_at, None);

    // Signing in with the new key is what IBM counts as its use.
    let http = support::fast_http(Duration::from_secs(5));
    let used = client_with(settings(&env), created.secret.expose(), &http);
    used.verify().await.unwrap();

    let got = c.get(&created.record.id).await.unwrap();
    let last = got.last_used_at.expect("activity.last_authn is read");
    assert!((Utc::now() - last).num_seconds() < 60, "{last}");
    let listed = c.list().await.unwrap();
    let row = listed.iter().find(|k| k.id == created.record.id).unwrap();
    assert_eq!(row.last_used_at, Some(last), "the list carries it too");
    assert!(
        env.requests("ibm")
            .await
            .iter()
            .any(|(m, p, _)| m == "GET" && p == &format!("{KEYS_PATH}/{}", created.record.id)),
        "read per key with include_activity"
    );
}

#[tokio::test]
async fn the_owner_picker_offers_the_own_identity_and_the_service_ids() {
    let env = support::start().await;
    let options = client(&env).create_options().await.unwrap();
    let own = &options.owners[0];
    assert_eq!(
        (own.kind, own.id.as_str()),
        (OwnerKind::User, env.m("ibm", "iam_id").as_str())
    );
    let sid = service_id(&env, "ci-pipeline");
    let listed = options
        .owners
        .iter()
        .find(|o| o.id == sid)
        .expect("seeded service IDs are offered");
    assert_eq!(listed.kind, OwnerKind::ServiceId);
    assert_eq!(listed.name.as_deref(), Some("ci-pipeline"));
}

#[tokio::test]
async fn a_base_url_without_an_iam_url_exchanges_tokens_on_the_same_host() {
    let env = support::start().await;
    let http = support::fast_http(Duration::from_secs(5));
    let s = AccountSettings {
        base_url: Some(env.m("ibm", "base_url")),
        iam_id: Some(env.m("ibm", "iam_id")),
        ..Default::default()
    };
    let c = client_with(s, &env.m("ibm", "api_key"), &http);
    c.verify().await.unwrap();
    assert_eq!(count(&env, "POST", TOKEN_PATH).await, 1);
}

#[tokio::test]
async fn an_owner_of_unsaid_kind_is_told_by_its_iam_id() {
    let env = support::start().await;
    let http = support::fast_http(Duration::from_secs(5));
    let c = client_with(account_wide_settings(&env), &env.m("ibm", "api_key"), &http);
    let sid = service_id(&env, "ci-pipeline");
    let created = c
        .create(&NewKey {
            owner: Some(OwnerRef {
                kind: OwnerKind::Other,
                id: sid.clone(),
            }),
            ..named("for-the-service-id")
        })
        .await
        .unwrap();
    let owner = created.record.owner.unwrap();
    assert_eq!((owner.kind, owner.id), (OwnerKind::ServiceId, sid));
}

// ---------------------------------------------------------------- activity report

const REPORT_PATH: &str = "/v1/activity/accounts/";

/// An emulator with `extra` more keys on service IDs, reports ready at once, and a few keys last
/// used long enough ago to be in an hour's report (to the millisecond, as IBM shows times).
async fn report_env(extra: usize) -> Env {
    let emu = keyrack_emulator::start(keyrack_emulator::EmulatorOptions {
        seed: keyrack_emulator::SeedOptions {
            empty: false,
            extra_keys: extra,
        },
        ..Default::default()
    })
    .await
    .unwrap();
    {
        let mut store = emu.shared.store();
        store.ibm.report_delay_ms = Some(0);
        let now = Utc::now();
        for (n, key) in store.ibm.keys.iter_mut().skip(1).step_by(3).enumerate() {
            let ago = Days::hours(2 + 7 * n as i64) + Days::milliseconds(123);
            key.last_authn = Some(now - ago);
        }
    }
    Env::from(emu)
}

fn account_wide(env: &Env) -> std::sync::Arc<dyn Vendor> {
    let http = support::fast_http(Duration::from_secs(5));
    client_with(account_wide_settings(env), &env.m("ibm", "api_key"), &http)
}

/// Per-key reads (`GET /v1/apikeys/{id}`), report reads and report requests seen since the log
/// was last cleared.
async fn activity_requests(env: &Env) -> (usize, usize, usize) {
    let log = env.requests("ibm").await;
    let per_key = log
        .iter()
        .filter(|(m, p, _)| m == "GET" && p.starts_with(&format!("{KEYS_PATH}/ApiKey-")))
        .count();
    let report = |method: &str| {
        log.iter()
            .filter(|(m, p, _)| m == method && p.starts_with(REPORT_PATH))
            .count()
    };
    (per_key, report("GET"), report("POST"))
}

fn last_used(
    keys: &[keyrack_core::KeyRecord],
) -> std::collections::BTreeMap<String, Option<chrono::DateTime<Utc>>> {
    keys.iter()
        .map(|k| (k.id.clone(), k.last_used_at))
        .collect()
}

#[tokio::test]
async fn a_fresh_report_leaves_only_the_keys_it_does_not_list_to_read_per_key() {
    let env = report_env(40).await;
    let c = account_wide(&env);

    // No report yet: every key is read on its own, and a report is asked for.
    let first = c.list().await.unwrap();
    let all = first.len();
    assert!(all > 40, "{all}");
    assert_eq!(activity_requests(&env).await, (all, 1, 1));
    assert!(
        first.iter().filter(|k| k.last_used_at.is_some()).count() > 10,
        "the seeded uses are read"
    );

    // The next listing takes them from the report: the same values, and per key only the keys
    // the report does not list (used within its hour: the admin's, whose token this is).
    env.clear_requests().await;
    let second = c.list().await.unwrap();
    assert_eq!(
        last_used(&second),
        last_used(&first),
        "the report's values are the per-key ones"
    );
    let (per_key, gets, posts) = activity_requests(&env).await;
    assert_eq!(
        (gets, posts),
        (1, 0),
        "a fresh report is not asked for again"
    );
    let listed: Vec<String> = {
        let store = env.emu.shared.store();
        let report = &store.ibm.reports.last().unwrap().body;
        report["apikeys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["id"].as_str().unwrap().to_string())
            .collect()
    };
    let absent = second.iter().filter(|k| !listed.contains(&k.id)).count();
    assert_eq!(absent, 1, "only the admin's key was used within the hour");
    assert_eq!(per_key, absent);

    // A key made after the report is not in it, and is read on its own.
    let created = c.create(&named("after-the-report")).await.unwrap();
    env.clear_requests().await;
    let third = c.list().await.unwrap();
    assert_eq!(third.len(), all + 1);
    assert_eq!(activity_requests(&env).await.0, absent + 1);
    let new = third.iter().find(|k| k.id == created.record.id).unwrap();
    assert_eq!(new.last_used_at, None);
}

#[tokio::test]
async fn an_old_report_is_replaced_and_one_being_made_is_waited_for() {
    let env = report_env(0).await;
    let c = account_wide(&env);
    let per_key = c.list().await.unwrap();
    let all = per_key.len();
    // The report is a day and a minute old.
    {
        let mut store = env.emu.shared.store();
        let report = store.ibm.reports.last_mut().unwrap();
        let old = Utc::now() - Days::hours(24) - Days::minutes(1);
        report.body["report_end_time"] = json!(old.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string());
    }
    env.clear_requests().await;
    let listed = c.list().await.unwrap();
    assert_eq!(
        activity_requests(&env).await,
        (all, 1, 1),
        "read per key, new report asked for"
    );
    assert_eq!(last_used(&listed), last_used(&per_key));

    // While IBM is still making a report, another one would only replace it: wait for it.
    env.emu.shared.store().ibm.report_delay_ms = Some(60_000);
    c.list().await.unwrap(); // reads the fresh report, none asked for
    env.emu.shared.store().ibm.reports.clear();
    env.clear_requests().await;
    c.list().await.unwrap(); // none: asks for one, not ready for a minute
    env.clear_requests().await;
    c.list().await.unwrap();
    assert_eq!(
        activity_requests(&env).await,
        (all, 1, 0),
        "204: per key, no second request"
    );
}

#[tokio::test]
async fn a_refused_report_is_not_asked_for_again_by_the_same_client() {
    let env = report_env(0).await;
    env.fault(status_fault("ibm", "GET", REPORT_PATH, 403, 1))
        .await;
    let c = account_wide(&env);
    let first = c.list().await.unwrap();
    let all = first.len();
    assert_eq!(activity_requests(&env).await, (all, 1, 0));
    env.clear_requests().await;
    let second = c.list().await.unwrap();
    assert_eq!(
        activity_requests(&env).await,
        (all, 0, 0),
        "remembered: per key only"
    );
    assert_eq!(last_used(&second), last_used(&first));

    // A new client (a new credential's life) asks again.
    env.clear_requests().await;
    account_wide(&env).list().await.unwrap();
    assert_eq!(activity_requests(&env).await.1, 1);
}

#[tokio::test]
async fn a_malformed_or_failing_report_never_fails_the_listing() {
    let env = report_env(0).await;
    let c = account_wide(&env);
    let per_key = c.list().await.unwrap(); // asks for a report
    let all = per_key.len();
    for rule in [
        json!({"kind": "malformed", "vendor": "ibm", "path_prefix": REPORT_PATH, "count": 1}),
        status_fault("ibm", "GET", REPORT_PATH, 500, 3),
    ] {
        env.fault(rule).await;
        env.clear_requests().await;
        let listed = c.list().await.unwrap();
        let (reads, _, posts) = activity_requests(&env).await;
        assert_eq!((reads, posts), (all, 0), "per key, no new report");
        assert_eq!(last_used(&listed), last_used(&per_key));
    }
    // A report whose times do not parse is not used either.
    env.emu.shared.store().ibm.reports.last_mut().unwrap().body["report_end_time"] = json!("soon");
    env.clear_requests().await;
    c.list().await.unwrap();
    assert_eq!(activity_requests(&env).await.0, all);
}
