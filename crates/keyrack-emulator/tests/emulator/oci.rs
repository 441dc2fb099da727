//! OCI Identity API signing keys: the vendor's signing vectors, the upload/list/delete
//! lifecycle, and every rule the emulator enforces (signatures, the 3-key limit, upload
//! validation, who may manage whose keys, request ids).

mod support;

use chrono::{TimeZone, Utc};
use keyrack_emulator::vendors::oci::{keys, signature, State, VECTOR_USER};
use keyrack_emulator::{start, Emulator, EmulatorOptions, SeedOptions};
use rsa::pkcs8::DecodePrivateKey;
use support::{fixture, raw, vectors, Oci, Parts, Signer};

struct Sandbox {
    emu: Emulator,
    oci: Oci,
    admin: Signer,
    user: String,
    tenancy: String,
}

async fn sandbox_with(seed: SeedOptions) -> Sandbox {
    let emu = start(EmulatorOptions {
        seed,
        // The published vectors were signed for their own `host`, which a replay must keep.
        any_host: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let m = emu.manifest()["oci"].clone();
    let tenancy = m["tenancy"].as_str().unwrap().to_string();
    let user = m["user"].as_str().unwrap().to_string();
    let key_id = format!("{tenancy}/{user}/{}", m["fingerprint"].as_str().unwrap());
    let admin = Signer::new(&key_id, m["private_key_pem"].as_str().unwrap());
    let oci = Oci::new(m["base_url"].as_str().unwrap());
    Sandbox {
        emu,
        oci,
        admin,
        user,
        tenancy,
    }
}

async fn sandbox() -> Sandbox {
    sandbox_with(SeedOptions::default()).await
}

impl Sandbox {
    fn state(&self) -> State {
        self.emu.shared.store().oci.clone()
    }

    fn user_named(&self, name: &str) -> String {
        self.state()
            .users
            .iter()
            .find(|u| u.name == name)
            .unwrap()
            .id
            .clone()
    }

    /// A signer for test key `n` registered to `user`.
    fn signer(&self, user: &str, n: u32) -> Signer {
        let fp = support::test_key_fingerprint(n);
        Signer::new(
            &format!("{}/{user}/{fp}", self.tenancy),
            &fixture(&format!("test_key_{n}.pem")),
        )
    }

    fn freeze_clock_at_vector_date(&self) {
        self.emu.shared.store().oci.settings.fixed_clock =
            Some(Utc.with_ymd_and_hms(2014, 1, 5, 21, 31, 40).unwrap());
    }
}

fn test_public(n: u32) -> String {
    fixture(&format!("test_key_{n}_public.pem"))
}

fn fingerprints(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|k| k["fingerprint"].as_str().unwrap().to_string())
        .collect()
}

// ---------------------------------------------------------------- signing vectors (no server)

/// The test signer and the emulator's own signing-string builder both reproduce the published
/// signing strings and signatures byte for byte.
#[test]
fn vectors_reproduce_exactly() {
    let v = vectors();
    let private = fixture("vector_private_key_pkcs1.pem");
    let signer = Signer::new(v["identity"]["key_id"].as_str().unwrap(), &private);
    for vector in v["vectors"].as_array().unwrap() {
        let name = vector["name"].as_str().unwrap();
        let parts = vector_parts(vector);
        let names = vector["headers"].as_str().unwrap();
        let expected = vector["signing_string"].as_str().unwrap();
        assert_eq!(parts.signing_string(names), expected, "{name}");
        assert_eq!(signer.sign(expected), vector["signature"], "{name}");

        let headers = header_map(&parts.headers());
        let method = axum::http::Method::from_bytes(parts.method.as_bytes()).unwrap();
        let body = parts.body.clone().unwrap_or_default();
        let received = signature::Received {
            method: &method,
            target: &parts.target,
            headers: &headers,
            body: &body,
        };
        let names: Vec<String> = names.split(' ').map(str::to_string).collect();
        assert_eq!(
            signature::signing_string(&names, &received).unwrap(),
            expected,
            "{name}"
        );
        if let Some(sha) = vector.get("x_content_sha256") {
            assert_eq!(
                signature::body_sha256(&body),
                sha.as_str().unwrap(),
                "{name}"
            );
        }
        if let Some(auth) = vector.get("authorization") {
            let params = signature::parse_authorization(auth.as_str().unwrap()).unwrap();
            assert_eq!(params.key_id, v["identity"]["key_id"], "{name}");
            assert_eq!(params.headers, names, "{name}");
            assert_eq!(params.algorithm, "rsa-sha256");
        }
    }
    assert_eq!(
        signature::body_sha256(b""),
        v["identity"]["empty_body_sha256"]
    );
}

fn vector_parts(vector: &serde_json::Value) -> Parts {
    Parts {
        method: vector["method"].as_str().unwrap().to_string(),
        target: vector["target"].as_str().unwrap().to_string(),
        host: vector["host"].as_str().unwrap().to_string(),
        date: vector["date"].as_str().unwrap().to_string(),
        body: vector["body"].as_str().map(|b| b.as_bytes().to_vec()),
    }
}

fn header_map(headers: &[(String, String)]) -> axum::http::HeaderMap {
    let mut map = axum::http::HeaderMap::new();
    for (k, v) in headers {
        map.append(
            axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            v.parse().unwrap(),
        );
    }
    map
}

/// The emulator's verifier accepts every vector in both SDKs' parameter orders, and names the
/// reason when one detail is changed.
#[test]
fn verifier_accepts_vectors_and_pinpoints_tampering() {
    let v = vectors();
    let key_id = v["identity"]["key_id"].as_str().unwrap();
    let public = keys::parse_public_pem(&fixture("vector_public_key.pem")).unwrap();
    let vector_time = Utc
        .with_ymd_and_hms(2014, 1, 5, 21, 31, 40)
        .unwrap()
        .timestamp();
    let check = |parts: &Parts, auth: &str, now: i64| {
        let mut headers = parts.headers();
        headers.push(("authorization".into(), auth.to_string()));
        let headers = header_map(&headers);
        let method = axum::http::Method::from_bytes(parts.method.as_bytes()).unwrap();
        let body = parts.body.clone().unwrap_or_default();
        let received = signature::Received {
            method: &method,
            target: &parts.target,
            headers: &headers,
            body: &body,
        };
        signature::verify(&received, now, 300, |id| {
            (id == key_id).then(|| public.clone())
        })
    };
    for vector in v["vectors"].as_array().unwrap() {
        let name = vector["name"].as_str().unwrap();
        let parts = vector_parts(vector);
        let names = vector["headers"].as_str().unwrap();
        let sig = vector["signature"].as_str().unwrap();
        let go = format!(
            "Signature version=\"1\",headers=\"{names}\",keyId=\"{key_id}\",algorithm=\"rsa-sha256\",signature=\"{sig}\""
        );
        let python = format!(
            "Signature algorithm=\"rsa-sha256\",headers=\"{names}\",keyId=\"{key_id}\",signature=\"{sig}\",version=\"1\""
        );
        assert_eq!(
            check(&parts, &go, vector_time),
            Ok(key_id.to_string()),
            "{name}"
        );
        assert_eq!(
            check(&parts, &python, vector_time),
            Ok(key_id.to_string()),
            "{name}"
        );
        if let Some(auth) = vector.get("authorization") {
            assert!(
                check(&parts, auth.as_str().unwrap(), vector_time).is_ok(),
                "{name}"
            );
        }

        // Six minutes later the same request is refused for skew; four minutes is fine.
        assert_eq!(
            check(&parts, &go, vector_time + 360),
            Err(signature::AuthError::ClockSkew)
        );
        assert!(check(&parts, &go, vector_time - 240).is_ok());

        let mut other_target = parts.clone();
        other_target.target.push('x');
        assert_eq!(
            check(&other_target, &go, vector_time),
            Err(signature::AuthError::BadSignature)
        );

        let mut other_host = parts.clone();
        other_host.host = "identity.eu-frankfurt-1.oci.oraclecloud.com".into();
        assert_eq!(
            check(&other_host, &go, vector_time),
            Err(signature::AuthError::BadSignature)
        );

        let mut flipped = sig.to_string();
        flipped.replace_range(0..1, if sig.starts_with('A') { "B" } else { "A" });
        let bad = go.replace(sig, &flipped);
        assert_eq!(
            check(&parts, &bad, vector_time),
            Err(signature::AuthError::BadSignature)
        );

        let unknown = go.replace("20:3b:97", "20:3b:98");
        assert_eq!(
            check(&parts, &unknown, vector_time),
            Err(signature::AuthError::UnknownKey)
        );

        let without_host = go.replace(" host", "");
        assert_eq!(
            check(&parts, &without_host, vector_time),
            Err(signature::AuthError::RequiredHeaderNotSigned("host"))
        );
        let sha512 = go.replace("rsa-sha256", "rsa-sha512");
        assert_eq!(
            check(&parts, &sha512, vector_time),
            Err(signature::AuthError::UnsupportedAlgorithm)
        );
        let v2 = go.replace("version=\"1\"", "version=\"2\"");
        assert_eq!(
            check(&parts, &v2, vector_time),
            Err(signature::AuthError::UnsupportedVersion)
        );

        if parts.body.is_some() {
            // The body changed in transit: its hash no longer matches the signed header.
            let mut tampered = parts.clone();
            let mut headers = tampered.headers();
            tampered.body.as_mut().unwrap()[2] ^= 1;
            headers.push(("authorization".into(), go.clone()));
            let map = header_map(&headers);
            let body = tampered.body.clone().unwrap();
            let received = signature::Received {
                method: &axum::http::Method::POST,
                target: &tampered.target,
                headers: &map,
                body: &body,
            };
            assert_eq!(
                signature::verify(&received, vector_time, 300, |_| Some(public.clone())),
                Err(signature::AuthError::BodyHashMismatch)
            );
            // A POST must sign the body headers.
            let short = go.replace(names, "date (request-target) host");
            assert_eq!(
                check(&parts, &short, vector_time),
                Err(signature::AuthError::RequiredHeaderNotSigned(
                    "content-length"
                ))
            );
        }
    }
}

/// Fingerprint = MD5 over the DER SubjectPublicKeyInfo, checked against openssl's output.
#[test]
fn fingerprints_match_openssl() {
    let v = vectors();
    let vector_key = keys::parse_public_pem(&fixture("vector_public_key.pem")).unwrap();
    assert_eq!(
        keys::fingerprint(&vector_key),
        v["identity"]["real_fingerprint"]
    );
    assert_ne!(
        keys::fingerprint(&vector_key),
        v["identity"]["wrong_pkcs1_fingerprint"]
    );
    for n in 1..=3 {
        let key = keys::validate_upload(&test_public(n)).unwrap();
        assert_eq!(keys::fingerprint(&key), support::test_key_fingerprint(n));
    }
}

// ---------------------------------------------------------------- vectors replayed over HTTP

/// Sends a vector's request byte for byte (raw TCP, its own Host and Date) and returns the answer.
async fn replay(s: &Sandbox, name: &str) -> support::Resp {
    let v = vectors();
    let vector = v["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == name)
        .unwrap()
        .clone();
    let parts = vector_parts(&vector);
    let mut headers = parts.headers();
    let names = vector["headers"].as_str().unwrap();
    let auth = format!(
        "Signature version=\"1\",headers=\"{names}\",keyId=\"{}\",algorithm=\"rsa-sha256\",signature=\"{}\"",
        v["identity"]["key_id"].as_str().unwrap(),
        vector["signature"].as_str().unwrap()
    );
    headers.push(("authorization".into(), auth));
    let body = parts.body.clone().unwrap_or_default();
    raw(s.emu.addr, &parts.method, &parts.target, &headers, &body).await
}

#[tokio::test]
async fn vendor_vectors_replay_over_http_with_a_frozen_clock() {
    let s = sandbox().await;
    s.freeze_clock_at_vector_date();

    // Part 1 targets other services: authenticated, then "no such operation" (not 401).
    replay(&s, "GET-1").await.assert_error(404, "NotFound");
    replay(&s, "POST-1").await.assert_error(404, "NotFound");

    // ListApiKeys, with and without the trailing slash: the test key under the vector keyId.
    for name in ["2.4-list", "2.1-list-slash"] {
        let r = replay(&s, name).await;
        assert_eq!(r.status, 200, "{name}: {}", r.text);
        let list = r.json();
        assert_eq!(fingerprints(&list), vec![signature_vector_fp()]);
        assert_eq!(list[0]["userId"], VECTOR_USER);
        assert_eq!(list[0]["keyId"], vectors()["identity"]["key_id"]);
    }

    // UploadApiKey of the 1024-bit test key: the signature is good, the key too small.
    replay(&s, "2.5-upload")
        .await
        .assert_error(400, "InvalidParameter");
    replay(&s, "2.2-upload-slash")
        .await
        .assert_error(400, "InvalidParameter");

    // DeleteApiKey with the percent-encoded fingerprint removes the key...
    let r = replay(&s, "2.6-delete-encoded").await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert!(r.header("opc-request-id").is_some());
    // ...after which the deleted key no longer authenticates anything.
    replay(&s, "2.4-list")
        .await
        .assert_error(401, "NotAuthenticated");
    replay(&s, "2.3-delete-raw")
        .await
        .assert_error(401, "NotAuthenticated");
    s.emu.shutdown().await;
}

fn signature_vector_fp() -> String {
    vectors()["identity"]["keyid_fingerprint"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn vector_delete_with_raw_colons() {
    let s = sandbox().await;
    s.freeze_clock_at_vector_date();
    let r = replay(&s, "2.3-delete-raw").await;
    assert_eq!(r.status, 204, "{}", r.text);
    let state = s.state();
    let vector_user = state.user(VECTOR_USER).unwrap();
    assert!(vector_user.keys.is_empty());
    s.emu.shutdown().await;
}

#[tokio::test]
async fn vectors_dated_2014_are_refused_by_a_live_clock() {
    let s = sandbox().await;
    replay(&s, "2.4-list")
        .await
        .assert_error(401, "NotAuthenticated");
    replay(&s, "GET-1")
        .await
        .assert_error(401, "NotAuthenticated");
    s.emu.shutdown().await;
}

// ---------------------------------------------------------------- seed and manifest

#[tokio::test]
async fn manifest_hands_out_a_working_admin_key_pair() {
    let s = sandbox().await;
    let m = s.emu.manifest()["oci"].clone();
    assert_eq!(m["base_url"], s.emu.base_url);
    assert_eq!(m["region"], "us-ashburn-1");
    assert!(m["tenancy"]
        .as_str()
        .unwrap()
        .starts_with("ocid1.tenancy.oc1.."));
    assert!(m["user"].as_str().unwrap().starts_with("ocid1.user.oc1.."));
    let pem = m["private_key_pem"].as_str().unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"), "PKCS#8");
    let private = rsa::RsaPrivateKey::from_pkcs8_pem(pem).unwrap();
    let public = rsa::RsaPublicKey::from(&private);
    assert_eq!(keys::fingerprint(&public), m["fingerprint"]);
    assert_eq!(rsa::traits::PublicKeyParts::n(&public).bits(), 2048);

    // The admin holds its own key and one demo key, both ACTIVE and fully described.
    let r = s.oci.list(&s.admin, &s.user).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.header("opc-request-id").is_some());
    let list = r.json();
    let fps = fingerprints(&list);
    assert_eq!(fps.len(), 2);
    assert!(fps.contains(&m["fingerprint"].as_str().unwrap().to_string()));
    for key in list.as_array().unwrap() {
        assert_api_key_shape(key, &s.tenancy, &s.user, "ACTIVE");
    }
    s.emu.shutdown().await;
}

/// Every field of `ApiKey` as the docs define it, and consistent with `keyValue`.
fn assert_api_key_shape(key: &serde_json::Value, tenancy: &str, user: &str, state: &str) {
    let fp = key["fingerprint"].as_str().unwrap();
    let parsed = keys::parse_public_pem(key["keyValue"].as_str().unwrap()).unwrap();
    assert_eq!(keys::fingerprint(&parsed), fp);
    assert_eq!(fp.len(), 47);
    assert!(fp
        .chars()
        .all(|c| c == ':' || c.is_ascii_digit() || ('a'..='f').contains(&c)));
    assert_eq!(key["keyId"], format!("{tenancy}/{user}/{fp}"));
    assert_eq!(key["userId"], user);
    assert_eq!(key["lifecycleState"], state);
    let created = key["timeCreated"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(created).is_ok(),
        "{created}"
    );
    assert!(
        created.ends_with('Z') && created.len() == 24,
        "millis and Z: {created}"
    );
}

#[tokio::test]
async fn seeded_users_and_keys() {
    let s = sandbox().await;
    let state = s.state();
    let count = |name: &str| {
        state
            .users
            .iter()
            .find(|u| u.name == name)
            .unwrap()
            .keys
            .len()
    };
    assert_eq!(count("sandbox-admin"), 2);
    assert_eq!(count("ci-deployer"), 3, "a user at the limit");
    assert_eq!(count("analyst"), 1);
    assert_eq!(state.user(VECTOR_USER).unwrap().keys.len(), 1);
    let admins: Vec<_> = state.users.iter().filter(|u| u.is_admin).collect();
    assert_eq!(admins.len(), 1);
    assert_eq!(admins[0].id, s.user);
    let mut all: Vec<_> = state
        .users
        .iter()
        .flat_map(|u| u.keys.iter().map(|k| k.fingerprint.clone()))
        .collect();
    let total = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), total, "fingerprints are unique");
    s.emu.shutdown().await;
}

#[tokio::test]
async fn empty_and_extra_key_seeds() {
    let empty = sandbox_with(SeedOptions {
        empty: true,
        extra_keys: 0,
    })
    .await;
    let state = empty.state();
    assert_eq!(
        state.user(&empty.user).unwrap().keys.len(),
        1,
        "the admin key only"
    );
    assert!(state.users.len() >= 3, "identities stay");
    assert_eq!(state.users.iter().map(|u| u.keys.len()).sum::<usize>(), 1);
    let r = empty.oci.list(&empty.admin, &empty.user).await;
    assert_eq!(r.status, 200, "the admin key signs");
    empty.emu.shutdown().await;

    let extra = sandbox_with(SeedOptions {
        empty: false,
        extra_keys: 7,
    })
    .await;
    let state = extra.state();
    let load: Vec<usize> = state
        .users
        .iter()
        .filter(|u| u.name.starts_with("load-user-"))
        .map(|u| u.keys.len())
        .collect();
    assert_eq!(load, vec![3, 3, 1], "at most three keys per user");
    let loaded = state
        .users
        .iter()
        .find(|u| u.name == "load-user-1")
        .unwrap()
        .id
        .clone();
    let r = extra.oci.list(&extra.admin, &loaded).await;
    assert_eq!(fingerprints(&r.json()).len(), 3);
    extra.emu.shutdown().await;
}

#[tokio::test]
async fn seeding_is_fast_once_the_admin_pair_exists() {
    // The first seed in a process makes the RSA-2048 admin pair; later seeds reuse it.
    let first = std::time::Instant::now();
    let _ = keys::admin_key_pair();
    let keygen = first.elapsed();

    let t = std::time::Instant::now();
    let mut state = State::default();
    keyrack_emulator::vendors::oci::seed(&mut state, &SeedOptions::default());
    let seed = t.elapsed();

    let t = std::time::Instant::now();
    let emu = start(EmulatorOptions::default()).await.unwrap();
    let whole = t.elapsed();
    eprintln!("oci admin keygen {keygen:?}; oci seed {seed:?}; emulator start {whole:?}");
    assert!(
        seed < std::time::Duration::from_millis(500),
        "oci seed took {seed:?}"
    );
    emu.shutdown().await;
}

// ---------------------------------------------------------------- lifecycle

#[tokio::test]
async fn upload_list_sign_delete_lifecycle() {
    let s = sandbox().await;
    let fp1 = support::test_key_fingerprint(1);

    let r = s.oci.upload(&s.admin, &s.user, &test_public(1)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.header("etag").is_some_and(|e| !e.is_empty()));
    assert!(r.header("opc-request-id").is_some());
    let key = r.json();
    assert_api_key_shape(&key, &s.tenancy, &s.user, "ACTIVE");
    assert_eq!(key["fingerprint"], fp1);
    assert_eq!(key["keyValue"], test_public(1), "the PEM as uploaded");

    let list = s.oci.list(&s.admin, &s.user).await.json();
    assert_eq!(fingerprints(&list).len(), 3);
    assert_eq!(fingerprints(&list)[2], fp1, "creation order");
    assert_eq!(list[2]["lifecycleState"], "ACTIVE");

    // The new key signs at once.
    let new = s.signer(&s.user, 1);
    let r = s.oci.list(&new, &s.user).await;
    assert_eq!(r.status, 200, "{}", r.text);

    // Delete it with the Python SDK's %3A-encoded fingerprint.
    let r = s.oci.delete(&s.admin, &s.user, &fp1, true).await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert!(r.text.is_empty());
    assert!(r.header("opc-request-id").is_some());
    let list = s.oci.list(&s.admin, &s.user).await.json();
    assert!(!fingerprints(&list).contains(&fp1));
    assert_eq!(fingerprints(&list).len(), 2);

    // A deleted key stops authenticating.
    s.oci
        .list(&new, &s.user)
        .await
        .assert_error(401, "NotAuthenticated");
    s.emu.shutdown().await;
}

#[tokio::test]
async fn the_collection_path_works_with_a_trailing_slash() {
    let s = sandbox().await;
    let target = format!("/20160918/users/{}/apiKeys/", s.user);
    let body = serde_json::to_vec(&serde_json::json!({ "key": test_public(2) })).unwrap();
    let r = s.oci.send(&s.admin, "POST", &target, Some(&body)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = s.oci.send(&s.admin, "GET", &target, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(fingerprints(&r.json()).len(), 3);
    s.emu.shutdown().await;
}

#[tokio::test]
async fn delete_with_raw_colons_unknown_fingerprint_and_if_match() {
    let s = sandbox().await;
    let fp1 = support::test_key_fingerprint(1);
    let etag = s
        .oci
        .upload(&s.admin, &s.user, &test_public(1))
        .await
        .header("etag")
        .unwrap()
        .to_string();

    s.oci
        .delete(
            &s.admin,
            &s.user,
            "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff",
            false,
        )
        .await
        .assert_error(404, "NotAuthorizedOrNotFound");

    // if-match with a stale etag is refused; the current one (quoted or bare) is accepted.
    let target = format!("/20160918/users/{}/apiKeys/{fp1}", s.user);
    let mut headers = s.oci.parts("DELETE", &target, None).signed(&s.admin);
    headers.push(("if-match".into(), "\"stale\"".into()));
    s.oci
        .send_with("DELETE", &target, &headers, None)
        .await
        .assert_error(412, "NoEtagMatch");
    let mut headers = s.oci.parts("DELETE", &target, None).signed(&s.admin);
    headers.push(("if-match".into(), etag));
    let r = s.oci.send_with("DELETE", &target, &headers, None).await;
    assert_eq!(r.status, 204, "{}", r.text);

    // Raw colons, as the Go SDK sends them.
    s.oci.upload(&s.admin, &s.user, &test_public(1)).await;
    let r = s.oci.delete(&s.admin, &s.user, &fp1, false).await;
    assert_eq!(r.status, 204, "{}", r.text);
    s.oci
        .delete(&s.admin, &s.user, &fp1, false)
        .await
        .assert_error(404, "NotAuthorizedOrNotFound");
    s.emu.shutdown().await;
}

// ---------------------------------------------------------------- limits and validation

#[tokio::test]
async fn a_fourth_key_is_refused() {
    let s = sandbox().await;
    assert_eq!(
        s.oci
            .upload(&s.admin, &s.user, &test_public(1))
            .await
            .status,
        200
    );
    let r = s.oci.upload(&s.admin, &s.user, &test_public(2)).await;
    r.assert_error(400, "LimitExceeded");
    assert_eq!(
        fingerprints(&s.oci.list(&s.admin, &s.user).await.json()).len(),
        3
    );

    // The seeded user already at the limit.
    let deployer = s.user_named("ci-deployer");
    s.oci
        .upload(&s.admin, &deployer, &test_public(2))
        .await
        .assert_error(400, "LimitExceeded");

    // The docs leave the exact answer open; the emulator can be told to use 409 Conflict.
    {
        let mut store = s.emu.shared.store();
        store.oci.settings.key_limit_status = 409;
        store.oci.settings.key_limit_code = "Conflict".into();
    }
    s.oci
        .upload(&s.admin, &deployer, &test_public(2))
        .await
        .assert_error(409, "Conflict");
    s.emu.shutdown().await;
}

#[tokio::test]
async fn upload_validation_errors() {
    let s = sandbox().await;
    let target = format!("/20160918/users/{}/apiKeys", s.user);
    let post = |body: Vec<u8>| {
        let target = target.clone();
        let oci = &s.oci;
        let admin = &s.admin;
        async move { oci.send(admin, "POST", &target, Some(&body)).await }
    };
    let json = |v: serde_json::Value| serde_json::to_vec(&v).unwrap();

    post(json(serde_json::json!({"key": "-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----"})))
        .await
        .assert_error(400, "InvalidParameter");
    post(json(
        serde_json::json!({"key": fixture("vector_public_key.pem")}),
    ))
    .await
    .assert_error(400, "InvalidParameter");
    post(json(
        serde_json::json!({"key": fixture("test_key_2047_public.pem")}),
    ))
    .await
    .assert_error(400, "InvalidParameter");
    post(json(
        serde_json::json!({"key": fixture("ec_p256_public.pem")}),
    ))
    .await
    .assert_error(400, "InvalidParameter");
    post(json(serde_json::json!({"key": 42})))
        .await
        .assert_error(400, "InvalidParameter");
    post(json(serde_json::json!({})))
        .await
        .assert_error(400, "MissingParameter");
    post(json(serde_json::json!({"key": null})))
        .await
        .assert_error(400, "MissingParameter");
    post(b"{\"key\": ".to_vec())
        .await
        .assert_error(400, "CannotParseRequest");
    post(b"[]".to_vec())
        .await
        .assert_error(400, "CannotParseRequest");

    // The Python SDK's body form (space after the colon, PEM with a final newline) is accepted.
    let python = format!(
        "{{\"key\": {}}}",
        serde_json::to_string(&test_public(1)).unwrap()
    );
    assert_eq!(post(python.into_bytes()).await.status, 200);
    // The same key again for the same user is a conflict.
    post(json(serde_json::json!({"key": test_public(1)})))
        .await
        .assert_error(409, "Conflict");
    assert_eq!(
        fingerprints(&s.oci.list(&s.admin, &s.user).await.json()).len(),
        3
    );
    s.emu.shutdown().await;
}

// ---------------------------------------------------------------- authentication

#[tokio::test]
async fn authentication_failures_are_401_not_authenticated() {
    let s = sandbox().await;
    let list = format!("/20160918/users/{}/apiKeys", s.user);
    let parts = s.oci.parts("GET", &list, None);

    // No Authorization at all.
    s.oci
        .send_with("GET", &list, &parts.headers(), None)
        .await
        .assert_error(401, "NotAuthenticated");
    // Not the Signature scheme.
    let mut h = parts.headers();
    h.push(("authorization".into(), "Bearer abc".into()));
    s.oci
        .send_with("GET", &list, &h, None)
        .await
        .assert_error(401, "NotAuthenticated");

    // Signed with another private key under the admin's keyId.
    let impostor = Signer::new(&s.admin.key_id, &fixture("test_key_3.pem"));
    s.oci
        .list(&impostor, &s.user)
        .await
        .assert_error(401, "NotAuthenticated");

    // Unknown fingerprint, and the right key under another tenancy.
    let unknown = s.signer(&s.user, 3);
    s.oci
        .list(&unknown, &s.user)
        .await
        .assert_error(401, "NotAuthenticated");
    let pem = s.emu.manifest()["oci"]["private_key_pem"]
        .as_str()
        .unwrap()
        .to_string();
    let other_tenancy = Signer::new(
        &s.admin
            .key_id
            .replacen("ocid1.tenancy.oc1..", "ocid1.tenancy.oc1..x", 1),
        &pem,
    );
    s.oci
        .list(&other_tenancy, &s.user)
        .await
        .assert_error(401, "NotAuthenticated");

    // Dates outside the 5-minute window; inside it is fine.
    for (offset, status) in [(-360, 401), (360, 401), (-240, 200), (240, 200)] {
        let mut p = s.oci.parts("GET", &list, None);
        p.date = support::http_date_now_offset(offset);
        let r = s
            .oci
            .send_with("GET", &list, &p.signed(&s.admin), None)
            .await;
        assert_eq!(r.status, status, "date offset {offset}s: {}", r.text);
    }

    // A signature over a different path does not cover this one.
    let p = s.oci.parts("GET", &format!("{list}/"), None);
    let r = s
        .oci
        .send_with("GET", &list, &p.signed(&s.admin), None)
        .await;
    r.assert_error(401, "NotAuthenticated");

    // `host` left out of the signed headers.
    let mut h = parts.headers();
    let names = "date (request-target)";
    h.push((
        "authorization".into(),
        s.admin.authorization(names, &parts.signing_string(names)),
    ));
    s.oci
        .send_with("GET", &list, &h, None)
        .await
        .assert_error(401, "NotAuthenticated");
    s.emu.shutdown().await;
}

#[tokio::test]
async fn body_tampering_and_unsigned_body_headers_are_401() {
    let s = sandbox().await;
    let target = format!("/20160918/users/{}/apiKeys", s.user);
    let good = serde_json::to_vec(&serde_json::json!({ "key": test_public(1) })).unwrap();
    let evil = serde_json::to_vec(&serde_json::json!({ "key": test_public(2) })).unwrap();
    assert_eq!(good.len(), evil.len());

    // Signed for one body, another sent (with the signed hash header).
    let parts = s.oci.parts("POST", &target, Some(&good));
    let headers = parts.signed(&s.admin);
    s.oci
        .send_with("POST", &target, &headers, Some(&evil))
        .await
        .assert_error(401, "NotAuthenticated");

    // Another body with its own, correct hash header, under the old signature.
    let evil_parts = s.oci.parts("POST", &target, Some(&evil));
    let mut headers: Vec<_> = evil_parts.headers();
    let auth = parts
        .signed(&s.admin)
        .into_iter()
        .find(|(k, _)| k == "authorization")
        .unwrap();
    headers.push(auth);
    s.oci
        .send_with("POST", &target, &headers, Some(&evil))
        .await
        .assert_error(401, "NotAuthenticated");

    // A POST that signs only the generic headers.
    let mut headers = parts.headers();
    let names = support::GENERIC;
    headers.push((
        "authorization".into(),
        s.admin.authorization(names, &parts.signing_string(names)),
    ));
    s.oci
        .send_with("POST", &target, &headers, Some(&good))
        .await
        .assert_error(401, "NotAuthenticated");

    // A POST without the x-content-sha256 header at all.
    let headers: Vec<_> = parts
        .signed(&s.admin)
        .into_iter()
        .filter(|(k, _)| k != "x-content-sha256")
        .collect();
    s.oci
        .send_with("POST", &target, &headers, Some(&good))
        .await
        .assert_error(401, "NotAuthenticated");

    assert_eq!(
        fingerprints(&s.oci.list(&s.admin, &s.user).await.json()).len(),
        2,
        "nothing uploaded"
    );
    // The honest request goes through.
    assert_eq!(
        s.oci
            .send(&s.admin, "POST", &target, Some(&good))
            .await
            .status,
        200
    );
    s.emu.shutdown().await;
}

#[tokio::test]
async fn python_parameter_order_and_x_date_are_accepted() {
    let s = sandbox().await;
    let list = format!("/20160918/users/{}/apiKeys", s.user);
    let parts = s.oci.parts("GET", &list, None);
    let text = parts.signing_string(support::GENERIC);
    let python = format!(
        "Signature algorithm=\"rsa-sha256\",headers=\"{}\",keyId=\"{}\",signature=\"{}\",version=\"1\"",
        support::GENERIC,
        s.admin.key_id,
        s.admin.sign(&text)
    );
    let mut h = parts.headers();
    h.push(("authorization".into(), python));
    assert_eq!(s.oci.send_with("GET", &list, &h, None).await.status, 200);

    // `x-date` in place of `date`.
    let date = support::http_date_now_offset(0);
    let text = format!(
        "x-date: {date}\n(request-target): get {list}\nhost: {}",
        s.oci.host
    );
    let names = "x-date (request-target) host";
    let h = vec![
        ("x-date".to_string(), date),
        ("host".to_string(), s.oci.host.clone()),
        (
            "authorization".to_string(),
            s.admin.authorization(names, &text),
        ),
    ];
    let r = s.oci.send_with("GET", &list, &h, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    s.emu.shutdown().await;
}

// ---------------------------------------------------------------- authorisation

#[tokio::test]
async fn users_manage_their_own_keys_and_admins_anyones() {
    let s = sandbox().await;
    let analyst = s.user_named("analyst");
    let deployer = s.user_named("ci-deployer");

    // The administrator uploads a key for the analyst, who can then sign with it.
    let r = s.oci.upload(&s.admin, &analyst, &test_public(2)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["userId"], analyst);
    let me = s.signer(&analyst, 2);
    let r = s.oci.list(&me, &analyst).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(fingerprints(&r.json()).len(), 2);

    // But the analyst cannot see or touch anybody else's keys.
    s.oci
        .list(&me, &s.user)
        .await
        .assert_error(404, "NotAuthorizedOrNotFound");
    s.oci
        .upload(&me, &deployer, &test_public(3))
        .await
        .assert_error(404, "NotAuthorizedOrNotFound");
    let admin_fp = s.emu.manifest()["oci"]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    s.oci
        .delete(&me, &s.user, &admin_fp, true)
        .await
        .assert_error(404, "NotAuthorizedOrNotFound");
    assert_eq!(
        s.oci.list(&s.admin, &s.user).await.status,
        200,
        "admin key still there"
    );

    // The analyst manages their own keys: upload, then delete the admin-made one.
    assert_eq!(
        s.oci.upload(&me, &analyst, &test_public(3)).await.status,
        200
    );
    let fp2 = support::test_key_fingerprint(2);
    assert_eq!(s.oci.delete(&me, &analyst, &fp2, true).await.status, 204);

    // Unknown users are indistinguishable from forbidden ones.
    s.oci
        .list(&s.admin, "ocid1.user.oc1..aaaaaaaanobody")
        .await
        .assert_error(404, "NotAuthorizedOrNotFound");
    s.emu.shutdown().await;
}

// ---------------------------------------------------------------- routing, ids, retries, state

#[tokio::test]
async fn unknown_operations_and_methods() {
    let s = sandbox().await;
    s.oci
        .send(&s.admin, "GET", "/20160918/widgets", None)
        .await
        .assert_error(404, "NotFound");
    // ListUsers exists, and says what it lacks.
    s.oci
        .send(&s.admin, "GET", "/20160918/users", None)
        .await
        .assert_error(400, "MissingParameter");
    let p = s.oci.parts("GET", "/20160918/users", None);
    s.oci
        .send_with("GET", "/20160918/users", &p.headers(), None)
        .await
        .assert_error(401, "NotAuthenticated");

    let list = format!("/20160918/users/{}/apiKeys", s.user);
    let body = b"{}".to_vec();
    let r = s.oci.send(&s.admin, "PUT", &list, Some(&body)).await;
    r.assert_error(405, "MethodNotAllowed");
    let one = format!("{list}/aa:bb");
    s.oci
        .send(&s.admin, "GET", &one, None)
        .await
        .assert_error(405, "MethodNotAllowed");
    s.emu.shutdown().await;
}

#[tokio::test]
async fn every_response_carries_opc_request_id() {
    let s = sandbox().await;
    let list = format!("/20160918/users/{}/apiKeys", s.user);
    let mut h = s.oci.parts("GET", &list, None).signed(&s.admin);
    h.push((
        "opc-request-id".into(),
        "CLIENT0000000000000000000000000042".into(),
    ));
    let r = s.oci.send_with("GET", &list, &h, None).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("opc-request-id"),
        Some("CLIENT0000000000000000000000000042")
    );

    let a = s.oci.list(&s.admin, &s.user).await;
    let b = s.oci.list(&s.admin, &s.user).await;
    let (a, b) = (
        a.header("opc-request-id").unwrap(),
        b.header("opc-request-id").unwrap(),
    );
    assert!(!a.is_empty());
    assert_ne!(a, b, "generated ids differ");

    let p = s.oci.parts("GET", &list, None);
    let r = s.oci.send_with("GET", &list, &p.headers(), None).await;
    assert_eq!(r.status, 401);
    assert!(r.header("opc-request-id").is_some());
    s.emu.shutdown().await;
}

#[tokio::test]
async fn a_retried_upload_with_the_same_retry_token_is_applied_once() {
    let s = sandbox().await;
    let target = format!("/20160918/users/{}/apiKeys", s.user);
    let body = serde_json::to_vec(&serde_json::json!({ "key": test_public(1) })).unwrap();
    let send = |body: Vec<u8>| {
        let target = target.clone();
        let s = &s;
        async move {
            let mut h = s.oci.parts("POST", &target, Some(&body)).signed(&s.admin);
            h.push((
                "opc-retry-token".into(),
                "retry-token-0000000000000000000001".into(),
            ));
            s.oci.send_with("POST", &target, &h, Some(&body)).await
        }
    };
    let first = send(body.clone()).await;
    assert_eq!(first.status, 200, "{}", first.text);
    let again = send(body.clone()).await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.json(), first.json());
    assert_eq!(again.header("etag"), first.header("etag"));
    assert_eq!(
        fingerprints(&s.oci.list(&s.admin, &s.user).await.json()).len(),
        3
    );

    // The same token on a different request is a conflict.
    let other = serde_json::to_vec(&serde_json::json!({ "key": test_public(2) })).unwrap();
    send(other).await.assert_error(409, "Conflict");
    s.emu.shutdown().await;
}

#[tokio::test]
async fn a_key_in_creating_state_cannot_sign_yet() {
    let s = sandbox().await;
    s.emu.shared.store().oci.settings.activation_delay_ms = 60_000;
    let r = s.oci.upload(&s.admin, &s.user, &test_public(1)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["lifecycleState"], "CREATING");
    let list = s.oci.list(&s.admin, &s.user).await.json();
    assert_eq!(list[2]["lifecycleState"], "CREATING");
    let new = s.signer(&s.user, 1);
    s.oci
        .list(&new, &s.user)
        .await
        .assert_error(401, "NotAuthenticated");
    s.emu.shutdown().await;
}

#[tokio::test]
async fn the_state_file_keeps_keys_and_the_admin_pair() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let opts = EmulatorOptions {
        state_file: Some(path.clone()),
        ..Default::default()
    };
    let emu = start(opts.clone()).await.unwrap();
    let manifest = emu.manifest()["oci"].clone();
    let s = Sandbox {
        oci: Oci::new(&emu.base_url),
        admin: Signer::new(
            &format!(
                "{}/{}/{}",
                manifest["tenancy"].as_str().unwrap(),
                manifest["user"].as_str().unwrap(),
                manifest["fingerprint"].as_str().unwrap()
            ),
            manifest["private_key_pem"].as_str().unwrap(),
        ),
        user: manifest["user"].as_str().unwrap().to_string(),
        tenancy: manifest["tenancy"].as_str().unwrap().to_string(),
        emu,
    };
    assert_eq!(
        s.oci
            .upload(&s.admin, &s.user, &test_public(1))
            .await
            .status,
        200
    );
    s.emu.shutdown().await;
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(support::test_key_fingerprint(1).as_str()));

    let emu = start(opts).await.unwrap();
    let mut again = emu.manifest()["oci"].clone();
    again["base_url"] = manifest["base_url"].clone();
    assert_eq!(again, manifest, "same admin credentials after a restart");
    let oci = Oci::new(&emu.base_url);
    let r = oci.list(&s.admin, &s.user).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(fingerprints(&r.json()).contains(&support::test_key_fingerprint(1)));
    emu.shutdown().await;
}

#[test]
fn debug_never_prints_the_admin_private_key() {
    let mut state = State::default();
    keyrack_emulator::vendors::oci::seed(&mut state, &SeedOptions::default());
    assert!(state.admin_private_key_pem.0.contains("PRIVATE KEY"));
    let text = format!("{state:?}");
    assert!(text.contains("<redacted>"));
    assert!(!text.contains("PRIVATE KEY"), "{text}");
}

// ---------------------------------------------------------------- ListUsers

#[tokio::test]
async fn list_users_pages_for_an_administrator_only() {
    let s = sandbox_with(SeedOptions {
        extra_keys: 7,
        ..SeedOptions::default()
    })
    .await;
    let all = s.state().users.len();
    assert!(
        all > 4,
        "the seed has load users besides the four named ones"
    );

    // One page with everything, in the tenancy's order, each user with a name.
    let target = format!("/20160918/users?compartmentId={}", s.tenancy);
    let r = s.oci.send(&s.admin, "GET", &target, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let users = r.json();
    let users = users.as_array().unwrap();
    assert_eq!(users.len(), all);
    assert!(r.header("opc-next-page").is_none());
    let admin = users.iter().find(|u| u["id"] == s.user).unwrap();
    assert_eq!(admin["name"], "sandbox-admin");
    assert_eq!(admin["compartmentId"], s.tenancy);
    assert_eq!(admin["lifecycleState"], "ACTIVE");
    assert!(admin["timeCreated"].as_str().unwrap().ends_with('Z'));

    // Pages of two, chained by opc-next-page.
    let mut seen = Vec::new();
    let mut page: Option<String> = None;
    loop {
        let mut target = format!("/20160918/users?compartmentId={}&limit=2", s.tenancy);
        if let Some(p) = &page {
            target.push_str(&format!("&page={p}"));
        }
        let r = s.oci.send(&s.admin, "GET", &target, None).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let batch = r.json();
        assert!(batch.as_array().unwrap().len() <= 2);
        seen.extend(
            batch
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["id"].as_str().unwrap().to_string()),
        );
        match r.header("opc-next-page") {
            Some(next) => page = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), all);

    // A user who is no administrator gets OCI's answer for anything it may not see.
    let analyst = s.user_named("analyst");
    assert_eq!(
        s.oci
            .upload(&s.admin, &analyst, &test_public(2))
            .await
            .status,
        200
    );
    let me = s.signer(&analyst, 2);
    s.oci
        .send(
            &me,
            "GET",
            &format!("/20160918/users?compartmentId={}", s.tenancy),
            None,
        )
        .await
        .assert_error(404, "NotAuthorizedOrNotFound");
    // Another compartment, a missing one, a bad limit.
    s.oci
        .send(
            &s.admin,
            "GET",
            "/20160918/users?compartmentId=ocid1.tenancy.oc1..other",
            None,
        )
        .await
        .assert_error(404, "NotAuthorizedOrNotFound");
    s.oci
        .send(&s.admin, "GET", "/20160918/users", None)
        .await
        .assert_error(400, "MissingParameter");
    s.oci
        .send(
            &s.admin,
            "GET",
            &format!("/20160918/users?compartmentId={}&limit=0", s.tenancy),
            None,
        )
        .await
        .assert_error(400, "InvalidParameter");
    s.emu.shutdown().await;
}
