//! Keeping an eye on the keys while Keyrack runs, also hidden in the tray: the inventory is
//! refreshed on a schedule (`refresh_hours`, jittered, backing off after failures, and at once
//! after a wake from sleep), one refresh at a time; after every listing — scheduled, from the
//! window or the tray — the attention rules are evaluated, the tray follows, and keys that
//! crossed a threshold since the user was last told come as one desktop notification (unless
//! the `quiet` preference is set), each key and threshold once, across restarts.
//!
//! Old keys a rotation kept for a grace period are looked at on every tick: when a grace ends
//! the user is told once, and the tray offers to delete the old key.
//!
//! - `schedule.rs`: when the next refresh is due (pure, fixed-clock tests);
//! - `notified.rs`: what the user was already told, and the grouped message.

pub mod notified;
pub mod schedule;

use std::collections::HashMap;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use chrono::{DateTime, Utc};
use tauri::{AppHandle, Manager, Runtime};

use crate::state::AppState;
use notified::Notified;
use schedule::Outcome;

/// How often the loop wakes to see whether a refresh is due (and whether the machine slept).
const TICK: StdDuration = StdDuration::from_secs(60);

/// Shows a desktop notification. The app's is the notification plugin; tests record.
pub trait Notifier: Send + Sync {
    /// Show notification `id` (a click on it reports the id back).
    fn notify(&self, id: i32, title: &str, body: &str) -> Result<(), String>;
}

/// Desktop notifications through tauri-plugin-notification (the freedesktop notification
/// service on Linux).
pub struct DesktopNotifier<R: Runtime> {
    app: AppHandle<R>,
}

impl<R: Runtime> DesktopNotifier<R> {
    pub fn new(app: AppHandle<R>) -> Self {
        DesktopNotifier { app }
    }
}

impl<R: Runtime> Notifier for DesktopNotifier<R> {
    fn notify(&self, id: i32, title: &str, body: &str) -> Result<(), String> {
        use tauri_plugin_notification::NotificationExt;
        self.app
            .notification()
            .builder()
            .id(id)
            .title(title)
            .body(body)
            .show()
            .map_err(|e| e.to_string())
    }
}

/// What the watch knows between listings; managed by Tauri beside `AppState`.
pub struct Watch {
    notifier: Arc<dyn Notifier>,
    notified: Mutex<Notified>,
    /// Held while a scheduled refresh runs: never two at once.
    refreshing: tokio::sync::Mutex<()>,
    /// Notification id → the key a click on it opens (the first one it names).
    opens: Mutex<HashMap<i32, (String, String)>>,
    next_id: AtomicI32,
}

impl Watch {
    /// The notification state lives in `<data dir>/notified.json`.
    pub fn new(state: &AppState, notifier: Arc<dyn Notifier>) -> Watch {
        let path = state.registry().paths().data_dir.join("notified.json");
        Watch {
            notifier,
            notified: Mutex::new(Notified::load(&path)),
            refreshing: tokio::sync::Mutex::new(()),
            opens: Mutex::new(HashMap::new()),
            next_id: AtomicI32::new(1),
        }
    }

    /// The key notification `id` is about.
    pub fn opens(&self, id: i32) -> Option<(String, String)> {
        lock(&self.opens).get(&id).cloned()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// After a listing: tell the user about keys that newly need attention. Nothing to do when
/// the app has no watch (mock-runtime tests that do not ask for one).
pub fn after_listing<R: Runtime>(app: &AppHandle<R>, state: &AppState, now: DateTime<Utc>) {
    let Some(watch) = app.try_state::<Watch>() else {
        return;
    };
    check_graces(app, state, now);
    let attention = state.attention(now);
    let fresh = {
        let mut notified = lock(&watch.notified);
        match notified.fresh(&attention) {
            Ok(fresh) => fresh,
            Err(e) => {
                // Better told twice than never: notify, and say why it may repeat.
                tracing::warn!(error = %e, "could not save which keys were notified");
                attention
            }
        }
    };
    if state.registry().preferences().quiet {
        return;
    }
    if let Some((title, body)) = notified::message(&fresh) {
        tracing::info!(keys = fresh.len(), "notifying: keys need attention");
        let id = watch.next_id.fetch_add(1, Ordering::Relaxed);
        let first = &fresh[0];
        lock(&watch.opens).insert(id, (first.account_id.clone(), first.key_id.clone()));
        if let Err(e) = watch.notifier.notify(id, &title, &body) {
            tracing::warn!(error = %e, "could not show a desktop notification");
        }
    }
}

/// Tell the user (once per rotation) about old keys whose grace period has ended, and put them
/// in the tray. Cheap: it reads the rotation journals only, so it runs on every tick.
pub fn check_graces<R: Runtime>(app: &AppHandle<R>, state: &AppState, now: DateTime<Utc>) {
    let Some(watch) = app.try_state::<Watch>() else {
        return;
    };
    let ended = state.grace_ended(now);
    let fresh = match lock(&watch.notified).fresh_graces(&ended) {
        Ok(fresh) => fresh,
        Err(e) => {
            tracing::warn!(error = %e, "could not save which grace ends were notified");
            ended
        }
    };
    if fresh.is_empty() {
        return;
    }
    // The menu is rebuilt on key changes only: a grace ends on its own.
    crate::tray::refresh(app);
    if state.registry().preferences().quiet {
        return;
    }
    if let Some((title, body)) = notified::grace_message(&fresh) {
        tracing::info!(keys = fresh.len(), "notifying: grace periods ended");
        let id = watch.next_id.fetch_add(1, Ordering::Relaxed);
        let first = &fresh[0];
        lock(&watch.opens).insert(id, (first.account_id.clone(), first.old.id.clone()));
        if let Err(e) = watch.notifier.notify(id, &title, &body) {
            tracing::warn!(error = %e, "could not show a desktop notification");
        }
    }
}

/// One scheduled refresh: every account listed (which evaluates and notifies), unless one is
/// already running (`None`). `Some(true)` when every account listed.
pub async fn refresh<R: Runtime>(app: &AppHandle<R>) -> Option<bool> {
    let watch = app.try_state::<Watch>()?;
    let state = app.try_state::<AppState>()?;
    let _one = watch.refreshing.try_lock().ok()?;
    let listings = crate::ops::list_all(app, &state, &Default::default()).await;
    Some(listings.iter().all(|l| l.error.is_none()))
}

/// A click on one of our notifications opens the window on the key it names.
pub fn on_notification_click<R: Runtime>(app: &AppHandle<R>) {
    use tauri_plugin_notification::NotificationExt;
    let handle = app.clone();
    let registered = app.notification().on_action(move |performed| {
        let id = performed.notification().map(|n| n.id());
        let target = id.and_then(|id| handle.try_state::<Watch>()?.opens(id));
        match target {
            Some((account, key)) => crate::tray::select_key(&handle, account, key),
            None => crate::window::show_main(&handle),
        }
    });
    if let Err(e) = registered {
        tracing::warn!(error = %e, "notification clicks will not open keys");
    }
}

/// Apply the `start_at_login` preference (an XDG autostart entry on Linux).
pub fn set_start_at_login<R: Runtime>(app: &AppHandle<R>, on: bool) {
    let Some(manager) = app.try_state::<tauri_plugin_autostart::AutoLaunchManager>() else {
        return;
    };
    let result = if on {
        manager.enable()
    } else {
        manager.disable()
    };
    match result {
        Ok(()) => tracing::info!(on, "start at login changed"),
        Err(e) => tracing::warn!(error = %e, "could not change start at login"),
    }
}

/// Start the background loop (the real app; tests drive `refresh` and `after_listing`).
pub fn start<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        let mut last_tick = Utc::now();
        let mut failures = 0u32;
        let mut due = next(&app, Utc::now(), Outcome::Listed);
        loop {
            tokio::time::sleep(TICK).await;
            let now = Utc::now();
            let woke = schedule::woke_from_sleep(last_tick, now, chrono::Duration::seconds(60));
            last_tick = now;
            if let Some(state) = app.try_state::<AppState>() {
                check_graces(&app, &state, now);
            }
            // Scheduled refresh was off: it may have been turned on since.
            if due.is_none() {
                due = next(&app, now, Outcome::Listed);
            }
            if !(woke || due.is_some_and(|d| now >= d)) {
                continue;
            }
            if woke {
                tracing::info!("woke from sleep; refreshing keys");
            }
            let outcome = match refresh(&app).await {
                Some(true) => {
                    failures = 0;
                    Outcome::Listed
                }
                Some(false) => {
                    failures += 1;
                    Outcome::Failed { failures }
                }
                // Another refresh is running: look again at the next tick.
                None => continue,
            };
            due = next(&app, Utc::now(), outcome);
        }
    });
}

/// When the next refresh is due by the preference now in force (`None` while it is off).
fn next<R: Runtime>(
    app: &AppHandle<R>,
    now: DateTime<Utc>,
    outcome: Outcome,
) -> Option<DateTime<Utc>> {
    let hours = app
        .try_state::<AppState>()
        .map(|s| s.registry().preferences().refresh_hours)
        .unwrap_or(0);
    schedule::next_refresh(now, hours, outcome, rand_fraction())
}

/// A fraction in 0..1 from the clock's nanoseconds: jitter needs spread, not secrecy.
fn rand_fraction() -> f64 {
    f64::from(Utc::now().timestamp_subsec_nanos() % 1000) / 1000.0
}
