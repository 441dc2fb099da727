//! Codefresh emulator: every rule it enforces, over HTTP, as Codefresh's API documentation
//! states it.

use keyrack_emulator::{start, Emulator, EmulatorOptions, SeedOptions};
use reqwest::Method;
use serde_json::{json, Value};

struct Cf {
    emu: Emulator,
    http: reqwest::Client,
    /// The sandbox manifest's `codefresh` part.
    m: Value,
}

struct Reply {
    status: u16,
    content_type: String,
    text: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

/// How a request authenticates.
#[derive(Clone, Copy)]
enum Auth<'a> {
    None,
    /// `Authorization: <token>`, raw.
    Key(&'a str),
    /// `x-access-token: <session>`.
    Session(&'a str),
    /// Any `Authorization` header value.
    Header(&'a str),
}

impl Cf {
    async fn start(seed: SeedOptions) -> Cf {
        let emu = start(EmulatorOptions {
            seed,
            ..Default::default()
        })
        .await
        .unwrap();
        let m = emu.manifest()["codefresh"].clone();
        Cf {
            emu,
            http: reqwest::Client::new(),
            m,
        }
    }

    async fn seeded() -> Cf {
        Cf::start(SeedOptions::default()).await
    }

    fn admin_key(&self) -> String {
        self.m["api_key"].as_str().unwrap().to_string()
    }

    /// `path` is relative to the manifest's base URL (which ends in `/api`).
    async fn call(&self, method: Method, path: &str, auth: Auth<'_>, body: Option<Value>) -> Reply {
        let base = self.m["base_url"].as_str().unwrap();
        let mut req = self.http.request(method, format!("{base}{path}"));
        req = match auth {
            Auth::None => req,
            Auth::Key(t) | Auth::Header(t) => req.header("Authorization", t),
            Auth::Session(t) => req.header("x-access-token", t),
        };
        if let Some(b) = body {
            req = req
                .header("Content-Type", "application/json; charset=utf-8")
                .body(b.to_string());
        }
        let res = req.send().await.unwrap();
        Reply {
            status: res.status().as_u16(),
            content_type: res
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default(),
            text: res.text().await.unwrap(),
        }
    }

    async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let key = self.admin_key();
        self.call(method, path, Auth::Key(&key), body).await
    }

    async fn keys_of(&self, token: &str) -> Vec<Value> {
        let r = self
            .call(Method::GET, "/auth/keys", Auth::Key(token), None)
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.json().as_array().unwrap().clone()
    }

    /// Create a key with `auth` and return the plain-text token.
    async fn create_with(&self, auth: Auth<'_>, query: &str, body: Value) -> String {
        let r = self
            .call(Method::POST, &format!("/auth/key{query}"), auth, Some(body))
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert!(
            r.content_type.starts_with("text/plain"),
            "{}",
            r.content_type
        );
        r.text
    }

    async fn create(&self, name: &str, scopes: &[&str]) -> String {
        let key = self.admin_key();
        self.create_with(Auth::Key(&key), "", json!({"name": name, "scopes": scopes}))
            .await
    }
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
}

fn key_id(token: &str) -> &str {
    token.split_once('.').unwrap().0
}

fn assert_error(r: &Reply, status: u16) -> Value {
    assert_eq!(r.status, status, "{}", r.text);
    assert!(
        r.content_type.starts_with("application/json"),
        "{}",
        r.content_type
    );
    let body = r.json();
    assert_eq!(body["status"], status);
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(body["code"].is_string());
    assert!(body["name"].is_string());
    assert_eq!(body["context"], json!({}));
    body
}

#[tokio::test]
async fn manifest_names_the_admin_token_and_ids() {
    let cf = Cf::seeded().await;
    assert_eq!(cf.m["base_url"], format!("{}/api", cf.emu.base_url));
    let token = cf.admin_key();
    let (id, secret) = token.split_once('.').unwrap();
    assert!(is_hex(id, 24), "{id}");
    assert!(!secret.is_empty());
    assert!(is_hex(cf.m["account_id"].as_str().unwrap(), 24));
    assert!(is_hex(cf.m["user_id"].as_str().unwrap(), 24));
    cf.emu.shutdown().await;
}

#[tokio::test]
async fn unknown_malformed_or_bearer_prefixed_tokens_get_401_json() {
    let cf = Cf::seeded().await;
    let admin = cf.admin_key();
    let (id, _) = admin.split_once('.').unwrap();
    let wrong_secret = format!("{id}.{}", "0".repeat(32));
    let bearer = format!("Bearer {admin}");
    let unknown = format!("{}.{}", "a".repeat(24), "b".repeat(32));
    let auths = [
        Auth::None,
        Auth::Header("garbage"),
        Auth::Header(&unknown),
        Auth::Header(&wrong_secret),
        Auth::Header(id),
        // The token goes raw; a `Bearer` prefix makes it a different, unknown token.
        Auth::Header(&bearer),
        Auth::Session("not-a-session"),
    ];
    let endpoints = [
        (Method::GET, "/auth/keys"),
        (Method::POST, "/auth/key"),
        (Method::GET, "/auth/key/000000000000000000000000"),
        (Method::GET, "/user"),
        (Method::GET, "/execution-contexts/current"),
        (Method::GET, "/service-users"),
        (
            Method::GET,
            "/auth/key/service-user/000000000000000000000000",
        ),
    ];
    for (method, path) in endpoints {
        for auth in auths {
            let body = (method == Method::POST).then(|| json!({"name": "x", "scopes": ["view"]}));
            let r = cf.call(method.clone(), path, auth, body).await;
            let err = assert_error(&r, 401);
            assert_eq!(err["name"], "UNAUTHORIZED_ERROR");
        }
    }
    cf.emu.shutdown().await;
}

#[tokio::test]
async fn current_user_names_the_active_account() {
    let cf = Cf::seeded().await;
    let r = cf.admin(Method::GET, "/user", None).await;
    assert_eq!(r.status, 200);
    let me = r.json();
    assert_eq!(me["_id"], cf.m["user_id"]);
    assert!(me["userName"].is_string());
    assert!(me["email"].is_string());
    assert_eq!(me["roles"], json!(["User"]));
    assert_eq!(me["activeAccountName"], "keyrack-sandbox");
    let accounts = me["account"].as_array().unwrap();
    assert_eq!(accounts.len(), 2);
    let active = &accounts[0];
    assert_eq!(active["_id"], cf.m["account_id"]);
    assert_eq!(active["id"], cf.m["account_id"]);
    assert_eq!(active["name"], "keyrack-sandbox");
    assert_eq!(active["admins"], json!([cf.m["user_id"]]));
    assert!(active["features"].is_object());
    // The CLI's fallback key check answers 2xx JSON too.
    let r = cf
        .admin(Method::GET, "/execution-contexts/current", None)
        .await;
    assert_eq!(r.status, 200);
    assert!(r.json().is_object());
    cf.emu.shutdown().await;
}

#[tokio::test]
async fn list_is_a_bare_array_of_the_callers_keys() {
    let cf = Cf::seeded().await;
    let keys = cf.keys_of(&cf.admin_key()).await;
    assert_eq!(keys.len(), 6);
    for k in &keys {
        for field in [
            "_id",
            "name",
            "created",
            "tokenPrefix",
            "subject",
            "scopeSnapshot",
        ] {
            assert!(!k[field].is_null(), "{field} in {k}");
        }
        // `scopes` is always sent, null on legacy keys.
        assert!(k.get("scopes").is_some());
        assert!(is_hex(k["_id"].as_str().unwrap(), 24));
        let created = k["created"].as_str().unwrap();
        assert!(created.ends_with('Z') && created.len() == 24, "{created}");
        assert_eq!(k["scopeSnapshot"]["scopes"], k["scopes"]);
        assert_eq!(k["scopeSnapshot"]["__v"], 0);
    }
    let admin = cf.admin_key();
    let mine = keys.iter().find(|k| k["_id"] == key_id(&admin)).unwrap();
    assert!(admin.starts_with(mine["tokenPrefix"].as_str().unwrap()));
    assert_eq!(
        mine["subject"],
        json!({"type": "user", "ref": cf.m["user_id"]})
    );
    let legacy = keys
        .iter()
        .find(|k| k["name"] == "legacy-full-access")
        .unwrap();
    assert_eq!(legacy["scopes"], Value::Null);
    let runner = keys.iter().find(|k| k["name"] == "prod-runner").unwrap();
    assert_eq!(
        runner["subject"],
        json!({"type": "runtime-environment", "ref": "prod-cluster/codefresh"})
    );
    let distinct: std::collections::BTreeSet<String> =
        keys.iter().map(|k| k["scopes"].to_string()).collect();
    assert!(distinct.len() >= 5, "demo keys have different scopes");
    // The service user's key is its own, not the admin's.
    assert!(keys.iter().all(|k| k["name"] != "ci-bot-deploy"));
    cf.emu.shutdown().await;
}

#[tokio::test]
async fn lifecycle_create_get_update_delete() {
    let cf = Cf::seeded().await;
    // Create: 200, the bare token as plain text.
    let token = cf
        .create("desktop-app", &["pipeline", "project", "build"])
        .await;
    assert!(!token.starts_with('"') && !token.contains('\n'), "{token}");
    let (id, secret) = token.split_once('.').unwrap();
    assert!(is_hex(id, 24));
    assert!(is_hex(secret, 32));

    // The new token authenticates at once and lists itself.
    let own = cf.keys_of(&token).await;
    assert!(own.iter().any(|k| k["_id"] == id));
    let r = cf.call(Method::GET, "/user", Auth::Key(&token), None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["_id"], cf.m["user_id"]);

    let r = cf
        .admin(Method::GET, &format!("/auth/key/{id}"), None)
        .await;
    assert_eq!(r.status, 200);
    let key = r.json();
    assert_eq!(key["_id"], id);
    assert_eq!(key["name"], "desktop-app");
    assert_eq!(key["scopes"], json!(["pipeline", "project", "build"]));
    assert_eq!(
        key["subject"],
        json!({"type": "user", "ref": cf.m["user_id"]})
    );
    assert_eq!(key["tokenPrefix"], token[..8]);
    assert!(key.get("token").is_none() && !key.to_string().contains(secret));
    chrono::DateTime::parse_from_rfc3339(key["created"].as_str().unwrap()).unwrap();

    // Update: name and scopes are replaced, not merged; the secret does not change.
    let r = cf
        .admin(
            Method::PATCH,
            &format!("/auth/key/{id}"),
            Some(json!({"_id": id, "subject": {}, "scopeSnapshot": {}, "name": "desktop-app-2", "scopes": ["view"]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["scopes"], json!(["view"]));
    let listed = cf.keys_of(&cf.admin_key()).await;
    let k = listed.iter().find(|k| k["_id"] == id).unwrap();
    assert_eq!(k["name"], "desktop-app-2");
    assert_eq!(k["scopes"], json!(["view"]));
    assert_eq!(k["scopeSnapshot"]["scopes"], json!(["view"]));
    assert_eq!(k["created"], key["created"]);
    // Only the name.
    let r = cf
        .admin(
            Method::PATCH,
            &format!("/auth/key/{id}"),
            Some(json!({"name": "renamed"})),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["scopes"], json!(["view"]));
    assert_eq!(cf.keys_of(&token).await.len(), listed.len());

    // Delete: 200; gone from the list; the token is rejected everywhere.
    let r = cf
        .admin(Method::DELETE, &format!("/auth/key/{id}"), None)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = cf
        .admin(Method::GET, &format!("/auth/key/{id}"), None)
        .await;
    let err = assert_error(&r, 404);
    assert_eq!(err["code"], "2000");
    assert_eq!(err["name"], "NOT_FOUND_ERROR");
    assert!(cf
        .keys_of(&cf.admin_key())
        .await
        .iter()
        .all(|k| k["_id"] != id));
    for path in ["/auth/keys", "/user", "/execution-contexts/current"] {
        let r = cf.call(Method::GET, path, Auth::Key(&token), None).await;
        assert_error(&r, 401);
    }
    let r = cf
        .admin(Method::DELETE, &format!("/auth/key/{id}"), None)
        .await;
    assert_error(&r, 404);
    cf.emu.shutdown().await;
}

#[tokio::test]
async fn a_key_can_revoke_itself() {
    let cf = Cf::seeded().await;
    let token = cf.create("self-destruct", &["view"]).await;
    let r = cf
        .call(
            Method::DELETE,
            &format!("/auth/key/{}", key_id(&token)),
            Auth::Key(&token),
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    assert_error(
        &cf.call(Method::GET, "/auth/keys", Auth::Key(&token), None)
            .await,
        401,
    );
    cf.emu.shutdown().await;
}

#[tokio::test]
async fn create_validates_name_scopes_and_subject() {
    let cf = Cf::seeded().await;
    let before = cf.keys_of(&cf.admin_key()).await.len();
    let bad = [
        json!({"scopes": ["view"]}),
        json!({"name": "", "scopes": ["view"]}),
        json!({"name": "   ", "scopes": ["view"]}),
        json!({"name": 5, "scopes": ["view"]}),
        json!({"name": "x"}),
        json!({"name": "x", "scopes": "view"}),
        json!({"name": "x", "scopes": ["view", ""]}),
        json!({"name": "x", "scopes": [1]}),
        json!(["not", "an", "object"]),
    ];
    for body in bad {
        let r = cf
            .admin(Method::POST, "/auth/key", Some(body.clone()))
            .await;
        let err = assert_error(&r, 400);
        assert_eq!(err["name"], "BAD_REQUEST_ERROR", "{body}");
    }
    let key = cf.admin_key();
    let r = cf
        .http
        .post(format!("{}/auth/key", cf.m["base_url"].as_str().unwrap()))
        .header("Authorization", &key)
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["status"], 400);

    // Subject: runtime-environment needs a reference; unknown types are refused.
    for query in ["?subjectType=runtime-environment", "?subjectType=robot"] {
        let r = cf
            .admin(
                Method::POST,
                &format!("/auth/key{query}"),
                Some(json!({"name": "x", "scopes": ["view"]})),
            )
            .await;
        assert_error(&r, 400);
    }
    assert_eq!(cf.keys_of(&key).await.len(), before, "nothing was created");

    // Any non-blank scope name is accepted, documented or finer-grained; extra Terraform
    // fields are ignored; the CLI's query parameters are honoured.
    let token = cf
        .create_with(
            Auth::Key(&key),
            "?subjectType=runtime-environment&subjectReference=my-cluster%2Fmy-namespace",
            json!({"subject": {}, "name": "runner", "scopes": ["runner-installation", "pipeline:read"], "scopeSnapshot": {}}),
        )
        .await;
    let r = cf
        .admin(Method::GET, &format!("/auth/key/{}", key_id(&token)), None)
        .await;
    let k = r.json();
    assert_eq!(
        k["subject"],
        json!({"type": "runtime-environment", "ref": "my-cluster/my-namespace"})
    );
    assert_eq!(k["scopes"], json!(["runner-installation", "pipeline:read"]));
    let token = cf
        .create_with(
            Auth::Key(&key),
            "?subjectType=user",
            json!({"name": "cli", "scopes": ["build"]}),
        )
        .await;
    let r = cf
        .admin(Method::GET, &format!("/auth/key/{}", key_id(&token)), None)
        .await;
    assert_eq!(r.json()["subject"]["type"], "user");
    cf.emu.shutdown().await;
}

/// The official CLI's `codefresh create token NAME` (no `-s`) sends `"scopes": []`; the vendor
/// doc reads an empty list as "all", so the key is created and listed with the empty list.
#[tokio::test]
async fn create_accepts_the_clis_empty_scope_list() {
    let cf = Cf::seeded().await;
    let key = cf.admin_key();
    let token = cf
        .create_with(
            Auth::Key(&key),
            "?subjectType=user",
            json!({"name": "no-scopes", "scopes": []}),
        )
        .await;
    let listed = cf.keys_of(&key).await;
    let k = listed
        .iter()
        .find(|k| k["_id"] == key_id(&token))
        .expect("the new key is listed");
    assert_eq!(k["name"], "no-scopes");
    assert_eq!(k["scopes"], json!([]));
    assert_eq!(k["scopeSnapshot"]["scopes"], json!([]));
    // The new token authenticates at once, as the same user.
    assert_eq!(cf.keys_of(&token).await.len(), listed.len());
    cf.emu.shutdown().await;
}

#[tokio::test]
async fn update_validates_and_404s_on_unknown_ids() {
    let cf = Cf::seeded().await;
    let token = cf.create("to-edit", &["view"]).await;
    let path = format!("/auth/key/{}", key_id(&token));
    for body in [
        json!({"scopes": []}),
        json!({"scopes": [""]}),
        json!({"name": ""}),
        json!({"name": ["x"]}),
    ] {
        let r = cf.admin(Method::PATCH, &path, Some(body.clone())).await;
        assert_error(&r, 400);
    }
    let r = cf.admin(Method::GET, &path, None).await;
    assert_eq!(r.json()["name"], "to-edit");
    assert_eq!(r.json()["scopes"], json!(["view"]));
    for method in [Method::GET, Method::PATCH, Method::DELETE] {
        let body = (method == Method::PATCH).then(|| json!({"name": "x"}));
        for id in ["000000000000000000000000", "not-an-object-id"] {
            let r = cf
                .admin(method.clone(), &format!("/auth/key/{id}"), body.clone())
                .await;
            assert_error(&r, 404);
        }
    }
    cf.emu.shutdown().await;
}

#[tokio::test]
async fn service_user_keys() {
    let cf = Cf::seeded().await;
    let r = cf.admin(Method::GET, "/service-users", None).await;
    assert_eq!(r.status, 200);
    let seeded = r.json();
    let names: Vec<&str> = seeded
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["userName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ci-bot", "release-bot"]);
    assert_eq!(seeded[1]["roles"], json!(["Admin"]));
    // Each seeded service user's keys, listed on the service user's path.
    let release = seeded[1]["_id"].as_str().unwrap();
    let r = cf
        .admin(
            Method::GET,
            &format!("/auth/key/service-user/{release}"),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mut listed: Vec<String> = r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["name"].as_str().unwrap().to_string())
        .collect();
    listed.sort();
    assert_eq!(listed, ["release-audit", "release-publish"]);
    assert_eq!(r.json()[0]["subject"]["ref"], release);

    let r = cf
        .admin(
            Method::POST,
            "/service-users",
            Some(json!({"userName": "deployer", "teamIds": ["t1"], "assignAdminRole": false})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let su = r.json();
    let su_id = su["_id"].as_str().unwrap().to_string();
    assert!(is_hex(&su_id, 24));
    assert_eq!(su["teams"], json!([{"_id": "t1"}]));
    assert_eq!(su["roles"], json!([]));
    let r = cf
        .admin(Method::GET, &format!("/service-users/{su_id}"), None)
        .await;
    assert_eq!(r.json(), su);
    let r = cf
        .admin(
            Method::POST,
            "/service-users",
            Some(json!({"userName": "deployer"})),
        )
        .await;
    assert_error(&r, 400);

    // A key for the service user: plain text, authenticates as the service user.
    let r = cf
        .admin(
            Method::POST,
            &format!("/auth/key/service-user/{su_id}"),
            Some(json!({"name": "deploy", "scopes": ["pipeline"]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.content_type.starts_with("text/plain"));
    let su_token = r.text;
    let kid = key_id(&su_token).to_string();
    let r = cf
        .admin(
            Method::GET,
            &format!("/auth/key/service-user/{su_id}"),
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    let listed = r.json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["_id"], kid);
    assert_eq!(listed[0]["scopes"], json!(["pipeline"]));
    assert_eq!(listed[0]["tokenPrefix"], &su_token[..8]);
    // The same validation as the caller's own keys: scopes must be an array of names.
    for body in [
        json!({"name": "n"}),
        json!({"name": "n", "scopes": "pipeline"}),
        json!({"name": "n", "scopes": [""]}),
        json!({"scopes": ["view"]}),
    ] {
        let r = cf
            .admin(
                Method::POST,
                &format!("/auth/key/service-user/{su_id}"),
                Some(body.clone()),
            )
            .await;
        let err = assert_error(&r, 400);
        assert_eq!(err["name"], "BAD_REQUEST_ERROR", "{body}");
    }
    let r = cf
        .call(Method::GET, "/user", Auth::Key(&su_token), None)
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["userName"], "deployer");
    assert_eq!(r.json()["activeAccountName"], "keyrack-sandbox");
    let own = cf.keys_of(&su_token).await;
    assert_eq!(own.len(), 1);
    assert_eq!(own[0]["_id"], kid);
    // Not the admin's key: not visible on the admin's own paths.
    assert!(cf
        .keys_of(&cf.admin_key())
        .await
        .iter()
        .all(|k| k["_id"] != kid));
    assert_error(
        &cf.admin(Method::GET, &format!("/auth/key/{kid}"), None)
            .await,
        404,
    );

    let key_path = format!("/auth/key/service-user/{su_id}/{kid}");
    let r = cf.admin(Method::GET, &key_path, None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["name"], "deploy");
    let r = cf
        .admin(
            Method::PATCH,
            &key_path,
            Some(json!({"scopes": ["pipeline", "build"]})),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["scopes"], json!(["pipeline", "build"]));

    // A non-admin service user may not manage service users or their keys.
    for (method, path, body) in [
        (Method::GET, format!("/auth/key/service-user/{su_id}"), None),
        (
            Method::POST,
            "/service-users".to_string(),
            Some(json!({"userName": "x"})),
        ),
        (Method::GET, key_path.clone(), None),
        (Method::DELETE, format!("/service-users/{su_id}"), None),
        (
            Method::POST,
            format!("/auth/key/service-user/{su_id}"),
            Some(json!({"name": "n", "scopes": ["view"]})),
        ),
    ] {
        let r = cf.call(method, &path, Auth::Key(&su_token), body).await;
        let err = assert_error(&r, 403);
        assert_eq!(err["name"], "FORBIDDEN_ERROR");
    }

    // Unknown service user or key: 404.
    let nobody = "000000000000000000000000";
    let err = assert_error(
        &cf.admin(
            Method::GET,
            &format!("/auth/key/service-user/{nobody}"),
            None,
        )
        .await,
        404,
    );
    assert_eq!(err["message"], "Service user not found");
    assert_eq!(err["code"], "2000");
    let r = cf
        .admin(
            Method::POST,
            &format!("/auth/key/service-user/{nobody}"),
            Some(json!({"name": "n", "scopes": ["view"]})),
        )
        .await;
    assert_error(&r, 404);
    assert_error(
        &cf.admin(
            Method::GET,
            &format!("/auth/key/service-user/{su_id}/{nobody}"),
            None,
        )
        .await,
        404,
    );
    assert_error(
        &cf.admin(Method::GET, &format!("/service-users/{nobody}"), None)
            .await,
        404,
    );

    // Promoting it to admin lets its key manage service users.
    let r = cf
        .admin(
            Method::PATCH,
            &format!("/service-users/{su_id}"),
            Some(json!({"assignAdminRole": true})),
        )
        .await;
    assert_eq!(r.json()["roles"], json!(["Admin"]));
    let r = cf
        .call(Method::GET, &key_path, Auth::Key(&su_token), None)
        .await;
    assert_eq!(r.status, 200);

    // Deleting the key revokes it; deleting the service user revokes all of its keys.
    let second = cf
        .admin(
            Method::POST,
            &format!("/auth/key/service-user/{su_id}"),
            Some(json!({"name": "second", "scopes": ["view"]})),
        )
        .await
        .text;
    let r = cf.admin(Method::DELETE, &key_path, None).await;
    assert_eq!(r.status, 200);
    assert_error(
        &cf.call(Method::GET, "/user", Auth::Key(&su_token), None)
            .await,
        401,
    );
    assert_eq!(
        cf.call(Method::GET, "/user", Auth::Key(&second), None)
            .await
            .status,
        200
    );
    let r = cf
        .admin(Method::DELETE, &format!("/service-users/{su_id}"), None)
        .await;
    assert_eq!(r.status, 200);
    assert_error(
        &cf.call(Method::GET, "/user", Auth::Key(&second), None)
            .await,
        401,
    );
    assert_error(
        &cf.admin(Method::GET, &format!("/service-users/{su_id}"), None)
            .await,
        404,
    );
    cf.emu.shutdown().await;
}

#[tokio::test]
async fn admin_flow_creates_a_key_in_another_account_with_a_session_token() {
    let cf = Cf::seeded().await;
    let account = cf.m["account_id"].as_str().unwrap().to_string();
    let r = cf
        .admin(Method::GET, &format!("/admin/accounts/{account}"), None)
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["name"], "keyrack-sandbox");
    assert_error(
        &cf.admin(
            Method::GET,
            "/admin/accounts/000000000000000000000000",
            None,
        )
        .await,
        404,
    );

    let me = cf.admin(Method::GET, "/user", None).await.json();
    let staging = me["account"][1]["_id"].as_str().unwrap().to_string();

    // Session for the admin user, switched to the staging account.
    let r = cf
        .admin(
            Method::GET,
            &format!(
                "/admin/user/loginAsUser?userId={}",
                cf.m["user_id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let login = r.json();
    assert_eq!(login["user"]["userName"], me["userName"]);
    let session = login["accessToken"].as_str().unwrap().to_string();
    assert_eq!(session.split('.').count(), 3, "JWT-shaped");
    let r = cf
        .call(
            Method::POST,
            &format!("/user/changeaccount/{staging}"),
            Auth::Session(&session),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let scoped = r.json()["accessToken"].as_str().unwrap().to_string();
    let r = cf
        .call(Method::GET, "/user", Auth::Session(&scoped), None)
        .await;
    assert_eq!(r.json()["activeAccountName"], "keyrack-staging");

    // A key created with the session acts in that account.
    let token = cf
        .create_with(
            Auth::Session(&scoped),
            "",
            json!({"name": "staging-key", "scopes": ["pipeline"]}),
        )
        .await;
    let r = cf.call(Method::GET, "/user", Auth::Key(&token), None).await;
    assert_eq!(r.json()["activeAccountName"], "keyrack-staging");
    assert_eq!(cf.keys_of(&token).await.len(), 1);
    assert!(cf
        .keys_of(&cf.admin_key())
        .await
        .iter()
        .all(|k| k["name"] != "staging-key"));

    // Another user of the account: login works, but not a switch to an account they're not in.
    let users_session = {
        let dev = cf.emu.shared.store().codefresh.users[1].id.clone();
        let r = cf
            .admin(
                Method::GET,
                &format!("/admin/user/loginAsUser?userId={dev}"),
                None,
            )
            .await;
        assert_eq!(r.status, 200);
        r.json()["accessToken"].as_str().unwrap().to_string()
    };
    let r = cf
        .call(Method::GET, "/user", Auth::Session(&users_session), None)
        .await;
    assert_eq!(r.json()["userName"], "dev");
    let r = cf
        .call(
            Method::POST,
            &format!("/user/changeaccount/{staging}"),
            Auth::Session(&users_session),
            None,
        )
        .await;
    assert_error(&r, 403);
    // ...and not the admin endpoints.
    let r = cf
        .call(
            Method::GET,
            &format!("/admin/accounts/{account}"),
            Auth::Session(&users_session),
            None,
        )
        .await;
    assert_error(&r, 403);

    assert_error(
        &cf.admin(Method::GET, "/admin/user/loginAsUser", None).await,
        400,
    );
    assert_error(
        &cf.admin(
            Method::GET,
            "/admin/user/loginAsUser?userId=000000000000000000000000",
            None,
        )
        .await,
        404,
    );
    assert_error(
        &cf.admin(
            Method::POST,
            "/user/changeaccount/000000000000000000000000",
            None,
        )
        .await,
        404,
    );
    cf.emu.shutdown().await;
}

#[tokio::test]
async fn empty_seed_and_extra_keys() {
    let cf = Cf::start(SeedOptions {
        empty: true,
        extra_keys: 0,
    })
    .await;
    let keys = cf.keys_of(&cf.admin_key()).await;
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["_id"], key_id(&cf.admin_key()));
    let r = cf.admin(Method::GET, "/service-users", None).await;
    assert_eq!(r.json(), json!([]));
    cf.emu.shutdown().await;

    let cf = Cf::start(SeedOptions {
        empty: false,
        extra_keys: 25,
    })
    .await;
    assert_eq!(cf.keys_of(&cf.admin_key()).await.len(), 6 + 25);
    cf.emu.shutdown().await;
}

#[tokio::test]
async fn wrong_method_still_answers_json() {
    let cf = Cf::seeded().await;
    let r = cf.admin(Method::PUT, "/auth/keys", None).await;
    assert_error(&r, 405);
    let r = cf.admin(Method::GET, "/auth/key", None).await;
    assert_error(&r, 405);
    cf.emu.shutdown().await;
}

#[tokio::test]
async fn tokens_survive_a_restart_from_the_state_file() {
    let dir = tempfile::tempdir().unwrap();
    let opts = EmulatorOptions {
        state_file: Some(dir.path().join("state.json")),
        ..Default::default()
    };
    let emu = start(opts.clone()).await.unwrap();
    let cf = Cf {
        m: emu.manifest()["codefresh"].clone(),
        emu,
        http: reqwest::Client::new(),
    };
    let token = cf.create("persisted", &["view"]).await;
    let admin = cf.admin_key();
    cf.emu.shutdown().await;

    let emu = start(opts).await.unwrap();
    let cf = Cf {
        m: emu.manifest()["codefresh"].clone(),
        emu,
        http: reqwest::Client::new(),
    };
    assert_eq!(cf.admin_key(), admin);
    let own = cf.keys_of(&token).await;
    assert!(own.iter().any(|k| k["name"] == "persisted"));
    cf.emu.shutdown().await;
}

#[tokio::test]
async fn debug_output_never_shows_a_token_secret() {
    let cf = Cf::seeded().await;
    let token = cf.create("debugged", &["view"]).await;
    let dump = format!("{:?}", cf.emu.shared.store().codefresh);
    for t in [cf.admin_key(), token] {
        let (id, secret) = t.split_once('.').unwrap();
        assert!(dump.contains(id));
        assert!(!dump.contains(secret), "secret in Debug output");
    }
    assert!(dump.contains("<redacted>"));
    cf.emu.shutdown().await;
}
