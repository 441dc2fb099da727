//! The tray icon and its menu. Linux delivers no clicks on a tray icon, only menu activations,
//! so every quick action is a menu item.
//!
//! - `model.rs`: the menu as one table computed from the app state, and each item's action;
//! - `render.rs`: that table as a Tauri menu, kept as the tray's current menu;
//! - `actions.rs`: what activating an item does;
//! - `quick_create.rs`: "New key for…", a key made in one click with the account's defaults.
//!
//! The menu is rebuilt whenever accounts, keys or held secrets change (`refresh`).

mod actions;
pub mod icon;
mod model;
pub mod quick_create;
mod render;

use tauri::menu::Menu;
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};

use crate::dto::TrayMenuItem;
use crate::error::{internal, IpcResult};
use render::{build_menu, read_back, remember, TrayMenu};

/// Id of Keyrack's one tray icon.
pub const TRAY_ID: &str = "main";

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
        .icon(icon::for_count(built.attention)?)
        .tooltip(tooltip(built.attention))
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
    let attention = built.attention;
    // Not under the lock: replacing a tray's menu waits for the main thread, which may itself
    // be waiting to rebuild.
    if remember(app, built) {
        if let Some(tray) = app.tray_by_id(TRAY_ID) {
            if let Err(e) = tray.set_menu(Some(menu)) {
                tracing::warn!(error = %e, "could not replace the tray menu");
            }
            let marked = icon::for_count(attention)
                .and_then(|i| tray.set_icon(Some(i)))
                .and_then(|()| tray.set_tooltip(Some(tooltip(attention))));
            if let Err(e) = marked {
                tracing::warn!(error = %e, "could not update the tray icon");
            }
        }
    }
}

/// "Keyrack", or "Keyrack — 3 keys need attention".
fn tooltip(attention: usize) -> String {
    match attention {
        0 => "Keyrack".into(),
        n => format!("Keyrack — {}", model::attention_label(n)),
    }
}

/// Show the main window with a key selected (a notification was clicked).
pub fn select_key<R: Runtime>(app: &AppHandle<R>, account: String, key: String) {
    actions::perform(app, model::Action::SelectKey { account, key });
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
            actions::perform(app, action);
        }
        None => tracing::warn!(id, "unknown tray menu item"),
    }
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

    #[test]
    fn tray_icon_is_a_decodable_png() {
        let icon = icon::plain().expect("tray.png decodes");
        assert!(icon.width() >= 16 && icon.height() >= 16);
    }
}
