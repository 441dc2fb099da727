//! Shared by the vendor client tests: an in-process emulator, accounts pointing at it, a fast
//! HTTP layer, and the emulator's control API (faults, request log).
#![allow(dead_code)]

use std::time::Duration;

use std::sync::Arc;

use keyrack_core::http::{Http, HttpConfig};
use keyrack_core::vendor::{self, Vendor};
use keyrack_core::{Account, AccountSettings, Credential, VendorId};
use serde_json::{json, Value};

pub struct Env {
    pub emu: keyrack_emulator::Emulator,
    pub manifest: Value,
    control: reqwest::Client,
}

pub async fn start() -> Env {
    let emu = keyrack_emulator::start(keyrack_emulator::EmulatorOptions::default())
        .await
        .expect("emulator starts");
    Env::from(emu)
}

impl From<keyrack_emulator::Emulator> for Env {
    fn from(emu: keyrack_emulator::Emulator) -> Self {
        Env {
            manifest: emu.manifest(),
            emu,
            control: reqwest::Client::new(),
        }
    }
}

/// Short timeouts and backoff so that retries and timeouts take milliseconds.
pub fn fast_http(timeout: Duration) -> Http {
    Http::new(HttpConfig {
        connect_timeout: Duration::from_secs(2),
        timeout,
        max_retries: 2,
        base_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        max_retry_after: Duration::from_secs(3),
        ..HttpConfig::default()
    })
    .unwrap()
}

pub fn account(vendor: VendorId, settings: AccountSettings) -> Account {
    Account {
        id: format!("{vendor}-test"),
        name: format!("{} (emulator)", vendor.display_name()),
        vendor,
        sandbox: true,
        settings,
    }
}

pub fn connect(account: &Account, secret: &str, http: &Http) -> Arc<dyn Vendor> {
    vendor::connect(account, Credential::new(secret), http).expect("client builds")
}

impl Env {
    pub fn base(&self) -> &str {
        &self.emu.base_url
    }

    /// A string from the manifest, e.g. `m("scaleway", "secret_key")`.
    pub fn m(&self, vendor: &str, field: &str) -> String {
        self.manifest[vendor][field]
            .as_str()
            .unwrap_or_else(|| panic!("manifest has no {vendor}.{field}: {}", self.manifest))
            .to_string()
    }

    /// Install a fault rule (`kind`, `vendor`, `method`, `path_prefix`, `status`, `retry_after`,
    /// `ms`, `count`, …).
    pub async fn fault(&self, rule: Value) {
        let response = self
            .control
            .post(format!("{}/__emulator/faults", self.base()))
            .json(&rule)
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "fault {rule} refused: {}",
            response.text().await.unwrap()
        );
    }

    pub async fn clear_faults(&self) {
        self.control
            .delete(format!("{}/__emulator/faults", self.base()))
            .send()
            .await
            .unwrap();
    }

    /// Requests the emulator saw for `vendor`: `(method, path, status)`.
    pub async fn requests(&self, vendor: &str) -> Vec<(String, String, Option<u16>)> {
        let body: Value = self
            .control
            .get(format!("{}/__emulator/requests", self.base()))
            .query(&[("vendor", vendor)])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["method"].as_str().unwrap().to_string(),
                    r["path"].as_str().unwrap().to_string(),
                    r["status"].as_u64().map(|s| s as u16),
                )
            })
            .collect()
    }

    pub async fn clear_requests(&self) {
        self.control
            .delete(format!("{}/__emulator/requests", self.base()))
            .send()
            .await
            .unwrap();
    }
}

/// A status fault on one vendor's method and path prefix, firing `count` times.
pub fn status_fault(vendor: &str, method: &str, path: &str, status: u16, count: u64) -> Value {
    json!({"kind": "status", "vendor": vendor, "method": method, "path_prefix": path,
           "status": status, "count": count})
}
