//! The app as the mock-runtime tests drive it: the real configuration, capabilities and commands
//! (`keyrack_app::configure` + `keyrack_app::context`), over an `AppState` in a temp directory
//! with the in-memory keychain, a fake clipboard and a fake save dialog. No display, no D-Bus, no
//! real keychain. `HOME` and `OCI_CONFIG_FILE` point into one temp directory for the whole
//! binary, so the OCI config file the app writes is never the user's.
#![allow(dead_code)] // Each test binary uses a different part.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use keyrack_app::save_picker::{SavePicker, SaveRequest};
use keyrack_app::state::AppState;
use keyrack_core::accounts::Options;
use keyrack_core::clipboard::Clipboard;
use keyrack_core::settings::Paths;
use keyrack_core::vault::MemoryStore;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Listener, Manager, WebviewWindow, WebviewWindowBuilder};

/// The system clipboard, in memory.
#[derive(Default)]
pub struct FakeClipboard {
    pub text: Mutex<Option<String>>,
}

impl Clipboard for FakeClipboard {
    fn set_secret(&self, text: &str) -> keyrack_core::Result<()> {
        *self.text.lock().unwrap() = Some(text.to_string());
        Ok(())
    }
    fn get_text(&self) -> Option<String> {
        self.text.lock().unwrap().clone()
    }
    fn clear(&self) -> keyrack_core::Result<()> {
        *self.text.lock().unwrap() = None;
        Ok(())
    }
}

impl FakeClipboard {
    pub fn current(&self) -> Option<String> {
        self.text.lock().unwrap().clone()
    }
}

/// The native save dialog, answered by the test: each `pick` takes the next queued answer
/// (`Some(path)`: the user chose it; `None`: they cancelled). With nothing queued it cancels,
/// so a test that forgot to answer writes nothing.
#[derive(Default)]
pub struct FakePicker {
    answers: Mutex<VecDeque<Option<PathBuf>>>,
    asked: Mutex<Vec<SaveRequest>>,
}

impl FakePicker {
    /// The user will choose `path` in the next dialog.
    pub fn choose(&self, path: impl Into<PathBuf>) {
        self.answers.lock().unwrap().push_back(Some(path.into()));
    }

    /// The user will cancel the next dialog.
    pub fn cancel(&self) {
        self.answers.lock().unwrap().push_back(None);
    }

    /// Drops answers no dialog took (the command was refused before it opened one), so they
    /// cannot answer a later dialog.
    pub fn forget(&self) {
        self.answers.lock().unwrap().clear();
    }

    /// Every dialog opened so far, in order.
    pub fn asked(&self) -> Vec<SaveRequest> {
        self.asked.lock().unwrap().clone()
    }
}

impl SavePicker for FakePicker {
    fn pick(&self, request: SaveRequest) -> BoxFuture<'static, Option<PathBuf>> {
        self.asked.lock().unwrap().push(request);
        let answer = self.answers.lock().unwrap().pop_front().flatten();
        Box::pin(async move { answer })
    }
}

/// The home directory of this test binary: `HOME`, with `OCI_CONFIG_FILE` at its
/// `.oci/config`. Set once, by the first `TestApp`, before any test starts a runtime thread.
pub fn fake_home() -> &'static Path {
    static HOME: OnceLock<tempfile::TempDir> = OnceLock::new();
    HOME.get_or_init(|| {
        let home = tempfile::Builder::new()
            .prefix("keyrack-desktop-home-")
            .tempdir()
            .unwrap();
        std::env::set_var("HOME", home.path());
        std::env::set_var("OCI_CONFIG_FILE", home.path().join(".oci").join("config"));
        home
    })
    .path()
}

/// The OCI config file the app writes to, emptied, held by the caller alone until the guard
/// drops: tests that add profiles to it run one at a time.
pub fn oci_config() -> (MutexGuard<'static, ()>, PathBuf) {
    static LOCK: Mutex<()> = Mutex::new(());
    let guard = LOCK.lock().unwrap_or_else(|p| p.into_inner());
    let path = fake_home().join(".oci").join("config");
    match std::fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => panic!("could not empty {}: {e}", path.display()),
    }
    (guard, path)
}

/// A file's permission bits.
#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(not(unix))]
pub fn mode(_: &Path) -> u32 {
    0o600
}

/// Every event the backend sent, as (name, JSON payload text), in order.
pub type Events = Arc<Mutex<Vec<(String, String)>>>;

pub const EVENTS: &[&str] = &[
    "inventory-progress",
    "keys-changed",
    "accounts-changed",
    "clipboard-cleared",
    "tray-action",
    "secrets-changed",
];

/// Call a command from `window`.
pub fn invoke_in(
    window: &WebviewWindow<MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

pub struct TestApp {
    pub app: App<MockRuntime>,
    pub window: WebviewWindow<MockRuntime>,
    pub dir: tempfile::TempDir,
    pub paths: Paths,
    pub store: Arc<MemoryStore>,
    pub clipboard: Arc<FakeClipboard>,
    pub picker: Arc<FakePicker>,
    pub events: Events,
    /// Every IPC response body (ok or error) as text, for the canary test.
    pub responses: Mutex<Vec<(String, String)>>,
}

/// The token the tests' sandboxes accept on their control API.
const CONTROL_TOKEN: &str = "desktop-tests-control-token-0123456789";

pub struct Setup {
    /// Start the in-process sandbox (five accounts against the built-in emulator).
    pub sandbox: bool,
    /// Attach a tray menu (without an icon), as `run` does with its tray.
    pub tray: bool,
    pub store: Arc<MemoryStore>,
    /// A settings file to start from.
    pub settings: Option<&'static str>,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            sandbox: true,
            tray: true,
            store: Arc::new(MemoryStore::new()),
            settings: None,
        }
    }
}

impl TestApp {
    pub fn new() -> TestApp {
        TestApp::with(Setup::default())
    }

    pub fn with(setup: Setup) -> TestApp {
        fake_home();
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        if let Some(text) = setup.settings {
            std::fs::create_dir_all(&paths.config_dir).unwrap();
            std::fs::write(paths.settings_file(), text).unwrap();
        }
        let clipboard = Arc::new(FakeClipboard::default());
        let options = Options {
            paths: paths.clone(),
            store: setup.store.clone(),
            http: None,
            // The control API (fault injection) answers this test's token only.
            sandbox: setup.sandbox.then(|| {
                Arc::new(keyrack_sandbox::InProcessWithControl {
                    token: CONTROL_TOKEN.into(),
                }) as Arc<dyn keyrack_core::sandbox::Launcher>
            }),
        };
        let picker = Arc::new(FakePicker::default());
        let state = tauri::async_runtime::block_on(AppState::open(
            options,
            clipboard.clone(),
            picker.clone(),
        ))
        .expect("state opens");

        let app = keyrack_app::configure(mock_builder())
            .build(keyrack_app::context())
            .expect("mock app builds");
        app.manage(state);
        let window = WebviewWindowBuilder::new(&app, keyrack_app::window::MAIN, Default::default())
            .build()
            .expect("main window");
        if setup.tray {
            keyrack_app::tray::attach_menu(app.handle()).unwrap();
        }
        let events: Events = Arc::default();
        for name in EVENTS {
            let sink = events.clone();
            let name = name.to_string();
            app.listen_any(name.clone(), move |event| {
                sink.lock()
                    .unwrap()
                    .push((name.clone(), event.payload().to_string()));
            });
        }
        TestApp {
            app,
            window,
            dir,
            paths,
            store: setup.store,
            clipboard,
            picker,
            events,
            responses: Mutex::new(Vec::new()),
        }
    }

    pub fn state(&self) -> tauri::State<'_, AppState> {
        self.app.state::<AppState>()
    }

    /// Call a command from the main window, as the UI does.
    pub fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let result = invoke_in(&self.window, cmd, args);
        let text = match &result {
            Ok(v) | Err(v) => v.to_string(),
        };
        self.responses.lock().unwrap().push((cmd.to_string(), text));
        result
    }

    /// `invoke` that must succeed.
    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.invoke(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    /// `invoke` that must fail; returns the `PublicError`.
    pub fn err(&self, cmd: &str, args: Value) -> Value {
        match self.invoke(cmd, args) {
            Ok(v) => panic!("{cmd} succeeded: {v}"),
            Err(e) => e,
        }
    }

    /// `secret_save` of `handle` in `format`, the user choosing `path` in the save dialog.
    pub fn save(&self, handle: &str, format: &str, path: &Path) -> Result<Value, Value> {
        self.picker.choose(path);
        let result = self.invoke("secret_save", json!({ "handle": handle, "format": format }));
        self.picker.forget();
        result
    }

    /// Payloads of the events named `name` so far.
    pub fn events_named(&self, name: &str) -> Vec<Value> {
        self.events
            .lock()
            .unwrap()
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, p)| serde_json::from_str(p).unwrap_or(Value::Null))
            .collect()
    }

    pub fn clear_events(&self) {
        self.events.lock().unwrap().clear();
    }

    /// Wait until an event named `name` whose payload passes `matches` arrives.
    pub fn wait_event(
        &self,
        name: &str,
        timeout: Duration,
        matches: impl Fn(&Value) -> bool,
    ) -> Value {
        let start = Instant::now();
        loop {
            if let Some(found) = self.events_named(name).into_iter().find(|p| matches(p)) {
                return found;
            }
            assert!(
                start.elapsed() < timeout,
                "no `{name}` event within {timeout:?}; got {:?}",
                self.events.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The tray menu as `tray_menu_items` reads it back.
    pub fn tray(&self) -> Vec<Value> {
        self.ok("tray_menu_items", json!({}))
            .as_array()
            .unwrap()
            .clone()
    }

    pub fn tray_item(&self, id: &str) -> Option<Value> {
        self.tray().into_iter().find(|i| i["id"] == id)
    }

    pub fn temp_path(&self, name: &str) -> PathBuf {
        self.dir.path().join("out").join(name)
    }

    /// `host:port` of the sandbox emulator, from a sandbox account's settings.
    pub fn emulator_address(&self) -> String {
        let accounts = self.ok("accounts_list", json!({}));
        let url = accounts
            .as_array()
            .unwrap()
            .iter()
            .find_map(|a| a["settings"]["base_url"].as_str().map(str::to_string))
            .expect("a sandbox account with a base_url");
        let rest = url.strip_prefix("http://").expect("an http:// base_url");
        rest.split('/').next().unwrap().to_string()
    }

    /// One request to the sandbox emulator (`Connection: close`), as (status, body). `headers`
    /// are full header lines without the line end.
    pub fn emulator_request(
        &self,
        method: &str,
        path: &str,
        headers: &[String],
        body: &str,
    ) -> (u16, String) {
        use std::io::{Read, Write};
        let address = self.emulator_address();
        let mut stream = std::net::TcpStream::connect(&address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\n");
        for h in headers {
            head.push_str(h);
            head.push_str("\r\n");
        }
        write!(
            stream,
            "{head}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        let status = reply
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = reply
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }

    /// The sandbox emulator's manifest (its credentials and ids per vendor).
    pub fn emulator_manifest(&self) -> Value {
        let (status, body) = self.emulator_request(
            "GET",
            "/__emulator/manifest",
            &[format!("X-Keyrack-Control-Token: {CONTROL_TOKEN}")],
            "",
        );
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    }

    /// Adds a fault rule to the sandbox emulator (`POST /__emulator/faults`).
    pub fn inject_fault(&self, rule: Value) {
        use std::io::{Read, Write};
        let address = self.emulator_address();
        let body = rule.to_string();
        let mut stream = std::net::TcpStream::connect(&address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "POST /__emulator/faults HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
             X-Keyrack-Control-Token: {CONTROL_TOKEN}\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        assert!(
            reply.starts_with("HTTP/1.1 201"),
            "fault {rule} refused: {reply}"
        );
    }

    /// A sandbox account id, e.g. `sandbox-ibm`.
    pub fn sandbox(vendor: &str) -> String {
        format!("sandbox-{vendor}")
    }
}
