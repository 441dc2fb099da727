//! The tray icon and its menu. Linux delivers no clicks on a tray icon, only menu activations,
//! so every quick action is a menu item.
//!
//! The menu is one table, `entries`, computed from the app state (accounts, held secrets, the
//! cached listings): the tray menu is built from it, menu activations are looked up in it, and
//! `current_items` reads the built menu back for tests and the UI. It is rebuilt whenever
//! accounts, keys or held secrets change (`refresh`). To add an item: a row in `entries` and an
//! arm in `perform`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use chrono::Utc;
use keyrack_core::model::{Account, KeyRecord};
use keyrack_core::reveal::PendingSecret;
use tauri::image::Image;
use tauri::menu::{
    CheckMenuItem, IsMenuItem, Menu, MenuItem, MenuItemKind, PredefinedMenuItem, Submenu,
};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};

use crate::dto::{TrayAction, TrayActionKind, TrayMenuItem};
use crate::error::{internal, IpcResult};
use crate::state::AppState;
use crate::{events, ops, quick_key, window};

/// Id of Keyrack's one tray icon.
pub const TRAY_ID: &str = "main";

const TRAY_PNG: &[u8] = include_bytes!("../../icons/tray.png");

/// At most this many keys under "Expiring soon"; the rest are counted.
const MAX_EXPIRING: usize = 10;
/// Menu labels are cut here so a long key name cannot make the menu unusable.
const MAX_LABEL: usize = 60;

/// What activating an item does.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Action {
    Open,
    NewKey { account: String },
    CopyLast { handle: String },
    SelectKey { account: String, key: String },
    Refresh,
    ToggleSandbox,
    Quit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Item(Option<Action>),
    Check { checked: bool, action: Action },
    Submenu(Vec<Entry>),
    Separator,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    id: String,
    label: String,
    enabled: bool,
    kind: Kind,
}

fn item(id: impl Into<String>, label: impl Into<String>, action: Action) -> Entry {
    Entry {
        id: id.into(),
        label: label.into(),
        enabled: true,
        kind: Kind::Item(Some(action)),
    }
}

fn note(id: impl Into<String>, label: impl Into<String>) -> Entry {
    Entry {
        id: id.into(),
        label: label.into(),
        enabled: false,
        kind: Kind::Item(None),
    }
}

fn submenu(id: &str, label: impl Into<String>, items: Vec<Entry>) -> Entry {
    Entry {
        id: id.into(),
        label: label.into(),
        enabled: items.iter().any(|e| e.enabled),
        kind: Kind::Submenu(items),
    }
}

fn separator(id: &str) -> Entry {
    Entry {
        id: id.into(),
        label: String::new(),
        enabled: false,
        kind: Kind::Separator,
    }
}

fn short(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL {
        return label.to_string();
    }
    let cut: String = label.chars().take(MAX_LABEL - 1).collect();
    format!("{cut}…")
}

/// What the menu shows.
#[derive(Debug, Clone, Default)]
struct Snapshot {
    accounts: Vec<Account>,
    latest_secret: Option<PendingSecret>,
    expiring: Vec<(Account, KeyRecord)>,
    sandbox: bool,
}

impl Snapshot {
    fn of(state: &AppState) -> Snapshot {
        Snapshot {
            accounts: state.registry().list_accounts(),
            latest_secret: state.reveal().latest(),
            expiring: state.expiring_soon(Utc::now()),
            sandbox: state.registry().preferences().sandbox,
        }
    }
}

/// The tray menu, top to bottom: the frequent actions first, the rest under "More…".
fn entries(s: &Snapshot) -> Vec<Entry> {
    let mut menu = vec![item("open", "Open Keyrack", Action::Open)];

    let mut new_key: Vec<Entry> = s
        .accounts
        .iter()
        .map(|a| {
            item(
                format!("new-key:{}", a.id),
                short(&a.name),
                Action::NewKey {
                    account: a.id.clone(),
                },
            )
        })
        .collect();
    if new_key.is_empty() {
        new_key.push(note("new-key:none", "No accounts yet"));
    }
    menu.push(submenu("new-key", "New key for…", new_key));

    if let Some(latest) = &s.latest_secret {
        menu.push(item(
            "copy-last",
            "Copy last new key",
            Action::CopyLast {
                handle: latest.handle.clone(),
            },
        ));
    }

    if !s.expiring.is_empty() {
        let mut keys: Vec<Entry> = s
            .expiring
            .iter()
            .take(MAX_EXPIRING)
            .enumerate()
            .map(|(i, (account, key))| {
                let when = key
                    .expires_at
                    .map(|t| t.format(" (%Y-%m-%d)").to_string())
                    .unwrap_or_default();
                item(
                    format!("expiring:{i}"),
                    short(&format!("{} — {}{when}", key.display_name(), account.name)),
                    Action::SelectKey {
                        account: account.id.clone(),
                        key: key.id.clone(),
                    },
                )
            })
            .collect();
        if s.expiring.len() > MAX_EXPIRING {
            keys.push(note(
                "expiring:more",
                format!("…and {} more in Keyrack", s.expiring.len() - MAX_EXPIRING),
            ));
        }
        menu.push(submenu(
            "expiring",
            format!("Expiring soon ({})", s.expiring.len()),
            keys,
        ));
    }

    menu.push(separator("separator"));
    menu.push(submenu(
        "more",
        "More…",
        vec![
            item("refresh", "Refresh keys", Action::Refresh),
            Entry {
                id: "sandbox".into(),
                label: "Sandbox accounts".into(),
                enabled: true,
                kind: Kind::Check {
                    checked: s.sandbox,
                    action: Action::ToggleSandbox,
                },
            },
        ],
    ));
    menu.push(item("quit", "Quit", Action::Quit));
    menu
}

fn actions_of(entries: &[Entry], into: &mut HashMap<String, Action>) {
    for e in entries {
        match &e.kind {
            Kind::Item(Some(action)) | Kind::Check { action, .. } => {
                into.insert(e.id.clone(), action.clone());
            }
            Kind::Submenu(items) => actions_of(items, into),
            Kind::Item(None) | Kind::Separator => {}
        }
    }
}

/// A built menu, what each of its items does, and when its state was read.
struct BuiltMenu<R: Runtime> {
    menu: Menu<R>,
    actions: HashMap<String, Action>,
    /// Rebuilds can run on two threads at once (a command and a tray click): the one that
    /// read the state last wins, whichever finishes last.
    generation: u64,
}

static GENERATION: AtomicU64 = AtomicU64::new(0);

/// The menu the tray currently shows.
pub struct TrayMenu<R: Runtime>(Mutex<BuiltMenu<R>>);

/// One built menu entry, kept alive until it is appended.
enum Built<R: Runtime> {
    Item(MenuItem<R>),
    Check(CheckMenuItem<R>),
    Submenu(Submenu<R>),
    Separator(PredefinedMenuItem<R>),
}

impl<R: Runtime> Built<R> {
    fn as_item(&self) -> &dyn IsMenuItem<R> {
        match self {
            Built::Item(i) => i,
            Built::Check(c) => c,
            Built::Submenu(s) => s,
            Built::Separator(p) => p,
        }
    }
}

fn build_entry<R: Runtime>(app: &AppHandle<R>, e: &Entry) -> tauri::Result<Built<R>> {
    Ok(match &e.kind {
        Kind::Item(_) => Built::Item(MenuItem::with_id(
            app,
            &e.id,
            &e.label,
            e.enabled,
            None::<&str>,
        )?),
        Kind::Check { checked, .. } => Built::Check(CheckMenuItem::with_id(
            app,
            &e.id,
            &e.label,
            e.enabled,
            *checked,
            None::<&str>,
        )?),
        Kind::Submenu(items) => {
            let sub = Submenu::with_id(app, &e.id, &e.label, e.enabled)?;
            for child in items {
                sub.append(build_entry(app, child)?.as_item())?;
            }
            Built::Submenu(sub)
        }
        Kind::Separator => Built::Separator(PredefinedMenuItem::separator(app)?),
    })
}

fn build_menu<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<BuiltMenu<R>> {
    let generation = GENERATION.fetch_add(1, Ordering::SeqCst);
    let snapshot = app
        .try_state::<AppState>()
        .map(|s| Snapshot::of(&s))
        .unwrap_or_default();
    let table = entries(&snapshot);
    let menu = Menu::new(app)?;
    for e in &table {
        menu.append(build_entry(app, e)?.as_item())?;
    }
    let mut actions = HashMap::new();
    actions_of(&table, &mut actions);
    Ok(BuiltMenu {
        menu,
        actions,
        generation,
    })
}

/// Make `built` the current menu unless a menu built from newer state already is. Returns
/// whether it did.
fn remember<R: Runtime>(app: &AppHandle<R>, built: BuiltMenu<R>) -> bool {
    match app.try_state::<TrayMenu<R>>() {
        Some(current) => {
            let mut current = current.0.lock().unwrap_or_else(|p| p.into_inner());
            if built.generation < current.generation {
                return false;
            }
            *current = built;
            true
        }
        None => {
            app.manage(TrayMenu(Mutex::new(built)));
            true
        }
    }
}

/// Builds the menu and makes it the current tray menu, without an icon (what the mock-runtime
/// tests use; `install` does the same plus the icon).
pub fn attach_menu<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let built = build_menu(app)?;
    let menu = built.menu.clone();
    remember(app, built);
    Ok(menu)
}

/// Puts Keyrack's icon and menu in the system tray.
pub fn install<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let built = build_menu(app)?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(Image::from_bytes(TRAY_PNG)?)
        .tooltip("Keyrack")
        .menu(&built.menu)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| activate(app, event.id().as_ref()))
        .build(app)?;
    // Only a menu that made it into a tray counts as the tray's menu.
    remember(app, built);
    Ok(())
}

/// Rebuild the menu from the current state (accounts, keys or held secrets changed). Nothing
/// to do when there is no tray.
pub fn refresh<R: Runtime>(app: &AppHandle<R>) {
    if app.try_state::<TrayMenu<R>>().is_none() {
        return;
    }
    let built = match build_menu(app) {
        Ok(built) => built,
        Err(e) => {
            tracing::warn!(error = %e, "could not rebuild the tray menu");
            return;
        }
    };
    let menu = built.menu.clone();
    // Not under the lock: replacing a tray's menu waits for the main thread, which may itself
    // be waiting to rebuild.
    if remember(app, built) {
        if let Some(tray) = app.tray_by_id(TRAY_ID) {
            if let Err(e) = tray.set_menu(Some(menu)) {
                tracing::warn!(error = %e, "could not replace the tray menu");
            }
        }
    }
}

/// Run the action of the menu item `id` (what a click in the tray does).
pub fn activate<R: Runtime>(app: &AppHandle<R>, id: &str) {
    let action = app.try_state::<TrayMenu<R>>().and_then(|current| {
        let current = current.0.lock().unwrap_or_else(|p| p.into_inner());
        current.actions.get(id).cloned()
    });
    match action {
        Some(action) => {
            tracing::debug!(id, "tray menu item");
            perform(app, action);
        }
        None => tracing::warn!(id, "unknown tray menu item"),
    }
}

fn tray_action(action: TrayActionKind) -> TrayAction {
    TrayAction {
        action,
        account_id: None,
        key_id: None,
        handle: None,
        error: None,
    }
}

fn perform<R: Runtime>(app: &AppHandle<R>, action: Action) {
    match action {
        Action::Open => window::show_main(app),
        Action::NewKey { account } => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move { new_key(&app, &account).await });
        }
        Action::CopyLast { handle } => {
            let Some(state) = app.try_state::<AppState>() else {
                return;
            };
            if let Err(e) = ops::copy_secret(app, &state, &handle) {
                // Without a clipboard the secret is still held: open it to save it instead.
                tracing::warn!(error = %e, "tray copy failed");
                window::show_main(app);
                events::tray_action(
                    app,
                    TrayAction {
                        handle: Some(handle),
                        error: Some(e.to_public()),
                        ..tray_action(TrayActionKind::OpenReveal)
                    },
                );
            }
        }
        Action::SelectKey { account, key } => {
            window::show_main(app);
            events::tray_action(
                app,
                TrayAction {
                    account_id: Some(account),
                    key_id: Some(key),
                    ..tray_action(TrayActionKind::SelectKey)
                },
            );
        }
        Action::Refresh => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                if let Some(state) = app.try_state::<AppState>() {
                    ops::list_all(&app, &state).await;
                    events::keys_changed(&app);
                }
            });
        }
        Action::ToggleSandbox => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                let Some(state) = app.try_state::<AppState>() else {
                    return;
                };
                let mut preferences = state.registry().preferences();
                preferences.sandbox = !preferences.sandbox;
                if let Err(e) = ops::set_preferences(&app, &state, preferences).await {
                    tracing::warn!(error = %e, "could not switch the sandbox");
                }
                // The check mark follows the saved preference, whatever happened.
                refresh(&app);
            });
        }
        Action::Quit => app.exit(0),
    }
}

/// "New key for…": create with a dated name and the account's defaults, then show the secret.
/// When that is not possible (a choice the tray cannot make, a vendor error), open the create
/// form for the account instead, with the reason.
pub async fn new_key<R: Runtime>(app: &AppHandle<R>, account_id: &str) {
    let Some(state) = app.try_state::<AppState>() else {
        return;
    };
    let created = async {
        let registry = state.registry();
        let account = registry.account(account_id)?;
        let vendor = registry.vendor(account_id).await?;
        let caps = vendor.capabilities();
        let options = if quick_key::needs_options(&caps, &account) {
            vendor.create_options().await?
        } else {
            Default::default()
        };
        let name = quick_key::default_name(chrono::Local::now());
        let spec = quick_key::spec(&caps, &account, &options, &name)?;
        ops::create_key(app, &state, account_id, &spec).await
    }
    .await;
    window::show_main(app);
    match created {
        Ok(pending) => events::tray_action(
            app,
            TrayAction {
                handle: Some(pending.handle),
                ..tray_action(TrayActionKind::OpenReveal)
            },
        ),
        Err(e) => {
            tracing::warn!(account = %account_id, code = ?e.code(), "tray could not create a key");
            events::tray_action(
                app,
                TrayAction {
                    account_id: Some(account_id.to_string()),
                    error: Some(e.to_public()),
                    ..tray_action(TrayActionKind::NewKey)
                },
            );
        }
    }
}

fn read_back<R: Runtime>(
    items: Vec<MenuItemKind<R>>,
    parent: Option<&str>,
    out: &mut Vec<TrayMenuItem>,
) -> tauri::Result<()> {
    for kind in items {
        let parent = parent.map(str::to_string);
        match kind {
            MenuItemKind::MenuItem(i) => out.push(TrayMenuItem {
                id: i.id().0.clone(),
                label: i.text()?,
                enabled: i.is_enabled()?,
                parent,
                checked: None,
                submenu: false,
            }),
            MenuItemKind::Check(c) => out.push(TrayMenuItem {
                id: c.id().0.clone(),
                label: c.text()?,
                enabled: c.is_enabled()?,
                parent,
                checked: Some(c.is_checked()?),
                submenu: false,
            }),
            MenuItemKind::Submenu(s) => {
                let id = s.id().0.clone();
                out.push(TrayMenuItem {
                    id: id.clone(),
                    label: s.text()?,
                    enabled: s.is_enabled()?,
                    parent,
                    checked: None,
                    submenu: true,
                });
                read_back(s.items()?, Some(&id), out)?;
            }
            // Separators carry nothing to act on.
            MenuItemKind::Predefined(_) | MenuItemKind::Icon(_) => {}
        }
    }
    Ok(())
}

/// The items of the menu the tray holds now, read back from the menu itself, submenus
/// flattened. Empty when there is no tray.
pub fn current_items<R: Runtime>(app: &AppHandle<R>) -> IpcResult<Vec<TrayMenuItem>> {
    let Some(current) = app.try_state::<TrayMenu<R>>() else {
        return Ok(Vec::new());
    };
    let menu = current
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .menu
        .clone();
    let mut out = Vec::new();
    menu.items()
        .and_then(|items| read_back(items, None, &mut out))
        .map_err(|e| internal("could not read the tray menu", e))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use keyrack_core::model::{AccountSettings, VendorExtra, VendorId};
    use keyrack_core::test_support::key_record;
    use keyrack_core::vendors::codefresh::CodefreshExtra;
    use std::collections::HashSet;

    fn account(id: &str, name: &str) -> Account {
        Account {
            id: id.into(),
            name: name.into(),
            vendor: VendorId::Codefresh,
            sandbox: false,
            settings: AccountSettings::default(),
        }
    }

    fn key(id: &str, days: i64) -> KeyRecord {
        KeyRecord {
            account: "a1".into(),
            name: Some(format!("key {id}")),
            expires_at: Some(Utc::now() + Duration::days(days)),
            ..key_record(id, VendorExtra::Codefresh(CodefreshExtra::default()))
        }
    }

    fn flat(entries: &[Entry]) -> Vec<&Entry> {
        entries
            .iter()
            .flat_map(|e| match &e.kind {
                Kind::Submenu(items) => std::iter::once(e).chain(flat(items)).collect(),
                _ => vec![e],
            })
            .collect()
    }

    #[test]
    fn an_empty_app_offers_open_more_and_quit() {
        let table = entries(&Snapshot::default());
        let top: Vec<&str> = table.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(top, ["open", "new-key", "separator", "more", "quit"]);
        assert!(
            !table[1].enabled,
            "no accounts: nothing to create a key for"
        );
    }

    #[test]
    fn accounts_secrets_and_expiring_keys_appear() {
        let a1 = account("a1", "Prod Codefresh");
        let snapshot = Snapshot {
            accounts: vec![a1.clone(), account("a2", "Stage")],
            latest_secret: None,
            expiring: (0..12)
                .map(|i| (a1.clone(), key(&format!("k{i}"), 1)))
                .collect(),
            sandbox: true,
        };
        let table = entries(&snapshot);
        let all = flat(&table);
        let ids: HashSet<&str> = all.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), all.len(), "ids are unique");
        assert!(ids.contains("new-key:a1") && ids.contains("new-key:a2"));
        let expiring = table.iter().find(|e| e.id == "expiring").unwrap();
        assert_eq!(expiring.label, "Expiring soon (12)");
        let Kind::Submenu(items) = &expiring.kind else {
            panic!("expiring is a submenu")
        };
        assert_eq!(items.len(), MAX_EXPIRING + 1);
        assert!(items[0].label.starts_with("key k0 — Prod Codefresh ("));
        assert_eq!(items[MAX_EXPIRING].label, "…and 2 more in Keyrack");
        assert!(!ids.contains("copy-last"));

        let mut actions = HashMap::new();
        actions_of(&table, &mut actions);
        assert_eq!(
            actions["expiring:3"],
            Action::SelectKey {
                account: "a1".into(),
                key: "k3".into()
            }
        );
        assert_eq!(
            actions["new-key:a2"],
            Action::NewKey {
                account: "a2".into()
            }
        );
        assert_eq!(actions["sandbox"], Action::ToggleSandbox);
        assert_eq!(actions["quit"], Action::Quit);
        assert!(!actions.contains_key("expiring:more"));
    }

    #[test]
    fn long_labels_are_cut() {
        let long = "x".repeat(200);
        let cut = short(&long);
        assert_eq!(cut.chars().count(), MAX_LABEL);
        assert!(cut.ends_with('…'));
        assert_eq!(short("short"), "short");
    }

    #[test]
    fn tray_icon_is_a_decodable_png() {
        let icon = Image::from_bytes(TRAY_PNG).expect("tray.png decodes");
        assert!(icon.width() >= 16 && icon.height() >= 16);
    }
}
