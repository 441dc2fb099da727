//! `make bench`, section 4: the key table at 10,000 keys in the real webview, driven through
//! WebKitWebDriver with the e2e harness. Timings are taken in the page with performance.now():
//! an action starts at the beginning of a frame (in a requestAnimationFrame callback) and ends
//! when that frame's rendering is done (a timeout queued from the callback runs after it), so
//! a figure is the script work plus style, layout and paint that the action caused.
//!
//!   KEYRACK_APP_BIN=target/release/keyrack-app bench_ui SANDBOX_STATE_FILE
//!   KEYRACK_APP_BIN=… bench_ui --start RUNS [SELECTOR]   (launch → SELECTOR painted)
//!
//! The state file (a sandbox emulator's `--state`, scripts/bench/ui.sh seeds it) becomes the
//! app's sandbox. Prints rows for scripts/bench/table.sh; asserts nothing about timings.

use std::path::{Path, PathBuf};
use std::time::Instant;

use keyrack_e2e::{poll, procfs, with_prepared_app, App, TIMEOUT};
use serde_json::{json, Value};

/// What a user types, one keystroke at a time: narrowing, widening, a miss, clearing.
const TYPED: &[&str] = &[
    "l",
    "lo",
    "loa",
    "load",
    "load-",
    "load-t",
    "load-te",
    "load-tes",
    "load-test",
    "load-test-",
    "load-test-1",
    "load-test-12",
    "load-test-123",
    "load-test-12",
    "load-test-1",
    "",
    "k",
    "ke",
    "key",
    "key-",
    "key-9",
    "",
    "s",
    "sc",
    "scw",
    "scw x",
    "scw",
    "",
    "o",
    "oc",
    "ocid",
    "",
    "zzz",
    "",
];

/// Refreshes whose memory is followed (the "40 refreshes").
const REFRESHES: usize = 40;

/// Starts `action` (a script body that may use `page`, the page's elements) at the beginning
/// of a frame and resolves with the milliseconds until that frame was rendered.
/// `window.__benchScript` collects the script part of each action: until a microtask queued
/// after it, which runs after Svelte's own update (queued first, by the event).
const FRAME_TIMER: &str = "
  window.__benchScript = [];
  window.__benchLayout = [];
  window.__benchFrame = (action) => new Promise((done) => requestAnimationFrame(() => {
    const t0 = performance.now();
    action();
    queueMicrotask(() => queueMicrotask(() => {
      const t1 = performance.now();
      window.__benchScript.push(t1 - t0);
      // Reading a size makes the engine do the frame's style and layout now, so they can be
      // told apart from the paint that follows.
      void document.documentElement.offsetHeight;
      window.__benchLayout.push(performance.now() - t1);
    }));
    setTimeout(() => done(performance.now() - t0), 0);
  }));
  return true;";

#[tokio::main]
async fn main() {
    let mut args = std::env::args_os().skip(1);
    let first = args
        .next()
        .expect("usage: bench_ui SANDBOX_STATE_FILE | bench_ui --start RUNS");
    if first == "--start" {
        let runs = args
            .next()
            .and_then(|r| r.to_str()?.parse().ok())
            .unwrap_or(5);
        // The anchor app (bench/anchor) is timed the same way, to its page's heading.
        let painted = args
            .next()
            .and_then(|s| s.into_string().ok())
            .unwrap_or_else(|| "[role=row][data-key-id]".to_owned());
        return first_list(runs, &painted).await;
    }
    let state = PathBuf::from(first);
    let started = Instant::now();
    with_prepared_app(
        "bench_ui",
        |home| place_state(home, &state),
        |app| async move {
            let total = wait_listed(&app).await;
            row(
                "launch → all keys listed and painted",
                ms(started.elapsed().as_secs_f64() * 1e3),
                "",
                "",
            );
            row("keys in the table", total.to_string(), "", "");
            app.client()
                .execute(FRAME_TIMER, vec![])
                .await
                .expect("install the frame timer");
            keystrokes(&app).await;
            sorting(&app).await;
            scrolling(&app).await;
            refreshes(&app).await;
        },
    )
    .await;
}

/// Section 1: launch (the WebDriver session that starts the app) → the first key rows of the
/// default sandbox (or `painted`) painted, median of `runs` fresh starts. With `BENCH_START_STATE`
/// (a sandbox state file) each start finds the sandbox a previous run left, as every launch after
/// the first does; without it the sandbox is made anew (keys and all, as on the very first
/// launch). Prints the medians in ms of the whole and of its parts, read off the page's own
/// clock: launch → the page's navigation starts (driver, process, Tauri, WebKit), → the page's
/// script has run (DOMContentLoaded), then for Keyrack → its start (`keyrack:start`), → the
/// accounts read (`keyrack:accounts`), → the first listing applied (`keyrack:listed`), and
/// → `painted` is on screen.
async fn first_list(runs: usize, painted: &str) {
    let state = std::env::var_os("BENCH_START_STATE").map(PathBuf::from);
    let mut phases: Vec<Vec<f64>> = Vec::new();
    for _ in 0..runs {
        let took = std::sync::Arc::new(std::sync::Mutex::new(None));
        let started = Instant::now();
        let started_epoch_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("the clock is after 1970")
            .as_secs_f64()
            * 1e3;
        let seen = took.clone();
        let prepare = |home: &Path| {
            if let Some(state) = &state {
                place_state(home, state);
            }
        };
        with_prepared_app("bench_start", prepare, |app| async move {
            // Checked every frame in the page (WebDriver's element wait polls every 250 ms);
            // resolves in the frame after the one that painted it with [navigation start (epoch
            // ms), DOMContentLoaded, painted, the app's marks (ms after navigation start; null
            // for a mark the page does not make)].
            let watch = "const selector = arguments[0];
                return new Promise(done => {
                  const check = () => document.querySelector(selector)
                    ? requestAnimationFrame(() => setTimeout(() => {
                        const nav = performance.getEntriesByType('navigation')[0];
                        const mark = name => performance.getEntriesByName(name)[0]?.startTime ?? null;
                        done([performance.timeOrigin, nav ? nav.domContentLoadedEventEnd : 0,
                              performance.now(), mark('keyrack:start'),
                              mark('keyrack:accounts'), mark('keyrack:listed')]);
                      }, 0))
                    : requestAnimationFrame(check);
                  check();
                });";
            let page = app
                .client()
                .execute(watch, vec![json!(painted)])
                .await
                .expect("wait for the list to be painted");
            let total = started.elapsed().as_secs_f64() * 1e3;
            let at = |i: usize| page[i].as_f64().expect("a page clock reading");
            let dcl = at(1);
            // From DOMContentLoaded to painted, split at the app's own marks when it has them
            // (the UI's start, its accounts read, the first listing applied; the anchor has none).
            let mut after = vec![dcl];
            after.extend((3..6).filter_map(|i| page[i].as_f64()));
            after.push(at(2));
            let mut one = vec![total, at(0) - started_epoch_ms, dcl];
            one.extend(after.windows(2).map(|w| w[1] - w[0]));
            *seen.lock().unwrap() = Some(one);
        })
        .await;
        let one = took.lock().unwrap().take();
        if let Some(one) = one {
            phases.resize(one.len(), Vec::new());
            for (phase, value) in phases.iter_mut().zip(one) {
                phase.push(value);
            }
        }
    }
    let medians: Vec<String> = phases
        .iter()
        .map(|p| format!("{:.0}", percentile(p, 50.0)))
        .collect();
    println!("{}", medians.join(" "));
}

/// The sandbox state goes where the app's sandbox keeps it (core `Paths::sandbox_state_file`).
fn place_state(home: &Path, state: &Path) {
    let dir = home.join("data/keyrack");
    std::fs::create_dir_all(&dir).expect("create the app's data dir");
    std::fs::copy(state, dir.join("sandbox-state.json")).expect("copy the sandbox state");
}

/// Waits until no listing runs and the count shows every key; returns how many.
async fn wait_listed(app: &App) -> u64 {
    poll("the full key list", TIMEOUT * 4, || async {
        let done = app
            .client()
            .execute(
                "const r = document.querySelector('#refresh');
                 const c = document.querySelector('[data-testid=key-count]');
                 return r && !r.disabled && c && document.querySelector('[role=row][data-key-id]')
                   ? c.textContent : null;",
                vec![],
            )
            .await
            .ok()?;
        let text = done.as_str()?.trim().to_owned();
        // "10,012 keys"; "12 of 10,012" while a search narrows it.
        (!text.contains(" of ")).then(|| {
            text.replace([',', ' '], "")
                .trim_end_matches("keys")
                .parse()
                .ok()
        })?
    })
    .await
}

/// Keystroke → list painted, over the TYPED sequence, three times.
async fn keystrokes(app: &App) {
    let script = "
      const [queries] = arguments;
      const input = document.querySelector('#search');
      const times = [];
      for (let round = 0; round < 3; round++) for (const q of queries) {
        times.push(await window.__benchFrame(() => {
          input.value = q;
          input.dispatchEvent(new Event('input', { bubbles: true }));
        }));
      }
      return times;";
    let empty = run_times(
        app,
        "const t = []; for (let i = 0; i < 60; i++) t.push(await window.__benchFrame(() => {})); \
         window.__benchScript = []; window.__benchLayout = []; return t;",
        vec![],
    )
    .await;
    row(
        "an empty action → frame rendered p50 (the timer's floor)",
        ms(percentile(&empty, 50.0)),
        "",
        "",
    );
    let times = run_times(app, script, vec![json!(TYPED)]).await;
    let scripts = run_times(app, "return window.__benchScript.splice(0);", vec![]).await;
    let layouts = run_times(app, "return window.__benchLayout.splice(0);", vec![]).await;
    row(
        "keystroke: script part p95 (filter + Svelte update)",
        ms(percentile(&scripts, 95.0)),
        "",
        "",
    );
    row(
        "keystroke: style and layout part p95",
        ms(percentile(&layouts, 95.0)),
        "",
        "",
    );
    let (p50, p95) = (percentile(&times, 50.0), percentile(&times, 95.0));
    row(
        "keystroke → list painted p50",
        ms(p50),
        "target 16 ms (p95)",
        "",
    );
    row(
        "keystroke → list painted p95",
        ms(p95),
        "target 16 ms",
        &ratio(p95, 16.0),
    );
}

/// A click on a column header → the re-sorted list painted, for each column both ways.
async fn sorting(app: &App) {
    let script = "
      const times = [];
      for (const col of ['name', 'created', 'expires', 'vendor', 'id', 'owner', 'status', 'name'])
        for (let flip = 0; flip < 2; flip++)
          times.push(await window.__benchFrame(() =>
            document.querySelector(`[data-sort=${col}]`).click()));
      return times;";
    let times = run_times(app, script, vec![]).await;
    row("sort by a column p50", ms(percentile(&times, 50.0)), "", "");
    row("sort by a column p95", ms(percentile(&times, 95.0)), "", "");
}

/// Scrolling 100 rows at a time down the whole list: scroll → rows painted, per step.
async fn scrolling(app: &App) {
    let script = "
      const scroller = document.querySelector('.scroller');
      const times = [];
      scroller.scrollTop = 0;
      while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1 && times.length < 200) {
        // Row elements are reused for other keys: what changes is the key a row shows.
        const first = () => document.querySelector('[role=row][data-key-id]').dataset.keyId;
        const before = first();
        const t = await window.__benchFrame(() => { scroller.scrollTop += 3400; });
        // The scroll event comes with the next frame: count until the rows changed.
        const extra = await new Promise((done) => {
          const t0 = performance.now();
          const check = () => first() !== before
            ? done(performance.now() - t0) : requestAnimationFrame(() => setTimeout(check, 0));
          check();
        });
        times.push(t + extra);
      }
      return times;";
    let times = run_times(app, script, vec![]).await;
    row(
        "scroll 100 rows → painted p50",
        ms(percentile(&times, 50.0)),
        "",
        "",
    );
    row(
        "scroll 100 rows → painted p95",
        ms(percentile(&times, 95.0)),
        "",
        "",
    );
}

/// Refresh (the button) → every account listed again and painted; the processes' memory
/// before, at the peak and after REFRESHES of them.
async fn refreshes(app: &App) {
    let pid = app.pid();
    let web = web_process(pid);
    let mem = |p: Option<u32>| p.and_then(pss_mb).unwrap_or(f64::NAN);
    let (web_before, app_before) = (mem(web), mem(Some(pid)));
    let mut web_peak = web_before;
    let mut times = Vec::new();
    let script = "
      const button = document.querySelector('#refresh');
      const t0 = performance.now();
      await window.__benchFrame(() => button.click());
      await new Promise((done) => {
        const check = () => !button.disabled ? done() : requestAnimationFrame(() => setTimeout(check, 0));
        check();
      });
      await window.__benchFrame(() => {});
      return [performance.now() - t0];";
    let refreshes = std::env::var("BENCH_UI_REFRESHES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(REFRESHES);
    for _ in 0..refreshes {
        times.extend(run_times(app, script, vec![]).await);
        web_peak = web_peak.max(mem(web));
    }
    let (web_after, app_after) = (mem(web), mem(Some(pid)));
    row(
        "refresh → listed and painted p50",
        ms(percentile(&times, 50.0)),
        "",
        "",
    );
    row(
        &format!("web process PSS before / peak / after {refreshes} refreshes"),
        format!("{web_before:.0} / {web_peak:.0} / {web_after:.0} MB"),
        "",
        "",
    );
    row(
        &format!("app process PSS before / after {refreshes} refreshes"),
        format!("{app_before:.0} / {app_after:.0} MB"),
        "",
        "",
    );
}

async fn run_times(app: &App, script: &str, args: Vec<Value>) -> Vec<f64> {
    let wrapped = format!("return (async () => {{ {script} }})();");
    let reply = app
        .client()
        .execute(&wrapped, args)
        .await
        .unwrap_or_else(|e| panic!("bench script failed: {e}"));
    let times: Vec<f64> = serde_json::from_value(reply).expect("a list of milliseconds");
    assert!(!times.is_empty(), "the bench script measured nothing");
    times
}

/// The app's WebKit web process (the one that runs the page).
fn web_process(app: u32) -> Option<u32> {
    procfs::live_children(app).into_iter().find(|&p| {
        std::fs::read_to_string(format!("/proc/{p}/comm"))
            .is_ok_and(|c| c.trim() == "WebKitWebProces")
    })
}

/// Proportional set size in MB, from /proc/PID/smaps_rollup.
fn pss_mb(pid: u32) -> Option<f64> {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    let kb: f64 = rollup
        .lines()
        .find_map(|l| l.strip_prefix("Pss:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

fn percentile(times: &[f64], p: f64) -> f64 {
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank]
}

fn ms(value: f64) -> String {
    format!("{value:.1} ms")
}

fn ratio(value: f64, reference: f64) -> String {
    format!("{:.2}×", value / reference)
}

fn row(measure: &str, value: impl AsRef<str>, reference: &str, ratio: &str) {
    println!("ui\t{measure}\t{}\t{reference}\t{ratio}", value.as_ref());
}
