//! `keyrack keys update | lock | unlock | disable | enable | delete`: one key of one account.

use std::sync::Arc;

use keyrack_core::{Account, KeyUpdate, Owner, Result, Vendor};
use serde::Serialize;

use crate::cli::{DeleteArgs, KeyRef, UpdateArgs};
use crate::exit;
use crate::input;
use crate::output::{self, KeyJson, Mode};
use crate::source::Source;

/// What a state change does.
#[derive(Debug, Clone, Copy)]
pub enum Toggle {
    Lock,
    Unlock,
    Disable,
    Enable,
}

async fn connect(source: &Source, key: &KeyRef) -> Result<(Account, Arc<dyn Vendor>)> {
    let account = source.find(&key.account)?;
    let vendor = source.vendor(&account).await?;
    Ok((account, vendor))
}

pub async fn update(args: UpdateArgs, source: &Source, mode: Mode) -> Result<u8> {
    let changes = KeyUpdate {
        name: args.name,
        description: args.description,
        scopes: (!args.scopes.is_empty()).then_some(args.scopes),
        project_id: args.project,
        expires_at: args.expires_at,
        clear_expiry: args.no_expiry,
        action_when_leaked: args.action_when_leaked,
        support_sessions: args.support_sessions,
        permissions: args.permissions.permissions(),
    };
    if changes == KeyUpdate::default() {
        return Err(keyrack_core::Error::validation(
            "update",
            "nothing to change: give --name, --description, --scope, --project, --expires-at, \
             --no-expiry, --action-when-leaked, --support-sessions, --permissions or --allow",
        ));
    }
    let account = source.find(&args.key.account)?;
    let record = source
        .registry
        .update_key(&account.id, &args.key.key_id, &changes)
        .await?;
    if !mode.is_json() {
        output::note(format!("Updated {}.", record.id));
    }
    output::key(mode, &record, &account.name);
    Ok(exit::OK)
}

pub async fn toggle(what: Toggle, key: KeyRef, source: &Source, mode: Mode) -> Result<u8> {
    let (account, vendor) = connect(source, &key).await?;
    let registry = &source.registry;
    let (id, key_id) = (account.id.as_str(), key.key_id.as_str());
    let (done, result) = match what {
        Toggle::Lock => ("Locked", registry.set_locked(id, key_id, true).await),
        Toggle::Unlock => ("Unlocked", registry.set_locked(id, key_id, false).await),
        Toggle::Disable => ("Disabled", registry.set_disabled(id, key_id, true).await),
        Toggle::Enable => ("Enabled", registry.set_disabled(id, key_id, false).await),
    };
    result?;
    // The key as it is now, so the output shows the new state.
    let record = vendor.get(&key.key_id).await?;
    if !mode.is_json() {
        output::note(format!("{done} {}.", record.id));
    }
    output::key(mode, &record, &account.name);
    Ok(exit::OK)
}

#[derive(Serialize)]
struct DeletedJson<'a> {
    deleted: KeyJson<'a>,
    /// An owner the deletion left without keys (OpenAI service account).
    owner_without_keys: Option<&'a Owner>,
    owner_deleted: bool,
}

pub async fn delete(args: DeleteArgs, source: &Source, mode: Mode) -> Result<u8> {
    // Refuse before any request when there is no one to ask.
    if !args.yes {
        input::require_terminal("--yes")?;
    }
    let (account, vendor) = connect(source, &args.key).await?;
    let record = vendor.get(&args.key.key_id).await?;
    if !args.yes {
        let question = format!(
            "Delete {} {} {} of account `{}`? This cannot be undone.",
            account.vendor.display_name(),
            vendor.capabilities().key_noun,
            output::key_label(&record),
            account.name
        );
        if !input::confirm(&question, "--yes")? {
            output::note("Not deleted.");
            return Ok(exit::FAILED);
        }
    }
    let outcome = source.registry.delete_key(&account.id, &record.id).await?;
    let empty_owner = outcome.owner_without_keys.as_ref();
    let mut owner_deleted = false;
    if let Some(owner) = empty_owner {
        if args.delete_empty_owner {
            source.registry.delete_owner(&account.id, owner).await?;
            owner_deleted = true;
        }
    }
    if mode.is_json() {
        output::json(&DeletedJson {
            deleted: KeyJson::new(&record, &account.name),
            owner_without_keys: empty_owner,
            owner_deleted,
        });
        return Ok(exit::OK);
    }
    output::line(format!("Deleted {}.", output::key_label(&record)));
    if let Some(owner) = empty_owner {
        let who = owner.name.as_deref().unwrap_or(&owner.id);
        if owner_deleted {
            output::line(format!(
                "Deleted {who} ({}), which had no keys left.",
                owner.id
            ));
        } else {
            output::note(format!(
                "{who} ({}) has no keys left; delete it in the vendor's console (or pass \
                 --delete-empty-owner when deleting an owner's last key).",
                owner.id
            ));
        }
    }
    Ok(exit::OK)
}
