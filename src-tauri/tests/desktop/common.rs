//! The app as the mock-runtime tests drive it: the real configuration, capabilities and commands
//! (`keyrack_app::configure` + `keyrack_app::context`), over an `AppState` in a temp directory
//! with the in-memory keychain and a fake clipboard. No display, no D-Bus, no real keychain.
#![allow(dead_code)] // Each test binary uses a different part.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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
    pub events: Events,
    /// Every IPC response body (ok or error) as text, for the canary test.
    pub responses: Mutex<Vec<(String, String)>>,
}

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
            sandbox: setup.sandbox.then(|| {
                Arc::new(keyrack_sandbox::InProcess) as Arc<dyn keyrack_core::sandbox::Launcher>
            }),
        };
        let state = tauri::async_runtime::block_on(AppState::open(options, clipboard.clone()))
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

    /// A sandbox account id, e.g. `sandbox-ibm`.
    pub fn sandbox(vendor: &str) -> String {
        format!("sandbox-{vendor}")
    }
}
