//! `keyrack keys list`: every chosen account at once through the core inventory. A failing
//! account is reported on stderr (and as an entry of `errors` in JSON) while the others print;
//! the exit code then says what went wrong with the first failing account.

use std::io::{IsTerminal, Write};

use keyrack_core::error::PublicError;
use keyrack_core::inventory::{self, Progress};
use keyrack_core::{Account, Result, VendorId};
use serde::Serialize;

use crate::cli::ListArgs;
use crate::exit;
use crate::output::{self, KeyJson, Mode};
use crate::source::Source;

#[derive(Serialize)]
struct ListJson<'a> {
    keys: Vec<KeyJson<'a>>,
    errors: Vec<ErrorJson<'a>>,
}

#[derive(Serialize)]
struct ErrorJson<'a> {
    account: &'a str,
    account_id: &'a str,
    vendor: VendorId,
    error: &'a PublicError,
}

pub async fn run(args: ListArgs, source: &Source, mode: Mode) -> Result<u8> {
    let chosen = choose(source, &args)?;
    if chosen.is_empty() {
        if mode.is_json() {
            output::json(&ListJson {
                keys: Vec::new(),
                errors: Vec::new(),
            });
        } else {
            output::note("No accounts to list.");
        }
        return Ok(exit::OK);
    }

    // In the order chosen; an account whose client cannot be built (keychain, settings) fails
    // on its own, like one the vendor refused.
    let progress = ProgressLine::new(!mode.is_json() && chosen.len() > 1);
    let options = keyrack_core::vendor::ListOptions {
        include_archived: args.include_archived,
    };
    let listings =
        inventory::list_accounts_with(&source.registry, chosen, &options, |p| progress.show(&p))
            .await;
    progress.clear();

    let mut keys = Vec::new();
    let mut errors = Vec::new();
    for listing in &listings {
        match &listing.result {
            Ok(records) => keys.extend(
                records
                    .iter()
                    .filter(|r| args.status.is_none_or(|s| r.status == s))
                    .filter(|r| {
                        args.owner_kind
                            .is_none_or(|k| r.owner.as_ref().is_some_and(|o| o.kind == k))
                    })
                    .map(|r| (r, listing.account_name.as_str())),
            ),
            Err(e) => errors.push(ErrorJson {
                account: &listing.account_name,
                account_id: &listing.account_id,
                vendor: listing.vendor,
                error: e,
            }),
        }
    }

    // What a vendor said besides the keys (e.g. it could list only part of the account).
    for listing in &listings {
        for notice in &listing.notices {
            output::note(format!(
                "keyrack: account `{}`: {notice}",
                listing.account_name
            ));
        }
    }
    for e in &errors {
        if mode.is_json() {
            // The error with the account it concerns, one line per failing account.
            output::note(serde_json::to_string(e).expect("errors serialize"));
        } else {
            exit::report_public(e.error, false, Some(&format!("account `{}`", e.account)));
        }
    }
    let code = errors
        .first()
        .map(|e| exit::code_for(e.error.code))
        .unwrap_or(exit::OK);
    if mode.is_json() {
        output::json(&ListJson {
            keys: keys.iter().map(|(r, a)| KeyJson::new(r, a)).collect(),
            errors,
        });
    } else if keys.is_empty() {
        output::note("No keys.");
    } else {
        output::keys(mode, &keys);
    }
    Ok(code)
}

/// The accounts the filters select, in the registry's order.
fn choose(source: &Source, args: &ListArgs) -> Result<Vec<Account>> {
    let mut chosen: Vec<Account> = if args.account.is_empty() {
        source.accounts()
    } else {
        let mut picked: Vec<Account> = Vec::new();
        for name in &args.account {
            let account = source.find(name)?;
            if !picked.iter().any(|a| a.id == account.id) {
                picked.push(account);
            }
        }
        picked
    };
    if let Some(vendor) = args.vendor {
        chosen.retain(|a| a.vendor == vendor);
    }
    Ok(chosen)
}

/// "Listing accounts… 3/7" on stderr while a listing runs, only on a terminal.
struct ProgressLine {
    enabled: bool,
}

impl ProgressLine {
    fn new(wanted: bool) -> Self {
        ProgressLine {
            enabled: wanted && std::io::stderr().is_terminal(),
        }
    }

    fn show(&self, p: &Progress) {
        if self.enabled {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\rListing accounts… {}/{}", p.done, p.total);
            let _ = err.flush();
        }
    }

    fn clear(&self) {
        if self.enabled {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}
