//! `inventory::list_all`: every account listed, failures kept per account, progress reported,
//! concurrency bounded.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::{self, Env};
use async_trait::async_trait;
use keyrack_core::inventory::{list_all, Progress, DEFAULT_CONCURRENCY};
use keyrack_core::vendor::{self, Capabilities, Vendor};
use keyrack_core::{
    Account, AccountSettings, Code, CreatedKey, Credential, DeleteOutcome, Identity, KeyRecord,
    NewKey, Result, VendorId,
};
use serde_json::json;

fn account(id: &str, vendor: VendorId, settings: AccountSettings) -> Account {
    Account {
        id: id.into(),
        name: format!("{id} account"),
        ..support::account(vendor, settings)
    }
}

/// Each vendor account of the emulator, with its working credential.
fn emulator_accounts(env: &Env) -> Vec<(Account, String)> {
    let mut out = vec![
        (
            account(
                "scaleway-ok",
                VendorId::Scaleway,
                AccountSettings {
                    base_url: Some(env.m("scaleway", "base_url")),
                    organization_id: Some(env.m("scaleway", "organization_id")),
                    ..Default::default()
                },
            ),
            env.m("scaleway", "secret_key"),
        ),
        (
            account(
                "codefresh-ok",
                VendorId::Codefresh,
                AccountSettings {
                    base_url: Some(env.m("codefresh", "base_url")),
                    ..Default::default()
                },
            ),
            env.m("codefresh", "api_key"),
        ),
    ];
    if env.manifest["ibm"]["api_key"].is_string() {
        out.push((
            account(
                "ibm-ok",
                VendorId::Ibm,
                AccountSettings {
                    base_url: Some(env.m("ibm", "base_url")),
                    iam_url: Some(env.m("ibm", "iam_url")),
                    ..Default::default()
                },
            ),
            env.m("ibm", "api_key"),
        ));
    }
    out
}

fn connected(accounts: Vec<(Account, String)>) -> Vec<(Account, Arc<dyn Vendor>)> {
    let http = support::fast_http(Duration::from_secs(5));
    accounts
        .into_iter()
        .map(|(account, secret)| {
            let client = vendor::connect(&account, Credential::new(secret), &http).unwrap();
            (account, client)
        })
        .collect()
}

#[tokio::test]
async fn a_failing_account_never_hides_the_others() {
    let env = support::start().await;
    let good = emulator_accounts(&env);
    let mut accounts = Vec::new();
    for (account, secret) in &good {
        accounts.push((account.clone(), secret.clone()));
        let mut broken = account.clone();
        broken.id = format!("{}-wrong-credential", account.vendor);
        // A credential of the right shape that the vendor does not know.
        let wrong = match account.vendor {
            VendorId::Codefresh => "64b7f0c2e4b0a1c2d3e4f5a6.0000".to_string(),
            VendorId::Scaleway => uuid::Uuid::new_v4().to_string(),
            _ => "not-a-known-api-key-0000000000000000000".to_string(),
        };
        accounts.push((broken, wrong));
    }
    let total = accounts.len();
    let seen = Arc::new(Mutex::new(Vec::<Progress>::new()));
    let sink = seen.clone();
    let listings = list_all(connected(accounts.clone()), 2, move |p| {
        sink.lock().unwrap().push(p)
    })
    .await;

    assert_eq!(listings.len(), total);
    for (listing, (account, _)) in listings.iter().zip(&accounts) {
        assert_eq!(
            listing.account_id, account.id,
            "results keep the input order"
        );
        assert_eq!(listing.vendor, account.vendor);
        if account.id.ends_with("-wrong-credential") {
            let error = listing.error().expect("a wrong credential fails");
            assert_eq!(error.code, Code::Unauthorized, "{}", error.message);
            assert!(listing.keys().is_empty());
        } else {
            let keys = listing.result.as_ref().expect("a good account lists");
            assert!(!keys.is_empty(), "{} has seeded keys", account.id);
            assert!(keys
                .iter()
                .all(|k| k.account == account.id && k.vendor == account.vendor));
        }
    }

    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), total, "one progress report per account");
    let done: Vec<usize> = seen.iter().map(|p| p.done).collect();
    assert_eq!(done, (1..=total).collect::<Vec<_>>());
    assert!(seen.iter().all(|p| p.total == total));
    for p in seen.iter() {
        assert_eq!(p.ok, !p.account_id.ends_with("-wrong-credential"), "{p:?}");
    }
}

#[tokio::test]
async fn progress_reports_accounts_as_they_finish() {
    let env = support::start().await;
    // Codefresh answers slowly; the fast Scaleway account is reported first all the same.
    env.fault(json!({"kind": "latency", "vendor": "codefresh", "ms": 600}))
        .await;
    let accounts: Vec<_> = emulator_accounts(&env)
        .into_iter()
        .filter(|(a, _)| a.vendor != VendorId::Ibm)
        .rev()
        .collect();
    assert_eq!(accounts[0].0.vendor, VendorId::Codefresh);
    let order = Arc::new(Mutex::new(Vec::new()));
    let sink = order.clone();
    let listings = list_all(connected(accounts), 4, move |p| {
        sink.lock().unwrap().push(p.account_id)
    })
    .await;
    assert_eq!(*order.lock().unwrap(), vec!["scaleway-ok", "codefresh-ok"]);
    assert_eq!(listings[0].account_id, "codefresh-ok");
    assert!(listings.iter().all(|l| l.result.is_ok()));
}

/// A vendor that only counts how many listings run at once.
struct Gauge {
    running: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
}

#[async_trait]
impl Vendor for Gauge {
    fn capabilities(&self) -> Capabilities {
        vendor::capabilities_of(VendorId::Codefresh)
    }
    async fn verify(&self) -> Result<Identity> {
        Ok(Identity::default())
    }
    async fn list(&self) -> Result<Vec<KeyRecord>> {
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(40)).await;
        self.running.fetch_sub(1, Ordering::SeqCst);
        Ok(Vec::new())
    }
    async fn get(&self, _id: &str) -> Result<KeyRecord> {
        unreachable!()
    }
    async fn create(&self, _spec: &NewKey) -> Result<CreatedKey> {
        unreachable!()
    }
    async fn delete(&self, _id: &str) -> Result<DeleteOutcome> {
        unreachable!()
    }
}

async fn peak_with(accounts: usize, concurrency: usize) -> usize {
    let running = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let list: Vec<(Account, Arc<dyn Vendor>)> = (0..accounts)
        .map(|i| {
            let gauge = Gauge {
                running: running.clone(),
                peak: peak.clone(),
            };
            (
                account(
                    &format!("a{i}"),
                    VendorId::Codefresh,
                    AccountSettings::default(),
                ),
                Arc::new(gauge) as Arc<dyn Vendor>,
            )
        })
        .collect();
    let listings = list_all(list, concurrency, |_| {}).await;
    assert_eq!(listings.len(), accounts);
    peak.load(Ordering::SeqCst)
}

#[tokio::test]
async fn concurrency_is_bounded() {
    assert_eq!(peak_with(10, 3).await, 3);
    assert_eq!(peak_with(10, 1).await, 1);
    assert_eq!(peak_with(2, 8).await, 2);
    assert_eq!(peak_with(10, 0).await, DEFAULT_CONCURRENCY);
}

#[tokio::test]
async fn no_accounts_no_progress() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let listings = list_all(Vec::new(), 4, move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    })
    .await;
    assert!(listings.is_empty());
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

/// A registry over `dir` with the in-memory keychain and no sandbox.
async fn registry_in(dir: &std::path::Path) -> keyrack_core::accounts::Registry {
    keyrack_core::accounts::Registry::open(keyrack_core::accounts::Options {
        paths: keyrack_core::settings::Paths::under(dir),
        store: Arc::new(keyrack_core::vault::MemoryStore::new()),
        http: Some(support::fast_http(Duration::from_secs(5))),
        sandbox: None,
    })
    .await
    .unwrap()
}

fn token_exchanges(requests: &[(String, String, Option<u16>)]) -> usize {
    requests
        .iter()
        .filter(|(method, path, _)| method == "POST" && path == "/identity/token")
        .count()
}

/// The registry builds an account's client once: ten listings of an IBM account exchange its
/// API key for a token once, and a change to the account builds a new client.
#[tokio::test]
async fn ten_listings_share_one_client_and_one_token() {
    use keyrack_core::accounts::{AccountChanges, AccountDraft, ConnectionTest};
    let env = support::start().await;
    let dir = tempfile::tempdir().unwrap();
    let registry = registry_in(dir.path()).await;
    let draft = AccountDraft {
        name: "IBM prod".into(),
        vendor: VendorId::Ibm,
        settings: AccountSettings {
            base_url: Some(env.m("ibm", "base_url")),
            iam_url: Some(env.m("ibm", "iam_url")),
            ..Default::default()
        },
    };
    let saved = registry
        .add_account(
            draft,
            Credential::new(env.m("ibm", "api_key")),
            ConnectionTest::Skip,
        )
        .await
        .unwrap();
    env.clear_requests().await;

    let accounts = registry.list_accounts();
    for _ in 0..10 {
        let listings =
            keyrack_core::inventory::list_accounts(&registry, accounts.clone(), |_| {}).await;
        assert!(listings[0].result.is_ok(), "{:?}", listings[0].error());
    }
    let requests = env.requests("ibm").await;
    assert_eq!(token_exchanges(&requests), 1, "{requests:?}");
    assert_eq!(
        requests
            .iter()
            .filter(|(m, p, _)| m == "GET" && p == "/v1/apikeys")
            .count(),
        10,
        "each listing still asks IBM for the keys"
    );

    // Renaming the account drops its client: the next listing builds (and exchanges) anew.
    registry
        .update_account(
            &saved.account.id,
            AccountChanges {
                name: Some("IBM production".into()),
                settings: None,
            },
            None,
            ConnectionTest::Skip,
        )
        .await
        .unwrap();
    keyrack_core::inventory::list_accounts(&registry, registry.list_accounts(), |_| {}).await;
    assert_eq!(token_exchanges(&env.requests("ibm").await), 2);
}

/// An account whose client cannot be built fails on its own, in its place in the order.
#[tokio::test]
async fn a_client_that_cannot_be_built_is_that_accounts_failed_listing() {
    let env = support::start().await;
    let dir = tempfile::tempdir().unwrap();
    let registry = registry_in(dir.path()).await;
    let mut accounts: Vec<(Account, Credential)> = emulator_accounts(&env)
        .into_iter()
        .map(|(a, s)| (a, Credential::new(s)))
        .collect();
    let broken = account(
        "oci-bad-pem",
        VendorId::Oci,
        AccountSettings {
            base_url: Some(env.m("oci", "base_url")),
            tenancy: Some(env.m("oci", "tenancy")),
            user: Some(env.m("oci", "user")),
            fingerprint: Some(env.m("oci", "fingerprint")),
            ..Default::default()
        },
    );
    accounts.insert(
        1,
        (
            broken,
            Credential::new("-----BEGIN PRIVATE KEY-----\nnot a key"),
        ),
    );
    registry.attach_accounts(accounts.clone()).await.unwrap();

    let order: Vec<String> = accounts.iter().map(|(a, _)| a.id.clone()).collect();
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    let listings =
        keyrack_core::inventory::list_accounts(&registry, registry.list_accounts(), move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        })
        .await;
    let got: Vec<String> = listings.iter().map(|l| l.account_id.clone()).collect();
    assert_eq!(got, order, "the registry's order, whichever step failed");
    assert_eq!(
        seen.load(Ordering::SeqCst),
        order.len(),
        "progress for every account"
    );
    let bad = &listings[1];
    let error = bad
        .error()
        .expect("a PEM that is no key cannot build a client");
    assert_eq!(error.code, Code::Validation, "{}", error.message);
    assert!(error.message.contains("private key"), "{}", error.message);
    assert!(listings
        .iter()
        .enumerate()
        .all(|(i, l)| i == 1 || l.result.is_ok()));
}
