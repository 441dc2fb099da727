//! What the tests of this crate and of both shells share (the `test-support` feature, never on
//! in a build that ships): a key record to start from, and the canary's tools — a capture of
//! every log line at TRACE and a scan of everything a secret must not be in.

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::model::{KeyRecord, KeyStatus};
use crate::vendors::VendorExtra;

/// An active key `id` with a name and nothing else set; its vendor is `extra`'s.
pub fn key_record(id: &str, extra: VendorExtra) -> KeyRecord {
    KeyRecord {
        vendor: extra.vendor(),
        account: "acc-1".into(),
        id: id.into(),
        name: Some("ci".into()),
        description: None,
        owner: None,
        created_at: None,
        expires_at: None,
        last_used_at: None,
        status: KeyStatus::Active,
        locked: false,
        scopes: Vec::new(),
        secret_hint: None,
        permissions: None,
        kind_label: None,
        extra,
    }
}

/// Every log line of this process, from the moment `install` runs (the only global subscriber
/// of its test binary).
#[derive(Clone, Default)]
pub struct LogCapture(Arc<Mutex<Vec<u8>>>);

impl LogCapture {
    /// Capture everything at TRACE, `log` records included. Panics if another subscriber was
    /// installed first: a canary must see every line.
    pub fn install() -> LogCapture {
        let capture = LogCapture::default();
        tracing_subscriber::fmt()
            .with_writer(capture.clone())
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .try_init()
            .expect("the log capture is the only subscriber of this test binary");
        capture
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }
}

impl Write for LogCapture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogCapture {
    type Writer = LogCapture;
    fn make_writer(&'a self) -> LogCapture {
        self.clone()
    }
}

/// Texts a secret must not be in, each named for the failure message.
#[derive(Debug, Clone, Default)]
pub struct Outputs(pub Vec<(String, String)>);

impl Outputs {
    pub fn add(&mut self, what: impl Into<String>, text: impl Into<String>) {
        self.0.push((what.into(), text.into()));
    }

    pub fn json<T: serde::Serialize>(&mut self, what: &str, value: &T) {
        self.add(
            what,
            serde_json::to_string(value).expect("outputs serialize"),
        );
    }

    /// An error as every shell shows it: message, `Debug`, and its public form.
    pub fn error(&mut self, what: &str, err: &crate::Error) {
        self.add(format!("{what} (message)"), err.to_string());
        self.add(format!("{what} (debug)"), format!("{err:?}"));
        self.json(&format!("{what} (public)"), &err.to_public());
    }

    /// Every file under `dir` except those `skip` names.
    pub fn files_under(&mut self, dir: &Path, skip: &dyn Fn(&Path) -> bool) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if skip(&path) {
                continue;
            }
            if path.is_dir() {
                self.files_under(&path, skip);
            } else if let Ok(bytes) = std::fs::read(&path) {
                self.add(path.display().to_string(), String::from_utf8_lossy(&bytes));
            }
        }
    }

    /// Panics, naming where and with the text around it, if `secret` is in any output.
    pub fn assert_absent(&self, secret: &str, what_secret: &str) {
        assert!(secret.len() >= 16, "a canary must be unmistakable");
        for (what, text) in &self.0 {
            assert!(
                !text.contains(secret),
                "{what_secret} appears in {what}: {}",
                excerpt(text, secret)
            );
        }
    }
}

/// Up to 80 characters before the secret, and the secret.
fn excerpt(text: &str, secret: &str) -> String {
    let at = text.find(secret).unwrap_or(0);
    let start = text[..at]
        .char_indices()
        .rev()
        .nth(80)
        .map_or(0, |(i, _)| i);
    text[start..(at + secret.len()).min(text.len())].to_string()
}
