//! The native save dialog the app opens itself (GTK's file chooser), driven as a user would: by
//! the keyboard, through `xdotool` on the session's X display. The dialog is not part of the
//! page, so WebDriver cannot reach it.
//!
//! Every step waits for what the user would see (the window appearing, going, the "Replace?"
//! question, the name field's completion list) and, when it does not come, panics naming what
//! it waited for and where a picture of the whole screen was saved. Windows are told apart by
//! their X properties (`xprop`): the questions over the dialog are transient for it.

use std::collections::BTreeSet;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tokio::process::Command;

use crate::{artifacts_dir, App, TIMEOUT};

/// A save dialog on screen.
pub struct SaveDialog {
    app_pid: u32,
    /// xdotool's window id.
    window: String,
    title: String,
}

impl App {
    /// Waits for the app's save dialog whose title contains `title` (plain text, e.g. the key's
    /// name) to be on screen.
    pub async fn save_dialog(&self, title: &str) -> SaveDialog {
        let app_pid = self.pid();
        let pattern = regex_escape(title);
        let window = wait_screen(
            &format!("a save dialog titled …{title}… on screen"),
            || async {
                windows(&[
                    "--all",
                    "--onlyvisible",
                    "--pid",
                    &app_pid.to_string(),
                    "--name",
                    &pattern,
                ])
                .await
                .into_iter()
                .next()
            },
        )
        .await;
        SaveDialog {
            app_pid,
            window,
            title: title.to_string(),
        }
    }
}

impl SaveDialog {
    /// Types `path` into the name field (an absolute path: GTK takes the folder from it too)
    /// and presses Return; waits until the dialog has gone.
    pub async fn save_as(self, path: &Path) {
        self.enter(path).await;
        self.wait_gone().await;
    }

    /// Presses Escape; waits until the dialog has gone.
    pub async fn cancel(self) {
        self.focus().await;
        xdotool(&["key", "--clearmodifiers", "Escape"]).await;
        self.wait_gone().await;
    }

    /// Chooses `path`, which exists: the dialog asks whether to replace it. `replace` answers
    /// yes (Return, the question's default) and waits until the dialog has gone; otherwise
    /// answers no (Escape) and waits until the question has gone, leaving the dialog open.
    pub async fn save_over(self, path: &Path, replace: bool) -> Option<SaveDialog> {
        self.enter(path).await;
        let question = wait_screen(
            &format!(
                "the \"Replace?\" question over the dialog {:?} for {}",
                self.title,
                path.display()
            ),
            || self.over(Kind::Dialog),
        )
        .await;
        focus(&question).await;
        if replace {
            xdotool(&["key", "--clearmodifiers", "Return"]).await;
            self.wait_gone().await;
            None
        } else {
            xdotool(&["key", "--clearmodifiers", "Escape"]).await;
            wait_screen(
                &format!("the \"Replace?\" question to go after no ({question})"),
                || async { (!self.app_windows().await.contains(&question)).then_some(()) },
            )
            .await;
            Some(self)
        }
    }

    /// Replaces the suggested name with the whole path and presses Return.
    async fn enter(&self, path: &Path) {
        let text = path
            .to_str()
            .unwrap_or_else(|| panic!("{} is not UTF-8", path.display()));
        let offered = completes(path);
        self.focus().await;
        xdotool(&["key", "--clearmodifiers", "ctrl+a"]).await;
        xdotool(&["type", "--clearmodifiers", "--delay", "10", "--", text]).await;
        // When the folder has a name starting with the typed one, GTK opens its completion
        // list, and a Return would only close it: wait for the list and close it first.
        if offered {
            let list = wait_screen(
                &format!("the name field to offer completing {}", path.display()),
                || self.over(Kind::Combo),
            )
            .await;
            xdotool(&["key", "--clearmodifiers", "Escape"]).await;
            wait_screen(
                &format!("the completion list ({list}) to close"),
                || async { self.over(Kind::Combo).await.is_none().then_some(()) },
            )
            .await;
        }
        xdotool(&["key", "--clearmodifiers", "Return"]).await;
    }

    /// The window of `kind` over this dialog, if one is on screen.
    async fn over(&self, kind: Kind) -> Option<String> {
        for window in self.app_windows().await {
            if kind_over(&window, &self.window).await.as_ref() == Some(&kind) {
                return Some(window);
            }
        }
        None
    }

    async fn focus(&self) {
        focus(&self.window).await;
    }

    /// The app's windows on screen now.
    async fn app_windows(&self) -> BTreeSet<String> {
        windows(&["--onlyvisible", "--pid", &self.app_pid.to_string()])
            .await
            .into_iter()
            .collect()
    }

    async fn wait_gone(&self) {
        wait_screen(
            &format!("the save dialog {:?} to close", self.title),
            || async { (!self.app_windows().await.contains(&self.window)).then_some(()) },
        )
        .await;
    }
}

/// What a window kept above another is, by its window type.
#[derive(Debug, PartialEq, Eq)]
enum Kind {
    /// The "Replace?" question.
    Dialog,
    /// The name field's completion list.
    Combo,
}

/// What `window` is, if it is transient for `parent` and of a kind this module knows.
async fn kind_over(window: &str, parent: &str) -> Option<Kind> {
    let out = Command::new("xprop")
        .args(["-id", window, "_NET_WM_WINDOW_TYPE", "WM_TRANSIENT_FOR"])
        .output()
        .await
        .unwrap_or_else(|e| panic!("cannot run xprop: {e} (it comes with x11-utils)"));
    let text = String::from_utf8_lossy(&out.stdout);
    // `WM_TRANSIENT_FOR(WINDOW): window id # 0x200003`; xdotool prints ids in decimal.
    let over = text
        .lines()
        .filter_map(|l| l.strip_prefix("WM_TRANSIENT_FOR(WINDOW): window id # 0x"))
        .filter_map(|hex| u64::from_str_radix(hex.trim(), 16).ok())
        .any(|id| id.to_string() == parent);
    if !over {
        None
    } else if text.contains("_NET_WM_WINDOW_TYPE_DIALOG") {
        Some(Kind::Dialog)
    } else if text.contains("_NET_WM_WINDOW_TYPE_COMBO") {
        Some(Kind::Combo)
    } else {
        None
    }
}

/// Whether GTK's name field offers to complete `path`'s file name: some entry of its folder
/// starts with it (GTK compares without case).
fn completes(path: &Path) -> bool {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return false;
    };
    let name = name.to_string_lossy().to_lowercase();
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.filter_map(|e| e.ok()).any(|e| {
            e.file_name()
                .to_string_lossy()
                .to_lowercase()
                .starts_with(&name)
        })
    })
}

/// Polls `probe` until it returns `Some`. After [`TIMEOUT`], saves the whole X screen (the
/// dialog is not in WebDriver's screenshots) and panics naming `what` and that picture.
async fn wait_screen<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        if start.elapsed() > TIMEOUT {
            let shot = screen_shot().await;
            panic!("timed out after {TIMEOUT:?} waiting for {what}; the screen: {shot}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The X screen as `target/e2e-artifacts/native-dialog-<ms>.png` (ImageMagick's `import`).
async fn screen_shot() -> String {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let path: PathBuf = artifacts_dir().join(format!("native-dialog-{millis}.png"));
    match Command::new("import")
        .args(["-window", "root"])
        .arg(&path)
        .output()
        .await
    {
        Ok(out) if out.status.success() => path.display().to_string(),
        Ok(out) => format!(
            "not saved ({})",
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        Err(e) => format!("not saved (import: {e})"),
    }
}

/// Gives `window` the keyboard focus (there is no window manager to do it) and waits until it
/// has it.
async fn focus(window: &str) {
    xdotool(&["windowfocus", "--sync", window]).await;
}

/// Window ids `xdotool search ARGS` finds; none is not an error.
async fn windows(args: &[&str]) -> Vec<String> {
    let out = run(&[&["search"], args].concat()).await;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Runs `xdotool ARGS`, which must succeed.
async fn xdotool(args: &[&str]) {
    let out = run(args).await;
    assert!(
        out.status.success(),
        "xdotool {args:?} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn run(args: &[&str]) -> std::process::Output {
    Command::new("xdotool")
        .args(args)
        .output()
        .await
        .unwrap_or_else(|e| {
            panic!("cannot run xdotool {args:?}: {e} (it comes with scripts/setup.sh test)")
        })
}

/// `text` as a POSIX extended regular expression matching itself (xdotool's `--name`).
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\^$.|?*+()[]{}".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_matched_literally() {
        assert_eq!(regex_escape("e2e-cf.env (1)"), "e2e-cf\\.env \\(1\\)");
        assert_eq!(regex_escape("aa:bb"), "aa:bb");
    }
}
