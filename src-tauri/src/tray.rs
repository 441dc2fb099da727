//! The tray icon and its menu. Linux delivers no clicks on a tray icon, only menu activations,
//! so every quick action is a menu item. To add one: a row in `ITEMS` and an arm in `perform`.

use std::sync::Mutex;

use tauri::image::Image;
use tauri::menu::{Menu, MenuItem, MenuItemKind};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};

use crate::dto::TrayMenuItem;
use crate::window;

/// Id of Keyrack's one tray icon.
pub const TRAY_ID: &str = "main";

const TRAY_PNG: &[u8] = include_bytes!("../../icons/tray.png");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Open,
    Quit,
}

struct Item {
    id: &'static str,
    label: &'static str,
    action: Action,
}

/// The tray menu, top to bottom.
const ITEMS: &[Item] = &[
    Item {
        id: "open",
        label: "Open Keyrack",
        action: Action::Open,
    },
    Item {
        id: "quit",
        label: "Quit",
        action: Action::Quit,
    },
];

fn perform<R: Runtime>(app: &AppHandle<R>, action: Action) {
    match action {
        Action::Open => window::show_main(app),
        Action::Quit => app.exit(0),
    }
}

/// The menu the tray currently shows; replaced whenever the menu is rebuilt.
pub struct TrayMenu<R: Runtime>(Mutex<Menu<R>>);

fn build_menu<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let menu = Menu::new(app)?;
    for item in ITEMS {
        menu.append(&MenuItem::with_id(
            app,
            item.id,
            item.label,
            true,
            None::<&str>,
        )?)?;
    }
    Ok(menu)
}

fn remember<R: Runtime>(app: &AppHandle<R>, menu: &Menu<R>) {
    match app.try_state::<TrayMenu<R>>() {
        Some(current) => *current.0.lock().expect("tray menu lock") = menu.clone(),
        None => {
            app.manage(TrayMenu(Mutex::new(menu.clone())));
        }
    }
}

/// Builds the menu from `ITEMS` and makes it the current tray menu, without an icon
/// (what the mock-runtime tests use; `install` does the same plus the icon).
pub fn attach_menu<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let menu = build_menu(app)?;
    remember(app, &menu);
    Ok(menu)
}

/// Puts Keyrack's icon and menu in the system tray.
pub fn install<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let menu = build_menu(app)?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(Image::from_bytes(TRAY_PNG)?)
        .tooltip("Keyrack")
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| on_menu_event(app, event.id().as_ref()))
        .build(app)?;
    // Only a menu that made it into a tray counts as the tray's menu.
    remember(app, &menu);
    Ok(())
}

fn on_menu_event<R: Runtime>(app: &AppHandle<R>, id: &str) {
    match ITEMS.iter().find(|item| item.id == id) {
        Some(item) => {
            tracing::debug!(id, "tray menu item");
            perform(app, item.action);
        }
        None => tracing::warn!(id, "unknown tray menu item"),
    }
}

/// The items of the menu the tray holds now, read back from the menu itself.
/// Empty when there is no tray.
pub fn current_items<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Vec<TrayMenuItem>> {
    let Some(current) = app.try_state::<TrayMenu<R>>() else {
        return Ok(Vec::new());
    };
    let menu = current.0.lock().expect("tray menu lock").clone();
    let mut items = Vec::new();
    for kind in menu.items()? {
        if let MenuItemKind::MenuItem(item) = kind {
            items.push(TrayMenuItem {
                id: item.id().0.clone(),
                label: item.text()?,
            });
        }
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn item_ids_are_unique_and_labels_set() {
        let ids: HashSet<_> = ITEMS.iter().map(|i| i.id).collect();
        assert_eq!(ids.len(), ITEMS.len(), "duplicate tray item id");
        assert!(ITEMS.iter().all(|i| !i.label.trim().is_empty()));
    }

    #[test]
    fn menu_opens_the_window_and_quits() {
        let actions: Vec<_> = ITEMS.iter().map(|i| (i.id, i.label, i.action)).collect();
        assert!(actions.contains(&("open", "Open Keyrack", Action::Open)));
        assert_eq!(actions.last(), Some(&("quit", "Quit", Action::Quit)));
    }

    #[test]
    fn tray_icon_is_a_decodable_png() {
        let icon = Image::from_bytes(TRAY_PNG).expect("tray.png decodes");
        assert!(icon.width() >= 16 && icon.height() >= 16);
    }
}
