//! Secret copies that clean up after themselves: the clipboard is cleared after a delay only if
//! it still holds what we put there (never "cleared" by writing a placeholder over something the
//! user copied since), and on quit. The platform clipboard is behind a trait so this is testable.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::secret::Sensitive;

/// The platform clipboard (arboard in the desktop app, a fake in tests).
pub trait Clipboard: Send + Sync {
    /// Put a secret on the clipboard, excluded from clipboard history/managers where possible.
    fn set_secret(&self, text: &str) -> Result<()>;
    /// The clipboard's current text, if it holds text.
    fn get_text(&self) -> Option<String>;
    /// Empty the clipboard.
    fn clear(&self) -> Result<()>;
}

/// Remembers (as a hash, not the text) the secret we last copied, and clears it when due.
pub struct SecretClipboard {
    clipboard: Arc<dyn Clipboard>,
    /// SHA-256 of the secret we put there and a generation counter, so an older timer does not
    /// clear a newer copy.
    ours: Mutex<Option<([u8; 32], u64)>>,
    generation: Mutex<u64>,
}

fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

impl SecretClipboard {
    pub fn new(clipboard: Arc<dyn Clipboard>) -> Self {
        SecretClipboard {
            clipboard,
            ours: Mutex::new(None),
            generation: Mutex::new(0),
        }
    }

    /// Copy a secret; returns a ticket for `clear_if_unchanged`.
    pub fn copy(&self, secret: &Sensitive<String>) -> Result<u64> {
        self.clipboard.set_secret(secret.expose())?;
        let mut gen = self.generation.lock().unwrap_or_else(|p| p.into_inner());
        *gen += 1;
        *self.ours.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((digest(secret.expose()), *gen));
        Ok(*gen)
    }

    /// Clear the clipboard if it still holds the secret copied under `ticket`. Returns whether
    /// it cleared.
    pub fn clear_if_unchanged(&self, ticket: u64) -> bool {
        let mut ours = self.ours.lock().unwrap_or_else(|p| p.into_inner());
        let Some((hash, gen)) = *ours else {
            return false;
        };
        if gen != ticket {
            return false;
        }
        *ours = None;
        // What is read back may be our secret: compare it and wipe it.
        let current = self.clipboard.get_text().map(Sensitive::new);
        match current {
            Some(current) if digest(current.expose()) == hash => self.clipboard.clear().is_ok(),
            _ => false,
        }
    }

    /// On quit: clear whatever secret of ours is still there.
    pub fn clear_on_quit(&self) -> bool {
        let ticket = self
            .ours
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .map(|(_, gen)| gen);
        ticket.is_some_and(|t| self.clear_if_unchanged(t))
    }

    /// Copy, then clear after `delay` if unchanged (spawned on the current tokio runtime).
    pub fn copy_with_timeout(
        self: &Arc<Self>,
        secret: &Sensitive<String>,
        delay: Duration,
    ) -> Result<u64> {
        let ticket = self.copy(secret)?;
        let this = Arc::clone(self);
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            this.clear_if_unchanged(ticket);
        });
        Ok(ticket)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct FakeClipboard {
        text: Mutex<Option<String>>,
        clears: Mutex<u32>,
    }

    impl Clipboard for FakeClipboard {
        fn set_secret(&self, text: &str) -> Result<()> {
            *self.text.lock().unwrap() = Some(text.to_string());
            Ok(())
        }
        fn get_text(&self) -> Option<String> {
            self.text.lock().unwrap().clone()
        }
        fn clear(&self) -> Result<()> {
            *self.text.lock().unwrap() = None;
            *self.clears.lock().unwrap() += 1;
            Ok(())
        }
    }

    #[test]
    fn clears_only_if_the_clipboard_still_holds_our_secret() {
        let fake = Arc::new(FakeClipboard::default());
        let clip = SecretClipboard::new(fake.clone());
        let ticket = clip.copy(&Sensitive::from("s3cret")).unwrap();
        assert_eq!(fake.get_text().as_deref(), Some("s3cret"));
        assert!(clip.clear_if_unchanged(ticket));
        assert_eq!(fake.get_text(), None);

        let ticket = clip.copy(&Sensitive::from("s3cret")).unwrap();
        // The user copied something else meanwhile: leave it alone.
        *fake.text.lock().unwrap() = Some("user text".into());
        assert!(!clip.clear_if_unchanged(ticket));
        assert_eq!(fake.get_text().as_deref(), Some("user text"));
        assert_eq!(
            *fake.clears.lock().unwrap(),
            1,
            "never clears by overwriting"
        );
    }

    #[test]
    fn an_older_timer_does_not_clear_a_newer_copy() {
        let fake = Arc::new(FakeClipboard::default());
        let clip = SecretClipboard::new(fake.clone());
        let first = clip.copy(&Sensitive::from("one")).unwrap();
        let second = clip.copy(&Sensitive::from("two")).unwrap();
        assert!(!clip.clear_if_unchanged(first));
        assert_eq!(fake.get_text().as_deref(), Some("two"));
        assert!(clip.clear_if_unchanged(second));
    }

    #[test]
    fn quit_clears_a_pending_secret() {
        let fake = Arc::new(FakeClipboard::default());
        let clip = SecretClipboard::new(fake.clone());
        clip.copy(&Sensitive::from("pending")).unwrap();
        assert!(clip.clear_on_quit());
        assert_eq!(fake.get_text(), None);
        assert!(!clip.clear_on_quit());
    }

    #[tokio::test]
    async fn timed_copy_clears_after_the_delay() {
        let fake = Arc::new(FakeClipboard::default());
        let clip = Arc::new(SecretClipboard::new(fake.clone()));
        clip.copy_with_timeout(&Sensitive::from("timed"), Duration::from_millis(50))
            .unwrap();
        assert_eq!(fake.get_text().as_deref(), Some("timed"));
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(fake.get_text(), None);
    }
}
