//! Listing every account's keys at once: at most `concurrency` accounts in flight, one result
//! per account (a failing account never hides the others), and a progress callback the shells
//! drive their progress bars with.

use std::sync::Arc;

use futures::StreamExt;
use serde::Serialize;
use ts_rs::TS;

use crate::error::PublicError;
use crate::model::{Account, KeyRecord, VendorId};
use crate::vendor::Vendor;

/// Used when the caller asks for no concurrency at all.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// One account's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct AccountListing {
    pub account_id: String,
    pub account_name: String,
    pub vendor: VendorId,
    pub result: Result<Vec<KeyRecord>, PublicError>,
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

/// List every account, `concurrency` at a time (0 means [`DEFAULT_CONCURRENCY`]). The result is
/// in the order the accounts were given, whatever order they finished in.
pub async fn list_all(
    accounts: Vec<(Account, Arc<dyn Vendor>)>,
    concurrency: usize,
    progress: impl Fn(Progress) + Send,
) -> Vec<AccountListing> {
    let total = accounts.len();
    let limit = if concurrency == 0 {
        DEFAULT_CONCURRENCY
    } else {
        concurrency
    };
    let mut runs = futures::stream::iter(accounts.into_iter().enumerate())
        .map(|(index, (account, vendor))| async move {
            let result = vendor.list().await.map_err(|e| {
                tracing::warn!(account = %account.id, vendor = %account.vendor, code = ?e.code(),
                    "listing an account failed");
                e.to_public()
            });
            (
                index,
                AccountListing {
                    account_id: account.id,
                    account_name: account.name,
                    vendor: account.vendor,
                    result,
                },
            )
        })
        .buffer_unordered(limit);

    let mut done = Vec::with_capacity(total);
    while let Some((index, listing)) = runs.next().await {
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
