//! IBM Cloud IAM emulation, checked against IBM's API documentation: token exchange, bearer auth,
//! the API-key lifecycle, listing and paging, the limits endpoint, and every documented error.

use crate::common::{client, json, with_options};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use keyrack_emulator::vendors::ibm::{jwt, IdentityKind};
use keyrack_emulator::{Emulator, EmulatorOptions, SeedOptions};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const APIKEY_GRANT: &str = "urn:ibm:params:oauth:grant-type:apikey";
/// Fields the official SDK refuses to parse a key without.
const REQUIRED: [&str; 8] = [
    "id",
    "crn",
    "locked",
    "created_by",
    "name",
    "iam_id",
    "account_id",
    "apikey",
];

struct Ibm {
    emu: Emulator,
    base: String,
    token: String,
    iam_id: String,
    account: String,
    apikey: String,
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
}

impl Reply {
    fn body(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("{}: not JSON ({e}): {:?}", self.status, self.text))
    }

    /// Assert the documented `/v1/*` error shape and return `errors[0].code`.
    fn error(&self, status: u16) -> String {
        assert_eq!(self.status.as_u16(), status, "{}", self.text);
        let body = self.body();
        assert_eq!(body["status_code"], status.to_string(), "{body}");
        assert!(
            body["trace"].as_str().is_some_and(|t| !t.is_empty()),
            "{body}"
        );
        assert!(body["context"]["transaction_id"].is_string(), "{body}");
        let e = &body["errors"][0];
        assert!(
            e["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{body}"
        );
        assert!(
            e["message_code"]
                .as_str()
                .is_some_and(|c| c.starts_with("BXNIM")),
            "{body}"
        );
        e["code"].as_str().unwrap().to_owned()
    }
}

impl Ibm {
    async fn start() -> Ibm {
        Self::with_seed(SeedOptions::default()).await
    }

    async fn with_seed(seed: SeedOptions) -> Ibm {
        let emu = with_options(EmulatorOptions {
            seed,
            ..EmulatorOptions::default()
        })
        .await;
        let m = emu.manifest()["ibm"].clone();
        let apikey = m["api_key"].as_str().unwrap().to_owned();
        let token = crate::common::ibm_token(&emu.base_url, &apikey).await;
        Ibm {
            base: emu.base_url.clone(),
            token,
            iam_id: m["iam_id"].as_str().unwrap().to_owned(),
            account: m["account_id"].as_str().unwrap().to_owned(),
            apikey,
            emu,
        }
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        self.call_as(&self.token, method, path, body, headers).await
    }

    async fn call_as(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = client()
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token)
            .header("accept", "application/json");
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let r = request.send().await.unwrap();
        Reply {
            status: r.status(),
            headers: r.headers().clone(),
            text: r.text().await.unwrap(),
        }
    }

    async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, None, &[]).await
    }

    async fn create(&self, body: Value) -> Reply {
        self.call(Method::POST, "/v1/apikeys", Some(body), &[])
            .await
    }

    async fn create_ok(&self, name: &str) -> Value {
        let r = self
            .create(json!({"name": name, "iam_id": self.iam_id}))
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        r.body()
    }

    /// A seeded key's secret, read from the emulator's state.
    fn secret_of(&self, name: &str) -> String {
        let store = self.emu.shared.store();
        store
            .ibm
            .keys
            .iter()
            .find(|k| k.name == name)
            .unwrap()
            .apikey
            .clone()
    }

    fn id_of(&self, name: &str) -> String {
        let store = self.emu.shared.store();
        store
            .ibm
            .keys
            .iter()
            .find(|k| k.name == name)
            .unwrap()
            .id
            .clone()
    }

    fn service_id(&self, name: &str) -> String {
        let store = self.emu.shared.store();
        store
            .ibm
            .identities
            .iter()
            .find(|i| i.name == name)
            .unwrap()
            .iam_id
            .clone()
    }

    fn colleague(&self) -> String {
        let store = self.emu.shared.store();
        store
            .ibm
            .identities
            .iter()
            .find(|i| i.kind == IdentityKind::User && i.iam_id != self.iam_id)
            .unwrap()
            .iam_id
            .clone()
    }

    async fn exchange(&self, form: &[(&str, &str)]) -> Reply {
        let r = client()
            .post(format!("{}/identity/token", self.base))
            .form(form)
            .send()
            .await
            .unwrap();
        Reply {
            status: r.status(),
            headers: r.headers().clone(),
            text: r.text().await.unwrap(),
        }
    }

    /// Assert the token endpoint's camelCase error and return its `errorCode`.
    async fn token_error(&self, form: &[(&str, &str)]) -> (String, String) {
        let r = self.exchange(form).await;
        assert_eq!(r.status, 400, "{}", r.text);
        let body = r.body();
        assert!(body["context"]["requestId"].is_string(), "{body}");
        assert_eq!(body["context"]["requestType"], "incoming.Identity_Token");
        (
            body["errorCode"].as_str().unwrap().to_owned(),
            body["errorMessage"].as_str().unwrap().to_owned(),
        )
    }

    async fn list_all(&self, query: &str) -> Vec<Value> {
        let r = self.get(&format!("/v1/apikeys?{query}")).await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.body()["apikeys"].as_array().unwrap().clone()
    }
}

fn claims(token: &str) -> Value {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "a JWT has three segments");
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    assert!(header["alg"].is_string());
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap()
}

fn names(keys: &[Value]) -> Vec<String> {
    keys.iter()
        .map(|k| k["name"].as_str().unwrap().to_owned())
        .collect()
}

fn is_short_time(value: &Value) -> bool {
    let s = value.as_str().unwrap_or_default();
    s.len() == 21 && s.ends_with("+0000") && s.as_bytes()[10] == b'T'
}

// ---------------------------------------------------------------- token exchange

#[tokio::test]
async fn admin_key_exchanges_for_a_decodable_jwt() {
    let ibm = Ibm::start().await;
    let r = ibm
        .exchange(&[
            ("grant_type", APIKEY_GRANT),
            ("apikey", &ibm.apikey),
            ("response_type", "cloud_iam"),
        ])
        .await;
    assert_eq!(r.status, 200);
    let body = r.body();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert!(body["refresh_token"].is_string());
    assert!(
        body["ims_user_id"].is_u64(),
        "user tokens carry ims_user_id"
    );
    let c = claims(body["access_token"].as_str().unwrap());
    assert_eq!(c["iam_id"], ibm.iam_id);
    assert_eq!(c["sub"], ibm.iam_id);
    assert_eq!(c["account"]["bss"], ibm.account);
    assert_eq!(
        c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(),
        3600
    );
    assert_eq!(body["expiration"], c["exp"]);
    let now = chrono::Utc::now().timestamp();
    assert!((c["iat"].as_i64().unwrap() - now).abs() < 60);
}

#[tokio::test]
async fn service_id_keys_exchange_too() {
    let ibm = Ibm::start().await;
    let secret = ibm.secret_of("ci-nightly");
    let token = crate::common::ibm_token(&ibm.base, &secret).await;
    let c = claims(&token);
    assert_eq!(c["iam_id"], ibm.service_id("ci-pipeline"));
    assert_eq!(c["sub_type"], "ServiceId");
    // A service ID sees its own keys by default.
    let r = ibm
        .call_as(&token, Method::GET, "/v1/apikeys", None, &[])
        .await;
    assert_eq!(r.status, 200);
    let mut got = names(r.body()["apikeys"].as_array().unwrap());
    got.sort();
    assert_eq!(got, ["ci-deploy", "ci-nightly"]);
}

#[tokio::test]
async fn token_errors_use_the_documented_shape() {
    let ibm = Ibm::start().await;
    let (code, message) = ibm
        .token_error(&[("grant_type", APIKEY_GRANT), ("apikey", "no-such-key")])
        .await;
    assert_eq!(code, "BXNIM0415E");
    assert!(message.contains("could not be found"), "{message}");

    let (code, message) = ibm.token_error(&[("grant_type", APIKEY_GRANT)]).await;
    assert_eq!(code, "BXNIM0109E");
    assert!(message.contains("apikey"));

    let (code, message) = ibm.token_error(&[("apikey", &ibm.apikey)]).await;
    assert_eq!(code, "BXNIM0109E");
    assert!(message.contains("grant_type"));

    let (code, _) = ibm
        .token_error(&[("grant_type", "password"), ("apikey", &ibm.apikey)])
        .await;
    assert_eq!(code, "BXNIM0103E");

    let (_, message) = ibm
        .token_error(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "not_supported"),
        ])
        .await;
    assert!(message.contains("refresh token"));

    // JSON instead of a form.
    let r = client()
        .post(format!("{}/identity/token", ibm.base))
        .json(&json!({"grant_type": APIKEY_GRANT, "apikey": ibm.apikey}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(json(r).await["errorMessage"].is_string());
}

#[tokio::test]
async fn disabled_and_expired_keys_get_no_token() {
    let ibm = Ibm::start().await;
    let (code, message) = ibm
        .token_error(&[
            ("grant_type", APIKEY_GRANT),
            ("apikey", &ibm.secret_of("billing-export-old")),
        ])
        .await;
    assert_eq!(code, "BXNIM0415E");
    assert!(message.contains("disabled"), "{message}");
    let (code, message) = ibm
        .token_error(&[
            ("grant_type", APIKEY_GRANT),
            ("apikey", &ibm.secret_of("dana-notebook")),
        ])
        .await;
    assert_eq!(code, "BXNIM0415E");
    assert!(message.contains("expired"), "{message}");
    // Expiring in three days is still fine.
    crate::common::ibm_token(&ibm.base, &ibm.secret_of("ci-deploy")).await;
}

#[tokio::test]
async fn token_exchanges_are_counted_as_activity() {
    let ibm = Ibm::start().await;
    let id = ibm.id_of("ci-nightly");
    let before = ibm
        .get(&format!("/v1/apikeys/{id}?include_activity=true"))
        .await
        .body();
    assert_eq!(before["activity"]["authn_count"], 0);
    crate::common::ibm_token(&ibm.base, &ibm.secret_of("ci-nightly")).await;
    let after = ibm
        .get(&format!("/v1/apikeys/{id}?include_activity=true"))
        .await
        .body();
    assert_eq!(after["activity"]["authn_count"], 1);
    assert!(after["activity"]["last_authn"].is_string());
    let plain = ibm.get(&format!("/v1/apikeys/{id}")).await.body();
    assert!(plain.get("activity").is_none());
}

// ---------------------------------------------------------------- bearer auth

#[tokio::test]
async fn v1_requires_a_valid_unexpired_bearer_token() {
    let ibm = Ibm::start().await;
    let r = client()
        .get(format!("{}/v1/apikeys", ibm.base))
        .send()
        .await
        .unwrap();
    let reply = Reply {
        status: r.status(),
        headers: r.headers().clone(),
        text: r.text().await.unwrap(),
    };
    assert_eq!(reply.error(401), "unauthorized");

    for bad in ["not.a.token", "garbage", ""] {
        let r = ibm
            .call_as(bad, Method::GET, "/v1/apikeys", None, &[])
            .await;
        assert_eq!(r.error(401), "unauthorized", "token {bad:?}");
    }

    // Signed by someone else.
    let identity = ibm
        .emu
        .shared
        .store()
        .ibm
        .identity(&ibm.iam_id)
        .unwrap()
        .clone();
    let now = chrono::Utc::now().timestamp();
    let forged = jwt::mint("another-key", &ibm.base, &identity, now, now + 3600);
    let r = ibm
        .call_as(&forged, Method::GET, "/v1/apikeys", None, &[])
        .await;
    assert_eq!(r.error(401), "unauthorized");

    // Ours, but expired.
    let signing_key = ibm.emu.shared.store().ibm.signing_key.clone();
    let expired = jwt::mint(&signing_key, &ibm.base, &identity, now - 7200, now - 3600);
    let r = ibm
        .call_as(&expired, Method::GET, "/v1/apikeys", None, &[])
        .await;
    assert_eq!(r.error(401), "unauthorized");
    assert!(r.body()["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("expired"));

    // Every /v1 route checks it.
    let id = ibm.id_of("laptop-cli");
    for (method, path) in [
        (Method::GET, format!("/v1/apikeys/{id}")),
        (Method::PUT, format!("/v1/apikeys/{id}")),
        (Method::DELETE, format!("/v1/apikeys/{id}")),
        (Method::POST, format!("/v1/apikeys/{id}/lock")),
        (Method::DELETE, format!("/v1/apikeys/{id}/disable")),
        (Method::GET, "/v1/apikeys/details".to_owned()),
        (Method::POST, "/v1/apikeys".to_owned()),
        (
            Method::GET,
            format!("/v1/accounts/{}/limits/identity", ibm.account),
        ),
    ] {
        let r = ibm
            .call_as("nope", method.clone(), &path, None, &[("if-match", "*")])
            .await;
        assert_eq!(r.status, 401, "{method} {path}");
    }
}

#[tokio::test]
async fn a_token_outlives_the_deletion_of_its_key() {
    let ibm = Ibm::start().await;
    let created = ibm.create_ok("short-lived").await;
    let token = crate::common::ibm_token(&ibm.base, created["apikey"].as_str().unwrap()).await;
    let id = created["id"].as_str().unwrap();
    assert_eq!(
        ibm.call(Method::DELETE, &format!("/v1/apikeys/{id}"), None, &[])
            .await
            .status,
        204
    );
    let r = ibm
        .call_as(&token, Method::GET, "/v1/apikeys", None, &[])
        .await;
    assert_eq!(
        r.status, 200,
        "existing tokens stay valid until they expire"
    );
    let (code, _) = ibm
        .token_error(&[
            ("grant_type", APIKEY_GRANT),
            ("apikey", created["apikey"].as_str().unwrap()),
        ])
        .await;
    assert_eq!(code, "BXNIM0415E", "but the key itself is gone");
}

// ---------------------------------------------------------------- lifecycle

#[tokio::test]
async fn full_lifecycle() {
    let ibm = Ibm::start().await;

    // Create: 201, the value shown once, every required field.
    let r = ibm
        .create(json!({
            "name": "ci-deploy-2", "iam_id": ibm.iam_id, "account_id": ibm.account,
            "description": "used by the nightly pipeline", "action_when_leaked": "disable",
            "expires_at": "2049-01-02T18:30:00+0000",
        }))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let created = r.body();
    for f in REQUIRED {
        assert!(!created[f].is_null(), "create lacks {f}");
    }
    let id = created["id"].as_str().unwrap().to_owned();
    let secret = created["apikey"].as_str().unwrap().to_owned();
    assert!(id.starts_with("ApiKey-"));
    assert_eq!(secret.len(), 44);
    assert!(secret
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    assert_eq!(
        created["crn"],
        format!(
            "crn:v1:bluemix:public:iam-identity::a/{}::apikey:{id}",
            ibm.account
        )
    );
    assert_eq!(created["created_by"], ibm.iam_id);
    assert_eq!(created["locked"], false);
    assert_eq!(created["disabled"], false);
    assert_eq!(created["expires_at"], "2049-01-02T18:30+0000");
    assert!(
        is_short_time(&created["created_at"]),
        "{}",
        created["created_at"]
    );
    assert_eq!(r.headers["etag"], created["entity_tag"].as_str().unwrap());

    // The new secret works at once.
    let c = claims(&crate::common::ibm_token(&ibm.base, &secret).await);
    assert_eq!(c["iam_id"], ibm.iam_id);

    // Get: value hidden as "", ETag = entity_tag.
    let r = ibm.get(&format!("/v1/apikeys/{id}")).await;
    assert_eq!(r.status, 200);
    let got = r.body();
    assert_eq!(got["apikey"], "");
    assert_eq!(got["description"], "used by the nightly pipeline");
    let etag = got["entity_tag"].as_str().unwrap().to_owned();
    assert_eq!(r.headers["etag"], etag.as_str());

    // Get by value.
    let r = ibm
        .call(
            Method::GET,
            "/v1/apikeys/details",
            None,
            &[("IAM-ApiKey", &secret)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body()["id"], id);
    assert_eq!(r.body()["apikey"], "");

    // Update with the current tag.
    let path = format!("/v1/apikeys/{id}");
    let r = ibm
        .call(
            Method::PUT,
            &path,
            Some(json!({"name": "renamed", "description": ""})),
            &[("If-Match", &etag)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let updated = r.body();
    assert_eq!(updated["name"], "renamed");
    assert!(
        updated.get("description").is_none(),
        "an empty description clears it"
    );
    assert_eq!(updated["apikey"], "");
    let new_etag = updated["entity_tag"].as_str().unwrap().to_owned();
    assert_ne!(new_etag, etag);

    // The old tag is now stale; `*` overrides.
    let r = ibm
        .call(
            Method::PUT,
            &path,
            Some(json!({"name": "x"})),
            &[("If-Match", &etag)],
        )
        .await;
    assert_eq!(r.error(409), "conflict");
    let r = ibm
        .call(
            Method::PUT,
            &path,
            Some(json!({"description": "back"})),
            &[("If-Match", "*")],
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body()["name"], "renamed");
    assert_eq!(r.body()["description"], "back");

    // Lock: 204 with no body; the tag moves; locked keys refuse update and delete.
    let before_lock = ibm.get(&path).await.body()["entity_tag"].clone();
    let r = ibm
        .call(Method::POST, &format!("{path}/lock"), None, &[])
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(r.text, "");
    let locked = ibm.get(&path).await.body();
    assert_eq!(locked["locked"], true);
    assert_ne!(locked["entity_tag"], before_lock);
    let r = ibm
        .call(
            Method::PUT,
            &path,
            Some(json!({"name": "y"})),
            &[("If-Match", "*")],
        )
        .await;
    assert_eq!(r.error(409), "locked");
    let r = ibm.call(Method::DELETE, &path, None, &[]).await;
    assert_eq!(r.error(409), "locked");
    assert_eq!(
        ibm.call(Method::DELETE, &format!("{path}/lock"), None, &[])
            .await
            .status,
        204
    );
    assert_eq!(ibm.get(&path).await.body()["locked"], false);

    // Disable: no token; enable: token again.
    assert_eq!(
        ibm.call(Method::POST, &format!("{path}/disable"), None, &[])
            .await
            .status,
        204
    );
    assert_eq!(ibm.get(&path).await.body()["disabled"], true);
    let (code, _) = ibm
        .token_error(&[("grant_type", APIKEY_GRANT), ("apikey", &secret)])
        .await;
    assert_eq!(code, "BXNIM0415E");
    assert_eq!(
        ibm.call(Method::DELETE, &format!("{path}/disable"), None, &[])
            .await
            .status,
        204
    );
    crate::common::ibm_token(&ibm.base, &secret).await;

    // History records every write.
    let history = ibm
        .get(&format!("{path}?include_history=true"))
        .await
        .body()["history"]
        .clone();
    let actions: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["create", "update", "update", "lock", "unlock", "disable", "enable"]
    );
    assert_eq!(history[1]["params"], json!(["name", "description"]));
    assert_eq!(history[0]["iam_id"], ibm.iam_id);
    assert_eq!(history[0]["iam_id_account"], ibm.account);

    // Delete: 204, then 404 everywhere.
    let r = ibm.call(Method::DELETE, &path, None, &[]).await;
    assert_eq!(r.status, 204);
    assert_eq!(r.text, "");
    assert_eq!(ibm.get(&path).await.error(404), "not_found");
    assert_eq!(
        ibm.call(Method::DELETE, &path, None, &[]).await.error(404),
        "not_found"
    );
    let (code, _) = ibm
        .token_error(&[("grant_type", APIKEY_GRANT), ("apikey", &secret)])
        .await;
    assert_eq!(code, "BXNIM0415E");
}

#[tokio::test]
async fn lock_and_disable_accept_bodiless_requests_like_the_python_sdk_sends() {
    let ibm = Ibm::start().await;
    let id = ibm.id_of("laptop-cli");
    let addr = ibm.base.trim_start_matches("http://").to_owned();
    for (method, suffix) in [
        ("POST", "lock"),
        ("DELETE", "lock"),
        ("POST", "disable"),
        ("DELETE", "disable"),
    ] {
        // Raw, so nothing but Content-Length: 0 and Accept: */* is sent.
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut socket = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let request = format!(
            "{method} /v1/apikeys/{id}/{suffix} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\n\
             Accept: */*\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            ibm.token
        );
        socket.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        socket.read_to_string(&mut response).await.unwrap();
        assert!(
            response.starts_with("HTTP/1.1 204"),
            "{method} {suffix}: {response}"
        );
    }
}

#[tokio::test]
async fn every_write_changes_the_entity_tag() {
    let ibm = Ibm::start().await;
    let id = ibm.id_of("laptop-cli");
    let path = format!("/v1/apikeys/{id}");
    let mut seen = vec![ibm.get(&path).await.body()["entity_tag"].clone()];
    for (method, suffix) in [
        (Method::POST, "/lock"),
        (Method::DELETE, "/lock"),
        (Method::POST, "/disable"),
        (Method::DELETE, "/disable"),
    ] {
        assert_eq!(
            ibm.call(method, &format!("{path}{suffix}"), None, &[])
                .await
                .status,
            204
        );
        let tag = ibm.get(&path).await.body()["entity_tag"].clone();
        assert!(!seen.contains(&tag), "{suffix} kept the tag");
        seen.push(tag);
    }
}

#[tokio::test]
async fn create_headers_lock_and_disable_the_new_key() {
    let ibm = Ibm::start().await;
    let r = ibm
        .call(
            Method::POST,
            "/v1/apikeys",
            Some(json!({"name": "born-locked", "iam_id": ibm.iam_id})),
            &[("Entity-Lock", "true"), ("Entity-Disable", "true")],
        )
        .await;
    assert_eq!(r.status, 201);
    let body = r.body();
    assert_eq!(body["locked"], true);
    assert_eq!(body["disabled"], true);
    let (code, _) = ibm
        .token_error(&[
            ("grant_type", APIKEY_GRANT),
            ("apikey", body["apikey"].as_str().unwrap()),
        ])
        .await;
    assert_eq!(code, "BXNIM0415E");

    let r = ibm
        .call(
            Method::POST,
            "/v1/apikeys",
            Some(json!({"name": "plain", "iam_id": ibm.iam_id})),
            &[("Entity-Lock", "false"), ("Entity-Disable", "false")],
        )
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.body()["locked"], false);

    let r = ibm
        .call(
            Method::POST,
            "/v1/apikeys",
            Some(json!({"name": "x", "iam_id": ibm.iam_id})),
            &[("Entity-Lock", "yes")],
        )
        .await;
    assert_eq!(r.error(400), "bad_request");
}

#[tokio::test]
async fn create_validation_errors() {
    let ibm = Ibm::start().await;
    let me = ibm.iam_id.clone();
    let svc = ibm.service_id("ci-pipeline");
    let cases = [
        (json!({"iam_id": me}), "name"),
        (json!({"name": "", "iam_id": me}), "name"),
        (json!({"name": "   ", "iam_id": me}), "name"),
        (json!({"name": 7, "iam_id": me}), "name"),
        (json!({"name": "x"}), "iam_id"),
        (
            json!({"name": "x", "iam_id": "iam-ServiceId-00000000-0000-0000-0000-000000000000"}),
            "IAM ID",
        ),
        (
            json!({"name": "x", "iam_id": me, "account_id": "not-an-account"}),
            "account",
        ),
        (
            json!({"name": "x", "iam_id": me, "account_id": "0123456789abcdef0123456789abcdef"}),
            "account",
        ),
        (
            json!({"name": "x", "iam_id": me, "apikey": "too-short"}),
            "apikey",
        ),
        (
            json!({"name": "x", "iam_id": me, "store_value": true}),
            "store_value",
        ),
        (
            json!({"name": "x", "iam_id": svc, "support_sessions": true}),
            "support_sessions",
        ),
        (
            json!({"name": "x", "iam_id": me, "action_when_leaked": "explode"}),
            "action_when_leaked",
        ),
        (
            json!({"name": "x", "iam_id": me, "expires_at": "next tuesday"}),
            "expires_at",
        ),
        (
            json!({"name": "x", "iam_id": me, "store_value": "yes"}),
            "store_value",
        ),
        (json!(["not", "an", "object"]), "object"),
    ];
    for (body, mentions) in cases {
        let r = ibm.create(body.clone()).await;
        assert_eq!(r.error(400), "bad_request", "{body}");
        let message = r.body()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(message.contains(mentions), "{body}: {message}");
    }
    let r = ibm
        .call(
            Method::POST,
            "/v1/apikeys",
            None,
            &[("content-type", "application/json")],
        )
        .await;
    assert_eq!(r.error(400), "bad_request", "empty body");
    let raw = client()
        .post(format!("{}/v1/apikeys", ibm.base))
        .bearer_auth(&ibm.token)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    assert_eq!(json(raw).await["errors"][0]["code"], "bad_request");
}

#[tokio::test]
async fn user_keys_are_created_by_their_user_only() {
    let ibm = Ibm::start().await;
    let r = ibm
        .create(json!({"name": "not mine", "iam_id": ibm.colleague()}))
        .await;
    assert_eq!(r.error(403), "forbidden");
    // Service IDs of the account are fine.
    let r = ibm
        .create(json!({"name": "svc", "iam_id": ibm.service_id("billing-exporter")}))
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.body()["created_by"], ibm.iam_id);
}

#[tokio::test]
async fn caller_supplied_values_must_be_long_and_unique() {
    let ibm = Ibm::start().await;
    let value = "my-own-very-long-api-key-value-0123456789";
    let r = ibm
        .create(json!({"name": "custom", "iam_id": ibm.iam_id, "apikey": value}))
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.body()["apikey"], value);
    crate::common::ibm_token(&ibm.base, value).await;
    let r = ibm
        .create(json!({"name": "again", "iam_id": ibm.iam_id, "apikey": value}))
        .await;
    assert_eq!(r.error(409), "conflict");
}

#[tokio::test]
async fn stored_service_id_values_stay_readable() {
    let ibm = Ibm::start().await;
    let svc = ibm.service_id("billing-exporter");
    let r = ibm
        .create(json!({"name": "stored", "iam_id": svc, "store_value": true}))
        .await;
    assert_eq!(r.status, 201);
    let created = r.body();
    let got = ibm
        .get(&format!("/v1/apikeys/{}", created["id"].as_str().unwrap()))
        .await
        .body();
    assert_eq!(got["apikey"], created["apikey"]);
    let listed = ibm.list_all(&format!("iam_id={svc}")).await;
    let item = listed.iter().find(|k| k["name"] == "stored").unwrap();
    assert_eq!(item["apikey"], created["apikey"]);
    // The seeded ci-deploy key is stored too; the others are not.
    assert_eq!(
        ibm.get(&format!("/v1/apikeys/{}", ibm.id_of("ci-deploy")))
            .await
            .body()["apikey"],
        ibm.secret_of("ci-deploy").as_str()
    );
}

#[tokio::test]
async fn the_per_identity_limit_is_enforced() {
    let ibm = Ibm::start().await;
    ibm.emu.shared.store().ibm.apikeys_per_identity = Some(4);
    // The admin owns three seeded keys.
    assert_eq!(
        ibm.create(json!({"name": "fourth", "iam_id": ibm.iam_id}))
            .await
            .status,
        201
    );
    let r = ibm
        .create(json!({"name": "fifth", "iam_id": ibm.iam_id}))
        .await;
    assert_eq!(r.error(400), "limit_exceeded");

    let r = ibm
        .get(&format!(
            "/v1/accounts/{}/limits/identity?apikeys_per_identity={},{}",
            ibm.account,
            ibm.iam_id,
            ibm.service_id("ci-pipeline")
        ))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body(),
        json!({"apikeys_per_identity": {"limit": 4, "identities": [
            {"iam_id": ibm.iam_id, "count": 4},
            {"iam_id": ibm.service_id("ci-pipeline"), "count": 2},
        ]}})
    );
}

#[tokio::test]
async fn limits_endpoint_defaults_and_errors() {
    let ibm = Ibm::start().await;
    let r = ibm
        .get(&format!("/v1/accounts/{}/limits/identity", ibm.account))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body()["apikeys_per_identity"]["limit"], 20);
    let r = ibm
        .get("/v1/accounts/0123456789abcdef0123456789abcdef/limits/identity")
        .await;
    assert_eq!(r.error(403), "forbidden");
    let r = ibm.get("/v1/accounts/bogus/limits/identity").await;
    assert_eq!(r.error(400), "bad_request");
}

#[tokio::test]
async fn update_validation_errors() {
    let ibm = Ibm::start().await;
    let id = ibm.id_of("laptop-cli");
    let path = format!("/v1/apikeys/{id}");
    let r = ibm
        .call(Method::PUT, &path, Some(json!({"name": "x"})), &[])
        .await;
    assert_eq!(r.error(400), "bad_request");
    assert!(r.text.contains("If-Match"));
    for body in [
        json!({"name": ""}),
        json!({"name": false}),
        json!({"action_when_leaked": "shout"}),
        json!({"expires_at": "soon"}),
    ] {
        let r = ibm
            .call(Method::PUT, &path, Some(body.clone()), &[("If-Match", "*")])
            .await;
        assert_eq!(r.error(400), "bad_request", "{body}");
    }
    let svc_key = ibm.id_of("ci-nightly");
    let r = ibm
        .call(
            Method::PUT,
            &format!("/v1/apikeys/{svc_key}"),
            Some(json!({"support_sessions": true})),
            &[("If-Match", "*")],
        )
        .await;
    assert_eq!(r.error(400), "bad_request");
    let r = ibm
        .call(
            Method::PUT,
            "/v1/apikeys/ApiKey-missing",
            Some(json!({"name": "x"})),
            &[("If-Match", "*")],
        )
        .await;
    assert_eq!(r.error(404), "not_found");

    // Setting and clearing the expiry; a quoted If-Match works as well.
    let etag = ibm.get(&path).await.body()["entity_tag"]
        .as_str()
        .unwrap()
        .to_owned();
    let quoted = format!("\"{etag}\"");
    let r = ibm
        .call(
            Method::PUT,
            &path,
            Some(json!({"expires_at": "2030-05-06T07:08+0000"})),
            &[("If-Match", &quoted)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body()["expires_at"], "2030-05-06T07:08+0000");
    let r = ibm
        .call(
            Method::PUT,
            &path,
            Some(json!({"expires_at": ""})),
            &[("If-Match", "*")],
        )
        .await;
    assert!(r.body().get("expires_at").is_none());
    // An empty body changes nothing but is still a valid update.
    let r = ibm
        .call(Method::PUT, &path, None, &[("If-Match", "*")])
        .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn unknown_ids_are_404_for_every_operation() {
    let ibm = Ibm::start().await;
    let id = "ApiKey-00000000-0000-0000-0000-000000000000";
    for (method, suffix) in [
        (Method::GET, ""),
        (Method::DELETE, ""),
        (Method::POST, "/lock"),
        (Method::DELETE, "/lock"),
        (Method::POST, "/disable"),
        (Method::DELETE, "/disable"),
    ] {
        let r = ibm
            .call(
                method.clone(),
                &format!("/v1/apikeys/{id}{suffix}"),
                None,
                &[],
            )
            .await;
        assert_eq!(r.error(404), "not_found", "{method} {suffix}");
        assert!(r.text.contains(id));
    }
}

#[tokio::test]
async fn details_is_matched_before_the_id_route() {
    let ibm = Ibm::start().await;
    let r = ibm.get("/v1/apikeys/details").await;
    assert_eq!(r.error(400), "bad_request");
    assert!(r.text.contains("IAM-ApiKey"));
    let r = ibm
        .call(
            Method::GET,
            "/v1/apikeys/details",
            None,
            &[("IAM-ApiKey", "unknown-value")],
        )
        .await;
    assert_eq!(r.error(404), "not_found");
    let r = ibm
        .call(
            Method::GET,
            "/v1/apikeys/details?include_history=true",
            None,
            &[("IAM-ApiKey", &ibm.apikey)],
        )
        .await;
    assert_eq!(r.status, 200);
    let body = r.body();
    assert_eq!(body["iam_id"], ibm.iam_id);
    assert_eq!(body["account_id"], ibm.account);
    assert_eq!(body["apikey"], "");
    assert!(body["history"].is_array());
}

#[tokio::test]
async fn errors_name_the_sdk_operation() {
    let ibm = Ibm::start().await;
    let r = ibm.get("/v1/apikeys/ApiKey-missing").await;
    assert_eq!(r.body()["context"]["operation"], "getApiKey");
    assert!(r.headers.contains_key("transaction-id"));
}

// ---------------------------------------------------------------- listing

#[tokio::test]
async fn seeded_account_looks_lived_in() {
    let ibm = Ibm::start().await;
    let keys = ibm.list_all("scope=account&pagesize=100").await;
    assert!(keys.len() >= 7, "{}", keys.len());
    let owners: std::collections::HashSet<_> = keys.iter().map(|k| k["iam_id"].clone()).collect();
    assert!(owners.len() >= 4, "several owners");
    assert!(keys.iter().any(|k| k["locked"] == true));
    assert!(keys.iter().any(|k| k["disabled"] == true));
    let now = chrono::Utc::now();
    let expiry = |k: &Value| {
        k["expires_at"]
            .as_str()
            .map(|e| chrono::DateTime::parse_from_str(e, "%Y-%m-%dT%H:%M%z").unwrap())
    };
    assert!(keys.iter().filter_map(expiry).any(|e| e < now));
    assert!(keys
        .iter()
        .filter_map(expiry)
        .any(|e| e > now && e < now + chrono::Duration::days(7)));
    for k in &keys {
        for f in REQUIRED {
            assert!(!k[f].is_null(), "list item lacks {f}: {k}");
        }
        assert!(
            is_short_time(&k["created_at"]) && is_short_time(&k["modified_at"]),
            "{k}"
        );
        assert!(k.get("history").is_none());
        if k["name"] != "ci-deploy" {
            assert_eq!(k["apikey"], "", "list never shows values: {k}");
        }
    }
}

#[tokio::test]
async fn scope_iam_id_and_type_select_keys() {
    let ibm = Ibm::start().await;
    let mut mine = names(&ibm.list_all("").await);
    mine.sort();
    assert_eq!(
        mine,
        ["keyrack-sandbox-admin", "laptop-cli", "terraform-prod"]
    );
    let with_params = ibm
        .list_all(&format!("account_id={}&iam_id={}", ibm.account, ibm.iam_id))
        .await;
    assert_eq!(with_params.len(), 3);

    let svc = ibm.service_id("ci-pipeline");
    let mut ci = names(&ibm.list_all(&format!("iam_id={svc}")).await);
    ci.sort();
    assert_eq!(ci, ["ci-deploy", "ci-nightly"]);

    let all = ibm.list_all("scope=account").await;
    let services = ibm.list_all("scope=account&type=serviceid").await;
    let users = ibm.list_all("scope=account&type=user").await;
    assert_eq!(services.len() + users.len(), all.len());
    assert_eq!(services.len(), 3);
    assert!(users.iter().any(|k| k["name"] == "dana-notebook"));

    let r = ibm
        .get(&format!("/v1/apikeys?iam_id={}", ibm.colleague()))
        .await;
    assert_eq!(r.error(403), "forbidden");
    let r = ibm.get("/v1/apikeys?iam_id=iam-ServiceId-unknown").await;
    assert_eq!(r.error(404), "not_found");
    let r = ibm
        .get("/v1/apikeys?account_id=0123456789abcdef0123456789abcdef")
        .await;
    assert_eq!(r.error(403), "forbidden");
    let r = ibm.get("/v1/apikeys?account_id=invalid").await;
    assert_eq!(r.error(400), "bad_request");
    for bad in [
        "scope=everything",
        "type=robot",
        "sort=secret",
        "order=up",
        "include_history=maybe",
    ] {
        let r = ibm.get(&format!("/v1/apikeys?{bad}")).await;
        assert_eq!(r.error(400), "bad_request", "{bad}");
    }
}

#[tokio::test]
async fn sort_order_filter_and_history() {
    let ibm = Ibm::start().await;
    let asc = names(&ibm.list_all("scope=account&sort=name").await);
    let mut expected = asc.clone();
    expected.sort_by_key(|n| n.to_lowercase());
    assert_eq!(asc, expected);
    let desc = names(&ibm.list_all("scope=account&sort=name&order=desc").await);
    assert_eq!(desc, asc.iter().rev().cloned().collect::<Vec<_>>());

    let by_created = ibm.list_all("scope=account&sort=created_at").await;
    let created: Vec<_> = by_created
        .iter()
        .map(|k| k["created_at"].as_str().unwrap().to_owned())
        .collect();
    let mut sorted = created.clone();
    sorted.sort();
    assert_eq!(created, sorted);

    let mut ci = names(
        &ibm.list_all("scope=account&filter=name%20co%20%22CI-%22")
            .await,
    );
    ci.sort();
    assert_eq!(ci, ["ci-deploy", "ci-nightly"]);
    let r = ibm
        .get("/v1/apikeys?scope=account&filter=name%20co%20ci")
        .await;
    assert_eq!(r.error(400), "bad_request");

    let with_history = ibm.list_all("include_history=true").await;
    for k in &with_history {
        let h = k["history"].as_array().unwrap();
        assert_eq!(h[0]["action"], "create");
        assert!(h[0]["timestamp"].as_str().unwrap().ends_with('Z'));
        for f in [
            "timestamp",
            "iam_id",
            "iam_id_account",
            "action",
            "params",
            "message",
        ] {
            assert!(!h[0][f].is_null(), "history lacks {f}");
        }
    }
}

#[tokio::test]
async fn paging_follows_next_links_with_pagetoken() {
    let ibm = Ibm::with_seed(SeedOptions {
        empty: false,
        extra_keys: 45,
    })
    .await;
    let total = ibm.list_all("scope=account&pagesize=100").await.len();
    assert_eq!(total, 7 + 45);

    // Default page size 20; `next` carries the same parameters plus a pagetoken.
    let first = ibm.get("/v1/apikeys?scope=account").await.body();
    assert_eq!(first["limit"], 20);
    assert_eq!(first["offset"], 0);
    assert_eq!(first["apikeys"].as_array().unwrap().len(), 20);
    assert!(first.get("previous").is_none());
    assert_eq!(
        first["first"],
        format!("{}/v1/apikeys?scope=account", ibm.base)
    );

    let mut seen = std::collections::HashSet::new();
    let mut page = first;
    let mut pages = 0;
    loop {
        pages += 1;
        for k in page["apikeys"].as_array().unwrap() {
            assert!(
                seen.insert(k["id"].as_str().unwrap().to_owned()),
                "duplicate across pages"
            );
        }
        let Some(next) = page["next"].as_str() else {
            break;
        };
        let url = reqwest::Url::parse(next).unwrap();
        let params: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert!(params.contains(&("scope".into(), "account".into())));
        let token = params
            .iter()
            .find(|(k, _)| k == "pagetoken")
            .unwrap()
            .1
            .clone();
        page = ibm
            .get(&format!("/v1/apikeys?scope=account&pagetoken={token}"))
            .await
            .body();
        assert!(page["previous"].is_string());
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), total);

    let big = ibm
        .get("/v1/apikeys?scope=account&pagesize=100")
        .await
        .body();
    assert_eq!(big["apikeys"].as_array().unwrap().len(), total);
    assert!(big.get("next").is_none());
    for bad in [
        "pagesize=0",
        "pagesize=101",
        "pagesize=ten",
        "pagetoken=%%%",
        "pagetoken=bm90LWpzb24",
    ] {
        let r = ibm.get(&format!("/v1/apikeys?scope=account&{bad}")).await;
        assert_eq!(r.error(400), "bad_request", "{bad}");
    }
}

#[tokio::test]
async fn extra_keys_respect_the_per_identity_limit() {
    let ibm = Ibm::with_seed(SeedOptions {
        empty: true,
        extra_keys: 250,
    })
    .await;
    let store = ibm.emu.shared.store();
    let limit = store.ibm.limit_per_identity() as usize;
    for identity in &store.ibm.identities {
        assert!(store.ibm.keys_of(&identity.iam_id) <= limit);
    }
    assert_eq!(store.ibm.keys.len(), 1 + 250);
}

#[tokio::test]
async fn empty_seed_keeps_only_the_admin_key() {
    let ibm = Ibm::with_seed(SeedOptions {
        empty: true,
        extra_keys: 0,
    })
    .await;
    let keys = ibm.list_all("scope=account").await;
    assert_eq!(names(&keys), ["keyrack-sandbox-admin"]);
    // Identities are still there to create keys for.
    let r = ibm
        .create(json!({"name": "svc", "iam_id": ibm.service_id("ci-pipeline")}))
        .await;
    assert_eq!(r.status, 201);
}

#[tokio::test]
async fn undecodable_ids_get_an_ibm_400_not_plain_text() {
    let ibm = Ibm::start().await;
    let r = ibm.get("/v1/apikeys/%FF").await;
    assert_eq!(r.error(400), "bad_request");
}

#[tokio::test]
async fn service_ids_are_listed_and_paged_like_api_keys() {
    let ibm = Ibm::start().await;
    let (ids, service_ids): (Vec<_>, usize) = {
        let store = ibm.emu.shared.store();
        let ids: Vec<String> = store
            .ibm
            .identities
            .iter()
            .filter(|i| i.kind == IdentityKind::ServiceId)
            .map(|i| i.iam_id.clone())
            .collect();
        let n = ids.len();
        (ids, n)
    };
    assert!(service_ids >= 2, "the seed has service IDs");

    // The SDK asks for /v1/serviceids/ with the slash; both forms answer.
    for path in ["/v1/serviceids/", "/v1/serviceids"] {
        let r = ibm.get(&format!("{path}?account_id={}", ibm.account)).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let body = r.body();
        let listed = body["serviceids"].as_array().unwrap();
        assert_eq!(listed.len(), service_ids);
        for s in listed {
            // What the official SDK's ServiceId.from_dict requires.
            for field in [
                "id",
                "iam_id",
                "entity_tag",
                "crn",
                "locked",
                "created_at",
                "modified_at",
                "account_id",
                "name",
            ] {
                assert!(!s[field].is_null(), "{field} missing: {s}");
            }
            assert!(ids.contains(&s["iam_id"].as_str().unwrap().to_string()));
            assert_eq!(
                format!("iam-{}", s["id"].as_str().unwrap()),
                s["iam_id"].as_str().unwrap()
            );
            assert!(is_short_time(&s["created_at"]), "{s}");
        }
    }

    // One per page, following next links.
    let mut seen = Vec::new();
    let mut path = format!("/v1/serviceids/?account_id={}&pagesize=1", ibm.account);
    loop {
        let r = ibm.get(&path).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let body = r.body();
        seen.extend(
            body["serviceids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["iam_id"].as_str().unwrap().to_string()),
        );
        match body["next"].as_str() {
            Some(next) => path = next.trim_start_matches(&ibm.base).to_string(),
            None => break,
        }
    }
    assert_eq!(seen, ids);

    // IBM's own errors: no account, another account, a bad page size.
    assert_eq!(ibm.get("/v1/serviceids/").await.error(400), "bad_request");
    assert_eq!(
        ibm.get("/v1/serviceids/?account_id=00000000000000000000000000000000")
            .await
            .error(403),
        "forbidden"
    );
    assert_eq!(
        ibm.get(&format!(
            "/v1/serviceids/?account_id={}&pagesize=101",
            ibm.account
        ))
        .await
        .error(400),
        "bad_request"
    );
    ibm.emu.shutdown().await;
}

// ---------------------------------------------------------------- activity report

impl Ibm {
    fn report_path(&self, rest: &str) -> String {
        format!("/v1/activity/accounts/{}/report{rest}", self.account)
    }

    /// `POST …/report?{query}`; the new report's reference.
    async fn create_report(&self, query: &str) -> String {
        let path = self.report_path(&format!("?{query}"));
        let r = self.call(Method::POST, &path, None, &[]).await;
        assert_eq!(r.status, 202, "{}", r.text);
        r.body()["reference"].as_str().unwrap().to_owned()
    }

    fn set_report_delay_ms(&self, ms: u64) {
        self.emu.shared.store().ibm.report_delay_ms = Some(ms);
    }
}

#[tokio::test]
async fn a_report_is_not_ready_at_once_then_lists_the_inactive_keys() {
    let ibm = Ibm::start().await;
    // Used within the window: the admin key (its token) and ci-nightly. Used before it: laptop-cli.
    crate::common::ibm_token(&ibm.base, &ibm.secret_of("ci-nightly")).await;
    let long_ago = chrono::Utc::now() - chrono::Duration::hours(3);
    {
        let mut store = ibm.emu.shared.store();
        let laptop = store.ibm.keys.iter_mut().find(|k| k.name == "laptop-cli");
        laptop.unwrap().last_authn = Some(long_ago);
    }
    let reference = ibm.create_report("type=inactive&duration=1").await;
    let r = ibm.get(&ibm.report_path(&format!("/{reference}"))).await;
    assert_eq!(r.status, 204, "being generated: {}", r.text);
    assert!(r.text.is_empty());
    assert_eq!(ibm.get(&ibm.report_path("/latest")).await.status, 204);

    tokio::time::sleep(std::time::Duration::from_millis(
        keyrack_emulator::vendors::ibm::DEFAULT_REPORT_DELAY_MS + 100,
    ))
    .await;
    let r = ibm.get(&ibm.report_path(&format!("/{reference}"))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let report = r.body();
    for field in [
        "created_by",
        "reference",
        "report_duration",
        "report_start_time",
        "report_end_time",
    ] {
        assert!(report[field].is_string(), "{field}: {report}");
    }
    assert_eq!(report["reference"], reference);
    assert_eq!(report["created_by"], ibm.iam_id);
    assert_eq!(report["report_duration"], "1");
    let keys = report["apikeys"].as_array().unwrap();
    let listed = names(keys);
    for used in ["keyrack-sandbox-admin", "ci-nightly"] {
        assert!(
            !listed.iter().any(|n| n == used),
            "{used} was used: {listed:?}"
        );
    }
    // Every other key: never used (no last_authn) or, laptop-cli, before the window.
    let store_count = ibm.emu.shared.store().ibm.keys.len();
    assert_eq!(keys.len(), store_count - 2, "{listed:?}");
    let laptop = keys.iter().find(|k| k["name"] == "laptop-cli").unwrap();
    assert_eq!(laptop["type"], "user");
    assert_eq!(laptop["user"]["iam_id"], ibm.iam_id);
    assert!(laptop["user"]["username"].is_string());
    let when =
        chrono::DateTime::parse_from_rfc3339(laptop["last_authn"].as_str().unwrap()).unwrap();
    assert_eq!(when.timestamp_millis(), long_ago.timestamp_millis());
    let deploy = keys.iter().find(|k| k["name"] == "ci-deploy").unwrap();
    assert_eq!(deploy["type"], "serviceid");
    assert_eq!(deploy["serviceid"]["name"], "ci-pipeline");
    assert!(deploy.get("last_authn").is_none(), "never used: {deploy}");
    // The identities: the admin authenticated, ci-pipeline's service ID did (ci-nightly).
    let users: Vec<_> = report["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["iam_id"].clone())
        .collect();
    assert!(!users.contains(&json!(ibm.iam_id)), "{users:?}");
    assert!(users.contains(&json!(ibm.colleague())), "{users:?}");
    let services = names(report["serviceids"].as_array().unwrap());
    assert!(!services.iter().any(|n| n == "ci-pipeline"), "{services:?}");
    assert!(
        services.iter().any(|n| n == "billing-exporter"),
        "{services:?}"
    );
    assert_eq!(report["profiles"], json!([]));
}

#[tokio::test]
async fn latest_is_the_newest_report_and_old_ones_are_deleted() {
    let ibm = Ibm::start().await;
    assert_eq!(
        ibm.get(&ibm.report_path("/latest")).await.error(404),
        "not_found"
    );
    ibm.set_report_delay_ms(0);
    let first = ibm.create_report("type=inactive").await;
    let r = ibm.get(&ibm.report_path("/latest")).await;
    assert_eq!(r.body()["reference"], first);
    assert_eq!(r.body()["report_duration"], "720", "IBM's default window");
    let second = ibm.create_report("duration=24").await;
    assert_ne!(first, second);
    assert_eq!(
        ibm.get(&ibm.report_path("/latest")).await.body()["reference"],
        second
    );
    assert_eq!(
        ibm.get(&ibm.report_path(&format!("/{first}"))).await.status,
        200
    );

    // A report older than a day goes when the next one is made.
    {
        let mut store = ibm.emu.shared.store();
        let old = store
            .ibm
            .reports
            .iter_mut()
            .find(|r| r.reference == first)
            .unwrap();
        old.created_at -= chrono::Duration::hours(25);
    }
    ibm.create_report("duration=1").await;
    let r = ibm.get(&ibm.report_path(&format!("/{first}"))).await;
    assert_eq!(r.error(404), "not_found");
    assert_eq!(
        ibm.get(&ibm.report_path(&format!("/{second}")))
            .await
            .status,
        200
    );
    assert_eq!(
        ibm.get(&ibm.report_path("/test123")).await.error(404),
        "not_found"
    );
}

#[tokio::test]
async fn report_errors_use_ibms_shape() {
    let ibm = Ibm::start().await;
    let ibm = &ibm;
    let post = |path: String| async move { ibm.call(Method::POST, &path, None, &[]).await };
    for query in [
        "type=active",
        "duration=abc",
        "duration=-1",
        "duration=1.5",
        "duration=100000",
    ] {
        let r = post(ibm.report_path(&format!("?{query}"))).await;
        assert_eq!(r.error(400), "bad_request", "{query}");
        assert_eq!(r.body()["context"]["operation"], "createReport");
    }
    let other = "/v1/activity/accounts/0123456789abcdef0123456789abcdef/report";
    assert_eq!(post(other.to_string()).await.error(403), "forbidden");
    assert_eq!(
        ibm.get(&format!("{other}/latest")).await.error(403),
        "forbidden"
    );
    assert_eq!(
        post("/v1/activity/accounts/bogus/report".into())
            .await
            .error(400),
        "bad_request"
    );
    let r = ibm
        .call_as(
            "not-a-token",
            Method::GET,
            &ibm.report_path("/latest"),
            None,
            &[],
        )
        .await;
    assert_eq!(r.error(401), "unauthorized");
    assert!(
        ibm.emu.shared.store().ibm.reports.is_empty(),
        "no report from a refused request"
    );
}
