//! Fault injection through the control API: status (with each vendor's envelope), latency,
//! reset, malformed, counts and rates, listing and clearing.

use std::time::{Duration, Instant};

use crate::common::{add_fault, client, emulator, ibm_admin_token, json};
use serde_json::json;

#[tokio::test]
async fn throttling_uses_ibm_envelope_and_retry_after_for_the_next_n_requests() {
    let emu = emulator().await;
    let token = ibm_admin_token(&emu).await;
    add_fault(
        &emu,
        json!({"vendor":"ibm","path_prefix":"/v1/apikeys","kind":"status","status":429,"retry_after":2,"count":2}),
    )
    .await;
    let list = || {
        client()
            .get(format!("{}/v1/apikeys", emu.base_url))
            .bearer_auth(&token)
            .send()
    };
    for _ in 0..2 {
        let r = list().await.unwrap();
        assert_eq!(r.status(), 429);
        assert_eq!(r.headers()["retry-after"], "2");
        let body = json(r).await;
        assert_eq!(body["status_code"], "429");
        assert_eq!(body["errors"][0]["code"], "too_many_requests");
        assert!(body["trace"].is_string());
    }
    assert_eq!(list().await.unwrap().status(), 200, "the rule is used up");
    let rules = json(
        client()
            .get(format!("{}/__emulator/faults", emu.base_url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(rules["faults"], json!([]));
}

#[tokio::test]
async fn token_endpoint_faults_use_the_token_error_shape() {
    let emu = emulator().await;
    add_fault(
        &emu,
        json!({"vendor":"ibm","path_prefix":"/identity/","kind":"status","status":503}),
    )
    .await;
    let r = client()
        .post(format!("{}/identity/token", emu.base_url))
        .form(&[("grant_type", "urn:ibm:params:oauth:grant-type:apikey")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    let body = json(r).await;
    assert!(
        body["errorCode"].is_string() && body["errorMessage"].is_string(),
        "{body}"
    );
}

#[tokio::test]
async fn each_vendor_gets_its_own_error_envelope() {
    let emu = emulator().await;
    add_fault(&emu, json!({"kind":"status","status":429})).await;
    let get = |path: &str| client().get(format!("{}{path}", emu.base_url)).send();

    let r = get("/iam/v1alpha1/api-keys").await.unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(
        r.headers()["retry-after"],
        "1",
        "429 defaults to Retry-After: 1"
    );
    let body = json(r).await;
    assert_eq!(body["type"], "too_many_requests");
    assert!(body["message"].is_string());

    let r = get("/20160918/users/x/apiKeys").await.unwrap();
    assert!(r.headers().contains_key("opc-request-id"));
    let body = json(r).await;
    assert_eq!(body["code"], "TooManyRequests");

    let body = json(get("/v1/organization/projects").await.unwrap()).await;
    assert_eq!(body["error"]["code"], "rate_limit_exceeded");
    assert!(body["error"].as_object().unwrap().contains_key("param"));

    let body = json(get("/api/auth/keys").await.unwrap()).await;
    assert_eq!(body["status"], 429);
    assert!(body["message"].is_string());
}

#[tokio::test]
async fn server_errors_500_and_503() {
    let emu = emulator().await;
    add_fault(
        &emu,
        json!({"vendor":"openai","kind":"status","status":500,"count":1}),
    )
    .await;
    add_fault(
        &emu,
        json!({"vendor":"oci","kind":"status","status":503,"count":1}),
    )
    .await;
    let r = client()
        .get(format!("{}/v1/organization/projects", emu.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 500);
    assert_eq!(json(r).await["error"]["type"], "server_error");
    let r = client()
        .get(format!("{}/20160918/users/x/apiKeys", emu.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(json(r).await["code"], "ServiceUnavailable");
}

#[tokio::test]
async fn faults_only_hit_their_vendor_method_and_prefix() {
    let emu = emulator().await;
    let token = ibm_admin_token(&emu).await;
    add_fault(
        &emu,
        json!({"vendor":"ibm","method":"DELETE","path_prefix":"/v1/apikeys/","kind":"status","status":500}),
    )
    .await;
    let r = client()
        .get(format!("{}/v1/apikeys", emu.base_url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = client()
        .delete(format!("{}/v1/apikeys/ApiKey-x", emu.base_url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 500);
}

#[tokio::test]
async fn reset_drops_the_connection_without_a_response() {
    let emu = emulator().await;
    add_fault(&emu, json!({"vendor":"ibm","kind":"reset","count":1})).await;
    let err = client()
        .post(format!("{}/identity/token", emu.base_url))
        .form(&[("grant_type", "x")])
        .send()
        .await
        .expect_err("no response at all");
    assert!(!err.is_status() && !err.is_timeout(), "{err:?}");
    assert!(
        err.is_request() || err.is_connect() || err.is_body(),
        "{err:?}"
    );

    let log = json(
        client()
            .get(format!("{}/__emulator/requests", emu.base_url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(log["requests"][0]["fault"], "reset");
    assert_eq!(log["requests"][0]["status"], serde_json::Value::Null);

    // The next request is served normally.
    let r = client()
        .post(format!("{}/identity/token", emu.base_url))
        .form(&[("grant_type", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn malformed_truncates_the_real_response() {
    let emu = emulator().await;
    let token = ibm_admin_token(&emu).await;
    add_fault(
        &emu,
        json!({"kind":"malformed","path_prefix":"/v1/apikeys","count":1}),
    )
    .await;
    let r = client()
        .get(format!("{}/v1/apikeys", emu.base_url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "status of the real answer is kept");
    let text = r.text().await.unwrap();
    assert!(text.starts_with('{'));
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_err(),
        "{text}"
    );

    // A bodiless answer (204) becomes an unparsable 200.
    let iam_id = emu.manifest()["ibm"]["iam_id"].as_str().unwrap().to_owned();
    let created = json(
        client()
            .post(format!("{}/v1/apikeys", emu.base_url))
            .bearer_auth(&token)
            .json(&json!({"name":"x","iam_id":iam_id}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    add_fault(&emu, json!({"kind":"malformed","vendor":"ibm","count":1})).await;
    let r = client()
        .post(format!(
            "{}/v1/apikeys/{}/lock",
            emu.base_url,
            created["id"].as_str().unwrap()
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    assert_eq!(text, "{\"");
}

#[tokio::test]
async fn malformed_still_performs_the_operation() {
    let emu = emulator().await;
    let token = ibm_admin_token(&emu).await;
    let iam_id = emu.manifest()["ibm"]["iam_id"].as_str().unwrap().to_owned();
    add_fault(
        &emu,
        json!({"kind":"malformed","method":"POST","path_prefix":"/v1/apikeys","count":1}),
    )
    .await;
    let r = client()
        .post(format!("{}/v1/apikeys", emu.base_url))
        .bearer_auth(&token)
        .json(&json!({"name":"half-answered","iam_id":iam_id}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert!(serde_json::from_str::<serde_json::Value>(&r.text().await.unwrap()).is_err());
    let list = json(
        client()
            .get(format!(
                "{}/v1/apikeys?filter=name%20eq%20%22half-answered%22",
                emu.base_url
            ))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(list["apikeys"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn latency_fault_delays_matching_requests() {
    let emu = emulator().await;
    add_fault(
        &emu,
        json!({"kind":"latency","ms":1500,"vendor":"scaleway","rate":1.0}),
    )
    .await;
    let started = Instant::now();
    client()
        .get(format!("{}/iam/v1alpha1/api-keys", emu.base_url))
        .send()
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(1500));
    let started = Instant::now();
    client()
        .get(format!("{}/v1/apikeys", emu.base_url))
        .send()
        .await
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "other vendors are not delayed"
    );
}

#[tokio::test]
async fn rate_zero_never_fires_and_rate_one_always_does() {
    let emu = emulator().await;
    add_fault(
        &emu,
        json!({"kind":"status","status":500,"vendor":"ibm","rate":0.0}),
    )
    .await;
    for _ in 0..5 {
        let r = client()
            .get(format!("{}/v1/apikeys", emu.base_url))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    add_fault(
        &emu,
        json!({"kind":"status","status":503,"vendor":"ibm","rate":1.0}),
    )
    .await;
    for _ in 0..5 {
        let r = client()
            .get(format!("{}/v1/apikeys", emu.base_url))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 503);
    }
}

#[tokio::test]
async fn half_rate_fires_sometimes() {
    let emu = emulator().await;
    add_fault(&emu, json!({"kind":"status","status":500,"rate":0.5})).await;
    let mut failed = 0;
    for _ in 0..60 {
        let r = client()
            .get(format!("{}/v1/apikeys", emu.base_url))
            .send()
            .await
            .unwrap();
        if r.status() == 500 {
            failed += 1;
        }
    }
    // 60 fair coin flips land outside 10..=50 with probability below 1e-7.
    assert!((10..=50).contains(&failed), "{failed} of 60");
}

#[tokio::test]
async fn faults_are_listed_removed_and_cleared() {
    let emu = emulator().await;
    let rule = add_fault(
        &emu,
        json!({"kind":"status","status":500,"vendor":"ibm","count":3}),
    )
    .await;
    assert_eq!(rule["remaining"], 3);
    assert_eq!(rule["kind"], "status");
    add_fault(&emu, json!({"kind":"latency","ms":10})).await;
    let base = &emu.base_url;

    let listed = json(
        client()
            .get(format!("{base}/__emulator/faults"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(listed["faults"].as_array().unwrap().len(), 2);

    let r = client()
        .delete(format!("{base}/__emulator/faults/{}", rule["id"]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = client()
        .delete(format!("{base}/__emulator/faults/{}", rule["id"]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = client()
        .get(format!("{base}/v1/apikeys"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "the removed rule no longer fires");

    add_fault(&emu, json!({"kind":"reset"})).await;
    let r = client()
        .delete(format!("{base}/__emulator/faults"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let listed = json(
        client()
            .get(format!("{base}/__emulator/faults"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(listed["faults"], json!([]));
    let r = client()
        .get(format!("{base}/v1/apikeys"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn the_control_api_is_never_faulted() {
    let emu = emulator().await;
    add_fault(&emu, json!({"kind":"reset"})).await;
    add_fault(
        &emu,
        json!({"kind":"status","status":500,"path_prefix":"/__emulator"}),
    )
    .await;
    let r = client()
        .get(format!("{}/__emulator/faults", emu.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn invalid_fault_specs_get_400_with_a_reason() {
    let emu = emulator().await;
    for bad in [
        json!({"kind":"status"}),
        json!({"kind":"status","status":302}),
        json!({"kind":"teleport"}),
        json!({"kind":"reset","vendor":"aws"}),
        json!({"kind":"reset","rate":2}),
        json!({"kind":"reset","count":0}),
        json!({"kind":"reset","unknown_field":1}),
        json!("not an object"),
    ] {
        let r = client()
            .post(format!("{}/__emulator/faults", emu.base_url))
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{bad}");
        assert!(json(r).await["error"].is_string());
    }
    let r = client()
        .post(format!("{}/__emulator/faults", emu.base_url))
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}
