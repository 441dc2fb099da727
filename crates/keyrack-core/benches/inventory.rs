//! Listing benchmark: every sandbox account with N extra keys per vendor, listed concurrently
//! through the real clients against the emulator on loopback. Prints figures; asserts nothing
//! about time (the machine decides that), only that every key was listed.
//!
//!     cargo bench -p keyrack-core --bench inventory              # 2,000 keys per vendor
//!     KEYRACK_BENCH_KEYS=500 cargo bench -p keyrack-core --bench inventory

use std::sync::Arc;
use std::time::Instant;

use keyrack_core::http::{Http, HttpConfig};
use keyrack_core::inventory;
use keyrack_core::sandbox::accounts_from_manifest;
use keyrack_core::vendor::{connect, Vendor};
use keyrack_emulator::{EmulatorOptions, SeedOptions};

fn main() {
    let per_vendor: usize = std::env::var("KEYRACK_BENCH_KEYS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(run(per_vendor));
}

async fn run(per_vendor: usize) {
    let started = Instant::now();
    let emulator = keyrack_emulator::start(EmulatorOptions {
        seed: SeedOptions {
            empty: false,
            extra_keys: per_vendor,
        },
        ..Default::default()
    })
    .await
    .expect("emulator");
    println!(
        "seeded {per_vendor} keys per vendor in {:.2} s",
        started.elapsed().as_secs_f64()
    );

    let http = Http::new(HttpConfig::default()).expect("http");
    let accounts: Vec<_> = accounts_from_manifest(&emulator.manifest())
        .into_iter()
        .map(|(account, credential)| {
            let vendor: Arc<dyn Vendor> = connect(&account, credential, &http).expect("connect");
            (account, vendor)
        })
        .collect();

    for round in 1..=3 {
        let started = Instant::now();
        let listings = inventory::list_all(accounts.clone(), 0, |_| {}).await;
        let elapsed = started.elapsed().as_secs_f64();
        let total: usize = listings.iter().map(|l| l.keys().len()).sum();
        for l in &listings {
            if let Some(e) = l.error() {
                panic!("{} failed: {}", l.account_name, e.message);
            }
        }
        println!(
            "round {round}: {total} keys from {} accounts in {elapsed:.2} s ({:.0} keys/s)",
            listings.len(),
            total as f64 / elapsed
        );
        for l in &listings {
            println!("  {:<28} {:>6} keys", l.account_name, l.keys().len());
        }
        let _ = per_vendor;
    }
    emulator.shutdown().await;
}
