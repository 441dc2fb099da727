//! Scaleway IAM emulator: every rule it enforces, over HTTP, as Scaleway's API documentation
//! states it.

use keyrack_emulator::{start, Emulator, EmulatorOptions, SeedOptions};
use reqwest::Method;
use serde_json::{json, Value};

const DENIED: &str = r#"{"message":"authentication is denied","method":"api_key","reason":"invalid_argument","type":"denied_authentication"}"#;

struct Scw {
    emu: Emulator,
    http: reqwest::Client,
    /// The sandbox manifest's `scaleway` part.
    m: Value,
}

struct Reply {
    status: u16,
    headers: reqwest::header::HeaderMap,
    text: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

impl Scw {
    async fn start(seed: SeedOptions) -> Scw {
        let emu = start(EmulatorOptions {
            seed,
            ..Default::default()
        })
        .await
        .unwrap();
        let m = emu.manifest()["scaleway"].clone();
        Scw {
            emu,
            http: reqwest::Client::new(),
            m,
        }
    }

    async fn seeded() -> Scw {
        Scw::start(SeedOptions::default()).await
    }

    fn admin_token(&self) -> String {
        self.m["secret_key"].as_str().unwrap().to_string()
    }

    fn id(&self, name: &str) -> String {
        self.m[name].as_str().unwrap().to_string()
    }

    /// A request with an optional `X-Auth-Token` and an optional JSON body.
    async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.emu.base_url));
        if let Some(t) = token {
            req = req.header("X-Auth-Token", t);
        }
        if let Some(b) = body {
            req = req
                .header("Content-Type", "application/json; charset=utf-8")
                .body(b.to_string());
        }
        let res = req.send().await.unwrap();
        Reply {
            status: res.status().as_u16(),
            headers: res.headers().clone(),
            text: res.text().await.unwrap(),
        }
    }

    async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let token = self.admin_token();
        self.call(method, path, Some(&token), body).await
    }

    async fn get_ok(&self, path: &str) -> Value {
        let r = self.admin(Method::GET, path, None).await;
        assert_eq!(r.status, 200, "GET {path}: {}", r.text);
        r.json()
    }

    /// Every key, in default order, through one large page.
    async fn all_keys(&self, query: &str) -> Vec<Value> {
        let v = self
            .get_ok(&format!("/iam/v1alpha1/api-keys?page_size=100&{query}"))
            .await;
        v["api_keys"].as_array().unwrap().clone()
    }

    async fn count(&self, query: &str) -> usize {
        self.all_keys(query).await.len()
    }

    async fn create(&self, body: Value) -> Value {
        let r = self
            .admin(Method::POST, "/iam/v1alpha1/api-keys", Some(body))
            .await;
        assert_eq!(r.status, 200, "create: {}", r.text);
        r.json()
    }

    async fn find_key(&self, description: &str) -> Value {
        self.all_keys("")
            .await
            .into_iter()
            .find(|k| k["description"] == description)
            .unwrap_or_else(|| panic!("no seeded key {description}"))
    }
}

fn is_access_key(s: &str) -> bool {
    s.len() == 20
        && s.starts_with("SCW")
        && s[3..]
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::parse_str(s).is_ok()
}

fn access_keys(keys: &[Value]) -> Vec<String> {
    keys.iter()
        .map(|k| k["access_key"].as_str().unwrap().to_string())
        .collect()
}

fn invalid_argument_names(body: &Value) -> Vec<String> {
    assert_eq!(body["type"], "invalid_arguments", "{body}");
    assert_eq!(body["message"], "invalid argument(s)");
    body["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert!(d["help_message"].is_string());
            d["argument_name"].as_str().unwrap().to_string()
        })
        .collect()
}

#[tokio::test]
async fn manifest_names_the_admin_credential_and_ids() {
    let s = Scw::seeded().await;
    let m = &s.m;
    assert_eq!(m["base_url"], s.emu.base_url);
    assert!(is_access_key(m["access_key"].as_str().unwrap()));
    assert!(is_uuid(m["secret_key"].as_str().unwrap()));
    for id in ["organization_id", "project_id", "user_id", "application_id"] {
        assert!(is_uuid(m[id].as_str().unwrap()), "{id}");
    }
    // The default project shares the organization's id.
    assert_eq!(m["project_id"], m["organization_id"]);
    let me = s
        .get_ok(&format!("/iam/v1alpha1/api-keys/{}", s.id("access_key")))
        .await;
    assert_eq!(me["user_id"], m["user_id"]);
    assert!(me.get("application_id").is_none());
    let app = s
        .get_ok(&format!(
            "/iam/v1alpha1/applications/{}",
            s.id("application_id")
        ))
        .await;
    assert_eq!(app["organization_id"], m["organization_id"]);
    s.emu.shutdown().await;
}

#[tokio::test]
async fn missing_or_unknown_token_is_denied_with_the_documented_body() {
    let s = Scw::seeded().await;
    let paths = [
        (Method::GET, "/iam/v1alpha1/api-keys"),
        (Method::POST, "/iam/v1alpha1/api-keys"),
        (Method::GET, "/iam/v1alpha1/users"),
        (Method::GET, "/iam/v1alpha1/applications"),
        (Method::GET, "/account/v3/projects"),
    ];
    let unknown = uuid::Uuid::new_v4().to_string();
    for (method, path) in paths {
        for token in [None, Some(unknown.as_str()), Some("not-a-uuid")] {
            let r = s.call(method.clone(), path, token, None).await;
            assert_eq!(r.status, 401, "{method} {path} {token:?}");
            assert_eq!(r.text, DENIED);
            assert!(r.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json"));
        }
    }
    // The access key is not a credential; only the secret is.
    let r = s
        .call(
            Method::GET,
            "/iam/v1alpha1/api-keys",
            Some(&s.id("access_key")),
            None,
        )
        .await;
    assert_eq!(r.status, 401);
    s.emu.shutdown().await;
}

#[tokio::test]
async fn expired_key_is_denied_with_reason_expired() {
    let s = Scw::seeded().await;
    let key = s
        .create(json!({"description": "short-lived", "expires_at": "2099-01-01T00:00:00Z"}))
        .await;
    let secret = key["secret_key"].as_str().unwrap().to_string();
    let path = "/iam/v1alpha1/api-keys";
    assert_eq!(
        s.call(Method::GET, path, Some(&secret), None).await.status,
        200
    );
    // Let its expiry pass.
    {
        let mut store = s.emu.shared.store();
        let stored = store
            .scaleway
            .api_keys
            .iter_mut()
            .find(|k| k.access_key == key["access_key"].as_str().unwrap())
            .unwrap();
        stored.expires_at = Some(chrono::Utc::now() - chrono::Duration::seconds(1));
    }
    let r = s.call(Method::GET, path, Some(&secret), None).await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.json(),
        json!({"message":"authentication is denied","method":"api_key","reason":"expired","type":"denied_authentication"})
    );
    s.emu.shutdown().await;
}

#[tokio::test]
async fn lifecycle_create_get_update_delete() {
    let s = Scw::seeded().await;
    let before = s.get_ok("/iam/v1alpha1/api-keys").await["total_count"]
        .as_u64()
        .unwrap();

    // Create for a user: 200, the secret once, the key fields as recorded.
    let created = s
        .create(json!({
            "user_id": s.id("user_id"),
            "description": "ci-deploy",
            "expires_at": "2035-07-06T11:00:00+02:00",
        }))
        .await;
    let access_key = created["access_key"].as_str().unwrap().to_string();
    let secret = created["secret_key"].as_str().unwrap().to_string();
    assert!(is_access_key(&access_key), "{access_key}");
    assert!(is_uuid(&secret), "{secret}");
    assert_eq!(created["user_id"], s.m["user_id"]);
    assert!(created.get("application_id").is_none());
    assert_eq!(created["description"], "ci-deploy");
    assert_eq!(created["expires_at"], "2035-07-06T09:00:00Z");
    assert_eq!(created["default_project_id"], s.m["organization_id"]);
    assert_eq!(created["editable"], true);
    assert_eq!(created["deletable"], true);
    assert_eq!(created["managed"], false);
    assert_eq!(created["creation_ip"], "127.0.0.1");
    assert_eq!(created["created_at"], created["updated_at"]);
    let created_at = created["created_at"].as_str().unwrap();
    assert!(created_at.ends_with('Z'));
    chrono::DateTime::parse_from_rfc3339(created_at).unwrap();
    assert!(created.get("srn").is_none());

    // The new secret authenticates at once.
    let r = s
        .call(
            Method::GET,
            &format!("/iam/v1alpha1/api-keys/{access_key}"),
            Some(&secret),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let got = r.json();
    // Everything but the secret is the same afterwards.
    assert_eq!(got["secret_key"], Value::Null);
    let mut without_secret = created.clone();
    without_secret["secret_key"] = Value::Null;
    assert_eq!(got, without_secret);
    let listed = s.all_keys(&format!("access_keys={access_key}")).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0], without_secret);
    assert_eq!(
        s.get_ok("/iam/v1alpha1/api-keys").await["total_count"],
        before + 1
    );

    // Update: description, project and expiry applied; updated_at moves, secret stays hidden.
    let staging = staging_project(&s).await;
    let r = s
        .admin(
            Method::PATCH,
            &format!("/iam/v1alpha1/api-keys/{access_key}"),
            Some(json!({
                "description": "ci-deploy (rotated 2026-07)",
                "default_project_id": staging,
                "expires_at": "2036-01-01T00:00:00+00:00",
            })),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let updated = r.json();
    assert_eq!(updated["description"], "ci-deploy (rotated 2026-07)");
    assert_eq!(updated["default_project_id"], staging);
    assert_eq!(updated["expires_at"], "2036-01-01T00:00:00Z");
    assert_eq!(updated["secret_key"], Value::Null);
    assert_eq!(updated["created_at"], created["created_at"]);
    assert!(updated["updated_at"].as_str().unwrap() >= created_at);
    assert_eq!(
        s.get_ok(&format!("/iam/v1alpha1/api-keys/{access_key}"))
            .await,
        updated
    );
    // An empty PATCH changes nothing but is accepted.
    let r = s
        .admin(
            Method::PATCH,
            &format!("/iam/v1alpha1/api-keys/{access_key}"),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["description"], "ci-deploy (rotated 2026-07)");

    // Delete: 204 with an empty body; the key is gone and its secret stops working.
    let r = s
        .admin(
            Method::DELETE,
            &format!("/iam/v1alpha1/api-keys/{access_key}"),
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(r.text, "");
    let r = s
        .admin(
            Method::GET,
            &format!("/iam/v1alpha1/api-keys/{access_key}"),
            None,
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.text,
        format!(
            r#"{{"message":"resource is not found","resource":"access_key","resource_id":"{access_key}","type":"not_found"}}"#
        )
    );
    let r = s
        .call(Method::GET, "/iam/v1alpha1/api-keys", Some(&secret), None)
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.text, DENIED);
    assert!(s
        .all_keys(&format!("access_keys={access_key}"))
        .await
        .is_empty());
    assert_eq!(
        s.get_ok("/iam/v1alpha1/api-keys").await["total_count"],
        before
    );
    s.emu.shutdown().await;
}

async fn staging_project(s: &Scw) -> String {
    let projects = s.get_ok("/account/v3/projects?name=staging").await;
    projects["projects"][0]["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn unknown_access_key_is_404_on_get_patch_delete() {
    let s = Scw::seeded().await;
    let missing = "SCW00000000000000000";
    for method in [Method::GET, Method::PATCH, Method::DELETE] {
        let body = (method == Method::PATCH).then(|| json!({"description": "x"}));
        let r = s
            .admin(
                method.clone(),
                &format!("/iam/v1alpha1/api-keys/{missing}"),
                body,
            )
            .await;
        assert_eq!(r.status, 404, "{method}");
        assert_eq!(
            r.json(),
            json!({"message":"resource is not found","resource":"access_key","resource_id":missing,"type":"not_found"})
        );
    }
    s.emu.shutdown().await;
}

#[tokio::test]
async fn empty_json_bodies_are_accepted_on_get_and_delete() {
    let s = Scw::seeded().await;
    let r = s
        .admin(Method::GET, "/iam/v1alpha1/api-keys", Some(json!({})))
        .await;
    assert_eq!(r.status, 200);
    let r = s
        .admin(Method::GET, "/iam/v1alpha1/users", Some(json!({})))
        .await;
    assert_eq!(r.status, 200);
    let key = s.create(json!({"description": "tmp"})).await;
    let path = format!(
        "/iam/v1alpha1/api-keys/{}",
        key["access_key"].as_str().unwrap()
    );
    assert_eq!(
        s.admin(Method::GET, &path, Some(json!({}))).await.status,
        200
    );
    assert_eq!(
        s.admin(Method::DELETE, &path, Some(json!({}))).await.status,
        204
    );
    s.emu.shutdown().await;
}

#[tokio::test]
async fn create_for_an_application_counts_its_keys() {
    let s = Scw::seeded().await;
    let app_path = format!("/iam/v1alpha1/applications/{}", s.id("application_id"));
    let before = s.get_ok(&app_path).await["nb_api_keys"].as_u64().unwrap();
    let key = s
        .create(json!({"application_id": s.id("application_id"), "description": ""}))
        .await;
    assert_eq!(key["application_id"], s.m["application_id"]);
    assert!(key.get("user_id").is_none());
    assert_eq!(key["description"], "");
    assert_eq!(key["expires_at"], Value::Null);
    assert_eq!(s.get_ok(&app_path).await["nb_api_keys"], before + 1);
    let secret = key["secret_key"].as_str().unwrap();
    // An application's key authenticates too.
    let r = s
        .call(Method::GET, "/iam/v1alpha1/users", Some(secret), None)
        .await;
    assert_eq!(r.status, 200);
    let path = format!(
        "/iam/v1alpha1/api-keys/{}",
        key["access_key"].as_str().unwrap()
    );
    assert_eq!(s.admin(Method::DELETE, &path, None).await.status, 204);
    assert_eq!(s.get_ok(&app_path).await["nb_api_keys"], before);
    s.emu.shutdown().await;
}

#[tokio::test]
async fn create_without_bearer_defaults_to_the_callers_bearer() {
    let s = Scw::seeded().await;
    let key = s.create(json!({"description": "mine"})).await;
    assert_eq!(key["user_id"], s.m["user_id"]);
    // An application's key creating a key without a bearer gives it to that application.
    let app_key = s
        .create(json!({"application_id": s.id("application_id")}))
        .await;
    let r = s
        .call(
            Method::POST,
            "/iam/v1alpha1/api-keys",
            app_key["secret_key"].as_str(),
            Some(json!({"description": "from the app"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["application_id"], s.m["application_id"]);
    // An empty body is `{}` too.
    let r = s.admin(Method::POST, "/iam/v1alpha1/api-keys", None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["user_id"], s.m["user_id"]);
    s.emu.shutdown().await;
}

#[tokio::test]
async fn create_validates_its_arguments() {
    let s = Scw::seeded().await;
    let user = s.id("user_id");
    let app = s.id("application_id");
    let cases = [
        (
            json!({"user_id": user, "application_id": app}),
            vec!["application_id", "user_id"],
        ),
        (json!({"user_id": "not-a-uuid"}), vec!["user_id"]),
        (json!({"application_id": 42}), vec!["application_id"]),
        (json!({"description": "x".repeat(201)}), vec!["description"]),
        (
            json!({"expires_at": "2020-01-01T00:00:00Z"}),
            vec!["expires_at"],
        ),
        (json!({"expires_at": "next tuesday"}), vec!["expires_at"]),
        (
            json!({"default_project_id": "default"}),
            vec!["default_project_id"],
        ),
    ];
    for (body, names) in cases {
        let r = s
            .admin(Method::POST, "/iam/v1alpha1/api-keys", Some(body.clone()))
            .await;
        assert_eq!(r.status, 400, "{body}: {}", r.text);
        assert_eq!(invalid_argument_names(&r.json()), names, "{body}");
    }
    // The both-bearers error is a constraint, with the documented details shape.
    let r = s
        .admin(
            Method::POST,
            "/iam/v1alpha1/api-keys",
            Some(json!({"user_id": user, "application_id": app})),
        )
        .await;
    assert_eq!(r.json()["details"][0]["reason"], "constraint");
    // 200 characters is the limit, not past it.
    s.create(json!({"description": "x".repeat(200)})).await;

    // Malformed JSON is a validation error, not a crash.
    let r = s
        .http
        .post(format!("{}/iam/v1alpha1/api-keys", s.emu.base_url))
        .header("X-Auth-Token", s.admin_token())
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(invalid_argument_names(&body), vec!["body"]);

    // Well-formed ids that name nothing are 404s of the right resource.
    let nobody = uuid::Uuid::new_v4().to_string();
    for (field, resource) in [
        ("user_id", "user"),
        ("application_id", "application"),
        ("default_project_id", "project"),
    ] {
        let r = s
            .admin(
                Method::POST,
                "/iam/v1alpha1/api-keys",
                Some(json!({ field: nobody })),
            )
            .await;
        assert_eq!(r.status, 404, "{field}");
        assert_eq!(
            r.json(),
            json!({"message":"resource is not found","resource":resource,"resource_id":nobody,"type":"not_found"})
        );
    }
    s.emu.shutdown().await;
}

#[tokio::test]
async fn update_validates_and_respects_editable() {
    let s = Scw::seeded().await;
    let key = s.create(json!({"description": "to edit"})).await;
    let path = format!(
        "/iam/v1alpha1/api-keys/{}",
        key["access_key"].as_str().unwrap()
    );
    for (body, name) in [
        (json!({"description": "y".repeat(201)}), "description"),
        (json!({"expires_at": "2001-01-01T00:00:00Z"}), "expires_at"),
        (json!({"default_project_id": "nope"}), "default_project_id"),
    ] {
        let r = s.admin(Method::PATCH, &path, Some(body)).await;
        assert_eq!(r.status, 400);
        assert_eq!(invalid_argument_names(&r.json()), vec![name]);
    }
    let nowhere = uuid::Uuid::new_v4().to_string();
    let r = s
        .admin(
            Method::PATCH,
            &path,
            Some(json!({"default_project_id": nowhere})),
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["resource"], "project");
    // Nothing was half-applied.
    assert_eq!(s.get_ok(&path).await["description"], "to edit");

    // A key managed by Scaleway can be neither edited nor deleted.
    let managed = s.find_key("Managed by Object Storage lifecycle").await;
    assert_eq!(managed["managed"], true);
    assert_eq!(managed["editable"], false);
    assert_eq!(managed["deletable"], false);
    let managed_path = format!(
        "/iam/v1alpha1/api-keys/{}",
        managed["access_key"].as_str().unwrap()
    );
    let r = s
        .admin(
            Method::PATCH,
            &managed_path,
            Some(json!({"description": "mine now"})),
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        r.json(),
        json!({"details":[{"action":"write","resource":"api_key"}],"message":"insufficient permissions","type":"permissions_denied"})
    );
    let r = s.admin(Method::DELETE, &managed_path, None).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["type"], "permissions_denied");
    assert_eq!(s.get_ok(&managed_path).await, managed);
    s.emu.shutdown().await;
}

#[tokio::test]
async fn paging_is_page_number_based_with_a_stable_total() {
    let s = Scw::start(SeedOptions {
        empty: false,
        extra_keys: 30,
    })
    .await;
    let everything = s.all_keys("").await;
    let total = everything.len();
    assert_eq!(total, 1 + 6 + 30);

    // Default page: first page, 20 items, the total across all pages.
    let first = s.get_ok("/iam/v1alpha1/api-keys").await;
    assert_eq!(first["total_count"], total);
    assert_eq!(first["api_keys"].as_array().unwrap().len(), 20);
    assert_eq!(
        access_keys(first["api_keys"].as_array().unwrap()),
        access_keys(&everything[..20])
    );

    // Walking pages of 10 visits every key once, in order; the last page is partial.
    let mut walked = Vec::new();
    for page in 1..=4 {
        let v = s
            .get_ok(&format!("/iam/v1alpha1/api-keys?page={page}&page_size=10"))
            .await;
        assert_eq!(v["total_count"], total);
        let items = v["api_keys"].as_array().unwrap();
        let expected = if page < 4 { 10 } else { total - 30 };
        assert_eq!(items.len(), expected, "page {page}");
        walked.extend(access_keys(items));
    }
    assert_eq!(walked, access_keys(&everything));

    // Past the end: an empty page, not an error, and the same total.
    for page in [5, 1000] {
        let v = s
            .get_ok(&format!("/iam/v1alpha1/api-keys?page={page}&page_size=10"))
            .await;
        assert_eq!(v["api_keys"], json!([]));
        assert_eq!(v["total_count"], total);
    }

    // page ≥ 1, page_size 1–100.
    for (query, name) in [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("page_size=x", "page_size"),
    ] {
        let r = s
            .admin(
                Method::GET,
                &format!("/iam/v1alpha1/api-keys?{query}"),
                None,
            )
            .await;
        assert_eq!(r.status, 400, "{query}");
        assert_eq!(invalid_argument_names(&r.json()), vec![name], "{query}");
    }
    let v = s.get_ok("/iam/v1alpha1/api-keys?page_size=1&page=37").await;
    assert_eq!(v["api_keys"].as_array().unwrap().len(), 1);
    s.emu.shutdown().await;
}

#[tokio::test]
async fn list_filters() {
    let s = Scw::seeded().await;
    let all = s.all_keys("").await;
    assert_eq!(all.len(), 7);
    let user_keys = all.iter().filter(|k| k.get("user_id").is_some()).count();
    let app_keys = all
        .iter()
        .filter(|k| k.get("application_id").is_some())
        .count();
    assert_eq!(user_keys + app_keys, all.len());
    assert!(user_keys > 0 && app_keys > 0);

    // What the Go SDK sends by default: no filter at all.
    let org = s.id("organization_id");
    assert_eq!(
        s.all_keys(&format!(
            "bearer_type=unknown_bearer_type&order_by=created_at_asc&organization_id={org}&page=1"
        ))
        .await
        .len(),
        all.len()
    );
    assert_eq!(s.count("bearer_type=user").await, user_keys);
    assert_eq!(s.count("bearer_type=application").await, app_keys);
    let other_org = uuid::Uuid::new_v4();
    assert_eq!(
        s.all_keys(&format!("organization_id={other_org}"))
            .await
            .len(),
        0
    );

    let admin = s.id("user_id");
    let app = s.id("application_id");
    let admin_keys = s.all_keys(&format!("bearer_id={admin}")).await;
    assert_eq!(admin_keys.len(), 3);
    assert!(admin_keys.iter().all(|k| k["user_id"] == admin.as_str()));
    assert_eq!(s.all_keys(&format!("user_id={admin}")).await, admin_keys);
    assert_eq!(
        s.all_keys(&format!("bearer_id={admin}&bearer_type=user"))
            .await,
        admin_keys
    );
    assert!(s
        .all_keys(&format!("bearer_id={admin}&bearer_type=application"))
        .await
        .is_empty());
    let ci_keys = s.all_keys(&format!("application_id={app}")).await;
    assert_eq!(ci_keys.len(), 1);
    assert_eq!(s.all_keys(&format!("bearer_id={app}")).await, ci_keys);

    let locked = s.all_keys("editable=false").await;
    assert_eq!(locked.len(), 1);
    assert_eq!(locked[0]["managed"], true);
    assert_eq!(s.count("editable=true").await, all.len() - 1);

    let expired = s.all_keys("expired=true").await;
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0]["description"], "old-import-script");
    assert_eq!(s.count("expired=false").await, all.len() - 1);
    // One key expires within days and is not expired yet.
    let laptop = s.find_key("laptop").await;
    let expires =
        chrono::DateTime::parse_from_rfc3339(laptop["expires_at"].as_str().unwrap()).unwrap();
    let left = expires.signed_duration_since(chrono::Utc::now());
    assert!(left > chrono::Duration::zero() && left < chrono::Duration::days(7));

    // access_keys repeats; access_key is its deprecated single form.
    let a = all[1]["access_key"].as_str().unwrap();
    let b = all[4]["access_key"].as_str().unwrap();
    let picked = s
        .all_keys(&format!("access_keys={a}&access_keys={b}"))
        .await;
    assert_eq!(access_keys(&picked), vec![a.to_string(), b.to_string()]);
    assert_eq!(
        access_keys(&s.all_keys(&format!("access_key={b}")).await),
        vec![b.to_string()]
    );
    assert!(s
        .all_keys("access_keys=SCW00000000000000000")
        .await
        .is_empty());

    let described = s.all_keys("description=terraform").await;
    assert_eq!(described.len(), 1);
    assert_eq!(described[0]["description"], "terraform");
    assert_eq!(s.count("description=Managed").await, 1);

    // Filters combine, and total_count counts the filtered set.
    let v = s
        .get_ok(&format!(
            "/iam/v1alpha1/api-keys?bearer_id={admin}&page_size=2&page=2"
        ))
        .await;
    assert_eq!(v["total_count"], 3);
    assert_eq!(v["api_keys"].as_array().unwrap().len(), 1);

    // Bad filter values are validation errors naming the argument.
    for (query, name) in [
        ("editable=maybe", "editable"),
        ("expired=yes", "expired"),
        ("bearer_type=robot", "bearer_type"),
        ("bearer_id=123", "bearer_id"),
        ("organization_id=acme", "organization_id"),
        ("user_id=x", "user_id"),
        ("application_id=x", "application_id"),
        ("order_by=name_asc", "order_by"),
    ] {
        let r = s
            .admin(
                Method::GET,
                &format!("/iam/v1alpha1/api-keys?{query}"),
                None,
            )
            .await;
        assert_eq!(r.status, 400, "{query}");
        assert_eq!(invalid_argument_names(&r.json()), vec![name], "{query}");
    }
    s.emu.shutdown().await;
}

#[tokio::test]
async fn list_order_by() {
    let s = Scw::seeded().await;
    let asc = s.all_keys("order_by=created_at_asc").await;
    assert_eq!(asc, s.all_keys("").await, "created_at_asc is the default");
    let created: Vec<&str> = asc
        .iter()
        .map(|k| k["created_at"].as_str().unwrap())
        .collect();
    let mut sorted = created.clone();
    sorted.sort_by_key(|t| chrono::DateTime::parse_from_rfc3339(t).unwrap());
    assert_eq!(created, sorted);
    let mut desc = s.all_keys("order_by=created_at_desc").await;
    desc.reverse();
    assert_eq!(desc, asc);

    let by_key = access_keys(&s.all_keys("order_by=access_key_asc").await);
    let mut expected = by_key.clone();
    expected.sort();
    assert_eq!(by_key, expected);
    let mut by_key_desc = access_keys(&s.all_keys("order_by=access_key_desc").await);
    by_key_desc.reverse();
    assert_eq!(by_key_desc, expected);

    // Keys without expiry come after every dated one, ascending.
    let by_expiry = s.all_keys("order_by=expires_at_asc").await;
    let expiries: Vec<Option<i64>> = by_expiry
        .iter()
        .map(|k| {
            k["expires_at"]
                .as_str()
                .map(|t| chrono::DateTime::parse_from_rfc3339(t).unwrap().timestamp())
        })
        .collect();
    let dated = expiries.iter().take_while(|e| e.is_some()).count();
    assert!(dated >= 3);
    assert!(expiries[dated..].iter().all(Option::is_none));
    assert!(expiries[..dated].windows(2).all(|w| w[0] <= w[1]));

    // updated_at follows edits.
    let oldest = asc[0]["access_key"].as_str().unwrap();
    let r = s
        .admin(
            Method::PATCH,
            &format!("/iam/v1alpha1/api-keys/{oldest}"),
            Some(json!({"description": "touched"})),
        )
        .await;
    assert_eq!(r.status, 200);
    let by_update = s.all_keys("order_by=updated_at_desc").await;
    assert_eq!(by_update[0]["access_key"], oldest);
    s.emu.shutdown().await;
}

#[tokio::test]
async fn users_to_pick_a_bearer() {
    let s = Scw::seeded().await;
    let v = s.get_ok("/iam/v1alpha1/users").await;
    assert_eq!(v["total_count"], 2);
    let users = v["users"].as_array().unwrap();
    let owner = users.iter().find(|u| u["type"] == "owner").unwrap();
    assert_eq!(owner["id"], s.m["user_id"]);
    for u in users {
        assert_eq!(u["organization_id"], s.m["organization_id"]);
        assert_eq!(u["account_root_user_id"], s.m["user_id"]);
        for field in [
            "email",
            "username",
            "created_at",
            "status",
            "mfa",
            "tags",
            "locked",
        ] {
            assert!(!u[field].is_null(), "{field}");
        }
    }
    let owners = s.get_ok("/iam/v1alpha1/users?type=owner").await;
    assert_eq!(owners["total_count"], 1);
    let members = s.get_ok("/iam/v1alpha1/users?type=member").await;
    assert_eq!(members["total_count"], 1);
    let anyone = s.get_ok("/iam/v1alpha1/users?type=unknown_type").await;
    assert_eq!(anyone["total_count"], 2);
    let page2 = s.get_ok("/iam/v1alpha1/users?page=2&page_size=1").await;
    assert_eq!(page2["total_count"], 2);
    assert_eq!(page2["users"].as_array().unwrap().len(), 1);
    let by_id = s
        .get_ok(&format!("/iam/v1alpha1/users?user_ids={}", s.id("user_id")))
        .await;
    assert_eq!(by_id["users"][0]["id"], s.m["user_id"]);
    let by_email = s.get_ok("/iam/v1alpha1/users?order_by=email_desc").await;
    assert!(by_email["users"][0]["email"].as_str() > by_email["users"][1]["email"].as_str());

    let me = s
        .get_ok(&format!("/iam/v1alpha1/users/{}", s.id("user_id")))
        .await;
    assert_eq!(&me, owner);
    let nobody = uuid::Uuid::new_v4().to_string();
    let r = s
        .admin(Method::GET, &format!("/iam/v1alpha1/users/{nobody}"), None)
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.json(),
        json!({"message":"resource is not found","resource":"user","resource_id":nobody,"type":"not_found"})
    );
    let r = s
        .admin(Method::GET, "/iam/v1alpha1/users?type=admin", None)
        .await;
    assert_eq!(r.status, 400);
    s.emu.shutdown().await;
}

#[tokio::test]
async fn applications_lifecycle_and_key_cascade() {
    let s = Scw::seeded().await;
    let v = s.get_ok("/iam/v1alpha1/applications").await;
    assert_eq!(v["total_count"], 2);
    let names: Vec<&str> = v["applications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["ci-runner", "backup-agent"]);
    let by_name = s
        .get_ok("/iam/v1alpha1/applications?order_by=name_asc")
        .await;
    assert_eq!(by_name["applications"][0]["name"], "backup-agent");
    let filtered = s.get_ok("/iam/v1alpha1/applications?name=backup").await;
    assert_eq!(filtered["total_count"], 1);

    let r = s
        .admin(
            Method::POST,
            "/iam/v1alpha1/applications",
            Some(json!({"name": "deployer", "organization_id": s.id("organization_id"), "description": "", "tags": ["ci"]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let app = r.json();
    let id = app["id"].as_str().unwrap().to_string();
    assert!(is_uuid(&id));
    assert_eq!(app["nb_api_keys"], 0);
    assert_eq!(app["tags"], json!(["ci"]));
    assert_eq!(app["editable"], true);
    let tagged = s.get_ok("/iam/v1alpha1/applications?tag=ci").await;
    assert_eq!(tagged["total_count"], 1);

    let path = format!("/iam/v1alpha1/applications/{id}");
    let r = s
        .admin(
            Method::PATCH,
            &path,
            Some(json!({"description": "deploys"})),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["description"], "deploys");

    let key = s.create(json!({"application_id": id})).await;
    assert_eq!(s.get_ok(&path).await["nb_api_keys"], 1);
    let r = s.admin(Method::DELETE, &path, None).await;
    assert_eq!(r.status, 204);
    assert_eq!(r.text, "");
    let r = s.admin(Method::GET, &path, None).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["resource"], "application");
    // Its keys went with it.
    let r = s
        .call(
            Method::GET,
            "/iam/v1alpha1/users",
            key["secret_key"].as_str(),
            None,
        )
        .await;
    assert_eq!(r.status, 401);

    for body in [
        json!({}),
        json!({"name": ""}),
        json!({"name": "n".repeat(65)}),
        json!({"name": 7}),
    ] {
        let r = s
            .admin(
                Method::POST,
                "/iam/v1alpha1/applications",
                Some(body.clone()),
            )
            .await;
        assert_eq!(r.status, 400, "{body}");
        assert_eq!(invalid_argument_names(&r.json()), vec!["name"]);
    }
    s.emu.shutdown().await;
}

#[tokio::test]
async fn projects_to_pick_a_default_project() {
    let s = Scw::seeded().await;
    let v = s.get_ok("/account/v3/projects").await;
    assert_eq!(v["total_count"], 2);
    let default = &v["projects"][0];
    assert_eq!(default["id"], s.m["project_id"]);
    assert_eq!(default["name"], "default");
    assert_eq!(default["organization_id"], s.m["organization_id"]);
    let staging = staging_project(&s).await;
    let key = s
        .create(json!({"default_project_id": staging, "description": "staging"}))
        .await;
    assert_eq!(key["default_project_id"], staging);
    let got = s.get_ok(&format!("/account/v3/projects/{staging}")).await;
    assert_eq!(got["name"], "staging");
    let nowhere = uuid::Uuid::new_v4().to_string();
    let r = s
        .admin(
            Method::GET,
            &format!("/account/v3/projects/{nowhere}"),
            None,
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["resource"], "project");
    s.emu.shutdown().await;
}

#[tokio::test]
async fn empty_seed_has_identities_and_the_admin_key_only() {
    let s = Scw::start(SeedOptions {
        empty: true,
        extra_keys: 0,
    })
    .await;
    let keys = s.all_keys("").await;
    assert_eq!(access_keys(&keys), vec![s.id("access_key")]);
    assert_eq!(s.get_ok("/iam/v1alpha1/users").await["total_count"], 2);
    assert_eq!(
        s.get_ok("/iam/v1alpha1/applications").await["total_count"],
        2
    );
    s.emu.shutdown().await;
}

#[tokio::test]
async fn wrong_method_still_answers_json() {
    let s = Scw::seeded().await;
    let r = s.admin(Method::PUT, "/iam/v1alpha1/api-keys", None).await;
    assert_eq!(r.status, 405);
    assert_eq!(r.json()["type"], "method_not_allowed");
    assert!(r.headers.contains_key("x-request-id"));
    s.emu.shutdown().await;
}

#[tokio::test]
async fn keys_survive_a_restart_from_the_state_file() {
    let dir = tempfile::tempdir().unwrap();
    let state_file = dir.path().join("state.json");
    let opts = EmulatorOptions {
        state_file: Some(state_file.clone()),
        ..Default::default()
    };
    let emu = start(opts.clone()).await.unwrap();
    let s = Scw {
        m: emu.manifest()["scaleway"].clone(),
        emu,
        http: reqwest::Client::new(),
    };
    let key = s.create(json!({"description": "persisted"})).await;
    let admin = s.m.clone();
    s.emu.shutdown().await;

    let emu = start(opts).await.unwrap();
    let s = Scw {
        m: emu.manifest()["scaleway"].clone(),
        emu,
        http: reqwest::Client::new(),
    };
    assert_eq!(s.m["secret_key"], admin["secret_key"]);
    let r = s
        .call(
            Method::GET,
            &format!(
                "/iam/v1alpha1/api-keys/{}",
                key["access_key"].as_str().unwrap()
            ),
            key["secret_key"].as_str(),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["description"], "persisted");
    s.emu.shutdown().await;
}

#[tokio::test]
async fn debug_output_never_shows_a_secret_key() {
    let s = Scw::seeded().await;
    let created = s.create(json!({"description": "debugged"})).await;
    let dump = format!("{:?}", s.emu.shared.store().scaleway);
    assert!(dump.contains(s.m["access_key"].as_str().unwrap()));
    for secret in [
        s.admin_token(),
        created["secret_key"].as_str().unwrap().to_string(),
    ] {
        assert!(!dump.contains(&secret), "secret in Debug output");
    }
    assert!(dump.contains("<redacted>"));
    s.emu.shutdown().await;
}

/// The Account API (`/account/v3/…`) is Scaleway's too: a Scaleway fault rule hits it, the
/// request log names the vendor, and an unknown route there answers in Scaleway's envelope.
#[tokio::test]
async fn account_api_paths_belong_to_scaleway() {
    let s = Scw::seeded().await;
    let base = s.emu.base_url.clone();
    let rule = json!({"vendor": "scaleway", "kind": "status", "status": 503, "count": 1});
    let r = s
        .http
        .post(format!("{base}/__emulator/faults"))
        .json(&rule)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    let r = s.admin(Method::GET, "/account/v3/projects", None).await;
    assert_eq!(r.status, 503, "{}", r.text);
    assert_eq!(r.json()["type"], "unknown_error");
    s.get_ok("/account/v3/projects").await;

    let r = s.admin(Method::GET, "/account/v3/nowhere", None).await;
    assert_eq!(r.status, 404, "{}", r.text);
    assert_eq!(r.json()["type"], "not_found");

    let log: Value = s
        .http
        .get(format!("{base}/__emulator/requests"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let account: Vec<&Value> = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"].as_str().unwrap().starts_with("/account/v3/"))
        .collect();
    assert_eq!(account.len(), 3);
    assert!(
        account.iter().all(|r| r["vendor"] == "scaleway"),
        "{account:?}"
    );
    s.emu.shutdown().await;
}
