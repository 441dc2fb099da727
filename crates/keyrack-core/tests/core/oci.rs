//! The OCI client against the emulator: signed requests, key pairs, the 3-key limit, other
//! users' keys, private-key formats, and every documented error and transport fault.

use std::time::Duration;

use crate::support::{self, fast_http, status_fault, Env};
use keyrack_core::http::Http;
use keyrack_core::vendor::{self, Vendor};
use keyrack_core::vendors::oci::OciExtra;
use keyrack_core::vendors::oci::{keypair, read_profile};
use keyrack_core::{
    Account, AccountSettings, Code, Credential, KeyStatus, NewKey, OwnerKind, OwnerRef, Sensitive,
    VendorExtra, VendorId,
};
use serde_json::json;

const VECTOR_USER: &str =
    "ocid1.user.oc1..aaaaaaaat5nvwcna5j6aqzjcaty5eqbb6qt2jvpkanghtgdaqedqw3rynjq";
const VECTOR_KEY_ID_FINGERPRINT: &str = "20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/oci/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn http() -> Http {
    fast_http(Duration::from_secs(5))
}

/// The sandbox admin's settings, with `user`/`fingerprint` overridable.
fn settings(env: &Env) -> AccountSettings {
    AccountSettings {
        base_url: Some(env.m("oci", "base_url")),
        tenancy: Some(env.m("oci", "tenancy")),
        user: Some(env.m("oci", "user")),
        region: Some(env.m("oci", "region")),
        fingerprint: Some(env.m("oci", "fingerprint")),
        ..AccountSettings::default()
    }
}

fn account(settings: AccountSettings) -> Account {
    support::account(VendorId::Oci, settings)
}

fn admin(env: &Env, http: &Http) -> std::sync::Arc<dyn Vendor> {
    support::connect(
        &account(settings(env)),
        &env.m("oci", "private_key_pem"),
        http,
    )
}

/// Connect as `user` signing with `key` under `fingerprint`.
fn as_user(env: &Env, user: &str, fingerprint: &str, key: &str) -> std::sync::Arc<dyn Vendor> {
    let s = AccountSettings {
        user: Some(user.to_string()),
        fingerprint: Some(fingerprint.to_string()),
        ..settings(env)
    };
    support::connect(&account(s), key, &http())
}

/// A seeded user's OCID by name (`ci-deployer` has 3 keys, `analyst` 1).
fn user_id(env: &Env, name: &str) -> String {
    let store = env.emu.shared.store();
    store
        .oci
        .users
        .iter()
        .find(|u| u.name == name)
        .map(|u| u.id.clone())
        .unwrap_or_else(|| panic!("no seeded OCI user {name}"))
}

fn for_user(user: &str) -> NewKey {
    NewKey {
        owner: Some(OwnerRef {
            kind: OwnerKind::User,
            id: user.to_string(),
        }),
        ..NewKey::default()
    }
}

/// The account user's own keys of a listing (another user's ids are `<user>/<fingerprint>`).
fn own(keys: Vec<keyrack_core::KeyRecord>) -> Vec<keyrack_core::KeyRecord> {
    keys.into_iter().filter(|k| !k.id.contains('/')).collect()
}

async fn posts(env: &Env) -> usize {
    env.requests("oci")
        .await
        .iter()
        .filter(|(m, _, _)| m == "POST")
        .count()
}

#[tokio::test]
async fn verify_names_the_user_and_list_shows_the_signing_key() {
    let env = support::start().await;
    let client = admin(&env, &http());
    let me = client.verify().await.unwrap();
    assert!(me.display.contains(&env.m("oci", "user")), "{}", me.display);
    assert!(me.warnings.is_empty(), "{:?}", me.warnings);

    let keys = own(client.list().await.unwrap());
    assert_eq!(keys.len(), 2, "seeded: the signing key and one demo key");
    let signing = keys
        .iter()
        .find(|k| k.id == env.m("oci", "fingerprint"))
        .expect("the signing key is listed by its fingerprint");
    assert_eq!(signing.status, KeyStatus::Active);
    assert!(signing.created_at.is_some());
    assert_eq!(signing.owner.as_ref().unwrap().kind, OwnerKind::User);
    assert!(
        matches!(&signing.extra, VendorExtra::Oci(OciExtra { user_id, lifecycle_state, .. })
        if *user_id == env.m("oci", "user") && lifecycle_state == "ACTIVE")
    );

    let got = client.get(&signing.id).await.unwrap();
    assert_eq!((&got.id, got.status), (&signing.id, signing.status));
    let options = client.create_options().await.unwrap();
    assert_eq!(options.owners[0].id, env.m("oci", "user"));
}

#[tokio::test]
async fn the_vendor_vector_identity_signs_with_the_published_key() {
    // The emulator registers the vendor's test key under the vectors' keyId, whose fingerprint
    // is a placeholder: the requests verify, and verify() points out the mismatch.
    let env = support::start().await;
    let client = as_user(
        &env,
        VECTOR_USER,
        VECTOR_KEY_ID_FINGERPRINT,
        &fixture("vector_private_key_pkcs1.pem"),
    );
    let keys = client.list().await.unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].id, VECTOR_KEY_ID_FINGERPRINT);
    let me = client.verify().await.unwrap();
    assert!(
        me.warnings
            .iter()
            .any(|w| w.contains("73:61:a2:21:67:e0:df:be:7e:4b:93:1e:15:98:a5:b7")),
        "{:?}",
        me.warnings
    );
}

#[tokio::test]
async fn create_generates_a_pair_that_signs_and_delete_revokes_it() {
    let env = support::start().await;
    let client = admin(&env, &http());
    let created = client.create(&NewKey::default()).await.unwrap();
    let private = created.secret.expose().clone();
    assert!(
        private.starts_with("-----BEGIN PRIVATE KEY-----\n"),
        "PKCS#8 PEM"
    );
    let public = created.public_key_pem.clone().unwrap();
    let parsed = keypair::parse_public_pem(&public).unwrap();
    assert_eq!(keypair::fingerprint(&parsed).unwrap(), created.record.id);
    assert!(
        !format!("{created:?}").contains("PRIVATE KEY"),
        "Debug hides the secret"
    );
    assert!(matches!(
        created.record.status,
        KeyStatus::Active | KeyStatus::Creating
    ));

    let listed = client.list().await.unwrap();
    assert!(listed.iter().any(|k| k.id == created.record.id));

    // The new key authenticates as the user at once.
    let user = env.m("oci", "user");
    let with_new_key = as_user(&env, &user, &created.record.id, &private);
    let me = with_new_key.verify().await.unwrap();
    assert!(
        me.warnings.iter().all(|w| !w.contains("fingerprint")),
        "the key matches its fingerprint: {:?}",
        me.warnings
    );
    assert!(
        me.warnings.iter().any(|w| w.contains("3 API signing keys")),
        "the user is now full: {:?}",
        me.warnings
    );

    client.delete(&created.record.id).await.unwrap();
    assert!(!client
        .list()
        .await
        .unwrap()
        .iter()
        .any(|k| k.id == created.record.id));
    let revoked = with_new_key.list().await.unwrap_err();
    assert_eq!(revoked.code(), Code::Unauthorized, "{revoked}");

    // DELETE went out with the fingerprint's colons percent-encoded.
    let requests = env.requests("oci").await;
    let delete = requests.iter().find(|(m, _, _)| m == "DELETE").unwrap();
    assert!(
        delete.1.ends_with(&created.record.id.replace(':', "%3A")),
        "{}",
        delete.1
    );
    assert_eq!(delete.2, Some(204));
}

#[tokio::test]
async fn key_bits_sets_the_generated_key_size() {
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::traits::PublicKeyParts;
    let env = support::start().await;
    let client = admin(&env, &http());
    let created = client
        .create(&NewKey {
            key_bits: Some(3072),
            ..NewKey::default()
        })
        .await
        .unwrap();
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(created.secret.expose()).unwrap();
    assert_eq!(key.n().bits(), 3072);
}

#[tokio::test]
async fn a_fourth_key_is_refused_before_anything_is_sent() {
    let env = support::start().await;
    let client = admin(&env, &http());
    client.create(&NewKey::default()).await.unwrap(); // the admin's third key
    let before = posts(&env).await;
    let err = client.create(&NewKey::default()).await.unwrap_err();
    assert_eq!(err.code(), Code::QuotaExceeded, "{err}");
    assert!(err.to_string().contains("3"), "{err}");
    assert_eq!(posts(&env).await, before, "no upload was attempted");
    assert_eq!(client.capabilities().max_keys_per_owner, Some(3));

    // Another user that already has three keys: same answer, also without an upload.
    let deployer = user_id(&env, "ci-deployer");
    let err = client.create(&for_user(&deployer)).await.unwrap_err();
    assert_eq!(err.code(), Code::QuotaExceeded, "{err}");
    assert!(err.to_string().contains(&deployer), "{err}");
    assert_eq!(posts(&env).await, before);
}

#[tokio::test]
async fn an_admin_manages_another_users_keys_with_user_scoped_ids() {
    let env = support::start().await;
    let client = admin(&env, &http());
    let analyst = user_id(&env, "analyst");
    let created = client.create(&for_user(&analyst)).await.unwrap();
    let (user, fingerprint) = created.record.id.split_once('/').unwrap();
    assert_eq!(user, analyst);
    assert!(keypair::is_fingerprint(fingerprint));
    assert_eq!(created.record.owner.as_ref().unwrap().id, analyst);

    let got = client.get(&created.record.id).await.unwrap();
    assert_eq!(got.id, created.record.id);
    client.delete(&created.record.id).await.unwrap();
    let gone = client.get(&created.record.id).await.unwrap_err();
    assert_eq!(gone.code(), Code::NotFound);

    // The administrator's list holds every user's keys, each owner named.
    let listed = client.list().await.unwrap();
    let analysts: Vec<_> = listed
        .iter()
        .filter(|k| k.owner.as_ref().is_some_and(|o| o.id == analyst))
        .collect();
    assert_eq!(analysts.len(), 1, "the seeded demo key is left");
    assert!(analysts[0].id.starts_with(&format!("{analyst}/")));
    assert_eq!(
        analysts[0].owner.as_ref().unwrap().name.as_deref(),
        Some("analyst")
    );
}

#[tokio::test]
async fn a_plain_user_may_not_touch_another_users_keys() {
    let env = support::start().await;
    let admin = admin(&env, &http());
    let analyst = user_id(&env, "analyst");
    let created = admin.create(&for_user(&analyst)).await.unwrap();
    let fingerprint = created.record.id.split_once('/').unwrap().1;
    let as_analyst = as_user(&env, &analyst, fingerprint, created.secret.expose());
    assert_eq!(as_analyst.list().await.unwrap().len(), 2);

    let err = as_analyst
        .create(&for_user(&env.m("oci", "user")))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::NotFound, "{err}");
    assert!(err.to_string().contains("administrators"), "{err}");
}

#[tokio::test]
async fn a_user_supplied_public_key_is_uploaded_as_is() {
    let env = support::start().await;
    let client = admin(&env, &http());
    let pair = keypair::generate(2048).unwrap();
    let created = client
        .create(&NewKey {
            public_key_pem: Some(pair.public_pem.clone()),
            ..NewKey::default()
        })
        .await
        .unwrap();
    assert_eq!(created.record.id, pair.fingerprint);
    assert!(
        created.secret.is_empty(),
        "Keyrack never had the private half"
    );
    assert_eq!(
        created.public_key_pem.as_deref(),
        Some(pair.public_pem.as_str())
    );

    // The same key again: refused before sending.
    let before = posts(&env).await;
    let err = client
        .create(&NewKey {
            public_key_pem: Some(pair.public_pem.clone()),
            ..NewKey::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Conflict, "{err}");
    assert_eq!(posts(&env).await, before);
}

#[tokio::test]
async fn bad_public_keys_and_key_sizes_fail_validation_without_a_request() {
    let env = support::start().await;
    let client = admin(&env, &http());
    env.clear_requests().await;
    let cases = [
        NewKey {
            public_key_pem: Some(
                "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----".into(),
            ),
            ..NewKey::default()
        },
        NewKey {
            public_key_pem: Some(fixture("vector_public_key.pem")), // 1024 bits
            ..NewKey::default()
        },
        NewKey {
            key_bits: Some(1024),
            ..NewKey::default()
        },
        NewKey {
            name: Some("named".into()),
            ..NewKey::default()
        },
        NewKey {
            owner: Some(OwnerRef {
                kind: OwnerKind::User,
                id: "not-an-ocid".into(),
            }),
            ..NewKey::default()
        },
    ];
    for spec in cases {
        let err = client.create(&spec).await.unwrap_err();
        assert_eq!(err.code(), Code::Validation, "{spec:?}: {err}");
    }
    let err = client.get("key_123").await.unwrap_err();
    assert_eq!(err.code(), Code::Validation);
    assert!(env.requests("oci").await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_bad_signature_or_unknown_key_is_unauthorized() {
    let env = support::start().await;
    let user = env.m("oci", "user");
    // A key OCI never saw, under the registered fingerprint: the signature does not verify.
    let stranger = keypair::generate(2048).unwrap();
    let client = as_user(
        &env,
        &user,
        &env.m("oci", "fingerprint"),
        stranger.private_pem.expose(),
    );
    let err = client.verify().await.unwrap_err();
    assert_eq!(err.code(), Code::Unauthorized, "{err}");
    assert!(
        err.to_string().contains(&stranger.fingerprint),
        "hint names the key's fingerprint: {err}"
    );
    assert_eq!(
        err.vendor_detail().unwrap().code.as_deref(),
        Some("NotAuthenticated")
    );
    assert!(err.vendor_detail().unwrap().request_id.is_some());

    // The right key under a fingerprint the tenancy does not know.
    let client = as_user(
        &env,
        &user,
        "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff",
        &env.m("oci", "private_key_pem"),
    );
    assert_eq!(client.list().await.unwrap_err().code(), Code::Unauthorized);
}

#[tokio::test]
async fn a_passphrase_protected_pkcs8_key_works() {
    use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
    let env = support::start().await;
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(&env.m("oci", "private_key_pem")).unwrap();
    let der = key.to_pkcs8_der().unwrap();
    let info = pkcs8::PrivateKeyInfo::try_from(der.as_bytes()).unwrap();
    let (salt, iv) = ([7u8; 16], [9u8; 16]);
    let params =
        pkcs8::pkcs5::pbes2::Parameters::pbkdf2_sha256_aes256cbc(2048, &salt, &iv).unwrap();
    let encrypted = info
        .encrypt_with_params(params, "correct horse")
        .unwrap()
        .to_pem("ENCRYPTED PRIVATE KEY", LineEnding::LF)
        .unwrap();
    assert!(encrypted.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));

    let acct = account(settings(&env));
    let credential = Credential {
        secret: Sensitive::new(encrypted.to_string()),
        passphrase: Some(Sensitive::from("correct horse")),
    };
    let client = vendor::connect(&acct, credential, &http()).unwrap();
    assert_eq!(own(client.list().await.unwrap()).len(), 2);

    for passphrase in [None, Some(Sensitive::from("wrong"))] {
        let credential = Credential {
            secret: Sensitive::new(encrypted.to_string()),
            passphrase,
        };
        let err = vendor::connect(&acct, credential, &http()).err().unwrap();
        assert!(
            matches!(&err, keyrack_core::Error::Validation { field, .. } if field == "passphrase"),
            "{err}"
        );
    }
}

#[tokio::test]
async fn an_oci_config_profile_connects() {
    let env = support::start().await;
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("admin.pem");
    std::fs::write(
        &key_file,
        format!("{}OCI_API_KEY", env.m("oci", "private_key_pem")),
    )
    .unwrap();
    let config = dir.path().join("config");
    let s = settings(&env);
    std::fs::write(
        &config,
        format!(
            "[DEFAULT]\nregion=eu-frankfurt-1\n\n[SANDBOX]\nuser={}\nfingerprint={}\ntenancy={}\nregion={}\nkey_file={}\n",
            s.user.unwrap(),
            s.fingerprint.unwrap(),
            s.tenancy.unwrap(),
            s.region.unwrap(),
            key_file.display()
        ),
    )
    .unwrap();
    let profile = read_profile(&config, "SANDBOX").unwrap();
    let acct = account(AccountSettings {
        base_url: Some(env.m("oci", "base_url")),
        ..profile.settings.clone()
    });
    let client = vendor::connect(&acct, profile.credential().unwrap(), &http()).unwrap();
    client.verify().await.unwrap();
}

#[tokio::test]
async fn the_signing_key_is_not_deleted_and_unknown_keys_are_not_found() {
    let env = support::start().await;
    let client = admin(&env, &http());
    env.clear_requests().await;
    let err = client
        .delete(&env.m("oci", "fingerprint"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Conflict, "{err}");
    assert!(env.requests("oci").await.is_empty());

    let unknown = "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff";
    let err = client.delete(unknown).await.unwrap_err();
    assert_eq!(err.code(), Code::NotFound, "{err}");
    assert!(err.to_string().contains(unknown), "{err}");
    assert_eq!(
        client.get(unknown).await.unwrap_err().code(),
        Code::NotFound
    );
}

#[tokio::test]
async fn reads_are_retried_after_429_and_5xx() {
    let env = support::start().await;
    let client = admin(&env, &http());
    let path = format!("/20160918/users/{}/apiKeys", env.m("oci", "user"));
    env.fault(
        json!({"kind": "status", "vendor": "oci", "method": "GET", "path_prefix": path,
        "status": 429, "retry_after": 1, "count": 1}),
    )
    .await;
    env.fault(status_fault("oci", "GET", &path, 503, 1)).await;
    let started = std::time::Instant::now();
    assert_eq!(own(client.list().await.unwrap()).len(), 2);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was honoured"
    );
    let statuses: Vec<_> = env
        .requests("oci")
        .await
        .into_iter()
        .filter(|r| r.1 == path)
        .map(|r| r.2)
        .collect();
    assert_eq!(statuses, vec![Some(429), Some(503), Some(200)]);
}

#[tokio::test]
async fn persistent_server_errors_and_throttling_surface() {
    let env = support::start().await;
    let client = admin(&env, &http());
    env.fault(status_fault("oci", "GET", "/20160918/", 500, 10))
        .await;
    let err = client.list().await.unwrap_err();
    assert_eq!(err.code(), Code::Vendor);
    assert!(err.is_transient());
    env.clear_faults().await;
    env.fault(
        json!({"kind": "status", "vendor": "oci", "status": 429, "retry_after": 60, "count": 1}),
    )
    .await;
    let err = client.list().await.unwrap_err();
    assert_eq!(
        err.code(),
        Code::RateLimited,
        "a long Retry-After is not waited for"
    );
    assert_eq!(err.to_public().retry_after_secs, Some(60));
}

#[tokio::test]
async fn a_slow_answer_times_out() {
    let env = support::start().await;
    let client = admin(&env, &fast_http(Duration::from_millis(300)));
    env.fault(json!({"kind": "latency", "vendor": "oci", "ms": 2000}))
        .await;
    let err = client.list().await.unwrap_err();
    assert_eq!(err.code(), Code::Timeout, "{err}");
}

#[tokio::test]
async fn a_malformed_answer_is_a_decode_error() {
    let env = support::start().await;
    let client = admin(&env, &http());
    env.fault(json!({"kind": "malformed", "vendor": "oci", "method": "GET", "count": 1}))
        .await;
    let err = client.list().await.unwrap_err();
    assert_eq!(err.code(), Code::Decode, "{err}");
}

#[tokio::test]
async fn a_lost_upload_answer_is_recovered_with_the_local_private_key() {
    let env = support::start().await;
    let client = admin(&env, &http());
    env.fault(json!({"kind": "malformed", "vendor": "oci", "method": "POST", "count": 1}))
        .await;
    let created = client.create(&NewKey::default()).await.unwrap();
    assert_eq!(posts(&env).await, 1, "the upload was not repeated");
    assert!(client
        .list()
        .await
        .unwrap()
        .iter()
        .any(|k| k.id == created.record.id));
    // The private key is the one that was uploaded.
    let user = env.m("oci", "user");
    let signer = as_user(&env, &user, &created.record.id, created.secret.expose());
    signer.verify().await.unwrap();
}

#[tokio::test]
async fn a_dropped_upload_is_sent_again_with_its_retry_token_and_adds_one_key() {
    let env = support::start().await;
    let client = admin(&env, &http());
    env.fault(json!({"kind": "reset", "vendor": "oci", "method": "POST", "count": 1}))
        .await;
    let created = client.create(&NewKey::default()).await.unwrap();
    assert_eq!(posts(&env).await, 2, "sent again after the reset");
    let keys = own(client.list().await.unwrap());
    assert_eq!(keys.len(), 3);
    assert!(keys.iter().any(|k| k.id == created.record.id));
}

#[tokio::test]
async fn an_upload_that_timed_out_is_retried_without_adding_the_key_twice() {
    let env = support::start().await;
    let client = admin(&env, &fast_http(Duration::from_millis(400)));
    // The first upload answers too late (the emulator may well have stored the key); the
    // retry carries the same opc-retry-token, so OCI hands back that key instead of a second.
    env.fault(json!({"kind": "latency", "vendor": "oci", "method": "POST", "ms": 900, "count": 1}))
        .await;
    let created = client.create(&NewKey::default()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(700)).await;
    let keys = own(admin(&env, &http()).list().await.unwrap());
    assert_eq!(keys.len(), 3, "one key added: {keys:?}");
    assert!(keys.iter().any(|k| k.id == created.record.id));
    let tokens = env.emu.shared.store().oci.retry_tokens.len();
    assert_eq!(tokens, 1, "one retry token for the one create");
}

#[tokio::test]
async fn a_server_error_on_upload_is_retried_with_the_same_token() {
    let env = support::start().await;
    let client = admin(&env, &http());
    env.fault(status_fault("oci", "POST", "/20160918/", 503, 1))
        .await;
    let created = client.create(&NewKey::default()).await.unwrap();
    assert_eq!(posts(&env).await, 2);
    let keys = own(client.list().await.unwrap());
    assert_eq!(keys.len(), 3);
    assert!(keys.iter().any(|k| k.id == created.record.id));
}

#[tokio::test]
async fn an_upload_refused_by_the_server_is_not_retried() {
    let env = support::start().await;
    let client = admin(&env, &http());
    // OCI's 409 Conflict on an upload (a key already there, as the server sees it).
    env.fault(status_fault("oci", "POST", "/20160918/", 409, 1))
        .await;
    let err = client.create(&NewKey::default()).await.unwrap_err();
    assert_eq!(err.code(), Code::Conflict, "{err}");
    assert_eq!(
        err.vendor_detail().unwrap().code.as_deref(),
        Some("Conflict")
    );
    assert_eq!(posts(&env).await, 1);
}

#[tokio::test]
async fn an_administrator_lists_every_users_keys_and_offers_every_user() {
    let env = support::start().await;
    let client = admin(&env, &http());
    let me = client.verify().await.unwrap();
    assert!(me.warnings.is_empty(), "{:?}", me.warnings);

    let keys = client.list().await.unwrap();
    assert!(client.notices().is_empty(), "{:?}", client.notices());
    let deployer = user_id(&env, "ci-deployer");
    let theirs: Vec<_> = keys
        .iter()
        .filter(|k| k.owner.as_ref().is_some_and(|o| o.id == deployer))
        .collect();
    assert_eq!(theirs.len(), 3);
    assert!(theirs
        .iter()
        .all(|k| k.owner.as_ref().unwrap().name.as_deref() == Some("ci-deployer")));
    // ListUsers once, then each user's keys.
    let requests = env.requests("oci").await;
    assert!(requests
        .iter()
        .any(|(m, p, _)| m == "GET" && p == "/20160918/users"));

    let options = client.create_options().await.unwrap();
    assert_eq!(options.owners[0].id, env.m("oci", "user"));
    assert!(options.owners[0]
        .name
        .as_deref()
        .is_some_and(|n| n.contains("sandbox-admin")));
    assert!(options
        .owners
        .iter()
        .any(|o| o.id == deployer && o.name.as_deref() == Some("ci-deployer")));
}

#[tokio::test]
async fn a_user_who_may_not_list_users_sees_its_own_keys_with_a_notice() {
    let env = support::start().await;
    let admin = admin(&env, &http());
    let analyst = user_id(&env, "analyst");
    let created = admin.create(&for_user(&analyst)).await.unwrap();
    let fingerprint = created.record.id.split_once('/').unwrap().1;
    let as_analyst = as_user(&env, &analyst, fingerprint, created.secret.expose());

    let keys = as_analyst.list().await.unwrap();
    assert_eq!(keys.len(), 2, "the analyst's own keys");
    let notices = as_analyst.notices();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].contains("only its own user's"), "{notices:?}");
    let me = as_analyst.verify().await.unwrap();
    assert!(
        me.warnings.iter().any(|w| w.contains("tenancy's users")),
        "{:?}",
        me.warnings
    );
    let options = as_analyst.create_options().await.unwrap();
    assert_eq!(options.owners.len(), 1);
    assert_eq!(options.owners[0].id, analyst);
}
