//! Vendor accounts: list, add (tested first unless told not to), change, remove, test, and
//! import the ones the vendors' own tools already use on this computer.

use keyrack_core::accounts::discover::{self, Scope};
use keyrack_core::accounts::{
    AccountChanges, AccountDraft, ConnectionTest, Findings, ImportOutcome, Imported,
};
use keyrack_core::error::Error;
use keyrack_core::model::{Account, Credential, Identity};
use tauri::{AppHandle, Runtime, State};

use crate::dto::{AccountChangesInput, AccountInput};
use crate::error::{public, IpcResult};
use crate::events;
use crate::state::AppState;

fn test_mode(skip: Option<bool>) -> ConnectionTest {
    if skip.unwrap_or(false) {
        ConnectionTest::Skip
    } else {
        ConnectionTest::Run
    }
}

fn draft_and_credential(input: AccountInput) -> (AccountDraft, Credential, ConnectionTest) {
    let test = test_mode(input.skip_test);
    let draft = AccountDraft {
        name: input.name,
        vendor: input.vendor,
        settings: input.settings.unwrap_or_default(),
    };
    let credential = Credential {
        secret: input.secret,
        passphrase: input.passphrase.filter(|p| !p.is_empty()),
    };
    (draft, credential, test)
}

#[tauri::command]
pub fn accounts_list(state: State<'_, AppState>) -> Vec<Account> {
    state.registry().list_accounts()
}

#[tauri::command]
pub async fn account_add<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    input: AccountInput,
) -> IpcResult<Account> {
    let (draft, credential, test) = draft_and_credential(input);
    let saved = state
        .registry()
        .add_account(draft, credential, test)
        .await
        .map_err(public)?;
    events::accounts_changed(&app);
    Ok(saved.account)
}

#[tauri::command]
pub async fn account_update<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
    input: AccountChangesInput,
) -> IpcResult<Account> {
    let passphrase = input.passphrase.filter(|p| !p.is_empty());
    let credential = match (input.secret, passphrase) {
        (Some(secret), passphrase) => Some(Credential { secret, passphrase }),
        (None, Some(_)) => {
            return Err(public(Error::validation(
                "secret",
                "enter the private key again to change its passphrase",
            )))
        }
        (None, None) => None,
    };
    let changes = AccountChanges {
        name: input.name,
        settings: input.settings,
    };
    let saved = state
        .registry()
        .update_account(&id, changes, credential, test_mode(input.skip_test))
        .await
        .map_err(public)?;
    events::accounts_changed(&app);
    Ok(saved.account)
}

#[tauri::command]
pub async fn account_remove<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
) -> IpcResult<()> {
    state.registry().remove_account(&id).await.map_err(public)?;
    state.prune_cache();
    events::accounts_changed(&app);
    Ok(())
}

#[tauri::command]
pub async fn account_test(state: State<'_, AppState>, id: String) -> IpcResult<Identity> {
    state.registry().test_account(&id).await.map_err(public)
}

/// Test an account before saving it (`skipTest` is ignored).
#[tauri::command]
pub async fn account_test_new(
    state: State<'_, AppState>,
    input: AccountInput,
) -> IpcResult<Identity> {
    let (draft, credential, _) = draft_and_credential(input);
    state
        .registry()
        .test_draft(&draft, credential)
        .await
        .map_err(public)
}

/// Accounts the vendors' own tools already use here (their config files, their variables),
/// each named by an opaque handle; no credential crosses.
#[tauri::command]
pub async fn accounts_found(state: State<'_, AppState>) -> IpcResult<Findings> {
    let found = discover::discover(&state.discovery_env(), Scope::All, None);
    Ok(state.registry().findings(&found).await)
}

/// Import the find with this handle: read afresh, tested, then saved (the credential goes
/// from its file to the keychain without crossing IPC).
#[tauri::command]
pub async fn account_import<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    handle: String,
) -> IpcResult<Imported> {
    let found = discover::find_by_handle(&state.discovery_env(), &handle).map_err(public)?;
    let imported = state.registry().import(found).await;
    if matches!(imported.outcome, ImportOutcome::Added { .. }) {
        events::accounts_changed(&app);
    }
    Ok(imported)
}
