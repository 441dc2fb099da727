//! Shared helpers of the emulator's own integration tests.

use keyrack_emulator::{start, Emulator, EmulatorOptions};
use serde_json::Value;

/// A seeded emulator on a free port.
pub async fn emulator() -> Emulator {
    with_options(EmulatorOptions::default()).await
}

pub async fn with_options(options: EmulatorOptions) -> Emulator {
    start(options).await.expect("emulator starts")
}

/// A client that never reuses connections, so a dropped connection cannot leak into the next
/// request, and that fails fast instead of hanging a test.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .unwrap()
}

pub async fn json(response: reqwest::Response) -> Value {
    let status = response.status();
    let text = response.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{status}: not JSON ({e}): {text}"))
}

/// Install a fault rule through the control API; returns the rule as listed.
pub async fn add_fault(emu: &Emulator, rule: Value) -> Value {
    let response = client()
        .post(format!("{}/__emulator/faults", emu.base_url))
        .json(&rule)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "fault {rule} refused");
    json(response).await
}

/// Exchange an IBM API key for an access token; panics unless it works.
pub async fn ibm_token(base_url: &str, apikey: &str) -> String {
    let response = client()
        .post(format!("{base_url}/identity/token"))
        .form(&[
            ("grant_type", "urn:ibm:params:oauth:grant-type:apikey"),
            ("apikey", apikey),
            ("response_type", "cloud_iam"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    json(response).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The seeded IBM admin's access token.
pub async fn ibm_admin_token(emu: &Emulator) -> String {
    let manifest = emu.manifest();
    ibm_token(&emu.base_url, manifest["ibm"]["api_key"].as_str().unwrap()).await
}
