//! OpenAI Administration API: projects, service accounts, project API keys and admin keys —
//! object shapes, paging, admin-key auth, archived-project rules and one-time secret values.

use keyrack_emulator::{start, Emulator, EmulatorOptions, SeedOptions};
use serde_json::{json, Value};

struct Api {
    emu: Emulator,
    base: String,
    admin_key: String,
    project_id: String,
    http: reqwest::Client,
}

struct Resp {
    status: u16,
    request_id: Option<String>,
    body: Value,
    text: String,
}

async fn api_with(seed: SeedOptions) -> Api {
    let emu = start(EmulatorOptions {
        seed,
        ..Default::default()
    })
    .await
    .unwrap();
    let m = emu.manifest()["openai"].clone();
    Api {
        base: m["base_url"].as_str().unwrap().to_string(),
        admin_key: m["admin_key"].as_str().unwrap().to_string(),
        project_id: m["project_id"].as_str().unwrap().to_string(),
        http: reqwest::Client::new(),
        emu,
    }
}

async fn api() -> Api {
    api_with(SeedOptions::default()).await
}

impl Api {
    async fn send(&self, method: &str, path: &str, body: Option<Value>, key: Option<&str>) -> Resp {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("content-type", "application/json");
        if let Some(key) = key {
            req = req.header("authorization", format!("Bearer {key}"));
        }
        if let Some(body) = body {
            req = req.body(serde_json::to_vec(&body).unwrap());
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let request_id = resp
            .headers()
            .get("x-request-id")
            .map(|v| v.to_str().unwrap().to_string());
        let text = resp.text().await.unwrap();
        Resp {
            status,
            request_id,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
            text,
        }
    }

    async fn get(&self, path: &str) -> Resp {
        self.send("GET", path, None, Some(&self.admin_key.clone()))
            .await
    }

    async fn post(&self, path: &str, body: Value) -> Resp {
        self.send("POST", path, Some(body), Some(&self.admin_key.clone()))
            .await
    }

    async fn post_empty(&self, path: &str) -> Resp {
        self.send("POST", path, None, Some(&self.admin_key.clone()))
            .await
    }

    async fn delete(&self, path: &str) -> Resp {
        self.send("DELETE", path, None, Some(&self.admin_key.clone()))
            .await
    }

    fn project(&self, rest: &str) -> String {
        format!("/organization/projects/{}{rest}", self.project_id)
    }

    /// Every page of a list, following `last_id` (or the last item's id) while `has_more`.
    async fn walk(&self, path: &str, limit: usize) -> Vec<Value> {
        let mut all = Vec::new();
        let mut after: Option<String> = None;
        let sep = if path.contains('?') { '&' } else { '?' };
        for _ in 0..1000 {
            let mut url = format!("{path}{sep}limit={limit}");
            if let Some(a) = &after {
                url.push_str(&format!("&after={a}"));
            }
            let r = self.get(&url).await;
            assert_eq!(r.status, 200, "{}", r.text);
            assert_list_envelope(&r.body);
            let data = r.body["data"].as_array().unwrap().clone();
            assert!(data.len() <= limit);
            all.extend(data.iter().cloned());
            if !r.body["has_more"].as_bool().unwrap() {
                return all;
            }
            assert_eq!(data.len(), limit, "a page with more after it is full");
            after = Some(r.body["last_id"].as_str().unwrap().to_string());
        }
        panic!("paging never ended");
    }
}

impl Resp {
    /// The OpenAI error envelope with every key present.
    fn assert_error(&self, status: u16, code: Option<&str>) -> &Value {
        assert_eq!(self.status, status, "{}", self.text);
        let e = &self.body["error"];
        assert!(
            e["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{}",
            self.text
        );
        assert_eq!(e["type"], "invalid_request_error", "{}", self.text);
        assert!(e.as_object().unwrap().contains_key("param"));
        assert_eq!(
            e["code"],
            code.map_or(Value::Null, |c| json!(c)),
            "{}",
            self.text
        );
        assert!(self.request_id.is_some());
        e
    }

    fn ok(&self) -> &Value {
        assert_eq!(self.status, 200, "{}", self.text);
        assert!(self
            .request_id
            .as_deref()
            .is_some_and(|id| id.starts_with("req_")));
        &self.body
    }
}

fn assert_list_envelope(v: &Value) {
    assert_eq!(v["object"], "list");
    let data = v["data"].as_array().unwrap();
    assert!(v["has_more"].is_boolean());
    match (data.first(), data.last()) {
        (Some(first), Some(last)) => {
            assert_eq!(v["first_id"], first["id"]);
            assert_eq!(v["last_id"], last["id"]);
        }
        _ => {
            assert!(v["first_id"].is_null());
            assert!(v["last_id"].is_null());
        }
    }
}

fn keys_of(v: &Value) -> Vec<String> {
    let obj = v.as_object().unwrap();
    let mut k: Vec<String> = obj.keys().cloned().collect();
    k.sort();
    k
}

fn sorted(mut v: Vec<&str>) -> Vec<String> {
    v.sort();
    v.into_iter().map(str::to_string).collect()
}

fn assert_project_shape(p: &Value) {
    assert_eq!(p["object"], "organization.project");
    assert!(p["id"].as_str().unwrap().starts_with("proj_"));
    assert!(p["created_at"].is_i64());
    assert_eq!(
        keys_of(p),
        sorted(vec![
            "id",
            "object",
            "name",
            "created_at",
            "archived_at",
            "status",
            "external_key_id",
            "residency"
        ])
    );
}

/// `ProjectApiKey` with every required field, and never a `value`.
fn assert_project_key_shape(k: &Value) {
    assert_eq!(k["object"], "organization.project.api_key");
    assert!(k["id"].as_str().unwrap().starts_with("key_"));
    assert!(k["name"].is_string());
    assert!(k["created_at"].is_i64());
    assert!(k["redacted_value"].as_str().unwrap().contains("..."));
    assert!(k.as_object().unwrap().contains_key("last_used_at"));
    assert!(["active", "inactive"].contains(&k["owner_project_access"].as_str().unwrap()));
    assert!(k.get("value").is_none());
    let owner = &k["owner"];
    match owner["type"].as_str().unwrap() {
        "user" => assert_eq!(
            keys_of(&owner["user"]),
            sorted(vec!["id", "email", "name", "created_at", "role"])
        ),
        "service_account" => assert_eq!(
            keys_of(&owner["service_account"]),
            sorted(vec!["id", "name", "created_at", "role"])
        ),
        other => panic!("owner type {other}"),
    }
}

// ---------------------------------------------------------------- manifest, seed, auth

#[tokio::test]
async fn manifest_and_seeded_organization() {
    let a = api().await;
    let m = a.emu.manifest()["openai"].clone();
    assert_eq!(m["base_url"], format!("{}/v1", a.emu.base_url));
    assert!(a.admin_key.starts_with("sk-admin-"));
    assert!(m["organization_id"].as_str().unwrap().starts_with("org-"));
    assert!(a.project_id.starts_with("proj_"));

    let list = a.get("/organization/projects").await;
    let projects = list.ok()["data"].as_array().unwrap().clone();
    assert_list_envelope(&list.body);
    assert_eq!(projects.len(), 2);
    projects.iter().for_each(assert_project_shape);
    assert_eq!(projects[0]["name"], "Default project");
    assert_eq!(projects[1]["id"], a.project_id.as_str());
    assert_eq!(projects[1]["status"], "active");
    assert!(projects[1]["archived_at"].is_null());

    // The sandbox project holds keys owned by users and by service accounts.
    let keys = a
        .walk(&a.project("/api_keys?owner_project_access=any"), 100)
        .await;
    assert_eq!(keys.len(), 5);
    keys.iter().for_each(assert_project_key_shape);
    let by_type = |t: &str| keys.iter().filter(|k| k["owner"]["type"] == t).count();
    assert_eq!((by_type("user"), by_type("service_account")), (2, 3));
    let accounts = a.get(&a.project("/service_accounts")).await;
    assert_eq!(accounts.ok()["data"].as_array().unwrap().len(), 2);
    a.emu.shutdown().await;
}

#[tokio::test]
async fn missing_or_wrong_admin_key_is_401_invalid_api_key() {
    let a = api().await;
    let r = a.send("GET", "/organization/projects", None, None).await;
    let e = r.assert_error(401, Some("invalid_api_key"));
    assert!(e["param"].is_null());
    assert!(e["message"]
        .as_str()
        .unwrap()
        .contains("didn't provide an API key"));

    let wrong = "sk-admin-WRONGWRONGWRONGWRONGwxyz";
    let r = a
        .send("GET", "/organization/projects", None, Some(wrong))
        .await;
    let e = r.assert_error(401, Some("invalid_api_key"));
    let message = e["message"].as_str().unwrap();
    assert!(
        message.starts_with("Incorrect API key provided: sk-ad"),
        "{message}"
    );
    assert!(
        message.contains("wxyz") && !message.contains(wrong),
        "the key is masked"
    );

    let r = a
        .http
        .get(format!("{}/organization/projects", a.base))
        .header("authorization", format!("Basic {}", a.admin_key))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);

    // A service-account key is a real key, but not an admin one.
    let created = a
        .post(&a.project("/service_accounts"), json!({"name": "bot"}))
        .await;
    let value = created.ok()["api_key"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    let r = a
        .send("GET", "/organization/projects", None, Some(&value))
        .await;
    r.assert_error(401, None);
    a.emu.shutdown().await;
}

#[tokio::test]
async fn empty_and_extra_key_seeds() {
    let a = api_with(SeedOptions {
        empty: true,
        extra_keys: 0,
    })
    .await;
    assert_eq!(
        a.get("/organization/projects").await.ok()["data"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let keys = a
        .get(&a.project("/api_keys?owner_project_access=any"))
        .await;
    assert!(keys.ok()["data"].as_array().unwrap().is_empty());
    let admin = a.get("/organization/admin_api_keys").await;
    assert_eq!(admin.ok()["data"].as_array().unwrap().len(), 1);
    a.emu.shutdown().await;

    let a = api_with(SeedOptions {
        empty: false,
        extra_keys: 45,
    })
    .await;
    let keys = a
        .walk(&a.project("/api_keys?owner_project_access=any"), 100)
        .await;
    assert_eq!(keys.len(), 50);
    a.emu.shutdown().await;
}

// ---------------------------------------------------------------- projects

#[tokio::test]
async fn project_create_retrieve_modify_archive() {
    let a = api().await;
    let r = a
        .post("/organization/projects", json!({"name": "alpha"}))
        .await;
    let p = r.ok().clone();
    assert_project_shape(&p);
    assert_eq!(p["name"], "alpha");
    assert_eq!(p["status"], "active");
    let id = p["id"].as_str().unwrap().to_string();
    let path = format!("/organization/projects/{id}");

    assert_eq!(a.get(&path).await.ok(), &p);
    let r = a.post(&path, json!({"name": "beta"})).await;
    assert_eq!(r.ok()["name"], "beta");
    assert_eq!(a.get(&path).await.ok()["name"], "beta");

    // Archive: no body, status flips, and lists leave it out unless asked.
    let r = a.post_empty(&format!("{path}/archive")).await;
    let archived = r.ok().clone();
    assert_eq!(archived["status"], "archived");
    assert!(archived["archived_at"].is_i64());
    let ids = |v: &Value| -> Vec<String> {
        v["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(!ids(a.get("/organization/projects").await.ok()).contains(&id));
    assert!(ids(a
        .get("/organization/projects?include_archived=true")
        .await
        .ok())
    .contains(&id));
    a.get("/organization/projects?include_archived=maybe")
        .await
        .assert_error(400, Some("invalid_type"));

    // An archived project refuses writes (and, as documented, service-account listing).
    a.post(&path, json!({"name": "gamma"}))
        .await
        .assert_error(400, None);
    a.post_empty(&format!("{path}/archive"))
        .await
        .assert_error(400, None);
    a.get(&format!("{path}/service_accounts"))
        .await
        .assert_error(400, None);
    a.post(&format!("{path}/service_accounts"), json!({"name": "x"}))
        .await
        .assert_error(400, None);
    assert_eq!(
        a.get(&path).await.ok()["status"],
        "archived",
        "reads still work"
    );
    a.emu.shutdown().await;
}

#[tokio::test]
async fn project_errors() {
    let a = api().await;
    let r = a.post("/organization/projects", json!({})).await;
    let e = r.assert_error(400, Some("missing_required_parameter"));
    assert_eq!(e["param"], "name");
    let r = a.post("/organization/projects", json!({"name": 7})).await;
    assert_eq!(r.assert_error(400, Some("invalid_type"))["param"], "name");
    let r = a
        .post(
            "/organization/projects",
            json!({"name": "x", "colour": "red"}),
        )
        .await;
    assert!(r.assert_error(400, None)["message"]
        .as_str()
        .unwrap()
        .contains("colour"));
    let r = a
        .http
        .post(format!("{}/organization/projects", a.base))
        .header("authorization", format!("Bearer {}", a.admin_key))
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);

    a.get("/organization/projects/proj_nope")
        .await
        .assert_error(404, None);
    a.post("/organization/projects/proj_nope", json!({"name": "x"}))
        .await
        .assert_error(404, None);

    // The default project can be neither renamed nor archived.
    let projects = a.get("/organization/projects").await.ok().clone();
    let default = projects["data"][0]["id"].as_str().unwrap().to_string();
    a.post(
        &format!("/organization/projects/{default}"),
        json!({"name": "x"}),
    )
    .await
    .assert_error(400, None);
    a.post_empty(&format!("/organization/projects/{default}/archive"))
        .await
        .assert_error(400, None);
    a.emu.shutdown().await;
}

#[tokio::test]
async fn projects_page_across_several_pages() {
    let a = api().await;
    for i in 0..5 {
        a.post("/organization/projects", json!({"name": format!("p{i}")}))
            .await
            .ok();
    }
    let all = a.walk("/organization/projects", 2).await;
    let names: Vec<&str> = all.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        vec![
            "Default project",
            "Keyrack Sandbox",
            "p0",
            "p1",
            "p2",
            "p3",
            "p4"
        ],
        "creation order, each once"
    );
    let first = a.get("/organization/projects?limit=3").await.ok().clone();
    assert_eq!(first["has_more"], true);
    assert_eq!(first["data"].as_array().unwrap().len(), 3);
    let gone = a
        .get("/organization/projects?after=proj_unknown")
        .await
        .ok()
        .clone();
    assert_eq!(gone["data"], json!([]));
    assert_eq!(gone["has_more"], false);

    for bad in ["limit=0", "limit=101", "limit=ten"] {
        let r = a.get(&format!("/organization/projects?{bad}")).await;
        assert_eq!(
            r.assert_error(400, r.body["error"]["code"].as_str())["param"],
            "limit"
        );
    }
    a.emu.shutdown().await;
}

// ---------------------------------------------------------------- service accounts

#[tokio::test]
async fn service_account_lifecycle_and_one_time_key_values() {
    let a = api().await;
    let r = a
        .post(
            &a.project("/service_accounts"),
            json!({"name": "ci-runner-2"}),
        )
        .await;
    let sa = r.ok().clone();
    assert_eq!(sa["object"], "organization.project.service_account");
    assert!(sa["id"].as_str().unwrap().starts_with("svc_acct_"));
    assert_eq!(sa["role"], "member");
    assert!(sa["created_at"].is_i64());
    let key = &sa["api_key"];
    assert_eq!(
        key["object"],
        "organization.project.service_account.api_key"
    );
    assert_eq!(key["name"], "Secret Key");
    let value = key["value"].as_str().unwrap().to_string();
    assert!(value.starts_with("sk-svcacct-") && value.len() > 40);
    let key_id = key["id"].as_str().unwrap().to_string();
    assert!(key["created_at"].is_i64());
    let sa_id = sa["id"].as_str().unwrap().to_string();

    // The key shows up in the project's keys, redacted, owned by the service account.
    let listed = a
        .get(&a.project("/api_keys?owner_project_access=any"))
        .await;
    assert!(
        !listed.text.contains(&value),
        "the value is shown only once"
    );
    let k = a.get(&a.project(&format!("/api_keys/{key_id}"))).await;
    let k = k.ok().clone();
    assert_project_key_shape(&k);
    assert!(!k.to_string().contains(&value));
    assert!(k["redacted_value"]
        .as_str()
        .unwrap()
        .starts_with("sk-svc..."));
    assert!(k["redacted_value"]
        .as_str()
        .unwrap()
        .ends_with(&value[value.len() - 4..]));
    assert_eq!(k["owner"]["type"], "service_account");
    assert_eq!(k["owner"]["service_account"]["id"], sa_id.as_str());
    assert_eq!(k["owner"]["service_account"]["name"], "ci-runner-2");

    // Retrieve, list, update.
    let path = a.project(&format!("/service_accounts/{sa_id}"));
    let got = a.get(&path).await.ok().clone();
    assert_eq!(
        keys_of(&got),
        sorted(vec!["object", "id", "name", "role", "created_at"])
    );
    let all = a.walk(&a.project("/service_accounts"), 1).await;
    assert_eq!(all.len(), 3);
    assert_eq!(all[2]["id"], sa_id.as_str());
    let r = a
        .post(&path, json!({"name": "renamed", "role": "owner"}))
        .await;
    assert_eq!(
        (r.ok()["name"].clone(), r.ok()["role"].clone()),
        (json!("renamed"), json!("owner"))
    );
    a.post(&path, json!({"role": "admin"}))
        .await
        .assert_error(400, Some("invalid_value"));

    // A second key (S6), named and scoped; then revoke the first one alone (K3).
    let r = a
        .post(
            &format!("{path}/api_keys"),
            json!({"name": "worker", "scopes": ["api.responses.write"]}),
        )
        .await;
    let second = r.ok().clone();
    assert_eq!(
        second["object"],
        "organization.project.service_account.api_key"
    );
    assert_eq!(second["name"], "worker");
    assert!(second["value"].as_str().unwrap().starts_with("sk-svcacct-"));
    let second_id = second["id"].as_str().unwrap().to_string();
    let owned = |v: &Value| -> Vec<String> {
        v["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|k| k["owner"]["service_account"]["id"] == sa_id.as_str())
            .map(|k| k["id"].as_str().unwrap().to_string())
            .collect()
    };
    let listed = a
        .get(&a.project("/api_keys?owner_project_access=any"))
        .await;
    assert_eq!(owned(listed.ok()), vec![key_id.clone(), second_id.clone()]);
    let r = a.delete(&a.project(&format!("/api_keys/{key_id}"))).await;
    assert_eq!(
        r.ok(),
        &json!({"object": "organization.project.api_key.deleted", "id": key_id, "deleted": true})
    );
    let listed = a
        .get(&a.project("/api_keys?owner_project_access=any"))
        .await;
    assert_eq!(
        owned(listed.ok()),
        vec![second_id.clone()],
        "the other key stays"
    );

    // Deleting the service account removes the keys it owns.
    let r = a.delete(&path).await;
    assert_eq!(
        r.ok(),
        &json!({"object": "organization.project.service_account.deleted", "id": sa_id, "deleted": true})
    );
    a.get(&path).await.assert_error(404, None);
    let listed = a
        .get(&a.project("/api_keys?owner_project_access=any"))
        .await;
    assert!(owned(listed.ok()).is_empty());
    a.get(&a.project(&format!("/api_keys/{second_id}")))
        .await
        .assert_error(404, None);
    a.delete(&path).await.assert_error(404, None);
    a.emu.shutdown().await;
}

#[tokio::test]
async fn service_account_only_and_key_expiry() {
    let a = api().await;
    let r = a
        .post(
            &a.project("/service_accounts"),
            json!({"name": "bare", "create_service_account_only": true}),
        )
        .await;
    let sa = r.ok().clone();
    assert_eq!(sa["role"], "none");
    assert!(sa["api_key"].is_null());
    assert!(sa.as_object().unwrap().contains_key("api_key"));
    let listed = a
        .get(&a.project("/api_keys?owner_project_access=any"))
        .await;
    assert_eq!(
        listed.ok()["data"].as_array().unwrap().len(),
        5,
        "no key made"
    );

    a.post(
        &a.project("/service_accounts"),
        json!({"name": "x", "create_service_account_only": true, "expires_in_seconds": 60}),
    )
    .await
    .assert_error(400, None);
    a.post(
        &a.project("/service_accounts"),
        json!({"name": "x", "expires_in_seconds": -5}),
    )
    .await
    .assert_error(400, Some("invalid_value"));
    a.post(&a.project("/service_accounts"), json!({}))
        .await
        .assert_error(400, Some("missing_required_parameter"));

    let r = a
        .post(
            &a.project("/service_accounts"),
            json!({"name": "temp", "expires_in_seconds": 3600}),
        )
        .await;
    let key = r.ok()["api_key"].clone();
    assert_eq!(
        key["expires_at"].as_i64().unwrap(),
        key["created_at"].as_i64().unwrap() + 3600
    );
    let id = key["id"].as_str().unwrap();
    let k = a.get(&a.project(&format!("/api_keys/{id}"))).await;
    assert_eq!(k.ok()["expires_at"], key["expires_at"]);

    // S6 on an unknown service account.
    a.post(
        &a.project("/service_accounts/svc_acct_nope/api_keys"),
        json!({}),
    )
    .await
    .assert_error(404, None);
    a.emu.shutdown().await;
}

// ---------------------------------------------------------------- project API keys

#[tokio::test]
async fn project_keys_visibility_paging_update_delete() {
    let a = api_with(SeedOptions {
        empty: false,
        extra_keys: 23,
    })
    .await;
    // Without owner_project_access, keys of owners no longer active in the project are hidden.
    let default = a.walk(&a.project("/api_keys"), 7).await;
    let any = a
        .walk(&a.project("/api_keys?owner_project_access=any"), 7)
        .await;
    let inactive = a
        .walk(&a.project("/api_keys?owner_project_access=inactive"), 7)
        .await;
    assert_eq!((default.len(), any.len(), inactive.len()), (27, 28, 1));
    let mut ids: Vec<&str> = any.iter().map(|k| k["id"].as_str().unwrap()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 28, "every key exactly once across pages");
    any.iter().for_each(assert_project_key_shape);
    let sam = &inactive[0];
    assert_eq!(sam["owner"]["type"], "user");
    assert_eq!(sam["owner"]["user"]["email"], "sam.lee@example.com");
    assert_eq!(sam["owner_project_access"], "inactive");
    a.get(&a.project("/api_keys?owner_project_access=some"))
        .await
        .assert_error(400, Some("invalid_value"));

    // K4: scopes and expiry.
    let id = any[1]["id"].as_str().unwrap().to_string();
    let path = a.project(&format!("/api_keys/{id}"));
    let r = a
        .post(
            &path,
            json!({"scopes": ["api.model.read"], "expires_in_seconds": 600}),
        )
        .await;
    let updated = r.ok().clone();
    assert_project_key_shape(&updated);
    let expires = updated["expires_at"].as_i64().unwrap();
    let now = chrono::Utc::now().timestamp();
    assert!((now + 590..=now + 610).contains(&expires));
    a.post(&path, json!({"scopes": "all"}))
        .await
        .assert_error(400, Some("invalid_type"));
    a.post(&path, json!({"owner": "me"}))
        .await
        .assert_error(400, None);

    // K3 on a user-owned key.
    let r = a.delete(&path).await;
    assert_eq!(r.ok()["deleted"], true);
    a.get(&path).await.assert_error(404, None);
    a.delete(&path).await.assert_error(404, None);
    a.get("/organization/projects/proj_nope/api_keys")
        .await
        .assert_error(404, None);
    a.emu.shutdown().await;
}

#[tokio::test]
async fn scopes_are_checked_stored_and_returned() {
    let a = api().await;
    let sa = a
        .post(
            &a.project("/service_accounts"),
            json!({"name": "scoped", "create_service_account_only": true}),
        )
        .await
        .ok()
        .clone();
    assert_eq!(sa["api_key"], Value::Null);
    assert_eq!(sa["role"], "none");
    let sa_id = sa["id"].as_str().unwrap().to_string();
    let keys = a.project(&format!("/service_accounts/{sa_id}/api_keys"));

    // S6 with an unknown scope: 400 naming it, nothing made.
    let e = a
        .post(&keys, json!({"name": "w", "scopes": ["api.everything"]}))
        .await
        .assert_error(400, Some("invalid_value"))
        .clone();
    assert_eq!(e["param"], "scopes");
    assert!(e["message"].as_str().unwrap().contains("api.everything"));

    // S6 with read only: stored and answered by K1/K2.
    let made = a
        .post(
            &keys,
            json!({"name": "ro", "scopes": ["api.all.read"], "expires_in_seconds": 3600}),
        )
        .await
        .ok()
        .clone();
    let key_id = made["id"].as_str().unwrap().to_string();
    let path = a.project(&format!("/api_keys/{key_id}"));
    let got = a.get(&path).await.ok().clone();
    assert_project_key_shape(&got);
    assert_eq!(got["scopes"], json!(["api.all.read"]));
    assert_eq!(got["name"], "ro");
    assert!(got["expires_at"].as_i64().is_some());

    // K4: replace with models read; unknown scope and null refused and nothing changes.
    let r = a
        .post(&path, json!({"scopes": ["model.read", "api.model.read"]}))
        .await;
    assert_eq!(r.ok()["scopes"], json!(["model.read", "api.model.read"]));
    a.post(&path, json!({"scopes": ["model.read", "nope"]}))
        .await
        .assert_error(400, Some("invalid_value"));
    a.post(&path, json!({"expires_in_seconds": null}))
        .await
        .assert_error(400, Some("invalid_type"));
    a.post(&path, json!({})).await.assert_error(400, None);
    let listed = a
        .walk(&a.project("/api_keys?owner_project_access=any"), 100)
        .await;
    let mine = listed.iter().find(|k| k["id"] == key_id.as_str()).unwrap();
    assert_eq!(mine["scopes"], json!(["model.read", "api.model.read"]));
    // `[]` lifts every restriction.
    let r = a.post(&path, json!({"scopes": []})).await;
    assert_eq!(r.ok()["scopes"], json!([]));

    // S2 refuses an expiry with create_service_account_only; an expired key cannot be updated.
    a.post(
        &a.project("/service_accounts"),
        json!({"name": "x", "create_service_account_only": true, "expires_in_seconds": 60}),
    )
    .await
    .assert_error(400, None);
    a.emu
        .shared
        .store()
        .openai
        .api_keys
        .iter_mut()
        .find(|k| k.id == key_id)
        .unwrap()
        .issued
        .expires_at = Some(1);
    a.post(&path, json!({"scopes": ["api.all.read"]}))
        .await
        .assert_error(400, None);
    a.emu.shutdown().await;
}

// ---------------------------------------------------------------- admin API keys

#[tokio::test]
async fn admin_key_lifecycle() {
    let a = api().await;
    let list = a.get("/organization/admin_api_keys").await.ok().clone();
    assert_list_envelope(&list);
    let seeded = list["data"][0].clone();
    assert_eq!(seeded["object"], "organization.admin_api_key");
    assert!(seeded["redacted_value"]
        .as_str()
        .unwrap()
        .starts_with("sk-admin..."));
    assert!(seeded.get("value").is_none());
    assert_eq!(seeded["owner"]["type"], "user");
    assert_eq!(seeded["owner"]["object"], "organization.user");
    assert_eq!(seeded["owner"]["role"], "owner");
    assert!(seeded["last_used_at"].is_i64(), "used by this very request");

    let r = a
        .post(
            "/organization/admin_api_keys",
            json!({"name": "rotation-bot"}),
        )
        .await;
    let created = r.ok().clone();
    let value = created["value"].as_str().unwrap().to_string();
    assert!(value.starts_with("sk-admin-"));
    assert_eq!(created["object"], "organization.admin_api_key");
    assert_eq!(created["name"], "rotation-bot");
    assert!(created["id"].as_str().unwrap().starts_with("key_"));
    assert_eq!(created["owner"]["id"], seeded["owner"]["id"]);
    let id = created["id"].as_str().unwrap().to_string();

    // The new key works at once; reading it back never shows the value.
    let r = a
        .send(
            "GET",
            &format!("/organization/admin_api_keys/{id}"),
            None,
            Some(&value),
        )
        .await;
    assert!(r.ok().get("value").is_none());
    assert!(!r.text.contains(&value));
    let desc = a
        .get("/organization/admin_api_keys?order=desc")
        .await
        .ok()
        .clone();
    assert_eq!(desc["data"][0]["id"], id.as_str());
    let paged = a.walk("/organization/admin_api_keys", 1).await;
    assert_eq!(paged.len(), 2);
    a.get("/organization/admin_api_keys?order=sideways")
        .await
        .assert_error(400, Some("invalid_value"));
    a.post("/organization/admin_api_keys", json!({}))
        .await
        .assert_error(400, Some("missing_required_parameter"));

    // Deleted: 401 from then on.
    let r = a
        .delete(&format!("/organization/admin_api_keys/{id}"))
        .await;
    assert_eq!(
        r.ok(),
        &json!({"object": "organization.admin_api_key.deleted", "id": id, "deleted": true})
    );
    a.send("GET", "/organization/projects", None, Some(&value))
        .await
        .assert_error(401, Some("invalid_api_key"));
    a.get(&format!("/organization/admin_api_keys/{id}"))
        .await
        .assert_error(404, None);
    a.delete(&format!("/organization/admin_api_keys/{id}"))
        .await
        .assert_error(404, None);
    a.emu.shutdown().await;
}

#[tokio::test]
async fn an_expired_admin_key_is_refused() {
    let a = api().await;
    let r = a
        .post(
            "/organization/admin_api_keys",
            json!({"name": "short", "expires_in_seconds": 60}),
        )
        .await;
    let created = r.ok().clone();
    assert_eq!(
        created["expires_at"].as_i64().unwrap(),
        created["created_at"].as_i64().unwrap() + 60
    );
    let value = created["value"].as_str().unwrap().to_string();
    assert_eq!(
        a.send("GET", "/organization/projects", None, Some(&value))
            .await
            .status,
        200
    );
    {
        let mut store = a.emu.shared.store();
        let key = store
            .openai
            .admin_keys
            .iter_mut()
            .find(|k| k.id == created["id"])
            .unwrap();
        key.issued.expires_at = Some(chrono::Utc::now().timestamp() - 1);
    }
    a.send("GET", "/organization/projects", None, Some(&value))
        .await
        .assert_error(401, Some("invalid_api_key"));
    a.emu.shutdown().await;
}

// ---------------------------------------------------------------- secrets at rest

#[tokio::test]
async fn created_secrets_are_neither_stored_nor_printed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let opts = EmulatorOptions {
        state_file: Some(path.clone()),
        ..Default::default()
    };
    let emu = start(opts.clone()).await.unwrap();
    let m = emu.manifest()["openai"].clone();
    let a = Api {
        base: m["base_url"].as_str().unwrap().to_string(),
        admin_key: m["admin_key"].as_str().unwrap().to_string(),
        project_id: m["project_id"].as_str().unwrap().to_string(),
        http: reqwest::Client::new(),
        emu,
    };
    let sa = a
        .post(&a.project("/service_accounts"), json!({"name": "kept"}))
        .await
        .ok()
        .clone();
    let value = sa["api_key"]["value"].as_str().unwrap().to_string();
    let admin = a
        .post("/organization/admin_api_keys", json!({"name": "n"}))
        .await
        .ok()
        .clone();
    let admin_value = admin["value"].as_str().unwrap().to_string();

    let debug = format!("{:?}", a.emu.shared.store().openai);
    assert!(!debug.contains(&a.admin_key) && debug.contains("<redacted>"));
    a.emu.shutdown().await;
    let file = std::fs::read_to_string(&path).unwrap();
    assert!(!file.contains(&value) && !file.contains(&admin_value));

    // After a restart the service account and the new admin key are still there and usable.
    let emu = start(opts).await.unwrap();
    let b = Api {
        base: format!("{}/v1", emu.base_url),
        admin_key: admin_value,
        project_id: a.project_id.clone(),
        http: reqwest::Client::new(),
        emu,
    };
    let sa_id = sa["id"].as_str().unwrap();
    assert_eq!(
        b.get(&b.project(&format!("/service_accounts/{sa_id}")))
            .await
            .ok()["name"],
        "kept"
    );
    b.emu.shutdown().await;
}

#[tokio::test]
async fn models_answer_a_project_key_and_refuse_others() {
    let a = api().await;
    let created = a
        .post(&a.project("/service_accounts"), json!({"name": "bot"}))
        .await;
    let key = created.ok()["api_key"].clone();
    let value = key["value"].as_str().unwrap().to_string();
    let key_id = key["id"].as_str().unwrap().to_string();

    let r = a.send("GET", "/models", None, Some(&value)).await;
    let list = r.ok();
    assert_eq!(list["object"], "list");
    let models = list["data"].as_array().unwrap();
    assert!(!models.is_empty());
    for m in models {
        assert_eq!(m["object"], "model");
        assert!(m["id"].is_string() && m["created"].is_i64() && m["owned_by"].is_string());
    }
    // The use is recorded on the key.
    let used = a.get(&a.project(&format!("/api_keys/{key_id}"))).await;
    assert!(used.ok()["last_used_at"].is_i64(), "{}", used.text);

    // Unknown, missing, and admin keys: 401 invalid_api_key.
    a.send("GET", "/models", None, Some("sk-proj-nope"))
        .await
        .assert_error(401, Some("invalid_api_key"));
    a.send("GET", "/models", None, None)
        .await
        .assert_error(401, Some("invalid_api_key"));
    let admin = a.admin_key.clone();
    a.send("GET", "/models", None, Some(&admin))
        .await
        .assert_error(401, Some("invalid_api_key"));

    // A key restricted away from models authenticates but may not list them.
    a.post(
        &a.project(&format!("/api_keys/{key_id}")),
        json!({"scopes": ["api.files.read"]}),
    )
    .await
    .ok();
    let r = a.send("GET", "/models", None, Some(&value)).await;
    assert_eq!(r.status, 403, "{}", r.text);

    // Deleted: refused.
    a.delete(&a.project(&format!("/api_keys/{key_id}"))).await;
    a.send("GET", "/models", None, Some(&value))
        .await
        .assert_error(401, Some("invalid_api_key"));
    a.emu.shutdown().await;
}
