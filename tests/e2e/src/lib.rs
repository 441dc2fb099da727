//! Harness for end-to-end tests of the real Keyrack binary, driven through WebKitWebDriver.
//! Run under `xvfb-run -a dbus-run-session` (see scripts/e2e.sh).
//!
//! ```no_run
//! # async fn t() {
//! keyrack_e2e::with_app("shell_renders", |app| async move {
//!     let search = app.wait_for("#search").await;
//!     assert_eq!(search.attr("type").await.unwrap().as_deref(), Some("search"));
//! })
//! .await;
//! # }
//! ```
//!
//! Each app gets its own HOME and XDG config/data/cache/state directories in a temp dir, so
//! tests never touch the user's files (not even `~/.oci/config`). `with_app` saves
//! `target/e2e-artifacts/<name>.png` whatever happens.

pub mod driver;
pub mod native_dialog;
mod output;
pub mod procfs;
pub mod ui;

use std::ffi::OsStr;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use futures::FutureExt;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use driver::Driver;

/// How long to wait for the driver, the window or an element before failing.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// Mesa's shader cache would write into the test's cache dir after it is gone.
const QUIET_ENV: &[(&str, &str)] = &[("MESA_SHADER_CACHE_DISABLE", "true")];

/// The app's home is the per-test directory, and the OCI config file the one in it: saving an
/// OCI profile writes there, and the save dialog opens there.
fn home_env(home: &Path) -> Vec<(&'static str, PathBuf)> {
    vec![
        ("HOME", home.to_path_buf()),
        ("OCI_CONFIG_FILE", home.join(".oci").join("config")),
    ]
}

/// The XDG variables pointed at the per-test directory.
const XDG_DIRS: &[(&str, &str)] = &[
    ("XDG_CONFIG_HOME", "config"),
    ("XDG_DATA_HOME", "data"),
    ("XDG_CACHE_HOME", "cache"),
    ("XDG_STATE_HOME", "state"),
];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// The app under test: `$KEYRACK_APP_BIN`, else the workspace's debug build.
pub fn app_binary() -> PathBuf {
    let path = std::env::var_os("KEYRACK_APP_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug/keyrack-app"));
    std::fs::canonicalize(&path).unwrap_or_else(|e| {
        panic!(
            "app binary {} not found ({e}); build it with `cargo build -p keyrack`",
            path.display()
        )
    })
}

/// Where screenshots and other evidence go: `target/e2e-artifacts/`.
pub fn artifacts_dir() -> PathBuf {
    let dir = target_dir().join("e2e-artifacts");
    std::fs::create_dir_all(&dir).expect("create e2e-artifacts");
    dir
}

/// Waits until the file at `path` exists with content for which `check` holds; returns it.
pub async fn wait_file(path: &Path, check: impl Fn(&str) -> bool) -> String {
    poll(&format!("the file {}", path.display()), TIMEOUT, || async {
        let text = std::fs::read_to_string(path).ok()?;
        check(&text).then_some(text)
    })
    .await
}

/// Polls `probe` until it returns `Some`, or panics after `timeout` naming `what`.
pub async fn poll<T, F, Fut>(what: &str, timeout: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(
            start.elapsed() < timeout,
            "timed out after {timeout:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Live (non-zombie) processes of the app binary started with `home`'s private directories.
/// WebKit's helper processes inherit the same environment, so the binary is checked too.
pub fn app_pids(home: &Path) -> Vec<u32> {
    let marker = format!("XDG_CONFIG_HOME={}", home.join("config").display());
    let binary = app_binary();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let proc_dir = PathBuf::from(format!("/proc/{pid}"));
            let is_app = std::fs::read_link(proc_dir.join("exe")).is_ok_and(|exe| exe == binary);
            let ours = std::fs::read(proc_dir.join("environ"))
                .is_ok_and(|env| env.split(|b| *b == 0).any(|var| var == marker.as_bytes()));
            is_app && ours && procfs::is_alive(*pid)
        })
        .collect()
}

/// Waits for every app started with `home` to exit, sending SIGTERM and then SIGKILL to any
/// still there after `TIMEOUT`. The next test's app would otherwise hand over to a leftover
/// one (single instance) and exit at once.
async fn wait_app_exited(home: &Path) {
    for signal in ["TERM", "KILL"] {
        if no_app_within(home, TIMEOUT).await {
            return;
        }
        for pid in app_pids(home) {
            eprintln!("app {pid} outlived its session; sending SIG{signal}");
            driver::signal(pid, signal);
        }
    }
    assert!(
        no_app_within(home, TIMEOUT).await,
        "app {:?} survived SIGKILL",
        app_pids(home)
    );
}

/// Whether every app started with `home` is gone within `timeout`.
async fn no_app_within(home: &Path, timeout: Duration) -> bool {
    let start = Instant::now();
    while !app_pids(home).is_empty() {
        if start.elapsed() > timeout {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    true
}

/// A handle on the running app: its WebDriver session and its private directories.
#[derive(Clone)]
pub struct App {
    client: Client,
    home: PathBuf,
}

impl App {
    /// The WebDriver client, for anything the helpers do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The temp dir that is this app's HOME and holds its XDG directories (`config/`, `data/`,
    /// `cache/`, `state/`).
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// The app's process id.
    pub fn pid(&self) -> u32 {
        let pids = app_pids(&self.home);
        assert_eq!(pids.len(), 1, "expected one app process, found {pids:?}");
        pids[0]
    }

    /// Launches another copy of the app binary with this app's environment and waits up to
    /// `timeout` for it to exit. `None` if it was still running then (it is then killed).
    pub async fn launch_again(&self, timeout: Duration) -> Option<std::process::Output> {
        let mut child = Command::new(app_binary())
            .envs(xdg_env(&self.home))
            .envs(home_env(&self.home))
            .envs(QUIET_ENV.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start another copy of the app");
        let start = Instant::now();
        while child.try_wait().expect("poll the other copy").is_none() {
            if start.elapsed() > timeout {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Some(
            child
                .wait_with_output()
                .expect("collect the other copy's output"),
        )
    }

    /// Waits until one of the app's log files contains `needle`; returns that file's text.
    pub async fn wait_log(&self, needle: &str) -> String {
        let log_dir = self.home.join("data/dev.keyrack.app/logs");
        poll(&format!("{needle:?} in the app log"), TIMEOUT, || async {
            std::fs::read_dir(&log_dir)
                .ok()?
                .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                .find(|text| text.contains(needle))
        })
        .await
    }

    /// The first element matching `css`, waiting for it to appear.
    pub async fn wait_for(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(TIMEOUT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    /// Waits until the element matching `css` has text for which `check` holds; returns it.
    pub async fn wait_text(&self, css: &str, check: impl Fn(&str) -> bool) -> String {
        poll(&format!("text of {css}"), TIMEOUT, || async {
            let element = self.client.find(Locator::Css(css)).await.ok()?;
            let text = element.text().await.ok()?;
            check(&text).then_some(text)
        })
        .await
    }

    /// Calls a backend command from the page, exactly as the UI does, through Tauri's IPC
    /// (and so through the app's capabilities). `Err` holds what the backend rejected with.
    pub async fn invoke<T: DeserializeOwned>(
        &self,
        command: &str,
        args: Value,
    ) -> Result<T, Value> {
        let script = "const [cmd, args] = arguments;
            return window.__TAURI_INTERNALS__.invoke(cmd, args)
                .then(ok => ({ ok }), err => ({ err }));";
        let reply = self
            .client
            .execute(script, vec![json!(command), args])
            .await
            .unwrap_or_else(|e| panic!("executing invoke({command}) failed: {e}"));
        match reply {
            Value::Object(mut map) if map.contains_key("ok") => Ok(serde_json::from_value(
                map.remove("ok").unwrap_or(Value::Null),
            )
            .unwrap_or_else(|e| panic!("{command} returned an unexpected shape: {e}"))),
            Value::Object(mut map) if map.contains_key("err") => Err(map.remove("err").unwrap()),
            other => panic!("invoke({command}) gave {other}"),
        }
    }

    /// Saves a PNG of the window to `target/e2e-artifacts/<name>.png` and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        self.try_screenshot(name)
            .await
            .unwrap_or_else(|e| panic!("screenshot {name}: {e}"))
    }

    async fn try_screenshot(&self, name: &str) -> Result<PathBuf, Box<dyn std::error::Error>> {
        // WebKit captures the last painted frame: first let the page paint the current DOM.
        let painted = "return new Promise(done =>
            requestAnimationFrame(() => requestAnimationFrame(() => done(true))));";
        self.client.execute(painted, vec![]).await?;
        let png = self.client.screenshot().await?;
        let path = artifacts_dir().join(format!("{name}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
    }
}

fn xdg_env(home: &Path) -> Vec<(&'static str, PathBuf)> {
    XDG_DIRS
        .iter()
        .map(|(var, dir)| (*var, home.join(dir)))
        .collect()
}

/// What tauri-driver 2.1.0 made of `{"browserName": "wry", "tauri:options": {"application",
/// "args"}}` for WebKitWebDriver: the same, with `tauri:options` renamed to
/// `webkitgtk:browserOptions` and `application` to `binary`.
fn capabilities(app: &Path) -> Value {
    json!({
        "browserName": "wry",
        "webkitgtk:browserOptions": { "binary": app, "args": [] },
    })
}

/// What the desktop app reads to open its sandbox's control API to the tests (and only then).
const SANDBOX_CONTROL_TOKEN_VAR: &str = "KEYRACK_SANDBOX_CONTROL_TOKEN";

/// This test process's token for the apps' sandbox control API: random, 64 hex digits.
pub fn sandbox_control_token() -> &'static str {
    static TOKEN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TOKEN.get_or_init(|| {
        let mut bytes = [0u8; 32];
        let mut urandom = std::fs::File::open("/dev/urandom").expect("open /dev/urandom");
        std::io::Read::read_exact(&mut urandom, &mut bytes).expect("read /dev/urandom");
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    })
}

/// Starts the app in a fresh WebDriver session with private XDG directories, waits for the UI
/// to mount, runs `test`, saves `target/e2e-artifacts/<name>.png`, and shuts everything down,
/// even when `test` panics. If the driver or the app dies meanwhile, panics at once saying so.
pub async fn with_app<F, Fut>(name: &str, test: F)
where
    F: FnOnce(App) -> Fut,
    Fut: Future<Output = ()>,
{
    with_prepared_app(name, |_| {}, test).await
}

/// [`with_app`], after `prepare` has put files into the app's fresh home (its XDG directories
/// exist by then), e.g. a sandbox state file with thousands of keys for the benchmarks.
pub async fn with_prepared_app<F, Fut>(name: &str, prepare: impl FnOnce(&Path), test: F)
where
    F: FnOnce(App) -> Fut,
    Fut: Future<Output = ()>,
{
    let home = tempfile::Builder::new()
        .prefix("keyrack-e2e-")
        .tempdir()
        .expect("temp dir");
    let env = xdg_env(home.path());
    for (_, dir) in &env {
        std::fs::create_dir_all(dir).expect("create XDG dir");
    }
    prepare(home.path());
    let started = Instant::now();
    let quiet = QUIET_ENV.iter().map(|(k, v)| (*k, OsStr::new(*v)));
    // The app's sandbox answers its control API (faults) only to holders of this token.
    let control = [(
        SANDBOX_CONTROL_TOKEN_VAR,
        OsStr::new(sandbox_control_token()),
    )];
    let home_vars = home_env(home.path());
    let mut driver = Driver::start(
        driver::WEBKIT_WEBDRIVER,
        env.iter()
            .chain(&home_vars)
            .map(|(k, v)| (*k, v.as_os_str()))
            .chain(quiet)
            .chain(control),
    );
    let outcome = AssertUnwindSafe(run_session(name, &mut driver, home.path(), test))
        .catch_unwind()
        .await;
    // Whatever happened, leave neither a driver nor an app behind for the next test.
    driver.stop();
    wait_app_exited(home.path()).await;
    eprintln!(
        "[e2e] {name}: app gone {:?} after the driver started",
        started.elapsed()
    );
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// `with_app`'s session: launch the app, run `test` while watching the driver and the app,
/// take the screenshot, end the session.
async fn run_session<F, Fut>(name: &str, driver: &mut Driver, home: &Path, test: F)
where
    F: FnOnce(App) -> Fut,
    Fut: Future<Output = ()>,
{
    let client = driver.new_session(capabilities(&app_binary())).await;
    let app = App {
        client: client.clone(),
        home: home.to_path_buf(),
    };
    let started = Instant::now();
    let body = async {
        // The UI is mounted once its shell exists; every test starts from there.
        app.wait_for(".shell").await;
        eprintln!("[e2e] {name}: session up, app pid {:?}", app_pids(home));
        test(app.clone()).await;
    };
    let outcome = match driver.watch(AssertUnwindSafe(body).catch_unwind()).await {
        Ok(outcome) => outcome,
        Err(death) => panic!(
            "[e2e] {name}: {death} during the test\n{}",
            driver.describe()
        ),
    };
    eprintln!("[e2e] {name}: test body done after {:?}", started.elapsed());
    if let Err(e) = app.try_screenshot(name).await {
        eprintln!("no screenshot for {name}: {e}");
    }
    // Ending the session makes WebKitWebDriver stop the app, which may take a moment to exit:
    // wait for that before the driver goes, or the app would be cut short with SIGTERM.
    match client.close().await {
        Ok(()) => {
            driver.wait_app_gone(TIMEOUT).await;
        }
        Err(e) => eprintln!("[e2e] {name}: ending the session failed: {e}"),
    }
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}
