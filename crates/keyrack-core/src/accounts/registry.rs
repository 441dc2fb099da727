//! The account registry: the service behind the desktop commands and the CLI.
//!
//! Mutations (add, update, remove, preferences) are serialized by one async lock and follow the
//! same order: check the input, test the connection (unless told not to), write the keychain,
//! then the settings file — undoing the keychain write if the file cannot be written — and only
//! then change what the registry shows. A failure leaves everything as it was.
//!
//! Each account's client is built once and shared (an IBM client keeps its IAM token, an OCI
//! client its parsed key), until the account, its credential or the preferences change.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::record;
use crate::attention::KeyNote;
use crate::audit::{AuditAction, AuditEntry, AuditLog};
use crate::error::{Error, PublicError, Result};
use crate::http::{Http, HttpConfig};
use crate::model::{Account, AccountSettings, Credential, Identity, VendorId};
use crate::sandbox::{Launcher, Running};
use crate::settings::{self, FileState, Paths, Preferences, Settings};
use crate::vault::{self, Backend, CredentialStore};
use crate::vendor::{self, Vendor};

/// How a registry is set up.
pub struct Options {
    pub paths: Paths,
    pub store: Arc<dyn CredentialStore>,
    /// Default: `Http::new(HttpConfig::default())`.
    pub http: Option<Http>,
    /// Starts the sandbox while the `sandbox` preference is on (the desktop app passes the
    /// in-process emulator); `None`: no sandbox is started (the CLI attaches a manifest's
    /// accounts instead, see `attach_accounts`).
    pub sandbox: Option<Arc<dyn Launcher>>,
}

impl Options {
    /// The platform directories (or `KEYRACK_CONFIG_DIR` / `KEYRACK_DATA_DIR`) and the OS
    /// keychain; no sandbox.
    pub fn from_env() -> Result<Options> {
        Ok(Options {
            paths: Paths::from_env()?,
            store: vault::default_store(),
            http: None,
            sandbox: None,
        })
    }
}

/// A new account as the user entered it (the credential travels separately).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AccountDraft {
    pub name: String,
    pub vendor: VendorId,
    #[serde(default)]
    pub settings: AccountSettings,
}

/// Changes to an account; `None` = keep. The vendor of an account cannot change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AccountChanges {
    pub name: Option<String>,
    pub settings: Option<AccountSettings>,
}

/// Whether to call the vendor before saving. The client is always built (which checks the
/// settings and the credential's shape locally); `Skip` only leaves out the network call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionTest {
    Run,
    Skip,
}

/// A saved account, and who the vendor said the credential is (when the test ran).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Saved {
    pub account: Account,
    pub identity: Option<Identity>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProblemArea {
    /// The settings file could not be used; defaults are in effect.
    Settings,
    /// The sandbox could not start.
    Sandbox,
}

/// Something wrong at startup that the app works around and the user should hear about.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Problem {
    pub area: ProblemArea,
    pub error: PublicError,
}

/// Where an account's credential lives.
enum Origin {
    /// Settings file + keychain.
    Saved,
    /// Memory only: the sandbox, an attached manifest or accounts file.
    Session,
}

/// A session account's credential, or why it could not be read (it then fails on its own
/// whenever it is used, and the others work).
type SessionCredential = std::result::Result<Credential, Arc<Error>>;

struct State {
    settings: Settings,
    file_state: FileState,
    /// Accounts that live for this run only, with their credentials.
    session: Vec<(Account, SessionCredential)>,
    /// Credentials of saved accounts read from (or written to) the keychain this run.
    cache: HashMap<String, Credential>,
    /// Each account's client, built on first use and shared.
    clients: HashMap<String, Arc<OnceCell<Arc<dyn Vendor>>>>,
    problems: Vec<Problem>,
}

impl State {
    fn find(&self, id: &str) -> Option<(Account, Origin)> {
        if let Some(a) = self.settings.accounts.iter().find(|a| a.id == id) {
            return Some((a.clone(), Origin::Saved));
        }
        self.session
            .iter()
            .find(|(a, _)| a.id == id)
            .map(|(a, _)| (a.clone(), Origin::Session))
    }

    fn all(&self) -> impl Iterator<Item = &Account> {
        self.settings
            .accounts
            .iter()
            .chain(self.session.iter().map(|(a, _)| a))
    }
}

pub struct Registry {
    paths: Paths,
    audit: AuditLog,
    store: Arc<dyn CredentialStore>,
    http: Http,
    launcher: Option<Arc<dyn Launcher>>,
    state: Mutex<State>,
    /// Held for a whole mutation, so mutations happen one after another.
    writes: tokio::sync::Mutex<()>,
    /// The running sandbox, if any.
    sandbox: tokio::sync::Mutex<Option<Box<dyn Running>>>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.state();
        f.debug_struct("Registry")
            .field("settings_file", &self.paths.settings_file())
            .field("store", &self.store.backend())
            .field("accounts", &state.settings.accounts.len())
            .field("session_accounts", &state.session.len())
            .finish()
    }
}

impl Registry {
    /// Load the settings and start the sandbox. Problems with either are kept in `problems()`;
    /// only an HTTP client that cannot be built is an error.
    pub async fn open(opts: Options) -> Result<Registry> {
        let http = match opts.http {
            Some(h) => h,
            None => Http::new(HttpConfig::default())?,
        };
        let loaded = settings::load(&opts.paths.settings_file());
        let mut problems = Vec::new();
        if let Some(e) = &loaded.problem {
            problems.push(Problem {
                area: ProblemArea::Settings,
                error: e.to_public(),
            });
        }
        let want_sandbox = opts.sandbox.is_some() && loaded.settings.preferences.sandbox;
        let registry = Registry {
            audit: AuditLog::new(opts.paths.data_dir.join("audit")),
            paths: opts.paths,
            store: opts.store,
            http,
            launcher: opts.sandbox,
            state: Mutex::new(State {
                settings: loaded.settings,
                file_state: loaded.state,
                session: Vec::new(),
                cache: HashMap::new(),
                clients: HashMap::new(),
                problems,
            }),
            writes: tokio::sync::Mutex::new(()),
            sandbox: tokio::sync::Mutex::new(None),
        };
        if want_sandbox {
            let mut slot = registry.sandbox.lock().await;
            if let Err(e) = registry.start_sandbox_into(&mut slot).await {
                registry.state().problems.push(Problem {
                    area: ProblemArea::Sandbox,
                    error: e.to_public(),
                });
            }
        }
        tracing::info!(
            settings = %registry.paths.settings_file().display(),
            accounts = registry.state().settings.accounts.len(),
            "account registry open"
        );
        Ok(registry)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    pub fn http(&self) -> &Http {
        &self.http
    }

    /// Which credential store is in use (diagnostics; tests).
    pub fn store_backend(&self) -> Backend {
        self.store.backend()
    }

    /// The audit log, for reading and verifying it.
    pub fn audit_log(&self) -> &AuditLog {
        &self.audit
    }

    /// Record what was done. The action already happened: a log that cannot be written is
    /// logged as a warning, and does not fail the action.
    pub fn audit(&self, entry: AuditEntry) {
        if let Err(e) = self.audit.append(&entry) {
            tracing::warn!(error = %e, action = ?entry.action, "could not write the audit log");
        }
    }

    /// What went wrong at startup and was worked around.
    pub fn problems(&self) -> Vec<Problem> {
        self.state().problems.clone()
    }

    /// Whether the keychain can be used now; the error says what is wrong and how to fix it.
    pub async fn check_keychain(&self) -> Result<()> {
        self.store.probe().await
    }

    /// The sandbox's base URL while it runs.
    pub async fn sandbox_base_url(&self) -> Option<String> {
        self.sandbox
            .lock()
            .await
            .as_ref()
            .map(|s| s.base_url().to_string())
    }

    /// Every account: saved ones in file order, then sandbox and attached ones. No secrets.
    pub fn list_accounts(&self) -> Vec<Account> {
        self.state().all().cloned().collect()
    }

    pub fn account(&self, id: &str) -> Result<Account> {
        self.state()
            .find(id)
            .map(|(a, _)| a)
            .ok_or_else(|| not_found(id))
    }

    /// What the user said about single keys (snoozed, expected).
    pub fn key_notes(&self) -> Vec<KeyNote> {
        self.state().settings.key_notes.clone()
    }

    /// Snooze a key, mark it expected, or (with neither) forget what was said about it.
    pub async fn set_key_note(&self, note: KeyNote) -> Result<()> {
        if note
            .expected
            .as_deref()
            .is_some_and(|r| r.trim().is_empty())
        {
            return Err(Error::validation(
                "expected",
                "say why the key is expected as it is",
            ));
        }
        let _writes = self.writes.lock().await;
        let mut next = self.state().settings.clone();
        next.key_notes
            .retain(|n| !(n.account_id == note.account_id && n.key_id == note.key_id));
        if note.snoozed_until.is_some() || note.expected.is_some() {
            next.key_notes.push(note);
        }
        self.persist(next)
    }

    /// The files Keyrack saved or delivered this key's secret to, oldest first.
    pub fn key_places(&self, account_id: &str, key_id: &str) -> Vec<crate::places::KeyPlace> {
        self.state()
            .settings
            .key_places
            .iter()
            .filter(|p| p.account_id == account_id && p.key_id == key_id)
            .cloned()
            .collect()
    }

    /// Remember that a key's secret was written to a file (the path and what, never the
    /// secret), for its "Used in" and the files its rotation offers to update.
    /// `replaced`: the key the file held before (a rotation's old key), which it holds no more.
    pub async fn remember_place(
        &self,
        place: crate::places::KeyPlace,
        replaced: Option<&str>,
    ) -> Result<()> {
        let _writes = self.writes.lock().await;
        // Not a change the user asked for: an unusable settings file is left for them to fix
        // (a save would set it aside and start afresh).
        if self.state().file_state == FileState::Unusable {
            return Err(Error::config(
                "the settings file cannot be read, so where the key went is not remembered",
            ));
        }
        let mut next = self.state().settings.clone();
        if let Some(old) = replaced {
            next.key_places.retain(|p| {
                !(p.account_id == place.account_id && p.key_id == old && p.path == place.path)
            });
        }
        crate::places::remember(&mut next.key_places, place);
        self.persist(next)
    }

    pub fn preferences(&self) -> Preferences {
        self.state().settings.preferences.clone()
    }

    /// The account's client, with its credential (read from the keychain on first use). Built
    /// once and shared until the account, its credential or the preferences change; concurrent
    /// first calls share one build.
    pub async fn vendor(&self, id: &str) -> Result<Arc<dyn Vendor>> {
        let cell = {
            let mut state = self.state();
            if state.find(id).is_none() {
                return Err(not_found(id));
            }
            Arc::clone(state.clients.entry(id.to_string()).or_default())
        };
        let client = cell
            .get_or_try_init(|| async {
                let (account, credential) = self.account_and_credential(id).await?;
                tracing::debug!(account = %id, "building the account's client");
                vendor::connect(&account, credential, &self.http)
            })
            .await?;
        Ok(Arc::clone(client))
    }

    /// Forget every built client: the next call builds anew from the current settings.
    fn forget_clients(&self) {
        self.state().clients.clear();
    }

    /// Test a saved account's connection: who the credential is, and what it lacks.
    pub async fn test_account(&self, id: &str) -> Result<Identity> {
        self.vendor(id).await?.verify().await
    }

    /// Test an account before it exists ("Test connection" in the add form).
    pub async fn test_draft(
        &self,
        draft: &AccountDraft,
        credential: Credential,
    ) -> Result<Identity> {
        let mut account = Account {
            id: "draft".into(),
            name: record::check_name(&draft.name)?,
            vendor: draft.vendor,
            sandbox: false,
            settings: record::check_settings(&draft.settings)?,
        };
        check_credential(&credential)?;
        complete(&mut account, &credential)?;
        vendor::connect(&account, credential, &self.http)?
            .verify()
            .await
    }

    /// Add an account: check it, test the connection (unless `Skip`), store the credential in
    /// the keychain and the settings in the file. Nothing is saved when any step fails.
    pub async fn add_account(
        &self,
        draft: AccountDraft,
        credential: Credential,
        test: ConnectionTest,
    ) -> Result<Saved> {
        self.add_account_noted(draft, credential, test, None).await
    }

    /// `add_account`, with `note` (e.g. where an imported account came from) in its audit entry.
    pub(super) async fn add_account_noted(
        &self,
        draft: AccountDraft,
        credential: Credential,
        test: ConnectionTest,
        note: Option<String>,
    ) -> Result<Saved> {
        let named = draft.name.clone();
        let vendor = draft.vendor;
        let result = self.add_account_unaudited(draft, credential, test).await;
        let mut entry = AuditEntry::new(AuditAction::AccountAdd).outcome(&result);
        entry.vendor = Some(vendor);
        entry.account_name = Some(named);
        if let Ok(saved) = &result {
            entry = entry.account(&saved.account);
        }
        if let Some(note) = note {
            entry = entry.detail(note);
        }
        self.audit(entry);
        result
    }

    /// The saved account that already uses this credential at the same place, or these exact
    /// settings. Settings are compared as saved (checked, and completed from the credential).
    /// The stored credential decides: for some vendors (IBM, OpenAI, Codefresh) the settings
    /// alone do not say which key it is, and the same key may be found twice with different
    /// extras (a Scaleway profile with its organization, the variables without). A credential
    /// the keychain cannot give back counts as the same only when every setting is.
    pub async fn same_account(
        &self,
        vendor: VendorId,
        settings: &AccountSettings,
        credential: &Credential,
    ) -> Option<Account> {
        let mut settings = record::check_settings(settings).ok()?;
        vendor
            .descriptor()
            .complete(&mut settings, credential)
            .ok()?;
        let candidates: Vec<(Account, bool)> = self
            .state()
            .settings
            .accounts
            .iter()
            .filter(|a| a.vendor == vendor)
            .filter_map(|a| {
                let same = a.settings == settings;
                let same_place = destination(&a.settings) == destination(&settings);
                (same || same_place).then(|| (a.clone(), same))
            })
            .collect();
        for (account, same_settings) in candidates {
            match self.account_and_credential(&account.id).await {
                Ok((_, stored)) if stored.secret == credential.secret => return Some(account),
                Ok(_) => continue,
                Err(_) if same_settings => return Some(account),
                Err(_) => continue,
            }
        }
        None
    }

    async fn add_account_unaudited(
        &self,
        draft: AccountDraft,
        credential: Credential,
        test: ConnectionTest,
    ) -> Result<Saved> {
        let mut account = Account {
            id: uuid::Uuid::new_v4().to_string(),
            name: record::check_name(&draft.name)?,
            vendor: draft.vendor,
            sandbox: false,
            settings: record::check_settings(&draft.settings)?,
        };
        check_credential(&credential)?;
        complete(&mut account, &credential)?;
        self.check_name_free(&account.name, None)?;
        let identity = self.try_connect(&account, &credential, test).await?;

        let _writes = self.writes.lock().await;
        self.check_name_free(&account.name, None)?;
        self.store.set(&account, &credential).await?;
        let mut next = self.state().settings.clone();
        next.accounts.push(account.clone());
        if let Err(e) = self.persist(next) {
            if let Err(undo) = self.store.delete(&account).await {
                tracing::warn!(account = %account.id, error = %undo, "could not undo keychain write");
            }
            return Err(e);
        }
        self.state().cache.insert(account.id.clone(), credential);
        tracing::info!(account = %account.id, name = %account.name, vendor = %account.vendor, "account added");
        Ok(Saved { account, identity })
    }

    /// Change a saved account's name or settings, and optionally its credential. When the
    /// connection could change (settings or credential), it is tested first unless `Skip`.
    pub async fn update_account(
        &self,
        id: &str,
        changes: AccountChanges,
        credential: Option<Credential>,
        test: ConnectionTest,
    ) -> Result<Saved> {
        let before = self.account(id).ok();
        let new_credential = credential.is_some();
        let result = self
            .update_account_unaudited(id, changes, credential, test)
            .await;
        let mut entry = AuditEntry::new(AuditAction::AccountUpdate).outcome(&result);
        if let Some(account) = result.as_ref().ok().map(|s| &s.account).or(before.as_ref()) {
            entry = entry.account(account);
        }
        if new_credential {
            entry = entry.detail("credential replaced");
        }
        self.audit(entry);
        result
    }

    async fn update_account_unaudited(
        &self,
        id: &str,
        changes: AccountChanges,
        credential: Option<Credential>,
        test: ConnectionTest,
    ) -> Result<Saved> {
        let current = self.saved_account(id)?;
        let mut updated = current.clone();
        if let Some(name) = &changes.name {
            updated.name = record::check_name(name)?;
            self.check_name_free(&updated.name, Some(id))?;
        }
        if let Some(settings) = &changes.settings {
            updated.settings = record::check_settings(settings)?;
        }
        if let Some(c) = &credential {
            check_credential(c)?;
        }
        let (was, now) = (
            destination(&current.settings),
            destination(&updated.settings),
        );
        if credential.is_none() && was != now {
            return Err(Error::validation(
                "secret",
                format!(
                    "the account now points at {now} instead of {was}: enter its credential \
                     again — a stored credential is only ever sent to the address it was \
                     entered for"
                ),
            ));
        }
        let connection_changed = credential.is_some() || updated.settings != current.settings;
        let identity = if connection_changed {
            let to_test = match &credential {
                Some(c) => c.clone(),
                None => self.account_and_credential(id).await?.1,
            };
            complete(&mut updated, &to_test)?;
            self.try_connect(&updated, &to_test, test).await?
        } else {
            None
        };

        let _writes = self.writes.lock().await;
        let previous = self.state().cache.get(id).cloned();
        if let Some(c) = &credential {
            self.store.set(&updated, c).await?;
        }
        let mut next = self.state().settings.clone();
        match next.accounts.iter_mut().find(|a| a.id == id) {
            Some(slot) => *slot = updated.clone(),
            None => return Err(not_found(id)),
        }
        if let Err(e) = self.persist(next) {
            if let (Some(_), Some(old)) = (&credential, &previous) {
                if let Err(undo) = self.store.set(&current, old).await {
                    tracing::warn!(account = %id, error = %undo, "could not undo keychain write");
                }
            }
            return Err(e);
        }
        if let Some(c) = credential {
            self.state().cache.insert(id.to_string(), c);
        }
        self.forget_clients();
        tracing::info!(account = %id, name = %updated.name, "account updated");
        Ok(Saved {
            account: updated,
            identity,
        })
    }

    /// Remove a saved account and its keychain entry. When the keychain cannot be reached the
    /// account stays (so its credential is not left behind unseen) and the error says why.
    pub async fn remove_account(&self, id: &str) -> Result<()> {
        let before = self.account(id).ok();
        let result = self.remove_account_unaudited(id).await;
        let mut entry = AuditEntry::new(AuditAction::AccountRemove).outcome(&result);
        if let Some(account) = &before {
            entry = entry.account(account);
        }
        self.audit(entry);
        result
    }

    async fn remove_account_unaudited(&self, id: &str) -> Result<()> {
        let account = self.saved_account(id)?;
        let _writes = self.writes.lock().await;
        self.store.delete(&account).await?;
        let mut next = self.state().settings.clone();
        next.accounts.retain(|a| a.id != id);
        self.persist(next)?;
        self.state().cache.remove(id);
        self.forget_clients();
        tracing::info!(account = %id, name = %account.name, "account removed");
        Ok(())
    }

    /// Save new preferences; turning `sandbox` on or off starts or stops it.
    pub async fn set_preferences(&self, preferences: Preferences) -> Result<Preferences> {
        preferences.check()?;
        let _writes = self.writes.lock().await;
        let mut next = self.state().settings.clone();
        next.preferences = preferences.clone();
        self.persist(next)?;
        self.forget_clients();
        tracing::info!(sandbox = preferences.sandbox, "preferences saved");
        if self.launcher.is_some() {
            let mut slot = self.sandbox.lock().await;
            if preferences.sandbox && slot.is_none() {
                self.start_sandbox_into(&mut slot).await.map_err(|e| {
                    let message = format!("Preferences saved, but {e}");
                    match e {
                        Error::Io { source, .. } => Error::Io { message, source },
                        _ => Error::Io {
                            message,
                            source: None,
                        },
                    }
                })?;
            } else if !preferences.sandbox {
                if let Some(sandbox) = slot.take() {
                    self.state().session.retain(|(a, _)| !a.sandbox);
                    self.forget_clients();
                    sandbox.stop().await;
                }
            }
        }
        Ok(preferences)
    }

    /// Add accounts for this run only, credentials in memory (the CLI's `--sandbox-manifest`
    /// and `--accounts` files). Their ids must not clash with existing accounts.
    pub async fn attach_accounts(&self, accounts: Vec<(Account, Credential)>) -> Result<()> {
        self.attach(accounts.into_iter().map(|(a, c)| (a, Ok(c))).collect())
            .await
    }

    /// Add accounts for this run whose credential could not be read (an unset variable, a
    /// missing file): they are listed in their place and fail with `why` whenever they are used.
    pub async fn attach_unusable(&self, accounts: Vec<(Account, Error)>) -> Result<()> {
        self.attach(
            accounts
                .into_iter()
                .map(|(a, why)| (a, Err(Arc::new(why))))
                .collect(),
        )
        .await
    }

    async fn attach(&self, accounts: Vec<(Account, SessionCredential)>) -> Result<()> {
        let _writes = self.writes.lock().await;
        let mut state = self.state();
        for (a, _) in &accounts {
            if state.find(&a.id).is_some() {
                return Err(Error::Conflict {
                    message: format!("an account with id `{}` already exists", a.id),
                    detail: None,
                });
            }
        }
        state.session.extend(accounts);
        Ok(())
    }

    /// Stop the sandbox (app exit). Its state file keeps its keys.
    pub async fn shutdown(&self) {
        if let Some(sandbox) = self.sandbox.lock().await.take() {
            self.state().session.retain(|(a, _)| !a.sandbox);
            self.forget_clients();
            sandbox.stop().await;
        }
    }

    async fn start_sandbox_into(&self, slot: &mut Option<Box<dyn Running>>) -> Result<()> {
        let Some(launcher) = &self.launcher else {
            return Ok(());
        };
        let sandbox = launcher.start(&self.paths.sandbox_state_file()).await?;
        {
            let mut state = self.state();
            let fresh: Vec<(Account, Credential)> = sandbox
                .accounts()
                .into_iter()
                .filter(|(a, _)| state.find(&a.id).is_none())
                .collect();
            state
                .session
                .extend(fresh.into_iter().map(|(a, c)| (a, Ok(c))));
            state.problems.retain(|p| p.area != ProblemArea::Sandbox);
            state.clients.clear();
        }
        *slot = Some(sandbox);
        Ok(())
    }

    fn saved_account(&self, id: &str) -> Result<Account> {
        match self.state().find(id) {
            Some((a, Origin::Saved)) => Ok(a),
            Some((a, Origin::Session)) if a.sandbox => Err(Error::validation(
                "account",
                format!(
                    "`{}` is a sandbox account; it cannot be changed or removed (turn the \
                     sandbox off in Preferences to hide it)",
                    a.name
                ),
            )),
            Some((a, Origin::Session)) => Err(Error::validation(
                "account",
                format!(
                    "`{}` comes from a file given for this run only; change it in that file",
                    a.name
                ),
            )),
            None => Err(not_found(id)),
        }
    }

    async fn account_and_credential(&self, id: &str) -> Result<(Account, Credential)> {
        let (account, cached) = {
            let state = self.state();
            let (account, origin) = state.find(id).ok_or_else(|| not_found(id))?;
            let cached = match origin {
                Origin::Saved => state.cache.get(id).cloned(),
                Origin::Session => match state.session.iter().find(|(a, _)| a.id == id) {
                    Some((_, Ok(c))) => Some(c.clone()),
                    Some((_, Err(why))) => return Err(why.duplicate()),
                    None => None,
                },
            };
            (account, cached)
        };
        if let Some(c) = cached {
            return Ok((account, c));
        }
        let credential = self.store.get(&account).await?;
        self.state()
            .cache
            .insert(account.id.clone(), credential.clone());
        Ok((account, credential))
    }

    /// Build the client (local checks) and, with `Run`, ask the vendor who the credential is.
    async fn try_connect(
        &self,
        account: &Account,
        credential: &Credential,
        test: ConnectionTest,
    ) -> Result<Option<Identity>> {
        let client = vendor::connect(account, credential.clone(), &self.http)?;
        match test {
            ConnectionTest::Run => Ok(Some(client.verify().await?)),
            ConnectionTest::Skip => Ok(None),
        }
    }

    fn check_name_free(&self, name: &str, except: Option<&str>) -> Result<()> {
        let state = self.state();
        let taken = state
            .all()
            .any(|a| Some(a.id.as_str()) != except && a.name.eq_ignore_ascii_case(name));
        if taken {
            return Err(Error::validation(
                "name",
                format!("an account named `{name}` already exists; choose another name"),
            ));
        }
        Ok(())
    }

    /// Write `next` to the settings file and make it current. The first write over an unusable
    /// or older file keeps that file aside (see `settings::save`).
    fn persist(&self, next: Settings) -> Result<()> {
        let file_state = self.state().file_state;
        let new_state = settings::save(&self.paths.settings_file(), &next, file_state)?;
        let mut state = self.state();
        state.settings = next;
        state.file_state = new_state;
        state.problems.retain(|p| p.area != ProblemArea::Settings);
        Ok(())
    }
}

/// Where an account's credential is sent: the hosts (and ports) of its base and IAM URLs, and
/// its region (which picks the host for vendors without a base URL).
fn destination(settings: &AccountSettings) -> String {
    let host = |url: &Option<String>| {
        url.as_deref()
            .and_then(|u| url::Url::parse(u).ok())
            .map(|u| {
                let host = u.host_str().unwrap_or_default().to_string();
                match u.port_or_known_default() {
                    Some(port) => format!("{host}:{port}"),
                    None => host,
                }
            })
    };
    let parts: Vec<String> = [
        host(&settings.base_url),
        host(&settings.iam_url),
        settings.region.clone().map(|r| format!("region {r}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        "the vendor's own address".to_string()
    } else {
        parts.join(" and ")
    }
}

fn not_found(id: &str) -> Error {
    Error::NotFound {
        message: format!("there is no account with id `{id}`"),
        detail: None,
    }
}

/// The settings the credential determines, filled in and checked by the vendor.
fn complete(account: &mut Account, credential: &Credential) -> Result<()> {
    account
        .vendor
        .descriptor()
        .complete(&mut account.settings, credential)
}

fn check_credential(credential: &Credential) -> Result<()> {
    if credential.secret.expose().trim().is_empty() {
        return Err(Error::validation("secret", "the credential is empty"));
    }
    Ok(())
}
