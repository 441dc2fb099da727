//! Where a held secret is saved (or which file a rotation updates) is chosen by the user in a
//! native file dialog that the backend opens, never by the webview: a script in a compromised
//! page could otherwise write a private key anywhere the user can write. The dialog sits behind a trait so the mock-runtime tests can
//! drive the real commands with a fake that answers for the user.

use std::path::PathBuf;

use futures::future::BoxFuture;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::DialogExt;

use crate::window;

/// What the dialog shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveRequest {
    /// Names the key and the format, so the user knows what is being saved.
    pub title: String,
    /// The format's usual file name, pre-filled (a save dialog only).
    pub file_name: String,
    /// Pick an existing file (an open dialog: a rotation's file to update in place) rather
    /// than where to save a new one.
    pub existing: bool,
}

/// Asks the user where to save a file; `None` when they cancel.
///
/// The picker owns the overwrite question: a path it returns may be replaced. The native
/// dialog asks before it returns an existing file (rfd's GTK backend turns on
/// `do_overwrite_confirmation`; the macOS and Windows panels always ask).
pub trait SavePicker: Send + Sync {
    fn pick(&self, request: SaveRequest) -> BoxFuture<'static, Option<PathBuf>>;
}

/// The native save dialog of `tauri-plugin-dialog`.
pub struct NativeSavePicker<R: Runtime> {
    app: AppHandle<R>,
}

impl<R: Runtime> NativeSavePicker<R> {
    pub fn new(app: AppHandle<R>) -> Self {
        NativeSavePicker { app }
    }
}

impl<R: Runtime> SavePicker for NativeSavePicker<R> {
    fn pick(&self, request: SaveRequest) -> BoxFuture<'static, Option<PathBuf>> {
        let mut dialog = self.app.dialog().file().set_title(request.title);
        if !request.existing {
            dialog = dialog.set_file_name(request.file_name);
        }
        if let Some(home) = dirs::home_dir() {
            dialog = dialog.set_directory(home);
        }
        // Modal to the main window where the platform supports it.
        if let Some(main) = self.app.get_webview_window(window::MAIN) {
            dialog = dialog.set_parent(&main);
        }
        // The callback form runs the dialog on the main thread without blocking it; the answer
        // comes back through a channel so the command can await it.
        let (tx, rx) = futures::channel::oneshot::channel();
        let answer = move |chosen| {
            let _ = tx.send(chosen);
        };
        if request.existing {
            dialog.pick_file(answer);
        } else {
            dialog.save_file(answer);
        }
        Box::pin(async move {
            let chosen = rx.await.ok().flatten()?;
            match chosen.into_path() {
                Ok(path) => Some(path),
                Err(e) => {
                    tracing::warn!(error = %e, "the save dialog returned no local path");
                    None
                }
            }
        })
    }
}
