//! `keyrack keys rotate` and `keyrack keys rotations`: the core's rotation, with each step's
//! progress on stderr and the final report. Without --out or --update-file the new secret is
//! printed on stdout once — also when a later step fails, since the new key then exists and
//! its secret would otherwise be lost with this process.

use keyrack_core::export::ExportFormat;
use keyrack_core::reveal::RevealStore;
use keyrack_core::rotation::{self, Delivery, Retire, RotateOptions, Rotation, RotationReport};
use keyrack_core::{Error, Result};
use serde::Serialize;

use crate::cli::{FormatChoice, RotateArgs};
use crate::exit;
use crate::input;
use crate::output::{self, Mode};
use crate::source::Source;

#[derive(Serialize)]
struct ReportJson<'a> {
    #[serde(flatten)]
    report: &'a RotationReport,
    /// The account's name (what `--account` takes).
    account: Option<String>,
    /// Only when the secret went nowhere else: the secret is the output.
    #[serde(skip_serializing_if = "Option::is_none")]
    new_secret: Option<&'a str>,
}

pub async fn run(args: RotateArgs, source: &Source, mode: Mode) -> Result<u8> {
    // Refuse before any request when there is no one to ask.
    if !args.yes {
        input::require_terminal("--yes")?;
    }
    let reveal = RevealStore::new();
    let rotation = Rotation::new(&source.registry, &reveal).on_progress(|step, what| {
        output::note(format!("[{step}] {what}"));
    });
    let report = if let Some(id) = &args.resume {
        confirm(&args, &format!("Resume rotation {id}?"))?;
        rotation.resume(id).await?
    } else if let Some(id) = &args.undo {
        confirm(
            &args,
            &format!("Undo rotation {id}: put an updated file back and delete the new key?"),
        )?;
        rotation.undo(id).await?
    } else {
        let account = source.find(args.account.as_deref().unwrap_or_default())?;
        let key_id = args.key_id.clone().unwrap_or_default();
        let options = options(&args)?;
        let plan = rotation::plan(&source.registry, &account.id, &key_id, &options).await?;
        let caps = account.vendor.descriptor().capabilities();
        output::note(format!(
            "Plan: replace {} {} {} of `{}` with a new one{}{}; then {} the old key{}.",
            caps.vendor_name,
            caps.key_noun,
            output::key_label(&plan.old),
            account.name,
            plan.spec
                .name
                .as_ref()
                .map(|n| format!(" named {n}"))
                .unwrap_or_default(),
            plan.delivery
                .as_ref()
                .map(|d| match d {
                    Delivery::Out { path, .. } => format!(", written to {}", path.display()),
                    Delivery::UpdateFile { path } =>
                        format!(", replacing it in {}", path.display()),
                })
                .unwrap_or_default(),
            plan.retire.label(),
            plan.grace_until
                .map(|t| format!(" (kept until {})", t.format("%Y-%m-%d %H:%M UTC")))
                .unwrap_or_default()
        ));
        confirm(&args, "Rotate?")?;
        rotation.run(plan).await
    };
    finish(&report, &reveal, source, mode)
}

fn confirm(args: &RotateArgs, question: &str) -> Result<()> {
    if args.yes || input::confirm(question, "--yes")? {
        return Ok(());
    }
    Err(Error::validation("yes", "not confirmed; nothing was done"))
}

fn options(args: &RotateArgs) -> Result<RotateOptions> {
    let retire = match (args.then.as_deref(), args.grace) {
        (Some("delete"), _) | (None, None) => Retire::Delete,
        (Some("disable"), _) => Retire::Disable,
        _ => Retire::Keep,
    };
    let delivery = match (&args.out, &args.update_file) {
        (Some(path), _) => Some(Delivery::Out {
            path: path.clone(),
            format: match &args.format {
                None | Some(FormatChoice::Native) => None,
                Some(FormatChoice::Named(name)) => Some(ExportFormat::from(name.as_str())),
            },
        }),
        (None, Some(path)) => Some(Delivery::UpdateFile {
            path: std::path::absolute(path)
                .map_err(|e| Error::io(&format!("bad path {}", path.display()), e))?,
        }),
        (None, None) => None,
    };
    Ok(RotateOptions {
        name: args.name.clone(),
        delivery,
        retire,
        grace_until: args.grace.map(|g| chrono::Utc::now() + g),
    })
}

/// Print the report (and the secret, when it went nowhere else); the exit code follows the
/// failed step's error.
fn finish(
    report: &RotationReport,
    reveal: &RevealStore,
    source: &Source,
    mode: Mode,
) -> Result<u8> {
    let secret = match (&report.secret, &report.delivered) {
        (Some(held), None) => reveal
            .with_secret(&held.handle, |_, s, _| Ok(s.clone()))
            .ok(),
        _ => None,
    };
    let account = source
        .registry
        .account(&report.account_id)
        .ok()
        .map(|a| a.name);
    if mode.is_json() {
        output::json(&ReportJson {
            report,
            account,
            new_secret: secret.as_ref().map(|s| s.expose().as_str()),
        });
    } else {
        output::note(&report.summary);
        if let Some(secret) = &secret {
            output::note("The new secret below is shown only this once:");
            output::line(secret.expose());
        }
        if report.journal_left && report.failure.is_some() {
            output::note(format!(
                "Resume with `keyrack keys rotate --resume {0}`, or undo with `keyrack keys \
                 rotate --undo {0}`.",
                report.id
            ));
        }
    }
    if secret.is_some() {
        if let Some(held) = &report.secret {
            source.registry.audit(
                keyrack_core::audit::AuditEntry::new(
                    keyrack_core::audit::AuditAction::SecretReveal,
                )
                .key(&held.record)
                .detail(format!(
                    "printed on stdout by keyrack keys rotate ({})",
                    report.id
                )),
            );
        }
    }
    Ok(match &report.failure {
        None => exit::OK,
        Some(f) => exit::code_for(f.code),
    })
}

/// `keyrack keys rotations`: the journals left behind.
pub fn list(source: &Source, mode: Mode) -> Result<u8> {
    let journals = rotation::Journals::new(&source.registry.paths().data_dir).list()?;
    if mode.is_json() {
        output::json(&journals);
        return Ok(exit::OK);
    }
    if journals.is_empty() {
        output::note("No rotation is left to resume or undo.");
        return Ok(exit::OK);
    }
    let name = |id: &str| {
        source
            .registry
            .account(id)
            .map(|a| a.name)
            .unwrap_or_else(|_| id.to_string())
    };
    let rows = journals
        .iter()
        .map(|j| {
            let state = match (&j.failure, j.grace_until) {
                (Some(f), _) => format!("stopped at {}: {}", f.step, f.message),
                (None, Some(t)) if j.step == rotation::Step::Done => {
                    format!("old key kept until {}", t.format("%Y-%m-%d"))
                }
                (None, _) => format!("interrupted at {}", j.step),
            };
            vec![
                j.id.clone(),
                name(&j.account_id),
                j.old.id.clone(),
                j.new_key_id.clone().unwrap_or_default(),
                state,
                j.started_at.format("%Y-%m-%d %H:%M").to_string(),
            ]
        })
        .collect();
    output::rows(
        mode,
        &["ID", "ACCOUNT", "OLD KEY", "NEW KEY", "STATE", "STARTED"],
        rows,
    );
    Ok(exit::OK)
}
