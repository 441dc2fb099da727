//! `keyrack accounts import`: the accounts the vendors' own tools already use on this
//! computer, each added after its connection test (see `keyrack_core::accounts::discover`).

use keyrack_core::accounts::discover::{self, Env, Scope, UnreadableInfo};
use keyrack_core::accounts::{Candidate, ImportOutcome, Imported};
use keyrack_core::Result;
use serde::Serialize;

use crate::cli::ImportArgs;
use crate::exit;
use crate::input;
use crate::output::{self, Mode};
use crate::source::Source;

#[derive(Serialize)]
struct Report<'a> {
    imported: &'a [Imported],
    unreadable: &'a [UnreadableInfo],
}

pub async fn run(source: &Source, mode: Mode, args: ImportArgs) -> Result<u8> {
    source.require_saved("`accounts import`")?;
    let scope = match &args.from {
        Some(from) => from.parse::<Scope>()?,
        None => Scope::All,
    };
    let found = discover::discover(&Env::from_process(), scope, args.profile.as_deref());
    let findings = source.registry.findings(&found).await;
    let bad_sources = if findings.unreadable.is_empty() {
        exit::OK
    } else {
        exit::FAILED
    };

    if !args.yes {
        if mode.is_json() {
            output::json(&findings);
            return Ok(bad_sources);
        }
        list(mode, &findings.found, &findings.unreadable);
        let new = findings
            .found
            .iter()
            .filter(|c| c.existing.is_none())
            .count();
        if new == 0 {
            return Ok(bad_sources);
        }
        let question = format!(
            "Test and add {new} account{}?",
            if new == 1 { "" } else { "s" }
        );
        if !input::confirm(&question, "--yes")? {
            output::note("Nothing imported.");
            return Ok(bad_sources);
        }
    } else if !mode.is_json() {
        for u in &findings.unreadable {
            output::note(format!("could not read {}: {}", u.source, u.error.message));
        }
    }

    let mut imported = Vec::new();
    for f in found.found {
        let result = source.registry.import(f).await;
        if !mode.is_json() {
            output::line(outcome_line(&result));
        }
        imported.push(result);
    }
    if mode.is_json() {
        output::json(&Report {
            imported: &imported,
            unreadable: &findings.unreadable,
        });
    } else if imported.is_empty() {
        output::note("Found no accounts to import.");
    }
    let failed = imported
        .iter()
        .any(|i| matches!(i.outcome, ImportOutcome::Failed { .. }));
    Ok(if failed { exit::FAILED } else { bad_sources })
}

fn list(mode: Mode, candidates: &[Candidate], unreadable: &[UnreadableInfo]) {
    for u in unreadable {
        output::note(format!("could not read {}: {}", u.source, u.error.message));
    }
    if candidates.is_empty() {
        output::note("Found no accounts to import.");
        return;
    }
    let rows = candidates
        .iter()
        .map(|c| {
            vec![
                c.found.source.clone(),
                c.found.vendor.to_string(),
                c.found.name.clone(),
                match &c.existing {
                    Some(a) => format!("already added as `{}`", a.name),
                    None => "new".into(),
                },
            ]
        })
        .collect();
    output::rows(mode, &["FOUND IN", "VENDOR", "NAME", "STATE"], rows);
}

fn outcome_line(imported: &Imported) -> String {
    let from = &imported.found.source;
    match &imported.outcome {
        ImportOutcome::Added { saved } => {
            let who = saved
                .identity
                .as_ref()
                .map(|i| format!(" — {}", i.display))
                .unwrap_or_default();
            format!("{from}: added as `{}`{who}", saved.account.name)
        }
        ImportOutcome::AlreadyPresent { account } => {
            format!("{from}: already present as `{}`", account.name)
        }
        ImportOutcome::Failed { error } => format!("{from}: failed — {}", error.message),
    }
}
