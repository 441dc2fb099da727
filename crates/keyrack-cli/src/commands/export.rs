//! `keyrack export terraform|csv|json`: the chosen accounts listed at once through the core
//! inventory, then written by the core's exports (`export::terraform`, `export::table`) — on
//! stdout, to one file, or (Terraform) one file per account. A failing account is reported on
//! stderr, like `keys list`, and the others are still exported; the exit code then says what
//! went wrong with the first failing account. No secret is written: listed keys hold none.

use std::io::Write;
use std::path::{Path, PathBuf};

use keyrack_core::error::PublicError;
use keyrack_core::export::{table, terraform, AccountKeys};
use keyrack_core::fsutil::{self, Overwrite};
use keyrack_core::inventory::{self, AccountListing};
use keyrack_core::{Account, Error, Result, VendorId};
use serde::Serialize;

use crate::cli::{ExportCmd, ExportScope};
use crate::exit;
use crate::output::{self, Mode};
use crate::source::Source;

#[derive(Debug, Clone, Copy)]
enum Format {
    Terraform,
    Csv,
    Json,
}

enum Destination {
    Stdout,
    File(PathBuf),
    /// Terraform only: `<dir>/<account>/main.tf` for each account.
    Dir(PathBuf),
}

/// A file to write: where, its text, and what it holds.
struct Output {
    path: PathBuf,
    text: String,
    accounts: Vec<String>,
    keys: usize,
}

#[derive(Serialize)]
struct ErrorJson<'a> {
    account: &'a str,
    account_id: &'a str,
    vendor: VendorId,
    error: &'a PublicError,
}

#[derive(Serialize)]
struct FileJson<'a> {
    path: String,
    accounts: &'a [String],
    keys: usize,
}

#[derive(Serialize)]
struct WrittenJson<'a> {
    files: Vec<FileJson<'a>>,
    errors: Vec<ErrorJson<'a>>,
}

pub async fn run(cmd: ExportCmd, source: &Source, mode: Mode) -> Result<u8> {
    let (format, scope, destination, force) = match cmd {
        ExportCmd::Terraform(args) => {
            let destination = match (args.out, args.out_dir) {
                (_, Some(dir)) => Destination::Dir(dir),
                (Some(file), None) => Destination::File(file),
                (None, None) => Destination::Stdout,
            };
            (Format::Terraform, args.scope, destination, args.force)
        }
        ExportCmd::Csv(args) => (
            Format::Csv,
            args.scope,
            file_or_stdout(args.out),
            args.force,
        ),
        ExportCmd::Json(args) => (
            Format::Json,
            args.scope,
            file_or_stdout(args.out),
            args.force,
        ),
    };
    let overwrite = if force {
        Overwrite::Replace
    } else {
        Overwrite::Refuse
    };
    if let (Destination::File(path), Overwrite::Refuse) = (&destination, overwrite) {
        refuse_existing(path)?;
    }

    let chosen = choose(source, &scope)?;
    let listings = inventory::list_accounts(&source.registry, chosen, |_| {}).await;
    let errors = errors_of(&listings);
    for e in &errors {
        if mode.is_json() {
            output::note(serde_json::to_string(e).expect("errors serialize"));
        } else {
            exit::report_public(e.error, false, Some(&format!("account `{}`", e.account)));
        }
    }
    let code = errors
        .first()
        .map(|e| exit::code_for(e.error.code))
        .unwrap_or(exit::OK);
    let accounts = AccountKeys::from_listings(&listings);
    if accounts.is_empty() && !errors.is_empty() {
        // Every chosen account failed: there is nothing to write.
        return Ok(code);
    }

    let outputs = match destination {
        Destination::Stdout => {
            print(&render(format, &accounts))?;
            return Ok(code);
        }
        Destination::File(path) => vec![Output {
            path,
            text: render(format, &accounts),
            accounts: accounts.iter().map(|a| a.account_name.clone()).collect(),
            keys: accounts.iter().map(|a| a.keys.len()).sum(),
        }],
        Destination::Dir(dir) => terraform::render_per_account(&accounts)
            .into_iter()
            .map(|file| Output {
                path: dir.join(&file.path),
                text: file.text,
                accounts: vec![file.account_name],
                keys: file.keys,
            })
            .collect(),
    };
    if overwrite == Overwrite::Refuse {
        for out in &outputs {
            refuse_existing(&out.path)?;
        }
    }
    for out in &outputs {
        fsutil::write_private(&out.path, out.text.as_bytes(), overwrite)?;
    }

    if mode.is_json() {
        output::json(&WrittenJson {
            files: outputs
                .iter()
                .map(|o| FileJson {
                    path: o.path.display().to_string(),
                    accounts: &o.accounts,
                    keys: o.keys,
                })
                .collect(),
            errors,
        });
    } else {
        for out in &outputs {
            output::note(format!(
                "Wrote {} of {} to {}",
                count(out.keys, "key"),
                count(out.accounts.len(), "account"),
                out.path.display()
            ));
        }
    }
    Ok(code)
}

fn file_or_stdout(out: Option<PathBuf>) -> Destination {
    out.map_or(Destination::Stdout, Destination::File)
}

fn render(format: Format, accounts: &[AccountKeys]) -> String {
    match format {
        Format::Terraform => terraform::render(accounts),
        Format::Csv => table::csv(accounts),
        Format::Json => table::json(accounts),
    }
}

/// The accounts the filters select, in the registry's order (or the order named).
fn choose(source: &Source, scope: &ExportScope) -> Result<Vec<Account>> {
    let mut chosen: Vec<Account> = if scope.account.is_empty() {
        source.accounts()
    } else {
        let mut picked: Vec<Account> = Vec::new();
        for name in &scope.account {
            let account = source.find(name)?;
            if !picked.iter().any(|a| a.id == account.id) {
                picked.push(account);
            }
        }
        picked
    };
    if let Some(vendor) = scope.vendor {
        chosen.retain(|a| a.vendor == vendor);
    }
    Ok(chosen)
}

fn errors_of(listings: &[AccountListing]) -> Vec<ErrorJson<'_>> {
    listings
        .iter()
        .filter_map(|l| {
            l.error().map(|error| ErrorJson {
                account: &l.account_name,
                account_id: &l.account_id,
                vendor: l.vendor,
                error,
            })
        })
        .collect()
}

fn refuse_existing(path: &Path) -> Result<()> {
    if path.exists() {
        return Err(Error::validation(
            "out",
            format!(
                "{} already exists; pass --force to replace it",
                path.display()
            ),
        ));
    }
    Ok(())
}

/// The export on stdout, as it is (it ends with its own newline). A reader that has gone
/// (`keyrack export … | head`) ends keyrack quietly, as `keys list` does.
fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            std::process::exit(i32::from(exit::OK))
        }
        Err(e) => Err(Error::io("could not write the export to stdout", e)),
    }
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
