//! WebKitWebDriver, started once per test. The harness talks to it directly: tauri-driver
//! 2.1.0 on Linux only proxied to it and renamed one capability (see `capabilities` in lib.rs),
//! and it needed two ports chosen up front.
//!
//! The driver is started on port 0 and the kernel's choice is read from /proc, so no port is
//! ever free between being chosen and being listened on. Anything that dies (the driver, or the
//! app it launched) is noticed within a poll interval, and the panic names the driver's pid,
//! port and exit status, with the last lines of its stderr, which the app shares.

use std::ffi::OsStr;
use std::future::Future;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::Value;

use crate::output::Output;
use crate::procfs;
use crate::TIMEOUT;

/// The WebDriver server for WebKitGTK (Debian package webkit2gtk-driver).
pub const WEBKIT_WEBDRIVER: &str = "WebKitWebDriver";

/// How often a waiting harness looks at the driver and the app.
const POLL: Duration = Duration::from_millis(50);

/// How long the app may take to start and accept the session (a debug build on a busy machine).
const SESSION_TIMEOUT: Duration = Duration::from_secs(60);

/// A running WebDriver server.
pub struct Driver {
    name: String,
    child: Child,
    port: u16,
    stderr: Output,
    /// The first process the driver started: the app (the "browser"), once seen.
    app: Option<u32>,
    stopped: bool,
}

impl Driver {
    /// Starts `program` (normally [`WEBKIT_WEBDRIVER`]) on a port of the kernel's choosing with
    /// `env` added to its environment (the app it launches inherits it), and waits until it
    /// answers `GET /status` as a WebDriver server. Panics, with the driver's stderr, if it
    /// exits or does not get ready within [`TIMEOUT`].
    pub fn start<K, V>(program: impl AsRef<OsStr>, env: impl IntoIterator<Item = (K, V)>) -> Driver
    where
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        let program = program.as_ref();
        let name = std::path::Path::new(program)
            .file_name()
            .unwrap_or(program)
            .to_string_lossy()
            .into_owned();
        let mut child = Command::new(program)
            .args(["--port=0", "--host=127.0.0.1"])
            // What tauri-driver set: Tauri 2 (and 1) apps accept automation only with it.
            .env("TAURI_WEBVIEW_AUTOMATION", "true")
            .env("TAURI_AUTOMATION", "true")
            .envs(env)
            .stdin(Stdio::null())
            // WebKitWebDriver prints nothing there, nor does the app (it logs to stderr).
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {}: {e} (WebKitWebDriver comes with the Debian package \
                     webkit2gtk-driver: scripts/setup.sh test)",
                    program.to_string_lossy()
                )
            });
        let stderr = Output::capture(child.stderr.take().expect("piped stderr"), "driver");
        let mut driver = Driver {
            name,
            child,
            port: 0,
            stderr,
            app: None,
            stopped: false,
        };
        // On a panic below, dropping `driver` stops the child.
        driver.port = driver.wait_listening();
        driver.wait_ready();
        driver
    }

    /// The driver's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The port the driver listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The app the driver launched, once [`Driver::check`] has seen it.
    pub fn app(&self) -> Option<u32> {
        self.app
    }

    /// The driver's base URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn wait_listening(&mut self) -> u16 {
        let start = Instant::now();
        loop {
            if let Err(death) = self.check() {
                panic!("{death} before listening on a port\n{}", self.describe());
            }
            if let Some(&port) = procfs::listening_ports(self.pid()).first() {
                return port;
            }
            if start.elapsed() > TIMEOUT {
                let described = self.describe();
                panic!(
                    "{} listened on no port within {TIMEOUT:?}\n{described}",
                    self.name
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits until `GET /status` gives WebDriver's `{"value": {"ready": true, ...}}`.
    fn wait_ready(&mut self) {
        let start = Instant::now();
        loop {
            let answer = status(self.port);
            if let Err(death) = self.check() {
                panic!("{death} before it was ready\n{}", self.describe());
            }
            let failure = match answer {
                Ok(body) if body["value"]["ready"] == Value::Bool(true) => return,
                Ok(body) => format!("GET /status answered {body}"),
                Err(e) => format!("GET /status failed: {e}"),
            };
            if start.elapsed() > TIMEOUT {
                let described = self.describe();
                panic!(
                    "{} on port {} is not a ready WebDriver server: {failure}\n{described}",
                    self.name, self.port
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// `Err` saying what died if the driver has exited, or if the app it launched (once
    /// seen) has.
    pub fn check(&mut self) -> Result<(), String> {
        if let Ok(Some(status)) = self.child.try_wait() {
            return Err(format!("{} exited ({status})", self.name));
        }
        let children = procfs::live_children(self.pid());
        match self.app {
            None => self.app = children.first().copied(),
            Some(app) if !children.contains(&app) => {
                return Err(format!("the app (pid {app}) that {} ran exited", self.name));
            }
            Some(_) => {}
        }
        Ok(())
    }

    /// Runs `work` while watching the driver and the app: `Err` saying what died as soon as
    /// one of them does (`work` is then dropped).
    pub async fn watch<T>(&mut self, work: impl Future<Output = T>) -> Result<T, String> {
        let mut work = std::pin::pin!(work);
        let mut ticks = tokio::time::interval(POLL);
        loop {
            tokio::select! {
                done = &mut work => return Ok(done),
                _ = ticks.tick() => self.check()?,
            }
        }
    }

    /// A new WebDriver session with `capabilities` (which make the driver launch the app).
    /// Panics if the driver refuses it, if the driver or the app dies first, or after
    /// [`SESSION_TIMEOUT`]; the message says whether the driver still runs and shows its
    /// stderr.
    pub async fn new_session(&mut self, capabilities: Value) -> Client {
        let capabilities = serde_json::from_value(capabilities).expect("capabilities object");
        let url = self.url();
        let mut builder = ClientBuilder::native();
        let connect = builder.capabilities(capabilities).connect(&url);
        let failure = match tokio::time::timeout(SESSION_TIMEOUT, self.watch(connect)).await {
            Ok(Ok(Ok(client))) => return client,
            Ok(Ok(Err(e))) => format!("{} refused the session: {e}", self.name),
            Ok(Err(death)) => death,
            Err(_) => format!("no session within {SESSION_TIMEOUT:?}"),
        };
        panic!(
            "creating a WebDriver session with the app failed: {failure}\n{}",
            self.describe()
        );
    }

    /// The driver's pid, port, whether it still runs, and its last stderr lines.
    pub fn describe(&mut self) -> String {
        let state = match self.child.try_wait() {
            Ok(Some(status)) => {
                // It exited: let the reader take in what it wrote last. Only a bounded wait,
                // as an app it launched may still hold the pipe open.
                self.stderr.wait_ended(Duration::from_secs(2));
                format!("exited ({status})")
            }
            Ok(None) => "still runs".to_owned(),
            Err(e) => format!("cannot be polled ({e})"),
        };
        let lines = self.stderr.lines();
        let said = if lines.is_empty() {
            "It printed nothing on stderr.".to_owned()
        } else {
            format!(
                "Its stderr (the app it runs writes there too), last {} lines:\n    {}",
                lines.len(),
                lines.join("\n    ")
            )
        };
        format!(
            "{} (pid {}, port {}) {state}. {said}",
            self.name,
            self.pid(),
            self.port
        )
    }

    /// Waits up to `timeout` until no app the driver launched runs any more; whether it got
    /// there. Only the driver's view is exact: it reaps the app once the app has fully exited,
    /// whereas /proc hides an exiting app's binary and environment a little earlier.
    pub async fn wait_app_gone(&self, timeout: Duration) -> bool {
        let start = Instant::now();
        while !procfs::live_children(self.pid()).is_empty() {
            if start.elapsed() > timeout {
                return false;
            }
            tokio::time::sleep(POLL).await;
        }
        true
    }

    /// Stops the driver, and the app it launched if that still runs: without the driver no
    /// one would end it, and a leftover app would take over the next test's launch (the app
    /// is single-instance).
    pub fn stop(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        let apps = procfs::live_children(self.pid());
        let _ = self.child.kill();
        let _ = self.child.wait();
        for pid in apps {
            eprintln!(
                "{} stopped while its app {pid} ran; sending it SIGTERM",
                self.name
            );
            signal(pid, "TERM");
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Sends `signal` (`TERM`, `KILL`) to `pid` with kill(1); this crate forbids `unsafe`.
pub fn signal(pid: u32, signal: &str) {
    let _ = Command::new("kill")
        .args([format!("-{signal}"), pid.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// `GET /status` on `127.0.0.1:port`: the JSON body of a 200 answer.
fn status(port: u16) -> Result<Value, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(TIMEOUT))
        .map_err(|e| e.to_string())?;
    stream
        .write_all(b"GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .map_err(|e| e.to_string())?;
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).map_err(|e| e.to_string())?;
    let reply = String::from_utf8_lossy(&reply);
    let (head, body) = reply
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("no HTTP answer: {reply:?}"))?;
    if !head.starts_with("HTTP/1.1 200 ") && !head.starts_with("HTTP/1.0 200 ") {
        return Err(format!("answer {:?}", head.lines().next().unwrap_or("")));
    }
    serde_json::from_str(body).map_err(|e| format!("not JSON ({e}): {body:?}"))
}
