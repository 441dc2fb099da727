//! The system clipboard for secrets, through arboard, behind core's `Clipboard` trait.
//!
//! - Secrets are marked "exclude from history" so clipboard managers do not keep them
//!   (`x-kde-passwordManagerHint` on Linux, the equivalent flags on Windows and macOS).
//! - On X11 and Wayland the clipboard's content lives in the process that set it: one
//!   `arboard::Clipboard` is kept for the app's whole life, so a copied secret stays pasteable
//!   until it is cleared (on its timer or on quit), not until some handle is dropped.
//! - No display, no clipboard: every call returns an error saying so; nothing panics. The
//!   connection is retried on the next call.

use std::sync::Mutex;

use keyrack_core::clipboard::Clipboard;
use keyrack_core::error::{Error, Result};

#[derive(Default)]
pub struct SystemClipboard {
    /// Opened on first use; `None` until a display is reachable.
    inner: Mutex<Option<arboard::Clipboard>>,
}

impl SystemClipboard {
    pub fn new() -> Self {
        SystemClipboard::default()
    }

    fn with<T>(
        &self,
        what: &str,
        f: impl FnOnce(&mut arboard::Clipboard) -> std::result::Result<T, arboard::Error>,
    ) -> Result<T> {
        let mut slot = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_none() {
            *slot = Some(arboard::Clipboard::new().map_err(unavailable)?);
        }
        let clipboard = slot.as_mut().expect("opened above");
        // arboard's errors name the failure, never the clipboard's content.
        f(clipboard).map_err(|e| Error::Io {
            message: format!("could not {what} the clipboard: {e}"),
            source: Some(Box::new(e)),
        })
    }
}

fn unavailable(e: arboard::Error) -> Error {
    Error::Io {
        message: format!(
            "the system clipboard is not available ({e}); save the key to a file instead"
        ),
        source: Some(Box::new(e)),
    }
}

impl Clipboard for SystemClipboard {
    fn set_secret(&self, text: &str) -> Result<()> {
        self.with("write to", |c| {
            let set = c.set();
            #[cfg(all(
                unix,
                not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))
            ))]
            let set = arboard::SetExtLinux::exclude_from_history(set);
            #[cfg(windows)]
            let set = arboard::SetExtWindows::exclude_from_history(set);
            #[cfg(target_os = "macos")]
            let set = arboard::SetExtApple::exclude_from_history(set);
            set.text(text)
        })
    }

    fn get_text(&self) -> Option<String> {
        self.with("read", |c| c.get_text()).ok()
    }

    fn clear(&self) -> Result<()> {
        self.with("clear", |c| c.clear())
    }
}

impl std::fmt::Debug for SystemClipboard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SystemClipboard")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Under a display (the test session's Xvfb) the round trip works; without one every call
    /// is an error, never a panic.
    #[test]
    fn sets_reads_back_and_clears_or_reports_no_display() {
        let clipboard = SystemClipboard::new();
        match clipboard.set_secret("keyrack-clipboard-test-0001") {
            Ok(()) => {
                assert_eq!(
                    clipboard.get_text().as_deref(),
                    Some("keyrack-clipboard-test-0001")
                );
                clipboard.clear().unwrap();
                assert_ne!(
                    clipboard.get_text().as_deref(),
                    Some("keyrack-clipboard-test-0001")
                );
            }
            Err(e) => {
                assert!(std::env::var_os("DISPLAY").is_none(), "{e}");
                assert_eq!(e.code(), keyrack_core::Code::Io);
                assert!(e.to_string().contains("clipboard"), "{e}");
                assert_eq!(clipboard.get_text(), None);
                assert!(clipboard.clear().is_err());
            }
        }
    }
}
