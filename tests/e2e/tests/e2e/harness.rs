//! The harness's own guarantees: the driver gets a port nothing else can take, and a driver
//! or app that dies is reported at once with what it printed. Needs WebKitWebDriver, not the
//! app (a shell script stands in for it) nor a display.

use std::any::Any;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::FutureExt;
use keyrack_e2e::driver::{signal, Driver, WEBKIT_WEBDRIVER};
use keyrack_e2e::{procfs, TIMEOUT};
use serde_json::json;

const NO_ENV: [(&str, &str); 0] = [];

/// Writes an executable shell script.
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn panic_text(panic: Box<dyn Any + Send>) -> String {
    match panic.downcast::<String>() {
        Ok(text) => *text,
        Err(panic) => panic.downcast_ref::<&str>().unwrap_or(&"?").to_string(),
    }
}

/// Polls `done` until it holds; panics naming `what` after `TIMEOUT`.
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < TIMEOUT, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_driver_listens_on_a_port_it_holds_itself() {
    let mut driver = Driver::start(WEBKIT_WEBDRIVER, NO_ENV);
    let pid = driver.pid();
    assert!(
        procfs::listening_ports(pid).contains(&driver.port()),
        "port {} is not {WEBKIT_WEBDRIVER}'s own: {:?}",
        driver.port(),
        procfs::listening_ports(pid)
    );
    driver.check().unwrap();
    driver.stop();
    assert!(!procfs::is_alive(pid), "the driver outlived stop()");
}

/// The bug this harness had: the port was found free, released, then taken by the app's
/// sandbox emulator (which binds 127.0.0.1:0 too) before the driver could listen on it. Here a
/// thread does what the emulator does, as fast as it can, while drivers start one by one.
#[test]
fn ports_taken_by_others_meanwhile_do_not_break_the_start() {
    let stop = Arc::new(AtomicBool::new(false));
    let grabber = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
                held.push(listener);
                // Keep a window of recent ones: ports are grabbed and released all the time.
                if held.len() > 200 {
                    held.remove(0);
                }
            }
            held.len()
        })
    };
    for _ in 0..15 {
        let mut driver = Driver::start(WEBKIT_WEBDRIVER, NO_ENV);
        assert!(procfs::listening_ports(driver.pid()).contains(&driver.port()));
        driver.check().unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    assert!(grabber.join().unwrap() > 0);
}

#[test]
fn a_driver_that_exits_at_once_panics_with_its_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let fake = script(
        dir.path(),
        "fake-driver",
        "echo 'FATAL: Unable to listen for HTTP server at host 127.0.0.1 and port 0.' >&2\nexit 1",
    );
    let panic = std::panic::catch_unwind(|| Driver::start(&fake, NO_ENV))
        .err()
        .expect("a driver that exits at once");
    let text = panic_text(panic);
    assert!(
        text.contains("fake-driver exited (exit status: 1) before listening"),
        "{text}"
    );
    assert!(
        text.contains("FATAL: Unable to listen for HTTP server"),
        "{text}"
    );
}

#[tokio::test]
async fn a_session_on_a_dead_driver_says_the_driver_died() {
    let mut driver = Driver::start(WEBKIT_WEBDRIVER, NO_ENV);
    let pid = driver.pid();
    signal(pid, "KILL");
    wait_until("the driver to die", || !procfs::is_alive(pid));
    let capabilities = json!({ "webkitgtk:browserOptions": { "binary": "/bin/true" } });
    let panic = std::panic::AssertUnwindSafe(driver.new_session(capabilities))
        .catch_unwind()
        .await
        .expect_err("a session with a dead driver");
    let text = panic_text(panic);
    assert!(text.contains("creating a WebDriver session"), "{text}");
    assert!(
        text.contains(&format!("{WEBKIT_WEBDRIVER} (pid {pid}, port ")),
        "{text}"
    );
    assert!(text.contains("exited (signal: 9"), "{text}");
}

/// A stand-in app that the driver launches: it waits until something is written to `fifo`,
/// then exits. (It never answers the driver, so the session request stays pending.)
struct FakeApp {
    _dir: tempfile::TempDir,
    binary: PathBuf,
    fifo: PathBuf,
}

impl FakeApp {
    fn new() -> FakeApp {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("die");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success(), "mkfifo");
        let body = format!(
            "echo 'fake app: up' >&2\nread line < '{}'\necho 'fake app: exiting' >&2\nexit 3",
            fifo.display()
        );
        let binary = script(dir.path(), "fake-app", &body);
        FakeApp {
            _dir: dir,
            binary,
            fifo,
        }
    }

    /// Starts a driver and asks it for a session with this app, from a thread (the request
    /// only returns once the driver is gone); returns once the driver has launched the app.
    fn launched(&self) -> (Driver, u32) {
        let mut driver = Driver::start(WEBKIT_WEBDRIVER, NO_ENV);
        let body = json!({ "capabilities": { "alwaysMatch": {
            "webkitgtk:browserOptions": { "binary": self.binary, "args": [] } } } })
        .to_string();
        let request = format!(
            "POST /session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let mut stream = TcpStream::connect(("127.0.0.1", driver.port())).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        // The answer comes, if ever, after the app connects; the stream ends with the driver.
        std::thread::spawn(move || stream.read_to_end(&mut Vec::new()));
        wait_until("the driver to launch the app", || {
            driver.check().unwrap();
            driver.app().is_some()
        });
        let app = driver.app().unwrap();
        (driver, app)
    }

    fn exit(&self) {
        std::fs::write(&self.fifo, "exit\n").unwrap();
    }
}

#[tokio::test]
async fn an_app_that_dies_is_noticed_while_waiting() {
    let fake = FakeApp::new();
    let (mut driver, app) = fake.launched();
    fake.exit();
    let watched = tokio::time::timeout(TIMEOUT, driver.watch(std::future::pending::<()>()))
        .await
        .expect("the watch to end when the app exits");
    let death = watched.unwrap_err();
    assert_eq!(
        death,
        format!("the app (pid {app}) that {WEBKIT_WEBDRIVER} ran exited")
    );
    assert!(driver.describe().contains("still runs"));
}

#[test]
fn stopping_the_driver_stops_the_app_it_launched() {
    let fake = FakeApp::new();
    let (mut driver, app) = fake.launched();
    driver.stop();
    wait_until("the app to exit", || !procfs::is_alive(app));
}
