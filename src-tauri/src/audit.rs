//! Audit lines for what the desktop does with a held secret (reveal, copy, save, OCI config
//! append): core's registry records key changes itself, but these happen only in the shell.
//! The line names the key and the account, the file when there is one, never the secret.

use keyrack_core::audit::{AuditAction, AuditEntry};
use keyrack_core::error::Result;

use crate::state::AppState;

/// Record `action` on the held secret `handle` with `result`'s outcome. A handle that is not
/// held names no key, and nothing was done with a secret: no line.
pub fn secret_used<T>(
    state: &AppState,
    handle: &str,
    action: AuditAction,
    detail: Option<String>,
    result: &Result<T>,
) {
    let Ok(record) = state.reveal().with_secret(handle, |r, _, _| Ok(r.clone())) else {
        return;
    };
    let mut entry = match state.registry().account(&record.account) {
        Ok(account) => AuditEntry::new(action).account(&account),
        // The account was removed since the key was made: its id is still worth keeping.
        Err(_) => {
            let mut e = AuditEntry::new(action);
            e.account_id = Some(record.account.clone());
            e
        }
    }
    .key(&record)
    .outcome(result);
    if let Some(detail) = detail {
        entry = entry.detail(detail);
    }
    state.registry().audit(entry);
}
