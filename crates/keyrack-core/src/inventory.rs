//! Listing every account's keys at once — the one function both shells call: at most
//! `concurrency` accounts in flight, one result per account in the order asked (a failing
//! account never hides the others), and a progress callback the shells drive their progress
//! bars with.

use std::future::Future;
use std::sync::Arc;

use futures::StreamExt;
use serde::Serialize;
use ts_rs::TS;

use crate::accounts::Registry;
use crate::error::PublicError;
use crate::model::{Account, KeyRecord, VendorId};
use crate::vendor::{ListOptions, Vendor};

/// Used when the caller asks for no concurrency at all. Accounts are independent (mostly at
/// different vendors), so the five sandbox accounts, or a few real ones per vendor, all start
/// at once rather than one waiting for a slot.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// One account's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct AccountListing {
    pub account_id: String,
    pub account_name: String,
    pub vendor: VendorId,
    pub result: Result<Vec<KeyRecord>, PublicError>,
    /// What the vendor had to say besides the keys (`Vendor::notices`): e.g. that only part of
    /// the account's keys could be listed, and why. Shells show them next to the account.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
}

impl AccountListing {
    pub fn keys(&self) -> &[KeyRecord] {
        self.result.as_deref().unwrap_or_default()
    }

    pub fn error(&self) -> Option<&PublicError> {
        self.result.as_ref().err()
    }
}

/// Reported each time an account finishes, in completion order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Progress {
    /// Accounts finished so far, this one included.
    #[ts(type = "number")]
    pub done: usize,
    #[ts(type = "number")]
    pub total: usize,
    /// The account that just finished, and whether it listed.
    pub account_id: String,
    pub ok: bool,
}

/// List `accounts` through the registry's clients, [`DEFAULT_CONCURRENCY`] at a time. One
/// listing per account, in the order given: an account whose client cannot be built (keychain
/// locked, bad settings) gets that error as its listing, like one the vendor refused.
pub async fn list_accounts(
    registry: &Registry,
    accounts: Vec<Account>,
    progress: impl Fn(Progress) + Send + Sync,
) -> Vec<AccountListing> {
    list_accounts_with(registry, accounts, &ListOptions::default(), progress).await
}

/// `list_accounts`, with what `options` asks for beyond the vendors' defaults (e.g. keys of
/// archived projects).
pub async fn list_accounts_with(
    registry: &Registry,
    accounts: Vec<Account>,
    options: &ListOptions,
    progress: impl Fn(Progress) + Send + Sync,
) -> Vec<AccountListing> {
    let total = accounts.len();
    let runs: Vec<_> = accounts
        .into_iter()
        .enumerate()
        .map(|(index, account)| async move {
            let (result, notices) = match registry.vendor(&account.id).await {
                Ok(client) => {
                    let result = client.list_with(options).await;
                    (result, client.notices())
                }
                Err(e) => (Err(e), Vec::new()),
            };
            (index, listing(account, result, notices))
        })
        .collect();
    gather(runs, DEFAULT_CONCURRENCY, total, &progress).await
}

/// List every account with a client already built, `concurrency` at a time (0 means
/// [`DEFAULT_CONCURRENCY`]). The result is in the order the accounts were given, whatever order
/// they finished in.
pub async fn list_all(
    accounts: Vec<(Account, Arc<dyn Vendor>)>,
    concurrency: usize,
    progress: impl Fn(Progress) + Send + Sync,
) -> Vec<AccountListing> {
    let total = accounts.len();
    let runs: Vec<_> = accounts
        .into_iter()
        .enumerate()
        .map(|(index, (account, vendor))| async move {
            let result = vendor.list().await;
            let notices = vendor.notices();
            (index, listing(account, result, notices))
        })
        .collect();
    gather(runs, concurrency, total, &progress).await
}

fn listing(
    account: Account,
    result: crate::Result<Vec<KeyRecord>>,
    notices: Vec<String>,
) -> AccountListing {
    let result = result.map_err(|e| {
        tracing::warn!(account = %account.id, vendor = %account.vendor, code = ?e.code(),
            "listing an account failed");
        e.to_public()
    });
    AccountListing {
        account_id: account.id,
        account_name: account.name,
        vendor: account.vendor,
        notices: if result.is_ok() { notices } else { Vec::new() },
        result,
    }
}

/// Run the listings `limit` at a time, report each as it finishes, and put them back in order.
/// The runs are built before they are polled, so the whole future stays `Send`.
async fn gather<F>(
    runs: Vec<F>,
    concurrency: usize,
    total: usize,
    progress: &(impl Fn(Progress) + Send + Sync),
) -> Vec<AccountListing>
where
    F: Future<Output = (usize, AccountListing)> + Send,
{
    let limit = if concurrency == 0 {
        DEFAULT_CONCURRENCY
    } else {
        concurrency
    };
    let mut running = futures::stream::iter(runs).buffer_unordered(limit);
    let mut done = Vec::with_capacity(total);
    while let Some((index, listing)) = running.next().await {
        progress(Progress {
            done: done.len() + 1,
            total,
            account_id: listing.account_id.clone(),
            ok: listing.result.is_ok(),
        });
        done.push((index, listing));
    }
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, listing)| listing).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send<T: Send>(_: &T) {}

    /// The desktop awaits listings inside Tauri's async commands, which need `Send` futures.
    #[test]
    fn listing_futures_are_send() {
        fn check(registry: &Registry) {
            assert_send(&list_accounts(registry, Vec::new(), |_| {}));
            assert_send(&list_all(Vec::new(), 0, |_| {}));
        }
        let _ = check;
    }
}
