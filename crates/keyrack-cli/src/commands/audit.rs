//! `keyrack audit`: the local audit log, newest first, filtered; `keyrack audit verify`: check
//! its hash chain.

use keyrack_core::audit::{AuditEntry, AuditFilter, AuditOutcome};
use keyrack_core::Result;

use crate::cli::{AuditArgs, AuditCmd};
use crate::exit;
use crate::output::{self, Mode};
use crate::source::Source;

pub async fn run(args: AuditArgs, source: &Source, mode: Mode) -> Result<u8> {
    let log = source.registry.audit_log();
    if let Some(AuditCmd::Verify) = args.command {
        return match log.verify()? {
            Ok(lines) => {
                if mode.is_json() {
                    output::json(&serde_json::json!({ "intact": true, "lines": lines }));
                } else {
                    output::line(format!(
                        "The audit log is intact: {lines} lines in {}.",
                        log.dir().display()
                    ));
                }
                Ok(exit::OK)
            }
            Err(broken) => {
                if mode.is_json() {
                    output::json(&serde_json::json!({ "intact": false, "first_bad": broken }));
                } else {
                    output::note(format!(
                        "keyrack: the audit log was tampered with or damaged at {broken}"
                    ));
                }
                Ok(exit::FAILED)
            }
        };
    }
    // An account that no longer exists is still in the log: match its name or id as given.
    let account_id = args.account.as_ref().map(|name| {
        source
            .find(name)
            .map(|a| a.id)
            .unwrap_or_else(|_| name.clone())
    });
    let entries = log.read(&AuditFilter {
        since: args.since,
        account_id,
        key_id: args.key.clone(),
        action: args.action,
        ..AuditFilter::default()
    })?;
    if mode.is_json() {
        output::json(&entries);
    } else if entries.is_empty() {
        output::note("No audit entries.");
    } else {
        let rows = entries.iter().map(row).collect();
        output::rows(
            mode,
            &[
                "TIME", "USER", "ACTION", "ACCOUNT", "KEY", "OUTCOME", "DETAIL",
            ],
            rows,
        );
    }
    Ok(exit::OK)
}

fn row(e: &AuditEntry) -> Vec<String> {
    let action = serde_json::to_value(e.action)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', "-")))
        .unwrap_or_default();
    let key = match (&e.key_name, &e.key_id) {
        (Some(name), Some(id)) if name != id => format!("{name} ({id})"),
        (_, Some(id)) => id.clone(),
        (Some(name), None) => name.clone(),
        (None, None) => String::new(),
    };
    let outcome = match &e.outcome {
        AuditOutcome::Ok => "ok".to_string(),
        AuditOutcome::Failed { message, .. } => format!("failed: {message}"),
    };
    vec![
        e.time.format("%Y-%m-%d %H:%M:%S").to_string(),
        e.user.clone(),
        action,
        e.account_name.clone().unwrap_or_default(),
        key,
        outcome,
        e.detail.clone().unwrap_or_default(),
    ]
}
