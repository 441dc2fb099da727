//! `keyrack accounts list | test | add | remove | import`.

use keyrack_core::accounts::{AccountDraft, ConnectionTest};
use keyrack_core::{AccountSettings, Credential, Result, VendorId};
use serde::Serialize;

use crate::cli::{AccountsCmd, AddAccountArgs};
use crate::exit;
use crate::input;
use crate::output::{self, Mode};
use crate::source::Source;

pub async fn run(cmd: AccountsCmd, source: &Source, mode: Mode) -> Result<u8> {
    match cmd {
        AccountsCmd::List => list(source, mode),
        AccountsCmd::Test { name } => test(source, mode, &name).await,
        AccountsCmd::Add(args) => add(source, mode, *args).await,
        AccountsCmd::Remove { name } => remove(source, mode, &name).await,
        AccountsCmd::Import(args) => super::accounts_import::run(source, mode, args).await,
    }
}

fn list(source: &Source, mode: Mode) -> Result<u8> {
    let accounts = source.accounts();
    if mode.is_json() {
        output::json(&accounts);
        return Ok(exit::OK);
    }
    if accounts.is_empty() {
        output::note("No accounts. Add one with `keyrack accounts add VENDOR --name NAME`.");
        return Ok(exit::OK);
    }
    let rows = accounts
        .iter()
        .map(|a| {
            vec![
                a.name.clone(),
                a.vendor.to_string(),
                a.id.clone(),
                output::account_source(a, source.session).to_string(),
                a.settings
                    .base_url
                    .clone()
                    .unwrap_or_else(|| "(vendor default)".into()),
            ]
        })
        .collect();
    output::rows(mode, &["NAME", "VENDOR", "ID", "SOURCE", "ENDPOINT"], rows);
    Ok(exit::OK)
}

#[derive(Serialize)]
struct Tested<'a> {
    account: &'a str,
    account_id: &'a str,
    vendor: VendorId,
    identity: &'a keyrack_core::Identity,
}

async fn test(source: &Source, mode: Mode, name: &str) -> Result<u8> {
    let account = source.find(name)?;
    let identity = source.registry.test_account(&account.id).await?;
    if mode.is_json() {
        output::json(&Tested {
            account: &account.name,
            account_id: &account.id,
            vendor: account.vendor,
            identity: &identity,
        });
    } else {
        output::line(format!("{}: OK — {}", account.name, identity.display));
        for warning in &identity.warnings {
            output::note(format!("warning: {warning}"));
        }
    }
    Ok(exit::OK)
}

async fn add(source: &Source, mode: Mode, args: AddAccountArgs) -> Result<u8> {
    source.require_saved("`accounts add`")?;
    let credential = read_credential(&args)?;
    let draft = AccountDraft {
        name: args.name,
        vendor: args.vendor,
        settings: AccountSettings {
            base_url: args.base_url,
            iam_url: args.iam_url,
            account_id: args.account_id,
            iam_id: args.iam_id,
            organization_id: args.organization_id,
            project_id: args.project_id,
            access_key: args.access_key,
            tenancy: args.tenancy,
            user: args.user,
            region: args.region,
            fingerprint: args.fingerprint,
        },
    };
    let saved = source
        .registry
        .add_account(draft, credential, ConnectionTest::Run)
        .await?;
    if mode.is_json() {
        output::json(&saved);
    } else {
        let who = saved
            .identity
            .as_ref()
            .map(|i| format!(" — {}", i.display))
            .unwrap_or_default();
        output::line(format!(
            "Added {} account `{}` (id {}){who}",
            saved.account.vendor.display_name(),
            saved.account.name,
            saved.account.id
        ));
        for warning in saved.identity.iter().flat_map(|i| &i.warnings) {
            output::note(format!("warning: {warning}"));
        }
    }
    Ok(exit::OK)
}

/// The account's secret from stdin or the terminal, and an OCI key's passphrase.
fn read_credential(args: &AddAccountArgs) -> Result<Credential> {
    let vendor = args.vendor.descriptor();
    let field = vendor.credential_field();
    // A multi-line credential (a PEM) is read from stdin, never typed at a prompt.
    let prompt = if field.multiline {
        String::new()
    } else {
        format!("{} {}: ", vendor.name, lowercase_word(field.label))
    };
    let multi_line = field.multiline;
    let hint = format!(
        "`keyrack accounts add {} --name … < private-key.pem`",
        args.vendor
    );
    let mut credential = Credential::new(input::secret(&prompt, multi_line, &hint)?);
    if let Some(var) = &args.passphrase_env {
        let value = std::env::var(var).map_err(|_| {
            keyrack_core::Error::validation(
                "passphrase_env",
                format!("the environment variable {var} is not set"),
            )
        })?;
        credential.passphrase = Some(value.into());
    } else if args.ask_passphrase {
        credential.passphrase = Some(input::passphrase_prompt("Private key passphrase: ")?);
    }
    Ok(credential)
}

/// "Secret key" → "secret key", but "API key" stays: a label's first word in running text.
fn lowercase_word(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if second.is_lowercase() => {
            first.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_string(),
    }
}

async fn remove(source: &Source, mode: Mode, name: &str) -> Result<u8> {
    source.require_saved("`accounts remove`")?;
    let account = source.find(name)?;
    source.registry.remove_account(&account.id).await?;
    if mode.is_json() {
        output::json(&serde_json::json!({ "removed": account }));
    } else {
        output::line(format!(
            "Removed account `{}` and its keychain entry.",
            account.name
        ));
    }
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::lowercase_word;

    #[test]
    fn a_label_reads_as_running_text_unless_it_starts_with_an_acronym() {
        assert_eq!(lowercase_word("Secret key"), "secret key");
        assert_eq!(lowercase_word("Admin key"), "admin key");
        assert_eq!(lowercase_word("API key"), "API key");
        assert_eq!(lowercase_word("X"), "X");
    }
}
