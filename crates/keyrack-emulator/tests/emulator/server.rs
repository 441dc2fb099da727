//! The shared server: manifest, routing of unknown paths, body limit, request log, state file,
//! reset and global latency.

use std::time::{Duration, Instant};

use crate::common::{client, emulator, ibm_admin_token, json, with_options};
use keyrack_emulator::{EmulatorOptions, SeedOptions};
use serde_json::{json, Value};

#[tokio::test]
async fn manifest_names_every_vendor_and_the_base_url() {
    let emu = emulator().await;
    let m = emu.manifest();
    assert_eq!(m["base_url"], emu.base_url);
    assert!(emu.base_url.starts_with("http://127.0.0.1:"));
    for vendor in ["ibm", "scaleway", "oci", "openai", "codefresh"] {
        assert!(m[vendor].is_object(), "manifest lacks {vendor}: {m}");
    }
    for field in ["iam_url", "base_url", "api_key", "account_id", "iam_id"] {
        assert!(
            m["ibm"][field].as_str().is_some_and(|s| !s.is_empty()),
            "ibm.{field} missing: {m}"
        );
    }
    // The control API serves the same manifest.
    let served = json(
        client()
            .get(format!("{}/__emulator/manifest", emu.base_url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(served, m);
    emu.shutdown().await;
}

#[tokio::test]
async fn health_answers() {
    let emu = emulator().await;
    let r = client()
        .get(format!("{}/__emulator/health", emu.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(json(r).await, json!({"status": "ok"}));
}

#[tokio::test]
async fn unknown_paths_get_404_in_the_vendor_envelope() {
    let emu = emulator().await;
    let r = client()
        .get(format!("{}/v1/apikeys/x/unknown", emu.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let body = json(r).await;
    assert_eq!(body["status_code"], "404");
    assert_eq!(body["errors"][0]["code"], "not_found");

    let r = client()
        .get(format!("{}/nothing/here", emu.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(json(r).await["error"].is_string());
}

#[tokio::test]
async fn wrong_method_gets_405_in_the_vendor_envelope() {
    let emu = emulator().await;
    let r = client()
        .get(format!("{}/identity/token", emu.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    assert!(json(r).await["errorCode"].is_string());
}

#[tokio::test]
async fn oversized_bodies_get_413_whether_declared_or_streamed() {
    let emu = emulator().await;
    let token = ibm_admin_token(&emu).await;
    let big = vec![b'x'; 1024 * 1024 + 1];

    let r = client()
        .post(format!("{}/v1/apikeys", emu.base_url))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(big.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert_eq!(json(r).await["status_code"], "413");

    // Without Content-Length (chunked), the limit applies while reading.
    let status_line = chunked_post(&emu.base_url, "/v1/apikeys", &token, &big).await;
    assert!(status_line.starts_with("HTTP/1.1 413"), "{status_line}");

    // Just under the limit is read (and refused on its merits, not its size).
    let r = client()
        .post(format!("{}/v1/apikeys", emu.base_url))
        .bearer_auth(&token)
        .body(vec![b' '; 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn request_log_records_method_path_status_vendor_and_nothing_secret() {
    let emu = emulator().await;
    let token = ibm_admin_token(&emu).await;
    let account = emu.manifest()["ibm"]["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = client()
        .get(format!("{}/v1/apikeys?account_id={account}", emu.base_url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    client()
        .get(format!("{}/v1/apikeys/ApiKey-missing", emu.base_url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();

    let log = json(
        client()
            .get(format!("{}/__emulator/requests", emu.base_url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let entries = log["requests"].as_array().unwrap();
    assert_eq!(entries.len(), 3, "{log}"); // token, list, get; control calls are not logged
    assert_eq!(entries[0]["method"], "POST");
    assert_eq!(entries[0]["path"], "/identity/token");
    assert_eq!(entries[0]["vendor"], "ibm");
    assert_eq!(entries[0]["status"], 200);
    assert_eq!(entries[1]["path"], "/v1/apikeys");
    assert_eq!(entries[2]["status"], 404);
    let text = log.to_string();
    let apikey = emu.manifest()["ibm"]["api_key"]
        .as_str()
        .unwrap()
        .to_owned();
    for secret in [token.as_str(), apikey.as_str(), account.as_str()] {
        assert!(!text.contains(secret), "log leaks {secret}");
    }

    // Filter by vendor and by sequence number, then clear.
    let url = format!(
        "{}/__emulator/requests?vendor=ibm&since={}",
        emu.base_url, entries[1]["seq"]
    );
    let later = json(client().get(url).send().await.unwrap()).await;
    assert_eq!(later["requests"].as_array().unwrap().len(), 1);
    let none = json(
        client()
            .get(format!("{}/__emulator/requests?vendor=oci", emu.base_url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(none["requests"], json!([]));
    let r = client()
        .delete(format!("{}/__emulator/requests", emu.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let cleared = json(
        client()
            .get(format!("{}/__emulator/requests", emu.base_url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(cleared["requests"], json!([]));
}

/// POST `body` with `Transfer-Encoding: chunked` over a raw socket (reqwest always declares the
/// length of an in-memory body); returns the response's status line.
async fn chunked_post(base_url: &str, path: &str, token: &str, body: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base_url.trim_start_matches("http://");
    let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    for chunk in body.chunks(64 * 1024) {
        let frame = format!("{:x}\r\n", chunk.len());
        // The server may answer and close before reading everything: stop writing then.
        if socket.write_all(frame.as_bytes()).await.is_err()
            || socket.write_all(chunk).await.is_err()
            || socket.write_all(b"\r\n").await.is_err()
        {
            break;
        }
    }
    let _ = socket.write_all(b"0\r\n\r\n").await;
    let mut response = Vec::new();
    let _ = socket.read_to_end(&mut response).await;
    String::from_utf8_lossy(&response)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

async fn create_ibm_key(base_url: &str, token: &str, iam_id: &str, name: &str) -> Value {
    let r = client()
        .post(format!("{base_url}/v1/apikeys"))
        .bearer_auth(token)
        .json(&json!({"name": name, "iam_id": iam_id}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    json(r).await
}

#[tokio::test]
async fn state_file_keeps_keys_and_admin_credentials_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("state.json");
    let options = || EmulatorOptions {
        state_file: Some(path.clone()),
        ..EmulatorOptions::default()
    };

    let emu = with_options(options()).await;
    assert!(path.exists(), "the seeded state is written at once");
    let first = emu.manifest();
    let token = ibm_admin_token(&emu).await;
    let iam_id = first["ibm"]["iam_id"].as_str().unwrap();
    let created = create_ibm_key(&emu.base_url, &token, iam_id, "survives-restart").await;
    emu.shutdown().await;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the state file holds secrets");
    }

    let emu = with_options(options()).await;
    let second = emu.manifest();
    // Same admin credentials for every vendor; only the port differs.
    let unported = |m: &Value| {
        m.to_string()
            .replace(m["base_url"].as_str().unwrap(), "BASE")
    };
    assert_eq!(
        unported(&first),
        unported(&second),
        "same admin credentials"
    );
    // The old token still works: the signing key was kept too.
    let r = client()
        .get(format!(
            "{}/v1/apikeys/{}",
            emu.base_url,
            created["id"].as_str().unwrap()
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(json(r).await["name"], "survives-restart");
    // And the new key's secret still exchanges for a token.
    crate::common::ibm_token(&emu.base_url, created["apikey"].as_str().unwrap()).await;
    emu.shutdown().await;
}

#[tokio::test]
async fn unreadable_state_file_is_an_error_not_a_silent_reseed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    std::fs::write(&path, b"{ not json").unwrap();
    let result = keyrack_emulator::start(EmulatorOptions {
        state_file: Some(path),
        ..EmulatorOptions::default()
    })
    .await;
    assert!(result.is_err());
}

#[tokio::test]
async fn reset_reseeds_and_returns_the_new_manifest() {
    let emu = emulator().await;
    let before = emu.manifest();
    let token = ibm_admin_token(&emu).await;
    let created = create_ibm_key(
        &emu.base_url,
        &token,
        before["ibm"]["iam_id"].as_str().unwrap(),
        "gone-after-reset",
    )
    .await;

    let r = client()
        .post(format!("{}/__emulator/reset", emu.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let after = json(r).await;
    assert_eq!(after, emu.manifest());
    assert_ne!(after["ibm"]["api_key"], before["ibm"]["api_key"]);

    let token = ibm_admin_token(&emu).await;
    let r = client()
        .get(format!(
            "{}/v1/apikeys/{}",
            emu.base_url,
            created["id"].as_str().unwrap()
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

async fn ibm_account_key_count(emu: &keyrack_emulator::Emulator) -> usize {
    let token = ibm_admin_token(emu).await;
    let r = client()
        .get(format!(
            "{}/v1/apikeys?scope=account&pagesize=100",
            emu.base_url
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    json(r).await["apikeys"].as_array().unwrap().len()
}

#[tokio::test]
async fn reset_accepts_empty_and_seed_keys() {
    let emu = emulator().await;
    let seeded = ibm_account_key_count(&emu).await;
    assert!(seeded >= 6, "demo keys are seeded");

    let reset = |body: Value| {
        let url = format!("{}/__emulator/reset", emu.base_url);
        async move { client().post(url).json(&body).send().await.unwrap() }
    };
    assert_eq!(reset(json!({"empty": true})).await.status(), 200);
    assert_eq!(ibm_account_key_count(&emu).await, 1, "only the admin key");

    assert_eq!(
        reset(json!({"empty": false, "seed_keys": 30}))
            .await
            .status(),
        200
    );
    assert_eq!(ibm_account_key_count(&emu).await, seeded + 30);

    assert_eq!(reset(json!({"seed_keys": 1_000_000})).await.status(), 400);
    assert_eq!(reset(json!({"typo": true})).await.status(), 400);
}

#[tokio::test]
async fn seed_options_shape_the_initial_state() {
    let empty = with_options(EmulatorOptions {
        seed: SeedOptions {
            empty: true,
            extra_keys: 0,
        },
        ..EmulatorOptions::default()
    })
    .await;
    assert_eq!(ibm_account_key_count(&empty).await, 1);

    let loaded = with_options(EmulatorOptions {
        seed: SeedOptions {
            empty: false,
            extra_keys: 25,
        },
        ..EmulatorOptions::default()
    })
    .await;
    let plain = emulator().await;
    assert_eq!(
        ibm_account_key_count(&loaded).await,
        ibm_account_key_count(&plain).await + 25
    );
}

#[tokio::test]
async fn global_latency_delays_vendor_requests_but_not_the_control_api() {
    let emu = with_options(EmulatorOptions {
        latency_ms: 1500,
        ..EmulatorOptions::default()
    })
    .await;
    let started = Instant::now();
    client()
        .get(format!("{}/__emulator/health", emu.base_url))
        .send()
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_millis(1500));

    let started = Instant::now();
    let r = client()
        .get(format!("{}/v1/apikeys", emu.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(started.elapsed() >= Duration::from_millis(1500));
}

#[tokio::test]
async fn many_concurrent_requests_all_complete() {
    let emu = emulator().await;
    let token = ibm_admin_token(&emu).await;
    let iam_id = emu.manifest()["ibm"]["iam_id"].as_str().unwrap().to_owned();
    let mut tasks = Vec::new();
    for n in 0..12 {
        let (base, token, iam_id) = (emu.base_url.clone(), token.clone(), iam_id.clone());
        tasks.push(tokio::spawn(async move {
            let r = client()
                .get(format!("{base}/v1/apikeys?iam_id={iam_id}"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "request {n}");
        }));
    }
    for t in tasks {
        tokio::time::timeout(Duration::from_secs(20), t)
            .await
            .expect("no hang")
            .unwrap();
    }
}
