//! The menu table rendered as a Tauri menu, the menu the tray shows now (rebuilt on every
//! change; the rebuild that read the newest state wins), and the menu read back for tests and
//! the UI.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use tauri::menu::{
    CheckMenuItem, IsMenuItem, Menu, MenuItem, MenuItemKind, PredefinedMenuItem, Submenu,
};
use tauri::{AppHandle, Manager, Runtime};

use super::model::{actions_of, entries, Action, Entry, Kind, Snapshot};
use crate::dto::TrayMenuItem;
use crate::state::AppState;

/// A built menu, what each of its items does, and when its state was read.
pub struct BuiltMenu<R: Runtime> {
    pub menu: Menu<R>,
    pub actions: HashMap<String, Action>,
    /// How many keys need attention (the icon's mark).
    pub attention: usize,
    /// Rebuilds can run on two threads at once (a command and a tray click): the one that
    /// read the state last wins, whichever finishes last.
    generation: u64,
}

static GENERATION: AtomicU64 = AtomicU64::new(0);

/// The menu the tray currently shows.
pub struct TrayMenu<R: Runtime>(pub Mutex<BuiltMenu<R>>);

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

pub fn build_menu<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<BuiltMenu<R>> {
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
        attention: snapshot.needs_attention(),
        generation,
    })
}

/// Make `built` the current menu unless a menu built from newer state already is. Returns
/// whether it did.
pub fn remember<R: Runtime>(app: &AppHandle<R>, built: BuiltMenu<R>) -> bool {
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

pub fn read_back<R: Runtime>(
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
